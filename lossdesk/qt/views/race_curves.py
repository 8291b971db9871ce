"""Every racer's cost against step, in one plot, with the lowest possible cost dashed."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model.results.descent_lab import DescentLabResults
from lossdesk.qt import theme


class RaceCurvesView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("step", "cost")
        self.plot = self.widget.getPlotItem()
        self.legend = theme.add_legend(self.plot, offset=(-4, 4))
        self.curves: dict[str, pg.PlotCurveItem] = {}
        for name, colour in theme.OPTIMIZER_COLOURS.items():
            self.curves[name] = pg.PlotCurveItem(pen=theme.pen(colour, 2))
            self.plot.addItem(self.curves[name])
        self.best = pg.InfiniteLine(0, angle=0, pen=theme.pen(theme.GREEN, 1.5, pg.QtCore.Qt.PenStyle.DashLine))
        self.plot.addItem(self.best)
        self._legend_for: tuple[str, ...] | None = None
        self._steps = np.arange(0)

    def _step_axis(self, n: int) -> np.ndarray:
        """0 … n − 1, kept between frames (only grown), so a frame makes no new axis."""
        if self._steps.size < n:
            self._steps = np.arange(max(n, 2 * self._steps.size))
        return self._steps[:n]

    def draw(self, results: DescentLabResults) -> None:
        if self.best.value() != results.best_cost:
            self.best.setValue(results.best_cost)
        for name, curve in self.curves.items():
            racer = results.racers.get(name)
            if racer is None:
                if curve.xData is not None and len(curve.xData):
                    curve.setData([], [])
                continue
            curve.setData(self._step_axis(racer.costs.size), racer.costs)
        if results.racing != self._legend_for:
            self.legend.clear()
            for name, racer in results.racers.items():
                self.legend.addItem(self.curves[name], racer.title)
            self._legend_for = results.racing
        theme.stable_range(self.plot, x=(0, results.curve_steps),
                           y=(results.best_cost, results.curve_top + 1e-12), margin=0.05)

    def refit(self, results: DescentLabResults) -> None:
        self.plot.setRange(xRange=(0, results.curve_steps), yRange=(results.best_cost, results.curve_top + 1e-12))
