"""The classification tab: binary and categorical cross-entropy (and hinge), live.

Same one-way flow as the regression explorer: controls and gestures set the
``ClassifierState``; ``refresh`` asks the model layer for one snapshot (and the cost
surface over two chosen parameters) and hands it to the views.
"""

from __future__ import annotations

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

from lossdesk.model import LOSSES, PRESETS, ClassificationData, parameter_surface
from lossdesk.model.classifier_snapshot import ClassifierSnapshot, classifier_snapshot
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.qt.controls.dataset_table import DatasetEditor
from lossdesk.qt.tabs.data_actions import DataTabActions
from lossdesk.qt.tabs.refresh_when_shown import RefreshWhenShown
from lossdesk.qt.controls.descent_panel import DescentPanel
from lossdesk.qt.controls.logit_playground import LogitPlayground
from lossdesk.qt.state import ClassifierState
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.views.class_data import ClassDataView
from lossdesk.qt.views.class_probabilities import ClassProbabilitiesView
from lossdesk.qt.views.loss_curve import LossCurveView
from lossdesk.qt.views.loss_surface import LossSurfaceView
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.qt.views.per_example_loss import PerExampleLossView
from lossdesk.qt.views.probability_histogram import ProbabilityHistogramView
from lossdesk.qt.views.true_class_loss import TrueClassLossView
from lossdesk.qt.controls.float_slider import FloatSlider, bind_live_slider, signals_blocked

CLASSIFICATION_LOSSES = ("bce", "bce_logits", "hinge", "cce", "cce_logits")
CLASSIFICATION_PRESETS = [name for name, p in PRESETS.items() if p.task == "classification"]
SURFACE_SIZE = 64
ERROR_STYLE = ("QLabel { background: #fde7e4; color: #8c1d12; border: 1px solid #e8a39a;"
               " padding: 4px; font-weight: bold; }")


