"""The network tab's penalty and its race of cross-entropy against squared error, driven by hand."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from qt_helpers import fresh_window, type_into

from lossdesk.model.objective import Objective
from lossdesk.model.results.network import compute_network, compute_race, split_rows
from lossdesk.qt.tabs.network import NetworkTab
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.undo import DataHistory
from lossdesk.session import Session
from lossdesk.settings import AppSettings, NetworkSettings, SettingsStore
from lossdesk.settings.selection import PointMarks


@pytest.fixture
def ntab(qtbot):
    """The tab on its own, built as the main window builds it."""
    configure_pyqtgraph()
    store = SettingsStore(NetworkSettings())
    tab = NetworkTab(store, DataHistory(store), PointMarks())
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.wait(50)
    yield tab
    tab.descent.set_playing(False)
    tab.worker.wait(5000)
    tab.race_worker.wait(5000)


def messages(tab) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    tab.status.connect(lambda text, level: seen.append((text, level)))
    return seen


def training_objective(settings, penalised: bool = True) -> Objective:
    """The model's own cost on the training rows: the oracle."""
    data = settings.data
    train, _ = split_rows(data.n, settings.test_fraction, settings.seed)
    args = settings.penalty_args if penalised else {}
    return Objective.create(settings.loss, data.x[train], data.labels[train], predictor=settings.predictor(),
                            **args, **settings.params)


def choose_l2_by_keyboard(qtbot, tab) -> None:
    """Down from "none" in the penalty box is L2, as a user's arrow key picks it."""
    combo = tab.penalty.kind
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == "l2"


def test_picking_l2_and_moving_lambda_puts_the_penalty_in_the_shown_cost(qtbot, ntab):
    ntab.run_steps(150)  # weights that are not tiny: the penalty has something to weigh
    choose_l2_by_keyboard(qtbot, ntab)
    s = ntab.store.value
    assert s.penalty == "l2" and s.strength == pytest.approx(0.1)  # a penalty chosen at λ = 0 starts at 0.1
    # λ up two page steps of the log slider, then typed exactly
    slider = ntab.penalty.strength.slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    assert ntab.store.value.strength > 0.1
    type_into(qtbot, ntab.penalty.strength.box, "0.02")
    s = ntab.store.value
    assert s.strength == pytest.approx(0.02) and s.penalty_args == {"penalty": "l2", "strength": 0.02,
                                                                     "l1_ratio": 0.5}
    theta = s.theta_array
    oracle = training_objective(s)
    cost, data_cost = oracle.cost(theta), oracle.data_cost(theta)
    penalty = oracle.penalty_value(theta)
    assert penalty > 1e-3 and cost == pytest.approx(data_cost + penalty)
    # the cost line, the readout and the formula line all show the penalised cost
    view = ntab.loss_view
    assert view.total_line.isVisible() and view.total_line.value() == pytest.approx(cost)
    assert view.cost_line.value() == pytest.approx(data_cost)  # the dashed line: the bars' mean
    assert f"{cost:.4g}" in ntab.loss_panel.readout.text()
    formula = ntab.formula.text()
    assert f"{cost:.4g}" in formula and f"{data_cost:.4g}" in formula and "½‖W‖²" in formula
    assert "held out (loss alone)" in formula
    # the column beside the bars: the bars' mean below, λ·P(W) on top, up to the cost line
    column = view.penalty_bar
    assert column.isVisible() and view.penalty_base.isVisible()
    np.testing.assert_allclose(view.penalty_base.opts["height"], [data_cost])
    np.testing.assert_allclose(column.opts["y0"], [data_cost])
    np.testing.assert_allclose(column.opts["height"], [penalty])
    assert min(column.opts["x"]) > s.data.n - 1  # beside the last point's bar
    train, _ = split_rows(s.data.n, s.test_fraction, s.seed)
    bars = np.asarray(ntab.loss_view.bars.opts["height"], dtype=float)
    assert bars[train].mean() + penalty == pytest.approx(cost)
    # the held-out cost is the loss alone
    res = compute_network(s)
    unpenalised = compute_network(NetworkSettings(theta=s.theta))
    assert res.points.test_cost == pytest.approx(unpenalised.points.test_cost)
    # back to none: the column goes, the cost is the mean loss again
    ntab.penalty.kind.setFocus()
    qtbot.keyClick(ntab.penalty.kind, Qt.Key.Key_Up)
    assert ntab.store.value.penalty == "none"
    assert not column.isVisible() and not view.total_line.isVisible()
    assert view.cost_line.value() == pytest.approx(training_objective(ntab.store.value).cost(theta))


