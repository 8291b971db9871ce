"""The outlier lab: MSE, MAE, Huber (and log-cosh, quantile) fitted to the same data.

Its own choices (which losses are drawn, whose pull the arrows show) live in an
``OutlierLabSettings`` store; the data, the outlier and δ, τ are the regression
explorer's (``RegressionSettings``), so a point moved here has moved everywhere. Every
refresh computes one ``OutlierLabResults`` value and draws it in the views, the table
and the readouts alike.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
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
from lossdesk.qt.tabs.layout import SideColumn, lay_out_tab
from lossdesk.qt.tabs.refresh_when_shown import EVERYTHING, RefreshWhenShown
from lossdesk.qt.undo import DataHistory
from lossdesk.qt.views.best_constant import BestConstantView
from lossdesk.qt.views.cost_shares import CostSharesView
from lossdesk.qt.views.fit_comparison import FitComparisonView, readable
from lossdesk.qt.views.loss_vs_error import LossVsErrorView
from lossdesk.qt.views.panel import READOUT_GAP, ViewPanel
from lossdesk.settings import OutlierLabSettings, RegressionSettings, SettingsStore
from lossdesk.settings.selection import PointMarks

#: the fits table's rows; its columns are the losses (COMPARED)
TABLE_ROWS = ("w", "b", "cost", "Δw", "Δb")
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
        self._sight_pending = False  # the data moved during a gesture: keep them in sight when it ends
        self._dragging_point = False  # a point moves under the mouse: the view must hold still

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
        self.error_panel = ViewPanel("Loss against residual", self.error_view.widget,
                                     "Each loss as a function of the residual r = y − ŷ (positive for a point "
                                     "above the line); dots are the points' residuals at that loss's best line")
        self.constant_panel = ViewPanel("Best single number", self.constant_view.widget,
                                        "Predict one number c for every point: MSE picks the mean, MAE the median, "
                                        "pinball(τ) the τ-quantile")

        for quiet in (self.error_panel, self.constant_panel):
            # no readout: the title may take the whole header before it elides
            quiet.header.setStretchFactor(quiet.readout, 0)

        # ---------------------------------------------------------------- controls
        params = reg_store.value.loss_params
        self.checks: dict[str, QCheckBox] = {}
        loss_box = QGroupBox("Losses")
        form = QFormLayout(loss_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name in COMPARED:
            box = QCheckBox(LOSSES[name].title)
            theme.styled(box, lambda look, name=name: f"QCheckBox {{ color: {readable(theme.LOSS_COLOURS[name], look).name()};"
                                                      " font-weight: bold; }")
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
        self.arrow_loss.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.arrow_loss.setMinimumContentsLength(0)  # at least its longest name: the form wraps it instead
        form.addRow("Arrows for", self.arrow_loss)

        outlier_box = QGroupBox("The outlier")
        olay = QVBoxLayout(outlier_box)
        hint = QLabel("Click a point in the plot to make it the outlier, then move it with the slider.")
        hint.setWordWrap(True)
        olay.addWidget(hint)
        self.outlier_controls = OutlierControls(reg_store, reg_history, reg_marks)
        olay.addWidget(self.outlier_controls)

        # One column per loss, one row per number: three losses fit a narrow column at large
        # text with every digit shown; with more the table scrolls sideways, never cuts "1.069"
        # to "1....". Its height is its rows' (``_fit_table``), so it never scrolls up and down.
        self.table = QTableWidget(len(TABLE_ROWS), len(COMPARED))
        self.table.setVerticalHeaderLabels(TABLE_ROWS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.table.installEventFilter(self)
        self.table.setToolTip("Best w and b per loss, the cost there, and how far w and b moved since "
                              "the outlier was at the place it was chosen")
        for col, name in enumerate(COMPARED):
            self.table.setHorizontalHeaderItem(col, QTableWidgetItem(short_name(name)))
            for row in range(len(TABLE_ROWS)):
                cell = QTableWidgetItem("")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, cell)

        side = QWidget()
        slay = QVBoxLayout(side)
        slay.setContentsMargins(4, 4, 4, 4)
        slay.addWidget(loss_box)
        slay.addWidget(outlier_box)
        self.fits_label = QLabel("<b>Fits</b> (Δ: moved since the outlier was chosen)")
        self.fits_label.setWordWrap(True)
        slay.addWidget(self.fits_label)
        slay.addWidget(self.table)
        slay.addStretch(1)
        side.setMinimumWidth(290)
        side.setMaximumWidth(420)

        lay_out_tab(self, side, [self.fit_panel], [self.shares_panel, self.error_panel, self.constant_panel],
                    heights=(380, 260))
        theme.follow(self.restyle)

        # ---------------------------------------------------------------- wiring
        self.delta.valueChanged.connect(lambda v: self._set_param("huber", "delta", v))
        self.tau.valueChanged.connect(lambda v: self._set_param("quantile", "tau", v))
        self.arrow_loss.currentIndexChanged.connect(self._arrows_chosen)
        self.outlier_controls.message.connect(self.status)
        pts = self.fit_view.points
        pts.clicked.connect(self._point_clicked)
        pts.dragStarted.connect(self._drag_started)
        pts.dragMoved.connect(self._point_dragged)
        pts.dragFinished.connect(self._drag_finished)
        self.outlier_controls.shift.slider.sliderReleased.connect(self._gesture_ended)
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

    def _drag_started(self, _row: int) -> None:
        self._dragging_point = True
        self.fit_view.live = True
        self.history.begin_live()

    def _drag_finished(self, _row: int) -> None:
        self.history.end_live("Move point")
        self._dragging_point = False
        self.fit_view.live = False
        self._gesture_ended()

    def _gesture_ended(self) -> None:
        """A drag or a slider let go: now the view may move to keep every point in sight."""
        if self._sight_pending and self.active:
            self._sight_pending = False
            self.fit_view.keep_in_sight()
        self.fit_view.place_legend()

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
        drawn = self.drawn
        data_changed = drawn is None or not (np.array_equal(drawn.x, results.x) and np.array_equal(drawn.y, results.y))
        self.fit_view.results = results
        self.fit_view.set_points(results.x, results.y)
        if self._refit_pending:
            self.fit_view.fit_range()
            self._refit_pending = False
            self._sight_pending = False
        elif data_changed:
            # Keep every point in sight, but never move the view under a dragged point (the
            # point would run from the mouse); a slider's outlier may widen it now and then.
            if self._dragging_point:
                self._sight_pending = True
            elif self.history.live:
                self.fit_view.keep_in_sight(grow_only=True)
                self._sight_pending = True
            else:
                self.fit_view.keep_in_sight()
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

    def restyle(self, look: theme.Look) -> None:
        for col, name in enumerate(COMPARED):
            self.table.horizontalHeaderItem(col).setForeground(readable(theme.LOSS_COLOURS[name], look))
        # its longest name whole; the form puts it under its label when the column is narrow
        self.arrow_loss.setMinimumWidth(0)
        self.arrow_loss.setMinimumWidth(self.arrow_loss.sizeHint().width())
        self._fit_table()
        self._widen_soon()

    def _widen_soon(self) -> None:
        # the controls' new size hints are known once Qt has handled the layout requests
        QTimer.singleShot(0, self, self._widen_side)
        QTimer.singleShot(50, self, self._widen_side)

    def cell(self, loss: str, quantity: str) -> QTableWidgetItem:
        """The fits table's cell of one loss (a column) and one number ("w", "Δb", …)."""
        return self.table.item(TABLE_ROWS.index(quantity), COMPARED.index(loss))

    def _fit_table(self, measure: bool = True) -> None:
        """The table as tall as its header, its rows and (when it scrolls sideways) its scroll bar.

        ``measure``: size the columns and rows to their text now (a new font); the header
        does it by itself as numbers change."""
        table = self.table
        if measure:
            table.resizeColumnsToContents()
            table.resizeRowsToContents()
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        if self._table_width() > table.width():
            height += table.horizontalScrollBar().sizeHint().height()
        if table.height() != height:
            table.setFixedHeight(height)

    def _widen_side(self) -> None:
        """The controls column wide enough for its controls and, where the views can spare
        it, the whole fits table."""
        column = self.findChild(SideColumn)
        if column is None:
            return
        margins = self.table.parentWidget().layout().contentsMargins()
        column.wanted = (self._table_width() + margins.left() + margins.right()
                         + column.verticalScrollBar().sizeHint().width())
        column.widen()

    def _table_width(self) -> int:
        table = self.table
        width = table.verticalHeader().sizeHint().width() + 2 * table.frameWidth()
        return width + sum(table.columnWidth(c) for c in range(table.columnCount()) if not table.isColumnHidden(c))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 — the table's sideways scroll bar comes and goes with its width
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._fit_table(measure=False)
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._widen_side()
        self._fit_table()

    def changeEvent(self, event) -> None:  # noqa: N802 — larger text: taller rows, wider columns
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit_table()
            self._widen_soon()

    def _fill_table(self, results: OutlierLabResults) -> None:
        for col, name in enumerate(COMPARED):
            hidden = name not in results.shown
            if self.table.isColumnHidden(col) != hidden:
                self.table.setColumnHidden(col, hidden)
                self._widen_soon()
            fit = results.rows[name]
            values = (fit.w, fit.b, fit.cost, fit.dw, fit.db)
            for row, value in enumerate(values):
                value = round(value, 3) + 0.0  # no "−0.000" for a line that did not move
                text = (f"{value:+.3f}" if row >= 3 else f"{value:.3f}").replace("-", "−")
                item = self.table.item(row, col)
                if item.text() != text:
                    item.setText(text)
        self._fit_table(measure=False)

    def _readouts(self, results: OutlierLabResults) -> None:
        row = results.outlier
        if row is None:
            show_text(self.shares_panel.readout, "no outlier yet")
            show_text(self.fit_panel.readout, f"n = {results.n}")
            return
        # Whole parts, three spaces apart: a narrow header drops parts from the left, never
        # half a number. MSE, whose share the outlier swells most, comes last and stays.
        parts = [f"{short_name(name)} {100 * results.outlier_share(name):.0f} %" for name in reversed(results.shown)]
        show_text(self.shares_panel.readout, READOUT_GAP.join(["outlier's share"] + parts) if parts
                  else "tick a loss to see its share")
        show_text(self.fit_panel.readout, READOUT_GAP.join([f"n = {results.n}", f"outlier = point {row}"]))


CompareTab = OutlierLabTab

__all__ = ["CompareTab", "OutlierLabTab", "short_name"]
