"""The classification tab's choices: labelled data, the loss, the classifier's weights θ."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from lossdesk.model import BINARY_LOSSES, LOSSES, MULTICLASS_LOSSES, ClassificationData, Logistic, softmax_classifier
from lossdesk.model.predictors import LinearPredictor
from lossdesk.settings import checks
from lossdesk.settings.checks import SettingsError
from lossdesk.settings.data_source import DataSource
from lossdesk.settings.optimizer import OptimizerChoice
from lossdesk.settings.regression import LINE_LIMIT, MAX_STEPS_PER_FRAME

LOSS_NAMES: tuple[str, ...] = BINARY_LOSSES + MULTICLASS_LOSSES
DEFAULT_PRESET = "binary_1d"


def _default_source() -> DataSource:
    return DataSource.from_preset(DEFAULT_PRESET)


def start_theta(data: ClassificationData, loss: str) -> tuple[float, ...]:
    """Where a new classifier starts: wrong-ish but not flat, so there is something to see.

    All-zero weights give every point p = ½ (identical losses, one spike in the
    histogram). Instead a logistic model starts leaning the right way with its boundary
    pushed off-centre (w = 0.5, b = −1: some points wrong, every loss different); a
    softmax gives class k the direction 90° + 360°·(k + 0.45)/K, a fixed turn away from
    where ring-shaped classes usually sit. It depends on the model's shape only.
    """
    predictor = predictor_for(data, loss)
    d, k = predictor.n_features, predictor.n_outputs
    if k == 1:
        return (0.5,) * d + (-1.0,)
    theta: list[float] = []
    for c in range(k):
        if d == 1:
            weights = [0.5 * (c - (k - 1) / 2)]
        else:
            angle = np.pi / 2 + 2 * np.pi * (c + 0.45) / k
            weights = [0.7 * float(np.cos(angle)), 0.7 * float(np.sin(angle))] + [0.0] * (d - 2)
        theta += [round(w, 4) for w in weights] + [0.0]
    return tuple(theta)


def predictor_for(data: ClassificationData, loss: str) -> LinearPredictor:
    """Logistic regression for a binary loss, a linear softmax over K classes for a categorical one."""
    if LOSSES[loss].task == "multiclass":
        return softmax_classifier(data.n_classes, data.n_features)
    return Logistic(n_features=data.n_features)


@dataclass(frozen=True)
class ClassificationSettings:
    """``theta`` holds every weight of the classifier (empty: start from zeros). A new
    value, and a new data set or loss whose classifier has another shape, start from
    ``start_theta`` instead (zeros are flat: every p = ½).

    ``surface_axes`` are the two parameters the cost surface is drawn over; ``add_label``
    is the class a double-click in the data view adds.
    """

    source: DataSource = field(default_factory=_default_source)
    loss: str = "bce"
    loss_params: dict[str, dict[str, float]] = field(
        default_factory=lambda: checks.default_loss_params(LOSS_NAMES))
    theta: tuple[float, ...] | None = None  # None: ``start_theta``
    optimizer: OptimizerChoice = field(default_factory=OptimizerChoice)
    steps_per_frame: int = 1
    surface_axes: tuple[int, int] = (0, 1)
    add_label: int = 0
    penalty: str = "none"  # "none", "l1", "l2" or "elastic" on the weights (never the biases)
    strength: float = 0.0  # λ
    l1_ratio: float = 0.5  # r, the elastic net's share of L1
    show_parts: bool = False  # the surface shows the data cost with the penalty's lines, not the total

    def __post_init__(self) -> None:
        if not isinstance(self.show_parts, bool):
            raise SettingsError("show_parts must be true or false")
        checked = checks.penalty(self.penalty, self.strength, self.l1_ratio)
        for key, value in zip(("penalty", "strength", "l1_ratio"), checked):
            object.__setattr__(self, key, value)
        if not isinstance(self.source, DataSource) or not isinstance(self.source.data, ClassificationData):
            raise SettingsError("the classification tab needs labelled points")
        checks.name(self.loss, "the classification loss", LOSS_NAMES)
        object.__setattr__(self, "loss_params", checks.loss_params(self.loss_params, LOSS_NAMES))
        n = self.predictor().n_params
        if self.theta is None:
            object.__setattr__(self, "theta", start_theta(self.data, self.loss))
        if not isinstance(self.theta, (tuple, list)):
            raise SettingsError("the classifier's weights must be a list of numbers")
        theta = tuple(checks.number(v, "a weight", -LINE_LIMIT, LINE_LIMIT) for v in self.theta) or (0.0,) * n
        if len(theta) != n:
            raise SettingsError(f"this classifier has {n} weights, not {len(theta)}")
        object.__setattr__(self, "theta", theta)
        if not isinstance(self.optimizer, OptimizerChoice):
            raise SettingsError("the optimizer is missing")
        object.__setattr__(self, "steps_per_frame",
                           checks.whole(self.steps_per_frame, "steps per frame", 1, MAX_STEPS_PER_FRAME))
        axes = self.surface_axes
        if not isinstance(axes, (tuple, list)) or len(axes) != 2:
            raise SettingsError("the surface needs two parameters")
        i, j = (checks.whole(a, "a surface axis", 0, max(n - 1, 0)) for a in axes)
        if i == j and n > 1:
            raise SettingsError("the surface needs two different parameters")
        object.__setattr__(self, "surface_axes", (i, j))
        object.__setattr__(self, "add_label", checks.whole(self.add_label, "the class to add", 0, self.data.n_classes - 1))

    # ------------------------------------------------------------------ reading
    @property
    def data(self) -> ClassificationData:
        return self.source.data  # type: ignore[return-value]

    @property
    def params(self) -> dict[str, float]:
        return dict(self.loss_params[self.loss])

    @property
    def penalty_args(self) -> dict[str, object]:
        """The penalty as ``Objective.create`` takes it."""
        return checks.penalty_args(self)

    def predictor(self) -> LinearPredictor:
        return predictor_for(self.data, self.loss)

    @property
    def theta_array(self) -> np.ndarray:
        return np.array(self.theta, dtype=float)

    def label_problem(self) -> str | None:
        """Why the loss cannot score these labels, if it cannot (the tab says so and waits)."""
        if LOSSES[self.loss].task == "binary" and self.data.n_classes > 2:
            return (f"{LOSSES[self.loss].title} needs two classes (labels 0 and 1), but this data set has "
                    f"{self.data.n_classes}. Choose categorical cross-entropy, or a two-class data set.")
        return None

    # ------------------------------------------------------------------ changing
    def _refitted(self, source: DataSource, loss: str) -> dict:
        """θ, the surface axes and the class to add, kept where they still fit the new model."""
        n = predictor_for(source.data, loss).n_params  # type: ignore[arg-type]
        theta = self.theta if len(self.theta) == n else start_theta(source.data, loss)  # type: ignore[arg-type]
        axes = self.surface_axes if max(self.surface_axes) < n else (0, 1 if n > 1 else 0)
        label = self.add_label if self.add_label < source.data.n_classes else 0  # type: ignore[attr-defined]
        return {"theta": theta, "surface_axes": axes, "add_label": label}

    def with_source(self, source: DataSource) -> ClassificationSettings:
        return replace(self, source=source, **self._refitted(source, self.loss))

    def without_point(self, row: int) -> ClassificationSettings:
        """Point ``row`` removed (the data become the user's own)."""
        return self.with_source(self.source.edited(self.data.without(row)))

    def with_loss(self, loss: str) -> ClassificationSettings:
        checks.name(loss, "the classification loss", LOSS_NAMES)
        return replace(self, loss=loss, **self._refitted(self.source, loss))

    def start(self) -> tuple[float, ...]:
        """Where this classifier starts (what Reset goes back to without a run)."""
        return start_theta(self.data, self.loss)

    def with_theta(self, theta) -> ClassificationSettings:
        return replace(self, theta=tuple(float(v) for v in np.asarray(theta, dtype=float).ravel()))

    def with_loss_param(self, loss: str, key: str, value: float) -> ClassificationSettings:
        params = {name: dict(p) for name, p in self.loss_params.items()}
        params.setdefault(loss, {})[key] = value
        return replace(self, loss_params=params)
