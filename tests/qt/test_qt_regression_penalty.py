"""The explorer with a penalty (issue 15), driven as a user would: the penalty combo, λ's
slider and box, the "show data cost and penalty" switch; the model is the oracle."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider, QWidget
from qt_helpers import drag, type_into
from test_qt_frame_cost import (  # the frame-cost tests' paint and layout counter
    EventCounter,
    settle,
)

from lossdesk.model import Objective, best_line, line_loss_surface
from lossdesk.model.fitting import regularisation_path, zero_slope_strength
from lossdesk.model.objective import penalty_of_weights
from lossdesk.model.predictors import Line
from lossdesk.model.results.regression import PATH_STRENGTHS
from lossdesk.model.surface import penalty_surface
from lossdesk.qt.controls.penalty import DEFAULT_STRENGTH, PenaltyControls
from lossdesk.settings import RegressionSettings, SettingsStore


# ---------------------------------------------------------------------------- helpers
def choose(qtbot, combo, data) -> None:
    """Pick an item with the keyboard (focus, then arrow keys), as a user can."""
    combo.setFocus()
    target = combo.findData(data)
    assert target >= 0
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
    qtbot.wait(10)


def handle_centre(slider) -> QPoint:
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    rect = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                         QStyle.SubControl.SC_SliderHandle, slider)
    return rect.center()


def drag_slider(qtbot, slider, fraction: float, steps: int = 6) -> None:
    """Press the handle, move it to ``fraction`` of the groove, let go (real mouse events)."""
    start = handle_centre(slider)
    end_x = round(fraction * slider.width())

    def send(kind, x, buttons):
        pos = QPointF(x, start.y())
        event = QMouseEvent(kind, pos, QPointF(slider.mapToGlobal(pos.toPoint())), Qt.MouseButton.LeftButton,
                            buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(slider, event)

    send(QEvent.Type.MouseButtonPress, start.x(), Qt.MouseButton.LeftButton)
    for k in range(1, steps + 1):
        send(QEvent.Type.MouseMove, start.x() + k * (end_x - start.x()) / steps, Qt.MouseButton.LeftButton)
        qtbot.wait(10)
    send(QEvent.Type.MouseButtonRelease, end_x, Qt.MouseButton.NoButton)
    qtbot.wait(20)


def set_line(qtbot, explorer, w: float, b: float) -> None:
    type_into(qtbot, explorer.controls.w.box, f"{w}")
    type_into(qtbot, explorer.controls.b.box, f"{b}")
    assert explorer.store.value.theta == (w, b)


def oracle(explorer) -> Objective:
    s = explorer.store.value
    return Objective.create(s.loss, s.data.x, s.data.y, Line(), **s.penalty_args, **s.params)


def marker_at(explorer) -> tuple[float, float]:
    m = explorer.surface_view.reg_marker
    return float(m.data["x"][0]), float(m.data["y"][0])


def shown_path(explorer) -> tuple[np.ndarray, np.ndarray]:
    return explorer.surface_view.reg_path.getData()


def check_against_the_model(explorer) -> None:
    """Every number the explorer shows for the penalty is the model's."""
    s = explorer.store.value
    obj = oracle(explorer)
    theta = np.array(s.theta)
    r = explorer._shown
    assert r.cost == pytest.approx(obj.cost(theta), rel=1e-12)
    view = explorer.loss_view
    assert view.penalty_bar.isVisible() and view.total_line.isVisible()
    assert view.penalty_bar.opts["height"][0] == pytest.approx(obj.penalty_value(theta), rel=1e-12)
    assert view.penalty_bar.opts["y0"][0] == pytest.approx(obj.data_cost(theta), rel=1e-12)
    assert view.total_line.value() == pytest.approx(obj.cost(theta), rel=1e-12)
    assert view.cost_line.value() == pytest.approx(obj.data_cost(theta), rel=1e-12)
    best = best_line(s.data.x, s.data.y, s.loss, **s.penalty_args, **s.params)
    star = explorer.surface_view.optimum.data
    assert (star["x"][0], star["y"][0]) == pytest.approx(best, abs=1e-12)
    assert marker_at(explorer) == pytest.approx(best, abs=1e-12)
    assert r.best == pytest.approx(best, abs=1e-12)
    win = r.window
    total = line_loss_surface(s.data.x, s.data.y, s.loss, win.w_grid, win.b_grid, **s.params) \
        + penalty_surface(win.w_grid, **s.penalty_args)
    np.testing.assert_allclose(explorer.surface_view.image.image, total, rtol=1e-9, atol=1e-12)
    assert f"= <b>{obj.cost(theta):.4g}</b>" in explorer.formula.text()
    assert explorer.loss_panel.readout.text().endswith(f"cost = {obj.cost(theta):.4g}")


