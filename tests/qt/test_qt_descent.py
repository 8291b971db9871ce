"""The descent lab: optimizers racing on the data's own surface, in 2-D and (where possible) 3-D."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lossdesk.model import SCHEDULES, best_line, line_objective, make_optimizer, make_schedule, run_descent
from lossdesk.model.optimizers import optimizer_settings
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.tabs.descent_lab import DescentLabTab
from lossdesk.qt.views.valley_3d import Valley3D, opengl_problem
from lossdesk.settings import DescentLabSettings, RegressionSettings, SettingsStore
from qt_helpers import click


@pytest.fixture
def lab(qtbot):
    """The tab on its own, with the stores the main window would give it."""
    configure_pyqtgraph()
    tab = DescentLabTab(SettingsStore(DescentLabSettings()), SettingsStore(RegressionSettings()))
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.wait(100)  # let the layout settle before aiming the mouse
    tab.messages = []
    tab.status.connect(lambda text, level: tab.messages.append((text, level)))
    return tab


def objective(lab):
    data = lab.reg_store.value.data
    return line_objective(data.x, data.y, lab.reg_store.value.loss, **lab.reg_store.value.params)


def test_trails_are_the_model_layers_trajectories(qtbot, lab):
    for _ in range(25):
        qtbot.mouseClick(lab.step, Qt.MouseButton.LeftButton)
    results = lab.results()
    for name in lab.store.value.racing:
        expected = run_descent(objective(lab), make_optimizer(name, **lab.store.value.optimizers[name].values),
                               np.array(results.start), max_steps=25, gradient_tol=1e-8)
        xs, ys = lab.surface_view.trails[name].getData()
        np.testing.assert_allclose(np.column_stack([xs, ys]), expected.thetas)
        steps, costs = lab.curves_view.curves[name].getData()
        np.testing.assert_allclose(costs, expected.costs)
    assert lab.table.item(0, 2).text() == "25"


def test_clicking_the_surface_sets_the_common_start(qtbot, lab):
    click(qtbot, lab.surface_view.widget, 3.0, -4.0)
    start = lab.store.value.start
    assert start[0] == pytest.approx(3.0, abs=0.1)
    assert start[1] == pytest.approx(-4.0, abs=0.15)
    assert lab.results().start == start
    for name in lab.store.value.racing:
        xs, ys = lab.surface_view.trails[name].getData()
        assert (xs[0], ys[0]) == start


def test_momentum_and_adam_reach_the_best_line(qtbot, lab):
    lab.checks["gd"].setChecked(False)
    assert lab.store.value.racing == ("momentum", "adam")
    lab.run_steps(6000)
    data = lab.reg_store.value.data
    best = np.array(best_line(data.x, data.y, "mse"))
    results = lab.results()
    for name in ("momentum", "adam"):
        np.testing.assert_allclose(results.racers[name].ball, best, atol=1e-3)
    assert lab.table.item(0, 1).text() == "converged"


def test_a_diverging_optimizer_stops_while_the_others_carry_on(qtbot, lab):
    assert lab.store.value.racing == ("gd", "momentum", "adam")
    lab.lrs["gd"].setValue(3.0)
    assert lab.store.value.optimizers["gd"].lr == 3.0
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    assert lab.playing
    qtbot.waitUntil(lambda: lab.results().racers["gd"].status == "diverged", timeout=5000)
    qtbot.waitUntil(lambda: lab.results().racers["momentum"].steps > lab.results().racers["gd"].steps + 20,
                    timeout=10_000)
    lab.set_playing(False)
    results = lab.results()
    gd = results.racers["gd"]
    assert lab.table.item(0, 1).text() == f"diverged at step {gd.diverged_at}"
    assert results.racers["momentum"].status in ("running", "converged")
    assert np.all(np.isfinite(gd.thetas))
    warnings = [text for text, level in lab.messages if level == "warning"]
    assert len(warnings) == 1 and "diverged" in warnings[0]  # said once, not every frame


def test_a_schedule_changes_the_steps(qtbot, lab):
    lab.store.update(racing=("gd",))
    lab.schedule.setCurrentIndex(lab.schedule.findData("step"))
    lab.schedule_value.setValue(5)
    assert (lab.store.value.schedule, lab.store.value.schedule_value) == ("step", 5)
    lab.run_steps(12)
    expected = run_descent(objective(lab), make_optimizer("gd", lr=0.1), np.array(lab.results().start),
                           max_steps=12, schedule=make_schedule("step", every=5), gradient_tol=1e-8)
    np.testing.assert_allclose(lab.results().racers["gd"].thetas, expected.thetas)


def test_the_lab_follows_the_regression_loss_and_data(qtbot, lab):
    lab.run_steps(5)
    lab.reg_store.update(loss="mae")
    data = lab.reg_store.value.data
    results = lab.results()
    assert results.best == pytest.approx(best_line(data.x, data.y, "mae"))
    xs, ys = lab.surface_view.optimum.getData()
    assert (xs[0], ys[0]) == pytest.approx(results.best)
    assert all(racer.steps == 0 for racer in results.racers.values())  # the race starts again


def test_controls_come_from_the_models_metadata(lab):
    for name, spins in lab.spins.items():
        specs = optimizer_settings(name)
        assert list(spins) == [spec.key for spec in specs]
        for spec in specs:
            assert (spins[spec.key].minimum(), spins[spec.key].maximum()) == pytest.approx((spec.low, spec.high))
            assert spins[spec.key].value() == pytest.approx(spec.default)
    lab.schedule.setCurrentIndex(lab.schedule.findData("cosine"))
    spec = SCHEDULES["cosine"].setting
    assert lab.schedule_label.text() == spec.label and lab.schedule_value.value() == spec.default
    assert lab.schedule_value.isVisibleTo(lab)
    lab.schedule.setCurrentIndex(lab.schedule.findData("constant"))
    assert not lab.schedule_value.isVisibleTo(lab)


def test_a_whole_new_settings_value_shows_completely(qtbot, lab):
    value = DescentLabSettings(racing=("sgd", "rmsprop"), schedule="exponential", schedule_value=0.95,
                               start=(1.0, 2.0), steps_per_frame=9).with_optimizer_value("rmsprop", "rho", 0.5)
    lab.store.set(value)
    assert [name for name, box in lab.checks.items() if box.isChecked()] == ["sgd", "rmsprop"]
    assert lab.spins["rmsprop"]["rho"].value() == pytest.approx(0.5)
    assert lab.schedule.currentData() == "exponential" and lab.schedule_value.value() == pytest.approx(0.95)
    assert lab.speed.value() == 9
    assert [lab.table.item(row, 0).text() for row in range(lab.table.rowCount())] == ["SGD", "RMSProp"]
    xs, ys = lab.surface_view.start.getData()
    assert (xs[0], ys[0]) == (1.0, 2.0)
    lab.play.click()
    qtbot.waitUntil(lambda: lab.results().steps >= 18, timeout=5000)
    lab.set_playing(False)
    assert lab.results().steps % 9 == 0  # every frame takes steps_per_frame steps


def test_a_hidden_lab_computes_nothing_and_is_never_stale_when_shown(qtbot, lab, monkeypatch):
    lab.set_playing(True)
    lab.set_active(False)
    assert not lab.playing
    drawn = lab.surface_view.optimum.getData()
    from lossdesk.qt.tabs import descent_lab as module

    calls = []
    real = module.compute_descent_lab
    monkeypatch.setattr(module, "compute_descent_lab", lambda *a, **k: calls.append(1) or real(*a, **k))
    lab.reg_store.update(loss="mae")
    lab.store.update(racing=("adam",))
    assert calls == [] and lab.surface_view.optimum.getData()[0][0] == drawn[0][0]
    data = lab.reg_store.value.data
    assert lab.results().best == pytest.approx(best_line(data.x, data.y, "mae"))  # asked for: correct
    lab.set_active(True)
    xs, ys = lab.surface_view.optimum.getData()
    assert (xs[0], ys[0]) == pytest.approx(best_line(data.x, data.y, "mae"))
    assert lab.table.rowCount() == 1


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
    lab.run_steps(10)
    results = lab.results()
    mesh = results.valley
    np.testing.assert_allclose(valley.heights, mesh.height(results.surface))
    for name, racer in results.racers.items():
        gx, gy = mesh.ground(np.array([racer.ball[0]]), np.array([racer.ball[1]]))
        np.testing.assert_allclose(valley.ball_positions[name][:2], [gx[0], gy[0]])
