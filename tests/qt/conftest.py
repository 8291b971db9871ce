"""Fixtures for the Qt tests: the real main window, built as the command line builds it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from lossdesk.cli import parse_options
from lossdesk.qt.app import build_window
from lossdesk.qt.theme import configure_pyqtgraph


@pytest.fixture(scope="session", autouse=True)
def private_settings(qapp):
    """Keep preferences, recent files and recovery files out of the user's own folders.

    tests/conftest.py already points HOME and the XDG folders into the run's temporary
    home; on top of that QSettings (user and system scope) get a folder of their own, and
    QStandardPaths runs in test mode (``$HOME/.qttest``, inside that temporary home), so
    recovery and autosave files of two runs side by side never meet.
    """
    qapp.setApplicationName("lossdesk")
    qapp.setOrganizationName("lossdesk")
    QStandardPaths.setTestModeEnabled(True)
    home = Path(os.environ["HOME"])  # the run's temporary home (tests/conftest.py)
    folder, system = str(home / "qsettings" / "user"), str(home / "qsettings" / "system")
    os.makedirs(folder, exist_ok=True)
    os.makedirs(system, exist_ok=True)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, system)
    return folder


@pytest.fixture(autouse=True)
def fresh_preferences():
    """Every test starts with no saved preferences (size, theme, text size, recent files),
    and the shared look back at normal: what one test chose never reaches the next."""
    QSettings("lossdesk", "lossdesk").clear()
    yield
    from lossdesk.qt import theme  # noqa: PLC0415

    if theme.look().dark or theme.look().font_scale != 1.0:
        theme.set_look(dark=False, font_scale=1.0)


@pytest.fixture
def window(qtbot):
    configure_pyqtgraph()
    QSettings("lossdesk", "lossdesk").clear()
    win = build_window(parse_options([]))
    win.confirm_close = False  # no "save changes?" question when the test closes it
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(100)  # let the layout settle before aiming the mouse
    return win


@pytest.fixture
def explorer(window):
    return window.explorer
