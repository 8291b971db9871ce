"""Everything the classification tab shows, as one frozen value.

``compute_classification(settings, run, cache, selected)`` is a pure function of the tab's
settings (duck-typed: ``data``, ``loss``, ``params``, ``theta``, ``surface_axes``,
``predictor()``, ``label_problem()``), the descent run in progress (or None), the point
the user selected, and a cache that only memoises. It holds:

* the snapshot: logits, probabilities, every point's loss, the cost (``classifier_snapshot``);
* the data view's model: P(class) along x for one feature, or a grid of class
  probabilities over the plane for two, with the decision boundary p = ½ for two classes;
* the loss against confidence: −log p against p (cross-entropy) or max(0, 1 − m) against
  the margin m = t·s (hinge), with every point placed on the curve;
* the cost surface over the two chosen parameters, the others held at θ;
* the descent path over those two parameters and the cost after each step;
* the same cost from clipped probabilities and from logits, and how many points the clip
  changed; the selected point's K probabilities;
* how the predictions spread per true class (``Spread``): over the probabilities for
  cross-entropy, over the margins m = t·s for a score loss (hinge). A score loss has no
  probabilities to show: ``shows_scores`` says so, the decision map then carries the raw
  score s (and the margin lines s = ±1), the selected point its two scores;
* why the loss cannot score these labels, when it cannot (then nothing else is computed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from lossdesk.model.classifier_snapshot import (
    ClassifierSnapshot,
    class_histogram,
    classifier_snapshot,
)
from lossdesk.model.contours import LinesMemo, SurfaceLines
from lossdesk.model.dataset import ClassificationData
from lossdesk.model.descent import DescentRun
from lossdesk.model.losses import LOSSES, PROBABILITY_EPS, sigmoid, softmax
from lossdesk.model.objective import Objective
from lossdesk.model.predictors import LinearPredictor
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.model.surface import parameter_surface

#: grid cells per side of the surface and of the probability map over the plane
SURFACE_SIZE = 64
GRID_SIZE = 96
CURVE_SAMPLES = 300
CONFIDENCE_SAMPLES = 400
#: the margins the hinge view spans, and the edges of their histogram's bins
MARGIN_RANGE = (-3.0, 3.0)
MARGIN_EDGES = np.linspace(*MARGIN_RANGE, 25)
MARGIN_EDGES.flags.writeable = False
#: the surface window is ± this, doubled until θ sits well inside it
SMALLEST_HALF_WIDTH = 4.0
INSIDE = 0.9


# ============================================================== the parts
@dataclass(frozen=True)
class DecisionMap:
    """What the classifier says over the data view's region.

    One feature: ``xs`` (S,) and ``curve`` (S, K), P(class k) along x. Two features:
    ``grid`` (G, G, K) with index [i, j] at (x₁ = linspace(x_range)[i], x₂ = linspace(y_range)[j]),
    and for two classes the boundary w₁x₁ + w₂x₂ + b = 0 across the region (empty if none).
    """

    n_features: int
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    xs: np.ndarray
    curve: np.ndarray
    grid: np.ndarray
    boundary_x: np.ndarray
    boundary_y: np.ndarray
    #: "probability" (cross-entropy), or "score" (hinge: the raw score s, no probabilities)
    kind: str = "probability"
    #: the score s along ``xs`` (one feature) or over the grid (G, G) (two), for ``kind`` "score"
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: where s = −1 and s = +1 cross the region (hinge's margin), as ((x, y), (x, y)) end points
    margin_lines: tuple = ()

    @property
    def n_classes(self) -> int:
        return int((self.curve if self.n_features == 1 else self.grid).shape[-1])


@dataclass(frozen=True)
class ConfidenceCurve:
    """The loss against what the model says about the true class, and each point on it.

    ``kind`` "log": x is the probability of the true class p, y = −log p. ``kind``
    "hinge": x is the margin m = t·s (t = ±1), clipped to ``MARGIN_RANGE``, y = max(0, 1 − m).
    """

    kind: str
    curve_x: np.ndarray
    curve_y: np.ndarray
    point_x: np.ndarray
    point_y: np.ndarray
    x_range: tuple[float, float]


@dataclass(frozen=True)
class Spread:
    """How the predictions spread over the points of each true class (a histogram per class).

    ``kind`` "p1": over P(class 1) (two classes); "p_true": over the probability of the
    true class (K classes); "margin": over the margin m = t·s (hinge, t = ±1), clipped to
    ``MARGIN_RANGE``. ``marks`` are x positions worth a guide line (½, or m = 0 and 1).
    """

    kind: str
    edges: np.ndarray
    counts: np.ndarray  # (K, bins)
    x_range: tuple[float, float]
    marks: tuple[float, ...]


@dataclass(frozen=True)
class BothWays:
    """The cost from clipped probabilities and from logits; ``clipped`` points differ."""

    from_probabilities: float
    from_logits: float
    clipped: int


@dataclass(frozen=True)
class ParameterSurface:
    """The cost over θ_i (horizontal) and θ_j (vertical), the other parameters at θ."""

    axes: tuple[int, int]
    labels: tuple[str, str]
    window: SurfaceWindow
    z: np.ndarray
    current: tuple[float, float]
    lines: SurfaceLines  # colour range and contour lines
    titles: tuple[str, str] = ("", "")  # the two parameters in plain words (``parameter_title``)


@dataclass(frozen=True)
class RunPath:
    """The descent over the surface's two parameters and the cost after each step.

    Without a run: one point (θ now) and the cost now, ``steps`` 0, ``status`` None.
    """

    points: np.ndarray  # (m, 2)
    costs: np.ndarray  # (m,)
    steps: int
    status: str | None
    message: str | None


@dataclass(frozen=True)
class SelectedPoint:
    """One point's numbers. For a score loss (hinge) ``probabilities`` is empty and
    ``scores`` holds each class's score (−s for class 0, s for class 1)."""

    row: int
    true_class: int
    probabilities: np.ndarray  # (K,); empty for a score loss
    p_true: float
    loss: float
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    margin: float = math.nan


