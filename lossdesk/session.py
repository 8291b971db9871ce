"""Saved sessions: a ``.lossdesk`` file is JSON holding every tab's settings and data.

A ``Session`` wraps one ``AppSettings`` value (``lossdesk.settings``). Writing turns the
settings values into JSON; reading turns JSON back into settings values, which validate
themselves whole. A file is accepted whole or refused whole: the only exception that
leaves the reader is ``SessionError`` (a ValueError) with one line naming the field.

The reader checks only the document's shape: its size, nesting depth, list lengths (before
any array is built), numbers too large to be read, and which tables hold which keys. Every
value is handed as it is to the settings values, which hold each rule once.

Schema version 2 (written now)::

    {"format": "lossdesk-session", "schema_version": 2, "written_by": "lossdesk 0.1.0",
     "tab": "regression", "lesson": null,
     "regression": {"source": {"preset": "outliers", "noise": null,
                               "data": {"name": "outliers", "x": [...], "y": [...]}},
                    "loss": "mse", "loss_params": {"huber": {"delta": 1.0}, ...},
                    "w": 0.0, "b": 0.0, "optimizer": {"name": "gd", "settings": {"lr": 0.1}},
                    "steps_per_frame": 1, "reduction": "mean", "outlier": null, "outlier_base": 0.0,
                    "penalty": "none", "strength": 0.0, "l1_ratio": 0.5, "show_parts": false},
     "outlier_lab": {"shown": ["mse", "mae", "huber"], "arrows": "mse"},
     "classification": {"source": {"preset": ..., "noise": ...,
                                   "data": {"name": ..., "x": [[x1, x2], ...], "labels": [...], "n_classes": 2}},
                        "loss": "bce", "loss_params": {...}, "theta": [...],
                        "optimizer": {...}, "steps_per_frame": 1, "surface_axes": [0, 1], "add_label": 0,
                        "penalty": "none", "strength": 0.0, "l1_ratio": 0.5},
     "descent_lab": {"racing": ["gd", "momentum", "adam"], "optimizers": {"gd": {"lr": 0.1}, ...},
                     "schedule": "constant", "schedule_value": null, "start": null, "steps_per_frame": 1},
     "network": {"source": {... x,y points or labelled points ...}, "hidden": [8], "activation": "tanh",
                 "loss": "bce", "loss_params": {...}, "theta": [...], "optimizer": {...},
                 "schedule": "constant", "schedule_value": null, "batch_size": null, "seed": 0,
                 "test_fraction": 0.2, "reduction": "mean", "directions": "random", "view": "forward",
                 "steps_per_frame": 2, "add_label": 0, "curves": "training",
                 "penalty": "none", "strength": 0.0, "l1_ratio": 0.5}}

A ``preset`` of null means the points are the user's own (then ``noise`` is null too).
Missing parts and keys take their defaults; unknown keys are refused. Schema-1 files (the
first release's format: sections regression, classification, compare, descent) are turned
into the schema-2 document they mean, then read as one. No Qt here.
"""

from __future__ import annotations

import json
import math
import os
import reprlib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from lossdesk import __version__
from lossdesk.model import LOSSES, ClassificationData, DatasetError, RegressionData
from lossdesk.model.files import MAX_READ_BYTES, read_bytes_checked, shorten, write_text_atomically
from lossdesk.settings import (
    AppSettings,
    ClassificationSettings,
    DataSource,
    DescentLabSettings,
    NetworkSettings,
    OptimizerChoice,
    OutlierLabSettings,
    RegressionSettings,
    SettingsError,
    checks,
)
from lossdesk.settings import classification as classification_settings
from lossdesk.settings import regression as regression_settings
from lossdesk.settings.data_source import clean_name, labelled_points, regression_points

FORMAT = "lossdesk-session"
SCHEMA_VERSION = 2
SUFFIX = ".lossdesk"

