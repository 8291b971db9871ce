"""Saved sessions: a ``.lossdesk`` file is JSON holding every tab's settings and data.

A ``Session`` wraps one ``AppSettings`` value (``lossdesk.settings``). Writing turns the
settings values into JSON; reading turns JSON back into settings values, which validate
themselves whole. A file is accepted whole or refused whole: the only exception that
leaves the reader is ``SessionError`` (a ValueError) with one line naming the field.
Sizes are bounded before anything is allocated.

Schema version 2 (written now)::

    {"format": "lossdesk-session", "schema_version": 2, "written_by": "lossdesk 0.1.0",
     "tab": "regression", "lesson": null,
     "regression": {"source": {"preset": "outliers", "noise": null,
                               "data": {"name": "outliers", "x": [...], "y": [...]}},
                    "loss": "mse", "loss_params": {"huber": {"delta": 1.0}, ...},
                    "w": 0.0, "b": 0.0, "optimizer": {"name": "gd", "settings": {"lr": 0.1}},
                    "steps_per_frame": 1, "reduction": "mean", "outlier": null, "outlier_base": 0.0},
     "outlier_lab": {"shown": ["mse", "mae", "huber"], "arrows": "mse"},
     "classification": {"source": {"preset": ..., "noise": ...,
                                   "data": {"name": ..., "x": [[x1, x2], ...], "labels": [...], "n_classes": 2}},
                        "loss": "bce", "loss_params": {...}, "theta": [...],
                        "optimizer": {...}, "steps_per_frame": 1, "surface_axes": [0, 1], "add_label": 0},
     "descent_lab": {"racing": ["gd", "momentum", "adam"], "optimizers": {"gd": {"lr": 0.1}, ...},
                     "schedule": "constant", "schedule_value": null, "start": null, "steps_per_frame": 1}}

A ``preset`` of null means the points are the user's own (then ``noise`` is null too).
Missing parts and keys take their defaults; unknown keys are refused. Schema-1 files (the
first release's format: sections regression, classification, compare, descent) are
migrated on reading. No Qt here.
"""

from __future__ import annotations

import json
import math
import os
import reprlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from lossdesk import __version__
from lossdesk.lesson_text import load_lesson
from lossdesk.model import LOSSES, OPTIMIZERS, PRESETS, SCHEDULES, ClassificationData, DatasetError, RegressionData
from lossdesk.model.dataset import MAX_CLASSES, make_preset
from lossdesk.model.files import MAX_READ_BYTES, read_bytes_checked, shorten, write_text_atomically
from lossdesk.model.optimizers import optimizer_settings
from lossdesk.settings import (
    TABS,
    AppSettings,
    ClassificationSettings,
    DataSource,
    DescentLabSettings,
    OptimizerChoice,
    OutlierLabSettings,
    RegressionSettings,
    SettingsError,
)
from lossdesk.settings import classification as classification_settings
from lossdesk.settings import regression as regression_settings
from lossdesk.settings.outlier_lab import COMPARED

FORMAT = "lossdesk-session"
SCHEMA_VERSION = 2
SUFFIX = ".lossdesk"

#: a larger file is refused before it is read
MAX_FILE_BYTES = MAX_READ_BYTES
#: the most points a data set in a session may have
MAX_POINTS = 100_000
#: the most values (commas) a session may hold, checked before the JSON is parsed
MAX_VALUES = 1_000_000
#: integers with more digits are read as too large (Python's int() of long strings is slow)
MAX_DIGITS = 40
#: numbers beyond this are a damaged file, not a setting
LARGEST = 1e12
#: a data set's name is cut to this length
MAX_NAME = 200
#: the longest list of names or weights a setting can need
MAX_LIST = 100

_SHORT = reprlib.Repr()
_SHORT.maxstring = 40
_SHORT.maxother = 40
_SHORT.maxlong = 40
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 3
_SHORT.maxlevel = 2


class SessionError(ValueError):
    """The session file cannot be used; the message (one line) says which field and why."""


def _short(value: Any) -> str:
    """A value from the file, shown in a message: short, one line."""
    try:
        text = _SHORT.repr(value)
    except Exception:  # noqa: BLE001 - whatever the value, the message must still be built
        text = type(value).__name__
    return shorten(text, 50)


