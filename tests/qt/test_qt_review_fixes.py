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
    assert read_csv(path) == window.classification.store.value.data
    assert window.explorer.store.value.data == make_preset("outliers")


def test_space_with_a_loss_that_cannot_score_the_labels_explains_instead_of_crashing(qtbot, window):
    tab = window.classification
    window.set_tab("classification")
    tab.set_loss("cce")
    tab.load_preset("three_classes")
    tab.set_loss("bce")
    theta = tab.store.value.theta
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert not tab.descent.playing
    assert tab.descent.play.text() == "Play"
    assert tab.store.value.theta == theta  # no step was taken


def test_the_table_follows_a_change_of_columns(qtbot, window, tmp_path):
    tab = window.classification
    window.set_tab("classification")
    tab.load_preset("binary_2d")
    assert tab.editor.model.columnCount() == 3
    rows = tab.store.value.data.n
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
    ex.history.undo_stack.undo()
    assert ex.store.value.data == make_preset("linear", noise=2.0)
    assert ex.controls.preset.currentText() == "linear"
    assert ex.controls.noise.value() == pytest.approx(2.0)


def test_jump_to_best_after_editing_on_another_tab_uses_the_current_data(qtbot, window):
    window.set_tab("compare")
    ex = window.explorer
    ex.history.set_data(ex.store.value.data.with_value(0, "y", 30.0), "Move point")
    ex.jump_to_best()
    from lossdesk.model import best_line

    s = ex.store.value
    assert (s.w, s.b) == pytest.approx(best_line(s.data.x, s.data.y, "mse"))


def test_run_keys_on_the_outlier_lab_do_not_drive_a_hidden_descent(qtbot, window):
    window.set_tab("compare")
    line = window.explorer.store.value.theta
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.explorer.run is None
    assert window.explorer.store.value.theta == line
    assert "no descent" in window.statusBar().currentMessage()


def test_right_arrow_in_the_data_table_moves_the_cursor_not_the_descent(qtbot, window):
    ex = window.explorer
    ex.side.setCurrentWidget(ex.editor)
    table = ex.editor.table
    table.setFocus()
    table.setCurrentIndex(ex.editor.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Right)
    assert ex.run is None
    assert table.currentIndex().column() == 1


def test_lesson_formula_uses_the_selected_loss(qtbot, window):
    window.lessons.show_step(0)
    window.explorer.set_loss("mse")
    squared = window.lessons.formula.text()
    assert "²" in squared or "<sup>2</sup>" in squared
    window.explorer.set_loss("mae")
    text = window.lessons.formula.text()
    assert "|" in text and "²" not in text and "<sup>2</sup>" not in text


def test_outlier_slider_range_holds_still_while_the_outlier_moves(qtbot, window):
    ex = window.explorer
    controls = ex.outlier_controls
    controls.choose_outlier(3)
    shift = controls.shift
    low, high = shift.low, shift.high
    ex.history.begin_live()
    controls.shift_outlier(high, live=True)
    controls.shift_outlier(high * 0.9, live=True)
    ex.history.end_live("Move outlier")
    assert (shift.low, shift.high) == (low, high)
    s = ex.store.value
    assert np.isclose(s.data.y[3], s.outlier_base + high * 0.9)


def test_an_opened_csv_reads_own_data_and_noise_cannot_replace_it(qtbot, window, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("x,y\n0,1\n1,3\n2,5\n3,6.5\n")
    assert window.open_path(path)
    ex = window.explorer
    assert ex.controls.preset.currentText() == "own data"
    assert not ex.controls.noise.isEnabled()
    ex.controls.noise.box.setValue(2.0)
    assert ex.store.value.data == read_csv(path)


def test_loss_keys_act_on_the_regression_loss_only_with_a_regression_tab_in_front(qtbot, window):
    window.set_tab("classification")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.explorer.store.value.loss == "mse"
    window.set_tab("regression")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.explorer.store.value.loss == "mae"
    assert window.explorer.controls.loss.currentData() == "mae"
