"""Data and fit: the points, the line ŷ = w·x + b, and each point's residual segment.

Residual segments are coloured by that point's loss (dark: small, bright: large). They
are drawn as a handful of curves, one per colour band, so a frame costs a few draw
calls whatever the number of points; with more points than pixel columns only the
longest segment of each sign per column is drawn (``longest_per_column``). The points are
a cached bitmap, and a point being moved is drawn on its own (``MovablePoints``), so a drag
frame costs a blit of the others whatever their number.

The legend sits in the corner where it covers no point; when every corner holds points
the fitted range takes a little room at the top or bottom for it (``place_legend``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem

from lossdesk.model.results.regression import RegressionSnapshot
from lossdesk.qt import theme

SMOOTH_SEGMENTS = 300
POINT_SIZE = 10
#: legend offsets (pyqtgraph: positive from the left/top, negative from the right/bottom),
#: in the order a corner is preferred when several are free
CORNERS = ((6, 6), (-6, 6), (-6, -6), (6, -6))


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


class _StandIn(pg.ScatterPlotItem):
    """Draws the one point being moved; the mouse goes through it to the points below."""

    def mouseClickEvent(self, ev):  # noqa: N802 (Qt naming)
        ev.ignore()


class MovablePoints(DraggablePoints):
    """Draggable points that move one point without redrawing the others.

    The points are drawn once into a cached bitmap (``DeviceCoordinateCache``): a blit per
    frame however many there are. Moving any point through the item itself would throw
    that bitmap away and draw all N again every frame. So when only one point moves (a
    point dragged, an outlier's slider), that point is hidden in the bitmap once and
    drawn by a one-point stand-in (``stand_in``, a child item with the same look) at
    its new position; the bitmap is kept. Any other change (several points moved, points
    added or removed) puts the point back and redraws them all. Picking (``index_at``)
    finds the moved point where it is drawn.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.stand_in = _StandIn(size=kwargs.get("size", 7))
        self.stand_in.setParentItem(self)
        self.stand_in.setVisible(False)
        self.moved_row: int | None = None  # the row the stand-in draws (hidden in the bitmap)

    def setPen(self, *args, **kwargs):  # noqa: N802 — the stand-in looks like the others
        super().setPen(*args, **kwargs)
        if hasattr(self, "stand_in"):
            self.stand_in.setPen(*args, **kwargs)

    def setBrush(self, *args, **kwargs):  # noqa: N802
        super().setBrush(*args, **kwargs)
        if hasattr(self, "stand_in"):
            self.stand_in.setBrush(*args, **kwargs)

    def set_positions(self, x: np.ndarray, y: np.ndarray) -> None:
        """New positions of all the points (same count or not)."""
        if x.size != len(self.data) or x.size == 0:
            self._put_back()
            self.setData(x=x, y=y)
            return
        moved = np.flatnonzero((self.data["x"] != x) | (self.data["y"] != y))
        if moved.size == 0:
            return
        if moved.size > 1 or (self.moved_row is not None and int(moved[0]) != self.moved_row):
            self._put_back()
            move_positions(self, x, y)
            return
        row = int(moved[0])
        if self.moved_row is None:  # the first move of this point: hide it in the bitmap, once
            self.moved_row = row
            self.data["visible"][row] = False
            self.invalidate()
            self.stand_in.setData(x=x[row:row + 1], y=y[row:row + 1])
            self.stand_in.setVisible(True)
        else:
            move_positions(self.stand_in, x[row:row + 1], y[row:row + 1])
        # the bitmap holds the old position of a hidden point: no need to redraw it
        self.data["x"][row] = x[row]
        self.data["y"][row] = y[row]

    def _put_back(self) -> None:
        """The moved point drawn with the others again (their bitmap redrawn once)."""
        if self.moved_row is None:
            return
        if self.moved_row < len(self.data):
            self.data["visible"][self.moved_row] = True
        self.moved_row = None
        self.stand_in.setVisible(False)
        self.stand_in.setData(x=[], y=[])
        move_positions(self, self.data["x"], self.data["y"])

    def index_at(self, pos: QPointF) -> int | None:
        if self.moved_row is not None and len(self.stand_in.pointsAt(pos)):
            return self.moved_row
        return super().index_at(pos)


def longest_per_column(x: np.ndarray, residual: np.ndarray, x0: float, x1: float, columns: int) -> np.ndarray:
    """A mask of the longest segment |rᵢ| above the line (rᵢ > 0) and the longest below it
    (rᵢ ≤ 0) in each of ``columns`` pixel columns over [x0, x1] (points left or right of
    the range share the column just outside it). Of equally long ones, the last point.

    One pass of ``np.maximum.at`` per reduction, O(n) with no sort. Residuals are finite
    (the data are, and the line is bounded).
    """
    col = np.clip(((x - x0) / ((x1 - x0) or 1.0) * columns).astype(np.int64), -1, columns)
    key = (col + 1) * 2 + (residual > 0)  # 0 … 2·columns + 3
    length = np.abs(residual)
    longest = np.full(2 * columns + 4, -np.inf)
    np.maximum.at(longest, key, length)
    ties = np.flatnonzero(length == longest[key])  # each group's longest (maybe a few equal)
    last = np.full(longest.size, -1, dtype=np.int64)
    np.maximum.at(last, key[ties], ties)
    keep = np.zeros(x.size, dtype=bool)
    keep[last[last >= 0]] = True
    return keep


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
        self.points = MovablePoints(size=POINT_SIZE, hoverable=False)  # a cached bitmap; one moves alone
        self.plot.addItem(self.points)
        self.highlight = pg.ScatterPlotItem(size=18, pen=pg.mkPen(theme.VERMILLION, width=3), brush=None)
        self.selection = pg.ScatterPlotItem(size=22, pen=pg.mkPen(theme.ORANGE, width=3), brush=None)
        self.outlier = pg.ScatterPlotItem(size=14, symbol="star", brush=pg.mkBrush(theme.ORANGE))
        for item in (self.outlier, self.highlight, self.selection):
            item.setZValue(10)
            item.setVisible(False)  # shown with its first point
            self.plot.addItem(item)
        self.legend = theme.add_legend(self.plot, offset=CORNERS[0])
        self.legend.addItem(self.line, "current line")
        self.legend.addItem(self.best_line, "best line")
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._marked: dict[int, tuple[float, float] | None] = {}  # what each mark item shows
        self._fitted = False  # the range was fitted to the data (so a resize may make room again)
        vb = self.plot.getViewBox()
        vb.sigResized.connect(self._resized)
        self._own_move = False
        vb.sigRangeChanged.connect(self._range_changed)
        vb.sigRangeChangedManually.connect(self._moved_by_hand)
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        """Points and star outlined in the theme's ink; the legend measured anew for its corner."""
        self.points.setPen(pg.mkPen(look.ink, width=1))
        self.points.setBrush(pg.mkBrush(look.point_fill))
        self.outlier.setPen(pg.mkPen(look.ink))
        self._marked.pop(id(self.outlier), None)  # redrawn with the new pen on the next show
        theme.style_legend(self.legend, look)  # before measuring: the plot is restyled after us
        self._resized()

    # ------------------------------------------------------------------ drawing
    def set_points(self, x: np.ndarray, y: np.ndarray, fit_view: bool | str = False) -> None:
        """New point positions. ``fit_view``: True fits the range to them, "grow" only widens
        it to keep every point in sight (a slider held down), False leaves it (a point dragged
        by the mouse, which must stay under the hand)."""
        self._x, self._y = x, y
        self.points.set_positions(x, y)
        if fit_view == "grow":
            self.keep_in_view()
        elif fit_view:
            self.fit_range()

    def _data_range(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        x, y = self._x, self._y
        if x.size == 0:
            return None
        x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
        if not all(np.isfinite((x0, x1, y0, y1))):
            return None
        # a single point or a flat row still gets a range a class can read
        px = 0.08 * (x1 - x0) or max(0.5, 0.1 * abs(x0))
        py = 0.12 * (y1 - y0) or max(0.5, 0.1 * abs(y0))
        return (x0 - px, x1 + px), (y0 - py, y1 + py)

    def fit_range(self) -> None:
        """The range fitted to the points, with room for the legend where it covers none."""
        wanted = self._data_range()
        if wanted is None:
            return
        self._set_range(xRange=wanted[0], yRange=wanted[1])
        self._fitted = True
        self.place_legend(make_room=True)

    def keep_in_view(self) -> None:
        """Widen the range (never shrink it) until every point is inside."""
        wanted = self._data_range()
        if wanted is None:
            return
        (cx0, cx1), (cy0, cy1) = self.plot.viewRange()
        (wx0, wx1), (wy0, wy1) = wanted
        x0, x1, y0, y1 = min(cx0, wx0), max(cx1, wx1), min(cy0, wy0), max(cy1, wy1)
        if (x0, x1, y0, y1) != (cx0, cx1, cy0, cy1):
            self._set_range(xRange=(x0, x1), yRange=(y0, y1))
            self.place_legend(make_room=False)

    def in_view(self) -> bool:
        """Whether every point lies inside the range shown."""
        if self._x.size == 0:
            return True
        (x0, x1), (y0, y1) = self.plot.viewRange()
        return bool(self._x.min() >= x0 and self._x.max() <= x1 and self._y.min() >= y0 and self._y.max() <= y1)

    # ------------------------------------------------------------------ the legend
    def _legend_box(self, corner: tuple[int, int]) -> tuple[float, float, float, float]:
        """The legend's rectangle (left, top, right, bottom) in view-box pixels at ``corner``."""
        vb = self.plot.getViewBox()
        w, h = self.legend.width(), self.legend.height()
        vw, vh = vb.width(), vb.height()
        ox, oy = corner
        left = ox if ox > 0 else vw + ox - w
        top = oy if oy > 0 else vh + oy - h
        return left, top, left + w, top + h

    def _covered(self, corner: tuple[int, int]) -> np.ndarray:
        """Which points the legend at ``corner`` would cover (with the points' radius)."""
        vb = self.plot.getViewBox()
        (x0, x1), (y0, y1) = self.plot.viewRange()
        vw, vh = vb.width(), vb.height()
        if self._x.size == 0 or vw <= 0 or vh <= 0 or x1 <= x0 or y1 <= y0:
            return np.zeros(self._x.size, dtype=bool)
        px = (self._x - x0) / (x1 - x0) * vw
        py = (y1 - self._y) / (y1 - y0) * vh
        left, top, right, bottom = self._legend_box(corner)
        r = POINT_SIZE / 2 + 2
        return (px >= left - r) & (px <= right + r) & (py >= top - r) & (py <= bottom + r)

    def corner(self) -> tuple[int, int]:
        """The legend's offset now (one of ``CORNERS``)."""
        return tuple(int(v) for v in self.legend.opts["offset"])  # type: ignore[return-value]

    def covered_points(self) -> int:
        """How many points the legend covers where it is now."""
        return int(self._covered(self.corner()).sum())

    def place_legend(self, make_room: bool = False) -> None:
        """Put the legend in a corner that covers no point (the first free one of ``CORNERS``).

        With none free and ``make_room``, the y range grows at the top or the bottom (whichever
        needs less) just enough for a free band under the legend; otherwise it takes the corner
        covering the fewest points.
        """
        if self._x.size == 0:
            return
        counts = [int(self._covered(c).sum()) for c in CORNERS]
        best = int(np.argmin(counts))
        if counts[best] and make_room:
            room = self._make_room()
            if room is not None:
                self._set_range(yRange=room[1])
                best = room[0]
        corner = CORNERS[best]
        if self.corner() != corner:
            self.legend.setOffset(corner)

    def _make_room(self) -> tuple[int, tuple[float, float]] | None:
        """(corner, y range) with the least added height that frees the legend's band."""
        vb = self.plot.getViewBox()
        vw, vh = vb.width(), vb.height()
        (x0, x1), (y0, y1) = self.plot.viewRange()
        if vw <= 0 or vh <= 0 or x1 <= x0:
            return None
        r = POINT_SIZE / 2 + 2
        need = self.legend.height() + 6 + 2 * r  # pixels from the edge that must stay empty
        a = need / vh
        if a >= 0.6:  # a tiny plot: the legend would take most of it
            return None
        px = (self._x - x0) / (x1 - x0) * vw
        options = []
        for k, corner in enumerate(CORNERS):
            left, _top, right, _bottom = self._legend_box(corner)
            under = (px >= left - r) & (px <= right + r)
            if not under.any():
                return k, (y0, y1)
            if corner[1] > 0:  # at the top: the highest point under it must sit below the band
                top = (float(self._y[under].max()) - a * y0) / (1 - a)
                options.append((top - y1, k, (y0, max(y1, top))))
            else:
                bottom = (float(self._y[under].min()) - a * y1) / (1 - a)
                options.append((y0 - bottom, k, (min(y0, bottom), y1)))
        _extra, k, yr = min(options)
        return k, yr

    def _resized(self) -> None:
        if self._fitted:
            self.fit_range()  # the legend's share of the plot changed: fit again, making room
        else:
            self.place_legend()

    def _set_range(self, **ranges) -> None:
        """Change the range as the view's own choice (any other change is the user's)."""
        self._own_move = True
        try:
            self.plot.setRange(padding=0, **ranges)
        finally:
            self._own_move = False

    def _range_changed(self, *_args) -> None:
        if not self._own_move:
            self._moved_by_hand()

    def _moved_by_hand(self, *_args) -> None:
        self._fitted = False  # the user's own pan or zoom is theirs to keep

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
                if item.isVisible():  # an empty item still costs a paint: hide it
                    item.setData([], [])
                    item.setVisible(False)
                continue
            sx = np.repeat(x[mask], 2)
            sy = np.empty(sx.size)
            sy[0::2] = y[mask]
            sy[1::2] = pred[mask]
            item.setData(sx, sy, antialias=smooth)
            if not item.isVisible():
                item.setVisible(True)

    def _visible_segments(self, x: np.ndarray, residual: np.ndarray) -> np.ndarray:
        """Which segments to draw: all, unless there are more than pixel columns.

        Then, in each pixel column, the longest segment above the line and the longest
        below it cover all the others, so only those are drawn; the picture is the same.
        """
        columns = int(self.plot.getViewBox().width())
        if x.size <= 2 * max(columns, 1):
            return np.ones(x.size, dtype=bool)
        (x0, x1), _ = self.plot.viewRange()
        return longest_per_column(x, residual, x0, x1, columns)

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
                item.setVisible(False)  # an empty scatter item still costs a paint
            else:
                item.setData([at[0]], [at[1]])
                item.setVisible(True)

    # ------------------------------------------------------------------ picking
    def nearest_point(self, scene_pos: QPointF) -> int | None:
        return nearest_point(self.plot, self._x, self._y, scene_pos)
