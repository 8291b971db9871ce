"""Everything the outlier lab shows, as one frozen value computed from its settings.

``compute_outlier_lab(lab, regression, cache)`` fits every compared loss's exact best
line to the regression data, refits them with the outlier back where it was chosen (the
table's Δw and Δb), and derives what the four views and the readouts draw: each point's
share of the summed loss, each loss against the residual r = y − ŷ (the app's one sign
convention: positive for a point above the line), the cost of predicting one constant c,
and the arrows of each point's pull on the chosen loss's line.

The settings are duck-typed (the model layer does not import ``lossdesk.settings``):
``lab`` has ``shown`` and ``arrows``; ``regression`` has ``data``, ``loss_params``,
``outlier`` and ``outlier_base``. ``OutlierLabCache`` keeps recent fits keyed on the data's
bytes and the loss's parameters, so a drag refits only what it changed.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Hashable, TypeVar

import numpy as np

from lossdesk.model.comparison import LossFit, best_constants, constant_cost_curve, fit_loss, loss_of_residual
from lossdesk.model.dataset import RegressionData

#: the losses the lab compares, in the order it lists them
COMPARED: tuple[str, ...] = ("mse", "mae", "huber", "logcosh", "quantile")
#: the losses whose best constant is drawn (mean, median, τ-quantile)
CONSTANT_LOSSES: tuple[str, ...] = ("mse", "mae", "quantile")
CONSTANT_SAMPLES = 241
RESIDUAL_SAMPLES = 401
#: arrow length in data units per unit of pull, as a fraction of the spread of y
ARROW_FRACTION = 0.04

T = TypeVar("T")


# ---------------------------------------------------------------------- result types
@dataclass(frozen=True)
class FitRow:
    """One row of the fits table: the best line, its cost, and how far it moved."""

    loss: str
    w: float
    b: float
    cost: float
    dw: float  # w − w with the outlier back at its base
    db: float


@dataclass(frozen=True)
class ResidualCurves:
    """Each loss as a function of the residual r = y − ŷ, over [−reach, reach]."""

    r: np.ndarray
    values: dict[str, np.ndarray]  # loss name -> L(r) on ``r``
    reach: float
    top: float  # the height the view shows (MSE may run off it)


@dataclass(frozen=True)
class ConstantCurves:
    """The cost C(c) = (1/n) Σ L(yᵢ, c) of predicting one number c for every point."""

    c: np.ndarray
    costs: dict[str, np.ndarray]  # loss name -> C(c)
    relative: dict[str, np.ndarray]  # C(c) scaled to run from 0 (its minimum) to 1 (its maximum)
    best: dict[str, float]  # mean (mse), median (mae), τ-quantile (quantile)


@dataclass(frozen=True)
class ArrowPulls:
    """An arrow per point from (xᵢ, ŷᵢ) to (xᵢ, ŷᵢ − scale·dL/dŷᵢ) on one loss's best line."""

    loss: str
    scale: float
    x: np.ndarray
    start: np.ndarray
    tip: np.ndarray
    moving: np.ndarray  # bool: the arrow has a length
    up: np.ndarray  # bool: the point pulls its prediction up


@dataclass(frozen=True)
class OutlierLabResults:
    x: np.ndarray
    y: np.ndarray
    shown: tuple[str, ...]  # the losses drawn, in COMPARED order
    outlier: int | None  # a row of the data, or None
    params: dict[str, dict[str, float]]  # each compared loss's parameters
    fits: dict[str, LossFit]  # every compared loss's best line on the data
    reference: dict[str, LossFit]  # the same with the outlier at its base (``fits`` without one)
    rows: dict[str, FitRow]
    shares: dict[str, np.ndarray]  # each point's share of the summed loss, in percent
    shares_top: float  # the largest share drawn, in percent (at least 1)
    outlier_shares: dict[str, float]  # the outlier's share (a fraction) under each loss; empty without one
    residuals: ResidualCurves  # "Loss against residual"
    constants: ConstantCurves
    arrows: ArrowPulls

    @property
    def n(self) -> int:
        return int(self.x.size)

    def outlier_share(self, loss: str) -> float:
        return self.outlier_shares.get(loss, 0.0)


