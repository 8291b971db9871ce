"""A titled frame around one view, with room for a few controls beside the title."""

from __future__ import annotations

from PySide6.QtCore import QMetaMethod, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget


class ViewPanel(QFrame):
    # A right-click on the title row (not on the view below it), at this screen position.
    # Unconnected, the right-click passes on as before.
    headerMenuRequested = Signal(QPoint)

    def __init__(self, title: str, body: QWidget, tooltip: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{title}</b>")
        self.title.setToolTip(tooltip)
        self.header = QHBoxLayout()
        self.header.setContentsMargins(4, 2, 4, 0)
        self.header.addWidget(self.title)
        self.header.addSpacing(10)
        # The readout takes what room is left and never asks for more: its text changes
        # every frame, and a label that grows would re-divide the splitters each time.
        self.readout = QLabel("")
        self.readout.setToolTip(tooltip)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.header.addWidget(self.readout, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(0)
        layout.addLayout(self.header)
        layout.addWidget(body, 1)
        self.body = body

    def add_header_widget(self, widget: QWidget) -> None:
        """Controls go between the title and the readout."""
        self.header.insertWidget(self.header.count() - 1, widget)
        self.header.insertSpacing(self.header.count() - 1, 8)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt naming)
        # Right-clicks the view itself leaves unanswered arrive here too; they are not ours.
        in_header = event.pos().y() < self.body.geometry().top()
        if in_header and self.isSignalConnected(QMetaMethod.fromSignal(self.headerMenuRequested)):
            self.headerMenuRequested.emit(event.globalPos())
            event.accept()
        else:
            event.ignore()
