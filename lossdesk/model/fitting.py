"""Exact minimisers: the best line and the best constant for each regression loss.

* MSE: least squares in closed form (the same line as ``numpy.polyfit(x, y, 1)``).
* MAE and quantile(τ): an optimal line passes through two data points. Up to
  ``PAIRWISE_LIMIT`` points every such line is tried. Beyond that: for a fixed slope w
  the best intercept is the τ-quantile of r = y − w·x, and the remaining cost f(w) is
  convex and piecewise linear; a golden-section search on f, then a snap to the best
  line through two data points near the optimum, finds the minimum.
* Huber and log-cosh: convex and smooth; damped Newton steps with a backtracking line
  search from the least-squares line, on centred x, until the step is at rounding level.

``best_line_seconds`` says about how long ``best_line`` takes; ``rough_best_line`` is the
best line of an evenly spread sample, a quick stand-in while the exact one is worked out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lossdesk.model.losses import Loss, get_loss
from lossdesk.model.objective import line_objective

GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def best_constant(y: Any, loss: str | Loss, **params: Any) -> float:
    """The constant c minimising mean loss(y, c): mean (MSE), median (MAE), τ-quantile."""
    obj = line_objective(np.zeros(len(np.asarray(y))), y, loss, **params)
    if obj.loss.task != "regression":
        raise ValueError(f"best_constant needs a regression loss; {obj.loss.title} is for classification")
    return float(_best_intercept(obj.y, obj.loss, obj.params))


def best_line(x: Any, y: Any, loss: str | Loss, **params: Any) -> tuple[float, float]:
    """(w, b) minimising the mean regression loss of ŷ = w·x + b."""
    obj = line_objective(x, y, loss, **params)
    if obj.loss.task != "regression":
        raise ValueError(f"best_line needs a regression loss; {obj.loss.title} is for classification")
    xs, ys = obj.x[:, 0], obj.y
    xm = float(xs.mean())
    xc = xs - xm
    if np.all(xs == xs[0]):  # every x equal (tested on x, as the mean may round off): keep it flat
        return 0.0, float(_best_intercept(ys, obj.loss, obj.params))
    name = obj.loss.name
    if name == "mse":
        w, bc = _least_squares(xc, ys)
    elif name in ("mae", "quantile"):
        tau = obj.params.get("tau", 0.5)
        w, bc = _pinball_line(xc, ys, tau)
    else:
        w, bc = _newton_line(xc, ys, obj.loss, obj.params)
    return float(w), float(bc - w * xm)


#: seconds per point of ``best_line`` for each loss, measured on a busy 2-core machine and rounded up
BEST_LINE_SECONDS_PER_POINT = {"mse": 2e-8, "mae": 2e-5, "quantile": 2e-5, "huber": 3e-7, "logcosh": 3e-7}
#: how many points the rough best line looks at (an evenly spread sample)
ROUGH_POINTS = {"mae": 300, "quantile": 300}
ROUGH_POINTS_DEFAULT = 2000


def best_line_seconds(loss: str | Loss, n: int) -> float:
    """About how long ``best_line`` takes for n points."""
    return BEST_LINE_SECONDS_PER_POINT.get(get_loss(loss).name, 1e-6) * n


def rough_rows(n: int, loss: str | Loss) -> np.ndarray:
    """The rows ``rough_best_line`` looks at: ``ROUGH_POINTS`` spread evenly (all if fewer)."""
    m = ROUGH_POINTS.get(get_loss(loss).name, ROUGH_POINTS_DEFAULT)
    if n <= m:
        return np.arange(n)
    return np.linspace(0, n - 1, m).round().astype(np.intp)  # steps ≥ 1: no row twice


def rough_best_line(x: Any, y: Any, loss: str | Loss, **params: Any) -> tuple[float, float]:
    """``best_line`` of an evenly spread sample of the points (``ROUGH_POINTS``): a quick
    stand-in to show while the exact line is worked out; exact when there are few points."""
    xs = np.asarray(x, dtype=float).ravel()
    ys = np.asarray(y, dtype=float).ravel()
    rows = rough_rows(xs.size, loss)
    if rows.size == xs.size:
        return best_line(xs, ys, loss, **params)
    if np.all(xs[rows] == xs[rows[0]]):  # a sample of equal x says nothing of the slope
        return best_line(xs, ys, "mse")
    return best_line(xs[rows], ys[rows], loss, **params)


def _least_squares(xc: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    w = float(xc @ (y - y.mean()) / (xc @ xc))
    return w, float(y.mean())


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
    xs = np.unique(xc)
    steepest = float(np.ptp(y)) / float(np.diff(xs).min()) if xs.size > 1 else 0.0
    lo, hi = -steepest - 1.0, steepest + 1.0
    f = lambda w: _pinball_profile(xc, y, w, tau)[0]  # noqa: E731
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
    w_best = 0.5 * (a + b)
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


def _newton_line(xc: np.ndarray, y: np.ndarray, loss: Loss, params: dict) -> tuple[float, float]:
    """Damped Newton on (w, b) for a smooth convex loss, x already centred."""
    A = np.column_stack([xc, np.ones_like(xc)])
    theta = np.array(_least_squares(xc, y))
    n = xc.size

    def cost(t: np.ndarray) -> float:
        return float(loss._value(y, A @ t, **params).mean())

    current = cost(theta)
    ridge = 1e-12 * (xc @ xc / n + 1.0)
    for _ in range(500):
        e = A @ theta - y
        g = A.T @ loss._gradient(y, A @ theta, **params) / n
        h = _curvature(loss, e, params)
        H = (A * h[:, None]).T @ A / n + ridge * np.eye(2)
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