@dataclass(frozen=True)
class LogitProbe:
    """softmax of K logits and the categorical cross-entropy of the true class."""

    logits: np.ndarray
    true_class: int
    probabilities: np.ndarray
    loss: float


@dataclass(frozen=True)
class ClassificationResults:
    data: ClassificationData
    loss: str
    theta: np.ndarray
    param_names: tuple[str, ...]
    region: tuple[tuple[float, float], tuple[float, float]]  # what the data view frames
    label_problem: str | None
    snapshot: ClassifierSnapshot | None
    decision: DecisionMap | None
    confidence: ConfidenceCurve | None
    both_ways: BothWays | None
    surface: ParameterSurface | None
    path: RunPath | None
    selected: SelectedPoint | None
    spread: Spread | None = None

    @property
    def n_classes(self) -> int:
        return int(self.data.n_classes)

    @property
    def shows_scores(self) -> bool:
        """A score loss (hinge): the views show scores and margins, never probabilities."""
        return shows_scores(self.loss)

    def __eq__(self, other: object) -> bool:
        """Equal when every number is: arrays element by element, parts field by field."""
        return isinstance(other, ClassificationResults) and same_values(self, other)

    __hash__ = None  # type: ignore[assignment]


def same_values(a: Any, b: Any) -> bool:
    """Deep equality of results: dataclasses field by field, arrays by value (NaN equals NaN)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if is_dataclass(a) and not isinstance(a, type):
        if type(a) is not type(b):
            return False
        if isinstance(a, ClassificationData):
            return a == b
        return all(same_values(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b))
    return bool(a == b)


# ============================================================== the cache
class ClassificationCache:
    """Memoises what does not depend on θ, and the last cost surface, nothing else.

    The objective and the data view's region depend on the data (and the loss); the
    surface over (θ_i, θ_j) on the objective, the window and the other parameters, not on
    θ_i and θ_j themselves. Keys hold the data set itself, so an ``id`` in a key is never
    reused while cached.
    """

    def __init__(self) -> None:
        self._objective_key: tuple | None = None
        self._objective: Objective | None = None
        self._surface_key: tuple | None = None
        self._surface: np.ndarray | None = None
        self._data: Any = None
        self._region_key: tuple | None = None
        self._region: tuple | None = None
        self._region_data: Any = None
        self.lines = LinesMemo()

    def region(self, data: ClassificationData, scores: bool) -> tuple[tuple[float, float], tuple[float, float]]:
        """``data_region(data, scores)``, computed once per data set."""
        key = (id(data), bool(scores))
        if key != self._region_key or self._region is None:
            self._region = data_region(data, scores)
            self._region_key, self._region_data = key, data  # the data kept: its id is not reused
        return self._region

    def objective(self, data: ClassificationData, loss: str, params: dict[str, float],
                  predictor: LinearPredictor) -> Objective:
        key = (id(data), loss, tuple(sorted(params.items())), predictor)
        if key != self._objective_key or self._objective is None:
            self._objective = Objective.create(loss, data.x, data.labels, predictor, **params)
            self._objective_key = key
            self._data = data
        return self._objective

    def surface(self, objective: Objective, theta: np.ndarray, i: int, j: int, window: SurfaceWindow) -> np.ndarray:
        others = np.delete(theta, [i, j])
        key = (id(objective), i, j, window, others.tobytes())
        if key != self._surface_key or self._surface is None:
            self._surface = parameter_surface(objective, theta, i, j, window.w_grid, window.b_grid)
            self._surface_key = key
            self._surface_objective = objective  # keeps the id in the key from being reused
        return self._surface


def objective_for(settings: Any, cache: ClassificationCache | None = None) -> Objective:
    """The cost the settings' classifier is scored by (what a descent run minimises)."""
    data, predictor = settings.data, settings.predictor()
    if cache is None:
        return Objective.create(settings.loss, data.x, data.labels, predictor, **settings.params)
    return cache.objective(data, settings.loss, settings.params, predictor)


