"""Data sets: immutable, validated values; seeded presets; CSV read and write.

* ``RegressionData``: x and y, one number each per point.
* ``ClassificationData``: features x of shape (n, 1) or (n, 2) and integer labels
  0 … K−1.

Values never change in place: editing methods return a new data set, so an undo
history can keep the old ones. Arrays are stored read-only.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ClassVar

import numpy as np

from lossdesk.model.files import read_bytes_checked, shorten, write_text_atomically


#: the most classes a classification data set may have (labels 0 … 9)
MAX_CLASSES = 10


class DatasetError(ValueError):
    """A data set or a data file is not valid; the message says where and why."""


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Dataset:
    name: str = field(default="untitled", kw_only=True)
    task: ClassVar[str] = ""

    @property
    def n(self) -> int:
        raise NotImplementedError

    @property
    def column_names(self) -> tuple[str, ...]:
        raise NotImplementedError

    def column(self, name: str) -> np.ndarray:
        raise NotImplementedError

    def with_value(self, row: int, column: str, value: float) -> Dataset:
        """A copy with one cell changed."""
        cols = {c: np.array(self.column(c), dtype=float) for c in self.column_names}
        self._check_row(row)
        cols[column][row] = value
        return self._rebuild(cols)

    def with_row(self, row: int, values: dict[str, float]) -> Dataset:
        """A copy with one point's values changed."""
        cols = {c: np.array(self.column(c), dtype=float) for c in self.column_names}
        self._check_row(row)
        for c, v in values.items():
            cols[c][row] = v
        return self._rebuild(cols)

    def with_added(self, values: dict[str, float], at: int | None = None) -> Dataset:
        """A copy with one more point (at the end, or before row ``at``)."""
        at = self.n if at is None else int(at)
        cols = {
            c: np.insert(np.asarray(self.column(c), dtype=float), at, float(values[c]))
            for c in self.column_names
        }
        return self._rebuild(cols)

    def without(self, row: int) -> Dataset:
        """A copy without one point; a data set keeps at least one point."""
        self._check_row(row)
        if self.n <= 1:
            raise DatasetError("a data set needs at least one point, so the last one stays")
        cols = {c: np.delete(np.asarray(self.column(c)), row) for c in self.column_names}
        return self._rebuild(cols)

    def row(self, row: int) -> dict[str, float]:
        self._check_row(row)
        return {c: float(self.column(c)[row]) for c in self.column_names}

    def _rebuild(self, columns: dict[str, Any]) -> Dataset:
        return self.from_columns(columns, name=self.name)

    def _check_row(self, row: int) -> None:
        if not 0 <= row < self.n:
            raise DatasetError(f"there is no point {row}; the data set has {self.n}")

    @classmethod
    def from_columns(cls, columns: dict[str, Any], name: str = "untitled") -> Dataset:
        raise NotImplementedError


#: larger values are refused: squared errors of such numbers overflow
LARGEST_VALUE = 1e12


