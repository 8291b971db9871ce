"""The loss as a function of what the model says about the true class (a ``ConfidenceCurve``).

For cross-entropy: −log p against p, the probability given to the true class; a
confidently wrong point (p near 0) sits far up the curve. For hinge: max(0, 1 − m)
against the margin m = t·s.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model.results.classification import ConfidenceCurve
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import move_positions

BANDED_POINTS = 1000  # up to this many points, each is coloured by its loss
AXIS_LABELS = {
    "log": ("p of the true class", "loss −log p"),
    "hinge": ("margin m = t·s", "hinge loss"),
}


class TrueClassLossView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget(*AXIS_LABELS["log"])
        self.plot = self.widget.getPlotItem()
        self.curve = pg.PlotCurveItem(pen=theme.pen(theme.BLUE, 2.5))
        self.plot.addItem(self.curve)
        self.bands = [pg.ScatterPlotItem(size=8, pen=pg.mkPen(theme.INK, width=0.8), brush=pg.mkBrush(colour))
                      for colour in theme.loss_band_colours()]
        for item in self.bands:
            self.plot.addItem(item)
        # Many points: one colour, moved in place (restyling thousands of points costs more than a frame).
        self.bulk = pg.ScatterPlotItem(size=6, pen=pg.mkPen(None), brush=pg.mkBrush(theme.PURPLE))
        self.plot.addItem(self.bulk)
        self.highlight = pg.ScatterPlotItem(size=16, pen=pg.mkPen(theme.VERMILLION, width=3), brush=None)
        self.plot.addItem(self.highlight)
        self.mode = ""
        self.xs = np.zeros(0)
        self.ys = np.zeros(0)
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        for item in self.bands:
            item.setPen(pg.mkPen(look.ink, width=0.8))

    def show(self, confidence: ConfidenceCurve) -> None:
        """The loss curve of ``confidence.kind`` and every point on it."""
        if self.mode != confidence.kind:
            self.curve.setData(confidence.curve_x, confidence.curve_y)
            bottom, left = AXIS_LABELS[confidence.kind]
            self.plot.setLabel("bottom", bottom)
            self.plot.setLabel("left", left)
            self.mode = confidence.kind
        xs, ys = confidence.point_x, confidence.point_y
        top = max(4.0, float(ys.max())) if ys.size else 4.0
        theme.stable_range(self.plot, x=confidence.x_range, y=(0, top), margin=0.03)
        self.xs, self.ys = xs, ys
        many = ys.size > BANDED_POINTS
        self.bulk.setVisible(many)
        for item in self.bands:
            item.setVisible(not many)
        if many:
            if len(self.bulk.data) == ys.size:
                move_positions(self.bulk, xs, ys)
            else:
                self.bulk.setData(x=xs, y=ys)
            return
        band = theme.loss_bands(ys)
        for k, item in enumerate(self.bands):
            mask = band == k
            item.setData(x=xs[mask], y=ys[mask])

    def show_highlight(self, row: int | None) -> None:
        if row is None or row >= self.xs.size:
            self.highlight.setData([], [])
        else:
            self.highlight.setData([self.xs[row]], [self.ys[row]])

