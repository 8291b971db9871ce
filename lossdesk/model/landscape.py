"""Two-dimensional slices of a network's loss landscape (Li et al., NeurIPS 2018).

A network has hundreds of weights, so its cost C(θ) cannot be drawn; a slice through θ
along two directions d₁, d₂ can:

    Z[i, j] = C(θ + αᵢ·d₁ + βⱼ·d₂).

The directions are either random and *filter-normalised* (each row of each W a Gaussian
vector rescaled to the norm of the same row of θ, bias parts zero, so the slice's scale
matches the network's own), or the two leading principal components of a training path.
A slice shows two directions of many: its contours need not match the cost along the
path itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lossdesk.model.network import MLP
from lossdesk.model.objective import Objective

#: network values (examples × neurons × grid points) computed at once in plane_surface
CHUNK_ELEMENTS = 1_000_000


def random_directions(net: MLP, theta: Any, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two seeded Gaussian directions, filter-normalised to θ.

    Each row j of each W_l in a direction has the norm of row j of θ's W_l (a row of θ
    that is all zeros gives a zero row); every bias part is zero.
    """
    theta = np.asarray(theta, dtype=float)
    rng = np.random.default_rng(int(seed))
    out = []
    for _ in range(2):
        layers = []
        for W, b in net.layers(theta):
            d = rng.standard_normal(W.shape)
            norms = np.linalg.norm(d, axis=1, keepdims=True)
            target = np.linalg.norm(W, axis=1, keepdims=True)
            layers.append((d * (target / np.where(norms > 0, norms, 1.0)), np.zeros_like(b)))
        out.append(net.flatten(layers))
    return out[0], out[1]


def trajectory_directions(thetas: Any) -> tuple[np.ndarray, np.ndarray]:
    """The two leading principal components of the path's θᵢ − θ_last, orthonormal.

    As PCA computes them: the rows are centred, and the components are the first two right
    singular vectors, each signed so its largest entry (in absolute value) is positive.
    Raises ValueError when the path has fewer than three points or does not span two
    directions (e.g. it has not moved, or moved along one line): use
    ``random_directions`` then.
    """
    thetas = np.asarray(thetas, dtype=float)
    if thetas.ndim != 2 or thetas.shape[0] < 3:
        raise ValueError("a PCA plane needs a path of at least three steps: train a little first")
    if not np.all(np.isfinite(thetas)):
        raise ValueError("the path holds a NaN or infinite parameter")
    M = thetas - thetas[-1]
    M -= M.mean(axis=0)
    _, s, vt = np.linalg.svd(M, full_matrices=False)
    if s.size < 2 or not s[1] > 1e-10 * max(s[0], 1e-300):
        raise ValueError("the path moves along at most one direction: a PCA plane needs two")
    dirs = vt[:2].copy()
    biggest = np.argmax(np.abs(dirs), axis=1)
    dirs *= np.sign(dirs[np.arange(2), biggest])[:, None]
    return dirs[0], dirs[1]


def plane_surface(
    objective: Objective, theta: Any, d1: Any, d2: Any, alphas: Any, betas: Any
) -> np.ndarray:
    """Z[i, j] = cost(θ + alphas[i]·d₁ + betas[j]·d₂), shape (len(alphas), len(betas)).

    Grid points go through the network together (``MLP.raw_many``), in chunks of at most
    ``CHUNK_ELEMENTS`` values; any other predictor is evaluated one θ at a time. A cost that
    overflows, or is otherwise not finite, is NaN in Z (a gap in a heat map), never an error.
    """
    theta = np.asarray(theta, dtype=float).ravel()
    d1 = np.asarray(d1, dtype=float).ravel()
    d2 = np.asarray(d2, dtype=float).ravel()
    a = np.asarray(alphas, dtype=float).ravel()
    b = np.asarray(betas, dtype=float).ravel()
    if not (theta.shape == d1.shape == d2.shape):
        raise ValueError("θ and both directions must have the same length")
    for grid, what in ((a, "alphas"), (b, "betas")):
        if grid.size == 0 or not np.all(np.isfinite(grid)):
            raise ValueError(f"{what} must be a non-empty list of finite numbers")
    pred = objective.predictor
    raw_many = getattr(pred, "raw_many", None)
    if raw_many is None:  # any other predictor: one θ at a time
        def raw_many(ts: np.ndarray, x: np.ndarray) -> np.ndarray:
            return np.stack([pred.raw(t, x) for t in ts])
    loss, kw, y, n = objective.loss, objective.params, objective.y, objective.n
    widest = max(pred.sizes) if hasattr(pred, "sizes") else pred.n_outputs
    per_point = n * widest
    chunk = max(1, CHUNK_ELEMENTS // per_point)
    A, B = np.meshgrid(a, b, indexing="ij")
    A, B = A.ravel(), B.ravel()
    Z = np.empty(A.size)
    multiclass = pred.n_outputs > 1
    tiled: dict[int, np.ndarray] = {}
    with np.errstate(all="ignore"):
        for start in range(0, A.size, chunk):
            ca, cb = A[start : start + chunk], B[start : start + chunk]
            m = ca.size
            thetas = theta + ca[:, None] * d1 + cb[:, None] * d2
            out = objective._link(raw_many(thetas, objective.x))
            if multiclass:
                yt = tiled.get(m)
                if yt is None:
                    yt = tiled.setdefault(m, np.tile(y, m))
                vals = loss._value(yt, out.reshape(m * n, -1), **kw).reshape(m, n)
            else:
                vals = loss._value(y[None, :], out, **kw)
            Z[start : start + m] = vals.mean(axis=1)
    Z[~np.isfinite(Z)] = np.nan
    return Z.reshape(a.size, b.size)


def project(thetas: Any, theta: Any, d1: Any, d2: Any) -> np.ndarray:
    """Each θᵢ's in-plane coordinates (α, β): least squares of θᵢ − θ ≈ α·d₁ + β·d₂.

    Shape (m, 2). Exact for points in the plane; for the rest, the nearest point of the
    plane. Parallel or zero directions give the smallest-norm coordinates (no error).
    """
    thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
    theta = np.asarray(theta, dtype=float).ravel()
    D = np.stack([np.asarray(d1, dtype=float).ravel(), np.asarray(d2, dtype=float).ravel()], axis=1)
    if thetas.shape[1] != theta.size or D.shape[0] != theta.size:
        raise ValueError("the path, θ and both directions must have the same length")
    coords, *_ = np.linalg.lstsq(D, (thetas - theta).T, rcond=None)
    return coords.T
