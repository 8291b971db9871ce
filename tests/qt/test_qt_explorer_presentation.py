"""The regression explorer in front of a class: every theme, text size and data set.

Issue 12's defects on this tab, checked on what the views hold, with the model layer
(results, losses, settings) as the oracle: no SI-prefix axes and readable ranges, the
dark theme on every item, larger text that grows the formula and cuts no control,
readouts in whole parts, points kept in sight and out from under the legend, one
residual convention, a default descent worth watching, plain words.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel

from lossdesk.model import RegressionData
from lossdesk.model.results.regression import start_run
from lossdesk.model.results.runs import advance_run
from lossdesk.qt import theme
from lossdesk.qt.formula import cost_formula_html
from lossdesk.settings import DataSource, RegressionSettings
from lossdesk.settings.regression import EXPLORER_LR, LINE_LIMIT

LOSSES = ("mse", "mae", "huber", "logcosh", "quantile")


def plots(explorer) -> list[pg.PlotWidget]:
    return [explorer.data_view.widget, explorer.hist_view.widget, explorer.loss_view.widget,
            explorer.surface_view.widget, explorer.curve_view.widget]


def assert_no_si_prefix(explorer) -> None:
    for widget in plots(explorer):
        for name in ("left", "bottom"):
            axis = widget.getAxis(name)
            assert not axis.autoSIPrefix and axis.autoSIPrefixScale == 1, (widget, name)
            assert "(x" not in axis.labelString()


def points_in_view(explorer) -> bool:
    (x0, x1), (y0, y1) = explorer.data_view.plot.viewRange()
    data = explorer.store.value.data
    return bool(data.x.min() >= x0 and data.x.max() <= x1 and data.y.min() >= y0 and data.y.max() <= y1)


def legend_inside_and_clear(explorer) -> None:
    view = explorer.data_view
    vb = view.plot.getViewBox()
    legend = view.legend
    box = legend.mapRectToItem(vb, legend.boundingRect())
    assert vb.boundingRect().adjusted(-1, -1, 1, 1).contains(box), "the legend sticks out of its plot"
    assert view.covered_points() == 0, "the legend covers data points"
    # the same check from the scene, not from the view's own arithmetic
    data = explorer.store.value.data
    scene_box = legend.sceneBoundingRect()
    for x, y in zip(data.x, data.y):
        assert not scene_box.contains(vb.mapViewToScene(pg.Point(float(x), float(y)))), (x, y)


# ====================================================================== 1: axes and ranges
def test_no_axis_uses_si_prefix_for_any_loss_a_single_point_or_after_an_extreme_edit(qtbot, window):
    explorer = window.explorer
    for loss in LOSSES:
        explorer.set_loss(loss)
        explorer.advance(3)
        qtbot.wait(5)
        assert_no_si_prefix(explorer)
    explorer.load_data(RegressionData(x=np.array([1.0]), y=np.array([2.0])), "one point")
    qtbot.wait(5)
    assert_no_si_prefix(explorer)
    (x0, x1), _ = explorer.loss_view.plot.viewRange()
    assert x0 < 0 < x1 and x1 - x0 < 3  # one bar, at point 0
    value = explorer.store.value
    explorer.history.set_data(value.data.with_value(0, "y", 1e9), "Edit y of point 0")
    qtbot.wait(5)
    assert_no_si_prefix(explorer)
    explorer.history.undo_stack.undo()
    qtbot.wait(5)
    assert_no_si_prefix(explorer)
    _, (y0, y1) = explorer.loss_view.plot.viewRange()
    top = float(explorer.results().snapshot.losses.max())
    assert y1 < 10 * max(top, 1.0)  # the range came back from 1e18


def test_a_flat_loss_curve_gets_a_readable_range(qtbot, window):
    explorer = window.explorer
    explorer.jump_to_best()
    explorer.advance(5)  # at the minimum already: five equal costs
    qtbot.wait(5)
    r = explorer.results()
    assert np.ptp(r.costs) < 1e-9
    _, (y0, y1) = explorer.curve_view.plot.viewRange()
    assert y0 <= r.costs[-1] <= y1
    assert y1 - y0 >= 0.04 * abs(r.costs[-1])
    # and the ticks say so in a few digits
    ticks = explorer.curve_view.plot.getAxis("left").tickValues(y0, y1, 200)
    assert all(spacing >= 1e-4 for spacing, _values in ticks)


# ====================================================================== 3: dark theme
def test_every_item_follows_the_dark_theme(qtbot, window):
    explorer = window.explorer
    try:
        window.set_dark(True, remember=False)
        look = theme.look()
        assert look.dark
        explorer.add_outlier()
        explorer.advance(2)
        qtbot.wait(10)
        view = explorer.data_view
        assert view.points.opts["pen"].color().name() == look.ink
        assert view.points.opts["brush"].color().name() == look.point_fill
        assert view.outlier.opts["pen"].color().name() == look.ink
        cost = explorer.loss_view.cost_line
        assert cost.pen.color().name() == look.ink
        assert cost.label.color.name() == look.ink
        assert cost.label.fill.color().name() == look.background
        assert explorer.surface_view.ball.opts["pen"].color().name() == look.ink
        assert explorer.curve_view.head.opts["pen"].color().name() == look.ink
        for _sample, label in view.legend.items:
            assert pg.mkColor(label.opts["color"]).name() == look.ink
        assert look.panel in explorer.formula.styleSheet() and look.ink in explorer.formula.styleSheet()
        assert "#f5f7fb" not in explorer.formula.styleSheet()
        assert look.error in explorer.banner.styleSheet()
        assert "#222" not in explorer.formula.text() and "#555" not in explorer.formula.text()
        assert look.muted in explorer.formula.text()  # drawn again in the dark theme's colours
        window.set_dark(False, remember=False)
        light = theme.look()
        assert view.points.opts["brush"].color().name() == light.point_fill
        assert cost.pen.color().name() == light.ink
    finally:
        window.set_dark(False, remember=False)


# ====================================================================== 4, 5: larger text, headers
def test_larger_text_grows_the_formula_and_cuts_no_control(qtbot, window):
    explorer = window.explorer
    try:
        window.set_font_scale(1.5, remember=False)
        qtbot.wait(50)
        look = theme.look()
        assert f"font-size:{look.css_pt(12)}" in explorer.formula.text()
        hint = explorer.minimumSizeHint()
        assert hint.width() <= 700 and hint.height() <= 560
        side = explorer.controls
        for widget in side.findChildren(QAbstractButton) + side.findChildren(QLabel) + side.findChildren(QComboBox):
            if not widget.isVisibleTo(side) or (isinstance(widget, QLabel) and widget.wordWrap()):
                continue
            text = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
            if not text:
                continue
            need = widget.fontMetrics().horizontalAdvance(text)
            assert widget.width() >= need, (text, widget.width(), need)
        status = explorer.descent.run_status  # the wrapped hint is shown whole, not clipped
        assert status.height() >= status.heightForWidth(status.width()) - 1
        combo = explorer.reduction
        assert combo.width() >= combo.fontMetrics().horizontalAdvance("mean") + 16
    finally:
        window.set_font_scale(1.0, remember=False)


def test_readouts_are_whole_parts_from_the_results(qtbot, window):
    explorer = window.explorer
    explorer.advance(3)
    qtbot.wait(5)
    r = explorer.results()
    snap = r.snapshot
    assert explorer.hist_panel.readout.text() == (f"mean = {snap.mean_residual:.3g}   "
                                                 f"median = {snap.median_residual:.3g}")
    assert explorer.curve_panel.readout.text() == f"step {r.run_steps}   cost = {r.costs[-1]:.4g}"
    for panel in (explorer.data_panel, explorer.hist_panel, explorer.loss_panel, explorer.curve_panel):
        shown, whole = panel.readout.shown_text(), panel.readout.text()
        assert whole.endswith(shown)
        assert not shown or shown == whole or whole.endswith("   " + shown)  # whole parts only


# ====================================================================== 7, 9: points in sight, legend clear
def test_add_outlier_and_its_slider_keep_every_point_in_sight(qtbot, window):
    explorer = window.explorer
    row = explorer.add_outlier()
    qtbot.wait(10)
    assert row is not None and points_in_view(explorer)
    legend_inside_and_clear(explorer)
    controls = explorer.outlier_controls
    for shift in (controls.shift.high, controls.shift.low):  # the ends of the Δy slider
        controls.shift_outlier(shift)
        qtbot.wait(10)
        assert explorer.store.value.data.y[row] == pytest.approx(explorer.store.value.outlier_base + shift)
        assert points_in_view(explorer)
        legend_inside_and_clear(explorer)
    # held down, the slider only widens the view; let go, the view fits again
    explorer.history.begin_live()
    controls.shift_outlier(controls.shift.high * 0.9, live=True)
    qtbot.wait(5)
    assert points_in_view(explorer)
    explorer.history.end_live("Move outlier")
    explorer.history.undo_stack.undo()
    qtbot.wait(10)
    assert points_in_view(explorer)


def test_the_view_holds_still_while_a_point_is_dragged(qtbot, window):
    explorer = window.explorer
    before = explorer.data_view.plot.viewRange()
    explorer._drag_started(0)
    explorer._drag_moved(0, 0.0, float(explorer.store.value.data.y.max()) * 3)
    qtbot.wait(5)
    assert explorer.data_view.plot.viewRange() == before  # the point stays under the hand
    explorer._drag_finished(0)
    qtbot.wait(5)
    assert points_in_view(explorer)  # let go: in sight again


@pytest.mark.parametrize("preset", ["linear", "outliers", "heavy_tail"])
def test_the_legend_covers_no_point_of_any_preset(qtbot, window, preset):
    explorer = window.explorer
    explorer.load_preset(preset)
    qtbot.wait(10)
    assert points_in_view(explorer)
    legend_inside_and_clear(explorer)
    window.resize(1024, 640)
    qtbot.wait(50)
    legend_inside_and_clear(explorer)


def test_the_histogram_range_follows_the_residuals_during_descent(qtbot, window):
    explorer = window.explorer
    explorer.add_outlier()
    explorer.outlier_controls.shift_outlier(explorer.outlier_controls.shift.high)
    explorer.jump_to_best()
    explorer.reset_run()
    for _ in range(30):
        explorer.advance(5)
        edges = explorer.results().snapshot.histogram_edges
        (x0, x1), _ = explorer.hist_view.plot.viewRange()
        assert x0 <= edges[0] and edges[-1] <= x1
        span = max(abs(edges[0]), abs(edges[-1]))
        assert (x1 - x0) <= 2 * span / 0.75 * 1.1  # never a wide empty axis around a narrow histogram


# ====================================================================== 10, 13: one convention, plain words
def test_every_formula_uses_the_residual_y_minus_y_hat_and_plain_words(window):
    explorer = window.explorer
    snap = explorer.results().snapshot
    for loss in LOSSES:
        params = RegressionSettings().loss_params[loss]
        for reduction in ("mean", "sum", "none"):
            html = cost_formula_html(loss, params, snap, reduction)
            assert "ŷ<sub>i</sub> − y<sub>i</sub>" not in html
            assert "y<sub>i</sub> − ŷ<sub>i</sub>" in html
            assert "total" not in html
    assert "Sum of squared errors" in cost_formula_html("mse", {}, snap, "sum")
    explorer.reduction.setCurrentIndex(explorer.reduction.findData("sum"))
    assert "Sum of squared errors" in explorer.formula.text()
    assert "r = y − ŷ" in explorer.formula.toolTip()
    assert "r = y − ŷ" in explorer.hist_view.plot.getAxis("bottom").labelText


# ====================================================================== 11: a default worth watching
def test_the_default_descent_rolls_down_over_dozens_of_steps():
    settings = RegressionSettings()
    assert settings.optimizer.name == "gd" and settings.optimizer.lr == EXPLORER_LR
    run = start_run(settings)
    advance_run(run, 200, LINE_LIMIT)
    costs = np.asarray(run.costs)
    excess = (costs - costs.min()) / (costs[0] - costs.min())
    steps_to_5_percent = int(np.argmax(excess < 0.05))
    assert steps_to_5_percent >= 15  # not two jumps and done
    assert costs[-1] < costs[0]  # and it does get there


def test_the_default_settings_value_gives_the_explorer_its_learning_rate():
    value = RegressionSettings(source=DataSource.from_preset("linear"))
    assert value.optimizer.lr == EXPLORER_LR
