"""Undo and redo of data edits: Qt's QUndoStack of whole data-set swaps.

Data sets are values, so an edit is "this tab's data part was A, now it is B". The data
part is the ``source`` plus the fields that belong to those points (the outlier row in
the regression tabs). A gesture (a drag, a held slider) previews many values without
undo steps and records one step from where it began when it ends.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from lossdesk.settings import DataSource, SettingsError, SettingsStore


class _SwapData(QUndoCommand):
    def __init__(self, history: DataHistory, old: dict[str, Any], new: dict[str, Any], text: str):
        super().__init__(text)
        self._history, self._old, self._new = history, old, new
        self._done = True  # pushed after the store already holds the new value

    def redo(self) -> None:
        if self._done:  # the push itself: nothing to do again
            self._done = False
            return
        self._history._put(self._new)

    def undo(self) -> None:
        self._history._put(self._old)


class DataHistory(QObject):
    """The data edits of one settings store, undoable one edit at a time."""

    def __init__(self, store: SettingsStore, extra_fields: tuple[str, ...] = (), parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.extra_fields = extra_fields
        self.undo_stack = QUndoStack(self)
        self._live_base: dict[str, Any] | None = None

    # ------------------------------------------------------------------ the data part
    def _part(self, value: Any = None) -> dict[str, Any]:
        value = self.store.value if value is None else value
        return {"source": value.source, **{f: getattr(value, f) for f in self.extra_fields}}

    def _put(self, part: dict[str, Any]) -> None:
        value = self.store.value.with_source(part["source"])
        extras = {f: part[f] for f in self.extra_fields if f in part}
        if extras:
            try:
                value = replace(value, **extras)
            except SettingsError:
                pass  # the extras no longer fit (another setting changed since): keep the data
        self.store.set(value)

    # ------------------------------------------------------------------ edits
    def apply(self, new_value: Any, text: str) -> None:
        """Make ``new_value`` (a settings value differing in its data part) one undo step."""
        old, new = self._part(), self._part(new_value)
        if old == new:
            self.store.set(new_value)
            return
        self.store.set(new_value)  # the whole new value, other fields included
        if self._live_base is None:  # inside a gesture, an edit joins the gesture's one step
            self.undo_stack.push(_SwapData(self, old, new, text))

    def set_source(self, source: DataSource, text: str) -> None:
        self.apply(self.store.value.with_source(source), text)

    def set_data(self, data, text: str) -> None:
        """The user's own edit of the points: the data are now their own."""
        self.set_source(self.store.value.source.edited(data), text)

    # ------------------------------------------------------------------ gestures
    def begin_live(self) -> None:
        if self._live_base is None:
            self._live_base = self._part()

    @property
    def live(self) -> bool:
        return self._live_base is not None

    def preview(self, new_value: Any) -> None:
        """Show a value during a gesture, without an undo step."""
        self.store.set(new_value)

    def end_live(self, text: str) -> None:
        base, self._live_base = self._live_base, None
        if base is not None and base != self._part():
            self.undo_stack.push(_SwapData(self, base, self._part(), text))  # the store holds it already

    def clear(self) -> None:
        """Forget the history (a new session or start-up) and call the current data saved."""
        self._live_base = None
        self.undo_stack.clear()
