"""Everything the network tab shows, as frozen values computed by pure functions.

``compute_network(settings, run, cache, selected, landscape)`` is a pure function of the
tab's settings (duck-typed: ``data``, ``loss``, ``params``, ``theta``, ``seed``,
``test_fraction``, ``reduction``, ``view``, ``predictor()``, ``label_problem()``), the
training run in progress (a ``TrainingRun``, or None), the selected point and the last
landscape slice; the cache only memoises. It holds:

* the train/test split (seeded by the settings' seed), every point's prediction and loss,
  the training cost (and sum) and the held-out cost. With a penalty (the settings'
  ``penalty_args``) the training cost is the mean loss plus λ·P(W), the weights only; the
  held-out cost is the mean loss alone, the data cost, since it measures how well the
  network predicts points it has not seen, not how large its weights are;
* the data view's model: class probabilities over a 100 × 100 grid with the decision
  boundary p = ½ (two features), P(class) along x (one), or the fitted curve ŷ(x) for
  x,y points;
* the network drawn: neurons and connections, each connection's weight, or in the
  backward view its dC/dw and each neuron's dC/dz — for a selected point its own values,
  δ and share of every gradient;
* per step of the run: the training cost, the held-out cost and ‖dC/dW_l‖ of every layer.

``compute_landscape(settings, run, size)`` is the slow part, meant for a worker thread:
the training cost (penalty included) over a plane through θ (Li et al. 2018) — two random
filter-normalised directions, or the run's PCA plane — with its contour lines and the
path projected.

``compute_race(settings)`` races binary cross-entropy against squared error on the
probability (Brier): the same network, from one confidently wrong start, by the same plain
gradient descent; for a worker thread too.

``start_training(settings)`` builds the ``TrainingRun`` the tab advances: a descent on the
training points that records, step by step, what the curves need, in bounded memory.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from lossdesk.model.classifier_snapshot import ClassifierSnapshot, classifier_snapshot
from lossdesk.model.confidence import (
    RACE_LEARNING_RATE,
    ConfidentlyWrongRace,
    confidently_wrong_race,
)
from lossdesk.model.contours import SurfaceLines, contour_path, surface_lines
from lossdesk.model.dataset import ClassificationData, RegressionData
from lossdesk.model.descent import DescentRun, run_descent
from lossdesk.model.landscape import (
    plane_surface,
    project,
    random_directions,
    trajectory_directions,
)
from lossdesk.model.losses import LOSSES
from lossdesk.model.network import MLP, output_gradients
from lossdesk.model.objective import Objective
from lossdesk.model.optimizers import Optimizer, OptimizerState, make_optimizer
from lossdesk.model.results.classification import (
    DecisionMap,
    data_region,
    probabilities_of,
    shows_scores,
)
from lossdesk.model.results.runs import MAX_RUN_STEPS
from lossdesk.model.schedules import SCHEDULES, Schedule, make_schedule
from lossdesk.model.snapshot import SurfaceWindow

__all__ = [
    "GRID_SIZE",
    "LANDSCAPE_SIZE",
    "FittedCurve",
    "Landscape",
    "LandscapeMarks",
    "LossCurves",
    "NetworkCache",
    "NetworkDrawing",
    "NetworkRace",
    "NetworkResults",
    "PenaltyTerm",
    "PointLosses",
    "SelectedExample",
    "TrainingRun",
    "compute_landscape",
    "compute_network",
    "compute_race",
    "confidently_wrong_start",
    "penalty_plane",
    "penalty_term",
    "race_basis",
    "race_fits",
    "race_network",
    "split_rows",
    "start_training",
]

#: cells per side of the decision map over the plane
GRID_SIZE = 100
CURVE_SAMPLES = 300
#: grid points per side of a landscape slice
LANDSCAPE_SIZE = 41
#: the descent's convergence test (gradient norm relative to 1 + |C|): a network rarely
#: gets there, so a run usually goes on until paused
GRADIENT_TOL = 1e-8
#: the path kept for the landscape holds at most this many numbers (steps × parameters);
#: beyond it every other step is dropped, so memory stays bounded on a long run
PATH_NUMBERS = 4_000_000
#: neurons drawn with their value written beside them only in layers this narrow
LABELLED_WIDTH = 12
#: random filter-normalised directions span α, β in [−1, 1] (each filter moved by its own norm)
RANDOM_SPAN = 1.0


# ============================================================== the split
def split_rows(n: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, held-out rows), both sorted: the round(fraction·n) rows with the
    smallest seeded random keys are held out (at least one row is kept for training).

    Row i's key is the i-th number of the seed's stream, so adding a point at the end
    changes at most one row's side, and the same seed always holds out the same rows.
    """
    n = int(n)
    k = min(round(float(fraction) * n), max(n - 1, 0))
    if k <= 0:
        return np.arange(n), np.zeros(0, dtype=int)
    keys = np.random.default_rng([int(seed), 7]).random(n)
    held = np.sort(np.argsort(keys, kind="stable")[:k])
    mask = np.ones(n, dtype=bool)
    mask[held] = False
    return np.flatnonzero(mask), held


