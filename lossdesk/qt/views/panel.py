"""A titled frame around one view, with room for a few controls beside the title."""

from __future__ import annotations

from PySide6.QtCore import QMetaMethod, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget
from superqt import QElidingLabel


class HeaderLabel(QElidingLabel):
    """A header's text: cut with "…" when the panel is narrow, the whole text in its tooltip.

    Plain text only (eliding measures characters); ``bold`` for a title.
    """

    def __init__(self, text: str = "", tooltip: str = "", bold: bool = False) -> None:
        self._about = tooltip
        super().__init__(text)
        if bold:
            font = self.font()
            font.setBold(True)
            self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._tip()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        if text == self.text():
            return
        super().setText(text)
        self._tip()

    def _tip(self) -> None:
        text = self.text()
        if not hasattr(self, "_about"):
            return
        self.setToolTip(f"<b>{text}</b><br>{self._about}" if self._about and text else (self._about or text))

    def changeEvent(self, event) -> None:  # noqa: N802 — a font change (larger text) keeps the bold
        bold = self.font().bold()
        super().changeEvent(event)
        if bold != self.font().bold():
            font = self.font()
            font.setBold(bold)
            self.setFont(font)


#: what separates the parts of a readout ("n = 26   cost = 13.18")
READOUT_GAP = "   "


class ReadoutLabel(QLabel):
    """Live numbers beside a title. When the panel is narrow it drops whole parts from the
    left ("n = 26" before "cost = 13.18"), so a number is shown whole or not at all; the
    tooltip always holds every part."""

    def __init__(self, tooltip: str = "") -> None:
        super().__init__("")
        self._about = tooltip
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setToolTip(tooltip)

    def text(self) -> str:
        """The whole readout (``shown_text`` is what fits)."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        if text == self._full:
            return
        self._full = text
        self.setToolTip(f"{text}\n{self._about}".strip() if text else self._about)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 — a new font measures anew
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        parts = [p for p in self._full.split(READOUT_GAP) if p.strip()]
        room = self.contentsRect().width()
        metrics = self.fontMetrics()
        while parts and metrics.horizontalAdvance(READOUT_GAP.join(parts)) > room:
            parts.pop(0)
        shown = READOUT_GAP.join(parts)
        if shown != super().text():
            super().setText(shown)


class ViewPanel(QFrame):
    # A right-click on the title row (not on the view below it), at this screen position.
    # Unconnected, the right-click passes on as before.
    headerMenuRequested = Signal(QPoint)

    def __init__(self, title: str, body: QWidget, tooltip: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Title and readout share the row and both elide ("…", whole text in the tooltip)
        # rather than overlap or show half a number. The readout never asks for more room:
        # its text changes every frame, and a label that grew would re-divide the splitters.
        self.title = HeaderLabel(title, tooltip, bold=True)
        self.title.setElideMode(Qt.TextElideMode.ElideRight)
        self.header = QHBoxLayout()
        self.header.setContentsMargins(4, 2, 4, 0)
        self.header.addWidget(self.title, 1)
        self.header.addSpacing(10)
        self.readout = ReadoutLabel(tooltip)
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
