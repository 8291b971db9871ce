"""The main window: menus, shortcuts, status bar and the tabs.

A tab's widgets are built when the tab is first shown (or first asked for, e.g. by a
lesson formula or a test through ``window.explorer``): start-up builds only the tab in
front. Every choice lives in the settings stores, made up front, so a tab built late
shows exactly what one built at start would.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from lossdesk import __version__
from lossdesk.assets import resource_path
from lossdesk.model import LOSSES, DatasetError, read_csv, write_csv
from lossdesk.model.files import shorten
from lossdesk.qt import theme
from lossdesk.qt.export import (
    add_export_menus,
    export_descent_gif_dialog,
    export_view_dialog,
    export_window_dialog,
    visible_panels,
)
from lossdesk.qt.recovery import Autosaver, RecoveryFile
from lossdesk.qt.undo import DataHistory
from lossdesk.session import SUFFIX, Session, SessionError
from lossdesk.settings import AppSettings, SettingsStore
from lossdesk.settings.regression import LOSS_NAMES as REGRESSION_LOSSES

#: Ctrl+1 … Ctrl+5 in the classification tab: the two cross-entropies and hinge, as ever
#: (the Brier loss, added later, is chosen from the list so the keys keep their meaning)
CLASSIFICATION_SHORTCUT_LOSSES = ("bce", "bce_logits", "hinge", "cce", "cce_logits")
from lossdesk.settings.launch import MIN_SIZE
from lossdesk.settings.selection import PointMarks

if TYPE_CHECKING:
    from lossdesk.qt.lessons.panel import LessonPanel

TAB_ORDER = ("regression", "compare", "classification", "descent", "network")
TAB_NAMES = {"regression": 0, "compare": 1, "classification": 2, "descent": 3, "network": 4}
#: each tab's title and tooltip in the tab bar, in TAB_ORDER
TAB_TITLES = {
    "regression": ("Regression explorer", "One loss in depth: every point's error, the cost, its surface and descent"),
    "compare": ("Outlier lab", "MSE, MAE and Huber fitted to the same data: drag one point and watch them part"),
    "classification": ("Classification", "Binary and categorical cross-entropy on labelled points"),
    "descent": ("Descent lab", "Optimizers racing down the valley of the current data, in 2-D and 3-D"),
    "network": ("Network", ("A small neural network learning: one point's error flowing back through its "
                            "weights, and its loss landscape")),
}

STATUS_MS = {"info": 4000, "warning": 8000, "error": 0}
MAX_RECENT = 8
#: descent steps between two looks at the clock when the command line runs many
RUN_CHUNK = 500
#: keys of one-key shortcuts that a focused table or menu box keeps for itself
PLAIN_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_R, Qt.Key.Key_B, Qt.Key.Key_A, Qt.Key.Key_F}


class KeepKeysInLists(QObject):
    """Space, arrows and letters belong to a focused table or menu box, not to the shortcuts.

    Accepting the ShortcutOverride event is Qt's way for a widget to claim a key. The
    filter sits only on the tables and menu boxes themselves (``guard``), never on the
    whole application, where it would run for every event of every frame.
    """

    KINDS = (QAbstractItemView, QComboBox)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        if isinstance(obj, self.KINDS) and event.key() in PLAIN_KEYS and not event.modifiers():
            event.accept()
            return True
        return False

    def guard(self, root: QWidget) -> None:
        """Watch every table and menu box inside ``root`` (and ``root`` itself)."""
        for widget in (root, *root.findChildren(QWidget)):
            if isinstance(widget, self.KINDS):
                widget.removeEventFilter(self)  # never twice on one widget
                widget.installEventFilter(self)

    def focus_changed(self, _old, new) -> None:
        """A widget that gets focus later (a new table, a cell editor) is watched from then on.

        ShortcutOverride goes to the focus widget and on up to its parents, so the
        tables and menu boxes among them are the ones that must be watched."""
        widget = new
        while widget is not None:
            if isinstance(widget, self.KINDS):
                widget.removeEventFilter(self)
                widget.installEventFilter(self)
            widget = widget.parentWidget() if not widget.isWindow() else None


SESSION_FILTER = f"lossdesk sessions (*{SUFFIX})"


class MainWindow(QMainWindow):
    """The tabs over one settings store each; every way in hands the window a whole AppSettings."""

    def __init__(self, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("lossdesk")
        icon = resource_path("icons", "lossdesk.svg")
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        app = settings if settings is not None else AppSettings()
        # Regression tabs share one data set, its history and its marks; classification has its own.
        self.reg_store = SettingsStore(app.regression)
        self.reg_history = DataHistory(self.reg_store, ("outlier", "outlier_base"), self)
        self.reg_marks = PointMarks()
        self.lab_store = SettingsStore(app.outlier_lab)
        self.cls_store = SettingsStore(app.classification)
        self.cls_history = DataHistory(self.cls_store, (), self)
        self.cls_marks = PointMarks()
        self.descent_store = SettingsStore(app.descent_lab)
        self.net_store = SettingsStore(app.network)  # the network tab has its own data too
        self.net_history = DataHistory(self.net_store, (), self)
        self.net_marks = PointMarks()
        # Each tab starts as an empty page; its widgets are built when it is first shown.
        self._built: dict[str, QWidget] = {}
        self._swapping = False  # a page being swapped for its tab is no change of tab
        self._started = False  # until the end of __init__, restore_preferences styles every widget
        self.tabs = QTabWidget()
        for name, (title, tip) in TAB_TITLES.items():
            self.tabs.setTabToolTip(self.tabs.addTab(QWidget(), title), tip)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        # Undo and redo follow the tab in front.
        self.undo_group = QUndoGroup(self)
        for history in (self.reg_history, self.cls_history, self.net_history):
            self.undo_group.addStack(history.undo_stack)
        self.undo_group.setActiveStack(self.reg_history.undo_stack)
        for store in (self.reg_store, self.lab_store, self.cls_store, self.descent_store, self.net_store):
            store.changed.connect(self._update_title)
        self.key_guard = KeepKeysInLists(self)
        QApplication.instance().focusChanged.connect(self.key_guard.focus_changed)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._lessons: LessonPanel | None = None  # built when a lesson is first opened
        self.settings = QSettings("lossdesk", "lossdesk")
        self.confirm_close = True  # ask before closing with unsaved work
        self.session_path: Path | None = None
        self._saved = self._work(self.current_settings())  # what the last save or open holds
        self.base_font_size = theme.system_point_size()
        self.font_scale = 1.0
        self.dark = False
        self._restored_geometry = False
        self.recovery = RecoveryFile()
        self.autosaver = Autosaver(self)
        self.set_tab(app.tab)
        self._tab_changed(self.tabs.currentIndex())  # builds the tab in front
        self._build_menus()
        add_export_menus(self, self, self.show_status)
        self.key_guard.guard(self)
        self.statusBar().showMessage("Drag a point, pick a loss, or press Space to roll the ball downhill.")
        self.restore_preferences()
        self._started = True
        self._show_lesson(app.lesson)

    # ------------------------------------------------------------------ tabs, built when first shown
    def _make_tab(self, name: str) -> QWidget:
        """A new tab's widgets over the window's stores (imported here: a tab never shown costs nothing)."""
        if name == "regression":
            from lossdesk.qt.tabs.regression import RegressionExplorer  # noqa: PLC0415

            return RegressionExplorer(self.reg_store, self.reg_history, self.reg_marks)
        if name == "compare":
            from lossdesk.qt.tabs.outlier_lab import OutlierLabTab  # noqa: PLC0415

            return OutlierLabTab(self.lab_store, self.reg_store, self.reg_history, self.reg_marks)
        if name == "classification":
            from lossdesk.qt.tabs.classification import ClassificationTab  # noqa: PLC0415

            return ClassificationTab(self.cls_store, self.cls_history, self.cls_marks)
        if name == "network":
            from lossdesk.qt.tabs.network import NetworkTab  # noqa: PLC0415

            return NetworkTab(self.net_store, self.net_history, self.net_marks)
        from lossdesk.qt.tabs.descent_lab import DescentLabTab  # noqa: PLC0415

        return DescentLabTab(self.descent_store, self.reg_store)

    def tab(self, name: str) -> QWidget:
        """The tab ``name`` (one of TAB_ORDER), built now if it has not been shown yet.

        Built from the current settings, it looks as it would had it been built at start;
        its empty page in the tab bar is swapped for it in place (same index, title, tip).
        """
        built = self._built.get(name)
        if built is not None:
            return built
        was_active = self.isActiveWindow()
        tab = self._make_tab(name)
        self._built[name] = tab
        index, current = TAB_NAMES[name], self.tabs.currentIndex()
        page, title, tip = self.tabs.widget(index), self.tabs.tabText(index), self.tabs.tabToolTip(index)
        self._swapping = True
        self.tabs.setUpdatesEnabled(False)
        try:
            # In after its page, then the page out: a page in front hands over to its tab
            # directly (Qt selects the tab to the right of a removed one), no other tab shows.
            self.tabs.insertTab(index + 1, tab, title)
            self.tabs.removeTab(index)
            self.tabs.setTabToolTip(index, tip)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.setUpdatesEnabled(True)
            self._swapping = False
        page.deleteLater()
        self._dress(tab)
        tab.status.connect(self.show_status)
        tab.set_active(index == current)
        if was_active:
            # A widget shown before it has a parent (a FloatSlider's label) flashes up as a
            # window of its own and takes the focus with it: give it back to this window.
            self.activateWindow()
        return tab

    def _dress(self, tab: QWidget) -> None:
        """What the window did to every widget at start, done to a tab built later."""
        if self._started:  # set_font_scale set the app's font on every widget there was
            font = QApplication.instance().font()
            for widget in tab.findChildren(QWidget):
                widget.setFont(font)
        add_export_menus(tab, self, self.show_status)
        self.key_guard.guard(tab)

    @property
    def lessons(self) -> LessonPanel:
        """The lesson panel, built (hidden) the first time a lesson is opened or it is asked for."""
        if self._lessons is None:
            from lossdesk.qt.lessons.panel import LessonPanel  # noqa: PLC0415 — its text loads with it

            self._lessons = LessonPanel(self)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self._lessons)
            self._lessons.hide()
            self._dress(self._lessons)
        return self._lessons

    def is_built(self, name: str) -> bool:
        return name in self._built

    @property
    def explorer(self):
        return self.tab("regression")

    @property
    def compare(self):
        return self.tab("compare")

    @property
    def classification(self):
        return self.tab("classification")

    @property
    def descent_lab(self):
        return self.tab("descent")

    @property
    def network(self):
        return self.tab("network")

    @property
    def all_tabs(self) -> tuple:
        """All four tabs (building those not shown yet); the window itself uses ``built_tabs``."""
        return tuple(self.tab(name) for name in TAB_ORDER)

    @property
    def built_tabs(self) -> tuple:
        return tuple(self._built[name] for name in TAB_ORDER if name in self._built)

    def current_tab_name(self) -> str:
        return TAB_ORDER[max(self.tabs.currentIndex(), 0)]

    # ------------------------------------------------------------------ settings in and out
    def current_settings(self) -> AppSettings:
        """Every choice on every tab, as one value (what a session saves)."""
        tab = self.current_tab_name() if hasattr(self, "tabs") else "regression"
        panel = getattr(self, "_lessons", None)
        lesson = panel.step_index if panel is not None and panel.isVisible() else None
        return AppSettings(tab, self.reg_store.value, self.lab_store.value, self.cls_store.value,
                           self.descent_store.value, lesson, network=self.net_store.value)

    def apply_settings(self, app: AppSettings, undo_text: str | None = None) -> None:
        """Show ``app`` (a whole, validated value) on every tab in one go.

        With ``undo_text`` the data changes become one undo step per data set (a lesson
        step); without, the undo history starts afresh (a session, recovery).
        """
        for tab in self.built_tabs:  # a tab not built yet runs nothing
            tab.descent.set_playing(False)
        if undo_text is None:
            self.reg_store.set(app.regression)
            self.cls_store.set(app.classification)
            self.net_store.set(app.network)
            self.reg_history.clear()
            self.cls_history.clear()
            self.net_history.clear()
        else:
            self.reg_history.apply(app.regression, undo_text)
            self.cls_history.apply(app.classification, undo_text)
            self.net_history.apply(app.network, undo_text)
        self.lab_store.set(app.outlier_lab)
        self.descent_store.set(app.descent_lab)
        for marks, n in ((self.reg_marks, app.regression.data.n), (self.cls_marks, app.classification.data.n),
                         (self.net_marks, app.network.data.n)):
            marks.forget_beyond(n)
        self.set_tab(app.tab)
        self._show_lesson(app.lesson)
        self.fit_views()  # new points may lie anywhere: every view frames them
        self._update_title()

    def _show_lesson(self, step: int | None) -> None:
        """The lesson panel open at ``step`` (its set-up already in the settings), or closed."""
        if step is None:
            if self._lessons is not None:
                self._lessons.hide()
        elif not self.lessons.isVisible() or self.lessons.step_index != step:
            self.lessons.show_step(step, apply=False)

    @staticmethod
    def _work(app: AppSettings) -> AppSettings:
        """The part of the settings that counts as work to save (not the tab in front or the lesson)."""
        return replace(app, tab="regression", lesson=None)

    def has_unsaved_changes(self) -> bool:
        return self._work(self.current_settings()) != self._saved

    def mark_saved(self) -> None:
        self._saved = self._work(self.current_settings())
        for history in (self.reg_history, self.cls_history, self.net_history):
            history.undo_stack.setClean()
        self._update_title()

    def run_steps(self, steps: int, progress=None) -> int:
        """The tab in front runs up to ``steps`` descent steps (the command line's --steps).

        The run stops early once it converges or diverges. ``progress(done, steps)`` is
        called between chunks once the run has taken longer than a second. Returns the
        steps taken.
        """
        tab = self.tab(self.current_tab_name())
        done, started, chunk = 0, time.monotonic(), RUN_CHUNK
        while done < steps:
            k = min(chunk, steps - done)
            status = tab.run_steps(k)
            done += k
            if status != "running":
                break
            if progress is not None and time.monotonic() - started > 1.0:
                progress(done, steps)
        return done

    # ------------------------------------------------------------------ menus
    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip or text)
        action.setToolTip(tip or text)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "Open &session…", self.open_session, "Ctrl+Shift+O",
                     "Open a saved lossdesk session: data sets and every setting")
        self.recent_menu = file.addMenu("Open &recent")
        self._action(file, "Save s&ession", self.save_session, "Ctrl+Shift+S",
                     "Save data sets and every setting to a .lossdesk file")
        self._action(file, "Save session &as…", lambda: self.save_session(ask=True))
        file.addSeparator()
        self._action(file, "&Open CSV…", self.open_csv, QKeySequence.StandardKey.Open,
                     "Open a CSV data set: x,y for regression; x,label or x1,x2,label for classification")
        self._action(file, "&Save CSV…", self.save_csv, QKeySequence.StandardKey.Save,
                     "Save the points to a CSV file")
        file.addSeparator()
        self._action(file, "Export &view…", lambda: export_view_dialog(
            self, visible_panels(self.tab(self.current_tab_name())), self.show_status),
            tip="Save one view as a PNG or SVG picture (or right-click a view's title)")
        self._action(file, "Export &window…", lambda: export_window_dialog(self, self.show_status), "Ctrl+P",
                     "Save the whole window as a PNG or SVG picture")
        self._action(file, "Export descent as &GIF…", self.export_gif,
                     tip="Record gradient descent in the regression explorer as an animated GIF")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for a in (self.undo_action, self.redo_action):
            edit.addAction(a)
            self.addAction(a)
        edit.addSeparator()
        self.add_mode_action = self._action(edit, "&Add points mode", self._toggle_add_mode, "A",
                                            "While on, every click on empty space in the data view adds a point",
                                            checkable=True)
        self._action(edit, "&Delete selected point", lambda: self.current_data_tab().remove_selected(),
                     QKeySequence.StandardKey.Delete)

        view = bar.addMenu("&View")
        self._action(view, "&Regression explorer", lambda: self.set_tab("regression"), "Ctrl+Shift+1")
        self._action(view, "&Outlier lab", lambda: self.set_tab("compare"), "Ctrl+Shift+2")
        self._action(view, "&Classification", lambda: self.set_tab("classification"), "Ctrl+Shift+3")
        self._action(view, "&Descent lab", lambda: self.set_tab("descent"), "Ctrl+Shift+4")
        self._action(view, "&Network", lambda: self.set_tab("network"), "Ctrl+Shift+5")
        self._action(view, "&Fit views to data", self.fit_views, "F",
                     "Zoom the data view and the loss surface to the data")
        view.addSeparator()
        self._action(view, "&Larger text", lambda: self.set_font_scale(self.font_scale * 1.15),
                     QKeySequence.StandardKey.ZoomIn)
        self.addAction(self._shortcut_only("Ctrl+=", lambda: self.set_font_scale(self.font_scale * 1.15)))
        self._action(view, "&Smaller text", lambda: self.set_font_scale(self.font_scale / 1.15),
                     QKeySequence.StandardKey.ZoomOut)
        self._action(view, "&Normal text size", lambda: self.set_font_scale(1.0), "Ctrl+0")
        self.dark_action = self._action(view, "&Dark theme", self.set_dark, "Ctrl+T",
                                        "Switch between light and dark colours", checkable=True)
        self._action(view, "&Full screen", self.toggle_full_screen, "F11")
        loss_menu = view.addMenu("&Loss")
        for i, name in enumerate(REGRESSION_LOSSES):
            self._action(loss_menu, f"{LOSSES[name].title} / {LOSSES[CLASSIFICATION_SHORTCUT_LOSSES[i]].title}",
                         lambda _=False, k=i: self.choose_loss(k), f"Ctrl+{i + 1}",
                         f"Choose loss {i + 1} of the tab in front")

        run = bar.addMenu("&Run")
        self._action(run, "&Play / Pause", lambda: self.current_descent().toggle_play(), "Space",
                     "Start or pause gradient descent")
        self._action(run, "&Step", lambda: self.current_descent().step_once(), "Right", "Take one descent step")
        self._action(run, "&Reset", lambda: self.current_descent().reset(), "R", "Back to the start")
        self._action(run, "Jump to &best line", self.jump_to_best, "B")

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Lessons", lambda: self.lessons.show_step(self.lessons.step_index), "Ctrl+L",
                     "A guided walk through loss functions, one step at a time")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1")
        self._action(help_menu, "&About lossdesk", self.show_about)

    def _shortcut_only(self, keys: str, slot) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        return action

    def current_descent(self):
        """What Play, Step and Reset drive: the tab in front's descent, if it has one."""
        return self.tab(self.current_tab_name()).descent

    def set_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TAB_NAMES[name])

    def choose_loss(self, k: int) -> None:
        """Ctrl+1 … Ctrl+5: the k-th loss of the tab in front (classification has its own five)."""
        if self.current_tab_name() == "classification":
            self.cls_store.set(self.cls_store.value.with_loss(CLASSIFICATION_SHORTCUT_LOSSES[k]))
        elif self.current_tab_name() == "network":
            self.network.choose_loss(k)
        else:
            self.reg_store.update(loss=REGRESSION_LOSSES[k])
        self.show_status(f"Loss: {LOSSES[self.current_loss()].title}.", "info")

    def current_loss(self) -> str:
        if self.current_tab_name() == "classification":
            return self.cls_store.value.loss
        if self.current_tab_name() == "network":
            return self.net_store.value.loss
        return self.reg_store.value.loss

    def jump_to_best(self) -> None:
        if self.current_tab_name() == "regression":
            self.explorer.jump_to_best()
        else:
            self.show_status("Jump to the best line works in the Regression explorer.", "info")

    def current_data_tab(self):
        """The tab whose data set the File and Edit menus act on."""
        if self._networking():
            return self.network
        return self.classification if self._classifying() else self.explorer

    def _networking(self) -> bool:
        """The File and Edit menus act on the network tab's own data."""
        return self.current_tab_name() == "network"

    def _classifying(self) -> bool:
        """The File and Edit menus act on the classification data (else on the regression data)."""
        return self.current_tab_name() == "classification"

    def current_history(self) -> DataHistory:
        if self._networking():
            return self.net_history
        return self.cls_history if self._classifying() else self.reg_history

    def _tab_changed(self, _index: int) -> None:
        if self._swapping:
            return
        current = self.tab(self.current_tab_name())  # built the first time it is shown
        for tab in self.built_tabs:
            tab.set_active(tab is current)
        self.undo_group.setActiveStack(self.current_history().undo_stack)
        self._update_title()

    # ------------------------------------------------------------------ files
    def open_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open data set", "", "CSV files (*.csv);;All files (*)")
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        try:
            data = read_csv(path)
        except DatasetError as exc:
            self.show_error("Could not open the data set", f"{path.name}: {exc}\n\nYour current points are unchanged.")
            return False
        if self._networking():  # the network takes x,y points and labelled points alike
            self.network.load_data(data, f"Open {path.name}")
        elif data.task == "regression":
            if self._classifying():
                self.set_tab("regression")
            self.explorer.load_data(data, f"Open {path.name}")  # type: ignore[arg-type]
        else:
            problem = self.classification.data_problem(data)
            if problem is not None:
                self.show_error("Labels outside 0 and 1", f"{path.name}: {problem} Then open the file again."
                                "\n\nYour current points are unchanged.")
                return False
            self.set_tab("classification")
            self.classification.load_data(data, f"Open {path.name}")  # type: ignore[arg-type]
        self.fit_views()  # every tab that shows these points frames them
        self.show_status(f"Opened {path.name}: {data.n} points.", "info")
        return True

    def save_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save data set", f"{self.current_data().name}.csv",
                                              "CSV files (*.csv)")
        if path:
            self.save_path(Path(path))

    def current_data(self):
        if self._networking():
            return self.net_store.value.data
        return (self.cls_store if self._classifying() else self.reg_store).value.data

    def save_path(self, path: Path) -> bool:
        data = self.current_data()
        try:
            write_csv(data, path)
        except OSError as exc:
            self.show_error("Could not save", f"{path}: {exc.strerror or exc}")
            return False
        self.show_status(f"Saved {data.n} points to {path.name}.", "info")
        return True

    def export_gif(self) -> None:
        self.set_tab("regression")
        export_descent_gif_dialog(self.explorer, self, self.show_status)

    def show_status(self, text: str, level: str = "info") -> None:
        self.statusBar().showMessage(text, STATUS_MS.get(level, 4000))

    def show_error(self, title: str, text: str) -> None:
        self.show_status(text.splitlines()[0], "error")
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file's text is shown as text, never as HTML
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self._last_box = box

    def fit_views(self) -> None:
        """Frame the data in every tab's views (a hidden tab does it when next shown, a tab
        not built yet frames the data when it is built)."""
        for tab in self.built_tabs:
            tab.refit_views()

    def _toggle_add_mode(self, on: bool) -> None:  # noqa: FBT001
        self.explorer.add_mode = bool(on)
        self.show_status("Add points mode: click empty space in the data view to add a point." if on
                         else "Add points mode off.", "info")

    def _update_title(self, *_args) -> None:
        title = "lossdesk" if self.session_path is None else f"lossdesk — {self.session_path.name}"
        if hasattr(self, "_saved") and self.has_unsaved_changes():
            title += " (unsaved changes)"
        if title != self.windowTitle():
            self.setWindowTitle(title)

    def show_shortcuts(self) -> None:
        rows = [
            ("Space", "play / pause descent"), ("Right", "one descent step"), ("R", "reset the descent"),
            ("B", "jump to the best line"), ("A", "add-points mode"), ("Delete", "delete the selected point"),
            ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo any data edit"), ("Ctrl+O / Ctrl+S", "open / save CSV"),
            ("Ctrl+1 … Ctrl+5", "choose the loss of the tab in front"), ("F", "fit the views to the data"),
            ("Ctrl+P", "export the window as PNG or SVG"), ("Right-click a view's title", "save that view"), ("Double-click", "add a point in the data view"),
            ("Ctrl+Shift+O / Ctrl+Shift+S", "open / save a session"), ("Ctrl+L", "lessons (Page Up / Page Down)"),
            ("Ctrl++ / Ctrl+− / Ctrl+0", "larger / smaller / normal text"), ("Ctrl+T", "dark theme"),
            ("F11", "full screen"), ("Ctrl+Shift+1 … 5", "switch tab"),
        ]
        html = "<table>" + "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows) + "</table>"
        box = QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts", html, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._last_box = box

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "About lossdesk",
                          f"<b>lossdesk {__version__}</b><p>See what a loss function does to a model: "
                          "every point's error, the cost, its surface and gradient descent, live.</p>",
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._last_box = box

    # ------------------------------------------------------------------ sessions
    def capture_session(self) -> Session:
        return Session(self.current_settings())

    def open_session(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open session", "", SESSION_FILTER + ";;All files (*)")
        if path:
            self.open_session_path(Path(path))

    def open_session_path(self, path: Path) -> bool:
        """Open a saved session: refused whole (with a message) or applied whole."""
        try:
            session = Session.load(path)
        except SessionError as exc:
            self.show_error("Could not open the session", f"{path.name}: {exc}\n\nNothing has changed.")
            return False
        self.apply_settings(session.settings)
        self.session_path = path
        self.mark_saved()
        self.remember_recent(path)
        self.show_status(f"Opened session {path.name}.", "info")
        return True

    def save_session(self, ask: bool = False) -> bool:
        path = self.session_path
        if path is None or ask:
            name, _ = QFileDialog.getSaveFileName(self, "Save session", f"lesson{SUFFIX}", SESSION_FILTER)
            if not name:
                return False
            path = Path(name if name.endswith(SUFFIX) else name + SUFFIX)
        return self.save_session_path(path)

    def save_session_path(self, path: Path) -> bool:
        try:
            self.capture_session().save(path)
        except OSError as exc:
            self.show_error("Could not save the session", f"{path}: {exc.strerror or exc}")
            return False
        self.session_path = path
        self.mark_saved()
        self.recovery.discard()
        self.remember_recent(path)
        self.show_status(f"Saved the session to {path.name}.", "info")
        return True

    def remember_recent(self, path: Path) -> None:
        recent = [p for p in self.recent_files() if p != str(path)]
        recent.insert(0, str(path))
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self._fill_recent_menu()

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for name in files:
            action = self.recent_menu.addAction(Path(name).name)
            action.setToolTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_session_path(Path(n)))
        self.recent_menu.setEnabled(bool(files))

    def offer_recovery(self) -> bool:
        """After a crash: offer the autosaved work back. True if it was restored.

        A recovery file that cannot be used is set aside (kept for the user) with a
        one-line message and never offered again.
        """
        found = self.recovery.pending()
        if found is None:
            return False
        path, session, problem = found
        if problem is not None:
            self._set_aside(path, problem)
            return False
        answer = QMessageBox.question(
            self, "Recover unsaved work?",
            "lossdesk did not close properly last time. Your unsaved work was saved automatically; "
            "restore it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.recovery.discard(path)
            return False
        try:
            self.apply_settings(session.settings)
        except Exception as exc:  # noqa: BLE001 — never a crash at every start
            self._set_aside(path, f"{type(exc).__name__}: {exc}")
            return False
        self.recovery.discard(path)
        self.show_status("Restored your unsaved work from the last run.", "info")
        self._update_title()
        return True

    def _set_aside(self, path: Path, problem: str) -> None:
        kept = self.recovery.set_aside(path)
        where = f"it is kept as {kept.name}" if kept is not None else "it could not be kept and was removed"
        self.show_status(f"The work saved before a crash could not be restored ({shorten(problem, 120)}); "
                         f"{where}.", "warning")

    # ------------------------------------------------------------------ presenting
    def set_font_scale(self, scale: float, remember: bool = True) -> None:
        """Scale all text; the window keeps its size (the layouts make room inside it)."""
        size = self.size()
        self.font_scale = theme.apply_font_scale(self, self.base_font_size, scale)
        if self.isVisible():
            self.resize(size)
        if remember:
            self.settings.setValue("font_scale", self.font_scale)

    def set_dark(self, dark: bool, remember: bool = True) -> None:
        self.dark = bool(dark)
        self.dark_action.setChecked(self.dark)
        theme.apply_theme(self, self.dark)
        if remember:
            self.settings.setValue("dark", self.dark)

    def fit_screen(self) -> None:
        """Open at the last size if it still fits, else at most of the screen, centred on it."""
        screen = self.screen().availableGeometry()
        if self._restored_geometry and screen.contains(self.frameGeometry()):
            return
        w = max(min(int(screen.width() * 0.9), 1920), min(MIN_SIZE[0], screen.width()))
        h = max(min(int(screen.height() * 0.9), 1200), min(MIN_SIZE[1], screen.height()))
        w, h = min(w, screen.width()), min(h, screen.height())
        self.resize(w, h)
        self.move(screen.x() + (screen.width() - w) // 2, screen.y() + (screen.height() - h) // 2)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def restore_preferences(self) -> None:
        self._fill_recent_menu()
        geometry = self.settings.value("geometry")
        self._restored_geometry = geometry is not None and bool(self.restoreGeometry(geometry))
        try:
            scale = float(self.settings.value("font_scale", 1.0) or 1.0)
        except (TypeError, ValueError):  # a damaged preferences file
            scale = 1.0
        # Always applied: the look is shared by every window of this process.
        self.set_font_scale(scale if np.isfinite(scale) else 1.0, remember=False)
        self.set_dark(str(self.settings.value("dark", "false")).lower() == "true", remember=False)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.confirm_close and self.has_unsaved_changes():
            answer = QMessageBox.question(
                self, "Unsaved changes",
                "Your work has changed since it was last saved. Save the session before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and not self.save_session()
            ):
                event.ignore()
                return
        self.settings.setValue("geometry", self.saveGeometry())
        self.autosaver.timer.stop()
        self.recovery.discard()  # a clean exit leaves nothing to recover
        event.accept()
