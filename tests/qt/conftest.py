"""Fixtures for the Qt tests: the real main window, built as the command line builds it."""

from __future__ import annotations

import pytest

from lossdesk.cli import parse_options
from lossdesk.qt.app import build_window
from lossdesk.qt.style import configure_pyqtgraph


@pytest.fixture
def window(qtbot):
    configure_pyqtgraph()
    win = build_window(parse_options([]))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(100)  # let the layout settle before aiming the mouse
    return win


@pytest.fixture
def explorer(window):
    return window.explorer
