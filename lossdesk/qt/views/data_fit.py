"""Data and fit: the points, the line ŷ = w·x + b, and each point's residual segment.

Residual segments are coloured by that point's loss (dark: small, bright: large). They
are drawn as a handful of curves, one per colour band, so a frame costs a few draw
calls whatever the number of points.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem

from lossdesk.model.results.regression import RegressionSnapshot
from lossdesk.qt import theme

SMOOTH_SEGMENTS = 300


class DraggablePoints(pg.ScatterPlotItem):
    """Scatter points the mouse can pick up and move."""

    dragStarted = Signal(int)
    dragMoved = Signal(int, float, float)
    dragFinished = Signal(int)
    clicked = Signal(int)
    contextRequested = Signal(int, QPointF)  # point index, screen position

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._dragging: int | None = None

    def index_at(self, pos: QPointF) -> int | None:
        points = self.pointsAt(pos)
        return int(points[0].index()) if len(points) else None

    def mouseDragEvent(self, ev):  # noqa: N802 (Qt naming)
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            self._dragging = self.index_at(ev.buttonDownPos())
            if self._dragging is None:
                ev.ignore()
                return
            self.dragStarted.emit(self._dragging)
        elif self._dragging is None:
            ev.ignore()
            return
        ev.accept()
        pos = ev.pos()
        self.dragMoved.emit(self._dragging, float(pos.x()), float(pos.y()))
        if ev.isFinish():
            index, self._dragging = self._dragging, None
            self.dragFinished.emit(index)

    def mouseClickEvent(self, ev):  # noqa: N802
        index = self.index_at(ev.pos())
        if index is None:
            ev.ignore()
            return
        ev.accept()
        if ev.button() == Qt.MouseButton.RightButton:
            self.contextRequested.emit(index, ev.screenPos())
        elif ev.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(index)


def nearest_point(plot: pg.PlotItem, xs: np.ndarray, ys: np.ndarray, scene_pos: QPointF,
                  radius_px: float = 12.0) -> int | None:
    """The point within ``radius_px`` screen pixels of a scene position, if any."""
    if xs.size == 0 or not plot.sceneBoundingRect().contains(scene_pos):
        return None
    vb = plot.getViewBox()
    p = vb.mapSceneToView(scene_pos)
    sx, sy = vb.viewPixelSize()
    if sx <= 0 or sy <= 0:
        return None
    d2 = ((xs - p.x()) / sx) ** 2 + ((ys - p.y()) / sy) ** 2
    i = int(np.argmin(d2))
    return i if d2[i] <= radius_px**2 else None


def move_positions(item: pg.ScatterPlotItem, x: np.ndarray, y: np.ndarray) -> None:
    """Move scatter points without rebuilding their styles (setData restyles every point)."""
    item.data["x"] = x
    item.data["y"] = y
    item.prepareGeometryChange()
    item.informViewBoundsChanged()
    item.bounds = [None, None]
    item.invalidate()


class DataFitView:
    """Owns the plot and its items; ``show`` draws a snapshot."""

    def __init__(self) -> None:
        self.widget = theme.plot_widget("x", "y")
        self.plot = self.widget.getPlotItem()
        self.segments = []
        for colour in theme.loss_band_colours():
            item = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(color=colour, width=2.5))
            self.plot.addItem(item)
            self.segments.append(item)
        self.line = pg.PlotCurveItem(pen=theme.pen(theme.BLUE, 3))
        self.plot.addItem(self.line)
        self.best_line = pg.PlotCurveItem(pen=theme.pen(theme.GREEN, 1.5, Qt.PenStyle.DashLine))
        self.plot.addItem(self.best_line)
        self.points = DraggablePoints(size=10, pen=pg.mkPen(theme.INK, width=1), brush=pg.mkBrush("#ffffff"),
                                      hoverable=False)
        self.points.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # still points: a blit
        self.plot.addItem(self.points)
        self.highlight = pg.ScatterPlotItem(size=18, pen=pg.mkPen(theme.VERMILLION, width=3), brush=None)
        self.selection = pg.ScatterPlotItem(size=22, pen=pg.mkPen(theme.ORANGE, width=3), brush=None)
        self.outlier = pg.ScatterPlotItem(size=14, symbol="star", pen=pg.mkPen(theme.INK), brush=pg.mkBrush(theme.ORANGE))
        for item in (self.outlier, self.highlight, self.selection):
            item.setZValue(10)
            self.plot.addItem(item)
        legend = theme.add_legend(self.plot, offset=(6, 6))
        legend.addItem(self.line, "current line ŷ = w·x + b")
        legend.addItem(self.best_line, "best line for this loss")
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._marked: dict[int, tuple[float, float] | None] = {}  # what each mark item shows

    # ------------------------------------------------------------------ drawing
    def set_points(self, x: np.ndarray, y: np.ndarray, fit_view: bool = False) -> None:
        same_count = x.size == self._x.size and x.size > 0
        self._x, self._y = x, y
        if same_count:
            move_positions(self.points, x, y)
        else:
            self.points.setData(x=x, y=y)
        if fit_view:
            self.fit_range()

    def fit_range(self) -> None:
        x, y = self._x, self._y
        if x.size == 0:
            return
        px = 0.08 * (np.ptp(x) or 1.0)
        py = 0.12 * (np.ptp(y) or 1.0)
        self.plot.setRange(xRange=(x.min() - px, x.max() + px), yRange=(y.min() - py, y.max() + py), padding=0)

    def _line_xs(self) -> np.ndarray:
        (x0, x1), _ = self.plot.viewRange()
        if self._x.size:
            x0, x1 = min(x0, self._x.min()), max(x1, self._x.max())
        return np.array([x0, x1])

    def show(self, snap: RegressionSnapshot) -> None:
        xs = self._line_xs()
        self.line.setData(xs, snap.w * xs + snap.b)
        band = theme.loss_bands(snap.losses)
        x, y, pred = self._x, self._y, snap.predictions
        smooth = x.size <= SMOOTH_SEGMENTS  # thousands of antialiased lines cost ~200 ms a frame
        shown = self._visible_segments(x, y - pred)
        for k, item in enumerate(self.segments):
            mask = (band == k) & shown
            if not mask.any():
                item.setData([], [])
                continue
            sx = np.repeat(x[mask], 2)
            sy = np.empty(sx.size)
            sy[0::2] = y[mask]
            sy[1::2] = pred[mask]
            item.setData(sx, sy, antialias=smooth)

    def _visible_segments(self, x: np.ndarray, residual: np.ndarray) -> np.ndarray:
        """Which segments to draw: all, unless there are more than pixel columns.

        Then, in each pixel column, the longest segment above the line and the longest
        below it cover all the others, so only those are drawn; the picture is the same.
        """
        columns = int(self.plot.getViewBox().width())
        if x.size <= 2 * max(columns, 1):
            return np.ones(x.size, dtype=bool)
        (x0, x1), _ = self.plot.viewRange()
        col = np.clip(((x - x0) / ((x1 - x0) or 1.0) * columns).astype(np.int64), -1, columns)
        key = col * 2 + (residual > 0)
        order = np.lexsort((np.abs(residual), key))
        ordered = key[order]
        last = np.ones(order.size, dtype=bool)
        last[:-1] = ordered[1:] != ordered[:-1]
        keep = np.zeros(x.size, dtype=bool)
        keep[order[last]] = True
        return keep

    def show_best(self, w: float, b: float) -> None:
        xs = self._line_xs()
        self.best_line.setData(xs, w * xs + b)

    def show_marks(self, hover: int | None, selected: int | None, outlier: int | None) -> None:
        """Rings on the hovered and selected points and a star on the outlier (None: none)."""
        for item, row in ((self.highlight, hover), (self.selection, selected), (self.outlier, outlier)):
            at = None if row is None or row >= self._x.size else (float(self._x[row]), float(self._y[row]))
            if at == self._marked.get(id(item), False):
                continue  # unchanged: setData would restyle and repaint it
            self._marked[id(item)] = at
            if at is None:
                item.setData([], [])
            else:
                item.setData([at[0]], [at[1]])

    # ------------------------------------------------------------------ picking
    def nearest_point(self, scene_pos: QPointF) -> int | None:
        return nearest_point(self.plot, self._x, self._y, scene_pos)