# ============================================================== the pure function
def compute_classification(settings: Any, run: DescentRun | None = None,
                           cache: ClassificationCache | None = None,
                           selected: int | None = None,
                           hold_window: SurfaceWindow | None = None) -> ClassificationResults:
    """Every number the classification tab shows, from its settings and the run.

    ``selected`` is the row the user selected (None: none). ``hold_window`` keeps the
    surface's window while a gesture on it is in progress (as long as θ is inside it);
    otherwise the window follows from θ alone (``surface_window``).
    """
    cache = cache or ClassificationCache()
    data: ClassificationData = settings.data
    predictor = settings.predictor()
    theta = np.asarray(settings.theta, dtype=float)
    names = tuple(predictor.param_names)
    region = cache.region(data, shows_scores(settings.loss))
    problem = settings.label_problem()
    if problem is not None:
        return ClassificationResults(data, settings.loss, theta, names, region, problem,
                                     None, None, None, None, None, None, None, None)
    snap = classifier_snapshot(data, settings.loss, predictor, theta, settings.params)
    both = None
    if snap.cost_from_probabilities is not None and snap.cost_from_logits is not None:
        both = BothWays(snap.cost_from_probabilities, snap.cost_from_logits, snap.clipped)
    i, j = settings.surface_axes
    surface = None
    if i != j:
        window = hold_window if hold_window is not None and hold_window.contains(theta[i], theta[j]) \
            else surface_window(theta, i, j, run)
        z = cache.surface(objective_for(settings, cache), theta, i, j, window)
        surface = ParameterSurface((i, j), (names[i], names[j]), window, z, (float(theta[i]), float(theta[j])),
                                   cache.lines.lines(window, z),
                                   (parameter_title(names[i], short=True), parameter_title(names[j], short=True)))
    return ClassificationResults(
        data=data,
        loss=settings.loss,
        theta=theta,
        param_names=names,
        region=region,
        label_problem=None,
        snapshot=snap,
        decision=decision_map(data, predictor, theta, region, scores=shows_scores(settings.loss)),
        confidence=confidence_curve(settings.loss, snap),
        both_ways=both,
        surface=surface,
        path=run_path(snap, theta, (i, j), run),
        selected=selected_point(snap, selected, shows_scores(settings.loss)),
        spread=spread_of(settings.loss, snap),
    )


# ============================================================== pieces, each pure
#: the y span of the one-feature data view under a score loss: points at t = ±1, scores around them
SCORE_SPAN = (-2.4, 2.4)
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def shows_scores(loss: str) -> bool:
    """Whether ``loss`` scores raw outputs (hinge) rather than probabilities."""
    return LOSSES[loss].prediction == "score"


def parameter_title(name: str, short: bool = False) -> str:
    """A parameter name in plain words: "w1[0]" is the weight of x₁ for class 0, "b" the bias.

    ``short`` is for an axis label ("x₁ weight, class 0"); otherwise for a list of choices.
    """
    base, _, rest = name.partition("[")
    cls = rest.rstrip("]")
    if base in ("w", "b"):
        what = ("weight w" if base == "w" else "bias b") if not cls else ("weight" if base == "w" else "bias")
    else:
        feature = "x" + base[1:].translate(SUBSCRIPTS)
        what = f"{feature} weight" if short else f"weight of {feature}"
    if not cls:
        return what
    return f"{what}, class {cls}" if short else f"{what} for class {cls}"


