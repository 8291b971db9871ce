"""Penalised costs: cost = mean loss + λ·P(w), biases never penalised (model layer, no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from lossdesk.model import (
    LOSSES,
    MLP,
    Line,
    Logistic,
    Objective,
    line_objective,
    make_optimizer,
    run_descent,
)
from lossdesk.model.fitting import best_line, regularisation_path
from lossdesk.model.network import output_gradients
from lossdesk.model.objective import PENALTIES, check_penalty, penalty_coefficients
from lossdesk.model.predictors import softmax_classifier
from lossdesk.model.surface import (
    line_loss_surface,
    parameter_penalty_surface,
    parameter_surface,
    penalty_surface,
)

RATIO = 0.3


def fd4_gradient(f, theta: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Fourth-order central differences of a scalar function, one coordinate at a time."""
    out = np.empty_like(theta)
    for k in range(theta.size):
        e = np.zeros_like(theta)
        e[k] = h
        out[k] = (f(theta - 2 * e) - 8 * f(theta - e) + 8 * f(theta + e) - f(theta + 2 * e)) / (12 * h)
    return out


def away_from_zero(rng: np.random.Generator, size: int) -> np.ndarray:
    """Random parameters with |θ_k| in [0.2, 1.2]: |w| is smooth there, so finite differences apply."""
    return rng.uniform(0.2, 1.2, size) * rng.choice([-1.0, 1.0], size)


def hand_penalty(w: np.ndarray, penalty: str, lam: float, ratio: float = RATIO) -> float:
    """λ·P(w) written out: P_l2 = ½‖w‖², P_l1 = ‖w‖₁, elastic r‖w‖₁ + (1 − r)·½‖w‖²."""
    l1, l2 = float(np.abs(w).sum()), 0.5 * float(w @ w)
    return lam * {"l1": l1, "l2": l2, "elastic": ratio * l1 + (1 - ratio) * l2}[penalty]


def _cases():
    """(label, objective factory taking the penalty kwargs, weights-of-θ by hand)."""
    rng = np.random.default_rng(3)
    x1 = rng.normal(0, 1.5, 25)
    y_reg = 2 * x1 - 1 + rng.normal(0, 1, 25)
    x2 = rng.normal(0, 1, (30, 2))
    y_bin = (x2[:, 0] + 0.5 * x2[:, 1] + rng.normal(0, 0.7, 30) > 0).astype(float)
    y_cls = rng.integers(0, 3, 30)
    net = MLP(2, (4, 3), 1, "tanh")
    net3 = MLP(2, (5,), 3, "tanh")

    def net_weights(model):
        return lambda t: np.concatenate([W.ravel() for W, _ in model.layers(t)])

    return [
        ("line-mse", lambda **kw: line_objective(x1, y_reg, "mse", **kw), 2, lambda t: t[:1]),
        ("line-huber", lambda **kw: line_objective(x1, y_reg, "huber", delta=0.8, **kw), 2, lambda t: t[:1]),
        ("line-logcosh", lambda **kw: line_objective(x1, y_reg, "logcosh", **kw), 2, lambda t: t[:1]),
        ("logistic-bce", lambda **kw: Objective.create("bce", x2, y_bin, Logistic(2), **kw), 3, lambda t: t[:2]),
        ("logistic-bce-logits", lambda **kw: Objective.create("bce_logits", x2, y_bin, Logistic(2), **kw), 3,
         lambda t: t[:2]),
        ("logistic-brier", lambda **kw: Objective.create("brier", x2, y_bin, Logistic(2), **kw), 3, lambda t: t[:2]),
        ("softmax-cce", lambda **kw: Objective.create("cce", x2, y_cls, softmax_classifier(3), **kw), 9,
         lambda t: t.reshape(3, 3)[:, :2].ravel()),
        ("softmax-cce-logits", lambda **kw: Objective.create("cce_logits", x2, y_cls, softmax_classifier(3), **kw),
         9, lambda t: t.reshape(3, 3)[:, :2].ravel()),
        ("mlp-bce", lambda **kw: Objective.create("bce", x2, y_bin, net, **kw), net.n_params, net_weights(net)),
        ("mlp-mse", lambda **kw: Objective.create("mse", x2, y_bin * 2 - 1, net, **kw), net.n_params,
         net_weights(net)),
        ("mlp-cce", lambda **kw: Objective.create("cce", x2, y_cls, net3, **kw), net3.n_params, net_weights(net3)),
    ]


