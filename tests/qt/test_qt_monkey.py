"""A seeded, bounded GUI monkey: random real user actions on the real main window.

Mouse clicks, double-clicks, drags and wheel turns on random points of every visible plot
and control; the window's shortcuts and other keys; random text (numbers, huge numbers,
"-0", "nan", letters, nothing) typed into every spin box, line edit and table cell; random
entries of every combo box; tab switches; menu actions. Every dialog is answered at random
(file dialogs return files in ``tmp_path``: good CSVs and sessions, damaged ones, missing
ones; message boxes get a random button). The run fails on any Python exception, any
unraisable exception, any Qt critical or fatal message, and on widgets that pile up; a
failure prints the last actions sent.

``test_monkey`` runs in CI (``LOSSDESK_MONKEY_SECONDS``, 60 by default, seed
``LOSSDESK_MONKEY_SEED``). ``test_monkey_long`` is the same monkey for 10 minutes
(``LOSSDESK_MONKEY_LONG_SECONDS``); it is marked slow and runs with ``-m slow`` or
``LOSSDESK_SLOW=1``. Both print their figures: actions, exceptions, widget and RSS growth.
"""

from __future__ import annotations

import gc
import json
import os
import random
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, QtMsgType
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitterHandle,
    QTabBar,
    QTableView,
    QWidget,
)
from qt_helpers import send_mouse

import lossdesk.qt.tabs.data_actions as point_editing  # the classification and network tabs' point menus
import lossdesk.qt.tabs.regression as regression_tab
from lossdesk.model import make_preset, write_csv
from lossdesk.session import Session
from lossdesk.settings import AppSettings

SEED = int(os.environ.get("LOSSDESK_MONKEY_SEED", "11"))
CI_SECONDS = float(os.environ.get("LOSSDESK_MONKEY_SECONDS", "60"))
#: a file to append every action to as it is sent (to find what a hard crash followed)
TRAIL_FILE = os.environ.get("LOSSDESK_MONKEY_TRAIL", "")
LONG_SECONDS = float(os.environ.get("LOSSDESK_MONKEY_LONG_SECONDS", "600"))
#: widgets the window may gain after the warm-up (a popup or an editor Qt keeps for reuse);
#: runs of 1 to 10 minutes gain 0 or 1, and message boxes kept after closing gain ~45 a minute
WIDGET_GROWTH_LIMIT = 25
WATCHDOG_MS = 1000

L, R, M = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton
NOBUTTON = Qt.MouseButton.NoButton
CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)
NOMOD = Qt.KeyboardModifier.NoModifier
K = Qt.Key

#: the window's shortcuts and the keys a user leans on
KEYS: list[tuple[Qt.Key, Qt.KeyboardModifier]] = [
    (K.Key_Space, NOMOD), (K.Key_Right, NOMOD), (K.Key_R, NOMOD), (K.Key_B, NOMOD), (K.Key_A, NOMOD),
    (K.Key_F, NOMOD), (K.Key_Delete, NOMOD), (K.Key_Z, CTRL), (K.Key_Z, CTRL | SHIFT), (K.Key_Y, CTRL),
    (K.Key_1, CTRL), (K.Key_2, CTRL), (K.Key_3, CTRL), (K.Key_4, CTRL), (K.Key_5, CTRL),
    (K.Key_Exclam, CTRL | SHIFT), (K.Key_At, CTRL | SHIFT), (K.Key_NumberSign, CTRL | SHIFT),
    (K.Key_Dollar, CTRL | SHIFT), (K.Key_1, CTRL | SHIFT), (K.Key_2, CTRL | SHIFT), (K.Key_3, CTRL | SHIFT),
    (K.Key_4, CTRL | SHIFT), (K.Key_T, CTRL), (K.Key_Equal, CTRL), (K.Key_Plus, CTRL), (K.Key_Minus, CTRL),
    (K.Key_0, CTRL), (K.Key_PageUp, NOMOD), (K.Key_PageDown, NOMOD), (K.Key_L, CTRL),
    (K.Key_Left, NOMOD), (K.Key_Up, NOMOD), (K.Key_Down, NOMOD), (K.Key_Home, NOMOD), (K.Key_End, NOMOD),
    (K.Key_Tab, NOMOD), (K.Key_Backtab, SHIFT), (K.Key_Return, NOMOD), (K.Key_Escape, NOMOD),
    (K.Key_Backspace, NOMOD), (K.Key_F2, NOMOD), (K.Key_F1, NOMOD), (K.Key_F11, NOMOD),
    (K.Key_A, CTRL), (K.Key_X, NOMOD), (K.Key_9, NOMOD),
]