def _check_numbers(values: Any, what: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise DatasetError(f"{what} must contain only numbers") from None
    if not np.all(np.isfinite(arr)):
        i = int(np.flatnonzero(~np.isfinite(arr).reshape(arr.shape[0], -1).all(axis=1))[0])
        raise DatasetError(f"{what} of point {i} is not a finite number (NaN or infinity)")
    if arr.size and np.abs(arr).max() > LARGEST_VALUE:
        i = int(np.flatnonzero((np.abs(arr) > LARGEST_VALUE).reshape(arr.shape[0], -1).any(axis=1))[0])
        raise DatasetError(f"{what} of point {i} is beyond ±{LARGEST_VALUE:g}, too large to work with")
    return arr


@dataclass(frozen=True)
class RegressionData(Dataset):
    """Points (x, y) for fitting a line ŷ = w·x + b. At least one point, all finite."""

    x: np.ndarray
    y: np.ndarray
    task: ClassVar[str] = "regression"

    def __post_init__(self) -> None:
        x = _check_numbers(self.x, "x").ravel()
        y = _check_numbers(self.y, "y").ravel()
        if x.size != y.size:
            raise DatasetError(f"x has {x.size} values but y has {y.size}")
        if x.size == 0:
            raise DatasetError("the data set is empty: it needs at least one point")
        object.__setattr__(self, "x", _frozen(x))
        object.__setattr__(self, "y", _frozen(y))

    @property
    def n(self) -> int:
        return int(self.x.size)

    @property
    def column_names(self) -> tuple[str, ...]:
        return ("x", "y")

    def column(self, name: str) -> np.ndarray:
        return {"x": self.x, "y": self.y}[name]

    @classmethod
    def from_columns(cls, columns: dict[str, Any], name: str = "untitled") -> RegressionData:
        return cls(columns["x"], columns["y"], name=name)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RegressionData)
            and np.array_equal(self.x, other.x)
            and np.array_equal(self.y, other.y)
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class ClassificationData(Dataset):
    """Features x (n, 1) or (n, 2) with integer labels 0 … K−1 (K = ``n_classes`` ≥ 2)."""

    x: np.ndarray
    labels: np.ndarray
    n_classes: int = 0  # 0: one more than the largest label, at least 2
    task: ClassVar[str] = "classification"

    def __post_init__(self) -> None:
        x = _check_numbers(self.x, "x")
        x = x[:, None] if x.ndim == 1 else x
        if x.ndim != 2 or x.shape[1] not in (1, 2):
            raise DatasetError("classification features must be one column (x) or two (x1, x2)")
        lab = _check_numbers(self.labels, "label").ravel()
        if lab.size != x.shape[0]:
            raise DatasetError(f"there are {x.shape[0]} points but {lab.size} labels")
        if lab.size == 0:
            raise DatasetError("the data set is empty: it needs at least one point")
        not_whole = lab != np.round(lab)
        if not_whole.any():
            i = int(np.flatnonzero(not_whole)[0])
            raise DatasetError(f"label of point {i} is {lab[i]:g}; labels are whole numbers 0, 1, 2, …")
        if (lab < 0).any():
            i = int(np.flatnonzero(lab < 0)[0])
            raise DatasetError(f"label of point {i} is {lab[i]:g}; labels start at 0")
        if lab.max() >= MAX_CLASSES:
            i = int(np.argmax(lab))
            raise DatasetError(
                f"label of point {i} is {lab[i]:g}; lossdesk handles up to {MAX_CLASSES} classes (labels 0 to "
                f"{MAX_CLASSES - 1})"
            )
        k = int(self.n_classes) or max(2, int(lab.max()) + 1)
        if (lab >= k).any():
            i = int(np.flatnonzero(lab >= k)[0])
            raise DatasetError(
                f"label of point {i} is {lab[i]:g}, but with {k} classes the labels are 0 to {k - 1}"
            )
        object.__setattr__(self, "x", _frozen(x))
        object.__setattr__(self, "labels", _frozen(lab.astype(np.int64)))
        object.__setattr__(self, "n_classes", k)

    @property
    def n(self) -> int:
        return int(self.labels.size)

    @property
    def n_features(self) -> int:
        return int(self.x.shape[1])

    @property
    def column_names(self) -> tuple[str, ...]:
        return ("x", "label") if self.n_features == 1 else ("x1", "x2", "label")

    def column(self, name: str) -> np.ndarray:
        if name == "label":
            return self.labels
        if self.n_features == 1 and name == "x":
            return self.x[:, 0]
        return self.x[:, {"x1": 0, "x2": 1}[name]]

    @classmethod
    def from_columns(
        cls, columns: dict[str, Any], name: str = "untitled", n_classes: int = 0
    ) -> ClassificationData:
        if "x1" in columns:
            x = np.column_stack([np.asarray(columns["x1"], float), np.asarray(columns["x2"], float)])
        else:
            x = np.asarray(columns["x"], float)
        return cls(x, columns["label"], n_classes, name=name)

    def _rebuild(self, columns: dict[str, Any]) -> ClassificationData:
        return ClassificationData.from_columns(columns, self.name, self.n_classes)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ClassificationData)
            and self.n_classes == other.n_classes
            and np.array_equal(self.x, other.x)
            and np.array_equal(self.labels, other.labels)
        )

    __hash__ = None  # type: ignore[assignment]


# ================================= presets ============================================


