"""The valley in 3-D: the cost surface as a rotatable mesh with the racers rolling on it.

Needs OpenGL. Where no OpenGL context can be made (the offscreen platform, some remote
desktops) or PyOpenGL is missing, the panel says so plainly and the rest of the app
carries on in 2-D.

The results place everything: the mesh on its ground square, the heights, and every
racer's trail just above the mesh. This view only hands them to OpenGL.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QOpenGLContext
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lossdesk.model.results.descent_lab import DescentLabResults, ValleyMesh
from lossdesk.qt import theme


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
        self.mesh_shown: ValleyMesh | None = None
        self.heights = np.zeros((0, 0))
        self.ball_positions: dict[str, np.ndarray] = {}
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
        for name, colour in theme.OPTIMIZER_COLOURS.items():
            rgba = pg.mkColor(colour).getRgbF()
            self.trails[name] = gl.GLLinePlotItem(width=2.5, color=rgba, antialias=True, glOptions="translucent")
            self.balls[name] = gl.GLScatterPlotItem(size=14, color=rgba, pxMode=True, glOptions="translucent")
            self.view.addItem(self.trails[name])
            self.view.addItem(self.balls[name])

    # ------------------------------------------------------------------ drawing
    def draw(self, results: DescentLabResults) -> None:
        mesh = results.valley
        if mesh is not self.mesh_shown:
            self.mesh_shown = mesh
            self.heights = mesh.heights
            if self.available:
                colours = pg.colormap.get(theme.SURFACE_CMAP).map(mesh.shades.ravel(), mode="float")
                self.mesh.setData(x=mesh.ground_w, y=mesh.ground_b, z=mesh.heights, colors=colours.reshape(-1, 4))
        self.ball_positions = {name: trail[-1] for name, trail in results.valley_trails.items()}
        if not self.available:
            return
        empty = np.zeros((0, 3))
        for name in theme.OPTIMIZER_COLOURS:
            trail = results.valley_trails.get(name)
            self.trails[name].setData(pos=empty if trail is None else trail)
            self.balls[name].setData(pos=empty if trail is None else trail[-1:])
