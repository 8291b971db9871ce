"""The valley in 3-D: the cost surface as a rotatable mesh with the racers rolling on it.

Needs OpenGL. Where no OpenGL context can be made (the offscreen platform, some remote
desktops) or PyOpenGL is missing, the panel says so plainly and the rest of the app
carries on in 2-D.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QOpenGLContext
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lossdesk.model import DescentRun
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.qt import style

SPAN = 10.0  # the mesh spans −SPAN … SPAN on both ground axes
HEIGHT = 7.0  # the height of the window's 95th-percentile cost
CLIP = 1.4  # costs above CLIP × that height are cut flat, so the walls stay in view


def opengl_problem() -> str | None:
    """Why the 3-D view cannot be shown here, or None when it can."""
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return "there is no screen to draw OpenGL on (offscreen rendering)"
    try:
        import OpenGL.GL  # noqa: F401, PLC0415
        import pyqtgraph.opengl  # noqa: F401, PLC0415
    except ImportError:
        return "the PyOpenGL package is not installed"
    context = QOpenGLContext()
    if not context.create():
        return "this display offers no OpenGL context"
    return None


class Valley3D(QWidget):
    def __init__(self, problem: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.problem = problem
        self.available = problem is None
        self.window: SurfaceWindow | None = None
        self._scale = (0.0, 1.0)
        if not self.available:
            self.message = QLabel(
                f"<b>The 3-D valley is not available here</b>: {problem}.<br><br>"
                "Everything else works: the 2-D surface beside this panel shows the same valley "
                "from above, with the same balls rolling on it."
            )
            self.message.setWordWrap(True)
            self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.message.setStyleSheet("QLabel { color: #444; padding: 12px; }")
            layout.addWidget(self.message)
            return
        import pyqtgraph.opengl as gl  # noqa: PLC0415

        self.view = gl.GLViewWidget()
        self.view.setBackgroundColor("w")
        self.view.setCameraPosition(distance=30, elevation=30, azimuth=-60)
        self.view.setToolTip("Drag to turn the valley, scroll to zoom")
        layout.addWidget(self.view)
        self.mesh = gl.GLSurfacePlotItem(smooth=False, drawEdges=False, glOptions="opaque")
        self.view.addItem(self.mesh)
        self.trails: dict[str, object] = {}
        self.balls: dict[str, object] = {}
        for name, colour in style.OPTIMIZER_COLOURS.items():
            rgba = pg.mkColor(colour).getRgbF()
            self.trails[name] = gl.GLLinePlotItem(width=2.5, color=rgba, antialias=True, glOptions="translucent")
            self.balls[name] = gl.GLScatterPlotItem(size=14, color=rgba, pxMode=True, glOptions="translucent")
            self.view.addItem(self.trails[name])
            self.view.addItem(self.balls[name])

    # ------------------------------------------------------------------ mapping
    def _ground(self, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        assert self.window is not None
        (w0, w1), (b0, b1) = self.window.w_range, self.window.b_range
        return ((np.asarray(w) - w0) / (w1 - w0) * 2 - 1) * SPAN, ((np.asarray(b) - b0) / (b1 - b0) * 2 - 1) * SPAN

    def height(self, cost: np.ndarray) -> np.ndarray:
        lo, hi = self._scale
        return np.clip((np.asarray(cost) - lo) / (hi - lo), 0.0, CLIP) * HEIGHT

    # ------------------------------------------------------------------ drawing
    def show_surface(self, window: SurfaceWindow, z: np.ndarray) -> None:
        self.window = window
        lo, hi = float(z.min()), float(np.percentile(z, 95))
        self._scale = (lo, hi if hi > lo else lo + 1.0)
        if not self.available:
            return
        gx, gy = self._ground(window.w_grid, window.b_grid)
        heights = self.height(z)
        colours = pg.colormap.get(style.SURFACE_CMAP).map(np.clip(heights / HEIGHT, 0, 1).ravel(), mode="float")
        self.mesh.setData(x=gx, y=gy, z=heights, colors=colours.reshape(-1, 4))
        self.heights = heights

    def show_runs(self, runs: dict[str, DescentRun], shown: set[str]) -> None:
        self.ball_positions: dict[str, np.ndarray] = {}
        if self.window is None:
            return
        for name in style.OPTIMIZER_COLOURS:
            run = runs.get(name)
            if run is None or name not in shown:
                if self.available:
                    self.trails[name].setData(pos=np.zeros((0, 3)))
                    self.balls[name].setData(pos=np.zeros((0, 3)))
                continue
            path = np.asarray(run.thetas)
            gx, gy = self._ground(path[:, 0], path[:, 1])
            pos = np.column_stack([gx, gy, self.height(run.costs) + 0.15])  # just above the mesh
            self.ball_positions[name] = pos[-1]
            if self.available:
                self.trails[name].setData(pos=pos)
                self.balls[name].setData(pos=pos[-1:])
