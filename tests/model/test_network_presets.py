"""The network tab's presets: shapes a line cannot split, and a sine a line cannot follow."""

from __future__ import annotations

import numpy as np
import pytest

from lossdesk.model import (
    MLP,
    PRESETS,
    ClassificationData,
    Objective,
    RegressionData,
    make_optimizer,
    make_preset,
    run_descent,
)

CLASSIFICATION = {"xor": 2, "circles": 2, "moons": 2, "spiral": 2, "spiral3": 3}


@pytest.mark.parametrize("name, k", sorted(CLASSIFICATION.items()))
def test_classification_presets_are_2d_and_balanced(name, k):
    preset = PRESETS[name]
    assert preset.task == "classification" and preset.default_noise > 0 and preset.description
    data = make_preset(name)
    assert isinstance(data, ClassificationData)
    assert data.name == name and data.n_features == 2 and data.n_classes == k
    assert 100 <= data.n <= 300
    counts = np.bincount(data.labels, minlength=k)
    assert counts.min() == counts.max()
    assert np.abs(data.x).max() < 3.5  # the same scale as the other 2-D presets
    assert make_preset(name, seed=4) == make_preset(name, seed=4) != data
    assert make_preset(name, noise=0.5) != data


def test_wave_is_a_noisy_sine():
    data = make_preset("wave")
    assert isinstance(data, RegressionData) and PRESETS["wave"].task == "regression"
    assert 100 <= data.n <= 200 and np.all(np.diff(data.x) >= 0)
    clean = make_preset("wave", noise=0.0)
    np.testing.assert_allclose(clean.y, 2.0 * np.sin(1.3 * clean.x), atol=1e-3)
    residual = data.y - 2.0 * np.sin(1.3 * data.x)
    assert residual.std() == pytest.approx(PRESETS["wave"].default_noise, rel=0.3)
    slope, intercept = np.polyfit(data.x, data.y, 1)
    line_error = data.y - (slope * data.x + intercept)
    assert line_error.std() > 3 * residual.std()  # a straight line misses the wave


def test_noise_free_shapes():
    xor = make_preset("xor", noise=0.0)
    assert set(map(tuple, xor.x.tolist())) == {(-1.2, -1.2), (1.2, 1.2), (-1.2, 1.2), (1.2, -1.2)}
    np.testing.assert_array_equal(xor.labels, (xor.x[:, 0] * xor.x[:, 1] < 0).astype(int))
    circles = make_preset("circles", noise=0.0)
    radius = np.hypot(circles.x[:, 0], circles.x[:, 1])
    np.testing.assert_allclose(radius, np.where(circles.labels == 0, 2.0, 1.0), atol=2e-3)
    spiral = make_preset("spiral3", noise=0.0)
    r = np.hypot(spiral.x[:, 0], spiral.x[:, 1])
    assert r.min() >= 0.25 - 2e-3 and r.max() <= 2.0 + 2e-3
    moons = make_preset("moons", noise=0.0)
    upper, lower = moons.x[moons.labels == 0], moons.x[moons.labels == 1]
    np.testing.assert_allclose(np.hypot(*(upper / 1.6 + [0.5, 0.25]).T), 1.0, atol=2e-3)
    np.testing.assert_allclose(np.hypot(*(lower / 1.6 + [0.5, 0.25] - [1.0, 0.5]).T), 1.0, atol=2e-3)


def _train(data, hidden, steps):
    k = data.n_classes
    net = MLP(2, hidden, 1 if k == 2 else k, "tanh")
    loss = "bce_logits" if k == 2 else "cce_logits"
    obj = Objective.create(loss, data.x, data.labels, predictor=net)
    run = run_descent(obj, make_optimizer("adam", lr=0.05), net.initial_params(0), max_steps=steps)
    z = net.raw(run.thetas[-1], data.x)
    pred = (z > 0).astype(int) if z.ndim == 1 else z.argmax(axis=1)
    return float((pred == data.labels).mean())


@pytest.mark.parametrize("name, hidden, steps", [
    ("xor", (4,), 300), ("circles", (8,), 300), ("moons", (8,), 300), ("spiral", (16, 16), 800),
    ("spiral3", (16, 16), 800)])
def test_a_network_learns_what_a_line_cannot(name, hidden, steps):
    data = make_preset(name)
    linear = _train(data, (), steps)
    network = _train(data, hidden, steps)
    assert linear < 0.9
    assert network >= 0.98
