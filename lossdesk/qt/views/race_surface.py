"""The descent lab's surface: every optimizer's trail and ball on the data's own cost.

At each ball: the gradient arrow (white dots: the way straight downhill, −∇C, the
direction of steepest descent) and, for methods that carry momentum (Momentum,
Nesterov, Adam), the velocity arrow in the ball's colour: the step just taken, which
momentum makes differ from the gradient. The results scale each kind of arrow once for
every racer, so lengths compare; this view only draws them.

Every optimizer's ball has its own shape and size as well as its colour (``BALL_MARKS``),
larger ones drawn below smaller ones, so balls that share a point (all of them at the
start) still all show. Every ball has a dark edge inside a light ring, and the white
marks a dark edge, so they read on the bright and the dark parts of the surface alike
(the surface's colours are the same in the light and the dark theme).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from lossdesk.model.results.descent_lab import DescentLabResults
from lossdesk.qt import theme
from lossdesk.qt.views.loss_surface import SurfacePlot


@dataclass(frozen=True)
class BallMark:
    """How one optimizer's ball looks: a pyqtgraph symbol, its size in pixels, and in words."""

    symbol: str
    size: float
    shape: str  # "circle", …
    colour: str  # the colour in words, "blue", …

    def describe(self) -> str:
        return f"{self.colour} {self.shape}"


#: balls at the same point (every ball at the start) show as nested shapes: GD's circle,
#: Adam's star on it, Momentum's square on top; ``BALL_ORDER`` stacks them bottom to top
BALL_MARKS = {
    "gd": BallMark("o", 22, "circle", "blue"),
    "sgd": BallMark("t1", 20, "triangle", "light blue"),
    "momentum": BallMark("s", 11, "square", "orange"),
    "nesterov": BallMark("d", 14, "diamond", "red"),
    "rmsprop": BallMark("t", 18, "down triangle", "green"),
    "adam": BallMark("star", 27, "star", "pink"),
}
BALL_ORDER = ("gd", "sgd", "rmsprop", "adam", "nesterov", "momentum")
#: each optimizer's name where room is short (check boxes, table, a cramped legend)
SHORT_NAMES = {"gd": "GD", "sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov",
               "rmsprop": "RMSProp", "adam": "Adam"}

#: the dark edge of every ball and under white marks (the start, the way-downhill dots)
HALO = (0, 0, 0, 190)
#: white marks and the light ring around the balls (reads on the dark floor of the valley)
RING = "#ffffff"


def ball_icon(name: str, pixels: int = 16) -> QIcon:
    """The optimizer's ball as a small picture (for the status table)."""
    mark = BALL_MARKS[name]
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(QPointF(pixels / 2, pixels / 2))
    scale = (pixels - 3) * min(1.0, mark.size / 16)
    painter.scale(scale, scale)
    painter.setPen(pg.mkPen(theme.INK, width=1.2 / scale))
    painter.setBrush(pg.mkBrush(QColor(theme.OPTIMIZER_COLOURS[name])))
    painter.drawPath(pg.graphicsItems.ScatterPlotItem.Symbols[mark.symbol])
    painter.end()
    return QIcon(pixmap)


