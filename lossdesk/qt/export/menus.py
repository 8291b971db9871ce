"""Export in the window: the File menu's dialogs and the right-click menu on a view's title.

Each dialog asks where (and what) to save, saves through ``pictures`` or ``gif``, and
reports how it went: "Saved …" on the status line, or the reason in a message box.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from lossdesk.qt.export.files import GIF_SUFFIX, ExportError
from lossdesk.qt.export.gif import Explorer, export_descent_gif
from lossdesk.qt.export.pictures import export_view, export_window, panel_name
from lossdesk.qt.views.panel import ViewPanel

DEFAULT_GIF_STEPS = 100
MENU_HINT = "Right-click to save this view as PNG or SVG (with its title and numbers)."

PNG_FILTER = "PNG image (*.png)"
PNG_2X_FILTER = "PNG image at 2× size, for slides (*.png)"
SVG_FILTER = "SVG drawing (*.svg)"


def _chosen(path: str, chosen: str) -> tuple[str, float]:
    """The format (".png", ".svg") and the size (1 or 2) a save dialog's answer asks for."""
    if Path(path).suffix.lower() == ".svg" or (not Path(path).suffix and "svg" in chosen.lower()):
        return ".svg", 1.0
    return ".png", (2.0 if "2×" in chosen else 1.0)

Status = Callable[[str, str], None]  # (message, level), like MainWindow.show_status


def _report(parent_widget: QWidget, status: Status | None, error: ExportError) -> QMessageBox:
    if status is not None:
        status(str(error), "error")
    box = QMessageBox(QMessageBox.Icon.Warning, "Could not save", str(error),
                      QMessageBox.StandardButton.Ok, parent_widget)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _with_suffix(path: str | os.PathLike, suffix: str) -> Path:
    """A name typed without an ending gets the chosen format's."""
    path = Path(path)
    return path if path.suffix else path.with_name(path.name + suffix)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "view"


def ask_save_path(parent_widget: QWidget | None, caption: str, suggested: str, filters: str) -> tuple[str, str]:
    """The save-file dialog (the one blocking call; tests replace it)."""
    return QFileDialog.getSaveFileName(parent_widget, caption, suggested, filters)


def _save_and_report(export, target: QWidget, what: str, path: str | os.PathLike, parent_widget: QWidget,
                     status: Status | None, suffix: str, scale: float = 1.0) -> bool:
    """Save with ``export``, then report how it went (a message box on failure)."""
    try:
        written = _with_suffix(path, suffix)
        if written.suffix.lower() == ".svg":
            scale = 1.0  # a drawing has no pixels to double
        written = export(target, written, scale) if scale != 1.0 else export(target, written)
    except ExportError as exc:
        _report(parent_widget, status, exc)
        return False
    if status is not None:
        size = " at 2× size" if scale == 2.0 else (f" at {scale:g}× size" if scale != 1.0 else "")
        status(f"Saved {what}{size} to {written.name}.", "info")
    return True


def save_view_to(panel: QWidget, path: str | os.PathLike, parent_widget: QWidget,
                 status: Status | None = None, suffix: str = ".png", scale: float = 1.0) -> bool:
    """What the menu does once it has a file name: save, then report how it went."""
    return _save_and_report(export_view, panel, panel_name(panel), path, parent_widget, status, suffix, scale)


def _filters(first: str) -> str:
    return ";;".join([first] + [f for f in (PNG_FILTER, PNG_2X_FILTER, SVG_FILTER) if f != first])


def save_view_dialog(panel: QWidget, parent_widget: QWidget, suffix: str = ".png",
                     status: Status | None = None, scale: float = 1.0) -> bool:
    """Ask where to save one view (as PNG, PNG at 2× size or SVG) and save it there."""
    first = SVG_FILTER if suffix == ".svg" else (PNG_2X_FILTER if scale == 2.0 else PNG_FILTER)
    suggested = _slug(panel_name(panel)) + ("_2x" if first == PNG_2X_FILTER else "") + suffix
    path, chosen = ask_save_path(parent_widget, f"Save {panel_name(panel)}", suggested, _filters(first))
    if not path:
        return False
    suffix, scale = _chosen(path, chosen)
    return save_view_to(panel, path, parent_widget, status, suffix, scale)


#: the entries of a view's right-click menu: (label, ending, size)
MENU_ENTRIES = (
    ("Save this view as PNG…", ".png", 1.0),
    ("Save this view as PNG at 2× size (for slides)…", ".png", 2.0),
    ("Save this view as SVG…", ".svg", 1.0),
)


