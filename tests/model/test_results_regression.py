"""The regression explorer's results: the numbers the model gives directly, with no Qt."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lossdesk.model import (
    LOSSES,
    REGRESSION_LOSSES,
    DescentRun,
    RegressionData,
    best_line,
    brute_force_line_surface,
    line_objective,
    make_optimizer,
)
from lossdesk.model.results import RegressionCache, RegressionResults, compute_regression
from lossdesk.model.results.regression import start_run
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.settings import DataSource, OptimizerChoice, RegressionSettings


def settings(preset: str = "outliers", **changes) -> RegressionSettings:
    return replace(RegressionSettings(source=DataSource.from_preset(preset)), **changes)


def oracle_losses(s) -> np.ndarray:
    return LOSSES[s.loss].value(s.data.y, s.w * s.data.x + s.b, **s.params)


def check_against_the_model(s, r: RegressionResults) -> None:
    x, y = s.data.x, s.data.y
    losses = oracle_losses(s)
    np.testing.assert_allclose(r.snapshot.losses, losses, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(r.snapshot.residuals, y - (s.w * x + s.b))
    assert r.cost == pytest.approx(losses.mean(), rel=1e-12, abs=1e-12)
    assert r.total == pytest.approx(losses.sum(), rel=1e-12, abs=1e-12)
    assert r.n == s.data.n
    best = best_line(x, y, s.loss, **s.params)
    assert r.best == pytest.approx(best)
    assert r.best_cost == pytest.approx(LOSSES[s.loss].value(y, best[0] * x + best[1], **s.params).mean())
    win = r.window
    assert win.contains(*r.best) and win.contains(s.w, s.b)
    expected = brute_force_line_surface(x, y, s.loss, win.w_grid, win.b_grid, **s.params)
    np.testing.assert_allclose(r.surface, expected, rtol=1e-7, atol=1e-9)
    grad = line_objective(x, y, s.loss, **s.params).cost_and_gradient(np.array([s.w, s.b]))[1]
    np.testing.assert_allclose(r.snapshot.gradient, grad, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("loss", REGRESSION_LOSSES)
def test_every_loss_gives_the_models_numbers(loss):
    s = settings(loss=loss, w=0.7, b=-0.4)
    check_against_the_model(s, compute_regression(s))


@given(loss=st.sampled_from(list(REGRESSION_LOSSES)),
       w=st.floats(-4, 4), b=st.floats(-6, 6),
       delta=st.floats(0.05, 5.0), tau=st.floats(0.05, 0.95),
       preset=st.sampled_from(["linear", "outliers", "heavy_tail"]))
def test_any_settings_give_the_models_numbers(loss, w, b, delta, tau, preset):
    s = settings(preset, loss=loss, w=w, b=b,
                 loss_params={"huber": {"delta": delta}, "quantile": {"tau": tau}})
    check_against_the_model(s, compute_regression(s, cache=RegressionCache()))


def test_the_settings_are_duck_typed():
    """The model layer never imports settings: any object with the fields will do."""
    data = RegressionData(np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.9, 5.2, 7.0]))
    plain = SimpleNamespace(data=data, loss="mae", params={}, w=2.0, b=1.0, reduction="sum",
                            outlier=None, outlier_base=0.0)
    r = compute_regression(plain)
    assert r.total == pytest.approx(np.abs(data.y - (2 * data.x + 1)).sum())
    assert r.reduced == r.total


def test_reductions():
    s = settings()
    assert compute_regression(s).reduced == pytest.approx(oracle_losses(s).mean())
    assert compute_regression(replace(s, reduction="sum")).reduced == pytest.approx(oracle_losses(s).sum())
    np.testing.assert_allclose(compute_regression(replace(s, reduction="none")).reduced, oracle_losses(s))


def test_without_a_run_the_path_is_the_current_line():
    s = settings(w=1.25, b=-2.0)
    r = compute_regression(s)
    np.testing.assert_array_equal(r.path, [[1.25, -2.0]])
    np.testing.assert_allclose(r.costs, [oracle_losses(s).mean()])
    assert r.run_steps is None and r.run_status is None and r.run_message is None


def test_a_run_gives_its_path_and_costs():
    s = settings(optimizer=OptimizerChoice("momentum", {"lr": 0.02}))
    run = start_run(s)
    run.advance(30)
    direct = DescentRun(line_objective(s.data.x, s.data.y, "mse"), make_optimizer("momentum", lr=0.02),
                        np.zeros(2), gradient_tol=1e-8)
    direct.advance(30)
    np.testing.assert_allclose(run.thetas, direct.thetas)
    w, b = run.theta
    r = compute_regression(replace(s, w=float(w), b=float(b)), run)
    np.testing.assert_allclose(r.path, np.asarray(direct.thetas))
    np.testing.assert_allclose(r.costs, direct.costs)
    assert r.run_steps == 30 and r.run_status == "running"
    assert r.cost == pytest.approx(direct.costs[-1])  # the readout is the view's step


def test_the_window_holds_during_a_gesture_and_follows_the_best_line_after():
    s = settings()
    far = SurfaceWindow((50.0, 60.0), (50.0, 60.0), 32)
    held = compute_regression(s, window=far, hold_window=True)
    assert held.window == far
    expected = brute_force_line_surface(s.data.x, s.data.y, "mse", far.w_grid, far.b_grid)
    np.testing.assert_allclose(held.surface, expected, rtol=1e-7, atol=1e-9)
    after = compute_regression(s, window=far)
    assert after.window != far and after.window.contains(*after.best)
    kept = compute_regression(s, window=after.window)
    assert kept.window == after.window


def test_the_outlier_shift_is_measured_from_where_it_was_chosen():
    s = settings().with_outlier(4)
    moved = s.with_source(s.source.edited(s.data.with_value(4, "y", float(s.data.y[4]) + 7.5)))
    r = compute_regression(moved)
    assert r.outlier == 4 and r.outlier_shift == pytest.approx(7.5)
    assert compute_regression(settings()).outlier is None


def test_the_cache_never_serves_old_numbers():
    cache = RegressionCache()
    s = settings()
    first = compute_regression(s, cache=cache)
    edited = s.with_source(s.source.edited(s.data.with_value(0, "y", 40.0)))
    for value in (edited, replace(edited, loss="huber"), replace(edited, loss="huber").with_loss_param("huber", "delta", 0.3)):
        cached = compute_regression(value, cache=cache, window=first.window)
        fresh = compute_regression(value, window=first.window)
        assert cached.best == fresh.best and cached.best_cost == fresh.best_cost
        np.testing.assert_allclose(cached.surface, fresh.surface)
        check_against_the_model(value, cached)


def test_a_new_27_point_set_with_an_outlier_at_26():
    """The session bug of issue 10: a value with one more point than the preset computes whole."""
    base = settings()
    data = base.data.with_added({"x": float(base.data.x.max()) + 1.0, "y": 30.0})
    s = RegressionSettings(source=DataSource.own(data), outlier=26, outlier_base=2.0, loss="huber")
    r = compute_regression(s)
    assert r.n == 27 and r.outlier == 26 and r.outlier_shift == pytest.approx(28.0)
    check_against_the_model(s, r)


def test_one_snapshot_per_frame_and_the_best_cost_once_per_data_set(monkeypatch):
    """The best cost is the mean loss at the best line (no second snapshot), computed once
    while only the line moves (a w/b slider frame)."""
    from lossdesk.model.results import regression as module

    snapshots, costs = [], []
    snapshot, line_cost = module.regression_snapshot, module.line_cost
    monkeypatch.setattr(module, "regression_snapshot", lambda *a: snapshots.append(a) or snapshot(*a))
    monkeypatch.setattr(module, "line_cost", lambda *a: costs.append(a) or line_cost(*a))
    cache = RegressionCache()
    for loss in ("mse", "huber"):
        s = settings(loss=loss)
        for w in (0.0, 0.5, 1.0):
            snapshots.clear()
            r = compute_regression(replace(s, w=w), cache=cache)
            assert len(snapshots) == 1 and snapshots[0][3:] == (w, s.b)
            assert r.best_cost == pytest.approx(snapshot(s.data, loss, s.params, *r.best).cost, rel=1e-12)
        assert len([c for c in costs if c[1] == loss]) == 1
