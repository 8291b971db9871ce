"""What a user may set on an optimizer or a schedule: its label, range, default and precision.

This is model metadata, kept beside what it describes (as ``Loss.parameters`` is), so the
settings layer validates with it and the controls build their boxes from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Hyperparameter:
    """One setting: ``key`` as the optimizer or schedule names it, shown as ``label``.

    ``decimals == 0`` means a whole number. Values outside [low, high] are refused.
    """

    key: str
    label: str
    low: float
    high: float
    default: float
    decimals: int
    description: str = ""

    @property
    def whole(self) -> bool:
        return self.decimals == 0

    def check(self, value: object, owner: str) -> float | int:
        """``value`` as a number inside the range, or a ValueError a student can read."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{owner}: {self.label} must be a number, not {value!r:.40}")
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            number = math.inf if value > 0 else -math.inf
        if not math.isfinite(number) or not self.low <= number <= self.high:
            raise ValueError(f"{owner}: {self.label} must lie between {self.low:g} and {self.high:g}, "
                             f"not {number:g}")
        if self.whole:
            if number != int(number):
                raise ValueError(f"{owner}: {self.label} must be a whole number, not {number:g}")
            return int(number)
        return number


#: every optimizer's learning rate shares one range
LEARNING_RATE_RANGE = (1e-5, 1000.0)
