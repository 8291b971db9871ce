"""One consistent set of numbers for the regression explorer's views.

``regression_snapshot`` evaluates the current line ŷ = w·x + b on the data under a loss:
residuals y − ŷ, every point's loss and its pull dL/dŷ, the cost (mean and sum), the
cost's gradient in (w, b), and a histogram of the residuals. The views only draw these.

``SurfaceCache`` keeps the last loss surface and best line so that moving (w, b) does not
recompute them; a new data set, loss, parameter, penalty (for the best line) or window does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lossdesk.model.dataset import RegressionData
from lossdesk.model.fitting import best_line
from lossdesk.model.losses import get_loss
from lossdesk.model.surface import line_loss_surface


@dataclass(frozen=True)
class RegressionSnapshot:
    w: float
    b: float
    predictions: np.ndarray  # ŷ
    residuals: np.ndarray  # y − ŷ
    losses: np.ndarray  # L(yᵢ, ŷᵢ)
    pulls: np.ndarray  # dL/dŷᵢ
    cost: float  # mean loss
    total: float  # summed loss
    gradient: tuple[float, float]  # dC/dw, dC/db
    histogram_counts: np.ndarray
    histogram_edges: np.ndarray
    mean_residual: float
    median_residual: float

    @property
    def n(self) -> int:
        return int(self.losses.size)


def histogram_bins(n: int) -> int:
    """A readable number of bins for n residuals (Sturges' rule, at least 5, at most 60)."""
    return int(min(60, max(5, np.ceil(np.log2(max(n, 1)) + 1))))


def regression_snapshot(
    data: RegressionData, loss: str, params: dict[str, float], w: float, b: float
) -> RegressionSnapshot:
    """Everything the regression views show for the line ŷ = w·x + b."""
    lossobj = get_loss(loss)
    kw = lossobj.resolve_params(params)
    x, y = data.x, data.y
    pred = w * x + b
    losses = lossobj._value(y, pred, **kw)
    pulls = lossobj._gradient(y, pred, **kw)
    n = x.size
    residuals = y - pred
    counts, edges = np.histogram(residuals, bins=histogram_bins(n))
    return RegressionSnapshot(
        w=float(w),
        b=float(b),
        predictions=pred,
        residuals=residuals,
        losses=losses,
        pulls=pulls,
        cost=float(losses.mean()),
        total=float(losses.sum()),
        gradient=(float(pulls @ x / n), float(pulls.sum() / n)),
        histogram_counts=counts,
        histogram_edges=edges,
        mean_residual=float(residuals.mean()),
        median_residual=float(np.median(residuals)),
    )


@dataclass(frozen=True)
class SurfaceWindow:
    """The rectangle of (w, b) the surface covers, sampled on a size × size grid."""

    w_range: tuple[float, float]
    b_range: tuple[float, float]
    size: int = 128

    @property
    def w_grid(self) -> np.ndarray:
        return np.linspace(*self.w_range, self.size)

    @property
    def b_grid(self) -> np.ndarray:
        return np.linspace(*self.b_range, self.size)

    def contains(self, w: float, b: float) -> bool:
        return self.w_range[0] <= w <= self.w_range[1] and self.b_range[0] <= b <= self.b_range[1]


class SurfaceCache:
    """Memoises the last surface and best line, keyed by what they depend on."""

    def __init__(self) -> None:
        self._surface_key: tuple | None = None
        self._surface: np.ndarray | None = None
        self._best_key: tuple | None = None
        self._best: tuple[float, float] | None = None

    @staticmethod
    def _data_key(data: RegressionData) -> int:
        # Data sets are immutable and the key holds a reference, so identity is enough.
        return id(data)

    def surface(self, data: RegressionData, loss: str, params: dict[str, float],
                window: SurfaceWindow) -> np.ndarray:
        key = (self._data_key(data), loss, tuple(sorted(params.items())), window)
        self._surface_data = data  # keeps the id in the key from being reused
        if key != self._surface_key or self._surface is None:
            self._surface = line_loss_surface(data.x, data.y, loss, window.w_grid, window.b_grid, **params)
            self._surface_key = key
        return self._surface

    def best_line(self, data: RegressionData, loss: str, params: dict[str, float],
                  penalty: dict[str, Any] | None = None) -> tuple[float, float]:
        """The best line for the loss, under ``penalty`` (``best_line``'s penalty arguments) if given."""
        key = (self._data_key(data), loss, tuple(sorted(params.items())), penalty_key(penalty))
        self._best_data = data
        if key != self._best_key or self._best is None:
            self._best = best_line(data.x, data.y, loss, **penalty_kwargs(penalty), **params)
            self._best_key = key
        return self._best


def penalty_kwargs(penalty: dict[str, Any] | None) -> dict[str, Any]:
    """``penalty`` (a dict of ``penalty``, ``strength``, ``l1_ratio``) as ``best_line`` takes it;
    {} when it penalises nothing (None, no kind, or λ = 0 for every kind)."""
    if not penalty or penalty.get("penalty") is None or not penalty.get("strength"):
        return {}
    kind = penalty["penalty"]
    # r matters to the elastic net alone: L1 and L2 keep one key whatever r is
    ratio = float(penalty.get("l1_ratio", 0.5)) if kind == "elastic" else 0.5
    return {"penalty": kind, "strength": float(penalty["strength"]), "l1_ratio": ratio}


def penalty_key(penalty: dict[str, Any] | None) -> tuple:
    """A hashable key for what ``penalty`` does to a best line: () when it does nothing."""
    return tuple(sorted(penalty_kwargs(penalty).items()))