#: a larger file is refused before it is read
MAX_FILE_BYTES = MAX_READ_BYTES
#: the most values (commas) a session may hold, checked before the JSON is parsed
MAX_VALUES = 1_000_000
#: the most values one list may hold (the most points a data set in a session may have)
MAX_POINTS = 100_000
#: integers with more digits are refused (Python's int() of long strings is slow)
MAX_DIGITS = 40
#: tables and lists nest no deeper than this (a classification point sits at depth 6)
MAX_DEPTH = 8

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
    if isinstance(value, (int, float)):
        return _short(value)
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


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


def _names(settings: AppSettings) -> tuple[str, str]:
    return (clean_name(settings.regression.data.name), clean_name(settings.classification.data.name))


# ====================================================================== writing


def _document(s: AppSettings) -> dict[str, Any]:
    r, c, o, d, n = s.regression, s.classification, s.outlier_lab, s.descent_lab, s.network
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
            **_penalty_json(r),
            "show_parts": r.show_parts,
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
            **_penalty_json(c),
            "show_parts": c.show_parts,
        },
        "descent_lab": {
            "racing": list(d.racing),
            "optimizers": {name: dict(choice.values) for name, choice in d.optimizers.items()},
            "schedule": d.schedule,
            "schedule_value": d.schedule_value,
            "start": None if d.start is None else list(d.start),
            "steps_per_frame": d.steps_per_frame,
        },
        "network": {
            "source": _source_json(n.source),
            "hidden": list(n.hidden),
            "activation": n.activation,
            "loss": n.loss,
            "loss_params": _loss_params_json(n.loss_params),
            "theta": _Compact(list(n.theta)),
            "optimizer": _optimizer_json(n.optimizer),
            "schedule": n.schedule,
            "schedule_value": n.schedule_value,
            "batch_size": n.batch_size,
            "seed": n.seed,
            "test_fraction": n.test_fraction,
            "reduction": n.reduction,
            "directions": n.directions,
            "view": n.view,
            "steps_per_frame": n.steps_per_frame,
            "add_label": n.add_label,
            "curves": n.curves,
            **_penalty_json(n),
        },
    }


def _penalty_json(part: Any) -> dict[str, Any]:
    return {"penalty": part.penalty, "strength": part.strength, "l1_ratio": part.l1_ratio}


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


class _TooLarge:
    """A number too large to be any setting, as the file spells it; refused, naming its field."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        if len(self.text) <= 20:
            return self.text
        digits = self.text.lstrip("-")
        return f"a number {len(digits)} {'digits' if digits.isdigit() else 'characters'} long"


def _parse_int(text: str) -> int | _TooLarge:
    # int() of a very long digit string is slow (and refused above 4300 digits)
    return _TooLarge(text) if len(text) > MAX_DIGITS else int(text)


def _parse_float(text: str) -> float | _TooLarge:
    number = float(text)
    return number if math.isfinite(number) else _TooLarge(text)


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
        doc = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant,
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
    _check_shape(doc)
    return doc


def _check_shape(doc: Any) -> None:
    """Refuse a document nested too deeply, with a list too long or a number too large, naming the field.

    These are the only checks of values made here: every setting is checked by its settings value.
    """
    stack = [(doc, (), 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, _TooLarge):
            raise SessionError(f"{_field(path)} is {value}, too large a number for any setting")
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise SessionError(f"{_field(path)} is nested too deeply to be a lossdesk setting")
        if len(value) > MAX_POINTS:
            raise SessionError(f"{_field(path)} holds {len(value):,} values; at most {MAX_POINTS:,} are allowed")
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(item, (dict, list, _TooLarge)):
                stack.append((item, (*path, key), depth + 1))


def _field(path: tuple[str | int, ...]) -> str:
    """A place in the document, in words: ``regression: source data x[3]``."""
    if not path:
        return "the session"
    head, *rest = path
    text = _PART_NAMES.get(str(head), _short(head) if not isinstance(head, str) else shorten(head, 30))
    for i, key in enumerate(rest):
        text += f"[{key}]" if isinstance(key, int) else (": " if i == 0 else " ") + shorten(key, 30)
    return text


# ====================================================================== reading: schema 2


def _table(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SessionError(f"{what} must be a table (a JSON object), not {_kind(value)}")
    return value


def _known(part: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in part:
        if key not in allowed:
            raise SessionError(f"{where}: {_short(key)} is not a setting lossdesk knows")


def _build(where: str | None, make: Callable[[], Any]) -> Any:
    """A settings value made from the file's values; its own refusal becomes one line naming the part."""
    try:
        return make()
    except SessionError:
        raise
    except (SettingsError, DatasetError, ValueError, TypeError, OverflowError) as exc:
        raise SessionError(shorten(str(exc) if where is None else f"{where}: {exc}", 240)) from None


