"""The regression explorer's results: every number its views and readouts show, as one value.

``compute_regression(settings, run, cache, window, hold_window)`` is a pure function of
the explorer's settings (data, loss and its parameters, the line (w, b), the reduction,
the outlier), the descent run in progress (transient tab state, or None) and a cache
that only makes repeated calls cheaper. ``settings`` is duck-typed: anything with
``data``, ``loss``, ``params``, ``w``, ``b``, ``reduction``, ``outlier`` and
``outlier_base`` will do (this layer never imports the settings package).

The surface window is a choice of what to show, not a derived number, so the caller
passes the one it shows: it is kept while ``hold_window`` (a gesture in progress) or
while it still holds the best line, and chosen afresh otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from lossdesk.model.contours import LinesMemo, SurfaceLines, surface_lines
from lossdesk.model.dataset import RegressionData
from lossdesk.model.descent import DescentRun
from lossdesk.model.losses import get_loss
from lossdesk.model.objective import line_objective
from lossdesk.model.results.runs import MAX_RUN_STEPS
from lossdesk.model.snapshot import RegressionSnapshot, SurfaceCache, SurfaceWindow, regression_snapshot
from lossdesk.model.surface import line_surface_window

__all__ = [
    "MAX_RUN_STEPS",
    "SURFACE_SIZE",
    "RegressionCache",
    "RegressionResults",
    "RegressionSnapshot",
    "SurfaceWindow",
    "compute_regression",
    "line_cost",
    "start_run",
    "surface_window",
]

SURFACE_SIZE = 128
#: a run stops here even if it has neither converged nor diverged
#: the descent's convergence test (gradient norm relative to 1 + |C|)
GRADIENT_TOL = 1e-8


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


@dataclass(frozen=True)
class RegressionResults:
    """One consistent set of numbers for the explorer, all for the same settings and step."""

    data: RegressionData
    loss: str
    params: dict[str, float]
    reduction: str  # "mean", "sum" or "none"
    snapshot: RegressionSnapshot  # the current line ŷ = w·x + b on the data
    best: tuple[float, float]  # (w, b) with the lowest cost for this loss
    best_cost: float
    window: SurfaceWindow  # the (w, b) rectangle the surface covers
    surface: np.ndarray  # the cost at every (w, b) of the window's grid, shape (size, size)
    lines: SurfaceLines  # the surface's colour range and contour lines
    path: np.ndarray  # (k + 1, 2): the descent's (w, b) after each step; just (w, b) without a run
    costs: np.ndarray  # (k + 1,): the cost after each step; just the current cost without a run
    run_steps: int | None  # steps taken by the run in progress (None: no run)
    run_status: str | None  # "running", "converged", "diverged" or "max_steps" (None: no run)
    run_message: str | None  # the run's state in a few words (None: no run)
    outlier: int | None  # the chosen outlier's row
    outlier_shift: float  # how far the outlier sits above where it was chosen (0 without one)

    # ------------------------------------------------------------------ readout numbers
    @property
    def n(self) -> int:
        return self.snapshot.n

    @property
    def cost(self) -> float:
        """The mean loss of the current line."""
        return self.snapshot.cost

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

    def base_window(self, data: RegressionData, best: tuple[float, float]) -> SurfaceWindow:
        """``surface_window(data, best)``, remembered: it is O(n) and changes only with them."""
        key = (id(data), best)
        self._window_data = data  # keeps the id in the key from being reused
        if key != self._window_key:
            self._window = surface_window(data, best)
            self._window_key = key
        return self._window  # type: ignore[return-value]

    def best_cost(self, data: RegressionData, loss: str, params: dict[str, float],
                  best: tuple[float, float]) -> float:
        key = (id(data), loss, tuple(sorted(params.items())), best)
        self._best_cost_data = data  # keeps the id in the key from being reused
        if key != self._best_cost_key:
            self._best_cost = line_cost(data, loss, params, *best)
            self._best_cost_key = key
        return self._best_cost


def line_cost(data: RegressionData, loss: str, params: dict[str, float], w: float, b: float) -> float:
    """The mean loss of ŷ = w·x + b."""
    lossobj = get_loss(loss)
    return float(lossobj._value(data.y, w * data.x + b, **lossobj.resolve_params(params)).mean())


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
    """A descent from the current line with the chosen optimizer (``settings.optimizer.build()``)."""
    data = settings.data
    return DescentRun(line_objective(data.x, data.y, settings.loss, **settings.params),
                      settings.optimizer.build(), np.array([settings.w, settings.b], dtype=float),
                      gradient_tol=GRADIENT_TOL)


def compute_regression(settings: RegressionChoices, run: DescentRun | None = None,
                       cache: SurfaceCache | None = None, window: SurfaceWindow | None = None,
                       hold_window: bool = False) -> RegressionResults:
    """Everything the explorer shows for these settings (and the run in progress, if any)."""
    cache = cache if cache is not None else RegressionCache()
    data, loss, params = settings.data, settings.loss, settings.params
    best = cache.best_line(data, loss, params)
    if isinstance(cache, RegressionCache):
        best_cost = cache.best_cost(data, loss, params, best)
    else:
        best_cost = line_cost(data, loss, params, *best)
    current = (float(settings.w), float(settings.b))
    if window is None or not hold_window:
        # A function of the settings alone (so a reopened session draws the same surface):
        # the data's and the best line's window, widened only while the line is outside it.
        # During a gesture the window on screen holds still.
        window = cache.base_window(data, best) if isinstance(cache, RegressionCache) else surface_window(data, best)
        if not window.contains(*current):
            window = surface_window(data, best, current)
    surface = cache.surface(data, loss, params, window)
    snap = regression_snapshot(data, loss, params, *current)
    if run is None:
        path = np.array([current])
        costs = np.array([snap.cost])
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
        lines=cache.lines.lines(window, surface) if isinstance(cache, RegressionCache) else surface_lines(window, surface),
        path=path, costs=costs, run_steps=steps, run_status=status, run_message=message,
        outlier=outlier, outlier_shift=shift,
    )
