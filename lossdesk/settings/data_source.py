"""Where a tab's points came from: a preset drawn at some noise, or the user's own data."""

from __future__ import annotations

from dataclasses import dataclass

from lossdesk.model import PRESETS, Dataset, DatasetError, make_preset
from lossdesk.settings.checks import SettingsError, number


@dataclass(frozen=True)
class DataSource:
    """The points themselves, and the preset and noise that drew them (None: own data).

    ``noise`` is None for a preset at its default noise. Own data (a CSV, a session, or
    any edit of a preset's points) has ``preset`` None and no noise.
    """

    data: Dataset
    preset: str | None = None
    noise: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.data, Dataset):
            raise SettingsError("the data set is missing")
        if self.preset is not None:
            if not isinstance(self.preset, str) or self.preset not in PRESETS:
                raise SettingsError(f"{self.preset!r:.40} is not a built-in data set")
            if PRESETS[self.preset].task != self.data.task:
                raise SettingsError(f"the preset {self.preset} is not a {self.data.task} data set")
        if self.noise is not None:
            if self.preset is None:
                raise SettingsError("only a preset has a noise level")
            object.__setattr__(self, "noise", number(self.noise, "the noise", 0.0, 100.0))

    @property
    def own_data(self) -> bool:
        return self.preset is None

    @property
    def noise_level(self) -> float | None:
        """The noise the preset was drawn with (its default when ``noise`` is None)."""
        if self.preset is None:
            return None
        return PRESETS[self.preset].default_noise if self.noise is None else self.noise

    @classmethod
    def from_preset(cls, preset: str, noise: float | None = None) -> DataSource:
        try:
            return cls(make_preset(preset, noise=noise), preset, noise)
        except DatasetError as exc:
            raise SettingsError(str(exc)) from None

    @classmethod
    def own(cls, data: Dataset) -> DataSource:
        return cls(data, None, None)

    def edited(self, data: Dataset) -> DataSource:
        """The same tab after the user changed the points: they are now the user's own."""
        return DataSource(data, None, None)
