"""Issue 13, start-up: only the tab in front is built; the others are built when first shown.

The settings stores exist from the start and hold every choice, so a session, a lesson
step or a loss picked before a tab is built shows in it exactly as it would in a tab built
at start. The keyboard guard sits on tables and menu boxes, not on the whole application,
and the entry points keep numpy's BLAS to one thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from lossdesk.cli import BLAS_THREAD_VARIABLES, parse_options
from lossdesk.qt.lessons.panel import LessonPanel
from lossdesk.qt.main_window import TAB_NAMES, TAB_ORDER, TAB_TITLES
from qt_helpers import fresh_window

LATER = ("compare", "classification", "descent")


def plots_on_page(window, name: str) -> list:
    """The plot widgets on tab ``name``'s page, looked at without building it."""
    return window.tabs.widget(TAB_NAMES[name]).findChildren(pg.PlotWidget)


start = fresh_window  # the shared builder: a shown, active window


def test_only_the_tab_in_front_is_built_at_start(window):
    assert window.is_built("regression")
    for name in LATER:
        assert not window.is_built(name), name
        assert plots_on_page(window, name) == [], name
    # every plot in the window is the explorer's; the lesson panel waits for a lesson too
    assert set(window.findChildren(pg.PlotWidget)) == set(window.explorer.findChildren(pg.PlotWidget))
    assert window.findChildren(LessonPanel) == []
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [TAB_TITLES[n][0] for n in TAB_ORDER]


def test_a_session_starting_on_another_tab_builds_only_that_one(qtbot):
    win = start(qtbot, ["--tab", "descent"])
    assert win.is_built("descent") and win.tabs.currentWidget() is win.descent_lab
    assert not win.is_built("regression") and not win.is_built("classification")
    assert plots_on_page(win, "regression") == []


def test_showing_a_tab_builds_it_in_its_place(qtbot, window):
    window.set_tab("classification")
    assert window.is_built("classification")
    index = TAB_NAMES["classification"]
    assert window.tabs.currentIndex() == index
    assert window.tabs.currentWidget() is window.classification
    assert window.tabs.tabText(index) == TAB_TITLES["classification"][0]
    assert window.tabs.tabToolTip(index) == TAB_TITLES["classification"][1]
    assert window.classification.findChildren(pg.PlotWidget)
    assert window.classification.active and not window.explorer.active
    assert not window.is_built("compare") and not window.is_built("descent")
    # shown once, built once: back and forth keeps the same widget
    tab = window.classification
    window.set_tab("regression")
    window.set_tab("classification")
    assert window.classification is tab and window.tabs.currentWidget() is tab


def test_asking_for_a_tab_builds_it_behind_the_one_in_front(qtbot, window):
    compare = window.compare  # as a lesson formula, a menu or a test reaches it
    assert window.is_built("compare") and window.tabs.widget(TAB_NAMES["compare"]) is compare
    assert window.tabs.currentIndex() == TAB_NAMES["regression"]
    assert not compare.active and window.explorer.active
    assert compare.findChildren(pg.PlotWidget)


