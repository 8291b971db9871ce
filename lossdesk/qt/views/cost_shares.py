"""Share of the cost: for each loss, each point's part of the summed loss, as grouped bars."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model.comparison import LossFit
from lossdesk.qt import style


class CostSharesView:
    def __init__(self) -> None:
        self.widget = style.plot_widget("point", "share of the total loss (%)")
        self.plot = self.widget.getPlotItem()
        self.bars: dict[str, pg.BarGraphItem] = {}
        for name, colour in style.LOSS_COLOURS.items():
            bar = pg.BarGraphItem(x=[0], height=[0], width=0.2, brush=pg.mkBrush(colour), pen=pg.mkPen(None))
            self.plot.addItem(bar)
            self.bars[name] = bar
        self.marker = pg.InfiniteLine(0, angle=90, pen=style.pen(style.GREY, 1, pg.QtCore.Qt.PenStyle.DotLine))
        self.plot.addItem(self.marker)
        self.heights: dict[str, np.ndarray] = {}

    def show(self, fits: dict[str, LossFit], visible: list[str], outlier: int | None) -> None:
        shown = [name for name in visible if name in fits]
        k = max(len(shown), 1)
        width = 0.8 / k
        n = 0
        top = 1.0
        self.heights = {}
        for name, bar in self.bars.items():
            if name not in shown:
                bar.setVisible(False)
                continue
            slot = shown.index(name)
            percent = 100.0 * fits[name].shares
            n = percent.size
            self.heights[name] = percent
            bar.setOpts(x=np.arange(n) - 0.4 + width * (slot + 0.5), height=percent, width=width)
            bar.setVisible(True)
            top = max(top, float(percent.max()))
        self.marker.setVisible(outlier is not None)
        if outlier is not None:
            self.marker.setValue(outlier)
        style.stable_range(self.plot, x=(-0.6, max(n, 1) - 0.4), y=(0, top), margin=0.05)
