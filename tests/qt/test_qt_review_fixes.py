"""Regressions found in review: each test is one user-visible bug that must not return."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lossdesk.model import make_preset, read_csv


def test_save_csv_on_the_classification_tab_saves_its_points(qtbot, window, tmp_path):
    window.set_tab("classification")
    path = tmp_path / "labels.csv"
    assert window.save_path(path)
    assert read_csv(path) == window.classification.state.data
    assert window.explorer.state.data == make_preset("outliers")


def test_space_with_a_loss_that_cannot_score_the_labels_explains_instead_of_crashing(qtbot, window):
    tab = window.classification
    window.set_tab("classification")
    tab.set_loss("cce")
    tab.load_preset("three_classes")
    tab.set_loss("bce")
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert not tab.descent.playing
    assert tab.descent.play.text() == "Play"
    assert tab.state.run is None


def test_the_table_follows_a_change_of_columns(qtbot, window, tmp_path):
    tab = window.classification
    window.set_tab("classification")
    tab.load_preset("binary_2d")
    assert tab.editor.model.columnCount() == 3
    rows = tab.state.data.n
    path = tmp_path / "one.csv"
    path.write_text("x,label\n" + "".join(f"{i / rows},{i % 2}\n" for i in range(rows)))
    assert window.open_path(path)
    assert tab.editor.model.columnCount() == 2
    assert tab.editor.model.headerData(1, Qt.Orientation.Horizontal) == "label"


def test_undo_of_a_preset_brings_back_its_name_and_noise(qtbot, window):
    ex = window.explorer
    ex.load_preset("linear", noise=2.0)
    assert ex.controls.noise.value() == pytest.approx(2.0)
    ex.load_preset("heavy_tail")
    assert ex.controls.preset.currentText() == "heavy_tail"
    ex.state.undo_stack.undo()
    assert ex.state.data == make_preset("linear", noise=2.0)
    assert ex.controls.preset.currentText() == "linear"
    assert ex.controls.noise.value() == pytest.approx(2.0)


def test_jump_to_best_after_editing_on_another_tab_uses_the_current_data(qtbot, window):
    window.set_tab("compare")
    s = window.explorer.state
    s.move_point(0, float(s.data.x[0]), 30.0)
    window.explorer.jump_to_best()
    from lossdesk.model import best_line

    assert (s.w, s.b) == pytest.approx(best_line(s.data.x, s.data.y, "mse"))


def test_run_keys_on_the_outlier_lab_do_not_drive_a_hidden_descent(qtbot, window):
    window.set_tab("compare")
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.explorer.state.run is None
    assert "no descent" in window.statusBar().currentMessage()


def test_right_arrow_in_the_data_table_moves_the_cursor_not_the_descent(qtbot, window):
    ex = window.explorer
    ex.side.setCurrentWidget(ex.editor)
    table = ex.editor.table
    table.setFocus()
    table.setCurrentIndex(ex.editor.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Right)
    assert ex.state.run is None
    assert table.currentIndex().column() == 1


def test_lesson_formula_uses_the_selected_loss(qtbot, window):
    window.lessons.show_step(0)
    window.explorer.set_loss("mae")
    text = window.lessons.formula.text()
    assert "|y" in text and "<sup>2</sup>" not in text


def test_outlier_slider_range_holds_still_while_the_outlier_moves(qtbot, window):
    ex = window.explorer
    ex.state.choose_outlier(3)
    shift = ex.outlier_controls.shift
    low, high = shift.low, shift.high
    ex.state.begin_live_edit()
    ex.state.shift_outlier(high, live=True)
    ex.state.shift_outlier(high * 0.9, live=True)
    ex.state.end_live_edit("Move outlier")
    assert (shift.low, shift.high) == (low, high)
    assert np.isclose(ex.state.data.y[3], ex.state.outlier_base + high * 0.9)