TEXTS = ["0", "1", "-1", "2.5", "-3.75", "0.001", "-0", "-0.0", "+0", "1e12", "-1e12", "1e13", "1e400",
         "-1e400", "1e-400", "1e308", "123456789012345678901234567890", "nan", "NaN", "inf", "-inf",
         "abc", "x", "", " ", "  7  ", "1,5", "0x10", "−2", "1e", "--1", ".", "-", "e", "10", "100",
         "99999", "-99999", "0.5", "3", "7"]

#: menu entries the monkey leaves alone (closing the window ends the run)
SKIPPED_ACTIONS = {"&Quit"}

FILE_FILTERS = ["", "CSV files (*.csv)", "PNG image (*.png)", "SVG drawing (*.svg)",
                "lossdesk sessions (*.lossdesk)", "GIF animation (*.gif)"]


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def widget_count() -> int:
    return len(QApplication.allWidgets())


@dataclass
class Report:
    seed: int = SEED
    actions: int = 0
    seconds: float = 0.0
    exceptions: int = 0
    widgets_initial: int = 0  # before the first action
    widgets_start: int = 0  # after the warm-up (what Qt builds once and keeps)
    widgets_end: int = 0
    widgets_max: int = 0
    rss_initial: int = 0
    rss_start: int = 0  # after the warm-up
    rss_middle: int = 0  # half-way: a leak keeps growing, a cache filling up levels off
    rss_end: int = 0
    qt_warnings: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def widget_growth(self) -> int:
        return self.widgets_end - self.widgets_start

    @property
    def rss_growth_mb(self) -> float:
        return (self.rss_end - self.rss_start) / 2**20

    def line(self) -> str:
        mb = 2**20
        return (f"monkey seed {self.seed}: {self.actions} actions in {self.seconds:.0f} s, "
                f"{self.exceptions} exceptions; widgets {self.widgets_initial}, after warm-up "
                f"{self.widgets_start} -> {self.widgets_end} (max {self.widgets_max}, growth "
                f"{self.widget_growth:+d}); RSS {self.rss_initial / mb:.0f} MB, after warm-up "
                f"{self.rss_start / mb:.0f} -> {self.rss_middle / mb:.0f} (half-way) -> {self.rss_end / mb:.0f} MB "
                f"(growth {self.rss_growth_mb:+.1f} MB); {sum(self.qt_warnings.values())} Qt warnings")


