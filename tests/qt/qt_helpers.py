"""Drive pyqtgraph views with real mouse events, as a user's hand would."""

from __future__ import annotations

import collections

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton


def to_widget(plot_widget, x: float, y: float) -> QPointF:
    """Widget (viewport) pixel position of the data point (x, y) in a PlotWidget."""
    vb = plot_widget.getPlotItem().getViewBox()
    scene = vb.mapViewToScene(QPointF(x, y))
    return QPointF(plot_widget.mapFromScene(scene))


def send_mouse(plot_widget, kind: QEvent.Type, pos: QPointF, button=LEFT, buttons=LEFT, double=False) -> None:
    viewport = plot_widget.viewport()
    global_pos = QPointF(viewport.mapToGlobal(QPoint(int(pos.x()), int(pos.y()))))
    event = QMouseEvent(kind, pos, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)


def drag(qtbot, plot_widget, start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> None:
    """Press at data point ``start``, move in steps, release at ``end``."""
    p0 = to_widget(plot_widget, *start)
    p1 = to_widget(plot_widget, *end)
    send_mouse(plot_widget, QEvent.Type.MouseMove, p0, NONE, NONE)  # the hand arrives first
    qtbot.wait(20)
    send_mouse(plot_widget, QEvent.Type.MouseButtonPress, p0, LEFT, LEFT)
    qtbot.wait(20)
    for k in range(1, steps + 1):
        t = k / steps
        p = QPointF(p0.x() + t * (p1.x() - p0.x()), p0.y() + t * (p1.y() - p0.y()))
        send_mouse(plot_widget, QEvent.Type.MouseMove, p, NONE, LEFT)
        qtbot.wait(15)
    send_mouse(plot_widget, QEvent.Type.MouseButtonRelease, p1, LEFT, NONE)
    qtbot.wait(10)


def hover(qtbot, plot_widget, x: float, y: float) -> None:
    send_mouse(plot_widget, QEvent.Type.MouseMove, to_widget(plot_widget, x, y), NONE, NONE)
    qtbot.wait(15)


def double_click(qtbot, plot_widget, x: float, y: float) -> None:
    p = to_widget(plot_widget, x, y)
    send_mouse(plot_widget, QEvent.Type.MouseButtonPress, p, LEFT, LEFT)
    send_mouse(plot_widget, QEvent.Type.MouseButtonRelease, p, LEFT, NONE)
    send_mouse(plot_widget, QEvent.Type.MouseButtonDblClick, p, LEFT, LEFT)
    send_mouse(plot_widget, QEvent.Type.MouseButtonRelease, p, LEFT, NONE)
    qtbot.wait(10)


def type_into(qtbot, spin_box, text: str) -> None:
    spin_box.lineEdit().selectAll()
    qtbot.keyClicks(spin_box.lineEdit(), text)
    qtbot.keyClick(spin_box.lineEdit(), Qt.Key.Key_Return)


def click(qtbot, plot_widget, x: float, y: float) -> None:
    p = to_widget(plot_widget, x, y)
    send_mouse(plot_widget, QEvent.Type.MouseMove, p, NONE, NONE)
    qtbot.wait(15)
    send_mouse(plot_widget, QEvent.Type.MouseButtonPress, p, LEFT, LEFT)
    send_mouse(plot_widget, QEvent.Type.MouseButtonRelease, p, LEFT, NONE)
    qtbot.wait(15)


def open_cell_editor(table, row: int, column: int):
    """Start editing a cell as a double-click would and return the line edit."""
    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.viewport().findChild(QLineEdit)
    assert editor is not None, "no cell editor opened"
    editor.setFocus()
    return editor


def fresh_window(qtbot, argv=(), size=(1366, 768)):
    """A new main window from the command line's ``argv``, shown, active and closed by qtbot."""
    from lossdesk.cli import parse_options  # noqa: PLC0415
    from lossdesk.qt.app import build_window  # noqa: PLC0415

    win = build_window(parse_options(list(argv)))
    win.confirm_close = False  # no "save changes?" question when the test closes it
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()  # shortcuts reach the active window only
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.wait(100)  # let the layout settle before aiming the mouse
    return win



class EventCounter(QObject):
    """Paint events and layout requests per object, for the whole application, while on
    (``with EventCounter() as counter: …``): counts stand in for a frame's milliseconds."""

    def __init__(self) -> None:
        super().__init__()
        self.paints: collections.Counter = collections.Counter()
        self.layouts: collections.Counter = collections.Counter()

    def __enter__(self) -> EventCounter:
        QApplication.instance().installEventFilter(self)
        return self

    def __exit__(self, *exc) -> None:
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.Paint:
            self.paints[obj] += 1
        elif event.type() == QEvent.Type.LayoutRequest:
            self.layouts[obj] += 1
        return False

    def painted(self) -> set:
        return set(self.paints)


def settle(qtbot, ms: int = 30) -> None:
    """Wait, then run what the event loop still holds (the paints a change caused)."""
    qtbot.wait(ms)
    QApplication.processEvents()
