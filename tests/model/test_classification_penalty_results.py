"""The classification results with a penalty, squared error on p, and "BCE or squared error?"
(issue 15), checked against the model layer: no Qt."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lossdesk.model import Logistic, Objective, make_preset, sigmoid
from lossdesk.model.confidence import gradient_size_against_confidence
from lossdesk.model.objective import penalty_of_weights
from lossdesk.model.results.classification import (
    COMPARED,
    PATH_STRENGTHS,
    ClassificationCache,
    compute_classification,
    objective_for,
    slice_optimum,
    slice_path,
    wrong_start,
    wrong_start_race,
)
from lossdesk.model.surface import parameter_penalty_surface, parameter_surface
from lossdesk.settings import ClassificationSettings, DataSource


def settings_for(preset: str = "binary_2d", loss: str = "bce", penalty: str = "none", strength: float = 0.0,
                 l1_ratio: float = 0.5, axes=(0, 1), theta=None) -> ClassificationSettings:
    s = ClassificationSettings(source=DataSource.from_preset(preset), loss=loss, penalty=penalty,
                               strength=strength, l1_ratio=l1_ratio)
    s = replace(s, surface_axes=tuple(axes))
    return s if theta is None else s.with_theta(theta)


def oracle(s: ClassificationSettings) -> Objective:
    return Objective.create(s.loss, s.data.x, s.data.labels, s.predictor(), **s.penalty_args, **s.params)


def segments(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """The NaN-separated lines of a (x, y) pair, each as an (m, 2) array."""
    parts = np.split(np.column_stack([x, y]), np.flatnonzero(np.isnan(x)))
    return [p[np.isfinite(p[:, 0])] for p in parts if np.isfinite(p[:, 0]).sum() >= 2]


# ============================================================ the penalised cost
@pytest.mark.parametrize("loss", ["bce", "bce_logits", "brier", "hinge"])
@pytest.mark.parametrize("kind", ["l1", "l2", "elastic"])
def test_the_cost_is_the_models_penalised_cost(loss, kind):
    s = settings_for(loss=loss, penalty=kind, strength=0.3, l1_ratio=0.3, theta=(1.2, -0.7, 0.4))
    r = compute_classification(s)
    model = oracle(s)
    assert r.cost == pytest.approx(model.cost(s.theta_array), rel=1e-12)
    assert r.penalty_value == pytest.approx(model.penalty_value(s.theta_array), rel=1e-12)
    # the weights are (1.2, −0.7), the bias 0.4 is never penalised
    assert r.penalty_bar == pytest.approx(float(penalty_of_weights([1.2, -0.7], kind, 0.3, 0.3).sum()))
    assert r.data_cost == pytest.approx(model.data_cost(s.theta_array))
    assert r.path.costs[-1] == pytest.approx(r.cost)  # the loss curve's point without a run
    assert objective_for(s).cost(s.theta_array) == pytest.approx(r.cost)  # what a descent minimises


def test_softmax_weights_are_penalised_and_its_biases_not():
    s = settings_for("three_classes", "cce", "l2", 0.5, axes=(0, 1))
    r = compute_classification(s)
    theta = s.theta_array
    weights = Logistic(2).weight_mask()  # (w1, w2, b) per class
    w = theta.reshape(3, 3)[:, :2]
    assert not weights[2]
    assert r.penalty_value == pytest.approx(0.5 * 0.5 * float((w * w).sum()))
    assert r.cost == pytest.approx(oracle(s).cost(theta))


def test_no_penalty_chosen_adds_nothing_and_a_chosen_zero_strength_adds_zero():
    plain = compute_classification(settings_for())
    assert plain.penalty is None and plain.penalty_bar is None and plain.cost == plain.data_cost
    zero = compute_classification(settings_for(penalty="l2", strength=0.0))
    assert zero.penalty == "l2" and zero.penalty_bar == 0.0 and zero.cost == plain.cost


# ============================================================ the surface and its parts
@pytest.mark.parametrize("axes", [(0, 1), (0, 2), (1, 2)])
def test_the_surface_is_the_total_cost_or_its_parts(axes):
    s = settings_for(penalty="l2", strength=0.4, axes=axes, theta=(0.8, -0.3, 0.2))
    i, j = axes
    total = compute_classification(s).surface
    parts = compute_classification(s, parts=True).surface
    window = total.window
    data = parameter_surface(Objective.create("bce", s.data.x, s.data.labels, s.predictor()), s.theta_array,
                             i, j, window.w_grid, window.b_grid)
    pen = parameter_penalty_surface(oracle(s), s.theta_array, i, j, window.w_grid, window.b_grid)
    np.testing.assert_allclose(total.z, data + pen, rtol=1e-12)
    assert not total.parts and total.penalty_lines[0].size == 0
    np.testing.assert_allclose(parts.z, data, rtol=1e-12)
    assert parts.parts and parts.penalty_lines[0].size > 0
    # a grid point of the total surface is the model's penalised cost there
    theta = s.theta_array.copy()
    theta[i], theta[j] = window.w_grid[5], window.b_grid[40]
    assert total.z[5, 40] == pytest.approx(oracle(s).cost(theta), rel=1e-10)


@pytest.mark.parametrize(("kind", "norm"), [("l2", lambda u: np.hypot(u[:, 0], u[:, 1])),
                                            ("l1", lambda u: np.abs(u).sum(axis=1))])
def test_over_two_weights_the_penalty_lines_are_circles_or_diamonds(kind, norm):
    s = settings_for(penalty=kind, strength=0.2, axes=(0, 1), theta=(0.5, 0.5, -1.0))
    surface = compute_classification(s, parts=True).surface
    assert "weights" in surface.penalty_note
    lines = segments(*surface.penalty_lines)
    assert len(lines) >= 4
    for line in lines:
        r = norm(line)
        # L1's diamonds are exact on a grid through 0; L2's circles within the grid's interpolation
        assert np.ptp(r) <= (1e-9 if kind == "l1" else 2e-2) * r.mean(), kind
    if kind == "l1":  # a diamond has its corners on the axes
        assert any(np.isclose(line[:, 1], 0).any() and np.isclose(np.abs(line[:, 0]), norm(line)[0]).any()
                   for line in lines)


def test_along_a_bias_the_penalty_lines_run_straight_and_over_two_biases_there_are_none():
    s = settings_for(penalty="l1", strength=0.2, axes=(0, 2))
    surface = compute_classification(s, parts=True).surface
    assert "bias" in surface.penalty_note
    for line in segments(*surface.penalty_lines):
        assert np.ptp(line[:, 0]) < 1e-9  # w₁ constant: upright lines, the bias free along them
    s = settings_for("three_classes", "cce", "l2", 0.3, axes=(2, 5))  # the biases of classes 0 and 1
    surface = compute_classification(s, parts=True).surface
    assert surface.penalty_lines[0].size == 0 and "biases" in surface.penalty_note
    assert surface.path is None and surface.path_note


# ============================================================ the regularisation path
def _slice_gradient(s, u, i, j):
    theta = s.theta_array.copy()
    theta[i], theta[j] = u
    g = Objective.create(s.loss, s.data.x, s.data.labels, s.predictor()).gradient(theta)
    return g[[i, j]]


@pytest.mark.parametrize("loss", ["bce", "brier"])
@pytest.mark.parametrize("axes", [(0, 1), (0, 2)])
def test_the_ring_is_the_penalised_optimum_of_the_two_parameters(loss, axes):
    i, j = axes
    lam = 0.05
    s = settings_for(loss=loss, penalty="l2", strength=lam, axes=axes)
    path = compute_classification(s).surface.path
    assert path is not None and path.current is not None
    u = np.array(path.current)
    mask = s.predictor().weight_mask()[[i, j]]
    grad = _slice_gradient(s, u, i, j) + lam * mask * u  # d(mean loss + λ·½w²)/d(θ_i, θ_j)
    assert np.abs(grad).max() < 1e-6
    # and it is the lowest point of the total surface, to within the grid
    surface = compute_classification(s).surface
    a, c = np.unravel_index(np.argmin(surface.z), surface.z.shape)
    w = surface.window
    step = (w.w_range[1] - w.w_range[0]) / (w.size - 1)
    if w.contains(*u):
        assert abs(w.w_grid[a] - u[0]) <= 1.5 * step and abs(w.b_grid[c] - u[1]) <= 1.5 * step


def test_the_lasso_path_puts_weights_at_exactly_zero_and_ridge_only_shrinks():
    s = settings_for(axes=(0, 1))
    base = Objective.create("bce", s.data.x, s.data.labels, s.predictor())
    lasso = slice_path(base, s.theta_array, 0, 1, "l1", 0.5, 0.1)
    ridge = slice_path(base, s.theta_array, 0, 1, "l2", 0.5, 0.1)
    assert lasso.strengths[-1] == PATH_STRENGTHS[-1]
    assert np.all(lasso.points[-1] == 0.0)  # a large λ: both weights exactly 0
    one_zero = (lasso.points == 0.0).sum(axis=1) == 1
    assert one_zero.any(), "somewhere along the path one weight is exactly 0 and the other is not"
    assert not np.any(ridge.points == 0.0)  # ridge never reaches 0
    size = np.hypot(*ridge.points.T)
    assert np.all(np.diff(size) < 0)  # the larger λ, the smaller the weights
    # the L1 optimality condition at a zero weight: its data slope is within ±λ
    k = int(np.flatnonzero(one_zero)[0])
    lam = lasso.strengths[k]
    zero = int(np.flatnonzero(lasso.points[k] == 0.0)[0])
    assert abs(_slice_gradient(s, lasso.points[k], 0, 1)[zero]) <= lam + 1e-7


def test_on_separable_points_the_weights_grow_as_lambda_shrinks_and_zero_has_no_ring():
    s = settings_for("binary_1d")  # a line separates these points: without a penalty w runs off
    base = Objective.create("bce", s.data.x, s.data.labels, s.predictor())
    path = slice_path(base, s.theta_array, 0, 1, "l2", 0.5, 0.0)
    assert path.current is None
    w = path.points[:, 0]
    assert np.all(np.diff(w) < 0) and w[0] > 2 * w[path.strengths.searchsorted(0.1)]
    _, found = slice_optimum(base, s.theta_array, 0, 1, 0.0, 0.0, s.theta_array, iterations=5)
    assert not found  # not within the steps allowed


def test_a_known_path_is_reused_and_only_the_ring_moves():
    s = settings_for(penalty="elastic", strength=0.1, l1_ratio=0.4)
    cache = ClassificationCache()
    first = compute_classification(s, cache=cache).surface.path
    moved = compute_classification(replace(s, strength=0.3), cache=cache).surface.path
    assert moved.points is first.points and moved.current != first.current
    fresh = compute_classification(replace(s, strength=0.3)).surface.path
    np.testing.assert_allclose(moved.current, fresh.current, atol=1e-6)
    assert compute_classification(settings_for(loss="hinge", penalty="l2", strength=0.1)).surface.path_note


def test_with_a_penalty_cached_results_equal_fresh_ones():
    s = settings_for(penalty="l1", strength=0.2)
    cache = ClassificationCache()
    compute_classification(s, cache=cache, parts=True, compare=True)
    moved = s.with_theta((0.9, 0.5, -1.0))
    assert compute_classification(moved, cache=cache, parts=True, compare=True) == \
        compute_classification(moved, parts=True, compare=True)


# ============================================================ squared error on p
def test_the_brier_cost_is_the_mean_squared_error_of_the_probability():
    s = settings_for("binary_1d", "brier", theta=(1.3, -0.2))
    r = compute_classification(s)
    p = sigmoid(1.3 * s.data.x[:, 0] - 0.2)
    y = s.data.labels
    assert r.cost == pytest.approx(float(np.mean((p - y) ** 2)), rel=1e-12)
    c = r.confidence
    assert c.kind == "squared" and c.y_top == 1.0
    np.testing.assert_allclose(c.point_y, (1 - c.point_x) ** 2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(c.curve_y, (1 - c.curve_x) ** 2)
    assert r.both_ways is None  # no logarithm: no clipped and unclipped ways to tell apart


# ============================================================ cross-entropy against squared error
def test_the_comparison_holds_both_surfaces_and_the_models_gradient_sizes():
    s = settings_for(axes=(0, 2), theta=(0.9, -0.4, 0.3))
    r = compute_classification(s, compare=True)
    comparison = r.comparison
    assert comparison.problem is None and comparison.losses == COMPARED
    expected = gradient_size_against_confidence(COMPARED)
    for name in COMPARED:
        np.testing.assert_array_equal(comparison.gradients.sizes[name], expected.sizes[name])
    q = np.clip(r.snapshot.p_true, 1e-7, 1 - 1e-7)
    np.testing.assert_allclose(comparison.point_p, q)
    np.testing.assert_allclose(comparison.point_sizes["bce"], 1 - q, rtol=1e-9)
    np.testing.assert_allclose(comparison.point_sizes["brier"], 2 * (1 - q) ** 2 * q, rtol=1e-9)
    for name, surface in zip(COMPARED, comparison.surfaces):
        w = surface.window
        model = Objective.create(name, s.data.x, s.data.labels, s.predictor())
        np.testing.assert_allclose(surface.z, parameter_surface(model, s.theta_array, 0, 2, w.w_grid, w.b_grid))
        assert surface.current == (0.9, 0.3)
        assert w.w_range == r.surface.window.w_range and w.b_range == r.surface.window.b_range
    assert compute_classification(s).comparison is None  # only when asked for


@pytest.mark.parametrize(("preset", "loss", "words"), [("three_classes", "cce", "two classes"),
                                                       ("binary_2d", "cce", "binary")])
def test_the_comparison_says_why_it_cannot_be_drawn(preset, loss, words):
    comparison = compute_classification(settings_for(preset, loss), compare=True).comparison
    assert comparison.problem and words in comparison.problem and not comparison.surfaces


@pytest.mark.parametrize("preset", [None, "binary_1d", "binary_2d", "mislabeled"])
def test_cross_entropy_recovers_from_a_confidently_wrong_start_sooner(preset):
    data = make_preset(preset) if preset else None
    race = wrong_start_race(data)
    assert race.own_points == (preset is not None)
    assert race.start_p_true < 0.1  # the start is sure of the wrong class
    fast, slow = race.reached["bce"], race.reached["brier"]
    assert fast is not None and (slow is None or fast < slow)
    assert race.accuracy["bce"][fast] >= race.target - 1e-9
    assert f"in {fast} steps" in race.caption


def test_points_no_line_can_be_wrong_about_race_on_the_default_points():
    assert wrong_start(make_preset("xor")) is None
    race = wrong_start_race(make_preset("xor"))
    assert not race.own_points and "six points" in race.caption


@settings(max_examples=15, deadline=None)
@given(st.floats(0.01, 3.0), st.sampled_from(["l1", "l2", "elastic"]), st.floats(0.0, 1.0))
def test_penalised_surfaces_are_the_model_cost_at_every_corner(lam, kind, ratio):
    s = settings_for("binary_1d", "bce", kind, lam, ratio, theta=(0.7, -0.4))
    z = compute_classification(s).surface
    model = oracle(s)
    w = z.window
    for a, c in ((0, 0), (-1, -1), (0, -1), (31, 17)):
        theta = np.array([w.w_grid[a], w.b_grid[c]])
        assert z.z[a, c] == pytest.approx(model.cost(theta), rel=1e-10)
