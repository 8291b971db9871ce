"""The descent lab's surface: every optimizer's trail and ball on the data's own cost.

At each ball: the gradient arrow (the way downhill, −∇C) and, for methods that carry
momentum (Momentum, Nesterov, Adam), the velocity arrow: the step just taken, which
momentum makes differ from the gradient. Each kind of arrow has one scale for every
racer, so lengths compare.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model import DescentRun
from lossdesk.qt import style
from lossdesk.qt.views.loss_surface import SurfacePlot

ARROW_FRACTION = 0.12  # the longest arrow, as a share of the window's width


class RaceSurfaceView(SurfacePlot):
    def __init__(self) -> None:
        super().__init__()
        self.start = pg.ScatterPlotItem(size=13, symbol="s", brush=None, pen=pg.mkPen("w", width=2))
        self.start.setZValue(15)
        self.plot.addItem(self.start)
        self.trails: dict[str, pg.PlotCurveItem] = {}
        self.balls: dict[str, pg.ScatterPlotItem] = {}
        self.gradients: dict[str, pg.PlotCurveItem] = {}
        self.velocities: dict[str, pg.PlotCurveItem] = {}
        for name, colour in style.OPTIMIZER_COLOURS.items():
            self.trails[name] = pg.PlotCurveItem(pen=style.pen(colour, 2))
            self.balls[name] = pg.ScatterPlotItem(size=14, brush=pg.mkBrush(colour), pen=pg.mkPen("w", width=1.5))
            self.gradients[name] = pg.PlotCurveItem(pen=style.pen("#ffffff", 2, Qt.PenStyle.DotLine))
            self.velocities[name] = pg.PlotCurveItem(pen=style.pen(colour, 3))
            for item in (self.trails[name], self.gradients[name], self.velocities[name], self.balls[name]):
                item.setZValue(20)
                self.plot.addItem(item)

    def show_points(self, start: tuple[float, float], optimum: tuple[float, float]) -> None:
        self.start.setData([start[0]], [start[1]])
        self.optimum.setData([optimum[0]], [optimum[1]])

    def show_runs(self, runs: dict[str, DescentRun], shown: set[str]) -> None:
        (w0, w1), _ = self.plot.viewRange()
        longest = ARROW_FRACTION * (w1 - w0)
        arrows = {}
        for name in self.trails:
            run = runs.get(name)
            if run is None or name not in shown:
                for item in (self.trails[name], self.balls[name], self.gradients[name], self.velocities[name]):
                    item.setData([], [])
                continue
            path = np.asarray(run.thetas)
            self.trails[name].setData(path[:, 0], path[:, 1])
            ball = path[-1]
            symbol = "x" if run.status == "diverged" else "o"
            self.balls[name].setData([ball[0]], [ball[1]], symbol=symbol)
            downhill = -np.asarray(run.gradients[-1])
            velocity = self._velocity(run)
            arrows[name] = (ball, downhill, velocity)
        g_scale = longest / max([np.linalg.norm(a[1]) for a in arrows.values()] + [1e-300])
        steps = [np.linalg.norm(a[2]) for a in arrows.values() if a[2] is not None]
        v_scale = longest / max(steps + [1e-300])
        self.arrow_scales = (g_scale, v_scale)
        for name, (ball, downhill, velocity) in arrows.items():
            g = downhill * g_scale
            self.gradients[name].setData([ball[0], ball[0] + g[0]], [ball[1], ball[1] + g[1]])
            if velocity is None:
                self.velocities[name].setData([], [])
            else:
                v = velocity * v_scale
                self.velocities[name].setData([ball[0], ball[0] + v[0]], [ball[1], ball[1] + v[1]])

    @staticmethod
    def _velocity(run: DescentRun) -> np.ndarray | None:
        """The step just taken, for the methods whose step carries momentum."""
        if run.optimizer.name not in ("momentum", "nesterov", "adam") or run.steps == 0:
            return None
        return np.asarray(run.thetas[-1]) - np.asarray(run.thetas[-2])
