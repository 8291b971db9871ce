"""Gradient-descent controls and the animation that plays a run, for any tab's state."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from lossdesk.model import OPTIMIZERS
from lossdesk.qt.state import DEFAULT_LR, DataState
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked

FRAME_MS = 16


class DescentPanel(QGroupBox):
    """Optimizer, learning rate, speed, Play/Step/Reset, and the QTimer that plays."""

    started = Signal()
    message = Signal(str, str)

    def __init__(self, state: DataState, parent: QWidget | None = None):
        super().__init__("Gradient descent", parent)
        self.state = state
        form = QFormLayout(self)
        form.setContentsMargins(6, 4, 6, 4)
        self.optimizer = QComboBox()
        for name, cls in OPTIMIZERS.items():
            self.optimizer.addItem(cls.title, name)
        self.optimizer.setToolTip("How each step uses the gradient")
        form.addRow("Optimizer", self.optimizer)
        self.lr = FloatSlider("", 1e-4, 10.0, state.lr, log=True, decimals=5, box_range=(1e-5, 1000.0),
                              tooltip="Learning rate η: the size of each step (log scale). "
                                      "Too large and the ball flies out of the valley.")
        form.addRow("Learning rate", self.lr)
        self.speed = FloatSlider("", 1, 50, 1, decimals=0, tooltip="Descent steps per animation frame")
        form.addRow("Steps/frame", self.speed)
        buttons = QHBoxLayout()
        self.play = QPushButton("Play")
        self.play.setCheckable(True)
        self.play.setToolTip("Start or pause the descent (Space)")
        self.step = QPushButton("Step")
        self.step.setToolTip("Take one descent step (Right arrow)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Back to the start and clear the path (R)")
        for b in (self.play, self.step, self.reset_button):
            buttons.addWidget(b)
        form.addRow(buttons)
        self.run_status = QLabel("Press Play to roll down from here.")
        self.run_status.setWordWrap(True)
        form.addRow(self.run_status)

        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)
        self.optimizer.currentIndexChanged.connect(lambda i: self.set_optimizer(self.optimizer.itemData(i)))
        self.lr.valueChanged.connect(self.set_lr)
        self.speed.valueChanged.connect(lambda v: setattr(state, "steps_per_tick", max(1, int(round(v)))))
        self.play.toggled.connect(self.set_playing)
        self.step.clicked.connect(self.step_once)
        self.reset_button.clicked.connect(self.reset)
        state.changed.connect(self._state_changed)

    # ------------------------------------------------------------------ settings
    def sync(self) -> None:
        with signals_blocked(self.optimizer):
            self.optimizer.setCurrentIndex(self.optimizer.findData(self.state.optimizer))
        self.lr.set_value(self.state.lr)

    def set_optimizer(self, name: str) -> None:
        self.state.set_optimizer(name)
        self.set_lr(DEFAULT_LR.get(name, self.state.lr))
        self.sync()

    def set_lr(self, value: float) -> None:
        try:
            self.state.set_lr(value)
        except ValueError as exc:
            self.message.emit(str(exc), "error")
        self.lr.set_value(self.state.lr)

    # ------------------------------------------------------------------ playing
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def _can_run(self) -> bool:
        """False (with the reason shown) when the loss cannot score these labels."""
        problem = getattr(self.state, "label_problem", lambda: None)()
        if problem:
            self.message.emit(problem, "warning")
            return False
        return True

    def set_playing(self, playing: bool) -> None:
        if playing and not self._can_run():
            playing = False
        with signals_blocked(self.play):
            self.play.setChecked(playing)
        self.play.setText("Pause" if playing else "Play")
        if playing:
            self.started.emit()
            run = self.state.ensure_run()
            if run.status == "diverged":
                self.state.reset_run(run.thetas[0])
            self.timer.start()
        else:
            self.timer.stop()

    def toggle_play(self) -> None:
        self.set_playing(not self.playing)

    def tick(self) -> None:
        if self.state.step(self.state.steps_per_tick) != "running":
            self.set_playing(False)

    def step_once(self) -> None:
        self.set_playing(False)
        if not self._can_run():
            return
        self.started.emit()
        self.state.step(1)

    def reset(self) -> None:
        self.set_playing(False)
        self.started.emit()
        self.state.reset_run()

    def _state_changed(self, aspects: frozenset) -> None:
        if not aspects & {"run", "line"}:
            return
        run = self.state.run
        if run is None:
            self.run_status.setText("Press Play to roll down from here.")
        else:
            text = run.message
            self.run_status.setText(text[0].upper() + text[1:])
