"""Loss-landscape slices: filter-normalised and PCA directions, the plane's costs, projection."""

from __future__ import annotations

import numpy as np
import pytest

from lossdesk.model import (
    MLP,
    Line,
    Objective,
    landscape,
    make_optimizer,
    make_preset,
    plane_surface,
    project,
    random_directions,
    run_descent,
    trajectory_directions,
)


# ------------------------------------------------------------------ random directions
@pytest.mark.parametrize("hidden, k", [((6, 4), 1), ((), 3), ((5,), 2)])
def test_random_directions_are_filter_normalised(hidden, k):
    net = MLP(2, hidden, k, "tanh")
    theta = net.initial_params(3) + 0.2  # biases ≠ 0, so a zero bias part is the rule's doing
    d1, d2 = random_directions(net, theta, seed=7)
    assert d1.shape == d2.shape == theta.shape
    assert not np.allclose(d1, d2)
    for d in (d1, d2):
        for (W, b), (D, db) in zip(net.layers(theta), net.layers(d)):
            np.testing.assert_allclose(np.linalg.norm(D, axis=1), np.linalg.norm(W, axis=1), rtol=1e-12)
            assert not db.any()
            assert not np.allclose(np.abs(D), np.abs(W))  # a new direction, not θ's own rows
    again = random_directions(net, theta, seed=7)
    np.testing.assert_array_equal(again[0], d1)
    np.testing.assert_array_equal(again[1], d2)
    assert not np.allclose(random_directions(net, theta, seed=8)[0], d1)


def test_a_zero_row_of_theta_gives_a_zero_row():
    net = MLP(2, (3,), 1)
    theta = net.initial_params(0).copy()
    theta[2:4] = 0.0  # row 1 of W1 (3 × 2)
    assert not net.layers(theta)[0][0][1].any()
    d1, _ = random_directions(net, theta, seed=0)
    D1, _ = net.layers(d1)[0]
    assert not D1[1].any() and D1[0].any()


# ------------------------------------------------------------------ PCA directions
def _path(seed=0, steps=40):
    data = make_preset("moons")
    net = MLP(2, (5,), 1, "tanh")
    obj = Objective.create("bce_logits", data.x, data.labels, predictor=net)
    run = run_descent(obj, make_optimizer("adam", lr=0.05), net.initial_params(seed), max_steps=steps)
    return net, obj, run.thetas


def test_trajectory_directions_are_the_leading_principal_components():
    _, _, thetas = _path()
    d1, d2 = trajectory_directions(thetas)
    D = np.stack([d1, d2])
    np.testing.assert_allclose(D @ D.T, np.eye(2), atol=1e-12)
    # reference: eigenvectors of the covariance of θᵢ − θ_last, the largest two
    M = thetas - thetas[-1]
    cov = np.cov(M, rowvar=False)
    _, vectors = np.linalg.eigh(cov)
    ref = vectors[:, ::-1][:, :2].T
    for got, want in zip(D, ref):
        assert abs(got @ want) == pytest.approx(1.0, abs=1e-8)
        assert got[np.argmax(np.abs(got))] > 0  # the sign rule
    # and the SVD of the centred matrix, as PCA computes it
    C = M - M.mean(axis=0)
    *_, vt = np.linalg.svd(C, full_matrices=False)
    for got, want in zip(D, vt[:2]):
        np.testing.assert_allclose(got, want * np.sign(want[np.argmax(np.abs(want))]), atol=1e-10)
    # the first direction carries the most of the path's spread
    assert np.var(C @ d1) >= np.var(C @ d2) > 0


