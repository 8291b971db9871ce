"""The network tab's results: every number its views draw, checked against the model layer."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from lossdesk.model import LOSSES, Objective, make_preset, sigmoid
from lossdesk.model.network import output_gradients
from lossdesk.model.results import network as results
from lossdesk.model.results.network import (
    NetworkCache,
    compute_landscape,
    compute_network,
    path_record,
    split_rows,
    start_training,
)
from lossdesk.settings import DataSource, NetworkSettings, OptimizerChoice

NET = NetworkSettings()


def objective_of(s, rows):
    data = s.data
    x = data.x if s.classifying else data.x[:, None]
    y = data.labels if s.classifying else data.y
    return Objective.create(s.loss, x[rows], y[rows], s.predictor(), **s.params)


# ---------------------------------------------------------------- the split
def test_the_split_is_seeded_disjoint_and_complete():
    train, test = split_rows(120, 0.2, 0)
    assert test.size == 24 and train.size == 96
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(120))
    _, test_again = split_rows(120, 0.2, 0)
    assert np.array_equal(test, test_again)
    assert not np.array_equal(test, split_rows(120, 0.2, 1)[1])
    assert split_rows(120, 0.0, 0)[1].size == 0
    assert split_rows(1, 0.5, 0)[0].size == 1  # the last point stays for training


def test_adding_a_point_moves_at_most_one_other_point_across():
    _, before = split_rows(100, 0.3, 4)
    _, after = split_rows(101, 0.3, 4)
    assert len(set(before) ^ set(after) - {100}) <= 1


# ---------------------------------------------------------------- what each point costs
def test_losses_and_costs_match_the_model():
    s = NET
    r = compute_network(s, selected=None)
    net, theta = s.predictor(), s.theta_array
    p = sigmoid(net.raw(theta, s.data.x))
    expected = LOSSES["bce"].value(s.data.labels, p)
    np.testing.assert_allclose(r.points.losses, expected, rtol=1e-12)
    train, test = split_rows(s.data.n, s.test_fraction, s.seed)
    assert r.points.cost == pytest.approx(objective_of(s, train).cost(theta))
    assert r.points.test_cost == pytest.approx(objective_of(s, test).cost(theta))
    assert r.points.total == pytest.approx(expected[train].sum())
    assert np.array_equal(np.flatnonzero(r.points.held_out), test)
    assert r.accuracy == pytest.approx(np.mean((p[train] > 0.5) == s.data.labels[train]))


def test_regression_points_get_their_curve_and_losses():
    s = NET.with_source(DataSource.from_preset("wave")).with_hidden((6,))
    r = compute_network(s)
    net, theta = s.predictor(), s.theta_array
    np.testing.assert_allclose(r.fit.ys, net.raw(theta, r.fit.xs[:, None]))
    pred = net.raw(theta, s.data.x[:, None])
    np.testing.assert_allclose(r.fit.predictions, pred)
    np.testing.assert_allclose(r.points.losses, (s.data.y - pred) ** 2)
    assert r.decision is None and r.task == "regression"


def test_the_decision_map_is_the_networks_probability_and_its_boundary_sits_at_one_half():
    s = NET.with_theta(np.random.default_rng(1).normal(size=NET.predictor().n_params))
    r = compute_network(s)
    d = r.decision
    (x0, x1), (y0, y1) = d.x_range, d.y_range
    gx, gy = np.linspace(x0, x1, results.GRID_SIZE), np.linspace(y0, y1, results.GRID_SIZE)
    i, j = 17, 63
    z = s.predictor().raw(s.theta_array, np.array([[gx[i], gy[j]]]))[0]
    assert d.grid[i, j, 1] == pytest.approx(float(sigmoid(z)))
    finite = np.isfinite(d.boundary_x)
    assert finite.sum() > 10
    on_line = np.column_stack([d.boundary_x[finite], d.boundary_y[finite]])
    raw = s.predictor().raw(s.theta_array, on_line)
    cell = max(gx[1] - gx[0], gy[1] - gy[0])
    assert np.abs(raw).max() < 2.0 * cell * 10  # interpolated between grid cells: close to z = 0
    assert np.median(np.abs(raw)) < np.median(np.abs(s.predictor().raw(s.theta_array, s.data.x)))


def test_a_multiclass_map_sums_to_one():
    s = NET.with_source(DataSource.from_preset("spiral3"))
    r = compute_network(s)
    np.testing.assert_allclose(r.decision.grid.sum(axis=2), 1.0)
    assert r.decision.n_classes == 3 and r.snapshot.probabilities.shape[1] == 3


# ---------------------------------------------------------------- the network drawn
def test_the_forward_drawing_shows_the_weights_in_thetas_order():
    r = compute_network(NET)
    d = r.drawing
    weights = np.concatenate([W.ravel() for W, _ in NET.predictor().layers(NET.theta_array)])
    np.testing.assert_array_equal(d.edge_values, weights)
    assert d.sizes == (2, 8, 1) and d.neuron_x.size == 11 and d.edge_x.size == 2 * d.n_edges
    # edge k of layer 1 joins input k % 2 to hidden neuron k // 2
    k = 5
    assert d.edge_x[2 * k] == 0 and d.edge_x[2 * k + 1] == 1
    assert d.edge_y[2 * k] == d.neuron_y[k % 2] and d.edge_y[2 * k + 1] == d.neuron_y[2 + k // 2]


def test_the_backward_drawing_is_the_cost_gradient():
    s = replace(NET, view="backward")
    r = compute_network(s)
    train, _ = split_rows(s.data.n, s.test_fraction, s.seed)
    grad = objective_of(s, train).gradient(s.theta_array)
    layers = s.predictor().layers(grad)
    np.testing.assert_allclose(r.drawing.edge_values, np.concatenate([W.ravel() for W, _ in layers]), atol=1e-15)
    np.testing.assert_allclose(r.drawing.neuron_values[2:], np.concatenate([b for _, b in layers]), atol=1e-15)
    assert np.all(np.isnan(r.drawing.neuron_values[:2]))  # the inputs have no dC/dz


def test_one_points_shares_add_up_to_the_gradient():
    s = replace(NET, view="backward")
    train, test = split_rows(s.data.n, s.test_fraction, s.seed)
    full = compute_network(s).drawing
    total_w = [np.zeros_like(w) for w in full.weight_gradients]
    shares = 0.0
    for row in train:
        point = compute_network(s, selected=int(row)).selected
        assert not point.held_out
        for acc, part in zip(total_w, point.weight_shares):
            acc += part
        shares += point.share
    for acc, whole in zip(total_w, full.weight_gradients):
        np.testing.assert_allclose(acc, whole, atol=1e-12)
    assert shares == pytest.approx(1.0)
    assert compute_network(s, selected=int(test[0])).selected.held_out


def test_a_selected_point_shows_its_forward_pass():
    row = 7
    r = compute_network(NET, selected=row)
    point = r.selected
    net, theta = NET.predictor(), NET.theta_array
    fw = net.forward(theta, NET.data.x[row:row + 1])
    np.testing.assert_allclose(point.values[0], NET.data.x[row])
    np.testing.assert_allclose(point.values[1], fw.activations[1][0])
    assert point.values[-1][0] == pytest.approx(float(net.raw(theta, NET.data.x[row:row + 1])[0]))
    assert point.loss == pytest.approx(r.points.losses[row])
    # the labels beside the neurons are the point's values, in the forward view
    assert r.drawing.labels[0] == results._format(float(NET.data.x[row, 0]))
    assert r.drawing.labels[2] == results._format(float(fw.activations[1][0, 0]))
    # δ of the output is dL/dz of this point
    probe = objective_of(NET, np.array([row]))
    assert point.deltas[-1][0] == pytest.approx(float(output_gradients(probe, theta)[0]))


def test_a_wide_network_writes_no_numbers_in_its_wide_layers():
    s = NET.with_hidden((20, 4))
    d = compute_network(s, selected=0).drawing
    assert all(t == "" for t in d.labels[2:22]) and all(d.labels[22:26])


# ---------------------------------------------------------------- training
def test_adam_solves_xor_with_a_hidden_layer_and_a_line_cannot():
    run = start_training(NET)
    run.advance(600)
    assert run.train_costs[-1] < 0.05 and run.test_costs[-1] < 0.1
    line = start_training(NET.with_hidden(()))
    line.advance(600)
    assert line.train_costs[-1] > 0.6


def test_a_run_records_every_step():
    run = start_training(NET)
    run.advance(40)
    s = NET.with_theta(run.theta)
    train, test = split_rows(s.data.n, s.test_fraction, s.seed)
    assert run.steps == 40 and run.train_costs.shape == (41,) and run.layer_norms.shape == (41, 2)
    assert run.train_costs[-1] == pytest.approx(objective_of(s, train).cost(run.theta))
    assert run.test_costs[-1] == pytest.approx(objective_of(s, test).cost(run.theta))
    grad = objective_of(s, train).gradient(run.theta)
    np.testing.assert_allclose(run.layer_norms[-1], s.predictor().gradient_norms_per_layer(grad))
    assert run.path.shape == (41, s.predictor().n_params) and np.array_equal(run.path_steps, np.arange(41))
    assert len(run.descent.thetas) == 1  # the descent keeps only its newest step
    r = compute_network(s, run)
    assert r.curves.run_steps == 40 and np.array_equal(r.curves.train, run.train_costs)
    assert r.gradients.names == ("hidden 1", "output")


def test_a_long_run_keeps_a_thinned_path(monkeypatch):
    monkeypatch.setattr(results, "PATH_NUMBERS", 33 * 10)  # at most 64 rows, whatever the network
    run = start_training(NET)
    run.advance(300)
    steps = run.path_steps
    assert run.path.shape[0] <= 64 and steps[0] == 0 and np.all(np.diff(steps) > 0)
    path, until = run.path_until_now()
    assert until[-1] == 300 and np.array_equal(path[-1], run.theta)


def test_a_diverging_run_ends_with_finite_records():
    s = replace(NET.with_source(DataSource.from_preset("wave")).with_activation("identity"),
                optimizer=OptimizerChoice("gd", {"lr": 50.0}))
    run = start_training(s)
    status = run.advance(200, limit=1e6)
    assert status == "diverged"
    assert np.all(np.isfinite(run.train_costs)) and np.all(np.isfinite(run.theta))
    assert np.all(np.abs(run.theta) <= 1e6)


def test_mini_batches_are_seeded_and_cover_each_epoch():
    s = replace(NET, batch_size=16, optimizer=OptimizerChoice("sgd", {"lr": 0.1}))
    a, b = start_training(s), start_training(s)
    a.advance(30)
    b.advance(30)
    np.testing.assert_array_equal(a.theta, b.theta)
    batches = a.descent.optimizer
    from lossdesk.model.optimizers import OptimizerState

    rows = np.concatenate([batches.batch_rows(OptimizerState(t), 96) for t in range(6)])
    assert np.array_equal(np.sort(rows), np.arange(96))
    full = start_training(replace(s, batch_size=None))
    full.advance(30)
    assert not np.allclose(full.theta, a.theta)


def test_a_schedule_slows_the_steps():
    fast = start_training(replace(NET, optimizer=OptimizerChoice("gd", {"lr": 0.5})))
    slow = start_training(replace(NET, optimizer=OptimizerChoice("gd", {"lr": 0.5}), schedule="exponential",
                                  schedule_value=0.5))
    fast.advance(20)
    slow.advance(20)
    assert np.linalg.norm(slow.theta - NET.theta_array) < np.linalg.norm(fast.theta - NET.theta_array)


# ---------------------------------------------------------------- the landscape
def test_a_random_slice_is_the_cost_on_its_plane():
    run = start_training(NET)
    run.advance(30)
    s = NET.with_theta(run.theta)
    land = compute_landscape(s, path_record(run), size=9)
    train, _ = split_rows(s.data.n, s.test_fraction, s.seed)
    obj = objective_of(s, train)
    for i, j in ((0, 0), (4, 4), (8, 2)):
        point = s.theta_array + land.alphas[i] * land.d1 + land.betas[j] * land.d2
        assert land.z[i, j] == pytest.approx(obj.cost(point))
    assert land.z[4, 4] == pytest.approx(obj.cost(s.theta_array))  # θ at the centre
    assert land.path.shape == (31, 2) and np.allclose(land.path[-1], 0.0)
    assert land.directions == "random" and land.note is None and land.n_params == 33
    # filter normalisation: each row of each W has θ's row norm; biases untouched
    for (Wd, bd), (W, _b) in zip(s.predictor().layers(land.d1), s.predictor().layers(s.theta_array)):
        np.testing.assert_allclose(np.linalg.norm(Wd, axis=1), np.linalg.norm(W, axis=1))
        assert not bd.any()


def test_the_path_plane_holds_the_path():
    run = start_training(NET)
    run.advance(60)
    s = replace(NET.with_theta(run.theta), directions="path")
    land = compute_landscape(s, run, size=7)
    assert land.directions == "path"
    assert land.d1 @ land.d2 == pytest.approx(0.0, abs=1e-10) and np.linalg.norm(land.d1) == pytest.approx(1.0)
    (a0, a1), (b0, b1) = land.window.w_range, land.window.b_range
    assert np.all((land.path[:, 0] >= a0) & (land.path[:, 0] <= a1))
    assert np.all((land.path[:, 1] >= b0) & (land.path[:, 1] <= b1))
    assert land.lines.x.size > 0


def test_without_a_path_the_pca_plane_gives_way_to_random_directions():
    land = compute_landscape(replace(NET, directions="path"), None, size=5)
    assert land.directions == "random" and "three steps" in land.note


def test_the_ball_follows_the_run_and_a_new_data_set_makes_the_slice_stale():
    run = start_training(NET)
    run.advance(10)
    s = NET.with_theta(run.theta)
    land = compute_landscape(s, run, size=5)
    cache = NetworkCache()
    run.advance(5)
    s2 = s.with_theta(run.theta)
    marks = compute_network(s2, run, cache, landscape=land).marks
    assert marks.path.shape == (16, 2) and not marks.stale
    expected = np.linalg.lstsq(np.column_stack([land.d1, land.d2]), run.theta - land.theta, rcond=None)[0]
    np.testing.assert_allclose(marks.ball, expected, atol=1e-9)
    other = s2.with_source(DataSource.from_preset("moons"))
    assert compute_network(other, None, cache, landscape=land).marks.stale


# ---------------------------------------------------------------- purity
def test_the_cache_only_memoises():
    s = replace(NET, view="backward")
    cache = NetworkCache()
    a = compute_network(s, None, cache, 3)
    b = compute_network(s, None, cache, 3)
    c = compute_network(s, None, None, 3)
    for r in (b, c):
        np.testing.assert_array_equal(a.points.losses, r.points.losses)
        np.testing.assert_array_equal(a.drawing.edge_values, r.drawing.edge_values)
        np.testing.assert_array_equal(a.decision.grid, r.decision.grid)
        assert a.selected.share == r.selected.share


def test_a_loss_that_cannot_score_the_labels_computes_nothing():
    s = replace(NET.with_source(DataSource.from_preset("spiral3")), loss="bce", theta=None)
    r = compute_network(s)
    assert r.label_problem and r.points is None and r.drawing is None


def test_without_the_map_the_rest_is_the_same():
    r = compute_network(NET, with_map=False)
    full = compute_network(NET)
    assert r.decision is None and full.decision is not None
    np.testing.assert_array_equal(r.points.losses, full.points.losses)
    assert make_preset("xor").n == r.points.n