def test_training_with_a_penalty_draws_the_loss_part_too_and_a_slice_of_the_whole_cost(qtbot, ntab):
    choose_l2_by_keyboard(qtbot, ntab)
    type_into(qtbot, ntab.penalty.strength.box, "0.05")
    ntab.run_steps(80)
    run, s = ntab.run, ntab.store.value
    oracle = training_objective(s)
    theta = s.theta_array
    _, data_curve = ntab.curves_view.train_data.getData()
    _, cost_curve = ntab.curves_view.curve.getData()
    assert ntab.curves_view.train_data.isVisible()
    assert cost_curve[-1] == pytest.approx(oracle.cost(theta))
    assert data_curve[-1] == pytest.approx(oracle.data_cost(theta))
    assert data_curve.size == run.steps + 1 and np.all(cost_curve >= data_curve - 1e-12)
    ntab.recompute_landscape()
    qtbot.waitUntil(lambda: not ntab.worker.waiting and ntab.landscape is not None
                    and np.array_equal(ntab.landscape.theta, theta), timeout=15_000)
    land = ntab.landscape
    centre = int(np.argmin(np.abs(land.alphas))), int(np.argmin(np.abs(land.betas)))
    assert land.alphas[centre[0]] == 0 and land.betas[centre[1]] == 0
    assert land.z[centre] == pytest.approx(oracle.cost(theta))
    assert "penalty" in ntab.landscape_panel.readout.text()


def test_a_bad_lambda_typed_is_one_line_and_the_settings_stay(qtbot, ntab):
    choose_l2_by_keyboard(qtbot, ntab)
    before = ntab.store.value
    seen = messages(ntab)
    type_into(qtbot, ntab.penalty.strength.box, "-3")
    assert ntab.store.value is before
    assert seen and seen[-1][1] == "error" and "λ" in seen[-1][0] and "\n" not in seen[-1][0]
    assert ntab.banner.isVisible()
    assert ntab.penalty.strength.value() == pytest.approx(before.strength)  # the box shows λ as it is
    type_into(qtbot, ntab.penalty.strength.box, "5000")
    assert ntab.store.value is before and "1000" in seen[-1][0]


def test_the_penalty_survives_a_session_round_trip(qtbot, ntab):
    choose_l2_by_keyboard(qtbot, ntab)
    type_into(qtbot, ntab.penalty.strength.box, "0.03")
    s = ntab.store.value
    again = Session.from_json(Session(AppSettings(tab="network", network=s)).to_json()).settings.network
    assert again == s
    assert (again.penalty, again.strength, again.l1_ratio) == ("l2", pytest.approx(0.03), 0.5)
    assert again.penalty_args == s.penalty_args


def test_the_race_button_races_bce_against_squared_error_off_the_gui_thread(qtbot, ntab):
    assert ntab.race_button.isEnabled() and ntab.curves_pages.currentIndex() == 0
    qtbot.mouseClick(ntab.race_button, Qt.MouseButton.LeftButton)
    assert ntab.store.value.curves == "race" and ntab.curves_pages.currentIndex() == 1
    qtbot.waitUntil(lambda: ntab.race is not None and not ntab.race_worker.waiting, timeout=20_000)
    race = ntab.race
    expected = compute_race(ntab.store.value)
    for name in ("bce", "brier"):
        np.testing.assert_allclose(ntab.race_view.accuracy[name].getData()[1], expected.accuracy[name])
        np.testing.assert_allclose(ntab.race_view.p_true[name].getData()[1], expected.p_true[name])
    # one start for both, sure of the wrong class; cross-entropy gets there first
    assert race.accuracy["bce"][0] == race.accuracy["brier"][0] <= 0.1
    assert race.p_true["bce"][0] == pytest.approx(race.p_true["brier"][0]) and race.start_p_true < 0.15
    bce, brier = race.reached["bce"], race.reached["brier"]
    assert bce is not None and bce < 50
    assert brier is None or brier > 2 * bce
    assert "tens of steps" in ntab.race_view.caption.text()
    assert ntab.curves_panel.title.text() == "Race"
    assert f"BCE: step {bce}" in ntab.curves_panel.readout.text()
    # a second click brings the training curves back; so does Play (playing is watching training)
    qtbot.mouseClick(ntab.race_button, Qt.MouseButton.LeftButton)
    assert ntab.store.value.curves == "training" and ntab.curves_pages.currentIndex() == 0
    qtbot.mouseClick(ntab.race_button, Qt.MouseButton.LeftButton)
    assert ntab.curves_pages.currentIndex() == 1 and ntab.race is race  # the same race, not run again
    qtbot.mouseClick(ntab.descent.play, Qt.MouseButton.LeftButton)
    assert ntab.descent.playing and ntab.store.value.curves == "training"
    assert ntab.curves_pages.currentIndex() == 0 and not ntab.race_button.isChecked()


