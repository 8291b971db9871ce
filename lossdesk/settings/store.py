"""An evented holder of one settings value: the single place a tab's choices live.

``store.update(field=value)`` builds a new value with ``dataclasses.replace`` (which
validates it whole) and, if it differs, stores it and emits ``changed(new, old)``. A
value that fails validation raises and changes nothing. psygnal gives the signal.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Generic, TypeVar

from psygnal import Signal

T = TypeVar("T")


def changed_fields(old: Any, new: Any) -> frozenset[str]:
    """The names of the fields whose values differ between two settings values."""
    if old is None or type(old) is not type(new):
        return frozenset(f.name for f in dataclasses.fields(new))
    return frozenset(f.name for f in dataclasses.fields(new)
                     if not _same(getattr(old, f.name), getattr(new, f.name)))


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # e.g. arrays compared element-wise
        return False


class SettingsStore(Generic[T]):
    """Holds the current settings value of one tab and announces each new one."""

    #: emitted with (new value, old value) after every change
    changed = Signal(object, object)

    def __init__(self, value: T):
        self._value = value

    @property
    def value(self) -> T:
        return self._value

    def set(self, value: T) -> bool:
        """Replace the whole value (already validated by its constructor); True if it changed."""
        if type(value) is not type(self._value):
            raise TypeError(f"expected {type(self._value).__name__}, got {type(value).__name__}")
        old = self._value
        if _same(old, value):
            return False
        self._value = value
        self.changed.emit(value, old)
        return True

    def update(self, **changes: Any) -> bool:
        """Change some fields; the new value is validated whole before it is stored."""
        return self.set(dataclasses.replace(self._value, **changes))  # type: ignore[type-var]
