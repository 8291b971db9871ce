"""Small reusable controls: a float slider paired with a number box, linear or log scale."""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Callable, Iterator

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSlider, QWidget

STEPS = 1000


@contextmanager
def signals_blocked(*objects: QObject) -> Iterator[None]:
    """Update widgets from the state without their signals echoing back."""
    previous = [o.blockSignals(True) for o in objects]
    try:
        yield
    finally:
        for o, was in zip(objects, previous):
            o.blockSignals(was)


class FloatSlider(QWidget):
    """A labelled slider over [low, high] with a number box; ``log`` spaces it geometrically.

    The box accepts values beyond the slider's range (the slider then rests at its end).
    """

    valueChanged = Signal(float)

    def __init__(self, label: str, low: float, high: float, value: float, *, log: bool = False,
                 decimals: int = 3, box_range: tuple[float, float] | None = None,
                 tooltip: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.low, self.high, self.log = low, high, log
        self.label = QLabel(label)
        self.label.setMinimumWidth(16)
        if not label:  # an empty label would only take room from the slider
            self.label.hide()  # (setVisible(True) on a parentless label would open it as a window)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, STEPS)
        self.slider.setMinimumWidth(70)  # too narrow to aim: the form puts the row under its label
        self.box = QDoubleSpinBox()
        self.box.setDecimals(decimals)
        lo, hi = box_range or (low, high)
        self.box.setRange(lo, hi)
        self.box.setKeyboardTracking(False)
        step = (high - low) / 100 if not log else value / 10
        self.box.setSingleStep(step if step > 0 else 0.01)
        if log:
            self.box.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.box)
        for w in (self.label, self.slider, self.box):
            w.setToolTip(tooltip)
        self.slider.valueChanged.connect(self._from_slider)
        self.box.valueChanged.connect(self._from_box)
        self.set_value(value)

    def _to_pos(self, value: float) -> int:
        if self.log:
            t = (math.log(max(value, 1e-300)) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        else:
            t = (value - self.low) / (self.high - self.low)
        return int(round(min(max(t, 0.0), 1.0) * STEPS))

    def _from_pos(self, pos: int) -> float:
        t = pos / STEPS
        if self.log:
            return math.exp(math.log(self.low) + t * (math.log(self.high) - math.log(self.low)))
        return self.low + t * (self.high - self.low)

    def value(self) -> float:
        return float(self.box.value())

    def shown(self, value: float) -> float:
        """What the box shows for ``value``: rounded to its decimals, within its range."""
        box = self.box
        return min(max(round(float(value), box.decimals()), box.minimum()), box.maximum())

    def set_value(self, value: float) -> None:
        """Show ``value`` without emitting ``valueChanged``.

        Only what differs is set (the box, the handle, or neither): a spin box given its
        own value again still re-renders its text, every frame of a drag.
        """
        value = float(value)
        pos = self._to_pos(value)
        box_stale = self.box.value() != self.shown(value)
        if box_stale:
            with signals_blocked(self.box):
                self.box.setValue(value)
        if self.slider.value() != pos:
            with signals_blocked(self.slider):
                self.slider.setValue(pos)

    def set_range(self, low: float, high: float) -> None:
        if (low, high) == (self.low, self.high):
            return
        self.low, self.high = low, high
        pos = self._to_pos(self.box.value())
        if self.slider.value() != pos:
            with signals_blocked(self.slider):
                self.slider.setValue(pos)

    def _from_slider(self, pos: int) -> None:
        value = self._from_pos(pos)
        with signals_blocked(self.box):
            self.box.setValue(value)
        self.valueChanged.emit(self.box.value())

    def _from_box(self, value: float) -> None:
        with signals_blocked(self.slider):
            self.slider.setValue(self._to_pos(value))
        self.valueChanged.emit(float(value))


def bind_live_slider(control: FloatSlider, history, apply: Callable[[float, bool], None], text: str,
                     finished: Callable[[], None] | None = None) -> None:
    """Drive a data edit from a slider: live while the handle is held, one undo step per move.

    ``history`` is a ``DataHistory`` (``begin_live``/``end_live``). ``apply(value, live)``
    is called for every change; ``live`` is true while the user holds the handle (then
    ``history.preview`` it); typed values (live false) are ordinary undoable edits.
    ``finished`` runs after the handle is let go and the step recorded.
    """
    def released() -> None:
        history.end_live(text)
        if finished is not None:
            finished()

    control.slider.sliderPressed.connect(history.begin_live)
    control.slider.sliderReleased.connect(released)
    control.valueChanged.connect(lambda value: apply(value, control.slider.isSliderDown()))
