"""The network tab's results with a penalty, and its race of cross-entropy against Brier."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from lossdesk.model import Objective
from lossdesk.model.results import network as results
from lossdesk.model.results.network import (
    NetworkCache,
    compute_landscape,
    compute_network,
    compute_race,
    confidently_wrong_start,
    penalty_plane,
    race_basis,
    race_network,
    split_rows,
    start_training,
)
from lossdesk.settings import DataSource, NetworkSettings

NET = NetworkSettings()


def trained(steps: int = 100) -> NetworkSettings:
    """The default network after a little training, so its weights are not all tiny."""
    run = start_training(NET)
    run.advance(steps)
    return NET.with_theta(run.theta)


def penalised(kind: str, strength: float = 0.05, ratio: float = 0.3, s: NetworkSettings | None = None):
    return replace(s or trained(), penalty=kind, strength=strength, l1_ratio=ratio)


def objective_of(s, rows, penalty: bool = True) -> Objective:
    data = s.data
    args = s.penalty_args if penalty else {}
    return Objective.create(s.loss, data.x[rows], data.labels[rows], s.predictor(), **args, **s.params)


def rows_of(s):
    return split_rows(s.data.n, s.test_fraction, s.seed)


# ---------------------------------------------------------------- the costs
@pytest.mark.parametrize("kind", ["l1", "l2", "elastic"])
def test_the_training_cost_is_the_mean_loss_plus_the_penalty_and_the_held_out_cost_is_not(kind):
    s = penalised(kind)
    theta = s.theta_array
    train, test = rows_of(s)
    r = compute_network(s)
    oracle = objective_of(s, train)
    assert r.points.cost == pytest.approx(oracle.cost(theta), rel=1e-12)
    assert r.points.data_cost == pytest.approx(oracle.data_cost(theta), rel=1e-12)
    assert r.points.penalty == pytest.approx(oracle.penalty_value(theta), rel=1e-12) and r.points.penalty > 0
    assert r.points.test_cost == pytest.approx(objective_of(s, test, penalty=False).cost(theta), rel=1e-12)
    # the penalty's own numbers, by hand: the weights only, never the biases
    w = theta[s.predictor().weight_mask()]
    size = {"l1": np.abs(w).sum(), "l2": 0.5 * w @ w,
            "elastic": 0.3 * np.abs(w).sum() + 0.7 * 0.5 * w @ w}[kind]
    assert r.penalty.kind == kind and r.penalty.size == pytest.approx(size)
    assert r.penalty.value == pytest.approx(0.05 * size)
    assert r.points.cost == pytest.approx(r.points.data_cost + r.penalty.value)


def test_without_a_penalty_nothing_changes():
    s = trained()
    r = compute_network(s)
    assert r.penalty is None and r.points.penalty == 0.0 and r.points.cost == r.points.data_cost
    assert r.curves.train_data is None
    # a penalty chosen with λ = 0 adds nothing either
    zero = compute_network(replace(s, penalty="l2", strength=0.0))
    assert zero.points.cost == pytest.approx(r.points.cost) and zero.penalty.value == 0.0


def test_the_backward_drawing_is_the_gradient_of_the_whole_training_cost():
    s = replace(penalised("elastic"), view="backward")
    theta = s.theta_array
    train, _ = rows_of(s)
    grad = objective_of(s, train).gradient(theta)
    drawing = compute_network(s).drawing
    expected = np.concatenate([w.ravel() for w, _ in s.predictor().layers(grad)])
    np.testing.assert_allclose(drawing.edge_values, expected, rtol=1e-10, atol=1e-14)
    # the biases are never penalised: dC/db is the data part's alone
    plain = compute_network(replace(s, penalty="none"))
    for a, b in zip(drawing.neuron_gradients, plain.drawing.neuron_gradients):
        np.testing.assert_allclose(a, b)
    # the finite-difference check of one weight's gradient, through the penalised cost
    oracle, k, h = objective_of(s, train), 3, 1e-6
    step = np.zeros_like(theta)
    step[k] = h
    numeric = (oracle.cost(theta + step) - oracle.cost(theta - step)) / (2 * h)
    assert expected[k] == pytest.approx(numeric, rel=1e-5)


def test_a_penalised_run_records_the_cost_its_loss_part_and_an_unpenalised_held_out_cost():
    s = penalised("l2", 0.02, s=NET)
    run = start_training(s)
    run.advance(60)
    train, test = rows_of(s)
    oracle = objective_of(s, train)
    assert run.train_costs[-1] == pytest.approx(oracle.cost(run.theta))
    assert run.train_data_costs[-1] == pytest.approx(oracle.data_cost(run.theta))
    assert run.test_costs[-1] == pytest.approx(objective_of(s, test, penalty=False).cost(run.theta))
    curves = compute_network(s.with_theta(run.theta), run).curves
    np.testing.assert_array_equal(curves.train_data, run.train_data_costs)
    # the weights it ends with are smaller than an unpenalised run's
    plain = start_training(NET)
    plain.advance(60)
    mask = s.predictor().weight_mask()
    assert np.linalg.norm(run.theta[mask]) < np.linalg.norm(plain.theta[mask])


def test_the_landscape_is_a_slice_of_the_whole_training_cost():
    s = penalised("l1", 0.05)
    land = compute_landscape(s, size=9)
    train, _ = rows_of(s)
    oracle = objective_of(s, train)
    for i, j in [(4, 4), (0, 8), (2, 5)]:
        point = s.theta_array + land.alphas[i] * land.d1 + land.betas[j] * land.d2
        assert land.z[i, j] == pytest.approx(oracle.cost(point), rel=1e-10)
    # the penalty's part of the slice, against one θ at a time
    plane = penalty_plane(oracle, s.theta_array, land.d1, land.d2, land.alphas, land.betas)
    direct = [[oracle.penalty_value(s.theta_array + a * land.d1 + b * land.d2) for b in land.betas]
              for a in land.alphas]
    np.testing.assert_allclose(plane, direct, rtol=1e-12)
    # a slice worked out without the penalty is out of date once one is chosen
    plain_land = compute_landscape(replace(s, penalty="none"), size=9)
    assert compute_network(s, landscape=plain_land).marks.stale


def test_the_cache_rebuilds_the_objectives_when_the_penalty_moves():
    cache = NetworkCache()
    s = penalised("l2", 0.01)
    a = compute_network(s, cache=cache).points.cost
    b = compute_network(replace(s, strength=0.2), cache=cache).points.cost
    assert b > a
    assert b == pytest.approx(compute_network(replace(s, strength=0.2)).points.cost)


# ---------------------------------------------------------------- the race
def test_the_race_starts_sure_of_the_wrong_class_and_cross_entropy_wins():
    race = compute_race(NET)
    assert race.losses == ("bce", "brier") and race.n_train == rows_of(NET)[0].size
    for name in race.losses:
        assert race.steps[name].size == race.accuracy[name].size == race.costs[name].size == race.max_steps + 1
    # one start: the same accuracy and the same p(true class) before the first step
    assert race.accuracy["bce"][0] == race.accuracy["brier"][0] == race.start_accuracy <= 0.1
    assert race.p_true["bce"][0] == pytest.approx(race.p_true["brier"][0]) and race.start_p_true < 0.15
    bce, brier = race.reached["bce"], race.reached["brier"]
    assert bce is not None and bce < 50  # tens of steps
    assert brier is None or brier > 2 * bce
    assert race.final("bce") >= race.target
    assert "gradient descent" in race.optimizer


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cross_entropy_wins_from_other_starts_too(seed):
    race = compute_race(NET.with_seed(seed))
    bce, brier = race.reached["bce"], race.reached["brier"]
    assert bce is not None and (brier is None or bce < brier)


def test_the_race_matches_its_own_runs():
    s = NET
    race = compute_race(s, steps=40)
    net = race_network(s)
    train, _ = rows_of(s)
    x, y = s.data.x[train], s.data.labels[train].astype(float)
    start = confidently_wrong_start(net, net.initial_params(s.seed), x, y)
    for name in race.losses:
        objective = Objective.create(name, x, y, net)
        assert race.costs[name][0] == pytest.approx(objective.cost(start))
    z = net.raw(start, x)
    assert race.start_accuracy == pytest.approx(((z > 0) == (y > 0.5)).mean())
    assert np.median(np.abs(z)) == pytest.approx(results.WRONG_LOGIT)


def test_the_race_is_for_two_classes_only():
    for preset in ("spiral3", "wave"):
        with pytest.raises(ValueError, match="two classes"):
            compute_race(NET.with_source(DataSource.from_preset(preset)))
    # a categorical loss on two classes races the same network with one output
    cce = NET.with_loss("cce")
    assert race_network(cce).n_outputs == 1 and race_network(cce).hidden == (8,)
    assert race_basis(cce)[1:] == race_basis(NET)[1:] and race_basis(cce)[0] is race_basis(NET)[0]
    with pytest.raises(ValueError, match="one output"):
        confidently_wrong_start(cce.predictor(), cce.theta_array, NET.data.x, NET.data.labels)


def test_a_race_for_other_points_is_not_shown():
    race = compute_race(NET, steps=5)
    assert compute_network(NET, race=race).race is race
    moved = NET.with_source(DataSource.from_preset("circles"))
    assert compute_network(moved, race=race).race is None
    assert compute_network(NET.with_seed(4), race=race).race is None
    # nor does a penalty, θ or the loss change which race it is
    assert compute_network(penalised("l2", s=NET), race=race).race is race


def test_a_brier_network_trains_and_its_cost_is_the_mean_squared_probability_error():
    s = NET.with_loss("brier")
    run = start_training(s)
    start_cost = run.train_costs[0]
    run.advance(300)
    assert run.train_costs[-1] < 0.5 * start_cost
    train, _ = rows_of(s)
    net, theta = s.predictor(), run.theta
    p = 1 / (1 + np.exp(-net.raw(theta, s.data.x[train])))
    assert run.train_costs[-1] == pytest.approx(np.mean((p - s.data.labels[train]) ** 2))