class RaceSurfaceView(SurfacePlot):
    def __init__(self) -> None:
        super().__init__()
        # the start and the optimum: white with a dark edge, readable on every colour of the map
        self.start_halo = pg.ScatterPlotItem(size=13, symbol="s", brush=None, pen=pg.mkPen(HALO, width=5))
        self.start = pg.ScatterPlotItem(size=13, symbol="s", brush=None, pen=pg.mkPen(RING, width=2))
        self.start_halo.setZValue(14)
        self.start.setZValue(15)
        self.plot.addItem(self.start_halo)
        self.plot.addItem(self.start)
        self.optimum.setPen(pg.mkPen(HALO, width=1.5))
        # one dark line under every racer's white way-downhill dots
        self.gradient_halo = pg.PlotCurveItem(connect="pairs", pen=theme.pen(HALO, 4.5))
        self.gradient_halo.setZValue(19)
        self.plot.addItem(self.gradient_halo)
        self.trails: dict[str, pg.PlotCurveItem] = {}
        self.balls: dict[str, pg.ScatterPlotItem] = {}
        self.gradients: dict[str, pg.PlotCurveItem] = {}
        self.velocities: dict[str, pg.PlotCurveItem] = {}
        for name, colour in theme.OPTIMIZER_COLOURS.items():
            mark = BALL_MARKS[name]
            self.trails[name] = pg.PlotCurveItem(pen=theme.pen(colour, 2))
            # a dark edge (reads on the yellow walls), inside a light ring (on the purple floor)
            self.balls[name] = pg.ScatterPlotItem(size=mark.size, symbol=mark.symbol, brush=pg.mkBrush(colour),
                                                  pen=pg.mkPen(HALO, width=1.2))
            self.gradients[name] = pg.PlotCurveItem(pen=theme.pen(RING, 2, Qt.PenStyle.DotLine))
            self.velocities[name] = pg.PlotCurveItem(pen=theme.pen(colour, 3))
            for item in (self.trails[name], self.gradients[name], self.velocities[name]):
                item.setZValue(20)
                self.plot.addItem(item)
            self.balls[name].setZValue(30 + BALL_ORDER.index(name))  # smaller balls on top
            self.plot.addItem(self.balls[name])
        # one item for every ball's light outer ring, under all the balls
        self.ball_halo = pg.ScatterPlotItem(brush=None, pen=pg.mkPen(RING, width=4))
        self.ball_halo.setZValue(29)
        self.plot.addItem(self.ball_halo)
        self._surface: object | None = None
        self._points: tuple | None = None
        self._drawn: set[str] = set(self.trails)  # clear every racer's items on the first draw

    def draw(self, results: DescentLabResults) -> None:
        if results.surface is not self._surface:
            self.show_surface(results.window, results.surface, results.lines)
            self._surface = results.surface
        points = (results.start, results.best)
        if points != self._points:
            for item in (self.start, self.start_halo):
                item.setData([results.start[0]], [results.start[1]])
            self.optimum.setData([results.best[0]], [results.best[1]])
            self._points = points
        for name in self._drawn - set(results.racers):
            for item in (self.trails[name], self.balls[name], self.gradients[name], self.velocities[name]):
                item.setData([], [])
        halo_x, halo_y, halo_symbols, halo_sizes, arrows = [], [], [], [], []
        for name, racer in results.racers.items():
            mark = BALL_MARKS[name]
            symbol = "x" if racer.diverged else mark.symbol
            self.trails[name].setData(racer.thetas[:, 0], racer.thetas[:, 1])
            self.balls[name].setData([racer.ball[0]], [racer.ball[1]], symbol=symbol)
            halo_x.append(racer.ball[0])
            halo_y.append(racer.ball[1])
            halo_symbols.append(symbol)
            halo_sizes.append(mark.size)
            arrow = racer.gradient_arrow
            self.gradients[name].setData(arrow[:, 0], arrow[:, 1])
            arrows.append(arrow)
            velocity = racer.velocity_arrow
            if velocity is None:
                self.velocities[name].setData([], [])
            else:
                self.velocities[name].setData(velocity[:, 0], velocity[:, 1])
        self.ball_halo.setData(halo_x, halo_y, symbol=halo_symbols, size=halo_sizes)
        pairs = np.concatenate(arrows) if arrows else np.zeros((0, 2))
        self.gradient_halo.setData(pairs[:, 0], pairs[:, 1])
        self._drawn = set(results.racers)

    def refit(self, results: DescentLabResults) -> None:
        (w0, w1), (b0, b1) = results.window.w_range, results.window.b_range
        self.plot.setRange(xRange=(w0, w1), yRange=(b0, b1), padding=0)
