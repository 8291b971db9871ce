"""What a new θ costs the classification tab, counted rather than timed (issue 13).

A parameter change must touch only what it changes: results reuse every part that does
not depend on θ (and stay equal to a fresh computation), the texts with live numbers
repaint themselves alone, each plot paints once, ten thousand points on the loss curve
are drawn one per pixel, empty items stay hidden and unchanged styles are not set again.
benchmarks/frame_speed.py times the frame; these tests check the behaviour behind it.
"""

from __future__ import annotations

import collections

import numpy as np
import pyqtgraph as pg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qt_helpers import EventCounter, settle
from lossdesk.model import ClassificationData
from lossdesk.model.classifier_snapshot import (
    PROBABILITY_BINS,
    class_histogram,
    classifier_snapshot,
)
from lossdesk.model.losses import LOSSES, softmax
from lossdesk.model.results.classification import (
    MARGIN_EDGES,
    ClassificationCache,
    DecisionMap,
    compute_classification,
    data_region,
    grid_points,
)
from lossdesk.qt.tabs.classification import ClassificationTab
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.undo import DataHistory
from lossdesk.qt.views.class_data import ClassDataView, shade_table
from lossdesk.qt.views.true_class_loss import BANDED_POINTS, one_per_pixel
from lossdesk.settings import ClassificationSettings, DataSource, SettingsStore
from lossdesk.settings.selection import PointMarks

N = 5000  # more points than the loss curve bands (BANDED_POINTS), and quick to build


def many_points(n: int = N, features: int = 2, seed: int = 3) -> ClassificationData:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    x = rng.normal(size=(n, features)) + (2 * labels[:, None] - 1)
    return ClassificationData(x, labels, 2, name="many")


def settings_on(data, loss: str = "bce", theta=(0.5, 0.5, -1.0), **kw) -> ClassificationSettings:
    return ClassificationSettings(source=DataSource.own(data), loss=loss, theta=tuple(theta), **kw)


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
    settle(qtbot, 50)
    return tab


def set_theta(tab, theta) -> None:
    tab.store.set(tab.store.value.with_theta(tuple(theta)))


# ====================================================================== results
LOSS_CASES = [
    (2, "bce", (0.5, 0.5, -1.0)),
    (2, "bce_logits", (1.5, -0.5, 0.2)),
    (2, "hinge", (0.7, 0.3, 0.1)),
    (1, "bce", (60.0, 0.0)),  # clipped probabilities
]


@pytest.mark.parametrize(("features", "loss", "theta"), LOSS_CASES)
def test_theta_moves_reuse_what_does_not_depend_on_theta_and_stay_exact(features, loss, theta):
    data = many_points(features=features)
    cache = ClassificationCache()
    s = settings_on(data, loss, theta)
    first = compute_classification(s, cache=cache)
    theta2 = list(theta)
    theta2[0] += 0.25  # a surface axis: the surface over (θ0, θ1) stays
    moved = s.with_theta(tuple(theta2))
    second = compute_classification(moved, cache=cache)
    assert second.region is first.region, "the data region is computed once per data set"
    assert second.surface.z is first.surface.z, "only θ_i, θ_j moved: the same surface"
    assert second.confidence.curve_x is first.confidence.curve_x  # the loss curve itself is θ-free
    if features == 2:
        assert second.decision.grid.shape == first.decision.grid.shape
    # the warm results equal a computation from nothing, number for number
    assert second == compute_classification(moved)
    assert first == compute_classification(s)
    assert not np.array_equal(second.snapshot.losses, first.snapshot.losses)


def test_a_new_data_set_or_another_held_parameter_is_computed_anew():
    cache = ClassificationCache()
    a = compute_classification(settings_on(many_points(seed=1)), cache=cache)
    other = many_points(seed=2)
    b = compute_classification(settings_on(other), cache=cache)
    assert b.region == data_region(other) and b.region != a.region
    held = compute_classification(settings_on(other, theta=(0.5, 0.5, 0.5)), cache=cache)
    assert held.surface.z is not b.surface.z
    np.testing.assert_array_equal(held.surface.z, compute_classification(settings_on(other, theta=(0.5, 0.5, 0.5)))
                                  .surface.z)


def test_the_probability_map_grid_is_made_once_and_never_written():
    region = ((-1.0, 2.0), (0.5, 3.0))
    flat = grid_points(*region, 7)
    assert grid_points(*region, 7) is flat
    assert not flat.flags.writeable
    gx, gy = np.linspace(*region[0], 7), np.linspace(*region[1], 7)
    np.testing.assert_array_equal(flat[3 * 7 + 5], [gx[3], gy[5]])


