"""Loss curve: the cost after each descent step."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import move_positions


def readable_span(low: float, high: float, share: float = 0.05) -> tuple[float, float]:
    """``(low, high)`` widened to at least ``share`` of the values (a few percent).

    A cost that barely moves (a flat curve, a run that starts at the minimum) would
    otherwise get a span of 1e-12 and tick labels with thirteen digits.
    """
    least = max(share * max(abs(low), abs(high)), 1e-3)
    if high - low >= least:
        return low, high
    middle = 0.5 * (low + high)
    lo, hi = middle - least / 2, middle + least / 2
    if low >= 0 and lo < 0:  # a cost is never negative: keep the axis at zero and above
        lo, hi = 0.0, max(hi - lo, high)
    return lo, hi


class LossCurveView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("step", "cost")
        self.plot = self.widget.getPlotItem()
        self.curve = pg.PlotCurveItem(pen=theme.pen(theme.BLUE, 2))
        self.plot.addItem(self.curve)
        self.head = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(theme.ORANGE))
        self.plot.addItem(self.head)
        self.best = pg.InfiniteLine(0, angle=0, pen=theme.pen(theme.GREEN, 1.5, pg.QtCore.Qt.PenStyle.DashLine),
                                    label="lowest possible",
                                    # from the left edge, above the line: the curve comes down on the right
                                    labelOpts={"position": 0.03, "color": theme.GREEN, "anchors": [(0, 1), (0, 1)]})
        self.plot.addItem(self.best)
        self.costs = np.zeros(0)
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        self.head.setPen(pg.mkPen(look.ink))
        font = self.best.label.textItem.font()
        font.setPointSizeF(look.pt(8.5))
        self.best.label.setFont(font)

    def show(self, costs: np.ndarray, best_cost: float | None) -> None:
        """The cost after each step, and a line at the lowest cost possible when it is known."""
        self.costs = np.asarray(costs, dtype=float)
        steps = np.arange(self.costs.size)
        self.curve.setData(steps, self.costs)
        if self.best.isVisible() != (best_cost is not None):
            self.best.setVisible(best_cost is not None)
        if best_cost is not None and self.best.value() != best_cost:
            self.best.setValue(best_cost)
        finite = self.costs[np.isfinite(self.costs)]
        if finite.size:
            if len(self.head.data) == 1:  # setData would restyle it every frame
                move_positions(self.head, steps[-1:].astype(float), self.costs[-1:])
            else:
                self.head.setData([steps[-1]], [self.costs[-1]])
            if not self.head.isVisible():
                self.head.setVisible(True)
            known = [best_cost] if best_cost is not None and np.isfinite(best_cost) else []
            top = max([float(finite.max()), *known])
            low = min([float(finite.min()), *known])
            last = max(10, steps[-1])
            # Before any step the one point moves with every drag: ±20 % of its value of room
            # (just under twice what it needs, so it never counts as shrunk) keeps the axis,
            # and its tick labels that repaint on every move, still for moves of a few percent.
            alone = finite.size == 1
            span = readable_span(low, top, 0.2 if alone else 0.05)
            # a little room left of step 0, so the first point shows whole
            theme.stable_range(self.plot, x=(-0.03 * last, last), y=span, margin=0.4 if alone else 0.05)
        elif self.head.isVisible():
            self.head.setData([], [])
            self.head.setVisible(False)  # an empty scatter item still costs a paint
