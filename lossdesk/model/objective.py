"""Cost C(θ) = (1/n) Σᵢ L(yᵢ, f(θ, xᵢ)) and its gradient, by the chain rule.

The loss says what it expects as a prediction: a value or a logit/score takes the
predictor's linear output z directly; a probability takes σ(z) (binary) or
softmax(z) (K classes). dC/dθ = Σᵢ (dL/dzᵢ) · dzᵢ/dθ / n, with dL/dz from the loss's
analytic gradient and the link's derivative: σ' = p(1 − p); for softmax
dL/dz_k = p_k (g_k − Σ_j g_j p_j). Cross-entropy composed with its own link uses the
exact dL/dz = p − y, which stays right where the probability clip is active.

A penalty on the weights may be added to the cost (never on the biases):

    C(θ) = (1/n) Σᵢ Lᵢ + λ·P(w),   P_l2 = ½‖w‖²,  P_l1 = ‖w‖₁,
    P_elastic = r‖w‖₁ + (1 − r)·½‖w‖²        (λ = ``strength`` ≥ 0, r = ``l1_ratio`` ∈ [0, 1])

with gradient λ·(r·sign(w) + (1 − r)·w) on the weights: at w = 0 the L1 part takes the
subgradient 0. The predictor's ``weight_mask()`` says which entries of θ are weights; a
predictor without one (a stand-in that passes outputs through) has none to penalise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lossdesk.model.losses import Loss, get_loss, sigmoid, softmax
from lossdesk.model.predictors import Line, LinearPredictor, as_features

#: the penalties a cost can carry (None: no penalty)
PENALTIES = ("l1", "l2", "elastic")


def check_penalty(penalty: Any, strength: Any = 0.0, l1_ratio: Any = 0.5) -> tuple[str | None, float, float]:
    """(penalty, strength, l1_ratio) checked and normalised; ValueError with one line if bad.

    ``penalty`` is None (or "none"), "l1", "l2" or "elastic", in any case; ``strength`` λ a
    finite number ≥ 0; ``l1_ratio`` r a number in [0, 1] (only "elastic" uses it).
    """
    if penalty is not None:
        if not isinstance(penalty, str):
            raise ValueError(f"the penalty must be none, l1, l2 or elastic, not {penalty!r}")
        name = penalty.strip().lower()
        if name not in PENALTIES and name not in ("none", ""):
            raise ValueError(f"unknown penalty {penalty!r}; choose none, l1, l2 or elastic")
        penalty = name if name in PENALTIES else None
    lam = _number(strength, "the penalty strength λ")
    if lam < 0:
        raise ValueError(f"the penalty strength λ must be zero or more, not {lam:g}")
    ratio = _number(l1_ratio, "the L1 ratio r")
    if not 0.0 <= ratio <= 1.0:
        raise ValueError(f"the L1 ratio r must lie between 0 and 1, not {ratio:g}")
    return penalty, lam, ratio


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, not {value!r}")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, not {value!r}") from None
    if not math.isfinite(out):
        raise ValueError(f"{what} must be a finite number, not {out:g}")
    return out


def penalty_coefficients(penalty: str | None, strength: float, l1_ratio: float = 0.5) -> tuple[float, float]:
    """(a, c) with λ·P(w) = a·‖w‖₁ + c·½‖w‖²: (λ, 0) for L1, (0, λ) for L2, (λr, λ(1 − r)) elastic."""
    penalty, lam, ratio = check_penalty(penalty, strength, l1_ratio)
    if penalty is None:
        return 0.0, 0.0
    r = {"l1": 1.0, "l2": 0.0}.get(penalty, ratio)
    return lam * r, lam * (1.0 - r)


def penalty_of_weights(w: Any, penalty: str | None, strength: float, l1_ratio: float = 0.5) -> np.ndarray:
    """λ·P of each weight on its own, element-wise: a·|w| + c·½w² (sum them for λ·P(w))."""
    a, c = penalty_coefficients(penalty, strength, l1_ratio)
    return _penalty_terms(np.asarray(w, dtype=float), a, c)


def _penalty_terms(w: np.ndarray, a: float, c: float) -> np.ndarray:
    out = np.abs(w) * a if a else np.zeros_like(w)
    if c:
        out += (0.5 * c) * w * w
    return out


def _penalty_slope(w: np.ndarray, a: float, c: float) -> np.ndarray:
    """d(λP)/dw element-wise; the L1 part's subgradient is 0 at w = 0 (np.sign(0) = 0)."""
    out = np.sign(w) * a if a else np.zeros_like(w)
    if c:
        out += c * w
    return out