def _version(doc: dict[str, Any]) -> int:
    version = _build("the session", lambda: checks.whole(doc.get("schema_version"), "schema_version", 1, 10**6))
    if version > SCHEMA_VERSION:
        written = doc.get("written_by")
        written = shorten(written, 40) if isinstance(written, str) else "unknown"
        raise SessionError(
            f"this session was saved by a newer lossdesk ({written}, format {version}); this lossdesk "
            f"{__version__} reads formats up to {SCHEMA_VERSION}. Update lossdesk to open it."
        )
    return version


def _read(text: str | bytes) -> AppSettings:
    doc = _parse(text)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SessionError("this file is not a lossdesk session")
    return _read_v2(_v1_to_v2(doc) if _version(doc) == 1 else doc)


#: the parts of a schema-2 document: key, settings value, name in messages
_PARTS = (("regression", RegressionSettings, "regression"), ("outlier_lab", OutlierLabSettings, "outlier lab"),
          ("classification", ClassificationSettings, "classification"),
          ("descent_lab", DescentLabSettings, "descent lab"), ("network", NetworkSettings, "network"))
_PART_NAMES = {key: where for key, _, where in _PARTS}
_TOP_KEYS = ("format", "schema_version", "written_by", "tab", "lesson", *_PART_NAMES)
#: a data table's keys: those it must have, and the points it makes (of the regression or classification tab)
_DATA = {"regression": (("x", "y"), ("name",), regression_points),
         "classification": (("x", "labels"), ("name", "n_classes"), labelled_points)}
#: an optimizer table's keys, as OptimizerChoice names them
_OPTIMIZER_KEYS = {"name": "name", "settings": "values"}


def _read_v2(doc: dict[str, Any]) -> AppSettings:
    _known(doc, _TOP_KEYS, "the session")
    if not isinstance(doc.get("written_by", ""), str):
        raise SessionError(f"written_by must be text, not {_kind(doc['written_by'])}")
    parts = {key: _part(kind, doc.get(key, {}), where) for key, kind, where in _PARTS}
    return _build(None, lambda: AppSettings(**{k: doc[k] for k in ("tab", "lesson") if k in doc}, **parts))


def _part(kind: type, value: Any, where: str) -> Any:
    """One tab's settings value: its keys are the value's fields; a missing key takes the default."""
    part = dict(_table(value, where))
    _known(part, tuple(f.name for f in fields(kind)), where)
    if "source" in part:
        part["source"] = _source(part["source"], where)
    if "optimizer" in part:
        part["optimizer"] = _optimizer(part["optimizer"], where)
    if "optimizers" in part:
        part["optimizers"] = {name: _build(where, lambda n=name, v=values: OptimizerChoice(n, v))
                              for name, values in _table(part["optimizers"], f"{where}: optimizers").items()}
    return _build(where, lambda: kind(**part))


def _source(value: Any, where: str) -> DataSource:
    """The data and where they came from; a preset whose points were edited is the user's own."""
    part = _table(value, f"{where}: source")
    _known(part, ("preset", "noise", "data"), f"{where} source")
    if "data" not in part:
        raise SessionError(f"{where}: the source has no data")
    data = _data(part["data"], where)
    source = _build(where, lambda: DataSource(data, part.get("preset"), part.get("noise")))
    if source.preset is None:
        return source
    drawn = _build(where, lambda: DataSource.from_preset(source.preset, source.noise))
    return source if drawn.data == data else DataSource.own(data)


