"""GUI defects found by a careless user (issue 11) and the monkey: each one, by real events.

Every test drives the real window as a hand would (keys, clicks, double-clicks) and fails on
an uncaught exception (pytest-qt re-raises those from slots and virtual methods).
"""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from qt_helpers import NONE, double_click, open_cell_editor, send_mouse, to_widget

from lossdesk.model import make_preset

RIGHT = Qt.MouseButton.RightButton


def _edit_cell(qtbot, table, row: int, column: int, text: str) -> None:
    editor = open_cell_editor(table, row, column)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(10)


def test_add_point_after_a_cell_holds_the_largest_x_says_why_instead_of_raising(qtbot, window):
    ex = window.explorer
    ex.side.setCurrentWidget(ex.editor)
    qtbot.wait(20)
    _edit_cell(qtbot, ex.editor.table, 0, 0, "1e12")
    assert float(ex.store.value.data.x.max()) == 1e12
    n = ex.store.value.data.n
    qtbot.mouseClick(ex.editor.add_button, Qt.MouseButton.LeftButton)
    assert ex.store.value.data.n == n  # no point beyond ±1e12 was added …
    assert "1e+12" in ex.editor.message.text()  # … and the table says why, in one line
    assert "\n" not in ex.editor.message.text()


def test_add_point_in_the_classification_table_after_a_huge_x_says_why(qtbot, window):
    tab = window.classification
    window.set_tab("classification")
    tab.side.setCurrentWidget(tab.editor)
    qtbot.wait(20)
    _edit_cell(qtbot, tab.editor.table, 0, 0, "1e12")
    n = tab.store.value.data.n
    qtbot.mouseClick(tab.editor.add_button, Qt.MouseButton.LeftButton)
    assert tab.store.value.data.n == n + 1  # the mean of the features is in range: it is added


def _zoom_out(plot_widget, half_width: float) -> None:
    plot_widget.getPlotItem().setRange(xRange=(-half_width, half_width), yRange=(-half_width, half_width),
                                       padding=0)


def test_double_click_in_a_zoomed_out_data_view_refuses_the_point_in_one_line(qtbot, window):
    ex = window.explorer
    widget = ex.data_view.widget
    _zoom_out(widget, 1e14)
    qtbot.wait(20)
    n = ex.store.value.data.n
    double_click(qtbot, widget, 8e13, 8e13)
    assert ex.store.value.data.n == n
    message = window.statusBar().currentMessage()
    assert "1e+12" in message and "\n" not in message


def test_double_click_in_a_zoomed_out_classification_view_refuses_the_point(qtbot, window):
    tab = window.classification
    window.set_tab("classification")
    tab.load_preset("binary_2d")
    qtbot.wait(20)
    widget = tab.data_view.widget
    _zoom_out(widget, 1e14)
    qtbot.wait(20)
    n = tab.store.value.data.n
    double_click(qtbot, widget, 8e13, -8e13)
    assert tab.store.value.data.n == n
    assert "1e+12" in window.statusBar().currentMessage()


def test_double_click_in_a_zoomed_out_outlier_lab_refuses_the_point(qtbot, window):
    window.set_tab("compare")
    lab = window.compare
    qtbot.wait(20)
    widget = lab.fit_view.widget
    _zoom_out(widget, 1e14)
    qtbot.wait(20)
    n = window.reg_store.value.data.n
    double_click(qtbot, widget, 8e13, 8e13)
    assert window.reg_store.value.data.n == n


def test_minus_zero_in_the_classification_spread_box_draws_the_points_without_spread(qtbot, window):
    tab = window.classification
    window.set_tab("classification")
    qtbot.wait(20)
    box = tab.noise.box
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "-0")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    qtbot.wait(10)
    assert tab.store.value.source.noise_level == 0.0
    assert tab.store.value.data == make_preset("binary_1d", 0.0)
    assert "scale" not in window.statusBar().currentMessage()
    assert not tab.banner.isVisible()
    # however a minus zero arrives (a slider's arithmetic, a session), it is zero spread
    assert make_preset("binary_1d", -0.0) == make_preset("binary_1d", 0.0)
    assert make_preset("linear", -0.0) == make_preset("linear", 0.0)


def test_minus_zero_in_the_regression_noise_box_is_zero_noise(qtbot, window):
    ex = window.explorer
    box = ex.controls.noise.box
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "-0")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    qtbot.wait(10)
    assert ex.store.value.source.noise_level == 0.0
    assert not ex.banner.isVisible()


def _close_boxes(qtbot) -> None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible():
            qtbot.keyClick(w, Qt.Key.Key_Escape)
    qtbot.wait(5)
    QApplication.sendPostedEvents(None, 0)  # DeferredDelete
    QApplication.processEvents()


def test_message_boxes_are_deleted_when_closed(qtbot, window, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,useful\n1,2\n")
    makers = [lambda: window.open_path(bad), window.show_about, window.show_shortcuts,
              lambda: window.open_session_path(tmp_path / "missing.lossdesk")]
    for make in makers:  # the first round may build widgets Qt keeps (styles, tooltips)
        make()
        _close_boxes(qtbot)
    gc.collect()
    before = len(QApplication.allWidgets())
    for _ in range(10):
        for make in makers:
            make()
            _close_boxes(qtbot)
    gc.collect()
    assert len(QApplication.allWidgets()) - before <= 5
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def _right_click_point(qtbot, tab, row: int) -> None:
    data = tab.store.value.data
    x = float(data.column(data.column_names[0])[row])
    y = float(data.y[row]) if hasattr(data, "y") else (float(data.x[row, 1]) if data.n_features == 2 else 0.5)
    p = to_widget(tab.data_view.widget, x, y)
    send_mouse(tab.data_view.widget, QEvent.Type.MouseMove, p, NONE, NONE)
    send_mouse(tab.data_view.widget, QEvent.Type.MouseButtonPress, p, RIGHT, RIGHT)
    send_mouse(tab.data_view.widget, QEvent.Type.MouseButtonRelease, p, RIGHT, NONE)
    qtbot.wait(5)


@pytest.mark.parametrize("tab_name", ["regression", "classification", "network"])
def test_a_points_right_click_menu_is_deleted_once_answered(qtbot, window, monkeypatch, tab_name):
    """Each right-click on a point built a menu that stayed a child of the tab for good."""
    import lossdesk.qt.tabs.data_actions as point_editing  # the classification and network tabs' menus
    import lossdesk.qt.tabs.regression as regression_tab

    shown = []

    class EscapedMenu(QMenu):  # the user presses Escape (exec itself would wait for a hand)
        def exec(self, *_args):
            shown.append(self.actions())

    monkeypatch.setattr(regression_tab, "QMenu", EscapedMenu)
    monkeypatch.setattr(point_editing, "QMenu", EscapedMenu)
    window.set_tab(tab_name)
    tab = {"regression": window.explorer, "classification": window.classification}.get(tab_name) or window.network
    if tab_name == "classification":
        tab.load_preset("binary_2d")
    qtbot.wait(20)
    for _ in range(12):
        _right_click_point(qtbot, tab, 3)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()
    assert len(shown) == 12  # the clicks reached the point's menu …
    assert not tab.findChildren(EscapedMenu)  # … and no menu outlived its click
