"""How hard each loss pulls on a point's score, against how sure the model is of its class.

For a logistic model p = σ(z), a point's pull on its score z is |dL/dz|: for binary
cross-entropy 1 − p, for squared error on p 2(1 − p)²·p, where p is the probability the
model gives the point's true class (a ``LossComparison`` from the results). Far left are
the confidently wrong points: cross-entropy pulls on them hardest, squared error hardly
at all. The points of the data set sit on both curves.

The axes never move (p from 0 to 1, the pull from 0 to a little over 1). The colours
are the race's: the page around both says once which is which, rather than a legend in
each small plot.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model.results.classification import LossComparison
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import move_positions

#: each compared loss in words, and its colour (the race uses the same)
NAMES = {"bce": "cross-entropy", "brier": "squared error on p"}
COLOURS = {"bce": theme.BLUE, "brier": theme.VERMILLION}
Y_TOP = 1.05  # the pulls are at most 1


class ConfidenceGradientView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("p of the true class", "pull |dL/dz|")
        self.plot = self.widget.getPlotItem()
        self.plot.disableAutoRange()
        self.plot.setRange(xRange=(0.0, 1.0), yRange=(0.0, Y_TOP), padding=0.02)
        self.plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in (0.0, 0.25, 0.5, 0.75, 1.0)]])
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.points: dict[str, pg.ScatterPlotItem] = {}
        for name in NAMES:
            curve = pg.PlotCurveItem(pen=theme.pen(COLOURS[name], 2.5))
            self.plot.addItem(curve)
            self.curves[name] = curve
            dots = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(COLOURS[name]))
            dots.setZValue(5)
            dots.setVisible(False)  # an empty item still costs a paint
            self.plot.addItem(dots)
            self.points[name] = dots
        self._curves_of = None  # the GradientSizes drawn (they never change)
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        for dots in self.points.values():
            dots.setPen(pg.mkPen(look.ink, width=0.8))

    def show(self, comparison: LossComparison | None) -> None:
        """Both curves and the points on them (None, or a comparison with a problem: nothing)."""
        sizes = comparison.gradients if comparison is not None else None
        if sizes is None:
            for item in (*self.curves.values(), *self.points.values()):
                item.setVisible(False)
            return
        if sizes is not self._curves_of:
            for name, curve in self.curves.items():
                curve.setData(sizes.p_true, sizes.sizes[name])
            self._curves_of = sizes
        for name, curve in self.curves.items():
            if not curve.isVisible():
                curve.setVisible(True)
        x = np.asarray(comparison.point_p, dtype=float)
        for name, dots in self.points.items():
            y = np.asarray(comparison.point_sizes.get(name, np.zeros(0)), dtype=float)
            if dots.isVisible() != bool(x.size):
                dots.setVisible(bool(x.size))
            if len(dots.data) == x.size and x.size:
                move_positions(dots, x, y)  # the same points moved: no restyling
            else:
                dots.setData(x, y)

    def drawn(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The curve of loss ``name`` as drawn (x, y)."""
        x, y = self.curves[name].getData()
        return np.asarray(x), np.asarray(y)
