"""The network tab's choices: the data, the network's shape, its loss, its weights θ, training.

A network's weights start from ``MLP.initial_params(seed)`` (``theta`` None); training
writes each step's θ back. The seed draws everything random in the tab: the starting
weights, which points are held out for testing, and the mini-batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from lossdesk.model import (
    BINARY_LOSSES,
    LOSSES,
    MULTICLASS_LOSSES,
    REGRESSION_LOSSES,
    SCHEDULES,
    ClassificationData,
    RegressionData,
)
from lossdesk.model.network import (
    ACTIVATIONS,
    MAX_HIDDEN_LAYERS,
    MAX_PARAMS,
    MAX_WIDTH,
    MLP,
)
from lossdesk.model.network import parse_hidden as _parse_hidden
from lossdesk.settings import checks
from lossdesk.settings.checks import SettingsError
from lossdesk.settings.data_source import DataSource
from lossdesk.settings.optimizer import OptimizerChoice
from lossdesk.settings.regression import LINE_LIMIT, MAX_STEPS_PER_FRAME, REDUCTIONS

#: every loss the tab offers; which ones fit depends on the data (``losses_for``)
LOSS_NAMES: tuple[str, ...] = tuple(REGRESSION_LOSSES) + tuple(BINARY_LOSSES) + tuple(MULTICLASS_LOSSES)
DEFAULT_PRESET = "xor"
DEFAULT_HIDDEN = (8,)
#: the loss a new data set starts with, per task
DEFAULT_LOSS = {"regression": "mse", "binary": "bce", "multiclass": "cce"}
#: Adam at this rate solves xor with one hidden layer of 8 in a few hundred steps
DEFAULT_LR = 0.03
DIRECTIONS = ("random", "path")
VIEWS = ("forward", "backward")
#: what the loss-curves panel shows: this network's training, or the race of cross-entropy
#: against squared error on the probability (two-class data only)
CURVES = ("training", "race")
MAX_TEST_FRACTION = 0.5
#: the largest seed (NumPy takes any non-negative integer; beyond this is a slip)
MAX_SEED = 2**31 - 1
#: the largest mini-batch
MAX_BATCH = 100_000

__all__ = [
    "ACTIVATIONS",
    "CURVES",
    "DEFAULT_LOSS",
    "DIRECTIONS",
    "LOSS_NAMES",
    "MAX_PARAMS",
    "VIEWS",
    "NetworkSettings",
    "default_loss",
    "hidden_text",
    "losses_for",
    "network_for",
    "parse_hidden",
]


def _default_source() -> DataSource:
    return DataSource.from_preset(DEFAULT_PRESET)


def _default_optimizer() -> OptimizerChoice:
    return OptimizerChoice("adam", {"lr": DEFAULT_LR})


def parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden layer widths from text: "8,8" or "16 16"; "", "0" or "none" is no hidden layer.

    Raises SettingsError with one line when the text is not a list of widths the tab takes.
    """
    try:
        widths = _parse_hidden(text)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return check_hidden(widths)


def hidden_text(hidden: tuple[int, ...]) -> str:
    """The widths as the text box shows them: "8,8", or "none"."""
    return ",".join(str(w) for w in hidden) if hidden else "none"


def check_hidden(value: Any) -> tuple[int, ...]:
    """``value`` as a tuple of 0 to 4 widths of 1 to 64."""
    if isinstance(value, str):
        return parse_hidden(value)
    if not isinstance(value, (tuple, list)):
        raise SettingsError("the hidden layers must be a list of widths, such as 8,8")
    if len(value) > MAX_HIDDEN_LAYERS:
        raise SettingsError(f"a network here has at most {MAX_HIDDEN_LAYERS} hidden layers, not {len(value)}")
    widths = []
    for w in value:
        if isinstance(w, bool) or not isinstance(w, (int, float)) or w != int(w):
            raise SettingsError(f"a hidden layer's width must be a whole number, not {w!r:.20}")
        if not 1 <= int(w) <= MAX_WIDTH:
            raise SettingsError(f"each hidden layer needs 1 to {MAX_WIDTH} neurons, not {int(w)}")
        widths.append(int(w))
    return tuple(widths)


