"""The 3-D valley lives in a QOpenGLWindow inside a window container, made when first shown,
and the descent lab hands its views only what changed.

A ``QOpenGLWidget`` anywhere in the main window (even hidden) switches the whole window to
OpenGL compositing; a ``QOpenGLWindow`` in ``QWidget.createWindowContainer`` leaves it
alone. The offscreen platform has no OpenGL, so where a test needs the 3-D view "working"
it stands a window with pyqtgraph's view logic but no OpenGL context in for it
(``_FakeValleyWindow``); the real class is checked to be a ``QOpenGLWindow``.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QImage, QWindow
from PySide6.QtOpenGL import QOpenGLWindow
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from PySide6.QtWidgets import QWidget

from lossdesk.model import OPTIMIZERS, make_optimizer, run_descent
from lossdesk.model.results.descent_lab import VALLEY_LIFT
from lossdesk.qt.tabs import descent_lab as descent_tab_module
from lossdesk.qt.tabs.descent_lab import DescentLabTab
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.views import valley_3d
from lossdesk.qt.views.valley_3d import Valley3D, opengl_problem
from lossdesk.settings import DescentLabSettings, RegressionSettings, SettingsStore

pytest.importorskip("OpenGL.GL")


def _fake_window_class() -> type:
    """pyqtgraph's 3-D view logic on a plain QWindow: items are built and filled, nothing is drawn."""
    from pyqtgraph.opengl.GLViewWidget import GLViewMixin

    class _FakeValleyWindow(GLViewMixin, QWindow):
        def isValid(self) -> bool:
            return False  # no OpenGL context: items wait for one, as before the first paint

        def update(self) -> None:
            pass

        def rect(self) -> QRect:
            return QRect(0, 0, self.width(), self.height())

        def picture(self) -> QImage:
            return QImage()

    return _FakeValleyWindow


@pytest.fixture
def opengl_works(monkeypatch):
    """As if OpenGL worked here: the tab builds its 3-D panel, which makes a stand-in window."""
    monkeypatch.setattr(descent_tab_module, "opengl_problem", lambda: None)
    monkeypatch.setattr(valley_3d, "_window_class", _fake_window_class)


def make_lab(qtbot, racing=tuple(OPTIMIZERS)) -> DescentLabTab:
    configure_pyqtgraph()
    tab = DescentLabTab(SettingsStore(DescentLabSettings()), SettingsStore(RegressionSettings()))
    qtbot.addWidget(tab)
    tab.store.update(racing=racing)
    tab.resize(1366, 768)
    return tab


def gl_widgets(widget: QWidget) -> list:
    found = widget.findChildren(QOpenGLWidget)
    return found + ([widget] if isinstance(widget, QOpenGLWidget) else [])


# ---------------------------------------------------------------------- made when first shown
def test_the_real_view_is_an_opengl_window_not_an_opengl_widget():
    cls = valley_3d._window_class()
    assert issubclass(cls, QOpenGLWindow)
    assert not issubclass(cls, QWidget)


def test_the_gl_container_is_not_made_until_the_panel_is_shown(qtbot, opengl_works):
    lab = make_lab(qtbot)
    lab.run_steps(5)
    valley = lab.valley
    assert valley.available
    assert valley.view is None and valley.container is None  # built, drawn into, never shown
    lab.show()
    qtbot.waitExposed(lab)
    assert valley.view is not None and valley.container is not None
    assert valley.container.parentWidget() is valley
    assert valley.container.isVisibleTo(lab)
    assert gl_widgets(lab) == []
    # what was drawn before the panel showed is on it now
    results = lab.results()
    assert valley.balls_drawn == tuple(results.racers)
    # a second show makes nothing new
    view, container = valley.view, valley.container
    lab.hide()
    lab.show()
    assert (valley.view, valley.container) == (view, container)


def test_no_opengl_widget_anywhere_in_the_window(qtbot, opengl_works, window):
    assert gl_widgets(window) == []
    if window.descent_lab.valley.isVisible():
        pytest.fail("the window opened on the descent lab: this test needs another tab in front")
    assert window.descent_lab.valley.view is None
    window.set_tab("descent")
    qtbot.wait(50)
    assert gl_widgets(window) == []
    valley = window.descent_lab.valley
    assert valley.available and valley.view is not None
    assert isinstance(valley.container, QWidget) and valley.container.isVisibleTo(window)


def test_a_window_that_never_shows_the_descent_lab_makes_no_3d_view(qtbot, opengl_works):
    lab = make_lab(qtbot)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()  # some other tab in front; the lab is built but hidden
    lab.run_steps(3)
    assert lab.valley.view is None and lab.valley.container is None
    assert gl_widgets(lab) == []


