"""Choose an outlier and move it up and down: the same controls in every tab that needs them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QWidget

from lossdesk.qt.state import ExplorerState
from lossdesk.qt.controls.float_slider import FloatSlider, bind_live_slider


class OutlierControls(QWidget):
    message = Signal(str, str)

    def __init__(self, state: ExplorerState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.add_button = QPushButton("Add outlier")
        self.add_button.setToolTip("Add a point at the right edge, on the current trend, and make it the outlier")
        self.use_selected = QPushButton("Selected is outlier")
        self.use_selected.setToolTip("Make the selected point the outlier the slider moves")
        self.shift = FloatSlider("", -30.0, 30.0, 0.0, decimals=2,
                                 tooltip="Moves the outlier up or down from where it was chosen")
        self.shift.setEnabled(False)
        self._ranged_for: tuple[int, float] | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.use_selected)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(buttons)
        form.addRow("Outlier Δy", self.shift)
        self.add_button.clicked.connect(self.add_outlier)
        self.use_selected.clicked.connect(self.outlier_from_selection)
        bind_live_slider(self.shift, state, state.shift_outlier, "Move outlier")
        state.changed.connect(self._state_changed)

    def add_outlier(self) -> None:
        self.state.add_outlier()

    def outlier_from_selection(self) -> None:
        if self.state.selected is None:
            self.message.emit("Click a point first (or pick a row in the data table), then make it the outlier.",
                              "warning")
            return
        self.state.choose_outlier(self.state.selected)

    def _state_changed(self, aspects: frozenset) -> None:
        if not aspects & {"selection", "data"}:
            return
        row = self.state.outlier
        self.shift.setEnabled(row is not None)
        if row is None:
            self._ranged_for = None
            return
        if (row, self.state.outlier_base) != self._ranged_for and not self.state.live_editing:
            # The range comes from the other points, once per choice of outlier: a range
            # that followed the outlier would run away from the handle while it moves.
            others = np.delete(self.state.data.y, row)
            spread = float(np.ptp(others)) if others.size > 1 else 0.0
            spread = spread or 1.0
            self.shift.set_range(-3 * spread, 3 * spread)
            self.shift.box.setRange(-100 * spread, 100 * spread)
            self._ranged_for = (row, self.state.outlier_base)
        self.shift.set_value(float(self.state.data.y[row]) - self.state.outlier_base)
