"""Loss surfaces: every fast path equals direct evaluation; classifier surfaces equal the cost."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossdesk.model.surface as surface_module
from lossdesk.model import (
    LOSSES,
    Line,
    Logistic,
    Objective,
    brute_force_line_surface,
    line_loss_surface,
    line_objective,
    parameter_surface,
    softmax_classifier,
)
from lossdesk.model.surface import grid_around, line_surface_window, surface_method

SURFACE_LOSSES = ["mse", "mae", "huber", "quantile", "logcosh"]


def test_surface_methods():
    assert surface_method("mse") == "sufficient statistics"
    for name in ("mae", "huber", "quantile"):
        assert surface_method(name) == "bucketed prefix sums"
    assert surface_method("logcosh") == "bucketed prefix sums and exponential sums"
    assert surface_method(LOSSES["bce"]) == "chunked direct evaluation"


def _reference(x, y, name, w_grid, b_grid, **params):
    """The surface by the definition, one (w, b) at a time."""
    loss = LOSSES[name]
    return np.array([[loss.cost(y, w * x + b, **params) for b in b_grid] for w in w_grid])


def test_brute_force_surface_is_the_definition():
    rng = np.random.default_rng(10)
    x = rng.uniform(-3, 3, 17)
    y = 2 * x - 1 + rng.normal(0, 1, 17)
    w_grid = np.linspace(-1, 4, 6)
    b_grid = np.linspace(-3, 2, 5)
    for name in SURFACE_LOSSES:
        params = {"delta": 0.8} if name == "huber" else {"tau": 0.3} if name == "quantile" else {}
        Z = brute_force_line_surface(x, y, name, w_grid, b_grid, **params)
        assert Z.shape == (6, 5)
        np.testing.assert_allclose(Z, _reference(x, y, name, w_grid, b_grid, **params), rtol=1e-12)


@pytest.mark.parametrize("name", SURFACE_LOSSES)
def test_fast_surface_matches_hand_grid(name):
    x = np.array([-2.0, -1.0, 0.0, 1.0, 3.0, 3.0])
    y = np.array([-3.0, -1.5, 0.5, 1.0, 5.0, -4.0])
    # grid values that hit residuals and Huber edges exactly, unsorted, with a repeat
    w_grid = np.array([1.5, 0.0, -1.0, 1.5, 2.0])
    b_grid = np.array([0.5, -1.0, 1.0, 0.0, 2.5, -4.0, 0.5])
    params = {"delta": 1.0} if name == "huber" else {"tau": 0.8} if name == "quantile" else {}
    Z = line_loss_surface(x, y, name, w_grid, b_grid, **params)
    assert Z.shape == (5, 7)
    np.testing.assert_allclose(Z, _reference(x, y, name, w_grid, b_grid, **params), rtol=1e-12, atol=1e-12)


numbers = st.floats(-100, 100).map(lambda v: round(v, 2))


@st.composite
def surface_problems(draw):
    n = draw(st.integers(1, 30))
    x = draw(hnp.arrays(float, n, elements=numbers))
    y = draw(hnp.arrays(float, n, elements=numbers))
    w_grid = draw(hnp.arrays(float, st.integers(1, 8), elements=st.floats(-10, 10).map(lambda v: round(v, 2))))
    b_extra = draw(hnp.arrays(float, st.integers(1, 8), elements=numbers))
    # some b values on data values, so residuals land exactly on thresholds
    b_grid = np.concatenate([b_extra, y[: draw(st.integers(0, 3))]])
    name = draw(st.sampled_from(SURFACE_LOSSES))
    params = {}
    if name == "huber":
        params["delta"] = draw(st.sampled_from([0.5, 1.0, 2.0]) | st.floats(1e-3, 200.0))
    elif name == "quantile":
        params["tau"] = draw(st.floats(0.01, 0.99))
    return x, y, w_grid, b_grid, name, params


@given(surface_problems())
def test_every_surface_fast_path_equals_brute_force(problem):
    x, y, w_grid, b_grid, name, params = problem
    fast = line_loss_surface(x, y, name, w_grid, b_grid, **params)
    slow = brute_force_line_surface(x, y, name, w_grid, b_grid, **params)
    assert fast.shape == slow.shape == (w_grid.size, b_grid.size)
    assert np.all(np.isfinite(fast))
    scale = np.abs(slow).max() + 1e-300
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-9 * scale)


@pytest.mark.parametrize("name", SURFACE_LOSSES)
def test_surface_in_small_chunks_equals_one_piece(name, monkeypatch):
    rng = np.random.default_rng(11)
    x = rng.uniform(-3, 3, 25)
    y = 1.5 * x + rng.standard_t(2, 25)
    w_grid = np.linspace(-2, 4, 9)
    b_grid = np.linspace(-3, 3, 11)
    whole = line_loss_surface(x, y, name, w_grid, b_grid)
    monkeypatch.setattr(surface_module, "CHUNK_ELEMENTS", 60)
    chunked = line_loss_surface(x, y, name, w_grid, b_grid)
    np.testing.assert_allclose(chunked, whole, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        brute_force_line_surface(x, y, name, w_grid, b_grid), whole, rtol=1e-9, atol=1e-12
    )


def test_surface_minimum_sits_at_the_best_line():
    rng = np.random.default_rng(12)
    x = rng.uniform(-3, 3, 50)
    y = 1.5 * x + 0.5 + rng.normal(0, 0.5, 50)
    w_grid = np.linspace(0.0, 3.0, 301)
    b_grid = np.linspace(-1.0, 2.0, 301)
    Z = line_loss_surface(x, y, "mse", w_grid, b_grid)
    i, j = np.unravel_index(np.argmin(Z), Z.shape)
    w, b = np.polyfit(x, y, 1)
    assert abs(w_grid[i] - w) <= 0.01 and abs(b_grid[j] - b) <= 0.01


def test_surface_rejects_bad_grids():
    x, y = [0.0, 1.0], [1.0, 2.0]
    with pytest.raises(ValueError, match="w_grid is empty"):
        line_loss_surface(x, y, "mse", [], [0.0])
    with pytest.raises(ValueError, match="b_grid holds a NaN or infinite value"):
        line_loss_surface(x, y, "mae", [0.0], [0.0, np.nan])
    with pytest.raises(ValueError, match="y holds a NaN or infinite value .at position 1"):
        line_loss_surface(x, [1.0, np.inf], "mse", [0.0], [0.0])
    with pytest.raises(ValueError, match="delta must lie between"):
        line_loss_surface(x, y, "huber", [0.0], [0.0], delta=-1.0)


def test_grid_helpers():
    g = grid_around(2.0, 1.0, 5)
    np.testing.assert_allclose(g, [1.0, 1.5, 2.0, 2.5, 3.0])
    np.testing.assert_allclose(grid_around(0.0, 0.0, 3), [-1.0, 0.0, 1.0])
    x = np.linspace(-3, 3, 20)
    y = 1.5 * x + 0.5 + np.sin(5 * x)
    (w_lo, w_hi), (b_lo, b_hi) = line_surface_window(x, y)
    w, b = np.polyfit(x, y, 1)
    assert w_lo < w < w_hi and b_lo < b < b_hi
    assert w == pytest.approx((w_lo + w_hi) / 2) and b == pytest.approx((b_lo + b_hi) / 2)


# ------------------------------------------------------------------ classifier surfaces
def _check_parameter_surface(obj: Objective, theta: np.ndarray, i: int, j: int):
    gi = np.array([-2.0, -0.5, 0.0, 1.25, 3.0])
    gj = np.array([1.5, -1.0, 0.25, 2.0])
    Z = parameter_surface(obj, theta, i, j, gi, gj)
    assert Z.shape == (gi.size, gj.size)
    for a in range(gi.size):
        for c in range(gj.size):
            t = theta.copy()
            t[i], t[j] = gi[a], gj[c]
            assert Z[a, c] == pytest.approx(obj.cost(t), rel=1e-12, abs=1e-14)
    # a grid point equal to θ itself gives the cost at θ
    Z0 = parameter_surface(obj, theta, i, j, [theta[i]], [theta[j]])
    assert Z0[0, 0] == pytest.approx(obj.cost(theta), rel=1e-12)
    return Z


@pytest.mark.parametrize("loss", ["bce", "bce_logits", "hinge"])
@pytest.mark.parametrize("n_features", [1, 2])
def test_parameter_surface_for_logistic_equals_cost(loss, n_features):
    rng = np.random.default_rng(13 + n_features)
    n = 40
    x = rng.normal(0, 1.5, (n, n_features))
    labels = (x.sum(axis=1) + rng.normal(0, 1, n) > 0).astype(int)
    obj = Objective.create(loss, x, labels, Logistic(n_features=n_features))
    theta = rng.normal(0, 1, n_features + 1)
    P = n_features + 1
    for i in range(P):
        for j in range(P):
            if i != j:
                _check_parameter_surface(obj, theta, i, j)


@pytest.mark.parametrize("loss", ["cce", "cce_logits"])
def test_parameter_surface_for_softmax_equals_cost(loss, monkeypatch):
    rng = np.random.default_rng(15)
    n = 45
    labels = np.repeat([0, 1, 2], 15)
    centres = np.array([[0.0, 2.0], [-1.7, -1.0], [1.7, -1.0]])
    x = centres[labels] + rng.normal(0, 0.8, (n, 2))
    model = softmax_classifier(3)
    assert model.n_params == 9
    obj = Objective.create(loss, x, labels, model)
    theta = rng.normal(0, 1, 9)
    for i, j in [(0, 1), (1, 2), (0, 5), (7, 3), (8, 6)]:
        Z = _check_parameter_surface(obj, theta, i, j)
        # tiny chunks (one column at a time) give the same surface
        monkeypatch.setattr(surface_module, "CHUNK_ELEMENTS", 1)
        np.testing.assert_allclose(
            parameter_surface(obj, theta, i, j, [-2.0, -0.5, 0.0, 1.25, 3.0], [1.5, -1.0, 0.25, 2.0]),
            Z, rtol=1e-13, atol=1e-15,
        )
        monkeypatch.undo()


def test_parameter_surface_for_a_line_equals_the_line_surface():
    rng = np.random.default_rng(16)
    x = rng.uniform(-2, 2, 30)
    y = x + rng.normal(0, 1, 30)
    obj = line_objective(x, y, "logcosh")
    w_grid, b_grid = np.linspace(-1, 3, 7), np.linspace(-2, 2, 5)
    np.testing.assert_allclose(
        parameter_surface(obj, np.array([9.0, 9.0]), 0, 1, w_grid, b_grid),
        line_loss_surface(x, y, "logcosh", w_grid, b_grid),
        rtol=1e-13,
    )
    # swapping the axes transposes the surface
    np.testing.assert_allclose(
        parameter_surface(obj, np.zeros(2), 1, 0, b_grid, w_grid),
        line_loss_surface(x, y, "logcosh", w_grid, b_grid).T,
        rtol=1e-13,
    )


def test_parameter_surface_leaves_theta_alone_and_rejects_one_parameter():
    obj = Objective.create("bce_logits", [[0.0, 1.0], [1.0, 0.0]], [0, 1], Logistic(n_features=2))
    theta = np.array([0.5, -0.5, 0.25])
    parameter_surface(obj, theta, 0, 1, [0.0, 1.0], [0.0, 1.0])
    np.testing.assert_array_equal(theta, [0.5, -0.5, 0.25])
    with pytest.raises(ValueError, match="two different parameters"):
        parameter_surface(obj, theta, 1, 1, [0.0], [0.0])
    with pytest.raises(ValueError, match="grid_j is empty"):
        parameter_surface(obj, theta, 0, 1, [0.0], [])


def test_line_predictor_parameters():
    assert Line().param_names == ("w", "b")
    assert Logistic(n_features=2).param_names == ("w1", "w2", "b")
    assert softmax_classifier(3).param_names[:3] == ("w1[0]", "w2[0]", "b[0]")