class ClassificationTab(RefreshWhenShown, DataTabActions, QWidget):
    status = Signal(str, str)

    def __init__(self, state: ClassifierState | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state or ClassifierState()
        if self.state.parent() is None:
            self.state.setParent(self)
        self.snapshot: ClassifierSnapshot | None = None
        self.window: SurfaceWindow | None = None
        self._surface_key: tuple | None = None
        self._param_names: tuple[str, ...] = ()
        self._point_shown: int | None = -1  # the row the point view shows (-1: not drawn yet)

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
                                       "The cost over the two chosen parameters, the others held where they are")
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
        self.preset.addItems(CLASSIFICATION_PRESETS)
        for i, name in enumerate(CLASSIFICATION_PRESETS):
            self.preset.setItemData(i, PRESETS[name].description, Qt.ItemDataRole.ToolTipRole)
        self.preset.setToolTip("A built-in labelled data set (Ctrl+Z brings the old points back)")
        form.addRow("Preset", self.preset)
        self.noise = FloatSlider("", 0.0, 3.0, 0.8, decimals=2,
                                 tooltip="How spread out each class is; moving it regenerates the points")
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
        self.descent = DescentPanel(self.state)
        clay.addWidget(self.descent)
        point_box = QGroupBox("Selected point")
        play = QVBoxLayout(point_box)
        self.point_text = QLabel("Click a point to see its class probabilities.")
        self.point_text.setWordWrap(True)
        play.addWidget(self.point_text)
        play.addWidget(self.point_view.widget)
        clay.addWidget(point_box, 1)

        self.editor = DatasetEditor(self.state)
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

        self._connect()
        self.sync_controls()
        self.refresh(frozenset({"data", "loss", "line", "run", "selection"}), refit=True)

    # ==================================================================== wiring
    def _connect(self) -> None:
        s = self.state
        s.changed.connect(self._state_changed)
        s.message.connect(self.show_message)
        self.preset.activated.connect(lambda i: self.load_preset(self.preset.itemText(i)))
        bind_live_slider(self.noise, s, self._noise_changed, "Change spread")
        self.loss.currentIndexChanged.connect(lambda i: self.set_loss(self.loss.itemData(i)))
        self.param_i.currentIndexChanged.connect(lambda _i: self._surface_axes_changed())
        self.param_j.currentIndexChanged.connect(lambda _i: self._surface_axes_changed())
        self.descent.started.connect(lambda: self.banner.setVisible(False))
        self.descent.message.connect(self.show_message)
        pts = self.data_view.points
        pts.dragStarted.connect(self._drag_started)
        pts.dragMoved.connect(self._drag_moved)
        pts.dragFinished.connect(lambda row: s.end_live_edit("Move point"))
        pts.clicked.connect(s.select)
        pts.contextRequested.connect(self._point_menu)
        scene = self.data_view.widget.scene()
        scene.sigMouseMoved.connect(lambda pos: s.set_hover(self.data_view.nearest_point(pos)))
        scene.sigMouseClicked.connect(self._data_clicked)
        self.loss_view.widget.scene().sigMouseMoved.connect(lambda pos: s.set_hover(self.loss_view.bar_at(pos)))
        self.surface_view.handleMoved.connect(self._handle_moved)

    def preset_name(self) -> str:
        return self.preset.currentText()

    def preset_controls(self):
        return self.preset, self.noise

    def sync_controls(self) -> None:
        s = self.state
        with signals_blocked(self.preset, self.loss):
            if s.preset is not None:
                self.preset.setCurrentText(s.preset)
            self.loss.setCurrentIndex(self.loss.findData(s.loss))
        self.descent.sync()
        self._fill_class_choice()

    # ==================================================================== actions
    def set_loss(self, name: str) -> None:
        self.descent.set_playing(False)
        self.state.set_loss(name)
        with signals_blocked(self.loss):
            self.loss.setCurrentIndex(self.loss.findData(name))

    def _drag_started(self, row: int) -> None:
        self.state.begin_live_edit()
        self.state.select(row)

    def _drag_moved(self, row: int, x: float, y: float) -> None:
        self.state.move_point(row, self.data_view.features_at(row, x, y), live=True)

    def _data_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or self.data_view.nearest_point(ev.scenePos()) is not None:
            return
        if not ev.double():
            self.state.select(None)
            return
        p = self.data_view.plot.getViewBox().mapSceneToView(ev.scenePos())
        values = self.data_view.features_at(-1, float(p.x()), float(p.y()))
        values["label"] = float(max(self.add_class.currentIndex(), 0))
        try:
            row = self.state.add_values(values)
        except ValueError as exc:
            self.show_message(str(exc), "warning")
            return
        self.state.select(row)
        ev.accept()

    def _point_menu(self, row: int, screen_pos: QPointF) -> None:
        self.state.select(row)
        data: ClassificationData = self.state.data  # type: ignore[assignment]
        menu = QMenu(self)
        relabel = {}
        for k in range(data.n_classes):
            if k != data.labels[row]:
                relabel[menu.addAction(f"Change label to {k}")] = k
        menu.addSeparator()
        remove = menu.addAction("Remove point")
        chosen = menu.exec(screen_pos.toPoint())
        if chosen is remove:
            self.remove_selected()
        elif chosen in relabel:
            self.state.set_data(data.with_value(row, "label", relabel[chosen]), "Change label")

    def _handle_moved(self, a: float, b: float) -> None:
        i, j = self.surface_axes()
        theta = self.state.theta
        theta[i], theta[j] = a, b
        self.state.set_theta(theta)

    def _surface_axes_changed(self) -> None:
        self.window = None
        self._surface_key = None
        self.refresh(frozenset({"surface"}))

    def refit_views(self) -> None:
        self.window = None
        self._surface_key = None
        self.refresh(frozenset({"data", "loss", "line", "run"}), refit=True)

    # ==================================================================== drawing
    def surface_axes(self) -> tuple[int, int]:
        i, j = self.param_i.currentIndex(), self.param_j.currentIndex()
        n = len(self._param_names)
        if i < 0 or j < 0 or i == j:
            i, j = 0, 1 if n > 1 else 0
        return i, j

    def _fill_param_choice(self) -> None:
        names = self.state.predictor().param_names
        if names == self._param_names:
            return
        self._param_names = names
        with signals_blocked(self.param_i, self.param_j):
            self.param_i.clear()
            self.param_j.clear()
            self.param_i.addItems(list(names))
            self.param_j.addItems(list(names))
            self.param_i.setCurrentIndex(0)
            self.param_j.setCurrentIndex(1)
        self.window = None
        self._surface_key = None

    def _fill_class_choice(self) -> None:
        k = self.state.data.n_classes  # type: ignore[attr-defined]
        if self.add_class.count() != k:
            with signals_blocked(self.add_class):
                self.add_class.clear()
                self.add_class.addItems([str(c) for c in range(k)])

    def refresh(self, aspects: frozenset, refit: bool = False) -> None:
        s = self.state
        data: ClassificationData = s.data  # type: ignore[assignment]
        if "data" in aspects:
            self.data_view.set_points(data.x, data.labels, data.n_classes, fit_view=refit)
            self.show_origin()
            self._point_shown = -1  # the class count may have changed: redraw the point view
            self._fill_class_choice()
        problem = s.label_problem()
        self.descent.setEnabled(problem is None)
        if problem is not None:
            self.banner.setText(f"⚠ {problem}")
            self.banner.setVisible(True)
            self.status.emit(problem, "warning")
            return
        if self.banner.text().startswith("⚠") and "needs two classes" in self.banner.text():
            self.banner.setVisible(False)
        self._fill_param_choice()
        predictor = s.predictor()
        if aspects & {"data", "loss", "line"}:
            self.snapshot = classifier_snapshot(data, s.loss, predictor, s.theta, s.params)
            snap = self.snapshot
            self.data_view.show_model(predictor, s.theta)
            self.loss_view.show(snap)
            self.hist_view.show(snap)
            self.truth_view.show(s.loss, snap)
            self._show_numbers(snap)
        if aspects & {"data", "loss", "line", "surface"}:
            self._show_surface()
        if aspects & {"run", "line", "data", "loss", "surface"}:
            self._show_run()
        if aspects & {"hover", "selection", "data", "line", "loss"} and self.snapshot is not None:
            self.data_view.show_marks(s.hover, s.selected)
            self.loss_view.show_highlight(s.hover if s.hover is not None else s.selected)
            self.truth_view.show_highlight(s.hover if s.hover is not None else s.selected)
            self._show_point()

    def _show_surface(self) -> None:
        s = self.state
        i, j = self.surface_axes()
        theta = s.theta
        names = self._param_names
        half = max(4.0, 1.5 * max(abs(theta[i]), abs(theta[j])))
        if self.window is None or not self.window.contains(theta[i], theta[j]):
            self.window = SurfaceWindow((-half, half), (-half, half), SURFACE_SIZE)
        others = np.delete(theta, [i, j])
        key = (id(s.data), s.loss, tuple(sorted(s.params.items())), i, j, self.window, others.tobytes())
        if key != self._surface_key:
            z = parameter_surface(s.objective(), theta, i, j, self.window.w_grid, self.window.b_grid)
            self.surface_view.set_axis_labels(names[i], names[j])
            self.surface_view.show_surface(self.window, z)
            self._surface_key = key
            self._surface_data = s.data  # keeps id() in the key unique
        self.surface_view.show_current(theta[i], theta[j])
        self.surface_view.optimum.setData([], [])

    def _show_run(self) -> None:
        s = self.state
        i, j = self.surface_axes()
        run = s.run
        if run is None:
            theta = s.theta
            self.surface_view.show_path(np.array([[theta[i], theta[j]]]))
            cost = self.snapshot.cost if self.snapshot is not None else 0.0
            self.curve_view.show(np.array([cost]), None)
            self.curve_panel.readout.setText("")
            return
        thetas = np.asarray(run.thetas)
        self.surface_view.show_path(thetas[:, [i, j]])
        self.curve_view.show(np.asarray(run.costs), None)
        self.curve_panel.readout.setText(f"step {run.steps}   cost {run.costs[-1]:.4g}")

    def _show_numbers(self, snap: ClassifierSnapshot) -> None:
        s = self.state
        title = LOSSES[s.loss].title
        self.formula.setText(
            f"<span style='font-size:12pt'>{title}: cost = <sup>1</sup>&frasl;<sub>n</sub> Σ L<sub>i</sub> = "
            f"<sup>1</sup>&frasl;<sub>{snap.n}</sub> × {snap.total:.4g} = <b>{snap.cost:.4g}</b></span>"
            f"<br>{LOSSES[s.loss].formula}   ·   accuracy {100 * snap.accuracy:.0f} %"
        )
        self.loss_panel.readout.setText(f"cost = {snap.cost:.4g}")
        self.data_panel.readout.setText(f"n = {snap.n}   K = {s.data.n_classes}")  # type: ignore[attr-defined]
        if snap.cost_from_logits is None:
            self.both_ways.setText("Hinge scores raw outputs: there are no probabilities to clip.")
            return
        text = (f"from clipped probabilities: <b>{snap.cost_from_probabilities:.6g}</b><br>"
                f"from logits: <b>{snap.cost_from_logits:.6g}</b>")
        if snap.clipped:
            text += (f"<br><span style='color:#8c1d12'>Clipping to [10⁻⁷, 1 − 10⁻⁷] changed {snap.clipped} "
                     f"point(s): the probability form cannot see how sure the model is.</span>")
        else:
            text += "<br>No probability was clipped: both agree."
        self.both_ways.setText(text)

    def _show_point(self) -> None:
        row = self.state.selected
        snap = self.snapshot
        if row is None and self._point_shown is None:
            return  # nothing selected before or now: leave the empty view alone
        self._point_shown = row
        if row is None or snap is None or row >= snap.n:
            self.point_view.show(np.zeros(max(2, self.state.data.n_classes)), None)  # type: ignore[attr-defined]
            self.point_text.setText("Click a point to see its class probabilities.")
            return
        true = int(snap.labels[row])
        self.point_view.show(snap.probabilities[row], true)
        self.point_text.setText(
            f"Point {row}, class {true}: p<sub>{true}</sub> = {snap.p_true[row]:.4f}, "
            f"loss = {snap.losses[row]:.4f}"
        )

    def show_message(self, text: str, level: str = "info") -> None:
        self.status.emit(text, level)
        if level == "error":
            self.banner.setText(f"⚠ {text}")
            self.banner.setVisible(True)
