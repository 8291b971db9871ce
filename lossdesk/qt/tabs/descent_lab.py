"""The descent lab: optimizers racing down the current data set's own cost surface.

Settings in, results out, views drawn. The lab's choices (which optimizers race, each
one's hyperparameters, the schedule, the start, steps per frame) live in its
``DescentLabSettings`` store; the data and the loss come from the regression store it
shares with the explorer. Every control is built from the model's metadata
(``optimizer_settings``, ``SCHEDULES[...].setting``) and bound two-way to a field.

The race (``lossdesk.model.race.Race``) is the only state the tab keeps: transient, never
saved, passed into ``compute_descent_lab``. Any change of what the race depends on drops
it, and a fresh one starts from the start. A racer that diverges stops at its own step
while the others go on; the status bar says so once per divergence.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
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

from lossdesk.model import OPTIMIZERS, SCHEDULES
from lossdesk.model.hyperparameters import Hyperparameter
from lossdesk.model.optimizers import optimizer_settings
from lossdesk.model.race import Race
from lossdesk.model.results.descent_lab import (
    DescentLabCache,
    DescentLabResults,
    advance_race,
    compute_descent_lab,
    new_race,
)
from lossdesk.qt import theme
from lossdesk.qt.controls.binding import (
    show_choice,
    show_number,
    show_text,
    show_visible,
    write,
)
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.tabs.refresh_when_shown import EVERYTHING, RefreshWhenShown
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.qt.views.race_curves import RaceCurvesView
from lossdesk.qt.views.race_surface import (
    BALL_MARKS,
    SHORT_NAMES,
    RaceSurfaceView,
    ball_icon,
)
from lossdesk.qt.views.valley_3d import Valley3D, opengl_problem
from lossdesk.settings import DescentLabSettings, RegressionSettings, SettingsStore
from lossdesk.settings.regression import MAX_STEPS_PER_FRAME

FRAME_MS = 16
TABLE_COLUMNS = ("optimizer", "status", "steps", "cost")
SURFACE_TIP = ("Click anywhere to start every ball there. Each optimizer's ball has its own colour and shape. "
               "White square: the start; green star: the lowest cost. White dotted line at a ball: the way straight "
               "downhill from it (the steepest descent, −gradient). Coloured line at a ball: the step it just took "
               "(momentum makes it differ from the way downhill).")
MARKS_NOTE = ("On the map: white square, the start; green star, the lowest cost; white dots at a ball, "
              "the way straight downhill; coloured line at a ball, the step it just took.")


def _spin(spec: Hyperparameter, tooltip: str) -> QAbstractSpinBox:
    """A number box over the setting's range, with its precision, that reports on Enter."""
    if spec.whole:
        box: QAbstractSpinBox = QSpinBox()
        box.setRange(int(spec.low), int(spec.high))
    else:
        box = QDoubleSpinBox()
        box.setDecimals(spec.decimals)
        box.setRange(spec.low, spec.high)
        box.setSingleStep(10 ** -min(spec.decimals, 2))
        if spec.key == "lr":
            box.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
    box.setValue(spec.default)
    box.setKeyboardTracking(False)
    box.setToolTip(tooltip)
    return box


def _show_spin(box: Any, value: float) -> None:
    if box.value() != value:
        with signals_blocked(box):
            box.setValue(value)


class _RaceKey:
    """Everything the race depends on; a different key means a new race."""

    def __init__(self, lab: DescentLabSettings, regression: RegressionSettings) -> None:
        self.choices = (lab.racing, tuple(lab.optimizers[name] for name in lab.racing), lab.schedule,
                        lab.schedule_value, lab.start)
        self.data = regression.data  # data sets are immutable: the same object is the same data
        self.loss = (regression.loss, tuple(sorted(regression.params.items())))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _RaceKey) and self.data is other.data and self.loss == other.loss
                and self.choices == other.choices)

    __hash__ = None  # type: ignore[assignment]


