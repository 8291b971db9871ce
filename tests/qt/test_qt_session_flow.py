"""Issue 10: whatever the user did, a saved session opens identically, on every tab.

Each test works the real window with real clicks and keys, saves with Ctrl+Shift+S,
opens the file in a fresh window with Ctrl+Shift+O and compares what every tab's results
hold — the model layer's pure functions are the oracle, since views draw only those.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from lossdesk.model import DescentRun
from lossdesk.qt.recovery import RecoveryFile
from lossdesk.session import Session
from qt_helpers import click, double_click, drag, fresh_window, type_into

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier




def same(a, b, where="results") -> None:
    """Deep equality of two results values (dataclasses, arrays, dicts, runs)."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, DescentRun):
        same(np.asarray(a.thetas), np.asarray(b.thetas), f"{where}.thetas")
        same(np.asarray(a.costs), np.asarray(b.costs), f"{where}.costs")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, float):
        assert a == b or (np.isnan(a) and np.isnan(b)), where
    elif hasattr(a, "__dict__") and not isinstance(a, (str, int)):
        return  # an object that is no part of what is shown (e.g. a cache handle)
    else:
        assert a == b, where


def same_everywhere(first, second) -> None:
    assert second.current_settings() == first.current_settings()
    for marks in (first.reg_marks, first.cls_marks):  # the selection is a passing mark, never saved
        marks.select(None)
    for name in ("explorer", "compare", "classification", "descent_lab"):
        same(getattr(first, name).results(), getattr(second, name).results(), name)


def save_and_reopen(qtbot, monkeypatch, win, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.keyClick(win, Qt.Key.Key_S, CTRL_SHIFT)
    assert path.exists() and not win.has_unsaved_changes()
    other = fresh_window(qtbot)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.keyClick(other, Qt.Key.Key_O, CTRL_SHIFT)
    assert other.session_path == path, other.statusBar().currentMessage()
    return other


def test_add_outlier_then_save_and_reopen(qtbot, monkeypatch, tmp_path):
    win = fresh_window(qtbot)
    n = win.reg_store.value.data.n
    qtbot.mouseClick(win.explorer.outlier_controls.add_button, Qt.MouseButton.LeftButton)
    value = win.reg_store.value
    assert value.data.n == n + 1 and value.outlier == n
    other = save_and_reopen(qtbot, monkeypatch, win, tmp_path / "outlier.lossdesk")
    assert other.reg_store.value.outlier == n
    same_everywhere(win, other)
    # the same file on the command line opens too, into a window that matches
    third = fresh_window(qtbot, ["--session", str(tmp_path / "outlier.lossdesk")])
    same_everywhere(win, third)


def test_dragged_point_new_loss_and_learning_rate_reopen(qtbot, monkeypatch, tmp_path):
    win = fresh_window(qtbot)
    ex = win.explorer
    data = win.reg_store.value.data
    x0, y0 = float(data.x[3]), float(data.y[3])
    drag(qtbot, ex.data_view.widget, (x0, y0), (x0, y0 + 4))
    qtbot.keyClick(win, Qt.Key.Key_2, CTRL)  # MAE
    type_into(qtbot, ex.descent.lr.box, "0.03")
    qtbot.keyClick(win, Qt.Key.Key_Right)  # one descent step
    value = win.reg_store.value
    assert value.loss == "mae" and value.optimizer.lr == pytest.approx(0.03)
    assert value.data.y[3] != pytest.approx(y0)
    other = save_and_reopen(qtbot, monkeypatch, win, tmp_path / "drag.lossdesk")
    same(win.explorer.results().snapshot, other.explorer.results().snapshot, "snapshot")
    assert other.current_settings() == win.current_settings()


def test_classification_own_data_and_added_point_reopen(qtbot, monkeypatch, tmp_path):
    csv = tmp_path / "labels.csv"
    csv.write_text("x1,x2,label\n0,0,0\n1,0,1\n0,1,2\n1,1,1\n2,2,2\n")
    win = fresh_window(qtbot)
    win.set_tab("classification")
    qtbot.keyClick(win, Qt.Key.Key_4, CTRL)  # categorical cross-entropy, before 3-class data
    assert win.open_path(csv)
    cl = win.classification
    assert win.cls_store.value.source.own_data
    assert cl.preset.currentText() == "own data" and not cl.noise.isEnabled()
    double_click(qtbot, cl.data_view.widget, 0.5, 1.5)
    assert win.cls_store.value.data.n == 6
    other = save_and_reopen(qtbot, monkeypatch, win, tmp_path / "cls.lossdesk")
    other.set_tab("classification")
    assert other.classification.preset.currentText() == "own data"
    same_everywhere(win, other)


def test_descent_lab_racing_set_and_schedule_reopen(qtbot, monkeypatch, tmp_path):
    win = fresh_window(qtbot)
    win.set_tab("descent")
    lab = win.descent_lab
    for name in ("nesterov", "gd"):  # a click on each box's tick mark
        box = lab.checks[name]
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    lab.schedule.setCurrentIndex(lab.schedule.findData("exponential"))
    click(qtbot, lab.surface_view.widget, 1.0, 0.5)
    value = win.descent_store.value
    assert set(value.racing) == {"momentum", "nesterov", "adam"} and value.schedule == "exponential"
    other = save_and_reopen(qtbot, monkeypatch, win, tmp_path / "race.lossdesk")
    other.set_tab("descent")
    assert other.descent_store.value == value
    assert [n for n, box in other.descent_lab.checks.items() if box.isChecked()] == list(value.racing)
    same_everywhere(win, other)


def test_shortcuts_act_on_the_tab_in_front(qtbot):
    win = fresh_window(qtbot)
    win.set_tab("classification")
    qtbot.keyClick(win, Qt.Key.Key_4, CTRL)
    assert win.cls_store.value.loss == "cce"
    assert win.reg_store.value.loss == "mse"  # the hidden regression loss stays
    win.set_tab("regression")
    qtbot.keyClick(win, Qt.Key.Key_3, CTRL)
    assert win.reg_store.value.loss == "huber" and win.cls_store.value.loss == "cce"


def test_own_data_disables_noise_until_a_preset_is_chosen(qtbot, tmp_path):
    csv = tmp_path / "pts.csv"
    csv.write_text("x,y\n0,1\n1,3\n2,5\n3,6\n")
    win = fresh_window(qtbot)
    assert win.open_path(csv)
    controls = win.explorer.controls
    assert controls.preset.currentText() == "own data" and not controls.noise.isEnabled()
    before = win.reg_store.value.data
    controls.noise.set_value(1.5)  # even a programmatic nudge cannot replace the user's data
    assert win.reg_store.value.data == before
    win.explorer.load_preset("linear")
    assert controls.preset.currentText() == "linear" and controls.noise.isEnabled()


def gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_recovery_after_add_outlier(qtbot, monkeypatch):
    first = fresh_window(qtbot)
    first.recovery = RecoveryFile(pid=gone_pid())
    qtbot.mouseClick(first.explorer.outlier_controls.add_button, Qt.MouseButton.LeftButton)
    assert first.autosaver.save_now()
    second = fresh_window(qtbot)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert second.offer_recovery()
    assert second.reg_store.value == first.reg_store.value
    same(first.explorer.results().snapshot, second.explorer.results().snapshot, "snapshot")
    first.autosaver.timer.stop()


def test_settings_only_work_is_autosaved(qtbot):
    win = fresh_window(qtbot)
    win.recovery = RecoveryFile(pid=gone_pid())
    assert not win.autosaver.save_now()  # nothing to save yet
    type_into(qtbot, win.explorer.controls.w.box, "2.5")
    assert win.has_unsaved_changes()
    assert win.autosaver.save_now()
    assert Session.load(win.recovery.path).settings.regression.w == 2.5
    win.recovery.discard()


def test_a_damaged_recovery_file_is_set_aside_once(qtbot, monkeypatch):
    stale = RecoveryFile(pid=gone_pid())
    stale.folder.mkdir(parents=True, exist_ok=True)
    stale.path.write_text('{"format": "lossdesk-session", "schema_version": 2, "regression": [')
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("offered a damaged file"))
    win = fresh_window(qtbot)
    assert not win.offer_recovery()
    assert "could not be restored" in win.statusBar().currentMessage()
    assert not stale.path.exists()
    kept = list(stale.folder.glob("*.unusable"))
    assert kept, "the damaged file was not kept for the user"
    again = fresh_window(qtbot)
    assert not again.offer_recovery()  # never offered again
    for path in kept:
        path.unlink()