# ---------------------------------------------------------------------- the offscreen fallback
def test_offscreen_the_panel_says_why_and_makes_no_window(qtbot):
    if QGuiApplication.platformName() != "offscreen":
        pytest.skip("only meaningful on the offscreen platform")
    problem = opengl_problem()
    assert problem is not None and "offscreen" in problem
    valley = Valley3D(problem)
    qtbot.addWidget(valley)
    valley.show()
    qtbot.waitExposed(valley)
    assert not valley.available
    assert "not available here" in valley.message.text() and "offscreen" in valley.message.text()
    assert valley.message.isVisibleTo(valley)
    valley.build_view()  # never builds without OpenGL
    assert valley.view is None and valley.container is None
    assert valley.picture().isNull()


# ---------------------------------------------------------------------- what the views draw
def test_the_3d_view_draws_the_model_layers_trajectories(qtbot, opengl_works):
    lab = make_lab(qtbot)
    lab.valley.build_view()  # what its first show does (not shown: there is no OpenGL here)
    lab.run_steps(12)
    results = lab.results()
    mesh = results.valley
    data, reg = lab.reg_store.value.data, lab.reg_store.value
    from lossdesk.model import line_objective

    objective = line_objective(data.x, data.y, reg.loss, **reg.params)
    for name in results.racers:
        if name == "sgd":
            continue  # its batches are its own random draws: compared through the race below
        expected = run_descent(objective, make_optimizer(name, **lab.store.value.optimizers[name].values),
                               np.array(results.start), max_steps=12, gradient_tol=1e-8)
        gw, gb = mesh.ground(expected.thetas[:, 0], expected.thetas[:, 1])
        lifted = np.column_stack([gw, gb, mesh.height(expected.costs) + VALLEY_LIFT])
        np.testing.assert_allclose(lab.valley.trails[name].pos, lifted)
        np.testing.assert_allclose(np.column_stack(lab.surface_view.trails[name].getData()), expected.thetas)
        np.testing.assert_allclose(lab.curves_view.curves[name].getData()[1], expected.costs)
    for k, name in enumerate(lab.valley.balls_drawn):
        np.testing.assert_allclose(lab.valley.balls.pos[2 * k + 1], results.valley_balls[name])
        np.testing.assert_allclose(lab.valley.trails[name].pos, results.valley_trails[name])
    # the 2-D balls: one item, bottom to top, each at its racer's ball
    xs, ys = lab.surface_view.balls.getData()
    for (name, _symbol), x, y in zip(lab.surface_view.ball_order, xs, ys):
        assert (x, y) == results.racers[name].ball


def test_a_racer_that_stopped_is_not_drawn_again(qtbot, opengl_works):
    lab = make_lab(qtbot, racing=("gd", "momentum"))
    lab.valley.build_view()
    lab.lrs["gd"].setValue(3.0)  # gd diverges within a few dozen steps and stops there
    lab.run_steps(200)
    assert lab.results().racers["gd"].diverged and lab.results().racers["momentum"].status == "running"
    calls: dict[str, int] = {}

    def counting(key, item):
        original = item.setData

        def wrapper(*args, **kwargs):
            calls[key] = calls.get(key, 0) + 1
            return original(*args, **kwargs)

        item.setData = wrapper

    for name in ("gd", "momentum"):
        counting(f"trail {name}", lab.surface_view.trails[name])
        counting(f"curve {name}", lab.curves_view.curves[name])
        counting(f"3-D trail {name}", lab.valley.trails[name])
    counting("3-D mesh", lab.valley.mesh)
    counting("surface image", lab.surface_view.image)
    lab.run_steps(5)
    assert calls.get("trail momentum") == 1 and calls.get("curve momentum") == 1
    assert calls.get("3-D trail momentum") == 1
    for key in ("trail gd", "curve gd", "3-D trail gd", "3-D mesh", "surface image"):
        assert key not in calls, f"{key} was set again with the same data"


def test_racers_not_racing_are_hidden_not_drawn_empty(qtbot, opengl_works):
    lab = make_lab(qtbot, racing=("gd", "adam"))
    lab.valley.build_view()
    lab.run_steps(3)
    for name in OPTIMIZERS:
        racing = name in ("gd", "adam")
        assert lab.surface_view.trails[name].isVisible() == racing
        assert lab.curves_view.curves[name].isVisible() == racing
        assert lab.valley.trails[name].visible() == racing
    assert not lab.surface_view.velocities["gd"].isVisible()  # no momentum: no velocity arrow
    assert lab.surface_view.velocities["adam"].isVisible()
    assert lab.valley.balls_drawn == ("gd", "adam")


def test_the_step_axis_moves_only_at_its_stops(qtbot):
    lab = make_lab(qtbot, racing=("gd",))
    lab.show()
    qtbot.waitExposed(lab)
    lab.run_steps(31)  # 32 points: the axis runs to 40
    first = lab.curves_view.plot.viewRange()[0]
    assert first[1] >= 40
    lab.run_steps(5)  # still inside 40: the axis (its labels and grid) stays as it is
    assert lab.curves_view.plot.viewRange()[0] == first
    lab.run_steps(10)  # past 40: it moves on to 50
    assert lab.curves_view.plot.viewRange()[0][1] >= 47
