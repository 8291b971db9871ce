"""Error distribution: a histogram of the residuals y − ŷ, with the mean and median marked."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.regression import RegressionSnapshot
from lossdesk.qt import theme


class ResidualHistogramView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("residual y − ŷ", "points")
        self.plot = self.widget.getPlotItem()
        self.bars = pg.PlotCurveItem(x=[0.0, 1.0], y=[0.0], stepMode="center", fillLevel=0, pen=theme.pen(theme.BLUE, 1.5),
                                     brush=pg.mkBrush(86, 180, 233, 140))
        self.plot.addItem(self.bars)
        self.zero = pg.InfiniteLine(0, angle=90, pen=theme.pen(theme.GREY, 1, Qt.PenStyle.DotLine))
        self.mean = pg.InfiniteLine(0, angle=90, pen=theme.pen(theme.VERMILLION, 2),
                                    label="mean", labelOpts={"position": 0.92, "color": theme.VERMILLION})
        self.median = pg.InfiniteLine(0, angle=90, pen=theme.pen(theme.GREEN, 2, Qt.PenStyle.DashLine),
                                      label="median", labelOpts={"position": 0.78, "color": theme.GREEN})
        for line in (self.zero, self.mean, self.median):
            self.plot.addItem(line)

    def show(self, snap: RegressionSnapshot) -> None:
        self.bars.setData(snap.histogram_edges, snap.histogram_counts)
        for line, value in ((self.mean, snap.mean_residual), (self.median, snap.median_residual)):
            if line.value() != value:  # a moved line re-lays out its label: only when it moves
                line.setValue(value)
        edges = snap.histogram_edges
        span = max(abs(edges[0]), abs(edges[-1]), 1e-9)
        theme.stable_range(self.plot, x=(-span, span), y=(0, max(1, snap.histogram_counts.max())))
