"""Share of the cost: for each loss, each point's part of the summed loss, as grouped bars.

A dotted line in the muted ink marks the outlier's group."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model.results.outlier_lab import OutlierLabResults
from lossdesk.qt import theme


class CostSharesView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("point", "share (%)")
        self.plot = self.widget.getPlotItem()
        self.bars: dict[str, pg.BarGraphItem] = {}
        for name, colour in theme.LOSS_COLOURS.items():
            bar = pg.BarGraphItem(x=[0], height=[0], width=0.2, brush=pg.mkBrush(colour), pen=pg.mkPen(None))
            bar.setVisible(False)
            self.plot.addItem(bar)
            self.bars[name] = bar
        self.marker = pg.InfiniteLine(0, angle=90)
        self.plot.addItem(self.marker)
        self.heights: dict[str, np.ndarray] = {}
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        self.marker.setPen(theme.pen(look.muted, 1.5, pg.QtCore.Qt.PenStyle.DotLine))

    def show(self, results: OutlierLabResults) -> None:
        """One group of bars per point, one bar per loss shown, side by side."""
        shown = results.shown
        width = 0.8 / max(len(shown), 1)
        n = results.n
        self.heights = {}
        for name, bar in self.bars.items():
            if name not in shown:
                bar.setVisible(False)
                continue
            slot = shown.index(name)
            percent = results.shares[name]
            self.heights[name] = percent
            bar.setOpts(x=np.arange(n) - 0.4 + width * (slot + 0.5), height=percent, width=width)
            bar.setVisible(True)
        self.marker.setVisible(results.outlier is not None)
        if results.outlier is not None:
            self.marker.setValue(results.outlier)
        theme.stable_range(self.plot, x=(-0.6, max(n, 1) - 0.4), y=(0, results.shares_top), margin=0.05)