class Files:
    """What the patched file dialogs hand back: good files, damaged ones, missing ones."""

    def __init__(self, folder: Path, rng: random.Random):
        self.folder, self.rng = folder, rng
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "saved").mkdir(exist_ok=True)
        self.good: list[Path] = []
        self.bad: list[Path] = []
        for name, preset in (("linear.csv", "linear"), ("heavy.csv", "heavy_tail"), ("blobs.csv", "binary_2d"),
                             ("three.csv", "three_classes"), ("one_d.csv", "binary_1d")):
            path = folder / name
            write_csv(make_preset(preset), path)
            self.good.append(path)
        session = folder / "good.lossdesk"
        Session(AppSettings()).save(session)
        self.good.append(session)
        other = folder / "classes.lossdesk"
        Session(AppSettings(tab="classification")).save(other)
        self.good.append(other)
        damaged = {
            "empty.csv": "", "header_only.csv": "x,y\n", "letters.csv": "x,y\n1,a\n", "nan.csv": "x,y\nnan,1\n",
            "huge.csv": "x,y\n1e400,1\n", "big.csv": "x,y\n1e13,1\n", "quote.csv": 'x,y\n"1,2\n',
            "labels.csv": "x,label\n1,0.5\n", "many_labels.csv": "x,label\n1,0\n2,11\n",
            "cr.csv": "x\ry\n1,2\n", "noheader.csv": "1,2\n3,4\n",
            "empty.lossdesk": "", "truncated.lossdesk": session.read_text()[: len(session.read_text()) // 2],
            "list.lossdesk": "[1, 2, 3]", "nested.lossdesk": "[" * 5000 + "]" * 5000,
            "wrong_types.lossdesk": json.dumps({"version": 1, "regression": {"loss": ["mse"]}}),
            "n_classes.lossdesk": json.dumps({"version": 1, "classification": {"n_classes": 1e400}}),
        }
        for name, text in damaged.items():
            path = folder / name
            path.write_text(text)
            self.bad.append(path)
        binary = folder / "binary.csv"
        binary.write_bytes(bytes(rng.randrange(256) for _ in range(300)))
        self.bad.append(binary)
        self.bad.append(folder)  # a folder, not a file
        self.bad.append(folder / "missing.csv")
        self.bad.append(folder / "missing.lossdesk")

    def open_name(self, file_filter: str = "") -> str:
        roll = self.rng.random()
        if roll < 0.1:
            return ""  # cancelled
        pool = self.good if roll < 0.6 else self.bad
        if self.rng.random() < 0.8:  # mostly the kind of file the dialog asks for
            wanted = [p for p in pool if p.suffix and p.suffix in file_filter]
            pool = wanted or pool
        return str(self.rng.choice(pool))

    def save_name(self) -> str:
        roll = self.rng.random()
        if roll < 0.15:
            return ""
        if roll < 0.25:
            return str(self.folder / "no_such_folder" / "out.csv")  # cannot be written
        if roll < 0.3:
            return str(self.folder)  # a folder
        stem = self.rng.choice(["out", "saved", "picture", "session", "descent"])
        suffix = self.rng.choice(["", ".csv", ".png", ".svg", ".lossdesk", ".gif", ".txt"])
        return str(self.folder / "saved" / f"{stem}{suffix}")


class Monkey:
    def __init__(self, qtbot, window, rng: random.Random, files: Files):
        self.qtbot, self.window, self.rng, self.files = qtbot, window, rng, files
        self.trail: list[str] = []
        self.report = Report()
        # A dialog run with exec() that no patch answered would wait for a hand for ever;
        # its event loop still runs timers, so this one answers it (and says so).
        self.watchdog = QTimer()
        self.watchdog.setInterval(WATCHDOG_MS)
        self.watchdog.timeout.connect(self.unblock)

    def unblock(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self.window:
            self.log(f"  watchdog: answer the modal {type(modal).__name__} {modal.windowTitle()!r}")
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            if getattr(self, "_stale_popup", None) is popup:  # open for a whole interval
                self.log(f"  watchdog: close the popup {type(popup).__name__}")
                popup.close()
            self._stale_popup = popup

    # ------------------------------------------------------------------ finding targets
    def visible(self, kind) -> list:
        return [w for w in self.window.findChildren(kind)
                if w.isVisible() and w.isEnabled() and w.width() > 2 and w.height() > 2]

    def plots(self) -> list[pg.GraphicsView]:
        return self.visible(pg.GraphicsView)

    def controls(self) -> list[QWidget]:
        kinds = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QTabBar,
                 QAbstractItemView)
        return [w for w in self.visible(QWidget) if isinstance(w, kinds)]

    def point_in(self, widget: QWidget) -> QPoint:
        r = widget.rect()
        return QPoint(self.rng.randrange(max(r.width(), 1)), self.rng.randrange(max(r.height(), 1)))

    def name(self, widget: QWidget) -> str:
        text = ""
        for attr in ("text", "toolTip"):
            getter = getattr(widget, attr, None)
            if callable(getter):
                try:
                    text = getter() or text
                except TypeError:
                    pass
            if text:
                break
        return f"{type(widget).__name__}({text[:30]!r})" if text else type(widget).__name__

    # ------------------------------------------------------------------ actions
    def act(self) -> None:
        kinds = [
            (self.plot_mouse, 30), (self.plot_point, 12), (self.wheel, 8), (self.key, 20), (self.type_text, 16),
            (self.combo, 8), (self.click_control, 16), (self.drag_slider, 5), (self.tab_switch, 6),
            (self.menu_action, 10), (self.edit_cell, 8), (self.wait, 3), (self.resize, 1),
        ]
        action = self.rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        self.report.kinds[action.__name__] = self.report.kinds.get(action.__name__, 0) + 1
        action()

    def log(self, text: str) -> None:
        self.trail.append(f"{len(self.trail)}: {text}")
        if TRAIL_FILE:  # survives a crash of the process itself
            with open(TRAIL_FILE, "a") as f:
                f.write(self.trail[-1] + "\n")

    def modifiers(self) -> Qt.KeyboardModifier:
        return self.rng.choice([NOMOD] * 6 + [CTRL, SHIFT, ALT])

    def plot_mouse(self) -> None:
        plots = self.plots()
        if not plots:
            return self.key()
        plot = self.rng.choice(plots)
        self._mouse_on_plot(plot, QPointF(self.point_in(plot.viewport())))

    def plot_point(self) -> None:
        """Aim at a drawn point (a data point, the surface's handle) as a hand would."""
        plots = self.plots()
        if not plots:
            return self.key()
        plot = self.rng.choice(plots)
        spots = []
        for item in plot.items():
            if isinstance(item, pg.ScatterPlotItem) and item.isVisible():
                xs, ys = item.getData()
                spots += [(item, float(x), float(y)) for x, y in zip(xs[:200], ys[:200])]
        if not spots:
            return self._mouse_on_plot(plot, QPointF(self.point_in(plot.viewport())))
        viewport = QRectF(plot.viewport().rect())
        aims = [pos for item, x, y in spots
                if viewport.contains(pos := QPointF(plot.mapFromScene(item.mapToScene(QPointF(x, y)))))]
        if not aims:
            return self._mouse_on_plot(plot, QPointF(self.point_in(plot.viewport())))
        pos = self.rng.choice(aims)
        self._mouse_on_plot(plot, pos + QPointF(self.rng.uniform(-3, 3), self.rng.uniform(-3, 3)))

    def _mouse_on_plot(self, plot, pos: QPointF) -> None:
        button = self.rng.choice([L] * 6 + [R, M])
        gesture = self.rng.choice(["click", "click", "double", "drag", "drag", "hover"])
        self.log(f"{gesture} {button.name} on {self.plot_name(plot)} at ({pos.x():.0f}, {pos.y():.0f})")
        send_mouse(plot, QEvent.Type.MouseMove, pos, NOBUTTON, NOBUTTON)
        if gesture == "hover":
            self.qtbot.wait(5)
            return
        send_mouse(plot, QEvent.Type.MouseButtonPress, pos, button, button)
        if gesture == "drag":
            end = QPointF(self.point_in(plot.viewport()))
            if self.rng.random() < 0.3:  # far outside the view: the hand left the plot
                end = QPointF(self.rng.uniform(-3000, 3000), self.rng.uniform(-3000, 3000))
            steps = self.rng.randrange(1, 10)
            for k in range(1, steps + 1):
                t = k / steps
                p = pos + (end - pos) * t
                send_mouse(plot, QEvent.Type.MouseMove, p, NOBUTTON, button)
                self.qtbot.wait(2)
            pos = end
        send_mouse(plot, QEvent.Type.MouseButtonRelease, pos, button, NOBUTTON)
        if gesture == "double":
            send_mouse(plot, QEvent.Type.MouseButtonDblClick, pos, button, button)
            send_mouse(plot, QEvent.Type.MouseButtonRelease, pos, button, NOBUTTON)
        self.qtbot.wait(2)

    def plot_name(self, plot) -> str:
        parent = plot.parentWidget()
        while parent is not None and not hasattr(parent, "title"):
            parent = parent.parentWidget()
        title = getattr(getattr(parent, "title", None), "text", None)
        return f"plot {title()!r}" if callable(title) else "plot"

    def wheel(self) -> None:
        targets = self.plots() + self.controls()
        if not targets:
            return
        target = self.rng.choice(targets)
        receiver = target.viewport() if isinstance(target, pg.GraphicsView) else target
        pos = QPointF(self.point_in(receiver))
        delta = self.rng.choice([-1, 1]) * self.rng.choice([15, 120, 240, 1200])
        mods = self.modifiers()
        self.log(f"wheel {delta:+d} on {self.name(target)} at ({pos.x():.0f}, {pos.y():.0f})")
        event = QWheelEvent(pos, QPointF(receiver.mapToGlobal(pos.toPoint())), QPoint(), QPoint(0, delta),
                            NOBUTTON, mods, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(receiver, event)

    def key(self) -> None:
        key, mods = self.rng.choice(KEYS)
        target = QApplication.focusWidget() or self.window
        if not target.isVisible():
            target = self.window
        self.log(f"key {key_name(key, mods)} to {self.name(target)}")
        self.qtbot.keyClick(target, key, mods)

    def type_text(self) -> None:
        editors = [w for w in self.controls() if isinstance(w, (QAbstractSpinBox, QLineEdit))
                   and not (isinstance(w, QLineEdit) and isinstance(w.parentWidget(), QAbstractSpinBox))]
        if not editors:
            return self.key()
        editor = self.rng.choice(editors)
        text = self.rng.choice(TEXTS)
        end = self.rng.choice(["Return", "Return", "Tab", "Enter", "none"])
        self.log(f"type {text!r} + {end} into {self.name(editor)}")
        self.qtbot.mouseClick(editor, L, NOMOD, self.point_in(editor))
        editor.setFocus()
        self.qtbot.keyClick(editor, K.Key_A, CTRL)  # select what is there
        if text:
            type_chars(self.qtbot, editor, text)
        else:
            self.qtbot.keyClick(editor, K.Key_Backspace)
        if end == "Return":
            self.qtbot.keyClick(editor, K.Key_Return)
        elif end == "Enter":
            self.qtbot.keyClick(editor, K.Key_Enter)
        elif end == "Tab":
            self.qtbot.keyClick(editor, K.Key_Tab)

    def edit_cell(self) -> None:
        tables = [t for t in self.visible(QTableView) if t.model() is not None and t.model().rowCount() > 0]
        if not tables:
            return self.type_text()
        table = self.rng.choice(tables)
        model = table.model()
        index = model.index(self.rng.randrange(model.rowCount()), self.rng.randrange(max(model.columnCount(), 1)))
        table.scrollTo(index)
        rect = table.visualRect(index)
        if rect.isEmpty():
            return
        text = self.rng.choice(TEXTS)
        end = self.rng.choice(["Return", "Return", "Tab", "Escape", "click away"])
        self.log(f"edit cell ({index.row()}, {index.column()}) of {self.name(table)}: {text!r} + {end}")
        how = self.rng.choice(["double-click", "double-click", "F2", "typing"])
        self.qtbot.mouseClick(table.viewport(), L, NOMOD, rect.center())  # the cell becomes current
        if how == "double-click":
            self.qtbot.mouseDClick(table.viewport(), L, NOMOD, rect.center())
        elif how == "F2":
            self.qtbot.keyClick(table, K.Key_F2)
        elif text:  # any key starts an edit with that key's text
            type_chars(self.qtbot, table, text[0])
            text = text[1:]
        editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
        if not editors:
            return  # a table that does not edit (the outlier lab's) just selects
        editor = editors[0]
        editor.setFocus()
        if how != "typing":
            self.qtbot.keyClick(editor, K.Key_A, CTRL)
        if text:
            type_chars(self.qtbot, editor, text)
        elif how != "typing":
            self.qtbot.keyClick(editor, K.Key_Delete)
        if end == "click away":
            table.setFocus()
            self.qtbot.mouseClick(table.viewport(), L, NOMOD, QPoint(2, 2))
        else:
            self.qtbot.keyClick(editor, getattr(K, f"Key_{end}"))

    def combo(self) -> None:
        combos = self.visible(QComboBox)
        if not combos:
            return self.key()
        combo = self.rng.choice(combos)
        if combo.count() == 0:
            return
        index = self.rng.randrange(combo.count())
        how = self.rng.choice(["popup", "popup", "keys"])
        self.log(f"choose {combo.itemText(index)!r} ({how}) in {self.name(combo)}")
        if how == "keys":
            combo.setFocus()
            self.qtbot.keyClick(combo, self.rng.choice([K.Key_Down, K.Key_Up, K.Key_Home, K.Key_End]))
            return
        self.qtbot.mouseClick(combo, L, NOMOD, self.point_in(combo))  # opens the list
        view = combo.view()
        if not view.isVisible():
            combo.showPopup()
        rect = view.visualRect(view.model().index(index, combo.modelColumn()))
        if view.isVisible() and not rect.isEmpty():
            self.qtbot.mouseClick(view.viewport(), L, NOMOD, rect.center())
        if view.isVisible():
            combo.hidePopup()

    def click_control(self) -> None:
        controls = self.controls()
        if not controls:
            return self.key()
        control = self.rng.choice(controls)
        target = control.viewport() if isinstance(control, QAbstractItemView) else control
        pos = self.point_in(target)
        button = self.rng.choice([L] * 8 + [R])
        double = self.rng.random() < 0.15
        mods = self.modifiers()
        self.log(f"{'double-' if double else ''}click {button.name} on {self.name(control)} at ({pos.x()}, {pos.y()})")
        if double:
            self.qtbot.mouseDClick(target, button, mods, pos)
        else:
            self.qtbot.mouseClick(target, button, mods, pos)

    def drag_slider(self) -> None:
        sliders = self.visible(QAbstractSlider) + self.visible(QSplitterHandle)
        if not sliders:
            return self.key()
        slider = self.rng.choice(sliders)
        start, end = self.point_in(slider), self.point_in(slider)
        self.log(f"drag {self.name(slider)} from {start.x()} to {end.x()}")
        send_widget_mouse(slider, QEvent.Type.MouseButtonPress, start, L, L)
        for k in range(1, 6):
            p = start + (end - start) * (k / 5)
            send_widget_mouse(slider, QEvent.Type.MouseMove, p, NOBUTTON, L)
            self.qtbot.wait(3)
        send_widget_mouse(slider, QEvent.Type.MouseButtonRelease, end, L, NOBUTTON)

    def tab_switch(self) -> None:
        bars = [b for b in self.visible(QTabBar) if b.count() > 1]
        if not bars:
            return self.key()
        bar = self.rng.choice(bars)
        index = self.rng.randrange(bar.count())
        self.log(f"switch to tab {bar.tabText(index)!r}")
        self.qtbot.mouseClick(bar, L, NOMOD, bar.tabRect(index).center())

    def menu_action(self) -> None:
        actions = []

        def walk(menu: QMenu) -> None:
            for a in menu.actions():
                if a.menu() is not None:
                    walk(a.menu())
                elif not a.isSeparator() and a.isEnabled() and a.text() not in SKIPPED_ACTIONS:
                    actions.append(a)

        for top in self.window.menuBar().actions():
            if top.menu() is not None:
                walk(top.menu())
        if not actions:
            return
        action = self.rng.choice(actions)
        self.log(f"menu {action.text()!r}")
        action.trigger()

    def resize(self) -> None:
        if self.window.isFullScreen() or self.window.isMaximized():
            self.log("leave full screen")
            self.window.showNormal()
            return
        if self.rng.random() < 0.2:
            size = (self.rng.randrange(60, 400), self.rng.randrange(60, 300))  # squeezed
        else:
            size = (self.rng.randrange(500, 1900), self.rng.randrange(400, 1100))
        self.log(f"resize the window to {size}")
        self.window.resize(*size)
        self.qtbot.wait(5)

    def wait(self) -> None:
        ms = self.rng.choice([10, 30, 80])
        self.log(f"wait {ms} ms")
        self.qtbot.wait(ms)

    # ------------------------------------------------------------------ after each action
    def tidy(self) -> None:
        """Answer what the action left open: message boxes, popups, stray dialogs."""
        for _ in range(5):
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            if isinstance(popup, QMenu) and self.rng.random() < 0.4:
                items = [a for a in popup.actions() if a.isEnabled() and not a.isSeparator() and a.menu() is None
                         and a.text() not in SKIPPED_ACTIONS]
                if items:
                    chosen = self.rng.choice(items)
                    self.log(f"  pick {chosen.text()!r} in a popup menu")
                    popup.close()
                    chosen.trigger()
                    continue
            popup.close()
        for widget in QApplication.topLevelWidgets():
            if widget is self.window or not widget.isVisible() or isinstance(widget, QDockWidget):
                continue
            if isinstance(widget, QMessageBox):
                buttons = widget.buttons()
                self.log(f"  answer the box {widget.windowTitle()!r}")
                if buttons and self.rng.random() < 0.8:
                    self.qtbot.mouseClick(self.rng.choice(buttons), L)
                else:
                    self.qtbot.keyClick(widget, K.Key_Escape)
            elif isinstance(widget, (QDialog, QMenu)) or widget.isWindow():
                self.log(f"  close {type(widget).__name__} {widget.windowTitle()!r}")
                widget.close()
        if not self.window.isVisible():
            self.window.show()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        QApplication.processEvents()


def type_chars(qtbot, widget: QWidget, text: str) -> None:
    """Type ``text``; QTest's keyClicks aborts the process on a character beyond ASCII (−)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, NOMOD, ch))


def send_widget_mouse(widget: QWidget, kind: QEvent.Type, pos: QPoint, button, buttons) -> None:
    p = QPointF(pos)
    event = QMouseEvent(kind, p, QPointF(widget.mapToGlobal(pos)), button, buttons, NOMOD)
    QApplication.sendEvent(widget, event)


def key_name(key: Qt.Key, mods: Qt.KeyboardModifier) -> str:
    return QKeySequence(mods.value | key.value).toString() or key.name


# ====================================================================== patched dialogs


def answer_dialogs(monkeypatch, rng: random.Random, files: Files) -> None:
    """Every blocking dialog answers at once, at random; boxes shown with open() stay for ``tidy``."""
    buttons = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No, QMessageBox.StandardButton.Ok,
               QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
               QMessageBox.StandardButton.Cancel]

    def static_answer(*_args, **_kwargs):
        return rng.choice(buttons)

    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(static_answer))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (files.open_name(str(a[3:4])), rng.choice(FILE_FILTERS))))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (files.save_name(), rng.choice(FILE_FILTERS))))

    def get_item(_parent, _title, _label, items, current=0, editable=True, *a, **k):
        items = list(items)
        return (rng.choice(items) if items else "", rng.random() < 0.8)

    def get_int(_parent, _title, _label, value=0, minimum=-2**31, maximum=2**31 - 1, *a, **k):
        return (rng.choice([minimum, 1, 2, 5, 12]), rng.random() < 0.8)  # short GIFs keep the run moving

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(get_int))

    class AnsweredMenu(QMenu):
        """A point's right-click menu picks an entry (or none) at once. (Setting QMenu.exec
        itself does not reach instances: shiboken looks the overloaded name up in C++.)"""

        def exec(self, *args, **kwargs):
            items = [a for a in self.actions() if a.isEnabled() and not a.isSeparator()]
            return rng.choice(items + [None]) if items else None

    for module in (regression_tab, point_editing):
        monkeypatch.setattr(module, "QMenu", AnsweredMenu)


# ====================================================================== the run


def run_monkey(qtbot, window, tmp_path, monkeypatch, qtlog, seconds: float, seed: int = SEED) -> Report:
    rng = random.Random(seed)
    files = Files(tmp_path / "files", rng)
    answer_dialogs(monkeypatch, rng, files)
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook",
                        lambda info: unraisable.append(f"{info.exc_type.__name__}: {info.exc_value} ({info.object!r})"))
    app = QApplication.instance()
    font, palette = app.font(), app.palette()
    monkey = Monkey(qtbot, window, rng, files)
    report = monkey.report
    report.seed = seed
    window.activateWindow()
    window.setFocus()
    monkey.watchdog.start()

    def failure(what: str) -> str:
        return f"{what}\nafter {report.actions} actions; the last 20:\n" + "\n".join(monkey.trail[-20:])

    try:
        with qtbot.capture_exceptions() as exceptions:
            monkey.tidy()
            gc.collect()
            report.widgets_initial = report.widgets_start = report.widgets_max = widget_count()
            report.rss_initial = report.rss_start = report.rss_middle = rss_bytes()
            start = time.monotonic()
            warmed = halfway = False
            seen_records = 0
            while time.monotonic() - start < seconds:
                monkey.act()
                monkey.tidy()
                report.actions += 1
                if exceptions:
                    report.exceptions = len(exceptions)
                    kind, exc, _tb = exceptions[0]
                    text = "".join(traceback.format_exception(kind, exc, exc.__traceback__))
                    pytest.fail(failure(f"uncaught {kind.__name__}: {exc}\n{text}"), pytrace=False)
                if unraisable:
                    pytest.fail(failure(f"unraisable exception: {unraisable[0]}"), pytrace=False)
                records = qtlog.records
                for record in records[seen_records:]:
                    if record.type in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
                        pytest.fail(failure(f"Qt {record.type.name}: {record.message}"), pytrace=False)
                    if record.type == QtMsgType.QtWarningMsg:
                        key = record.message[:100]
                        report.qt_warnings[key] = report.qt_warnings.get(key, 0) + 1
                seen_records = len(records)
                if not warmed and time.monotonic() - start > min(10.0, seconds / 6):
                    # the first seconds build what Qt keeps for reuse (popups, editors, tooltips)
                    gc.collect()
                    report.widgets_start = widget_count()
                    report.rss_start = rss_bytes()
                    warmed = True
                if not halfway and time.monotonic() - start > seconds / 2:
                    report.rss_middle = rss_bytes()
                    halfway = True
                if report.actions % 25 == 0:
                    count = widget_count()
                    report.widgets_max = max(report.widgets_max, count)
                    if warmed and count - report.widgets_start > WIDGET_GROWTH_LIMIT:
                        gc.collect()
                        count = widget_count()
                        if count - report.widgets_start > WIDGET_GROWTH_LIMIT:
                            pytest.fail(failure(f"widgets pile up: {report.widgets_start} -> {count}"),
                                        pytrace=False)
            report.seconds = time.monotonic() - start
            gc.collect()
            monkey.tidy()
            report.widgets_end = widget_count()
            report.widgets_max = max(report.widgets_max, report.widgets_end)
            report.rss_end = rss_bytes()
            check_window_still_works(qtbot, window, monkey)
            assert not exceptions, failure("an exception while checking the window")
    finally:
        monkey.watchdog.stop()
        app.setFont(font)
        app.setPalette(palette)
    return report


def check_window_still_works(qtbot, window, monkey: Monkey) -> None:
    """After the storm, plain explicit actions still have their plain effects."""
    monkey.log("final check")
    window.lessons.hide()
    if window.isFullScreen() or window.isMaximized():
        window.showNormal()
    window.resize(1366, 768)
    window.set_tab("regression")
    window.explorer.descent.set_playing(False)
    window.explorer.side.setCurrentWidget(window.explorer.editor)
    window.activateWindow()
    window.setFocus()
    qtbot.wait(20)
    qtbot.keyClick(window, K.Key_2, CTRL)  # the second regression loss
    assert window.reg_store.value.loss == "mae", "Ctrl+2 no longer chooses MAE"
    store = window.reg_store
    n = store.value.data.n
    editor = window.explorer.editor
    if float(abs(store.value.data.x).max()) < 1e11:
        qtbot.mouseClick(editor.add_button, L)
        assert store.value.data.n == n + 1, f"Add point did nothing: {editor.message.text()}"
        window.setFocus()
        qtbot.keyClick(window, K.Key_Z, CTRL)
        assert store.value.data.n == n, "Ctrl+Z did not take the new point back"
    qtbot.keyClick(window, K.Key_3, CTRL | SHIFT)
    assert window.tabs.currentWidget() is window.classification
    tab = window.classification
    tab.load_preset("binary_1d")
    qtbot.keyClick(window, K.Key_Right)  # one descent step moves the classifier
    assert tab.store.value.theta != (0.0, 0.0), "Right took no descent step"


def show_report(capsys, report: Report) -> None:
    with capsys.disabled():
        print(f"\n{report.line()}")
        busiest = sorted(report.qt_warnings.items(), key=lambda kv: -kv[1])[:3]
        for text, count in busiest:
            print(f"  Qt warning ×{count}: {text}")


def check_report(report: Report, seconds: float) -> None:
    assert report.exceptions == 0
    assert report.actions >= max(20, seconds * 3), f"only {report.actions} actions in {seconds:.0f} s"
    assert report.widget_growth <= WIDGET_GROWTH_LIMIT, report.line()


@pytest.mark.qt_log_level_fail("CRITICAL")
def test_monkey(qtbot, window, tmp_path, monkeypatch, qtlog, capsys):
    report = run_monkey(qtbot, window, tmp_path, monkeypatch, qtlog, CI_SECONDS)
    show_report(capsys, report)
    check_report(report, CI_SECONDS)


@pytest.mark.slow
@pytest.mark.qt_log_level_fail("CRITICAL")
def test_monkey_long(qtbot, window, tmp_path, monkeypatch, qtlog, capsys):
    report = run_monkey(qtbot, window, tmp_path, monkeypatch, qtlog, LONG_SECONDS, seed=SEED + 1)
    show_report(capsys, report)
    check_report(report, LONG_SECONDS)
    assert report.rss_growth_mb < 300, report.line()
