"""The descent lab's choices: which optimizers race, each one's settings, the schedule, the start."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lossdesk.model import OPTIMIZERS, SCHEDULES
from lossdesk.settings import checks
from lossdesk.settings.checks import SettingsError
from lossdesk.settings.optimizer import OptimizerChoice
from lossdesk.settings.regression import LINE_LIMIT, MAX_STEPS_PER_FRAME

RACING_AT_START = ("gd", "momentum", "adam")


def _all_defaults() -> dict[str, OptimizerChoice]:
    return {name: OptimizerChoice.default(name) for name in OPTIMIZERS}


@dataclass(frozen=True)
class DescentLabSettings:
    """``start`` is where every ball starts on the (w, b) plane (None: chosen from the data).

    ``schedule_value`` is the schedule's one setting (None: its default).
    """

    racing: tuple[str, ...] = RACING_AT_START
    optimizers: dict[str, OptimizerChoice] = field(default_factory=_all_defaults)
    schedule: str = "constant"
    schedule_value: float | None = None
    start: tuple[float, float] | None = None
    steps_per_frame: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "racing", checks.names(self.racing, "the racing optimizers", tuple(OPTIMIZERS)))
        if not isinstance(self.optimizers, dict):
            raise SettingsError("the optimizers' settings are damaged")
        full = _all_defaults()
        for name, choice in self.optimizers.items():
            checks.name(name, "an optimizer", tuple(OPTIMIZERS))
            if not isinstance(choice, OptimizerChoice) or choice.name != name:
                raise SettingsError(f"the settings of {name} are damaged")
            full[name] = choice
        object.__setattr__(self, "optimizers", full)
        _, value = checks.schedule(self.schedule, self.schedule_value)
        object.__setattr__(self, "schedule_value", value)
        if self.start is not None:
            if not isinstance(self.start, (tuple, list)) or len(self.start) != 2:
                raise SettingsError("the start must be two numbers, w and b")
            object.__setattr__(self, "start", (checks.number(self.start[0], "the start's w", -LINE_LIMIT, LINE_LIMIT),
                                               checks.number(self.start[1], "the start's b", -LINE_LIMIT, LINE_LIMIT)))
        object.__setattr__(self, "steps_per_frame",
                           checks.whole(self.steps_per_frame, "steps per frame", 1, MAX_STEPS_PER_FRAME))

    @property
    def schedule_setting(self) -> float | None:
        """The schedule's setting as used: the chosen value, or the default."""
        spec = SCHEDULES[self.schedule].setting
        if spec is None:
            return None
        return spec.default if self.schedule_value is None else self.schedule_value

    def with_optimizer_value(self, name: str, key: str, value: float) -> DescentLabSettings:
        optimizers = dict(self.optimizers)
        optimizers[name] = optimizers[name].with_value(key, value)
        return replace(self, optimizers=optimizers)

    def with_lr(self, lr: float, names: tuple[str, ...] | None = None) -> DescentLabSettings:
        optimizers = dict(self.optimizers)
        for name in names or tuple(optimizers):
            optimizers[name] = optimizers[name].with_value("lr", lr)
        return replace(self, optimizers=optimizers)
