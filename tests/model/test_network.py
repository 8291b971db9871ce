"""MLP: layout, forward pass, exact backpropagation, initialisation, training and bad settings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lossdesk.model import (
    ACTIVATIONS,
    BINARY_LOSSES,
    LOSSES,
    MAX_PARAMS,
    MLP,
    MULTICLASS_LOSSES,
    REGRESSION_LOSSES,
    Line,
    Logistic,
    Objective,
    Softmax,
    make_optimizer,
    make_preset,
    run_descent,
)
from lossdesk.model.network import output_gradients, parse_hidden


def fd4_gradient(f, theta: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Fourth-order central differences of a scalar function of θ."""
    g = np.empty_like(theta)
    for k in range(theta.size):
        e = np.zeros_like(theta)
        e[k] = h
        g[k] = (f(theta - 2 * e) - 8 * f(theta - e) + 8 * f(theta + e) - f(theta + 2 * e)) / (12 * h)
    return g


def _task_data(loss: str, n: int = 24, seed: int = 3):
    """Features and targets that suit the loss's task; the matching number of outputs."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    task = LOSSES[loss].task
    if task == "regression":
        return x, np.sin(x[:, 0]) + 0.3 * x[:, 1] + 0.5 * rng.standard_normal(n), 1
    if task == "binary":
        return x, (x[:, 0] * x[:, 1] > 0).astype(float), 1
    return x, rng.integers(0, 3, n), 3


def _kinks_far(net: MLP, obj: Objective, theta: np.ndarray, reach: float) -> bool:
    """True when no ReLU input and no non-smooth loss lies within ``reach`` of its kink."""
    if net.activation == "relu":
        fw = net.forward(theta, obj.x)
        if any(np.abs(z).min() < reach for z in fw.pre_activations[:-1]):
            return False
    name = obj.loss.name
    out = net.raw(theta, obj.x)
    if name in ("mae", "quantile"):
        return np.abs(obj.y - out).min() > reach
    if name == "huber":
        return np.abs(np.abs(obj.y - out) - 1.0).min() > reach
    if name == "hinge":
        return np.abs(1 - (2 * obj.y - 1) * out).min() > reach
    return True


# ------------------------------------------------------------------ gradients
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", list(LOSSES))
def test_backprop_matches_fourth_order_finite_differences(activation, loss):
    x, y, k = _task_data(loss)
    net = MLP(2, (5, 4), k, activation)
    obj = Objective.create(loss, x, y, predictor=net)
    h = 1e-4
    checked = 0
    for seed in range(40):
        theta = net.initial_params(seed)
        theta = theta + 0.1 * np.random.default_rng(seed).standard_normal(theta.size)  # biases ≠ 0
        if not _kinks_far(net, obj, theta, reach=50 * h):
            continue
        cost, grad = obj.cost_and_gradient(theta)
        assert cost == pytest.approx(obj.cost(theta))
        numeric = fd4_gradient(obj.cost, theta, h)
        scale = max(1.0, float(np.abs(numeric).max()))
        np.testing.assert_allclose(grad, numeric, rtol=0, atol=1e-7 * scale)
        assert np.abs(grad).max() > 1e-6  # a gradient of zeros would pass anything
        checked += 1
        if checked == 2:
            break
    assert checked == 2, "no θ far enough from every kink"


@pytest.mark.parametrize("family, losses, k", [
    ("regression", REGRESSION_LOSSES, 1), ("binary", BINARY_LOSSES, 1), ("multiclass", MULTICLASS_LOSSES, 3)])
def test_every_loss_family_is_covered(family, losses, k):
    assert losses, f"the registry has no {family} loss"
    for loss in losses:
        x, y, outputs = _task_data(loss)
        assert outputs == k
        obj = Objective.create(loss, x, y, predictor=MLP(2, (3,), k))
        assert obj.predictor.n_outputs == k


def test_backward_pass_follows_the_delta_rule():
    net = MLP(2, (4, 3), 2, "sigmoid")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(7, 2))
    theta = net.initial_params(2) + 0.1
    g_z = rng.normal(size=(7, 2))
    fw = net.forward(theta, x)
    bw = net.backward(theta, fw, g_z)
    _, (W2, _), (W3, _) = net.layers(theta)
    a1, a2 = fw.activations[1], fw.activations[2]
    d3 = g_z
    d2 = (d3 @ W3) * a2 * (1 - a2)
    d1 = (d2 @ W2) * a1 * (1 - a1)
    for got, want in zip(bw.deltas, (d1, d2, d3)):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(bw.weight_gradients[0], d1.T @ x, rtol=1e-12)
    np.testing.assert_allclose(bw.bias_gradients[2], d3.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(net.param_gradient(x, g_z, theta), bw.gradient)
    assert bw.gradient.shape == (net.n_params,)
    np.testing.assert_array_equal(net.flatten(list(zip(bw.weight_gradients, bw.bias_gradients))), bw.gradient)


def test_each_example_shares_out_the_gradient():
    data = make_preset("xor")
    net = MLP(2, (4,), 1, "tanh")
    obj = Objective.create("bce", data.x, data.labels, predictor=net)
    theta = net.initial_params(5)
    g_z = output_gradients(obj, theta)
    p = 1 / (1 + np.exp(-net.raw(theta, data.x)))
    np.testing.assert_allclose(g_z, p - data.labels, atol=1e-12)  # BCE through σ: p − y
    shares = [net.example_signals(theta, data.x[i], g_z[i], weight=1 / data.n) for i in range(data.n)]
    total = np.sum([s.gradient for s in shares], axis=0)
    np.testing.assert_allclose(total, obj.gradient(theta), atol=1e-14)
    one = shares[7]
    W1, b1 = net.layers(theta)[0]
    np.testing.assert_allclose(one.values[0], data.x[7])
    np.testing.assert_allclose(one.values[1], np.tanh(W1 @ data.x[7] + b1))
    assert one.values[-1] == pytest.approx(net.raw(theta, data.x[7:8])[0])
    assert [v.shape for v in one.values] == [(2,), (4,), (1,)]
    assert [d.shape for d in one.deltas] == [(4,), (1,)]
    assert one.deltas[-1][0] == pytest.approx(g_z[7] / data.n)
    np.testing.assert_allclose(one.weight_shares[1], np.outer(one.deltas[1], one.values[1]))
    np.testing.assert_allclose(one.bias_shares[0], one.deltas[0])


def test_output_gradients_of_rows_and_of_several_outputs():
    data = make_preset("spiral3")
    net = MLP(2, (6,), 3, "relu")
    theta = net.initial_params(1)
    obj = Objective.create("cce_logits", data.x, data.labels, predictor=net)
    rows = np.arange(10, 30)
    g = output_gradients(obj, theta, rows)
    z = net.raw(theta, data.x[rows])
    e = np.exp(z - z.max(axis=1, keepdims=True))
    want = e / e.sum(axis=1, keepdims=True) - np.eye(3)[data.labels[rows]]
    np.testing.assert_allclose(g, want, atol=1e-12)


def test_gradient_norms_per_layer():
    net = MLP(2, (3, 2), 1)
    grad = np.arange(net.n_params, dtype=float)
    norms = net.gradient_norms_per_layer(grad)
    assert norms.shape == (3,)
    want = [np.linalg.norm(W) for W, _ in net.layers(grad)]
    np.testing.assert_allclose(norms, want)
    assert norms[0] == pytest.approx(np.linalg.norm(np.arange(6)))  # biases are not counted


# ------------------------------------------------------------------ layout
def test_layers_shapes_and_layout():
    net = MLP(3, (4, 2), 2)
    assert net.sizes == (3, 4, 2, 2) and net.architecture == "3-4-2-2" and net.n_layers == 3
    assert net.layer_shapes == ((4, 3), (2, 4), (2, 2))
    assert net.n_params == 4 * 3 + 4 + 2 * 4 + 2 + 2 * 2 + 2
    theta = np.arange(net.n_params, dtype=float)
    layers = net.layers(theta)
    assert [(W.shape, b.shape) for W, b in layers] == [((4, 3), (4,)), ((2, 4), (2,)), ((2, 2), (2,))]
    np.testing.assert_array_equal(layers[0][0], np.arange(12).reshape(4, 3))  # W1 row by row first
    np.testing.assert_array_equal(layers[0][1], np.arange(12, 16))  # then b1
    np.testing.assert_array_equal(layers[1][0][1], np.arange(20, 24))  # W2 row 1
    np.testing.assert_array_equal(net.flatten(layers), theta)
    names = net.param_names
    assert len(names) == net.n_params == len(set(names))
    assert names[:4] == ("W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[1,0]")
    assert names[12] == "b1[0]" and names[16] == "W2[0,0]" and names[-1] == "b3[1]"
    mask = net.weight_mask()
    assert mask.sum() == 12 + 8 + 4 and not mask[12:16].any()


@given(
    hidden=st.lists(st.integers(1, 9), max_size=4).map(tuple),
    d=st.integers(1, 3),
    k=st.integers(1, 4),
)
def test_flatten_inverts_layers(hidden, d, k):
    net = MLP(d, hidden, k)
    theta = np.random.default_rng(0).normal(size=net.n_params)
    np.testing.assert_array_equal(net.flatten(net.layers(theta)), theta)
    assert len(net.param_names) == net.n_params


def test_raw_equals_a_hand_written_forward_pass():
    net = MLP(2, (5, 3), 1, "tanh")
    theta = net.initial_params(4) + 0.05
    x = np.random.default_rng(0).normal(size=(9, 2))
    (W1, b1), (W2, b2), (W3, b3) = net.layers(theta)
    want = (np.tanh(np.tanh(x @ W1.T + b1) @ W2.T + b2) @ W3.T + b3)[:, 0]
    out = net.raw(theta, x)
    assert out.shape == (9,)
    np.testing.assert_allclose(out, want, rtol=1e-13)
    np.testing.assert_allclose(net.forward(theta, x).output[:, 0], want, rtol=1e-13)
    relu = MLP(2, (4,), 3, "relu")
    th = relu.initial_params(1) - 0.1
    (V1, c1), (V2, c2) = relu.layers(th)
    z = relu.raw(th, x)
    assert z.shape == (9, 3)
    np.testing.assert_allclose(z, np.maximum(x @ V1.T + c1, 0) @ V2.T + c2, rtol=1e-13)
    sig = MLP(1, (3,), 1, "sigmoid")
    th = sig.initial_params(2)
    (U1, e1), (U2, e2) = sig.layers(th)
    xs = np.linspace(-2, 2, 5)
    want = (1 / (1 + np.exp(-(xs[:, None] @ U1.T + e1))) @ U2.T + e2)[:, 0]
    np.testing.assert_allclose(sig.raw(th, xs), want, rtol=1e-12)


def test_raw_many_equals_raw_for_each_theta():
    for k in (1, 3):
        net = MLP(2, (4, 4), k, "relu")
        thetas = np.stack([net.initial_params(s) for s in range(5)])
        x = np.random.default_rng(0).normal(size=(11, 2))
        many = net.raw_many(thetas, x)
        assert many.shape == ((5, 11) if k == 1 else (5, 11, k))
        for t, out in zip(thetas, many):
            np.testing.assert_allclose(out, net.raw(t, x), rtol=1e-12)


@pytest.mark.parametrize("linear, loss, y_kind", [
    (Line(), "mse", "value"), (Logistic(n_features=2), "bce", "binary"),
    (Logistic(n_features=1), "hinge", "binary"), (Softmax(n_features=2, n_outputs=3), "cce_logits", "class")])
def test_no_hidden_layer_is_the_linear_model(linear, loss, y_kind):
    """Mapping: the linear θ as rows [w…, b] per output; the network's W = those w rows, b the biases."""
    rng = np.random.default_rng(2)
    d, k = linear.n_features, linear.n_outputs
    x = rng.normal(size=(15, d))
    y = {"value": rng.normal(size=15), "binary": rng.integers(0, 2, 15), "class": rng.integers(0, 3, 15)}[y_kind]
    net = MLP(d, (), k, "relu")  # no hidden layer: the activation plays no part
    theta_lin = rng.normal(size=linear.n_params)
    theta_net = net.from_linear_params(theta_lin)
    assert net.n_params == linear.n_params
    m = theta_lin.reshape(k, d + 1)
    (W, b), = net.layers(theta_net)
    np.testing.assert_array_equal(W, m[:, :-1])
    np.testing.assert_array_equal(b, m[:, -1])
    np.testing.assert_allclose(net.raw(theta_net, x), linear.raw(theta_lin, x), rtol=1e-13)
    cost_lin, grad_lin = Objective.create(loss, x, y, predictor=linear).cost_and_gradient(theta_lin)
    cost_net, grad_net = Objective.create(loss, x, y, predictor=net).cost_and_gradient(theta_net)
    assert cost_net == pytest.approx(cost_lin, rel=1e-13)
    np.testing.assert_allclose(grad_net, net.from_linear_params(grad_lin), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="without hidden layers"):
        MLP(d, (2,), k).from_linear_params(theta_lin)


