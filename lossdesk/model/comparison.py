"""Several losses fitted to the same data: the numbers behind the outlier lab.

For each loss, ``fit_losses`` finds the exact best line and evaluates it: every point's
loss, its share of the summed loss, its pull dL/dŷ on the fit, and its residual
r = y − ŷ (the app's one sign convention: positive when the point lies above the line).
``loss_of_residual`` is a loss as a function of r alone.
``constant_cost_curve`` is the cost of predicting one number c for every point,
C(c) = (1/n) Σ L(yᵢ, c), whose minimum is the mean (MSE), the median (MAE) or the
τ-quantile (pinball).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lossdesk.model.dataset import RegressionData
from lossdesk.model.fitting import best_constant, best_line
from lossdesk.model.losses import get_loss
from lossdesk.model.surface import line_loss_surface


@dataclass(frozen=True)
class LossFit:
    loss: str
    params: dict[str, float]
    w: float
    b: float
    cost: float  # mean loss at the best line
    predictions: np.ndarray  # ŷ
    residuals: np.ndarray  # r = y − ŷ
    losses: np.ndarray  # L(yᵢ, ŷᵢ)
    shares: np.ndarray  # Lᵢ / Σ L (zeros when every loss is 0)
    pulls: np.ndarray  # dL/dŷᵢ: how hard each point pulls its prediction (descent moves ŷ by −pull)


def fit_loss(data: RegressionData, loss: str, **params: Any) -> LossFit:
    """The best line for one loss, and what every point contributes to it."""
    lossobj = get_loss(loss)
    kw = lossobj.resolve_params(params)
    w, b = best_line(data.x, data.y, loss, **kw)
    pred = w * data.x + b
    losses = lossobj._value(data.y, pred, **kw)
    total = float(losses.sum())
    shares = losses / total if total > 0 else np.zeros_like(losses)
    return LossFit(
        loss=lossobj.name,
        params=kw,
        w=w,
        b=b,
        cost=float(losses.mean()),
        predictions=pred,
        residuals=data.y - pred,
        losses=losses,
        shares=shares,
        pulls=lossobj._gradient(data.y, pred, **kw),
    )


def loss_of_residual(loss: str, r: Any, **params: Any) -> np.ndarray:
    """L(r) for the residual r = y − ŷ: the loss of a target r predicted as 0.

    For the asymmetric pinball loss this is τ·r for r ≥ 0 and (τ − 1)·r for r < 0, so a
    point above the line (r > 0) costs τ per unit and one below it 1 − τ.
    """
    lossobj = get_loss(loss)
    r = np.array(r, dtype=float)
    return lossobj._value(r, np.zeros_like(r), **lossobj.resolve_params(params))


def fit_losses(data: RegressionData, specs: dict[str, dict[str, float]]) -> dict[str, LossFit]:
    """``fit_loss`` for each loss name in ``specs`` (name -> its parameters)."""
    return {name: fit_loss(data, name, **params) for name, params in specs.items()}


def constant_cost_curve(y: Any, loss: str, c_grid: Any, **params: Any) -> np.ndarray:
    """C(c) = mean over i of L(yᵢ, c) for every c in ``c_grid``."""
    y = np.asarray(y, dtype=float)
    return line_loss_surface(np.zeros_like(y), y, loss, [0.0], c_grid, **params)[0]


def best_constants(y: Any, tau: float = 0.5) -> dict[str, float]:
    """The constants each loss picks: mean (MSE), median (MAE), τ-quantile (pinball)."""
    return {
        "mse": best_constant(y, "mse"),
        "mae": best_constant(y, "mae"),
        "quantile": best_constant(y, "quantile", tau=tau),
    }
