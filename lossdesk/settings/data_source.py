"""Where a tab's points came from: a preset drawn at some noise, or the user's own data."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from lossdesk.model import PRESETS, ClassificationData, Dataset, DatasetError, RegressionData, make_preset
from lossdesk.model.dataset import MAX_CLASSES
from lossdesk.settings.checks import SettingsError, number, whole

#: a data set's name is cut to this length
MAX_NAME = 200


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
                raise SettingsError(f"the preset {self.preset!r:.40} is not a built-in data set")
            if PRESETS[self.preset].task != self.data.task:
                raise SettingsError(f"the preset {self.preset} is not a {self.data.task} data set")
        if self.noise is not None:
            if self.preset is None:
                raise SettingsError("only a preset has a noise level")
            object.__setattr__(self, "noise", number(self.noise, "the noise", 0.0, 100.0))

    def __eq__(self, other: object) -> bool:
        """Equal points, origin and name (the data set's own equality ignores its name)."""
        if not isinstance(other, DataSource):
            return NotImplemented
        return (self.preset, self.noise, self.data.name) == (other.preset, other.noise, other.data.name) \
            and self.data == other.data

    __hash__ = None  # type: ignore[assignment]  (a data set is not hashable)

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


# ---------------------------------------------------------------- points from plain values


def clean_name(name: str) -> str:
    """A data set's name as lossdesk keeps it: one line of printable text, not too long."""
    chars = (" " if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") else c for c in name[: MAX_NAME * 2])
    return "".join(chars).strip()[:MAX_NAME] or "untitled"


def regression_points(x: Any, y: Any, name: Any = "untitled") -> RegressionData:
    """x,y points given as plain lists (a saved session's), each value checked to be a number."""
    return _points(lambda: RegressionData(_numbers(x, "data x"), _numbers(y, "data y"), name=_name(name)))


def labelled_points(x: Any, labels: Any, n_classes: Any = None, name: Any = "untitled") -> ClassificationData:
    """Labelled points given as plain lists: x one number or a row of one or two per point.

    ``n_classes`` None: one more than the largest label.
    """
    k = 0 if n_classes is None else whole(n_classes, "n_classes (the number of classes)", 2, MAX_CLASSES)
    return _points(lambda: ClassificationData(_numbers(x, "data x", rows=True), _numbers(labels, "data labels"), k,
                                              name=_name(name)))


def _points(make: Any) -> Any:
    try:
        return make()
    except DatasetError as exc:
        raise SettingsError(str(exc)) from None


def _name(name: Any) -> str:
    if not isinstance(name, str):
        raise SettingsError(f"the data set's name must be text, not {type(name).__name__}")
    return clean_name(name)


def _numbers(values: Any, what: str, rows: bool = False) -> Any:
    """``values`` unchanged once each is a number (the model would also read "1" or true as 1).

    With ``rows`` each point may be a list of numbers instead, all as long as the first.
    """
    if not isinstance(values, (list, tuple)):
        raise SettingsError(f"{what} must be a list of numbers, not {type(values).__name__}")

    def width(v: Any) -> int | None:
        return len(v) if rows and isinstance(v, (list, tuple)) else None

    first = width(values[0]) if values else None
    for i, v in enumerate(values):
        if width(v) != first:
            like = "a number" if first is None else f"a list of {first} numbers"
            raise SettingsError(f"{what}: point {i} must be {like}, like the first")
        for u in (v if first is not None else (v,)):
            if isinstance(u, bool) or not isinstance(u, (int, float)):
                raise SettingsError(f"{what}: point {i} must be a number, not {u!r:.40}")
    return values