def test_a_live_instance_recovery_file_is_not_offered(qtbot, monkeypatch):
    first = fresh_window(qtbot)  # this process is alive: its autosave is not a crash
    type_into(qtbot, first.explorer.controls.w.box, "1.5")
    assert first.autosaver.save_now()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("offered a live autosave"))
    second = fresh_window(qtbot)
    assert not second.offer_recovery()
    assert first.recovery.path.exists()
    first.recovery.discard()


def test_opening_a_session_in_the_same_window_frames_its_points(qtbot, tmp_path):
    from lossdesk.model import RegressionData
    from lossdesk.settings import AppSettings, DataSource, RegressionSettings

    far = RegressionData([1000.0, 1003.0, 1007.0, 1010.0], [50.0, 52.0, 55.0, 57.0], name="far")
    path = tmp_path / "far.lossdesk"
    Session(AppSettings(regression=RegressionSettings(source=DataSource.own(far)), lesson=2)).save(path)
    win = fresh_window(qtbot)
    assert win.open_session_path(path)
    qtbot.wait(20)
    (x0, x1), (y0, y1) = win.explorer.data_view.plot.getViewBox().viewRange()
    assert x0 <= 1000 and x1 >= 1010 and y0 <= 50 and y1 >= 57
    win.set_tab("compare")
    qtbot.wait(20)
    (x0, x1), _ = win.compare.fit_view.plot.getViewBox().viewRange()
    assert x0 <= 1000 and x1 >= 1010
    assert win.lessons.isVisible() and win.lessons.step_index == 2  # the session's lesson step, open