@pytest.fixture
def statuses(explorer):
    seen: list[tuple[str, str]] = []
    explorer.status.connect(lambda text, level: seen.append((text, level)))
    return seen


# ---------------------------------------------------------------------------- tests
def test_choosing_ridge_adds_its_penalty_everywhere_the_cost_is_shown(qtbot, explorer):
    set_line(qtbot, explorer, 2.5, 1.0)
    assert not explorer.loss_view.penalty_bar.isVisible() and not explorer.surface_view.reg_path.isVisible()
    box = explorer.penalty
    assert not box.strength.isEnabled() and box.ratio.isHidden() and explorer.parts_box.isHidden()
    choose(qtbot, box.kind, "l2")
    s = explorer.store.value
    assert s.penalty == "l2" and s.strength == DEFAULT_STRENGTH  # λ was 0: a penalty that does something
    assert box.strength.isEnabled() and box.ratio.isHidden() and not explorer.parts_box.isHidden()
    check_against_the_model(explorer)
    assert "λ·½w²" in explorer.formula.text()
    value = oracle(explorer).penalty_value(np.array([2.5, 1.0]))
    assert value == pytest.approx(DEFAULT_STRENGTH * 0.5 * 2.5 ** 2)
    assert f"+ {value:.4g} =" in explorer.formula.text()
    # the path is the model's, and starts at the unpenalised best line
    w, b = shown_path(explorer)
    _lams, pw, pb = regularisation_path(s.data.x, s.data.y, "mse", "l2", PATH_STRENGTHS)
    np.testing.assert_allclose(w, pw, atol=1e-12)
    np.testing.assert_allclose(b, pb, atol=1e-12)
    assert (w[0], b[0]) == pytest.approx(best_line(s.data.x, s.data.y, "mse"))
    # Jump to best goes to the penalised best line, where the cost is the lowest shown
    qtbot.mouseClick(explorer.controls.jump_best, Qt.MouseButton.LeftButton)
    assert explorer.store.value.theta == pytest.approx(best_line(s.data.x, s.data.y, "mse", "l2", DEFAULT_STRENGTH))
    assert explorer._shown.cost == pytest.approx(explorer._shown.best_cost)
    check_against_the_model(explorer)


def test_dragging_lambda_slides_the_optimum_along_its_path(qtbot, explorer):
    set_line(qtbot, explorer, 0.5, 0.0)
    choose(qtbot, explorer.penalty.kind, "l2")
    before_path = [a.copy() for a in shown_path(explorer)]
    before = marker_at(explorer)
    slider = explorer.penalty.strength.slider
    drag_slider(qtbot, slider, 0.95)
    lam = explorer.store.value.strength
    assert lam > 1.0 and lam == pytest.approx(explorer.penalty.strength.value())
    check_against_the_model(explorer)
    after = marker_at(explorer)
    assert abs(after[0]) < abs(before[0]) - 0.1, "a stronger ridge pulls the slope towards 0"
    for old, new in zip(before_path, shown_path(explorer)):  # the path is λ's, not one λ's
        np.testing.assert_array_equal(old, new)
    # the marker lies on the path: between two of its points, near the curve
    w, b = shown_path(explorer)
    assert np.min(np.hypot(w - after[0], b - after[1])) < 0.05 * np.ptp(w)
    drag_slider(qtbot, slider, 0.05)
    assert explorer.store.value.strength < 1e-3
    check_against_the_model(explorer)
    assert marker_at(explorer)[0] == pytest.approx(w[0], rel=1e-3)  # almost no penalty: almost the plain fit


