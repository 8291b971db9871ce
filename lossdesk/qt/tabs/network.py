"""The network tab: a small neural network learning from points, and how it knows it is wrong.

Settings in, results out, views drawn. Every choice lives in the tab's ``NetworkSettings``
store; data edits go through its ``DataHistory`` (one undo step each); the hovered and
selected points are its ``PointMarks``. ``results()`` is ``compute_network`` of the current
settings, the training run (transient tab state), the selected point and the last
landscape slice; every view and readout draws that one value. The landscape slice is
worked out on another thread (``NewestWins``): when asked, and whenever training pauses.

With a penalty (``PenaltyControls``) the training cost is the mean loss plus λ·P(W): the
formula line shows both parts, the loss view a column of the two beside the bars, and the
landscape is a slice of the whole training cost. The held-out cost stays a mean loss alone.
The loss-curves panel can show instead the race of cross-entropy against squared error on
the probability (two-class data only), worked out on a second worker thread.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lossdesk.model import LOSSES, PRESETS, SCHEDULES
from lossdesk.model.network import ACTIVATIONS, MAX_PARAMS
from lossdesk.model.results.network import (
    LANDSCAPE_SIZE,
    Landscape,
    NetworkCache,
    NetworkRace,
    NetworkResults,
    TrainingRun,
    compute_landscape,
    compute_network,
    compute_race,
    path_record,
    race_fits,
    start_training,
)
from lossdesk.model.results.runs import run_news
from lossdesk.qt import theme
from lossdesk.qt.background import NewestWins
from lossdesk.qt.controls.binding import (
    show_choice,
    show_enabled,
    show_number,
    show_text,
    show_visible,
    write,
)
from lossdesk.qt.controls.dataset_table import DatasetEditor
from lossdesk.qt.controls.descent_panel import DescentPanel, WrappedLabel
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked
from lossdesk.qt.controls.penalty import PenaltyControls
from lossdesk.qt.formula import FRACTION, SIZE, num
from lossdesk.qt.tabs.classification import SideTabs
from lossdesk.qt.tabs.data_actions import BannerMessages, DataTabActions, PointEditing, class_choice
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.tabs.refresh_when_shown import EVERYTHING, RefreshWhenShown
from lossdesk.qt.views.layer_gradients import LayerGradientsView
from lossdesk.qt.views.network_curves import NetworkCurvesView
from lossdesk.qt.views.network_data import NetworkDataView, NetworkLossView
from lossdesk.qt.views.network_graph import NetworkGraphView
from lossdesk.qt.views.network_landscape import NetworkLandscapeView
from lossdesk.qt.views.network_race import NetworkRaceView
from lossdesk.qt.views.panel import FormulaLabel, ViewPanel
from lossdesk.settings import SettingsStore, changed_fields
from lossdesk.settings.network import (
    MAX_BATCH,
    MAX_SEED,
    hidden_text,
    losses_for,
    parse_hidden,
)
from lossdesk.settings.regression import LINE_LIMIT
from lossdesk.settings.selection import PointMarks

#: the presets no straight line can handle first, then the others
NETWORK_PRESETS = ["xor", "circles", "moons", "spiral", "spiral3", "wave"]
PRESET_ORDER = [p for p in NETWORK_PRESETS if p in PRESETS] + [p for p in PRESETS if p not in NETWORK_PRESETS]
LOSS_WORDS = {
    "bce": "Binary cross-entropy", "bce_logits": "Binary, from scores", "hinge": "Hinge loss",
    "cce": "Categorical cross-entropy", "cce_logits": "Categorical, from scores",
    "brier": "Squared error on the probability",
}
ACTIVATION_TIPS = {
    "tanh": "tanh(z): smooth, from −1 to 1, centred on 0",
    "relu": "max(0, z): zero below 0, a straight line above; a neuron stuck below 0 stops learning",
    "sigmoid": "σ(z) = 1 / (1 + e⁻ᶻ): from 0 to 1; its slope is at most ¼, so deep layers learn slowly",
    "identity": "z itself: every layer linear, so the whole network is one linear model",
}
NO_POINT_TEXT = "Click a point to follow it through the network: its value at each neuron, its loss, its part of each gradient."
#: settings whose change makes the run in progress meaningless
RUN_INPUTS = frozenset({"source", "hidden", "activation", "loss", "loss_params", "optimizer", "schedule",
                        "schedule_value", "batch_size", "seed", "test_fraction", "penalty", "strength",
                        "l1_ratio"})
#: settings a landscape slice depends on (with θ): a change asks for a new one once training rests
SLICE_INPUTS = RUN_INPUTS | {"theta", "directions"}
#: how long the settings must rest before a new slice is asked for (a drag asks once, at its end)
SLICE_DELAY_MS = 350
#: settings a race depends on (see ``race_basis``), and showing it: a change asks for a new race
RACE_INPUTS = frozenset({"source", "hidden", "activation", "loss", "seed", "test_fraction", "curves"})
#: how long the settings must rest before a new race is asked for (a drag asks once, at its end)
RACE_DELAY_MS = 350
RACE_BUTTON_TIP = ("Race cross-entropy against squared error on the probability: the same network, from the same "
                   "confidently wrong start, by the same plain gradient descent. Click again for the training "
                   "curves.")
RACE_OFF_TIP = ("The race compares two losses of two classes: load a two-class data set (xor, circles, moons, "
                "spiral) to run it")
PLAYING_TEXT = "Training… (the step count is over the loss curves)"
#: while playing, the decision map is redrawn every this many frames (the other views every frame)
MAP_EVERY = 2


class NetworkDescentPanel(DescentPanel):
    """The descent panel, also saying when playing starts or stops (a pause asks for a new slice)."""

    playingChanged = Signal(bool)

    def set_playing(self, playing: bool) -> None:
        was = self.playing
        super().set_playing(playing)
        if self.playing != was:
            self.playingChanged.emit(self.playing)


class NetworkTab(RefreshWhenShown, DataTabActions, PointEditing, BannerMessages, QWidget):
    status = Signal(str, str)

    def __init__(self, store: SettingsStore, history, marks: PointMarks, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.history, self.marks = store, history, marks
        self.cache = NetworkCache()
        self.run: TrainingRun | None = None
        self.landscape: Landscape | None = None
        self.race: NetworkRace | None = None
        self._results: NetworkResults | None = None
        self._results_key: tuple = ()
        self._results_for: Any = None
        self._shown: dict[str, Any] = {}
        self._problem_shown: str | None = None
        self._frame = 0
        self.worker = NewestWins(self)
        self.worker.finished.connect(self._landscape_arrived)
        self.worker.failed.connect(self._landscape_failed)
        self._slice_timer = QTimer(self)
        self._slice_timer.setSingleShot(True)
        self._slice_timer.setInterval(SLICE_DELAY_MS)
        self._slice_timer.timeout.connect(self._slice_due)
        self._slice_wanted = True  # a slice is due when the tab is next shown
        self.race_worker = NewestWins(self)
        self.race_worker.finished.connect(self._race_arrived)
        self.race_worker.failed.connect(self._race_failed)
        self._race_timer = QTimer(self)
        self._race_timer.setSingleShot(True)
        self._race_timer.setInterval(RACE_DELAY_MS)
        self._race_timer.timeout.connect(self._race_due)

        # ---------------------------------------------------------------- views
        self.data_view = NetworkDataView()
        self.graph_view = NetworkGraphView()
        self.loss_view = NetworkLossView()
        self.curves_view = NetworkCurvesView()
        self.layers_view = LayerGradientsView()
        self.landscape_view = NetworkLandscapeView()
        self.race_view = NetworkRaceView()
        self.data_panel = ViewPanel("Data and predictions", self.data_view.widget,
                                    "Drag a point to move it; double-click to add one; right-click a point to "
                                    "relabel or remove it. Squares are held out: the network never trains on "
                                    "them. A ring's colour is that point's loss (bright: large).")
        self.add_class = class_choice()
        self.data_panel.add_header_widget(self.add_class)
        self.graph_panel = ViewPanel("The network", self.graph_view.widget,
                                     "Forward: each connection's colour and width is its weight (blue positive, "
                                     "red negative), each neuron's fill its bias, or the selected point's value "
                                     "there. Backward: each connection shows dC/dw and each neuron dC/dz, the "
                                     "error flowing back; with a point selected, that point's own part of them.")
        self.landscape_panel = ViewPanel("Landscape", self.landscape_view.widget,
                                         "The training cost (with the penalty, when there is one: the surface "
                                         "training goes down) over a flat slice through the network's weights: "
                                         "two directions out of all of them, so the real valley may curve away "
                                         "from it. The orange path is training projected onto the slice; the ball "
                                         "is the network now.")
        self.loss_panel = ViewPanel("Loss of each point", self.loss_view.widget,
                                    "One bar per point; the dashed line is the training cost, the mean over the "
                                    "training points. Outlined bars are held out. Hover a bar to find its point. "
                                    "With a penalty the dashed line is the training points' mean loss and the "
                                    "column on the right stacks λ·P(W) on it: its top, the dotted line, is the "
                                    "training cost.")
        self.reduction = QComboBox()
        for key in ("mean", "sum", "none"):
            self.reduction.addItem(key, key)
        self.reduction.setToolTip("How the losses of the training points become one number (the “reduction”): "
                                  "mean (the cost), sum, or none (keep one loss per point)")
        self.reduction.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.reduction.setMinimumContentsLength(4)
        self.loss_panel.add_header_widget(self.reduction)
        self.curves_pages = QStackedWidget()
        self.curves_pages.addWidget(self.curves_view.widget)
        self.curves_pages.addWidget(self.race_view.page)
        self.curves_panel = ViewPanel("Loss curves", self.curves_pages,
                                      "The training cost and the held-out cost after each step (with a penalty: "
                                      "the training cost, its loss part dotted, and the held-out loss, never "
                                      "penalised); or the race of cross-entropy against squared error")
        self.race_button = QPushButton("Race")  # the tooltip and the page's caption say which race
        self.race_button.setCheckable(True)
        self.race_button.setToolTip(RACE_BUTTON_TIP)
        self.curves_panel.add_header_widget(self.race_button)
        self.layers_panel = ViewPanel("Gradient size per layer", self.layers_view.widget,
                                      "‖dC/dW‖ of each layer's weights after each step, on a log scale: "
                                      "layers far from the output may get far smaller gradients")

        self.formula = FormulaLabel()
        self.formula.setWordWrap(True)
        theme.styled(self.formula, theme.formula_style)
        self.formula.setToolTip("The training cost with its numbers (with a penalty: the mean loss plus λ·P(W), "
                                "the weights only, never the biases), the held-out cost (a mean loss alone), and "
                                "the network's shape")
        self.banner = WrappedLabel("")
        theme.styled(self.banner, lambda look: (f"QLabel {{ color: {look.error}; font-weight: bold; "
                                                f"border: 1px solid {look.error}; padding: 4px; }}"))
        self.banner.setVisible(False)

        # ---------------------------------------------------------------- controls
        controls = QWidget()
        clay = QVBoxLayout(controls)
        clay.setContentsMargins(4, 4, 4, 4)
        clay.addWidget(self._data_box())
        clay.addWidget(self._network_box())
        self.penalty = PenaltyControls(store)
        self.penalty.setToolTip("training cost = mean loss + λ·penalty(W): on the network's weights, never its "
                                "biases; the held-out cost stays the mean loss alone")
        clay.addWidget(self.penalty)
        self.descent = NetworkDescentPanel(store, self)
        self._training_rows(self.descent.layout())
        for form in [self.descent.layout(), *self.descent.findChildren(QFormLayout)]:
            if isinstance(form, QFormLayout):
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        clay.addWidget(self.descent)
        clay.addWidget(self._landscape_box())
        point_box = QGroupBox("Selected point")
        play = QVBoxLayout(point_box)
        # its numbers change every training step: a label that repaints only itself
        self.point_text = FormulaLabel(NO_POINT_TEXT)
        self.point_text.setWordWrap(True)  # it wraps its own text: say so to the layouts
        play.addWidget(self.point_text)
        play.addStretch(1)
        clay.addWidget(point_box, 1)

        self.editor = DatasetEditor(store, history, marks)
        self.side = SideTabs()
        self.side.addTab(controls, "Controls")
        self.side.addTab(self.editor, "Data table")
        self.side.setMinimumWidth(250)
        self.side.setMaximumWidth(380)
        lay_out_tab(self, self.side, [self.data_panel, self.graph_panel, self.landscape_panel],
                    [self.loss_panel, self.curves_panel, self.layers_panel],
                    header=[self.formula, self.banner], top_sizes=[420, 380, 340], side_width=300)

        store.changed.connect(self._settings_moved)
        self.follow(store)
        marks.changed.connect(self._marks_changed)
        self._connect()
        self.connect_data_actions("Change spread")
        self.refresh(EVERYTHING)
        theme.follow(self._restyle)
        self._slice_timer.start()  # the first slice, once the window has settled

    # ==================================================================== building
    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _data_box(self) -> QGroupBox:
        box = QGroupBox("Data")
        form = self._form(box)
        self.preset = QComboBox()
        for name in PRESET_ORDER:
            self.preset.addItem(name, name)
            self.preset.setItemData(self.preset.count() - 1, PRESETS[name].description, Qt.ItemDataRole.ToolTipRole)
        self.preset.setToolTip("A built-in data set: labelled points or x,y points (Ctrl+Z brings the old "
                               "points back)")
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        form.addRow("Preset", self.preset)
        self.noise = FloatSlider("", 0.0, 2.0, 0.35, decimals=2,
                                 tooltip="How much noise the preset's points get; moving it draws them again")
        form.addRow("Spread", self.noise)
        self.test_fraction = FloatSlider("", 0.0, 50.0, 20.0, decimals=0,
                                         tooltip="The share of the points (in %) held out: never trained on, "
                                                 "only scored, for the held-out cost")
        form.addRow("Held out %", self.test_fraction)
        return box

    def _network_box(self) -> QGroupBox:
        box = QGroupBox("Network")
        form = self._form(box)
        self.hidden = QLineEdit()
        self.hidden.setPlaceholderText("none")
        self.hidden.setToolTip("The hidden layers' widths, input side first, e.g. 8 or 8,8 (up to 4 layers of "
                               "1 to 64). “none” or 0: no hidden layer, a plain logistic or softmax "
                               "regression (or a line). Press Enter to build it.")
        form.addRow("Hidden layers", self.hidden)
        self.activation = QComboBox()
        for name in ACTIVATIONS:
            self.activation.addItem(name, name)
            self.activation.setItemData(self.activation.count() - 1, ACTIVATION_TIPS[name],
                                        Qt.ItemDataRole.ToolTipRole)
        self.activation.setToolTip("The function each hidden neuron applies to its input z (the output layer "
                                   "has none)")
        form.addRow("Activation", self.activation)
        self.loss = QComboBox()
        self.loss.setToolTip("The loss that scores each prediction; only those that fit the data are listed")
        # as wide as about 16 letters, not the longest title: the list itself shows them whole
        self.loss.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.loss.setMinimumContentsLength(16)
        form.addRow("Loss", self.loss)
        seeds = QHBoxLayout()
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("The seed of everything random here: the starting weights, which points are held "
                             "out, and the mini-batches")
        self.new_weights = QPushButton("New weights")
        self.new_weights.setToolTip("Start again from other random weights (the next seed)")
        seeds.addWidget(self.seed, 1)
        seeds.addWidget(self.new_weights)
        form.addRow("Seed", seeds)
        views = QHBoxLayout()
        self.forward_button = QRadioButton("forward")
        self.backward_button = QRadioButton("backward")
        self.forward_button.setToolTip("The network drawn forward: its weights, and a selected point's value at "
                                       "each neuron")
        self.backward_button.setToolTip("The network drawn backward: the gradients dC/dw and dC/dz, the error "
                                        "flowing back (a selected point's own part of them)")
        self.view_buttons = QButtonGroup(self)
        for i, button in enumerate((self.forward_button, self.backward_button)):
            self.view_buttons.addButton(button, i)
            views.addWidget(button)
        views.addStretch(1)
        form.addRow("Show", views)
        self.size_text = WrappedLabel("")
        self.size_text.setToolTip(f"Weights and biases in the network (at most {MAX_PARAMS} train live)")
        form.addRow(self.size_text)
        return box

    def _training_rows(self, form: QFormLayout) -> None:
        """Schedule and batch size, inside the descent panel above its buttons."""
        at = max(form.rowCount() - 2, 0)
        row = QHBoxLayout()
        self.schedule = QComboBox()
        for name, cls in SCHEDULES.items():
            self.schedule.addItem(cls.title, name)
            self.schedule.setItemData(self.schedule.count() - 1, (cls.__doc__ or "").strip().splitlines()[0],
                                      Qt.ItemDataRole.ToolTipRole)
        self.schedule.setToolTip("How the learning rate changes from step to step")
        self.schedule_value = QDoubleSpinBox()
        self.schedule_value.setKeyboardTracking(False)
        row.addWidget(self.schedule, 1)
        row.addWidget(self.schedule_value)
        form.insertRow(at, "Schedule", row)
        self.batch = QSpinBox()
        self.batch.setRange(0, MAX_BATCH)
        self.batch.setSpecialValueText("all points")
        self.batch.setKeyboardTracking(False)
        self.batch.setToolTip("Training points in each step's mini-batch, for every optimizer (all points: "
                              "full-batch descent; stochastic gradient descent needs a batch here to be "
                              "stochastic)")
        form.insertRow(at + 1, "Batch", self.batch)

    def _landscape_box(self) -> QGroupBox:
        box = QGroupBox("Landscape")
        form = self._form(box)
        row = QHBoxLayout()
        self.directions = QComboBox()
        self.directions.addItem("random", "random")
        self.directions.addItem("training path", "path")
        self.directions.setItemData(0, "Two random directions, each filter scaled to the size of the network's "
                                       "own weights (Li et al. 2018)", Qt.ItemDataRole.ToolTipRole)
        self.directions.setItemData(1, "The plane the training path moved in most (its two principal "
                                       "directions)", Qt.ItemDataRole.ToolTipRole)
        self.directions.setToolTip("Which two directions of weight space the slice spans")
        self.recompute = QPushButton("Recompute")
        self.recompute.setToolTip("Work out the slice around the network as it is now (it is also redone "
                                  "whenever training pauses)")
        row.addWidget(self.directions, 1)
        row.addWidget(self.recompute)
        form.addRow("Directions", row)
        return box

    def _restyle(self, _look: theme.Look) -> None:
        self._shown.pop("formula", None)
        if self._results is not None and self._results.points is not None:
            self._show_numbers(self._results)

    # ==================================================================== wiring
    def _connect(self) -> None:
        self.hidden.editingFinished.connect(self._hidden_entered)
        self.activation.activated.connect(lambda i: self.set_activation(self.activation.itemData(i)))
        self.loss.activated.connect(lambda i: self.set_loss(self.loss.itemData(i)))
        self.seed.valueChanged.connect(self._seed_changed)
        self.new_weights.clicked.connect(self.draw_new_weights)
        self.schedule.activated.connect(
            lambda i: self._update(schedule=self.schedule.itemData(i), schedule_value=None))
        self.schedule_value.valueChanged.connect(lambda v: self._update(schedule_value=v))
        self.batch.valueChanged.connect(lambda v: self._update(batch_size=None if v == 0 else int(v)))
        self.test_fraction.valueChanged.connect(lambda v: self._update(test_fraction=round(v) / 100.0))
        self.reduction.activated.connect(lambda i: self._update(reduction=self.reduction.itemData(i)))
        self.view_buttons.idClicked.connect(lambda i: self.set_view("forward" if i == 0 else "backward"))
        self.directions.activated.connect(lambda i: self._directions_chosen(self.directions.itemData(i)))
        self.recompute.clicked.connect(self.recompute_landscape)
        self.race_button.clicked.connect(self._race_clicked)
        self.penalty.status.connect(self.show_message)
        self.add_class.activated.connect(lambda i: self._update(add_label=i))
        self.descent.started.connect(self._hide_error)
        self.descent.message.connect(self.show_message)
        self.descent.playingChanged.connect(self._playing_changed)
        self.connect_point_editing()

    def preset_controls(self) -> tuple[QComboBox, FloatSlider]:
        return self.preset, self.noise

    def _update(self, **changes: Any) -> bool:
        return write(self.show_message, lambda: self.store.update(**changes), self._show_controls)

    # ==================================================================== data
    def data_problem(self, data) -> str | None:
        """Why these points cannot be opened here (None: they can: every loss gives way)."""
        return None

    def refit_views(self) -> None:
        res = self.results()
        self.data_view.fit_range(res.region)

    # ==================================================================== the network's choices
    def _hidden_entered(self) -> None:
        text = self.hidden.text()
        s = self.store.value
        try:
            hidden = parse_hidden(text)
        except ValueError as exc:
            self.show_message(str(exc), "error")
            show_line(self.hidden, hidden_text(s.hidden))  # the box shows the network there is
            return
        if hidden == s.hidden:
            show_line(self.hidden, hidden_text(s.hidden))  # "8, 8" reads back as "8,8"
            return
        self.descent.set_playing(False)
        write(self.show_message, lambda: self.store.set(s.with_hidden(hidden)), self._show_controls)

    def set_hidden(self, text: str) -> None:
        """As typing ``text`` into the hidden-layers box and pressing Enter."""
        self.hidden.setText(text)
        self._hidden_entered()

    def set_activation(self, name: str) -> None:
        self.descent.set_playing(False)
        write(self.show_message, lambda: self.store.set(self.store.value.with_activation(name)), self._show_controls)

    def set_loss(self, name: str) -> None:
        self.descent.set_playing(False)
        write(self.show_message, lambda: self.store.set(self.store.value.with_loss(name)), self._show_controls)

    def choose_loss(self, k: int) -> None:
        """Ctrl+1 … Ctrl+5: the k-th loss that fits the data."""
        names = losses_for(self.store.value.data)
        if 0 <= k < len(names):
            self.set_loss(names[k])

    def _seed_changed(self, seed: int) -> None:
        if seed == self.store.value.seed:
            return
        self.descent.set_playing(False)
        write(self.show_message, lambda: self.store.set(self.store.value.with_seed(int(seed))), self._show_controls)

    def draw_new_weights(self) -> None:
        """Other random starting weights: the next seed."""
        self.descent.set_playing(False)
        self.run = None
        s = self.store.value
        write(self.show_message, lambda: self.store.set(s.with_seed((s.seed + 1) % (MAX_SEED + 1))),
              self._show_controls)

    def set_view(self, view: str) -> None:
        self._update(view=view)

    def _directions_chosen(self, directions: str) -> None:
        if self._update(directions=directions):
            self.recompute_landscape()

    # ==================================================================== training (the panel's driver)
    def run_problem(self) -> str | None:
        return self.store.value.label_problem()

    def _ensure_run(self) -> TrainingRun:
        run = self.run
        if run is None or not run.running and run.status != "diverged":
            run = start_training(self.store.value, self.cache)
            self.run = run
        return run

    def advance(self, k: int) -> str:
        """Take k training steps, write θ back, and say how the run stands."""
        problem = self.run_problem()
        if problem is not None:
            self.show_message(problem, "warning")
            return "max_steps"
        run = self._ensure_run()
        if run.status == "diverged":
            return run.status
        was = run.status
        status = run.advance(k, LINE_LIMIT)
        if not self.store.update(theta=tuple(run.theta.tolist())):
            self.settings_changed(frozenset({"run"}))  # θ stayed (the run ended): the curves still changed
        news = run_news(run, self.store.value.optimizer.lr, "network")  # type: ignore[arg-type]
        if news is not None and status != was:
            self.show_message(*news)
        return status

    def reset_run(self) -> None:
        """θ back to where the run started (no run: the network's start) and the run cleared."""
        start = tuple(self.run.start.tolist()) if self.run is not None else self.store.value.start()
        self.run = None
        self.store.update(theta=start)
        self.settings_changed(frozenset({"run"}))

    def run_steps(self, k: int) -> str | None:
        """Run k steps at once (the command line's --steps); returns the run's status."""
        return self.advance(int(k)) if k > 0 else None

    def _settings_moved(self, new: Any, old: Any) -> None:
        fields = changed_fields(old, new)
        run = self.run
        if run is not None:
            moved = "theta" in fields and not np.array_equal(np.asarray(new.theta), run.theta)
            if moved or fields & RUN_INPUTS:
                self.run = None
        self.marks.forget_beyond(new.data.n)
        if fields & SLICE_INPUTS and not self.descent.playing:
            self._want_slice()
        if fields & RACE_INPUTS:
            self._want_race()

    def _playing_changed(self, playing: bool) -> None:
        if not playing:
            self.settings_changed(frozenset({"run"}))  # the decision map catches up with the last step
            self.recompute_landscape()
        else:
            self._slice_timer.stop()
            if self.store.value.curves == "race":
                self._update(curves="training")  # playing is watching this network train

    # ==================================================================== the race
    def _race_clicked(self, checked: bool) -> None:
        """Show the race (worked out if it is not there yet for these points), or the training curves."""
        if checked and not self.store.value.races:
            self.show_message(RACE_OFF_TIP, "warning")
            self._show_controls()
            return
        if self._update(curves="race" if checked else "training") and self._race_needed():
            self.recompute_race()  # at once: a click is not a drag that needs to come to rest

    def _race_needed(self) -> bool:
        """Whether the race is shown and the one there is (if any) is not for these settings."""
        s = self.store.value
        if s.curves != "race" or not s.races:
            return False
        return not race_fits(self.race, s)

    def _want_race(self) -> None:
        if self._race_needed():
            self._race_timer.start()
        elif self.race_worker.waiting and self.store.value.curves != "race":
            self.race_worker.cancel()

    def _race_due(self) -> None:
        if self._race_needed():
            self.recompute_race()

    def recompute_race(self) -> None:
        """Ask for the race for the settings as they are now (the newest request wins)."""
        self._race_timer.stop()
        s = self.store.value
        if not s.races:
            return
        self.race_worker.submit(("race", id(s)), partial(compute_race, s))
        self.race_view.show_note("racing both losses…")

    def _race_arrived(self, _tag: Any, race: NetworkRace) -> None:
        self.race = race
        self.race_view.show_note("")
        self.settings_changed(frozenset({"race"}))
        if self._race_needed():  # the settings moved on while it ran
            self._race_timer.start()

    def _race_failed(self, _tag: Any, text: str) -> None:
        last = text.strip().splitlines()[-1] if text.strip() else "unknown error"
        self.race_view.show_note("")
        self.show_message(f"The race could not be run: {last}", "warning")

    def _show_race(self, res: NetworkResults) -> None:
        """The race page while it is chosen (and the points have two classes), its readout and title."""
        s = self.store.value
        racing = s.curves == "race" and s.races
        page = 1 if racing else 0
        if self.curves_pages.currentIndex() != page:
            self.curves_pages.setCurrentIndex(page)
        show_text(self.curves_panel.title, "Race" if racing else "Loss curves")
        if not racing:
            return
        race = res.race
        self.race_view.show_race(race)
        if race is not None:
            show_text(self.curves_panel.readout, self.race_view.summary(race))
        else:
            show_text(self.curves_panel.readout, "")
            if not self.race_worker.waiting and not self._race_timer.isActive():
                self._race_timer.start()
            self.race_view.show_note("racing both losses…")

    # ==================================================================== the landscape
    def _want_slice(self) -> None:
        """A new slice once the settings rest (now if shown; when next shown otherwise)."""
        self._slice_wanted = True
        if self.active:
            self._slice_timer.start()

    def _slice_due(self) -> None:
        if self.active and not self.descent.playing:
            self.recompute_landscape()

    def recompute_landscape(self) -> None:
        """Ask for the slice around the network as it is now (the newest request wins)."""
        self._slice_timer.stop()
        self._slice_wanted = False
        s = self.store.value
        if s.label_problem() is not None:
            return
        record = path_record(self.run) if self.run is not None else None
        self.worker.submit(("slice", id(s)), partial(compute_landscape, s, record, LANDSCAPE_SIZE))
        self.landscape_view.show_note("computing…")

    def _landscape_arrived(self, _tag: Any, landscape: Landscape) -> None:
        self.landscape = landscape
        self.landscape_view.show_landscape(landscape)
        if landscape.note:
            self.show_message(f"Landscape: {landscape.note}.", "info")
        self.settings_changed(frozenset({"landscape"}))

    def _landscape_failed(self, _tag: Any, text: str) -> None:
        last = text.strip().splitlines()[-1] if text.strip() else "unknown error"
        self.landscape_view.show_note("")
        self.show_message(f"The landscape could not be worked out: {last}", "warning")

    def settle(self, msecs: int = 10_000) -> bool:
        """Finish the background work now (a slice or a race asked for or on its way): for a
        screenshot or a test that must show it. True if nothing is left pending."""
        if self._slice_timer.isActive() or (self._slice_wanted and not self.descent.playing):
            self.recompute_landscape()
        if self._race_timer.isActive() or (self._race_needed() and not self.race_worker.waiting):
            self.recompute_race()
        done = True
        for worker in (self.worker, self.race_worker):
            if worker.waiting:
                done = worker.wait(msecs) and done
        QCoreApplication.sendPostedEvents()  # the results' queued signals, delivered now
        QCoreApplication.processEvents()
        return done and not self.worker.waiting and not self.race_worker.waiting

    def set_active(self, active: bool) -> None:
        super().set_active(active)
        if active and self._slice_wanted and not self.descent.playing:
            self._slice_timer.start()

    # ==================================================================== results
    def results(self, with_map: bool = True) -> NetworkResults:
        """The numbers for the current settings, run step, selection and slice (once per change).

        ``with_map`` False may leave out the decision map (a frame that does not redraw it).
        """
        value, run = self.store.value, self.run
        key = (id(value), id(run), run.steps if run is not None else -1, run.status if run is not None else None,
               self.marks.selected, id(self.landscape), id(self.race))
        cached = self._results
        if (cached is None or self._results_key != key or self._results_for is not value
                or (with_map and cached.decision is None and cached.fit is None and cached.label_problem is None)):
            self._results = compute_network(value, run, self.cache, self.marks.selected, self.landscape, with_map,
                                            self.race)
            self._results_key, self._results_for = key, value
        return self._results

    # ==================================================================== drawing
    def _marks_changed(self) -> None:
        self.settings_changed(frozenset({"marks"}))

    def refresh(self, changed: frozenset = EVERYTHING) -> None:
        self._frame += 1
        # while playing, the decision map (the costliest part) is redrawn every other frame
        playing = self.descent.playing and changed <= {"theta", "run"}
        with_map = not playing or self._frame % MAP_EVERY == 0 or self._shown.get("model_data") is not self.store.value.data
        res = self.results(with_map)
        selected_moved = self._shown.get("selected", -1) != self.marks.selected
        if changed != {"marks"} or selected_moved:
            self._show_data(res)
            self._show_controls()
            self._show_model(res, changed)
        self._show_marks(res)

    def _show_data(self, res: NetworkResults) -> None:
        data, source = res.data, self.store.value.source
        held = np.zeros(data.n, dtype=bool)
        held[res.test_rows] = True
        scores = res.shows_scores
        if (self._shown.get("data") is data and self._shown.get("scores") == scores
                and np.array_equal(self._shown.get("held"), held)):
            return
        old_data, old_source = self._shown.get("data"), self._shown.get("source")
        if res.classifying:
            self.data_view.set_class_points(data.x, data.labels, data.n_classes, scores, held)
        else:
            self.data_view.set_regression_points(data.x, data.y, held)
        new_kind = old_data is None or type(old_data) is not type(data) or (
            res.classifying and old_data.n_features != data.n_features) or self._shown.get("scores") != scores
        if new_kind or (source.preset is not None and (old_source is None or source.preset != old_source.preset)):
            self.data_view.fit_range(res.region)
        self._shown.update(data=data, source=source, scores=scores, held=held)

    def _show_controls(self) -> None:
        s = self.store.value
        # while the user types, the box keeps their text (unless the network itself changed)
        if not self.hidden.hasFocus() or self._shown.get("hidden") != s.hidden:
            show_line(self.hidden, hidden_text(s.hidden))
        self._shown["hidden"] = s.hidden
        show_choice(self.activation, s.activation)
        names = losses_for(s.data)
        if self._shown.get("loss_names") != names:
            with signals_blocked(self.loss):
                self.loss.clear()
                for name in names:
                    self.loss.addItem(LOSS_WORDS.get(name, LOSSES[name].title), name)
                    self.loss.setItemData(self.loss.count() - 1, f"{LOSSES[name].title}: {LOSSES[name].formula}",
                                          Qt.ItemDataRole.ToolTipRole)
            self._shown["loss_names"] = names
        show_choice(self.loss, s.loss)
        if self.seed.value() != s.seed:
            with signals_blocked(self.seed):
                self.seed.setValue(s.seed)
        show_number(self.test_fraction, 100.0 * s.test_fraction)
        show_choice(self.reduction, s.reduction)
        show_choice(self.directions, s.directions)
        for button, view in ((self.forward_button, "forward"), (self.backward_button, "backward")):
            if button.isChecked() != (s.view == view):
                with signals_blocked(button):
                    button.setChecked(s.view == view)
        show_choice(self.schedule, s.schedule)
        spec = SCHEDULES[s.schedule].setting
        show_visible(self.schedule_value, spec is not None)
        if spec is not None:
            if self._shown.get("schedule") != s.schedule:
                with signals_blocked(self.schedule_value):
                    self.schedule_value.setDecimals(spec.decimals)
                    self.schedule_value.setRange(spec.low, spec.high)
                    self.schedule_value.setSingleStep(1 if spec.whole else 10 ** -min(spec.decimals, 3))
                self.schedule_value.setToolTip(f"{SCHEDULES[s.schedule].title}: {spec.label}, {spec.description}")
            if self.schedule_value.value() != s.schedule_setting:
                with signals_blocked(self.schedule_value):
                    self.schedule_value.setValue(float(s.schedule_setting))
        self._shown["schedule"] = s.schedule
        batch = 0 if s.batch_size is None else s.batch_size
        if self.batch.value() != batch:
            with signals_blocked(self.batch):
                self.batch.setValue(batch)
        k = s.data.n_classes if s.classifying else 0
        show_visible(self.add_class, k > 0)
        if self.add_class.count() != k:
            with signals_blocked(self.add_class):
                self.add_class.clear()
                self.add_class.addItems([f"add class {c}" for c in range(k)])
        if k and self.add_class.currentIndex() != s.add_label:
            with signals_blocked(self.add_class):
                self.add_class.setCurrentIndex(s.add_label)
        show_enabled(self.race_button, s.races)
        tip = RACE_BUTTON_TIP if s.races else RACE_OFF_TIP
        if self.race_button.toolTip() != tip:
            self.race_button.setToolTip(tip)
        racing = s.curves == "race" and s.races
        if self.race_button.isChecked() != racing:
            with signals_blocked(self.race_button):
                self.race_button.setChecked(racing)
        self.penalty.refresh(s)
        net = s.predictor()
        shape = "–".join(str(n) for n in net.sizes)
        show_text(self.size_text, f"{shape} network, {s.activation}: {net.n_params} weights and biases"
                  if s.hidden else f"no hidden layer ({shape}): a linear model, {net.n_params} weights and biases")
        self.show_origin()

    def _show_model(self, res: NetworkResults, changed: frozenset) -> None:
        problem = res.label_problem
        show_enabled(self.descent, problem is None)
        if problem is not None:
            self.descent.set_playing(False)
            self.data_view.show_model(None)
            self.graph_view.clear()
            if self._problem_shown != problem:
                self.status.emit(problem, "warning")
            self._show_banner(f"⚠ {problem}")
            self._problem_shown = problem
            return
        if self._problem_shown is not None:
            self._problem_shown = None
            self._hide_banner()
        points = res.points
        assert points is not None and res.drawing is not None and res.curves is not None and res.gradients is not None
        if res.classifying and res.decision is not None:
            self.data_view.show_model(res.decision)
            self._shown["model_data"] = res.data
        elif res.fit is not None:
            self.data_view.show_fit(res.fit, points.losses)
            self._shown["model_data"] = res.data
        self.data_view.show_losses(points.losses)
        self.loss_view.show_points(points, res.penalty.value if res.penalty is not None else None)
        self.graph_view.show(res.drawing)
        self.curves_view.show_curves(res.curves)
        self._show_race(res)
        self.layers_view.show(res.gradients)
        self._show_landscape(res)
        self._show_numbers(res)
        curves = res.curves
        # A label whose text changes re-lays out and repaints the whole side column: while
        # playing it stays put, and the step count runs in the loss curves' readout.
        self.descent.show_run_text(PLAYING_TEXT if self.descent.playing and curves.status == "running"
                                   else curves.message)
        self._shown["selected"] = self.marks.selected

    def _show_landscape(self, res: NetworkResults) -> None:
        self.landscape_view.show_marks(res.marks)
        if self.worker.waiting:
            note = "computing…"
        elif self.landscape is None:
            note = "press Recompute"
        elif res.marks is not None and res.marks.stale:
            note = "out of date: press Recompute"
        elif res.marks is not None and not res.marks.inside:
            note = "the ball has left the slice"
        else:
            note = ""
        self.landscape_view.show_note(note)
        if self.landscape is not None:
            what = "loss + penalty   " if res.penalty is not None else ""
            show_text(self.landscape_panel.readout, f"{what}{self.landscape.seconds:.2f} s")

    def _show_numbers(self, res: NetworkResults) -> None:
        points = res.points
        assert points is not None
        show_text(self.formula, network_cost_html(res))
        if res.reduction == "mean" and res.penalty is not None:
            text = f"mean {points.data_cost:.4g}   + penalty {points.penalty:.3g}   = cost {points.cost:.4g}"
        elif res.reduction == "mean":
            text = f"training cost = {points.cost:.4g}"
        elif res.reduction == "sum":
            text = f"sum = {points.total:.4g}"
        else:
            text = f"{points.n_train} separate losses"
        show_text(self.loss_panel.readout, text)
        accuracy = f"   accuracy {100 * res.accuracy:.0f} %" if res.classifying else ""
        show_text(self.data_panel.readout, f"n = {points.n}   held out {points.n_test}{accuracy}")
        c = res.curves
        if self.curves_pages.currentIndex() == 1:
            pass  # the race's own readout (``_show_race``)
        elif c is not None and c.run_steps is not None:
            test = f"   held out {c.test[-1]:.4g}" if math.isfinite(float(c.test[-1])) else ""
            show_text(self.curves_panel.readout, f"step {c.run_steps}   cost {c.train[-1]:.4g}{test}")
        else:
            show_text(self.curves_panel.readout, "")
        g = res.gradients
        if g is not None and g.norms.size:
            last = g.norms[-1]
            show_text(self.layers_panel.readout, "   ".join(f"{v:.2g}" for v in last))
        drawing = res.drawing
        if drawing is not None:
            drawn = self.graph_view.edges_drawn
            if drawing.n_edges and not drawn:
                more = ": zero everywhere"  # nothing flows back (every point past its margin, say)
            elif drawn < drawing.n_edges:
                more = f" (largest {drawn} of {drawing.n_edges})"
            else:
                more = ""
            show_text(self.graph_panel.readout, f"{drawing.edge_title}{more}")

    def _show_marks(self, res: NetworkResults) -> None:
        hover, selected = self.marks.hover, self.marks.selected
        self.data_view.show_marks(hover, selected)
        if res.points is None:
            return
        self.loss_view.show_highlight(hover if hover is not None else selected)
        point = res.selected
        if point is None:
            show_text(self.point_text, NO_POINT_TEXT)
            return
        side = "held out (not in the cost)" if point.held_out else "a training point"
        share = "—" if not math.isfinite(point.share) else f"{100 * point.share:.1f} %"
        layers = ", ".join("—" if not math.isfinite(v) else f"{100 * v:.0f} %" for v in point.layer_shares)
        show_text(self.point_text,
                  f"<b>Point {point.row}</b>, {side}: {point.target}, the network says {point.output}; "
                  f"loss L = <b>{point.loss:.4g}</b>.<br>Its share of the gradient dC/dθ: <b>{share}</b> "
                  f"(layer by layer: {layers}).")


def show_line(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        with signals_blocked(edit):
            edit.setText(text)


#: the penalty term as the formula line writes it, and in words for its second line
PENALTY_TERMS = {"l2": "λ·½‖W‖²", "l1": "λ·‖W‖<sub>1</sub>",
                 "elastic": "λ·(r‖W‖<sub>1</sub> + (1−r)·½‖W‖²)"}
PENALTY_WORDS = {"l2": "L2 penalty", "l1": "L1 penalty", "elastic": "elastic net"}


def network_cost_html(res: NetworkResults) -> str:
    """E.g. 'Binary cross-entropy: training cost = ¹⁄ₙ Σ Lᵢ = ¹⁄₉₆ × 4.21 = 0.0439 · held out 0.051',
    and the network's shape and accuracy under it. With a penalty: 'training cost = ¹⁄ₙ Σ Lᵢ +
    λ·½‖W‖² = 0.0439 + 0.01 × 3.06 = 0.0745', the data part and the penalty's, and the
    held-out cost marked as a mean loss alone."""
    look = theme.look()
    points = res.points
    assert points is not None
    title = LOSSES[res.loss].title
    n = points.n_train
    pen = res.penalty
    if res.reduction == "sum":
        body = f"training Σ L<sub>i</sub> = <b>{num(points.total)}</b>"
        if pen is not None:
            body += f"   (the cost adds {PENALTY_TERMS[pen.kind]} = {num(pen.value)})"
    elif res.reduction == "none":
        train = points.losses[~points.held_out]
        shown = ", ".join(num(v) for v in train[:4])
        body = f"L<sub>i</sub> → [{shown}{', …' if n > 4 else ''}]  ({n} values)"
    elif pen is not None:
        body = (f"training cost = {FRACTION.format(n='n')} Σ L<sub>i</sub> + {PENALTY_TERMS[pen.kind]} = "
                f"{num(points.data_cost)} + {num(pen.strength, 3)} × {num(pen.size)} = <b>{num(points.cost)}</b>")
    else:
        body = (f"training cost = {FRACTION.format(n='n')} Σ L<sub>i</sub> = {FRACTION.format(n=n)} × "
                f"{num(points.total)} = <b>{num(points.cost)}</b>")
    alone = " (loss alone)" if pen is not None else ""
    held = (f"<span style='color:{look.muted}'>   ·   </span>held out{alone} {num(points.test_cost)}"
            if math.isfinite(points.test_cost) else "")
    shape = "–".join(str(k) for k in res.net.sizes)
    net = (f"network {shape} ({res.net.activation}, {res.n_params} weights)" if res.net.hidden
           else f"no hidden layer ({shape}): a linear model")
    accuracy = ""
    if res.classifying:
        accuracy = f"   ·   accuracy {100 * res.accuracy:.0f} %"
        if math.isfinite(res.test_accuracy):
            accuracy += f" (held out {100 * res.test_accuracy:.0f} %)"
    if pen is not None:
        ratio = f", r = {num(pen.l1_ratio, 3)}" if pen.kind == "elastic" else ""
        net += (f"<span style='color:{look.muted}'>   ·   </span>{PENALTY_WORDS[pen.kind]}, λ = "
                f"{num(pen.strength, 3)}{ratio}, on the weights W only")
    html = (f"<span style='font-size:{look.css_pt(SIZE)}; color:{look.ink}'>{title}: {body}{held}</span>"
            f"<br><span style='font-size:{look.css_pt(9)}'>{net}"
            f"<span style='color:{look.muted}'>   ·   {LOSSES[res.loss].formula}</span>{accuracy}</span>")
    return html.replace("   ", "&nbsp;&nbsp;&nbsp;")