# ------------------------------------------------------------------ initialisation
def test_initial_params_are_seeded_and_scaled():
    net = MLP(2, (16, 16), 1, "tanh")
    a, b = net.initial_params(3), net.initial_params(3)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, net.initial_params(4))
    np.testing.assert_array_equal(net.initial_params(), net.initial_params(0))
    for (W, bias), (o, i) in zip(net.layers(a), net.layer_shapes):
        assert not bias.any()
        assert np.abs(W).max() <= math.sqrt(6 / (i + o))  # Glorot-uniform bound
        assert np.abs(W).max() > 0.5 * math.sqrt(6 / (i + o))
    relu = MLP(2, (64, 64), 1, "relu")
    (W1, _), (W2, _), (W3, _) = relu.layers(relu.initial_params(0))
    assert W2.std() == pytest.approx(math.sqrt(2 / 64), rel=0.05)  # He-normal
    assert W1.std() == pytest.approx(math.sqrt(2 / 2), rel=0.15)
    assert np.abs(W3).max() <= math.sqrt(6 / 65)  # the output layer stays Glorot


def test_run_descent_starts_from_initial_params():
    data = make_preset("moons")
    net = MLP(2, (4,), 1)
    obj = Objective.create("bce_logits", data.x, data.labels, predictor=net)
    result = run_descent(obj, make_optimizer("gd", lr=0.1), max_steps=3)
    np.testing.assert_array_equal(result.thetas[0], net.initial_params())