# ---------------------------------------------------------------------- cache
class OutlierLabCache:
    """The last few fits and constant curves, keyed on the data's bytes and the parameters."""

    def __init__(self, size: int = 48):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        try:
            self._items.move_to_end(key)
            return self._items[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        self.misses += 1
        value = make()
        self._items[key] = value
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        self._items.clear()


def _data_key(data: RegressionData) -> tuple[bytes, bytes]:
    return (data.x.tobytes(), data.y.tobytes())


def _params_key(params: dict[str, float]) -> tuple:
    return tuple(sorted(params.items()))


def _read_only(*arrays: np.ndarray) -> None:
    """Cached arrays are shared between results values: nobody may change them."""
    for a in arrays:
        a.flags.writeable = False


def _fit(data: RegressionData, loss: str, params: dict[str, float]) -> LossFit:
    fit = fit_loss(data, loss, **params)
    _read_only(fit.predictions, fit.residuals, fit.losses, fit.shares, fit.pulls)
    return fit


def _fits(data: RegressionData, params: dict[str, dict[str, float]], cache: OutlierLabCache) -> dict[str, LossFit]:
    key = _data_key(data)
    return {name: cache.get(("fit", key, name, _params_key(params[name])),
                            lambda name=name: _fit(data, name, params[name]))
            for name in COMPARED}


# ---------------------------------------------------------------------- the parts
def _reference_data(data: RegressionData, outlier: int | None, base: float) -> RegressionData | None:
    if outlier is None or not 0 <= outlier < data.n:
        return None
    if data.y[outlier] == base:
        return data
    return data.with_value(outlier, "y", base)  # type: ignore[return-value]


def _residual_curves(fits: dict[str, LossFit], shown: tuple[str, ...],
                     params: dict[str, dict[str, float]]) -> ResidualCurves:
    reach = max([float(np.abs(fits[n].residuals).max()) for n in shown] + [1.0]) * 1.1
    r = np.linspace(-reach, reach, RESIDUAL_SAMPLES)
    values = {name: loss_of_residual(name, r, **params[name]) for name in COMPARED}
    _read_only(r, *values.values())
    # MSE grows as r²: it may run off the top so that the others stay readable.
    tops = [float(values[n].max()) for n in shown if n != "mse"]
    top = max(tops) * 1.3 if tops else float(values["mse"].max())
    return ResidualCurves(r=r, values=values, reach=reach, top=top)


def _constant_curves(y: np.ndarray, params: dict[str, dict[str, float]], cache: OutlierLabCache) -> ConstantCurves:
    key = ("constants", y.tobytes(), tuple(_params_key(params[name]) for name in CONSTANT_LOSSES))
    return cache.get(key, lambda: _make_constant_curves(y, params))


def _make_constant_curves(y: np.ndarray, params: dict[str, dict[str, float]]) -> ConstantCurves:
    # Points all at one value: a window of ±15 % of it (not ±0.15 at 10⁶, whose ticks
    # would need a dozen digits).
    pad = 0.15 * (float(np.ptp(y)) or max(abs(float(y[0])), 1.0))
    c = np.linspace(float(y.min()) - pad, float(y.max()) + pad, CONSTANT_SAMPLES)
    costs = {name: constant_cost_curve(y, name, c, **params[name]) for name in CONSTANT_LOSSES}
    relative = {}
    for name, z in costs.items():
        lo, hi = float(z.min()), float(z.max())
        relative[name] = (z - lo) / (hi - lo) if hi > lo else np.zeros_like(z)
    _read_only(c, *costs.values(), *relative.values())
    return ConstantCurves(c=c, costs=costs, relative=relative, best=best_constants(y, params["quantile"]["tau"]))


def arrow_scale(y: np.ndarray) -> float:
    """Data units of arrow per unit of pull; fixed for a data set so the losses compare."""
    return ARROW_FRACTION * (float(np.ptp(y)) or 1.0)


def _arrows(x: np.ndarray, y: np.ndarray, fit: LossFit) -> ArrowPulls:
    scale = arrow_scale(y)
    start = fit.predictions
    tip = start - scale * fit.pulls
    return ArrowPulls(loss=fit.loss, scale=scale, x=x, start=start, tip=tip, moving=tip != start, up=tip > start)


# ---------------------------------------------------------------------- compute
def compute_outlier_lab(lab: Any, regression: Any, cache: OutlierLabCache | None = None) -> OutlierLabResults:
    """The outlier lab's numbers for these settings (pure: the cache only saves time)."""
    cache = OutlierLabCache() if cache is None else cache
    data: RegressionData = regression.data
    params = {name: dict(regression.loss_params[name]) for name in COMPARED}
    shown = tuple(name for name in COMPARED if name in tuple(lab.shown))
    outlier = regression.outlier if regression.outlier is not None and 0 <= regression.outlier < data.n else None

    fits = _fits(data, params, cache)
    original = _reference_data(data, outlier, float(regression.outlier_base))
    reference = fits if original is None or original is data else _fits(original, params, cache)
    rows = {name: FitRow(name, fits[name].w, fits[name].b, fits[name].cost,
                         fits[name].w - reference[name].w, fits[name].b - reference[name].b)
            for name in COMPARED}
    shares = {name: 100.0 * fits[name].shares for name in COMPARED}
    shares_top = max([1.0] + [float(shares[n].max()) for n in shown])
    outlier_shares = {} if outlier is None else {name: float(fits[name].shares[outlier]) for name in COMPARED}
    return OutlierLabResults(
        x=data.x,
        y=data.y,
        shown=shown,
        outlier=outlier,
        params=params,
        fits=fits,
        reference=reference,
        rows=rows,
        shares=shares,
        shares_top=shares_top,
        outlier_shares=outlier_shares,
        residuals=_residual_curves(fits, shown, params),
        constants=_constant_curves(data.y, params, cache),
        arrows=_arrows(data.x, data.y, fits[lab.arrows]),
    )
