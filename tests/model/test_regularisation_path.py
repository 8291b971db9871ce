"""The best penalised line (ridge, lasso, elastic net) and the path it takes as λ grows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossdesk.model import LOSSES, REGRESSION_LOSSES, line_objective, make_preset
from lossdesk.model.fitting import (
    best_line,
    best_line_seconds,
    regularisation_path,
    rough_best_line,
    zero_slope_strength,
)

STRENGTHS = [0.0, 0.01, 0.3, 1.0, 4.0, 50.0]


def data_sets():
    rng = np.random.default_rng(21)
    x = rng.normal(2.0, 1.5, 40)
    y = -1.2 * x + 3.0 + rng.normal(0, 1.0, 40)
    far = rng.normal(1000.0, 0.5, 30)  # far from the origin: centring matters
    y_far = 0.8 * far + rng.normal(0, 0.3, 30)
    outliers = make_preset("outliers")
    return [("gaussian", x, y), ("far", far, y_far), ("outliers", outliers.x, outliers.y)]


DATA = data_sets()
DATA_IDS = [d[0] for d in DATA]


def ridge_by_normal_equations(x, y, lam):
    """argmin mean (y − w·x − b)² + λ·½w²: set the gradient to zero and solve, penalty on w only.

    d/dθ = (2/n)·Aᵀ(Aθ − y) + λ·D·θ with A = [x, 1] and D = diag(1, 0).
    """
    A = np.column_stack([x, np.ones_like(x)])
    n = x.size
    M = 2.0 / n * A.T @ A + lam * np.diag([1.0, 0.0])
    return np.linalg.solve(M, 2.0 / n * A.T @ y)


def soft(a, t):
    return math.copysign(max(abs(a) - t, 0.0), a)


def coordinate_descent(x, y, l1, l2=0.0, sweeps=200_000):
    """Reference for mean (y − w·x − b)² + l1·|w| + ½·l2·w²: exact minimisation in b, then in w.

    In b: b = mean(y − w·x). In w, with b fixed: (2/n)Σx²·w − (2/n)Σx(y − b) + l1·sign(w) + l2·w = 0,
    so w = soft((2/n)Σx(y − b), l1) / ((2/n)Σx² + l2).
    """
    n = x.size
    sxx = 2.0 / n * float(x @ x)
    w = b = 0.0
    for _ in range(sweeps):
        b_new = float(np.mean(y - w * x))
        w_new = soft(2.0 / n * float(x @ (y - b_new)), l1) / (sxx + l2)
        if abs(w_new - w) <= 1e-15 * max(1.0, abs(w)) and abs(b_new - b) <= 1e-15 * max(1.0, abs(b)):
            return w_new, b_new
        w, b = w_new, b_new
    raise AssertionError("coordinate descent did not converge")


@pytest.mark.parametrize("lam", STRENGTHS)
@pytest.mark.parametrize("data", DATA, ids=DATA_IDS)
def test_mse_ridge_is_the_closed_form(data, lam):
    name, x, y = data
    w, b = best_line(x, y, "mse", penalty="l2", strength=lam)
    expected = ridge_by_normal_equations(x, y, lam)
    # the normal equations square A's condition number (about 4000 for x near 1000)
    rtol = 1e-7 if name == "far" else 1e-10
    np.testing.assert_allclose([w, b], expected, rtol=rtol, atol=1e-10)


@pytest.mark.parametrize("lam", [0.01, 0.3, 1.0, 2.0])
@pytest.mark.parametrize("data", DATA[:1] + DATA[2:], ids=["gaussian", "outliers"])
def test_mse_lasso_and_elastic_net_match_coordinate_descent(data, lam):
    _, x, y = data
    w, b = best_line(x, y, "mse", penalty="l1", strength=lam)
    np.testing.assert_allclose([w, b], coordinate_descent(x, y, lam), rtol=1e-9, atol=1e-10)
    w, b = best_line(x, y, "mse", penalty="elastic", strength=lam, l1_ratio=0.4)
    np.testing.assert_allclose([w, b], coordinate_descent(x, y, 0.4 * lam, 0.6 * lam), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("data", DATA, ids=DATA_IDS)
def test_the_lasso_slope_is_exactly_zero_above_the_threshold(data):
    _, x, y = data
    n = x.size
    threshold = 2.0 * abs(float((x - x.mean()) @ (y - y.mean()))) / n  # 2|Sxy|/n
    assert zero_slope_strength(x, y) == pytest.approx(threshold, rel=1e-12)
    for lam in (threshold * (1 + 1e-9), threshold * 1.5, threshold * 100):
        w, b = best_line(x, y, "mse", penalty="l1", strength=lam)
        assert w == 0.0 and math.copysign(1.0, w) == 1.0  # exactly zero, and not −0.0
        assert b == pytest.approx(float(y.mean()), rel=1e-12)
    slope = best_line(x, y, "mse")[0]
    w, _ = best_line(x, y, "mse", penalty="l1", strength=threshold * (1 - 1e-6))
    assert w != 0.0 and np.sign(w) == np.sign(slope) and abs(w) < abs(slope)
    # the elastic net's L1 part reaches zero at λ·r = threshold
    assert zero_slope_strength(x, y, l1_ratio=0.25) == pytest.approx(4 * threshold, rel=1e-12)
    assert best_line(x, y, "mse", "elastic", 4 * threshold * (1 + 1e-9), 0.25)[0] == 0.0
    assert best_line(x, y, "mse", "elastic", 4 * threshold * (1 - 1e-6), 0.25)[0] != 0.0
    # ridge never reaches zero
    assert zero_slope_strength(x, y, l1_ratio=0.0) == math.inf
    assert best_line(x, y, "mse", "l2", threshold * 1e6)[0] != 0.0


@pytest.mark.parametrize("name, params", [("huber", {"delta": 1.0}), ("huber", {"delta": 0.3}), ("logcosh", {})])
def test_smooth_losses_snap_to_zero_exactly_above_their_threshold(name, params):
    _, x, y = DATA[0]
    threshold = zero_slope_strength(x, y, name, **params)
    assert threshold > 0
    w, b = best_line(x, y, name, "l1", threshold * (1 + 1e-9), **params)
    assert w == 0.0
    flat = line_objective(x, y, name, **params)
    # b is the best flat line: the data's slope in b is zero there
    assert abs(flat.gradient(np.array([0.0, b]))[1]) < 1e-10
    assert best_line(x, y, name, "l1", threshold * (1 - 1e-4), **params)[0] != 0.0


def _perturbations(step: float):
    for dw in (-step, 0.0, step):
        for db in (-step, 0.0, step):
            if dw or db:
                yield np.array([dw, db])


LOSS_CASES = [("mse", {}), ("mae", {}), ("huber", {"delta": 1.0}), ("huber", {"delta": 0.4}), ("logcosh", {}),
              ("quantile", {"tau": 0.8}), ("quantile", {"tau": 0.5})]


@pytest.mark.parametrize("penalty", ["l1", "l2", "elastic"])
@pytest.mark.parametrize("name, params", LOSS_CASES, ids=[f"{n}{p}" for n, p in LOSS_CASES])
@pytest.mark.parametrize("data", DATA, ids=DATA_IDS)
def test_every_loss_reaches_a_converged_penalised_minimum(data, name, params, penalty):
    _, x, y = data
    for lam in (0.05, 0.5, 5.0):
        w, b = best_line(x, y, name, penalty, lam, 0.5, **params)
        obj = line_objective(x, y, name, penalty, lam, 0.5, **params)
        best = obj.cost(np.array([w, b]))
        # no nearby line, nor the flat line, nor the unpenalised optimum, does better
        others = [np.array([w, b]) + d for s in (1e-3, 1e-5) for d in _perturbations(s)]
        others.append(np.array(best_line(x, y, name, **params)))
        others.append(np.array([0.0, best_line(np.zeros_like(x) + 1.0, y, name, **params)[1]]))
        for theta in others:
            assert best <= obj.cost(theta) + 1e-12 * (1 + abs(best)), (theta, best, obj.cost(theta))
        # the penalty shrinks the slope: never further from 0 than the unpenalised slope
        assert abs(w) <= abs(best_line(x, y, name, **params)[0]) + 1e-9


def test_pinball_lasso_on_few_points_is_the_best_lp_vertex():
    """Pinball + λ|w| is a linear programme: its optimum is a line through two points or flat."""
    rng = np.random.default_rng(4)
    x = rng.normal(0, 1, 9)
    y = 2 * x + rng.normal(0, 1, 9)
    for name, params in (("mae", {}), ("quantile", {"tau": 0.3})):
        loss = LOSSES[name]
        for lam in (0.1, 0.8, 3.0):
            obj = line_objective(x, y, name, "l1", lam, **params)
            candidates = [np.array([0.0, c]) for c in y]  # flat lines through one point
            for i in range(9):
                for j in range(i + 1, 9):
                    w = (y[j] - y[i]) / (x[j] - x[i])
                    candidates.append(np.array([w, y[i] - w * x[i]]))
            costs = [float(loss.value(y, t[0] * x + t[1], **params).mean()) + lam * abs(t[0]) for t in candidates]
            w, b = best_line(x, y, name, "l1", lam, **params)
            assert obj.cost(np.array([w, b])) == pytest.approx(min(costs), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("penalty", ["l1", "l2", "elastic"])
@pytest.mark.parametrize("data", DATA, ids=DATA_IDS)
def test_the_mse_path_is_best_line_at_every_strength(data, penalty):
    _, x, y = data
    lams = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 40)])
    out_l, w, b = regularisation_path(x, y, "mse", penalty, lams, l1_ratio=0.7)
    np.testing.assert_array_equal(out_l, lams)
    each = np.array([best_line(x, y, "mse", penalty, lam, 0.7) for lam in lams])
    np.testing.assert_allclose(w, each[:, 0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(b, each[:, 1], rtol=1e-12, atol=1e-12)
    assert np.all(np.diff(np.abs(w)) <= 1e-15)  # the slope only ever shrinks as λ grows
    if penalty == "l2":
        assert np.all(w != 0.0)  # ridge: smooth shrinking, never exactly zero
    else:
        zero = w == 0.0
        assert zero[-1] and not zero[0]
        assert np.all(zero[np.argmax(zero):])  # once zero, zero for every larger λ


@pytest.mark.parametrize("name, params", [("huber", {"delta": 1.0}), ("mae", {}), ("quantile", {"tau": 0.7})])
def test_the_path_of_other_losses_is_best_line_at_every_strength(name, params):
    _, x, y = DATA[2]
    lams = [0.0, 0.1, 1.0, 10.0]
    _, w, b = regularisation_path(x, y, name, "elastic", lams, 0.5, **params)
    each = np.array([best_line(x, y, name, "elastic", lam, 0.5, **params) for lam in lams])
    np.testing.assert_array_equal(np.column_stack([w, b]), each)


def test_ridge_weakens_an_outliers_pull_on_the_slope():
    rng = np.random.default_rng(30)
    x = np.linspace(0, 10, 20)
    y = 0.5 * x + rng.normal(0, 0.3, 20)
    y_out = y.copy()
    y_out[-1] += 25.0  # one point far above the line, at the end of the x range
    lams = [0.0, 1.0, 10.0, 100.0, 1000.0]
    _, w_clean, _ = regularisation_path(x, y, "mse", "l2", lams)
    _, w_out, _ = regularisation_path(x, y_out, "mse", "l2", lams)
    pull = np.abs(w_out - w_clean)
    assert np.all(np.diff(pull) < 0) and pull[-1] < 0.1 * pull[0]


def test_without_a_penalty_best_line_is_unchanged():
    for name in REGRESSION_LOSSES:
        _, x, y = DATA[0]
        params = {"tau": 0.3} if name == "quantile" else {}
        plain = best_line(x, y, name, **params)
        assert best_line(x, y, name, None, 0.0, **params) == plain
        assert best_line(x, y, name, "l1", 0.0, **params) == plain
        assert best_line(x, y, name, None, 7.0, 0.2, **params) == plain  # no penalty: λ unused
    _, x, y = DATA[0]
    assert rough_best_line(x, y, "mse", "l2", 2.0) == best_line(x, y, "mse", "l2", 2.0)


def test_equal_x_gives_a_flat_line_under_any_penalty():
    x = np.full(6, 3.0)
    y = np.array([1.0, 2.0, 4.0, 0.0, 3.0, 2.0])
    for penalty in ("l1", "l2", "elastic"):
        assert best_line(x, y, "mse", penalty, 2.0) == (0.0, pytest.approx(2.0))
        _, w, _ = regularisation_path(x, y, "mse", penalty, [0.0, 1.0])
        np.testing.assert_array_equal(w, 0.0)


@pytest.mark.parametrize("strengths, message", [
    ([], "give at least one strength λ for the path"),
    ([0.0, -1.0], "the penalty strength λ must be zero or more, not -1"),
    ([0.0, np.nan], "the strengths λ hold a NaN or infinite value"),
    (["a"], "the strengths λ must be numbers"),
])
def test_bad_paths_are_refused_in_one_line(strengths, message):
    _, x, y = DATA[0]
    with pytest.raises(ValueError) as info:
        regularisation_path(x, y, "mse", "l1", strengths)
    assert str(info.value) == message
    with pytest.raises(ValueError, match="L1 ratio"):
        regularisation_path(x, y, "mse", "elastic", [1.0], l1_ratio=2.0)
    with pytest.raises(ValueError, match="unknown penalty"):
        regularisation_path(x, y, "mse", "ridge", [1.0])
    with pytest.raises(ValueError, match="regression loss"):
        regularisation_path([0.0, 1.0], [0, 1], "bce", "l2", [1.0])
    with pytest.raises(ValueError, match="smooth regression loss"):
        zero_slope_strength(x, y, "mae")


def test_a_penalty_raises_the_time_estimate_only_where_it_costs_more():
    assert best_line_seconds("huber", 10_000, "l1") > best_line_seconds("huber", 10_000)
    assert best_line_seconds("logcosh", 10_000, "l2") > best_line_seconds("logcosh", 10_000)
    assert best_line_seconds("mse", 10_000, "elastic") == best_line_seconds("mse", 10_000)
    assert best_line_seconds("huber", 10_000, None) == best_line_seconds("huber", 10_000)
