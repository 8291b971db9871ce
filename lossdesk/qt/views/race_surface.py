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
from PySide6.QtWidgets import QGraphicsItem

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
    """Draws a ``DescentLabResults`` on the surface; every item is set only when its data changed.

    Items are few, because each one costs a paint every frame: one white dotted item for
    every racer's way-downhill arrow (over one dark halo item), one scatter item for every
    ball (stacked bottom to top in ``BALL_ORDER``, so smaller balls lie on larger ones),
    one for their light rings; a trail and a velocity arrow per racer (their colours).
    Items of racers not racing, and velocity arrows with no step yet, are hidden, not
    drawn empty.
    """

    def __init__(self) -> None:
        super().__init__()
        # the surface and its contour lines change only with the data or the loss, but the balls
        # moving over them repaint them every frame: Qt keeps them as pixels at screen size
        # (scaling the 128² image to the plot each frame costs more than all the balls)
        for item in (self.image, self.contours):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # the start and the optimum: white with a dark edge, readable on every colour of the map
        self.start_halo = pg.ScatterPlotItem(size=13, symbol="s", brush=None, pen=pg.mkPen(HALO, width=5))
        self.start = pg.ScatterPlotItem(size=13, symbol="s", brush=None, pen=pg.mkPen(RING, width=2))
        self.start_halo.setZValue(14)
        self.start.setZValue(15)
        self.plot.addItem(self.start_halo)
        self.plot.addItem(self.start)
        self.optimum.setPen(pg.mkPen(HALO, width=1.5))
        # every racer's white way-downhill dots, over one dark line along the same segments
        self.gradient_halo = pg.PlotCurveItem(connect="pairs", pen=theme.pen(HALO, 4.5))
        self.gradient_halo.setZValue(19)
        self.gradient_lines = pg.PlotCurveItem(connect="pairs", pen=theme.pen(RING, 2, Qt.PenStyle.DotLine))
        self.gradient_lines.setZValue(20)
        for item in (self.gradient_halo, self.gradient_lines):
            self.plot.addItem(item)
        self.trails: dict[str, pg.PlotCurveItem] = {}
        self.velocities: dict[str, pg.PlotCurveItem] = {}
        self._brushes = {name: pg.mkBrush(colour) for name, colour in theme.OPTIMIZER_COLOURS.items()}
        for name, colour in theme.OPTIMIZER_COLOURS.items():
            self.trails[name] = pg.PlotCurveItem(pen=theme.pen(colour, 2))
            self.velocities[name] = pg.PlotCurveItem(pen=theme.pen(colour, 3))
            for item in (self.trails[name], self.velocities[name]):
                item.setZValue(20)
                item.setVisible(False)
                self.plot.addItem(item)
        # every ball, in BALL_ORDER (later points lie on earlier ones): a dark edge (reads on
        # the yellow walls), inside a light ring (on the purple floor) drawn by the item under it
        self.balls = pg.ScatterPlotItem(pen=pg.mkPen(HALO, width=1.2))
        self.balls.setZValue(30)
        self.ball_halo = pg.ScatterPlotItem(brush=None, pen=pg.mkPen(RING, width=4))
        self.ball_halo.setZValue(29)
        self.plot.addItem(self.ball_halo)
        self.plot.addItem(self.balls)
        self._surface: object | None = None
        self._points: tuple | None = None
        self._trails_shown: dict[str, np.ndarray | None] = {}
        self._velocities_shown: dict[str, tuple | None] = {}
        self._balls_shown: tuple | None = None
        self._arrows_shown: bytes | None = None
        #: the balls as drawn, bottom to top: (name, symbol) per point
        self.ball_order: tuple[tuple[str, str], ...] = ()

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
        for name in theme.OPTIMIZER_COLOURS:
            racer = results.racers.get(name)
            # the results hand out the same trail array while a racer has not moved
            thetas = None if racer is None else racer.thetas
            if self._trails_shown.get(name, False) is not thetas:
                self._trails_shown[name] = thetas
                self.trails[name].setVisible(thetas is not None)
                if thetas is not None:
                    self.trails[name].setData(thetas[:, 0], thetas[:, 1])
            velocity = None if racer is None or racer.velocity_arrow is None else racer.velocity_arrow
            key = None if velocity is None else velocity.tobytes()
            if self._velocities_shown.get(name, False) != key:
                self._velocities_shown[name] = key
                self.velocities[name].setVisible(velocity is not None)
                if velocity is not None:
                    self.velocities[name].setData(velocity[:, 0], velocity[:, 1])
        order = [name for name in BALL_ORDER if name in results.racers]
        balls = tuple((name, results.racers[name].ball, "x" if results.racers[name].diverged else BALL_MARKS[name].symbol)
                      for name in order)
        if balls != self._balls_shown:
            self._balls_shown = balls
            self.ball_order = tuple((name, symbol) for name, _ball, symbol in balls)
            xs = [ball[0] for _name, ball, _symbol in balls]
            ys = [ball[1] for _name, ball, _symbol in balls]
            symbols = [symbol for _name, _ball, symbol in balls]
            sizes = [BALL_MARKS[name].size for name in order]
            self.balls.setData(xs, ys, symbol=symbols, size=sizes, brush=[self._brushes[name] for name in order])
            self.ball_halo.setData(xs, ys, symbol=symbols, size=sizes)
        arrows = [racer.gradient_arrow for racer in results.racers.values()]
        pairs = np.concatenate(arrows) if arrows else np.zeros((0, 2))
        if pairs.tobytes() != self._arrows_shown:
            self._arrows_shown = pairs.tobytes()
            for item in (self.gradient_halo, self.gradient_lines):
                item.setData(pairs[:, 0], pairs[:, 1])

    def refit(self, results: DescentLabResults) -> None:
        (w0, w1), (b0, b1) = results.window.w_range, results.window.b_range
        self.plot.setRange(xRange=(w0, w1), yRange=(b0, b1), padding=0)
