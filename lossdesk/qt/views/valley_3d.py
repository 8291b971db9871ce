"""The valley in 3-D: the cost surface as a rotatable mesh with the racers rolling on it.

Needs OpenGL. Where no OpenGL context can be made (the offscreen platform, some remote
desktops) or PyOpenGL is missing, the panel says so plainly and the rest of the app
carries on in 2-D.

The results place everything: the mesh on its ground square, the heights, every
racer's trail just above the mesh, every ball clear of the mesh around it, and the
axes (w along the front, b along the right, the cost standing up at the left, with a
ground grid and labelled ticks). This view only hands them to OpenGL, in the theme's
colours: background, axis ink and label text follow light and dark.

Balls are drawn after the surface and without the depth test, largest first, so a
ball is never buried in the mesh and balls at the same point all show.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QOpenGLContext
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QVBoxLayout, QWidget

from lossdesk.model.results.descent_lab import DescentLabResults, ValleyAxes, ValleyMesh
from lossdesk.qt import theme
from lossdesk.qt.views.race_surface import BALL_MARKS

#: depth values: the order OpenGL items are drawn in (later on top)
MESH_DEPTH, GUIDE_DEPTH, BALL_DEPTH = 0, 1, 10


def opengl_problem() -> str | None:
    """Why the 3-D view cannot be shown here, or None when it can."""
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return "there is no screen to draw OpenGL on (offscreen rendering)"
    try:
        import OpenGL.GL  # noqa: F401
        import pyqtgraph.opengl  # noqa: F401
    except ImportError:
        return "the PyOpenGL package is not installed"
    context = QOpenGLContext()
    if not context.create():
        return "this display offers no OpenGL context"
    return None


def _message_style(look: theme.Look) -> str:
    return f"QLabel {{ color: {look.muted}; padding: 12px; }}"


def _rgba(colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    r, g, b, _ = pg.mkColor(colour).getRgbF()
    return (r, g, b, alpha)


class Valley3D(QWidget):
    def __init__(self, problem: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.problem = problem
        self.available = problem is None
        self.mesh_shown: ValleyMesh | None = None
        self.axes_shown: ValleyAxes | None = None
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
            # the text wraps to any width: it must not hold the plots beside it apart at larger text
            self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.message.setMinimumWidth(60)
            theme.styled(self.message, _message_style)
            layout.addWidget(self.message)
            return
        import pyqtgraph.opengl as gl
        from OpenGL import GL

        self.view = gl.GLViewWidget()
        self.view.setCameraPosition(distance=34, elevation=28, azimuth=-60)
        self.view.setToolTip("Drag to turn the valley, scroll to zoom")
        layout.addWidget(self.view)
        self.mesh = gl.GLSurfacePlotItem(smooth=False, drawEdges=False, glOptions="opaque")
        self.mesh.setDepthValue(MESH_DEPTH)
        self.view.addItem(self.mesh)
        self.grid = gl.GLLinePlotItem(mode="lines", width=1, antialias=True, glOptions="translucent")
        self.axis_lines = gl.GLLinePlotItem(mode="lines", width=2, antialias=True, glOptions="translucent")
        for item in (self.grid, self.axis_lines):
            item.setDepthValue(GUIDE_DEPTH)
            self.view.addItem(item)
        self.tick_labels: list = []
        self.title_labels: list = []
        self.trails: dict[str, object] = {}
        self.rings: dict[str, object] = {}
        self.balls: dict[str, object] = {}
        on_top = {GL.GL_DEPTH_TEST: False, GL.GL_BLEND: True, GL.GL_CULL_FACE: False,
                  "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)}
        for k, (name, colour) in enumerate(theme.OPTIMIZER_COLOURS.items()):
            size = BALL_MARKS[name].size
            self.trails[name] = gl.GLLinePlotItem(width=2.5, color=_rgba(colour), antialias=True,
                                                  glOptions="translucent")
            self.trails[name].setDepthValue(GUIDE_DEPTH)
            # a ring: a slightly larger dot in the theme's ink under the coloured one
            self.rings[name] = gl.GLScatterPlotItem(size=size + 4, pxMode=True, glOptions=on_top)
            self.balls[name] = gl.GLScatterPlotItem(size=size, color=_rgba(colour), pxMode=True, glOptions=on_top)
            self.rings[name].setDepthValue(BALL_DEPTH + 2 * k)
            self.balls[name].setDepthValue(BALL_DEPTH + 2 * k + 1)
            for item in (self.trails[name], self.rings[name], self.balls[name]):
                self.view.addItem(item)
        theme.follow(self.restyle)

    # ------------------------------------------------------------------ theme
    def restyle(self, look: theme.Look) -> None:
        """Background, axes, grid, rings and labels in the theme's colours and text size."""
        if not self.available:
            return
        self.view.setBackgroundColor(look.background)
        self.axis_lines.setData(color=_rgba(look.ink))
        self.grid.setData(color=_rgba(look.muted, 0.45))
        for ring in self.rings.values():
            ring.setData(color=_rgba(look.ink))
        for label in self.tick_labels + self.title_labels:
            label.setData(color=pg.mkColor(look.ink), font=self._font(look, label in self.title_labels))

    @staticmethod
    def _font(look: theme.Look, bold: bool) -> QFont:
        app = QApplication.instance()
        font = QFont(app.font()) if app else QFont()
        font.setPointSizeF(look.pt(8.5))
        font.setBold(bold)
        return font

    def _show_axes(self, axes: ValleyAxes) -> None:
        import pyqtgraph.opengl as gl

        look = theme.look()
        self.axis_lines.setData(pos=axes.lines, color=_rgba(look.ink))
        self.grid.setData(pos=axes.grid, color=_rgba(look.muted, 0.45))
        for label in self.tick_labels + self.title_labels:
            self.view.removeItem(label)
        self.tick_labels, self.title_labels = [], []
        for labels, texts, bold in ((self.tick_labels, axes.ticks, False), (self.title_labels, axes.titles, True)):
            for pos, text in texts:
                label = gl.GLTextItem(pos=np.array(pos, dtype=float), text=text, color=pg.mkColor(look.ink),
                                      font=self._font(look, bold),
                                      alignment=Qt.AlignmentFlag.AlignCenter)
                label.setDepthValue(GUIDE_DEPTH)
                self.view.addItem(label)
                labels.append(label)

    # ------------------------------------------------------------------ drawing
    def draw(self, results: DescentLabResults) -> None:
        mesh = results.valley
        if mesh is not self.mesh_shown:
            self.mesh_shown = mesh
            self.heights = mesh.heights
            if self.available:
                colours = pg.colormap.get(theme.SURFACE_CMAP).map(mesh.shades.ravel(), mode="float")
                self.mesh.setData(x=mesh.ground_w, y=mesh.ground_b, z=mesh.heights, colors=colours.reshape(-1, 4))
        if results.valley_axes is not self.axes_shown:
            self.axes_shown = results.valley_axes
            if self.available:
                self._show_axes(results.valley_axes)
        self.ball_positions = dict(results.valley_balls)
        if not self.available:
            return
        empty = np.zeros((0, 3))
        for name in theme.OPTIMIZER_COLOURS:
            trail = results.valley_trails.get(name)
            ball = results.valley_balls.get(name)
            self.trails[name].setData(pos=empty if trail is None else trail)
            here = empty if ball is None else ball[None, :]
            self.rings[name].setData(pos=here)
            self.balls[name].setData(pos=here)
