"""The penalty added to a cost: its kind, its strength λ and the elastic net's ratio r.

Shared by every tab whose settings carry ``penalty`` ("none", "l1", "l2", "elastic"),
``strength`` (λ ≥ 0) and ``l1_ratio`` (r in [0, 1]). The widgets hold no state: they
write through ``store.update(...)`` and re-show the store's value when it changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QWidget

from lossdesk.qt.controls.binding import (
    show_choice,
    show_enabled,
    show_number,
    show_visible,
    write,
)
from lossdesk.qt.controls.float_slider import FloatSlider

#: (settings name, what the combo shows, tooltip)
CHOICES = (
    ("none", "none", "The cost is the mean loss alone"),
    ("l2", "L2 (ridge)", "Adds λ·½w²: pulls the slope smoothly towards 0, never quite to it"),
    ("l1", "L1 (lasso)", "Adds λ·|w|: pulls the slope towards 0 and holds it at exactly 0 once λ is large"),
    ("elastic", "elastic net", "Adds λ·(r·|w| + (1 − r)·½w²): a mix of lasso (share r) and ridge"),
)
#: λ a penalty starts with when it is chosen while λ is 0 (a λ of 0 would change nothing)
DEFAULT_STRENGTH = 0.1


class PenaltyControls(QGroupBox):
    """Penalty kind, λ on a log slider, and r (elastic net only), bound to ``store``."""

    status = Signal(str, str)  # text, level

    def __init__(self, store: Any, parent: QWidget | None = None):
        super().__init__("Penalty", parent)
        self.store = store
        self.setToolTip("cost = mean loss + λ·penalty(weights); the intercept (bias) is never penalised")
        self.kind = QComboBox()
        for key, text, tip in CHOICES:
            self.kind.addItem(text, key)
            self.kind.setItemData(self.kind.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.kind.setToolTip("What is added to the mean loss to keep the weights small")
        # The box takes what the slider cannot reach (0, up to the settings' limit) and a few
        # values the settings refuse, so a slip is explained in one line rather than clamped.
        self.strength = FloatSlider("λ", 1e-4, 10.0, DEFAULT_STRENGTH, log=True, decimals=4,
                                    box_range=(-1000.0, 10000.0),
                                    tooltip="λ, the penalty's weight in the cost (log scale; type 0 to switch it off)")
        self.ratio = FloatSlider("r", 0.0, 1.0, 0.5, decimals=2, box_range=(-10.0, 10.0),
                                 tooltip="r, the elastic net's share of L1: 1 is the lasso, 0 is ridge")
        form = QFormLayout(self)
        form.setContentsMargins(6, 4, 6, 4)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Penalty", self.kind)
        form.addRow(self.strength)
        form.addRow(self.ratio)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.strength.valueChanged.connect(lambda value: self._write(strength=value))
        self.ratio.valueChanged.connect(lambda value: self._write(l1_ratio=value))
        store.changed.connect(self._store_changed)
        self.refresh()

    # ------------------------------------------------------------------ writing
    def _write(self, **changes: Any) -> None:
        write(self.status.emit, lambda: self.store.update(**changes), self.refresh)

    def _kind_chosen(self, index: int) -> None:
        kind = self.kind.itemData(index)
        changes: dict[str, Any] = {"penalty": kind}
        if kind != "none" and self.store.value.strength == 0:
            changes["strength"] = DEFAULT_STRENGTH
        self._write(**changes)

    # ------------------------------------------------------------------ showing
    def _store_changed(self, new: Any, _old: Any) -> None:
        self.refresh(new)

    def refresh(self, value: Any = None) -> None:
        """Show the store's penalty (only what differs is set, with signals blocked)."""
        value = self.store.value if value is None else value
        show_choice(self.kind, value.penalty)
        show_number(self.strength, value.strength)
        show_number(self.ratio, value.l1_ratio)
        show_enabled(self.strength, value.penalty != "none")
        show_visible(self.ratio, value.penalty == "elastic")