@pytest.mark.parametrize("loss", ["bce", "bce_logits", "cce", "cce_logits"])
def test_both_ways_equal_the_two_losses_computed_directly(loss):
    s = ClassificationSettings(source=DataSource.from_preset("three_classes" if loss.startswith("cce")
                                                            else "binary_2d"), loss=loss)
    snap = classifier_snapshot(s.data, loss, s.predictor(), s.theta_array, s.params)
    z = s.predictor().raw(s.theta_array, s.data.x)
    y = s.data.labels
    if z.ndim == 1:
        p = 1.0 / (1.0 + np.exp(-z))
        from_p, from_z = LOSSES["bce"].value(y, p), LOSSES["bce_logits"].value(y, z)
    else:
        from_p, from_z = LOSSES["cce"].value(y, softmax(z)), LOSSES["cce_logits"].value(y, z)
    assert snap.cost_from_probabilities == pytest.approx(float(np.mean(from_p)), rel=1e-12)
    assert snap.cost_from_logits == pytest.approx(float(np.mean(from_z)), rel=1e-12)
    assert snap.accuracy == float(np.mean(snap.probabilities.argmax(axis=1) == y))


def reference_histogram(values, labels, k, edges) -> np.ndarray:
    out = np.zeros((k, edges.size - 1), dtype=int)
    for c in range(k):
        out[c], _ = np.histogram(values[labels == c], bins=edges)
    return out


@given(st.lists(st.one_of(st.floats(-0.2, 1.2), st.just(float("nan"))), max_size=300), st.integers(0, 2**31))
def test_class_histogram_is_numpys_histogram_per_class(values, seed):
    rng = np.random.default_rng(seed)
    v = np.concatenate([np.asarray(values, dtype=float), rng.choice(PROBABILITY_BINS, 20),
                        np.nextafter(rng.choice(PROBABILITY_BINS, 10), 2.0)])
    labels = rng.integers(0, 3, v.size)
    np.testing.assert_array_equal(class_histogram(v, labels, 3, PROBABILITY_BINS),
                                  reference_histogram(v, labels, 3, PROBABILITY_BINS))
    m = np.clip(6.0 * v - 3.0, -3.0, 3.0)
    np.testing.assert_array_equal(class_histogram(m, labels, 3, MARGIN_EDGES),
                                  reference_histogram(m, labels, 3, MARGIN_EDGES))


# ====================================================================== the views
def test_the_shade_table_gives_the_blended_colours_within_one_level(qapp):
    view = ClassDataView()
    rng = np.random.default_rng(0)
    empty = np.zeros(0)
    for k in (2, 3, 5):
        z = rng.normal(size=(30, 30, k)) * 3
        z[0, 0] = 0.0  # every class ties
        grid = softmax(z.reshape(-1, k)).reshape(30, 30, k)
        for background in ("#ffffff", "#202124"):
            decision = DecisionMap(2, (0, 1), (0, 1), empty, np.zeros((0, 0)), grid, empty, empty)
            fast = view.shade(decision, background).astype(int)
            assert np.abs(fast - view._shade(grid, background).astype(int)).max() <= 1
            if k == 2:
                s = rng.normal(size=(30, 30)) * 2
                s[0, 0], s[0, 1] = 0.0, -1e-12  # either side of the boundary
                decision = DecisionMap(2, (0, 1), (0, 1), empty, np.zeros((0, 0)), grid, empty, empty, "score", s)
                fast = view.shade(decision, background).astype(int)
                assert np.abs(fast - view._shade(grid, background, s).astype(int)).max() <= 1
    assert shade_table(3, "#ffffff") is shade_table(3, "#ffffff")  # made once per classes and theme


def cells(x, y, view_range, pixels) -> set:
    (x0, x1), (y0, y1) = view_range
    w, h = pixels
    col = np.clip(np.floor((x - x0) * (w / (x1 - x0))), -1, w).astype(int)
    row = np.clip(np.floor((y - y0) * (h / (y1 - y0))), -1, h).astype(int)
    return set(zip(col.tolist(), row.tolist()))


def test_one_point_per_pixel_keeps_every_pixel_a_point_covers():
    rng = np.random.default_rng(1)
    p = rng.uniform(size=20000)
    x, y = p, -np.log(p)
    y[:5] = np.nan
    view_range, pixels = ((0.0, 1.03), (0.0, 9.0)), (300, 200)
    keep = one_per_pixel(x, y, view_range, pixels)
    assert keep.size < 2000 and np.unique(keep).size == keep.size
    finite = np.isfinite(y)
    assert cells(x[keep], y[keep], view_range, pixels) == cells(x[finite], y[finite], view_range, pixels)


