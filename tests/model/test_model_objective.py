"""Objective: the cost of parameters θ and its chain-rule gradient."""

from __future__ import annotations

import numpy as np
import pytest

from lossdesk.model import (
    LOSSES,
    REGRESSION_LOSSES,
    Line,
    Logistic,
    Objective,
    Softmax,
    line_objective,
    sigmoid,
    softmax,
    softmax_classifier,
)


def fd4_gradient(f, theta: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Fourth-order central differences of a scalar function of θ."""
    g = np.empty_like(theta)
    for k in range(theta.size):
        e = np.zeros_like(theta)
        e[k] = h
        g[k] = (f(theta - 2 * e) - 8 * f(theta - e) + 8 * f(theta + e) - f(theta + 2 * e)) / (12 * h)
    return g


def _regression_data(seed=20, n=50):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, n)
    y = 1.5 * x + 0.5 + rng.standard_t(2, n)
    return x, y


def _kink_distance(name, residuals, params):
    """How far the residuals are from the loss's kinks (∞ for smooth losses)."""
    if name in ("mae", "quantile"):
        return np.abs(residuals).min()
    if name == "huber":
        return np.abs(np.abs(residuals) - params.get("delta", 1.0)).min()
    return np.inf


@pytest.mark.parametrize(
    "name, params",
    [("mse", {}), ("mae", {}), ("huber", {}), ("huber", {"delta": 0.4}), ("logcosh", {}),
     ("quantile", {"tau": 0.8}), ("quantile", {"tau": 0.15})],
)
def test_line_gradient_matches_finite_differences(name, params):
    x, y = _regression_data()
    obj = line_objective(x, y, name, **params)
    rng = np.random.default_rng(21)
    h = 1e-5
    reach = 2 * h * (np.abs(x).max() + 1)  # how far the stencil moves a residual
    checked = 0
    while checked < 5:
        theta = np.array([1.5, 0.5]) + rng.normal(0, 1, 2)
        r = theta[0] * x + theta[1] - y
        if _kink_distance(name, r, params) < 10 * reach:
            continue  # smooth points only: no kink within reach of the stencil
        checked += 1
        cost, grad = obj.cost_and_gradient(theta)
        assert cost == pytest.approx(LOSSES[name].cost(y, theta[0] * x + theta[1], **params), rel=1e-13)
        np.testing.assert_allclose(grad, fd4_gradient(obj.cost, theta, h), rtol=1e-6, atol=1e-8)
        np.testing.assert_array_equal(obj.gradient(theta), grad)


def test_every_regression_loss_has_a_line_gradient_case():
    covered = {"mse", "mae", "huber", "logcosh", "quantile"}
    assert covered == set(REGRESSION_LOSSES)


def _binary_data(n_features, seed=22, n=40):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1.5, (n, n_features))
    labels = (x.sum(axis=1) + rng.normal(0, 1, n) > 0).astype(int)
    return (x[:, 0] if n_features == 1 else x), labels


@pytest.mark.parametrize("name", ["bce", "bce_logits", "hinge"])
@pytest.mark.parametrize("n_features", [1, 2])
def test_logistic_gradient_matches_finite_differences(name, n_features):
    x, labels = _binary_data(n_features)
    model = Logistic(n_features=n_features)
    obj = Objective.create(name, x, labels, model)
    rng = np.random.default_rng(23)
    X = x.reshape(len(labels), -1)
    reach = 2e-5 * (np.abs(X).sum(axis=1).max() + 1)
    checked = 0
    while checked < 5:
        theta = rng.normal(0, 1, n_features + 1)
        z = X @ theta[:-1] + theta[-1]
        if name == "hinge" and np.abs(1 - (2 * labels - 1) * z).min() < 10 * reach:
            continue  # smooth points only: away from the hinge
        checked += 1
        cost, grad = obj.cost_and_gradient(theta)
        p = sigmoid(z)
        expected_cost = LOSSES[name].cost(labels, p if name == "bce" else z)
        assert cost == pytest.approx(expected_cost, rel=1e-13)
        np.testing.assert_allclose(grad, fd4_gradient(obj.cost, theta, 1e-5), rtol=1e-6, atol=1e-9)
    if name != "hinge":
        # BCE with a sigmoid: dC/dz = p − y, so dC/db = mean(p − y)
        assert grad[-1] == pytest.approx(np.mean(sigmoid(z) - labels), rel=1e-9, abs=1e-12)


def test_bce_and_bce_logits_agree_through_the_sigmoid():
    x, labels = _binary_data(2)
    model = Logistic(n_features=2)
    a = Objective.create("bce", x, labels, model)
    b = Objective.create("bce_logits", x, labels, model)
    theta = np.array([0.7, -0.3, 0.2])
    ca, ga = a.cost_and_gradient(theta)
    cb, gb = b.cost_and_gradient(theta)
    assert ca == pytest.approx(cb, rel=1e-9)
    np.testing.assert_allclose(ga, gb, rtol=1e-8)
    np.testing.assert_allclose(a.prediction(theta), model.predict(theta, x))


