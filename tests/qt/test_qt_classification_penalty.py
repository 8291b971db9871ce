"""The classification tab with a penalty (issue 15), and a click on a data point, driven
as a user would: the penalty combo, λ's slider, the surface switch, the mouse on the data
view. The model layer is the oracle."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider
from qt_helpers import click, hover, to_widget, type_into
from test_qt_classification_speed import EventCounter, settle

from lossdesk.model import Objective
from lossdesk.model.objective import penalty_of_weights
from lossdesk.model.surface import parameter_penalty_surface, parameter_surface
from lossdesk.qt.formula import num
from lossdesk.qt.tabs.classification import ClassificationTab
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.undo import DataHistory
from lossdesk.settings import ClassificationSettings, DataSource, SettingsStore
from lossdesk.settings.selection import PointMarks


@pytest.fixture
def ctab(qtbot):
    """The tab on its own, built as the main window builds it, on two features."""
    configure_pyqtgraph()
    store = SettingsStore(ClassificationSettings(source=DataSource.from_preset("binary_2d")))
    tab = ClassificationTab(store, DataHistory(store), PointMarks())
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    settle(qtbot, 50)
    return tab


# ---------------------------------------------------------------------------- helpers
def choose(qtbot, combo, data) -> None:
    """Pick an item with the keyboard (focus, then arrow keys), as a user can."""
    combo.setFocus()
    target = combo.findData(data)
    assert target >= 0
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
    qtbot.wait(10)


def drag_slider(qtbot, slider, fraction: float, steps: int = 6) -> None:
    """Press the handle, move it to ``fraction`` of the groove, let go (real mouse events)."""
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    start = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                          QStyle.SubControl.SC_SliderHandle, slider).center()
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


def oracle(tab) -> Objective:
    s = tab.store.value
    return Objective.create(s.loss, s.data.x, s.data.labels, s.predictor(), **s.penalty_args, **s.params)


def data_objective(tab) -> Objective:
    s = tab.store.value
    return Objective.create(s.loss, s.data.x, s.data.labels, s.predictor(), **s.params)


def wait_for_path(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: not tab.cache.waiting and tab.surface_view.reg_path.isVisible(), timeout=10000)
    settle(qtbot)


def segments(x, y):
    parts = np.split(np.column_stack([x, y]), np.flatnonzero(np.isnan(x)))
    return [p[np.isfinite(p[:, 0])] for p in parts if np.isfinite(p[:, 0]).sum() >= 2]


# ---------------------------------------------------------------------------- the penalty
def test_l2_and_lambda_from_the_controls_price_the_weights(qtbot, ctab):
    penalty = ctab.penalty
    assert not ctab.parts_box.isVisible() and ctab.loss_view._penalty is None
    choose(qtbot, penalty.kind, "l2")
    drag_slider(qtbot, penalty.strength.slider, 0.8)
    settle(qtbot)
    s = ctab.store.value
    assert s.penalty == "l2" and s.strength > 0.1  # the log slider moved λ up from its start
    theta = s.theta_array
    model = oracle(ctab)
    r = ctab.results()
    assert r.cost == pytest.approx(model.cost(theta), rel=1e-12)
    w = theta[[0, 1]]  # the bias θ[2] is never penalised
    bar = s.strength * 0.5 * float(w @ w)
    assert ctab.loss_view._penalty == pytest.approx(bar, rel=1e-12)
    assert float(ctab.loss_view.penalty_bar.opts["height"][0]) == pytest.approx(bar, rel=1e-12)
    assert ctab.loss_view.total_line.value() == pytest.approx(model.cost(theta), rel=1e-12)
    # the formula shows the term, its number, and the sum
    text = ctab.formula.text()
    assert "λ·½‖w‖²" in text and num(bar) in text and num(model.cost(theta)) in text
    assert ctab.loss_panel.readout.text().endswith(f"cost = {model.cost(theta):.4g}")
    # the surface is the total cost over (w₁, w₂), b held
    window = r.surface.window
    total = parameter_surface(data_objective(ctab), theta, 0, 1, window.w_grid, window.b_grid) + \
        parameter_penalty_surface(model, theta, 0, 1, window.w_grid, window.b_grid)
    np.testing.assert_allclose(ctab.surface_view.z, total, rtol=1e-12)
    assert ctab.parts_box.isVisible() and "circles" in ctab.penalty_note.text()


def test_the_path_arrives_and_its_ring_is_the_penalised_optimum_of_the_two_weights(qtbot, ctab):
    choose(qtbot, ctab.penalty.kind, "l2")
    type_into(qtbot, ctab.penalty.strength.box, "0.05")
    wait_for_path(qtbot, ctab)
    s = ctab.store.value
    assert s.strength == pytest.approx(0.05)
    ring = ctab.surface_view.reg_marker
    assert ring.isVisible()
    u = np.array([ring.data["x"][0], ring.data["y"][0]])
    theta = s.theta_array.copy()
    theta[:2] = u
    assert np.abs(oracle(ctab).gradient(theta)[:2]).max() < 1e-6  # the lowest cost over (w₁, w₂)
    path_x, path_y = ctab.surface_view.reg_path.getData()
    assert len(path_x) > 10 and np.all(np.diff(np.hypot(path_x, path_y)) < 0)  # ridge shrinks as λ grows
    # a larger λ: the ring moves in along the path
    type_into(qtbot, ctab.penalty.strength.box, "0.5")
    qtbot.waitUntil(lambda: ctab.results().surface.path is not None
                    and ctab.results().surface.path.strength == pytest.approx(0.5), timeout=10000)
    settle(qtbot)
    moved = np.array([ring.data["x"][0], ring.data["y"][0]])
    assert np.hypot(*moved) < np.hypot(*u)


def test_the_switch_draws_the_data_cost_and_the_lasso_diamonds(qtbot, ctab):
    choose(qtbot, ctab.penalty.kind, "l1")
    settle(qtbot)
    qtbot.mouseClick(ctab.parts_box, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, ctab.parts_box.height() // 2))
    settle(qtbot)
    assert ctab.parts_box.isChecked() and ctab.store.value.show_parts, "the switch is a setting"
    s = ctab.store.value
    window = ctab.results().surface.window
    data = parameter_surface(data_objective(ctab), s.theta_array, 0, 1, window.w_grid, window.b_grid)
    np.testing.assert_allclose(ctab.surface_view.z, data, rtol=1e-12)
    lines = ctab.surface_view.penalty_lines
    assert lines.isVisible()
    drawn = segments(*lines.getData())
    assert drawn and all(np.ptp(np.abs(seg).sum(axis=1)) < 1e-9 for seg in drawn)  # |w₁| + |w₂| constant
    assert "diamonds" in ctab.penalty_note.text()
    # an axis that is a bias: the lines run straight along it
    ctab.param_j.setFocus()
    choose(qtbot, ctab.param_j, "b")
    settle(qtbot)
    assert ctab.store.value.surface_axes == (0, 2)
    assert all(np.ptp(seg[:, 0]) < 1e-9 for seg in segments(*lines.getData()))
    assert "never penalised" in ctab.penalty_note.text()
    qtbot.mouseClick(ctab.parts_box, Qt.MouseButton.LeftButton, pos=QPoint(8, ctab.parts_box.height() // 2))
    settle(qtbot)
    assert not lines.isVisible()


def test_a_descent_step_minimises_the_penalised_cost(qtbot, ctab):
    choose(qtbot, ctab.penalty.kind, "l2")
    type_into(qtbot, ctab.penalty.strength.box, "0.3")
    before = ctab.store.value.theta_array
    qtbot.mouseClick(ctab.descent.step, Qt.MouseButton.LeftButton)
    settle(qtbot)
    model = oracle(ctab)
    after = ctab.store.value.theta_array
    np.testing.assert_allclose(after, before - ctab.store.value.optimizer.lr * model.gradient(before), rtol=1e-10)
    assert ctab.curve_view.costs[-1] == pytest.approx(model.cost(after), rel=1e-12)


def test_with_a_penalty_a_new_theta_still_lays_out_nothing(qtbot, ctab):
    choose(qtbot, ctab.penalty.kind, "elastic")
    wait_for_path(qtbot, ctab)
    for k in range(3):
        with EventCounter() as counter:
            ctab.store.set(ctab.store.value.with_theta((0.6 + 0.05 * k, 0.4, -1.0)))
            settle(qtbot)
        plots = {p.viewport() for p in ctab.findChildren(type(ctab.surface_view.widget)) if p.isVisible()}
        assert not set(counter.layouts) - plots, "new numbers ask no layout for room"
    lam, ratio = ctab.store.value.strength, ctab.store.value.l1_ratio
    w = np.array([0.7, 0.4])
    assert ctab.loss_view._penalty == pytest.approx(float(penalty_of_weights(w, "elastic", lam, ratio).sum()))


def test_a_bad_lambda_typed_is_refused_in_one_line(qtbot, ctab):
    messages = []
    ctab.status.connect(lambda text, level: messages.append((text, level)))
    choose(qtbot, ctab.penalty.kind, "l2")
    type_into(qtbot, ctab.penalty.strength.box, "-1")
    settle(qtbot)
    assert ctab.store.value.strength >= 0
    assert any("λ" in text and "\n" not in text for text, _level in messages)


# ---------------------------------------------------------------------------- clicking a point
def test_a_click_on_a_point_selects_it_though_the_hover_ring_lies_over_it(qtbot, ctab):
    view = ctab.data_view
    row = 7
    x, y = float(view.px[row]), float(view.py[row])
    hover(qtbot, view.widget, x, y)
    assert ctab.marks.hover == row and view.highlight.isVisible()  # the ring is over the point now
    click(qtbot, view.widget, x, y)
    settle(qtbot)
    assert ctab.marks.selected == row
    assert ctab.point_text.text().startswith(f"Point {row}, class {int(ctab.store.value.data.labels[row])}")
    assert view.selection.isVisible()
    at = (float(view.selection.data["x"][0]), float(view.selection.data["y"][0]))
    assert at == (x, y)
    # another point, clicked with both rings on the first: the new one is selected
    other = 20
    click(qtbot, view.widget, float(view.px[other]), float(view.py[other]))
    settle(qtbot)
    assert ctab.marks.selected == other
    # and a click on the empty plane clears it
    (x0, x1), (y0, y1) = view.plot.viewRange()
    corner = (x0 + 0.02 * (x1 - x0), y0 + 0.02 * (y1 - y0))
    assert view.nearest_point(view.widget.mapToScene(to_widget(view.widget, *corner).toPoint())) is None
    click(qtbot, view.widget, *corner)
    settle(qtbot)
    assert ctab.marks.selected is None
