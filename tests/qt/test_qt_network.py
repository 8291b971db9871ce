"""The network tab driven as a student would: drag a point, click one, play, change the network."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from qt_helpers import click, drag, fresh_window

from lossdesk.model.results import network as results
from lossdesk.model.results.network import compute_network, split_rows
from lossdesk.qt.tabs.network import NetworkTab
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.undo import DataHistory
from lossdesk.settings import DataSource, NetworkSettings, SettingsStore
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


def oracle(tab, selected=None):
    s = tab.store.value
    return compute_network(s, None, None, selected)


def isolated_row(data, exclude=()) -> int:
    """The point farthest from its nearest neighbour (a click there can only mean it)."""
    d = np.linalg.norm(data.x[:, None, :] - data.x[None, :, :], axis=2)
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1)
    nearest[list(exclude)] = -1
    return int(np.argmax(nearest))


def bar_heights(tab) -> np.ndarray:
    return np.asarray(tab.loss_view.bars.opts["height"], dtype=float)


def messages(tab) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    tab.status.connect(lambda text, level: seen.append((text, level)))
    return seen


def test_the_views_hold_the_model_numbers(ntab):
    expected = oracle(ntab)
    np.testing.assert_allclose(bar_heights(ntab), expected.points.losses)
    assert ntab.loss_view.cost_line.value() == pytest.approx(expected.points.cost)
    np.testing.assert_allclose(ntab.data_view.decision.grid, expected.decision.grid)
    assert ntab.graph_view.edges_drawn == expected.drawing.n_edges == 24
    assert "0.7" in ntab.loss_panel.readout.text()


def test_dragging_a_point_moves_it_and_its_loss_follows(qtbot, ntab):
    data = ntab.store.value.data
    row = isolated_row(data)
    start = tuple(float(v) for v in data.x[row])
    drag(qtbot, ntab.data_view.widget, start, (0.2, -0.1))
    moved = ntab.store.value.data
    assert moved.x[row] == pytest.approx([0.2, -0.1], abs=0.08)
    assert ntab.store.value.source.preset is None  # the points are the user's own now
    expected = oracle(ntab)
    np.testing.assert_allclose(bar_heights(ntab), expected.points.losses)
    assert ntab.marks.selected == row
    assert ntab.history.undo_stack.count() == 1
    ntab.history.undo_stack.undo()
    np.testing.assert_array_equal(ntab.store.value.data.x, data.x)


def test_clicking_a_point_shows_its_forward_pass_and_its_share(qtbot, ntab):
    data = ntab.store.value.data
    row = isolated_row(data)
    click(qtbot, ntab.data_view.widget, *data.x[row])
    assert ntab.marks.selected == row
    point = oracle(ntab, row).selected
    labels = ntab.graph_view.shown_labels
    assert labels[0] == results._format(float(data.x[row, 0]))
    assert labels[2] == results._format(float(point.values[1][0]))
    assert labels[-1] == results._format(float(point.values[-1][0]))
    shown = [label.toPlainText() for label in ntab.graph_view.labels if label.isVisible()]
    assert len(shown) == 11 and shown[0] == labels[0]
    assert f"{100 * point.share:.1f} %" in ntab.point_text.text()
    assert f"{point.loss:.4g}" in ntab.point_text.text()
    # the backward view: this point's own part of each weight's gradient
    ntab.backward_button.click()
    assert ntab.store.value.view == "backward"
    drawing = ntab.graph_view.drawing
    np.testing.assert_allclose(drawing.edge_values, np.concatenate([w.ravel() for w in point.weight_shares]))
    assert f"point {row}" in ntab.graph_panel.readout.text()
    click(qtbot, ntab.data_view.widget, 0.0, 2.6)  # empty space: nothing selected
    assert ntab.marks.selected is None
    assert "Click a point" in ntab.point_text.text()


def test_playing_trains_the_network_and_every_view_follows(qtbot, ntab):
    start_cost = oracle(ntab).points.cost
    image_before = np.array(ntab.data_view.image.image, copy=True)
    ntab.descent.play.click()
    assert ntab.descent.playing
    qtbot.waitUntil(lambda: ntab.run is not None and ntab.run.steps >= 160, timeout=30_000)
    ntab.descent.play.click()
    assert not ntab.descent.playing
    run = ntab.run
    res = ntab.results()
    assert res.points.cost < 0.5 * start_cost
    assert res.curves.run_steps == run.steps
    xs, ys = ntab.curves_view.curve.getData()
    assert xs.size == run.steps + 1 and ys[-1] == pytest.approx(res.points.cost)
    assert ntab.layers_view.curves[0].getData()[0].size == run.steps + 1
    np.testing.assert_allclose(bar_heights(ntab), res.points.losses)
    assert not np.array_equal(ntab.data_view.image.image, image_before)
    np.testing.assert_allclose(ntab.data_view.decision.grid, oracle(ntab).decision.grid)


def test_without_a_hidden_layer_xor_stays_unsolved(qtbot, ntab):
    ntab.set_hidden("none")
    assert ntab.store.value.hidden == ()
    assert ntab.run_steps(800) in ("running", "converged", "max_steps")
    assert ntab.results().points.cost >= 0.6
    assert "no hidden layer" in ntab.formula.text()
    ntab.set_hidden("8")
    ntab.run_steps(500)
    assert ntab.results().points.cost < 0.1


def test_a_bad_hidden_text_is_refused_and_the_network_kept(qtbot, ntab):
    seen = messages(ntab)
    before = ntab.store.value
    ntab.hidden.setFocus()
    ntab.hidden.selectAll()
    qtbot.keyClicks(ntab.hidden, "8,x")
    qtbot.keyClick(ntab.hidden, Qt.Key.Key_Return)
    assert ntab.store.value is before
    assert seen and seen[-1][1] == "error" and "whole numbers" in seen[-1][0] and "\n" not in seen[-1][0]
    assert ntab.banner.isVisible() and "whole numbers" in ntab.banner.text()
    assert ntab.hidden.text() == "8"
    ntab.hidden.selectAll()
    qtbot.keyClicks(ntab.hidden, "4, 4")
    qtbot.keyClick(ntab.hidden, Qt.Key.Key_Return)
    assert ntab.store.value.hidden == (4, 4)
    assert ntab.graph_view.drawing.sizes == (2, 4, 4, 1)


def test_the_landscape_arrives_off_the_gui_thread_with_the_whole_path(qtbot, ntab):
    qtbot.waitUntil(lambda: ntab.landscape is not None and not ntab.worker.waiting, timeout=15_000)
    first = ntab.landscape
    ntab.run_steps(60)
    ntab.recompute_landscape()
    assert ntab.landscape_view.note_text == "computing…"
    qtbot.waitUntil(lambda: ntab.landscape is not first and not ntab.worker.waiting, timeout=15_000)
    land = ntab.landscape
    assert land.path.shape == (61, 2)  # one point per step, and the start
    np.testing.assert_allclose(land.theta, ntab.store.value.theta_array)
    xs, _ = ntab.landscape_view.path.getData()
    assert xs.size == 61 and ntab.landscape_view.image.isVisible()
    assert "33 directions" in ntab.landscape_view.caution.toPlainText()
    assert ntab.landscape_view.caution.isVisible()
    assert ntab.landscape_view.note_text == ""
    view = ntab.landscape_view
    view.widget.setFixedWidth(90)  # far too narrow for "2 of 33 directions" on one line
    qtbot.wait(30)
    view._fit_caution()
    assert not view.caution.isVisible(), "never a column of broken words over the map"
    view.widget.setMinimumWidth(0)
    view.widget.setMaximumWidth(16777215)
    qtbot.wait(30)
    view._fit_caution()
    assert view.caution.isVisible()
    # training on moves the ball off the slice's centre, along the projected path
    ntab.run_steps(5)
    marks = ntab.results().marks
    assert marks.path.shape == (66, 2) and not marks.stale


def test_a_pause_asks_for_a_new_slice(qtbot, ntab):
    qtbot.waitUntil(lambda: ntab.landscape is not None and not ntab.worker.waiting, timeout=15_000)
    first = ntab.landscape
    ntab.descent.set_playing(True)
    qtbot.waitUntil(lambda: ntab.run is not None and ntab.run.steps >= 20, timeout=20_000)
    ntab.descent.set_playing(False)
    qtbot.waitUntil(lambda: ntab.landscape is not first and not ntab.worker.waiting, timeout=15_000)
    assert ntab.landscape.path.shape[0] == ntab.run.steps + 1


def test_the_loss_list_follows_the_data(qtbot, ntab):
    items = [ntab.loss.itemData(i) for i in range(ntab.loss.count())]
    assert items[0] == "bce" and "cce" in items and "mse" not in items
    ntab.load_preset("wave")
    items = [ntab.loss.itemData(i) for i in range(ntab.loss.count())]
    assert items[0] == "mse" and "bce" not in items
    assert ntab.store.value.loss == "mse" and not ntab.add_class.isVisibleTo(ntab)
    expected = oracle(ntab)
    np.testing.assert_allclose(ntab.data_view.fit_curve.getData()[1], expected.fit.ys)
    np.testing.assert_allclose(bar_heights(ntab), expected.points.losses)
    ntab.load_preset("spiral3")
    assert ntab.store.value.loss == "cce" and ntab.graph_view.drawing.sizes == (2, 8, 3)


def test_new_weights_the_seed_and_the_held_out_share(qtbot, ntab):
    theta = ntab.store.value.theta
    ntab.new_weights.click()
    assert ntab.store.value.seed == 1 and ntab.store.value.theta != theta
    assert ntab.seed.value() == 1
    ntab.test_fraction.box.setValue(50)
    s = ntab.store.value
    assert s.test_fraction == 0.5
    _, test = split_rows(s.data.n, 0.5, 1)
    assert np.array_equal(np.flatnonzero(ntab.data_view.held_out), test)
    symbols = ntab.data_view.points.data["symbol"]
    assert np.array_equal(np.flatnonzero(symbols == "s"), test)


def test_the_reduction_switch_changes_the_readout(qtbot, ntab):
    points = oracle(ntab).points
    ntab.reduction.setCurrentIndex(1)
    ntab.reduction.activated.emit(1)
    assert ntab.store.value.reduction == "sum"
    assert f"{points.total:.4g}" in ntab.loss_panel.readout.text()


def test_the_window_knows_the_tab(qtbot):
    win = fresh_window(qtbot, ["--tab", "network"])
    assert win.current_tab_name() == "network" and win.is_built("network")
    tab = win.network
    assert win.tabs.tabText(4) == "Network"
    QTest.keyClick(win, Qt.Key.Key_Right)  # one step, as in the other tabs
    assert tab.run is not None and tab.run.steps == 1
    QTest.keyClick(win, Qt.Key.Key_R)
    assert tab.run is None and tab.store.value.theta == tab.store.value.start()
    QTest.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert tab.store.value.loss == "bce_logits"
    assert win.current_settings().network == tab.store.value
    QTest.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert win.current_tab_name() == "regression"
    assert win.reg_store.value.loss == "mse"  # Ctrl+2 in the network tab left the regression tab's loss alone
    win.set_tab("network")
    win.set_dark(True)
    assert tab.graph_view.drawing is not None
    tab.settle()


def test_a_csv_opened_in_front_of_the_network_tab_is_its_own(qtbot, tmp_path):
    win = fresh_window(qtbot, ["--tab", "network"])
    path = tmp_path / "curve.csv"
    path.write_text("x,y\n" + "".join(f"{x:.2f},{x * x:.3f}\n" for x in np.linspace(-2, 2, 30)))
    before = win.reg_store.value.data
    assert win.open_path(path)
    tab = win.network
    assert tab.store.value.data.n == 30 and tab.store.value.loss == "mse"
    assert win.reg_store.value.data is before  # the regression tabs keep their points
    assert win.current_tab_name() == "network"
    win.undo_action.trigger()
    assert tab.store.value.source.preset == "xor"
    tab.settle()


def test_a_session_value_reaches_the_tab(qtbot):
    win = fresh_window(qtbot, ["--tab", "network"])
    app = win.current_settings()
    from dataclasses import replace

    wanted = replace(app, network=app.network.with_source(DataSource.from_preset("moons")).with_hidden((5, 5)))
    win.apply_settings(wanted)
    tab = win.network
    assert tab.store.value.hidden == (5, 5) and tab.store.value.source.preset == "moons"
    assert tab.graph_view.drawing.sizes == (2, 5, 5, 1)
    assert win.current_settings().network == wanted.network
    tab.settle()