def _data(value: Any, where: str) -> RegressionData | ClassificationData:
    part = _table(value, f"{where}: the data")
    # the network tab takes either kind of points: labels say which
    kind = where if where in _DATA else ("classification" if "labels" in part else "regression")
    needed, optional, points = _DATA[kind]
    _known(part, needed + optional, f"{where} data")
    missing = [key for key in needed if key not in part]
    if missing:
        raise SessionError(f"{where}: the data have no {missing[0]}")
    return _build(where, lambda: points(**part))


def _optimizer(value: Any, where: str) -> OptimizerChoice:
    part = _table(value, f"{where}: optimizer")
    _known(part, tuple(_OPTIMIZER_KEYS), f"{where} optimizer")
    return _build(where, lambda: OptimizerChoice(**{_OPTIMIZER_KEYS[k]: v for k, v in part.items()}))


# ====================================================================== reading: schema 1 (migration)

#: the descent section's keys in schema 1, and in the schema-2 descent lab
_V1_DESCENT = {"shown": "racing", "settings": "optimizers", "schedule": "schedule",
               "schedule_value": "schedule_value", "start": "start"}


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """A first-release document as the schema-2 document meaning the same; keys it never had are ignored."""
    old = {key: _table(doc.get(key, {}), f"the session's {key} part")
           for key in ("regression", "classification", "compare", "descent")}
    new: dict[str, Any] = {"format": FORMAT, "schema_version": SCHEMA_VERSION,
                           **{key: doc[key] for key in ("tab", "lesson") if key in doc}}
    if old["regression"]:
        new["regression"] = _v1_section(old["regression"], regression_settings.LOSS_NAMES,
                                        ("w", "b", "reduction", "outlier", "outlier_base"))
        if old["regression"].get("outlier") is not None and old["regression"].get("outlier_base") is None:
            new["regression"].pop("outlier_base", None)
            base = _v1_outlier_base(old["regression"])
            if base is not None:
                new["regression"]["outlier_base"] = base
    if old["classification"]:
        new["classification"] = _v1_section(old["classification"], classification_settings.LOSS_NAMES, ("theta",))
        new["classification"]["theta"] = _v1_theta(old["classification"])
    new["outlier_lab"] = {k: v for k, v in old["compare"].items() if k in ("shown", "arrows") and v is not None}
    new["descent_lab"] = {_V1_DESCENT[k]: v for k, v in old["descent"].items() if k in _V1_DESCENT}
    return new


def _v1_section(part: dict[str, Any], losses: tuple[str, ...], kept: tuple[str, ...]) -> dict[str, Any]:
    """The keys both tabs shared in schema 1: data, preset and noise, loss, optimizer and learning rate."""
    preset = part.get("preset")
    source = {"preset": preset, "noise": None if preset is None else part.get("noise")}
    if "data" in part:
        source["data"] = part["data"]
    new = {key: part[key] for key in kept if key in part}
    new["source"] = source
    new["loss"] = part.get("loss")  # the first release always wrote one
    new["optimizer"] = {"settings": {"lr": part["lr"]} if "lr" in part else {}}
    if "optimizer" in part:
        new["optimizer"]["name"] = part["optimizer"]
    params = part.get("loss_params", {})
    # the first release saved every loss's parameters in both tabs: the other tab's are dropped
    new["loss_params"] = ({k: v for k, v in params.items() if k in losses or k not in LOSSES}
                          if isinstance(params, dict) else params)
    return new


def _v1_outlier_base(part: dict[str, Any]) -> Any:
    """The first release left out the base of an outlier that had not moved: the point's own y."""
    try:
        return part["data"]["y"][part["outlier"]]
    except (KeyError, IndexError, TypeError):
        return None  # the data or the outlier is refused when the document is read


def _v1_theta(part: dict[str, Any]) -> Any:
    """θ as the first release read it: one that does not fit the classifier started from zeros."""
    theta = part.get("theta", [])
    try:
        n = classification_settings.predictor_for(_data(part["data"], "classification"), part["loss"]).n_params
    except (SessionError, KeyError, TypeError):
        return theta  # the data or the loss is refused when the document is read
    return [] if isinstance(theta, list) and len(theta) != n else theta
