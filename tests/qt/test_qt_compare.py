"""The outlier lab: MSE, MAE and Huber side by side as one point is dragged away."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lossdesk.model import LOSSES, best_line, make_preset
from qt_helpers import click, drag, type_into


@pytest.fixture
def lab(qtbot, window):
    window.explorer.load_preset("linear")
    window.set_tab("compare")
    qtbot.wait(50)
    window.compare.fit_view_to_data()
    qtbot.wait(20)
    return window.compare


def line_of(view_line) -> tuple[float, float]:
    xs, ys = view_line.getData()
    w = (ys[1] - ys[0]) / (xs[1] - xs[0])
    return w, ys[0] - w * xs[0]


def test_each_line_is_the_exact_best_line(lab):
    data = lab.state.data
    for name in ("mse", "mae", "huber"):
        assert lab.fit_view.lines[name].isVisible()
        assert line_of(lab.fit_view.lines[name]) == pytest.approx(best_line(data.x, data.y, name), abs=1e-9)
    assert not lab.fit_view.lines["logcosh"].isVisible()


def test_toggling_a_loss_shows_its_line_and_table_row(qtbot, lab):
    qtbot.mouseClick(lab.checks["quantile"], Qt.MouseButton.LeftButton)
    assert lab.fit_view.lines["quantile"].isVisible()
    assert not lab.table.isRowHidden(4)
    data = lab.state.data
    w, b = best_line(data.x, data.y, "quantile", tau=0.5)
    assert line_of(lab.fit_view.lines["quantile"]) == pytest.approx((w, b), abs=1e-9)
    assert lab.table.item(4, 1).text() == f"{w:.3f}".replace("-", "−")
    qtbot.mouseClick(lab.checks["mse"], Qt.MouseButton.LeftButton)
    assert not lab.fit_view.lines["mse"].isVisible()
    assert lab.table.isRowHidden(0)


def test_moving_the_outlier_swings_mse_far_more_than_mae(qtbot, lab):
    data = lab.state.data
    row = int(np.argmax(data.x))  # the rightmost point has the most leverage
    click(qtbot, lab.fit_view.widget, data.x[row], data.y[row])
    assert lab.state.outlier == row
    before = {n: best_line(data.x, data.y, n) for n in ("mse", "mae", "huber")}
    type_into(qtbot, lab.outlier_controls.shift.box, "-25")
    moved = lab.state.data
    assert moved.y[row] == pytest.approx(data.y[row] - 25)
    dw = {n: abs(best_line(moved.x, moved.y, n)[0] - before[n][0]) for n in before}
    assert dw["mse"] > 10 * max(dw["mae"], 1e-3)
    assert dw["mse"] > 3 * dw["huber"]
    # the lines and the table follow
    for name in ("mse", "mae", "huber"):
        assert line_of(lab.fit_view.lines[name]) == pytest.approx(best_line(moved.x, moved.y, name), abs=1e-9)
    shown_dw = float(lab.table.item(0, 4).text().replace("−", "-"))
    assert shown_dw == pytest.approx(best_line(moved.x, moved.y, "mse")[0] - before["mse"][0], abs=1e-3)
    # the outlier's share of the cost is far larger under MSE
    assert lab.outlier_share("mse") > 0.6
    assert lab.outlier_share("mse") > lab.outlier_share("mae")
    assert "outlier" in lab.shares_panel.readout.text()


def test_arrows_are_the_scaled_pulls(qtbot, lab):
    lab.set_arrow_loss("mse")
    data = lab.state.data
    fit = lab.fits["mse"]
    w, b = best_line(data.x, data.y, "mse")
    pred = w * data.x + b
    pull = LOSSES["mse"].gradient(data.y, pred)
    xs, ys = lab.fit_view.arrow_shafts.getData()
    np.testing.assert_allclose(ys[0::2], pred)
    np.testing.assert_allclose(ys[1::2] - ys[0::2], -lab.arrow_scale * pull)
    np.testing.assert_allclose(fit.pulls, pull)
    # under MAE every arrow has the same capped length
    lab.set_arrow_loss("mae")
    xs, ys = lab.fit_view.arrow_shafts.getData()
    lengths = np.abs(ys[1::2] - ys[0::2])
    assert lengths.max() <= lab.arrow_scale * (1 + 1e-12)


def test_dragging_a_point_in_the_lab_refits_live(qtbot, lab):
    data = lab.state.data
    row = 3
    drag(qtbot, lab.fit_view.widget, (data.x[row], data.y[row]), (data.x[row], data.y[row] + 5))
    moved = lab.state.data
    assert moved.y[row] == pytest.approx(data.y[row] + 5, abs=0.3)
    assert line_of(lab.fit_view.lines["mse"]) == pytest.approx(best_line(moved.x, moved.y, "mse"), abs=1e-9)


def test_best_constants_are_mean_median_and_quantile(qtbot, lab):
    type_into(qtbot, lab.tau.box, "0.8")
    y = lab.state.data.y
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
    lab.state.choose_outlier(0)
    type_into(qtbot, lab.outlier_controls.shift.box, "30")
    assert marks["mse"].value() == pytest.approx(mean0 + 30 / y.size)
    assert abs(marks["mae"].value() - median0) < abs(marks["mse"].value() - mean0)


def test_loss_against_error_marks_every_point(lab):
    for name in ("mse", "mae", "huber"):
        errors, losses = lab.error_view.marks[name].getData()
        fit = lab.fits[name]
        np.testing.assert_allclose(errors, fit.errors)
        np.testing.assert_allclose(losses, LOSSES[name].of_residual(fit.errors))


def test_huber_delta_in_the_lab_is_the_shared_setting(qtbot, window, lab):
    type_into(qtbot, lab.delta.box, "0.3")
    assert lab.state.loss_params["huber"]["delta"] == 0.3
    window.set_tab("regression")  # the explorer catches up when it is shown
    assert window.explorer.controls.delta.value() == pytest.approx(0.3)
    data = lab.state.data
    assert line_of(lab.fit_view.lines["huber"]) == pytest.approx(best_line(data.x, data.y, "huber", delta=0.3), abs=1e-8)


def test_undo_in_the_lab_restores_the_outlier(qtbot, window, lab):
    lab.state.choose_outlier(2)
    type_into(qtbot, lab.outlier_controls.shift.box, "12")
    assert lab.state.data != make_preset("linear")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert lab.state.data == make_preset("linear")
    assert lab.outlier_controls.shift.value() == 0
