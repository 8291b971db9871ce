"""The regression explorer's results: every number its views and readouts show, as one value.

``compute_regression(settings, run, cache, window, hold_window, parts)`` is a pure
function of the explorer's settings (data, loss and its parameters, the line (w, b), the
reduction, the outlier, the penalty), the descent run in progress (transient tab state,
or None) and a cache that only makes repeated calls cheaper. ``settings`` is duck-typed:
anything with ``data``, ``loss``, ``params``, ``w``, ``b``, ``reduction``, ``outlier``
and ``outlier_base`` will do, and ``penalty_args`` if it has a penalty (this layer never
imports the settings package).

With a penalty the cost is C(w, b) = mean loss + λ·P(w) (issue 15; P_l2 = ½w², P_l1 = |w|,
elastic r|w| + (1 − r)·½w²; the intercept is never penalised): the readouts, the surface,
the best line and the descent all use it, and the results also carry its two parts, the
penalty's level lines and the regularisation path (the best line for each λ).

The surface window and ``parts`` (draw the data cost and the penalty's lines rather than
the total) are choices of what to show, not derived numbers, so the caller passes the
ones it shows: the window is kept while ``hold_window`` (a gesture in progress) or while
it still holds the best line, and chosen afresh otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from lossdesk.model.contours import LinesMemo, SurfaceLines, surface_lines
from lossdesk.model.dataset import RegressionData
from lossdesk.model.descent import DescentRun
from lossdesk.model.fitting import best_line_seconds, regularisation_path
from lossdesk.model.losses import get_loss
from lossdesk.model.objective import (
    line_objective,
    penalty_coefficients,
    penalty_of_weights,
)
from lossdesk.model.results.runs import MAX_RUN_STEPS
from lossdesk.model.snapshot import (
    RegressionSnapshot,
    SurfaceCache,
    SurfaceWindow,
    penalty_key,
    penalty_kwargs,
    regression_snapshot,
)
from lossdesk.model.surface import line_surface_window, penalty_surface

__all__ = [
    "MAX_RUN_STEPS",
    "PATH_STRENGTHS",
    "SURFACE_SIZE",
    "RegressionCache",
    "RegressionResults",
    "RegressionSnapshot",
    "RegularisationPath",
    "SurfaceWindow",
    "compute_regression",
    "line_cost",
    "path_seconds",
    "penalty_level_lines",
    "penalty_of",
    "start_run",
    "surface_window",
]

SURFACE_SIZE = 128
#: a run stops here even if it has neither converged nor diverged
#: the descent's convergence test (gradient norm relative to 1 + |C|)
GRADIENT_TOL = 1e-8
#: the λ the regularisation path visits: none, then 43 steps from 10⁻⁴ to 10³ (the largest
#: λ the settings take), six or seven a decade, enough for the curve to look smooth
PATH_STRENGTHS = np.concatenate([[0.0], np.logspace(-4.0, 3.0, 43)])
PATH_STRENGTHS.flags.writeable = False
#: a fixed cost of one penalised best line for the losses without a closed form (measured:
#: 0.2–1.4 ms even for 26 points), on top of ``best_line_seconds``
PATH_SECONDS_PER_FIT = 3e-4

NO_PENALTY: dict[str, Any] = {"penalty": None, "strength": 0.0, "l1_ratio": 0.5}


class RegressionChoices(Protocol):
    """What the explorer's settings offer this function (RegressionSettings has it all)."""

    data: RegressionData
    loss: str
    w: float
    b: float
    reduction: str
    outlier: int | None
    outlier_base: float

    @property
    def params(self) -> dict[str, float]: ...

    # optional: ``penalty_args`` ({"penalty": None | "l1" | "l2" | "elastic", "strength", "l1_ratio"})


