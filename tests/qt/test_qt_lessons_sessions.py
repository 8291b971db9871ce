"""Guided lessons, saved sessions, crash recovery and presenting."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from lossdesk.lesson_text import load_lesson
from lossdesk.model import make_preset
from lossdesk.qt.recovery import RecoveryFile
from lossdesk.session import Session
from lossdesk.settings import AppSettings
from qt_helpers import drag, fresh_window, type_into

TAB_OF = {"regression": 0, "compare": 1, "classification": 2, "descent": 3, "network": 4}




@pytest.mark.parametrize("index", range(len(load_lesson().steps)))
def test_each_lesson_step_applies_its_setup(qtbot, window, index):
    step = load_lesson().steps[index]
    window.lessons.show_step(index)
    setup = step.setup
    assert window.tabs.currentIndex() == TAB_OF[setup["tab"]]
    state = {"classification": window.cls_store, "network": window.net_store}.get(
        setup["tab"], window.reg_store).value
    if "hidden" in setup:
        assert state.hidden == tuple(setup["hidden"]) and state.activation == setup["activation"]
        assert state.theta == tuple(state.predictor().initial_params(state.seed)), "fresh weights"
    if "preset" in setup:
        assert state.data == make_preset(setup["preset"])
    if "loss" in setup:
        assert state.loss == setup["loss"]
    if "w" in setup:
        assert (state.w, state.b) == (setup["w"], setup["b"])
    if "lr" in setup:
        assert state.optimizer.lr == setup["lr"]
    assert window.lessons.isVisible()
    assert window.lessons.heading.text() == step.title
    assert f"Step {index + 1} of" in window.lessons.counter.text()
    assert "cannot be shown" not in window.lessons.formula.text()
    assert "<b>" in window.lessons.formula.text()  # a live number, in bold


def test_lesson_formulas_follow_the_app_and_it_stays_usable(qtbot, window):
    window.lessons.show_step(1)  # mean squared error
    before = window.lessons.formula.text()
    type_into(qtbot, window.explorer.controls.w.box, "1.5")  # the rest of the app still works
    after = window.lessons.formula.text()
    assert after != before
    assert f"{window.explorer.results().snapshot.cost:.4g}" in after
    qtbot.mouseClick(window.lessons.next, Qt.MouseButton.LeftButton)
    assert window.lessons.step_index == 2
    assert window.reg_store.value.loss == "mae"
    qtbot.mouseClick(window.lessons.back, Qt.MouseButton.LeftButton)
    assert window.lessons.step_index == 1
    assert window.reg_store.value.loss == "mse"


def test_a_session_round_trips_exactly(qtbot, window, tmp_path):
    ex = window.explorer
    data = window.reg_store.value.data
    x0, y0 = float(data.x[4]), float(data.y[4])
    drag(qtbot, ex.data_view.widget, (x0, y0), (x0, y0 + 3))
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Huber
    assert window.reg_store.value.loss == "huber"
    type_into(qtbot, ex.controls.delta.box, "0.7")
    type_into(qtbot, ex.controls.w.box, "1.25")
    window.set_tab("classification")
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # categorical CE
    assert window.cls_store.value.loss == "cce"
    window.classification.load_preset("three_classes")
    window.cls_store.set(window.cls_store.value.with_theta(np.linspace(-1, 1, 9)))
    window.lab_store.update(shown=("mse", "quantile"))
    window.descent_store.update(racing=("adam", "nesterov"))
    window.set_tab("compare")
    path = tmp_path / "class.lossdesk"
    assert window.save_session_path(path)
    saved = json.loads(path.read_text())
    assert saved["schema_version"] == 2
    assert not window.has_unsaved_changes()

    other = fresh_window(qtbot)
    assert other.open_session_path(path)
    assert other.reg_store.value.data == window.reg_store.value.data
    assert other.cls_store.value.data == window.cls_store.value.data
    np.testing.assert_array_equal(other.cls_store.value.theta, np.linspace(-1, 1, 9))
    assert other.tabs.currentIndex() == TAB_OF["compare"]
    assert other.current_settings() == window.current_settings()
    assert json.loads(other.capture_session().to_json()) == json.loads(window.capture_session().to_json())


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "broken JSON at line 1"),
        ('{"format": "something-else"}', "not a lossdesk session"),
        ('{"format": "lossdesk-session", "schema_version": 99, "written_by": "lossdesk 9.0"}', "newer lossdesk"),
        ('{"format": "lossdesk-session", "schema_version": 1, "regression": {"data": {"x": [1, 2], "y": [1]},'
         ' "loss": "mse"}}', "x has 2 values but y has 1"),
        ('{"format": "lossdesk-session", "schema_version": 1, "regression": {"data": {"x": [1, 2], "y": [1, 2]},'
         ' "loss": "bce"}}', "loss must be one of mse"),
    ],
)
def test_a_bad_session_gives_a_message_and_changes_nothing(qtbot, window, tmp_path, content, needle):
    path = tmp_path / "bad.lossdesk"
    path.write_text(content)
    before = window.capture_session().to_json()
    assert window.open_session_path(path) is False
    assert needle in window._last_box.text()
    assert "Nothing has changed" in window._last_box.text()
    window._last_box.close()
    assert window.capture_session().to_json() == before


def gone_pid() -> int:
    """The process id of a process that has ended (a crashed run's)."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def move_point(win, row: int, x: float, y: float) -> None:
    data = win.reg_store.value.data
    win.reg_history.set_data(data.with_row(row, {"x": x, "y": y}), "Move point")


def test_recovery_after_a_crash_restores_the_edits(qtbot, monkeypatch):
    first = fresh_window(qtbot)
    first.recovery = RecoveryFile(pid=gone_pid())  # as if this run had crashed
    move_point(first, 2, float(first.reg_store.value.data.x[2]), 42.0)
    assert first.has_unsaved_changes()
    assert first.autosaver.save_now()
    assert first.recovery.path.exists()
    edited = first.reg_store.value.data
    # the process "crashes": no close, no clean-up; a new run starts
    second = fresh_window(qtbot)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert second.offer_recovery()
    assert second.reg_store.value.data == edited
    assert second.has_unsaved_changes()
    assert not first.recovery.path.exists()  # offered once, then gone
    first.autosaver.timer.stop()


def test_declining_recovery_discards_it(qtbot, monkeypatch):
    first = fresh_window(qtbot)
    first.recovery = RecoveryFile(pid=gone_pid())
    move_point(first, 0, 0.0, 9.0)
    first.autosaver.save_now()
    second = fresh_window(qtbot)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not second.offer_recovery()
    assert not first.recovery.path.exists()
    assert second.reg_store.value.data == make_preset("outliers")


def test_closing_with_unsaved_changes_asks_first(qtbot, monkeypatch):
    win = fresh_window(qtbot)
    win.confirm_close = True
    move_point(win, 1, 0.0, 5.0)
    asked = []

    def cancel(*args, **kwargs):
        asked.append(args[1])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    assert win.close() is False
    assert asked == ["Unsaved changes"]
    assert win.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert win.close() is True


def test_clean_windows_close_without_asking(qtbot, monkeypatch):
    win = fresh_window(qtbot)
    win.confirm_close = True
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked without cause"))
    assert win.close() is True


def test_recent_sessions_are_remembered(qtbot, window, tmp_path):
    path = tmp_path / "a.lossdesk"
    window.save_session_path(path)
    assert window.recent_files()[0] == str(path)
    assert [a.text() for a in window.recent_menu.actions()][0] == "a.lossdesk"


def test_font_scale_and_dark_theme(qtbot, window):
    axis = window.explorer.data_view.widget.getAxis("bottom")
    before = axis.style["tickFont"].pointSizeF() if axis.style.get("tickFont") else None
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.font_scale == pytest.approx(1.15)
    bigger = axis.style["tickFont"].pointSizeF()
    assert before is None or bigger > before
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.font_scale == 1.0
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.dark
    assert window.explorer.data_view.widget.backgroundBrush().color().name() == "#1b1c1f"
    window.set_dark(False)
    assert window.explorer.data_view.widget.backgroundBrush().color().name() == "#ffffff"


def test_session_file_round_trip_without_qt(tmp_path):
    session = Session(AppSettings(tab="descent", lesson=3))
    path = tmp_path / "x.lossdesk"
    session.save(path)
    again = Session.load(path)
    assert again.settings.tab == "descent" and again.settings.lesson == 3
    assert again == session


def test_text_from_a_file_is_shown_as_text_not_html(qtbot, window, tmp_path):
    path = tmp_path / "html.lossdesk"
    path.write_text('{"format": "lossdesk-session", "schema_version": 2, "tab": "<h1>Big</h1><a href=x>link</a>"}')
    assert window.open_session_path(path) is False
    box = window._last_box
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<h1>" in box.text()
    box.close()


def test_message_boxes_do_not_pile_up(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QApplication

    path = tmp_path / "bad.lossdesk"
    path.write_text("{oops")
    window.open_session_path(path)
    window._last_box.close()
    qtbot.wait(20)
    before = len(QApplication.allWidgets())
    for _ in range(20):
        window.open_session_path(path)
        window._last_box.close()
        qtbot.wait(5)
    qtbot.wait(50)
    assert len(QApplication.allWidgets()) - before < 10


def test_the_backpropagation_step_follows_the_point_clicked_in_the_network_tab(qtbot, window):
    index = next(i for i, s in enumerate(load_lesson().steps) if s.formula == "backprop")
    window.lessons.show_step(index)
    assert window.current_tab_name() == "network" and window.net_store.value.view == "backward"
    assert "Click a point" in window.lessons.formula.text()
    window.net_marks.select(5)
    qtbot.wait(20)
    text = window.lessons.formula.text()
    res = window.network.results()
    assert res.selected is not None and res.selected.row == 5
    assert "point&nbsp;5:" in text and f"{res.selected.loss:.4g}" in text
    window.net_marks.select(None)
    assert "Click a point" in window.lessons.formula.text()


def test_the_network_cost_formula_adds_the_penalty_when_there_is_one(qtbot, window):
    index = next(i for i, s in enumerate(load_lesson().steps) if s.formula == "network_cost")
    window.lessons.show_step(index)
    assert "λ·P(W)" not in window.lessons.formula.text()
    window.net_store.update(penalty="l2", strength=0.05)
    pts = window.network.results().points
    text = window.lessons.formula.text()
    assert pts.penalty > 0 and "λ·P(W)" in text
    assert f"{pts.penalty:.4g}" in text and f"{pts.cost:.4g}" in text