def _kind(value: Any) -> str:
    """What a JSON value is, in words: 'a list', 'true', 'a text'…"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _HugeInt):
        return f"a number {value.digits} digits long"
    if isinstance(value, (int, float)):
        return _short(value)
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def clean_name(name: str) -> str:
    """A data set's name as a session keeps it: one line of printable text, not too long."""
    chars = (" " if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") else c for c in name[: MAX_NAME * 2])
    return "".join(chars).strip()[:MAX_NAME] or "untitled"


# ====================================================================== Session


@dataclass(frozen=True, eq=False)
class Session:
    """Everything needed to put the app back as it was: one ``AppSettings`` value."""

    settings: AppSettings = field(default_factory=AppSettings)

    def __post_init__(self) -> None:
        if not isinstance(self.settings, AppSettings):
            raise TypeError(f"a Session wraps an AppSettings value, not {type(self.settings).__name__}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return self.settings == other.settings and _names(self.settings) == _names(other.settings)

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ writing
    def to_json(self) -> str:
        return _dumps(_document(self.settings))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically (a complete new file replaces the old one, synced to disk first).

        Overwriting keeps the old file's permissions; a new file gets the umask's default.
        Raises OSError if the file cannot be written; the old file is then untouched.
        """
        write_text_atomically(path, self.to_json())

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_json(cls, text: str | bytes) -> Session:
        """The session in ``text``; raises ``SessionError`` (and nothing else) if it cannot be used."""
        try:
            return cls(_read(text))
        except SessionError:
            raise
        except (SettingsError, DatasetError, TypeError, ValueError, OverflowError, KeyError, IndexError,
                AttributeError, RecursionError) as exc:  # a check missed above: still one clear line
            raise SessionError(shorten(f"the session is damaged ({exc})", 200)) from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Session:
        path = Path(path)
        name = shorten(path.name, 60)
        try:
            raw = read_bytes_checked(path, MAX_FILE_BYTES)
        except OSError as exc:
            raise SessionError(f"cannot read {name}: {exc.strerror or exc}") from None
        except ValueError as exc:  # not a regular file, or too large
            raise SessionError(shorten(str(exc), 200)) from None
        if len(raw) > MAX_FILE_BYTES:
            raise SessionError(f"cannot read {name}: it is larger than {MAX_FILE_BYTES // 2**20} MB")
        return cls.from_json(raw)


def session_from_settings(settings: AppSettings) -> Session:
    return Session(settings)


def _names(settings: AppSettings) -> tuple[str, str]:
    return (clean_name(settings.regression.data.name), clean_name(settings.classification.data.name))


# ====================================================================== writing


def _document(s: AppSettings) -> dict[str, Any]:
    r, c, o, d = s.regression, s.classification, s.outlier_lab, s.descent_lab
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "written_by": f"lossdesk {__version__}",
        "tab": s.tab,
        "lesson": s.lesson,
        "regression": {
            "source": _source_json(r.source),
            "loss": r.loss,
            "loss_params": _loss_params_json(r.loss_params),
            "w": r.w,
            "b": r.b,
            "optimizer": _optimizer_json(r.optimizer),
            "steps_per_frame": r.steps_per_frame,
            "reduction": r.reduction,
            "outlier": r.outlier,
            "outlier_base": r.outlier_base,
        },
        "outlier_lab": {"shown": list(o.shown), "arrows": o.arrows},
        "classification": {
            "source": _source_json(c.source),
            "loss": c.loss,
            "loss_params": _loss_params_json(c.loss_params),
            "theta": list(c.theta),
            "optimizer": _optimizer_json(c.optimizer),
            "steps_per_frame": c.steps_per_frame,
            "surface_axes": list(c.surface_axes),
            "add_label": c.add_label,
        },
        "descent_lab": {
            "racing": list(d.racing),
            "optimizers": {name: dict(choice.values) for name, choice in d.optimizers.items()},
            "schedule": d.schedule,
            "schedule_value": d.schedule_value,
            "start": None if d.start is None else list(d.start),
            "steps_per_frame": d.steps_per_frame,
        },
    }


def _source_json(source: DataSource) -> dict[str, Any]:
    return {"preset": source.preset, "noise": source.noise, "data": data_json(source.data)}


def _optimizer_json(choice: OptimizerChoice) -> dict[str, Any]:
    return {"name": choice.name, "settings": dict(choice.values)}


def _loss_params_json(params: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {loss: dict(values) for loss, values in params.items()}


def data_json(data: RegressionData | ClassificationData) -> dict[str, Any]:
    """A data set as the session holds it (the point lists are written on one line each)."""
    if isinstance(data, RegressionData):
        return {"name": clean_name(data.name), "x": _Compact(data.x.tolist()), "y": _Compact(data.y.tolist())}
    return {"name": clean_name(data.name), "x": _Compact(data.x.tolist()),
            "labels": _Compact(data.labels.tolist()), "n_classes": int(data.n_classes)}


#: the names the first release used for these helpers
def regression_data_json(data: RegressionData) -> dict[str, Any]:
    return data_json(data)


def classification_data_json(data: ClassificationData) -> dict[str, Any]:
    return data_json(data)


class _Compact(list):
    """A long list of numbers, written on one line rather than one number per line."""


def _dumps(doc: dict[str, Any]) -> str:
    """Indented JSON whose long number lists each sit on one line."""
    lists: list[str] = []

    def lift(value: Any) -> Any:
        if isinstance(value, _Compact) or (
                isinstance(value, list) and not any(isinstance(v, (list, dict)) for v in value)):
            lists.append(json.dumps(list(value), allow_nan=False, separators=(",", ":") if
                                    isinstance(value, _Compact) else (", ", ": ")))
            return f"\x00{len(lists) - 1}"
        if isinstance(value, dict):
            return {k: lift(v) for k, v in value.items()}
        return value

    text = json.dumps(lift(doc), indent=1, allow_nan=False)
    for i, compact in enumerate(lists):
        text = text.replace(json.dumps(f"\x00{i}"), compact, 1)
    return text + "\n"


# ====================================================================== reading: JSON


class _Refused(Exception):
    """Raised inside the JSON parser; turned into a SessionError outside it."""


class _HugeInt(float):
    """A whole number too long to be any setting: read as ±infinity, so every field refuses it."""

    digits: int

    def __new__(cls, text: str) -> _HugeInt:
        value = super().__new__(cls, -math.inf if text.startswith("-") else math.inf)
        value.digits = len(text.lstrip("-"))
        return value


def _parse_int(digits: str) -> int | float:
    # int() of a very long digit string is slow (and refused above 4300 digits): such a number is
    # far beyond every range anyway, so it stands for infinity and is refused by its field.
    if len(digits) > MAX_DIGITS:
        return _HugeInt(digits)
    return int(digits)


def _parse_constant(name: str) -> Any:
    raise _Refused(f"the session holds {name}, which is not a number lossdesk can use")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"the key {_short(key)} appears twice in one table")
            seen.add(key)
    return result


def _parse(text: str | bytes) -> Any:
    if isinstance(text, (bytes, bytearray, memoryview)):
        if len(text) > MAX_FILE_BYTES:
            raise SessionError(f"the session is larger than {MAX_FILE_BYTES / 2**20:.0f} MB")
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SessionError("this is not a lossdesk session (it is not UTF-8 text)") from None
    if not isinstance(text, str):
        raise SessionError(f"a session is text, not {type(text).__name__}")
    if len(text) > MAX_FILE_BYTES:
        raise SessionError(f"the session is larger than {MAX_FILE_BYTES / 2**20:.0f} MB")
    if text.count(",") > MAX_VALUES:
        raise SessionError(f"the session holds more than {MAX_VALUES:,} values; it is not one lossdesk wrote")
    try:
        return json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant,
                          object_pairs_hook=_unique_keys)
    except _Refused as exc:
        raise SessionError(str(exc)) from None
    except RecursionError:
        raise SessionError("this is not a readable lossdesk session (its JSON is nested too deeply)") from None
    except json.JSONDecodeError as exc:
        raise SessionError(
            f"this is not a readable lossdesk session (broken JSON at line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise SessionError(shorten(f"this is not a readable lossdesk session ({exc})", 200)) from None


# ====================================================================== reading: values


def _table(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SessionError(f"{what} must be a table (a JSON object), not {_kind(value)}")
    return value


def _known(part: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in part:
        if key not in allowed:
            raise SessionError(f"{where}: {_short(key)} is not a setting lossdesk knows")


def _name(value: Any, what: str, allowed: Any) -> str:
    if not isinstance(value, str) or value not in allowed:
        choices = ", ".join(allowed)
        raise SessionError(shorten(f"{what} must be one of {choices}, not {_kind(value)}", 240))
    return value


def _name_list(values: Any, what: str, allowed: Any) -> list[str]:
    if not isinstance(values, list) or len(values) > MAX_LIST:
        raise SessionError(f"{what} must be a list of names, not {_kind(values)}")
    return [_name(v, f"each of {what}", allowed) for v in values]


def _number(value: Any, what: str, low: float = -LARGEST, high: float = LARGEST) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SessionError(f"{what} must be a number, not {_kind(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or not low <= number <= high:
        raise SessionError(f"{what} must be a number from {low:g} to {high:g}, not {_kind(value)}")
    return number


def _whole(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SessionError(f"{what} must be a whole number, not {_kind(value)}")
    number = _number(value, what, low, high)
    if number != int(number):
        raise SessionError(f"{what} must be a whole number, not {_kind(value)}")
    return int(number)


def _index(value: Any, what: str) -> int:
    """A row number: an int, never a bool or a float (the app never writes 26.0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise SessionError(f"{what} must be the number of a point, not {_kind(value)}")
    if not 0 <= value <= MAX_POINTS:
        raise SessionError(f"{what} must be the number of a point, not {_kind(value)}")
    return value


def _numbers(values: Any, what: str, limit: int = MAX_POINTS, length: int | None = None) -> list[float]:
    if not isinstance(values, list):
        raise SessionError(f"{what} must be a list of numbers, not {_kind(values)}")
    if len(values) > limit:
        raise SessionError(f"{what} holds {len(values):,} values; at most {limit:,} are allowed")
    if length is not None and len(values) != length:
        raise SessionError(f"{what} must hold {length} numbers, not {len(values)}")
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or abs(v) > LARGEST:
            raise SessionError(f"{what}: value {i} must be a finite number up to ±{LARGEST:g}, not {_kind(v)}")
    return [float(v) for v in values]


def _data_name(part: dict[str, Any], where: str) -> str:
    name = part.get("name", "session")
    if not isinstance(name, str):
        raise SessionError(f"{where}: the data set's name must be text, not {_kind(name)}")
    return clean_name(name)


def _regression_data(value: Any, where: str) -> RegressionData:
    part = _table(value, f"{where}: the data")
    _known(part, ("name", "x", "y"), f"{where} data")
    if "x" not in part or "y" not in part:
        raise SessionError(f"{where}: the data need x and y")
    x = _numbers(part["x"], f"{where}: data x")
    y = _numbers(part["y"], f"{where}: data y")
    if len(x) != len(y):
        raise SessionError(f"{where}: data x has {len(x)} values but y has {len(y)}")
    try:
        return RegressionData(x, y, name=_data_name(part, where))
    except DatasetError as exc:
        raise SessionError(f"{where} data: {exc}") from None


def _classification_data(value: Any, where: str) -> ClassificationData:
    part = _table(value, f"{where}: the data")
    _known(part, ("name", "x", "labels", "n_classes"), f"{where} data")
    if "x" not in part or "labels" not in part:
        raise SessionError(f"{where}: the data need x and labels")
    raw = part["x"]
    if not isinstance(raw, list):
        raise SessionError(f"{where}: data x must be a list of points, not {_kind(raw)}")
    if len(raw) > MAX_POINTS:
        raise SessionError(f"{where}: data x holds {len(raw):,} points; at most {MAX_POINTS:,} are allowed")
    if raw and isinstance(raw[0], list):  # rows [x] or [x1, x2]
        width = len(raw[0])
        if width not in (1, 2):
            raise SessionError(f"{where}: each point of data x must hold one or two numbers")
        x: Any = []
        for i, row in enumerate(raw):
            if not isinstance(row, list) or len(row) != width:
                raise SessionError(f"{where}: data x point {i} must be a list of {width} numbers like the first")
            x.append(_numbers(row, f"{where}: data x point {i}"))
    else:
        x = _numbers(raw, f"{where}: data x")
    labels = part["labels"]
    if not isinstance(labels, list) or len(labels) > MAX_POINTS:
        raise SessionError(f"{where}: data labels must be a list of at most {MAX_POINTS:,} class numbers")
    for i, label in enumerate(labels):
        if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < MAX_CLASSES:
            raise SessionError(f"{where}: data label {i} must be a class from 0 to {MAX_CLASSES - 1}, "
                               f"not {_kind(label)}")
    if len(labels) != len(x):
        raise SessionError(f"{where}: data x has {len(x)} points but there are {len(labels)} labels")
    n_classes = 0
    if part.get("n_classes") is not None:
        n_classes = _whole(part["n_classes"], f"{where}: data n_classes", 2, MAX_CLASSES)
    try:
        return ClassificationData(x, labels, n_classes, name=_data_name(part, where))
    except DatasetError as exc:
        raise SessionError(f"{where} data: {exc}") from None


def _source(data: RegressionData | ClassificationData, preset: Any, noise: Any, where: str) -> DataSource:
    """The data and where they came from; a preset whose points were edited is the user's own."""
    if preset is None:
        if noise is not None:
            _number(noise, f"{where}: noise", 0.0, 100.0)
        return DataSource.own(data)
    _name(preset, f"{where}: preset", tuple(p for p, spec in PRESETS.items() if spec.task == data.task))
    level = None if noise is None else _number(noise, f"{where}: noise", 0.0, 100.0)
    try:
        drawn = make_preset(preset, noise=level)
    except DatasetError as exc:
        raise SessionError(f"{where}: {exc}") from None
    if drawn != data:  # edited after it was loaded
        return DataSource.own(data)
    return DataSource(data, preset, level)


def _loss_params(value: Any, losses: tuple[str, ...], where: str, drop_others: bool) -> dict[str, dict[str, float]]:
    part = _table(value, f"{where}: loss_params")
    result: dict[str, dict[str, float]] = {}
    for loss, given in part.items():
        if loss not in losses:
            if drop_others and isinstance(loss, str) and loss in LOSSES:
                continue  # the first release saved every loss's parameters in both tabs
            raise SessionError(f"{where}: loss_params: {_short(loss)} is not a loss of this tab")
        given = _table(given, f"{where}: loss_params of {loss}")
        allowed = LOSSES[loss].parameters
        for key, raw in given.items():
            if key not in allowed:
                raise SessionError(f"{where}: {LOSSES[loss].title} has no parameter {_short(key)}")
            low, high = allowed[key][1], allowed[key][2]
            _number(raw, f"{where}: {LOSSES[loss].title} {key}", -LARGEST, LARGEST)
            if not low < float(raw) < high:
                shown_high = "∞" if math.isinf(high) else f"{high:g}"
                raise SessionError(f"{where}: {LOSSES[loss].title} {key} must lie between {low:g} and "
                                   f"{shown_high} (not included), not {_kind(raw)}")
        result[loss] = {k: float(v) for k, v in given.items()}  # missing keys: the settings fill defaults
    return result


def _optimizer_values(value: Any, name: str, where: str) -> dict[str, float]:
    part = _table(value, f"{where}: the settings of {name}")
    specs = {h.key: h for h in optimizer_settings(name)}
    result: dict[str, float] = {}
    for key, raw in part.items():
        if key not in specs:
            raise SessionError(f"{where}: {OPTIMIZERS[name].title} has no setting {_short(key)}")
        spec = specs[key]
        what = f"{where}: {OPTIMIZERS[name].title} {spec.label}"
        if spec.whole:
            result[key] = _whole(raw, what, int(spec.low), int(spec.high))
        else:
            result[key] = _number(raw, what, spec.low, spec.high)
    return result


def _optimizer(value: Any, where: str) -> OptimizerChoice:
    part = _table(value, f"{where}: optimizer")
    _known(part, ("name", "settings"), f"{where} optimizer")
    name = _name(part.get("name", "gd"), f"{where}: optimizer", tuple(OPTIMIZERS))
    return OptimizerChoice(name, _optimizer_values(part.get("settings", {}), name, where))


def _build(where: str, make: Callable[[], Any]) -> Any:
    """Build a settings value; its own validation errors become one line naming the part."""
    try:
        return make()
    except SessionError:
        raise
    except (SettingsError, DatasetError, TypeError, ValueError, OverflowError, KeyError, IndexError,
            RecursionError) as exc:
        raise SessionError(shorten(f"{where}: {exc}", 240)) from None


def _lesson(value: Any) -> int | None:
    if value is None:
        return None
    try:
        count = len(load_lesson().steps)
    except Exception:  # noqa: BLE001 - the lesson file is the app's, not the session's problem
        count = 100
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        raise SessionError(f"lesson must be a step from 0 to {count - 1}, not {_kind(value)}")
    return value


def _version(doc: dict[str, Any]) -> int:
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, (int, float)) or not math.isfinite(version) \
            or version != int(version):
        raise SessionError(f"the session's schema_version must be a whole number, not {_kind(version)}")
    if version > SCHEMA_VERSION:
        written = doc.get("written_by")
        written = shorten(written, 40) if isinstance(written, str) else "unknown"
        raise SessionError(
            f"this session was saved by a newer lossdesk ({written}, format {int(version)}); this lossdesk "
            f"{__version__} reads formats up to {SCHEMA_VERSION}. Update lossdesk to open it."
        )
    if version < 1:
        raise SessionError(f"the session's schema_version {int(version)} is not one lossdesk ever wrote")
    return int(version)


def _read(text: str | bytes) -> AppSettings:
    doc = _parse(text)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SessionError("this file is not a lossdesk session")
    version = _version(doc)
    settings = _read_v1(doc) if version == 1 else _read_v2(doc)
    return settings


# ---------------------------------------------------------------------- schema 2

_TOP_KEYS = ("format", "schema_version", "written_by", "tab", "lesson",
             "regression", "outlier_lab", "classification", "descent_lab")


def _read_v2(doc: dict[str, Any]) -> AppSettings:
    _known(doc, _TOP_KEYS, "the session")
    if "written_by" in doc and not isinstance(doc["written_by"], str):
        raise SessionError(f"written_by must be text, not {_kind(doc['written_by'])}")
    tab = _name(doc.get("tab", "regression"), "tab", TABS)
    lesson = _lesson(doc.get("lesson"))
    regression = _regression_v2(doc.get("regression", {}))
    outlier_lab = _outlier_lab_v2(doc.get("outlier_lab", {}))
    classification = _classification_v2(doc.get("classification", {}))
    descent_lab = _descent_lab_v2(doc.get("descent_lab", {}))
    return _build("the session", lambda: AppSettings(tab, regression, outlier_lab, classification, descent_lab,
                                                     lesson))


def _source_v2(value: Any, where: str, read_data: Callable[[Any, str], Any]) -> DataSource:
    part = _table(value, f"{where}: source")
    _known(part, ("preset", "noise", "data"), f"{where} source")
    if "data" not in part:
        raise SessionError(f"{where}: the source has no data")
    data = read_data(part["data"], where)
    return _source(data, part.get("preset"), part.get("noise"), where)


def _regression_v2(value: Any) -> RegressionSettings:
    where = "regression"
    part = _table(value, where)
    _known(part, ("source", "loss", "loss_params", "w", "b", "optimizer", "steps_per_frame", "reduction",
                  "outlier", "outlier_base"), where)
    kw: dict[str, Any] = {}
    if "source" in part:
        kw["source"] = _source_v2(part["source"], where, _regression_data)
    if "loss" in part:
        kw["loss"] = _name(part["loss"], f"{where}: loss", regression_settings.LOSS_NAMES)
    if "loss_params" in part:
        kw["loss_params"] = _loss_params(part["loss_params"], regression_settings.LOSS_NAMES, where, False)
    for key in ("w", "b"):
        if key in part:
            kw[key] = _number(part[key], f"{where}: {key}", -regression_settings.LINE_LIMIT,
                              regression_settings.LINE_LIMIT)
    if "optimizer" in part:
        kw["optimizer"] = _build(where, lambda: _optimizer(part["optimizer"], where))
    if "steps_per_frame" in part:
        kw["steps_per_frame"] = _whole(part["steps_per_frame"], f"{where}: steps_per_frame", 1,
                                       regression_settings.MAX_STEPS_PER_FRAME)
    if "reduction" in part:
        kw["reduction"] = _name(part["reduction"], f"{where}: reduction", regression_settings.REDUCTIONS)
    if part.get("outlier") is not None:
        kw["outlier"] = _index(part["outlier"], f"{where}: outlier")
    if "outlier_base" in part:
        kw["outlier_base"] = _number(part["outlier_base"], f"{where}: outlier_base")
    return _build(where, lambda: RegressionSettings(**kw))


def _outlier_lab_v2(value: Any) -> OutlierLabSettings:
    where = "outlier lab"
    part = _table(value, where)
    _known(part, ("shown", "arrows"), where)
    kw: dict[str, Any] = {}
    if "shown" in part:
        kw["shown"] = tuple(_name_list(part["shown"], f"{where}: shown", COMPARED))
    if "arrows" in part:
        kw["arrows"] = _name(part["arrows"], f"{where}: arrows", COMPARED)
    return _build(where, lambda: OutlierLabSettings(**kw))


def _classification_v2(value: Any) -> ClassificationSettings:
    where = "classification"
    part = _table(value, where)
    _known(part, ("source", "loss", "loss_params", "theta", "optimizer", "steps_per_frame", "surface_axes",
                  "add_label"), where)
    kw: dict[str, Any] = {}
    if "source" in part:
        kw["source"] = _source_v2(part["source"], where, _classification_data)
    if "loss" in part:
        kw["loss"] = _name(part["loss"], f"{where}: loss", classification_settings.LOSS_NAMES)
    if "loss_params" in part:
        kw["loss_params"] = _loss_params(part["loss_params"], classification_settings.LOSS_NAMES, where, False)
    if "theta" in part:
        kw["theta"] = tuple(_numbers(part["theta"], f"{where}: theta", MAX_LIST))
    if "optimizer" in part:
        kw["optimizer"] = _build(where, lambda: _optimizer(part["optimizer"], where))
    if "steps_per_frame" in part:
        kw["steps_per_frame"] = _whole(part["steps_per_frame"], f"{where}: steps_per_frame", 1,
                                       regression_settings.MAX_STEPS_PER_FRAME)
    if "surface_axes" in part:
        axes = part["surface_axes"]
        if not isinstance(axes, list) or len(axes) != 2:
            raise SessionError(f"{where}: surface_axes must be two parameter numbers, not {_kind(axes)}")
        kw["surface_axes"] = tuple(_whole(a, f"{where}: surface_axes", 0, MAX_LIST) for a in axes)
    if "add_label" in part:
        kw["add_label"] = _whole(part["add_label"], f"{where}: add_label", 0, MAX_CLASSES - 1)
    return _build(where, lambda: ClassificationSettings(**kw))


def _descent_lab_v2(value: Any) -> DescentLabSettings:
    where = "descent lab"
    part = _table(value, where)
    _known(part, ("racing", "optimizers", "schedule", "schedule_value", "start", "steps_per_frame"), where)
    kw: dict[str, Any] = {}
    if "racing" in part:
        kw["racing"] = tuple(_name_list(part["racing"], f"{where}: racing", tuple(OPTIMIZERS)))
    if "optimizers" in part:
        table = _table(part["optimizers"], f"{where}: optimizers")
        choices = {}
        for name, values in table.items():
            name = _name(name, f"{where}: optimizers", tuple(OPTIMIZERS))
            choices[name] = _build(where, lambda n=name, v=values: OptimizerChoice(
                n, _optimizer_values(v, n, where)))
        kw["optimizers"] = choices
    schedule = part.get("schedule", "constant")
    kw["schedule"] = _name(schedule, f"{where}: schedule", tuple(SCHEDULES))
    if part.get("schedule_value") is not None:
        kw["schedule_value"] = _schedule_value(part["schedule_value"], kw["schedule"], where)
    if part.get("start") is not None:
        kw["start"] = tuple(_numbers(part["start"], f"{where}: start", 2, length=2))
    if "steps_per_frame" in part:
        kw["steps_per_frame"] = _whole(part["steps_per_frame"], f"{where}: steps_per_frame", 1,
                                       regression_settings.MAX_STEPS_PER_FRAME)
    return _build(where, lambda: DescentLabSettings(**kw))


def _schedule_value(value: Any, schedule: str, where: str) -> float | None:
    spec = SCHEDULES[schedule].setting
    if spec is None:
        _number(value, f"{where}: schedule_value")
        return None  # a constant rate has nothing to set
    what = f"{where}: {SCHEDULES[schedule].title} {spec.label}"
    if spec.whole:
        return _whole(value, what, int(spec.low), int(spec.high))
    return _number(value, what, spec.low, spec.high)


# ---------------------------------------------------------------------- schema 1 (migration)


def _read_v1(doc: dict[str, Any]) -> AppSettings:
    """A first-release file: the same choices under the old section names and keys."""
    tab = _name(doc.get("tab", "regression"), "tab", TABS)
    lesson = _lesson(doc.get("lesson"))
    parts = {key: _table(doc.get(key, {}), f"the session's {key} part")
             for key in ("regression", "classification", "compare", "descent")}
    regression = _regression_v1(parts["regression"]) if parts["regression"] else RegressionSettings()
    classification = (_classification_v1(parts["classification"]) if parts["classification"]
                      else ClassificationSettings())
    outlier_lab = _compare_v1(parts["compare"])
    descent_lab = _descent_v1(parts["descent"])
    return _build("the session", lambda: AppSettings(tab, regression, outlier_lab, classification, descent_lab,
                                                     lesson))


def _v1_optimizer(part: dict[str, Any], where: str) -> OptimizerChoice:
    name = _name(part.get("optimizer", "gd"), f"{where}: optimizer", tuple(OPTIMIZERS))
    values = {}
    if "lr" in part:
        values = _optimizer_values({"lr": part["lr"]}, name, where)
    return _build(where, lambda: OptimizerChoice(name, values))


def _regression_v1(part: dict[str, Any]) -> RegressionSettings:
    where = "regression"
    if "data" not in part:
        raise SessionError(f"{where}: the data set is missing")
    data = _regression_data(part["data"], where)
    kw: dict[str, Any] = {"source": _source(data, part.get("preset"), part.get("noise"), where)}
    kw["loss"] = _name(part.get("loss"), f"{where}: loss", regression_settings.LOSS_NAMES)
    if "loss_params" in part:
        kw["loss_params"] = _loss_params(part["loss_params"], regression_settings.LOSS_NAMES, where, True)
    for key in ("w", "b"):
        if key in part:
            kw[key] = _number(part[key], f"{where}: {key}", -regression_settings.LINE_LIMIT,
                              regression_settings.LINE_LIMIT)
    kw["optimizer"] = _v1_optimizer(part, where)
    if "reduction" in part:
        kw["reduction"] = _name(part["reduction"], f"{where}: reduction", regression_settings.REDUCTIONS)
    if part.get("outlier") is not None:
        row = _index(part["outlier"], f"{where}: outlier")
        if row >= data.n:
            raise SessionError(f"{where}: the outlier must be one of the points 0 to {data.n - 1}, not {row}")
        kw["outlier"] = row
        base = part.get("outlier_base")
        kw["outlier_base"] = float(data.y[row]) if base is None else _number(base, f"{where}: outlier_base")
    elif "outlier_base" in part:
        kw["outlier_base"] = _number(part["outlier_base"], f"{where}: outlier_base")
    return _build(where, lambda: RegressionSettings(**kw))


def _classification_v1(part: dict[str, Any]) -> ClassificationSettings:
    where = "classification"
    if "data" not in part:
        raise SessionError(f"{where}: the data set is missing")
    data = _classification_data(part["data"], where)
    kw: dict[str, Any] = {"source": _source(data, part.get("preset"), part.get("noise"), where)}
    kw["loss"] = _name(part.get("loss"), f"{where}: loss", classification_settings.LOSS_NAMES)
    if "loss_params" in part:
        kw["loss_params"] = _loss_params(part["loss_params"], classification_settings.LOSS_NAMES, where, True)
    kw["optimizer"] = _v1_optimizer(part, where)
    theta = tuple(_numbers(part.get("theta", []), f"{where}: theta", MAX_LIST))
    n = _build(where, lambda: classification_settings.predictor_for(data, kw["loss"]).n_params)
    kw["theta"] = theta if len(theta) == n else ()  # the first release started such a θ from zeros
    return _build(where, lambda: ClassificationSettings(**kw))


def _compare_v1(part: dict[str, Any]) -> OutlierLabSettings:
    where = "compare"
    kw: dict[str, Any] = {}
    if "shown" in part:
        kw["shown"] = tuple(_name_list(part["shown"], f"{where}: shown", COMPARED))
    if part.get("arrows") is not None:
        kw["arrows"] = _name(part["arrows"], f"{where}: arrows", COMPARED)
    return _build(where, lambda: OutlierLabSettings(**kw))


def _descent_v1(part: dict[str, Any]) -> DescentLabSettings:
    where = "descent"
    kw: dict[str, Any] = {}
    if "shown" in part:
        kw["racing"] = tuple(_name_list(part["shown"], f"{where}: shown", tuple(OPTIMIZERS)))
    if "settings" in part:
        table = _table(part["settings"], f"{where}: settings")
        choices = {}
        for name, values in table.items():
            name = _name(name, f"{where}: settings", tuple(OPTIMIZERS))
            choices[name] = _build(where, lambda n=name, v=values: OptimizerChoice(
                n, _optimizer_values(v, n, where)))
        kw["optimizers"] = choices
    kw["schedule"] = _name(part.get("schedule", "constant"), f"{where}: schedule", tuple(SCHEDULES))
    if part.get("schedule_value") is not None:
        kw["schedule_value"] = _schedule_value(part["schedule_value"], kw["schedule"], where)
    if part.get("start") is not None:
        kw["start"] = tuple(_numbers(part["start"], f"{where}: start", 2, length=2))
    return _build(where, lambda: DescentLabSettings(**kw))


# ---------------------------------------------------------------------- the first release's helpers


def regression_data(part: dict[str, Any]) -> RegressionData:
    """The regression data of a (schema-1 style) section ``{"data": {...}}``."""
    return _regression_data(_table(part, "regression").get("data"), "regression")


def classification_data(part: dict[str, Any]) -> ClassificationData:
    """The classification data of a (schema-1 style) section ``{"data": {...}}``."""
    return _classification_data(_table(part, "classification").get("data"), "classification")