@dataclass(frozen=True, eq=False)
class RegularisationPath:
    """The best line for each λ of ``strengths`` (ascending, from 0) under one penalty kind.

    It depends on the data, the loss and its parameters, the kind and r, never on λ or on
    the line shown, so it is worked out once for all of λ's slider.
    """

    strengths: np.ndarray
    w: np.ndarray
    b: np.ndarray


@dataclass(frozen=True)
class RegressionResults:
    """One consistent set of numbers for the explorer, all for the same settings and step."""

    data: RegressionData
    loss: str
    params: dict[str, float]
    reduction: str  # "mean", "sum" or "none"
    snapshot: RegressionSnapshot  # the current line ŷ = w·x + b on the data
    best: tuple[float, float]  # (w, b) with the lowest cost (penalty included) for this loss
    best_cost: float  # the cost there, penalty included
    window: SurfaceWindow  # the (w, b) rectangle the surface covers
    surface: np.ndarray  # the cost (penalty included) at every (w, b) of the window's grid, shape (size, size)
    lines: SurfaceLines  # the drawn surface's colour range and contour lines
    path: np.ndarray  # (k + 1, 2): the descent's (w, b) after each step; just (w, b) without a run
    costs: np.ndarray  # (k + 1,): the cost after each step; just the current cost without a run
    run_steps: int | None  # steps taken by the run in progress (None: no run)
    run_status: str | None  # "running", "converged", "diverged" or "max_steps" (None: no run)
    run_message: str | None  # the run's state in a few words (None: no run)
    outlier: int | None  # the chosen outlier's row
    outlier_shift: float  # how far the outlier sits above where it was chosen (0 without one)
    # ---- the penalty (issue 15); without one: None, 0, the data surface itself, no lines, no path
    penalty: str | None = None  # "l1", "l2", "elastic" or None
    strength: float = 0.0  # λ
    l1_ratio: float = 0.5  # r (the elastic net's share of L1)
    penalty_value: float = 0.0  # λ·P(w) of the current line
    data_surface: np.ndarray | None = None  # the mean loss alone over the window (None: same as surface)
    parts: bool = False  # drawn: the data cost with the penalty's level lines (else the total)
    penalty_lines: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))  # NaN-separated (w, b)
    reg_path: RegularisationPath | None = None  # None: no penalty chosen, or still being worked out

    # ------------------------------------------------------------------ readout numbers
    @property
    def n(self) -> int:
        return self.snapshot.n

    @property
    def data_cost(self) -> float:
        """The mean loss of the current line (the cost without its penalty)."""
        return self.snapshot.cost

    @property
    def cost(self) -> float:
        """The cost of the current line: the mean loss, plus λ·P(w) with a penalty."""
        return self.snapshot.cost + self.penalty_value if self.penalty is not None else self.snapshot.cost

    @property
    def penalty_bar(self) -> float | None:
        """The penalty's bar beside the points' losses: λ·P(w), or None without a penalty."""
        return self.penalty_value if self.penalty is not None else None

    @property
    def drawn_surface(self) -> np.ndarray:
        """The surface the heat map shows: the data cost when drawn in parts, else the total."""
        return self.data_surface if self.parts and self.data_surface is not None else self.surface

    @property
    def total(self) -> float:
        """The summed loss of the current line."""
        return self.snapshot.total

    @property
    def reduced(self) -> float | np.ndarray:
        """The per-point losses reduced as chosen: the mean, the sum, or all of them."""
        if self.reduction == "mean":
            return self.snapshot.cost
        if self.reduction == "sum":
            return self.snapshot.total
        return self.snapshot.losses

    @property
    def theta(self) -> tuple[float, float]:
        return (self.snapshot.w, self.snapshot.b)


