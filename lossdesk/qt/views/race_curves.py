"""Every racer's cost against step, in one plot."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model import OPTIMIZERS, DescentRun
from lossdesk.qt import style


class RaceCurvesView:
    def __init__(self) -> None:
        self.widget = style.plot_widget("step", "cost")
        self.plot = self.widget.getPlotItem()
        self.legend = self.plot.addLegend(offset=(-4, 4), labelTextSize="8pt", brush=(255, 255, 255, 200))
        self.curves: dict[str, pg.PlotCurveItem] = {}
        for name, colour in style.OPTIMIZER_COLOURS.items():
            self.curves[name] = pg.PlotCurveItem(pen=style.pen(colour, 2))
            self.plot.addItem(self.curves[name])
        self.best = pg.InfiniteLine(0, angle=0, pen=style.pen(style.GREEN, 1.5, pg.QtCore.Qt.PenStyle.DashLine))
        self.plot.addItem(self.best)
        self._legend_for: set[str] | None = None

    def show(self, runs: dict[str, DescentRun], shown: set[str], best_cost: float) -> None:
        self.best.setValue(best_cost)
        tops, steps = [best_cost], [10]
        for name, curve in self.curves.items():
            run = runs.get(name)
            if run is None or name not in shown:
                curve.setData([], [])
                continue
            costs = np.asarray(run.costs)
            curve.setData(np.arange(costs.size), costs)
            tops.append(float(costs[0]))
            steps.append(costs.size)
        if shown != self._legend_for:
            self.legend.clear()
            for name in self.curves:
                if name in shown:
                    self.legend.addItem(self.curves[name], OPTIMIZERS[name].title)
            self._legend_for = set(shown)
        style.stable_range(self.plot, x=(0, max(steps)), y=(best_cost, max(tops) + 1e-12), margin=0.05)
