"""The methods that make slow losses fast: log-cosh's surface, the coarse surface, the rough best line."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from lossdesk.model import fitting
from lossdesk.model import surface as surface_module
from lossdesk.model.fitting import best_line, best_line_seconds, rough_best_line
from lossdesk.model.losses import LOSSES
from lossdesk.model.surface import (
    LOGCOSH_BOUND,
    brute_force_line_surface,
    coarse_line_surface,
    line_loss_surface,
    logcosh_coefficients,
    surface_method,
    surface_seconds,
)


def test_logcosh_polynomial_keeps_its_bound():
    z = np.linspace(0.0, 1.0, 200_001)
    a = logcosh_coefficients()
    approx = np.polynomial.polynomial.polyval(z, np.r_[0.0, a])
    assert np.abs(approx - np.log1p(z)).max() <= LOGCOSH_BOUND
    assert np.abs(a).max() <= 1.0 + 1e-9  # no cancellation when the powers are summed


def test_logcosh_has_its_own_method():
    assert surface_method("logcosh") == "bucketed prefix sums and exponential sums"


def _tolerance(slow: np.ndarray) -> float:
    """The docstring's bound: the polynomial's error plus rounding of a few ulps of Z."""
    return LOGCOSH_BOUND + 1e-12 * max(1.0, float(np.abs(slow).max()))


numbers = st.floats(-60, 60).map(lambda v: round(v, 3))


@st.composite
def logcosh_problems(draw):
    n = draw(st.integers(1, 40))
    x = draw(hnp.arrays(float, n, elements=numbers))
    y = draw(hnp.arrays(float, n, elements=numbers))
    w_grid = draw(hnp.arrays(float, st.integers(1, 9), elements=st.floats(-8, 8).map(lambda v: round(v, 2))))
    if draw(st.booleans()):  # the app's evenly spaced grid (the arithmetic bucketing)
        lo = draw(numbers)
        b_grid = np.linspace(lo, lo + draw(st.floats(0.01, 80)), draw(st.integers(2, 12)))
    else:  # any grid: unsorted, repeats, thresholds on residuals
        extra = draw(hnp.arrays(float, st.integers(1, 9), elements=numbers))
        b_grid = np.concatenate([extra, y[: draw(st.integers(0, 3))]])
    return x, y, w_grid, b_grid


@settings(max_examples=150, deadline=None)
@given(logcosh_problems())
def test_logcosh_surface_equals_brute_force_within_its_bound(problem):
    x, y, w_grid, b_grid = problem
    fast = line_loss_surface(x, y, "logcosh", w_grid, b_grid)
    slow = brute_force_line_surface(x, y, "logcosh", w_grid, b_grid)
    assert fast.shape == slow.shape
    np.testing.assert_allclose(fast, slow, rtol=0, atol=_tolerance(slow))


def test_logcosh_surface_near_and_far_from_the_data():
    # residuals within rounding of a threshold, far beyond the grid, and on both sides
    rng = np.random.default_rng(5)
    x = np.r_[rng.uniform(-3, 3, 400), 0.0, 1.0]
    y = np.r_[1.5 * x[:400] + rng.standard_t(1.5, 400), 500.0, -400.0]
    w_grid = np.linspace(-1, 4, 13)
    b_grid = np.linspace(-6, 6, 57)
    slow = brute_force_line_surface(x, y, "logcosh", w_grid, b_grid)
    np.testing.assert_allclose(line_loss_surface(x, y, "logcosh", w_grid, b_grid), slow, rtol=0,
                               atol=_tolerance(slow))


def test_logcosh_surface_in_small_chunks_is_the_same(monkeypatch):
    rng = np.random.default_rng(6)
    x = rng.uniform(-3, 3, 60)
    y = 2 * x + rng.normal(0, 1, 60)
    w_grid, b_grid = np.linspace(0, 4, 7), np.linspace(-3, 3, 9)
    whole = line_loss_surface(x, y, "logcosh", w_grid, b_grid)
    monkeypatch.setattr(surface_module, "CHUNK_ELEMENTS", 100)
    np.testing.assert_allclose(line_loss_surface(x, y, "logcosh", w_grid, b_grid), whole, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("name", ["mse", "mae", "huber", "quantile", "logcosh"])
def test_coarse_surface_is_exact_for_a_small_problem(name):
    # few points and a grid no finer than the coarse one: the coarse look is the exact surface
    rng = np.random.default_rng(7)
    x = rng.uniform(-3, 3, 30)
    y = 1.5 * x + rng.normal(0, 1, 30)
    w_grid, b_grid = np.linspace(-1, 4, 20), np.linspace(-4, 4, 24)
    np.testing.assert_allclose(coarse_line_surface(x, y, name, w_grid, b_grid),
                               line_loss_surface(x, y, name, w_grid, b_grid), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["mae", "huber", "quantile", "logcosh"])
def test_coarse_surface_looks_like_the_exact_one(name):
    rng = np.random.default_rng(8)
    x = rng.uniform(-3, 3, 20_000)
    y = 1.5 * x + 0.5 + rng.normal(0, 1, 20_000)
    w_grid, b_grid = np.linspace(-1, 4, 128), np.linspace(-4, 5, 128)
    exact = line_loss_surface(x, y, name, w_grid, b_grid)
    coarse = coarse_line_surface(x, y, name, w_grid, b_grid)
    assert coarse.shape == exact.shape
    spread = exact.max() - exact.min()
    assert np.abs(coarse - exact).max() <= 0.1 * spread
    # and its valley is where the exact one's is (within a few grid steps)
    i, j = np.unravel_index(np.argmin(exact), exact.shape)
    k, m = np.unravel_index(np.argmin(coarse), coarse.shape)
    assert abs(i - k) <= 12 and abs(j - m) <= 12


def test_surface_seconds_say_which_surfaces_are_slow():
    assert surface_seconds("mse", 10**6, 256) < 0.008
    assert surface_seconds("mae", 100, 128) < 0.008
    for name in ("mae", "huber", "quantile", "logcosh"):
        assert surface_seconds(name, 10**5, 128) > 0.1
        assert surface_seconds(name, 10**5, 128) > surface_seconds(name, 10**4, 128)
    assert surface_seconds("logcosh", 10**4, 128) > surface_seconds("mae", 10**4, 128)
    assert best_line_seconds("mse", 10**5) < 0.008 < best_line_seconds("mae", 10**4)


@pytest.mark.parametrize("name", ["mse", "mae", "huber", "quantile", "logcosh"])
def test_rough_best_line_is_the_best_line_for_few_points(name):
    rng = np.random.default_rng(9)
    x = rng.uniform(-3, 3, 50)
    y = 1.5 * x + rng.normal(0, 1, 50)
    assert rough_best_line(x, y, name) == best_line(x, y, name)


@pytest.mark.parametrize("name", ["mae", "huber", "quantile", "logcosh"])
def test_rough_best_line_is_near_the_best_line(name):
    rng = np.random.default_rng(10)
    x = rng.uniform(-3, 3, 30_000)
    y = 1.5 * x + 0.5 + rng.normal(0, 1, 30_000)
    w, b = rough_best_line(x, y, name)
    bw, bb = best_line(x, y, name)
    assert abs(w - bw) < 0.2 and abs(b - bb) < 0.3
    loss = LOSSES[name]
    assert loss.cost(y, w * x + b) <= 1.05 * loss.cost(y, bw * x + bb)


def test_logcosh_best_line_is_stationary_at_large_n():
    rng = np.random.default_rng(11)
    x = rng.uniform(-3, 3, 100_000)
    y = 1.5 * x + 0.5 + rng.standard_t(3, 100_000)
    w, b = best_line(x, y, "logcosh")
    g = np.tanh(y - (w * x + b))  # −dL/dŷ
    assert abs(g @ x / x.size) < 1e-9 and abs(g.mean()) < 1e-9


def test_rough_points_are_few_for_the_slow_fits():
    assert fitting.ROUGH_POINTS["mae"] * best_line_seconds("mae", 1) < 0.02