def data_region(data: ClassificationData, scores: bool = False) -> tuple[tuple[float, float], tuple[float, float]]:
    """The rectangle the data view frames: the points with a margin (one feature: y spans the
    classes, 0 and 1, or for a score loss the labels t = ±1 and scores around them)."""
    x = data.x
    px = x[:, 0]
    padx = 0.15 * (float(np.ptp(px)) or 1.0)
    xr = (float(px.min()) - padx, float(px.max()) + padx)
    if data.n_features == 1:
        return xr, (SCORE_SPAN if scores else (-0.12, 1.12))
    py = x[:, 1]
    pady = 0.15 * (float(np.ptp(py)) or 1.0)
    return xr, (float(py.min()) - pady, float(py.max()) + pady)


def probabilities_of(predictor: LinearPredictor, theta: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Class probabilities (n, K) at feature rows ``points`` (n, d)."""
    z = predictor.raw(theta, points)
    if z.ndim == 1:
        p1 = sigmoid(z)
        return np.column_stack([1.0 - p1, p1])
    return softmax(z)


def decision_map(data: ClassificationData, predictor: LinearPredictor, theta: np.ndarray,
                 region: tuple[tuple[float, float], tuple[float, float]] | None = None,
                 curve_samples: int = CURVE_SAMPLES, grid_size: int = GRID_SIZE,
                 scores: bool = False) -> DecisionMap:
    """The classifier's probabilities over ``region`` (default: the data's region).

    ``scores`` (a score loss, one output): also the raw score s there, and the margin
    lines s = ±1; the view then draws scores, not probabilities.
    """
    xr, yr = region if region is not None else data_region(data, scores)
    empty = np.zeros(0)
    scores = scores and predictor.n_outputs == 1
    kind = "score" if scores else "probability"
    if data.n_features == 1:
        xs = np.linspace(*xr, curve_samples)
        s = predictor.raw(theta, xs[:, None]) if scores else empty
        return DecisionMap(1, xr, yr, xs, probabilities_of(predictor, theta, xs[:, None]),
                           np.zeros((0, 0, 0)), empty, empty, kind, s)
    flat = grid_points((float(xr[0]), float(xr[1])), (float(yr[0]), float(yr[1])), grid_size)
    grid = probabilities_of(predictor, theta, flat)
    grid = grid.reshape(grid_size, grid_size, -1)
    bx, by = boundary_line(theta, xr, yr) if predictor.n_outputs == 1 else (empty, empty)
    if not scores:
        return DecisionMap(2, xr, yr, np.zeros(0), np.zeros((0, 0)), grid, bx, by)
    s = predictor.raw(theta, flat).reshape(grid_size, grid_size)
    lines = []
    for level in (-1.0, 1.0):
        shifted = np.array(theta, dtype=float)
        shifted[2] -= level  # w·x + b = level  ⇔  w·x + (b − level) = 0
        lines.append(boundary_line(shifted, xr, yr))
    return DecisionMap(2, xr, yr, np.zeros(0), np.zeros((0, 0)), grid, bx, by, kind, s, tuple(lines))


@lru_cache(maxsize=8)
def grid_points(x_range: tuple[float, float], y_range: tuple[float, float], size: int) -> np.ndarray:
    """The (size², 2) cell centres of the probability map, row i·size + j at
    (linspace(x_range)[i], linspace(y_range)[j]); the same for every θ, so made once (read-only)."""
    gx, gy = np.linspace(*x_range, size), np.linspace(*y_range, size)
    xx, yy = np.meshgrid(gx, gy, indexing="ij")
    flat = np.column_stack([xx.ravel(), yy.ravel()])
    flat.flags.writeable = False
    return flat


def boundary_line(theta: np.ndarray, xr: tuple[float, float], yr: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Where w₁x₁ + w₂x₂ + b = 0 (p = ½) crosses the region, as two end points (empty: nowhere)."""
    w1, w2, b = (float(v) for v in theta[:3])
    if abs(w2) >= abs(w1) and w2 != 0:
        xs = np.array(xr, dtype=float)
        return xs, -(w1 * xs + b) / w2
    if w1 != 0:
        ys = np.array(yr, dtype=float)
        return -(w2 * ys + b) / w1, ys
    return np.zeros(0), np.zeros(0)


