"""The outlier lab: MSE, MAE, Huber (and log-cosh, quantile) fitted to the same data.

Its own choices (which losses are drawn, whose pull the arrows show) live in an
``OutlierLabSettings`` store; the data, the outlier and δ, τ are the regression
explorer's (``RegressionSettings``), so a point moved here has moved everywhere. Every
refresh computes one ``OutlierLabResults`` value and draws it in the views, the table
and the readouts alike.
"""

from __future__ import annotations

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
from lossdesk.model.results.outlier_lab import (
    COMPARED,
    OutlierLabCache,
    OutlierLabResults,
    compute_outlier_lab,
)
from lossdesk.qt import theme
from lossdesk.qt.controls.binding import show_choice, show_number, show_text, write
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked
from lossdesk.qt.controls.outlier import OutlierControls
from lossdesk.qt.tabs.layout import lay_out_tab
from lossdesk.qt.tabs.refresh_when_shown import EVERYTHING, RefreshWhenShown
from lossdesk.qt.undo import DataHistory
from lossdesk.qt.views.best_constant import BestConstantView
from lossdesk.qt.views.cost_shares import CostSharesView
from lossdesk.qt.views.fit_comparison import FitComparisonView
from lossdesk.qt.views.loss_vs_error import LossVsErrorView
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.settings import OutlierLabSettings, RegressionSettings, SettingsStore
from lossdesk.settings.selection import PointMarks

TABLE_COLUMNS = ("loss", "w", "b", "cost", "Δw", "Δb")
#: the regression settings this tab draws from (the line, optimizer and reduction are not its business)
FOLLOWED = frozenset({"regression.source", "regression.loss_params", "regression.outlier",
                      "regression.outlier_base"})


def short_name(loss: str) -> str:
    """MSE, MAE, Huber, …: a loss's name for a table cell or a readout."""
    return loss.upper() if loss in ("mse", "mae") else LOSSES[loss].title.split()[0]


class _NoDescent:
    """Play, Step and Reset here: say that this tab has no descent instead of acting unseen."""

    playing = False

    def __init__(self, tab: OutlierLabTab):
        self._tab = tab

    def explain(self) -> None:
        self._tab.status.emit("The outlier lab has no descent to run: its lines are exact best fits. "
                              "Use the Regression explorer, Classification or the Descent lab.", "info")

    def toggle_play(self) -> None:
        self.explain()

    def step_once(self) -> None:
        self.explain()

    def reset(self) -> None:
        self.explain()

    def set_playing(self, playing: bool) -> None:
        if playing:
            self.explain()


