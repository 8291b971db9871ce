"""Loss curve: the cost after each descent step."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.qt import theme


class LossCurveView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("step", "cost")
        self.plot = self.widget.getPlotItem()
        self.curve = pg.PlotCurveItem(pen=theme.pen(theme.BLUE, 2))
        self.plot.addItem(self.curve)
        self.head = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(theme.ORANGE), pen=pg.mkPen(theme.INK))
        self.plot.addItem(self.head)
        self.best = pg.InfiniteLine(0, angle=0, pen=theme.pen(theme.GREEN, 1.5, pg.QtCore.Qt.PenStyle.DashLine),
                                    label="lowest possible", labelOpts={"position": 0.6, "color": theme.GREEN})
        self.plot.addItem(self.best)
        self.costs = np.zeros(0)

    def show(self, costs: np.ndarray, best_cost: float | None) -> None:
        """The cost after each step, and a line at the lowest cost possible when it is known."""
        self.costs = np.asarray(costs, dtype=float)
        steps = np.arange(self.costs.size)
        self.curve.setData(steps, self.costs)
        if self.best.isVisible() != (best_cost is not None):
            self.best.setVisible(best_cost is not None)
        if best_cost is not None and self.best.value() != best_cost:
            self.best.setValue(best_cost)
        if self.costs.size:
            self.head.setData([steps[-1]], [self.costs[-1]])
            known = [best_cost] if best_cost is not None else []
            top = max([float(self.costs.max()), *known])
            low = min([float(self.costs.min()), *known])
            theme.stable_range(self.plot, x=(0, max(10, steps[-1])), y=(low, top + 1e-12), margin=0.05)
        else:
            self.head.setData([], [])