def _three_class_data(seed=24, n=45):
    rng = np.random.default_rng(seed)
    labels = np.repeat([0, 1, 2], n // 3)
    centres = np.array([[0.0, 2.0], [-1.7, -1.0], [1.7, -1.0]])
    return centres[labels] + rng.normal(0, 0.9, (n, 2)), labels


@pytest.mark.parametrize("name", ["cce", "cce_logits"])
def test_softmax_gradient_matches_finite_differences(name):
    x, labels = _three_class_data()
    model = softmax_classifier(3)
    assert isinstance(model, Softmax) and model.n_outputs == 3 and model.n_features == 2
    obj = Objective.create(name, x, labels, model)
    rng = np.random.default_rng(25)
    for _ in range(4):
        theta = rng.normal(0, 1, model.n_params)
        z = model.raw(theta, x)
        cost, grad = obj.cost_and_gradient(theta)
        expected = LOSSES[name].cost(labels, softmax(z) if name == "cce" else z)
        assert cost == pytest.approx(expected, rel=1e-13)
        np.testing.assert_allclose(grad, fd4_gradient(obj.cost, theta, 1e-5), rtol=1e-6, atol=1e-9)


def test_cce_and_cce_logits_agree_through_the_softmax():
    x, labels = _three_class_data()
    model = softmax_classifier(3)
    theta = np.linspace(-1, 1, 9)
    ca, ga = Objective.create("cce", x, labels, model).cost_and_gradient(theta)
    cb, gb = Objective.create("cce_logits", x, labels, model).cost_and_gradient(theta)
    assert ca == pytest.approx(cb, rel=1e-9)
    np.testing.assert_allclose(ga, gb, rtol=1e-8, atol=1e-12)
    # one-hot labels build the same objective
    one_hot = Objective.create("cce_logits", x, np.eye(3)[labels], model)
    assert one_hot.cost(theta) == cb


def test_mini_batch_cost_and_gradient_use_only_those_rows():
    x, y = _regression_data()
    obj = line_objective(x, y, "huber")
    rows = np.array([3, 7, 11, 40])
    theta = np.array([1.0, 0.2])
    c_rows, g_rows = obj.cost_and_gradient(theta, rows)
    c_sub, g_sub = line_objective(x[rows], y[rows], "huber").cost_and_gradient(theta)
    assert c_rows == c_sub
    np.testing.assert_array_equal(g_rows, g_sub)
    assert c_rows != obj.cost(theta)


def test_objective_losses_are_per_example():
    x, y = _regression_data(n=12)
    obj = line_objective(x, y, "mae")
    theta = np.array([2.0, -1.0])
    np.testing.assert_allclose(obj.losses(theta), np.abs(2 * x - 1 - y))
    assert obj.n == 12
    assert obj.cost(theta) == pytest.approx(np.abs(2 * x - 1 - y).mean())


def test_objective_create_validates_the_data():
    with pytest.raises(ValueError, match="the data set is empty"):
        line_objective([], [], "mse")
    with pytest.raises(ValueError, match="x holds a NaN or infinite value"):
        line_objective([0.0, np.nan], [1.0, 2.0], "mse")
    with pytest.raises(ValueError, match="y_true holds a NaN"):
        line_objective([0.0, 1.0], [1.0, np.nan], "mse")
    with pytest.raises(ValueError, match="x has 3 rows but y has 2"):
        line_objective([0.0, 1.0, 2.0], [1.0, 2.0], "mse")
    with pytest.raises(ValueError, match=r"the predictor expects 2 feature\(s\), the data has 1"):
        Objective.create("bce", [0.0, 1.0], [0, 1], Logistic(n_features=2))
    with pytest.raises(ValueError, match="needs labels 0 or 1"):
        Objective.create("bce", [0.0, 1.0], [0, 2], Logistic())
    with pytest.raises(ValueError, match="out of range"):
        Objective.create("cce", [[0.0, 1.0], [1.0, 0.0]], [0, 3], softmax_classifier(3))
    with pytest.raises(ValueError, match="tau must lie between"):
        line_objective([0.0, 1.0], [1.0, 2.0], "quantile", tau=2.0)
    with pytest.raises(ValueError, match="unknown loss"):
        line_objective([0.0, 1.0], [1.0, 2.0], "l1")


def test_objective_defaults_to_a_line():
    obj = Objective.create("mse", [0.0, 1.0], [1.0, 3.0])
    assert obj.predictor == Line()
    assert obj.cost(np.array([2.0, 1.0])) == 0.0
