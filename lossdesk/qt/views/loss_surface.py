"""Loss surface: the cost over (w, b) as a heat map with contour lines.

Marked on it: the current (w, b) as a handle the mouse can drag, the exact optimum,
and the descent path with a ball at its head. The colour range and the contour lines
arrive computed (``lossdesk.model.contours``); all levels are one NaN-separated curve.

With a penalty it may also show the penalty's own level lines (dashed, one NaN-separated
curve: ``show_penalty_lines``) and the regularisation path, the optimum for each λ, with
a ring at the current λ's (``show_reg_path``). Empty arrays hide them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Qt, Signal

from lossdesk.model.contours import SurfaceLines
from lossdesk.model.results.regression import SurfaceWindow
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import move_positions

HANDLE_SIZE = 16
#: the penalty's level lines and the regularisation path (pale: they lie on the map)
PENALTY_LINE_COLOUR = "#9fd8f7"
REG_PATH_COLOUR = "#f4a6d0"


class SurfacePlot:
    """A cost surface as a heat map with contour lines and a star at the optimum."""

    def __init__(self) -> None:
        self.widget = theme.plot_widget("w (slope)", "b (intercept)")
        self.plot = self.widget.getPlotItem()
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get(theme.SURFACE_CMAP))
        self.plot.addItem(self.image)
        self.contours = pg.PlotCurveItem(connect="finite", pen=pg.mkPen(255, 255, 255, 150, width=1))
        self.plot.addItem(self.contours)
        self.optimum = pg.ScatterPlotItem(size=16, symbol="star", brush=pg.mkBrush(theme.GREEN),
                                          pen=pg.mkPen("w", width=1.5))
        self.optimum.setZValue(15)
        self.plot.addItem(self.optimum)
        self.window: SurfaceWindow | None = None
        self.z = np.zeros((1, 1))

    def show_surface(self, window: SurfaceWindow, z: np.ndarray, lines: SurfaceLines) -> None:
        """The heat map in the lines' colour range, and the contour lines over it."""
        self.z = z
        self.image.setImage(z, levels=lines.colour_range, autoLevels=False)
        (w0, w1), (b0, b1) = window.w_range, window.b_range
        self.image.setRect(QRectF(w0, b0, w1 - w0, b1 - b0))
        if window != self.window:
            self.plot.setRange(xRange=(w0, w1), yRange=(b0, b1), padding=0)
            self.window = window
        self.contours.setData(lines.x, lines.y)