class OutlierLabTab(RefreshWhenShown, QWidget):
    status = Signal(str, str)

    def __init__(self, lab_store: SettingsStore[OutlierLabSettings], reg_store: SettingsStore[RegressionSettings],
                 reg_history: DataHistory, reg_marks: PointMarks, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = lab_store
        self.reg_store = reg_store
        self.history = reg_history
        self.marks = reg_marks
        self.cache = OutlierLabCache()
        self.descent = _NoDescent(self)
        self.drawn: OutlierLabResults | None = None  # what the views show now
        self._refit_pending = True  # zoom to the data at the next draw

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
        params = reg_store.value.loss_params
        self.checks: dict[str, QCheckBox] = {}
        loss_box = QGroupBox("Losses")
        form = QFormLayout(loss_box)
        for name in COMPARED:
            box = QCheckBox(LOSSES[name].title)
            box.setStyleSheet(f"QCheckBox {{ color: {theme.LOSS_COLOURS[name]}; font-weight: bold; }}")
            box.setToolTip(f"Draw the best {LOSSES[name].title.lower()} line: {LOSSES[name].formula}")
            box.toggled.connect(self._shown_toggled)
            self.checks[name] = box
            form.addRow(box)
        self.delta = FloatSlider("δ", 0.05, 10.0, params["huber"]["delta"], log=True,
                                 box_range=(0.001, 1000.0),
                                 tooltip="Huber's δ: errors smaller than δ count squared, larger ones linearly "
                                         "(shared with the Regression explorer)")
        self.tau = FloatSlider("τ", 0.01, 0.99, params["quantile"]["tau"], box_range=(0.001, 0.999),
                               tooltip="The quantile τ the pinball loss aims at: 0.5 is the median "
                                       "(shared with the Regression explorer)")
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
        self.outlier_controls = OutlierControls(reg_store, reg_history, reg_marks)
        olay.addWidget(self.outlier_controls)

        self.table = QTableWidget(len(COMPARED), len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.setToolTip("Best w and b per loss, the cost there, and how far w and b moved since "
                              "the outlier was at the place it was chosen")
        for row, name in enumerate(COMPARED):
            item = QTableWidgetItem(short_name(name))
            item.setForeground(QColor(theme.LOSS_COLOURS[name]))
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
        self.delta.valueChanged.connect(lambda v: self._set_param("huber", "delta", v))
        self.tau.valueChanged.connect(lambda v: self._set_param("quantile", "tau", v))
        self.arrow_loss.currentIndexChanged.connect(self._arrows_chosen)
        self.outlier_controls.message.connect(self.status)
        pts = self.fit_view.points
        pts.clicked.connect(self._point_clicked)
        pts.dragStarted.connect(lambda _row: self.history.begin_live())
        pts.dragMoved.connect(self._point_dragged)
        pts.dragFinished.connect(lambda _row: self.history.end_live("Move point"))
        self.follow(lab_store, "lab.")
        self.follow(reg_store, "regression.")
        self.refresh(EVERYTHING)

    # ------------------------------------------------------------------ results
    def results(self) -> OutlierLabResults:
        """The lab's numbers for the current settings (fresh, shown or hidden)."""
        return compute_outlier_lab(self.store.value, self.reg_store.value, self.cache)

    # ------------------------------------------------------------------ widgets → settings
    def _report(self, text: str, level: str) -> None:
        self.status.emit(text, level)

    def _shown_toggled(self, _checked: bool) -> None:
        shown = tuple(name for name in COMPARED if self.checks[name].isChecked())
        write(self._report, lambda: self.store.update(shown=shown), self._show_choices)

    def _arrows_chosen(self, _index: int) -> None:
        name = self.arrow_loss.currentData()
        write(self._report, lambda: self.store.update(arrows=name), self._show_choices)

    def _set_param(self, loss: str, key: str, value: float) -> None:
        write(self._report, lambda: self.reg_store.set(self.reg_store.value.with_loss_param(loss, key, value)),
              self._show_params)

    def _point_clicked(self, row: int) -> None:
        """The clicked point becomes the outlier (one undo step, as the controls' button) and the selection."""
        if write(self._report, lambda: self.history.apply(self.reg_store.value.with_outlier(row), "Choose outlier")):
            self.marks.select(row)

    def _point_dragged(self, row: int, x: float, y: float) -> None:
        def move() -> None:
            value = self.reg_store.value
            data = value.data.with_row(row, {"x": x, "y": y})
            self.history.preview(value.with_source(value.source.edited(data)))

        write(self._report, move)

    # ------------------------------------------------------------------ settings → widgets
    def _show_choices(self) -> None:
        lab = self.store.value
        for name, box in self.checks.items():
            on = name in lab.shown
            if box.isChecked() != on:
                with signals_blocked(box):
                    box.setChecked(on)
        show_choice(self.arrow_loss, lab.arrows)

    def _show_params(self) -> None:
        params = self.reg_store.value.loss_params
        show_number(self.delta, params["huber"]["delta"])
        show_number(self.tau, params["quantile"]["tau"])

    # ------------------------------------------------------------------ drawing
    def refresh(self, changed: frozenset = EVERYTHING) -> None:
        lab_changed = any(name.startswith("lab.") for name in changed)
        if "*" not in changed and not lab_changed and not changed & FOLLOWED:
            return  # the explorer's line, optimizer or reduction: nothing here depends on them
        self._show_choices()
        self._show_params()
        results = self.results()
        self.fit_view.set_points(results.x, results.y)
        if self._refit_pending:
            self.fit_view.fit_range()
            self._refit_pending = False
        self.fit_view.show(results)
        self.shares_view.show(results)
        self.error_view.show(results)
        self.constant_view.show(results.constants)
        self._fill_table(results)
        self._readouts(results)
        self.drawn = results

    def refit_views(self) -> None:
        """Zoom the data view to the points (when next shown, if hidden now)."""
        self._refit_pending = True
        self.settings_changed(EVERYTHING)

    fit_view_to_data = refit_views

    def run_steps(self, k: int) -> None:
        """The command line's --steps: the lab's lines are exact fits, there is nothing to run."""
        if k:
            self.descent.explain()

    def _fill_table(self, results: OutlierLabResults) -> None:
        for row, name in enumerate(COMPARED):
            hidden = name not in results.shown
            if self.table.isRowHidden(row) != hidden:
                self.table.setRowHidden(row, hidden)
            fit = results.rows[name]
            values = (fit.w, fit.b, fit.cost, fit.dw, fit.db)
            for col, value in enumerate(values, start=1):
                value = round(value, 3) + 0.0  # no "−0.000" for a line that did not move
                text = (f"{value:+.3f}" if col >= 4 else f"{value:.3f}").replace("-", "−")
                item = self.table.item(row, col)
                if item.text() != text:
                    item.setText(text)

    def _readouts(self, results: OutlierLabResults) -> None:
        row = results.outlier
        if row is None:
            show_text(self.shares_panel.readout, "no outlier chosen")
            show_text(self.fit_panel.readout, f"n = {results.n}")
            return
        parts = [f"{short_name(name)} {100 * results.outlier_share(name):.0f} %" for name in results.shown]
        show_text(self.shares_panel.readout, "outlier: " + (", ".join(parts) or "tick a loss to see its share"))
        show_text(self.fit_panel.readout, f"n = {results.n}   outlier = point {row}")


CompareTab = OutlierLabTab

__all__ = ["CompareTab", "OutlierLabTab", "short_name"]
