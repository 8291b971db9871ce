"""The outlier lab's own choices: which losses' best lines it draws, and whose pull the arrows show.

Its data, outlier and loss parameters (δ, τ) are the regression explorer's.
"""

from __future__ import annotations

from dataclasses import dataclass

from lossdesk.settings import checks

COMPARED = ("mse", "mae", "huber", "logcosh", "quantile")
SHOWN_AT_START = ("mse", "mae", "huber")


@dataclass(frozen=True)
class OutlierLabSettings:
    shown: tuple[str, ...] = SHOWN_AT_START
    arrows: str = "mse"

    def __post_init__(self) -> None:
        object.__setattr__(self, "shown", checks.names(self.shown, "the losses shown", COMPARED))
        checks.name(self.arrows, "the loss the arrows follow", COMPARED)