# ------------------------------------------------------------------ training
def _accuracy(net, theta, data):
    z = net.raw(theta, data.x)
    pred = (z > 0).astype(int) if z.ndim == 1 else z.argmax(axis=1)
    return float((pred == data.labels).mean())


@pytest.mark.parametrize("width", [4, 8])
def test_adam_solves_xor_with_a_hidden_layer_but_not_without(width):
    data = make_preset("xor")
    adam = make_optimizer("adam", lr=0.05)
    net = MLP(2, (width,), 1, "tanh")
    obj = Objective.create("bce", data.x, data.labels, predictor=net)
    run = run_descent(obj, adam, net.initial_params(0), max_steps=600)
    assert run.status != "diverged"
    assert _accuracy(net, run.thetas[-1], data) == 1.0
    assert run.costs[-1] < 0.05 < run.costs[0]

    linear = MLP(2, (), 1)
    obj_lin = Objective.create("bce", data.x, data.labels, predictor=linear)
    run_lin = run_descent(obj_lin, adam, linear.initial_params(0), max_steps=600)
    assert _accuracy(linear, run_lin.thetas[-1], data) <= 0.75
    assert run_lin.costs[-1] > 0.6  # stuck near log 2: no line splits XOR


def test_a_huge_learning_rate_diverges_with_finite_records():
    data = make_preset("wave")
    net = MLP(1, (16, 16), 1, "relu")
    obj = Objective.create("mse", data.x, data.y, predictor=net)
    result = run_descent(obj, make_optimizer("gd", lr=1e4), net.initial_params(0), max_steps=200)
    assert result.status == "diverged"
    assert result.diverged_at is not None and result.diverged_at <= 200
    assert np.all(np.isfinite(result.thetas)) and np.all(np.isfinite(result.costs))
    assert result.thetas.shape == (result.steps + 1, net.n_params)