def test_many_points_on_the_loss_curve_are_drawn_one_per_pixel_and_again_after_a_resize(qtbot, ctab):
    ctab.load_data(many_points(), "many")
    settle(qtbot)
    view = ctab.truth_view
    snap = ctab.results().snapshot
    assert snap.n > BANDED_POINTS and view.bulk.isVisible()
    assert not any(item.isVisible() for item in view.bands)
    x, y = view.drawn_points()
    assert 0 < x.size < snap.n // 4
    pairs = set(zip(snap.p_true.tolist(), snap.losses.tolist()))
    assert set(zip(x.tolist(), y.tolist())) <= pairs, "every point drawn is one of the points"
    vb = view.plot.getViewBox()
    pixels = view._pixels()
    assert cells(x, y, vb.viewRange(), pixels) == cells(snap.p_true, snap.losses, vb.viewRange(), pixels)
    view.widget.resize(view.widget.width() // 2, view.widget.height())
    settle(qtbot)
    x2, _ = view.drawn_points()
    assert view._pixels() != pixels and x2.size < x.size, "a narrower plot: fewer pixels, fewer points"


VIEWS = ("data_view", "loss_view", "hist_view", "surface_view", "truth_view", "curve_view", "point_view")


def test_a_new_theta_paints_each_plot_once_and_lays_out_nothing(qtbot, ctab):
    ctab.load_data(many_points(), "many")
    settle(qtbot, 60)
    set_theta(ctab, (0.5, 0.5, -1.0))
    settle(qtbot, 60)
    plots = {p.viewport(): p for p in ctab.findChildren(pg.PlotWidget) if p.isVisible()}
    live = {ctab.formula, ctab.both_ways, ctab.loss_panel.readout}
    for k in range(1, 4):
        with EventCounter() as counter:
            set_theta(ctab, (0.5 + 0.02 * k, 0.5, -1.0))
            settle(qtbot)
        widgets = {obj for obj in counter.paints if obj not in plots}
        assert widgets <= live, f"only the texts with live numbers repaint, not {widgets - live}"
        assert ctab not in counter.paints and ctab.side not in counter.paints
        assert not set(counter.layouts) - set(plots), "new numbers ask no layout for room"
        for viewport, plot in plots.items():
            name = next(n for n in VIEWS if getattr(ctab, n).widget is plot)
            # the loss curve (shared with the explorer) repaints its head once more when its
            # axis moves, which a single point's narrow range does at every new cost
            most = 2 if name == "curve_view" else 1
            assert counter.paints[viewport] <= most, f"{name} painted {counter.paints[viewport]} times"
    assert ctab.formula.text().count(f"{ctab.results().snapshot.cost:.4g}")
    for view in (ctab.truth_view, ctab.hist_view):  # pyqtgraph's auto range would measure every point at each paint
        assert not any(view.plot.getViewBox().state["autoRange"])
        (x0, x1), _ = view.plot.viewRange()
        assert x0 <= 0.0 and x1 >= 1.0  # yet the whole probability axis shows


def test_unchanged_styles_and_empty_items_are_left_alone(qtbot, ctab):
    ctab.load_preset("binary_2d")
    settle(qtbot)
    view = ctab.data_view
    assert not view.highlight.isVisible() and not view.selection.isVisible()
    assert not ctab.truth_view.highlight.isVisible() and not ctab.surface_view.optimum.isVisible()
    calls = collections.Counter()

    def counting(name, method):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return method(*args, **kwargs)
        return wrapper

    for i, item in enumerate(view.margins):
        item.setData = counting(f"margin {i}", item.setData)
    view.image.setRect = counting("image rect", view.image.setRect)
    axis = ctab.point_view.plot.getAxis("bottom")
    axis.setTicks = counting("ticks", axis.setTicks)
    legend = ctab.hist_view
    legend._measure_legend = counting("legend", legend._measure_legend)
    ctab.marks.select(3)
    settle(qtbot)
    assert view.selection.isVisible()
    calls.clear()
    for k in range(4):
        set_theta(ctab, (1.0 + 0.1 * k, 0.5, -0.2))
    settle(qtbot)
    assert calls == {}, f"set again though unchanged: {dict(calls)}"
    assert ctab.point_view.heights.size == 2  # the selected point's bars still follow θ
    np.testing.assert_allclose(ctab.point_view.heights, ctab.results().selected.probabilities)


def test_the_side_column_asks_the_same_height_at_a_width_whatever_its_size_now(qtbot, ctab):
    side = ctab.side
    side.setCurrentWidget(ctab.editor)
    settle(qtbot)
    asked = side.heightForWidth(326)
    for width in (300, 340, 380):
        side.resize(width, side.height())
        assert side.heightForWidth(326) == asked  # a size that chased the scroll bar never settled


def test_lines_with_nothing_to_show_are_hidden_and_come_back(qtbot, ctab):
    view = ctab.data_view
    ctab.set_loss("bce")
    ctab.load_preset("binary_1d")  # one feature: no boundary line, no margins
    settle(qtbot)
    assert not view.boundary.isVisible() and not any(item.isVisible() for item in view.margins)
    ctab.set_loss("hinge")  # one feature under hinge: the margin levels s = −1, 0, 1
    settle(qtbot)
    assert all(item.isVisible() for item in view.margins)
    np.testing.assert_array_equal(view.margins[0].getData()[1], [-1.0, -1.0])
    ctab.set_loss("bce")
    ctab.load_preset("binary_2d")
    settle(qtbot)
    assert view.boundary.isVisible() and not any(item.isVisible() for item in view.margins)
    bx, by = view.boundary.getData()
    d = ctab.results().decision
    np.testing.assert_array_equal(bx, d.boundary_x)
    np.testing.assert_array_equal(by, d.boundary_y)
