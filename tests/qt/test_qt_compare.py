"""The outlier lab: MSE, MAE and Huber side by side as one point is dragged away."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lossdesk.model import LOSSES, best_line, make_preset
from lossdesk.qt.tabs.outlier_lab import OutlierLabTab
from lossdesk.qt.undo import DataHistory
from lossdesk.settings import DataSource, OutlierLabSettings, RegressionSettings, SettingsStore
from lossdesk.settings.selection import PointMarks
from qt_helpers import click, drag, type_into


def _show(qtbot, tab: OutlierLabTab) -> OutlierLabTab:
    qtbot.wait(50)
    tab.refit_views()
    qtbot.wait(20)
    return tab


@pytest.fixture
def lab(qtbot):
    """The lab on its own, over the stores the window would give it, on the "linear" preset."""
    reg_store = SettingsStore(RegressionSettings(source=DataSource.from_preset("linear")))
    history = DataHistory(reg_store, ("outlier", "outlier_base"))
    tab = OutlierLabTab(SettingsStore(OutlierLabSettings()), reg_store, history, PointMarks())
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    return _show(qtbot, tab)


@pytest.fixture
def window_lab(qtbot, window):
    """The lab inside the real window (for what it shares with the other tabs)."""
    window.explorer.load_preset("linear")
    window.set_tab("compare")
    return _show(qtbot, window.compare)


def data_of(lab):
    return lab.reg_store.value.data


def line_of(view_line) -> tuple[float, float]:
    xs, ys = view_line.getData()
    w = (ys[1] - ys[0]) / (xs[1] - xs[0])
    return w, ys[0] - w * xs[0]


def test_each_line_is_the_exact_best_line(lab):
    data = data_of(lab)
    for name in ("mse", "mae", "huber"):
        assert lab.fit_view.lines[name].isVisible()
        assert line_of(lab.fit_view.lines[name]) == pytest.approx(best_line(data.x, data.y, name), abs=1e-9)
    assert not lab.fit_view.lines["logcosh"].isVisible()


def test_toggling_a_loss_shows_its_line_and_table_row(qtbot, lab):
    qtbot.mouseClick(lab.checks["quantile"], Qt.MouseButton.LeftButton)
    assert "quantile" in lab.store.value.shown
    assert lab.fit_view.lines["quantile"].isVisible()
    assert not lab.table.isColumnHidden(4)
    data = data_of(lab)
    w, b = best_line(data.x, data.y, "quantile", tau=0.5)
    assert line_of(lab.fit_view.lines["quantile"]) == pytest.approx((w, b), abs=1e-9)
    assert lab.cell("quantile", "w").text() == f"{w:.3f}".replace("-", "−")
    qtbot.mouseClick(lab.checks["mse"], Qt.MouseButton.LeftButton)
    assert not lab.fit_view.lines["mse"].isVisible()
    assert lab.table.isColumnHidden(0)


def test_the_store_drives_the_checkboxes_and_the_arrow_menu(lab):
    lab.store.set(OutlierLabSettings(shown=("mae", "logcosh"), arrows="huber"))
    assert [n for n, box in lab.checks.items() if box.isChecked()] == ["mae", "logcosh"]
    assert lab.arrow_loss.currentData() == "huber"
    assert lab.fit_view.lines["logcosh"].isVisible() and not lab.fit_view.lines["mse"].isVisible()
    arrows = lab.results().arrows
    _xs, ys = lab.fit_view.arrow_shafts.getData()
    np.testing.assert_allclose(ys[1::2], arrows.tip)
    assert arrows.loss == "huber"


def test_moving_the_outlier_swings_mse_far_more_than_mae(qtbot, lab):
    data = data_of(lab)
    row = int(np.argmax(data.x))  # the rightmost point has the most leverage
    click(qtbot, lab.fit_view.widget, data.x[row], data.y[row])
    assert lab.reg_store.value.outlier == row
    assert lab.marks.selected == row
    before = {n: best_line(data.x, data.y, n) for n in ("mse", "mae", "huber")}
    type_into(qtbot, lab.outlier_controls.shift.box, "-25")
    moved = data_of(lab)
    assert moved.y[row] == pytest.approx(data.y[row] - 25)
    dw = {n: abs(best_line(moved.x, moved.y, n)[0] - before[n][0]) for n in before}
    assert dw["mse"] > 10 * max(dw["mae"], 1e-3)
    assert dw["mse"] > 3 * dw["huber"]
    # the lines and the table follow
    for name in ("mse", "mae", "huber"):
        assert line_of(lab.fit_view.lines[name]) == pytest.approx(best_line(moved.x, moved.y, name), abs=1e-9)
    shown_dw = float(lab.cell("mse", "Δw").text().replace("−", "-"))
    assert shown_dw == pytest.approx(best_line(moved.x, moved.y, "mse")[0] - before["mse"][0], abs=1e-3)
    # the outlier's share of the cost is far larger under MSE
    results = lab.results()
    assert results.outlier_share("mse") > 0.6
    assert results.outlier_share("mse") > results.outlier_share("mae")
    assert "outlier" in lab.shares_panel.readout.text()
    assert f"MSE {100 * results.outlier_share('mse'):.0f} %" in lab.shares_panel.readout.text()


def test_arrows_are_the_scaled_pulls(qtbot, lab):
    lab.arrow_loss.setCurrentIndex(lab.arrow_loss.findData("mse"))
    data = data_of(lab)
    results = lab.results()
    fit = results.fits["mse"]
    w, b = best_line(data.x, data.y, "mse")
    pred = w * data.x + b
    pull = LOSSES["mse"].gradient(data.y, pred)
    xs, ys = lab.fit_view.arrow_shafts.getData()
    np.testing.assert_allclose(ys[0::2], pred)
    np.testing.assert_allclose(ys[1::2] - ys[0::2], -results.arrows.scale * pull)
    np.testing.assert_allclose(fit.pulls, pull)
    # under MAE every arrow has the same capped length
    lab.arrow_loss.setCurrentIndex(lab.arrow_loss.findData("mae"))
    assert lab.store.value.arrows == "mae"
    xs, ys = lab.fit_view.arrow_shafts.getData()
    lengths = np.abs(ys[1::2] - ys[0::2])
    assert lengths.max() <= results.arrows.scale * (1 + 1e-12)


def test_dragging_a_point_in_the_lab_refits_live(qtbot, lab):
    data = data_of(lab)
    row = 3
    drag(qtbot, lab.fit_view.widget, (data.x[row], data.y[row]), (data.x[row], data.y[row] + 5))
    moved = data_of(lab)
    assert moved.y[row] == pytest.approx(data.y[row] + 5, abs=0.3)
    assert line_of(lab.fit_view.lines["mse"]) == pytest.approx(best_line(moved.x, moved.y, "mse"), abs=1e-9)
    assert lab.reg_store.value.source.own_data
    assert lab.history.undo_stack.count() == 1  # the whole drag is one step
    assert lab.history.undo_stack.undoText() == "Move point"


def test_best_constants_are_mean_median_and_quantile(qtbot, lab):
    type_into(qtbot, lab.tau.box, "0.8")
    assert lab.reg_store.value.loss_params["quantile"]["tau"] == pytest.approx(0.8)
    y = data_of(lab).y
    marks = lab.constant_view.marks
    assert marks["mse"].value() == pytest.approx(np.mean(y))
    assert marks["mae"].value() == pytest.approx(np.median(y))
    k = int(np.ceil(0.8 * y.size)) - 1
    assert marks["quantile"].value() == pytest.approx(np.sort(y)[k])
    for name in ("mse", "mae", "quantile"):
        c, rel = lab.constant_view.curves[name].getData()
        step = c[1] - c[0]
        assert abs(c[np.argmin(rel)] - marks[name].value()) <= step
    # moving the outlier moves the mean, not the median
    mean0, median0 = marks["mse"].value(), marks["mae"].value()
    lab.outlier_controls.choose_outlier(0)
    type_into(qtbot, lab.outlier_controls.shift.box, "30")
    assert marks["mse"].value() == pytest.approx(mean0 + 30 / y.size)
    assert abs(marks["mae"].value() - median0) < abs(marks["mse"].value() - mean0)


def test_loss_against_residual_marks_every_point(lab):
    results = lab.results()
    data = data_of(lab)
    for name in ("mse", "mae", "huber"):
        residuals, losses = lab.error_view.marks[name].getData()
        fit = results.fits[name]
        np.testing.assert_allclose(residuals, data.y - fit.predictions)  # r = y − ŷ
        np.testing.assert_allclose(losses, LOSSES[name].value(data.y, fit.predictions))
        r, values = lab.error_view.curves[name].getData()
        np.testing.assert_allclose(values, LOSSES[name].of_residual(-r))  # of_residual takes ŷ − y


def test_a_bad_delta_is_reported_and_the_setting_kept(qtbot, lab):
    messages = []
    lab.status.connect(lambda text, level: messages.append((text, level)))
    before = lab.reg_store.value
    lab._set_param("huber", "delta", 0.0)  # what a damaged widget could send
    assert lab.reg_store.value == before
    assert messages and messages[-1][1] == "error"
    assert lab.delta.value() == pytest.approx(before.loss_params["huber"]["delta"])


def test_a_hidden_lab_computes_nothing_and_catches_up_when_shown(lab):
    lab.set_active(False)
    drawn = lab.drawn
    value = lab.reg_store.value
    lab.reg_store.set(value.with_source(value.source.edited(value.data.with_value(0, "y", 40.0))))
    lab.store.update(shown=("mse", "quantile"))
    assert lab.drawn is drawn  # nothing recomputed while hidden
    fresh = lab.results()  # but asking gives the current numbers
    assert fresh.fits["mse"].w == pytest.approx(best_line(fresh.x, fresh.y, "mse")[0])
    lab.set_active(True)
    data = data_of(lab)
    assert line_of(lab.fit_view.lines["mse"]) == pytest.approx(best_line(data.x, data.y, "mse"), abs=1e-9)
    assert lab.fit_view.lines["quantile"].isVisible() and not lab.fit_view.lines["mae"].isVisible()
    assert lab.checks["quantile"].isChecked()


def test_the_line_moving_in_the_explorer_does_not_redraw_the_lab(lab):
    drawn = lab.drawn
    lab.reg_store.update(w=2.5, b=-1.0)
    assert lab.drawn is drawn


def test_run_keys_say_the_lab_has_no_descent(lab):
    messages = []
    lab.status.connect(lambda text, level: messages.append(text))
    lab.descent.toggle_play()
    lab.run_steps(10)
    assert not lab.descent.playing
    assert len(messages) == 2 and all("no descent" in m for m in messages)


def test_undo_in_the_lab_restores_the_outlier_alone(qtbot, lab):
    lab.outlier_controls.choose_outlier(2)
    type_into(qtbot, lab.outlier_controls.shift.box, "12")
    assert data_of(lab) != make_preset("linear")
    lab.history.undo_stack.undo()
    assert data_of(lab) == make_preset("linear")
    assert lab.outlier_controls.shift.value() == 0
    assert lab.cell("mse", "Δw").text() == "+0.000"


# ---------------------------------------------------------------------- inside the window
def test_huber_delta_in_the_lab_is_the_shared_setting(qtbot, window, window_lab):
    lab = window_lab
    type_into(qtbot, lab.delta.box, "0.3")
    assert lab.reg_store.value.loss_params["huber"]["delta"] == 0.3
    window.set_tab("regression")  # the explorer catches up when it is shown
    assert window.explorer.controls.delta.value() == pytest.approx(0.3)
    data = data_of(lab)
    assert line_of(lab.fit_view.lines["huber"]) == pytest.approx(best_line(data.x, data.y, "huber", delta=0.3), abs=1e-8)


def test_undo_in_the_lab_restores_the_outlier(qtbot, window, window_lab):
    lab = window_lab
    lab.outlier_controls.choose_outlier(2)
    type_into(qtbot, lab.outlier_controls.shift.box, "12")
    assert data_of(lab) != make_preset("linear")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert data_of(lab) == make_preset("linear")
    assert lab.outlier_controls.shift.value() == 0


def test_zooming_a_hidden_lab_happens_when_it_is_shown(lab):
    lab.set_active(False)
    lab.fit_view.plot.setRange(xRange=(100, 101), yRange=(100, 101), padding=0)
    lab.refit_views()
    lab.set_active(True)
    (x0, x1), _ = lab.fit_view.plot.viewRange()
    x = data_of(lab).x
    assert x0 < x.min() and x1 > x.max()
