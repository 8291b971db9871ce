"""The layout every tab shares: controls on the left; on the right, optional header
lines, then a row of large views over a row of small ones, all in resizable splitters."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget


def _row(widgets: Sequence[QWidget], sizes: Sequence[int] | None = None) -> QSplitter:
    row = QSplitter(Qt.Orientation.Horizontal)
    for widget in widgets:
        row.addWidget(widget)
    if sizes:
        row.setSizes(list(sizes))
    return row


class SideColumn(QScrollArea):
    """The controls column: it scrolls up and down rather than make the window taller
    (larger text or a 640-px screen), and never scrolls sideways."""

    def __init__(self, side: QWidget) -> None:
        super().__init__()
        self.setWidget(side)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(side.minimumWidth())
        self.setMaximumWidth(side.maximumWidth())

    def minimumSizeHint(self):  # noqa: N802 (Qt naming)
        hint = super().minimumSizeHint()
        inner = self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        hint.setWidth(max(self.widget().minimumWidth(), min(inner, self.widget().maximumWidth())))
        return hint


def lay_out_tab(tab: QWidget, side: QWidget, top: Sequence[QWidget], bottom: Sequence[QWidget],
                header: Sequence[QWidget] = (), top_sizes: Sequence[int] | None = None,
                heights: Sequence[int] = (360, 250), side_width: int = 320) -> None:
    rows = QSplitter(Qt.Orientation.Vertical)
    rows.addWidget(_row(top, top_sizes))
    rows.addWidget(_row(bottom))
    rows.setSizes(list(heights))
    right = QWidget()
    column = QVBoxLayout(right)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    for widget in header:
        column.addWidget(widget)
    column.addWidget(rows, 1)
    split = _row([SideColumn(side), right], [side_width, 1366 - side_width])
    split.setChildrenCollapsible(False)
    split.setStretchFactor(1, 1)
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addWidget(split)