def task_of(data: Any) -> str:
    """"regression", "binary" (two classes) or "multiclass"."""
    if isinstance(data, RegressionData):
        return "regression"
    return "binary" if data.n_classes == 2 else "multiclass"


def losses_for(data: Any) -> tuple[str, ...]:
    """The losses that score these points: regression losses for x,y points; for labels the
    binary ones (two classes only) and the categorical ones."""
    if isinstance(data, RegressionData):
        return tuple(REGRESSION_LOSSES)
    if data.n_classes == 2:
        return tuple(BINARY_LOSSES) + tuple(MULTICLASS_LOSSES)
    return tuple(MULTICLASS_LOSSES)


def default_loss(data: Any) -> str:
    return DEFAULT_LOSS[task_of(data)]


def n_outputs_for(data: Any, loss: str) -> int:
    """One output (a value, or a logit) except for a categorical loss: one logit per class."""
    return int(data.n_classes) if LOSSES[loss].task == "multiclass" else 1


def network_for(data: Any, hidden: tuple[int, ...], activation: str, loss: str) -> MLP:
    """The network these choices describe (a ValueError from the model becomes a SettingsError)."""
    n_features = 1 if isinstance(data, RegressionData) else int(data.n_features)
    try:
        return MLP(n_features, tuple(hidden), n_outputs_for(data, loss), activation)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


