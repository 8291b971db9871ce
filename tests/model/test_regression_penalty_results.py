"""The explorer's results with a penalty (issue 15): cost = mean loss + λ·P(w), against the model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from lossdesk.model import REGRESSION_LOSSES, Objective, best_line, line_loss_surface
from lossdesk.model.fitting import regularisation_path, zero_slope_strength
from lossdesk.model.objective import penalty_of_weights
from lossdesk.model.predictors import Line
from lossdesk.model.results import RegressionCache, compute_regression
from lossdesk.model.results.regression import (
    PATH_STRENGTHS,
    penalty_level_lines,
    start_run,
)
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.model.surface import penalty_surface
from lossdesk.settings import DataSource, RegressionSettings

PENALTIES = ("l1", "l2", "elastic")


def settings(preset: str = "outliers", **changes) -> RegressionSettings:
    return replace(RegressionSettings(source=DataSource.from_preset(preset)), **changes)


def objective(s) -> Objective:
    return Objective.create(s.loss, s.data.x, s.data.y, Line(), **s.penalty_args, **s.params)


@pytest.mark.parametrize("loss", REGRESSION_LOSSES)
@pytest.mark.parametrize("penalty", PENALTIES)
def test_the_cost_its_parts_and_the_best_line_are_the_models(loss, penalty):
    s = settings(loss=loss, penalty=penalty, strength=0.3, l1_ratio=0.4, w=0.7, b=-0.4)
    r = compute_regression(s)
    obj = objective(s)
    theta = np.array([s.w, s.b])
    assert r.cost == pytest.approx(obj.cost(theta), rel=1e-12)
    assert r.data_cost == pytest.approx(obj.data_cost(theta), rel=1e-12)
    assert r.penalty_value == pytest.approx(obj.penalty_value(theta), rel=1e-12)
    assert r.penalty_bar == r.penalty_value > 0
    assert r.costs[-1] == pytest.approx(obj.cost(theta))  # the loss curve's one point
    best = best_line(s.data.x, s.data.y, loss, **s.penalty_args, **s.params)
    assert r.best == pytest.approx(best, abs=1e-12)
    assert r.best_cost == pytest.approx(obj.cost(np.array(best)), rel=1e-12)
    # the surface is the total cost; its data part is the unpenalised surface
    win = r.window
    data = line_loss_surface(s.data.x, s.data.y, loss, win.w_grid, win.b_grid, **s.params)
    np.testing.assert_allclose(r.data_surface, data, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(r.surface, data + penalty_surface(win.w_grid, **s.penalty_args), rtol=1e-9)
    i, j = 40, 77
    assert r.surface[i, j] == pytest.approx(obj.cost(np.array([win.w_grid[i], win.b_grid[j]])), rel=1e-7)


def test_without_a_penalty_nothing_is_added_and_nothing_is_drawn():
    s = settings(w=0.5, b=0.1)
    r = compute_regression(s, parts=True)
    assert r.penalty is None and r.penalty_bar is None and r.reg_path is None
    assert r.surface is r.data_surface is r.drawn_surface
    assert not r.parts and r.penalty_lines[0].size == 0
    assert r.cost == r.data_cost
    # a penalty chosen with λ = 0 changes no number, but shows its (zero) bar and its path
    z = compute_regression(replace(s, penalty="l2", strength=0.0))
    assert z.penalty == "l2" and z.penalty_bar == 0.0 and z.cost == r.cost and z.best == r.best
    assert z.reg_path is not None


@pytest.mark.parametrize("loss", ["mse", "huber", "logcosh"])
def test_the_lasso_above_its_threshold_gives_a_slope_of_exactly_zero(loss):
    s = settings(loss=loss)
    threshold = zero_slope_strength(s.data.x, s.data.y, loss, **s.params)
    above = compute_regression(replace(s, penalty="l1", strength=threshold * 1.05))
    assert above.best[0] == 0.0
    below = compute_regression(replace(s, penalty="l1", strength=threshold * 0.8))
    assert below.best[0] != 0.0
    # and the path reaches 0 exactly and stays there
    path = above.reg_path
    past = PATH_STRENGTHS > threshold * 1.05
    assert np.all(path.w[past] == 0.0) and np.all(path.w[PATH_STRENGTHS < threshold * 0.5] != 0.0)


def test_ridge_shrinks_the_slope_smoothly_along_the_path():
    s = settings(penalty="l2", strength=1.0)
    path = compute_regression(s).reg_path
    assert np.all(np.diff(np.abs(path.w)) <= 1e-15) and path.w[-1] != 0.0
    assert abs(path.w[-1]) < 0.05 * abs(path.w[0])


@pytest.mark.parametrize("loss", ["mse", "huber", "quantile"])
@pytest.mark.parametrize("penalty", PENALTIES)
def test_the_path_is_the_models_and_passes_through_the_best_line_at_each_of_its_strengths(loss, penalty):
    k = 25
    s = settings(loss=loss, penalty=penalty, strength=float(PATH_STRENGTHS[k]), l1_ratio=0.3)
    r = compute_regression(s)
    lams, w, b = regularisation_path(s.data.x, s.data.y, loss, penalty, PATH_STRENGTHS, 0.3, **s.params)
    np.testing.assert_array_equal(r.reg_path.strengths, lams)
    np.testing.assert_allclose(r.reg_path.w, w, atol=1e-12)
    np.testing.assert_allclose(r.reg_path.b, b, atol=1e-12)
    assert (r.reg_path.w[0], r.reg_path.b[0]) == pytest.approx(best_line(s.data.x, s.data.y, loss, **s.params))
    assert (r.reg_path.w[k], r.reg_path.b[k]) == pytest.approx(r.best, abs=1e-9)


def test_the_cache_keeps_what_does_not_depend_on_the_line_or_on_lambda():
    cache = RegressionCache()
    s = settings(loss="mse", penalty="l2", strength=0.5)
    first = compute_regression(s, cache=cache)
    moved = compute_regression(replace(s, w=1.5, b=0.3), cache=cache, window=first.window)
    assert moved.surface is first.surface and moved.reg_path is first.reg_path and moved.lines is first.lines
    stronger = compute_regression(replace(s, strength=2.0), cache=cache, window=first.window, hold_window=True)
    assert stronger.reg_path is first.reg_path  # the path does not depend on λ
    assert stronger.data_surface is first.data_surface  # nor does the data cost
    assert stronger.surface is not first.surface and stronger.best != first.best
    fresh = compute_regression(replace(s, strength=2.0), window=first.window, hold_window=True)
    np.testing.assert_allclose(stronger.surface, fresh.surface)
    assert stronger.best == fresh.best and stronger.best_cost == fresh.best_cost
    other_kind = compute_regression(replace(s, penalty="l1"), cache=cache, window=first.window)
    assert other_kind.reg_path is not first.reg_path


@pytest.mark.parametrize("penalty", PENALTIES)
def test_the_penalty_level_lines_are_upright_where_lambda_p_takes_each_height(penalty):
    s = settings(penalty=penalty, strength=0.8, l1_ratio=0.6, w=0.3)
    r = compute_regression(s, parts=True)
    assert r.parts and r.drawn_surface is r.data_surface
    x, y = r.penalty_lines
    assert x.size and x.size % 3 == 0
    segments_x, segments_y = x.reshape(-1, 3), y.reshape(-1, 3)
    assert np.all(np.isnan(segments_x[:, 2])) and np.all(segments_x[:, 0] == segments_x[:, 1])  # upright
    assert np.all(segments_y[:, 0] == r.window.b_range[0]) and np.all(segments_y[:, 1] == r.window.b_range[1])
    ws = segments_x[:, 0]
    assert np.all((ws >= r.window.w_range[0]) & (ws <= r.window.w_range[1]))
    heights = r.lines.levels - r.data_surface.min()
    values = penalty_of_weights(ws, **s.penalty_args)
    best_value = penalty_of_weights(np.array([r.best[0]]), **s.penalty_args)[0]
    for v in values:  # each line is at one of the data contours' heights, or through the optimum
        assert np.isclose(v, heights, rtol=1e-9).any() or v == pytest.approx(best_value, rel=1e-9)
    assert np.isclose(np.abs(ws), abs(r.best[0]), rtol=1e-12).sum() == 2  # ±w* both drawn
    # symmetric: P depends on |w| only
    inside = ws[(-ws >= r.window.w_range[0]) & (-ws <= r.window.w_range[1])]
    assert np.all(np.isclose(-inside[:, None], ws[None, :]).any(axis=1))


def test_level_lines_of_no_penalty_or_no_height_are_empty():
    win = SurfaceWindow((-2.0, 2.0), (-1.0, 1.0), 16)
    pen = {"penalty": "l2", "strength": 1.0, "l1_ratio": 0.5}
    assert penalty_level_lines(win, {"penalty": None, "strength": 0.0, "l1_ratio": 0.5}, [1.0])[0].size == 0
    assert penalty_level_lines(win, pen, [])[0].size == 0
    x, _ = penalty_level_lines(win, pen, [0.5])  # ½w² = 0.5 at w = ±1
    np.testing.assert_allclose(np.unique(x[np.isfinite(x)]), [-1.0, 1.0])
    x, _ = penalty_level_lines(win, {"penalty": "l1", "strength": 2.0, "l1_ratio": 0.5}, [1.0, 100.0])
    np.testing.assert_allclose(np.unique(x[np.isfinite(x)]), [-0.5, 0.5])  # 2|w| = 1; 100 is off the window


@pytest.mark.parametrize("loss", ["mse", "huber"])
def test_the_descent_rolls_down_the_penalised_cost(loss):
    s = settings(loss=loss, penalty="elastic", strength=0.4, l1_ratio=0.5, w=2.0, b=1.0)
    run = start_run(s)
    obj = objective(s)
    for _ in range(30):
        run.step()
    thetas = np.asarray(run.thetas)
    np.testing.assert_allclose(run.costs, [obj.cost(t) for t in thetas], rtol=1e-12)
    r = compute_regression(replace(s, w=float(thetas[-1, 0]), b=float(thetas[-1, 1])), run)
    assert r.costs[-1] == pytest.approx(r.cost)