class DescentLabTab(RefreshWhenShown, QWidget):
    status = Signal(str, str)

    def __init__(self, store: SettingsStore, reg_store: SettingsStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.reg_store = reg_store
        self.descent = self  # Play, Step and Reset drive the race itself
        self.cache = DescentLabCache()
        self.race: Race | None = None
        self._race_key: _RaceKey | None = None
        self._announced: set[str] = set()
        self._shown: DescentLabResults | None = None
        self._schedule_shown: str | None = None

        # ---------------------------------------------------------------- views
        self.surface_view = RaceSurfaceView()
        self.curves_view = RaceCurvesView()
        self.valley = Valley3D(opengl_problem())
        self.surface_panel = ViewPanel("The valley from above", self.surface_view.widget, SURFACE_TIP)
        self.valley_panel = ViewPanel("The valley in 3-D", self.valley,
                                      "The same cost surface as a landscape: w and b on the ground, the cost "
                                      "as height, every ball on it. Drag to turn, scroll to zoom.")
        self.curves_panel = ViewPanel("Loss curves", self.curves_view.widget,
                                      "The cost after each step, for every optimizer (its ball's colour and "
                                      "shape in the legend); dashed green: the lowest possible cost")

        # ---------------------------------------------------------------- controls
        opt_box = QGroupBox("Optimizers")
        grid = QGridLayout(opt_box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(4)
        lr_head = QLabel("<small>learning rate</small>")
        lr_head.setToolTip("η: how far each step goes along its direction")
        grid.addWidget(lr_head, 0, 1)
        grid.addWidget(QLabel("<small>settings</small>"), 0, 2, 1, 2)
        self.checks: dict[str, QCheckBox] = {}
        self.spins: dict[str, dict[str, Any]] = {}
        row = 1
        for name, cls in OPTIMIZERS.items():
            box = QCheckBox(SHORT_NAMES.get(name, cls.title))
            box.setIcon(ball_icon(name))  # the ball's colour and shape, as the views draw it
            box.setToolTip(f"Race {cls.title} (its ball: {BALL_MARKS[name].describe()}): "
                           f"{(cls.__doc__ or '').strip().splitlines()[0]}")
            box.toggled.connect(partial(self._racing_toggled, name))
            grid.addWidget(box, row, 0)
            self.checks[name] = box
            self.spins[name] = {}
            extra_row = row
            for spec in optimizer_settings(name):
                tip = f"{cls.title}: {spec.label}" + (f", {spec.description}" if spec.description else "")
                spin = _spin(spec, tip)
                spin.valueChanged.connect(partial(self._optimizer_value_changed, name, spec.key))
                self.spins[name][spec.key] = spin
                if spec.key == "lr":
                    grid.addWidget(spin, row, 1)
                else:  # one setting per line (Adam's β₂ under its β₁), so none overlaps at larger text
                    label = QLabel(spec.label)
                    label.setToolTip(tip)
                    grid.addWidget(label, extra_row, 2)
                    grid.addWidget(spin, extra_row, 3)
                    extra_row += 1
            row = max(row + 1, extra_row)
        grid.setColumnStretch(4, 1)
        self.lrs = {name: spins["lr"] for name, spins in self.spins.items()}

        run_box = QGroupBox("Race")
        form = QFormLayout(run_box)
        form.setContentsMargins(6, 4, 6, 4)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        sched_row = QHBoxLayout()
        self.schedule = QComboBox()
        for name, cls in SCHEDULES.items():
            self.schedule.addItem(cls.title, name)
        self.schedule.setToolTip("How the learning rate changes from step to step (the same for every optimizer)")
        self.schedule_label = QLabel()
        self.schedule_value = QDoubleSpinBox()
        self.schedule_value.setKeyboardTracking(False)
        sched_row.addWidget(self.schedule, 1)
        sched_row.addWidget(self.schedule_label)
        sched_row.addWidget(self.schedule_value)
        form.addRow("Schedule", sched_row)
        self.speed = FloatSlider("", 1, MAX_STEPS_PER_FRAME, 1, decimals=0,
                                 tooltip="How many steps every optimizer takes per animation frame")
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
        self.marks_note = QLabel(MARKS_NOTE)
        self.marks_note.setWordWrap(True)
        self.marks_note.setToolTip(SURFACE_TIP)
        theme.styled(self.marks_note, theme.muted_style)
        form.addRow(self.marks_note)

        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        # names whole, numbers in columns as wide as their longest text (so they do not jitter
        # from frame to frame), the status takes the rest
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setToolTip("Where each optimizer stands: ready (no step yet), running, converged, "
                              "stopped or diverged")
        side = self.side = QWidget()
        slay = QVBoxLayout(side)
        slay.setContentsMargins(4, 4, 4, 4)
        slay.addWidget(opt_box)
        slay.addWidget(run_box)
        slay.addWidget(self.table, 1)
        side.setMinimumWidth(300)
        side.setMaximumWidth(520)

        lay_out_tab(self, side, [self.surface_panel, self.valley_panel], [self.curves_panel],
                    top_sizes=[520, 420], heights=(420, 220), side_width=420)

        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)
        self.schedule.currentIndexChanged.connect(self._schedule_chosen)
        self.schedule_value.valueChanged.connect(self._schedule_value_changed)
        self.speed.valueChanged.connect(self._speed_changed)
        self.play.toggled.connect(self.set_playing)
        self.step.clicked.connect(self.step_once)
        self.reset_button.clicked.connect(self.reset)
        self.surface_view.widget.scene().sigMouseClicked.connect(self._surface_clicked)
        theme.follow(self.restyle)
        self.follow(store)
        self.follow(reg_store, "regression.")
        self.refresh(EVERYTHING)

    # ================================================================= settings → widgets
    def show_settings(self, value: DescentLabSettings) -> None:
        """Every control shows ``value`` (signals blocked; only what differs is set)."""
        for name, box in self.checks.items():
            if box.isChecked() != (name in value.racing):
                with signals_blocked(box):
                    box.setChecked(name in value.racing)
        for name, spins in self.spins.items():
            values = value.optimizers[name].values
            for key, spin in spins.items():
                _show_spin(spin, values[key])
        show_choice(self.schedule, value.schedule)
        spec = SCHEDULES[value.schedule].setting
        if value.schedule != self._schedule_shown:
            self._schedule_shown = value.schedule
            if spec is not None:
                with signals_blocked(self.schedule_value):
                    self.schedule_value.setDecimals(spec.decimals)
                    self.schedule_value.setRange(spec.low, spec.high)
                    self.schedule_value.setSingleStep(1 if spec.whole else 10 ** -min(spec.decimals, 3))
                tip = f"{SCHEDULES[value.schedule].title}: {spec.label}, {spec.description}"
                self.schedule_value.setToolTip(tip)
                self.schedule_label.setToolTip(tip)
        show_visible(self.schedule_label, spec is not None)
        show_visible(self.schedule_value, spec is not None)
        if spec is not None:
            show_text(self.schedule_label, spec.label)
            _show_spin(self.schedule_value, value.schedule_setting)
        show_number(self.speed, value.steps_per_frame)

    def restyle(self, look: theme.Look) -> None:
        """Rows tall enough for the text size in force; the table shows every racer."""
        self._fit_table()
        if self._shown is not None:
            self._fill_table(self._shown)  # "diverged" in this theme's red

    def _fit_table(self) -> None:
        row_height = self.table.fontMetrics().height() + 8  # rows and columns for the text size in force
        vertical = self.table.verticalHeader()
        if vertical.defaultSectionSize() != row_height:
            vertical.setMinimumSectionSize(row_height)
            vertical.setDefaultSectionSize(row_height)
        metrics = self.table.fontMetrics()
        for col, widest in ((2, "100000"), (3, "8.8888e+88")):
            width = max(metrics.horizontalAdvance(widest), metrics.horizontalAdvance(TABLE_COLUMNS[col])) + 16
            if self.table.columnWidth(col) != width:
                self.table.setColumnWidth(col, width)
        rows = max(self.table.rowCount(), 1)
        height = self.table.horizontalHeader().sizeHint().height() + rows * row_height + 2 * self.table.frameWidth()
        if self.table.minimumHeight() != height:
            self.table.setMinimumHeight(height)

    # ================================================================= widgets → settings
    def _write(self, change) -> bool:
        return write(self.status.emit, change, lambda: self.show_settings(self.store.value))

    def _racing_toggled(self, name: str, checked: bool) -> None:
        racing = set(self.store.value.racing)
        racing = racing | {name} if checked else racing - {name}
        self._write(lambda: self.store.update(racing=tuple(racing)))

    def _optimizer_value_changed(self, name: str, key: str, value: float) -> None:
        self._write(lambda: self.store.set(self.store.value.with_optimizer_value(name, key, value)))

    def _schedule_chosen(self, _index: int) -> None:
        name = self.schedule.currentData()
        self._write(lambda: self.store.update(schedule=name, schedule_value=None))

    def _schedule_value_changed(self, value: float) -> None:
        self._write(lambda: self.store.update(schedule_value=value))

    def _speed_changed(self, value: float) -> None:
        self._write(lambda: self.store.update(steps_per_frame=int(round(value))))

    def _surface_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.surface_view.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        ev.accept()
        self._write(lambda: self.store.update(start=(float(p.x()), float(p.y()))))

    # ================================================================= the race
    def current_race(self) -> Race:
        """The race for the current settings: the one in progress, or a fresh one if they changed."""
        key = _RaceKey(self.store.value, self.reg_store.value)
        if self.race is None or self._race_key != key:
            self.race = new_race(self.store.value, self.reg_store.value, self.cache)
            self._race_key = key
            self._announced = set()
        return self.race

    def results(self) -> DescentLabResults:
        """The lab's numbers for the current settings and race (correct even when hidden)."""
        return compute_descent_lab(self.store.value, self.reg_store.value, self.current_race(), self.cache)

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def set_playing(self, playing: bool) -> None:
        if playing and not self.current_race().running:
            self._new_race()  # a finished race plays again from the start
            self._redraw()
            playing = self.current_race().running
        if playing:
            self.timer.start()
        else:
            self.timer.stop()
        if self.play.isChecked() != playing:
            with signals_blocked(self.play):
                self.play.setChecked(playing)
        show_text(self.play, "Pause" if playing else "Play")

    def toggle_play(self) -> None:
        self.set_playing(not self.playing)

    def tick(self) -> None:
        self.run_steps(self.store.value.steps_per_frame)
        if not self.current_race().running:
            self.set_playing(False)

    def step_once(self) -> None:
        self.set_playing(False)
        self.run_steps(1)

    def run_steps(self, k: int) -> str:
        """Every racer still running takes up to k steps; returns how the race stands."""
        race = self.current_race()
        advance_race(race, k)
        self._redraw()
        statuses = [run.status for run in race.runs.values()]
        if "running" in statuses:
            return "running"
        if statuses and all(s == "diverged" for s in statuses):
            return "diverged"
        return "max_steps" if "max_steps" in statuses else "converged"

    def reset(self) -> None:
        self.set_playing(False)
        self._new_race()
        self._redraw()

    def _new_race(self) -> None:
        self.race = None
        self.current_race()

    # ================================================================= drawing
    def refresh(self, changed: frozenset = EVERYTHING) -> None:
        """Show the current settings; the race starts again if anything it depends on changed."""
        self.show_settings(self.store.value)
        key = _RaceKey(self.store.value, self.reg_store.value)
        if self.race is not None and self._race_key != key:
            self.set_playing(False)
            self.race = None
        self._redraw()

    def settings_changed(self, changed: frozenset = EVERYTHING) -> None:
        race_changed = self._race_key != _RaceKey(self.store.value, self.reg_store.value)
        if race_changed:
            self.set_playing(False)  # the race starts again, paused
        lab_fields = {name for name in changed if not name.startswith("regression.")}
        if not (lab_fields or race_changed):
            return  # the explorer's line, optimizer or outlier: nothing the lab shows
        if lab_fields:
            self.show_settings(self.store.value)  # controls are cheap, and never stale even when hidden
        super().settings_changed(changed)

    def set_active(self, active: bool) -> None:
        if not active:
            self.set_playing(False)  # no racing (and redrawing) out of sight
        super().set_active(active)

    def _redraw(self) -> None:
        if not self.active:
            self._pending = self._pending | EVERYTHING
            return
        results = self.results()
        self._shown = results
        self.surface_view.draw(results)
        self.valley.draw(results)
        self.curves_view.draw(results)
        self._fill_table(results)
        show_text(self.curves_panel.readout, f"step {results.steps}   lowest possible cost {results.best_cost:.4g}")
        for name, racer in results.racers.items():
            if racer.diverged and name not in self._announced:
                self._announced.add(name)
                self.status.emit(f"{racer.title} diverged at step {racer.diverged_at} and stopped there; the other "
                                 "optimizers carry on. A smaller learning rate keeps it in the valley.", "warning")

    def refit_views(self) -> None:
        results = self._shown if self._shown is not None else self.results()
        self.surface_view.refit(results)
        self.curves_view.refit(results)

    def _fill_table(self, results: DescentLabResults) -> None:
        if self.table.rowCount() != len(results.rows):
            self.table.setRowCount(len(results.rows))
            self._fit_table()
        for row, line in enumerate(results.rows):
            texts = (SHORT_NAMES.get(line.name, line.name), line.status_text, str(line.steps), f"{line.cost:.5g}")
            for col, text in enumerate(texts):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, col, item)
                if item.text() != text:
                    item.setText(text)
                if col == 0 and item.data(Qt.ItemDataRole.UserRole) != line.name:
                    item.setData(Qt.ItemDataRole.UserRole, line.name)
                    item.setIcon(ball_icon(line.name))  # colour and shape of its ball
                    item.setToolTip(f"{SHORT_NAMES.get(line.name, line.name)}: the {BALL_MARKS[line.name].describe()}")
                if col == 1:  # diverged in the theme's warning red; otherwise its own text colour
                    wanted = QColor(theme.look().error) if line.diverged else None
                    if item.data(Qt.ItemDataRole.ForegroundRole) != wanted:
                        item.setData(Qt.ItemDataRole.ForegroundRole, wanted)


DescentTab = DescentLabTab
