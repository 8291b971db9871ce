"""A titled frame around one view, with room for a few controls beside the title, and the
labels of live numbers (a readout, a formula) whose new text repaints only themselves."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QMetaMethod, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QContextMenuEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QStyle, QStyleOption, QVBoxLayout, QWidget
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


class ReadoutLabel(QWidget):
    """Live numbers beside a title. When the panel is narrow it drops whole parts from the
    left ("n = 26" before "cost = 13.18"), so a number is shown whole or not at all; the
    tooltip always holds every part.

    Its text changes every frame, so a change must cost one small repaint: the size hint
    depends on the font only (never on the text), so a new text never asks the layouts
    above for room, and the label paints its own background, so the panel behind it is
    not repainted (a QLabel's new text re-lays out and repaints the whole window).
    """

    def __init__(self, tooltip: str = "") -> None:
        super().__init__()
        self._about = tooltip
        self._full = ""
        self._fitted: tuple[int, str] | None = None  # (width, shown text) last measured
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip(tooltip)

    def text(self) -> str:
        """The whole readout (``shown_text`` is what fits)."""
        return self._full

    def shown_text(self) -> str:
        """The last whole parts of the readout that fit the label's width."""
        room = self.contentsRect().width()
        if self._fitted is None or self._fitted[0] != room:
            self._fitted = (room, fit_parts(self._full, room, self.fontMetrics()))
        return self._fitted[1]

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        if text == self._full:
            return
        self._full = text
        self._fitted = None
        self.setToolTip(f"{text}\n{self._about}".strip() if text else self._about)
        self.update()  # only this label: its size hint does not depend on the text

    def sizeHint(self) -> QSize:  # noqa: N802 — the font's line, whatever the text
        metrics = self.fontMetrics()
        return QSize(10 * metrics.averageCharWidth(), metrics.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, self.fontMetrics().height())

    def changeEvent(self, event) -> None:  # noqa: N802 — a new font measures anew
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fitted = None
            self.updateGeometry()  # a taller font: a taller line (the text's length never matters)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(self.backgroundRole()))
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         self.shown_text())


def fit_parts(text: str, room: int, metrics) -> str:
    """The last whole parts of ``text`` (split at ``READOUT_GAP``) that fit ``room`` pixels."""
    parts = [p for p in text.split(READOUT_GAP) if p.strip()]
    while parts and metrics.horizontalAdvance(READOUT_GAP.join(parts)) > room:
        parts.pop(0)
    return READOUT_GAP.join(parts)


class FormulaLabel(QLabel):
    """A word-wrapped rich-text formula whose live numbers change every frame.

    A QLabel's ``setText`` always asks the layouts above it for room again, which
    re-lays out and repaints the whole window. This label draws its own text (a
    ``QTextDocument`` in the contents rectangle; the QLabel underneath keeps only the
    frame and the style sheet's background, border and padding) and asks for room only
    when the text's height at the current width changes (another line, another loss),
    so new numbers in the same place repaint just the label.

    At one width it never gets shorter (``_tallest``), and ``reserve(html)`` keeps room
    for the tallest text it will be given: switching from a two-line formula to a
    three-line one and back would otherwise resize every plot below it twice and repaint
    the whole tab.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._html = ""
        self._reserved = QTextDocument(self)  # the tallest text expected: room kept for it
        self._reserved.setDocumentMargin(0)
        self._reserved.setDefaultFont(self.font())
        self._tallest: tuple[int, int] = (-1, 0)  # (text width, the most height it needed there)
        self._doc = QTextDocument(self)
        self._doc.setDocumentMargin(0)
        self._doc.setDefaultFont(self.font())
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setWordWrap(True)  # what it does (it wraps its own text), for whoever asks
        self.setText(text)

    # ---------------------------------------------------------------- text
    def text(self) -> str:
        return self._html

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        if text == self._html:
            return
        room = self._text_rect().width()
        before = self._room_at(room) if self.isVisible() else None
        self._html = text
        self._doc.setHtml(text)
        if before is None or self._room_at(room) != before:
            self.updateGeometry()  # another line or another size: the layouts decide anew
        self.update()

    def _height_at(self, width: int) -> int:
        """The text's height in pixels when laid out ``width`` pixels wide."""
        self._doc.setTextWidth(max(1, width))
        return int(math.ceil(self._doc.size().height()))

    def reserve(self, html: str) -> None:
        """Keep room for ``html`` (laid out at the label's width) whatever text it shows."""
        self._reserved.setHtml(html)
        self.updateGeometry()

    def _room_at(self, width: int) -> int:
        """The height the label keeps at ``width``: the text's, the reserved text's, and
        the tallest text it has held at that width, whichever is most."""
        self._reserved.setTextWidth(max(1, width))
        height = max(self._height_at(width), int(math.ceil(self._reserved.size().height())))
        if self._tallest[0] == width:
            height = max(height, self._tallest[1])
        self._tallest = (width, height)
        return height

    # ---------------------------------------------------------------- size
    def _indent(self) -> int:
        """QLabel's rule: with a frame (a style sheet's border or padding) and no indent
        set, the text starts half an "x" in from the left."""
        if self.indent() >= 0:
            return self.indent() + self.margin()
        return (self.fontMetrics().horizontalAdvance("x") // 2 if self.frameWidth() > 0 else 0) + self.margin()

    def _text_rect(self):
        return self.contentsRect().adjusted(self._indent(), self.margin(), -self.margin(), -self.margin())

    def _margins(self) -> tuple[int, int]:
        m = self.contentsMargins()
        return m.left() + m.right() + self._indent() + self.margin(), m.top() + m.bottom() + 2 * self.margin()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        mw, mh = self._margins()
        return self._room_at(width - mw) + mh

    def sizeHint(self) -> QSize:  # noqa: N802 — as wide as the text wants, at most 80 characters
        mw, mh = self._margins()
        self._doc.setTextWidth(-1)
        width = min(int(math.ceil(self._doc.idealWidth())), 80 * self.fontMetrics().averageCharWidth())
        return QSize(width + mw, self._height_at(width) + mh)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 — the widest word; the height follows the width
        mw, mh = self._margins()
        return QSize(min(self.sizeHint().width() - mw, 20 * self.fontMetrics().averageCharWidth()) + mw,
                     self.fontMetrics().height() + mh)

    def changeEvent(self, event) -> None:  # noqa: N802 — a new font or style measures anew
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._doc.setDefaultFont(self.font())
            self._reserved.setDefaultFont(self.font())
            self._tallest = (-1, 0)  # another text size: measure from scratch
            self.updateGeometry()

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange):
            # a style sheet's polish clears the attribute; the paint event fills every pixel
            self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        return handled

    # ---------------------------------------------------------------- drawing
    def paintEvent(self, event) -> None:  # noqa: N802
        # Opaque, so the window behind it is not repainted: the window's colour first, then
        # the style sheet's background and border, QLabel's frame (its own text is empty),
        # then the text.
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(self.backgroundRole()))
        option = QStyleOption()
        option.initFrom(self)  # what Qt paints under a styled widget that is not opaque
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        painter.end()
        super().paintEvent(event)
        rect = self._text_rect()
        self._doc.setTextWidth(max(1, rect.width()))
        painter = QPainter(self)
        painter.translate(rect.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Text, palette.color(self.foregroundRole()))
        context.palette = palette
        context.clip = QRectF(0, 0, rect.width(), rect.height())
        painter.setClipRect(context.clip)
        self._doc.documentLayout().draw(painter, context)


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