def test_the_race_is_only_for_two_classes(qtbot, ntab):
    ntab.load_preset("spiral3")
    assert not ntab.race_button.isEnabled() and "two classes" in ntab.race_button.toolTip()
    ntab.load_preset("wave")
    assert not ntab.race_button.isEnabled()
    ntab.load_preset("circles")
    assert ntab.race_button.isEnabled() and "confidently wrong" in ntab.race_button.toolTip()


def test_squared_error_on_the_probability_is_a_loss_the_network_trains_on(qtbot, ntab):
    names = [ntab.loss.itemData(i) for i in range(ntab.loss.count())]
    row = names.index("brier")
    assert ntab.loss.itemText(row) == "Squared error on the probability"
    ntab.loss.setFocus()
    for _ in range(row):
        qtbot.keyClick(ntab.loss, Qt.Key.Key_Down)
    ntab.loss.activated.emit(ntab.loss.currentIndex())  # as the popup's choice reports it
    assert ntab.store.value.loss == "brier"
    start = training_objective(ntab.store.value).cost(ntab.store.value.theta_array)
    ntab.run_steps(300)
    s = ntab.store.value
    now = training_objective(s).cost(s.theta_array)
    assert now < 0.5 * start
    assert ntab.loss_view.cost_line.value() == pytest.approx(now) and not ntab.loss_view.total_line.isVisible()
    assert "Squared error on the probability" in ntab.formula.text()


def test_the_window_opens_the_tab_with_a_penalty_from_the_command_line(qtbot):
    win = fresh_window(qtbot, ["--tab", "network", "--penalty", "l1", "--strength", "0.01"])
    tab = win.network
    s = tab.store.value
    assert (s.penalty, s.strength) == ("l1", 0.01)
    assert tab.penalty.kind.currentData() == "l1" and tab.penalty.strength.value() == pytest.approx(0.01)
    assert "‖W‖" in tab.formula.text() and "L1 penalty" in tab.formula.text()
    tab.settle()


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_the_penalty_and_the_race_fit_a_small_dark_screen_at_large_text(qtbot, size):
    from test_screen_matrix import _clipped_texts, _dark_problems, _legend_problems

    w, h = size
    win = fresh_window(qtbot, ["--tab", "network", "--penalty", "l2", "--strength", "0.01", "--steps", "100",
                               "--size", f"{w}x{h}", "--theme", "dark", "--font-scale", "1.5"], size)
    tab = win.network
    page = win.tabs.currentWidget()

    def problems() -> list[str]:
        found = _clipped_texts(page) + _dark_problems(page)
        for plot in page.findChildren(pg.PlotWidget):
            if plot.isVisibleTo(win) and plot.width() > 0:
                found += _legend_problems(plot)
        return found

    assert tab.loss_view.penalty_bar.isVisible() and tab.curves_view.train_data.isVisible()
    assert problems() == []
    qtbot.mouseClick(tab.race_button, Qt.MouseButton.LeftButton)
    assert tab.settle()
    assert tab.race is not None and tab.race_view.widget.isVisibleTo(win)
    assert problems() == []
    assert win.size().toTuple() == size