class RegressionCache(SurfaceCache):
    """The surface cache, plus the best line's cost (which depends on what the line does)."""

    def __init__(self) -> None:
        super().__init__()
        self._best_cost_key: tuple | None = None
        self._best_cost = 0.0
        self._window_key: tuple | None = None
        self._window: SurfaceWindow | None = None
        self.lines = LinesMemo()
        self._total_key: tuple | None = None
        self._total: np.ndarray | None = None
        self._levels_key: tuple | None = None
        self._levels: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
        self._path_key: tuple | None = None
        self._path: RegularisationPath | None = None

    def base_window(self, data: RegressionData, best: tuple[float, float]) -> SurfaceWindow:
        """``surface_window(data, best)``, remembered: it is O(n) and changes only with them."""
        key = (id(data), best)
        self._window_data = data  # keeps the id in the key from being reused
        if key != self._window_key:
            self._window = surface_window(data, best)
            self._window_key = key
        return self._window  # type: ignore[return-value]

    def best_cost(self, data: RegressionData, loss: str, params: dict[str, float],
                  best: tuple[float, float], penalty: dict[str, Any] | None = None) -> float:
        """The cost of the best line, its penalty included."""
        key = (id(data), loss, tuple(sorted(params.items())), best, penalty_key(penalty))
        self._best_cost_data = data  # keeps the id in the key from being reused
        if key != self._best_cost_key:
            self._best_cost = line_cost(data, loss, params, *best) + line_penalty(penalty, best[0])
            self._best_cost_key = key
        return self._best_cost

    def total_surface(self, data_surface: np.ndarray, window: SurfaceWindow, penalty: dict[str, Any]) -> np.ndarray:
        """``data_surface`` + λ·P(w), remembered (a drag of the line reuses it: one object)."""
        key = (id(data_surface), window, penalty_key(penalty))
        if key != self._total_key or self._total is None:
            self._total = total_surface(data_surface, window, penalty)
            self._total_key, self._total_of = key, data_surface
        return self._total

    def level_lines(self, window: SurfaceWindow, penalty: dict[str, Any], heights: np.ndarray,
                    best_w: float) -> tuple[np.ndarray, np.ndarray]:
        key = (window, penalty_key(penalty), heights.tobytes(), best_w)
        if key != self._levels_key:
            self._levels = penalty_level_lines(window, penalty, heights, best_w)
            self._levels_key = key
        return self._levels

    def path(self, data: RegressionData, loss: str, params: dict[str, float],
             penalty: dict[str, Any]) -> RegularisationPath | None:
        """The regularisation path for the penalty's kind and r (λ does not matter)."""
        key = path_key(data, loss, params, penalty)
        self._path_data = data  # keeps the id in the key from being reused
        if key != self._path_key or self._path is None:
            self._path = regression_path(data, loss, params, penalty)
            self._path_key = key
        return self._path


def line_cost(data: RegressionData, loss: str, params: dict[str, float], w: float, b: float) -> float:
    """The mean loss of ŷ = w·x + b."""
    lossobj = get_loss(loss)
    return float(lossobj._value(data.y, w * data.x + b, **lossobj.resolve_params(params)).mean())


# ---------------------------------------------------------------------------- the penalty
def penalty_of(settings: Any) -> dict[str, Any]:
    """The settings' penalty as ``best_line`` takes it (``penalty_args``; no penalty without one)."""
    args = getattr(settings, "penalty_args", None)
    return dict(args) if args else dict(NO_PENALTY)


def line_penalty(penalty: dict[str, Any] | None, w: float) -> float:
    """λ·P(w) of a line's slope (0 without a penalty)."""
    kw = penalty_kwargs(penalty)
    return float(penalty_of_weights(np.array([float(w)]), **kw)[0]) if kw else 0.0


def total_surface(data_surface: np.ndarray, window: SurfaceWindow, penalty: dict[str, Any]) -> np.ndarray:
    """The cost surface with its penalty: mean loss + λ·P(w) at every (w, b) of the window."""
    kw = penalty_kwargs(penalty)
    if not kw:
        return data_surface
    return data_surface + penalty_surface(window.w_grid, **kw)