@dataclass(frozen=True)
class Objective:
    """A loss, a predictor and the data (and a penalty): everything needed to score θ."""

    loss: Loss
    predictor: LinearPredictor
    x: np.ndarray
    y: np.ndarray
    params: dict[str, float] = field(default_factory=dict)
    penalty: str | None = None
    strength: float = 0.0
    l1_ratio: float = 0.5
    # λ·P(w) = _l1·‖w‖₁ + _l2·½‖w‖² on the entries _weights of θ; _weights is None when
    # nothing is penalised, so the unpenalised cost pays one attribute test and no more.
    _l1: float = field(init=False, repr=False, compare=False, default=0.0)
    _l2: float = field(init=False, repr=False, compare=False, default=0.0)
    _weights: np.ndarray | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        # Also runs on dataclasses.replace, so the mask always belongs to this predictor.
        lam, ratio = self.strength, self.l1_ratio
        if self.penalty is None and type(lam) is float and type(ratio) is float \
                and 0.0 <= lam < math.inf and 0.0 <= ratio <= 1.0:
            return  # the common unpenalised case, already valid: keep replace() cheap
        penalty, lam, ratio = check_penalty(self.penalty, self.strength, self.l1_ratio)
        object.__setattr__(self, "penalty", penalty)
        object.__setattr__(self, "strength", lam)
        object.__setattr__(self, "l1_ratio", ratio)
        a, c = penalty_coefficients(penalty, lam, ratio)
        mask_of = getattr(self.predictor, "weight_mask", None)
        if (a or c) and mask_of is not None:
            mask = np.asarray(mask_of(), dtype=bool)
            idx = np.flatnonzero(mask)
            idx.flags.writeable = False
            object.__setattr__(self, "_l1", a)
            object.__setattr__(self, "_l2", c)
            object.__setattr__(self, "_weights", idx)

    @classmethod
    def create(
        cls,
        loss: str | Loss,
        x: Any,
        y: Any,
        predictor: LinearPredictor | None = None,
        penalty: str | None = None,
        strength: float = 0.0,
        l1_ratio: float = 0.5,
        **params: Any,
    ) -> Objective:
        """Check the data and the loss's parameters; ``penalty``, ``strength`` λ and
        ``l1_ratio`` r add λ·P(w) to the cost (see the module docstring)."""
        penalty, strength, l1_ratio = check_penalty(penalty, strength, l1_ratio)
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
        return cls(loss, predictor, x_arr, y_checked, kw, penalty, strength, l1_ratio)

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
        """Per-example loss values (the data part only: the penalty is nobody's own)."""
        return self.loss._value(self.y, self.prediction(theta), **self.params)

    def cost(self, theta: np.ndarray) -> float:
        """Mean loss over the data set, plus λ·P(w) when there is a penalty."""
        value = float(self.losses(theta).mean())
        if self._weights is not None:
            value += self.penalty_value(theta)
        return value

    def data_cost(self, theta: np.ndarray) -> float:
        """The mean loss alone: the cost without its penalty."""
        return float(self.losses(theta).mean())

    @property
    def penalised(self) -> bool:
        """Whether the cost carries a penalty (a penalty chosen with λ = 0 does not)."""
        return self._weights is not None

    def penalised_entries(self) -> np.ndarray:
        """True at the entries of θ the penalty acts on (all False without a penalty)."""
        mask = np.zeros(self._n_theta(), bool)
        if self._weights is not None:
            mask[self._weights] = True
        return mask

    def _n_theta(self) -> int:
        n = getattr(self.predictor, "n_params", None)
        return int(n) if n is not None else 0

    def penalty_value(self, theta: np.ndarray) -> float:
        """λ·P(w) on the weights of θ (0 without a penalty)."""
        if self._weights is None:
            return 0.0
        w = np.asarray(theta, dtype=float)[self._weights]
        return float(_penalty_terms(w, self._l1, self._l2).sum())

    def penalty_gradient(self, theta: np.ndarray) -> np.ndarray:
        """d(λ·P)/dθ: λ(r·sign(w) + (1 − r)·w) at the weights, 0 at the biases."""
        theta = np.asarray(theta, dtype=float)
        out = np.zeros_like(theta)
        if self._weights is not None:
            out[self._weights] = _penalty_slope(theta[self._weights], self._l1, self._l2)
        return out

    def penalty_values(self, thetas: Any) -> np.ndarray:
        """λ·P(w) for each row of a stack of parameter vectors (m, P): shape (m,).

        For drawing the penalty over any grid or plane of θs (a network's slice too).
        """
        thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
        if self._weights is None:
            return np.zeros(thetas.shape[0])
        return _penalty_terms(thetas[:, self._weights], self._l1, self._l2).sum(axis=1)

    def cost_and_gradient(
        self, theta: np.ndarray, rows: np.ndarray | None = None
    ) -> tuple[float, np.ndarray]:
        """Mean loss (over ``rows`` if given, e.g. a mini-batch) plus the whole penalty, and dC/dθ."""
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
        cost = float(values.mean())
        if self._weights is not None:
            # the penalty belongs to the weights, not to any example: a mini-batch pays it whole
            w = np.asarray(theta, dtype=float)[self._weights]
            cost += float(_penalty_terms(w, self._l1, self._l2).sum())
            grad[self._weights] += _penalty_slope(w, self._l1, self._l2)
        return cost, grad

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        return self.cost_and_gradient(theta)[1]


def line_objective(
    x: Any,
    y: Any,
    loss: str | Loss,
    penalty: str | None = None,
    strength: float = 0.0,
    l1_ratio: float = 0.5,
    **params: Any,
) -> Objective:
    """The cost of the line ŷ = w·x + b under a regression loss (plus λ·P(w), b never penalised)."""
    return Objective.create(loss, np.asarray(x, dtype=float).ravel(), y, Line(), penalty, strength, l1_ratio,
                            **params)