def test_a_strong_lasso_puts_the_slope_at_exactly_zero(qtbot, explorer):
    set_line(qtbot, explorer, 1.0, 0.0)
    choose(qtbot, explorer.penalty.kind, "l1")
    s = explorer.store.value
    threshold = zero_slope_strength(s.data.x, s.data.y, "mse")
    type_into(qtbot, explorer.penalty.strength.box, f"{threshold * 1.1:.4f}")
    assert explorer.store.value.strength == pytest.approx(threshold * 1.1, abs=1e-4)
    check_against_the_model(explorer)
    assert explorer._shown.best[0] == 0.0
    assert marker_at(explorer)[0] == 0.0
    qtbot.mouseClick(explorer.controls.jump_best, Qt.MouseButton.LeftButton)
    assert explorer.store.value.w == 0.0
    type_into(qtbot, explorer.penalty.strength.box, f"{threshold * 0.5:.4f}")
    assert explorer._shown.best[0] > 0.0


def test_none_hides_the_penalty_bar_the_path_and_the_switch(qtbot, explorer):
    choose(qtbot, explorer.penalty.kind, "elastic")
    assert not explorer.penalty.ratio.isHidden()
    qtbot.mouseClick(explorer.parts_box, Qt.MouseButton.LeftButton)
    assert explorer.parts_box.isChecked() and explorer.surface_view.penalty_lines.isVisible()
    assert explorer.store.value.show_parts, "the switch is a setting (sessions keep it)"
    explorer.history.undo_stack.clear()
    explorer.store.update(show_parts=False)  # a session or lesson sets it: the box follows
    assert not explorer.parts_box.isChecked() and not explorer.surface_view.penalty_lines.isVisible()
    qtbot.mouseClick(explorer.parts_box, Qt.MouseButton.LeftButton)
    choose(qtbot, explorer.penalty.kind, "none")
    s = explorer.store.value
    assert s.penalty == "none" and s.penalty_args["penalty"] is None
    view, surface = explorer.loss_view, explorer.surface_view
    for item in (view.penalty_bar, view.penalty_base, view.penalty_label, view.total_line,
                 surface.reg_path, surface.reg_marker, surface.penalty_lines):
        assert not item.isVisible()
    assert explorer.parts_box.isHidden() and explorer.penalty.ratio.isHidden()
    assert not explorer.penalty.strength.isEnabled()
    assert "λ" not in explorer.formula.text()
    assert view.cost_line.label.format == "cost = {value:.4g}"
    x, y = s.data.x, s.data.y
    np.testing.assert_allclose(surface.image.image, line_loss_surface(x, y, "mse", explorer.window.w_grid,
                                                                      explorer.window.b_grid))


