"""Error distribution: a histogram of the residuals r = y − ŷ, with the mean and median marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.regression import RegressionSnapshot
from lossdesk.qt import theme

#: the range shrinks once the residuals fill less than this share of it (it grows at once)
SHRINK_BELOW = 0.75


def follow_range(current: tuple[float, float], wanted: tuple[float, float]) -> tuple[float, float] | None:
    """The range to show for ``wanted`` given ``current`` (None: keep it).

    Closer to the data than ``theme.stable_range``: during a descent the residuals shrink
    step by step and the histogram must follow them, not sit in a corner of a wide axis.
    """
    lo, hi = wanted
    c0, c1 = current
    if lo >= c0 and hi <= c1 and (hi - lo) >= SHRINK_BELOW * (c1 - c0):
        return None
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


class ResidualHistogramView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("residual r = y − ŷ", "points")
        self.plot = self.widget.getPlotItem()
        self.bars = pg.PlotCurveItem(x=[0.0, 1.0], y=[0.0], stepMode="center", fillLevel=0, pen=theme.pen(theme.BLUE, 1.5),
                                     brush=pg.mkBrush(86, 180, 233, 140))
        self.plot.addItem(self.bars)
        self.zero = pg.InfiniteLine(0, angle=90)
        self.mean = pg.InfiniteLine(0, angle=90, pen=theme.pen(theme.VERMILLION, 2),
                                    label="mean", labelOpts={"position": 0.9, "color": theme.VERMILLION})
        self.median = pg.InfiniteLine(0, angle=90, pen=theme.pen(theme.GREEN, 2, Qt.PenStyle.DashLine),
                                      label="median", labelOpts={"position": 0.9, "color": theme.GREEN})
        for line in (self.zero, self.mean, self.median):
            self.plot.addItem(line)
        self._mean_left: bool | None = None
        self._few: bool | None = None
        theme.follow(self.restyle)

    def _side_labels(self, mean: float, median: float) -> None:
        """The smaller value's label left of its line, the larger's right of it: never on top
        of each other or of the other line."""
        left = mean <= median
        if left == self._mean_left:
            return
        self._mean_left = left
        outside, inside = [(1, 0.5), (1, 0.5)], [(0, 0.5), (0, 0.5)]
        self.mean.label.anchors = outside if left else inside
        self.median.label.anchors = inside if left else outside
        for line in (self.mean, self.median):
            line.label.updatePosition()

    def restyle(self, look: theme.Look) -> None:
        self.zero.setPen(theme.pen(look.muted, 1, Qt.PenStyle.DotLine))
        for line in (self.mean, self.median):
            font = line.label.textItem.font()
            font.setPointSizeF(look.pt(8.5))
            line.label.setFont(font)

    def show(self, snap: RegressionSnapshot) -> None:
        self.bars.setData(snap.histogram_edges, snap.histogram_counts)
        for line, value in ((self.mean, snap.mean_residual), (self.median, snap.median_residual)):
            if line.value() != value:  # a moved line re-lays out its label: only when it moves
                line.setValue(value)
        self._side_labels(snap.mean_residual, snap.median_residual)
        edges = snap.histogram_edges
        span = float(max(abs(edges[0]), abs(edges[-1]), 1e-9))
        if not np.isfinite(span):
            return
        (x0, x1), (y0, y1) = self.plot.viewRange()
        top = float(max(1, snap.histogram_counts.max()))
        x = follow_range((x0, x1), (-span, span))
        y = follow_range((y0, y1), (0.0, top))
        if y is not None:
            y = (0.0, y[1])
        if x is not None or y is not None:
            self.plot.setRange(xRange=x or (x0, x1), yRange=y or (y0, y1), padding=0)
        few = top <= 6
        if few != self._few:  # counts are whole numbers: no "0.2 points" ticks
            self._few = few
            theme.whole_number_ticks(self.plot.getAxis("left"), few)
