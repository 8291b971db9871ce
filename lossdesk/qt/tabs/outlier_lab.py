"""The outlier lab: MSE, MAE, Huber (and log-cosh, quantile) fitted to the same data.

It shares the explorer's state (the data set, its undo history, the outlier), so a
point moved here has moved everywhere. Every refresh asks the model layer for each
loss's exact best line and draws what it returns.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lossdesk.model import LOSSES
from lossdesk.model.comparison import LossFit, best_constants, constant_cost_curve, fit_losses
from lossdesk.qt import style
from lossdesk.qt.tabs.refresh_when_shown import RefreshWhenShown
from lossdesk.qt.controls.outlier import OutlierControls
from lossdesk.qt.state import ExplorerState
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.views.best_constant import BestConstantView
from lossdesk.qt.views.cost_shares import CostSharesView
from lossdesk.qt.views.fit_comparison import FitComparisonView
from lossdesk.qt.views.loss_vs_error import LossVsErrorView
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked

COMPARED = ("mse", "mae", "huber", "logcosh", "quantile")
SHOWN_AT_START = ("mse", "mae", "huber")
CONSTANT_SAMPLES = 241
TABLE_COLUMNS = ("loss", "w", "b", "cost", "Δw", "Δb")


class CompareTab(RefreshWhenShown, QWidget):
    status = Signal(str, str)

    def __init__(self, state: ExplorerState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.fits: dict[str, LossFit] = {}
        self.reference_fits: dict[str, LossFit] = {}
        self._reference_key: tuple | None = None

        # ---------------------------------------------------------------- views
        self.fit_view = FitComparisonView()
        self.shares_view = CostSharesView()
        self.error_view = LossVsErrorView()
        self.constant_view = BestConstantView()
        self.fit_panel = ViewPanel("Best line for each loss", self.fit_view.widget,
                                   "Each line is the exact minimum of its loss. Click a point to make it the "
                                   "outlier, or drag it. Arrows: how hard each point pulls the chosen loss's line.")
        self.shares_panel = ViewPanel("Share of the total loss", self.shares_view.widget,
                                      "Each point's part of the summed loss at that loss's best line")
        self.error_panel = ViewPanel("Loss against error", self.error_view.widget,
                                     "Each loss as a function of the error e = ŷ − y; dots are the points' "
                                     "errors at that loss's best line")
        self.constant_panel = ViewPanel("Best single number", self.constant_view.widget,
                                        "Predict one number c for every point: MSE picks the mean, MAE the median, "
                                        "pinball(τ) the τ-quantile")

        # ---------------------------------------------------------------- controls
        self.checks: dict[str, QCheckBox] = {}
        loss_box = QGroupBox("Losses")
        form = QFormLayout(loss_box)
        for name in COMPARED:
            box = QCheckBox(LOSSES[name].title)
            box.setChecked(name in SHOWN_AT_START)
            box.setStyleSheet(f"QCheckBox {{ color: {style.LOSS_COLOURS[name]}; font-weight: bold; }}")
            box.setToolTip(f"Show the best {LOSSES[name].title.lower()} line: {LOSSES[name].formula}")
            box.toggled.connect(self._visibility_changed)
            self.checks[name] = box
            form.addRow(box)
        self.delta = FloatSlider("δ", 0.05, 10.0, state.loss_params["huber"]["delta"], log=True,
                                 box_range=(0.001, 1000.0), tooltip="Huber's δ: beyond it errors count linearly")
        self.tau = FloatSlider("τ", 0.01, 0.99, state.loss_params["quantile"]["tau"], box_range=(0.001, 0.999),
                               tooltip="The quantile τ the pinball loss aims at")
        form.addRow(self.delta)
        form.addRow(self.tau)
        self.arrow_loss = QComboBox()
        for name in COMPARED:
            self.arrow_loss.addItem(LOSSES[name].title, name)
        self.arrow_loss.setToolTip("Whose pulls the arrows show: each arrow is −dL/dŷ at that loss's best line")
        form.addRow("Arrows for", self.arrow_loss)

        outlier_box = QGroupBox("The outlier")
        olay = QVBoxLayout(outlier_box)
        hint = QLabel("Click a point in the plot to make it the outlier, then move it with the slider.")
        hint.setWordWrap(True)
        olay.addWidget(hint)
        self.outlier_controls = OutlierControls(state)
        olay.addWidget(self.outlier_controls)

        self.table = QTableWidget(len(COMPARED), len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.setToolTip("Best w and b per loss, the cost there, and how far w and b moved since "
                              "the outlier was at its original place")
        for row, name in enumerate(COMPARED):
            item = QTableWidgetItem(name.upper() if name in ("mse", "mae") else LOSSES[name].title.split()[0])
            item.setForeground(QColor(style.LOSS_COLOURS[name]))
            self.table.setItem(row, 0, item)
            for col in range(1, len(TABLE_COLUMNS)):
                cell = QTableWidgetItem("")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, cell)

        side = QWidget()
        slay = QVBoxLayout(side)
        slay.setContentsMargins(4, 4, 4, 4)
        slay.addWidget(loss_box)
        slay.addWidget(outlier_box)
        slay.addWidget(QLabel("<b>Fits</b> (Δ: moved since the outlier was chosen)"))
        slay.addWidget(self.table, 1)
        side.setMinimumWidth(290)
        side.setMaximumWidth(380)

        lay_out_tab(self, side, [self.fit_panel], [self.shares_panel, self.error_panel, self.constant_panel],
                    heights=(380, 260))

        # ---------------------------------------------------------------- wiring
        state.changed.connect(self._state_changed)
        self.delta.valueChanged.connect(lambda v: self._set_param("huber", "delta", v))
        self.tau.valueChanged.connect(lambda v: self._set_param("quantile", "tau", v))
        self.arrow_loss.currentIndexChanged.connect(lambda _: self.refresh(frozenset({"arrows"})))
        self.outlier_controls.message.connect(self.status)
        pts = self.fit_view.points
        pts.clicked.connect(self._point_clicked)
        pts.dragStarted.connect(lambda row: state.begin_live_edit())
        pts.dragMoved.connect(lambda row, x, y: state.move_point(row, x, y, live=True))
        pts.dragFinished.connect(lambda row: state.end_live_edit("Move point"))
        self.fit_view.set_points(state.data.x, state.data.y, fit_view=True)
        self.refresh(frozenset({"data", "loss", "selection"}))

    # ------------------------------------------------------------------ settings
    @property
    def visible(self) -> list[str]:
        return [name for name in COMPARED if self.checks[name].isChecked()]

    @property
    def specs(self) -> dict[str, dict[str, float]]:
        return {name: dict(self.state.loss_params[name]) for name in COMPARED}

    def set_shown(self, names: list[str]) -> None:
        for name, box in self.checks.items():
            with signals_blocked(box):
                box.setChecked(name in names)
        self.refresh(frozenset({"visibility"}))

    def set_arrow_loss(self, name: str) -> None:
        self.arrow_loss.setCurrentIndex(self.arrow_loss.findData(name))

    def _set_param(self, loss: str, key: str, value: float) -> None:
        try:
            self.state.set_loss_param(loss, key, value)
        except ValueError as exc:
            self.status.emit(str(exc), "error")

    def _visibility_changed(self, _checked: bool) -> None:
        self.refresh(frozenset({"visibility"}))

    def _point_clicked(self, row: int) -> None:
        self.state.select(row)
        self.state.choose_outlier(row)

    def fit_view_to_data(self) -> None:
        self.fit_view.set_points(self.state.data.x, self.state.data.y, fit_view=True)

    # ------------------------------------------------------------------ drawing
    @property
    def arrow_scale(self) -> float:
        """Data units of arrow per unit of pull; fixed for a data set so losses compare."""
        return 0.04 * (float(np.ptp(self.state.data.y)) or 1.0)

    def _reference(self) -> dict[str, LossFit]:
        """The fits with the outlier back at its original place (refitted only when that data changes)."""
        s = self.state
        if s.outlier is None or s.outlier >= s.data.n:
            return self.fits
        original = s.data.with_value(s.outlier, "y", s.outlier_base)
        key = (original.x.tobytes(), original.y.tobytes(),
               tuple(sorted((k, tuple(v.items())) for k, v in self.specs.items())))
        if key != self._reference_key:
            self.reference_fits = fit_losses(original, self.specs)  # type: ignore[arg-type]
            self._reference_key = key
        return self.reference_fits

    def refresh(self, aspects: frozenset) -> None:
        s = self.state
        if "loss" in aspects:
            self.delta.set_value(s.loss_params["huber"]["delta"])
            self.tau.set_value(s.loss_params["quantile"]["tau"])
        if aspects & {"data", "loss"}:
            self.fit_view.set_points(s.data.x, s.data.y)
            self.fits = fit_losses(s.data, self.specs)
            y = s.data.y
            pad = 0.15 * (float(np.ptp(y)) or 1.0)
            c_grid = np.linspace(float(y.min()) - pad, float(y.max()) + pad, CONSTANT_SAMPLES)
            tau = s.loss_params["quantile"]["tau"]
            costs = {name: constant_cost_curve(y, name, c_grid, **s.loss_params[name])
                     for name in ("mse", "mae", "quantile")}
            self.constants = best_constants(y, tau)
            self.constant_view.show(c_grid, costs, self.constants)
        if not self.fits:
            return
        if aspects & {"data", "loss", "visibility", "arrows", "selection"}:
            visible = self.visible
            self.fit_view.show_fits(self.fits, set(visible))
            arrow = self.arrow_loss.currentData()
            self.fit_view.show_arrows(self.fits.get(arrow), self.arrow_scale)
            self.fit_view.show_outlier(s.outlier)
            self.shares_view.show(self.fits, visible, s.outlier)
            self.error_view.show(self.fits, visible)
            self._fill_table(visible)
            self._readouts(visible)

    def _fill_table(self, visible: list[str]) -> None:
        reference = self._reference()
        for row, name in enumerate(COMPARED):
            self.table.setRowHidden(row, name not in visible)
            fit, ref = self.fits[name], reference.get(name, self.fits[name])
            values = (fit.w, fit.b, fit.cost, fit.w - ref.w, fit.b - ref.b)
            for col, value in enumerate(values, start=1):
                text = f"{value:+.3f}" if col >= 4 else f"{value:.3f}"
                self.table.item(row, col).setText(text.replace("-", "−"))

    def _readouts(self, visible: list[str]) -> None:
        row = self.state.outlier
        if row is None or row >= self.state.data.n:
            self.shares_panel.readout.setText("no outlier chosen")
            self.fit_panel.readout.setText(f"n = {self.state.data.n}")
            return
        parts = [f"{name.upper() if len(name) == 3 else LOSSES[name].title.split()[0]} "
                 f"{100 * self.fits[name].shares[row]:.0f} %" for name in visible]
        self.shares_panel.readout.setText("outlier: " + ", ".join(parts))
        self.fit_panel.readout.setText(f"n = {self.state.data.n}   outlier = point {row}")

    def outlier_share(self, loss: str) -> float:
        row = self.state.outlier
        return float(self.fits[loss].shares[row]) if row is not None else 0.0