class LossSurfaceView(QObject, SurfacePlot):
    handleMoved = Signal(float, float)  # the user dragged the current-(w, b) handle

    def __init__(self) -> None:
        QObject.__init__(self)
        SurfacePlot.__init__(self)
        self.path = pg.PlotCurveItem(pen=theme.pen(theme.ORANGE, 2))
        self.plot.addItem(self.path)
        self.ball = pg.ScatterPlotItem(size=15, brush=pg.mkBrush(theme.ORANGE))
        self.plot.addItem(self.ball)
        # The handle sits on the heat map, bright and dark alike: a white cross-hair with a
        # dark halo under it shows on every colour of the map, in either theme.
        self.halo = pg.ScatterPlotItem(pos=[(0.0, 0.0)], size=HANDLE_SIZE, symbol="crosshair", brush=None,
                                       pen=pg.mkPen(0, 0, 0, 150, width=4.5))
        self.halo.setZValue(19)
        self._halo_at = (0.0, 0.0)
        self.plot.addItem(self.halo)
        self.handle = pg.TargetItem(pos=(0, 0), size=HANDLE_SIZE, movable=True, pen=pg.mkPen("w", width=2),
                                    brush=pg.mkBrush(0, 0, 0, 0))
        self.handle.setZValue(20)
        self.handle.sigPositionChanged.connect(self._handle_moved)
        self.plot.addItem(self.handle)
        self._updating_handle = False
        self._path_shown: np.ndarray | None = None  # the path drawn now
        self.ball.setZValue(15)
        # the penalty's level lines and the regularisation path (hidden until given)
        self.penalty_lines = pg.PlotCurveItem(connect="finite")
        self.reg_path = pg.PlotCurveItem()
        self.reg_marker = pg.ScatterPlotItem(size=13, symbol="o", brush=None)
        for z, item in ((8, self.penalty_lines), (12, self.reg_path), (14, self.reg_marker)):
            item.setZValue(z)
            item.setVisible(False)
            self.plot.addItem(item)
        self._penalty_lines_shown: tuple | None = None
        self._reg_path_shown: tuple | None = None
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        """The ball's outline in the theme's ink (it may roll off the map onto the background).

        The penalty's lines and the regularisation path lie on the map, which is the same
        in both themes: pale colours that show on its dark valley, and are neither the
        white contours nor the orange descent."""
        self.ball.setPen(pg.mkPen(look.ink, width=1.5))
        self.penalty_lines.setPen(pg.mkPen(PENALTY_LINE_COLOUR, width=1.5, style=Qt.PenStyle.DashLine))
        self.reg_path.setPen(pg.mkPen(REG_PATH_COLOUR, width=2.5))
        self.reg_marker.setPen(pg.mkPen(REG_PATH_COLOUR, width=2.5))

    def set_axis_labels(self, x_label: str, y_label: str) -> None:
        self.plot.setLabel("bottom", x_label)
        self.plot.setLabel("left", y_label)

    def show_optimum(self, w: float, b: float) -> None:
        self.optimum.setData([w], [b])

    def show_current(self, w: float, b: float) -> None:
        self._updating_handle = True
        try:
            self.handle.setPos(w, b)
        finally:
            self._updating_handle = False
        if (w, b) != self._halo_at:  # setData restyles the item: only when the handle moved
            self._halo_at = (w, b)
            self.halo.setData([w], [b])

    def show_path(self, thetas: np.ndarray | None) -> None:
        empty = thetas is None or len(thetas) == 0
        for item in (self.path, self.ball):  # an empty item still costs a paint: hidden
            if item.isVisible() == empty:
                item.setVisible(not empty)
        if empty:
            self._path_shown = None
            self.path.setData([], [])
            self.ball.setData([], [])
            return
        thetas = np.asarray(thetas, dtype=float)
        last = self._path_shown
        if last is not None and last.shape == thetas.shape and np.array_equal(last, thetas):
            return  # the same path (a drag without a run): nothing to redraw
        self._path_shown = thetas.copy()
        self.path.setData(thetas[:, 0], thetas[:, 1])
        if len(self.ball.data) == 1:
            move_positions(self.ball, thetas[-1:, 0], thetas[-1:, 1])  # setData would restyle it
        else:
            self.ball.setData([thetas[-1, 0]], [thetas[-1, 1]])

    def show_penalty_lines(self, x: np.ndarray, y: np.ndarray) -> None:
        """The penalty's level lines, NaN between lines (empty arrays hide them)."""
        empty = len(x) == 0
        if empty and self._penalty_lines_shown is None and not self.penalty_lines.isVisible():
            return  # (every frame without a penalty)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if self.penalty_lines.isVisible() == empty:
            self.penalty_lines.setVisible(not empty)
        if empty:
            self._penalty_lines_shown = None
            return
        shown = self._penalty_lines_shown
        if shown is not None and np.array_equal(shown[0], x, equal_nan=True) \
                and np.array_equal(shown[1], y, equal_nan=True):
            return
        self._penalty_lines_shown = (x.copy(), y.copy())
        self.penalty_lines.setData(x, y)

    def show_reg_path(self, w: np.ndarray, b: np.ndarray, current: tuple[float, float] | None) -> None:
        """The regularisation path (the optimum for each λ) as a curve, a ring at ``current``
        (the current λ's optimum); empty ``w`` hides both, ``current`` None the ring."""
        empty = len(w) == 0
        if empty and self._reg_path_shown is None and not self.reg_path.isVisible():
            return  # (every frame without a penalty)
        w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
        ring = not empty and current is not None
        if self.reg_path.isVisible() == empty:
            self.reg_path.setVisible(not empty)
        if self.reg_marker.isVisible() != ring:
            self.reg_marker.setVisible(ring)
        if empty:
            self._reg_path_shown = None
            return
        shown = self._reg_path_shown
        if shown is None or not (np.array_equal(shown[0], w) and np.array_equal(shown[1], b)):
            self.reg_path.setData(w, b)
            self._reg_path_shown = (w.copy(), b.copy(), None)
        if ring and self._reg_path_shown[2] != tuple(current):
            self._reg_path_shown = (*self._reg_path_shown[:2], tuple(current))
            if len(self.reg_marker.data) == 1:
                move_positions(self.reg_marker, [current[0]], [current[1]])  # setData would restyle it
            else:
                self.reg_marker.setData([current[0]], [current[1]])

    def _handle_moved(self) -> None:
        if self._updating_handle:
            return
        pos = self.handle.pos()
        self.handleMoved.emit(float(pos.x()), float(pos.y()))
