"""Optimizers as pure step functions: ``step(θ, g, state) -> (θ', state')``.

Each optimizer is a frozen dataclass of hyperparameters; its state is a frozen
dataclass too, so a descent can be replayed exactly. Conventions follow PyTorch:

* GD / SGD:   θ ← θ − η g  (SGD draws a seeded mini-batch for each step)
* Momentum:   v ← μ v + g;            θ ← θ − η v
* Nesterov:   v ← μ v + g;            θ ← θ − η (g + μ v)
* RMSProp:    s ← ρ s + (1 − ρ) g²;   θ ← θ − η g / (√s + ε)
* Adam:       m ← β₁m + (1 − β₁)g;  s ← β₂s + (1 − β₂)g²;  θ ← θ − η m̂ / (√ŝ + ε)
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

import numpy as np

from lossdesk.model.hyperparameters import LEARNING_RATE_RANGE, Hyperparameter


@dataclass(frozen=True)
class OptimizerState:
    """Step count plus the optimizer's running averages (empty arrays when unused)."""

    t: int = 0
    velocity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    second: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class Optimizer:
    lr: float = 0.1
    name: ClassVar[str] = "gd"
    title: ClassVar[str] = "Gradient descent"
    #: the learning rate the app starts this optimizer with
    default_lr: ClassVar[float] = 0.1
    #: the settings besides the learning rate that a user may change
    extras: ClassVar[tuple[Hyperparameter, ...]] = ()

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and not np.isfinite(value):
                raise ValueError(f"{f.name} must be a finite number")
        if not self.lr > 0:
            raise ValueError(f"the learning rate must be positive, not {self.lr:g}")

    def init(self, theta: np.ndarray) -> OptimizerState:
        zeros = np.zeros_like(np.asarray(theta, dtype=float))
        return OptimizerState(0, zeros, zeros.copy())

    def step(self, theta: np.ndarray, grad: np.ndarray, state: OptimizerState,
             lr: float | None = None) -> tuple[np.ndarray, OptimizerState]:
        """One update; ``lr`` overrides the learning rate (for schedules)."""
        eta = self.lr if lr is None else lr
        return theta - eta * grad, replace(state, t=state.t + 1)

    def batch_rows(self, state: OptimizerState, n: int) -> np.ndarray | None:
        """The rows of the data this step's gradient uses (None: all of them)."""
        return None

    def hyperparameters(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class GD(Optimizer):
    """Full-batch gradient descent: θ ← θ − η g."""


@dataclass(frozen=True)
class SGD(Optimizer):
    """Mini-batch SGD: θ ← θ − η g_batch; batches are a seeded shuffle per epoch."""

    batch_size: int = 8
    seed: int = 0
    name: ClassVar[str] = "sgd"
    title: ClassVar[str] = "Stochastic gradient descent"
    default_lr: ClassVar[float] = 0.05
    extras: ClassVar[tuple[Hyperparameter, ...]] = (
        Hyperparameter("batch_size", "batch", 1, 1000, 8, 0, "points in each mini-batch"),
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if int(self.batch_size) < 1:
            raise ValueError("the batch size must be at least 1")

    def batch_rows(self, state: OptimizerState, n: int) -> np.ndarray | None:
        size = min(int(self.batch_size), n)
        per_epoch = -(-n // size)
        epoch, k = divmod(state.t, per_epoch)
        order = np.random.default_rng([int(self.seed), epoch]).permutation(n)
        return order[k * size : (k + 1) * size]


@dataclass(frozen=True)
class Momentum(Optimizer):
    """Heavy ball: v ← μ v + g; θ ← θ − η v."""

    momentum: float = 0.9
    name: ClassVar[str] = "momentum"
    title: ClassVar[str] = "Momentum"
    default_lr: ClassVar[float] = 0.02
    extras: ClassVar[tuple[Hyperparameter, ...]] = (
        Hyperparameter("momentum", "β", 0.0, 0.999, 0.9, 3, "how much of the last step carries on"),
    )

    def step(self, theta, grad, state, lr=None):
        eta = self.lr if lr is None else lr
        v = self.momentum * state.velocity + grad
        return theta - eta * v, replace(state, t=state.t + 1, velocity=v)


@dataclass(frozen=True)
class Nesterov(Optimizer):
    """Nesterov momentum (PyTorch form): v ← μ v + g; θ ← θ − η (g + μ v)."""

    momentum: float = 0.9
    name: ClassVar[str] = "nesterov"
    title: ClassVar[str] = "Nesterov momentum"
    default_lr: ClassVar[float] = 0.02
    extras: ClassVar[tuple[Hyperparameter, ...]] = (
        Hyperparameter("momentum", "β", 0.0, 0.999, 0.9, 3, "how much of the last step carries on"),
    )

    def step(self, theta, grad, state, lr=None):
        eta = self.lr if lr is None else lr
        v = self.momentum * state.velocity + grad
        return theta - eta * (grad + self.momentum * v), replace(state, t=state.t + 1, velocity=v)


@dataclass(frozen=True)
class RMSProp(Optimizer):
    """s ← ρ s + (1 − ρ) g²; θ ← θ − η g / (√s + ε)."""

    lr: float = 0.01
    rho: float = 0.99
    eps: float = 1e-8
    name: ClassVar[str] = "rmsprop"
    title: ClassVar[str] = "RMSProp"
    default_lr: ClassVar[float] = 0.05
    extras: ClassVar[tuple[Hyperparameter, ...]] = (
        Hyperparameter("rho", "ρ", 0.0, 0.999, 0.99, 3, "how slowly the average of g² forgets"),
    )

    def step(self, theta, grad, state, lr=None):
        eta = self.lr if lr is None else lr
        s = self.rho * state.second + (1.0 - self.rho) * grad * grad
        return theta - eta * grad / (np.sqrt(s) + self.eps), replace(state, t=state.t + 1, second=s)


@dataclass(frozen=True)
class Adam(Optimizer):
    """Adam with bias correction: θ ← θ − η m̂ / (√ŝ + ε)."""

    lr: float = 0.05
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name: ClassVar[str] = "adam"
    title: ClassVar[str] = "Adam"
    default_lr: ClassVar[float] = 0.1
    extras: ClassVar[tuple[Hyperparameter, ...]] = (
        Hyperparameter("beta1", "β₁", 0.0, 0.999, 0.9, 3, "how slowly the average gradient forgets"),
        Hyperparameter("beta2", "β₂", 0.0, 0.9999, 0.999, 4, "how slowly the average of g² forgets"),
    )

    def step(self, theta, grad, state, lr=None):
        eta = self.lr if lr is None else lr
        t = state.t + 1
        m = self.beta1 * state.velocity + (1.0 - self.beta1) * grad
        s = self.beta2 * state.second + (1.0 - self.beta2) * grad * grad
        m_hat = m / (1.0 - self.beta1**t)
        s_hat = s / (1.0 - self.beta2**t)
        return theta - eta * m_hat / (np.sqrt(s_hat) + self.eps), OptimizerState(t, m, s)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (GD, SGD, Momentum, Nesterov, RMSProp, Adam)
}


def make_optimizer(name: str, **hyperparameters: Any) -> Optimizer:
    """Build an optimizer by name, e.g. ``make_optimizer("adam", lr=0.01)``."""
    try:
        cls = OPTIMIZERS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}") from None
    allowed = {f.name for f in fields(cls)}
    unknown = set(hyperparameters) - allowed
    if unknown:
        raise ValueError(f"{cls.title} has no setting {', '.join(sorted(unknown))}")
    return cls(**hyperparameters)


def learning_rate(name: str) -> Hyperparameter:
    """The learning-rate setting of optimizer ``name``, with its default."""
    low, high = LEARNING_RATE_RANGE
    return Hyperparameter("lr", "learning rate η", low, high, OPTIMIZERS[name].default_lr, 5,
                          "the size of each step")


def optimizer_settings(name: str) -> tuple[Hyperparameter, ...]:
    """Everything a user may set on optimizer ``name``: the learning rate first."""
    return (learning_rate(name), *OPTIMIZERS[name].extras)


def default_settings(name: str) -> dict[str, float]:
    """Optimizer ``name``'s settings as the app starts them."""
    return {h.key: h.default for h in optimizer_settings(name)}
