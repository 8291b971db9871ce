"""One consistent set of numbers for the classification views.

``classifier_snapshot`` evaluates a classifier θ on labelled data under a loss: the logits
z, the class probabilities (σ(z) for two classes, softmax(z) for K), the probability
each point gives its true class, every point's loss, the cost, and the same cost computed
the two ways a framework can: from clipped probabilities and from logits, with a count
of the points where clipping changed the value (cross-entropy only: hinge scores the raw
outputs and squared error on p takes no log, so neither has a second way).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from lossdesk.model.dataset import ClassificationData
from lossdesk.model.losses import LOSSES, PROBABILITY_EPS, get_loss, sigmoid, softmax
from lossdesk.model.predictors import LinearPredictor

PROBABILITY_BINS = np.linspace(0.0, 1.0, 21)
#: the losses that are cross-entropy, computable from clipped probabilities or from logits
CROSS_ENTROPY = frozenset({"bce", "bce_logits", "cce", "cce_logits"})


@dataclass(frozen=True)
class ClassifierSnapshot:
    theta: np.ndarray
    labels: np.ndarray  # the true classes
    logits: np.ndarray  # z: (n,) for two classes, (n, K) for K
    probabilities: np.ndarray  # (n, K): every class's probability
    p_true: np.ndarray  # the probability of each point's own class
    margins: np.ndarray  # t·z for two classes (t = ±1); z_true − max other z for K
    losses: np.ndarray
    cost: float
    total: float
    cost_from_probabilities: float | None  # clipped-probability form (None but for cross-entropy)
    cost_from_logits: float | None  # logit form (None but for cross-entropy)
    clipped: int  # points whose loss the probability clip changed
    histogram_edges: np.ndarray
    histogram_counts: np.ndarray  # (K, bins): per true class, over P(class 1) or P(true class)

    @property
    def n(self) -> int:
        return int(self.losses.size)

    @cached_property
    def predicted(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)

    @cached_property
    def accuracy(self) -> float:
        return float(np.mean(self.predicted == self.labels))


def classifier_snapshot(
    data: ClassificationData, loss: str, predictor: LinearPredictor, theta: np.ndarray,
    params: dict[str, float] | None = None,
) -> ClassifierSnapshot:
    """Everything the classification views show for the classifier θ."""
    lossobj = get_loss(loss)
    kw = lossobj.resolve_params(params or {})
    labels = data.labels
    z = predictor.raw(theta, data.x)
    n = labels.size
    rows = np.arange(n)
    if z.ndim == 1:
        p1 = sigmoid(z)
        probabilities = np.column_stack([1.0 - p1, p1])
        t = 2.0 * labels - 1.0
        margins = t * z
        prob_loss, logit_loss = LOSSES["bce"], LOSSES["bce_logits"]
        prob_input = p1
        binary_labels = labels if data.n_classes == 2 else None
    else:
        probabilities = softmax(z)
        others = np.where(np.eye(z.shape[1], dtype=bool)[labels], -np.inf, z)
        margins = z[rows, labels] - others.max(axis=1)
        prob_loss, logit_loss = LOSSES["cce"], LOSSES["cce_logits"]
        prob_input = probabilities
        binary_labels = labels
    p_true = probabilities[rows, labels]

    feed = {"probability": prob_input, "logit": z, "score": z}[lossobj.prediction]
    losses = lossobj._value(labels.astype(float) if z.ndim == 1 else labels, feed, **kw)

    cost_p = cost_z = None
    clipped = 0
    if lossobj.name in CROSS_ENTROPY and binary_labels is not None:
        y = labels.astype(float) if z.ndim == 1 else labels
        # the loss itself is one of the two ways: its values are those, computed once
        from_p = losses if lossobj is prob_loss else prob_loss._value(y, prob_input)
        from_z = losses if lossobj is logit_loss else logit_loss._value(y, z)
        cost_p, cost_z = float(from_p.mean()), float(from_z.mean())
        clipped = int(np.count_nonzero((p_true < PROBABILITY_EPS) | (p_true > 1.0 - PROBABILITY_EPS)))

    # Histogram: binary -> P(class 1) per true class; K classes -> P(true class) per class.
    shown = probabilities[:, 1] if probabilities.shape[1] == 2 else p_true
    k = max(data.n_classes, probabilities.shape[1])
    counts = class_histogram(shown, labels, k, PROBABILITY_BINS)

    return ClassifierSnapshot(
        theta=np.asarray(theta, dtype=float).copy(),
        labels=labels,
        logits=z,
        probabilities=probabilities,
        p_true=p_true,
        margins=margins,
        losses=losses,
        cost=float(losses.mean()),
        total=float(losses.sum()),
        cost_from_probabilities=cost_p,
        cost_from_logits=cost_z,
        clipped=clipped,
        histogram_edges=PROBABILITY_BINS,
        histogram_counts=counts,
    )


def class_histogram(values: np.ndarray, labels: np.ndarray, k: int, edges: np.ndarray) -> np.ndarray:
    """Counts (k, bins): row c is ``np.histogram(values[labels == c], bins=edges)[0]``.

    ``edges`` are evenly spaced; bin i holds edges[i] ≤ v < edges[i + 1], the last bin
    its right edge too, and values outside the edges (or NaN) are in no bin — as
    ``np.histogram``. One pass: the bin from the spacing, put right against the edges
    themselves (rounding may land a value one bin off), then one ``bincount`` of
    (class, bin) for every class at once instead of a mask and a sort per class.
    """
    bins = edges.size - 1
    lo, hi = float(edges[0]), float(edges[-1])
    inside = (values >= lo) & (values <= hi)
    if not inside.all():
        values, labels = values[inside], labels[inside]
    index = np.minimum(((values - lo) * (bins / (hi - lo))).astype(np.intp), bins - 1)
    index -= values < edges[index]
    index += (values >= edges[index + 1]) & (index != bins - 1)
    return np.bincount(labels * bins + index, minlength=k * bins).reshape(k, bins)
