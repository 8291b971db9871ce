"""Loss surfaces: the cost over a grid of two parameters, exact and fast.

``line_loss_surface`` fills ``Z[i, j]`` = mean loss of the line ŷ = w_grid[i]·x + b_grid[j]:

* MSE from sufficient statistics of the centred data: O(G²) whatever N is;
* MAE, quantile and Huber exactly by bucketing, for each w, the residuals
  r = y − w·x against the sorted b thresholds, then prefix counts and sums
  (a counting sort against the grid: O(N log G) per w instead of O(N·G));
* log-cosh as log cosh(s) = |s| − log 2 + log1p(e^(−2|s|)): the |s| part is the MAE
  surface, and the correction a polynomial in z = e^(−2|s|), whose powers are summed
  per bucket and carried from threshold to threshold by a geometric recurrence
  (O(N·K) per w for K = ``LOGCOSH_TERMS``; see ``_logcosh_surface`` for the error bound);
* any other loss by direct evaluation in chunks (never a G·G·N array).

``parameter_surface`` does the direct evaluation for any linear-in-θ predictor
(logistic and softmax classifiers too), over two chosen parameters.

These surfaces are the data cost (the mean loss). A penalised cost adds λ·P(w), which
depends on the weights alone: ``penalty_surface`` gives it over a line's (w, b) grid as a
column to add to the data surface, ``parameter_penalty_surface`` over any two parameters.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from lossdesk.model.losses import LOG2, Loss, get_loss
from lossdesk.model.objective import Objective, line_objective, penalty_of_weights

#: how many float64 values one chunk may hold (4 MiB; a worker thread holds the GIL for one chunk's bincount at most)
CHUNK_ELEMENTS = 1 << 19

METHODS = {
    "mse": "sufficient statistics",
    "mae": "bucketed prefix sums",
    "quantile": "bucketed prefix sums",
    "huber": "bucketed prefix sums",
    "logcosh": "bucketed prefix sums and exponential sums",
}


def surface_method(loss: str | Loss) -> str:
    """How ``line_loss_surface`` computes this loss's surface."""
    return METHODS.get(get_loss(loss).name, "chunked direct evaluation")


def line_loss_surface(
    x: Any, y: Any, loss: str | Loss, w_grid: Any, b_grid: Any, **params: Any
) -> np.ndarray:
    """Z[i, j] = mean over the data of loss(y, w_grid[i]·x + b_grid[j]); shape (len(w), len(b))."""
    lossobj = get_loss(loss)
    w = np.asarray(w_grid, dtype=float).ravel()
    b = np.asarray(b_grid, dtype=float).ravel()
    _check_grid(w, "w_grid")
    _check_grid(b, "b_grid")
    if lossobj.name in METHODS:
        # The fast paths need only checked x and y; skip building a full objective (O(N) work).
        if lossobj.task != "regression":  # pragma: no cover - METHODS holds regression losses only
            raise ValueError(f"{lossobj.title} is not a regression loss")
        xs, ys = _checked_xy(x, y)
        kw = lossobj.resolve_params(params)
        if lossobj.name == "mse":
            return _mse_surface(xs, ys, w, b)
        if lossobj.name == "logcosh":
            return _logcosh_surface(xs, ys, w, b)
        return _bucketed_surface(xs, ys, w, b, lossobj.name, kw)
    return _direct_line_surface(line_objective(x, y, lossobj, **params), w, b)


