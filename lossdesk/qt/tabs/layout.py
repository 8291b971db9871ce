"""The layout every tab shares: controls on the left; on the right, optional header
lines, then a row of large views over a row of small ones, all in resizable splitters."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from lossdesk.qt import theme

#: the most of the tab's width the controls column takes when it widens for larger text
SIDE_SHARE = 0.35


def _row(widgets: Sequence[QWidget], sizes: Sequence[int] | None = None) -> QSplitter:
    row = QSplitter(Qt.Orientation.Horizontal)
    for widget in widgets:
        row.addWidget(widget)
    if sizes:
        row.setSizes(list(sizes))
    return row


class SideColumn(QScrollArea):
    """The controls column: it scrolls up and down rather than make the window taller
    (larger text or a 640-px screen), and never scrolls sideways.

    Its minimum width is what its controls need at the text size in force (within the
    side widget's minimum and maximum); after a text-size change it widens, taking the
    room from the views beside it, so no control is cut short.
    """

    def __init__(self, side: QWidget) -> None:
        super().__init__()
        self.setWidget(side)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMaximumWidth(side.maximumWidth())
        self._scale: float | None = None
        self.wanted = 0  # a tab may ask for more (a table's width), within SIDE_SHARE of the tab
        theme.follow(self._text_size_changed)

    def _text_size_changed(self, look: theme.Look) -> None:
        if look.font_scale == self._scale:
            return
        self._scale = look.font_scale
        for combo in self.widget().findChildren(QComboBox):
            # Qt keeps a combo box's size hints from the old font; a style change clears them.
            sheet = combo.styleSheet()
            combo.setStyleSheet(sheet + " ")
            combo.setStyleSheet(sheet)
        self.updateGeometry()
        # the controls' new size hints are known once Qt has handled the layout requests
        QTimer.singleShot(0, self, self.widen)
        QTimer.singleShot(50, self, self.widen)

    def widen(self) -> None:
        """At least as wide as the controls (and ``wanted``) need, if the views can spare it."""
        split = self.parentWidget()
        if not isinstance(split, QSplitter):
            return
        sizes = split.sizes()
        total = sum(sizes)
        need = max(self.minimumSizeHint().width(),
                   min(self.wanted, self.maximumWidth(), int(SIDE_SHARE * total)))
        if len(sizes) == 2 and 0 < sizes[0] < need < total:
            split.setSizes([need, total - need])

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