CASES = _cases()
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_penalised_cost_and_gradient_match_finite_differences(case, penalty):
    _, make, n_params, weights_of = case
    lam = 0.37
    obj = make(penalty=penalty, strength=lam, l1_ratio=RATIO)
    theta = away_from_zero(np.random.default_rng(11), n_params)
    cost, grad = obj.cost_and_gradient(theta)
    expected_penalty = hand_penalty(weights_of(theta), penalty, lam)
    assert obj.penalty_value(theta) == pytest.approx(expected_penalty, rel=1e-13)
    assert cost == pytest.approx(obj.losses(theta).mean() + expected_penalty, rel=1e-12)
    assert obj.cost(theta) == pytest.approx(cost, rel=1e-13)
    assert obj.data_cost(theta) + obj.penalty_value(theta) == pytest.approx(cost, rel=1e-13)
    fd = fd4_gradient(obj.cost, theta)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8)
    # the penalty's share of the gradient, on its own, against differences of λ·P alone
    np.testing.assert_allclose(obj.penalty_gradient(theta), fd4_gradient(obj.penalty_value, theta),
                               rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_biases_are_never_penalised(case, penalty):
    _, make, n_params, weights_of = case
    obj = make(penalty=penalty, strength=2.0, l1_ratio=RATIO)
    theta = away_from_zero(np.random.default_rng(5), n_params)
    mask = obj.penalised_entries()
    # the mask is the predictor's weights: the same entries weights_of picks by hand
    np.testing.assert_array_equal(theta[mask], weights_of(theta))
    assert 0 < mask.sum() < n_params
    moved = theta.copy()
    moved[~mask] += 5.0  # every bias far away
    assert obj.penalty_value(moved) == obj.penalty_value(theta)
    np.testing.assert_array_equal(obj.penalty_gradient(theta)[~mask], 0.0)
    assert np.all(obj.penalty_gradient(theta)[mask] != 0.0)


@pytest.mark.parametrize("penalty", ["l1", "elastic"])
def test_l1_takes_the_subgradient_zero_at_zero(penalty):
    obj = Objective.create("bce", [[0.5, 1.0], [-1.0, 0.3]], [1, 0], Logistic(2),
                           penalty=penalty, strength=1.5, l1_ratio=RATIO)
    theta = np.array([0.0, 0.8, 0.4])
    slope = obj.penalty_gradient(theta)
    assert slope[0] == 0.0  # the weight sitting at 0
    lam_l1 = 1.5 * (1.0 if penalty == "l1" else RATIO)
    lam_l2 = 1.5 - lam_l1
    assert slope[1] == pytest.approx(lam_l1 + lam_l2 * 0.8)
    data_only = Objective.create("bce", [[0.5, 1.0], [-1.0, 0.3]], [1, 0], Logistic(2))
    np.testing.assert_allclose(obj.gradient(theta), data_only.gradient(theta) + slope, rtol=1e-14)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_without_a_penalty_nothing_changes(case):
    _, make, n_params, _ = case
    plain = make()
    theta = away_from_zero(np.random.default_rng(2), n_params)
    c0, g0 = plain.cost_and_gradient(theta)
    assert not plain.penalised and plain.penalty is None
    assert plain.penalty_value(theta) == 0.0
    assert plain.cost(theta) == plain.data_cost(theta) == c0
    np.testing.assert_array_equal(plain.penalty_gradient(theta), 0.0)
    for off in (dict(penalty=None, strength=3.0), dict(penalty="l2", strength=0.0), dict(penalty="none")):
        obj = make(**off)
        c, g = obj.cost_and_gradient(theta)
        assert c == c0
        np.testing.assert_array_equal(g, g0)
        assert not obj.penalised


@pytest.mark.parametrize("penalty", PENALTIES)
def test_a_mini_batch_pays_the_whole_penalty(penalty):
    rng = np.random.default_rng(8)
    x = rng.normal(0, 1, (40, 2))
    y = (x[:, 0] > 0).astype(float)
    net = MLP(2, (6,), 1, "tanh")
    obj = Objective.create("brier", x, y, net, penalty=penalty, strength=0.2, l1_ratio=RATIO)
    theta = away_from_zero(rng, net.n_params)
    rows = np.array([3, 7, 8, 21, 30])
    sub = Objective.create("brier", x[rows], y[rows], net, penalty=penalty, strength=0.2, l1_ratio=RATIO)
    c, g = obj.cost_and_gradient(theta, rows)
    c_sub, g_sub = sub.cost_and_gradient(theta)
    assert c == pytest.approx(c_sub, rel=1e-13)
    np.testing.assert_allclose(g, g_sub, rtol=1e-12, atol=1e-15)
    assert c == pytest.approx(obj.losses(theta)[rows].mean() + obj.penalty_value(theta), rel=1e-13)


def test_losses_stay_the_data_part_only():
    obj = line_objective([0.0, 1.0, 2.0, 3.0], [1.0, 2.5, 2.0, 4.0], "mse", "l2", 4.0)
    theta = np.array([0.9, 1.1])
    per_point = (np.array([1.0, 2.5, 2.0, 4.0]) - (0.9 * np.arange(4) + 1.1)) ** 2
    np.testing.assert_allclose(obj.losses(theta), per_point, rtol=1e-14)
    assert obj.data_cost(theta) == pytest.approx(per_point.mean(), rel=1e-14)
    assert obj.penalty_value(theta) == pytest.approx(4.0 * 0.5 * 0.81, rel=1e-14)


def test_penalty_values_of_a_stack_match_one_at_a_time():
    net = MLP(2, (3,), 1)
    obj = Objective.create("bce", np.eye(2), [0, 1], net, penalty="elastic", strength=0.6, l1_ratio=0.25)
    thetas = np.random.default_rng(4).normal(size=(7, net.n_params))
    np.testing.assert_allclose(obj.penalty_values(thetas), [obj.penalty_value(t) for t in thetas], rtol=1e-13)
    plain = Objective.create("bce", np.eye(2), [0, 1], net)
    np.testing.assert_array_equal(plain.penalty_values(thetas), np.zeros(7))


def test_the_network_output_gradients_leave_the_penalty_out():
    """δ at the output is the data's alone: the penalty acts on the weights, not on outputs."""
    rng = np.random.default_rng(6)
    x = rng.normal(size=(12, 2))
    y = (x[:, 1] > 0).astype(float)
    net = MLP(2, (4,), 1)
    theta = net.initial_params(1)
    plain = Objective.create("bce", x, y, net)
    penalised = Objective.create("bce", x, y, net, penalty="l2", strength=3.0)
    np.testing.assert_array_equal(output_gradients(penalised, theta), output_gradients(plain, theta))


def test_penalty_coefficients_split_lambda():
    assert penalty_coefficients(None, 2.0) == (0.0, 0.0)
    assert penalty_coefficients("l1", 2.0) == (2.0, 0.0)
    assert penalty_coefficients("L2", 2.0) == (0.0, 2.0)
    assert penalty_coefficients("elastic", 2.0, 0.25) == (0.5, 1.5)
    assert check_penalty(" Elastic ", 1, 1) == ("elastic", 1.0, 1.0)
    assert check_penalty("none", 0, 0) == (None, 0.0, 0.0)


BAD = [
    (dict(penalty="l3", strength=1.0), "unknown penalty 'l3'; choose none, l1, l2 or elastic"),
    (dict(penalty=2, strength=1.0), "the penalty must be none, l1, l2 or elastic, not 2"),
    (dict(penalty="l2", strength=-0.5), "the penalty strength λ must be zero or more, not -0.5"),
    (dict(penalty="l2", strength=np.nan), "the penalty strength λ must be a finite number, not nan"),
    (dict(penalty="l1", strength=np.inf), "the penalty strength λ must be a finite number, not inf"),
    (dict(penalty="l1", strength="strong"), "the penalty strength λ must be a number, not 'strong'"),
    (dict(penalty="elastic", strength=1.0, l1_ratio=1.5), "the L1 ratio r must lie between 0 and 1, not 1.5"),
    (dict(penalty="elastic", strength=1.0, l1_ratio=-0.1), "the L1 ratio r must lie between 0 and 1, not -0.1"),
    (dict(penalty="elastic", strength=1.0, l1_ratio=np.nan), "the L1 ratio r must be a finite number, not nan"),
]


@pytest.mark.parametrize("kwargs, message", BAD)
def test_bad_penalty_arguments_are_refused_in_one_line(kwargs, message):
    x, y = [0.0, 1.0, 2.0], [1.0, 0.0, 2.0]
    calls = [
        lambda: Objective.create("mse", x, y, Line(), **kwargs),
        lambda: line_objective(x, y, "huber", **kwargs),
        lambda: Objective.create("bce", [[0.0], [1.0]], [0, 1], Logistic(1), **kwargs),
        lambda: best_line(x, y, "mse", **kwargs),
        lambda: best_line(x, y, "quantile", tau=0.3, **kwargs),
        lambda: penalty_surface(np.linspace(-1, 1, 5), kwargs["penalty"], kwargs["strength"],
                                kwargs.get("l1_ratio", 0.5)),
    ]
    for call in calls:
        with pytest.raises(ValueError) as info:
            call()
        assert str(info.value) == message
        assert "\n" not in str(info.value)
    if "strength" in kwargs and kwargs["penalty"] in PENALTIES and "l1_ratio" not in kwargs:
        with pytest.raises(ValueError, match="strength"):
            regularisation_path(x, y, "mse", kwargs["penalty"], [0.0, kwargs["strength"]])


def test_a_penalised_line_surface_is_the_data_surface_plus_the_penalty_column():
    rng = np.random.default_rng(9)
    x = rng.normal(1, 2, 30)
    y = 0.5 * x + rng.normal(0, 1, 30)
    w = np.linspace(-2, 3, 21)
    b = np.linspace(-3, 3, 17)
    for loss in ("mse", "huber", "mae"):
        for penalty in PENALTIES:
            obj = line_objective(x, y, loss, penalty, 0.8, RATIO)
            column = penalty_surface(w, penalty, 0.8, RATIO)
            assert column.shape == (w.size, 1)
            total = line_loss_surface(x, y, loss, w, b) + column
            direct = np.array([[obj.cost(np.array([wi, bj])) for bj in b] for wi in w])
            np.testing.assert_allclose(total, direct, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(penalty_surface(w, None, 5.0), np.zeros((w.size, 1)))
    # L2's contours are circles (½w²), L1's diamonds (|w|): on one axis, a parabola and a V
    np.testing.assert_allclose(penalty_surface(w, "l2", 2.0)[:, 0], w * w)
    np.testing.assert_allclose(penalty_surface(w, "l1", 2.0)[:, 0], 2.0 * np.abs(w))


@pytest.mark.parametrize("i, j", [(0, 1), (0, 2), (2, 1)])
def test_a_penalised_parameter_surface_adds_up_to_the_cost(i, j):
    rng = np.random.default_rng(10)
    x = rng.normal(0, 1, (25, 2))
    y = (x[:, 0] - x[:, 1] > 0).astype(float)
    obj = Objective.create("brier", x, y, Logistic(2), penalty="elastic", strength=0.4, l1_ratio=0.6)
    theta = np.array([0.7, -1.3, 0.2])
    gi, gj = np.linspace(-2, 2, 9), np.linspace(-1.5, 2.5, 7)
    total = parameter_surface(obj, theta, i, j, gi, gj) + parameter_penalty_surface(obj, theta, i, j, gi, gj)
    direct = np.empty_like(total)
    for a, ti in enumerate(gi):
        for c, tj in enumerate(gj):
            t = theta.copy()
            t[i], t[j] = ti, tj
            direct[a, c] = obj.cost(t)
    np.testing.assert_allclose(total, direct, rtol=1e-12, atol=1e-14)
    plain = Objective.create("brier", x, y, Logistic(2))
    np.testing.assert_array_equal(parameter_penalty_surface(plain, theta, i, j, gi, gj), 0.0)


def test_descent_on_a_ridge_cost_reaches_the_closed_form_ridge_line():
    rng = np.random.default_rng(12)
    x = rng.normal(0.5, 1, 40)
    y = 1.8 * x + 0.3 + rng.normal(0, 0.5, 40)
    obj = line_objective(x, y, "mse", "l2", 1.2)
    run = run_descent(obj, make_optimizer("gd", lr=0.2), np.zeros(2), max_steps=5000, gradient_tol=1e-12)
    assert run.status == "converged"
    np.testing.assert_allclose(run.thetas[-1], best_line(x, y, "mse", "l2", 1.2), atol=1e-9)
    plain = np.array(best_line(x, y, "mse"))
    assert abs(run.thetas[-1][0]) < abs(plain[0])  # the penalty shrank the slope


def _objective_for(name: str, **kw) -> Objective:
    rng = np.random.default_rng(14)
    x = rng.normal(0, 1, (20, 2))
    task = LOSSES[name].task
    if task == "regression":
        return Objective.create(name, x, x[:, 0] - 2 * x[:, 1] + rng.normal(0, 1, 20), Line(2), **kw)
    if task == "binary":
        return Objective.create(name, x, (x[:, 0] > 0).astype(float), Logistic(2), **kw)
    return Objective.create(name, x, rng.integers(0, 3, 20), softmax_classifier(3), **kw)


@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_takes_every_penalty(name, penalty):
    """Kinked losses too (MAE, pinball, hinge): the penalty adds its value and slope on top."""
    plain = _objective_for(name)
    obj = _objective_for(name, penalty=penalty, strength=0.25, l1_ratio=RATIO)
    theta = away_from_zero(np.random.default_rng(15), plain.predictor.n_params)
    c0, g0 = plain.cost_and_gradient(theta)
    c, g = obj.cost_and_gradient(theta)
    weights = obj.penalised_entries()
    assert c == pytest.approx(c0 + hand_penalty(theta[weights], penalty, 0.25), rel=1e-13)
    lam_l1 = 0.25 * {"l1": 1.0, "l2": 0.0, "elastic": RATIO}[penalty]
    slope = lam_l1 * np.sign(theta) + (0.25 - lam_l1) * theta
    np.testing.assert_allclose(g, g0 + np.where(weights, slope, 0.0), rtol=1e-13, atol=1e-15)
