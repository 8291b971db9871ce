"""Loss surface: the cost over (w, b) as a heat map with contour lines.

Marked on it: the current (w, b) as a handle the mouse can drag, the exact optimum,
and the descent path with a ball at its head. The colour range and the contour lines
arrive computed (``lossdesk.model.contours``); all levels are one NaN-separated curve.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Signal

from lossdesk.model.contours import SurfaceLines
from lossdesk.model.results.regression import SurfaceWindow
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import move_positions

HANDLE_SIZE = 16


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
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        """The ball's outline in the theme's ink (it may roll off the map onto the background)."""
        self.ball.setPen(pg.mkPen(look.ink, width=1.5))

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

    def _handle_moved(self) -> None:
        if self._updating_handle:
            return
        pos = self.handle.pos()
        self.handleMoved.emit(float(pos.x()), float(pos.y()))
