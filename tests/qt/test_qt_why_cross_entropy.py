"""The classification tab's "BCE or squared error?" page and squared error on p in the loss
list (issue 15), driven as a user would, with the model layer as the oracle."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from test_qt_classification_penalty import choose
from test_qt_classification_speed import settle
from test_screen_matrix import _clipped_texts

from lossdesk.model import Objective, sigmoid
from lossdesk.model.confidence import gradient_size_against_confidence
from lossdesk.model.results.classification import COMPARED, wrong_start_race
from lossdesk.model.surface import parameter_surface
from lossdesk.qt.formula import num
from lossdesk.qt.tabs.classification import WHY_TAB, ClassificationTab
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.undo import DataHistory
from lossdesk.settings import ClassificationSettings, SettingsStore
from lossdesk.settings.selection import PointMarks
from qt_helpers import fresh_window


@pytest.fixture
def ctab(qtbot):
    """The tab on its own (one feature, two classes), built as the main window builds it."""
    configure_pyqtgraph()
    store = SettingsStore(ClassificationSettings())
    tab = ClassificationTab(store, DataHistory(store), PointMarks())
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    settle(qtbot, 50)
    return tab


def open_page(qtbot, tab) -> None:
    """The "BCE or squared error? ›" button under the loss opens the page."""
    qtbot.mouseClick(tab.why_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert tab.side.currentWidget() is tab.why_page and tab.side.tabText(tab.side.currentIndex()) == WHY_TAB


# ---------------------------------------------------------------------------- squared error on p
def test_squared_error_on_p_from_the_loss_list_costs_the_mean_of_the_squared_probability_errors(qtbot, ctab):
    choose(qtbot, ctab.loss, "brier")
    settle(qtbot)
    s = ctab.store.value
    assert s.loss == "brier" and ctab.loss.currentText() == "Squared error on p"
    w, b = s.theta
    p = sigmoid(w * s.data.x[:, 0] + b)
    y = s.data.labels
    expected = float(np.mean((p - y) ** 2))
    assert ctab.results().cost == pytest.approx(expected, rel=1e-12)
    assert f"<b>{num(expected)}</b>" in ctab.formula.text()
    np.testing.assert_allclose(np.asarray(ctab.loss_view.bars.opts["height"], dtype=float), (p - y) ** 2,
                               rtol=1e-12)
    # its own confidence curve: (1 − q)² against the probability q of the true class, at most 1
    cx, cy = ctab.truth_view.curve.getData()
    np.testing.assert_allclose(cy, (1 - cx) ** 2)
    q = np.where(y == 1, p, 1 - p)
    x_drawn, y_drawn = ctab.truth_view.drawn_points()
    order = np.argsort(x_drawn)
    np.testing.assert_allclose(x_drawn[order], np.sort(q))
    np.testing.assert_allclose(y_drawn[order], (1 - np.sort(q)) ** 2, atol=1e-15)
    assert ctab.truth_view.plot.viewRange()[1][1] < 1.5  # the axis spans the loss's range, 0 to 1
    assert "logarithm" in ctab.both_ways.text()


# ---------------------------------------------------------------------------- the page
def test_the_page_shows_both_surfaces_and_the_gradient_sizes_of_the_model(qtbot, ctab):
    open_page(qtbot, ctab)
    page = ctab.why_page
    assert page.pair.isVisible() and not page.problem.isVisible()
    s = ctab.store.value
    theta = s.theta_array
    for name in COMPARED:
        view = page.surfaces.plots[name]
        w = view.window
        model = Objective.create(name, s.data.x, s.data.labels, s.predictor())
        np.testing.assert_allclose(view.z, parameter_surface(model, theta, 0, 1, w.w_grid, w.b_grid))
        assert view.at == (float(theta[0]), float(theta[1]))
        assert w.w_range == ctab.results().surface.window.w_range  # the main surface's window
    expected = gradient_size_against_confidence(("bce", "brier"))
    for name in COMPARED:
        x, y = page.gradient_view.drawn(name)
        np.testing.assert_array_equal(x, expected.p_true)
        np.testing.assert_array_equal(y, expected.sizes[name])
    # the points on their curves: cross-entropy's pull 1 − q, squared error's 2(1 − q)²q
    p = sigmoid(theta[0] * s.data.x[:, 0] + theta[1])
    q = np.where(s.data.labels == 1, p, 1 - p)
    dots = page.gradient_view.points
    np.testing.assert_allclose(np.sort(dots["bce"].data["x"]), np.sort(q))
    np.testing.assert_allclose(np.sort(dots["bce"].data["y"]), np.sort(1 - q), rtol=1e-9)
    np.testing.assert_allclose(np.sort(dots["brier"].data["y"]), np.sort(2 * (1 - q) ** 2 * q), rtol=1e-9)
    # θ moved on the main surface: the marks follow on both small ones
    ctab.store.set(s.with_theta((1.5, 0.25)))
    settle(qtbot)
    assert all(page.surfaces.plots[name].at == (1.5, 0.25) for name in COMPARED)


def test_the_race_arrives_and_cross_entropy_gets_there_first(qtbot, ctab):
    open_page(qtbot, ctab)
    page = ctab.why_page
    assert not page.race_view.curves["bce"].isVisible()
    qtbot.mouseClick(page.race_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctab.race is not None and not ctab.race_worker.waiting, timeout=15000)
    settle(qtbot)
    race = ctab.race
    assert race.own_points  # the tab's own points: a line gets them right
    fast, slow = race.reached["bce"], race.reached["brier"]
    assert fast is not None and slow is not None and fast < slow
    oracle = wrong_start_race(ctab.store.value.data)
    for name in COMPARED:
        x, y = page.race_view.drawn(name)
        np.testing.assert_array_equal(y, oracle.accuracy[name])
        assert page.race_view.dots[name].isVisible()
    assert page.caption.text() == oracle.caption and f"in {fast} steps" in page.caption.text()
    # new points: the old race is no longer theirs
    ctab.load_preset("binary_2d")
    settle(qtbot)
    assert not page.race_view.curves["bce"].isVisible() and "again" in page.caption.text()


def test_three_classes_say_why_there_is_nothing_to_compare(qtbot, ctab):
    ctab.set_loss("cce")
    ctab.load_preset("three_classes")
    open_page(qtbot, ctab)
    page = ctab.why_page
    assert page.problem.isVisible() and "two classes" in page.problem.text()
    assert not page.pair.isVisible() and not page.race_button.isVisible()
    ctab.set_loss("bce")  # now the loss cannot score these labels at all: the page says so too
    settle(qtbot)
    assert page.problem.isVisible() and page.problem.text()


def test_the_page_is_worked_out_only_while_it_is_shown(qtbot, ctab):
    assert ctab.results().comparison is None
    open_page(qtbot, ctab)
    assert ctab.results().comparison is not None
    ctab.side.setCurrentIndex(0)
    settle(qtbot)
    assert ctab.results().comparison is None


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_the_page_reads_at_larger_text_in_the_dark(qtbot, size):
    win = fresh_window(qtbot, ["--tab", "classification", "--theme", "dark", "--font-scale", "1.5",
                               "--size", f"{size[0]}x{size[1]}"], size)
    try:
        tab = win.classification
        tab.side.setCurrentWidget(tab.why_page)
        qtbot.mouseClick(tab.why_page.race_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.race is not None and not tab.race_worker.waiting, timeout=15000)
        settle(qtbot, 60)
        assert win.size().toTuple() == size
        assert _clipped_texts(tab.why_page) == []
        for plot in tab.why_page.findChildren(pg.PlotWidget):
            assert plot.height() >= 100 and plot.backgroundBrush().color().lightnessF() < 0.3
    finally:
        win.set_dark(False, remember=False)
        win.set_font_scale(1.0, remember=False)