# ============================================================== training
@dataclass(frozen=True)
class MiniBatches:
    """Any optimizer, fed the gradient of a seeded mini-batch each step (a shuffle per epoch).

    It wraps the optimizer's step unchanged; only the rows each gradient uses differ.
    """

    inner: Optimizer
    batch_size: int
    seed: int = 0

    @property
    def lr(self) -> float:
        return self.inner.lr

    def init(self, theta: np.ndarray) -> OptimizerState:
        return self.inner.init(theta)

    def step(self, theta, grad, state, lr=None):
        return self.inner.step(theta, grad, state, lr=lr)

    def batch_rows(self, state: OptimizerState, n: int) -> np.ndarray | None:
        size = min(int(self.batch_size), n)
        if size >= n:
            return None
        per_epoch = -(-n // size)
        epoch, k = divmod(state.t, per_epoch)
        order = np.random.default_rng([int(self.seed), epoch]).permutation(n)
        return order[k * size:(k + 1) * size]


def build_schedule(settings: Any) -> Schedule | None:
    """The learning-rate schedule of the settings (None: constant)."""
    name = getattr(settings, "schedule", "constant")
    spec = SCHEDULES[name].setting
    if spec is None:
        return None
    value = spec.default if settings.schedule_value is None else settings.schedule_value
    return make_schedule(name, **{spec.key: int(value) if spec.whole else float(value)})


class _Rows:
    """Rows appended one at a time into a buffer that doubles as it fills.

    ``view()`` is the filled part; rows once written never change (a buffer that grows
    or is thinned is a new array), so a view handed out stays a frozen value.
    """

    def __init__(self, width: int | None = None) -> None:
        self.width = width
        self.n = 0
        shape = (16,) if width is None else (16, width)
        self._buf = np.empty(shape)

    def append(self, row: Any) -> None:
        if self.n == self._buf.shape[0]:
            grown = np.empty((2 * self.n,) + self._buf.shape[1:])
            grown[: self.n] = self._buf
            self._buf = grown
        self._buf[self.n] = row
        self.n += 1

    def view(self) -> np.ndarray:
        out = self._buf[: self.n]
        out.flags.writeable = False
        return out

    def last(self) -> Any:
        return self._buf[self.n - 1]

    def keep_every_other(self) -> None:
        """Rows 0, 2, 4, … kept (into a new buffer), the others dropped."""
        kept = self._buf[: self.n : 2].copy()
        self._buf = np.empty((max(16, 2 * kept.shape[0]),) + self._buf.shape[1:])
        self._buf[: kept.shape[0]] = kept
        self.n = kept.shape[0]

    def cut(self, n: int) -> None:
        """Only the first n rows (nothing is appended after a cut: the run has ended)."""
        self.n = min(self.n, int(n))


class TrainingRun:
    """A descent on the training points that records what the network's curves need.

    Per step: the training cost (the objective's, on the training points, penalty
    included), its data part (the mean loss alone), the held-out cost (NaN without
    held-out points; never penalised) and ‖dC/dW_l‖ of every layer, from the full training
    gradient (the penalty's part included). The parameters along the way are kept for the landscape's path —
    every step while steps × parameters ≤ ``PATH_NUMBERS``, then every other one, and so
    on — and the descent itself keeps only its last step, so a long run of a big network
    stays within a few tens of megabytes.
    """

    def __init__(self, net: MLP, objective: Objective, test_objective: Objective | None,
                 optimizer: Any, theta0: np.ndarray, schedule: Schedule | None = None) -> None:
        self.net = net
        self.objective = objective
        self.test_objective = test_objective
        self.descent = DescentRun(objective, optimizer, np.asarray(theta0, dtype=float), schedule,
                                  gradient_tol=GRADIENT_TOL)
        self.start = np.asarray(theta0, dtype=float).copy()
        self._train = _Rows()
        self._train_data = _Rows()
        self._test = _Rows()
        self._norms = _Rows(net.n_layers)
        self._path = _Rows(net.n_params)
        self._path_steps = _Rows()
        self._stride = 1
        self._max_rows = max(64, PATH_NUMBERS // max(net.n_params, 1))
        self.diverged_at: int | None = self.descent.diverged_at
        self._recorded = -1
        self._record_new()

    # ------------------------------------------------------------------ state
    @property
    def status(self) -> str:
        return self.descent.status

    @property
    def running(self) -> bool:
        return self.descent.running

    @property
    def steps(self) -> int:
        return self._train.n - 1

    @property
    def theta(self) -> np.ndarray:
        return self.descent.theta

    @property
    def message(self) -> str:
        return self.descent.message

    @property
    def train_costs(self) -> np.ndarray:
        return self._train.view()

    @property
    def train_data_costs(self) -> np.ndarray:
        """The training cost's data part, the mean loss (the training cost without a penalty)."""
        return self._train_data.view()

    @property
    def test_costs(self) -> np.ndarray:
        return self._test.view()

    @property
    def layer_norms(self) -> np.ndarray:
        """(steps + 1, layers): ‖dC/dW_l‖ after each step."""
        return self._norms.view()

    @property
    def path(self) -> np.ndarray:
        """(m, P): the parameters at ``path_steps`` (every step of a short run)."""
        return self._path.view()

    @property
    def path_steps(self) -> np.ndarray:
        return self._path_steps.view().astype(int)

    # ------------------------------------------------------------------ moving on
    def advance(self, k: int, limit: float = math.inf, max_steps: int = MAX_RUN_STEPS) -> str:
        """Take up to k steps and record them; return the status.

        A run reaching ``max_steps`` stops as "max_steps"; a parameter beyond ±``limit``
        (more than a setting may hold) ends it "diverged" at that step, θ at the last good one.
        """
        run = self.descent
        if run.status == "diverged":
            return run.status
        k = max(0, min(int(k), max_steps - self.steps))
        for _ in range(k):
            before = len(run.costs)
            status = run.step()
            if len(run.costs) > before:  # a step was taken (also the one that converged)
                if not np.all(np.abs(run.thetas[-1]) <= limit):
                    del run.thetas[-1], run.costs[-1], run.gradients[-1]
                    run.status, run.diverged_at = "diverged", len(run.costs)
                    break
                self._record_new()
            if status != "running":
                break
        if run.running and self.steps >= max_steps:
            run.status = "max_steps"
        self.diverged_at = run.diverged_at
        return run.status

    def _record_new(self) -> None:
        """The descent's newest step into the records; the descent forgets the older ones."""
        run = self.descent
        step = len(run.costs) - 1
        if step == self._recorded:
            return
        theta, grad = run.thetas[-1], run.gradients[-1]
        self._train.append(run.costs[-1])
        self._train_data.append(run.costs[-1] - self.objective.penalty_value(theta) if self.objective.penalised
                                else run.costs[-1])
        if self.test_objective is None:
            self._test.append(math.nan)
        else:
            with np.errstate(all="ignore"):
                self._test.append(self.test_objective.cost(theta))
        self._norms.append(self.net.gradient_norms_per_layer(grad))
        if step % self._stride == 0:
            if self._path.n >= self._max_rows:
                self._path.keep_every_other()
                self._path_steps.keep_every_other()
                self._stride *= 2
            if step % self._stride == 0:
                self._path.append(theta)
                self._path_steps.append(step)
        self._recorded = step
        # the descent needs only its newest step to go on; the records hold the rest
        del run.thetas[:-1], run.gradients[:-1]

    def path_until_now(self) -> tuple[np.ndarray, np.ndarray]:
        """The kept path with θ now at its end (if the last step was not kept)."""
        path, steps = self.path, self.path_steps
        if steps.size and steps[-1] == self.steps:
            return path, steps
        return np.vstack([path, self.theta[None, :]]), np.append(steps, self.steps)


def objectives_for(settings: Any, cache: NetworkCache | None = None) -> tuple[Objective, Objective | None]:
    """(the cost on the training points, penalty included; the data cost on the held-out
    points, without the penalty, or None)."""
    if cache is not None:
        return cache.objectives(settings)
    return _build_objectives(settings)


def penalty_args_of(settings: Any) -> dict[str, Any]:
    """The settings' penalty as ``Objective.create`` takes it (none for a value without one)."""
    return dict(getattr(settings, "penalty_args", None) or {})


def _build_objectives(settings: Any) -> tuple[Objective, Objective | None]:
    data, net = settings.data, settings.predictor()
    train, test = split_rows(data.n, settings.test_fraction, settings.seed)
    x, y = _xy(data)

    def make(rows: np.ndarray, penalty: dict[str, Any]) -> Objective:
        return Objective.create(settings.loss, x[rows], y[rows], net, **penalty, **settings.params)

    # the held-out cost is the data cost alone: it scores predictions, not weights
    return make(train, penalty_args_of(settings)), (make(test, {}) if test.size else None)


def _xy(data: Any) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(data, RegressionData):
        return data.x[:, None], data.y
    return data.x, data.labels


def start_training(settings: Any, cache: NetworkCache | None = None) -> TrainingRun:
    """A run from the settings' θ with their optimizer, schedule and batch size (None: all
    the training points each step, whatever the optimizer)."""
    objective, test = objectives_for(settings, cache)
    optimizer: Any = settings.optimizer.build()
    # The tab's batch size is the one used, for every optimizer: None is every training
    # point (SGD's own mini-batch setting gives way to it too).
    size = objective.n if settings.batch_size is None else int(settings.batch_size)
    optimizer = MiniBatches(optimizer, size, int(settings.seed))
    return TrainingRun(objective.predictor, objective, test, optimizer, settings.theta_array,
                       build_schedule(settings))


# ============================================================== the parts
@dataclass(frozen=True)
class PointLosses:
    """Every point's loss (training and held-out alike, in data order) and the costs.

    ``data_cost`` and ``total`` are the mean and sum of the losses over the training
    points; ``penalty`` is λ·P(W) (0 without one) and ``cost`` = ``data_cost`` +
    ``penalty``, the training cost, what training lowers. ``test_cost`` is the mean loss
    over the held-out points (NaN without any), never penalised.
    """

    losses: np.ndarray
    held_out: np.ndarray  # bool per point
    data_cost: float
    total: float
    test_cost: float
    n_train: int
    penalty: float = 0.0

    @property
    def cost(self) -> float:
        """The training cost: the mean loss plus the penalty."""
        return self.data_cost + self.penalty

    @property
    def n(self) -> int:
        return int(self.losses.size)

    @property
    def n_test(self) -> int:
        return int(self.held_out.sum())


@dataclass(frozen=True)
class FittedCurve:
    """The network's ŷ(x) along the data view's x range, and its prediction at each point."""

    xs: np.ndarray
    ys: np.ndarray
    predictions: np.ndarray
    x_range: tuple[float, float]
    y_range: tuple[float, float]


@dataclass(frozen=True)
class SelectedExample:
    """One point's trip through the network and back.

    ``values[l]`` are the neuron values a_l (a_0 the input, a_L the raw output), ``deltas``
    δ_l = dL/dz_l for l = 1 … L; ``weight_shares[l − 1]`` its part of dC/dW_l, i.e.
    (1/n)·δ_l ⊗ a_{l−1} (n the training points), ``bias_shares`` (1/n)·δ_l. ``share`` is how
    much of the cost's gradient it accounts for: ⟨g_i, g⟩ / ‖g‖² (the training points'
    shares add up to 1, or with a penalty to 1 less the penalty's own share),
    ``layer_shares`` the same layer by layer.
    """

    row: int
    held_out: bool
    target: str
    output: str
    loss: float
    values: tuple[np.ndarray, ...]
    deltas: tuple[np.ndarray, ...]
    weight_shares: tuple[np.ndarray, ...]
    bias_shares: tuple[np.ndarray, ...]
    share: float
    layer_shares: np.ndarray


@dataclass(frozen=True)
class NetworkDrawing:
    """The network as the graph view draws it.

    Neurons: ``neuron_x``, ``neuron_y`` (N,), layer by layer, input first. Connections, in
    θ's order (layer by layer, W row by row): ``edge_x``/``edge_y`` (2E,) hold each one's two
    end points; ``edge_values`` (E,) what its colour and width show, ``neuron_values`` (N,)
    what each neuron's colour shows (NaN: nothing), ``labels`` (N,) the text beside each
    neuron ("" for none). ``mode`` is "forward" (weights; values of a selected point) or
    "backward" (dC/dw and dC/dz; a selected point's own share).
    """

    sizes: tuple[int, ...]
    neuron_x: np.ndarray
    neuron_y: np.ndarray
    edge_x: np.ndarray
    edge_y: np.ndarray
    edge_layer: np.ndarray
    mode: str
    edge_values: np.ndarray
    neuron_values: np.ndarray
    labels: tuple[str, ...]
    edge_title: str
    neuron_title: str
    #: the full-batch dC/dW_l and dC/dz_l (mean over the training points of δ_l), layer 1 … L
    weight_gradients: tuple[np.ndarray, ...] = ()
    neuron_gradients: tuple[np.ndarray, ...] = ()

    @property
    def n_edges(self) -> int:
        return int(self.edge_values.size)


@dataclass(frozen=True)
class PenaltyTerm:
    """The penalty in the training cost: λ·P(W) on the weights (never the biases).

    ``kind`` is "l1" (P = ‖W‖₁), "l2" (P = ½‖W‖²) or "elastic" (P = r‖W‖₁ + (1 − r)·½‖W‖²);
    ``size`` is P(W) at θ, ``value`` = λ·P(W), what the cost adds.
    """

    kind: str
    strength: float
    l1_ratio: float
    size: float
    value: float


def penalty_term(settings: Any, objective: Objective, theta: np.ndarray) -> PenaltyTerm | None:
    """The settings' penalty at θ (None when they have none: a kind of "none")."""
    args = penalty_args_of(settings)
    kind = args.get("penalty")
    if not kind:
        return None
    lam, ratio = float(args.get("strength", 0.0)), float(args.get("l1_ratio", 0.5))
    w = theta[np.asarray(objective.predictor.weight_mask(), dtype=bool)]
    l1, half_l2 = float(np.abs(w).sum()), 0.5 * float(w @ w)
    r = {"l1": 1.0, "l2": 0.0}.get(kind, ratio)
    size = r * l1 + (1.0 - r) * half_l2
    return PenaltyTerm(kind, lam, ratio, size, objective.penalty_value(theta))


@dataclass(frozen=True)
class LossCurves:
    """Training and held-out cost after each step (without a run: the costs now).

    ``train`` is the training cost (penalty included), ``train_data`` its data part, the
    mean loss (None without a penalty: then it is ``train``), ``test`` the held-out mean
    loss (never penalised).
    """

    steps: np.ndarray
    train: np.ndarray
    test: np.ndarray
    run_steps: int | None
    status: str | None
    message: str | None
    train_data: np.ndarray | None = None


@dataclass(frozen=True)
class LayerGradients:
    """‖dC/dW_l‖ after each step, one column per layer, and each layer's name."""

    steps: np.ndarray
    norms: np.ndarray  # (m, L)
    names: tuple[str, ...]


@dataclass(frozen=True)
class Landscape:
    """The cost over a plane through θ: Z[i, j] = C(θ + alphas[i]·d₁ + betas[j]·d₂).

    ``directions`` are those used ("random" or "path"); ``note`` says why they differ from
    the ones asked for, if they do. ``path`` (m, 2) is the run's θs projected onto the
    plane (least squares) at ``path_steps``; θ itself sits at (0, 0).
    """

    directions: str
    note: str | None
    theta: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    alphas: np.ndarray
    betas: np.ndarray
    z: np.ndarray
    window: SurfaceWindow
    lines: SurfaceLines
    path: np.ndarray
    path_steps: np.ndarray
    n_params: int
    seconds: float
    #: what it was computed for: (data, loss, params, network, seed, test fraction)
    basis: tuple = field(default=(), compare=False)


@dataclass(frozen=True)
class LandscapeMarks:
    """The run's path so far and θ now, projected onto the last slice (the ball)."""

    path: np.ndarray  # (m, 2)
    ball: tuple[float, float]
    inside: bool  # whether the ball is inside the slice's window
    stale: bool  # the slice was computed for other data, loss or network shape


@dataclass(frozen=True)
class NetworkResults:
    data: Any
    task: str
    loss: str
    theta: np.ndarray
    net: MLP
    reduction: str
    region: tuple[tuple[float, float], tuple[float, float]]
    label_problem: str | None
    train_rows: np.ndarray
    test_rows: np.ndarray
    points: PointLosses | None
    snapshot: ClassifierSnapshot | None  # classification: probabilities, margins, …
    decision: DecisionMap | None  # classification
    fit: FittedCurve | None  # regression
    drawing: NetworkDrawing | None
    selected: SelectedExample | None
    curves: LossCurves | None
    gradients: LayerGradients | None
    marks: LandscapeMarks | None = None
    accuracy: float = math.nan
    test_accuracy: float = math.nan
    fit_predictions: np.ndarray | None = None  # regression: ŷ at each point (with or without the map)
    penalty: PenaltyTerm | None = None  # the penalty in the training cost (None: there is none)
    race: NetworkRace | None = None  # the last race of BCE against squared error, if it is this data's

    @property
    def classifying(self) -> bool:
        return self.task != "regression"

    @property
    def n_params(self) -> int:
        return int(self.net.n_params)

    @property
    def cost(self) -> float:
        return math.nan if self.points is None else self.points.cost

    @property
    def shows_scores(self) -> bool:
        return self.classifying and shows_scores(self.loss)


# ============================================================== the cache
class NetworkCache:
    """Memoises the objectives and the projection of a path onto the last slice."""

    def __init__(self) -> None:
        self._objectives_key: tuple | None = None
        self._objectives: tuple[Objective, Objective | None] | None = None
        self._keep: Any = None
        self._marks_key: tuple | None = None
        self._marks_path: np.ndarray = np.zeros((0, 2))

    def objectives(self, settings: Any) -> tuple[Objective, Objective | None]:
        data = settings.data
        key = (id(data), settings.loss, tuple(sorted(settings.params.items())), settings.predictor(),
               settings.seed, settings.test_fraction, tuple(sorted(penalty_args_of(settings).items())))
        if key != self._objectives_key or self._objectives is None:
            self._objectives = _build_objectives(settings)
            self._objectives_key = key
            self._keep = data  # keeps the id in the key from being reused
        return self._objectives

    def projected(self, landscape: Landscape, path: np.ndarray, key: Any) -> np.ndarray:
        """``project`` of a growing path onto the slice, only the new rows each time."""
        done = self._marks_path if self._marks_key == (id(landscape), key) else np.zeros((0, 2))
        if done.shape[0] > path.shape[0]:
            done = np.zeros((0, 2))
        if done.shape[0] < path.shape[0]:
            new = project(path[done.shape[0]:], landscape.theta, landscape.d1, landscape.d2)
            done = np.vstack([done, new])
        self._marks_key, self._marks_path = (id(landscape), key), done
        self._keep_landscape = landscape
        return done


# ============================================================== the pure functions
def compute_network(settings: Any, run: TrainingRun | None = None, cache: NetworkCache | None = None,
                    selected: int | None = None, landscape: Landscape | None = None,
                    with_map: bool = True, race: NetworkRace | None = None) -> NetworkResults:
    """Every number the network tab shows, from its settings, the run and the selection.

    ``with_map`` False leaves out the decision map and the fitted curve (``decision`` and
    ``fit`` None; ``fit_predictions`` still holds ŷ at each point): the costliest part,
    which a window playing a run redraws only every other frame. ``race`` is the last
    ``compute_race`` (kept only if it was run for these settings' race inputs).
    """
    cache = cache or NetworkCache()
    data = settings.data
    net: MLP = settings.predictor()
    theta = np.asarray(settings.theta, dtype=float)
    task = "regression" if isinstance(data, RegressionData) else ("binary" if data.n_classes == 2 else "multiclass")
    scores = task != "regression" and shows_scores(settings.loss)
    region = regression_region(data) if task == "regression" else data_region(data, scores)
    train, test = split_rows(data.n, settings.test_fraction, settings.seed)
    problem = settings.label_problem()
    if problem is not None:
        return NetworkResults(data, task, settings.loss, theta, net, settings.reduction, region, problem,
                              train, test, None, None, None, None, None, None, None, None)
    objective, _test_objective = objectives_for(settings, cache)
    held = np.zeros(data.n, dtype=bool)
    held[test] = True
    snap = fit = decision = None
    accuracy = test_accuracy = math.nan
    if task == "regression":
        predictions = net.raw(theta, data.x[:, None])
        lossobj = LOSSES[settings.loss]
        losses = lossobj._value(data.y, predictions, **objective.params)
        if with_map:
            fit = fitted_curve(net, theta, region)
            fit = FittedCurve(fit.xs, fit.ys, predictions, fit.x_range, fit.y_range)
    else:
        snap = classifier_snapshot(data, settings.loss, net, theta, settings.params)
        losses = snap.losses
        right = snap.predicted == data.labels
        accuracy = float(right[train].mean()) if train.size else math.nan
        test_accuracy = float(right[test].mean()) if test.size else math.nan
        decision = network_decision_map(data, net, theta, region, scores) if with_map else None
    penalty = penalty_term(settings, objective, theta)
    with np.errstate(all="ignore"):
        points = PointLosses(losses, held, float(losses[train].mean()), float(losses[train].sum()),
                             float(losses[test].mean()) if test.size else math.nan, int(train.size),
                             penalty.value if penalty is not None else 0.0)
    if run is not None and not np.array_equal(run.theta, theta):
        run = None  # a run for another θ is not this network's history
    backward = _backward(net, objective, theta)
    chosen = selected_example(net, objective, theta, data, train, held, losses, selected, backward)
    drawing = network_drawing(net, theta, settings.view, backward, chosen)
    curves, gradients = run_curves(net, points, backward, run)
    marks = None
    if landscape is not None:
        marks = landscape_marks(landscape, run, theta, cache, _basis(settings))
    if race is not None and not race_fits(race, settings):
        race = None  # run for other points or another network: not this one's race
    return NetworkResults(data, task, settings.loss, theta, net, settings.reduction, region, None, train, test,
                          points, snap, decision, fit, drawing, chosen, curves, gradients, marks,
                          accuracy, test_accuracy, predictions if task == "regression" else None,
                          penalty, race)


def regression_region(data: RegressionData) -> tuple[tuple[float, float], tuple[float, float]]:
    """The points with a margin around them."""
    x, y = data.x, data.y
    px = 0.08 * (float(np.ptp(x)) or 1.0)
    py = 0.15 * (float(np.ptp(y)) or 1.0)
    return (float(x.min()) - px, float(x.max()) + px), (float(y.min()) - py, float(y.max()) + py)


def fitted_curve(net: MLP, theta: np.ndarray, region, samples: int = CURVE_SAMPLES) -> FittedCurve:
    """ŷ(x) along the region's x range (a little beyond, for a wider view)."""
    (x0, x1), yr = region
    pad = 0.5 * (x1 - x0)
    xs = np.linspace(x0 - pad, x1 + pad, samples)
    return FittedCurve(xs, net.raw(theta, xs[:, None]), np.zeros(0), (x0, x1), yr)


def network_decision_map(data: ClassificationData, net: MLP, theta: np.ndarray, region,
                         scores: bool = False, grid_size: int = GRID_SIZE) -> DecisionMap:
    """What the network says over the data view: P(class) along x (one feature), or a grid of
    class probabilities (two), with the boundary p = ½ as contour lines (two classes).

    ``scores`` (a score loss, hinge): also the raw score s, and the margin lines s = ±1.
    """
    xr, yr = region
    empty = np.zeros(0)
    scores = scores and net.n_outputs == 1
    kind = "score" if scores else "probability"
    if data.n_features == 1:
        xs = np.linspace(*xr, CURVE_SAMPLES)
        s = net.raw(theta, xs[:, None]) if scores else empty
        return DecisionMap(1, xr, yr, xs, probabilities_of(net, theta, xs[:, None]),
                           np.zeros((0, 0, 0)), empty, empty, kind, s)
    gx, gy = np.linspace(*xr, grid_size), np.linspace(*yr, grid_size)
    xx, yy = np.meshgrid(gx, gy, indexing="ij")
    flat = np.column_stack([xx.ravel(), yy.ravel()])
    raw = net.raw(theta, flat)
    if raw.ndim == 1:
        p1 = 1.0 / (1.0 + np.exp(-np.clip(raw, -500, 500)))
        grid = np.stack([1.0 - p1, p1], axis=1).reshape(grid_size, grid_size, 2)
        level_field = raw.reshape(grid_size, grid_size)  # p = ½ where z = 0
    else:
        z = raw - raw.max(axis=1, keepdims=True)
        e = np.exp(z)
        grid = (e / e.sum(axis=1, keepdims=True)).reshape(grid_size, grid_size, -1)
        level_field = (grid[..., 1] - grid[..., 0]) if grid.shape[2] == 2 else None
    bx, by = contour_path(gx, gy, level_field, np.array([0.0])) if level_field is not None else (empty, empty)
    if not scores:
        return DecisionMap(2, xr, yr, empty, np.zeros((0, 0)), grid, bx, by)
    s = raw.reshape(grid_size, grid_size)
    lines = tuple(contour_path(gx, gy, s, np.array([level])) for level in (-1.0, 1.0))
    return DecisionMap(2, xr, yr, empty, np.zeros((0, 0)), grid, bx, by, kind, s, lines)


@dataclass(frozen=True)
class _Backward:
    """The full-batch backward pass at θ on the training points (means, not sums)."""

    g_z: np.ndarray  # dL_i/d raw_i per training point (n, K)
    weight_gradients: tuple[np.ndarray, ...]
    bias_gradients: tuple[np.ndarray, ...]
    gradient: np.ndarray
    n: int


def _backward(net: MLP, objective: Objective, theta: np.ndarray) -> _Backward:
    """The data part by backpropagation, plus the penalty's own gradient on the weights (a
    penalty pulls every weight towards 0 directly, not through any point)."""
    with np.errstate(all="ignore"):
        g_z = output_gradients(objective, theta)
        bw = net.backward(theta, net.forward(theta, objective.x), g_z)
    n = objective.n
    weights = tuple(w / n for w in bw.weight_gradients)
    gradient = bw.gradient / n
    if objective.penalised:
        pull = objective.penalty_gradient(theta)
        gradient = gradient + pull
        weights = tuple(w + w_pull for w, (w_pull, _b) in zip(weights, net.layers(pull)))
    return _Backward(g_z.reshape(n, -1), weights, tuple(b / n for b in bw.bias_gradients), gradient, n)


def _format(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    return f"{value:.2g}" if abs(value) < 0.01 and value != 0 else f"{value:.2f}"


def selected_example(net: MLP, objective: Objective, theta: np.ndarray, data: Any, train: np.ndarray,
                     held: np.ndarray, losses: np.ndarray, row: int | None, backward: _Backward) -> SelectedExample | None:
    """The selected point's forward values, δ per layer and share of each gradient."""
    if row is None or not 0 <= row < data.n:
        return None
    x, y = _xy(data)
    probe = Objective.create(objective.loss, x[row:row + 1], y[row:row + 1], net, **objective.params)
    g_row = output_gradients(probe, theta)[0]
    n = max(backward.n, 1)
    with np.errstate(all="ignore"):
        signals = net.example_signals(theta, x[row], g_row, weight=1.0 / n)
    g = backward.gradient
    gi = signals.gradient
    denominator = float(g @ g)
    share = float(gi @ g) / denominator if denominator > 0 else math.nan
    layer_shares = []
    for (Wg, bg), (Wi, bi) in zip(zip(backward.weight_gradients, backward.bias_gradients),
                                  zip(signals.weight_shares, signals.bias_shares)):
        d = float((Wg * Wg).sum() + bg @ bg)
        layer_shares.append(float((Wi * Wg).sum() + bi @ bg) / d if d > 0 else math.nan)
    out = signals.values[-1]
    if isinstance(data, RegressionData):
        target, output = f"y = {_format(float(data.y[row]))}", f"ŷ = {_format(float(out[0]))}"
    else:
        k = int(data.labels[row])
        probs = probabilities_of(net, theta, x[row:row + 1])[0]
        target = f"class {k}"
        output = f"p(class {k}) = {probs[k]:.3f}"
    return SelectedExample(int(row), bool(held[row]), target, output, float(losses[row]),
                           signals.values, tuple(d * n for d in signals.deltas), signals.weight_shares,
                           signals.bias_shares, share, np.array(layer_shares))


@lru_cache(maxsize=16)
def graph_layout(sizes: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """Neuron positions and connection end points for layers of ``sizes``.

    Layer l sits at x = l; its neurons are spread evenly about y = 0, neuron 0 on top, at
    most 0.45 apart and within ±1. Returns (neuron_x, neuron_y, edge_x, edge_y, edge_layer),
    the edges in θ's order (for each layer, W's rows: one output neuron's inputs in turn).
    """
    xs, ys, starts = [], [], [0]
    for l, n in enumerate(sizes):
        gap = min(0.45, 2.0 / (n - 1)) if n > 1 else 0.0
        ys.append(((n - 1) / 2 - np.arange(n)) * gap)
        xs.append(np.full(n, float(l)))
        starts.append(starts[-1] + n)
    ex, ey, el = [], [], []
    for l in range(len(sizes) - 1):
        n_in, n_out = sizes[l], sizes[l + 1]
        out_y = np.repeat(ys[l + 1], n_in)
        in_y = np.tile(ys[l], n_out)
        pairs_x = np.empty(2 * n_in * n_out)
        pairs_x[0::2], pairs_x[1::2] = float(l), float(l + 1)
        pairs_y = np.empty(2 * n_in * n_out)
        pairs_y[0::2], pairs_y[1::2] = in_y, out_y
        ex.append(pairs_x)
        ey.append(pairs_y)
        el.append(np.full(n_in * n_out, l))
    out = (np.concatenate(xs), np.concatenate(ys), np.concatenate(ex) if ex else np.zeros(0),
           np.concatenate(ey) if ey else np.zeros(0), np.concatenate(el) if el else np.zeros(0, dtype=int))
    for a in out:
        a.flags.writeable = False
    return out


def network_drawing(net: MLP, theta: np.ndarray, mode: str, backward: _Backward,
                    chosen: SelectedExample | None) -> NetworkDrawing:
    """What the graph shows in ``mode``, for the selected point if there is one."""
    sizes = net.sizes
    nx, ny, ex, ey, el = graph_layout(sizes)
    layers = net.layers(theta)
    n_neurons = int(sum(sizes))
    labels = [""] * n_neurons
    neuron_values = np.full(n_neurons, np.nan)
    starts = np.cumsum((0,) + sizes)
    labelled = [size <= LABELLED_WIDTH for size in sizes]
    if mode == "backward":
        if chosen is not None:
            edges = np.concatenate([w.ravel() for w in chosen.weight_shares])
            edge_title = f"point {chosen.row}'s part of dC/dw"
            per_layer = chosen.bias_shares
            neuron_title = f"point {chosen.row}'s part of dC/dz"
        else:
            edges = np.concatenate([w.ravel() for w in backward.weight_gradients])
            edge_title = "dC/dw"
            per_layer = backward.bias_gradients  # dC/db_l = mean of δ_l = dC/dz_l of the cost
            neuron_title = "dC/dz"
        for l, values in enumerate(per_layer, start=1):
            neuron_values[starts[l]:starts[l + 1]] = values
            if chosen is not None and labelled[l]:
                for j, v in enumerate(values):
                    labels[starts[l] + j] = _format(float(v))
    else:
        edges = np.concatenate([w.ravel() for w, _ in layers])
        edge_title = "weight w"
        neuron_title = "bias b"
        for l, (_w, b) in enumerate(layers, start=1):
            neuron_values[starts[l]:starts[l + 1]] = b
        if chosen is not None:
            neuron_title = f"point {chosen.row}'s value a at each neuron"
            for l, values in enumerate(chosen.values):
                neuron_values[starts[l]:starts[l + 1]] = values
                if labelled[l]:
                    for j, v in enumerate(values):
                        labels[starts[l] + j] = _format(float(v))
    return NetworkDrawing(sizes, nx, ny, ex, ey, el, mode, np.asarray(edges, dtype=float), neuron_values,
                          tuple(labels), edge_title, neuron_title, backward.weight_gradients,
                          backward.bias_gradients)


def layer_names(net: MLP) -> tuple[str, ...]:
    """"hidden 1", "hidden 2", …, "output": the layer each W feeds."""
    return tuple(f"hidden {l + 1}" for l in range(len(net.hidden))) + ("output",)


def run_curves(net: MLP, points: PointLosses, backward: _Backward,
               run: TrainingRun | None) -> tuple[LossCurves, LayerGradients]:
    """The costs and gradient sizes per step (one step, now, without a run)."""
    names = layer_names(net)
    if run is None:
        norms = np.array([[float(np.linalg.norm(w)) for w in backward.weight_gradients]])
        data = np.array([points.data_cost]) if points.penalty else None
        return (LossCurves(np.zeros(1), np.array([points.cost]), np.array([points.test_cost]), None, None, None,
                           data),
                LayerGradients(np.zeros(1), norms, names))
    steps = np.arange(run.steps + 1, dtype=float)
    data = run.train_data_costs if run.objective.penalised else None
    return (LossCurves(steps, run.train_costs, run.test_costs, run.steps, run.status, run.message, data),
            LayerGradients(steps, run.layer_norms, names))


def _basis(settings: Any) -> tuple:
    """What a slice depends on besides θ: a slice for other data, loss, penalty or network is stale."""
    return (settings.data, settings.loss, tuple(sorted(settings.params.items())), settings.predictor(),
            settings.seed, settings.test_fraction, tuple(sorted(penalty_args_of(settings).items())))


def _same_basis(a: tuple, b: tuple) -> bool:
    """The same data set (the very value: data sets are immutable) and the same choices."""
    return len(a) == len(b) and bool(a) and a[0] is b[0] and a[1:] == b[1:]


def landscape_marks(landscape: Landscape, run: TrainingRun | None, theta: np.ndarray,
                    cache: NetworkCache, basis: tuple) -> LandscapeMarks:
    """The path so far and θ now on the slice (θ's own projection is the ball)."""
    stale = not _same_basis(landscape.basis, basis) or theta.size != landscape.theta.size
    if stale:
        return LandscapeMarks(np.zeros((0, 2)), (math.nan, math.nan), False, True)
    if run is not None:
        path, _steps = run.path_until_now()
        projected = cache.projected(landscape, path, id(run))
    else:
        projected = project(theta[None, :], landscape.theta, landscape.d1, landscape.d2)
    ball = projected[-1] if projected.shape[0] else project(theta[None, :], landscape.theta, landscape.d1,
                                                             landscape.d2)[0]
    inside = landscape.window.contains(float(ball[0]), float(ball[1]))
    return LandscapeMarks(projected, (float(ball[0]), float(ball[1])), bool(inside), False)


@dataclass(frozen=True)
class PathRecord:
    """A frozen copy of a run's path for a worker thread: θ at each kept step."""

    path: np.ndarray
    steps: np.ndarray


def path_record(run: TrainingRun | None) -> PathRecord | None:
    """What ``compute_landscape`` needs of a run, safe to hand to another thread."""
    if run is None:
        return None
    path, steps = run.path_until_now()
    return PathRecord(path, steps)


def compute_landscape(settings: Any, run: Any = None, size: int = LANDSCAPE_SIZE) -> Landscape:
    """The training cost over a plane through θ, the path projected onto it (pure; for a
    worker thread). With a penalty the slice is of the whole training cost, mean loss plus
    λ·P(W): the surface training goes down.

    ``run`` is a ``TrainingRun`` or its ``path_record`` (or None). Directions "random": two
    seeded Gaussian directions, filter-normalised, over α, β in [−1, 1]; "path": the two
    leading principal components of the path (it needs three steps that do not all lie on
    one line; otherwise random directions, and ``note`` says so), over the path's extent.
    """
    started = time.perf_counter()
    objective, _test = _build_objectives(settings)
    net: MLP = objective.predictor
    theta = np.asarray(settings.theta, dtype=float)
    record = path_record(run) if isinstance(run, TrainingRun) else run
    path = record.path if record is not None else theta[None, :]
    steps = record.steps if record is not None else np.zeros(1, dtype=int)
    if record is not None and not np.array_equal(path[-1], theta):
        path, steps = theta[None, :], np.zeros(1, dtype=int)  # a path that does not end at θ is another run's
    directions, note = settings.directions, None
    d1 = d2 = None
    if directions == "path":
        try:
            d1, d2 = trajectory_directions(path)
        except ValueError as exc:
            note = f"{exc}; random directions instead"
            directions = "random"
    if d1 is None or d2 is None:
        d1, d2 = random_directions(net, theta, settings.seed)
        if not (np.any(d1) and np.any(d2)):
            # every weight zero: filter normalisation has nothing to scale by
            rng = np.random.default_rng([int(settings.seed), 3])
            d1, d2 = rng.standard_normal(theta.size) * 0.1, rng.standard_normal(theta.size) * 0.1
    projected = project(path, theta, d1, d2)
    if directions == "random":
        reach = max(RANDOM_SPAN, 1.1 * float(np.abs(projected).max()) if projected.size else 0.0)
        a_range = b_range = (-reach, reach)
    else:
        a_range = _span(projected[:, 0])
        b_range = _span(projected[:, 1])
    alphas, betas = np.linspace(*a_range, size), np.linspace(*b_range, size)
    z = plane_surface(objective, theta, d1, d2, alphas, betas)
    if objective.penalised:
        z = z + penalty_plane(objective, theta, d1, d2, alphas, betas)
    window = SurfaceWindow(a_range, b_range, size)
    finite = z[np.isfinite(z)]
    filled = np.where(np.isfinite(z), z, finite.max() if finite.size else 0.0)
    lines = surface_lines(window, filled)
    return Landscape(directions, note, theta, d1, d2, alphas, betas, filled, window, lines, projected,
                     np.asarray(steps, dtype=int), int(net.n_params), time.perf_counter() - started,
                     _basis(settings))


def _span(values: np.ndarray) -> tuple[float, float]:
    """The projected path's extent (and 0, where θ is) with a quarter of it again as margin."""
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    width = hi - lo
    pad = 0.25 * width if width > 0 else 0.5
    return lo - pad, hi + pad


def penalty_plane(objective: Objective, theta: np.ndarray, d1: np.ndarray, d2: np.ndarray,
                  alphas: np.ndarray, betas: np.ndarray) -> np.ndarray:
    """P[i, j] = λ·P(W) at θ + alphas[i]·d₁ + betas[j]·d₂: the penalty's part of a slice.

    Only the weights enter, so only they are formed, a few thousand grid points at a time.
    """
    mask = objective.penalised_entries()
    w, u, v = theta[mask], d1[mask], d2[mask]
    A, B = np.meshgrid(np.asarray(alphas, dtype=float), np.asarray(betas, dtype=float), indexing="ij")
    a, b = A.ravel(), B.ravel()
    out = np.empty(a.size)
    chunk = max(1, 2_000_000 // max(w.size, 1))
    scratch = np.zeros((0, mask.size))
    for start in range(0, a.size, chunk):
        ca, cb = a[start:start + chunk], b[start:start + chunk]
        rows = w + ca[:, None] * u + cb[:, None] * v
        if scratch.shape[0] != rows.shape[0]:
            scratch = np.zeros((rows.shape[0], mask.size))
        scratch[:, mask] = rows  # penalty_values reads the weights out of whole θs
        out[start:start + ca.size] = objective.penalty_values(scratch)
    return out.reshape(A.shape)


# ============================================================== the race
#: the two losses raced: cross-entropy, and squared error on the probability (Brier)
RACE_LOSSES = ("bce", "brier")
#: steps each loss trains for
RACE_STEPS = 300
#: a run has "learnt" the points once it classifies this share of the training points right
RACE_TARGET = 0.95
#: the start's output layer says the wrong class with a logit of about this size (p ≈ 5 %)
WRONG_LOGIT = 3.0
#: the start is prepared by this many steps of Adam at this rate on cross-entropy
PREPARE_STEPS = 200
PREPARE_LR = 0.03


def confidently_wrong_start(net: MLP, theta: Any, x: Any, y: Any, logit: float = WRONG_LOGIT,
                            steps: int = PREPARE_STEPS) -> np.ndarray:
    """A network that is sure of the wrong class: trained, then its output turned round.

    From θ, ``steps`` steps of Adam (η = ``PREPARE_LR``) on cross-entropy teach the hidden
    layers the points; then the output layer (one output) is negated and rescaled so the
    median |z| over the points is ``logit``. A point the network had right it now has
    wrong, with p(true class) near 1/(1 + e³) ≈ 5 %: where cross-entropy pulls hardest and
    squared error on the probability hardly at all.
    """
    if net.n_outputs != 1:
        raise ValueError("a confidently wrong start needs a network with one output")
    objective = Objective.create("bce", x, y, net)
    with np.errstate(all="ignore"):
        run = run_descent(objective, make_optimizer("adam", lr=PREPARE_LR), np.asarray(theta, dtype=float),
                          max_steps=int(steps), gradient_tol=0.0)
    start = np.array(run.thetas[-1], dtype=float)
    size = float(np.median(np.abs(net.raw(start, objective.x))))
    factor = -float(logit) / size if np.isfinite(size) and size > 1e-9 else -1.0
    w_out, b_out = net.layers(start)[-1]  # views into start
    w_out *= factor
    b_out *= factor
    return start


@dataclass(frozen=True)
class NetworkRace:
    """Cross-entropy against squared error on the probability: one network, one start, one optimizer.

    Per loss (``losses``), after each step: ``accuracy`` (share of the training points on
    the right side of p = ½), ``p_true`` (mean probability given to each point's true
    class), both shared yardsticks, and ``costs`` in the loss's own units. ``reached[name]``
    is the first step with accuracy ≥ ``target`` (None: not within the run).
    """

    losses: tuple[str, ...]
    steps: dict[str, np.ndarray]
    accuracy: dict[str, np.ndarray]
    p_true: dict[str, np.ndarray]
    costs: dict[str, np.ndarray]
    reached: dict[str, int | None]
    target: float
    max_steps: int
    start_accuracy: float
    start_p_true: float
    optimizer: str
    n_train: int
    seconds: float
    basis: tuple = field(default=(), compare=False)

    def final(self, name: str) -> float:
        """Loss ``name``'s accuracy at the end of its run."""
        return float(self.accuracy[name][-1])


def race_network(settings: Any) -> MLP:
    """The settings' network with one output (a two-class race's): same layers, same activation."""
    net: MLP = settings.predictor()
    return net if net.n_outputs == 1 else MLP(net.n_features, net.hidden, 1, net.activation)


def race_basis(settings: Any) -> tuple:
    """What a race depends on: the points (the very data value), the network, seed and split."""
    return (settings.data, race_network(settings), settings.seed, settings.test_fraction)


def race_fits(race: NetworkRace | None, settings: Any) -> bool:
    """Whether ``race`` was run for these settings' points, network, seed and split."""
    return race is not None and _same_basis(race.basis, race_basis(settings))


def compute_race(settings: Any, steps: int = RACE_STEPS) -> NetworkRace:
    """BCE and Brier each train the settings' network on its training points for ``steps`` steps.

    Both from ``confidently_wrong_start`` of the network's own start (``initial_params`` of
    the seed), by plain gradient descent (η = ``RACE_LEARNING_RATE``) on every training
    point each step, with no penalty: only the loss differs. Plain descent because a step
    is then as large as the gradient; Adam would rescale every step and hide how small
    squared error's gradient is at a confidently wrong point. Two classes only (pure; for
    a worker thread). Raises ValueError for other data.
    """
    started = time.perf_counter()
    data = settings.data
    if not isinstance(data, ClassificationData) or data.n_classes != 2:
        raise ValueError("the race compares two losses of two classes: it needs points of classes 0 and 1")
    net = race_network(settings)
    train, _test = split_rows(data.n, settings.test_fraction, settings.seed)
    x, y = data.x[train], data.labels[train].astype(float)
    start = confidently_wrong_start(net, net.initial_params(settings.seed), x, y)
    optimizer = make_optimizer("gd", lr=RACE_LEARNING_RATE)
    race: ConfidentlyWrongRace = confidently_wrong_race(x, y, RACE_LOSSES, start, optimizer, int(steps), net)
    accuracy = {name: np.asarray(race.accuracy[name], dtype=float) for name in RACE_LOSSES}
    p_true = {name: np.asarray(race.p_true[name], dtype=float) for name in RACE_LOSSES}
    reached = {name: race.steps_to_accuracy(name, RACE_TARGET) for name in RACE_LOSSES}
    described = f"gradient descent, η = {RACE_LEARNING_RATE:g}"
    first = RACE_LOSSES[0]
    return NetworkRace(RACE_LOSSES, {n: np.arange(accuracy[n].size) for n in RACE_LOSSES}, accuracy, p_true,
                       {n: np.asarray(race.costs[n], dtype=float) for n in RACE_LOSSES}, reached, RACE_TARGET,
                       int(steps), float(accuracy[first][0]), float(p_true[first][0]), described, int(train.size),
                       time.perf_counter() - started, race_basis(settings))
