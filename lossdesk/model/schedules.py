"""Learning-rate schedules: a multiplier m(t) for step t, so step t uses η·m(t).

* constant:     m(t) = 1
* step decay:   m(t) = factor^⌊t / every⌋
* exponential:  m(t) = γ^t
* cosine:       m(t) = floor + (1 − floor)·½(1 + cos(π·min(t, T)/T))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from lossdesk.model.hyperparameters import Hyperparameter


@dataclass(frozen=True)
class Schedule:
    name: ClassVar[str] = "constant"
    title: ClassVar[str] = "Constant"
    #: the one setting a user may change (None: nothing to set)
    setting: ClassVar[Hyperparameter | None] = None

    def __call__(self, t: int) -> float:
        return 1.0


@dataclass(frozen=True)
class Constant(Schedule):
    """m(t) = 1: every step the same size."""


@dataclass(frozen=True)
class StepDecay(Schedule):
    """m(t) = factor^⌊t / every⌋: drop the rate by ``factor`` every ``every`` steps."""

    every: int = 50
    factor: float = 0.5
    name: ClassVar[str] = "step"
    title: ClassVar[str] = "Step decay"
    setting: ClassVar[Hyperparameter | None] = Hyperparameter(
        "every", "every", 1, 100000, 50, 0, "steps between two halvings of the rate")

    def __post_init__(self) -> None:
        if int(self.every) < 1 or not 0 < self.factor <= 1:
            raise ValueError("step decay needs every ≥ 1 and 0 < factor ≤ 1")

    def __call__(self, t: int) -> float:
        return self.factor ** (int(t) // int(self.every))


@dataclass(frozen=True)
class Exponential(Schedule):
    """m(t) = γ^t: shrink the rate a little every step."""

    gamma: float = 0.99
    name: ClassVar[str] = "exponential"
    title: ClassVar[str] = "Exponential"
    setting: ClassVar[Hyperparameter | None] = Hyperparameter(
        "gamma", "γ", 0.5, 1.0, 0.99, 4, "the factor the rate shrinks by each step")

    def __post_init__(self) -> None:
        if not 0 < self.gamma <= 1:
            raise ValueError("exponential decay needs 0 < γ ≤ 1")

    def __call__(self, t: int) -> float:
        return self.gamma ** int(t)


@dataclass(frozen=True)
class Cosine(Schedule):
    """m(t) = floor + (1 − floor)·½(1 + cos(π·min(t, T)/T)): a smooth glide to ``floor`` at T."""

    total: int = 200
    floor: float = 0.0
    name: ClassVar[str] = "cosine"
    title: ClassVar[str] = "Cosine"
    setting: ClassVar[Hyperparameter | None] = Hyperparameter(
        "total", "T", 1, 100000, 200, 0, "the step at which the rate reaches its floor")

    def __post_init__(self) -> None:
        if int(self.total) < 1 or not 0 <= self.floor <= 1:
            raise ValueError("cosine decay needs T ≥ 1 and 0 ≤ floor ≤ 1")

    def __call__(self, t: int) -> float:
        frac = min(int(t), int(self.total)) / int(self.total)
        return self.floor + (1.0 - self.floor) * 0.5 * (1.0 + math.cos(math.pi * frac))


SCHEDULES: dict[str, type[Schedule]] = {cls.name: cls for cls in (Constant, StepDecay, Exponential, Cosine)}


def make_schedule(name: str, **settings: Any) -> Schedule:
    try:
        return SCHEDULES[name](**settings)
    except KeyError:
        raise ValueError(f"unknown schedule {name!r}; choose one of {', '.join(SCHEDULES)}") from None
