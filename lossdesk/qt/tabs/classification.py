"""The classification tab: binary and categorical cross-entropy (and hinge), live.

Settings in, results out, views drawn. Every choice lives in the tab's
``ClassificationSettings`` store; data edits go through its ``DataHistory`` (one undo
step each); the hovered and selected points are its ``PointMarks``. ``results()`` is
``compute_classification`` of the current settings, the descent run (transient tab state)
and the selected point; every view and readout draws that one value.

With a penalty (issue 15) the cost is the mean loss + λ·P(w): the side column's penalty
box chooses it, the formula adds its term and number, the loss panel stands a penalty bar
on the mean, and the surface shows the total cost (or, switched, the mean loss with the
penalty's level lines) and the regularisation path over its two parameters, the others
held, ringed at the current λ. Each λ's optimum is a converged fit, so the path is worked
out off the GUI thread (``PathLater``) and drawn when it arrives.

The side page "Why BCE?" (``WhyCrossEntropyPage``) compares cross-entropy with squared
error on p for the same points and model; it is computed only while it is shown, and its
race from a confidently wrong start runs off the GUI thread when its button is pressed.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QStyleOptionTabWidgetFrame,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lossdesk.model import LOSSES, PRESETS, DescentRun
from lossdesk.model.results.classification import (
    ClassificationCache,
    ClassificationResults,
    SlicePath,
    WrongStartRace,
    compute_classification,
    data_region,
    objective_for,
    parameter_title,
    path_key,
    shows_scores,
    slice_path,
    wrong_start_race,
)
from lossdesk.model.results.regression import GRADIENT_TOL
from lossdesk.model.results.runs import advance_run, run_news
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.qt import theme
from lossdesk.qt.background import NewestWins
from lossdesk.qt.controls.binding import (
    show_checked,
    show_choice,
    show_enabled,
    show_text,
    show_visible,
    write,
)
from lossdesk.qt.controls.dataset_table import DatasetEditor
from lossdesk.qt.controls.descent_panel import DescentPanel
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked
from lossdesk.qt.controls.logit_playground import LogitPlayground
from lossdesk.qt.controls.penalty import PenaltyControls
from lossdesk.qt.formula import classification_cost_html
from lossdesk.qt.tabs.data_actions import BannerMessages, DataTabActions, PointEditing, class_choice
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.tabs.refresh_when_shown import EVERYTHING, RefreshWhenShown
from lossdesk.qt.tabs.why_cross_entropy import TITLE as WHY_TITLE
from lossdesk.qt.tabs.why_cross_entropy import WhyCrossEntropyPage
from lossdesk.qt.views.class_data import ClassDataView
from lossdesk.qt.views.class_probabilities import ClassProbabilitiesView
from lossdesk.qt.views.loss_curve import LossCurveView
from lossdesk.qt.views.loss_surface import LossSurfaceView
from lossdesk.qt.views.panel import FormulaLabel, ViewPanel
from lossdesk.qt.views.per_example_loss import PerExampleLossView
from lossdesk.qt.views.probability_histogram import ProbabilityHistogramView
from lossdesk.qt.views.true_class_loss import TrueClassLossView
from lossdesk.settings import SettingsStore, changed_fields
from lossdesk.settings.classification import LOSS_NAMES
from lossdesk.settings.regression import LINE_LIMIT
from lossdesk.settings.selection import PointMarks

CLASSIFICATION_LOSSES = LOSS_NAMES
CLASSIFICATION_PRESETS = [name for name, p in PRESETS.items() if p.task == "classification"]
#: the loss list's words: short enough for the side column at larger text (the full
#: name and formula are each item's tooltip)
LOSS_CHOICES = {
    "bce": "Binary cross-entropy",
    "bce_logits": "Binary, from scores",
    "hinge": "Hinge loss",
    "brier": "Squared error on p",
    "cce": "Categorical cross-entropy",
    "cce_logits": "Categorical, from scores",
}
#: each loss's formula as a student reads it (the model's strings carry "e^{z_k}" and "z_y")
FORMULAS = {
    "bce_logits": "L = log(1 + eᶻ) − y·z,  p = σ(z)",
    "cce": "L = −log p(true class)   (p: the K class probabilities)",
    "cce_logits": "L = log Σₖ exp(zₖ) − z(true class)   (z: the K scores)",
}


def formula_of(name: str) -> str:
    return FORMULAS.get(name, LOSSES[name].formula)


NO_POINT_TEXT = "Click a point to see its class probabilities."
NO_POINT_SCORE_TEXT = "Click a point to see its score and margin."
#: each panel's title and tooltip, for probability losses and for a score loss (hinge)
TITLES = {
    "hist": (("Predicted probabilities", "How the predicted probabilities spread, per true class"),
             ("Margins", "How the margins m = t·s spread, per true class (t = −1 for class 0, +1 for "
                         "class 1): a point with m ≥ 1 costs nothing, m < 0 is on the wrong side")),
    "truth": (("Loss against confidence", "A confidently wrong prediction (p near 0) costs a lot"),
              ("Loss against margin", "Hinge loss max(0, 1 − m): zero once a point is on its side "
                                      "by a margin of 1, growing in a straight line below that")),
}
#: the confidence panel's tooltip under squared error on p: a wrong point costs at most 1
SQUARED_TRUTH_TIP = ("Squared error on p, (1 − p)² for the probability p of the true class: a confidently "
                     "wrong point costs at most 1, where cross-entropy's −log p grows without end")
NO_SECOND_WAY = {
    "hinge": "Hinge loss scores the raw outputs: it uses no probabilities.",
    "brier": "Squared error on p takes no logarithm: it is worked out from the probability alone, "
             "with nothing to clip.",
}
PENALTY_TIP = ("Draw the mean loss alone with the penalty's level lines over it, instead of their sum. "
               "Over two weights they are circles (L2) or diamonds (L1) around 0; along a bias, which is "
               "never penalised, they run straight across. The penalised optimum sits where a contour of "
               "the mean loss just touches one of them.")
PATH_WAITING_TEXT = "working out the λ path…"
WHY_TAB = "Why BCE?"
BOTH_WAYS_TIP = ("Libraries compute cross-entropy in one of two ways: from the probabilities, clipped to "
                 "[10⁻⁷, 1 − 10⁻⁷] so that log 0 never happens, or straight from the logits (the raw "
                 "scores before the sigmoid or softmax), which needs no clipping and stays exact.")
#: changes that move the model alone (or what the views show of it): the controls show nothing of them
MODEL_ONLY = frozenset({"theta", "run", "path", "parts", "compare"})
#: settings whose change makes a descent run in progress meaningless
RUN_INPUTS = frozenset({"source", "loss", "loss_params", "optimizer", "penalty", "strength", "l1_ratio"})


class PathLater(ClassificationCache):
    """The classification cache, with the regularisation path worked out off the GUI thread.

    Each λ's optimum is a converged fit, too slow for a frame: ``slice_path`` asks a worker
    (``NewestWins``: a newer request supersedes an older one) and returns what is known
    meanwhile: the path for the same data, axes and held parameters with its last ring
    (only λ moved), or None. When the worker's answer arrives ``ready()`` is called and
    the next call returns it.
    """

    def __init__(self, ready: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__()
        self.ready = ready
        self.paths = NewestWins(parent)
        self.paths.finished.connect(self._arrived)
        self.paths.failed.connect(self._failed)
        self.errors: list[str] = []
        self.version = 0  # a new answer: the results are computed again
        self._asked: tuple | None = None  # (tag, the objective it is for)

    @property
    def waiting(self) -> bool:
        """A path asked for has not arrived yet."""
        return self._asked is not None

    def slice_path(self, objective, theta, i, j, penalty) -> SlicePath | None:
        key = path_key(objective, theta, i, j, penalty)
        strength = float(penalty["strength"])
        known = self._path if key == self._path_key else None
        if known is not None and known.strength == strength:
            self._asked = None
            return known
        tag = (key, strength)
        if self._asked is None or self._asked[0] != tag:
            self._asked = (tag, objective)
            self.paths.submit(tag, partial(slice_path, objective, np.array(theta, dtype=float), i, j,
                                           penalty["penalty"], penalty["l1_ratio"], strength, known))
        if known is None and self._path_key is not None and _same_but_held(key, self._path_key):
            return self._path  # only the held parameters moved (a descent step): the last path meanwhile
        return known

    def _arrived(self, tag: tuple, value: SlicePath) -> None:
        asked = self._asked
        if asked is None or asked[0] != tag:
            return
        self._path_key, self._path, self._path_of = tag[0], value, asked[1]
        self._asked = None
        self.version += 1
        self.ready()

    def _failed(self, _tag: tuple, text: str) -> None:
        self._asked = None
        self.errors.append(text)


def _same_but_held(key: tuple, other: tuple) -> bool:
    """Two ``path_key`` values that differ in the held parameters at most."""
    return key[:3] == other[:3] and key[4:] == other[4:]


class SideTabs(QTabWidget):
    """The side column's tabs, telling the scroll area around them the height their
    word-wrapped labels need at the column's width (larger text wraps into more lines;
    without this the scroll area gave them one line's height and cut the rest off)."""

    def __init__(self) -> None:
        super().__init__()
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt naming)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        page = self.currentWidget()
        height = self.minimumSizeHint().height()
        if page is None or not page.hasHeightForWidth():
            return height
        chrome = height - page.minimumSizeHint().height()  # the tab bar and the frame
        return max(height, page.heightForWidth(width - self._frame_width()) + chrome)

    def _frame_width(self) -> int:
        """The width of the frame around a page, from the style: never from the page's width
        now, which lags while a scroll bar comes and goes (and the two then chase each other)."""
        option = QStyleOptionTabWidgetFrame()
        self.initStyleOption(option)
        contents = self.style().subElementRect(QStyle.SubElement.SE_TabWidgetTabContents, option, self)
        return max(0, option.rect.width() - contents.width())