def penalty_level_lines(window: SurfaceWindow, penalty: dict[str, Any], heights: Any,
                        best_w: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The level lines {λ·P(w) = h} of the penalty inside the window, as NaN-separated (w, b).

    For a line the penalty depends on the slope w alone, so each level set in the (w, b)
    plane is a pair of vertical lines w = ±w_h (a·|w| + ½c·w² = h solved for |w|; a = λr
    and c = λ(1 − r) as in ``penalty_coefficients``). The circles of L2 and diamonds of L1
    appear only where both axes are weights, as in the classification tab's (w₁, w₂).
    One level is drawn for each of ``heights`` (e.g. the data contours' heights above the
    floor, so equal counts mean equal costs), and one through ``best_w``: there the data
    cost's contour touches the penalty's line, the picture of where the penalised optimum sits.
    """
    kw = penalty_kwargs(penalty)
    if not kw:
        return np.zeros(0), np.zeros(0)
    a, c = penalty_coefficients(**kw)
    h = np.asarray(heights, dtype=float).ravel()
    h = h[np.isfinite(h) & (h > 0)]
    if c > 0:
        reach = (np.sqrt(a * a + 2.0 * c * h) - a) / c
    else:
        reach = h / a
    if best_w is not None and best_w != 0.0 and np.isfinite(best_w):
        reach = np.append(reach, abs(float(best_w)))
    (w0, w1), (b0, b1) = window.w_range, window.b_range
    ws = np.concatenate([reach, -reach])
    ws = np.unique(ws[(ws >= w0) & (ws <= w1)])
    if ws.size == 0:
        return np.zeros(0), np.zeros(0)
    x = np.column_stack([ws, ws, np.full(ws.size, np.nan)]).ravel()
    y = np.tile([b0, b1, np.nan], ws.size)
    return x, y


def path_key(data: RegressionData, loss: str, params: dict[str, float], penalty: dict[str, Any]) -> tuple:
    """What the regularisation path depends on: the data, the loss, its parameters, the kind and r."""
    kind = penalty.get("penalty")
    ratio = float(penalty.get("l1_ratio", 0.5)) if kind == "elastic" else 0.5
    return (id(data), loss, tuple(sorted(params.items())), kind, ratio)


def path_seconds(loss: str, n: int, penalty: str | None) -> float:
    """About how long ``regression_path`` takes for n points: MSE is one vectorised formula,
    the other losses one penalised best line per λ."""
    if penalty is None:
        return 0.0
    if get_loss(loss).name == "mse":
        return 2e-8 * n + 1e-4
    return PATH_STRENGTHS.size * (PATH_SECONDS_PER_FIT + best_line_seconds(loss, n, penalty))


def regression_path(data: RegressionData, loss: str, params: dict[str, float],
                    penalty: dict[str, Any]) -> RegularisationPath | None:
    """The best line at each of ``PATH_STRENGTHS`` for the penalty's kind (None without one)."""
    kind = penalty.get("penalty")
    if kind is None:
        return None
    lams, w, b = regularisation_path(data.x, data.y, loss, kind, PATH_STRENGTHS,
                                     float(penalty.get("l1_ratio", 0.5)), **params)
    return RegularisationPath(np.asarray(lams, dtype=float), np.asarray(w, dtype=float), np.asarray(b, dtype=float))


def surface_window(data: RegressionData, best: tuple[float, float], current: tuple[float, float] | None = None,
                   size: int = SURFACE_SIZE) -> SurfaceWindow:
    """A window holding reasonable lines for the data, the best line (and ``current``, if given)."""
    (w0, w1), (b0, b1) = line_surface_window(data.x, data.y)
    extra = [best] if current is None else [best, current]
    ws = [w0, w1, *(p[0] for p in extra)]
    bs = [b0, b1, *(p[1] for p in extra)]
    pad_w = 0.1 * (max(ws) - min(ws) or 1.0)
    pad_b = 0.1 * (max(bs) - min(bs) or 1.0)
    return SurfaceWindow((min(ws) - pad_w, max(ws) + pad_w), (min(bs) - pad_b, max(bs) + pad_b), size)


def start_run(settings: Any) -> DescentRun:
    """A descent from the current line with the chosen optimizer (``settings.optimizer.build()``),
    down the cost the explorer shows (the penalty included)."""
    data = settings.data
    objective = line_objective(data.x, data.y, settings.loss, **penalty_kwargs(penalty_of(settings)),
                               **settings.params)
    return DescentRun(objective, settings.optimizer.build(), np.array([settings.w, settings.b], dtype=float),
                      gradient_tol=GRADIENT_TOL)


def compute_regression(settings: RegressionChoices, run: DescentRun | None = None,
                       cache: SurfaceCache | None = None, window: SurfaceWindow | None = None,
                       hold_window: bool = False, parts: bool = False) -> RegressionResults:
    """Everything the explorer shows for these settings (and the run in progress, if any).

    ``parts``: the heat map shows the data cost with the penalty's level lines over it,
    rather than the total cost (the same without a penalty)."""
    cache = cache if cache is not None else RegressionCache()
    data, loss, params = settings.data, settings.loss, settings.params
    pen = penalty_of(settings)
    best = cache.best_line(data, loss, params, pen)
    if isinstance(cache, RegressionCache):
        best_cost = cache.best_cost(data, loss, params, best, pen)
    else:
        best_cost = line_cost(data, loss, params, *best) + line_penalty(pen, best[0])
    current = (float(settings.w), float(settings.b))
    if window is None or not hold_window:
        # A function of the settings alone (so a reopened session draws the same surface):
        # the data's and the best line's window, widened only while the line is outside it.
        # During a gesture the window on screen holds still.
        window = cache.base_window(data, best) if isinstance(cache, RegressionCache) else surface_window(data, best)
        if not window.contains(*current):
            window = surface_window(data, best, current)
    data_surface = cache.surface(data, loss, params, window)
    mine = isinstance(cache, RegressionCache)
    surface = cache.total_surface(data_surface, window, pen) if mine else total_surface(data_surface, window, pen)
    parts = bool(parts) and pen["penalty"] is not None
    drawn = data_surface if parts else surface
    lines = cache.lines.lines(window, drawn) if mine else surface_lines(window, drawn)
    if parts:
        heights = lines.levels - float(drawn.min())
        level_lines = (cache.level_lines(window, pen, heights, best[0]) if mine
                       else penalty_level_lines(window, pen, heights, best[0]))
    else:
        level_lines = (np.zeros(0), np.zeros(0))
    if pen["penalty"] is None:
        reg_path = None
    elif mine:
        reg_path = cache.path(data, loss, params, pen)
    else:
        reg_path = regression_path(data, loss, params, pen)
    snap = regression_snapshot(data, loss, params, *current)
    penalty_value = line_penalty(pen, current[0])
    if run is None:
        path = np.array([current])
        costs = np.array([snap.cost + penalty_value])
        steps = status = message = None
    else:
        path = np.asarray(run.thetas, dtype=float).reshape(-1, 2)
        costs = np.asarray(run.costs, dtype=float)
        steps, status, message = run.steps, run.status, run.message
    outlier = settings.outlier if settings.outlier is not None and settings.outlier < data.n else None
    shift = float(data.y[outlier]) - float(settings.outlier_base) if outlier is not None else 0.0
    return RegressionResults(
        data=data, loss=loss, params=dict(params), reduction=settings.reduction, snapshot=snap,
        best=(float(best[0]), float(best[1])), best_cost=float(best_cost), window=window, surface=surface,
        lines=lines, path=path, costs=costs, run_steps=steps, run_status=status, run_message=message,
        outlier=outlier, outlier_shift=shift,
        penalty=pen["penalty"], strength=float(pen["strength"]), l1_ratio=float(pen["l1_ratio"]),
        penalty_value=penalty_value, data_surface=data_surface, parts=parts, penalty_lines=level_lines,
        reg_path=reg_path,
    )