def export_menu(panel: ViewPanel, parent_widget: QWidget, status: Status | None = None) -> QMenu:
    """The panel's "Save this view" menu (not shown)."""
    menu = QMenu(parent_widget)
    for label, suffix, scale in MENU_ENTRIES:
        action = QAction(label, menu)
        size = " at twice its size on screen" if scale == 2.0 else ""
        action.setStatusTip(f"Save {panel_name(panel)}, with its title and numbers, as a "
                            f"{suffix[1:].upper()} file{size}")
        action.triggered.connect(
            lambda _=False, s=suffix, k=scale: save_view_dialog(panel, parent_widget, s, status, k))
        menu.addAction(action)
    return menu


def add_export_menu(panel: ViewPanel, parent_widget: QWidget, status: Status | None = None) -> QMenu:
    """Right-clicking the panel's title row offers to save the view as PNG or SVG.

    The plot itself keeps its own right-click (points have menus there). ``status``,
    if given, hears "Saved …" and error messages, like MainWindow.show_status.
    """
    menu = getattr(panel, "_export_menu", None)
    if menu is not None:  # already has one: a second would pop up on top of it
        return menu
    menu = export_menu(panel, parent_widget, status)
    panel._export_menu = menu
    panel.headerMenuRequested.connect(menu.popup)
    tip = panel.title.toolTip()
    if MENU_HINT not in tip:
        panel.title.setToolTip(f"{tip}\n\n{MENU_HINT}" if tip else MENU_HINT)
    return menu


def add_export_menus(root: QWidget, parent_widget: QWidget, status: Status | None = None) -> int:
    """``add_export_menu`` for every ViewPanel inside ``root``; returns how many."""
    panels = root.findChildren(ViewPanel)
    for panel in panels:
        add_export_menu(panel, parent_widget, status)
    return len(panels)


def visible_panels(root: QWidget) -> list[ViewPanel]:
    """The ViewPanels on screen now (those of the tab in front)."""
    return [p for p in root.findChildren(ViewPanel) if p.isVisible()]


def export_view_dialog(parent_widget: QWidget, panels: list[ViewPanel], status: Status | None = None) -> bool:
    """File ▸ Export view…: pick one of ``panels`` (if more than one), then where to save it."""
    if not panels:
        _report(parent_widget, status, ExportError("There is no view on screen to save."))
        return False
    panel = panels[0]
    if len(panels) > 1:
        names = [panel_name(p) for p in panels]
        name, ok = QInputDialog.getItem(parent_widget, "Export view", "Which view?", names, 0, False)
        if not ok:
            return False
        panel = panels[names.index(name)]
    return save_view_dialog(panel, parent_widget, ".png", status)


def save_window_to(window: QWidget, path: str | os.PathLike, status: Status | None = None,
                   suffix: str = ".png", scale: float = 1.0) -> bool:
    """What File ▸ Export window… does once it has a file name: save, then report how it went."""
    return _save_and_report(export_window, window, "the window", path, window, status, suffix, scale)


def export_window_dialog(window: QWidget, status: Status | None = None) -> bool:
    """File ▸ Export window…: ask where, then save the whole window as PNG (1× or 2×) or SVG."""
    path, chosen = ask_save_path(window, "Save the window", "lossdesk.png", _filters(PNG_FILTER))
    if not path:
        return False
    suffix, scale = _chosen(path, chosen)
    return save_window_to(window, path, status, suffix, scale)


def save_descent_gif_to(explorer: Explorer, path: str | os.PathLike, steps: int, parent_widget: QWidget,
                        status: Status | None = None) -> bool:
    """Record ``steps`` descent steps into a GIF at ``path``, then report how it went."""
    path = _with_suffix(path, GIF_SUFFIX)
    try:
        count = export_descent_gif(explorer, path, steps)
    except ExportError as exc:
        _report(parent_widget, status, exc)
        return False
    if status is not None:
        status(f"Saved the descent ({count} pictures) to {path.name}.", "info")
    return True


def export_descent_gif_dialog(explorer: Explorer, parent_widget: QWidget, status: Status | None = None) -> bool:
    """File ▸ Export descent as GIF…: ask how many steps and where, then record."""
    steps, ok = QInputDialog.getInt(parent_widget, "Export descent as GIF",
                                    "Descent steps to record (from where the line is now):",
                                    DEFAULT_GIF_STEPS, 1, 100_000, 10)
    if not ok:
        return False
    path, _ = ask_save_path(parent_widget, "Save the descent as GIF", "descent.gif", "GIF animation (*.gif)")
    if not path:
        return False
    return save_descent_gif_to(explorer, path, steps, parent_widget, status)
