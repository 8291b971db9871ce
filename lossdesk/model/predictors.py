"""Predictors that are linear in their parameters θ.

Each predictor maps features X (shape (n, d)) to a *raw* output that is linear in θ:

* ``Line``:     ŷ = w·x + b                        θ = (w, b)
* ``Logistic``: z = w·x + b (1-D) or w₁x₁ + w₂x₂ + b  θ = (w…, b); p = σ(z)
* ``Softmax``:  z_k = W_k·x + b_k for K classes    θ = (W₀…, b₀, W₁…, b₁, …)

Because the raw output is linear in θ, ``raw(θ, X) = Σ_j θ_j · basis_j(X)`` and the
Jacobian d raw / dθ_j is ``basis_j(X)``; the objective applies the link (σ or softmax)
and the chain rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossdesk.model.losses import sigmoid, softmax


def as_features(x: np.ndarray) -> np.ndarray:
    """Features as a 2-D float array (n, d)."""
    x = np.asarray(x, dtype=float)
    return x[:, None] if x.ndim == 1 else x


@dataclass(frozen=True)
class LinearPredictor:
    """Shared maths: one affine map per output column."""

    n_features: int = 1
    n_outputs: int = 1  # 1 for line/logistic, K for softmax

    @property
    def n_params(self) -> int:
        return (self.n_features + 1) * self.n_outputs

    @property
    def param_names(self) -> tuple[str, ...]:
        weights = ["w"] if self.n_features == 1 else [f"w{i + 1}" for i in range(self.n_features)]
        per = [*weights, "b"]
        if self.n_outputs == 1:
            return tuple(per)
        return tuple(f"{name}[{k}]" for k in range(self.n_outputs) for name in per)

    def initial_params(self) -> np.ndarray:
        return np.zeros(self.n_params)

    def weight_mask(self) -> np.ndarray:
        """True at the entries of θ that are weights, False at the biases (as ``MLP.weight_mask``)."""
        mask = np.ones((self.n_outputs, self.n_features + 1), bool)
        mask[:, -1] = False
        return mask.ravel()

    def _matrix(self, theta: np.ndarray) -> np.ndarray:
        """θ as a (K, d + 1) matrix: each row holds one output's weights then its bias."""
        return np.asarray(theta, dtype=float).reshape(self.n_outputs, self.n_features + 1)

    def raw(self, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The linear output: shape (n,) for one output, (n, K) for several."""
        X = as_features(x)
        m = self._matrix(theta)
        z = X @ m[:, :-1].T + m[:, -1]
        return z[:, 0] if self.n_outputs == 1 else z

    def param_gradient(self, x: np.ndarray, grad_raw: np.ndarray, theta: np.ndarray | None = None) -> np.ndarray:
        """Chain rule: dC/dθ from dC/d raw (shape like ``raw``'s output); θ is not needed here."""
        X = as_features(x)
        g = grad_raw[:, None] if self.n_outputs == 1 else grad_raw  # (n, K)
        dW = g.T @ X  # (K, d)
        db = g.sum(axis=0)  # (K,)
        return np.concatenate([dW, db[:, None]], axis=1).ravel()

    def basis(self, x: np.ndarray, j: int) -> np.ndarray:
        """d raw / dθ_j: the (constant) direction the raw output moves with θ_j."""
        X = as_features(x)
        k, col = divmod(j, self.n_features + 1)
        column = X[:, col] if col < self.n_features else np.ones(X.shape[0])
        if self.n_outputs == 1:
            return column
        out = np.zeros((X.shape[0], self.n_outputs))
        out[:, k] = column
        return out


@dataclass(frozen=True)
class Line(LinearPredictor):
    """ŷ = w·x + b, θ = (w, b)."""

    link = "identity"

    def predict(self, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
        return self.raw(theta, x)


@dataclass(frozen=True)
class Logistic(LinearPredictor):
    """p = σ(w·x + b) for 1-D or 2-D x (``n_features``); θ = (w…, b)."""

    link = "sigmoid"

    def predict(self, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The probability of class 1."""
        return sigmoid(self.raw(theta, x))


@dataclass(frozen=True)
class Softmax(LinearPredictor):
    """p = softmax(W·x + b) over K = ``n_outputs`` classes."""

    n_features: int = 2
    n_outputs: int = 3
    link = "softmax"

    def predict(self, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Class probabilities, shape (n, K)."""
        return softmax(self.raw(theta, x))


def softmax_classifier(n_classes: int, n_features: int = 2) -> Softmax:
    return Softmax(n_features=n_features, n_outputs=n_classes)