def _checked_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """x and y as equal-length, non-empty, finite 1-D float arrays (ValueError otherwise)."""
    try:
        xs = np.asarray(x, dtype=float).ravel()
        ys = np.asarray(y, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError("x and y must contain only numbers") from None
    if xs.size != ys.size:
        raise ValueError(f"x has {xs.size} values but y has {ys.size}")
    if xs.size == 0:
        raise ValueError("the data set is empty: add at least one point")
    for values, name in ((xs, "x"), (ys, "y")):
        # NaN and ±inf survive a sum, so a finite sum clears the array without a mask
        # (an overflowing sum of finite values gets the exact check too).
        if not np.isfinite(values.sum()) and not np.isfinite(values).all():
            bad = int(np.flatnonzero(~np.isfinite(values))[0])
            raise ValueError(f"{name} holds a NaN or infinite value (at position {bad})")
    return xs, ys


def brute_force_line_surface(
    x: Any, y: Any, loss: str | Loss, w_grid: Any, b_grid: Any, **params: Any
) -> np.ndarray:
    """Reference: evaluate every (w, b) directly (chunked). For tests and benchmarks."""
    obj = line_objective(x, y, loss, **params)
    return _direct_line_surface(obj, np.asarray(w_grid, float).ravel(), np.asarray(b_grid, float).ravel())


def _check_grid(g: np.ndarray, what: str) -> None:
    if g.size == 0:
        raise ValueError(f"{what} is empty")
    if not np.all(np.isfinite(g)):
        raise ValueError(f"{what} holds a NaN or infinite value")


# ----------------------------------------------------------------------------- MSE
#: moments from raw sums lose about log10(this) digits; beyond it, centre the data first
CANCELLATION_LIMIT = 1e6


def _mse_moments(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float, float]:
    """x̄, ȳ, var x, cov(x, y), var y.

    From raw sums when that is accurate (no length-N temporaries: fresh memory costs more
    than the arithmetic here), else from centred data. einsum avoids BLAS threads, which
    stall when the cores are busy.
    """
    n = x.size
    xm, ym = float(x.sum()) / n, float(y.sum()) / n
    sxx = float(np.einsum("i,i->", x, x)) / n
    syy = float(np.einsum("i,i->", y, y)) / n
    sxy = float(np.einsum("i,i->", x, y)) / n
    vxx, vyy, vxy = sxx - xm * xm, syy - ym * ym, sxy - xm * ym
    scale = max(sxx, syy)
    if vxx * CANCELLATION_LIMIT >= sxx and vyy * CANCELLATION_LIMIT >= syy and scale < 1e300:
        return xm, ym, max(vxx, 0.0), vxy, max(vyy, 0.0)
    d = x - xm  # data far from the origin relative to its spread: centre it
    vxx = float(np.einsum("i,i->", d, d)) / n
    vxy = (float(np.einsum("i,i->", d, y)) - ym * float(d.sum())) / n
    np.subtract(y, ym, out=d)
    vyy = float(np.einsum("i,i->", d, d)) / n
    return xm, ym, vxx, vxy, vyy


def _mse_surface(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """mean (y − w x − b)² = (ȳ − w x̄ − b)² + var y − 2w cov(x, y) + w² var x."""
    xm, ym, vxx, vxy, vyy = _mse_moments(x, y)
    spread = vyy - 2.0 * w * vxy + w * w * vxx  # (Gw,)
    out = np.subtract.outer(ym - w * xm, b)  # the only (Gw, Gb) array, updated in place
    out *= out
    out += spread[:, None]
    return np.maximum(out, 0.0, out=out)


# ------------------------------------------------------------- MAE, quantile, Huber
def _bucketed_surface(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, b: np.ndarray, name: str, params: dict
) -> np.ndarray:
    n = x.size
    if name == "huber":
        delta = params["delta"]
        thresholds = np.concatenate([b - delta, b + delta])
    else:
        thresholds = b
    order = np.argsort(thresholds, kind="stable")
    t_sorted = thresholds[order]
    m = t_sorted.size
    out = np.empty((w.size, b.size))
    rows_per_chunk = max(1, CHUNK_ELEMENTS // max(n, 1))
    # Evenly spaced grids (np.linspace, as the app uses) bucket by arithmetic instead of
    # a binary search; a residual within rounding of a threshold may land one bucket
    # off, which changes Z by rounding only because each loss is continuous there.
    b_sorted = np.sort(b)
    uniform = _uniform_step(b_sorted)
    offsets = (-delta, delta) if name == "huber" else (0.0,)
    for start in range(0, w.size, rows_per_chunk):
        wc = w[start : start + rows_per_chunk]
        r = y[None, :] - wc[:, None] * x[None, :]  # residual before the intercept
        rows = wc.size
        # Bucket each residual by how many thresholds lie at or below it.
        if uniform:
            idx = sum(_uniform_bucket(r, b_sorted[0] + o, uniform, b.size) for o in offsets)
            idx = idx.ravel()
        else:
            idx = np.searchsorted(t_sorted, r.ravel(), side="right")
        # Sums are taken of residuals shifted by their row mean, for accuracy.
        centre = r.mean(axis=1, keepdims=True)
        r -= centre
        idx += np.repeat(np.arange(rows) * (m + 1), n)
        size = rows * (m + 1)
        count = _prefix(np.bincount(idx, minlength=size), rows, m)
        s1 = _prefix(np.bincount(idx, weights=r.ravel(), minlength=size), rows, m)
        total = r.sum(axis=1, keepdims=True)
        # Undo the sort: column k of the stats belongs to thresholds[order[k]].
        below_count = np.empty_like(count)
        below_sum = np.empty_like(s1)
        below_count[:, order] = count
        below_sum[:, order] = s1
        if name == "huber":
            s2 = _prefix(np.bincount(idx, weights=(r * r).ravel(), minlength=size), rows, m)
            below_sq = np.empty_like(s2)
            below_sq[:, order] = s2
            G = b.size
            bc = b[None, :] - centre  # thresholds in the shifted frame
            kA, sA, qA = below_count[:, :G], below_sum[:, :G], below_sq[:, :G]  # r < b − δ
            kB, sB, qB = below_count[:, G:], below_sum[:, G:], below_sq[:, G:]  # r < b + δ
            # r < b − δ: e = b − r > δ
            low = delta * ((kA * bc - sA) - 0.5 * delta * kA)
            # r ≥ b + δ: e ≤ −δ
            k_hi, s_hi = n - kB, total - sB
            high = delta * ((s_hi - k_hi * bc) - 0.5 * delta * k_hi)
            km, sm, qm = kB - kA, sB - sA, qB - qA
            mid = 0.5 * (km * bc * bc - 2.0 * bc * sm + qm)
            out[start : start + rows] = (low + np.maximum(mid, 0.0) + high) / n
        else:
            bc = b[None, :] - centre
            below = below_count * bc - below_sum  # Σ over r < b of (b − r)
            above = (total - below_sum) - (n - below_count) * bc  # Σ over r ≥ b of (r − b)
            if name == "mae":
                out[start : start + rows] = (below + above) / n
            else:
                tau = params["tau"]
                out[start : start + rows] = ((1.0 - tau) * below + tau * above) / n
    return np.maximum(out, 0.0)


def _uniform_step(t: np.ndarray) -> float:
    """The step of an evenly spaced sorted grid, or 0.0 if it is not evenly spaced."""
    if t.size < 2:
        return 0.0
    step = (t[-1] - t[0]) / (t.size - 1)
    if not step > 0:
        return 0.0
    exact = t[0] + step * np.arange(t.size)
    tol = 16 * np.finfo(float).eps * max(abs(t[0]), abs(t[-1]), step)
    return float(step) if np.all(np.abs(t - exact) <= tol) else 0.0


def _uniform_bucket(r: np.ndarray, t0: float, step: float, m: int) -> np.ndarray:
    """How many of t0, t0 + step, …, t0 + (m − 1)·step lie at or below each r."""
    q = r - t0
    q *= 1.0 / step
    np.floor(q, out=q)
    q += 1.0
    np.clip(q, 0.0, m, out=q)
    return q.astype(np.intp)


def _prefix(counts: np.ndarray, rows: int, m: int) -> np.ndarray:
    """Cumulative sums per row of a flat (rows·(m+1)) bincount, keeping the first m columns."""
    return np.cumsum(counts.reshape(rows, m + 1), axis=1)[:, :m].astype(float)


# ------------------------------------------------------------------------ log-cosh
#: powers of z = e^(−2|s|) in the polynomial that stands for log1p(z) on [0, 1]
LOGCOSH_TERMS = 15
#: max over z in [0, 1] of |log1p(z) − Σₖ aₖ zᵏ| for those terms (checked by the tests)
LOGCOSH_BOUND = 1e-13


@functools.cache
def logcosh_coefficients(terms: int = LOGCOSH_TERMS) -> np.ndarray:
    """a₁ … a_K with log1p(z) ≈ Σₖ aₖ zᵏ on [0, 1]: least squares at 401 Chebyshev points.

    No constant term, so a point far from the line (z → 0) adds nothing. The error falls
    about 6× per term (log1p's singularity at z = −1); every |aₖ| ≤ 1, so summing the
    powers in this basis loses nothing to cancellation.
    """
    z = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, 401))
    V = z[:, None] ** np.arange(1, terms + 1)[None, :]
    return np.linalg.lstsq(V, np.log1p(z), rcond=None)[0]


def _logcosh_surface(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """mean log cosh(r − b) = MAE(b) − log 2 + mean log1p(e^(−2|r − b|)),  r = y − w·x.

    The correction: for each w, each residual falls between two neighbouring sorted b
    thresholds; with z_lo = e^(−2(r − b_below)) and z_hi = e^(−2(b_above − r)),
    A_m,k = Σ_{r ≥ b_m} e^(−2k(r − b_m)) and B_m,k = Σ_{r < b_m} e^(−2k(b_m − r)) follow
    from per-bucket sums of z_loᵏ and z_hiᵏ by A_m = S_{m+1} + ρ_m A_{m+1} and
    B_m = T_m + ρ_{m−1} B_{m−1} with ρ_m = e^(−2k(b_{m+1} − b_m)) ≤ 1 (every term positive,
    so the recurrence is stable). Then Σᵢ log1p(e^(−2|rᵢ − b_m|)) ≈ Σₖ aₖ (A_m,k + B_m,k).

    Error bound: |Z − Z_exact| ≤ ``LOGCOSH_BOUND`` (1e-13, the polynomial's) plus rounding
    of the MAE surface and of the sums (a few ulps of Z): every grid value is within
    1e-13 + 1e-12·|Z| of the brute-force mean. Cost O(N·K) per w instead of O(N·G).
    """
    n = x.size
    Z = _bucketed_surface(x, y, w, b, "mae", {})
    Z -= LOG2
    a = logcosh_coefficients()
    K = a.size
    order = np.argsort(b, kind="stable")
    bs = b[order]
    G = bs.size
    uniform = _uniform_step(bs)
    kk = np.arange(1, K + 1, dtype=float)[:, None]
    rho = np.exp(-2.0 * kk * np.diff(bs)[None, :])  # (K, G − 1)
    rows_per_chunk = max(1, CHUNK_ELEMENTS // max(n, 1))  # rows at once: the recurrences run on all of them
    corr = np.empty((w.size, G))
    for start in range(0, w.size, rows_per_chunk):
        wc = w[start : start + rows_per_chunk]
        rows = wc.size
        r = y[None, :] - wc[:, None] * x[None, :]
        if uniform:
            idx = _uniform_bucket(r, bs[0], uniform, G)
        else:
            idx = np.searchsorted(bs, r.ravel(), side="right").reshape(r.shape)
        # distance above the threshold below (inf in bucket 0) and below the one above
        # (inf in bucket G); rounding in the uniform bucketing may leave −ulps: clip to 0
        padded = np.concatenate([[-np.inf], bs, [np.inf]])
        z_lo = r - padded[idx]
        np.maximum(z_lo, 0.0, out=z_lo)
        z_lo *= -2.0
        np.exp(z_lo, out=z_lo)
        z_hi = padded[idx + 1] - r
        np.maximum(z_hi, 0.0, out=z_hi)
        z_hi *= -2.0
        np.exp(z_hi, out=z_hi)
        flat = (idx + (np.arange(rows) * (G + 1))[:, None]).ravel()
        size = rows * (G + 1)
        p_lo, p_hi = z_lo.copy(), z_hi.copy()
        S = np.empty((K, rows, G + 1))
        T = np.empty((K, rows, G + 1))
        for k in range(K):
            if k:
                p_lo *= z_lo
                p_hi *= z_hi
            S[k] = np.bincount(flat, weights=p_lo.ravel(), minlength=size).reshape(rows, G + 1)
            T[k] = np.bincount(flat, weights=p_hi.ravel(), minlength=size).reshape(rows, G + 1)
        A = np.empty((K, rows, G))
        B = np.empty((K, rows, G))
        A[:, :, G - 1] = S[:, :, G]
        for m in range(G - 2, -1, -1):
            A[:, :, m] = S[:, :, m + 1] + rho[:, m, None] * A[:, :, m + 1]
        B[:, :, 0] = T[:, :, 0]
        for m in range(1, G):
            B[:, :, m] = T[:, :, m] + rho[:, m - 1, None] * B[:, :, m - 1]
        A += B
        corr[start : start + rows] = np.tensordot(a, A, axes=(0, 0))
    Z[:, order] += corr / n
    return np.maximum(Z, 0.0, out=Z)


# ------------------------------------------------------------------- direct, chunked
def _direct_line_surface(obj: Objective, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    theta = np.zeros(2)
    return parameter_surface(obj, theta, 0, 1, w, b)


def parameter_surface(
    objective: Objective,
    theta: Any,
    i: int,
    j: int,
    grid_i: Any,
    grid_j: Any,
) -> np.ndarray:
    """Z[a, c] = cost with θ_i = grid_i[a], θ_j = grid_j[c], other parameters as in θ.

    Works for any predictor whose output is linear in θ, by moving the base output
    along the two parameter directions; evaluated in chunks of at most
    ``CHUNK_ELEMENTS`` values.
    """
    theta = np.asarray(theta, dtype=float).copy()
    if i == j:
        raise ValueError("choose two different parameters for a surface")
    gi = np.asarray(grid_i, dtype=float).ravel()
    gj = np.asarray(grid_j, dtype=float).ravel()
    _check_grid(gi, "grid_i")
    _check_grid(gj, "grid_j")
    pred, x, y = objective.predictor, objective.x, objective.y
    theta[i] = 0.0
    theta[j] = 0.0
    base = pred.raw(theta, x)  # output with both chosen parameters at zero
    di, dj = pred.basis(x, i), pred.basis(x, j)
    n = objective.n
    per_row = base.size  # values per (a, c) pair
    cols_per_chunk = max(1, CHUNK_ELEMENTS // per_row)
    loss, kw = objective.loss, objective.params
    multiclass = base.ndim == 2
    y_tiled_cache: dict[int, np.ndarray] = {}
    out = np.empty((gi.size, gj.size))
    for a, ti in enumerate(gi):
        row_base = base + ti * di
        for start in range(0, gj.size, cols_per_chunk):
            tj = gj[start : start + cols_per_chunk]
            z = row_base[None, ...] + tj.reshape((-1,) + (1,) * base.ndim) * dj[None, ...]
            out_vals = objective._link(z.reshape(-1, base.shape[1]) if multiclass else z)
            if multiclass:
                yt = y_tiled_cache.get(tj.size)
                if yt is None:
                    yt = y_tiled_cache.setdefault(tj.size, np.tile(y, tj.size))
                vals = loss._value(yt, out_vals, **kw).reshape(tj.size, n)
            else:
                vals = loss._value(y[None, :], out_vals, **kw)
            out[a, start : start + tj.size] = vals.mean(axis=1)
    return out


# ---------------------------------------------------------------------------- penalty
def penalty_surface(w_grid: Any, penalty: str | None, strength: float, l1_ratio: float = 0.5) -> np.ndarray:
    """λ·P(w) over a line's (w, b) grid, shape (len(w), 1): the same for every b.

    Add it to a ``line_loss_surface`` (shape (len(w), len(b))) for the total cost; P_l2 =
    ½w², P_l1 = |w|, elastic r|w| + (1 − r)·½w²; the intercept is never penalised.
    """
    w = np.asarray(w_grid, dtype=float).ravel()
    _check_grid(w, "w_grid")
    return penalty_of_weights(w, penalty, strength, l1_ratio)[:, None]


def parameter_penalty_surface(
    objective: Objective, theta: Any, i: int, j: int, grid_i: Any, grid_j: Any
) -> np.ndarray:
    """The objective's λ·P over the same grid as ``parameter_surface``: shape (len(i), len(j)).

    P is a sum over the weights, so it is the fixed parameters' share plus one term for
    each chosen parameter that is a weight (a bias adds nothing); all zeros without a penalty.
    """
    theta = np.asarray(theta, dtype=float).copy()
    if i == j:
        raise ValueError("choose two different parameters for a surface")
    gi = np.asarray(grid_i, dtype=float).ravel()
    gj = np.asarray(grid_j, dtype=float).ravel()
    _check_grid(gi, "grid_i")
    _check_grid(gj, "grid_j")
    out = np.zeros((gi.size, gj.size))
    if not objective.penalised:
        return out
    weights = objective.penalised_entries()
    args = (objective.penalty, objective.strength, objective.l1_ratio)
    theta[i] = theta[j] = 0.0
    out += objective.penalty_value(theta)
    if weights[i]:
        out += penalty_of_weights(gi, *args)[:, None]
    if weights[j]:
        out += penalty_of_weights(gj, *args)[None, :]
    return out


def grid_around(centre: float, half_width: float, size: int) -> np.ndarray:
    """``size`` evenly spaced values from centre − half_width to centre + half_width."""
    half_width = half_width if half_width > 0 and np.isfinite(half_width) else 1.0
    return np.linspace(centre - half_width, centre + half_width, int(size))


def line_surface_window(x: Any, y: Any, margin: float = 2.5) -> tuple[tuple[float, float], tuple[float, float]]:
    """A (w, b) window that holds the least-squares line and reasonable lines around it."""
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    sx = float(x.std()) or 1.0
    sy = float(y.std()) or 1.0
    xm, ym = float(x.mean()), float(y.mean())
    vxx = float(((x - xm) ** 2).mean())
    w0 = float(((x - xm) * (y - ym)).mean() / vxx) if vxx > 0 else 0.0
    b0 = ym - w0 * xm
    w_half = margin * sy / sx
    b_half = margin * sy + abs(xm) * w_half
    return (w0 - w_half, w0 + w_half), (b0 - b_half, b0 + b_half)


# ---------------------------------------------------------------- cost and a coarse look
#: seconds per residual evaluated (N · len(w_grid)) by each fast method, measured on a
#: busy 2-core machine and rounded up; other losses pay this per N · len(w) · len(b)
SURFACE_SECONDS_PER_RESIDUAL = {
    "mse": 0.0,
    "mae": 5e-8,
    "quantile": 5e-8,
    "huber": 8e-8,
    "logcosh": 3e-7,
}
DIRECT_SECONDS_PER_VALUE = 2e-8
#: the coarse surface: a COARSE_SIZE² grid over at most this many residuals' work
COARSE_SIZE = 32
COARSE_SECONDS = 0.003


def surface_seconds(loss: str | Loss, n: int, w_size: int, b_size: int | None = None) -> float:
    """About how long ``line_loss_surface`` takes for n points on a w_size × b_size grid."""
    name = get_loss(loss).name
    b_size = w_size if b_size is None else b_size
    if name == "mse":
        return 1e-8 * w_size * b_size
    if name in SURFACE_SECONDS_PER_RESIDUAL:
        return SURFACE_SECONDS_PER_RESIDUAL[name] * n * w_size + 2e-7 * w_size * b_size
    return DIRECT_SECONDS_PER_VALUE * n * w_size * b_size


def subsample(n: int, m: int) -> np.ndarray:
    """m row indices spread evenly over 0 … n − 1 (all of them if m ≥ n): a deterministic sample."""
    if m >= n:
        return np.arange(n)
    if m <= 1:
        return np.zeros(1, np.intp)
    # steps of at least one row, so rounding never repeats a row
    return np.linspace(0, n - 1, m).round().astype(np.intp)


def coarse_rows(n: int, loss: str | Loss, w_size: int, b_size: int, size: int = COARSE_SIZE,
                seconds: float = COARSE_SECONDS) -> np.ndarray:
    """The rows ``coarse_line_surface`` looks at: as many as ``seconds`` allows on its grid."""
    gw, gb = min(size, w_size), min(size, b_size)
    fixed = surface_seconds(loss, 0, gw, gb)
    per_point = max(surface_seconds(loss, 1, gw, gb) - fixed, 1e-12)
    return subsample(n, max(16, int((seconds - fixed) / per_point)))


def coarse_line_surface(
    x: Any, y: Any, loss: str | Loss, w_grid: Any, b_grid: Any, size: int = COARSE_SIZE,
    seconds: float = COARSE_SECONDS, **params: Any
) -> np.ndarray:
    """A quick look at ``line_loss_surface`` (same shape), to show while the exact one is worked out.

    The exact surface of an evenly spread subsample of the points (as many as ``seconds``
    allows; ``surface_seconds``) on a size × size grid spanning the same (w, b) ranges,
    interpolated bilinearly onto the full grid. A pure function of its arguments; for
    few points and a small grid it is the exact surface.
    """
    xs, ys = _checked_xy(x, y)
    w = np.asarray(w_grid, dtype=float).ravel()
    b = np.asarray(b_grid, dtype=float).ravel()
    _check_grid(w, "w_grid")
    _check_grid(b, "b_grid")
    gw, gb = min(size, w.size), min(size, b.size)
    rows = coarse_rows(xs.size, loss, w.size, b.size, size, seconds)
    cw = np.linspace(w.min(), w.max(), gw)
    cb = np.linspace(b.min(), b.max(), gb)
    Zc = line_loss_surface(xs[rows], ys[rows], loss, cw, cb, **params)
    return _bilinear(Zc, cw, cb, w, b)


def _bilinear(Zc: np.ndarray, cw: np.ndarray, cb: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Zc (on the even grids cw × cb) interpolated bilinearly at every (w[i], b[j])."""

    def weights(c: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if c.size == 1:
            return np.zeros(g.size, np.intp), np.zeros(g.size)
        t = np.clip((g - c[0]) / (c[-1] - c[0]) * (c.size - 1), 0.0, c.size - 1)
        i = np.minimum(t.astype(np.intp), c.size - 2)
        return i, t - i

    iw, fw = weights(cw, w)
    ib, fb = weights(cb, b)
    jw, jb = np.minimum(iw + 1, cw.size - 1), np.minimum(ib + 1, cb.size - 1)
    fw, fb = fw[:, None], fb[None, :]
    return ((1 - fw) * ((1 - fb) * Zc[iw][:, ib] + fb * Zc[iw][:, jb])
            + fw * ((1 - fb) * Zc[jw][:, ib] + fb * Zc[jw][:, jb]))
