"""Validation shared by every settings value: one sentence per problem, naming the field."""

from __future__ import annotations

import math
from typing import Any

from lossdesk.model import LOSSES, SCHEDULES

#: beyond this a number is a damaged file or a slip of the hand, not a setting
LARGEST = 1e12


class SettingsError(ValueError):
    """A setting that cannot be used; the message says which and why."""


def number(value: Any, what: str, low: float = -LARGEST, high: float = LARGEST) -> float:
    """``value`` as a finite float in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f"{what} must be a number, not {value!r:.40}")
    try:
        result = float(value)
    except OverflowError:
        raise SettingsError(f"{what} is too large a number") from None
    if not math.isfinite(result) or not low <= result <= high:
        raise SettingsError(f"{what} must be a number between {low:g} and {high:g}")
    return result


def whole(value: Any, what: str, low: int, high: int) -> int:
    """``value`` as an int in [low, high] (a float with no fraction is accepted)."""
    result = number(value, what, low, high)
    if result != int(result):
        raise SettingsError(f"{what} must be a whole number")
    return int(result)


def name(value: Any, what: str, allowed: tuple[str, ...] | list[str] | dict) -> str:
    """``value`` as one of the allowed names."""
    if not isinstance(value, str) or value not in allowed:
        shown = value if isinstance(value, str) else type(value).__name__
        raise SettingsError(f"{what} must be one of {', '.join(allowed)}, not {shown!r:.40}")
    return value


def names(values: Any, what: str, allowed: tuple[str, ...] | list[str] | dict) -> tuple[str, ...]:
    """A tuple of distinct allowed names, in the order ``allowed`` gives them."""
    if not isinstance(values, (list, tuple)):
        raise SettingsError(f"{what} must be a list of names")
    chosen = {name(v, what, allowed) for v in values}
    return tuple(n for n in allowed if n in chosen)


def loss_params(value: Any, task_losses: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Every loss's parameters, complete and in range (missing ones take their defaults)."""
    if not isinstance(value, dict):
        raise SettingsError("the loss parameters must be a table of loss names")
    result: dict[str, dict[str, float]] = {}
    for loss in task_losses:
        given = value.get(loss, {})
        if not isinstance(given, dict):
            raise SettingsError(f"the parameters of {loss} must be a table of numbers")
        for key, raw in given.items():
            number(raw, f"{LOSSES[loss].title}: {key}")
        try:
            result[loss] = LOSSES[loss].resolve_params(given)
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
    unknown = sorted(set(value) - set(task_losses))
    if unknown:
        raise SettingsError(f"{unknown[0]!r:.40} is not a loss of this tab")
    return result


def schedule(kind: Any, value: Any) -> tuple[str, float | None]:
    """(schedule, its setting) checked: a known schedule, and its setting in range or None
    (the default). A schedule without a setting takes none: any number given stands for none."""
    kind = name(kind, "the schedule", tuple(SCHEDULES))
    spec = SCHEDULES[kind].setting
    if value is None:
        return kind, None
    if spec is None:
        number(value, f"{SCHEDULES[kind].title}: its setting")
        return kind, None
    try:
        return kind, spec.check(value, SCHEDULES[kind].title)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


#: the penalties a cost may add (issue 15): "none" or the model's L1, L2 and elastic net
PENALTIES = ("none", "l1", "l2", "elastic")
#: λ beyond this flattens every model to zero weights: a slip, not a setting
MAX_STRENGTH = 1e3


def penalty(kind: Any, strength: Any, l1_ratio: Any) -> tuple[str, float, float]:
    """(penalty, λ, r) checked: a known penalty, 0 ≤ λ ≤ MAX_STRENGTH, 0 ≤ r ≤ 1."""
    kind = name(kind, "the penalty", PENALTIES)
    lam = number(strength, "the penalty strength λ", 0.0, MAX_STRENGTH)
    ratio = number(l1_ratio, "the L1 ratio r", 0.0, 1.0)
    return kind, lam, ratio


def penalty_args(settings: Any) -> dict[str, Any]:
    """A settings value's penalty as the model takes it: penalty None for "none"."""
    kind = None if settings.penalty == "none" else settings.penalty
    return {"penalty": kind, "strength": settings.strength if kind else 0.0, "l1_ratio": settings.l1_ratio}


def default_loss_params(task_losses: tuple[str, ...]) -> dict[str, dict[str, float]]:
    return {loss: LOSSES[loss].resolve_params({}) for loss in task_losses}