class ColumnText(FormulaLabel):
    """Live numbers in the side column: a ``FormulaLabel`` (new numbers repaint it alone) as
    narrow as a word-wrapped label may be, since the column sets the width and the text wraps."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)  # it draws its text wrapped: whoever measures it asks its height at a width

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 8 * self.fontMetrics().averageCharWidth()), hint.height())


class ClassificationTab(RefreshWhenShown, DataTabActions, PointEditing, BannerMessages, QWidget):
    status = Signal(str, str)

    def __init__(self, store: SettingsStore, history, marks: PointMarks, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.history, self.marks = store, history, marks
        self.cache = PathLater(lambda: self.settings_changed(frozenset({"path"})), self)
        self.run: DescentRun | None = None
        self.race: WrongStartRace | None = None  # the last race asked for (transient, like the run)
        self._race_for: Any = None  # the data set it was asked for
        self.race_worker = NewestWins(self)
        self._results: ClassificationResults | None = None
        self._results_for: tuple = (None, None)  # the settings value and run it was computed for
        self._results_key: tuple = ()
        self._held_window: SurfaceWindow | None = None  # kept while the surface handle is dragged
        self._shown: dict[str, Any] = {}  # what the views were last given, to skip redrawing it
        self._problem_shown: str | None = None

        # ---------------------------------------------------------------- views
        self.data_view = ClassDataView()
        self.loss_view = PerExampleLossView()
        self.hist_view = ProbabilityHistogramView()
        self.surface_view = LossSurfaceView()
        self.surface_view.optimum.setVisible(False)  # no exact optimum here (and an empty item costs a paint)
        self.truth_view = TrueClassLossView()
        self.curve_view = LossCurveView()
        self.point_view = ClassProbabilitiesView()
        self.data_panel = ViewPanel("Data and predictions", self.data_view.widget,
                                    "Drag a point to move it; double-click to add one of the chosen class; "
                                    "right-click a point to change its label or remove it.")
        self.add_class = class_choice()
        self.data_panel.add_header_widget(self.add_class)
        self.surface_panel = ViewPanel("Cost surface", self.surface_view.widget,
                                       "The cost over the two chosen parameters, the others held where they are; "
                                       "drag the ring to set those two. With a penalty the pink curve is the "
                                       "regularisation path: the lowest point of this surface for every λ from "
                                       "10⁻⁴ to 10, ringed at the λ chosen.")
        self.loss_panel = ViewPanel("Loss of each point", self.loss_view.widget,
                                    "One bar per point; the dashed line is the cost. With a penalty, the green "
                                    "bar right of them is λ·P(w) standing on the mean, and its top, the dotted "
                                    "line, is the cost.")
        self.hist_panel = ViewPanel(TITLES["hist"][0][0], self.hist_view.widget, TITLES["hist"][0][1])
        self.truth_panel = ViewPanel(TITLES["truth"][0][0], self.truth_view.widget, TITLES["truth"][0][1])
        self.curve_panel = ViewPanel("Loss curve", self.curve_view.widget, "The cost after each descent step")

        # The three texts with live numbers draw their rich text themselves: new numbers
        # repaint the label alone, never re-lay out and repaint the whole window.
        self.formula = FormulaLabel()
        self.formula.setWordWrap(True)  # drawn wrapped (FormulaLabel): measured by its height at a width
        theme.styled(self.formula, theme.formula_style)
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        theme.styled(self.banner, lambda look: (f"QLabel {{ color: {look.error}; font-weight: bold; "
                                                f"border: 1px solid {look.error}; padding: 4px; }}"))
        self.banner.setVisible(False)

        # ---------------------------------------------------------------- controls
        controls = QWidget()
        clay = QVBoxLayout(controls)
        clay.setContentsMargins(4, 4, 4, 4)
        data_box = QGroupBox("Data")
        form = QFormLayout(data_box)
        self.preset = QComboBox()
        for name in CLASSIFICATION_PRESETS:
            self.preset.addItem(name, name)
            self.preset.setItemData(self.preset.count() - 1, PRESETS[name].description, Qt.ItemDataRole.ToolTipRole)
        self.preset.setToolTip("A built-in labelled data set (Ctrl+Z brings the old points back)")
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Preset", self.preset)
        self.noise = FloatSlider("", 0.0, 3.0, 0.8, decimals=2,
                                 tooltip="How spread out each class is; moving it draws the preset's points again")
        form.addRow("Spread", self.noise)
        clay.addWidget(data_box)
        loss_box = QGroupBox("Loss")
        form = QFormLayout(loss_box)
        self.loss = QComboBox()
        for name in CLASSIFICATION_LOSSES:
            self.loss.addItem(LOSS_CHOICES.get(name, LOSSES[name].title), name)
            self.loss.setItemData(self.loss.count() - 1, f"{LOSSES[name].title}: {formula_of(name)}",
                                  Qt.ItemDataRole.ToolTipRole)
        self.loss.setToolTip("Binary losses fit a logistic model; categorical ones a softmax over K classes")
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for combo in (self.preset, self.loss):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        form.addRow("Loss", self.loss)
        self.param_i = QComboBox()
        self.param_j = QComboBox()
        for combo, where in ((self.param_i, "across (x axis)"), (self.param_j, "up (y axis)")):
            combo.setToolTip(f"The parameter the cost surface shows {where}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        form.addRow("Surface x", self.param_i)
        form.addRow("Surface y", self.param_j)
        self.both_ways = ColumnText()
        self.both_ways.setToolTip(BOTH_WAYS_TIP)
        form.addRow(self.both_ways)
        self.why_button = QPushButton(f"{WHY_TITLE} ›")
        self.why_button.setToolTip("Open the page that compares cross-entropy with squared error on p")
        form.addRow(self.why_button)
        clay.addWidget(loss_box)
        self.penalty = PenaltyControls(store)
        self.parts_box = QCheckBox("show data cost and penalty")
        self.parts_box.setToolTip(PENALTY_TIP)
        self.penalty_note = ColumnText()
        self.penalty.layout().addRow(self.parts_box)  # what the surface shows of the penalty, by its controls
        self.penalty.layout().addRow(self.penalty_note)
        for widget in (self.parts_box, self.penalty_note):
            widget.setVisible(False)  # only with a penalty
        clay.addWidget(self.penalty)
        self.descent = DescentPanel(store, self)
        for form in [self.descent.layout(), *self.descent.findChildren(QFormLayout)]:
            if isinstance(form, QFormLayout):  # long labels go above their control with larger text
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        clay.addWidget(self.descent)
        point_box = QGroupBox("Selected point")
        play = QVBoxLayout(point_box)
        self.point_text = ColumnText(NO_POINT_TEXT)
        play.addWidget(self.point_text)
        self.point_view.widget.setMaximumHeight(260)  # a few bars: more height shows nothing more
        play.addWidget(self.point_view.widget)
        play.addStretch(1)  # a tall column: the room goes below the view, not around the text
        clay.addWidget(point_box, 1)

        self.editor = DatasetEditor(store, history, marks)
        self.playground = LogitPlayground()
        self.side = SideTabs()
        self.side.addTab(controls, "Controls")
        self.side.addTab(self.editor, "Data table")
        self.side.addTab(self.playground, "Logits")
        self.why_page = WhyCrossEntropyPage()
        self.side.addTab(self.why_page, WHY_TAB)
        self.side.setTabToolTip(self.side.count() - 1, f"{WHY_TITLE} Why classifiers train on cross-entropy")
        self.side.setMinimumWidth(250)
        self.side.setMaximumWidth(380)

        # The loss curve sits under the surface it is the cost of: three small views in the
        # bottom row keep the tab narrow enough for a projector at larger text.
        self.surface_column = QSplitter(Qt.Orientation.Vertical)
        self.surface_column.addWidget(self.surface_panel)
        self.surface_column.addWidget(self.curve_panel)
        self.surface_column.setSizes([250, 110])
        self.surface_column.setChildrenCollapsible(False)
        lay_out_tab(self, self.side, [self.data_panel, self.surface_column],
                    [self.loss_panel, self.hist_panel, self.truth_panel],
                    header=[self.formula, self.banner], top_sizes=[540, 400], side_width=340)

        # The run must follow every change, seen or not; the views only when shown.
        store.changed.connect(self._forget_stale_run)
        self.follow(store)
        marks.changed.connect(self._marks_changed)
        self._connect()
        self.connect_data_actions("Change spread")
        self.refresh(EVERYTHING)
        theme.follow(self._restyle)

    def _restyle(self, look: theme.Look) -> None:
        """Text coloured in code follows the theme: draw the numbers again."""
        if self._shown.pop("both_ways_look", None) is not None and self._results is not None \
                and self._results.snapshot is not None:
            self._show_numbers(self._results)

    # ==================================================================== wiring
    def _connect(self) -> None:
        self.loss.activated.connect(lambda i: self.set_loss(self.loss.itemData(i)))
        self.param_i.activated.connect(lambda i: self._choose_axis(0, i))
        self.param_j.activated.connect(lambda i: self._choose_axis(1, i))
        self.add_class.activated.connect(
            lambda i: write(self.show_message, lambda: self.store.update(add_label=i), self._show_controls))
        self.descent.started.connect(self._hide_error)
        self.descent.message.connect(self.show_message)
        self.connect_point_editing()
        self.surface_view.handleMoved.connect(self._handle_moved)
        self.surface_view.handle.sigPositionChangeFinished.connect(self._handle_released)
        self.penalty.status.connect(self.show_message)
        self.parts_box.toggled.connect(lambda on: write(self.show_message, lambda: self.store.update(show_parts=on),
                                                        self._show_controls))
        self.why_button.clicked.connect(lambda: self.side.setCurrentWidget(self.why_page))
        self.side.currentChanged.connect(lambda _i: self.settings_changed(frozenset({"compare"})))
        self.why_page.raceRequested.connect(self.start_race)
        self.race_worker.finished.connect(self._race_arrived)
        self.race_worker.failed.connect(self._race_failed)

    def preset_controls(self) -> tuple[QComboBox, FloatSlider]:
        return self.preset, self.noise

    # ==================================================================== the descent (the panel's driver)
    def run_problem(self) -> str | None:
        return self.store.value.label_problem()

    def _ensure_run(self) -> DescentRun:
        run = self.run
        if run is None or not run.running and run.status != "diverged":
            s = self.store.value
            run = DescentRun(objective_for(s, self.cache), s.optimizer.build(), s.theta_array,
                             gradient_tol=GRADIENT_TOL)
            self.run = run
        return run

    def advance(self, k: int) -> str:
        """Take k descent steps, write θ back, and say how the run stands."""
        problem = self.run_problem()
        if problem is not None:
            self.show_message(problem, "warning")
            return "max_steps"
        run = self._ensure_run()
        if run.status == "diverged":
            return run.status
        was = run.status
        status = advance_run(run, k, LINE_LIMIT)
        if not self.store.update(theta=tuple(float(v) for v in run.theta)):
            self.settings_changed(frozenset({"run"}))  # θ stayed (the run ended): the path still changed
        news = run_news(run, self.store.value.optimizer.lr, "classifier")
        if news is not None and status != was:
            self.show_message(*news)
        return status

    def reset_run(self) -> None:
        """θ back to where the run started (no run: the classifier's start) and the run cleared."""
        start = tuple(self.run.thetas[0]) if self.run is not None else self.store.value.start()
        self.run = None
        self.store.update(theta=start)
        self.settings_changed(frozenset({"run"}))

    def run_steps(self, k: int) -> str | None:
        """Run k steps at once (the command line's --steps); returns the run's status."""
        return self.advance(int(k)) if k > 0 else None

    def _forget_stale_run(self, new: Any, old: Any) -> None:
        run = self.run
        if run is None:
            return
        fields = changed_fields(old, new)
        moved = "theta" in fields and tuple(new.theta) != tuple(float(v) for v in run.theta)
        if moved or fields & RUN_INPUTS:
            self.run = None

    # ==================================================================== actions
    def set_loss(self, name: str) -> None:
        self.descent.set_playing(False)
        write(self.show_message, lambda: self.store.set(self.store.value.with_loss(name)), self._show_controls)

    def _choose_axis(self, which: int, index: int) -> None:
        """A surface axis; choosing the other axis's parameter swaps the two."""
        axes = list(self.store.value.surface_axes)
        if index < 0 or index == axes[which]:
            return
        if axes[1 - which] == index:
            axes[1 - which] = axes[which]
        axes[which] = index
        write(self.show_message, lambda: self.store.update(surface_axes=tuple(axes)), self._show_controls)

    def _handle_moved(self, a: float, b: float) -> None:
        res = self.results()
        if res.surface is not None:
            self._held_window = res.surface.window
        i, j = self.store.value.surface_axes
        theta = list(self.store.value.theta)
        theta[i], theta[j] = a, b
        write(self.show_message, lambda: self.store.set(self.store.value.with_theta(theta)), self._redraw_surface)

    def _handle_released(self, *_args) -> None:
        if self._held_window is not None:
            self._held_window = None
            self.settings_changed(frozenset({"theta"}))

    def _redraw_surface(self) -> None:
        self.settings_changed(frozenset({"theta"}))  # the handle goes back to the θ the settings hold

    def refit_views(self) -> None:
        """Frame the data (cheap: the region depends on the points alone, no surface is computed)."""
        s = self.store.value
        self.data_view.fit_range(data_region(s.data, shows_scores(s.loss)))

    def data_problem(self, data) -> str | None:
        """Why these points cannot be opened under the current loss (None: they can)."""
        loss = LOSSES[self.store.value.loss]
        if loss.task == "binary" and data.n_classes > 2:
            return (f"{loss.title} scores only two classes (labels 0 and 1), but these points have labels 0 to "
                    f"{data.n_classes - 1}. Choose categorical cross-entropy first.")
        return None

    # ==================================================================== results
    def results(self) -> ClassificationResults:
        """The numbers for the current settings, run step and selection (computed once per change)."""
        value, run = self.store.value, self.run
        parts, compare = self.store.value.show_parts, self.comparing()
        key = (run.steps if run is not None else -1, run.status if run is not None else None,
               self.marks.selected, self._held_window, parts, compare, self.cache.version)
        if (self._results is None or self._results_for[0] is not value or self._results_for[1] is not run
                or self._results_key != key):
            self._results = compute_classification(value, run, self.cache, self.marks.selected, self._held_window,
                                                   parts=parts, compare=compare)
            self._results_for, self._results_key = (value, run), key
        return self._results

    def comparing(self) -> bool:
        """Whether the page "Why BCE?" is in front (only then is its comparison worked out)."""
        return self.side.currentWidget() is self.why_page

    # ==================================================================== drawing
    def _marks_changed(self) -> None:
        self.settings_changed(frozenset({"marks"}))

    def refresh(self, changed: frozenset = EVERYTHING) -> None:
        res = self.results()
        if changed != {"marks"}:
            self._show_data(res)
            if not changed <= MODEL_ONLY:
                self._show_controls()
            self._show_model(res)
            if self.comparing():
                self._show_why(res)
        self._show_marks(res)

    def _show_data(self, res: ClassificationResults) -> None:
        data, source, scores = res.data, self.store.value.source, res.shows_scores
        if self._shown.get("data") is data and self._shown.get("scores") == scores:
            return
        old_data, old_source = self._shown.get("data"), self._shown.get("source")
        self.data_view.set_points(data.x, data.labels, data.n_classes, scores)
        # Frame the points when they are new, not while the user edits them.
        if (old_data is None or old_data.n_features != data.n_features or self._shown.get("scores") != scores
                or (source.preset is not None and (old_source is None or source.preset != old_source.preset))):
            self.data_view.fit_range(res.region)
        self._shown["data"], self._shown["source"], self._shown["scores"] = data, source, scores
        self._shown.pop("point", None)

    def _show_titles(self, scores: bool, loss: str = "") -> None:
        """Probability views say probability; under a score loss they say score and margin."""
        for panel, key in ((self.hist_panel, "hist"), (self.truth_panel, "truth")):
            title, about = TITLES[key][int(scores)]
            if key == "truth" and loss == "brier":
                about = SQUARED_TRUTH_TIP
            if panel.title.text() != title or panel.title._about != about:
                panel.title._about = about  # what HeaderLabel puts under the title in its tooltip
                panel.title.setText(title)
                panel.title.setToolTip(f"<b>{title}</b><br>{about}")

    def _show_controls(self) -> None:
        s = self.store.value
        show_choice(self.loss, s.loss)
        self._show_titles(shows_scores(s.loss), s.loss)
        self.penalty.refresh(s)
        chosen = s.penalty != "none"
        show_visible(self.parts_box, chosen)
        show_checked(self.parts_box, s.show_parts)
        show_visible(self.penalty_note, chosen)
        names = s.predictor().param_names
        if self._shown.get("param_names") != names:
            with signals_blocked(self.param_i, self.param_j):
                for combo in (self.param_i, self.param_j):
                    combo.clear()
                    for name in names:
                        combo.addItem(parameter_title(name, short=True), name)
                        combo.setItemData(combo.count() - 1, parameter_title(name), Qt.ItemDataRole.ToolTipRole)
            self._shown["param_names"] = names
        for combo, index in zip((self.param_i, self.param_j), s.surface_axes):
            if combo.currentIndex() != index:
                with signals_blocked(combo):
                    combo.setCurrentIndex(index)
        k = s.data.n_classes
        if self.add_class.count() != k:
            with signals_blocked(self.add_class):
                self.add_class.clear()
                self.add_class.addItems([f"add class {c}" for c in range(k)])
        if self.add_class.currentIndex() != s.add_label:
            with signals_blocked(self.add_class):
                self.add_class.setCurrentIndex(s.add_label)
        self.show_origin()

    def _show_model(self, res: ClassificationResults) -> None:
        problem = res.label_problem
        show_enabled(self.descent, problem is None)
        if problem is not None:
            self.descent.set_playing(False)
            self.data_view.show_model(None)
            if self._problem_shown != problem:
                self.status.emit(problem, "warning")
            self._show_banner(f"⚠ {problem}")
            self._problem_shown = problem
            self._shown.pop("surface", None)
            return
        if self._problem_shown is not None:
            self._problem_shown = None
            self._hide_banner()
        snap = res.snapshot
        assert snap is not None and res.confidence is not None and res.path is not None
        self.data_view.show_model(res.decision)
        self.loss_view.show(snap)
        assert res.spread is not None
        self.hist_view.show(res.spread)
        self.truth_view.show(res.confidence)
        self._show_numbers(res)
        surface = res.surface
        self.loss_view.show_penalty(res.penalty_bar)
        if surface is not None:
            if self._shown.get("surface") is not surface.z or self._shown.get("window") != surface.window:
                self.surface_view.set_axis_labels(*surface.titles)
                self.surface_view.show_surface(surface.window, surface.z, surface.lines)
                self._shown["surface"], self._shown["window"] = surface.z, surface.window
            self.surface_view.show_current(*surface.current)
            self._show_penalty_parts(res)
        path = res.path
        self.surface_view.show_path(path.points)
        self.curve_view.show(path.costs, None)
        show_text(self.curve_panel.readout, "" if path.status is None else f"step {path.steps}   cost {path.costs[-1]:.4g}")
        self.descent.show_run_text(path.message)

    def _show_penalty_parts(self, res: ClassificationResults) -> None:
        """The penalty's level lines, the regularisation path and what the surface panel says of them."""
        surface = res.surface
        assert surface is not None
        self.surface_view.show_penalty_lines(*surface.penalty_lines)
        path = surface.path
        if path is None or path.points.size == 0:
            self.surface_view.show_reg_path(np.zeros(0), np.zeros(0), None)
        else:
            self.surface_view.show_reg_path(path.points[:, 0], path.points[:, 1], path.current)
        waiting = res.penalty is not None and not surface.path_note and self.cache.waiting
        show_text(self.surface_panel.readout, PATH_WAITING_TEXT if waiting else "")
        if res.penalty is not None:
            note = surface.penalty_note + (f" {surface.path_note}" if surface.path_note else "")
            show_text(self.penalty_note, note)

    def _show_numbers(self, res: ClassificationResults) -> None:
        snap = res.snapshot
        assert snap is not None
        loss = LOSSES[res.loss]
        show_text(self.formula, classification_cost_html(loss.title, formula_of(res.loss), snap.n, snap.total,
                                                         snap.cost, snap.accuracy, res.penalty, res.strength,
                                                         res.l1_ratio, res.penalty_value))
        if res.penalty is not None:
            show_text(self.loss_panel.readout,
                      f"mean = {res.data_cost:.4g}   penalty = {res.penalty_value:.4g}   cost = {res.cost:.4g}")
        else:
            show_text(self.loss_panel.readout, f"cost = {snap.cost:.4g}")
        show_text(self.data_panel.readout, f"n = {snap.n}   K = {res.n_classes}")
        both = res.both_ways
        self._shown["both_ways_look"] = theme.look()
        if both is None:
            show_text(self.both_ways, NO_SECOND_WAY.get(res.loss, NO_SECOND_WAY["hinge"]))
            return
        text = (f"Cost worked out from the probabilities: <b>{both.from_probabilities:.6g}</b><br>"
                f"and straight from the scores: <b>{both.from_logits:.6g}</b>")
        if both.clipped:
            what = "point" if both.clipped == 1 else "points"
            text += (f"<br><span style='color:{theme.look().error}'>The model is so sure about {both.clipped} "
                     f"{what} that its probability was rounded off: only the scores still show "
                     f"how sure it is.</span>")
        else:
            text += "<br>The two ways give the same cost."
        show_text(self.both_ways, text)

    def _show_marks(self, res: ClassificationResults) -> None:
        hover, selected = self.marks.hover, self.marks.selected
        self.data_view.show_marks(hover, selected)
        if res.snapshot is None:
            return
        focus = hover if hover is not None else selected
        self.loss_view.show_highlight(focus)
        self.truth_view.show_highlight(focus)
        point = res.selected
        scores = res.shows_scores
        if point is None:
            if self._shown.get("point", -1) is None and self._shown.get("point_scores") == scores:
                return  # nothing selected before or now: leave the empty view alone
            self.point_view.show(np.zeros(max(2, res.n_classes)), None, scores)
            show_text(self.point_text, NO_POINT_SCORE_TEXT if scores else NO_POINT_TEXT)
            self._shown["point"], self._shown["point_scores"] = None, scores
            return
        if point.scores.size:
            self.point_view.show(point.scores, point.true_class, True)
            show_text(self.point_text, f"Point {point.row}, class {point.true_class}: score s = {point.scores[1]:.4f}, "
                                       f"margin m = {point.margin:.4f}, loss = {point.loss:.4f}")
        else:
            self.point_view.show(point.probabilities, point.true_class)
            show_text(self.point_text, f"Point {point.row}, class {point.true_class}: "
                                       f"p<sub>{point.true_class}</sub> = {point.p_true:.4f}, loss = {point.loss:.4f}")
        self._shown["point"], self._shown["point_scores"] = point, scores

    def settle(self, msecs: int = 5000) -> None:
        """Wait for the work off the GUI thread (the λ path, a race) and show it (for pictures)."""
        for worker in (self.cache.paths, self.race_worker):
            worker.wait(msecs)
        QApplication.processEvents()

    # ==================================================================== BCE or squared error?
    def _show_why(self, res: ClassificationResults) -> None:
        """The comparison page, and its race as it stands for the points now."""
        comparison = res.comparison
        if comparison is None and res.label_problem is not None:
            self.why_page.show_comparison(None)
            self.why_page.problem.setText(res.label_problem)
            self.why_page.problem.setVisible(True)
            return
        self.why_page.show_comparison(comparison)
        self._show_race()

    def _show_race(self) -> None:
        if self.race_worker.waiting:
            state = "waiting"
        elif self.race is not None and self._race_for is not self.store.value.data:
            state = "stale"
        else:
            state = ""
        shown = self._shown.get("race")
        if shown is not None and shown[0] is self.race and shown[1] == state:
            return
        self._shown["race"] = (self.race, state)
        self.why_page.show_race(self.race, state)

    def start_race(self) -> None:
        """Race cross-entropy against squared error on p from a confidently wrong start on the
        tab's points (worked out off the GUI thread; the page shows it when it arrives)."""
        data = self.store.value.data
        if data.n_classes != 2:
            self.show_message("The race needs two classes of points.", "warning")
            return
        self._race_for = data
        self.race_worker.submit(("race", id(data)), partial(wrong_start_race, data))
        self._show_race()

    def _race_arrived(self, _tag: tuple, race: WrongStartRace) -> None:
        self.race = race
        if self.comparing():
            self._show_race()

    def _race_failed(self, _tag: tuple, text: str) -> None:
        self.show_message("The race could not be run for these points.", "warning")
        self._show_race()
