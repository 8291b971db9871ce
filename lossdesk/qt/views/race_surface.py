"""The descent lab's surface: every optimizer's trail and ball on the data's own cost.

At each ball: the gradient arrow (the way downhill, −∇C) and, for methods that carry
momentum (Momentum, Nesterov, Adam), the velocity arrow: the step just taken, which
momentum makes differ from the gradient. The results scale each kind of arrow once for
every racer, so lengths compare; this view only draws them.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.descent_lab import DescentLabResults
from lossdesk.qt import theme
from lossdesk.qt.views.loss_surface import SurfacePlot


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
        for name, colour in theme.OPTIMIZER_COLOURS.items():
            self.trails[name] = pg.PlotCurveItem(pen=theme.pen(colour, 2))
            self.balls[name] = pg.ScatterPlotItem(size=14, brush=pg.mkBrush(colour), pen=pg.mkPen("w", width=1.5))
            self.gradients[name] = pg.PlotCurveItem(pen=theme.pen("#ffffff", 2, Qt.PenStyle.DotLine))
            self.velocities[name] = pg.PlotCurveItem(pen=theme.pen(colour, 3))
            for item in (self.trails[name], self.gradients[name], self.velocities[name], self.balls[name]):
                item.setZValue(20)
                self.plot.addItem(item)
        self._surface: object | None = None
        self._points: tuple | None = None
        self._drawn: set[str] = set(self.trails)  # clear every racer's items on the first draw

    def draw(self, results: DescentLabResults) -> None:
        if results.surface is not self._surface:
            self.show_surface(results.window, results.surface, results.lines)
            self._surface = results.surface
        points = (results.start, results.best)
        if points != self._points:
            self.start.setData([results.start[0]], [results.start[1]])
            self.optimum.setData([results.best[0]], [results.best[1]])
            self._points = points
        for name in self._drawn - set(results.racers):
            for item in (self.trails[name], self.balls[name], self.gradients[name], self.velocities[name]):
                item.setData([], [])
        for name, racer in results.racers.items():
            self.trails[name].setData(racer.thetas[:, 0], racer.thetas[:, 1])
            self.balls[name].setData([racer.ball[0]], [racer.ball[1]], symbol="x" if racer.diverged else "o")
            arrow = racer.gradient_arrow
            self.gradients[name].setData(arrow[:, 0], arrow[:, 1])
            velocity = racer.velocity_arrow
            if velocity is None:
                self.velocities[name].setData([], [])
            else:
                self.velocities[name].setData(velocity[:, 0], velocity[:, 1])
        self._drawn = set(results.racers)

    def refit(self, results: DescentLabResults) -> None:
        (w0, w1), (b0, b1) = results.window.w_range, results.window.b_range
        self.plot.setRange(xRange=(w0, w1), yRange=(b0, b1), padding=0)
