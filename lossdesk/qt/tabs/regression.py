"""The regression explorer: controls and dataset editor on the left, five live views on the right.

Data flows one way. Controls and mouse gestures call the state's setters; the state
emits which aspects changed; ``refresh`` asks the model layer for one snapshot (and,
when the data or loss changed, the surface and best line) and hands them to the views.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMenu,
    QTabWidget,
    QWidget,
)

from lossdesk.model.snapshot import RegressionSnapshot, SurfaceCache, SurfaceWindow, regression_snapshot
from lossdesk.model.surface import line_surface_window
from lossdesk.qt.controls.regression_panel import ControlPanel
from lossdesk.qt.tabs.data_actions import DataTabActions
from lossdesk.qt.tabs.refresh_when_shown import RefreshWhenShown
from lossdesk.qt.controls.outlier import OutlierControls
from lossdesk.qt.controls.dataset_table import DatasetEditor
from lossdesk.qt.formula import cost_formula_html
from lossdesk.qt.state import ExplorerState
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.views.data_fit import DataFitView
from lossdesk.qt.views.loss_curve import LossCurveView
from lossdesk.qt.views.loss_surface import LossSurfaceView
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.qt.views.per_example_loss import PerExampleLossView
from lossdesk.qt.views.residual_histogram import ResidualHistogramView
from lossdesk.qt.controls.float_slider import bind_live_slider, signals_blocked

SURFACE_SIZE = 128


class RegressionExplorer(RefreshWhenShown, DataTabActions, QWidget):
    status = Signal(str, str)  # message, level

    def __init__(self, state: ExplorerState | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state or ExplorerState()
        if self.state.parent() is None:
            self.state.setParent(self)  # Qt owns it with the widget, so both go together
        self.cache = SurfaceCache()
        self.snapshot: RegressionSnapshot | None = None
        self.best: tuple[float, float] = (0.0, 0.0)
        self.best_cost = 0.0
        self.window: SurfaceWindow | None = None
        self.add_mode = False

        # ---------------------------------------------------------------- views
        self.data_view = DataFitView()
        self.hist_view = ResidualHistogramView()
        self.loss_view = PerExampleLossView()
        self.surface_view = LossSurfaceView()
        self.curve_view = LossCurveView()
        self.data_panel = ViewPanel("Data and fit", self.data_view.widget,
                                    "Drag a point to move it; double-click empty space to add one; "
                                    "right-click a point for more. Segments show each point's error, "
                                    "coloured by its loss (bright = large).")
        self.surface_panel = ViewPanel("Loss surface: cost over (w, b)", self.surface_view.widget,
                                       "Dark is low cost. The star is the best line; drag the white "
                                       "handle to move the line; the orange path is gradient descent.")
        self.hist_panel = ViewPanel("Error distribution", self.hist_view.widget,
                                    "How the residuals y − ŷ are spread, with their mean and median")
        self.loss_panel = ViewPanel("Loss of each point", self.loss_view.widget,
                                    "One bar per point; the dashed line is the cost, the mean of the bars. "
                                    "Hover a bar to find its point.")
        self.curve_panel = ViewPanel("Loss curve", self.curve_view.widget,
                                     "The cost after each descent step")
        self.reduction = QComboBox()
        for label, key in (("mean", "mean"), ("sum", "sum"), ("none", "none")):
            self.reduction.addItem(label, key)
        self.reduction.setToolTip("How the per-point losses become one number: mean (the cost), sum, "
                                  "or none (keep one loss per point)")
        self.loss_panel.add_header_widget(QLabel("reduction"))
        self.loss_panel.add_header_widget(self.reduction)

        self.formula = QLabel()
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setWordWrap(True)
        self.formula.setToolTip("The cost of the current line, with its numbers filled in")
        self.formula.setStyleSheet("QLabel { background: #f5f7fb; border: 1px solid #d0d7e2; padding: 4px; }")
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        # ---------------------------------------------------------------- left column
        self.controls = ControlPanel(self.state)
        self.descent = self.controls.descent
        self.outlier_controls = OutlierControls(self.state)
        self.controls.outlier_form.addRow(self.outlier_controls)
        self.editor = DatasetEditor(self.state)
        self.side = QTabWidget()
        self.side.addTab(self.controls, "Controls")
        self.side.addTab(self.editor, "Data table")
        self.side.setMinimumWidth(290)
        self.side.setMaximumWidth(380)

        lay_out_tab(self, self.side, [self.data_panel, self.surface_panel],
                    [self.hist_panel, self.loss_panel, self.curve_panel],
                    header=[self.formula, self.banner], top_sizes=[520, 420])


        self._connect()
        self.sync_controls()
        self.refresh(frozenset({"data", "loss", "line", "run", "selection", "hover"}), refit=True)

    # ==================================================================== wiring
    def _connect(self) -> None:
        s, c = self.state, self.controls
        s.changed.connect(self._state_changed)
        s.message.connect(self.show_message)
        c.preset.activated.connect(lambda i: self.load_preset(c.preset.itemText(i)))
        bind_live_slider(c.noise, s, self._noise_changed, "Change noise")
        self.outlier_controls.message.connect(self.show_message)
        c.loss.currentIndexChanged.connect(lambda i: self.set_loss(c.loss.itemData(i)))
        c.delta.valueChanged.connect(lambda v: self._set_param("delta", v))
        c.tau.valueChanged.connect(lambda v: self._set_param("tau", v))
        c.w.valueChanged.connect(lambda v: s.set_line(v, s.b))
        c.b.valueChanged.connect(lambda v: s.set_line(s.w, v))
        c.jump_best.clicked.connect(self.jump_to_best)
        self.descent.started.connect(lambda: self.banner.setVisible(False))
        self.descent.message.connect(self.show_message)
        self.reduction.currentIndexChanged.connect(lambda i: s.set_reduction(self.reduction.itemData(i)))

        pts = self.data_view.points
        pts.dragStarted.connect(self._drag_started)
        pts.dragMoved.connect(self._drag_moved)
        pts.dragFinished.connect(self._drag_finished)
        pts.clicked.connect(s.select)
        pts.contextRequested.connect(self._point_menu)
        scene = self.data_view.widget.scene()
        scene.sigMouseMoved.connect(self._data_hover)
        scene.sigMouseClicked.connect(self._data_clicked)
        self.loss_view.widget.scene().sigMouseMoved.connect(self._bar_hover)
        self.surface_view.handleMoved.connect(lambda w, b: s.set_line(w, b))

    def preset_name(self) -> str:
        return self.controls.preset.currentText()

    def preset_controls(self):
        return self.controls.preset, self.controls.noise

    def sync_controls(self) -> None:
        """Show the state's values in the controls without echoing signals back."""
        s, c = self.state, self.controls
        with signals_blocked(c.preset, c.loss, self.reduction):
            if s.preset is not None:
                c.preset.setCurrentText(s.preset)
            c.loss.setCurrentIndex(c.loss.findData(s.loss))
            self.reduction.setCurrentIndex(self.reduction.findData(s.reduction))
        c.delta.set_value(s.loss_params["huber"]["delta"])
        c.tau.set_value(s.loss_params["quantile"]["tau"])
        self.descent.sync()
        c.show_param_controls(s.loss)
        c.w.set_value(s.w)
        c.b.set_value(s.b)

    # ==================================================================== actions
    def set_loss(self, name: str) -> None:
        self.state.set_loss(name)
        self.controls.show_param_controls(name)
        with signals_blocked(self.controls.loss):
            self.controls.loss.setCurrentIndex(self.controls.loss.findData(name))

    def _set_param(self, key: str, value: float) -> None:
        try:
            self.state.set_param(key, value)
        except ValueError as exc:
            self.show_message(str(exc), "error")

    def jump_to_best(self) -> None:
        self.descent.set_playing(False)
        s = self.state  # computed now: a hidden tab's cached best line may be out of date
        self.state.set_line(*self.cache.best_line(s.data, s.loss, s.params))

    def _drag_started(self, row: int) -> None:
        self.state.begin_live_edit()
        self.state.select(row)

    def _drag_moved(self, row: int, x: float, y: float) -> None:
        self.state.move_point(row, x, y, live=True)

    def _drag_finished(self, row: int) -> None:
        self.state.end_live_edit("Move point")

    def _data_hover(self, scene_pos: QPointF) -> None:
        self.state.set_hover(self.data_view.nearest_point(scene_pos))

    def _bar_hover(self, scene_pos: QPointF) -> None:
        self.state.set_hover(self.loss_view.bar_at(scene_pos))

    def _data_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        near = self.data_view.nearest_point(ev.scenePos())
        if near is not None:
            return
        if ev.double() or self.add_mode:
            p = self.data_view.plot.getViewBox().mapSceneToView(ev.scenePos())
            row = self.state.add_point(float(p.x()), float(p.y()))
            self.state.select(row)
            ev.accept()
        else:
            self.state.select(None)

    def _point_menu(self, row: int, screen_pos: QPointF) -> None:
        self.state.select(row)
        menu = QMenu(self)
        remove = menu.addAction("Remove point")
        outlier = menu.addAction("Make this the outlier")
        chosen = menu.exec(screen_pos.toPoint())
        if chosen is remove:
            self.remove_selected()
        elif chosen is outlier:
            self.state.choose_outlier(row)

    def refit_views(self) -> None:
        self.window = None
        self.refresh(frozenset({"data", "loss", "line", "run"}), refit=True)

    def _choose_window(self) -> SurfaceWindow:
        data, s = self.state.data, self.state
        (w0, w1), (b0, b1) = line_surface_window(data.x, data.y)
        ws = [w0, w1, self.best[0], s.w]
        bs = [b0, b1, self.best[1], s.b]
        pad_w = 0.1 * (max(ws) - min(ws) or 1.0)
        pad_b = 0.1 * (max(bs) - min(bs) or 1.0)
        return SurfaceWindow((min(ws) - pad_w, max(ws) + pad_w), (min(bs) - pad_b, max(bs) + pad_b), SURFACE_SIZE)

    def refresh(self, aspects: frozenset, refit: bool = False) -> None:
        s = self.state
        data_or_loss = bool(aspects & {"data", "loss"})
        if "data" in aspects:
            self.data_view.set_points(s.data.x, s.data.y, fit_view=refit)
            self.show_origin()
        if data_or_loss:
            self.best = self.cache.best_line(s.data, s.loss, s.params)
            self.best_cost = regression_snapshot(s.data, s.loss, s.params, *self.best).cost
            # The surface's window holds still during a gesture, and moves after it if
            # the best line has left it.
            if self.window is None or not (s.live_editing or self.window.contains(*self.best)):
                self.window = self._choose_window()
            self.surface_view.show_surface(self.window, self.cache.surface(s.data, s.loss, s.params, self.window))
            self.surface_view.show_optimum(*self.best)
            self.data_view.show_best(*self.best)
            self._update_slider_ranges()
        if aspects & {"data", "loss", "line"}:
            self.snapshot = regression_snapshot(s.data, s.loss, s.params, s.w, s.b)
            snap = self.snapshot
            self.data_view.show(snap)
            self.hist_view.show(snap)
            self.loss_view.show(snap)
            self.surface_view.show_current(snap.w, snap.b)
            self.formula.setText(cost_formula_html(s.loss, s.params, snap, s.reduction))
            self._show_reduction(snap)
            self.controls.w.set_value(snap.w)
            self.controls.b.set_value(snap.b)
        if "loss" in aspects:
            self.controls.delta.set_value(s.loss_params["huber"]["delta"])
            self.controls.tau.set_value(s.loss_params["quantile"]["tau"])
        if "loss" in aspects and "line" not in aspects and self.snapshot is not None:
            self.formula.setText(cost_formula_html(s.loss, s.params, self.snapshot, s.reduction))
        if aspects & {"run", "line", "data", "loss"}:
            self._show_run()
        if aspects & {"hover", "selection", "data"}:
            self.data_view.show_marks(s.hover, s.selected, s.outlier)
            self.loss_view.show_highlight(s.hover if s.hover is not None else s.selected)
        if "loss" in aspects and self.snapshot is not None:
            self._show_reduction(self.snapshot)

    def _show_reduction(self, snap: RegressionSnapshot) -> None:
        r = self.state.reduction
        if r == "mean":
            text = f"cost = {snap.cost:.4g}"
        elif r == "sum":
            text = f"sum = {snap.total:.4g}"
        else:
            text = f"{snap.n} separate losses"
        self.loss_panel.readout.setText(text)
        self.data_panel.readout.setText(f"n = {snap.n}   cost = {snap.cost:.4g}")
        self.hist_panel.readout.setText(
            f"mean {snap.mean_residual:.3g}   median {snap.median_residual:.3g}")

    def _show_run(self) -> None:
        run = self.state.run
        if run is None:
            self.surface_view.show_path(np.array([[self.state.w, self.state.b]]))
            cost = self.snapshot.cost if self.snapshot is not None else 0.0
            self.curve_view.show(np.array([cost]), self.best_cost)
            self.curve_panel.readout.setText("")
            return
        self.surface_view.show_path(np.asarray(run.thetas))
        self.curve_view.show(np.asarray(run.costs), self.best_cost)
        self.curve_panel.readout.setText(f"step {run.steps}   cost {run.costs[-1]:.4g}")

    def _update_slider_ranges(self) -> None:
        if self.window is None:
            return
        self.controls.w.set_range(*self.window.w_range)
        self.controls.b.set_range(*self.window.b_range)

    def show_message(self, text: str, level: str = "info") -> None:
        self.status.emit(text, level)
        if level == "error":
            self.banner.setText(f"⚠ {text}")
            self.banner.setStyleSheet("QLabel { background: #fde7e4; color: #8c1d12; border: 1px solid #e8a39a;"
                                      " padding: 4px; font-weight: bold; }")
            self.banner.setVisible(True)
