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
* why the loss cannot score these labels, when it cannot (then nothing else is computed);
* the penalty (issue 15): cost = mean loss + λ·P(w) on the weights (never the biases), its
  value at θ, the surface of the total cost (or, with ``parts``, the data cost and the
  penalty's own level lines), and the regularisation path over the surface's two
  parameters (the others held at θ) with the current λ's optimum (``SlicePath``);
* on request (``compare``), cross-entropy against squared error on p for the same data and
  logistic model: both cost surfaces over the same two parameters, and each loss's pull
  |dL/dz| against the probability of the true class with the points on it
  (``LossComparison``); ``wrong_start_race`` races the two from a confidently wrong start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from lossdesk.model.classifier_snapshot import (
    ClassifierSnapshot,
    class_histogram,
    classifier_snapshot,
)
from lossdesk.model.confidence import (
    RACE_LEARNING_RATE,
    GradientSizes,
    confidently_wrong_race,
    gradient_size_against_confidence,
)
from lossdesk.model.contours import LinesMemo, SurfaceLines, contour_path
from lossdesk.model.dataset import ClassificationData
from lossdesk.model.descent import DescentRun
from lossdesk.model.losses import LOSSES, PROBABILITY_EPS, sigmoid, softmax
from lossdesk.model.objective import Objective, penalty_coefficients, penalty_of_weights
from lossdesk.model.optimizers import make_optimizer
from lossdesk.model.predictors import LinearPredictor, Logistic
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.model.surface import parameter_penalty_surface, parameter_surface

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
#: the λ the regularisation path visits: the penalty slider's range, 10⁻⁴ to 10, in 41 steps
PATH_STRENGTHS = np.logspace(-4.0, 1.0, 41)
PATH_STRENGTHS.flags.writeable = False
#: an optimum over two parameters is found when a step moves it less than this (relative)
PATH_TOLERANCE = 1e-8
PATH_ITERATIONS = 2000
#: an optimum beyond this is off to infinity (separable points and a tiny λ): left out
PATH_REACH = 1e3
#: grid points per side of the penalty's level lines (odd: 0 is on it, so a diamond keeps its corners)
PENALTY_GRID = 129
#: the penalty's level lines drawn at these shares of the window's half width (and one through the optimum)
PENALTY_RADII = (0.2, 0.4, 0.6, 0.8)
#: cross-entropy against squared error on p ("Why cross-entropy"), on a coarser surface each
COMPARED = ("bce", "brier")
COMPARE_SIZE = 48
COMPARE_POINTS = 1000
#: the race from a confidently wrong start: steps run, how sure of the wrong class the start
#: is (the median |z| of the points), the small L2 penalty of the good fit it is made from,
#: and the share of points that fit must get right for the race to run on the tab's points
RACE_STEPS = 300
RACE_SHARPNESS = 5.0
RACE_FIT_STRENGTH = 1e-2
RACE_OWN_ACCURACY = 0.8


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
    "squared" (squared error on p): x is p again and y = (1 − p)², which is (p₁ − y)² of
    the probability p₁ of class 1 (p₁ = p for class 1, 1 − p for class 0), at most 1.
    ``kind`` "hinge": x is the margin m = t·s (t = ±1), clipped to ``MARGIN_RANGE``, y =
    max(0, 1 − m). ``y_top`` is the highest loss the kind can take (None: no limit).
    """

    kind: str
    curve_x: np.ndarray
    curve_y: np.ndarray
    point_x: np.ndarray
    point_y: np.ndarray
    x_range: tuple[float, float]
    y_top: float | None = None


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
    """The cost over θ_i (horizontal) and θ_j (vertical), the other parameters at θ.

    ``z`` is what is drawn, with its ``lines``: the total cost (mean loss + λ·P), or with
    ``parts`` the mean loss alone (``data_z``, None when it is ``z`` itself), the penalty's
    own level lines over it (``penalty_lines``, NaN-separated). ``penalty_note`` says in a
    few words how the penalty lies over these two parameters ("" without a penalty);
    ``path`` is the regularisation path over them (None: no penalty, none to draw, or not
    worked out yet) and ``path_note`` why there is none when there cannot be one.
    """

    axes: tuple[int, int]
    labels: tuple[str, str]
    window: SurfaceWindow
    z: np.ndarray
    current: tuple[float, float]
    lines: SurfaceLines  # colour range and contour lines
    titles: tuple[str, str] = ("", "")  # the two parameters in plain words (``parameter_title``)
    data_z: np.ndarray | None = None
    parts: bool = False
    penalty_lines: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
    penalty_note: str = ""
    path: SlicePath | None = None
    path_note: str = ""


@dataclass(frozen=True)
class SlicePath:
    """The regularisation path over the surface's two parameters, the others held at θ.

    For each λ of ``strengths`` (ascending) the (θ_i, θ_j) of lowest cost, mean loss +
    λ·P: ``points`` (m, 2). λ values whose optimum lies too far off to be found (a
    separable data set drives the weights off to infinity as λ → 0) are left out.
    ``current`` is the optimum at the current λ ``strength`` (None if it was not found, and
    at λ = 0, where on separable points there is none).
    """

    strengths: np.ndarray
    points: np.ndarray
    strength: float
    current: tuple[float, float] | None


@dataclass(frozen=True)
class LossComparison:
    """Cross-entropy against squared error on p, for the same data and logistic model.

    ``surfaces`` holds one cost surface per loss of ``COMPARED`` (the mean loss alone, over
    the main surface's two parameters and window, θ marked). ``gradients`` is each loss's
    pull |dL/dz| against the probability of the true class (``gradient_size_against_confidence``);
    ``point_p`` and ``point_sizes`` place the points on those curves (at most
    ``COMPARE_POINTS`` of them, evenly picked). ``problem`` says why there is nothing to
    compare (then the rest is empty).
    """

    problem: str | None
    losses: tuple[str, ...] = ()
    surfaces: tuple[ParameterSurface, ...] = ()
    gradients: GradientSizes | None = None
    point_p: np.ndarray = field(default_factory=lambda: np.zeros(0))
    point_sizes: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class WrongStartRace:
    """Cross-entropy against squared error on p, from one confidently wrong start.

    Both run plain gradient descent (η = ``RACE_LEARNING_RATE``) on the same points from
    the same start. ``own_points``: on the tab's points (``data``), started at a good fit
    turned round and sharpened, so that most points are confidently wrong; otherwise on
    the six points of ``confidence.RACE_X``. ``accuracy[loss][t]`` is the share of points
    classified right after step t, ``reached[loss]`` the first step at which it comes to
    ``target`` (the share a good fit gets right; None: not within the steps run).
    """

    own_points: bool
    data: ClassificationData | None
    start: np.ndarray
    start_p_true: float  # the mean probability of the true class at the start
    losses: tuple[str, ...]
    accuracy: dict[str, np.ndarray]
    target: float
    reached: dict[str, int | None]
    steps: int
    caption: str


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
    # ---- the penalty (issue 15): None without one chosen; the value is λ·P(w) at θ
    penalty: str | None = None
    strength: float = 0.0
    l1_ratio: float = 0.5
    penalty_value: float = 0.0
    comparison: LossComparison | None = None  # only when asked for (``compare``)

    @property
    def n_classes(self) -> int:
        return int(self.data.n_classes)

    @property
    def data_cost(self) -> float:
        """The mean loss (the cost without its penalty); NaN when the loss cannot score the labels."""
        return self.snapshot.cost if self.snapshot is not None else math.nan

    @property
    def cost(self) -> float:
        """The cost: the mean loss, plus λ·P(w) with a penalty."""
        return self.data_cost + self.penalty_value

    @property
    def penalty_bar(self) -> float | None:
        """The penalty's bar beside the points' losses: λ·P(w), or None without a penalty."""
        return self.penalty_value if self.penalty is not None else None

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
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_values(a[k], b[k]) for k in a)
    return bool(a == b)


# ============================================================== the cache
class ClassificationCache:
    """Memoises what does not depend on θ, and the last cost surfaces, nothing else.

    The objective and the data view's region depend on the data (and the loss); the
    surface over (θ_i, θ_j) on the objective, the window and the other parameters, not on
    θ_i and θ_j themselves; so do the penalty's surface, its level lines and the
    regularisation path (the path not on λ either). Keys hold the data set (or the
    objective) itself, so an ``id`` in a key is never reused while cached.
    """

    def __init__(self) -> None:
        self._objective_key: tuple | None = None
        self._objective: Objective | None = None
        self._penalised_key: tuple | None = None
        self._penalised: Objective | None = None
        self._surface_key: tuple | None = None
        self._surface: np.ndarray | None = None
        self._total_key: tuple | None = None
        self._total: np.ndarray | None = None
        self._levels_key: tuple | None = None
        self._levels: tuple[np.ndarray, np.ndarray] | None = None
        self._path_key: tuple | None = None
        self._path: SlicePath | None = None
        self._compared: dict[str, tuple[tuple, Any, Any]] = {}  # name -> (key, value, what the key refers to)
        self._data: Any = None
        self._region_key: tuple | None = None
        self._region: tuple | None = None
        self._region_data: Any = None
        self.lines = LinesMemo()
        self.data_lines = LinesMemo()
        self.compare_lines = {name: LinesMemo() for name in COMPARED}

    def region(self, data: ClassificationData, scores: bool) -> tuple[tuple[float, float], tuple[float, float]]:
        """``data_region(data, scores)``, computed once per data set."""
        key = (id(data), bool(scores))
        if key != self._region_key or self._region is None:
            self._region = data_region(data, scores)
            self._region_key, self._region_data = key, data  # the data kept: its id is not reused
        return self._region

    def objective(self, data: ClassificationData, loss: str, params: dict[str, float],
                  predictor: LinearPredictor) -> Objective:
        """The data's cost (the mean loss alone, no penalty)."""
        key = (id(data), loss, tuple(sorted(params.items())), predictor)
        if key != self._objective_key or self._objective is None:
            self._objective = Objective.create(loss, data.x, data.labels, predictor, **params)
            self._objective_key = key
            self._data = data
        return self._objective

    def penalised(self, objective: Objective, penalty: dict[str, Any] | None) -> Objective:
        """``objective`` with ``penalty`` (``Objective.create``'s arguments) added; itself without one."""
        if penalty is None:
            return objective
        key = (id(objective), tuple(sorted(penalty.items())))
        if key != self._penalised_key or self._penalised is None:
            self._penalised = replace(objective, **penalty)  # replace checks the penalty and finds the weights
            self._penalised_key, self._penalised_of = key, objective
        return self._penalised

    def surface(self, objective: Objective, theta: np.ndarray, i: int, j: int, window: SurfaceWindow) -> np.ndarray:
        """The mean loss over the window (the penalty is never in it: see ``total``)."""
        others = np.delete(theta, [i, j])
        key = (id(objective), i, j, window, others.tobytes())
        if key != self._surface_key or self._surface is None:
            self._surface = parameter_surface(objective, theta, i, j, window.w_grid, window.b_grid)
            self._surface_key = key
            self._surface_objective = objective  # keeps the id in the key from being reused
        return self._surface

    def total(self, data_z: np.ndarray, objective: Objective, theta: np.ndarray, i: int, j: int,
              window: SurfaceWindow) -> np.ndarray:
        """``data_z`` plus the penalised ``objective``'s λ·P over the same grid (the same
        array for the same inputs, so its contour lines are not worked out again)."""
        if not objective.penalised:
            return data_z
        others = np.delete(theta, [i, j])
        key = (id(data_z), id(objective), i, j, window, others.tobytes())
        if key != self._total_key or self._total is None:
            self._total = data_z + parameter_penalty_surface(objective, theta, i, j, window.w_grid, window.b_grid)
            self._total_key, self._total_of = key, (data_z, objective)
        return self._total

    def level_lines(self, objective: Objective, theta: np.ndarray, i: int, j: int, window: SurfaceWindow,
                    through: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray]:
        """``penalty_level_lines``, worked out once per objective, window, held parameters and ring."""
        others = np.delete(theta, [i, j])
        key = (id(objective), i, j, window, others.tobytes(), through)
        if key != self._levels_key or self._levels is None:
            self._levels = penalty_level_lines(objective, theta, i, j, window, through)
            self._levels_key, self._levels_of = key, objective
        return self._levels

    def slice_path(self, objective: Objective, theta: np.ndarray, i: int, j: int,
                   penalty: dict[str, Any]) -> SlicePath | None:
        """``slice_path`` for the penalty's kind and r at its λ (the path itself is reused
        while only λ changes: then only the current λ's optimum is worked out)."""
        key = path_key(objective, theta, i, j, penalty)
        strength = float(penalty["strength"])
        known = self._path if key == self._path_key else None
        if known is not None and known.strength == strength:
            return known
        self._path = slice_path(objective, theta, i, j, penalty["penalty"], penalty["l1_ratio"], strength, known)
        self._path_key, self._path_of = key, objective
        return self._path

    def compared(self, name: str, key: tuple, make, hold: Any = None) -> Any:
        """One memo per part of the comparison: ``make()`` when ``key`` changed. ``hold`` is
        kept with the value: what the key's ids refer to, so that no id is reused meanwhile."""
        known = self._compared.get(name)
        if known is not None and known[0] == key:
            return known[1]
        value = make()
        self._compared[name] = (key, value, hold)
        return value


def objective_for(settings: Any, cache: ClassificationCache | None = None) -> Objective:
    """The cost the settings' classifier is scored by, its penalty included (what a descent minimises)."""
    data, predictor = settings.data, settings.predictor()
    penalty = penalty_of(settings)
    if cache is None:
        return Objective.create(settings.loss, data.x, data.labels, predictor, **(penalty or {}), **settings.params)
    return cache.penalised(cache.objective(data, settings.loss, settings.params, predictor), penalty)


# ============================================================== the pure function
def compute_classification(settings: Any, run: DescentRun | None = None,
                           cache: ClassificationCache | None = None,
                           selected: int | None = None,
                           hold_window: SurfaceWindow | None = None,
                           parts: bool = False,
                           compare: bool = False) -> ClassificationResults:
    """Every number the classification tab shows, from its settings and the run.

    ``selected`` is the row the user selected (None: none). ``hold_window`` keeps the
    surface's window while a gesture on it is in progress (as long as θ is inside it);
    otherwise the window follows from θ alone (``surface_window``). ``parts``: the surface
    shows the mean loss with the penalty's level lines rather than their sum. ``compare``:
    also cross-entropy against squared error on p (``LossComparison``).
    """
    cache = cache or ClassificationCache()
    data: ClassificationData = settings.data
    predictor = settings.predictor()
    theta = np.asarray(settings.theta, dtype=float)
    names = tuple(predictor.param_names)
    region = cache.region(data, shows_scores(settings.loss))
    problem = settings.label_problem()
    penalty = penalty_of(settings)
    kind = penalty["penalty"] if penalty is not None else None
    lam = penalty["strength"] if penalty is not None else 0.0
    ratio = penalty["l1_ratio"] if penalty is not None else 0.5
    if problem is not None:
        return ClassificationResults(data, settings.loss, theta, names, region, problem,
                                     None, None, None, None, None, None, None, None,
                                     penalty=kind, strength=lam, l1_ratio=ratio)
    snap = classifier_snapshot(data, settings.loss, predictor, theta, settings.params)
    data_objective = cache.objective(data, settings.loss, settings.params, predictor)
    objective = cache.penalised(data_objective, penalty)
    penalty_value = objective.penalty_value(theta)
    both = None
    if snap.cost_from_probabilities is not None and snap.cost_from_logits is not None:
        both = BothWays(snap.cost_from_probabilities, snap.cost_from_logits, snap.clipped)
    i, j = settings.surface_axes
    surface = None
    if i != j:
        window = hold_window if hold_window is not None and hold_window.contains(theta[i], theta[j]) \
            else surface_window(theta, i, j, run)
        surface = cost_surface(cache, data_objective, objective, penalty, theta, (i, j), names, window, parts)
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
        path=run_path(snap, theta, (i, j), run, penalty_value),
        selected=selected_point(snap, selected, shows_scores(settings.loss)),
        spread=spread_of(settings.loss, snap),
        penalty=kind,
        strength=lam,
        l1_ratio=ratio,
        penalty_value=penalty_value,
        comparison=loss_comparison(settings, snap, surface, cache) if compare else None,
    )


def cost_surface(cache: ClassificationCache, data_objective: Objective, objective: Objective,
                 penalty: dict[str, Any] | None, theta: np.ndarray, axes: tuple[int, int],
                 names: tuple[str, ...], window: SurfaceWindow, parts: bool) -> ParameterSurface:
    """The cost over the two chosen parameters: the total, or (``parts``, with a penalty)
    the mean loss with the penalty's level lines; with the regularisation path over them."""
    i, j = axes
    data_z = cache.surface(data_objective, theta, i, j, window)
    titles = (parameter_title(names[i], short=True), parameter_title(names[j], short=True))
    current = (float(theta[i]), float(theta[j]))
    if penalty is None:
        return ParameterSurface((i, j), (names[i], names[j]), window, data_z, current,
                                cache.lines.lines(window, data_z), titles)
    weights = objective.penalised_entries() if objective.penalised else _weight_mask(objective.predictor)
    note = penalty_note(penalty["penalty"], names, weights, i, j)
    path_note = path_problem(objective.loss.name, weights, i, j)
    path = None if path_note else cache.slice_path(data_objective, theta, i, j, penalty)
    parts = bool(parts)
    if parts:
        z, lines = data_z, cache.data_lines.lines(window, data_z)
        through = path.current if path is not None else None
        level_lines = cache.level_lines(objective, theta, i, j, window, through) if objective.penalised \
            else (np.zeros(0), np.zeros(0))
    else:
        z = cache.total(data_z, objective, theta, i, j, window)
        lines, level_lines = cache.lines.lines(window, z), (np.zeros(0), np.zeros(0))
    return ParameterSurface((i, j), (names[i], names[j]), window, z, current, lines, titles,
                            data_z=None if z is data_z else data_z, parts=parts, penalty_lines=level_lines,
                            penalty_note=note, path=path, path_note=path_note)


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


@lru_cache(maxsize=4)
def squared_curve(samples: int = CONFIDENCE_SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """(1 − p)² over p in [0, 1]: squared error on p of a point whose true class gets p (made once)."""
    p = np.linspace(0.0, 1.0, samples)
    return _read_only(p), _read_only((1.0 - p) ** 2)


def confidence_curve(loss: str, snap: ClassifierSnapshot) -> ConfidenceCurve:
    """Each point's loss against what the model gives its true class, on the loss's own curve."""
    if loss == "hinge":
        cx, cy = hinge_curve()
        return ConfidenceCurve("hinge", cx, cy, np.clip(snap.margins, *MARGIN_RANGE), snap.losses, MARGIN_RANGE)
    if loss == "brier":
        cx, cy = squared_curve()
        return ConfidenceCurve("squared", cx, cy, snap.p_true, snap.losses, (0.0, 1.0), 1.0)
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
             run: DescentRun | None, penalty_value: float = 0.0) -> RunPath:
    """The run's path over the two axes and its costs (the run's objective carries the
    penalty); without a run, θ and the cost now (mean loss + ``penalty_value``)."""
    i, j = axes
    if run is None:
        return RunPath(np.array([[theta[i], theta[j]]], dtype=float), np.array([snap.cost + penalty_value]),
                       0, None, None)
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


# ============================================================== the penalty
PENALTY_SHAPES = {"l2": "circles", "l1": "diamonds", "elastic": "rounded diamonds"}


def penalty_of(settings: Any) -> dict[str, Any] | None:
    """The settings' penalty as ``Objective.create`` takes it, or None when none is chosen
    (a penalty chosen with λ = 0 is kept: it adds 0). r is kept for the elastic net only."""
    args = getattr(settings, "penalty_args", None)
    if not args or args.get("penalty") is None:
        return None
    kind = args["penalty"]
    return {"penalty": kind, "strength": float(args.get("strength", 0.0)),
            "l1_ratio": float(args.get("l1_ratio", 0.5)) if kind == "elastic" else 0.5}


def _weight_mask(predictor: Any) -> np.ndarray:
    mask_of = getattr(predictor, "weight_mask", None)
    return np.asarray(mask_of(), dtype=bool) if mask_of is not None else np.zeros(predictor.n_params, bool)


def penalty_note(kind: str, names: tuple[str, ...], weights: np.ndarray, i: int, j: int) -> str:
    """How the penalty lies over the surface's two parameters, in a few words."""
    wi, wj = bool(weights[i]), bool(weights[j])
    if wi and wj:
        return f"Both axes are weights: the penalty's level lines are {PENALTY_SHAPES[kind]} around 0."
    if wi or wj:
        bias = parameter_title(names[j if wi else i], short=True)
        return (f"The {bias} is never penalised: along it the penalty stays the same, "
                "so its level lines run straight across.")
    return "Both axes are biases, which are never penalised: the penalty adds the same everywhere here."


def path_problem(loss: str, weights: np.ndarray, i: int, j: int) -> str:
    """Why there is no regularisation path over these two parameters ("" when there is one)."""
    if not (weights[i] or weights[j]):
        return "λ does not move the optimum of two biases: no path to draw."
    if LOSSES[loss].prediction == "score":
        return "Hinge loss has a corner, so its λ path is not worked out here."
    return ""


def path_key(objective: Objective, theta: np.ndarray, i: int, j: int, penalty: dict[str, Any]) -> tuple:
    """What a regularisation path depends on: the data's objective, the axes, the held
    parameters, the penalty's kind and r (not λ)."""
    kind = penalty["penalty"]
    ratio = float(penalty.get("l1_ratio", 0.5)) if kind == "elastic" else 0.5
    return (id(objective), i, j, np.delete(np.asarray(theta, dtype=float), [i, j]).tobytes(), kind, ratio)


def slice_optimum(objective: Objective, theta: Any, i: int, j: int, l1: float, l2: float, start: Any,
                  tolerance: float = PATH_TOLERANCE, iterations: int = PATH_ITERATIONS) -> tuple[np.ndarray, bool]:
    """The (θ_i, θ_j) of lowest mean loss + l1·Σ|u| + l2·½Σu² over those of the two that are
    weights, the other parameters held at θ; and whether it was found.

    Proximal gradient descent: a gradient step on the smooth part (the mean loss and the
    L2 term), then the L1 term's soft threshold, which sets a weight to exactly 0; the
    step length from the last two gradients (Barzilai–Borwein), halved until the cost
    falls enough. ``objective`` is the data's own (no penalty). Stops when a step moves
    (θ_i, θ_j) less than ``tolerance`` (relative); not found after ``iterations`` steps,
    or once it runs off beyond ``PATH_REACH``.
    """
    th = np.array(theta, dtype=float)
    mask = _weight_mask(objective.predictor)[[i, j]].astype(float)
    threshold = l1 * mask

    def smooth(u: np.ndarray) -> tuple[float, np.ndarray]:
        th[i], th[j] = u
        cost, grad = objective.cost_and_gradient(th)
        g = np.array([grad[i], grad[j]]) + l2 * mask * u
        return cost + 0.5 * l2 * float(np.sum(mask * u * u)), g

    u = np.array(start, dtype=float)
    f, g = smooth(u)
    if not (math.isfinite(f) and np.all(np.isfinite(g))):
        return u, False
    t = 1.0
    for _ in range(iterations):
        while True:
            v = u - t * g
            nu = np.sign(v) * np.maximum(np.abs(v) - t * threshold, 0.0)
            d = nu - u
            nf, ng = smooth(nu)
            if math.isfinite(nf) and nf <= f + float(g @ d) + (0.5 / t) * float(d @ d) + 1e-15 * abs(f):
                break
            t *= 0.5
            if t < 1e-14:
                return u, False
        size = float(np.sqrt(d @ d))
        if size <= tolerance * (1.0 + float(np.sqrt(nu @ nu))):
            return nu, True
        if float(np.abs(nu).max()) > PATH_REACH:
            return nu, False
        dg = ng - g
        sy = float(d @ dg)
        t = min(max(float(d @ d) / sy, 1e-10), 1e10) if sy > 0 else 2.0 * t
        u, f, g = nu, nf, ng
    return u, False


def slice_path(objective: Objective, theta: Any, i: int, j: int, kind: str, l1_ratio: float = 0.5,
               strength: float = 0.0, known: SlicePath | None = None,
               strengths: np.ndarray = PATH_STRENGTHS) -> SlicePath:
    """The regularisation path over (θ_i, θ_j), the others held at θ, and the optimum at λ = ``strength``.

    Worked out from the largest λ down, each optimum starting from the last (the path is
    continuous, and squared error on p has more than one valley); it stops at the first λ
    whose optimum is not found. ``known`` (a path for the same data, axes, held parameters,
    kind and r) is reused: then only the optimum at ``strength`` is worked out.
    """
    theta = np.asarray(theta, dtype=float)
    weights = _weight_mask(objective.predictor)
    if known is not None:
        lams, points = known.strengths, known.points
    else:
        start = np.array([0.0 if weights[i] else theta[i], 0.0 if weights[j] else theta[j]])
        kept, found = [], []
        for lam in np.asarray(strengths, dtype=float)[::-1]:
            u, ok = slice_optimum(objective, theta, i, j, *penalty_coefficients(kind, lam, l1_ratio), start)
            if not ok:
                break
            kept.append(float(lam))
            found.append(u)
            start = u
        lams = _read_only(np.array(kept[::-1], dtype=float))
        points = _read_only(np.array(found[::-1], dtype=float).reshape(-1, 2))
    if lams.size:
        near = int(np.argmin(np.abs(np.log(lams) - math.log(strength)))) if strength > 0 else 0
        start = points[near]
    else:
        start = theta[[i, j]]
    if strength <= 0:  # no penalty: no ring (on separable points the optimum is off at infinity)
        return SlicePath(lams, points, float(strength), None)
    u, ok = slice_optimum(objective, theta, i, j, *penalty_coefficients(kind, strength, l1_ratio), start)
    return SlicePath(lams, points, float(strength), (float(u[0]), float(u[1])) if ok else None)


def penalty_level_lines(objective: Objective, theta: Any, i: int, j: int, window: SurfaceWindow,
                        through: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The penalised ``objective``'s level lines {λ·P = h} over the window, NaN-separated (x, y).

    They are the contours of ``parameter_penalty_surface`` on a fine grid, so they show what
    is true whatever the two axes are: circles (L2) or diamonds (L1) around 0 over two
    weights, straight lines across a bias (the penalty does not change along it), none over
    two biases. One level for each share of ``PENALTY_RADII`` of the window's half width,
    and one through ``through`` (the optimum at this λ: there the data cost's contour just
    touches the penalty's).
    """
    weights = objective.penalised_entries()
    if not objective.penalised or not (weights[i] or weights[j]):
        return np.zeros(0), np.zeros(0)
    gi = np.linspace(*window.w_range, PENALTY_GRID)
    gj = np.linspace(*window.b_range, PENALTY_GRID)
    z = parameter_penalty_surface(objective, theta, i, j, gi, gj)
    held = np.array(theta, dtype=float)
    held[i] = held[j] = 0.0
    base = objective.penalty_value(held)  # the held weights' share: the same everywhere here
    args = (objective.penalty, objective.strength, objective.l1_ratio)
    half = min(window.w_range[1] - window.w_range[0], window.b_range[1] - window.b_range[0]) / 2
    levels = [base + float(penalty_of_weights(np.array([r * half]), *args)[0]) for r in PENALTY_RADII]
    if through is not None:
        at = np.array([through[0] if weights[i] else 0.0, through[1] if weights[j] else 0.0])
        level = base + float(penalty_of_weights(at, *args).sum())
        if level > base * (1 + 1e-12) + 1e-15:
            levels.append(level)
    return contour_path(gi, gj, z, np.unique(np.array(levels)))


# ============================================================== cross-entropy against squared error on p
def _picked(n: int, most: int) -> np.ndarray:
    """Up to ``most`` of n indices, evenly spread (all of them when n ≤ most)."""
    return np.arange(n) if n <= most else np.unique(np.linspace(0, n - 1, most).astype(np.intp))


def comparison_problem(settings: Any) -> str | None:
    """Why the comparison cannot be drawn for these settings (None: it can)."""
    k = settings.data.n_classes
    if k != 2:
        return (f"Cross-entropy and squared error on p are compared here for two classes; "
                f"these points have {k}. Load a data set of two classes to see them side by side.")
    if LOSSES[settings.loss].task != "binary":
        return ("The comparison uses the logistic model of the two-class losses: choose binary "
                "cross-entropy, or squared error on p, in the Loss list.")
    return None


def loss_comparison(settings: Any, snap: ClassifierSnapshot, surface: ParameterSurface | None,
                    cache: ClassificationCache) -> LossComparison:
    """Cross-entropy against squared error on p for the settings' data and logistic model at θ."""
    problem = comparison_problem(settings)
    if problem is not None:
        return LossComparison(problem)
    data, predictor = settings.data, settings.predictor()
    theta = np.asarray(settings.theta, dtype=float)
    gradients = cache.compared("gradients", (), lambda: gradient_size_against_confidence(COMPARED))
    rows = _picked(snap.n, COMPARE_POINTS)
    q = np.clip(snap.p_true[rows], PROBABILITY_EPS, 1.0 - PROBABILITY_EPS)  # the curve's domain is (0, 1)
    sizes = gradient_size_against_confidence(COMPARED, q).sizes
    surfaces = []
    if surface is not None:
        i, j = surface.axes
        w = surface.window
        window = SurfaceWindow(w.w_range, w.b_range, COMPARE_SIZE)
        others = np.delete(theta, [i, j]).tobytes()
        for name in COMPARED:
            objective = cache.compared(f"objective {name}", (id(data), predictor), lambda name=name: Objective.create(
                name, data.x, data.labels, predictor), hold=data)
            z = cache.compared(f"surface {name}", (id(objective), i, j, window, others), lambda o=objective: (
                parameter_surface(o, theta, i, j, window.w_grid, window.b_grid)), hold=objective)
            surfaces.append(ParameterSurface(surface.axes, surface.labels, window, z, surface.current,
                                             cache.compare_lines[name].lines(window, z), surface.titles))
    return LossComparison(None, COMPARED, tuple(surfaces), gradients, q, sizes)


def _logistic_fit(x: np.ndarray, y: np.ndarray, strength: float = RACE_FIT_STRENGTH, steps: int = 30) -> np.ndarray:
    """A good logistic fit θ = (w…, b): Newton's method on BCE + strength·½‖w‖² (the small
    penalty keeps it finite on separable points), each step halved until the cost falls."""
    objective = Objective.create("bce_logits", x, y, Logistic(x.shape[1]), penalty="l2", strength=strength)
    xb = np.column_stack([objective.x, np.ones(objective.n)])
    ridge = strength * _weight_mask(objective.predictor)
    theta = np.zeros(xb.shape[1])
    cost, grad = objective.cost_and_gradient(theta)
    for _ in range(steps):
        p = sigmoid(xb @ theta)
        hessian = (xb * (p * (1.0 - p))[:, None]).T @ xb / objective.n + np.diag(ridge + 1e-12)
        step = np.linalg.solve(hessian, grad)
        t = 1.0
        while t > 1e-6:
            trial = theta - t * step
            new_cost, new_grad = objective.cost_and_gradient(trial)
            if new_cost <= cost:
                break
            t *= 0.5
        else:
            break
        theta, cost, grad = trial, new_cost, new_grad
        if float(np.abs(grad).max()) < 1e-10:
            break
    return theta


def wrong_start(data: ClassificationData) -> tuple[np.ndarray, float] | None:
    """A start for the race on ``data`` (two classes): a good fit turned round and sharpened
    so that the median point sits at |z| = ``RACE_SHARPNESS`` on the wrong side, and the share
    of points the fit gets right. None when no line gets most points right (XOR, rings): a
    start cannot then be confidently wrong about most of them."""
    if data.n_classes != 2 or data.n < 2:
        return None
    y = data.labels.astype(float)
    theta = _logistic_fit(data.x, y)
    z = Logistic(data.n_features).raw(theta, data.x)
    accuracy = float(np.mean((z > 0) == (y > 0.5)))
    spread = float(np.median(np.abs(z)))
    if not (np.all(np.isfinite(theta)) and accuracy >= RACE_OWN_ACCURACY and spread > 1e-9):
        return None
    return -(RACE_SHARPNESS / spread) * theta, accuracy


def race_learning_rate(x: np.ndarray) -> float:
    """Plain gradient descent's η: ``RACE_LEARNING_RATE``, smaller where the points' scale
    would make it unstable (η ≤ 1/L, L = ¼·the largest eigenvalue of XᵀX/n, BCE's steepest curvature)."""
    xb = np.column_stack([np.asarray(x, dtype=float).reshape(len(x), -1), np.ones(len(x))])
    top = float(np.linalg.eigvalsh(xb.T @ xb / xb.shape[0]).max())
    return min(RACE_LEARNING_RATE, 4.0 / top) if top > 0 else RACE_LEARNING_RATE


def wrong_start_race(data: ClassificationData | None = None, steps: int = RACE_STEPS) -> WrongStartRace:
    """Race cross-entropy against squared error on p from one confidently wrong start.

    On ``data``'s points when a line gets most of them right (``wrong_start``); otherwise,
    or without data, on the six points and the start of ``confidence.RACE_X``.
    """
    made = wrong_start(data) if data is not None else None
    if made is None:
        race = confidently_wrong_race(losses=COMPARED, max_steps=steps)
        start, target = race.runs[COMPARED[0]].thetas[0], 1.0
    else:
        start, target = made
        race = confidently_wrong_race(data.x, data.labels.astype(float), COMPARED, start,
                                      make_optimizer("gd", lr=race_learning_rate(data.x)), steps)
    level = target - 1e-9  # a share of points, computed the same way: no rounding may stop it
    reached = {name: race.steps_to_accuracy(name, level) for name in COMPARED}
    p0 = float(race.p_true[COMPARED[0]][0])
    return WrongStartRace(made is not None, data if made is not None else None, np.asarray(start, dtype=float),
                          p0, COMPARED, {k: np.asarray(v) for k, v in race.accuracy.items()}, target, reached,
                          steps, race_caption(made is not None, p0, target, reached, steps))


def race_caption(own: bool, p_true: float, target: float, reached: dict[str, int | None], steps: int) -> str:
    """One line: how soon each loss gets the points right from the same wrong start."""
    def took(k: int | None) -> str:
        return f"not within {steps}" if k is None else f"in {k}"

    where = "From" if own else "On six points of its own (no line is sure and wrong about most of yours), from"
    return (f"{where} p(true class) ≈ {100 * p_true:.1f}\u00a0%, cross-entropy gets {100 * target:.0f}\u00a0% "
            f"right {took(reached['bce'])} steps, squared error on p {took(reached['brier'])}.")
