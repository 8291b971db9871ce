"""What the user set, in one place per tab family.

``DataState`` holds what every tab has: a data set with its undo history, the chosen
loss and its parameters, the optimizer, the learning rate and the current descent
run. ``ExplorerState`` adds the regression line (w, b) and the outlier;
``ClassifierState`` adds a classifier's weight vector θ.

Every setter validates, stores and emits ``changed`` with the aspects that moved:
``data``, ``loss``, ``line`` (the model's parameters), ``run``, ``hover``,
``selection``. Data edits go through Qt's ``QUndoStack`` as whole-data-set swaps (data
sets are immutable values), so every kind of edit — cell, drag, add, delete, preset —
undoes the same way.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from lossdesk.model import (
    LOSSES,
    ClassificationData,
    Dataset,
    DescentRun,
    Logistic,
    Objective,
    RegressionData,
    line_objective,
    make_optimizer,
    softmax_classifier,
)
from lossdesk.model.dataset import DEFAULT_PRESET, make_preset
from lossdesk.model.predictors import LinearPredictor

DEFAULT_LR = {"gd": 0.1, "sgd": 0.05, "momentum": 0.02, "nesterov": 0.02, "rmsprop": 0.05, "adam": 0.1}
MAX_RUN_STEPS = 100_000


Origin = tuple  # (preset name or None, noise or None): where a data set came from


class SetDataCommand(QUndoCommand):
    """Swap one data set (and the preset it came from) for another; undo swaps it back."""

    def __init__(self, state: DataState, old: Dataset, new: Dataset, text: str,
                 old_origin: Origin, new_origin: Origin):
        super().__init__(text)
        self._state = state
        self._old, self._new = old, new
        self._old_origin, self._new_origin = old_origin, new_origin

    def redo(self) -> None:
        self._state._apply_data(self._new, self._new_origin)

    def undo(self) -> None:
        self._state._apply_data(self._old, self._old_origin)


class DataState(QObject):
    changed = Signal(frozenset)
    message = Signal(str, str)  # text, level: "info", "warning" or "error"

    #: the loss tasks this state accepts ("regression", "binary", "multiclass")
    tasks: tuple[str, ...] = ()
    #: what the descent moves, for messages
    model_word = "line"

    def __init__(self, data: Dataset, preset: str | None, loss: str, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.data = data
        self.preset = preset
        self.noise: float | None = None
        self.loss = loss
        self.loss_params: dict[str, dict[str, float]] = {
            name: {k: v[0] for k, v in spec.parameters.items()} for name, spec in LOSSES.items()
        }
        self.optimizer = "gd"
        self.lr = DEFAULT_LR["gd"]
        self.steps_per_tick = 1
        self.reduction = "mean"
        self.hover: int | None = None
        self.selected: int | None = None
        self.run: DescentRun | None = None
        self._live_base: Dataset | None = None
        self._live_origin: Origin = (preset, None)

    # ------------------------------------------------------------------ the model
    @property
    def theta(self) -> np.ndarray:
        raise NotImplementedError

    def _store_theta(self, theta: np.ndarray) -> None:
        raise NotImplementedError

    def initial_theta(self) -> np.ndarray:
        return np.zeros_like(self.theta)

    def objective(self) -> Objective:
        raise NotImplementedError

    @property
    def params(self) -> dict[str, float]:
        return dict(self.loss_params[self.loss])

    def _emit(self, *aspects: str) -> None:
        self.changed.emit(frozenset(aspects))

    # ------------------------------------------------------------------ data
    @property
    def origin(self) -> Origin:
        return (self.preset, self.noise)

    def set_data(self, new: Dataset, text: str, origin: Origin | None = None) -> None:
        """Replace the data set as one undoable edit (``origin``: the preset it came from)."""
        if new == self.data and (origin is None or origin == self.origin):
            return
        self.undo_stack.push(SetDataCommand(self, self.data, new, text, self.origin,
                                            self.origin if origin is None else origin))

    def begin_live_edit(self) -> None:
        """Start a gesture (a drag, a slider move) whose many small steps undo as one."""
        if self._live_base is None:
            self._live_base = self.data
            self._live_origin = self.origin

    @property
    def live_editing(self) -> bool:
        return self._live_base is not None

    def preview_data(self, new: Dataset) -> None:
        """Show a data set without an undo step (the live part of a gesture)."""
        self._apply_data(new)

    def end_live_edit(self, text: str) -> None:
        """Record the finished gesture as one undo step from where it began."""
        before, self._live_base = self._live_base, None
        if before is not None and before != self.data:
            self.undo_stack.push(SetDataCommand(self, before, self.data, text, self._live_origin, self.origin))
        self._emit("data")

    def _apply_data(self, new: Dataset, origin: Origin | None = None) -> None:
        self.data = new
        if origin is not None:
            self.preset, self.noise = origin
        for attr in ("hover", "selected", "outlier"):
            value = getattr(self, attr, None)
            if value is not None and value >= new.n:
                setattr(self, attr, None)
        self.run = None
        self._data_applied()
        self._emit("data", "run", "selection", "hover", "line")

    def _data_applied(self) -> None:
        """Hook: a subclass adapts to a new data set here, before the views hear of it."""

    def _edit(self, new: Dataset, live: bool, text: str) -> None:
        if live:
            self.preview_data(new)
        else:
            self.set_data(new, text)

    def load_preset(self, name: str, noise: float | None = None) -> None:
        self.set_data(make_preset(name, noise=noise), f"Load preset {name}", origin=(name, noise))

    def regenerate_preset(self, name: str, noise: float, live: bool) -> None:
        """The preset drawn again with another noise level (live: without an undo step)."""
        if live:
            self.preset, self.noise = name, noise
            self.preview_data(make_preset(name, noise=noise))
        else:
            self.load_preset(name, noise)

    def remove_point(self, row: int) -> None:
        self.set_data(self.data.without(row), "Remove point")

    def add_values(self, values: dict[str, float]) -> int:
        """Add a point with these column values; return its row."""
        self.set_data(self.data.with_added(values), "Add point")
        return self.data.n - 1

    def default_new_point(self) -> dict[str, float]:
        """Where the editor's Add button puts a new point."""
        raise NotImplementedError

    # ------------------------------------------------------------------ loss
    def set_loss(self, name: str) -> None:
        if name not in LOSSES or LOSSES[name].task not in self.tasks:
            raise ValueError(f"{name} is not a loss for this tab")
        if name != self.loss:
            self.loss = name
            self.run = None
            self._loss_switched()
            self._emit("loss", "run", "line")

    def _loss_switched(self) -> None:
        """Hook: a subclass adapts its model to a new loss here."""

    def set_param(self, key: str, value: float) -> None:
        """Set a parameter of the selected loss."""
        self.set_loss_param(self.loss, key, value)

    def set_loss_param(self, loss: str, key: str, value: float) -> None:
        params = dict(self.loss_params[loss])
        params[key] = value
        LOSSES[loss].resolve_params(params)  # raises ValueError if out of range
        if params != self.loss_params[loss]:
            self.loss_params[loss] = params
            if loss == self.loss:
                self.run = None
            self._emit("loss", "run")

    def set_reduction(self, reduction: str) -> None:
        if reduction != self.reduction:
            self.reduction = reduction
            self._emit("loss")

    # ------------------------------------------------------------------ descent
    def set_theta(self, theta: np.ndarray) -> None:
        """Put the model at θ (a slider, a dragged handle); a run in progress is dropped."""
        theta = np.asarray(theta, dtype=float)
        if not np.all(np.isfinite(theta)) or np.array_equal(theta, self.theta):
            return
        self._store_theta(theta)
        if self.run is not None:
            self.run = None
            self._emit("line", "run")
        else:
            self._emit("line")

    def set_optimizer(self, name: str) -> None:
        if name != self.optimizer:
            self.optimizer = name
            self.run = None
            self._emit("run")

    def set_lr(self, lr: float) -> None:
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError("the learning rate must be a number greater than 0")
        if lr != self.lr:
            self.lr = float(lr)
            self.run = None
            self._emit("run")

    def ensure_run(self) -> DescentRun:
        if self.run is None or not self.run.running and self.run.status != "diverged":
            optimizer = make_optimizer(self.optimizer, lr=self.lr)
            self.run = DescentRun(self.objective(), optimizer, self.theta, gradient_tol=1e-8)
        return self.run

    def step(self, k: int = 1) -> str:
        """Advance the descent by k steps and move the model with it."""
        run = self.ensure_run()
        if run.status == "diverged":
            return run.status
        run.advance(k)
        if run.status == "running" and run.steps >= MAX_RUN_STEPS:
            run.status = "max_steps"
        self._store_theta(run.theta)
        self._emit("line", "run")
        if run.status == "diverged":
            self.message.emit(
                f"Diverged at step {run.diverged_at}: the learning rate {self.lr:g} is too large "
                f"for this loss and data. The {self.model_word} stays at the last good step; "
                "lower the rate and press Reset.",
                "error",
            )
        elif run.status == "converged":
            self.message.emit(f"Converged after {run.steps} steps.", "info")
        return run.status

    def reset_run(self, theta: np.ndarray | None = None) -> None:
        """Clear the descent and put the model at its start (or at ``theta``)."""
        self.run = None
        self._store_theta(self.initial_theta() if theta is None else np.asarray(theta, dtype=float))
        self._emit("line", "run")

    # ------------------------------------------------------------------ hover, selection
    def set_hover(self, row: int | None) -> None:
        if row != self.hover:
            self.hover = row
            self._emit("hover")

    def select(self, row: int | None) -> None:
        if row != self.selected:
            self.selected = row
            self._emit("selection")


