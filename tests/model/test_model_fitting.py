"""Exact minimisers: the best constant and the best line for each regression loss."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lossdesk.model import LOSSES, REGRESSION_LOSSES, best_constant, best_line, line_objective


def const_cost(y, c, name, **params):
    return LOSSES[name].cost(y, np.full(len(y), c), **params)


def line_cost(x, y, w, b, name, **params):
    return LOSSES[name].cost(y, w * np.asarray(x) + b, **params)


def nearby(c: float, spread: float) -> np.ndarray:
    steps = spread * np.array([1e-9, 1e-6, 1e-3, 1e-1, 1.0])
    return np.concatenate([c - steps, c + steps])


# ------------------------------------------------------------------ best constant
def test_best_constant_mse_is_the_mean():
    rng = np.random.default_rng(3)
    y = rng.normal(2, 5, 41)
    c = best_constant(y, "mse")
    assert c == pytest.approx(y.mean(), rel=1e-13, abs=1e-13)
    for other in [*nearby(c, y.std()), np.median(y), np.quantile(y, 0.3), np.quantile(y, 0.8)]:
        assert const_cost(y, c, "mse") <= const_cost(y, other, "mse")


def test_best_constant_mae_is_the_median_for_odd_n():
    rng = np.random.default_rng(4)
    y = rng.standard_t(1.5, 31) * 3
    c = best_constant(y, "mae")
    assert c == np.median(y)
    assert c in y
    for other in [*nearby(c, y.std()), y.mean(), np.quantile(y, 0.4), np.quantile(y, 0.6)]:
        assert const_cost(y, c, "mae") <= const_cost(y, other, "mae")


@pytest.mark.parametrize("tau", [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
def test_best_constant_quantile_is_the_tau_quantile(tau):
    rng = np.random.default_rng(5)
    y = rng.exponential(2.0, 37)
    c = best_constant(y, "quantile", tau=tau)
    # the ⌈τn⌉-th smallest value: numpy's inverted-CDF quantile
    assert c == np.quantile(y, tau, method="inverted_cdf")
    cost = const_cost(y, c, "quantile", tau=tau)
    others = [*nearby(c, y.std()), np.quantile(y, tau), np.quantile(y, tau, method="lower"),
              np.quantile(y, tau, method="higher"), np.median(y), y.mean()]
    for other in others:
        assert cost <= const_cost(y, other, "quantile", tau=tau) * (1 + 1e-12)


@pytest.mark.parametrize("name, params", [("huber", {}), ("huber", {"delta": 0.3}), ("logcosh", {})])
def test_best_constant_smooth_losses_zero_the_derivative(name, params):
    rng = np.random.default_rng(6)
    y = np.concatenate([rng.normal(0, 1, 30), [15.0, 22.0]])  # two outliers
    c = best_constant(y, name, **params)
    # between the median and the mean: robust, but not the median
    assert np.median(y) - 1e-9 <= c < y.mean()
    g = LOSSES[name].gradient(y, np.full(y.size, c), **params).mean()
    assert abs(g) < 1e-12
    cost = const_cost(y, c, name, **params)
    for other in [*nearby(c, 1.0), np.median(y), y.mean()]:
        assert cost <= const_cost(y, other, name, **params) * (1 + 1e-12)


finite_values = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@given(
    y=hnp.arrays(float, st.integers(1, 25), elements=finite_values),
    name=st.sampled_from(REGRESSION_LOSSES),
    tau=st.floats(0.01, 0.99),
    delta=st.floats(0.01, 100.0),
)
def test_best_constant_is_never_beaten(y, name, tau, delta):
    params = {"tau": tau} if name == "quantile" else {"delta": delta} if name == "huber" else {}
    c = best_constant(y, name, **params)
    assert y.min() - 1e-9 <= c <= y.max() + 1e-9
    cost = const_cost(y, c, name, **params)
    scale = const_cost(y, 0.0, name, **params) + 1e-300
    candidates = [*y, *nearby(c, np.ptp(y) + 1.0), np.quantile(y, tau), np.mean(y), np.median(y)]
    for other in candidates:
        # log-cosh is exact to ~1e-16 absolute (its stable form cancels near e = 0)
        assert cost <= const_cost(y, other, name, **params) + 1e-9 * scale + 1e-15


# ------------------------------------------------------------------ best line
def test_mse_best_line_equals_polyfit():
    rng = np.random.default_rng(8)
    for n in (2, 3, 10, 200):
        x = rng.uniform(-50, 80, n)
        y = -0.7 * x + 12 + rng.normal(0, 9, n)
        w, b = best_line(x, y, "mse")
        pw, pb = np.polyfit(x, y, 1)
        assert w == pytest.approx(pw, rel=1e-9, abs=1e-12)
        assert b == pytest.approx(pb, rel=1e-9, abs=1e-9)


def test_best_line_through_two_points_is_exact_for_every_loss():
    for name in REGRESSION_LOSSES:
        w, b = best_line([1.0, 3.0], [2.0, 6.0], name)
        assert w == pytest.approx(2.0, abs=1e-9)
        assert b == pytest.approx(0.0, abs=1e-9)


def test_best_line_with_one_distinct_x_is_flat_at_the_best_constant():
    y = [1.0, 2.0, 7.0]
    for name in REGRESSION_LOSSES:
        w, b = best_line([4.0, 4.0, 4.0], y, name)
        assert w == 0.0
        assert b == pytest.approx(best_constant(y, name))


def test_mae_line_ignores_outliers_mse_line_does_not():
    x = np.arange(11.0)
    y = 2.0 * x + 1.0
    y_out = y.copy()
    y_out[9] -= 40.0
    y_out[10] -= 50.0
    w_mae, b_mae = best_line(x, y_out, "mae")
    assert (w_mae, b_mae) == pytest.approx((2.0, 1.0), abs=1e-9)
    w_mse, _ = best_line(x, y_out, "mse")
    assert w_mse < 0.5


def test_best_line_rejects_classification_losses():
    with pytest.raises(ValueError, match="best_line needs a regression loss"):
        best_line([0.0, 1.0], [0.0, 1.0], "bce_logits")


def _pair_lines(x, y):
    """Every line through two data points with distinct x."""
    for i, j in itertools.combinations(range(len(x)), 2):
        if x[i] != x[j]:
            w = (y[j] - y[i]) / (x[j] - x[i])
            yield w, y[i] - w * x[i]


@st.composite
def line_problems(draw):
    n = draw(st.integers(2, 14))
    # data as an app user has it: a few decimals (ties in x included)
    x = draw(hnp.arrays(float, n, elements=st.floats(-100, 100).map(lambda v: round(v, 4))))
    noise = draw(hnp.arrays(float, n, elements=st.floats(-50, 50).map(lambda v: round(v, 4))))
    w = draw(st.floats(-5, 5))
    b = draw(st.floats(-20, 20))
    y = w * x + b + noise
    name = draw(st.sampled_from(REGRESSION_LOSSES))
    params = {}
    if name == "quantile":
        params["tau"] = draw(st.floats(0.01, 0.99))
    elif name == "huber":
        params["delta"] = draw(st.floats(0.01, 100.0))
    seed = draw(st.integers(0, 2**32 - 1))
    return x, y, name, params, seed


@given(line_problems())
def test_best_line_is_never_beaten_by_nearby_lines(problem):
    x, y, name, params, seed = problem
    w, b = best_line(x, y, name, **params)
    assert np.isfinite(w) and np.isfinite(b)
    best = line_cost(x, y, w, b, name, **params)
    scale = line_cost(x, y, 0.0, 0.0, name, **params) + 1e-300
    rng = np.random.default_rng(seed)
    candidates = []
    for size in (1e-8, 1e-5, 1e-3, 1e-1, 1.0):
        d = rng.normal(size=(6, 2)) * size * (1.0 + np.abs([w, b]))
        candidates.extend(zip(w + d[:, 0], b + d[:, 1]))
    pw, pb = np.polyfit(x, y, 1) if np.ptp(x) > 0 else (0.0, float(np.mean(y)))
    candidates.append((pw, pb))
    if name in ("mae", "quantile"):
        # a piecewise-linear problem: some optimum passes through two data points
        candidates.extend(_pair_lines(x, y))
    for cw, cb in candidates:
        other = line_cost(x, y, cw, cb, name, **params)
        assert best <= other + 1e-9 * (other + 1e-3 * scale), (name, params, (w, b), (cw, cb))


@pytest.mark.parametrize("name", ["huber", "logcosh"])
def test_smooth_best_line_has_zero_gradient(name):
    rng = np.random.default_rng(9)
    x = rng.uniform(-3, 3, 60)
    y = 1.5 * x + 0.5 + rng.standard_t(1.5, 60)
    w, b = best_line(x, y, name)
    g = line_objective(x, y, name).gradient(np.array([w, b]))
    assert np.abs(g).max() < 1e-10


@pytest.mark.parametrize("tau", [0.5, 0.2, 0.85])
def test_large_pinball_search_matches_trying_every_pair(tau):
    """Above the pairwise limit a search is used; it must land on the same optimum."""
    from lossdesk.model import fitting

    rng = np.random.default_rng(11)
    n = fitting.PAIRWISE_LIMIT + 80
    x = rng.uniform(-3, 3, n)
    y = 1.5 * x + rng.standard_t(2, n)
    name = "mae" if tau == 0.5 else "quantile"
    params = {} if name == "mae" else {"tau": tau}
    w, b = best_line(x, y, name, **params)
    xc = x - x.mean()
    w_exact, c_exact = fitting._pinball_line_pairwise(xc, y, tau)
    obj = line_objective(x, y, name, **params)
    exact_cost = obj.cost(np.array([w_exact, c_exact - w_exact * x.mean()]))
    assert obj.cost(np.array([w, b])) <= exact_cost * (1 + 1e-9)
