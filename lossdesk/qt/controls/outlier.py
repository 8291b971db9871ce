"""Choose an outlier and move it up and down: the same controls in every tab that needs them.

The outlier is ``store.value.outlier`` (a row) and ``outlier_base`` (its y when chosen);
both belong to the data, so adding, choosing and moving an outlier are undoable edits
through the tab's ``DataHistory`` (which must carry the fields "outlier" and
"outlier_base").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QWidget

from lossdesk.qt.controls.binding import show_enabled, show_number, write
from lossdesk.qt.controls.float_slider import FloatSlider, bind_live_slider, signals_blocked
from lossdesk.settings import SettingsStore
from lossdesk.settings.selection import PointMarks


def with_added_outlier(settings: Any) -> Any:
    """The settings with a new last point at the right edge of the data, on the current line,
    chosen as the outlier."""
    data = settings.data
    x = float(data.x.max() + 0.1 * (np.ptp(data.x) or 1.0))
    y = float(settings.w * x + settings.b)
    value = settings.with_source(settings.source.edited(data.with_added({"x": x, "y": y})))
    return replace(value, outlier=data.n, outlier_base=y)


def with_outlier_shift(settings: Any, shift: float) -> Any:
    """The settings with the outlier put ``shift`` above (or below) where it was chosen."""
    row = settings.outlier
    data = settings.data
    moved = data.with_row(row, {"x": float(data.x[row]), "y": settings.outlier_base + shift})
    return settings.with_source(settings.source.edited(moved))


class OutlierControls(QWidget):
    message = Signal(str, str)  # text, level

    def __init__(self, store: SettingsStore, history, marks: PointMarks, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.history, self.marks = store, history, marks
        self.add_button = QPushButton("Add outlier")
        self.add_button.setToolTip("Put a new point just right of the data, on the current line, and make it "
                                   "the outlier; the Δy slider then moves it up and down")
        self.use_selected = QPushButton("Use selected")
        self.use_selected.setToolTip("Make the selected point the outlier that the Δy slider moves")
        self.shift = FloatSlider("", -30.0, 30.0, 0.0, decimals=2,
                                 tooltip="Moves the outlier up or down from where it was when chosen")
        self.shift.setEnabled(False)
        # The slider's range is worked out once per choice of outlier (row, base): a range
        # that followed the outlier would run away from the handle while it moves.
        self._ranged_for: tuple[int, float] | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.use_selected)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buttons)
        form.addRow("Outlier Δy", self.shift)
        self.add_button.clicked.connect(self.add_outlier)
        self.use_selected.clicked.connect(self.outlier_from_selection)
        bind_live_slider(self.shift, history, self.shift_outlier, "Move outlier", finished=self.show_settings)
        store.changed.connect(self._store_changed)
        self.show_settings()

    def _report(self, text: str, level: str) -> None:
        self.message.emit(text, level)

    # ------------------------------------------------------------------ actions
    def add_outlier(self) -> int | None:
        """Add the outlier point (one undo step), select it, and return its row."""
        if write(self._report, lambda: self.history.apply(with_added_outlier(self.store.value), "Add outlier")):
            row = self.store.value.outlier
            self.marks.select(row)
            return row
        return None

    def choose_outlier(self, row: int | None) -> None:
        write(self._report, lambda: self.history.apply(self.store.value.with_outlier(row), "Choose outlier"))

    def outlier_from_selection(self) -> None:
        if self.marks.selected is None:
            self.message.emit("Click a point first (or pick a row in the data table), then make it the outlier.",
                              "warning")
            return
        self.choose_outlier(self.marks.selected)

    def shift_outlier(self, shift: float, live: bool = False) -> None:
        """Put the outlier ``shift`` from where it was chosen (live: a preview inside a gesture)."""
        value = self.store.value
        if value.outlier is None or value.outlier >= value.data.n:
            return

        def change() -> None:
            new = with_outlier_shift(value, shift)
            if live:
                self.history.preview(new)
            else:
                self.history.apply(new, "Move outlier")

        write(self._report, change, self.show_settings)

    # ------------------------------------------------------------------ showing
    def _store_changed(self, new: Any, _old: Any) -> None:
        self.show_settings(new)

    def show_settings(self, value: Any = None) -> None:
        value = self.store.value if value is None else value
        row = value.outlier
        ok = row is not None and row < value.data.n
        show_enabled(self.shift, ok)
        if not ok:
            self._ranged_for = None
            return
        y = value.data.y
        if (row, value.outlier_base) != self._ranged_for and not self.history.live:
            others = np.delete(y, row)
            spread = (float(np.ptp(others)) if others.size > 1 else 0.0) or 1.0
            self.shift.set_range(-3 * spread, 3 * spread)
            with signals_blocked(self.shift.box):  # a narrower range clamps the box: not the user's move
                self.shift.box.setRange(-100 * spread, 100 * spread)
            self._ranged_for = (row, value.outlier_base)
        show_number(self.shift, float(y[row]) - value.outlier_base)
