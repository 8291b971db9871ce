"""The explorer's control column: data, loss, line and descent.

Plain widgets: the tab binds them to its settings store (they hold no state of their
own); the descent box binds itself (``DescentPanel(store, driver)``).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from PySide6.QtCore import Qt

from lossdesk.model import LOSSES, PRESETS
from lossdesk.qt.controls.descent_panel import DescentDriver, DescentPanel
from lossdesk.qt.controls.float_slider import FloatSlider
from lossdesk.settings import SettingsStore

REGRESSION_PRESETS = [name for name, p in PRESETS.items() if p.task == "regression"]


def wrapping_form(box: QGroupBox) -> QFormLayout:
    """A form whose rows put the control under its label when they do not fit side by side
    (larger text, a narrow column), so no label or control is cut short."""
    form = QFormLayout(box)
    form.setContentsMargins(6, 4, 6, 4)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class ControlPanel(QWidget):
    def __init__(self, store: SettingsStore, driver: DescentDriver, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)

        # ---------------------------------------------------------------- data
        data_box = QGroupBox("Data")
        form = wrapping_form(data_box)
        self.preset = QComboBox()
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for name in REGRESSION_PRESETS:
            self.preset.addItem(name, name)
            self.preset.setItemData(self.preset.count() - 1, PRESETS[name].description, Qt.ItemDataRole.ToolTipRole)
        self.preset.setToolTip("A built-in data set; choosing one replaces the points (Ctrl+Z brings them back)")
        form.addRow("Preset", self.preset)
        self.noise = FloatSlider("", 0.0, 3.0, 0.6, decimals=2,
                                 tooltip="How much random scatter the preset has; moving it draws the preset's "
                                         "points again (only for a preset: your own points stay as they are)")
        form.addRow("Noise", self.noise)
        self.outlier_form = form  # the tab adds its outlier controls here
        layout.addWidget(data_box)

        # ---------------------------------------------------------------- loss
        loss_box = QGroupBox("Loss")
        form = wrapping_form(loss_box)
        self.loss = QComboBox()
        self.loss.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for name, loss in LOSSES.items():
            if loss.task == "regression":
                self.loss.addItem(loss.title, name)
                self.loss.setItemData(self.loss.count() - 1, loss.formula, Qt.ItemDataRole.ToolTipRole)
        self.loss.setToolTip("The loss that scores each point's error (Ctrl+1 … Ctrl+5)")
        form.addRow("Loss", self.loss)
        self.delta = FloatSlider("δ", 0.05, 10.0, 1.0, log=True, decimals=3, box_range=(0.001, 1000.0),
                                 tooltip="Huber's δ: errors smaller than δ are squared, larger ones count linearly")
        self.tau = FloatSlider("τ", 0.01, 0.99, 0.5, decimals=3, box_range=(0.001, 0.999),
                               tooltip="Quantile τ: the line aims at the τ-quantile of y "
                                       "(0.5 is the median; 0.9 puts 90 % of points below it)")
        form.addRow(self.delta)
        form.addRow(self.tau)
        layout.addWidget(loss_box)

        # ---------------------------------------------------------------- line
        line_box = QGroupBox("Line ŷ = w·x + b")
        form = wrapping_form(line_box)
        self.w = FloatSlider("w", -5.0, 5.0, 0.0, decimals=3, box_range=(-1e6, 1e6),
                             tooltip="The slope w; drag the white handle on the loss surface for both at once")
        self.b = FloatSlider("b", -5.0, 5.0, 0.0, decimals=3, box_range=(-1e6, 1e6),
                             tooltip="The intercept b: where the line crosses x = 0")
        form.addRow(self.w)
        form.addRow(self.b)
        self.jump_best = QPushButton("Jump to best line")
        self.jump_best.setToolTip("Set w and b to the exact minimum of the cost (B)")
        form.addRow(self.jump_best)
        layout.addWidget(line_box)

        # ---------------------------------------------------------------- descent
        self.descent = DescentPanel(store, driver)
        layout.addWidget(self.descent)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def show_param_controls(self, loss: str) -> None:
        """Only the selected loss's parameters are shown (δ for Huber, τ for pinball)."""
        for control, owner in ((self.delta, "huber"), (self.tau, "quantile")):
            if control.isHidden() == (loss == owner):
                control.setVisible(loss == owner)