@dataclass(frozen=True)
class Preset:
    name: str
    task: str
    description: str
    default_noise: float
    make: Callable[[np.random.Generator, float], Dataset]


def _linear(rng: np.random.Generator, noise: float, name: str = "linear") -> RegressionData:
    x = np.sort(rng.uniform(-3.0, 3.0, 24))
    y = 1.5 * x + 0.5 + noise * rng.standard_normal(x.size)
    return RegressionData(np.round(x, 3), np.round(y, 3), name=name)


def _outliers(rng: np.random.Generator, noise: float) -> RegressionData:
    clean = _linear(rng, noise)
    x = np.append(clean.x, [2.4, 2.8])
    y = np.append(clean.y, [-6.0, -7.5])  # two points far below the trend
    return RegressionData(x, y, name="outliers")


def _heavy_tail(rng: np.random.Generator, noise: float) -> RegressionData:
    x = np.sort(rng.uniform(-3.0, 3.0, 40))
    y = 1.5 * x + 0.5 + noise * rng.standard_t(1.5, x.size)
    return RegressionData(np.round(x, 3), np.round(y, 3), name="heavy_tail")


def _binary_1d(rng: np.random.Generator, noise: float, name: str = "binary_1d") -> ClassificationData:
    x0 = rng.normal(-1.5, noise, 15)
    x1 = rng.normal(1.5, noise, 15)
    x = np.round(np.concatenate([x0, x1]), 3)
    labels = np.repeat([0, 1], 15)
    return ClassificationData(x, labels, 2, name=name)


def _mislabeled(rng: np.random.Generator, noise: float) -> ClassificationData:
    data = _binary_1d(rng, noise)
    x = np.append(data.x[:, 0], 3.0)  # far on the class-1 side, but labelled 0
    labels = np.append(data.labels, 0)
    return ClassificationData(x, labels, 2, name="mislabeled")


def _blobs(rng: np.random.Generator, noise: float, centres: list[tuple[float, float]],
           per_class: int, name: str) -> ClassificationData:
    xs, labels = [], []
    for k, c in enumerate(centres):
        xs.append(rng.normal(c, noise, (per_class, 2)))
        labels.append(np.full(per_class, k))
    return ClassificationData(np.round(np.vstack(xs), 3), np.concatenate(labels), len(centres), name=name)


def _polygon(k: int, radius: float = 2.0) -> list[tuple[float, float]]:
    angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    return [(radius * math.cos(a), radius * math.sin(a)) for a in angles]


def _xor(rng: np.random.Generator, noise: float) -> ClassificationData:
    """Four clusters on the corners of a square; class 1 where x1 and x2 differ in sign."""
    per_corner = 30
    corners = np.array([(-1.2, -1.2), (1.2, 1.2), (-1.2, 1.2), (1.2, -1.2)])
    x = np.repeat(corners, per_corner, axis=0) + noise * rng.standard_normal((4 * per_corner, 2))
    labels = np.repeat([0, 0, 1, 1], per_corner)
    return ClassificationData(np.round(x, 3), labels, 2, name="xor")


def _circles(rng: np.random.Generator, noise: float) -> ClassificationData:
    """A ring of radius 2 (class 0) around a ring of radius 1 (class 1), jittered by ``noise``."""
    per_class = 80
    angles = rng.uniform(0.0, 2 * np.pi, 2 * per_class)
    radius = np.repeat([2.0, 1.0], per_class)
    x = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])
    x += noise * rng.standard_normal(x.shape)
    return ClassificationData(np.round(x, 3), np.repeat([0, 1], per_class), 2, name="circles")


def _moons(rng: np.random.Generator, noise: float) -> ClassificationData:
    """Two interleaved half circles (scikit-learn's make_moons, centred and scaled by 1.6)."""
    per_class = 75
    t = rng.uniform(0.0, np.pi, 2 * per_class)
    upper = np.column_stack([np.cos(t[:per_class]), np.sin(t[:per_class])])
    lower = np.column_stack([1.0 - np.cos(t[per_class:]), 0.5 - np.sin(t[per_class:])])
    x = 1.6 * (np.vstack([upper, lower]) - [0.5, 0.25])
    x += noise * rng.standard_normal(x.shape)
    return ClassificationData(np.round(x, 3), np.repeat([0, 1], per_class), 2, name="moons")