@lru_cache(maxsize=4)
def log_loss_curve(samples: int = CONFIDENCE_SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """−log p over p in [10⁻⁷, 1], dense near 0 where it climbs (made once, read-only)."""
    p = np.linspace(PROBABILITY_EPS, 1.0, samples) ** 3
    p = np.unique(np.concatenate([p, np.linspace(0.01, 1.0, 100)]))
    return _read_only(p), _read_only(-np.log(p))


@lru_cache(maxsize=4)
def hinge_curve(samples: int = CONFIDENCE_SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """max(0, 1 − m) over ``MARGIN_RANGE`` (made once, read-only)."""
    m = np.linspace(*MARGIN_RANGE, samples)
    return _read_only(m), _read_only(np.maximum(0.0, 1.0 - m))


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def confidence_curve(loss: str, snap: ClassifierSnapshot) -> ConfidenceCurve:
    if loss == "hinge":
        cx, cy = hinge_curve()
        return ConfidenceCurve("hinge", cx, cy, np.clip(snap.margins, *MARGIN_RANGE), snap.losses, MARGIN_RANGE)
    cx, cy = log_loss_curve()
    return ConfidenceCurve("log", cx, cy, snap.p_true, snap.losses, (0.0, 1.0))


def spread_of(loss: str, snap: ClassifierSnapshot) -> Spread:
    """The histogram the tab shows: probabilities for cross-entropy, margins for hinge."""
    if shows_scores(loss) and snap.probabilities.shape[1] == 2:
        edges = MARGIN_EDGES
        margins = np.clip(snap.margins, MARGIN_RANGE[0], MARGIN_RANGE[1])
        counts = class_histogram(margins, snap.labels, snap.histogram_counts.shape[0], edges)
        return Spread("margin", edges, counts, MARGIN_RANGE, (0.0, 1.0))
    binary = snap.probabilities.shape[1] == 2
    return Spread("p1" if binary else "p_true", snap.histogram_edges, snap.histogram_counts, (0.0, 1.0),
                  (0.5,) if binary else ())


def surface_window(theta: np.ndarray, i: int, j: int, run: DescentRun | None = None,
                   size: int = SURFACE_SIZE) -> SurfaceWindow:
    """A square window centred on 0 that holds θ_i, θ_j (and the run's path) well inside.

    Its half width is 4·2ᵏ, the smallest with everything within 90 % of the edge: it
    depends on where θ is, not on where it has been, and changes only in doublings.
    """
    reach = max(abs(float(theta[i])), abs(float(theta[j])))
    if run is not None and run.thetas:
        path = np.asarray(run.thetas)[:, [i, j]]
        reach = max(reach, float(np.abs(path).max()))
    half = SMALLEST_HALF_WIDTH
    if math.isfinite(reach):
        while reach > INSIDE * half and half < 1e12:
            half *= 2.0
    return SurfaceWindow((-half, half), (-half, half), size)


def run_path(snap: ClassifierSnapshot, theta: np.ndarray, axes: tuple[int, int],
             run: DescentRun | None) -> RunPath:
    i, j = axes
    if run is None:
        return RunPath(np.array([[theta[i], theta[j]]], dtype=float), np.array([snap.cost]), 0, None, None)
    thetas = np.asarray(run.thetas, dtype=float)
    return RunPath(thetas[:, [i, j]], np.asarray(run.costs, dtype=float), run.steps, run.status, run.message)


def selected_point(snap: ClassifierSnapshot, row: int | None, scores: bool = False) -> SelectedPoint | None:
    """The selected point's numbers (``scores``: a score loss, so scores and the margin too)."""
    if row is None or not 0 <= row < snap.n:
        return None
    true = int(snap.labels[row])
    point = SelectedPoint(row, true, snap.probabilities[row].copy(), float(snap.p_true[row]), float(snap.losses[row]))
    if scores and snap.logits.ndim == 1:
        z = float(snap.logits[row])
        point = SelectedPoint(row, true, np.zeros(0), math.nan, float(snap.losses[row]),
                              np.array([-z, z]), float(snap.margins[row]))
    return point


def logit_probe(logits: Any, true_class: int) -> LogitProbe:
    """Softmax of the logits and CCE from logits, log Σ e^z − z_y, for the true class y."""
    z = np.asarray(logits, dtype=float).ravel()
    if z.size < 2 or not 0 <= true_class < z.size:
        raise ValueError(f"the true class must be one of 0 to {z.size - 1}")
    p = softmax(z[None, :])[0]
    loss = float(LOSSES["cce_logits"]._value(np.array([true_class]), z[None, :])[0])
    return LogitProbe(z, int(true_class), p, loss)
