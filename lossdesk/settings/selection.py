"""Which point the pointer is over and which one is selected: passing marks, never saved."""

from __future__ import annotations

from psygnal import Signal


class PointMarks:
    """Hovered and selected rows of one tab's data (None: no point)."""

    changed = Signal()

    def __init__(self) -> None:
        self.hover: int | None = None
        self.selected: int | None = None

    def set_hover(self, row: int | None) -> None:
        if row != self.hover:
            self.hover = row
            self.changed.emit()

    def select(self, row: int | None) -> None:
        if row != self.selected:
            self.selected = row
            self.changed.emit()

    def forget_beyond(self, n: int) -> None:
        """Drop marks on rows a smaller data set no longer has."""
        hover = self.hover if self.hover is not None and self.hover < n else None
        selected = self.selected if self.selected is not None and self.selected < n else None
        if (hover, selected) != (self.hover, self.selected):
            self.hover, self.selected = hover, selected
            self.changed.emit()
