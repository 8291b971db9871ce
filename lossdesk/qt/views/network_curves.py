"""Loss curves of a network: the training cost and the held-out cost after each step.

The training cost is what descent lowers; the held-out cost is the same loss on points the
network never trains on. When it turns up while the training cost still falls, the network
has begun to learn its training points rather than the pattern.

With a penalty the training cost is the mean loss plus λ·P(W); its loss part is drawn too
(dotted), since that is what compares with the held-out cost, a mean loss alone.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.network import LossCurves
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import move_positions
from lossdesk.qt.views.loss_curve import LossCurveView, readable_span


def step_span(last: float) -> float:
    """The x axis's end: 10, 20, 50, 100, 200, 500, … the first at or beyond ``last``.

    A run's step count grows every frame; an axis that followed it would repaint its tick
    labels every frame too.
    """
    end = 10.0
    while end < last:
        for factor in (2.0, 2.5, 2.0):  # 10 → 20 → 50 → 100
            end *= factor
            if end >= last:
                break
    return end


def fit_legend(plot: pg.PlotItem, legend: pg.LegendItem) -> None:
    """Show ``legend`` only while the plot has room for it (a tiny plot shows its curves)."""

    def fit(*_args) -> None:
        vb = plot.getViewBox()
        room = legend.width() + 12 <= vb.width() and legend.height() + 12 <= vb.height()
        if legend.isVisible() != room:
            legend.setVisible(room)

    plot.getViewBox().sigResized.connect(fit)
    legend.fit = fit  # type: ignore[attr-defined]  (called again when its entries change)
    fit()


class NetworkCurvesView(LossCurveView):
    def __init__(self) -> None:
        super().__init__()
        self.best.setVisible(False)
        self.test = pg.PlotCurveItem(pen=theme.pen(theme.ORANGE, 2, Qt.PenStyle.DashLine))
        self.test.setVisible(False)
        self.plot.addItem(self.test)
        self.train_data = pg.PlotCurveItem(pen=theme.pen(theme.BLUE, 1.5, Qt.PenStyle.DotLine))
        self.train_data.setVisible(False)
        self.plot.addItem(self.train_data)
        self.legend = theme.add_legend(self.plot, offset=(-6, 6))
        self.legend.addItem(self.curve, "training")
        self.legend.addItem(self.test, "held out")
        fit_legend(self.plot, self.legend)
        self.penalised = False

    def show_curves(self, curves: LossCurves) -> None:
        train = np.asarray(curves.train, dtype=float)
        self.costs = train
        steps = np.asarray(curves.steps, dtype=float)
        self.curve.setData(steps, train)
        if np.isfinite(train[-1]):
            if len(self.head.data) == 1:  # setData would restyle it every frame
                move_positions(self.head, steps[-1:], train[-1:])
            else:
                self.head.setData([steps[-1]], [train[-1]])
        test = np.asarray(curves.test, dtype=float)
        has_test = bool(test.size and np.isfinite(test).any())
        if has_test:
            self.test.setData(curves.steps, test, connect="finite")
        if self.test.isVisible() != has_test:
            self.test.setVisible(has_test)
        self._show_penalised(curves, steps)
        values = np.concatenate([curves.train, test]) if has_test else np.asarray(curves.train)
        finite = values[np.isfinite(values)]
        if finite.size:
            end = step_span(float(steps[-1]) if steps.size else 0.0)
            if getattr(self, "_end", None) != end:  # the range as set, not as read back (rounded)
                self._end = end
                self.plot.setXRange(-0.03 * end, end, padding=0)
            theme.stable_range(self.plot, y=readable_span(min(0.0, float(finite.min())), float(finite.max())),
                               margin=0.05)

    def _show_penalised(self, curves: LossCurves, steps: np.ndarray) -> None:
        """The training cost's loss part, dotted, while there is a penalty (and the legend says so)."""
        data = curves.train_data
        penalised = data is not None
        if penalised:
            self.train_data.setData(steps, np.asarray(data, dtype=float), connect="finite")
        if penalised == self.penalised:
            return
        self.penalised = penalised
        self.train_data.setVisible(penalised)
        self.legend.clear()
        if penalised:
            self.legend.addItem(self.curve, "training: loss + penalty")
            self.legend.addItem(self.train_data, "training: loss alone")
        else:
            self.legend.addItem(self.curve, "training")
        self.legend.addItem(self.test, "held out (loss alone)" if penalised else "held out")
        theme.style_legend(self.legend, theme.look())
        self.legend.fit()  # type: ignore[attr-defined]