def test_the_switch_draws_the_data_cost_with_the_penaltys_upright_lines(qtbot, explorer):
    set_line(qtbot, explorer, 2.0, 1.0)
    choose(qtbot, explorer.penalty.kind, "l2")
    type_into(qtbot, explorer.penalty.strength.box, "2")
    lines = explorer.surface_view.penalty_lines
    assert not lines.isVisible()
    qtbot.mouseClick(explorer.parts_box, Qt.MouseButton.LeftButton)
    s, r = explorer.store.value, explorer._shown
    win = r.window
    data = line_loss_surface(s.data.x, s.data.y, "mse", win.w_grid, win.b_grid)
    np.testing.assert_allclose(explorer.surface_view.image.image, data, rtol=1e-9)
    assert lines.isVisible()
    x, _y = lines.getData()
    ws = np.unique(x[np.isfinite(x)])
    best_w = best_line(s.data.x, s.data.y, "mse", "l2", 2.0)[0]
    assert np.isclose(ws, best_w).any() and np.isclose(ws, -best_w).any()  # the level through the optimum
    values = penalty_of_weights(ws, "l2", 2.0)
    heights = r.lines.levels - data.min()
    assert all(np.isclose(v, heights).any() or np.isclose(v, 0.5 * 2.0 * best_w ** 2) for v in values)
    # the numbers are the total cost's still: only the picture changed
    assert explorer._shown.cost == pytest.approx(oracle(explorer).cost(np.array(s.theta)))
    qtbot.mouseClick(explorer.parts_box, Qt.MouseButton.LeftButton)
    assert not lines.isVisible()
    check_against_the_model(explorer)


def test_a_bad_lambda_typed_in_its_box_is_refused_in_one_line(qtbot, explorer, statuses):
    choose(qtbot, explorer.penalty.kind, "l2")
    type_into(qtbot, explorer.penalty.strength.box, "0.5")
    before = explorer.store.value
    for bad in ("-3", "5000"):
        statuses.clear()
        type_into(qtbot, explorer.penalty.strength.box, bad)
        errors = [text for text, level in statuses if level == "error"]
        assert len(errors) == 1 and "\n" not in errors[0] and "λ" in errors[0], statuses
        assert "Traceback" not in errors[0]
        assert explorer.store.value is before
        assert explorer.penalty.strength.value() == 0.5  # the box shows the kept value again
    assert explorer.banner.isVisible() and "λ" in explorer.banner.text()


def test_the_elastic_nets_ratio_slider_changes_the_path(qtbot, explorer):
    set_line(qtbot, explorer, 1.5, 0.0)
    choose(qtbot, explorer.penalty.kind, "elastic")
    type_into(qtbot, explorer.penalty.strength.box, "1")
    ratio = explorer.penalty.ratio
    assert not ratio.isHidden()
    w_before = shown_path(explorer)[0].copy()
    drag_slider(qtbot, ratio.slider, 0.95)
    r = explorer.store.value.l1_ratio
    assert r > 0.85
    check_against_the_model(explorer)
    s = explorer.store.value
    _lams, pw, _pb = regularisation_path(s.data.x, s.data.y, "mse", "elastic", PATH_STRENGTHS, r)
    np.testing.assert_allclose(shown_path(explorer)[0], pw, atol=1e-12)
    assert not np.allclose(shown_path(explorer)[0], w_before)
    assert f"r = {r:.3g}" in explorer.formula.text()


def test_a_slow_losss_path_is_worked_out_off_the_gui_thread(qtbot, explorer):
    explorer.store.update(loss="huber")
    choose(qtbot, explorer.penalty.kind, "l1")
    s = explorer.store.value
    if explorer._shown.reg_path is None:  # the worker has it: the path waits, the rest is shown
        assert explorer.surface_panel.readout.text() == "working out the λ path…"
        assert not explorer.surface_view.reg_path.isVisible()
        qtbot.waitUntil(lambda: explorer._shown.reg_path is not None, timeout=10000)
    assert explorer.surface_panel.readout.text() == ""
    _lams, pw, _pb = regularisation_path(s.data.x, s.data.y, "huber", "l1", PATH_STRENGTHS, **s.params)
    np.testing.assert_allclose(shown_path(explorer)[0], pw, atol=1e-9)
    assert explorer.surface_view.reg_path.isVisible()
    check_against_the_model(explorer)


