"""The race of cross-entropy against squared error on p from a confidently wrong start.

Both losses train the same logistic model on the same points from the same start by plain
gradient descent (a ``WrongStartRace`` from the results). Their costs are in different
units, so the plot shows what means the same for both: the share of points classified
right after each step. A dashed line marks the share the race counts as done, a dot the
step each loss first gets there. The colours are the gradient plot's (``NAMES``,
``COLOURS``): the page says once which is which.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.classification import WrongStartRace
from lossdesk.qt import theme
from lossdesk.qt.views.confidence_gradient import COLOURS, NAMES

Y_TOP = 1.05


def shown_steps(race: WrongStartRace) -> float:
    """The steps the plot spans: twice the slower loss's, when both get there (the fast one's
    few steps would be a sliver against the axis otherwise), else every step run."""
    reached = list(race.reached.values())
    if any(k is None for k in reached):
        return float(race.steps)
    return float(min(race.steps, max(20, 2 * max(reached))))


class BrierRaceView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("step", "share right")
        self.plot = self.widget.getPlotItem()
        self.plot.disableAutoRange()
        self.plot.setRange(xRange=(0.0, 300.0), yRange=(0.0, Y_TOP), padding=0.02)
        self.plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in (0.0, 0.25, 0.5, 0.75, 1.0)]])
        self.target = pg.InfiniteLine(1.0, angle=0)
        self.target.setVisible(False)
        self.plot.addItem(self.target)
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.dots: dict[str, pg.ScatterPlotItem] = {}
        for name in NAMES:
            curve = pg.PlotCurveItem(pen=theme.pen(COLOURS[name], 2.5))
            curve.setVisible(False)
            self.plot.addItem(curve)
            self.curves[name] = curve
            dot = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(COLOURS[name]))
            dot.setZValue(5)
            dot.setVisible(False)
            self.plot.addItem(dot)
            self.dots[name] = dot
        self.race: WrongStartRace | None = None
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        self.target.setPen(theme.pen(look.muted, 1.2, Qt.PenStyle.DashLine))
        for dot in self.dots.values():
            dot.setPen(pg.mkPen(look.ink, width=1))

    def show(self, race: WrongStartRace | None) -> None:
        """Each loss's share of points right after every step, and the step it got there (None: empty)."""
        self.race = race
        if race is None:
            for item in (*self.curves.values(), *self.dots.values(), self.target):
                item.setVisible(False)
            return
        for name, curve in self.curves.items():
            share = np.asarray(race.accuracy[name], dtype=float)
            curve.setData(np.arange(share.size), share)
            curve.setVisible(True)
            step = race.reached.get(name)
            dot = self.dots[name]
            dot.setVisible(step is not None)
            if step is not None:
                dot.setData([step], [share[step]])
        self.target.setValue(race.target)
        self.target.setVisible(True)
        self.plot.setRange(xRange=(0.0, shown_steps(race)), yRange=(0.0, Y_TOP), padding=0.02)

    def drawn(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The curve of loss ``name`` as drawn (x, y)."""
        x, y = self.curves[name].getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (np.asarray(x), np.asarray(y))
