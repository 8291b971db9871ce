"""The descent lab: optimizers racing down the current data set's own cost surface.

Works on the regression explorer's data and loss (shared state). Each optimizer has its
own colour, settings, trail and ball; all start where the user clicked; a learning-rate
schedule applies to all. The race itself is the model layer's ``Race``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lossdesk.model import OPTIMIZERS, SCHEDULES, make_optimizer, make_schedule
from lossdesk.model.race import Race
from lossdesk.model.snapshot import SurfaceCache, SurfaceWindow
from lossdesk.model.surface import line_surface_window
from lossdesk.qt import style
from lossdesk.qt.tabs.refresh_when_shown import RefreshWhenShown
from lossdesk.qt.state import DEFAULT_LR, ExplorerState
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.views.valley_3d import Valley3D, opengl_problem
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.qt.views.race_curves import RaceCurvesView
from lossdesk.qt.views.race_surface import RaceSurfaceView
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked

FRAME_MS = 16
SURFACE_SIZE = 128
SHOWN_AT_START = ("gd", "momentum", "adam")
#: the extra settings each optimizer shows: (attribute, label, low, high, default, decimals)
EXTRAS = {
    "sgd": [("batch_size", "batch", 1, 1000, 8, 0)],
    "momentum": [("momentum", "β", 0.0, 0.999, 0.9, 3)],
    "nesterov": [("momentum", "β", 0.0, 0.999, 0.9, 3)],
    "rmsprop": [("rho", "ρ", 0.0, 0.999, 0.99, 3)],
    "adam": [("beta1", "β₁", 0.0, 0.999, 0.9, 3), ("beta2", "β₂", 0.0, 0.9999, 0.999, 4)],
}
#: each schedule's one setting: (keyword, label, low, high, default, decimals)
SCHEDULE_SETTING = {
    "constant": None,
    "step": ("every", "every", 1, 100000, 50, 0),
    "exponential": ("gamma", "γ", 0.5, 1.0, 0.99, 4),
    "cosine": ("total", "T", 1, 100000, 200, 0),
}
TABLE_COLUMNS = ("optimizer", "status", "steps", "cost")
SHORT_NAMES = {"gd": "GD", "sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov",
               "rmsprop": "RMSProp", "adam": "Adam"}


def _spin(low: float, high: float, value: float, decimals: int):
    box = QSpinBox() if decimals == 0 else QDoubleSpinBox()
    if decimals:
        box.setDecimals(decimals)
        box.setSingleStep(10 ** -min(decimals, 2))
    box.setRange(low, high)
    box.setValue(value)
    box.setKeyboardTracking(False)
    return box


class DescentTab(RefreshWhenShown, QWidget):
    status = Signal(str, str)

    def __init__(self, state: ExplorerState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.cache = SurfaceCache()
        self.window: SurfaceWindow | None = None
        self.start = (0.0, 0.0)
        self.best = (0.0, 0.0)
        self.best_cost = 0.0
        self.race: Race | None = None
        self._announced: set[str] = set()

        # ---------------------------------------------------------------- views
        self.surface_view = RaceSurfaceView()
        self.curves_view = RaceCurvesView()
        self.valley = Valley3D(opengl_problem())
        self.surface_panel = ViewPanel("The valley from above", self.surface_view.widget,
                                       "Click anywhere to start every ball there. White dotted arrows: the way "
                                       "downhill; coloured arrows: the step momentum carries.")
        self.valley_panel = ViewPanel("The valley in 3-D", self.valley, "Drag to turn, scroll to zoom")
        self.curves_panel = ViewPanel("Loss curves", self.curves_view.widget,
                                      "The cost after each step, for every optimizer; dashed: the lowest possible")

        # ---------------------------------------------------------------- controls
        opt_box = QGroupBox("Optimizers")
        grid = QGridLayout(opt_box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.addWidget(QLabel("<small>learning rate</small>"), 0, 1)
        grid.addWidget(QLabel("<small>settings</small>"), 0, 2)
        self.checks: dict[str, QCheckBox] = {}
        self.lrs: dict[str, QDoubleSpinBox] = {}
        self.extras: dict[str, dict[str, object]] = {}
        for row, (name, cls) in enumerate(OPTIMIZERS.items(), start=1):
            box = QCheckBox(SHORT_NAMES[name])
            box.setChecked(name in SHOWN_AT_START)
            box.setStyleSheet(f"QCheckBox {{ color: {style.OPTIMIZER_COLOURS[name]}; font-weight: bold; }}")
            box.setToolTip(f"{cls.title}: {(cls.__doc__ or '').strip().splitlines()[0]}")
            lr = _spin(1e-4, 100.0, DEFAULT_LR[name], 5)
            lr.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
            lr.setToolTip(f"{cls.title}'s learning rate η")
            extras_row = QHBoxLayout()
            self.extras[name] = {}
            for attr, label, low, high, default, decimals in EXTRAS.get(name, []):
                spin = _spin(low, high, default, decimals)
                spin.setMinimumWidth(70)
                spin.setToolTip(f"{cls.title}: {label}")
                extras_row.addWidget(QLabel(label))
                extras_row.addWidget(spin)
                self.extras[name][attr] = spin
                spin.valueChanged.connect(lambda _v: self.rebuild())
            extras_row.addStretch(1)
            grid.addWidget(box, row, 0)
            grid.addWidget(lr, row, 1)
            grid.addLayout(extras_row, row, 2)
            self.checks[name] = box
            self.lrs[name] = lr
            box.toggled.connect(lambda _c: self.rebuild())
            lr.valueChanged.connect(lambda _v: self.rebuild())

        run_box = QGroupBox("Race")
        form = QFormLayout(run_box)
        form.setContentsMargins(6, 4, 6, 4)
        sched_row = QHBoxLayout()
        self.schedule = QComboBox()
        for name, cls in SCHEDULES.items():
            self.schedule.addItem(cls.title, name)
        self.schedule.setToolTip("How the learning rate changes over the steps (for every optimizer)")
        self.schedule_label = QLabel()
        self.schedule_value = QDoubleSpinBox()
        self.schedule_value.setKeyboardTracking(False)
        sched_row.addWidget(self.schedule, 1)
        sched_row.addWidget(self.schedule_label)
        sched_row.addWidget(self.schedule_value)
        form.addRow("Schedule", sched_row)
        self.speed = FloatSlider("", 1, 50, 1, decimals=0, tooltip="Steps per animation frame")
        form.addRow("Steps/frame", self.speed)
        buttons = QHBoxLayout()
        self.play = QPushButton("Play")
        self.play.setCheckable(True)
        self.play.setToolTip("Start or pause the race (Space)")
        self.step = QPushButton("Step")
        self.step.setToolTip("One step for every optimizer (Right arrow)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Every ball back to the start (R)")
        for b in (self.play, self.step, self.reset_button):
            buttons.addWidget(b)
        form.addRow(buttons)
        hint = QLabel("Click the surface to choose where the balls start.")
        hint.setWordWrap(True)
        form.addRow(hint)

        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.setToolTip("Where each optimizer stands: converged, still running or diverged")

        side = QWidget()
        slay = QVBoxLayout(side)
        slay.setContentsMargins(4, 4, 4, 4)
        slay.addWidget(opt_box)
        slay.addWidget(run_box)
        slay.addWidget(self.table, 1)
        side.setMinimumWidth(380)
        side.setMaximumWidth(460)

        lay_out_tab(self, side, [self.surface_panel, self.valley_panel], [self.curves_panel],
                    top_sizes=[520, 420], heights=(420, 220), side_width=420)

        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)
        self.schedule.currentIndexChanged.connect(lambda _i: self._schedule_changed())
        self.schedule_value.valueChanged.connect(lambda _v: self.rebuild())
        self.play.toggled.connect(self.set_playing)
        self.step.clicked.connect(self.step_once)
        self.reset_button.clicked.connect(self.reset)
        self.surface_view.widget.scene().sigMouseClicked.connect(self._surface_clicked)
        state.changed.connect(self._state_changed)
        self._schedule_changed()
        self._surface_changed(choose_start=True)

    # ================================================================= settings
    @property
    def shown(self) -> list[str]:
        return [name for name, box in self.checks.items() if box.isChecked()]

    def set_shown(self, names: list[str]) -> None:
        for name, box in self.checks.items():
            with signals_blocked(box):
                box.setChecked(name in names)
        self.rebuild()

    def set_learning_rate(self, lr: float, names: list[str] | None = None) -> None:
        for name in names or list(self.lrs):
            with signals_blocked(self.lrs[name]):
                self.lrs[name].setValue(lr)
        self.rebuild()

    def optimizer_settings(self, name: str) -> dict[str, float]:
        settings: dict[str, float] = {"lr": float(self.lrs[name].value())}
        for attr, spin in self.extras[name].items():
            settings[attr] = spin.value()  # type: ignore[attr-defined]
        return settings

    def _schedule_changed(self) -> None:
        name = self.schedule.currentData()
        setting = SCHEDULE_SETTING[name]
        self.schedule_label.setVisible(setting is not None)
        self.schedule_value.setVisible(setting is not None)
        if setting is not None:
            _key, label, low, high, default, decimals = setting
            with signals_blocked(self.schedule_value):
                self.schedule_label.setText(label)
                self.schedule_value.setDecimals(decimals)
                self.schedule_value.setRange(low, high)
                self.schedule_value.setSingleStep(1 if decimals == 0 else 0.001)
                self.schedule_value.setValue(default)
        self.rebuild()

    def make_schedule(self):
        name = self.schedule.currentData()
        setting = SCHEDULE_SETTING[name]
        if setting is None:
            return None
        key, *_rest, decimals = setting
        value = self.schedule_value.value()
        return make_schedule(name, **{key: int(value) if decimals == 0 else value})

    # ================================================================= the race
    def rebuild(self) -> None:
        """Start a fresh race from the start point with the current settings."""
        self.set_playing(False)
        try:
            optimizers = {name: make_optimizer(name, **self.optimizer_settings(name)) for name in self.shown}
            schedule = self.make_schedule()
        except ValueError as exc:
            self.status.emit(str(exc), "error")
            return
        self.race = Race(self.state.objective(), optimizers, np.array(self.start), schedule)
        self._announced = set()
        self.refresh_runs()

    def set_start(self, w: float, b: float) -> None:
        self.start = (float(w), float(b))
        self.rebuild()

    def set_playing(self, playing: bool) -> None:
        with signals_blocked(self.play):
            self.play.setChecked(playing)
        self.play.setText("Pause" if playing else "Play")
        if playing and self.race is not None:
            if not self.race.running:
                self.rebuild()
                with signals_blocked(self.play):
                    self.play.setChecked(True)
                self.play.setText("Pause")
            self.timer.start()
        else:
            self.timer.stop()

    def toggle_play(self) -> None:
        self.set_playing(not self.timer.isActive())

    def tick(self) -> None:
        if self.race is None:
            return
        self.race.step(max(1, int(round(self.speed.value()))))
        self.refresh_runs()
        if not self.race.running:
            self.set_playing(False)

    def step_once(self) -> None:
        self.set_playing(False)
        if self.race is not None:
            self.race.step(1)
            self.refresh_runs()

    def reset(self) -> None:
        self.rebuild()

    # ================================================================= drawing
    def refresh(self, aspects: frozenset) -> None:
        if aspects & {"data", "loss"}:
            self._surface_changed(choose_start=False)

    def set_active(self, active: bool) -> None:
        if not active:
            self.set_playing(False)  # no racing (and redrawing) out of sight
        super().set_active(active)

    def _surface_changed(self, choose_start: bool) -> None:
        s = self.state
        self.best = self.cache.best_line(s.data, s.loss, s.params)
        (w0, w1), (b0, b1) = line_surface_window(s.data.x, s.data.y)
        if choose_start:
            self.start = (w0 + 0.15 * (w1 - w0), b1 - 0.15 * (b1 - b0))
        ws = [w0, w1, self.best[0], self.start[0]]
        bs = [b0, b1, self.best[1], self.start[1]]
        pad_w, pad_b = 0.05 * (max(ws) - min(ws)), 0.05 * (max(bs) - min(bs))
        self.window = SurfaceWindow((min(ws) - pad_w, max(ws) + pad_w), (min(bs) - pad_b, max(bs) + pad_b),
                                    SURFACE_SIZE)
        z = self.cache.surface(s.data, s.loss, s.params, self.window)
        self.best_cost = float(s.objective().cost(np.array(self.best)))
        self.surface_view.show_surface(self.window, z)
        self.valley.show_surface(self.window, z)
        self.rebuild()

    def refresh_runs(self) -> None:
        runs = self.race.runs if self.race is not None else {}
        shown = set(self.shown)
        self.surface_view.show_points(self.start, self.best)
        self.surface_view.show_runs(runs, shown)
        self.valley.show_runs(runs, shown)
        self.curves_view.show(runs, shown, self.best_cost)
        self._fill_table(runs)
        for name, run in runs.items():
            if run.status == "diverged" and name not in self._announced:
                self._announced.add(name)
                self.status.emit(f"{OPTIMIZERS[name].title} diverged at step {run.diverged_at}; "
                                 "the others carry on. Lower its learning rate and press Reset.", "warning")

    def _fill_table(self, runs) -> None:
        self.table.setRowCount(len(runs))
        for row, (name, run) in enumerate(runs.items()):
            status = {"running": "running", "converged": "converged", "max_steps": "stopped",
                      "diverged": f"diverged at step {run.diverged_at}"}[run.status]
            values = (SHORT_NAMES[name], status, str(run.steps), f"{run.costs[-1]:.5g}")
            for col, text in enumerate(values):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, col, item)
                item.setText(text)
                if col == 0:
                    item.setForeground(QColor(style.OPTIMIZER_COLOURS[name]))
                if col == 1:  # diverged in red; otherwise the theme's own text colour
                    item.setData(Qt.ItemDataRole.ForegroundRole,
                                 QColor("#d55e00") if run.status == "diverged" else None)

    def _surface_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.surface_view.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        self.set_start(float(p.x()), float(p.y()))
        ev.accept()
