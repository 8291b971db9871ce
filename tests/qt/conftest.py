"""Fixtures for the Qt tests: the real main window, built as the command line builds it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from lossdesk.cli import parse_options
from lossdesk.qt.app import build_window
from lossdesk.qt.theme import configure_pyqtgraph


@pytest.fixture(scope="session", autouse=True)
def private_settings(qapp, tmp_path_factory):
    """Keep preferences, recent files and recovery files out of the user's own folders."""
    qapp.setApplicationName("lossdesk")
    qapp.setOrganizationName("lossdesk")
    folder = str(tmp_path_factory.mktemp("settings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    return folder


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
