"""Why classifiers train on cross-entropy rather than squared error on the probability.

Through p = σ(z), each loss pulls on the logit z of an example of true class y with

    BCE:    dL/dz = p − y,                 |dL/dz| = 1 − p_true
    Brier:  dL/dz = 2(p − y)·p(1 − p),     |dL/dz| = 2·(1 − p_true)²·p_true

where p_true is the probability the model gives the true class. For a confidently wrong
example (p_true → 0) BCE's pull tends to 1, its largest, while Brier's tends to 0: squared
error lets go of exactly the points that are most wrong. ``confidently_wrong_race`` runs
both losses from such a start with the same optimizer, so the stall shows in their curves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lossdesk.model.descent import DescentResult, run_descent
from lossdesk.model.losses import get_loss, sigmoid
from lossdesk.model.network import output_gradients
from lossdesk.model.objective import Objective
from lossdesk.model.optimizers import Optimizer, make_optimizer
from lossdesk.model.predictors import Logistic, as_features

#: the probabilities of the true class the gradient plot spans by default
DEFAULT_P_TRUE = np.linspace(0.001, 0.999, 999)

#: the race's default data: one feature, class 1 exactly where x > 0, no point near the boundary
RACE_X = np.array([-2.0, -1.5, -1.0, 1.0, 1.5, 2.0])
RACE_LABELS = (RACE_X > 0).astype(float)
#: the race's default start: the slope points the wrong way, so every point gets p_true ≤ 0.7 %
RACE_START = np.array([-5.0, 0.0])
RACE_LEARNING_RATE = 0.5


@dataclass(frozen=True)
class GradientSizes:
    """|dL/dz| of each loss against the probability of the true class ``p_true``."""

    p_true: np.ndarray  # (m,)
    sizes: dict[str, np.ndarray]  # loss name -> (m,)


def gradient_size_against_confidence(
    losses: tuple[str, ...] = ("bce", "brier"), p: Any = None
) -> GradientSizes:
    """|dL/dz| for one example whose true class gets probability p (default ``DEFAULT_P_TRUE``).

    Computed by the objective's own chain rule (``network.output_gradients``) on a logistic
    model whose logit is z = log(p / (1 − p)) for an example of class 1, so it is exactly the
    pull a descent feels. Binary losses of a probability or a logit only (not hinge's score).
    """
    p_true = DEFAULT_P_TRUE if p is None else _probabilities(p)
    z = np.log(p_true) - np.log1p(-p_true)
    sizes = {}
    for name in losses:
        loss = get_loss(name)
        if loss.task != "binary" or loss.prediction not in ("probability", "logit"):
            raise ValueError(f"{loss.title} does not score a probability of two classes: "
                             "choose a binary loss of a probability or a logit")
        objective = Objective.create(loss, z, np.ones(z.size), Logistic(1))
        sizes[loss.name] = np.abs(output_gradients(objective, np.array([1.0, 0.0])))
    return GradientSizes(p_true.copy(), sizes)


def _probabilities(p: Any) -> np.ndarray:
    try:
        arr = np.array(p, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError("the probabilities must be numbers") from None
    if arr.size == 0:
        raise ValueError("give at least one probability")
    if not np.all((arr > 0.0) & (arr < 1.0)):  # also refuses NaN
        raise ValueError("each probability of the true class must lie strictly between 0 and 1")
    return arr


@dataclass(frozen=True)
class ConfidentlyWrongRace:
    """Each loss's descent from the same start: its own cost, and two shared yardsticks.

    ``accuracy[name][t]`` is the fraction of points on the right side of the boundary after
    step t, ``p_true[name][t]`` the mean probability given to the true class: both mean the
    same for every loss, unlike the costs, which each loss measures in its own units.
    """

    runs: dict[str, DescentResult]
    accuracy: dict[str, np.ndarray]
    p_true: dict[str, np.ndarray]

    @property
    def costs(self) -> dict[str, np.ndarray]:
        return {name: run.costs for name, run in self.runs.items()}

    def steps_to_accuracy(self, name: str, level: float = 1.0) -> int | None:
        """The first step at which loss ``name``'s run classifies ``level`` of the points right."""
        hits = np.flatnonzero(self.accuracy[name] >= level)
        return int(hits[0]) if hits.size else None

    def steps_to_cost(self, name: str, fraction: float = 0.1) -> int | None:
        """The first step at which loss ``name``'s cost is down to ``fraction`` of its start."""
        costs = self.runs[name].costs
        hits = np.flatnonzero(costs <= fraction * costs[0])
        return int(hits[0]) if hits.size else None


def confidently_wrong_race(
    x: Any = None,
    y: Any = None,
    losses: tuple[str, ...] = ("bce", "brier"),
    theta0: Any = None,
    optimizer: Optimizer | None = None,
    max_steps: int = 300,
    predictor: Any = None,
    gradient_tol: float = 0.0,
) -> ConfidentlyWrongRace:
    """Run each loss on the same binary data, from the same start, with the same optimizer.

    Defaults: ``RACE_X`` and ``RACE_LABELS``, a logistic model started at ``RACE_START``
    (sure of the wrong class at every point) and plain gradient descent with η =
    ``RACE_LEARNING_RATE``. Pass a network (``MLP``) as ``predictor`` with its own ``x``,
    ``y`` and ``theta0`` for the same race on XOR; the predictor must have one output.
    ``gradient_tol`` is 0 so a run stops early only at an exactly flat point: a vanishing
    gradient is what the race shows, not a sign that the run is done.
    """
    if (x is None) != (y is None):
        raise ValueError("give both the points x and their labels y, or neither")
    if x is None:
        x, y = RACE_X, RACE_LABELS
    default_data = x is RACE_X
    predictor = predictor or Logistic(as_features(x).shape[1])
    if predictor.n_outputs != 1:
        raise ValueError("the race compares losses of two classes: the model needs one output")
    if theta0 is None:
        if not (default_data and isinstance(predictor, Logistic) and predictor.n_features == 1):
            raise ValueError("give the race a start theta0 (the default start suits the default data)")
        theta0 = RACE_START
    optimizer = optimizer or make_optimizer("gd", lr=RACE_LEARNING_RATE)
    runs: dict[str, DescentResult] = {}
    accuracy: dict[str, np.ndarray] = {}
    p_true: dict[str, np.ndarray] = {}
    for name in losses:
        objective = Objective.create(name, x, y, predictor)
        if objective.loss.task != "binary":
            raise ValueError(f"{objective.loss.title} is not a loss of two classes")
        start = np.asarray(theta0, dtype=float)
        if start.shape != (predictor.n_params,):
            raise ValueError(f"the start needs {predictor.n_params} parameters, not {start.size}")
        run = run_descent(objective, optimizer, start, max_steps=max_steps, gradient_tol=gradient_tol)
        labels = objective.y
        z = np.stack([predictor.raw(theta, objective.x) for theta in run.thetas])  # (steps + 1, n)
        p1 = sigmoid(z)
        runs[objective.loss.name] = run
        accuracy[objective.loss.name] = ((z > 0) == (labels > 0.5)).mean(axis=1)
        p_true[objective.loss.name] = np.where(labels > 0.5, p1, 1.0 - p1).mean(axis=1)
    return ConfidentlyWrongRace(runs, accuracy, p_true)
