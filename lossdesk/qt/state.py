"""The regression explorer's state: what the user set, in one place.

Every setter validates, stores and emits ``changed`` with the aspects that moved:
``data``, ``loss``, ``line``, ``run``, ``hover``, ``selection``. Data edits go through
Qt's ``QUndoStack`` as whole-data-set swaps (data sets are immutable values), so every
kind of edit — cell, drag, add, delete, preset — undoes the same way.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..model import LOSSES, DescentRun, RegressionData, line_objective, make_optimizer
from ..model.dataset import DEFAULT_PRESET, make_preset

DEFAULT_LR = {"gd": 0.1, "sgd": 0.05, "momentum": 0.02, "nesterov": 0.02, "rmsprop": 0.05, "adam": 0.1}


class SetDataCommand(QUndoCommand):
    """Swap one data set for another; undo swaps it back."""

    def __init__(self, state: ExplorerState, old: RegressionData, new: RegressionData, text: str):
        super().__init__(text)
        self._state, self._old, self._new = state, old, new

    def redo(self) -> None:
        self._state._apply_data(self._new)

    def undo(self) -> None:
        self._state._apply_data(self._old)


class ExplorerState(QObject):
    changed = Signal(frozenset)
    message = Signal(str, str)  # text, level: "info", "warning" or "error"

    def __init__(self, data: RegressionData | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.data: RegressionData = data if data is not None else make_preset(DEFAULT_PRESET)  # type: ignore[assignment]
        self.preset: str | None = None if data is not None else DEFAULT_PRESET
        self.noise: float | None = None
        self.loss = "mse"
        self.loss_params: dict[str, dict[str, float]] = {
            name: {k: v[0] for k, v in loss.parameters.items()} for name, loss in LOSSES.items()
        }
        self.w = 0.0
        self.b = 0.0
        self.optimizer = "gd"
        self.lr = DEFAULT_LR["gd"]
        self.steps_per_tick = 1
        self.reduction = "mean"
        self.hover: int | None = None
        self.selected: int | None = None
        self.outlier: int | None = None
        self.outlier_base: float = 0.0
        self.run: DescentRun | None = None
        self._live_base: RegressionData | None = None

    # ------------------------------------------------------------------ helpers
    @property
    def params(self) -> dict[str, float]:
        return dict(self.loss_params[self.loss])

    def _emit(self, *aspects: str) -> None:
        self.changed.emit(frozenset(aspects))

    # ------------------------------------------------------------------ data
    def set_data(self, new: RegressionData, text: str) -> None:
        """Replace the data set as one undoable edit."""
        if new == self.data:
            return
        self.undo_stack.push(SetDataCommand(self, self.data, new, text))

    def begin_live_edit(self) -> None:
        """Start a gesture (a drag, a slider move) whose many small steps undo as one."""
        if self._live_base is None:
            self._live_base = self.data

    @property
    def live_editing(self) -> bool:
        return self._live_base is not None

    def preview_data(self, new: RegressionData) -> None:
        """Show a data set without an undo step (the live part of a gesture)."""
        self._apply_data(new)

    def end_live_edit(self, text: str) -> None:
        """Record the finished gesture as one undo step from where it began."""
        before, self._live_base = self._live_base, None
        if before is not None and before != self.data:
            self.undo_stack.push(SetDataCommand(self, before, self.data, text))
        self._emit("data")

    def _apply_data(self, new: RegressionData) -> None:
        self.data = new
        for attr in ("hover", "selected", "outlier"):
            value = getattr(self, attr)
            if value is not None and value >= new.n:
                setattr(self, attr, None)
        self.run = None
        self._emit("data", "run", "selection", "hover")

    def load_preset(self, name: str, noise: float | None = None) -> None:
        data = make_preset(name, noise=noise)
        self.preset, self.noise = name, noise
        self.outlier = None
        self.set_data(data, f"Load preset {name}")  # type: ignore[arg-type]

    def shift_outlier(self, shift: float, live: bool = False) -> None:
        """Put the outlier ``shift`` above (or below) where it was when it was chosen."""
        row = self.outlier
        if row is None or row >= self.data.n:
            return
        self.move_point(row, float(self.data.x[row]), self.outlier_base + shift, live=live)

    def move_point(self, row: int, x: float, y: float, live: bool = False) -> None:
        new = self.data.with_row(row, {"x": x, "y": y})
        if live:
            self.preview_data(new)  # type: ignore[arg-type]
        else:
            self.set_data(new, "Move point")  # type: ignore[arg-type]

    def add_point(self, x: float, y: float) -> int:
        self.set_data(self.data.with_added({"x": x, "y": y}), "Add point")  # type: ignore[arg-type]
        return self.data.n - 1

    def remove_point(self, row: int) -> None:
        self.set_data(self.data.without(row), "Remove point")  # type: ignore[arg-type]

    # ------------------------------------------------------------------ outlier
    def choose_outlier(self, row: int | None) -> None:
        self.outlier = row
        if row is not None:
            self.outlier_base = float(self.data.y[row])
        self._emit("selection")

    def add_outlier(self) -> int:
        """Add a point at the right edge of the data, on the current trend; it becomes the outlier."""
        x = float(self.data.x.max() + 0.1 * (np.ptp(self.data.x) or 1.0))
        y = float(self.w * x + self.b)
        row = self.add_point(x, y)
        self.choose_outlier(row)
        self.select(row)
        return row

    # ------------------------------------------------------------------ loss and line
    def set_loss(self, name: str) -> None:
        if name not in LOSSES or LOSSES[name].task != "regression":
            raise ValueError(f"{name} is not a regression loss")
        if name != self.loss:
            self.loss = name
            self.run = None
            self._emit("loss", "run")

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

    def set_line(self, w: float, b: float, keep_run: bool = False) -> None:
        if not (math.isfinite(w) and math.isfinite(b)):
            return
        if (w, b) == (self.w, self.b):
            return
        self.w, self.b = float(w), float(b)
        if not keep_run and self.run is not None:
            self.run = None
            self._emit("line", "run")
        else:
            self._emit("line")

    # ------------------------------------------------------------------ descent
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
            objective = line_objective(self.data.x, self.data.y, self.loss, **self.params)
            optimizer = make_optimizer(self.optimizer, lr=self.lr)
            self.run = DescentRun(objective, optimizer, np.array([self.w, self.b]),
                                  gradient_tol=1e-8)
        return self.run

    def step(self, k: int = 1) -> str:
        """Advance the descent by k steps and move the line with it."""
        run = self.ensure_run()
        if run.status == "diverged":
            return run.status
        run.advance(k)
        if run.status == "running" and run.steps >= 100_000:
            run.status = "max_steps"
        w, b = run.theta
        self.w, self.b = float(w), float(b)
        self._emit("line", "run")
        if run.status == "diverged":
            self.message.emit(
                f"Diverged at step {run.diverged_at}: the learning rate {self.lr:g} is too large "
                "for this loss and data. The line stays at the last good step; lower the rate and press Reset.",
                "error",
            )
        elif run.status == "converged":
            self.message.emit(f"Converged after {run.steps} steps.", "info")
        return run.status

    def reset_run(self, w: float = 0.0, b: float = 0.0) -> None:
        self.run = None
        self.w, self.b = w, b
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

    def set_reduction(self, reduction: str) -> None:
        if reduction != self.reduction:
            self.reduction = reduction
            self._emit("loss")