class ExplorerState(DataState):
    """Regression: the data, the line ŷ = w·x + b, and an outlier to move."""

    tasks = ("regression",)

    def __init__(self, data: RegressionData | None = None, parent: QObject | None = None):
        preset = None if data is not None else DEFAULT_PRESET
        super().__init__(data if data is not None else make_preset(DEFAULT_PRESET), preset, "mse", parent)
        self.w = 0.0
        self.b = 0.0
        self.outlier: int | None = None
        self.outlier_base = 0.0

    @property
    def theta(self) -> np.ndarray:
        return np.array([self.w, self.b])

    def _store_theta(self, theta: np.ndarray) -> None:
        self.w, self.b = float(theta[0]), float(theta[1])

    def objective(self) -> Objective:
        return line_objective(self.data.x, self.data.y, self.loss, **self.params)

    def set_line(self, w: float, b: float) -> None:
        self.set_theta(np.array([w, b], dtype=float))

    def load_preset(self, name: str, noise: float | None = None) -> None:
        self.outlier = None
        super().load_preset(name, noise)

    def move_point(self, row: int, x: float, y: float, live: bool = False) -> None:
        self._edit(self.data.with_row(row, {"x": x, "y": y}), live, "Move point")

    def add_point(self, x: float, y: float) -> int:
        return self.add_values({"x": x, "y": y})

    def default_new_point(self) -> dict[str, float]:
        x = float(self.data.x.max()) + 0.5
        return {"x": x, "y": self.w * x + self.b}

    # ------------------------------------------------------------------ outlier
    def choose_outlier(self, row: int | None) -> None:
        self.outlier = row
        if row is not None:
            self.outlier_base = float(self.data.y[row])
        self._emit("selection")

    def shift_outlier(self, shift: float, live: bool = False) -> None:
        """Put the outlier ``shift`` above (or below) where it was when it was chosen."""
        row = self.outlier
        if row is None or row >= self.data.n:
            return
        self.move_point(row, float(self.data.x[row]), self.outlier_base + shift, live=live)

    def add_outlier(self) -> int:
        """Add a point at the right edge of the data, on the current line; it becomes the outlier."""
        x = float(self.data.x.max() + 0.1 * (np.ptp(self.data.x) or 1.0))
        row = self.add_point(x, float(self.w * x + self.b))
        self.choose_outlier(row)
        self.select(row)
        return row


