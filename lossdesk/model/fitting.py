"""Exact minimisers: the best line and the best constant for each regression loss.

* MSE: least squares in closed form (the same line as ``numpy.polyfit(x, y, 1)``).
* MAE and quantile(τ): an optimal line passes through two data points. Up to
  ``PAIRWISE_LIMIT`` points every such line is tried. Beyond that: for a fixed slope w
  the best intercept is the τ-quantile of r = y − w·x, and the remaining cost f(w) is
  convex and piecewise linear; a golden-section search on f, then a snap to the best
  line through two data points near the optimum, finds the minimum.
* Huber and log-cosh: convex and smooth; damped Newton steps with a backtracking line
  search from the least-squares line, on centred x, until the step is at rounding level.

With a penalty on the slope (cost = mean loss + λ·P(w), the intercept never penalised;
a = λ·r and c = λ·(1 − r) the L1 and L2 weights, r = 1 for L1 and 0 for L2):

* MSE in closed form. With x centred (x̄ = 0 absorbed into b), the cost in w is
  var_x·w² − 2·cov_xy·w + a·|w| + ½c·w² + const, so soft-thresholding gives
  w = sign(cov_xy)·max(2|cov_xy| − a, 0) / (2·var_x + c), b = ȳ − w·x̄:
  ridge (a = 0) shrinks the slope smoothly, and the lasso's slope is exactly 0 once
  λ·r ≥ 2|cov_xy| = 2|Σ(x − x̄)(y − ȳ)|/n.
* Huber and log-cosh: w = 0 is the optimum exactly when the data's slope at the best flat
  line, |dC/dw|, is at most a (the L1 subgradient condition); otherwise the optimum's w has
  the sign that lowers the cost, on which side the cost is smooth and Newton converges.
* MAE and quantile(τ): the profile f(w) = min_b cost stays convex; golden-section search
  on it, then the lines through two data points and the flat line w = 0 (where an L1
  optimum sits) are tried; up to ``PAIRWISE_LIMIT`` points with L1 alone, all of them.

``regularisation_path`` gives the optimum for many λ (vectorised for MSE) and
``zero_slope_strength`` the λ at which the lasso's slope reaches 0.

``best_line_seconds`` says about how long ``best_line`` takes; ``rough_best_line`` is the
best line of an evenly spread sample, a quick stand-in while the exact one is worked out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lossdesk.model.losses import Loss, get_loss
from lossdesk.model.objective import check_penalty, line_objective, penalty_coefficients

GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def best_constant(y: Any, loss: str | Loss, **params: Any) -> float:
    """The constant c minimising mean loss(y, c): mean (MSE), median (MAE), τ-quantile."""
    obj = line_objective(np.zeros(len(np.asarray(y))), y, loss, **params)
    if obj.loss.task != "regression":
        raise ValueError(f"best_constant needs a regression loss; {obj.loss.title} is for classification")
    return float(_best_intercept(obj.y, obj.loss, obj.params))


def best_line(
    x: Any,
    y: Any,
    loss: str | Loss,
    penalty: str | None = None,
    strength: float = 0.0,
    l1_ratio: float = 0.5,
    **params: Any,
) -> tuple[float, float]:
    """(w, b) minimising the mean regression loss of ŷ = w·x + b, plus λ·P(w) with a penalty.

    ``penalty`` None, "l1", "l2" or "elastic", ``strength`` λ ≥ 0, ``l1_ratio`` r ∈ [0, 1]
    (see the module docstring for how each case is solved); b is never penalised.
    """
    obj = line_objective(x, y, loss, penalty, strength, l1_ratio, **params)
    if obj.loss.task != "regression":
        raise ValueError(f"best_line needs a regression loss; {obj.loss.title} is for classification")
    xs, ys = obj.x[:, 0], obj.y
    xm = float(xs.mean())
    xc = xs - xm
    if np.all(xs == xs[0]):  # every x equal (tested on x, as the mean may round off): keep it flat
        # (w·x₀ folds into b, so any penalty on w is cheapest at w = 0)
        return 0.0, float(_best_intercept(ys, obj.loss, obj.params))
    name = obj.loss.name
    l1, l2 = penalty_coefficients(obj.penalty, obj.strength, obj.l1_ratio)
    if l1 == 0.0 and l2 == 0.0:
        if name == "mse":
            w, bc = _least_squares(xc, ys)
        elif name in ("mae", "quantile"):
            tau = obj.params.get("tau", 0.5)
            w, bc = _pinball_line(xc, ys, tau)
        else:
            w, bc = _newton_line(xc, ys, obj.loss, obj.params)
    elif name == "mse":
        w, bc = _penalised_least_squares(xc, ys, l1, l2)
    elif name in ("mae", "quantile"):
        # |r| = 2·pinball₀.₅(r): the scale matters once a penalty is added
        scale = 2.0 if name == "mae" else 1.0
        w, bc = _penalised_pinball_line(xc, ys, obj.params.get("tau", 0.5), l1 / scale, l2 / scale)
    else:
        w, bc = _penalised_smooth_line(xc, ys, obj.loss, obj.params, l1, l2)
    return float(w), float(bc - w * xm)


def regularisation_path(
    x: Any,
    y: Any,
    loss: str | Loss,
    penalty: str | None,
    strengths: Any,
    l1_ratio: float = 0.5,
    **params: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(strengths, w, b): the best line for each λ in ``strengths``, in the order given.

    Drawn on the (w, b) surface it is the path the optimum takes as λ grows: ridge slides
    it smoothly towards w = 0, the lasso reaches w = 0 exactly and stays. Vectorised for
    MSE; one ``best_line`` per λ for the other losses.
    """
    penalty, _, l1_ratio = check_penalty(penalty, 0.0, l1_ratio)
    try:
        lams = np.array(strengths, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError("the strengths λ must be numbers") from None
    if lams.size == 0:
        raise ValueError("give at least one strength λ for the path")
    if not np.all(np.isfinite(lams)):
        raise ValueError("the strengths λ hold a NaN or infinite value")
    if np.any(lams < 0):
        raise ValueError(f"the penalty strength λ must be zero or more, not {float(lams.min()):g}")
    obj = line_objective(x, y, loss, **params)
    if obj.loss.task != "regression":
        raise ValueError(f"a regularisation path needs a regression loss; {obj.loss.title} is for classification")
    xs, ys = obj.x[:, 0], obj.y
    if obj.loss.name == "mse" and not np.all(xs == xs[0]):
        xm = float(xs.mean())
        xc = xs - xm
        r = {None: 0.0, "l1": 1.0, "l2": 0.0}.get(penalty, l1_ratio)
        scale = 0.0 if penalty is None else 1.0
        w, bc = _penalised_least_squares(xc, ys, scale * r * lams, scale * (1.0 - r) * lams)
        return lams, w, bc - w * xm
    fits = [best_line(xs, ys, obj.loss, penalty, lam, l1_ratio, **obj.params) for lam in lams]
    w = np.array([f[0] for f in fits])
    b = np.array([f[1] for f in fits])
    return lams, w, b


def zero_slope_strength(x: Any, y: Any, loss: str | Loss = "mse", l1_ratio: float = 1.0, **params: Any) -> float:
    """The smallest λ at which an L1 penalty (elastic with ratio r < 1: λ·r) makes the best
    slope exactly 0: |dC/dw| at the best flat line, divided by r (∞ for r = 0).

    For MSE that is 2|Σ(x − x̄)(y − ȳ)|/(n·r). Smooth losses only (MSE, Huber, log-cosh).
    """
    _, _, r = check_penalty("elastic", 0.0, l1_ratio)
    obj = line_objective(x, y, loss, **params)
    if obj.loss.name not in ("mse", "huber", "logcosh"):
        raise ValueError(f"zero_slope_strength needs a smooth regression loss (MSE, Huber, log-cosh), not "
                         f"{obj.loss.title}")
    xs, ys = obj.x[:, 0], obj.y
    xc = xs - xs.mean()
    b0 = _best_intercept(ys, obj.loss, obj.params)
    slope = abs(float(obj.loss._gradient(ys, np.full_like(ys, b0), **obj.params) @ xc)) / xs.size
    if slope == 0.0:
        return 0.0
    return slope / r if r > 0 else float("inf")


#: seconds per point of ``best_line`` for each loss, measured on a busy 2-core machine and rounded up
BEST_LINE_SECONDS_PER_POINT = {"mse": 2e-8, "mae": 2e-5, "quantile": 2e-5, "huber": 3e-7, "logcosh": 3e-7}
#: how many points the rough best line looks at (an evenly spread sample)
ROUGH_POINTS = {"mae": 300, "quantile": 300}
ROUGH_POINTS_DEFAULT = 2000


#: how much longer a penalty makes Huber and log-cosh (an L1 part first finds the best flat line)
PENALTY_SLOWDOWN = {"l2": 2.0, "l1": 8.0, "elastic": 8.0}


def best_line_seconds(loss: str | Loss, n: int, penalty: str | None = None) -> float:
    """About how long ``best_line`` takes for n points (with ``penalty``, if given)."""
    name = get_loss(loss).name
    seconds = BEST_LINE_SECONDS_PER_POINT.get(name, 1e-6) * n
    if name in ("huber", "logcosh"):
        seconds *= PENALTY_SLOWDOWN.get(check_penalty(penalty)[0] or "", 1.0)
    return seconds


def rough_rows(n: int, loss: str | Loss) -> np.ndarray:
    """The rows ``rough_best_line`` looks at: ``ROUGH_POINTS`` spread evenly (all if fewer)."""
    m = ROUGH_POINTS.get(get_loss(loss).name, ROUGH_POINTS_DEFAULT)
    if n <= m:
        return np.arange(n)
    return np.linspace(0, n - 1, m).round().astype(np.intp)  # steps ≥ 1: no row twice


def rough_best_line(
    x: Any,
    y: Any,
    loss: str | Loss,
    penalty: str | None = None,
    strength: float = 0.0,
    l1_ratio: float = 0.5,
    **params: Any,
) -> tuple[float, float]:
    """``best_line`` of an evenly spread sample of the points (``ROUGH_POINTS``): a quick
    stand-in to show while the exact line is worked out; exact when there are few points."""
    xs = np.asarray(x, dtype=float).ravel()
    ys = np.asarray(y, dtype=float).ravel()
    rows = rough_rows(xs.size, loss)
    if rows.size == xs.size:
        return best_line(xs, ys, loss, penalty, strength, l1_ratio, **params)
    if np.all(xs[rows] == xs[rows[0]]):  # a sample of equal x says nothing of the slope
        return best_line(xs, ys, "mse", penalty, strength, l1_ratio)
    return best_line(xs[rows], ys[rows], loss, penalty, strength, l1_ratio, **params)


def _least_squares(xc: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    w = float(xc @ (y - y.mean()) / (xc @ xc))
    return w, float(y.mean())


def _penalised_least_squares(xc: np.ndarray, y: np.ndarray, l1: Any, l2: Any) -> tuple[Any, Any]:
    """argmin mean (y − w·x_c − b)² + l1·|w| + ½·l2·w² on centred x: soft-thresholding.

    d/dw = 2w·var_x − 2·cov_xy + l1·sign(w) + l2·w = 0 gives
    w = sign(cov_xy)·max(2|cov_xy| − l1, 0) / (2·var_x + l2), and b = ȳ. ``l1`` and ``l2``
    may be arrays (one λ each): then w is an array too.
    """
    n = xc.size
    ym = float(y.mean())
    cov = float(xc @ (y - ym)) / n
    var = float(xc @ xc) / n
    excess = np.maximum(2.0 * abs(cov) - np.asarray(l1, dtype=float), 0.0)
    # exactly 0.0 (never −0.0) once the L1 weight reaches 2|cov_xy|
    w = np.where(excess > 0.0, np.copysign(excess, cov), 0.0) / (2.0 * var + np.asarray(l2, dtype=float))
    if w.ndim == 0:
        return float(w), ym
    return w, np.full(w.shape, ym)


def _penalised_smooth_line(
    xc: np.ndarray, y: np.ndarray, loss: Loss, params: dict, l1: float, l2: float
) -> tuple[float, float]:
    """Huber or log-cosh plus l1·|w| + ½·l2·w², x centred.

    With an L1 part, w = 0 is optimal iff |dC/dw| ≤ l1 at the best flat line (the
    subgradient condition). Otherwise the optimum lies where sign(w) = s = −sign(dC/dw),
    and there the cost equals the smooth C + l1·s·w + ½·l2·w², whose minimum Newton finds.
    """
    s = 0.0
    if l1 > 0.0:
        b0 = float(_best_intercept(y, loss, params))
        slope = float(loss._gradient(y, np.full_like(y, b0), **params) @ xc) / xc.size
        if abs(slope) <= l1:
            return 0.0, b0
        s = -float(np.sign(slope))
    start = _penalised_least_squares(xc, y, l1, l2)
    w, b = _newton_line(xc, y, loss, params, linear=l1 * s, quadratic=l2, start=start)
    if l1 > 0.0 and w * s < 0.0:  # a flat stretch led Newton across w = 0: the optimum is there
        return 0.0, float(_best_intercept(y, loss, params))
    return w, b


def _penalised_pinball_line(xc: np.ndarray, y: np.ndarray, tau: float, l1: float, l2: float) -> tuple[float, float]:
    """Pinball(τ) plus l1·|w| + ½·l2·w² (MAE: τ = ½ with l1, l2 halved): minimise the convex profile in w.

    L1 alone keeps the problem a linear programme, whose optimum is a vertex: a line
    through two data points, or the flat line w = 0 through one. Up to ``PAIRWISE_LIMIT``
    points every vertex is tried; otherwise (and with an L2 part) golden-section search
    on the profile, then the nearby vertices and w = 0.
    """
    n = xc.size

    def total(w: float) -> tuple[float, float]:
        cost, c = _pinball_profile(xc, y, w, tau)
        return cost / n + l1 * abs(w) + 0.5 * l2 * w * w, c

    if l2 == 0.0 and n <= PAIRWISE_LIMIT:
        i, j = np.triu_indices(n, 1)
        dx = xc[j] - xc[i]
        keep = dx != 0
        slopes = np.unique(np.concatenate([(y[j] - y[i])[keep] / dx[keep], [0.0]]))
        r = y[None, :] - slopes[:, None] * xc[None, :]
        k = min(max(int(np.ceil(tau * n)) - 1, 0), n - 1)
        c = np.partition(r, k, axis=1)[:, k]
        d = r - c[:, None]
        cost = np.where(d >= 0, tau * d, (tau - 1.0) * d).sum(axis=1) / n + l1 * np.abs(slopes)
        best = int(np.argmin(cost))
        return float(slopes[best]), float(c[best])
    bound = _steepest_slope(xc, y) + 1.0
    w_best = _golden_section(lambda w: total(w)[0], -bound, bound)
    cost_best, c_best = total(w_best)
    cost, c = total(0.0)
    if cost <= cost_best:  # the flat line, where an L1 optimum snaps to
        cost_best, w_best, c_best = cost, 0.0, c
    r = y - w_best * xc - c_best
    near = np.argsort(np.abs(r))[: min(8, r.size)]
    for i in near:
        for j in near:
            if i < j and xc[i] != xc[j]:
                w = float((y[j] - y[i]) / (xc[j] - xc[i]))
                cost, c = total(w)
                if cost < cost_best:
                    cost_best, w_best, c_best = cost, w, c
    return float(w_best), float(c_best)


def _steepest_slope(xc: np.ndarray, y: np.ndarray) -> float:
    """range(y) / (smallest gap between distinct x): no line through two data points is steeper."""
    xs = np.unique(xc)
    return float(np.ptp(y)) / float(np.diff(xs).min()) if xs.size > 1 else 0.0


def _golden_section(f: Any, lo: float, hi: float) -> float:
    """The minimiser of a convex f on [lo, hi], to rounding level."""
    a, b = lo, hi
    c1, c2 = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
    f1, f2 = f(c1), f(c2)
    for _ in range(300):
        if b - a <= 1e-15 * max(1.0, abs(a), abs(b)):
            break
        if f1 <= f2:
            b, c2, f2 = c2, c1, f1
            c1 = b - GOLDEN * (b - a)
            f1 = f(c1)
        else:
            a, c1, f1 = c1, c2, f2
            c2 = a + GOLDEN * (b - a)
            f2 = f(c2)
    return 0.5 * (a + b)


def _best_intercept(r: np.ndarray, loss: Loss, params: dict) -> float:
    """argmin_c mean loss(r, c) for the constant model."""
    name = loss.name
    if name == "mse":
        return float(r.mean())
    if name == "mae":
        return float(np.median(r))
    if name == "quantile":
        return float(_pinball_argmin(r, params["tau"]))
    # Smooth convex 1-D problem: Newton with bisection safeguard on the derivative.
    lo, hi = float(r.min()), float(r.max())
    c = float(np.median(r))
    for _ in range(200):
        g = loss._gradient(r, np.full_like(r, c), **params).mean()
        if g > 0:
            hi = c
        else:
            lo = c
        h = _curvature(loss, r - c, params).mean()
        step = g / h if h > 1e-300 else np.inf
        nc = c - step
        if not (lo < nc < hi):
            nc = 0.5 * (lo + hi)
        if abs(nc - c) <= 1e-15 * max(1.0, abs(c)) or hi - lo <= 1e-15 * max(1.0, abs(c)):
            c = nc
            break
        c = nc
    return c


def _pinball_argmin(r: np.ndarray, tau: float) -> float:
    """A τ-quantile minimising Σ pinball_τ(r − c): the ⌈τn⌉-th smallest residual."""
    k = int(np.ceil(tau * r.size)) - 1
    k = min(max(k, 0), r.size - 1)
    return float(np.partition(r, k)[k])


def _pinball_cost(r: np.ndarray, c: float, tau: float) -> float:
    d = r - c
    return float(np.where(d >= 0, tau * d, (tau - 1.0) * d).sum())


def _pinball_profile(xc: np.ndarray, y: np.ndarray, w: float, tau: float) -> tuple[float, float]:
    r = y - w * xc
    c = _pinball_argmin(r, tau)
    return _pinball_cost(r, c, tau), c


#: up to this many points the pinball line is found by trying every line through two points
PAIRWISE_LIMIT = 120


def _pinball_line_pairwise(xc: np.ndarray, y: np.ndarray, tau: float) -> tuple[float, float]:
    """Exact for small n: an optimal line passes through two data points (an LP vertex)."""
    i, j = np.triu_indices(xc.size, 1)
    dx = xc[j] - xc[i]
    keep = dx != 0
    slopes = np.unique((y[j] - y[i])[keep] / dx[keep])
    r = y[None, :] - slopes[:, None] * xc[None, :]
    k = min(max(int(np.ceil(tau * xc.size)) - 1, 0), xc.size - 1)
    c = np.partition(r, k, axis=1)[:, k]
    d = r - c[:, None]
    cost = np.where(d >= 0, tau * d, (tau - 1.0) * d).sum(axis=1)
    best = int(np.argmin(cost))
    return float(slopes[best]), float(c[best])


def _pinball_line(xc: np.ndarray, y: np.ndarray, tau: float) -> tuple[float, float]:
    """Minimise f(w) = min_b Σ pinball(y − w·x − b), convex piecewise linear in w."""
    if xc.size <= PAIRWISE_LIMIT:
        return _pinball_line_pairwise(xc, y, tau)
    # The optimum lies on a line through two data points, so its slope is bounded by
    # the steepest such line: |w| ≤ range(y) / (smallest gap between distinct x).
    steepest = _steepest_slope(xc, y)
    w_best = _golden_section(lambda w: _pinball_profile(xc, y, w, tau)[0], -steepest - 1.0, steepest + 1.0)
    cost_best, c_best = _pinball_profile(xc, y, w_best, tau)
    # The optimum of a piecewise-linear problem sits on a line through two points; try
    # the lines through the points the near-optimal line almost touches.
    r = y - w_best * xc - c_best
    near = np.argsort(np.abs(r))[: min(8, r.size)]
    for i in near:
        for j in near:
            if i < j and xc[i] != xc[j]:
                w = (y[j] - y[i]) / (xc[j] - xc[i])
                cost, c = _pinball_profile(xc, y, w, tau)
                if cost < cost_best:
                    cost_best, w_best, c_best = cost, w, c
    return float(w_best), float(c_best)


def _curvature(loss: Loss, e: np.ndarray, params: dict) -> np.ndarray:
    """Second derivative of the loss in the residual (Huber: 1 inside δ, 0 outside)."""
    if loss.name == "huber":
        return (np.abs(e) <= params["delta"]).astype(float)
    if loss.name == "logcosh":
        t = np.tanh(e)
        return 1.0 - t * t
    if loss.name == "mse":
        return np.full_like(e, 2.0)
    raise ValueError(f"no curvature for {loss.name}")


def _newton_line(
    xc: np.ndarray,
    y: np.ndarray,
    loss: Loss,
    params: dict,
    linear: float = 0.0,
    quadratic: float = 0.0,
    start: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """Damped Newton on (w, b) for a smooth convex loss, x already centred.

    ``linear``·w + ½·``quadratic``·w² is added to the cost (a penalty on the slope whose
    L1 part has a known sign); ``start`` defaults to the least-squares line.
    """
    A = np.column_stack([xc, np.ones_like(xc)])
    theta = np.array(start if start is not None else _least_squares(xc, y), dtype=float)
    n = xc.size
    penalised = linear != 0.0 or quadratic != 0.0

    def cost(t: np.ndarray) -> float:
        value = float(loss._value(y, A @ t, **params).mean())
        if penalised:
            value += linear * t[0] + 0.5 * quadratic * t[0] * t[0]
        return value

    current = cost(theta)
    ridge = 1e-12 * (xc @ xc / n + 1.0)
    for _ in range(500):
        e = A @ theta - y
        g = A.T @ loss._gradient(y, A @ theta, **params) / n
        h = _curvature(loss, e, params)
        H = (A * h[:, None]).T @ A / n + ridge * np.eye(2)
        if penalised:
            g[0] += linear + quadratic * theta[0]
            H[0, 0] += quadratic
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            step = g
        if not np.all(np.isfinite(step)) or step @ g <= 0:
            step = g  # fall back to steepest descent
        t = 1.0
        accepted = False
        while t > 1e-20:
            candidate = theta - t * step
            c = cost(candidate)
            if c <= current - 1e-4 * t * (g @ step) or c < current:
                accepted = True
                break
            t *= 0.5
        if not accepted:
            break
        moved = np.abs(candidate - theta).max()
        theta, current = candidate, c
        if moved <= 1e-13 * max(1.0, np.abs(theta).max()):
            break
    return float(theta[0]), float(theta[1])
