"""The Brier loss (squared error on the probability) against cross-entropy (model layer, no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from lossdesk.model import (
    BINARY_LOSSES,
    LOSSES,
    MLP,
    Logistic,
    Objective,
    get_loss,
    make_optimizer,
    make_preset,
    run_descent,
    sigmoid,
)
from lossdesk.model.confidence import (
    RACE_START,
    RACE_X,
    confidently_wrong_race,
    gradient_size_against_confidence,
)


def fd4_gradient(f, theta: np.ndarray, h: float = 1e-4) -> np.ndarray:
    out = np.empty_like(theta)
    for k in range(theta.size):
        e = np.zeros_like(theta)
        e[k] = h
        out[k] = (f(theta - 2 * e) - 8 * f(theta - e) + 8 * f(theta + e) - f(theta + 2 * e)) / (12 * h)
    return out


def test_brier_is_a_registered_binary_loss_of_a_probability():
    loss = get_loss("brier")
    assert LOSSES["brier"] is loss
    assert "brier" in BINARY_LOSSES
    assert loss.task == "binary" and loss.prediction == "probability"
    assert loss.title == "Squared error on the probability"
    assert loss.parameters == {}
    assert "(p − y)²" in loss.formula


def test_brier_values_and_gradient_by_hand():
    loss = get_loss("brier")
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    p = np.array([0.8, 0.8, 0.0, 0.0, 1.0])
    np.testing.assert_allclose(loss.value(y, p), [0.04, 0.64, 1.0, 0.0, 0.0], rtol=1e-14)
    np.testing.assert_allclose(loss.gradient(y, p), [-0.4, 1.6, -2.0, 0.0, 0.0], rtol=1e-14)
    assert loss.cost(y, p) == pytest.approx(1.68 / 5)
    assert loss.cost(y, p, reduction="sum") == pytest.approx(1.68)
    q = np.random.default_rng(0).uniform(0.05, 0.95, 20)
    labels = (q > 0.5).astype(float)
    h = 1e-5
    fd = (loss.value(labels, q - 2 * h) - 8 * loss.value(labels, q - h) + 8 * loss.value(labels, q + h)
          - loss.value(labels, q + 2 * h)) / (12 * h)
    np.testing.assert_allclose(loss.gradient(labels, q), fd, rtol=1e-9)


@pytest.mark.parametrize("bad_y, bad_p, message", [
    ([0.0, 2.0], [0.5, 0.5], "needs labels 0 or 1; example 1 has label 2"),
    ([0.0, 1.0], [0.5, 1.2], r"must lie in \[0, 1\]; entry 1 is 1.2"),
    ([0.0, 1.0], [0.5, np.nan], "NaN or infinite"),
])
def test_brier_refuses_bad_input(bad_y, bad_p, message):
    with pytest.raises(ValueError, match=message):
        get_loss("brier").value(bad_y, bad_p)


@pytest.mark.parametrize("n_features", [1, 2])
def test_brier_through_a_logistic_model_is_the_mean_squared_probability_error(n_features):
    rng = np.random.default_rng(n_features)
    x = rng.normal(0, 1.5, (30, n_features))
    y = (x.sum(axis=1) + rng.normal(0, 1, 30) > 0).astype(float)
    obj = Objective.create("brier", x, y, Logistic(n_features))
    for theta in (rng.normal(0, 2, n_features + 1), np.zeros(n_features + 1), np.full(n_features + 1, 9.0)):
        z = x @ theta[:-1] + theta[-1]
        assert obj.cost(theta) == pytest.approx(float(np.mean((sigmoid(z) - y) ** 2)), rel=1e-13)
        # dC/dθ = mean 2(p − y)·p(1 − p)·[x, 1]
        p = sigmoid(z)
        g_z = 2 * (p - y) * p * (1 - p)
        expected = np.concatenate([(g_z[:, None] * x).mean(axis=0), [g_z.mean()]])
        np.testing.assert_allclose(obj.gradient(theta), expected, rtol=1e-12, atol=1e-16)
    theta = rng.normal(0, 1, n_features + 1)
    np.testing.assert_allclose(obj.gradient(theta), fd4_gradient(obj.cost, theta), rtol=1e-7, atol=1e-10)


def test_brier_trains_a_network():
    data = make_preset("xor")
    net = MLP(2, (8,), 1, "tanh")
    obj = Objective.create("brier", data.x, data.labels, net)
    theta = net.initial_params(0)
    np.testing.assert_allclose(obj.gradient(theta), fd4_gradient(obj.cost, theta), rtol=1e-6, atol=1e-9)
    run = run_descent(obj, make_optimizer("adam", lr=0.05), theta, max_steps=600)
    assert run.costs[-1] < 0.1 * run.costs[0]


def test_bce_keeps_pulling_a_confidently_wrong_point_while_brier_lets_go():
    p = np.array([1e-8, 1e-6, 1e-3, 0.05, 1 / 3, 0.5, 0.9, 0.999])
    sizes = gradient_size_against_confidence(("bce", "brier"), p)
    np.testing.assert_array_equal(sizes.p_true, p)
    bce, brier = sizes.sizes["bce"], sizes.sizes["brier"]
    # closed forms: |p − y| = 1 − p_true, and |2(p − y)·p(1 − p)| = 2(1 − p_true)²·p_true
    np.testing.assert_allclose(bce, 1 - p, rtol=1e-9)
    np.testing.assert_allclose(brier, 2 * (1 - p) ** 2 * p, rtol=1e-7)
    assert bce[0] > 0.999999 and bce[1] > 0.99999  # p_true → 0: |dL/dz| → 1
    assert brier[0] < 1e-7 and brier[1] < 1e-5  # p_true → 0: |dL/dz| → 0
    assert np.all(np.diff(bce) < 0)  # the more wrong, the harder BCE pulls
    # Brier pulls hardest at p_true = 1/3 and less the more wrong the point is below that
    grid = gradient_size_against_confidence(("brier",))
    assert grid.p_true[np.argmax(grid.sizes["brier"])] == pytest.approx(1 / 3, abs=1e-3)
    # the logit form of cross-entropy pulls exactly as the probability form does
    logits = gradient_size_against_confidence(("bce_logits",), p).sizes["bce_logits"]
    np.testing.assert_allclose(logits, bce, rtol=1e-9)


def test_gradient_sizes_refuse_what_they_cannot_draw():
    for p in ([0.0, 0.5], [0.5, 1.0], [np.nan], [], ["x"]):
        with pytest.raises(ValueError):
            gradient_size_against_confidence(p=p)
    for name in ("hinge", "mse", "cce"):
        with pytest.raises(ValueError, match="does not score a probability of two classes"):
            gradient_size_against_confidence((name,))


def test_from_a_confidently_wrong_start_bce_recovers_and_brier_crawls():
    race = confidently_wrong_race(max_steps=2000)
    bce, brier = race.runs["bce"], race.runs["brier"]
    np.testing.assert_array_equal(bce.thetas[0], RACE_START)
    np.testing.assert_array_equal(brier.thetas[0], RACE_START)
    # the start is sure of the wrong class at every point
    assert race.accuracy["bce"][0] == race.accuracy["brier"][0] == 0.0
    assert race.p_true["bce"][0] < 0.01
    bce_steps = race.steps_to_accuracy("bce")
    brier_steps = race.steps_to_accuracy("brier")
    assert bce_steps is not None and bce_steps <= 15
    assert brier_steps is not None and brier_steps >= 10 * bce_steps
    # each down to a tenth of its starting cost: BCE in a few steps, Brier far later
    assert race.steps_to_cost("bce", 0.1) <= 15
    assert race.steps_to_cost("brier", 0.1) >= 10 * race.steps_to_cost("bce", 0.1)
    assert set(race.costs) == {"bce", "brier"}
    np.testing.assert_array_equal(race.costs["brier"], brier.costs)
    # Brier's first steps barely move its cost: the gradient has vanished at the start
    assert brier.costs[10] > 0.99 * brier.costs[0]
    assert bce.costs[10] < 0.1 * bce.costs[0]


def test_the_same_race_on_xor_with_a_network():
    data = make_preset("xor")
    net = MLP(2, (8,), 1, "tanh")
    trained = run_descent(Objective.create("bce", data.x, data.labels, net), make_optimizer("adam", lr=0.05),
                          net.initial_params(0), max_steps=800).thetas[-1]
    wrong = trained.copy()
    w0, _, end = net._offsets()[-1]
    wrong[w0:end] *= -3.0  # flip and sharpen the output layer: sure of the wrong class everywhere
    race = confidently_wrong_race(data.x, data.labels, theta0=wrong, predictor=net,
                                  optimizer=make_optimizer("gd", lr=0.5), max_steps=300)
    assert race.p_true["bce"][0] < 1e-3 and race.accuracy["bce"][0] == 0.0
    assert race.steps_to_accuracy("bce", 0.95) is not None and race.steps_to_accuracy("bce", 0.95) < 60
    assert race.steps_to_accuracy("brier", 0.95) is None  # still stuck after 300 steps
    assert race.p_true["brier"][-1] < 0.01


def test_the_race_refuses_what_it_cannot_run():
    with pytest.raises(ValueError, match="both"):
        confidently_wrong_race(x=RACE_X)
    with pytest.raises(ValueError, match="start theta0"):
        confidently_wrong_race(RACE_X.copy(), (RACE_X > 0).astype(float))
    with pytest.raises(ValueError, match="not a loss of two classes"):
        confidently_wrong_race(losses=("bce", "mse"))
    with pytest.raises(ValueError, match="one output"):
        confidently_wrong_race(np.eye(2), [0, 1], predictor=MLP(2, (3,), 2), theta0=np.zeros(MLP(2, (3,), 2).n_params))
    with pytest.raises(ValueError, match="parameters"):
        confidently_wrong_race(theta0=[1.0, 2.0, 3.0])
