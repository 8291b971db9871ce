"""One optimizer with the settings the user gave it (the learning rate and its extras)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lossdesk.model import OPTIMIZERS, Optimizer, make_optimizer
from lossdesk.model.optimizers import default_settings, optimizer_settings
from lossdesk.settings.checks import SettingsError, name


@dataclass(frozen=True)
class OptimizerChoice:
    """An optimizer by name and its hyperparameters (missing ones take the defaults)."""

    name: str = "gd"
    values: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        name(self.name, "the optimizer", tuple(OPTIMIZERS))
        if not isinstance(self.values, dict):
            raise SettingsError(f"{self.title}: its settings must be a table of numbers")
        specs = {h.key: h for h in optimizer_settings(self.name)}
        unknown = sorted(set(self.values) - set(specs))
        if unknown:
            raise SettingsError(f"{self.title} has no setting {unknown[0]!r:.40}")
        checked = default_settings(self.name)
        for key, raw in self.values.items():
            try:
                checked[key] = specs[key].check(raw, self.title)
            except ValueError as exc:
                raise SettingsError(str(exc)) from None
        object.__setattr__(self, "values", checked)

    @property
    def title(self) -> str:
        return OPTIMIZERS[self.name].title

    @property
    def lr(self) -> float:
        return float(self.values["lr"])

    def with_value(self, key: str, value: float) -> OptimizerChoice:
        return OptimizerChoice(self.name, {**self.values, key: value})

    def build(self) -> Optimizer:
        return make_optimizer(self.name, **self.values)

    @classmethod
    def default(cls, name: str) -> OptimizerChoice:
        return cls(name, {})