def _spiral(rng: np.random.Generator, noise: float, k: int, per_class: int, name: str) -> ClassificationData:
    """k arms winding one full turn out from the centre, arm j starting at angle 2πj/k."""
    xs, labels = [], []
    for j in range(k):
        t = rng.uniform(0.0, 1.0, per_class)
        radius = 0.25 + 1.75 * t
        angle = 2 * np.pi * (j / k + t)
        xs.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
        labels.append(np.full(per_class, j))
    x = np.vstack(xs) + noise * rng.standard_normal((k * per_class, 2))
    return ClassificationData(np.round(x, 3), np.concatenate(labels), k, name=name)


def _wave(rng: np.random.Generator, noise: float) -> RegressionData:
    """y = 2·sin(1.3·x) plus Gaussian noise, x spread over [−3, 3]."""
    x = np.round(np.sort(rng.uniform(-3.0, 3.0, 100)), 3)  # the sine of the x stored
    y = 2.0 * np.sin(1.3 * x) + noise * rng.standard_normal(x.size)
    return RegressionData(x, np.round(y, 3), name="wave")


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("linear", "regression", "points scattered around a straight line", 0.6, _linear),
        Preset("outliers", "regression", "a clean line plus two points far below it", 0.6, _outliers),
        Preset("heavy_tail", "regression", "a line with heavy-tailed noise (many mild, a few wild errors)", 0.5, _heavy_tail),
        Preset("binary_1d", "classification", "two classes along one axis", 0.8, _binary_1d),
        Preset("mislabeled", "classification", "two classes along one axis and one point with the wrong label", 0.8, _mislabeled),
        Preset("binary_2d", "classification", "two classes in the plane", 0.8,
               lambda rng, s: _blobs(rng, s, [(-1.2, -1.0), (1.2, 1.0)], 20, "binary_2d")),
        Preset("overlapping", "classification", "two classes in the plane that overlap", 1.4,
               lambda rng, s: _blobs(rng, s, [(-0.8, -0.6), (0.8, 0.6)], 25, "overlapping")),
        Preset("three_classes", "classification", "three classes in the plane", 0.7,
               lambda rng, s: _blobs(rng, s, _polygon(3), 15, "three_classes")),
        Preset("five_classes", "classification", "five classes in the plane", 0.6,
               lambda rng, s: _blobs(rng, s, _polygon(5, 2.5), 12, "five_classes")),
        # shapes no straight boundary can split: the network tab's data
        Preset("xor", "classification", "four clusters where opposite corners share a class: no line splits them", 0.35, _xor),
        Preset("circles", "classification", "one ring of points inside another", 0.2, _circles),
        Preset("moons", "classification", "two half circles hooked into each other", 0.15, _moons),
        Preset("spiral", "classification", "two arms spiralling out from the centre", 0.1,
               lambda rng, s: _spiral(rng, s, 2, 100, "spiral")),
        Preset("spiral3", "classification", "three arms spiralling out from the centre", 0.1,
               lambda rng, s: _spiral(rng, s, 3, 80, "spiral3")),
        Preset("wave", "regression", "a sine wave with noise: no straight line follows it", 0.25, _wave),
    )
}

DEFAULT_PRESET = "outliers"


def make_preset(name: str, noise: float | None = None, seed: int = 0) -> Dataset:
    """The preset data set ``name``: the same points for the same noise and seed."""
    try:
        preset = PRESETS[name]
    except KeyError:
        raise DatasetError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
    level = preset.default_noise if noise is None else float(noise)
    if not (math.isfinite(level) and level >= 0):
        raise DatasetError(f"noise must be a number ≥ 0, not {noise!r}")
    level += 0.0  # -0.0 becomes 0.0: numpy refuses a scale with a minus sign ("scale < 0")
    return preset.make(np.random.default_rng(seed), level)


# ================================= CSV ================================================


def _name(source: str) -> str:
    return source if source == "the file" else Path(source).name


