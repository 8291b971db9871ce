"""Loss functions: one class per loss, each pairing ``value`` with ``gradient``.

Conventions follow PyTorch and Keras (see the design notes):

* ``value(y_true, y_pred)`` is the per-example loss, ``gradient`` its derivative
  with respect to each entry of ``y_pred`` (same shape as ``y_pred``);
* ``cost(..., reduction="mean")`` averages (``"sum"`` adds, ``"none"`` returns the
  per-example array);
* the regression residual is ``r = y_true - y_pred`` (r = y − ŷ, positive for a point
  above the prediction), the one sign convention of the whole app; formulas are written
  in r, and ``gradient`` is still the derivative with respect to ŷ (dr/dŷ = −1).

The underscored ``_value``/``_gradient`` methods skip validation; the surface and
objective code call them on data it has already checked.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

PROBABILITY_EPS = 1e-7
REDUCTIONS = ("none", "mean", "sum")
LOG2 = float(np.log(2.0))


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + exp(z)) = max(z, 0) + log(1 + exp(−|z|)): stable at both ends."""
    z = np.asarray(z, dtype=float)
    t = np.abs(z)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    t += np.maximum(z, 0.0)
    return t


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + exp(−z)); written with exp(−|z|) so nothing overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits with shape (n, K)."""
    shifted = z - z.max(axis=-1, keepdims=True)
    ez = np.exp(shifted)
    return ez / ez.sum(axis=-1, keepdims=True)


def logsumexp(z: np.ndarray) -> np.ndarray:
    """Row-wise log Σ exp(z), stable."""
    m = z.max(axis=-1, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))[..., 0]


class Loss:
    """Base class. Subclasses set the class attributes and the two raw methods."""

    name: ClassVar[str]
    title: ClassVar[str]
    formula: ClassVar[str]
    domain: ClassVar[str]
    #: "regression", "binary" or "multiclass"
    task: ClassVar[str]
    #: what y_pred means: "value", "probability", "logit" or "score"
    prediction: ClassVar[str] = "value"
    #: parameter name -> (default, low, high), all bounds exclusive
    parameters: ClassVar[dict[str, tuple[float, float, float]]] = {}
    differentiable: ClassVar[str] = "everywhere"

    # ----- raw maths (no checks) -------------------------------------------------
    def _value(self, y: np.ndarray, p: np.ndarray, **params: float) -> np.ndarray:
        raise NotImplementedError

    def _gradient(self, y: np.ndarray, p: np.ndarray, **params: float) -> np.ndarray:
        raise NotImplementedError

    # ----- public, validated API ---------------------------------------------------
    def value(self, y_true: Any, y_pred: Any, **params: float) -> np.ndarray:
        """Per-example loss, shape (n,)."""
        y, p, kw = self.validate(y_true, y_pred, params)
        return self._value(y, p, **kw)

    def gradient(self, y_true: Any, y_pred: Any, **params: float) -> np.ndarray:
        """d value_i / d y_pred_i, same shape as ``y_pred``."""
        y, p, kw = self.validate(y_true, y_pred, params)
        return self._gradient(y, p, **kw)

    def cost(self, y_true: Any, y_pred: Any, reduction: str = "mean", **params: float) -> Any:
        """Reduce the per-example losses: ``mean`` (the cost), ``sum`` or ``none``."""
        if reduction not in REDUCTIONS:
            raise ValueError(f"reduction must be one of {', '.join(REDUCTIONS)}, not {reduction!r}")
        values = self.value(y_true, y_pred, **params)
        if reduction == "none":
            return values
        return float(values.mean() if reduction == "mean" else values.sum())

    def resolve_params(self, params: dict[str, Any]) -> dict[str, float]:
        """Fill defaults and check each parameter lies in its open range."""
        unknown = set(params) - set(self.parameters)
        if unknown:
            allowed = ", ".join(self.parameters) or "no parameters"
            raise ValueError(
                f"{self.title} does not take {', '.join(sorted(unknown))} (it takes {allowed})"
            )
        out: dict[str, float] = {}
        for key, (default, low, high) in self.parameters.items():
            raw = params.get(key, default)
            try:
                val = float(raw)
            except (TypeError, ValueError):
                raise ValueError(f"{key} must be a number, not {raw!r}") from None
            if not (low < val < high):
                hi = "∞" if high == np.inf else f"{high:g}"
                raise ValueError(f"{key} must lie between {low:g} and {hi} (exclusive), not {val:g}")
            out[key] = val
        return out

    def validate(self, y_true: Any, y_pred: Any, params: dict[str, Any]):
        y = _as_float_array(y_true, "y_true")
        p = _as_float_array(y_pred, "y_pred")
        if y.shape != p.shape:
            raise ValueError(
                f"y_true and y_pred must have the same length; got {y.shape[0] if y.ndim else 1} "
                f"labels and {p.shape[0] if p.ndim else 1} predictions"
            )
        if y.ndim != 1:
            raise ValueError(f"{self.title} expects one number per example (1-D arrays)")
        return y, p, self.resolve_params(params)

    def __repr__(self) -> str:
        return f"<loss {self.name}: {self.title}>"


def _as_float_array(values: Any, what: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must contain only numbers") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.size == 0:
        raise ValueError(f"{what} is empty: a loss needs at least one example")
    if not np.all(np.isfinite(arr)):
        bad = int(np.flatnonzero(~np.isfinite(arr.ravel()))[0])
        raise ValueError(f"{what} holds a NaN or infinite value (at position {bad})")
    return arr


# ============================== regression ==========================================


class RegressionLoss(Loss):
    task = "regression"
    domain = "any real y and ŷ"

    def of_residual(self, e: np.ndarray, **params: float) -> np.ndarray:
        """The loss as a function of ŷ − y, i.e. of −r where r = y − ŷ is the residual.

        Pass ``-r`` for the loss of a residual r (``lossdesk.model.comparison.loss_of_residual``
        takes r itself). The argument is the prediction of a target 0, kept so for callers
        that give ŷ − y.
        """
        e = np.asarray(e, dtype=float)
        return self._value(np.zeros_like(e), e, **self.resolve_params(params))


class MSE(RegressionLoss):
    """Squared error r² with r = y − ŷ; gradient dL/dŷ = −2r. Smooth; domain: all reals."""

    name = "mse"
    title = "Mean squared error"
    formula = "L = r²,  r = y − ŷ"

    def _value(self, y, p, **_):
        e = p - y
        e *= e
        return e

    def _gradient(self, y, p, **_):
        e = p - y
        e *= 2.0
        return e


class MAE(RegressionLoss):
    """Absolute error |r| with r = y − ŷ; gradient dL/dŷ = −sign(r) (0 at r = 0, as PyTorch)."""

    name = "mae"
    title = "Mean absolute error"
    formula = "L = |r|,  r = y − ŷ"
    differentiable = "everywhere except r = 0"

    def _value(self, y, p, **_):
        return np.abs(p - y)

    def _gradient(self, y, p, **_):
        return np.sign(p - y)


class Huber(RegressionLoss):
    """Huber(δ): ½r² if |r| ≤ δ else δ(|r| − ½δ), r = y − ŷ; gradient dL/dŷ = −clip(r, −δ, δ)."""

    name = "huber"
    title = "Huber loss"
    formula = "L = ½r² if |r| ≤ δ, else δ(|r| − ½δ),  r = y − ŷ"
    parameters = {"delta": (1.0, 0.0, np.inf)}
    differentiable = "once, everywhere"

    def _value(self, y, p, delta=1.0, **_):
        a = p - y
        np.abs(a, out=a)
        m = np.minimum(a, delta)  # m·(|e| − m/2) is ½e² inside δ and δ(|e| − ½δ) outside
        m *= -0.5
        a += m
        m *= -2.0
        a *= m
        return a

    def _gradient(self, y, p, delta=1.0, **_):
        e = p - y
        return np.clip(e, -delta, delta, out=e)


class LogCosh(RegressionLoss):
    """log cosh(r) = r + softplus(−2r) − log 2 (even in r), r = y − ŷ; gradient dL/dŷ = −tanh(r)."""

    name = "logcosh"
    title = "Log-cosh loss"
    formula = "L = log cosh(r),  r = y − ŷ"

    def _value(self, y, p, **_):
        e = p - y
        np.abs(e, out=e)  # even function: use |e| so softplus(−2|e|) never overflows
        t = e * -2.0
        np.exp(t, out=t)
        np.log1p(t, out=t)
        t += e
        t -= LOG2
        return t

    def _gradient(self, y, p, **_):
        e = p - y
        return np.tanh(e, out=e)


class Quantile(RegressionLoss):
    """Pinball(τ): τ·r if r ≥ 0 else (τ − 1)·r, r = y − ŷ; gradient dL/dŷ = −τ (r > 0) or 1 − τ (r < 0)."""

    name = "quantile"
    title = "Quantile (pinball) loss"
    formula = "L = τ·r if r ≥ 0, else (τ − 1)·r,  r = y − ŷ"
    parameters = {"tau": (0.5, 0.0, 1.0)}
    differentiable = "everywhere except ŷ = y"

    def _value(self, y, p, tau=0.5, **_):
        r = y - p
        v = r * tau
        r *= tau - 1.0
        return np.maximum(v, r, out=v)  # pinball = max(τr, (τ − 1)r)

    def _gradient(self, y, p, tau=0.5, **_):
        e = p - y
        tie = e == 0
        np.copysign(0.5, e, out=e)
        e += 0.5 - tau  # 1 − τ where ŷ > y, −τ where ŷ < y
        e[tie] = 0.0
        return e


# ============================== binary classification ================================


class BinaryLoss(Loss):
    task = "binary"

    def validate(self, y_true, y_pred, params):
        y, p, kw = super().validate(y_true, y_pred, params)
        bad = (y != 0) & (y != 1)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{self.title} needs labels 0 or 1; example {i} has label {y[i]:g}"
            )
        if self.prediction == "probability":  # BCE and Brier take p in [0, 1]
            _check_probabilities(p)
        return y, p, kw


class BCE(BinaryLoss):
    """−[y log p + (1 − y) log(1 − p)], p clipped to [1e-7, 1 − 1e-7] (as Keras).

    Domain: labels in {0, 1}, p in [0, 1]. The gradient is (p − y)/(p(1 − p)) inside
    the clip range and 0 where clipping is active (the clipped function is flat there).
    """

    name = "bce"
    title = "Binary cross-entropy"
    formula = "L = −[y·log p + (1 − y)·log(1 − p)]"
    domain = "labels 0 or 1; p a probability in [0, 1]"
    prediction = "probability"

    def _value(self, y, p, **_):
        pc = np.clip(p, PROBABILITY_EPS, 1.0 - PROBABILITY_EPS)
        return -(y * np.log(pc) + (1.0 - y) * np.log1p(-pc))

    def _gradient(self, y, p, **_):
        pc = np.clip(p, PROBABILITY_EPS, 1.0 - PROBABILITY_EPS)
        g = (pc - y) / (pc * (1.0 - pc))
        return np.where(pc == p, g, 0.0)


class BCEWithLogits(BinaryLoss):
    """softplus(z) − y·z for a logit z (as PyTorch's BCEWithLogitsLoss); gradient σ(z) − y."""

    name = "bce_logits"
    title = "Binary cross-entropy on logits"
    formula = "L = log(1 + e^z) − y·z,  p = σ(z)"
    domain = "labels 0 or 1; z any real logit"
    prediction = "logit"

    def _value(self, y, p, **_):
        return softplus(p) - y * p

    def _gradient(self, y, p, **_):
        return sigmoid(p) - y


class Hinge(BinaryLoss):
    """max(0, 1 − t·s) with t = 2y − 1 ∈ {−1, +1}; gradient −t where 1 − t·s > 0, else 0."""

    name = "hinge"
    title = "Hinge loss"
    formula = "L = max(0, 1 − t·s),  t = ±1"
    domain = "labels 0 or 1 (read as −1 and +1); s any real score"
    prediction = "score"
    differentiable = "everywhere except t·s = 1"

    def _value(self, y, p, **_):
        t = 2.0 * y - 1.0
        return np.maximum(0.0, 1.0 - t * p)

    def _gradient(self, y, p, **_):
        t = 2.0 * y - 1.0
        return np.where(1.0 - t * p > 0, -t, 0.0)


class Brier(BinaryLoss):
    """Brier score (p − y)² on the probability p of class 1; gradient dL/dp = 2(p − y).

    Domain: labels in {0, 1}, p in [0, 1]; smooth everywhere. This is squared error used
    as a classification loss (as TensorFlow Playground trains its classifiers). Through
    p = σ(z) its slope dL/dz = 2(p − y)·p(1 − p) fades to 0 as p nears 0 or 1, so a point
    the model is sure of and wrong about barely pulls: cross-entropy's dL/dz = p − y does.
    """

    name = "brier"
    title = "Squared error on the probability"
    formula = "L = (p − y)²,  p = P(class 1)"
    domain = "labels 0 or 1; p a probability in [0, 1]"
    prediction = "probability"

    def _value(self, y, p, **_):
        e = p - y
        e *= e
        return e

    def _gradient(self, y, p, **_):
        e = p - y
        e *= 2.0
        return e


def _check_probabilities(p: np.ndarray) -> None:
    bad = (p < 0) | (p > 1)
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(
            f"predicted probabilities must lie in [0, 1]; entry {i} is {p.ravel()[i]:g}"
        )


# ============================== categorical classification ===========================


class CategoricalLoss(Loss):
    task = "multiclass"

    def validate(self, y_true, y_pred, params):
        kw = self.resolve_params(params)
        p = _as_float_array(y_pred, "y_pred")
        if p.ndim != 2 or p.shape[1] < 2:
            raise ValueError(
                f"{self.title} expects predictions of shape (n, K) with K ≥ 2 classes; got {p.shape}"
            )
        y = _as_float_array(y_true, "y_true")
        n, k = p.shape
        if y.ndim == 2:  # one-hot labels
            if y.shape != p.shape:
                raise ValueError(f"one-hot labels have shape {y.shape} but predictions {p.shape}")
            if not (np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1)):
                raise ValueError("one-hot labels need exactly one 1 per row and 0 elsewhere")
            y = y.argmax(axis=1).astype(float)
        if y.ndim != 1 or y.shape[0] != n:
            raise ValueError(f"got {y.shape[0]} labels for {n} predictions")
        if np.any(y != np.round(y)):
            i = int(np.flatnonzero(y != np.round(y))[0])
            raise ValueError(f"class labels must be whole numbers; example {i} has {y[i]:g}")
        bad = (y < 0) | (y >= k)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"class index {y[i]:g} of example {i} is out of range: with {k} classes "
                f"the labels are 0 to {k - 1}"
            )
        if self.prediction == "probability":  # CCE takes K probabilities per row
            _check_probabilities(p)
        return y.astype(np.intp), p, kw


