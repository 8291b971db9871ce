"""The valley in 3-D: the cost surface as a rotatable mesh with the racers rolling on it.

Needs OpenGL. Where no OpenGL context can be made (the offscreen platform, some remote
desktops) or PyOpenGL is missing, the panel says so plainly and the rest of the app
carries on in 2-D.

The results place everything: the mesh on its ground square, the heights, every
racer's trail just above the mesh, every ball clear of the mesh around it, and the
axes (w along the front, b along the right, the cost standing up at the left, with a
ground grid and labelled ticks). This view only hands them to OpenGL, in the theme's
colours: background, axis ink and label text follow light and dark.

Balls are drawn after the surface and without the depth test, so a ball is never
buried in the mesh, and balls at the same point all show: each ball is a coloured dot
on a slightly larger ring in the theme's ink, all of them one item (ring, ball, ring,
ball, … in the app's optimizer order, later ones on top), because every item costs a
draw call each frame.

OpenGL draws into its own ``QOpenGLWindow`` (``ValleyWindow``), shown inside the panel
through ``QWidget.createWindowContainer``, never a ``QOpenGLWidget``: one of those
anywhere in the main window, even hidden, switches the whole window to OpenGL
compositing, which halves every frame rate on software OpenGL. The window, its
container and its items are made the first time the panel is shown, so a session that
never opens the descent lab makes no OpenGL window at all.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QGuiApplication, QImage, QOpenGLContext
from PySide6.QtOpenGL import QOpenGLWindow
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QVBoxLayout, QWidget

from lossdesk.model.results.descent_lab import DescentLabResults, ValleyAxes, ValleyMesh
from lossdesk.qt import theme
from lossdesk.qt.views.race_surface import BALL_MARKS

#: depth values: the order OpenGL items are drawn in (later on top)
MESH_DEPTH, GUIDE_DEPTH, BALL_DEPTH = 0, 1, 10
TIP = "Drag to turn the valley, scroll to zoom"


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


def _window_class() -> type:
    """pyqtgraph's 3-D view (its ``GLViewMixin``: camera, items, mouse) on a ``QOpenGLWindow``.

    pyqtgraph ships the mixin only on a ``QOpenGLWidget``; the window needs the one
    widget method its items call besides those a window has (``rect``, for text labels).
    """
    from pyqtgraph.opengl.GLViewWidget import GLViewMixin

    class ValleyWindow(GLViewMixin, QOpenGLWindow):
        def rect(self) -> QRect:
            return QRect(0, 0, self.width(), self.height())

        def picture(self) -> QImage:
            """What the window shows, drawn again now (an empty image before it is on screen)."""
            return self.grabFramebuffer() if self.isExposed() and self.isValid() else QImage()

    return ValleyWindow


class Valley3D(QWidget):
    def __init__(self, problem: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.problem = problem
        self.available = problem is None
        self.mesh_shown: ValleyMesh | None = None
        self.heights = np.zeros((0, 0))
        self.ball_positions: dict[str, np.ndarray] = {}
        #: the OpenGL window and its container: made when the panel is first shown
        self.view = None
        self.container: QWidget | None = None
        self._results: DescentLabResults | None = None
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
            self._layout.addWidget(self.message)
            return
        self.setToolTip(TIP)
        theme.follow(self.restyle)

    # ------------------------------------------------------------------ the OpenGL window
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.build_view()

    def build_view(self) -> None:
        """Make the OpenGL window, its container and its items (once), and draw what is known."""
        if not self.available or self.view is not None:
            return
        import pyqtgraph.opengl as gl
        from OpenGL import GL

        view = self.view = _window_class()()
        view.setCameraPosition(distance=34, elevation=28, azimuth=-60)
        self.container = QWidget.createWindowContainer(view, self)
        self.container.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the arrow keys turn the valley too
        self.container.setToolTip(TIP)
        self.container.setMinimumSize(40, 40)
        self._layout.addWidget(self.container)
        self.container.show()  # now, not at the layout's queued show: the first frame has it
        self.mesh = gl.GLSurfacePlotItem(smooth=False, drawEdges=False, glOptions="opaque")
        self.mesh.setDepthValue(MESH_DEPTH)
        view.addItem(self.mesh)
        self.grid = gl.GLLinePlotItem(mode="lines", width=1, antialias=True, glOptions="translucent")
        self.axis_lines = gl.GLLinePlotItem(mode="lines", width=2, antialias=True, glOptions="translucent")
        for item in (self.grid, self.axis_lines):
            item.setDepthValue(GUIDE_DEPTH)
            view.addItem(item)
        for item in (self.mesh, self.grid, self.axis_lines):
            item.setVisible(False)  # until there is a surface to draw (an empty mesh cannot be drawn)
        self.tick_labels: list = []
        self.title_labels: list = []
        self.trails: dict[str, object] = {}
        on_top = {GL.GL_DEPTH_TEST: False, GL.GL_BLEND: True, GL.GL_CULL_FACE: False,
                  "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)}
        for name, colour in theme.OPTIMIZER_COLOURS.items():
            self.trails[name] = gl.GLLinePlotItem(width=2.5, color=_rgba(colour), antialias=True,
                                                  glOptions="translucent")
            self.trails[name].setDepthValue(GUIDE_DEPTH)
            self.trails[name].setVisible(False)
            view.addItem(self.trails[name])
        #: every racer's ring and ball, in that order, racer after racer
        self.balls = gl.GLScatterPlotItem(pxMode=True, glOptions=on_top)
        self.balls.setDepthValue(BALL_DEPTH)
        view.addItem(self.balls)
        #: the racers whose balls are drawn, in the order of their (ring, ball) pairs
        self.balls_drawn: tuple[str, ...] = ()
        self._mesh_drawn: ValleyMesh | None = None
        self._axes_drawn: ValleyAxes | None = None
        self._trails_drawn: dict[str, np.ndarray | None] = {}
        self._balls_key: tuple | None = None
        self.restyle(theme.look())
        if self._results is not None:
            self._draw_items(self._results)

    def picture(self) -> QImage:
        """The 3-D view as it is drawn now (an empty image where there is none).

        ``grab`` and ``render`` of this widget (or of the main window) cannot see inside
        the OpenGL window: they leave its place blank. A picture of the panel (an export,
        a screenshot) must take this and lay it over ``container`` (its geometry in this
        widget)."""
        return self.view.picture() if self.view is not None else QImage()

    # ------------------------------------------------------------------ theme
    def restyle(self, look: theme.Look) -> None:
        """Background, axes, grid, rings and labels in the theme's colours and text size."""
        if self.view is None:
            return
        self.view.setBackgroundColor(look.background)
        self.axis_lines.setData(color=_rgba(look.ink))
        self.grid.setData(color=_rgba(look.muted, 0.45))
        self._balls_key = None  # the rings take the new ink at the next draw
        if self._results is not None:
            self._draw_balls(self._results)
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
        self._results = results
        if results.valley is not self.mesh_shown:
            self.mesh_shown = results.valley
            self.heights = results.valley.heights
        self.ball_positions = dict(results.valley_balls)
        if self.view is not None:
            self._draw_items(results)

    def _draw_items(self, results: DescentLabResults) -> None:
        """Hand OpenGL only what changed: a new mesh or axes, a trail that grew, a ball that moved."""
        mesh = results.valley
        if mesh is not self._mesh_drawn:
            self._mesh_drawn = mesh
            colours = pg.colormap.get(theme.SURFACE_CMAP).map(mesh.shades.ravel(), mode="float")
            self.mesh.setData(x=mesh.ground_w, y=mesh.ground_b, z=mesh.heights, colors=colours.reshape(-1, 4))
            self.mesh.setVisible(True)
        if results.valley_axes is not self._axes_drawn:
            self._axes_drawn = results.valley_axes
            self._show_axes(results.valley_axes)
            self.grid.setVisible(True)
            self.axis_lines.setVisible(True)
        for name in theme.OPTIMIZER_COLOURS:
            trail = results.valley_trails.get(name)
            if self._trails_drawn.get(name, False) is trail:
                continue  # the results hand out the same array while a racer has not moved
            self._trails_drawn[name] = trail
            self.trails[name].setVisible(trail is not None)
            if trail is not None:
                self.trails[name].setData(pos=trail)
        self._draw_balls(results)

    def _draw_balls(self, results: DescentLabResults) -> None:
        names = tuple(name for name in theme.OPTIMIZER_COLOURS if name in results.valley_balls)
        key = (names, b"".join(results.valley_balls[name].tobytes() for name in names))
        if key == self._balls_key:
            return
        self._balls_key = key
        self.balls_drawn = names
        ink = _rgba(theme.look().ink)
        pos = np.zeros((2 * len(names), 3))
        colours = np.zeros((2 * len(names), 4))
        sizes = np.zeros(2 * len(names))
        for k, name in enumerate(names):
            pos[2 * k] = pos[2 * k + 1] = results.valley_balls[name]
            colours[2 * k], colours[2 * k + 1] = ink, _rgba(theme.OPTIMIZER_COLOURS[name])
            sizes[2 * k], sizes[2 * k + 1] = BALL_MARKS[name].size + 4, BALL_MARKS[name].size
        self.balls.setVisible(bool(names))
        self.balls.setData(pos=pos, color=colours, size=sizes)
