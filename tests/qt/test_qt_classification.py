"""The classification tab: probabilities, losses and descent for labelled points."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lossdesk.model import LOSSES, make_preset, read_csv, sigmoid, softmax
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.tabs.classification import ClassificationTab
from lossdesk.qt.undo import DataHistory
from lossdesk.settings import ClassificationSettings, DataSource, SettingsStore
from lossdesk.settings.selection import PointMarks
from qt_helpers import double_click, drag, open_cell_editor, type_into


@pytest.fixture
def ctab(qtbot):
    """The tab on its own, built as the main window builds it."""
    configure_pyqtgraph()
    store = SettingsStore(ClassificationSettings())
    tab = ClassificationTab(store, DataHistory(store), PointMarks())
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.wait(50)
    return tab


def set_theta(tab, theta) -> None:
    tab.store.set(tab.store.value.with_theta(theta))


def snapshot(tab):
    return tab.results().snapshot


def bar_heights(tab) -> np.ndarray:
    return np.asarray(tab.loss_view.bars.opts["height"], dtype=float)


def test_views_hold_the_model_probabilities_and_losses(ctab):
    set_theta(ctab, [1.3, -0.2])
    data = ctab.store.value.data
    z = 1.3 * data.x[:, 0] - 0.2
    p = sigmoid(z)
    expected = LOSSES["bce"].value(data.labels, p)
    np.testing.assert_allclose(bar_heights(ctab), expected)
    np.testing.assert_allclose(snapshot(ctab).probabilities[:, 1], p)
    xs, ys = ctab.data_view.curves[0].getData()
    np.testing.assert_allclose(ys, sigmoid(1.3 * xs - 0.2))
    # the −log p view marks each point at its true class's probability
    marked = np.concatenate([np.column_stack(item.getData()) for item in ctab.truth_view.bands])
    truth = np.column_stack([np.where(data.labels == 1, p, 1 - p), expected])
    np.testing.assert_allclose(marked[np.lexsort(marked.T[::-1])], truth[np.lexsort(truth.T[::-1])])
    # the histogram counts every point once, split by class
    counts = [c.getData()[1] for c in ctab.hist_view.curves[:2]]
    assert [int(c.sum()) for c in counts] == [int(np.sum(data.labels == 0)), int(np.sum(data.labels == 1))]


def test_decision_boundary_moves_with_the_parameters(qtbot, ctab):
    ctab.load_preset("binary_2d")
    set_theta(ctab, [1.0, 1.0, 0.0])
    xs, ys = ctab.data_view.boundary.getData()
    np.testing.assert_allclose(ys, -xs)
    set_theta(ctab, [1.0, 2.0, 1.0])
    xs2, ys2 = ctab.data_view.boundary.getData()
    np.testing.assert_allclose(ys2, -(xs2 + 1.0) / 2.0)
    assert not np.allclose(ys, ys2)


def test_dragging_the_surface_handle_sets_two_parameters(qtbot, ctab):
    start = ctab.store.value.theta  # the handle sits at θ
    drag(qtbot, ctab.surface_view.widget, start, (2.0, -1.0))
    theta = ctab.store.value.theta
    assert theta[0] == pytest.approx(2.0, abs=0.15)
    assert theta[1] == pytest.approx(-1.0, abs=0.15)
    xs, ys = ctab.data_view.curves[0].getData()
    np.testing.assert_allclose(ys, sigmoid(theta[0] * xs + theta[1]))


def test_the_surface_axes_are_settings(qtbot, ctab):
    ctab.load_preset("binary_2d")  # θ = (w1, w2, b)
    ctab.param_j.activated.emit(2)
    assert ctab.store.value.surface_axes == (0, 2)
    assert ctab.results().surface.labels == ("w1", "b")
    ctab.param_i.activated.emit(2)  # the other axis's parameter: the two swap
    assert ctab.store.value.surface_axes == (2, 0)
    set_theta(ctab, [0.5, 0.0, -1.5])
    drag(qtbot, ctab.surface_view.widget, (-1.5, 0.5), (1.0, 2.0))
    theta = ctab.store.value.theta
    assert theta[2] == pytest.approx(1.0, abs=0.2) and theta[0] == pytest.approx(2.0, abs=0.2)
    assert theta[1] == 0.0


def test_a_label_of_2_is_refused_in_the_editor(qtbot, ctab):
    ctab.side.setCurrentWidget(ctab.editor)
    before = ctab.store.value.data
    editor = open_cell_editor(ctab.editor.table, 0, 1)  # the label column
    editor.selectAll()
    qtbot.keyClicks(editor, "2")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(10)
    assert ctab.store.value.data == before
    assert "labels are 0 to 1" in ctab.editor.message.text()


def test_a_three_class_csv_is_refused_under_bce(qtbot, ctab, tmp_path):
    path = tmp_path / "three.csv"
    path.write_text("x,label\n0.1,0\n0.5,1\n0.9,2\n")
    three = read_csv(path)
    before = ctab.store.value.data
    assert "two classes" in ctab.data_problem(three)
    assert ctab.store.value.data == before
    ctab.set_loss("cce")
    assert ctab.data_problem(three) is None
    ctab.load_data(three, "Open three.csv")
    assert ctab.store.value.data.n_classes == 3
    assert ctab.preset.currentText() == "own data"
    assert not ctab.noise.isEnabled()


def test_a_three_class_csv_is_refused_under_bce_in_the_window(qtbot, window, tmp_path):
    window.set_tab("classification")
    ctab = window.classification
    path = tmp_path / "three.csv"
    path.write_text("x,label\n0.1,0\n0.5,1\n0.9,2\n")
    before = ctab.store.value.data
    assert window.open_path(path) is False
    assert ctab.store.value.data == before
    assert "Labels outside 0 and 1" in window._last_box.windowTitle()
    window._last_box.close()
    ctab.set_loss("cce")
    assert window.open_path(path) is True
    assert ctab.store.value.data.n_classes == 3


def test_switching_to_bce_on_three_classes_says_why_it_cannot(qtbot, ctab):
    ctab.set_loss("cce")
    ctab.load_preset("three_classes")
    assert not ctab.banner.isVisible()
    ctab.set_loss("bce")
    assert ctab.banner.isVisible()
    assert "needs two classes" in ctab.banner.text()
    assert not ctab.descent.isEnabled()
    assert ctab.results().label_problem is not None
    ctab.set_loss("cce_logits")
    assert not ctab.banner.isVisible()
    assert ctab.descent.isEnabled()


def test_softmax_regions_and_point_probabilities(qtbot, ctab):
    ctab.set_loss("cce")
    ctab.load_preset("three_classes")
    theta = np.linspace(-1, 1, 9)
    set_theta(ctab, theta)
    s = ctab.store.value
    z = s.predictor().raw(theta, s.data.x)
    p = softmax(z)
    np.testing.assert_allclose(bar_heights(ctab), LOSSES["cce"].value(s.data.labels, p))
    ctab.marks.select(4)
    np.testing.assert_allclose(ctab.point_view.heights, p[4])
    assert f"{p[4, s.data.labels[4]]:.4f}" in ctab.point_text.text()
    assert ctab.data_view.image.isVisible()


def test_play_lowers_the_cost_on_separable_data(qtbot, ctab):
    ctab.load_preset("binary_2d")
    start = snapshot(ctab).cost
    qtbot.mouseClick(ctab.descent.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctab.run is not None and ctab.run.steps >= 60, timeout=15_000)  # from a wrong-ish start
    qtbot.mouseClick(ctab.descent.play, Qt.MouseButton.LeftButton)
    assert snapshot(ctab).cost < 0.5 * start
    assert snapshot(ctab).accuracy == 1.0
    np.testing.assert_allclose(ctab.curve_view.curve.getData()[1], ctab.run.costs)
    # the readout shows the same step as the curve
    assert f"step {ctab.run.steps} " in ctab.curve_panel.readout.text()
    assert tuple(ctab.run.theta) == ctab.store.value.theta


def test_reset_goes_back_to_the_start_and_setting_theta_drops_the_run(qtbot, ctab):
    start = ctab.store.value.theta
    assert start == ctab.store.value.start() and start != (0.0, 0.0)  # not flat: see test_default_is_not_flat
    ctab.run_steps(20)
    assert ctab.run is not None and ctab.store.value.theta != start
    ctab.descent.reset()
    assert ctab.run is None and ctab.store.value.theta == start
    ctab.run_steps(5)
    set_theta(ctab, [0.3, 0.1])
    assert ctab.run is None
    assert ctab.results().path.steps == 0


def test_clipping_is_reported_when_the_model_is_overconfident(ctab):
    set_theta(ctab, [60.0, 0.0])
    text = ctab.both_ways.text()
    assert "30 points" in text and "rounded off" in text
    snap = snapshot(ctab)
    assert snap.cost_from_logits < snap.cost_from_probabilities


def test_logit_playground(qtbot, ctab):
    pg = ctab.playground
    ctab.side.setCurrentWidget(pg)
    type_into(qtbot, pg.sliders[0].box, "3")
    type_into(qtbot, pg.sliders[1].box, "-1")
    type_into(qtbot, pg.sliders[2].box, "0.5")
    pg.true_class.setCurrentIndex(1)
    z = np.array([3.0, -1.0, 0.5])
    np.testing.assert_allclose(pg.view.heights, softmax(z[None, :])[0])
    assert pg.loss == pytest.approx(np.log(np.exp(z).sum()) - z[1])
    assert f"{pg.loss:.4f}" in pg.readout.text()


def test_undo_in_classification_is_its_own_history(qtbot, window):
    window.set_tab("classification")
    ctab = window.classification
    original = ctab.store.value.data
    ctab.load_preset("mislabeled")
    assert ctab.store.value.data == make_preset("mislabeled")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctab.store.value.data == original
    assert window.explorer.store.value.data == make_preset("outliers")


def test_every_data_edit_is_one_undo_step(qtbot, ctab):
    history = ctab.history
    data = ctab.store.value.data
    row = int(np.argmax(data.x[:, 0]))  # the rightmost point: no other under it
    x0 = float(data.x[row, 0])
    drag(qtbot, ctab.data_view.widget, (x0, float(data.labels[row])), (x0 - 1.0, float(data.labels[row])))
    assert ctab.store.value.data.x[row, 0] == pytest.approx(x0 - 1.0, abs=0.1)
    assert history.undo_stack.count() == 1  # the whole drag
    assert ctab.preset.currentText() == "own data"
    ctab.store.update(add_label=1)
    assert ctab.add_class.currentIndex() == 1
    double_click(qtbot, ctab.data_view.widget, 0.2, 0.5)
    added = ctab.store.value.data
    assert added.n == data.n + 1 and added.labels[-1] == 1
    assert ctab.marks.selected == added.n - 1
    ctab.relabel(0, 1)
    assert ctab.store.value.data.labels[0] == 1
    ctab.marks.select(0)
    ctab.remove_selected()
    assert ctab.store.value.data.n == data.n
    assert history.undo_stack.count() == 4
    for _ in range(4):
        history.undo_stack.undo()
    assert ctab.store.value.data == data
    assert ctab.preset.currentText() == "binary_1d"


def test_minus_zero_spread_is_zero(qtbot, ctab):
    type_into(qtbot, ctab.noise.box, "-0")
    source = ctab.store.value.source
    assert source.preset == "binary_1d" and source.noise_level == 0.0


def test_a_whole_new_value_is_shown_completely(qtbot, ctab):
    value = ClassificationSettings(source=DataSource.from_preset("five_classes"), loss="cce_logits",
                                   theta=tuple(np.linspace(-1, 1, 15)), surface_axes=(3, 7), add_label=4)
    ctab.store.set(value)
    assert ctab.loss.currentData() == "cce_logits"
    assert (ctab.param_i.currentIndex(), ctab.param_j.currentIndex()) == (3, 7)
    assert ctab.add_class.currentIndex() == 4 and ctab.add_class.count() == 5
    assert ctab.preset.currentText() == "five_classes"
    z = value.predictor().raw(value.theta_array, value.data.x)
    np.testing.assert_allclose(bar_heights(ctab), LOSSES["cce_logits"].value(value.data.labels, z))


def test_a_hidden_tab_computes_nothing_and_is_fresh_when_shown(qtbot, ctab, monkeypatch):
    import lossdesk.qt.tabs.classification as module

    calls = []
    real = module.compute_classification
    monkeypatch.setattr(module, "compute_classification", lambda *a, **k: calls.append(1) or real(*a, **k))
    ctab.set_active(False)
    for w in (0.5, 1.0, 1.5):
        set_theta(ctab, [w, 0.0])
    assert calls == []
    assert ctab.results().snapshot.theta[0] == 1.5  # asked for, the results are current
    ctab.set_active(True)
    xs, ys = ctab.data_view.curves[0].getData()
    np.testing.assert_allclose(ys, sigmoid(1.5 * xs))