def test_a_descent_step_goes_down_the_penalised_cost(qtbot, explorer):
    set_line(qtbot, explorer, 3.0, 2.0)
    choose(qtbot, explorer.penalty.kind, "l1")
    type_into(qtbot, explorer.penalty.strength.box, "2")
    obj = oracle(explorer)
    start = obj.cost(np.array([3.0, 2.0]))
    qtbot.mouseClick(explorer.descent.step, Qt.MouseButton.LeftButton)
    theta = np.array(explorer.store.value.theta)
    expected = np.array([3.0, 2.0]) - explorer.store.value.optimizer.lr * obj.gradient(np.array([3.0, 2.0]))
    np.testing.assert_allclose(theta, expected, rtol=1e-12)
    assert explorer._shown.costs[0] == pytest.approx(start) and explorer._shown.costs[-1] < start
    # changing λ makes the run in progress meaningless: it is dropped
    type_into(qtbot, explorer.penalty.strength.box, "1")
    assert explorer.run is None


def test_a_point_dragged_drags_the_path_with_it(qtbot, explorer):
    choose(qtbot, explorer.penalty.kind, "l2")
    before = shown_path(explorer)[0].copy()
    s = explorer.store.value
    row = int(np.argmax(s.data.x))
    x0, y0 = float(s.data.x[row]), float(s.data.y[row])
    drag(qtbot, explorer.data_view.widget, (x0, y0), (x0, y0 + 4.0))
    s = explorer.store.value
    assert s.data.y[row] > y0 + 2.0
    _lams, pw, _pb = regularisation_path(s.data.x, s.data.y, "mse", "l2", PATH_STRENGTHS)
    np.testing.assert_allclose(shown_path(explorer)[0], pw, atol=1e-12)
    assert not np.allclose(before, pw)


def test_the_penalty_box_works_on_any_store_with_the_three_fields(qtbot):
    store = SettingsStore(RegressionSettings())
    box = PenaltyControls(store)
    qtbot.addWidget(box)
    box.show()
    errors = []
    box.status.connect(lambda text, level: errors.append((text, level)))
    choose(qtbot, box.kind, "elastic")
    assert store.value.penalty == "elastic" and store.value.strength == DEFAULT_STRENGTH
    assert not box.ratio.isHidden()
    store.update(penalty="l1", strength=0.25, l1_ratio=0.8)  # from elsewhere: a session, a lesson
    assert box.kind.currentData() == "l1" and box.strength.value() == 0.25 and box.ratio.isHidden()
    assert box.ratio.value() == 0.8
    type_into(qtbot, box.strength.box, "0")  # λ = 0 is allowed: the penalty then adds nothing
    assert store.value.strength == 0.0 and not errors
    choose(qtbot, box.kind, "l2")  # chosen again while λ is 0: the default comes back
    assert store.value.strength == DEFAULT_STRENGTH
    choose(qtbot, box.kind, "elastic")
    before = store.value
    for bad in ("1.5", "-0.2"):
        type_into(qtbot, box.ratio.box, bad)
        assert store.value is before and box.ratio.value() == 0.8
        assert errors[-1][1] == "error" and "ratio" in errors[-1][0] and "\n" not in errors[-1][0]


def test_a_frame_with_a_penalty_repaints_the_plots_and_labels_only(qtbot, window, explorer):
    choose(qtbot, explorer.penalty.kind, "l2")
    for k in range(3):  # the layout settles: the penalty's labels, the formula's new term
        explorer.store.update(w=0.5 + 0.1 * k, strength=0.2 + 0.1 * k)
        settle(qtbot, 60)
    for change in ({"w": 1.1}, {"strength": 0.9}):  # the line moves; λ moves
        with EventCounter() as counter:
            explorer.store.update(**change)
            settle(qtbot)
        assert window not in counter.painted(), f"{change}: the main window is repainted"
        widgets = [obj for obj in counter.layouts if isinstance(obj, QWidget)]  # (not a plot's own axes)
        assert not widgets, f"{change}: a frame asked the window's layouts for room: {widgets}"
        # the panels' frames and titles stay (their plots and readouts repaint on their own)
        assert not {explorer.loss_panel, explorer.loss_panel.title, explorer.surface_panel.title} & counter.painted()
        assert explorer.surface_view.widget.viewport() in counter.painted()
    check_against_the_model(explorer)
