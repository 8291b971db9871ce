"""The classification tab: binary and categorical cross-entropy (and hinge), live.

Settings in, results out, views drawn. Every choice lives in the tab's
``ClassificationSettings`` store; data edits go through its ``DataHistory`` (one undo
step each); the hovered and selected points are its ``PointMarks``. ``results()`` is
``compute_classification`` of the current settings, the descent run (transient tab state)
and the selected point; every view and readout draws that one value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lossdesk.model import LOSSES, PRESETS, DescentRun
from lossdesk.model.results.classification import (
    ClassificationCache,
    ClassificationResults,
    compute_classification,
    data_region,
    objective_for,
)
from lossdesk.model.results.regression import GRADIENT_TOL
from lossdesk.model.results.runs import advance_run, run_news
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.qt.controls.binding import (
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
from lossdesk.qt.formula import classification_cost_html
from lossdesk.qt.tabs.data_actions import DataTabActions
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.tabs.refresh_when_shown import EVERYTHING, RefreshWhenShown
from lossdesk.qt.views.class_data import ClassDataView
from lossdesk.qt.views.class_probabilities import ClassProbabilitiesView
from lossdesk.qt.views.loss_curve import LossCurveView
from lossdesk.qt.views.loss_surface import LossSurfaceView
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.qt.views.per_example_loss import PerExampleLossView
from lossdesk.qt.views.probability_histogram import ProbabilityHistogramView
from lossdesk.qt.views.true_class_loss import TrueClassLossView
from lossdesk.settings import SettingsStore, changed_fields
from lossdesk.settings.classification import LOSS_NAMES
from lossdesk.settings.regression import LINE_LIMIT
from lossdesk.settings.selection import PointMarks

CLASSIFICATION_LOSSES = LOSS_NAMES
CLASSIFICATION_PRESETS = [name for name, p in PRESETS.items() if p.task == "classification"]
ERROR_STYLE = ("QLabel { background: #fde7e4; color: #8c1d12; border: 1px solid #e8a39a;"
               " padding: 4px; font-weight: bold; }")
NO_POINT_TEXT = "Click a point to see its class probabilities."
#: settings whose change makes a descent run in progress meaningless
RUN_INPUTS = frozenset({"source", "loss", "loss_params", "optimizer"})


class ClassificationTab(RefreshWhenShown, DataTabActions, QWidget):
    status = Signal(str, str)

    def __init__(self, store: SettingsStore, history, marks: PointMarks, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.history, self.marks = store, history, marks
        self.cache = ClassificationCache()
        self.run: DescentRun | None = None
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
        self.truth_view = TrueClassLossView()
        self.curve_view = LossCurveView()
        self.point_view = ClassProbabilitiesView()
        self.data_panel = ViewPanel("Data and predictions", self.data_view.widget,
                                    "Drag a point to move it; double-click to add one of the chosen class; "
                                    "right-click a point to change its label or remove it.")
        self.add_class = QComboBox()
        self.add_class.setToolTip("The class a double-click in the plot adds")
        self.data_panel.add_header_widget(QLabel("add:"))
        self.data_panel.add_header_widget(self.add_class)
        self.surface_panel = ViewPanel("Cost surface", self.surface_view.widget,
                                       "The cost over the two chosen parameters, the others held where they are; "
                                       "drag the ring to set those two")
        self.loss_panel = ViewPanel("Loss of each point", self.loss_view.widget,
                                    "One bar per point; the dashed line is the cost")
        self.hist_panel = ViewPanel("Predicted probabilities", self.hist_view.widget,
                                    "How the predictions spread, per true class")
        self.truth_panel = ViewPanel("Loss against confidence", self.truth_view.widget,
                                     "A confidently wrong prediction (p near 0) costs a lot")
        self.curve_panel = ViewPanel("Loss curve", self.curve_view.widget, "The cost after each descent step")

        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setStyleSheet("QLabel { background: #f5f7fb; border: 1px solid #d0d7e2; padding: 4px; }")
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
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
        form.addRow("Preset", self.preset)
        self.noise = FloatSlider("", 0.0, 3.0, 0.8, decimals=2,
                                 tooltip="How spread out each class is; moving it draws the preset's points again")
        form.addRow("Spread", self.noise)
        clay.addWidget(data_box)
        loss_box = QGroupBox("Loss")
        form = QFormLayout(loss_box)
        self.loss = QComboBox()
        for name in CLASSIFICATION_LOSSES:
            self.loss.addItem(LOSSES[name].title, name)
            self.loss.setItemData(self.loss.count() - 1, LOSSES[name].formula, Qt.ItemDataRole.ToolTipRole)
        self.loss.setToolTip("Binary losses fit a logistic model; categorical ones a softmax over K classes")
        form.addRow("Loss", self.loss)
        self.param_i = QComboBox()
        self.param_j = QComboBox()
        self.param_i.setToolTip("The parameter along the surface's horizontal axis")
        self.param_j.setToolTip("The parameter along the surface's vertical axis")
        form.addRow("Surface x", self.param_i)
        form.addRow("Surface y", self.param_j)
        self.both_ways = QLabel()
        self.both_ways.setWordWrap(True)
        self.both_ways.setToolTip("The same cost computed from clipped probabilities and from logits")
        form.addRow(self.both_ways)
        clay.addWidget(loss_box)
        self.descent = DescentPanel(store, self)
        clay.addWidget(self.descent)
        point_box = QGroupBox("Selected point")
        play = QVBoxLayout(point_box)
        self.point_text = QLabel(NO_POINT_TEXT)
        self.point_text.setWordWrap(True)
        play.addWidget(self.point_text)
        play.addWidget(self.point_view.widget)
        clay.addWidget(point_box, 1)

        self.editor = DatasetEditor(store, history, marks)
        self.playground = LogitPlayground()
        self.side = QTabWidget()
        self.side.addTab(controls, "Controls")
        self.side.addTab(self.editor, "Data table")
        self.side.addTab(self.playground, "Logits")
        self.side.setMinimumWidth(290)
        self.side.setMaximumWidth(380)

        lay_out_tab(self, self.side, [self.data_panel, self.surface_panel],
                    [self.loss_panel, self.hist_panel, self.truth_panel, self.curve_panel],
                    header=[self.formula, self.banner], top_sizes=[540, 400])

        # The run must follow every change, seen or not; the views only when shown.
        store.changed.connect(self._forget_stale_run)
        self.follow(store)
        marks.changed.connect(self._marks_changed)
        self._connect()
        self.connect_data_actions("Change spread")
        self.refresh(EVERYTHING)

    # ==================================================================== wiring
    def _connect(self) -> None:
        self.loss.activated.connect(lambda i: self.set_loss(self.loss.itemData(i)))
        self.param_i.activated.connect(lambda i: self._choose_axis(0, i))
        self.param_j.activated.connect(lambda i: self._choose_axis(1, i))
        self.add_class.activated.connect(
            lambda i: write(self.show_message, lambda: self.store.update(add_label=i), self._show_controls))
        self.descent.started.connect(self._hide_error)
        self.descent.message.connect(self.show_message)
        pts = self.data_view.points
        pts.dragStarted.connect(self._drag_started)
        pts.dragMoved.connect(self._drag_moved)
        pts.dragFinished.connect(lambda _row: self.history.end_live("Move point"))
        pts.clicked.connect(self.marks.select)
        pts.contextRequested.connect(self._point_menu)
        scene = self.data_view.widget.scene()
        scene.sigMouseMoved.connect(lambda pos: self.marks.set_hover(self.data_view.nearest_point(pos)))
        scene.sigMouseClicked.connect(self._data_clicked)
        self.loss_view.widget.scene().sigMouseMoved.connect(
            lambda pos: self.marks.set_hover(self.loss_view.bar_at(pos)))
        self.surface_view.handleMoved.connect(self._handle_moved)
        self.surface_view.handle.sigPositionChangeFinished.connect(self._handle_released)

    def preset_controls(self) -> tuple[QComboBox, FloatSlider]:
        return self.preset, self.noise

    def _noise_changed(self, noise: float, live: bool) -> None:
        super()._noise_changed(noise + 0.0, live)  # "-0" typed in the box is 0 (+0.0 drops the sign)

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
        start = tuple(self.run.thetas[0]) if self.run is not None else ()
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

    def _drag_started(self, row: int) -> None:
        self.history.begin_live()
        self.marks.select(row)

    def _drag_moved(self, row: int, x: float, y: float) -> None:
        s = self.store.value
        write(self.show_message, lambda: self.history.preview(
            s.with_source(s.source.edited(s.data.with_row(row, self.data_view.features_at(row, x, y))))))

    def _data_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or self.data_view.nearest_point(ev.scenePos()) is not None:
            return
        if not ev.double():
            self.marks.select(None)
            return
        p = self.data_view.plot.getViewBox().mapSceneToView(ev.scenePos())
        s = self.store.value
        values = self.data_view.features_at(-1, float(p.x()), float(p.y()))
        values["label"] = float(s.add_label)
        if write(lambda text, _level: self.show_message(text, "warning"),
                 lambda: self.history.set_data(s.data.with_added(values), "Add point")):
            self.marks.select(self.store.value.data.n - 1)
        ev.accept()

    def _point_menu(self, row: int, screen_pos: QPointF) -> None:
        self.marks.select(row)
        data = self.store.value.data
        menu = QMenu(self)
        relabel = {}
        for k in range(data.n_classes):
            if k != data.labels[row]:
                relabel[menu.addAction(f"Change label to {k}")] = k
        menu.addSeparator()
        remove = menu.addAction("Remove point")
        chosen = menu.exec(screen_pos.toPoint())
        menu.deleteLater()  # one menu per right-click: never let them pile up under the tab
        if chosen is remove:
            self.remove_selected()
        elif chosen in relabel:
            self.relabel(row, relabel[chosen])

    def relabel(self, row: int, label: int) -> None:
        """Give point ``row`` another class (one undo step)."""
        data = self.store.value.data
        write(self.show_message, lambda: self.history.set_data(data.with_value(row, "label", label), "Change label"))

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
        self.data_view.fit_range(data_region(self.store.value.data))

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
        key = (run.steps if run is not None else -1, run.status if run is not None else None,
               self.marks.selected, self._held_window)
        if (self._results is None or self._results_for[0] is not value or self._results_for[1] is not run
                or self._results_key != key):
            self._results = compute_classification(value, run, self.cache, self.marks.selected, self._held_window)
            self._results_for, self._results_key = (value, run), key
        return self._results

    # ==================================================================== drawing
    def _marks_changed(self) -> None:
        self.settings_changed(frozenset({"marks"}))

    def refresh(self, changed: frozenset = EVERYTHING) -> None:
        res = self.results()
        if changed != {"marks"}:
            self._show_data(res)
            self._show_controls()
            self._show_model(res)
        self._show_marks(res)

    def _show_data(self, res: ClassificationResults) -> None:
        data, source = res.data, self.store.value.source
        if self._shown.get("data") is data:
            return
        old_data, old_source = self._shown.get("data"), self._shown.get("source")
        self.data_view.set_points(data.x, data.labels, data.n_classes)
        # Frame the points when they are new, not while the user edits them.
        if (old_data is None or old_data.n_features != data.n_features
                or (source.preset is not None and (old_source is None or source.preset != old_source.preset))):
            self.data_view.fit_range(res.region)
        self._shown["data"], self._shown["source"] = data, source
        self._shown.pop("point", None)

    def _show_controls(self) -> None:
        s = self.store.value
        show_choice(self.loss, s.loss)
        names = s.predictor().param_names
        if self._shown.get("param_names") != names:
            with signals_blocked(self.param_i, self.param_j):
                for combo in (self.param_i, self.param_j):
                    combo.clear()
                    combo.addItems(list(names))
            self._shown["param_names"] = names
        for combo, index in zip((self.param_i, self.param_j), s.surface_axes):
            if combo.currentIndex() != index:
                with signals_blocked(combo):
                    combo.setCurrentIndex(index)
        k = s.data.n_classes
        if self.add_class.count() != k:
            with signals_blocked(self.add_class):
                self.add_class.clear()
                self.add_class.addItems([str(c) for c in range(k)])
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
        self.hist_view.show(snap)
        self.truth_view.show(res.confidence)
        self._show_numbers(res)
        surface = res.surface
        if surface is not None:
            if self._shown.get("surface") is not surface.z or self._shown.get("window") != surface.window:
                self.surface_view.set_axis_labels(*surface.labels)
                self.surface_view.show_surface(surface.window, surface.z, surface.lines)
                self.surface_view.optimum.setData([], [])
                self._shown["surface"], self._shown["window"] = surface.z, surface.window
            self.surface_view.show_current(*surface.current)
        path = res.path
        self.surface_view.show_path(path.points)
        self.curve_view.show(path.costs, None)
        show_text(self.curve_panel.readout, "" if path.status is None else f"step {path.steps}   cost {path.costs[-1]:.4g}")
        self.descent.show_run_text(path.message)

    def _show_numbers(self, res: ClassificationResults) -> None:
        snap = res.snapshot
        assert snap is not None
        loss = LOSSES[res.loss]
        show_text(self.formula, classification_cost_html(loss.title, loss.formula, snap.n, snap.total, snap.cost,
                                                         snap.accuracy))
        show_text(self.loss_panel.readout, f"cost = {snap.cost:.4g}")
        show_text(self.data_panel.readout, f"n = {snap.n}   K = {res.n_classes}")
        both = res.both_ways
        if both is None:
            show_text(self.both_ways, "Hinge scores raw outputs: there are no probabilities to clip.")
            return
        text = (f"from clipped probabilities: <b>{both.from_probabilities:.6g}</b><br>"
                f"from logits: <b>{both.from_logits:.6g}</b>")
        if both.clipped:
            text += (f"<br><span style='color:#8c1d12'>Clipping to [10⁻⁷, 1 − 10⁻⁷] changed {both.clipped} "
                     f"point(s): the probability form cannot see how sure the model is.</span>")
        else:
            text += "<br>No probability was clipped: both agree."
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
        if point is None:
            if self._shown.get("point", -1) is None:
                return  # nothing selected before or now: leave the empty view alone
            self.point_view.show(np.zeros(max(2, res.n_classes)), None)
            show_text(self.point_text, NO_POINT_TEXT)
            self._shown["point"] = None
            return
        self.point_view.show(point.probabilities, point.true_class)
        show_text(self.point_text, f"Point {point.row}, class {point.true_class}: p<sub>{point.true_class}</sub> = "
                                   f"{point.p_true:.4f}, loss = {point.loss:.4f}")
        self._shown["point"] = point

    # ==================================================================== messages
    def show_message(self, text: str, level: str = "info") -> None:
        self.status.emit(text, level)
        if level == "error":
            self._show_banner(f"⚠ {text}")

    def _show_banner(self, text: str) -> None:
        show_text(self.banner, text)
        show_visible(self.banner, True)

    def _hide_banner(self) -> None:
        show_visible(self.banner, False)

    def _hide_error(self) -> None:
        if self._problem_shown is None:
            self._hide_banner()
