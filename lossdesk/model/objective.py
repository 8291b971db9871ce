"""Cost C(θ) = (1/n) Σᵢ L(yᵢ, f(θ, xᵢ)) and its gradient, by the chain rule.

The loss says what it expects as a prediction: a value or a logit/score takes the
predictor's linear output z directly; a probability takes σ(z) (binary) or
softmax(z) (K classes). dC/dθ = Σᵢ (dL/dzᵢ) · dzᵢ/dθ / n, with dL/dz from the loss's
analytic gradient and the link's derivative: σ' = p(1 − p); for softmax
dL/dz_k = p_k (g_k − Σ_j g_j p_j). Cross-entropy composed with its own link uses the
exact dL/dz = p − y, which stays right where the probability clip is active.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lossdesk.model.losses import Loss, get_loss, sigmoid, softmax
from lossdesk.model.predictors import LinearPredictor, Line, as_features


@dataclass(frozen=True)
class Objective:
    """A loss, a predictor and the data: everything needed to score parameters θ."""

    loss: Loss
    predictor: LinearPredictor
    x: np.ndarray
    y: np.ndarray
    params: dict[str, float] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        loss: str | Loss,
        x: Any,
        y: Any,
        predictor: LinearPredictor | None = None,
        **params: Any,
    ) -> Objective:
        loss = get_loss(loss)
        predictor = predictor or Line()
        # Validate data and parameters once, through the loss's own checks.
        x_arr = as_features(x)
        if x_arr.size == 0:
            raise ValueError("the data set is empty: add at least one point")
        if not np.all(np.isfinite(x_arr)):
            raise ValueError("x holds a NaN or infinite value")
        if x_arr.shape[1] != predictor.n_features:
            raise ValueError(
                f"the predictor expects {predictor.n_features} feature(s), the data has {x_arr.shape[1]}"
            )
        n_labels = len(np.asarray(y))
        k = predictor.n_outputs
        probe = np.full((n_labels, k), 1.0 / k) if k > 1 else np.full(n_labels, 0.5)
        y_checked, _, kw = loss.validate(y, probe, params)
        if x_arr.shape[0] != y_checked.shape[0]:
            raise ValueError(f"x has {x_arr.shape[0]} rows but y has {y_checked.shape[0]}")
        return cls(loss, predictor, x_arr, y_checked, kw)

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    # ----------------------------------------------------------------------------------
    def prediction(self, theta: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """What the loss is fed: the raw output, or probabilities for probability losses."""
        x = self.x if rows is None else self.x[rows]
        z = self.predictor.raw(theta, x)
        return self._link(z)

    def _link(self, z: np.ndarray) -> np.ndarray:
        if self.loss.prediction != "probability":
            return z
        # by the predictor, not z.ndim: a surface passes a 2-D stack of binary outputs
        return sigmoid(z) if self.predictor.n_outputs == 1 else softmax(z)

    def losses(self, theta: np.ndarray) -> np.ndarray:
        """Per-example loss values."""
        return self.loss._value(self.y, self.prediction(theta), **self.params)

    def cost(self, theta: np.ndarray) -> float:
        """Mean loss over the data set."""
        return float(self.losses(theta).mean())

    def cost_and_gradient(
        self, theta: np.ndarray, rows: np.ndarray | None = None
    ) -> tuple[float, np.ndarray]:
        """Mean loss (over ``rows`` if given, e.g. a mini-batch) and dC/dθ."""
        x = self.x if rows is None else self.x[rows]
        y = self.y if rows is None else self.y[rows]
        z = self.predictor.raw(theta, x)
        out = self._link(z)
        values = self.loss._value(y, out, **self.params)
        if self.loss.name in ("bce", "cce") and self.loss.prediction == "probability":
            # Cross-entropy through its own link (σ or softmax) has dL/dz = p − y exactly.
            # Chaining through the clipped probability instead would give 0 for every
            # confidently wrong point and stall the descent; Keras takes this route too.
            g_z = out - (y if z.ndim == 1 else np.eye(z.shape[1])[y])
        elif self.loss.prediction == "probability":
            g_out = self.loss._gradient(y, out, **self.params)
            if z.ndim == 1:
                g_z = g_out * out * (1.0 - out)
            else:
                g_z = out * (g_out - (g_out * out).sum(axis=1, keepdims=True))
        else:
            g_z = self.loss._gradient(y, out, **self.params)
        n = values.shape[0]
        # θ too: a network's backward step depends on its weights (a linear model ignores it)
        grad = self.predictor.param_gradient(x, g_z, theta) / n
        return float(values.mean()), grad

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        return self.cost_and_gradient(theta)[1]


def line_objective(x: Any, y: Any, loss: str | Loss, **params: Any) -> Objective:
    """The cost of the line ŷ = w·x + b under a regression loss."""
    return Objective.create(loss, np.asarray(x, dtype=float).ravel(), y, Line(), **params)