def test_trajectory_directions_refuse_a_degenerate_path():
    with pytest.raises(ValueError, match="at least three steps"):
        trajectory_directions(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="at least three steps"):
        trajectory_directions(np.zeros(5))
    line = np.outer(np.linspace(0, 1, 10), np.arange(1.0, 6.0))  # a straight path
    with pytest.raises(ValueError, match="at most one direction"):
        trajectory_directions(line)
    with pytest.raises(ValueError, match="at most one direction"):
        trajectory_directions(np.ones((6, 4)))  # never moved
    bad = np.random.default_rng(0).normal(size=(5, 3))
    bad[2, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        trajectory_directions(bad)


# ------------------------------------------------------------------ projection
def test_project_recovers_known_coordinates():
    rng = np.random.default_rng(4)
    theta = rng.normal(size=30)
    d1, d2 = rng.normal(size=30), rng.normal(size=30)  # not orthogonal
    coords = rng.normal(size=(12, 2))
    thetas = theta + coords[:, :1] * d1 + coords[:, 1:] * d2
    np.testing.assert_allclose(project(thetas, theta, d1, d2), coords, atol=1e-12)
    # off the plane: the least-squares coordinates, whose residual is orthogonal to the plane
    off = thetas + rng.normal(size=thetas.shape)
    c = project(off, theta, d1, d2)
    residual = off - theta - c[:, :1] * d1 - c[:, 1:] * d2
    np.testing.assert_allclose(residual @ np.stack([d1, d2]).T, 0.0, atol=1e-10)
    assert project(theta, theta, d1, d2).shape == (1, 2)


def test_project_the_training_path_onto_its_pca_plane():
    _, _, thetas = _path()
    d1, d2 = trajectory_directions(thetas)
    coords = project(thetas, thetas[-1], d1, d2)
    np.testing.assert_allclose(coords[-1], 0.0, atol=1e-12)
    M = thetas - thetas[-1]
    np.testing.assert_allclose(coords, M @ np.stack([d1, d2]).T, atol=1e-12)  # orthonormal: dot products


def test_project_with_zero_directions_does_not_crash():
    coords = project(np.ones((3, 4)), np.zeros(4), np.zeros(4), np.zeros(4))
    np.testing.assert_array_equal(coords, 0.0)
    with pytest.raises(ValueError, match="same length"):
        project(np.ones((3, 4)), np.zeros(5), np.zeros(5), np.zeros(5))


# ------------------------------------------------------------------ the plane's costs
@pytest.mark.parametrize("preset, loss, hidden, activation", [
    ("moons", "bce", (6, 4), "tanh"), ("xor", "hinge", (4,), "relu"),
    ("spiral3", "cce", (5,), "sigmoid"), ("spiral3", "cce_logits", (), "tanh"),
    ("wave", "huber", (8,), "tanh"), ("wave", "mse", (3, 3), "identity")])
def test_plane_surface_equals_a_loop_of_costs(preset, loss, hidden, activation):
    data = make_preset(preset)
    if data.task == "regression":
        net = MLP(1, hidden, 1, activation)
        obj = Objective.create(loss, data.x, data.y, predictor=net)
    else:
        k = 1 if data.n_classes == 2 else data.n_classes
        net = MLP(2, hidden, k, activation)
        obj = Objective.create(loss, data.x, data.labels, predictor=net)
    theta = net.initial_params(1)
    d1, d2 = random_directions(net, theta, seed=2)
    alphas = np.linspace(-1.5, 1.0, 7)
    betas = np.linspace(-0.5, 2.0, 5)  # a different length, so a transposed Z cannot pass
    Z = plane_surface(obj, theta, d1, d2, alphas, betas)
    assert Z.shape == (7, 5)
    want = np.array([[obj.cost(theta + a * d1 + b * d2) for b in betas] for a in alphas])
    np.testing.assert_allclose(Z, want, rtol=1e-12)
    assert Z.std() > 0


def test_plane_surface_is_the_same_in_small_chunks(monkeypatch):
    data = make_preset("circles")
    net = MLP(2, (8, 8), 1, "tanh")
    obj = Objective.create("bce_logits", data.x, data.labels, predictor=net)
    theta = net.initial_params(0)
    d1, d2 = random_directions(net, theta, seed=0)
    grid = np.linspace(-1, 1, 9)
    whole = plane_surface(obj, theta, d1, d2, grid, grid)
    monkeypatch.setattr(landscape, "CHUNK_ELEMENTS", 1)  # one grid point at a time
    np.testing.assert_allclose(plane_surface(obj, theta, d1, d2, grid, grid), whole, rtol=1e-13)
    assert whole[4, 4] == pytest.approx(obj.cost(theta))


def test_plane_surface_works_for_a_linear_predictor_too():
    data = make_preset("linear")
    obj = Objective.create("mae", data.x, data.y, predictor=Line())
    theta = np.array([1.0, 0.0])
    Z = plane_surface(obj, theta, [1.0, 0.0], [0.0, 1.0], [0.0, 0.5], [-1.0, 0.5, 2.0])
    want = [[obj.cost(theta + [a, b]) for b in (-1.0, 0.5, 2.0)] for a in (0.0, 0.5)]
    np.testing.assert_allclose(Z, want, rtol=1e-12)


def test_non_finite_costs_become_nan_without_an_error():
    data = make_preset("wave")
    net = MLP(1, (4,), 1, "identity")
    obj = Objective.create("mse", data.x, data.y, predictor=net)
    theta = net.initial_params(0)
    d1, d2 = random_directions(net, theta, seed=0)
    Z = plane_surface(obj, theta, d1, d2, [0.0, 1e160], [0.0])
    assert np.isfinite(Z[0, 0]) and np.isnan(Z[1, 0])


def test_plane_surface_rejects_bad_grids():
    data = make_preset("xor")
    net = MLP(2, (2,), 1)
    obj = Objective.create("bce", data.x, data.labels, predictor=net)
    theta = net.initial_params(0)
    with pytest.raises(ValueError, match="alphas must be a non-empty list of finite numbers"):
        plane_surface(obj, theta, theta, theta, [], [0.0])
    with pytest.raises(ValueError, match="betas"):
        plane_surface(obj, theta, theta, theta, [0.0], [np.inf])
    with pytest.raises(ValueError, match="same length"):
        plane_surface(obj, theta, theta[:-1], theta, [0.0], [0.0])
