"""Saved sessions: a ``.lossdesk`` file is JSON holding both data sets and every setting.

The format has a schema version. Reading checks everything before anything is used —
a corrupt file, one from a newer lossdesk, or one with an invalid data set raises
``SessionError`` with a message that says what is wrong, and nothing changes.
No Qt here: the window turns a ``Session`` into state and back.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lossdesk import __version__
from lossdesk.lesson_text import load_lesson
from lossdesk.model import LOSSES, OPTIMIZERS, PRESETS, SCHEDULES, ClassificationData, DatasetError, RegressionData

FORMAT = "lossdesk-session"
SCHEMA_VERSION = 1
SUFFIX = ".lossdesk"
TABS = ("regression", "compare", "classification", "descent")


class SessionError(ValueError):
    """The session file cannot be used; the message says why."""


@dataclass
class Session:
    """Everything needed to put the app back as it was."""

    tab: str = "regression"
    regression: dict[str, Any] = field(default_factory=dict)
    classification: dict[str, Any] = field(default_factory=dict)
    compare: dict[str, Any] = field(default_factory=dict)
    descent: dict[str, Any] = field(default_factory=dict)
    lesson: int | None = None

    # ------------------------------------------------------------------ writing
    def to_json(self) -> str:
        doc = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "written_by": f"lossdesk {__version__}",
            "tab": self.tab,
            "regression": self.regression,
            "classification": self.classification,
            "compare": self.compare,
            "descent": self.descent,
            "lesson": self.lesson,
        }
        return json.dumps(doc, indent=1, allow_nan=False)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically: the old file is replaced only by a complete new one."""
        path = Path(path)
        text = self.to_json()
        fd, tmp = tempfile.mkstemp(prefix=".lossdesk-", suffix=SUFFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_json(cls, text: str) -> Session:
        try:
            doc = json.loads(text, parse_constant=_reject_constant)
        except _NotFinite as exc:
            raise SessionError(f"the session holds {exc}, which is not a number lossdesk can use") from None
        except json.JSONDecodeError as exc:
            raise SessionError(
                f"this is not a readable lossdesk session (broken JSON at line {exc.lineno}, column {exc.colno})"
            ) from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise SessionError("this file is not a lossdesk session")
        version = doc.get("schema_version")
        if not isinstance(version, int):
            raise SessionError("the session has no schema version")
        if version > SCHEMA_VERSION:
            raise SessionError(
                f"this session was saved by a newer lossdesk ({doc.get('written_by', 'unknown')}, format "
                f"{version}); this lossdesk {__version__} reads format {SCHEMA_VERSION}. Update lossdesk to open it."
            )
        tab = doc.get("tab", "regression")
        if tab not in TABS:
            raise SessionError(f"unknown tab {tab!r} in the session")
        session = cls(
            tab=tab,
            regression=_section(doc, "regression"),
            classification=_section(doc, "classification"),
            compare=_section(doc, "compare"),
            descent=_section(doc, "descent"),
            lesson=doc.get("lesson"),
        )
        session.validate()
        return session

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Session:
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SessionError(f"cannot read {path.name}: {exc.strerror or exc}") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SessionError(f"{path.name} is not a lossdesk session (it is not UTF-8 text)") from None
        return cls.from_json(text)

    def validate(self) -> None:
        """Check every part can be used, so applying it cannot fail half-way."""
        if self.regression:
            r = self.regression
            data = regression_data(r)
            _check_loss(r, "regression", ("regression",))
            _check_numbers(r, ("w", "b", "outlier_base"), "regression")
            _check_optimizer(r, "regression")
            _check_preset(r, "regression")
            if r.get("noise") is not None:
                _check_numbers(r, ("noise",), "regression")
            if r.get("reduction", "mean") not in ("mean", "sum", "none"):
                raise SessionError("regression: reduction must be mean, sum or none")
            outlier = r.get("outlier")
            if outlier is not None and not (isinstance(outlier, int) and 0 <= outlier < data.n):
                raise SessionError("regression: the outlier is not one of the points")
        if self.classification:
            c = self.classification
            classification_data(c)
            _check_loss(c, "classification", ("binary", "multiclass"))
            _check_optimizer(c, "classification")
            _check_preset(c, "classification")
            _number_list(c.get("theta", []), "classification: theta")
        if self.compare:
            _name_list(self.compare.get("shown", []), "compare: shown")
            if self.compare.get("arrows") is not None and not isinstance(self.compare["arrows"], str):
                raise SessionError("compare: arrows must name a loss")
        if self.descent:
            d = self.descent
            _name_list(d.get("shown", []), "descent: shown")
            settings = d.get("settings", {})
            if not isinstance(settings, dict) or not all(isinstance(v, dict) for v in settings.values()):
                raise SessionError("descent: settings are damaged")
            for name, values in settings.items():
                _check_numbers(values, tuple(values), f"descent: {name}")
            if d.get("schedule", "constant") not in SCHEDULES:
                raise SessionError(f"descent: unknown schedule {d.get('schedule')!r}")
            _check_numbers(d, ("schedule_value",), "descent")
            if "start" in d:
                _number_list(d["start"], "descent: start", length=2)
        if self.lesson is not None:
            count = len(load_lesson().steps)
            if not (isinstance(self.lesson, int) and 0 <= self.lesson < count):
                raise SessionError(f"lesson must be a step from 0 to {count - 1}")


def _section(doc: dict, key: str) -> dict[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, dict):
        raise SessionError(f"the session's {key} part is damaged")
    return value


def _check_loss(part: dict, where: str, tasks: tuple[str, ...]) -> None:
    loss = part.get("loss")
    if loss not in LOSSES or LOSSES[loss].task not in tasks:
        raise SessionError(f"{where}: {loss!r} is not one of the losses this part uses")
    params = part.get("loss_params", {})
    if not isinstance(params, dict):
        raise SessionError(f"{where}: loss_params is damaged")
    for name, values in params.items():
        if name not in LOSSES or not isinstance(values, dict):
            raise SessionError(f"{where}: unknown loss {name!r} in loss_params")
        try:
            LOSSES[name].resolve_params(values)
        except ValueError as exc:
            raise SessionError(f"{where}: {exc}") from None


def _check_optimizer(part: dict, where: str) -> None:
    if part.get("optimizer", "gd") not in OPTIMIZERS:
        raise SessionError(f"{where}: unknown optimizer {part.get('optimizer')!r}")
    lr = part.get("lr", 0.1)
    if not _finite(lr) or not lr > 0:
        raise SessionError(f"{where}: the learning rate must be a number greater than 0")


LARGEST = 1e12  # beyond this a number is a damaged file, not a setting


class _NotFinite(ValueError):
    pass


def _reject_constant(name: str):
    raise _NotFinite(name)


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= LARGEST


def _check_numbers(part: dict, keys: tuple[str, ...], where: str) -> None:
    for key in keys:
        if key in part and not _finite(part[key]):
            raise SessionError(f"{where}: {key} must be a number of reasonable size")


def _number_list(values: Any, where: str, length: int | None = None) -> None:
    if not isinstance(values, list) or not all(_finite(v) for v in values):
        raise SessionError(f"{where} must be a list of numbers")
    if length is not None and len(values) != length:
        raise SessionError(f"{where} must hold {length} numbers")


def _name_list(values: Any, where: str) -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SessionError(f"{where} must be a list of names")


def _check_preset(part: dict, where: str) -> None:
    preset = part.get("preset")
    if preset is not None and preset not in PRESETS:
        raise SessionError(f"{where}: unknown preset {preset!r}")


def regression_data(part: dict) -> RegressionData:
    data = part.get("data")
    if not isinstance(data, dict):
        raise SessionError("regression: the data set is missing")
    try:
        return RegressionData(data["x"], data["y"], name=str(data.get("name", "session")))
    except (KeyError, TypeError, DatasetError) as exc:
        raise SessionError(f"regression data: {exc}") from None


def classification_data(part: dict) -> ClassificationData:
    data = part.get("data")
    if not isinstance(data, dict):
        raise SessionError("classification: the data set is missing")
    try:
        return ClassificationData(data["x"], data["labels"], int(data.get("n_classes", 0)),
                                  name=str(data.get("name", "session")))
    except (KeyError, TypeError, ValueError) as exc:
        raise SessionError(f"classification data: {exc}") from None


def regression_data_json(data: RegressionData) -> dict[str, Any]:
    return {"name": data.name, "x": data.x.tolist(), "y": data.y.tolist()}


def classification_data_json(data: ClassificationData) -> dict[str, Any]:
    return {"name": data.name, "x": data.x.tolist(), "labels": data.labels.tolist(), "n_classes": data.n_classes}