class ClassifierState(DataState):
    """Classification: labelled points and a classifier's weights θ.

    Binary losses use logistic regression over the data's one or two features; the
    categorical losses a linear softmax over K classes. Switching between the two
    families, or to data of another shape, starts θ again from zeros.
    """

    tasks = ("binary", "multiclass")
    model_word = "classifier"

    def __init__(self, data: ClassificationData | None = None, loss: str = "bce",
                 parent: QObject | None = None):
        preset = None if data is not None else "binary_1d"
        super().__init__(data if data is not None else make_preset("binary_1d"), preset, loss, parent)
        self._theta = self.predictor().initial_params()

    def predictor(self) -> LinearPredictor:
        data: ClassificationData = self.data  # type: ignore[assignment]
        if LOSSES[self.loss].task == "multiclass":
            return softmax_classifier(data.n_classes, data.n_features)
        return Logistic(n_features=data.n_features)

    @property
    def theta(self) -> np.ndarray:
        return self._theta.copy()

    def _store_theta(self, theta: np.ndarray) -> None:
        self._theta = np.asarray(theta, dtype=float).copy()

    def initial_theta(self) -> np.ndarray:
        return self.predictor().initial_params()

    def objective(self) -> Objective:
        data: ClassificationData = self.data  # type: ignore[assignment]
        return Objective.create(self.loss, data.x, data.labels, self.predictor(), **self.params)

    def label_problem(self) -> str | None:
        """Why the current loss cannot score the current labels, if it cannot."""
        data: ClassificationData = self.data  # type: ignore[assignment]
        if LOSSES[self.loss].task == "binary" and data.n_classes > 2:
            return (f"{LOSSES[self.loss].title} needs two classes (labels 0 and 1), but this data set has "
                    f"{data.n_classes}. Choose categorical cross-entropy, or a two-class data set.")
        return None

    def _fit_theta_to_model(self) -> None:
        if self._theta.size != self.predictor().n_params:
            self._theta = self.initial_theta()

    def _data_applied(self) -> None:
        self._fit_theta_to_model()

    def _loss_switched(self) -> None:
        self._fit_theta_to_model()

    def move_point(self, row: int, values: dict[str, float], live: bool = False) -> None:
        self._edit(self.data.with_row(row, values), live, "Move point")

    def default_new_point(self) -> dict[str, float]:
        data: ClassificationData = self.data  # type: ignore[assignment]
        values = {name: float(data.column(name).mean()) for name in data.column_names if name != "label"}
        values["label"] = 0.0
        return values
