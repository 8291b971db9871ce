"""Optimizers and descent runs: convergence, reproducibility, divergence handling."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lossdesk.model import (
    OPTIMIZERS,
    DescentRun,
    Logistic,
    Objective,
    OptimizerState,
    best_line,
    line_objective,
    make_optimizer,
    make_preset,
    run_descent,
    softmax_classifier,
)


@pytest.fixture(scope="module")
def linear_mse():
    data = make_preset("linear")
    obj = line_objective(data.x, data.y, "mse")
    w, b = best_line(data.x, data.y, "mse")
    return obj, np.array([w, b])


def test_registry_holds_the_six_optimizers():
    assert set(OPTIMIZERS) == {"gd", "sgd", "momentum", "nesterov", "rmsprop", "adam"}
    for name, cls in OPTIMIZERS.items():
        opt = make_optimizer(name)
        assert isinstance(opt, cls) and opt.name == name
        assert opt.lr > 0
    assert make_optimizer("ADAM", lr=0.01).lr == 0.01


@pytest.mark.parametrize(
    "name, hyper",
    [
        ("gd", {"lr": 0.1}),
        ("momentum", {"lr": 0.05, "momentum": 0.9}),
        ("nesterov", {"lr": 0.05, "momentum": 0.9}),
        ("rmsprop", {"lr": 0.01}),
        ("adam", {"lr": 0.05}),
    ],
)
def test_full_batch_optimizers_reach_the_least_squares_line(linear_mse, name, hyper):
    obj, best = linear_mse
    result = run_descent(obj, make_optimizer(name, **hyper), max_steps=3000)
    assert result.status == "converged"
    assert result.steps < 3000
    np.testing.assert_allclose(result.thetas[-1], best, atol=1e-6)
    assert result.costs[-1] == pytest.approx(obj.cost(best), rel=1e-9)
    assert result.thetas.shape == (result.steps + 1, 2)
    assert result.costs.shape == (result.steps + 1,)
    np.testing.assert_array_equal(result.thetas[0], [0.0, 0.0])
    assert result.diverged_at is None


def test_gradient_descent_lowers_the_cost_every_step(linear_mse):
    obj, _ = linear_mse
    result = run_descent(obj, make_optimizer("gd", lr=0.1), max_steps=200)
    assert np.all(np.diff(result.costs) <= 1e-15 * result.costs[1:])
    assert result.costs[-1] < 0.05 * result.costs[0]


def test_sgd_with_a_decaying_schedule_gets_close(linear_mse):
    obj, best = linear_mse
    result = run_descent(
        obj, make_optimizer("sgd", lr=0.1, batch_size=8, seed=3), max_steps=2000,
        schedule=lambda t: 1.0 / (1.0 + t / 30.0),
    )
    assert result.status in ("max_steps", "converged")
    assert result.costs[-1] <= obj.cost(best) * 1.01
    np.testing.assert_allclose(result.thetas[-1], best, atol=0.01)


def test_sgd_without_a_schedule_stays_within_a_few_percent(linear_mse):
    obj, best = linear_mse
    result = run_descent(obj, make_optimizer("sgd", lr=0.05, batch_size=8), max_steps=1500)
    tail = result.costs[-200:]
    assert tail.mean() <= obj.cost(best) * 1.05
    assert tail.max() <= obj.cost(best) * 1.2


def test_sgd_is_deterministic_for_a_seed(linear_mse):
    obj, _ = linear_mse
    a = run_descent(obj, make_optimizer("sgd", lr=0.05, batch_size=5, seed=11), max_steps=100)
    b = run_descent(obj, make_optimizer("sgd", lr=0.05, batch_size=5, seed=11), max_steps=100)
    c = run_descent(obj, make_optimizer("sgd", lr=0.05, batch_size=5, seed=12), max_steps=100)
    np.testing.assert_array_equal(a.thetas, b.thetas)
    np.testing.assert_array_equal(a.costs, b.costs)
    assert not np.array_equal(a.thetas, c.thetas)


def test_sgd_batches_cover_each_epoch_once():
    opt = make_optimizer("sgd", batch_size=4, seed=5)
    state = opt.init(np.zeros(2))
    n = 10  # batches of 4, 4, 2
    seen = []
    for t in range(3):
        rows = opt.batch_rows(dataclasses.replace(state, t=t), n)
        assert rows.size == (4 if t < 2 else 2)
        seen.extend(rows.tolist())
    assert sorted(seen) == list(range(n))
    again = opt.batch_rows(dataclasses.replace(state, t=1), n)
    np.testing.assert_array_equal(again, opt.batch_rows(dataclasses.replace(state, t=1), n))
    # the next epoch is shuffled afresh but still a permutation
    epoch2 = np.concatenate([opt.batch_rows(dataclasses.replace(state, t=t), n) for t in range(3, 6)])
    assert sorted(epoch2.tolist()) == list(range(n))
    assert make_optimizer("gd").batch_rows(state, n) is None
    # a batch larger than the data set is the whole data set
    assert sorted(make_optimizer("sgd", batch_size=50).batch_rows(state, n).tolist()) == list(range(n))


def test_sgd_steps_use_the_mini_batch_gradient(linear_mse):
    obj, _ = linear_mse
    opt = make_optimizer("sgd", lr=0.1, batch_size=4, seed=2)
    run = DescentRun(obj, opt, np.zeros(2))
    rows = opt.batch_rows(run.state, obj.n)
    run.step()
    _, g = obj.cost_and_gradient(np.zeros(2), rows)
    np.testing.assert_allclose(run.theta, -0.1 * g, rtol=1e-15)


# ------------------------------------------------------------------ the update rules
def test_one_step_of_each_rule_by_hand():
    theta = np.array([1.0, -2.0])
    g = np.array([0.5, -1.0])
    v0 = np.array([0.2, 0.1])
    s0 = np.array([0.04, 0.09])
    st = OptimizerState(3, v0, s0)

    new, st2 = make_optimizer("gd", lr=0.1).step(theta, g, st)
    np.testing.assert_allclose(new, theta - 0.1 * g)
    assert st2.t == 4

    new, st2 = make_optimizer("momentum", lr=0.1, momentum=0.9).step(theta, g, st)
    v = 0.9 * v0 + g
    np.testing.assert_allclose(st2.velocity, v)
    np.testing.assert_allclose(new, theta - 0.1 * v)

    new, st2 = make_optimizer("nesterov", lr=0.1, momentum=0.9).step(theta, g, st)
    np.testing.assert_allclose(st2.velocity, v)
    np.testing.assert_allclose(new, theta - 0.1 * (g + 0.9 * v))

    new, st2 = make_optimizer("rmsprop", lr=0.01, rho=0.9, eps=1e-8).step(theta, g, st)
    s = 0.9 * s0 + 0.1 * g * g
    np.testing.assert_allclose(st2.second, s)
    np.testing.assert_allclose(new, theta - 0.01 * g / (np.sqrt(s) + 1e-8))

    new, st2 = make_optimizer("adam", lr=0.05).step(theta, g, st)
    m = 0.9 * v0 + 0.1 * g
    s = 0.999 * s0 + 0.001 * g * g
    m_hat, s_hat = m / (1 - 0.9**4), s / (1 - 0.999**4)
    np.testing.assert_allclose(new, theta - 0.05 * m_hat / (np.sqrt(s_hat) + 1e-8))
    assert st2.t == 4
    # the lr argument overrides the optimizer's own (schedules use it)
    new, _ = make_optimizer("gd", lr=0.1).step(theta, g, st, lr=1.0)
    np.testing.assert_allclose(new, theta - g)


def test_adam_first_step_moves_each_parameter_by_about_lr():
    opt = make_optimizer("adam", lr=0.05)
    theta = np.array([1.0, 1.0])
    new, _ = opt.step(theta, np.array([3.0, -1e-3]), opt.init(theta))
    np.testing.assert_allclose(new, [0.95, 1.05], rtol=1e-5)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_steps_are_pure(name):
    opt = make_optimizer(name)
    theta = np.array([1.0, 2.0])
    state = opt.init(theta)
    state = opt.step(theta, np.array([0.3, -0.4]), state)[1]
    snapshot = (theta.copy(), state.velocity.copy(), state.second.copy(), state.t)
    a = opt.step(theta, np.array([0.5, 0.1]), state)
    b = opt.step(theta, np.array([0.5, 0.1]), state)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(theta, snapshot[0])
    np.testing.assert_array_equal(state.velocity, snapshot[1])
    np.testing.assert_array_equal(state.second, snapshot[2])
    assert state.t == snapshot[3]
    with pytest.raises(dataclasses.FrozenInstanceError):
        opt.lr = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    "name, hyper, message",
    [
        ("gd", {"lr": 0.0}, "the learning rate must be positive, not 0"),
        ("adam", {"lr": -0.1}, "the learning rate must be positive"),
        ("momentum", {"lr": float("nan")}, "lr must be a finite number"),
        ("rmsprop", {"eps": float("inf")}, "eps must be a finite number"),
        ("sgd", {"batch_size": 0}, "the batch size must be at least 1"),
        ("gd", {"momentum": 0.9}, "Gradient descent has no setting momentum"),
        ("lbfgs", {}, "unknown optimizer 'lbfgs'; choose one of gd, sgd"),
    ],
)
def test_bad_optimizer_settings(name, hyper, message):
    with pytest.raises(ValueError, match=message):
        make_optimizer(name, **hyper)


# ------------------------------------------------------------------ stopping
def test_descent_run_step_by_step_equals_run_descent(linear_mse):
    obj, _ = linear_mse
    opt = make_optimizer("nesterov", lr=0.05)
    run = DescentRun(obj, opt, np.zeros(2))
    assert run.running and run.steps == 0 and run.message == "step 0"
    assert run.advance(40) == "running"
    assert run.steps == 40
    whole = run_descent(obj, opt, max_steps=40)
    np.testing.assert_array_equal(run.result().thetas, whole.thetas)
    np.testing.assert_array_equal(run.result().costs, whole.costs)
    assert whole.status == "max_steps" and whole.steps == 40
    assert run.result().status == "max_steps"  # a paused run reports how far it got


def test_converged_run_stops_and_says_so(linear_mse):
    obj, _ = linear_mse
    run = DescentRun(obj, make_optimizer("gd", lr=0.1), np.zeros(2), gradient_tol=1e-6)
    status = run.advance(10_000)
    assert status == "converged"
    assert np.linalg.norm(obj.gradient(run.theta)) <= 1e-6 * (1 + run.costs[-1])
    steps = run.steps
    assert run.step() == "converged" and run.steps == steps  # no more steps once stopped
    assert run.message == f"converged after {steps} steps"


def test_step_tol_stops_when_steps_are_tiny(linear_mse):
    obj, _ = linear_mse
    result = run_descent(obj, make_optimizer("gd", lr=0.1), max_steps=5000, gradient_tol=0.0, step_tol=1e-4)
    assert result.status == "converged"
    assert np.abs(result.thetas[-1] - result.thetas[-2]).max() <= 1e-4
    assert np.abs(result.thetas[-2] - result.thetas[-3]).max() > 1e-4


@pytest.mark.parametrize(
    "name, hyper",
    [
        ("gd", {"lr": 10.0}),
        ("gd", {"lr": 1e300}),
        ("sgd", {"lr": 10.0, "batch_size": 3}),
        ("sgd", {"lr": 1e300, "batch_size": 3}),
        ("momentum", {"lr": 5.0}),
        ("nesterov", {"lr": 5.0}),
        ("rmsprop", {"lr": 1e6}),
        ("adam", {"lr": 1e8}),
        ("adam", {"lr": 1e300}),
    ],
)
def test_too_large_a_learning_rate_diverges_cleanly(name, hyper):
    # filterwarnings=error: any overflow RuntimeWarning would fail this test
    data = make_preset("outliers")
    obj = line_objective(data.x, data.y, "mse")
    result = run_descent(obj, make_optimizer(name, **hyper), max_steps=500)
    assert result.status == "diverged"
    assert result.diverged_at is not None and 1 <= result.diverged_at <= 500
    assert result.diverged_at == result.steps + 1  # the trajectory ends before the step that broke
    assert np.all(np.isfinite(result.thetas))
    assert np.all(np.isfinite(result.costs))
    run = DescentRun(obj, make_optimizer(name, **hyper), np.zeros(2))
    run.advance(500)
    assert run.status == "diverged"
    assert run.message == f"diverged at step {run.diverged_at}: lower the learning rate"


def test_a_start_with_overflowing_cost_is_diverged_at_step_zero():
    data = make_preset("linear")
    obj = line_objective(data.x, data.y, "mse")
    result = run_descent(obj, make_optimizer("gd"), theta0=np.array([1e200, 0.0]))
    assert result.status == "diverged"
    assert result.diverged_at == 0
    assert result.steps == 0


@pytest.mark.parametrize("loss", ["bce", "bce_logits"])
def test_logistic_descent_lowers_the_cost(loss):
    data = make_preset("binary_2d")
    obj = Objective.create(loss, data.x, data.labels, Logistic(n_features=2))
    result = run_descent(obj, make_optimizer("adam", lr=0.1), max_steps=300)
    assert result.status in ("max_steps", "converged")
    assert result.costs[-1] < 0.25 * result.costs[0]
    predicted = (obj.predictor.predict(result.thetas[-1], data.x) > 0.5).astype(int)
    assert np.mean(predicted == data.labels) >= 0.95


def test_softmax_descent_lowers_the_cost():
    data = make_preset("three_classes")
    obj = Objective.create("cce_logits", data.x, data.labels, softmax_classifier(3))
    result = run_descent(obj, make_optimizer("momentum", lr=0.1), max_steps=300)
    assert result.costs[-1] < 0.25 * result.costs[0]
    predicted = obj.predictor.predict(result.thetas[-1], data.x).argmax(axis=1)
    assert np.mean(predicted == data.labels) >= 0.95
