"""The classification tab in front of a class: axes, theme, larger text, hinge, legends, defaults, words.

The model layer (results, losses) is the oracle; the tests read what the views hold.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QComboBox, QLabel

from lossdesk.model import LOSSES
from lossdesk.qt import theme
from lossdesk.settings import ClassificationSettings, DataSource


@pytest.fixture
def ctab(window):
    window.set_tab("classification")
    yield window.classification
    window.set_dark(False, remember=False)
    window.set_font_scale(1.0, remember=False)


def plots(tab) -> list[pg.PlotWidget]:
    return tab.findChildren(pg.PlotWidget)


def colour(pen_or_brush) -> str:
    return pen_or_brush.color().name()


def use(tab, preset: str, loss: str) -> None:
    tab.store.set(ClassificationSettings(source=DataSource.from_preset(preset), loss=loss))


# ------------------------------------------------------------------ 1. axes
def test_no_axis_scales_its_ticks_and_a_flat_cost_gets_room(qtbot, ctab):
    for widget in plots(ctab):
        for name in ("left", "bottom"):
            axis = widget.getAxis(name)
            assert not axis.autoSIPrefix and axis.autoSIPrefixScale == 1
    cost = ctab.results().snapshot.cost
    low, high = ctab.curve_view.plot.viewRange()[1]
    assert low <= cost <= high
    assert high - low >= 0.02 * cost  # one point: a few percent of room, not 1e-12
    assert high - low <= 2.0 * cost


# ------------------------------------------------------------------ 3. dark theme
def test_the_dark_theme_reaches_every_item(qtbot, ctab):
    use(ctab, "binary_2d", "bce")
    ctab.marks.select(0)
    ctab.window().set_dark(True, remember=False)
    look = theme.look()
    assert look.dark
    view = ctab.data_view
    assert colour(view.boundary.opts["pen"]) == look.ink
    assert colour(view.points.opts["pen"]) == look.ink
    assert colour(view.selection.opts["pen"]) == look.ink
    assert colour(ctab.point_view.truth.opts["pen"]) == look.ink
    for item in ctab.truth_view.bands:
        assert colour(item.opts["pen"]) == look.ink
    for _sample, label in ctab.hist_view.legend.items:
        assert label.opts["color"] in (look.ink, pg.mkColor(look.ink))
    assert look.panel in ctab.formula.styleSheet()
    assert look.error in ctab.banner.styleSheet()
    # the shade fades to the dark background (not to white) where p = ½
    grid = np.full((3, 3, 2), 0.5)
    shade = view._shade(grid, look.background)
    background = np.array(pg.mkColor(look.background).getRgb()[:3])
    assert np.abs(shade[..., :3].astype(int) - background).max() <= 0.12 * 255 * 1.01
    assert shade[..., :3].mean() < 100  # dark, not the white it used to fade to


def test_clipping_words_follow_the_theme(qtbot, ctab):
    ctab.store.set(ctab.store.value.with_theta([60.0, 0.0]))
    assert theme.look().error in ctab.both_ways.text()
    ctab.window().set_dark(True, remember=False)
    assert theme.look().error in ctab.both_ways.text()


# ------------------------------------------------------------------ 4. larger text
def test_the_tab_fits_a_projector_at_larger_text(qtbot, ctab):
    window = ctab.window()
    window.set_font_scale(1.5, remember=False)
    hint = ctab.minimumSizeHint()
    assert hint.width() <= 700 and hint.height() <= 560
    window.resize(1024, 640)
    qtbot.wait(50)
    controls = ctab.side.widget(0)
    for combo in controls.findChildren(QComboBox):
        if combo.isVisibleTo(controls):
            assert combo.width() >= combo.minimumSizeHint().width(), combo.currentText()
    for label in controls.findChildren(QLabel):  # wrapped text is never cut off at the bottom
        if label.wordWrap() and label.isVisibleTo(controls) and label.text():
            assert label.height() >= label.heightForWidth(label.width()) - 1, label.text()


# ------------------------------------------------------------------ 5. headers
def test_the_header_combo_shows_its_whole_text(qtbot, ctab):
    window = ctab.window()
    window.set_font_scale(1.5, remember=False)
    window.resize(1024, 640)
    qtbot.wait(50)
    combo = ctab.add_class
    assert combo.currentText() == "add class 0"
    assert combo.width() >= combo.minimumSizeHint().width()
    metrics = combo.fontMetrics()
    assert combo.width() > metrics.horizontalAdvance(combo.currentText())


# ------------------------------------------------------------------ 8. hinge shows scores and margins
def test_hinge_shows_scores_and_margins(qtbot, ctab):
    ctab.set_loss("hinge")
    res = ctab.results()
    assert res.shows_scores and res.spread.kind == "margin"
    snap = res.snapshot
    t = 2.0 * snap.labels - 1.0
    margins = np.clip(t * snap.logits, -3.0, 3.0)
    counts = [c.getData()[1] for c in ctab.hist_view.curves[:2]]
    for c in range(2):
        expected, _ = np.histogram(margins[snap.labels == c], bins=res.spread.edges)
        np.testing.assert_array_equal(counts[c], expected)
    assert "margin" in ctab.hist_view.plot.getAxis("bottom").labelText
    assert "probab" not in ctab.hist_view.plot.getAxis("bottom").labelText.lower()
    assert ctab.hist_panel.title.text() == "Margins"
    assert ctab.truth_panel.title.text() == "Loss against margin"
    # the data view draws the score line s = w·x + b, with the points at t = ±1
    w, b = ctab.store.value.theta
    xs, ys = ctab.data_view.curves[0].getData()
    np.testing.assert_allclose(ys, w * xs + b)
    np.testing.assert_array_equal(ctab.data_view.py, t)
    # a selected point shows the two classes' scores, not probabilities
    ctab.marks.select(3)
    z = float(snap.logits[3])
    np.testing.assert_allclose(ctab.point_view.heights, [-z, z])
    assert "margin" in ctab.point_text.text()
    # and back: probabilities again
    ctab.set_loss("bce")
    assert ctab.hist_panel.title.text() == "Predicted probabilities"
    xs, ys = ctab.data_view.curves[0].getData()
    np.testing.assert_allclose(ys, 1.0 / (1.0 + np.exp(-(w * xs + b))))


def test_hinge_in_the_plane_draws_the_margin_lines(qtbot, ctab):
    use(ctab, "binary_2d", "hinge")
    d = ctab.results().decision
    assert d.kind == "score" and len(d.margin_lines) == 2
    w1, w2, b = ctab.store.value.theta
    for item, level in zip(ctab.data_view.margins, (-1.0, 1.0)):
        xs, ys = item.getData()
        np.testing.assert_allclose(w1 * xs + w2 * ys + b, level, atol=1e-9)


# ------------------------------------------------------------------ 9. legends
def test_the_five_class_legend_covers_no_bar(qtbot, ctab):
    use(ctab, "five_classes", "cce")
    qtbot.wait(50)
    view = ctab.hist_view
    legend = view.legend
    if not legend.isVisible():
        pytest.skip("the plot is too small for a legend")
    box = legend.sceneBoundingRect()
    vb = view.plot.getViewBox()
    assert vb.sceneBoundingRect().contains(box)
    spread = ctab.results().spread
    for c in range(spread.counts.shape[0]):
        for i, count in enumerate(spread.counts[c]):
            if count == 0:
                continue
            for x in (spread.edges[i], spread.edges[i + 1]):
                top = vb.mapViewToScene(pg.Point(x, count))
                assert not box.contains(top), (c, i, count)


# ------------------------------------------------------------------ 11. a default worth looking at
def test_the_default_is_not_flat(qtbot, ctab):
    snap = ctab.results().snapshot
    assert np.ptp(snap.losses) > 0.3  # points have different losses
    assert np.ptp(snap.probabilities[:, 1]) > 0.3
    assert 0.3 < snap.accuracy < 1.0  # wrong-ish: descent has work to do
    heights = np.asarray(ctab.loss_view.bars.opts["height"], dtype=float)
    np.testing.assert_allclose(heights, LOSSES["bce"].value(snap.labels, snap.probabilities[:, 1]))
    assert int((np.asarray(ctab.hist_view.curves[1].getData()[1]) > 0).sum()) > 1  # not one spike
    for preset, loss in (("five_classes", "cce"), ("binary_2d", "bce"), ("binary_1d", "hinge")):
        use(ctab, preset, loss)
        snap = ctab.results().snapshot
        assert np.ptp(snap.losses) > 0.2 and snap.accuracy < 1.0, preset
    # a preset chosen in the tab starts there too, and Reset goes back to it
    ctab.load_preset("overlapping")
    start = ctab.store.value.start()
    assert ctab.store.value.theta == start and np.ptp(ctab.results().snapshot.losses) > 0.2
    ctab.run_steps(5)
    ctab.descent.reset()
    assert ctab.store.value.theta == start


# ------------------------------------------------------------------ 13. plain words
def test_plain_words_not_markup(qtbot, ctab):
    use(ctab, "three_classes", "cce")
    texts = [ctab.param_i.itemText(i) for i in range(ctab.param_i.count())]
    assert texts[0] == "x₁ weight, class 0" and texts[2] == "bias, class 0"
    assert all("[" not in t for t in texts)
    assert ctab.param_i.itemData(0, 3) == "weight of x₁ for class 0"  # the tooltip says it in full
    for name in ("bottom", "left"):
        assert "[" not in ctab.surface_view.plot.getAxis(name).labelText
    words = ctab.both_ways.text()
    for jargon in ("clipped", "logits", "both agree"):
        assert jargon not in words
    assert "logits" in ctab.both_ways.toolTip()
    for name in ("bce_logits", "cce", "cce_logits"):  # the formula bar and the loss list's tooltips
        ctab.set_loss(name)
        assert "{" not in ctab.formula.text() and "^" not in ctab.formula.text() and "_" not in ctab.formula.text()
        tip = ctab.loss.itemData(ctab.loss.currentIndex(), 3)
        assert "{" not in tip and "^" not in tip
    assert ctab.loss.itemText(ctab.loss.findData("cce_logits")) == "Categorical, from scores"
    playground = ctab.playground
    for label in playground.findChildren(QLabel):
        assert "{" not in label.text() and "^" not in label.text()
    assert playground.sliders[0].label.text() == "z₀"