def test_building_a_tab_leaves_the_window_active_and_its_shortcuts_working(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.set_tab("classification")
    qtbot.wait(50)
    assert window.isActiveWindow()
    loss = window.cls_store.value.loss
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.cls_store.value.loss != loss and window.reg_store.value.loss == "mse"


def test_a_session_applied_before_a_tab_is_built_shows_when_it_is_built(qtbot, window):
    app = parse_options(["--preset", "three_classes", "--loss", "cce"]).settings
    window.apply_settings(replace(app, tab="regression"))
    assert not window.is_built("classification")
    window.set_tab("classification")
    cl = window.classification
    assert cl.loss.currentData() == "cce"
    assert cl.preset.currentData() == "three_classes"
    # the same as a window that showed these settings from the start
    other = start(qtbot, ["--preset", "three_classes", "--loss", "cce"])
    mine, theirs = cl.results(), other.classification.results()
    assert mine.loss == theirs.loss == "cce"
    np.testing.assert_array_equal(mine.theta, theirs.theta)
    assert mine.data.n == theirs.data.n
    assert mine.snapshot.cost == pytest.approx(theirs.snapshot.cost)
    # and the new points are in view (the fit a built tab would have had)
    (x0, x1), (y0, y1) = cl.data_view.widget.getPlotItem().vb.viewRange()
    x, y = mine.data.column("x1"), mine.data.column("x2")
    assert x0 <= x.min() and x.max() <= x1
    assert y0 <= y.min() and y.max() <= y1


def test_a_lesson_step_on_a_tab_not_built_yet_sets_it_up(qtbot, window):
    assert not window.is_built("classification")
    window.lessons.show_step(8)  # categorical cross-entropy on three classes
    assert window.is_built("classification") and window.tabs.currentWidget() is window.classification
    cl = window.classification
    assert cl.loss.currentData() == "cce" and cl.preset.currentData() == "three_classes"
    assert "cannot be shown" not in window.lessons.formula.text()
    assert window.current_settings().lesson == 8


def test_a_loss_chosen_before_the_tab_is_built_is_shown(qtbot, window):
    window.reg_store.update(loss="huber")
    window.set_tab("compare")  # the outlier lab follows the regression data and loss
    assert window.compare.results() is not None
    window.set_tab("descent")
    assert window.descent_lab.results() is not None
    assert window.current_settings().regression.loss == "huber"


def test_larger_text_reaches_a_tab_built_later(qtbot, window):
    window.set_font_scale(1.5, remember=False)
    size = QApplication.instance().font().pointSizeF()
    window.set_tab("compare")
    labels = window.compare.findChildren(QLabel)
    assert labels and all(w.font().pointSizeF() == pytest.approx(size) for w in labels)


def space_claimed(widget) -> bool:
    """Whether ``widget`` claims a plain Space before the shortcuts see it."""
    event = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ")
    event.ignore()
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_the_key_guard_is_not_an_application_wide_filter(qtbot, window):
    assert space_claimed(window.explorer.editor.table)  # the tables and menu boxes of the window
    assert space_claimed(window.explorer.findChildren(QComboBox)[0])
    stray = QComboBox()  # a menu box the window never saw: no filter of the window's on it
    qtbot.addWidget(stray)
    assert not space_claimed(stray)


def test_a_table_on_a_tab_built_later_keeps_its_arrow_keys(qtbot, window):
    window.set_tab("classification")
    cl = window.classification
    cl.side.setCurrentWidget(cl.editor)
    table = cl.editor.table
    table.setFocus()
    table.setCurrentIndex(cl.editor.model.index(0, 0))
    theta = window.cls_store.value.theta
    qtbot.keyClick(table, Qt.Key.Key_Right)
    assert table.currentIndex().column() == 1
    assert cl.run is None and np.array_equal(window.cls_store.value.theta, theta)


PROBE = textwrap.dedent("""
    import importlib.abc, os, sys

    seen = {}

    class Watch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "numpy" and "numpy" not in seen:
                seen["numpy"] = {k: os.environ.get(k) for k in %r}
            return None

    sys.meta_path.insert(0, Watch())
    how = sys.argv.pop(1)
    sys.argv[1:] = ["--list-losses"]
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        if how == "module":
            import runpy
            try:
                runpy.run_module("lossdesk", run_name="__main__", alter_sys=True)
            except SystemExit:
                pass
        else:  # what the installed ``lossdesk`` script does
            from lossdesk.cli import main
            main()
    print(repr(seen["numpy"]))
""") % (BLAS_THREAD_VARIABLES,)


def _numpy_sees(how: str, extra_env: dict[str, str] | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREAD_VARIABLES}
    env.update(extra_env or {})
    done = subprocess.run([sys.executable, "-c", PROBE, how], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 — our own repr of a dict


@pytest.mark.parametrize("how", ["module", "script"])
def test_the_entry_points_limit_blas_to_one_thread_before_numpy_loads(how):
    assert _numpy_sees(how) == {name: "1" for name in BLAS_THREAD_VARIABLES}


def test_a_thread_count_the_user_chose_is_kept():
    seen = _numpy_sees("module", {"OPENBLAS_NUM_THREADS": "2"})
    assert seen["OPENBLAS_NUM_THREADS"] == "2" and seen["OMP_NUM_THREADS"] == "1"