class CCE(CategoricalLoss):
    """−log p[y] with p clipped to [1e-7, 1 − 1e-7]; gradient −1/p[y] at the true class."""

    name = "cce"
    title = "Categorical cross-entropy"
    formula = "L = −log p_y  (p: the K class probabilities)"
    domain = "labels 0 … K−1 (or one-hot); p probabilities of shape (n, K)"
    prediction = "probability"

    def _value(self, y, p, **_):
        py = p[np.arange(p.shape[0]), y]
        return -np.log(np.clip(py, PROBABILITY_EPS, 1.0 - PROBABILITY_EPS))

    def _gradient(self, y, p, **_):
        rows = np.arange(p.shape[0])
        py = p[rows, y]
        pc = np.clip(py, PROBABILITY_EPS, 1.0 - PROBABILITY_EPS)
        g = np.zeros_like(p)
        g[rows, y] = np.where(pc == py, -1.0 / pc, 0.0)
        return g


class CCEWithLogits(CategoricalLoss):
    """logsumexp(z) − z[y] (as PyTorch's CrossEntropyLoss); gradient softmax(z) − one_hot(y)."""

    name = "cce_logits"
    title = "Categorical cross-entropy on logits"
    formula = "L = log Σₖ e^{z_k} − z_y"
    domain = "labels 0 … K−1 (or one-hot); z logits of shape (n, K)"
    prediction = "logit"

    def _value(self, y, p, **_):
        return logsumexp(p) - p[np.arange(p.shape[0]), y]

    def _gradient(self, y, p, **_):
        g = softmax(p)
        g[np.arange(p.shape[0]), y] -= 1.0
        return g


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        MSE(),
        MAE(),
        Huber(),
        LogCosh(),
        Quantile(),
        BCE(),
        BCEWithLogits(),
        CCE(),
        CCEWithLogits(),
        Hinge(),
        Brier(),
    )
}

REGRESSION_LOSSES = tuple(n for n, l in LOSSES.items() if l.task == "regression")
BINARY_LOSSES = tuple(n for n, l in LOSSES.items() if l.task == "binary")
MULTICLASS_LOSSES = tuple(n for n, l in LOSSES.items() if l.task == "multiclass")


def get_loss(loss: str | Loss) -> Loss:
    """Look a loss up by name (or pass a loss object through)."""
    if isinstance(loss, Loss):
        return loss
    try:
        return LOSSES[str(loss).lower()]
    except KeyError:
        raise ValueError(
            f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}"
        ) from None