@dataclass(frozen=True)
class NetworkSettings:
    """``hidden`` holds the hidden layers' widths (empty: no hidden layer, the linear model);
    ``theta`` every weight and bias in the network's layout (None: ``MLP.initial_params(seed)``).

    ``batch_size`` None trains on every training point each step; ``test_fraction`` of the
    points (0 to ½) is held out. ``directions`` are the landscape's ("random": two random
    filter-normalised directions; "path": the training path's PCA plane); ``view`` is how the
    network is drawn ("forward": weights and values; "backward": gradients); ``add_label``
    is the class a double-click in the data view adds.

    ``penalty`` ("none", "l1", "l2", "elastic"), ``strength`` λ and ``l1_ratio`` r add
    λ·P(w) to the training cost, on the weights only (never the biases). ``curves`` is what
    the loss-curves panel shows: "training", or "race" (cross-entropy against squared error
    on the probability, from one start; the panel shows it for two-class data only).
    """

    source: DataSource = field(default_factory=_default_source)
    hidden: tuple[int, ...] = DEFAULT_HIDDEN
    activation: str = "tanh"
    loss: str = "bce"
    loss_params: dict[str, dict[str, float]] = field(
        default_factory=lambda: checks.default_loss_params(LOSS_NAMES))
    theta: tuple[float, ...] | None = None
    optimizer: OptimizerChoice = field(default_factory=_default_optimizer)
    schedule: str = "constant"
    schedule_value: float | None = None
    batch_size: int | None = None
    seed: int = 0
    test_fraction: float = 0.2
    reduction: str = "mean"
    directions: str = "random"
    view: str = "forward"
    steps_per_frame: int = 2
    add_label: int = 0
    penalty: str = "none"  # "none", "l1", "l2" or "elastic": training cost = mean loss + λ·penalty(W)
    strength: float = 0.0  # λ
    l1_ratio: float = 0.5  # r, the elastic net's share of L1
    curves: str = "training"

    def __post_init__(self) -> None:
        if not isinstance(self.source, DataSource) or not isinstance(self.source.data, (ClassificationData,
                                                                                         RegressionData)):
            raise SettingsError("the network tab needs x,y points or labelled points")
        object.__setattr__(self, "hidden", check_hidden(self.hidden))
        checks.name(self.activation, "the activation", ACTIVATIONS)
        checks.name(self.loss, "the network's loss", LOSS_NAMES)
        if (LOSSES[self.loss].task == "regression") != (self.task == "regression"):
            kind = "x,y points" if self.task == "regression" else "labelled points"
            raise SettingsError(f"{LOSSES[self.loss].title} does not score {kind}; choose one of "
                                f"{', '.join(losses_for(self.data))}")
        object.__setattr__(self, "loss_params", checks.loss_params(self.loss_params, LOSS_NAMES))
        net = self.predictor()
        object.__setattr__(self, "seed", checks.whole(self.seed, "the seed", 0, MAX_SEED))
        theta = net.initial_params(self.seed) if self.theta is None else self.theta
        object.__setattr__(self, "theta", _weights(theta, net.n_params))
        if not isinstance(self.optimizer, OptimizerChoice):
            raise SettingsError("the optimizer is missing")
        _, value = checks.schedule(self.schedule, self.schedule_value)
        object.__setattr__(self, "schedule_value", value)
        if self.batch_size is not None:
            object.__setattr__(self, "batch_size", checks.whole(self.batch_size, "the batch size", 1, MAX_BATCH))
        object.__setattr__(self, "test_fraction",
                           checks.number(self.test_fraction, "the test fraction", 0.0, MAX_TEST_FRACTION))
        checks.name(self.reduction, "the reduction", REDUCTIONS)
        checks.name(self.directions, "the landscape's directions", DIRECTIONS)
        checks.name(self.view, "the network view", VIEWS)
        object.__setattr__(self, "steps_per_frame",
                           checks.whole(self.steps_per_frame, "steps per frame", 1, MAX_STEPS_PER_FRAME))
        k = self.data.n_classes if isinstance(self.data, ClassificationData) else 1
        object.__setattr__(self, "add_label", checks.whole(self.add_label, "the class to add", 0, max(k - 1, 0)))
        checked = checks.penalty(self.penalty, self.strength, self.l1_ratio)
        for key, value in zip(("penalty", "strength", "l1_ratio"), checked):
            object.__setattr__(self, key, value)
        checks.name(self.curves, "the curves shown", CURVES)

    # ------------------------------------------------------------------ reading
    @property
    def data(self) -> ClassificationData | RegressionData:
        return self.source.data  # type: ignore[return-value]

    @property
    def task(self) -> str:
        """"regression", "binary" or "multiclass": what the data are (not what the loss is)."""
        return task_of(self.data)

    @property
    def classifying(self) -> bool:
        return isinstance(self.data, ClassificationData)

    @property
    def params(self) -> dict[str, float]:
        return dict(self.loss_params[self.loss])

    def predictor(self) -> MLP:
        return network_for(self.data, self.hidden, self.activation, self.loss)

    @property
    def penalty_args(self) -> dict[str, object]:
        """The penalty as ``Objective.create`` takes it (penalty None for "none")."""
        return checks.penalty_args(self)

    @property
    def races(self) -> bool:
        """Whether the race of BCE against squared error can run: two classes only."""
        return self.task == "binary"

    @property
    def theta_array(self) -> np.ndarray:
        return np.array(self.theta, dtype=float)

    @property
    def schedule_setting(self) -> float | None:
        """The schedule's setting as used: the chosen value, or the default."""
        spec = SCHEDULES[self.schedule].setting
        if spec is None:
            return None
        return spec.default if self.schedule_value is None else self.schedule_value

    def label_problem(self) -> str | None:
        """Why the loss cannot score these labels, if it cannot (the tab says so and waits)."""
        if LOSSES[self.loss].task == "binary" and self.data.n_classes > 2:  # type: ignore[union-attr]
            return (f"{LOSSES[self.loss].title} needs two classes (labels 0 and 1), but this data set has "
                    f"{self.data.n_classes}. Choose categorical cross-entropy, or a two-class data set.")  # type: ignore[union-attr]
        return None

    # The data table's Add button puts a new x,y point on the line w·x + b: for a
    # network, on the level of the points' mean.
    @property
    def w(self) -> float:
        return 0.0

    @property
    def b(self) -> float:
        return float(np.mean(self.data.y)) if isinstance(self.data, RegressionData) else 0.0

    # ------------------------------------------------------------------ changing
    def start(self) -> tuple[float, ...]:
        """Where this network starts (what Reset goes back to without a run)."""
        return tuple(float(v) for v in self.predictor().initial_params(self.seed))

    def _refitted(self, source: DataSource, loss: str) -> dict:
        """θ kept where it still fits the new network; the class to add kept where it exists."""
        n = network_for(source.data, self.hidden, self.activation, loss).n_params
        theta = self.theta if self.theta is not None and len(self.theta) == n else None
        k = getattr(source.data, "n_classes", 1)
        return {"theta": theta, "add_label": self.add_label if self.add_label < k else 0}

    def with_source(self, source: DataSource) -> NetworkSettings:
        """New points; a loss that cannot score them gives way to the task's usual one."""
        loss = self.loss if self.loss in losses_for(source.data) else default_loss(source.data)
        return replace(self, source=source, loss=loss, **self._refitted(source, loss))

    def without_point(self, row: int) -> NetworkSettings:
        """Point ``row`` removed (the data become the user's own)."""
        return self.with_source(self.source.edited(self.data.without(row)))

    def with_loss(self, loss: str) -> NetworkSettings:
        checks.name(loss, "the network's loss", LOSS_NAMES)
        return replace(self, loss=loss, **self._refitted(self.source, loss))

    def with_hidden(self, hidden: Any) -> NetworkSettings:
        """Another shape of network, starting from its own initial weights."""
        return replace(self, hidden=check_hidden(hidden), theta=None)

    def with_activation(self, activation: str) -> NetworkSettings:
        """Another activation, from fresh initial weights (their scale depends on it)."""
        checks.name(activation, "the activation", ACTIVATIONS)
        return replace(self, activation=activation, theta=None)

    def with_seed(self, seed: int) -> NetworkSettings:
        """Another seed: new starting weights (and another draw of the held-out points)."""
        return replace(self, seed=seed, theta=None)

    def with_theta(self, theta: Any) -> NetworkSettings:
        return replace(self, theta=tuple(np.asarray(theta, dtype=float).ravel().tolist()))

    def with_loss_param(self, loss: str, key: str, value: float) -> NetworkSettings:
        params = {name: dict(p) for name, p in self.loss_params.items()}
        params.setdefault(loss, {})[key] = value
        return replace(self, loss_params=params)

    def with_lr(self, lr: float) -> NetworkSettings:
        return replace(self, optimizer=self.optimizer.with_value("lr", lr))


def _weights(value: Any, n: int) -> tuple[float, ...]:
    """θ as a tuple of n finite floats within ±LINE_LIMIT, checked with NumPy (a network
    has thousands of weights, and training writes them back every step)."""
    if isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, (tuple, list)):
        if any(isinstance(v, bool) for v in value):
            raise SettingsError("the network's weights must be numbers, not true or false")
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            raise SettingsError("the network's weights must be a list of numbers") from None
    else:
        raise SettingsError("the network's weights must be a list of numbers")
    if arr.dtype.kind not in "iuf" or arr.ndim != 1:
        raise SettingsError("the network's weights must be a flat list of numbers")
    if arr.size != n:
        raise SettingsError(f"this network has {n} weights and biases, not {arr.size}")
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)) or (arr.size and float(np.abs(arr).max()) > LINE_LIMIT):
        raise SettingsError(f"every weight must be a finite number between {-LINE_LIMIT:g} and {LINE_LIMIT:g}")
    return tuple(arr.tolist())
