"""The descent lab: optimizers racing on the data's own surface, in 2-D and (where possible) 3-D."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lossdesk.model import best_line, make_optimizer, make_schedule, run_descent
from lossdesk.qt.views.valley_3d import Valley3D, opengl_problem
from qt_helpers import click


@pytest.fixture
def lab(qtbot, window):
    window.set_tab("descent")
    qtbot.wait(50)
    return window.descent_lab


def test_trails_are_the_model_layers_trajectories(qtbot, lab):
    for _ in range(25):
        qtbot.mouseClick(lab.step, Qt.MouseButton.LeftButton)
    objective = lab.state.objective()
    for name in lab.shown:
        expected = run_descent(objective, make_optimizer(name, **lab.optimizer_settings(name)),
                               np.array(lab.start), max_steps=25, gradient_tol=1e-8)
        xs, ys = lab.surface_view.trails[name].getData()
        np.testing.assert_allclose(np.column_stack([xs, ys]), expected.thetas)
        steps, costs = lab.curves_view.curves[name].getData()
        np.testing.assert_allclose(costs, expected.costs)


def test_clicking_the_surface_sets_the_common_start(qtbot, lab):
    click(qtbot, lab.surface_view.widget, 3.0, -4.0)
    assert lab.start[0] == pytest.approx(3.0, abs=0.1)
    assert lab.start[1] == pytest.approx(-4.0, abs=0.15)
    for name in lab.shown:
        xs, ys = lab.surface_view.trails[name].getData()
        assert (xs[0], ys[0]) == lab.start


def test_momentum_and_adam_reach_the_best_line(qtbot, lab):
    lab.set_shown(["momentum", "adam"])
    lab.race.step(6000)
    lab.refresh_runs()
    data = lab.state.data
    best = np.array(best_line(data.x, data.y, "mse"))
    for name in ("momentum", "adam"):
        np.testing.assert_allclose(lab.race.runs[name].theta, best, atol=1e-3)
    assert lab.table.item(0, 1).text() == "converged"


def test_a_diverging_optimizer_stops_while_the_others_carry_on(qtbot, lab):
    lab.set_shown(["gd", "momentum", "adam"])
    lab.lrs["gd"].setValue(3.0)
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lab.race.runs["gd"].status == "diverged", timeout=5000)
    qtbot.waitUntil(lambda: lab.race.runs["momentum"].steps > lab.race.runs["gd"].steps + 20, timeout=10_000)
    lab.set_playing(False)
    gd = lab.race.runs["gd"]
    assert lab.table.item(0, 1).text() == f"diverged at step {gd.diverged_at}"
    assert lab.race.runs["momentum"].status in ("running", "converged")
    assert np.all(np.isfinite(np.asarray(gd.thetas)))
    assert "gd" in lab._announced


def test_a_schedule_changes_the_steps(qtbot, lab):
    lab.set_shown(["gd"])
    lab.schedule.setCurrentIndex(lab.schedule.findData("step"))
    lab.schedule_value.setValue(5)
    lab.race.step(12)
    lab.refresh_runs()
    expected = run_descent(lab.state.objective(), make_optimizer("gd", lr=0.1), np.array(lab.start), max_steps=12,
                           schedule=make_schedule("step", every=5), gradient_tol=1e-8)
    np.testing.assert_allclose(np.asarray(lab.race.runs["gd"].thetas), expected.thetas)


def test_the_lab_follows_the_explorers_loss_and_data(qtbot, window, lab):
    window.explorer.set_loss("mae")
    data = lab.state.data
    assert lab.best == pytest.approx(best_line(data.x, data.y, "mae"))
    xs, ys = lab.surface_view.optimum.getData()
    assert (xs[0], ys[0]) == pytest.approx(lab.best)


def test_the_3d_panel_falls_back_with_a_clear_message(qtbot):
    fallback = Valley3D("this display offers no OpenGL context")
    qtbot.addWidget(fallback)
    assert not fallback.available
    assert "not available here" in fallback.message.text()
    assert "OpenGL" in fallback.message.text()


def test_offscreen_rendering_is_detected_as_no_opengl(lab):
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() != "offscreen":
        pytest.skip("only meaningful on the offscreen platform")
    assert opengl_problem() is not None
    assert not lab.valley.available
    assert lab.valley.message.isVisibleTo(lab)


def test_the_3d_valley_holds_the_surface_and_balls_where_opengl_works(qtbot, lab):
    if opengl_problem() is not None:
        pytest.skip(f"no OpenGL here: {opengl_problem()}")
    valley = lab.valley
    assert valley.available
    lab.race.step(10)
    lab.refresh_runs()
    z = lab.cache.surface(lab.state.data, lab.state.loss, lab.state.params, lab.window)
    np.testing.assert_allclose(valley.heights, valley.height(z))
    for name in lab.shown:
        run = lab.race.runs[name]
        gx, gy = valley._ground(np.array([run.theta[0]]), np.array([run.theta[1]]))
        np.testing.assert_allclose(valley.ball_positions[name][:2], [gx[0], gy[0]])