# ------------------------------------------------------------------ bad settings
@pytest.mark.parametrize("kwargs, message", [
    ({"hidden": (0,)}, "1 to 64 neurons, not 0"),
    ({"hidden": (8, -2)}, "1 to 64 neurons, not -2"),
    ({"hidden": (4, 4, 4, 4, 4)}, "at most 4 hidden layers, not 5"),
    ({"hidden": (65,)}, "1 to 64 neurons, not 65"),
    ({"hidden": (2.5,)}, "whole number"),
    ({"hidden": ("eight",)}, "whole number"),
    ({"activation": "softsign"}, "unknown activation 'softsign'; choose one of tanh, relu, sigmoid, identity"),
    ({"n_features": 0}, "at least one input feature"),
    ({"n_outputs": 0}, "at least one output"),
    ({"hidden": (64, 64, 64, 64), "n_outputs": 200}, "more than the 20000"),
])
def test_bad_settings_raise_one_clear_line(kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        MLP(**{"n_features": 2, "hidden": (8,), "n_outputs": 1, "activation": "tanh", **kwargs})
    assert "\n" not in str(info.value)


def test_settings_are_normalised_and_hashable():
    net = MLP(2, [8, 8.0], 1, "ReLU")
    assert net.hidden == (8, 8) and net.activation == "relu"
    assert net == MLP(2, (8, 8), 1, "relu") and hash(net) == hash(MLP(2, (8, 8), 1, "relu"))
    assert MLP(2, 5).hidden == (5,)
    assert MLP(2, (64, 64, 64, 64), 2).n_params <= MAX_PARAMS
    assert parse_hidden("8,8") == (8, 8) == parse_hidden(" 8 8 ")
    assert parse_hidden("") == () == parse_hidden("none")
    with pytest.raises(ValueError, match="whole numbers, not 'x'"):
        parse_hidden("8,x")


def test_misuse_raises_value_errors():
    net = MLP(2, (3,), 1)
    with pytest.raises(ValueError, match="has 13 parameters"):
        net.raw(np.zeros(5), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="pass theta"):
        net.param_gradient(np.zeros((2, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="not linear"):
        net.basis(np.zeros((2, 2)), 0)
    with pytest.raises(ValueError, match="expects 2 feature"):
        Objective.create("mse", np.zeros(4), np.zeros(4), predictor=net)
