"""Gradient-descent controls and the animation that plays a run, for any tab.

The optimizer, its learning rate and the steps per frame are settings: the panel shows
``store.value.optimizer`` (an ``OptimizerChoice``) and ``store.value.steps_per_frame``
and writes changes back with ``store.update``. The run itself belongs to the tab, the
``driver``, which the panel asks to:

* ``advance(k) -> str``: take k steps, write θ back, return the run's status
  ("running", "converged", "diverged" or "max_steps");
* ``reset_run()``: put θ back at the start and forget the run;
* ``run_problem() -> str | None``: why it cannot run now (None: it can).
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from lossdesk.model import OPTIMIZERS
from lossdesk.model.hyperparameters import LEARNING_RATE_RANGE
from lossdesk.qt.controls.binding import show_choice, show_number, show_text, write
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked
from lossdesk.qt.views.panel import FormulaLabel
from lossdesk.settings import OptimizerChoice, SettingsStore
from lossdesk.settings.regression import MAX_STEPS_PER_FRAME

FRAME_MS = 16
IDLE_TEXT = "Press Play to roll down from here."


class RunText(FormulaLabel):
    """The run's state: drawn by the label itself, so a new step count repaints it alone.

    A form row gives it one line at first; like ``WrappedLabel`` it asks for the height its
    lines need, and only when the number of lines changes.
    """

    def _fit_height(self) -> None:
        need = self.heightForWidth(max(1, self.width()))
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        super().setText(text)
        if hasattr(self, "_tallest"):
            self._fit_height()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()


class WrappedLabel(QLabel):
    """A word-wrapped label that asks for the height its lines need at its width.

    A form layout gives a wrapped label the height of one line at its widest, so at larger
    text the second line of "Press Play to roll down from here." was cut off. The minimum
    height changes only when the line count does, so a readout changing every frame does
    not re-lay out the column.
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)

    def _fit_height(self) -> None:
        need = self.heightForWidth(max(1, self.width()))
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event) -> None:  # noqa: N802 — larger text: more lines
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit_height()


class DescentDriver(Protocol):
    def advance(self, k: int) -> str: ...

    def reset_run(self) -> None: ...

    def run_problem(self) -> str | None: ...


class DescentPanel(QGroupBox):
    """Optimizer, learning rate, speed, Play/Step/Reset, and the QTimer that plays."""

    started = Signal()  # a run is about to take a step (the tab may hide an old error)
    message = Signal(str, str)  # text, level

    def __init__(self, store: SettingsStore, driver: DescentDriver, parent: QWidget | None = None):
        super().__init__("Gradient descent", parent)
        self.store, self.driver = store, driver
        form = QFormLayout(self)
        form.setContentsMargins(6, 4, 6, 4)
        # Larger text: a row whose control does not fit beside its label goes under it,
        # rather than cut "Gradient descent" or "Learning rate" short.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.optimizer = QComboBox()
        self.optimizer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for name, cls in OPTIMIZERS.items():
            self.optimizer.addItem(cls.title, name)
        self.optimizer.setToolTip("How each step uses the gradient; choosing one starts it at its own "
                                  "learning rate")
        form.addRow("Optimizer", self.optimizer)
        low, high = LEARNING_RATE_RANGE
        self.lr = FloatSlider("", 1e-4, 10.0, store.value.optimizer.lr, log=True, decimals=5, box_range=(low, high),
                              tooltip="Learning rate η: the length of each step (log scale). "
                                      "Too long a step and the ball leaves the valley.")
        form.addRow("Learning rate", self.lr)
        self.speed = FloatSlider("", 1, MAX_STEPS_PER_FRAME, store.value.steps_per_frame, decimals=0,
                                 tooltip="How many descent steps each animation frame takes")
        form.addRow("Steps/frame", self.speed)
        buttons = QHBoxLayout()
        self.play = QPushButton("Play")
        self.play.setCheckable(True)
        self.play.setToolTip("Start or pause the descent (Space)")
        self.step = QPushButton("Step")
        self.step.setToolTip("Take one descent step (Right arrow)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Back to the start, and the path cleared (R)")
        for b in (self.play, self.step, self.reset_button):
            buttons.addWidget(b)
        form.addRow(buttons)
        # Its text changes with every step: a label that draws its own text and asks for room
        # only when it needs another line, so a step repaints it alone, not the whole column.
        self.run_status = RunText(IDLE_TEXT)
        self.run_status.setMinimumWidth(60)  # it wraps: never the reason the column is wide
        self.run_status.setToolTip("Where the descent is")
        form.addRow(self.run_status)

        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)
        self.optimizer.currentIndexChanged.connect(lambda i: self.set_optimizer(self.optimizer.itemData(i)))
        self.lr.valueChanged.connect(self.set_lr)
        self.speed.valueChanged.connect(self._speed_changed)
        self.play.toggled.connect(self.set_playing)
        self.step.clicked.connect(self.step_once)
        self.reset_button.clicked.connect(self.reset)
        store.changed.connect(self._store_changed)
        self.show_settings()

    # ------------------------------------------------------------------ settings
    def show_settings(self, value: Any = None) -> None:
        """Show the store's optimizer, learning rate and speed (signals blocked)."""
        value = self.store.value if value is None else value
        show_choice(self.optimizer, value.optimizer.name)
        show_number(self.lr, value.optimizer.lr)
        show_number(self.speed, float(value.steps_per_frame))

    sync = show_settings  # the name the tabs used before

    def _store_changed(self, new: Any, _old: Any) -> None:
        self.show_settings(new)

    def _report(self, text: str, level: str) -> None:
        self.message.emit(text, level)

    def set_optimizer(self, name: str) -> None:
        """Another optimizer, at its own default settings."""
        write(self._report, lambda: self.store.update(optimizer=OptimizerChoice.default(name)), self.show_settings)

    def set_lr(self, value: float) -> None:
        write(self._report, lambda: self.store.update(optimizer=self.store.value.optimizer.with_value("lr", value)),
              self.show_settings)

    def _speed_changed(self, value: float) -> None:
        write(self._report, lambda: self.store.update(steps_per_frame=max(1, int(round(value)))), self.show_settings)

    # ------------------------------------------------------------------ playing
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def _can_run(self) -> bool:
        """False (with the reason said) when the tab cannot run a descent now."""
        problem = self.driver.run_problem()
        if problem:
            self.message.emit(problem, "warning")
            return False
        return True

    def set_playing(self, playing: bool) -> None:
        if playing and not self._can_run():
            playing = False
        with signals_blocked(self.play):
            self.play.setChecked(playing)
        show_text(self.play, "Pause" if playing else "Play")  # type: ignore[arg-type]
        if playing == self.timer.isActive():
            return
        if playing:
            self.started.emit()
            self.timer.start()
        else:
            self.timer.stop()

    def toggle_play(self) -> None:
        self.set_playing(not self.playing)

    def tick(self) -> None:
        """One animation frame: ``steps_per_frame`` steps; a run that ends stops the animation."""
        if self.driver.advance(int(self.store.value.steps_per_frame)) != "running":
            self.set_playing(False)

    def step_once(self) -> None:
        self.set_playing(False)
        if not self._can_run():
            return
        self.started.emit()
        self.driver.advance(1)

    def reset(self) -> None:
        self.set_playing(False)
        self.started.emit()
        self.driver.reset_run()

    def show_run_text(self, text: str | None) -> None:
        """The run's state in a few words (None or empty: no run, so how to start one)."""
        text = text[0].upper() + text[1:] if text else IDLE_TEXT
        show_text(self.run_status, text)