def parse_csv(text: str, source: str = "the file") -> Dataset:
    """Parse CSV text with a header row into a data set (see ``read_csv``)."""
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise DatasetError(f"{_name(source)} is not a CSV file lossdesk can read ({shorten(str(exc), 80)})") from None
    numbered = [(i + 1, row) for i, row in enumerate(lines) if any(cell.strip() for cell in row)]
    if not numbered:
        raise DatasetError(f"{source} is empty: it needs a header row (such as x,y) and data rows")
    header_line, header = numbered[0]
    names = [h.strip().lower() for h in header]
    dupes = {n for n in names if n and names.count(n) > 1}
    if dupes:
        raise DatasetError(f"line {header_line}: column {shorten(sorted(dupes)[0])!r} appears twice in the header")
    if "label" in names:
        wanted = ["x1", "x2", "label"] if {"x1", "x2"} <= set(names) else ["x", "label"]
        task = "classification"
    elif "y" in names or "x" in names:
        wanted = ["x", "y"]
        task = "regression"
    else:
        raise DatasetError(
            f"line {header_line}: the header needs the columns x,y (regression) or x,label / "
            f"x1,x2,label (classification); it has {shorten(', '.join(h.strip() for h in header)) or 'nothing'}"
        )
    missing = [w for w in wanted if w not in names]
    if missing:
        raise DatasetError(f"line {header_line}: the header has no column {missing[0]!r}")
    positions = {w: names.index(w) for w in wanted}
    columns: dict[str, list[float]] = {w: [] for w in wanted}
    for line_no, row in numbered[1:]:
        for col, pos in positions.items():
            if pos >= len(row) or not row[pos].strip():
                raise DatasetError(f"line {line_no}, column {col!r}: the value is missing")
            cell = row[pos].strip()
            try:
                value = float(cell)
            except ValueError:
                raise DatasetError(f"line {line_no}, column {col!r}: {shorten(cell)!r} is not a number") from None
            if not math.isfinite(value):
                raise DatasetError(f"line {line_no}, column {col!r}: {shorten(cell)} is not allowed; use a finite number")
            if col == "label" and (value != round(value) or value < 0 or value >= MAX_CLASSES):
                raise DatasetError(
                    f"line {line_no}, column 'label': {shorten(cell)} is not a class label "
                    f"(a whole number from 0 to {MAX_CLASSES - 1})"
                )
            columns[col].append(value)
    if not columns[wanted[0]]:
        raise DatasetError(f"{source} has a header but no data rows: the data set would be empty")
    name = shorten(Path(source).stem, 60) if source != "the file" else "untitled"
    if task == "regression":
        return RegressionData.from_columns(columns, name=name)
    return ClassificationData.from_columns(columns, name=name)


def read_csv(path: str | os.PathLike[str]) -> Dataset:
    """Read a CSV file: header row, then x,y (regression) or x,label / x1,x2,label.

    Column order is free and extra columns are ignored. Raises ``DatasetError`` naming
    the line and column of the first problem; nothing is returned half-read.
    """
    path = Path(path)
    try:
        raw = read_bytes_checked(path)
    except OSError as exc:
        raise DatasetError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise DatasetError(str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        where = f"line {line}"
        lines = raw.split(b"\n")
        header_no = next((i for i, row in enumerate(lines) if row.strip()), 0) + 1
        if line > header_no:  # a data cell: name its column, as every other error does
            try:
                header = next(csv.reader([lines[header_no - 1].decode("utf-8-sig", "replace")]), [])
            except csv.Error:  # a header csv cannot split (a bare carriage return): no column name
                header = []
            index = raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].count(b",")
            if index < len(header):
                where += f", column {shorten(header[index].strip().lower())!r}"
        raise DatasetError(
            f"{where}: {path.name} is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8 CSV and try again"
        ) from None
    return parse_csv(text, source=str(path))


def to_csv_text(data: Dataset) -> str:
    """CSV text that ``parse_csv`` reads back to an equal data set (floats by repr)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(data.column_names)
    cols = [data.column(c) for c in data.column_names]
    for i in range(data.n):
        writer.writerow([str(int(c[i])) if name == "label" else repr(float(c[i]))
                         for name, c in zip(data.column_names, cols)])
    return out.getvalue()


def write_csv(data: Dataset, path: str | os.PathLike[str]) -> None:
    """Write the data set as CSV; the old file is replaced only once the new one is complete."""
    write_text_atomically(path, to_csv_text(data))
