"""The classification tab: probabilities, losses and descent for labelled points."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lossdesk.model import LOSSES, make_preset, sigmoid, softmax
from qt_helpers import drag, open_cell_editor, type_into


@pytest.fixture
def ctab(qtbot, window):
    window.set_tab("classification")
    qtbot.wait(50)
    return window.classification


def bar_heights(tab) -> np.ndarray:
    return np.asarray(tab.loss_view.bars.opts["height"], dtype=float)


def test_views_hold_the_model_probabilities_and_losses(ctab):
    s = ctab.state
    s.set_theta(np.array([1.3, -0.2]))
    data = s.data
    z = 1.3 * data.x[:, 0] - 0.2
    p = sigmoid(z)
    expected = LOSSES["bce"].value(data.labels, p)
    np.testing.assert_allclose(bar_heights(ctab), expected)
    np.testing.assert_allclose(ctab.snapshot.probabilities[:, 1], p)
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
    s = ctab.state
    s.set_theta(np.array([1.0, 1.0, 0.0]))
    xs, ys = ctab.data_view.boundary.getData()
    np.testing.assert_allclose(ys, -xs)
    s.set_theta(np.array([1.0, 2.0, 1.0]))
    xs2, ys2 = ctab.data_view.boundary.getData()
    np.testing.assert_allclose(ys2, -(xs2 + 1.0) / 2.0)
    assert not np.allclose(ys, ys2)


def test_dragging_the_surface_handle_sets_two_parameters(qtbot, ctab):
    s = ctab.state
    drag(qtbot, ctab.surface_view.widget, (0.0, 0.0), (2.0, -1.0))
    assert s.theta[0] == pytest.approx(2.0, abs=0.15)
    assert s.theta[1] == pytest.approx(-1.0, abs=0.15)
    xs, ys = ctab.data_view.curves[0].getData()
    np.testing.assert_allclose(ys, sigmoid(s.theta[0] * xs + s.theta[1]))


def test_a_label_of_2_is_refused_in_the_editor(qtbot, ctab):
    ctab.side.setCurrentWidget(ctab.editor)
    before = ctab.state.data
    editor = open_cell_editor(ctab.editor.table, 0, 1)  # the label column
    editor.selectAll()
    qtbot.keyClicks(editor, "2")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(10)
    assert ctab.state.data == before
    assert "labels are 0 to 1" in ctab.editor.message.text()


def test_a_three_class_csv_is_refused_under_bce(qtbot, window, ctab, tmp_path):
    path = tmp_path / "three.csv"
    path.write_text("x,label\n0.1,0\n0.5,1\n0.9,2\n")
    before = ctab.state.data
    assert window.open_path(path) is False
    assert ctab.state.data == before
    assert "Labels outside 0 and 1" in window._last_box.windowTitle()
    window._last_box.close()
    ctab.set_loss("cce")
    assert window.open_path(path) is True
    assert ctab.state.data.n_classes == 3


def test_switching_to_bce_on_three_classes_says_why_it_cannot(qtbot, ctab):
    ctab.set_loss("cce")
    ctab.load_preset("three_classes")
    assert not ctab.banner.isVisible()
    ctab.set_loss("bce")
    assert ctab.banner.isVisible()
    assert "needs two classes" in ctab.banner.text()
    assert not ctab.descent.isEnabled()
    ctab.set_loss("cce_logits")
    assert not ctab.banner.isVisible()
    assert ctab.descent.isEnabled()


def test_softmax_regions_and_point_probabilities(qtbot, ctab):
    ctab.set_loss("cce")
    ctab.load_preset("three_classes")
    s = ctab.state
    theta = np.linspace(-1, 1, 9)
    s.set_theta(theta)
    z = s.predictor().raw(theta, s.data.x)
    p = softmax(z)
    np.testing.assert_allclose(bar_heights(ctab), LOSSES["cce"].value(s.data.labels, p))
    s.select(4)
    np.testing.assert_allclose(ctab.point_view.heights, p[4])
    assert f"{p[4, s.data.labels[4]]:.4f}" in ctab.point_text.text()
    assert ctab.data_view.image.isVisible()


def test_play_lowers_the_cost_on_separable_data(qtbot, ctab):
    ctab.load_preset("binary_2d")
    start = ctab.snapshot.cost
    qtbot.mouseClick(ctab.descent.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctab.state.run is not None and ctab.state.run.steps >= 30, timeout=10_000)
    qtbot.mouseClick(ctab.descent.play, Qt.MouseButton.LeftButton)
    assert ctab.snapshot.cost < 0.5 * start
    assert ctab.snapshot.accuracy == 1.0
    np.testing.assert_allclose(ctab.curve_view.curve.getData()[1], ctab.state.run.costs)


def test_clipping_is_reported_when_the_model_is_overconfident(ctab):
    ctab.state.set_theta(np.array([60.0, 0.0]))
    text = ctab.both_ways.text()
    assert "changed" in text
    snap = ctab.snapshot
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


def test_undo_in_classification_is_its_own_history(qtbot, window, ctab):
    original = ctab.state.data
    ctab.load_preset("mislabeled")
    assert ctab.state.data == make_preset("mislabeled")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctab.state.data == original
    assert window.explorer.state.data == make_preset("outliers")
