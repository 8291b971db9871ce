"""Drag K logits and watch the softmax probabilities and the categorical cross-entropy move.

CCE from logits: L = log Σₖ exp(zₖ) − z_y; the probabilities are softmax(z). The numbers
come from ``logit_probe`` in the classification results; the view only draws them. The
playground is a scratch pad beside the data: its logits are not part of the tab's settings.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from lossdesk.model.results.classification import LogitProbe, logit_probe
from lossdesk.qt.controls.binding import show_text
from lossdesk.qt.views.class_probabilities import ClassProbabilitiesView
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked

MAX_CLASSES = 6
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(k: int) -> str:
    return str(k).translate(SUBSCRIPTS)


class LogitPlayground(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        intro = QLabel("Each class gets a score z (its <i>logit</i>). Softmax turns the scores into "
                       "probabilities that add up to 1; the loss is −log of the true class's probability.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.classes = QSpinBox()
        self.classes.setRange(2, MAX_CLASSES)
        self.classes.setValue(3)
        self.classes.setToolTip("How many classes")
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Classes", self.classes)
        self.true_class = QComboBox()
        self.true_class.setToolTip("The class the example really belongs to")
        form.addRow("True class", self.true_class)
        self.sliders: list[FloatSlider] = []
        for k in range(MAX_CLASSES):
            slider = FloatSlider(f"z{sub(k)}", -6.0, 6.0, [2.0, 1.0, 0.1, 0.0, 0.0, 0.0][k], decimals=2,
                                 box_range=(-50.0, 50.0), tooltip=f"The logit (score) of class {k}")
            slider.valueChanged.connect(lambda _v: self.refresh())
            self.sliders.append(slider)
            form.addRow(slider)
        layout.addLayout(form)
        self.view = ClassProbabilitiesView("softmax probability")
        panel = ViewPanel("Probabilities (softmax)", self.view.widget,
                          "Bars: each class's probability; outlined: the true class")
        panel.setMaximumHeight(300)  # a few bars: more height shows nothing more
        layout.addWidget(panel, 1)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        layout.addWidget(self.readout)
        layout.addStretch(0)
        self.classes.valueChanged.connect(self._classes_changed)
        self.true_class.currentIndexChanged.connect(lambda _i: self.refresh())
        self._classes_changed(3)

    def _classes_changed(self, k: int) -> None:
        current = max(self.true_class.currentIndex(), 0)
        with signals_blocked(self.true_class):
            self.true_class.clear()
            self.true_class.addItems([str(c) for c in range(k)])
            self.true_class.setCurrentIndex(min(current, k - 1))
        for i, slider in enumerate(self.sliders):
            slider.setVisible(i < k)
        self.refresh()

    def logits(self) -> np.ndarray:
        return np.array([s.value() for s in self.sliders[: self.classes.value()]])

    def refresh(self) -> None:
        probe = logit_probe(self.logits(), max(self.true_class.currentIndex(), 0))
        self.show_probe(probe)

    def show_probe(self, probe: LogitProbe) -> None:
        y = probe.true_class
        self.probe = probe
        self.view.show(probe.probabilities, y)
        show_text(self.readout,
                  f"p<sub>{y}</sub> = {probe.probabilities[y]:.4f}<br>loss = −log p<sub>{y}</sub> = "
                  f"log Σ<sub>k</sub> e<sup>z<sub>k</sub></sup> − z<sub>{y}</sub> = <b>{probe.loss:.4f}</b>")

    @property
    def probabilities(self) -> np.ndarray:
        return self.probe.probabilities

    @property
    def loss(self) -> float:
        return self.probe.loss
