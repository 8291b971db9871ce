"""Two-way binding between widgets and a settings store, in a few small helpers.

Widget → store: ``write(report, change)`` runs a change (``store.update(...)``,
``history.apply(...)``); a value the settings refuse is reported in one line and the
widgets are shown the store's value again. Store → widget: the ``show_*`` helpers set a
widget only when what it shows differs, with its signals blocked, because a label whose
text changes re-lays out and repaints the window around it.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget

from lossdesk.qt.controls.float_slider import FloatSlider, signals_blocked

Report = Callable[[str, str], None]


def write(report: Report, change: Callable[[], Any], reshow: Callable[[], None] | None = None) -> bool:
    """Run ``change``; on a ValueError (SettingsError, DatasetError) report it and re-show."""
    try:
        change()
    except ValueError as exc:
        report(str(exc), "error")
        if reshow is not None:
            reshow()
        return False
    return True


def show_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


def show_visible(widget: QWidget, visible: bool) -> None:
    if widget.isHidden() == visible:  # isHidden: hidden by its own setting, whatever its parents do
        widget.setVisible(visible)


def show_enabled(widget: QWidget, enabled: bool) -> None:
    if widget.isEnabled() != enabled:
        widget.setEnabled(enabled)


def show_checked(box: QAbstractButton, checked: bool) -> None:
    """Tick or clear ``box`` without it reporting the change back."""
    if box.isChecked() != checked:
        with signals_blocked(box):
            box.setChecked(checked)


def show_choice(combo: QComboBox, data: Any) -> None:
    """Select the item whose data is ``data`` (nothing selected when none has it)."""
    index = combo.findData(data)
    if combo.currentIndex() != index:
        with signals_blocked(combo):
            combo.setCurrentIndex(index)


def show_number(slider: FloatSlider, value: float) -> None:
    slider.set_value(value)  # set_value blocks the slider's signals and skips an unchanged value
