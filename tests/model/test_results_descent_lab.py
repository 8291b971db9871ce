"""The descent lab's results: a pure function of its settings, the regression data and the race."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from lossdesk.model import best_line, line_loss_surface, line_objective, make_optimizer, make_schedule, run_descent
from lossdesk.model.results import descent_lab as lab_results
from lossdesk.model.results.descent_lab import (
    ARROW_FRACTION,
    VALLEY_CLIP,
    VALLEY_HEIGHT,
    VALLEY_LIFT,
    DescentLabCache,
    advance_race,
    automatic_start,
    compute_descent_lab,
    new_race,
)
from lossdesk.settings import DescentLabSettings, RegressionSettings


@pytest.fixture
def regression():
    return RegressionSettings()


@pytest.fixture
def lab():
    return DescentLabSettings()


def _raced(lab, regression, steps):
    cache = DescentLabCache()
    race = new_race(lab, regression, cache)
    advance_race(race, steps)
    return compute_descent_lab(lab, regression, race, cache)


def test_without_a_race_every_racer_waits_at_the_start(lab, regression):
    results = compute_descent_lab(lab, regression)
    assert results.racing == lab.racing == ("gd", "momentum", "adam")
    assert [row.name for row in results.rows] == list(lab.racing)
    assert results.automatic_start
    assert results.start == pytest.approx(automatic_start(regression.data))
    for racer in results.racers.values():
        assert racer.steps == 0 and racer.status == "running" and racer.status_text == "ready"
        assert racer.ball == pytest.approx(results.start)
        assert racer.velocity_arrow is None
    assert results.steps == 0 and results.running


def test_the_surface_and_best_line_are_the_datas_own(lab, regression):
    results = compute_descent_lab(lab, replace(regression, loss="mae"))
    data = regression.data
    assert results.best == pytest.approx(best_line(data.x, data.y, "mae"))
    objective = line_objective(data.x, data.y, "mae")
    assert results.best_cost == pytest.approx(objective.cost(np.array(results.best)))
    expected = line_loss_surface(data.x, data.y, "mae", results.window.w_grid, results.window.b_grid)
    np.testing.assert_allclose(results.surface, expected)
    assert results.window.contains(*results.best) and results.window.contains(*results.start)


def test_a_chosen_start_inside_the_window_leaves_the_window_alone(lab, regression):
    first = compute_descent_lab(lab, regression)
    (w0, w1), (b0, b1) = first.window.w_range, first.window.b_range
    inside = (w0 + 0.9 * (w1 - w0), b0 + 0.1 * (b1 - b0))
    clicked = compute_descent_lab(replace(lab, start=inside), regression)
    assert clicked.start == inside and not clicked.automatic_start
    assert clicked.window == first.window
    far = compute_descent_lab(replace(lab, start=(w1 + 50.0, b0 - 80.0)), regression)
    assert far.window.contains(*far.start)


def test_trails_and_curves_are_the_descents_own_trajectories(regression):
    lab = DescentLabSettings(racing=("gd", "momentum"), schedule="step", schedule_value=5,
                             start=(-2.0, 6.0)).with_lr(0.05, ("gd",))
    results = _raced(lab, regression, 25)
    objective = line_objective(regression.data.x, regression.data.y, "mse")
    for name, settings in (("gd", {"lr": 0.05}), ("momentum", {"lr": 0.02, "momentum": 0.9})):
        expected = run_descent(objective, make_optimizer(name, **settings), np.array([-2.0, 6.0]), max_steps=25,
                               schedule=make_schedule("step", every=5), gradient_tol=1e-8)
        racer = results.racers[name]
        np.testing.assert_allclose(racer.thetas, expected.thetas)
        np.testing.assert_allclose(racer.costs, expected.costs)
        assert racer.steps == 25 and racer.cost == pytest.approx(expected.costs[-1])
    assert results.curve_steps == 26


def test_arrows_share_one_scale_per_kind(lab, regression):
    results = _raced(lab, regression, 10)
    width = results.window.w_range[1] - results.window.w_range[0]
    lengths = {name: float(np.linalg.norm(r.gradient_arrow[1] - r.gradient_arrow[0]))
               for name, r in results.racers.items()}
    assert max(lengths.values()) == pytest.approx(ARROW_FRACTION * width)
    g_scale, v_scale = results.arrow_scales
    objective = line_objective(regression.data.x, regression.data.y, "mse")
    for racer in results.racers.values():
        _cost, gradient = objective.cost_and_gradient(np.array(racer.ball))
        np.testing.assert_allclose(racer.gradient_arrow, [racer.ball, np.array(racer.ball) - g_scale * gradient])
    assert results.racers["gd"].velocity_arrow is None  # plain GD: the step is the gradient
    for name in ("momentum", "adam"):
        racer = results.racers[name]
        step = racer.thetas[-1] - racer.thetas[-2]
        np.testing.assert_allclose(racer.velocity_arrow[1] - racer.velocity_arrow[0], step * v_scale)


def test_a_diverging_racer_stops_and_the_others_carry_on(lab, regression):
    lab = lab.with_lr(3.0, ("gd",))
    results = _raced(lab, regression, 60)
    gd = results.racers["gd"]
    assert gd.status == "diverged" and gd.diverged
    assert gd.status_text == f"diverged at step {gd.diverged_at}"
    assert gd.steps < 60 and np.all(np.isfinite(gd.thetas))
    assert results.racers["momentum"].steps == 60
    assert results.diverged == ("gd",) and results.running
    assert results.rows[0].diverged and results.rows[0].status_text == gd.status_text


def test_a_race_stops_at_the_step_limit(monkeypatch, lab, regression):
    monkeypatch.setattr(lab_results, "MAX_RACE_STEPS", 7)
    lab = replace(lab, racing=("gd",)).with_lr(1e-5)
    results = _raced(lab, regression, 50)
    assert results.racers["gd"].steps == 7
    assert results.racers["gd"].status == "max_steps" and results.rows[0].status_text == "stopped"
    assert not results.running


def test_results_handed_out_never_change_as_the_race_goes_on(lab, regression):
    cache = DescentLabCache()
    race = new_race(lab, regression, cache)
    advance_race(race, 3)
    before = compute_descent_lab(lab, regression, race, cache)
    thetas = before.racers["gd"].thetas.copy()
    advance_race(race, 200)
    after = compute_descent_lab(lab, regression, race, cache)
    np.testing.assert_array_equal(before.racers["gd"].thetas, thetas)
    assert after.racers["gd"].steps > before.racers["gd"].steps
    with pytest.raises(ValueError):
        after.racers["gd"].thetas[0, 0] = 1.0
    assert after.surface is before.surface and after.valley is before.valley  # cached, not recomputed
    fresh = compute_descent_lab(lab, regression, race, DescentLabCache())  # built in one go, not step by step
    for name, racer in fresh.racers.items():
        np.testing.assert_allclose(after.racers[name].thetas, racer.thetas)
        np.testing.assert_allclose(after.racers[name].costs, racer.costs)
        np.testing.assert_allclose(after.valley_trails[name], fresh.valley_trails[name])


def test_the_valley_lifts_every_trail_just_above_the_mesh(lab, regression):
    results = _raced(lab, regression, 15)
    mesh = results.valley
    assert mesh.heights.shape == results.surface.shape
    assert mesh.heights.min() >= 0 and mesh.heights.max() <= VALLEY_HEIGHT * VALLEY_CLIP + 1e-12
    np.testing.assert_allclose(mesh.shades, np.clip(mesh.heights / VALLEY_HEIGHT, 0, 1))
    for name, racer in results.racers.items():
        trail = results.valley_trails[name]
        assert trail.shape == (racer.steps + 1, 3)
        gw, gb = mesh.ground(np.array([racer.ball[0]]), np.array([racer.ball[1]]))
        np.testing.assert_allclose(trail[-1], [gw[0], gb[0], mesh.height(racer.cost) + VALLEY_LIFT])


def test_settings_are_duck_typed():
    data = RegressionSettings().data
    regression = SimpleNamespace(data=data, loss="huber", params={"delta": 1.0})
    lab = SimpleNamespace(racing=("adam",), optimizers={"adam": SimpleNamespace(values={"lr": 0.1})},
                          schedule="cosine", schedule_value=None, start=(0.5, 0.5))
    results = compute_descent_lab(lab, regression)
    assert results.racing == ("adam",) and results.start == (0.5, 0.5)
    assert results.best == pytest.approx(best_line(data.x, data.y, "huber", delta=1.0))


def test_the_model_module_imports_neither_settings_nor_qt():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(lab_results))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(m.startswith(("lossdesk.settings", "lossdesk.qt", "PySide6", "pyqtgraph")) for m in modules)
