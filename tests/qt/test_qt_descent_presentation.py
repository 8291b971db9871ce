"""The descent lab in front of a class (issue 12): plain axes, a flat curve that reads,
the dark theme everywhere, larger text that fits, balls that stay distinguishable, an
honest "ready" before Play, and a 3-D valley with axes and balls above its surface."""

from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QScrollArea

from lossdesk.model.results.descent_lab import (
    BALL_LIFT,
    FLAT_SPAN,
    VALLEY_LIFT,
    compute_descent_lab,
    cost_range,
    nice_ticks,
)
from lossdesk.qt import theme
from lossdesk.qt.views.race_curves import legend_text
from lossdesk.qt.views.race_surface import BALL_MARKS, BALL_ORDER, HALO, RING
from lossdesk.qt.views.valley_3d import Valley3D, opengl_problem


@pytest.fixture
def lab(qtbot, window):
    window.set_tab("descent")
    qtbot.wait(30)
    yield window.descent_lab
    # the look is shared by the process: leave it as the next test expects it
    window.set_dark(False, remember=False)
    window.set_font_scale(1.0, remember=False)


def colour(c) -> str:
    return QColor(c).name()


def plots(lab) -> list[pg.PlotWidget]:
    return [lab.surface_view.widget, lab.curves_view.widget]


# ---------------------------------------------------------------------- 1. axes
def test_no_axis_scales_by_si_prefix(lab):
    for widget in plots(lab):
        for name in ("left", "bottom"):
            axis = widget.getAxis(name)
            assert not axis.autoSIPrefix and axis.autoSIPrefixScale == 1


def test_a_flat_loss_curve_gets_a_readable_cost_range(qtbot, lab):
    best = lab.results().best
    # the balls start at the bottom: their curves are flat (Adam's first steps are not)
    lab.store.update(start=best, racing=("gd", "momentum"))
    lab.run_steps(5)
    results = lab.results()
    costs = np.concatenate([racer.costs for racer in results.racers.values()])
    assert np.ptp(costs) < 1e-6 * max(1.0, abs(results.best_cost))
    lo, hi = results.cost_range
    assert hi - lo >= FLAT_SPAN * abs(results.best_cost) * 0.999
    (_, _), (y0, y1) = lab.curves_view.plot.viewRange()
    assert y1 - y0 >= FLAT_SPAN * abs(results.best_cost) * 0.999
    assert y0 <= costs.min() and costs.max() <= y1
    # tick labels then need a few digits, not thirteen
    ticks = lab.curves_view.widget.getAxis("left").tickValues(y0, y1, 200)
    spacing = ticks[0][0]
    assert spacing >= 1e-4 * max(1.0, abs(results.best_cost))


def test_cost_ranges_widen_only_when_too_thin():
    assert cost_range(1.0, 9.0) == (1.0, 9.0)
    lo, hi = cost_range(5.0, 5.0)
    assert hi - lo == pytest.approx(0.25) and (lo + hi) / 2 == pytest.approx(5.0)
    assert cost_range(0.0, 0.0) == (0.0, pytest.approx(1e-3))  # a cost is never negative
    ticks, decimals = nice_ticks(-3.96, 6.1)
    assert list(ticks) == [-2, 0, 2, 4, 6] and decimals == 0


# ---------------------------------------------------------------------- 3. dark theme
def test_the_dark_theme_reaches_the_legend_the_3d_message_and_the_marks(qtbot, lab, window):
    window.set_dark(True, remember=False)
    qtbot.wait(20)
    look = theme.look()
    legend = lab.curves_view.legend
    assert legend.opts["brush"].color().getRgb() == look.legend_brush
    for _sample, label in legend.items:
        assert colour(label.opts["color"]) == colour(look.ink)
    for widget in plots(lab):
        assert colour(widget.backgroundBrush().color()) == colour(look.background)
    if not lab.valley.available:
        assert look.muted in lab.valley.message.styleSheet()
        assert "#444" not in lab.valley.message.styleSheet()
    window.set_dark(False, remember=False)
    assert theme.look().muted in lab.valley.message.styleSheet() or lab.valley.available


def test_a_diverged_racer_reads_in_the_themes_red(qtbot, lab, window):
    lab.lrs["gd"].setValue(3.0)
    lab.run_steps(200)
    assert lab.results().racers["gd"].diverged
    for dark in (True, False):
        window.set_dark(dark, remember=False)
        item = lab.table.item(0, 1)
        assert item.text().startswith("diverged")
        assert colour(item.foreground().color()) == colour(theme.look().error)


def test_white_marks_have_a_dark_edge_for_the_bright_parts_of_the_surface(qtbot, lab):
    lab.run_steps(3)
    results = lab.results()
    view = lab.surface_view
    assert colour(view.start.opts["pen"].color()) == colour(RING)
    assert view.start_halo.opts["pen"].color().getRgb()[:3] == HALO[:3]
    assert view.start_halo.opts["pen"].widthF() > view.start.opts["pen"].widthF()
    # the dotted way-downhill lines are white over one dark line along the same segments
    xs, ys = view.gradient_halo.getData()
    assert colour(view.gradient_lines.opts["pen"].color()) == colour(RING)
    np.testing.assert_array_equal(np.column_stack(view.gradient_lines.getData()), np.column_stack([xs, ys]))
    for racer in results.racers.values():
        arrow = racer.gradient_arrow
        assert any(np.allclose([xs[k], ys[k], xs[k + 1], ys[k + 1]], arrow.ravel()) for k in range(0, len(xs), 2))
    # every ball: a dark edge, and a light ring around it
    assert view.balls.opts["pen"].color().getRgb()[:3] == HALO[:3]
    hx, hy = view.ball_halo.getData()
    assert sorted(zip(hx, hy)) == sorted(racer.ball for racer in results.racers.values())
    assert colour(view.ball_halo.opts["pen"].color()) == colour(RING)


# ---------------------------------------------------------------------- 4. larger text
def test_larger_text_fits_the_side_column_and_the_size_budget(qtbot, lab, window):
    window.set_font_scale(1.5, remember=False)
    qtbot.wait(80)  # the column widens once Qt has the controls' new sizes
    assert lab.minimumSizeHint().width() <= 700
    assert lab.minimumSizeHint().height() <= 560
    column = lab.side.parentWidget()
    while not isinstance(column, QScrollArea):
        column = column.parentWidget()
    assert column.width() >= min(lab.side.minimumSizeHint().width(), lab.side.maximumWidth())
    # Adam's β₁ and β₂ each have a row of their own: the boxes never overlap
    b1, b2 = lab.spins["adam"]["beta1"], lab.spins["adam"]["beta2"]
    assert not b1.geometry().intersects(b2.geometry())
    for spins in lab.spins.values():
        for spin in spins.values():
            if spin.isVisibleTo(lab):
                assert spin.width() >= spin.minimumSizeHint().width()
    for box in lab.checks.values():
        assert box.width() >= box.sizeHint().width()
    # the table: rows tall enough for the text, every racer in view, names whole
    table = lab.table
    assert table.verticalHeader().defaultSectionSize() >= table.fontMetrics().height()
    assert table.height() >= table.horizontalHeader().height() + table.rowCount() * table.rowHeight(0)
    for row in range(table.rowCount()):
        text = table.item(row, 0).text()
        assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance(text)


# ---------------------------------------------------------------------- 11. defaults
def test_before_play_the_table_says_ready_then_running(qtbot, lab):
    lab.reset()
    assert [lab.table.item(r, 1).text() for r in range(lab.table.rowCount())] == ["ready"] * 3
    lab.step_once()
    assert [lab.table.item(r, 1).text() for r in range(lab.table.rowCount())] == ["running"] * 3


def test_balls_at_the_same_point_all_show(qtbot, lab):
    results = lab.results()
    assert len({racer.ball for racer in results.racers.values()}) == 1  # all at the start
    view = lab.surface_view
    racing = list(results.racers)
    shapes = {symbol for _name, symbol in view.ball_order}
    assert len(shapes) == len(racing)  # a shape of its own each
    assert list(view.balls.data["symbol"]) == [symbol for _name, symbol in view.ball_order]
    # stacked bottom to top so each one shows (later points lie on earlier ones): nested shapes
    order = [name for name in BALL_ORDER if name in racing]
    assert [name for name, _symbol in view.ball_order] == order
    for lower, upper in itertools.pairwise(order):
        assert BALL_MARKS[upper].size <= BALL_MARKS[lower].size or BALL_MARKS[upper].symbol == "star"
    # the legend names colour and shape, the table shows the ball
    texts = [label.text for _sample, label in lab.curves_view.legend.items]
    assert texts == [legend_text(name, racer.title) for name, racer in results.racers.items()]
    assert texts[0] == "Gradient descent: blue circle"
    for row in range(lab.table.rowCount()):
        assert not lab.table.item(row, 0).icon().isNull()
    # the loss curves show each racer's point before the first step
    hx, _hy = lab.curves_view.heads.getData()
    assert len(hx) == len(racing) and set(hx) == {0}


# ---------------------------------------------------------------------- 12. views that say something
def test_the_dotted_lines_are_explained(lab):
    for text in (lab.surface_panel.title.toolTip(), lab.marks_note.text()):
        assert "downhill" in text and "step" in text
    assert lab.marks_note.isVisibleTo(lab)


def test_every_ball_floats_above_the_valley_mesh(qtbot, lab):
    lab.run_steps(15)
    results = lab.results()
    mesh = results.valley
    (w0, w1), (b0, b1) = mesh.window.w_range, mesh.window.b_range
    n = mesh.heights.shape[0]
    for name, racer in results.racers.items():
        ball = results.valley_balls[name]
        gw, gb = mesh.ground(np.array([racer.ball[0]]), np.array([racer.ball[1]]))
        np.testing.assert_allclose(ball[:2], [gw[0], gb[0]])
        i = round((racer.ball[0] - w0) / (w1 - w0) * (n - 1))
        j = round((racer.ball[1] - b0) / (b1 - b0) * (n - 1))
        near = mesh.heights[max(i - 1, 0):i + 2, max(j - 1, 0):j + 2].max()
        assert ball[2] >= near + BALL_LIFT - 1e-9
        assert ball[2] >= results.valley_trails[name][-1, 2] - VALLEY_LIFT + BALL_LIFT - 1e-9
        np.testing.assert_allclose(lab.valley.ball_positions[name], ball)


def test_the_valley_axes_label_w_b_and_cost(lab):
    axes = lab.results().valley_axes
    titles = [text for _pos, text in axes.titles]
    assert titles == ["w (slope)", "b (intercept)", "cost"]
    assert axes.lines.shape[1] == 3 and axes.lines.shape[0] % 2 == 0
    assert axes.grid.shape[0] % 2 == 0 and len(axes.grid) > 0
    texts = [text for _pos, text in axes.ticks]
    assert all("e" not in t and len(t) <= 7 for t in texts)  # plain, short numbers
    assert axes is lab.results().valley_axes  # made once per surface


def test_the_3d_view_builds_axes_and_follows_the_theme_where_opengl_could_run(qtbot, lab, window):
    """Offscreen there is no OpenGL to draw with, but the items can be built and filled."""
    pytest.importorskip("OpenGL.GL")
    valley = Valley3D(None)  # as if OpenGL worked; never shown here
    qtbot.addWidget(valley)
    valley.build_view()  # what its first show does
    results = compute_descent_lab(lab.store.value, lab.reg_store.value, lab.current_race(), lab.cache)
    valley.draw(results)
    axes = results.valley_axes
    np.testing.assert_allclose(valley.axis_lines.pos, axes.lines)
    np.testing.assert_allclose(valley.grid.pos, axes.grid)
    assert [label.text for label in valley.tick_labels] == [text for _pos, text in axes.ticks]
    assert [label.text for label in valley.title_labels] == ["w (slope)", "b (intercept)", "cost"]
    # one item of (ring, ball) pairs, racer after racer, drawn after the surface
    assert valley.balls_drawn == tuple(results.racers)
    assert valley.balls.depthValue() > valley.mesh.depthValue()
    for k, name in enumerate(valley.balls_drawn):
        np.testing.assert_allclose(valley.balls.pos[2 * k : 2 * k + 2], [results.valley_balls[name]] * 2)
        assert valley.balls.size[2 * k] > valley.balls.size[2 * k + 1]  # the ring round the ball
        assert colour(QColor.fromRgbF(*map(float, valley.balls.color[2 * k + 1]))) == colour(theme.OPTIMIZER_COLOURS[name])
    window.set_dark(True, remember=False)
    look = theme.look()
    bg = valley.view.opts["bgcolor"]
    assert QColor.fromRgbF(*bg).name() == colour(look.background)
    assert all(colour(label.color) == colour(look.ink) for label in valley.tick_labels)
    assert colour(QColor.fromRgbF(*map(float, valley.balls.color[0]))) == colour(look.ink)  # the rings too
    window.set_dark(False, remember=False)
    assert QColor.fromRgbF(*valley.view.opts["bgcolor"]).name() == colour(theme.look().background)


def test_the_real_3d_view_where_opengl_works(lab):
    if opengl_problem() is not None:
        pytest.skip(f"no OpenGL here: {opengl_problem()}")
    assert lab.valley.available and lab.valley.tick_labels


# ---------------------------------------------------------------------- legends clear of the curves
@pytest.mark.parametrize("size, scale", [((1366, 768), 1.0), ((1024, 640), 1.5)])
def test_the_loss_curves_legend_covers_no_curve(qtbot, lab, window, size, scale):
    window.resize(*size)
    window.set_font_scale(scale, remember=False)
    lab.run_steps(40)
    qtbot.wait(50)
    lab.curves_view.draw(lab.results())  # as the next frame would
    view = lab.curves_view
    vb = view.plot.getViewBox()
    rect = view.legend.sceneBoundingRect()
    assert vb.sceneBoundingRect().adjusted(-1, -1, 1, 1).contains(rect)
    for name, curve in view.curves.items():
        xs, ys = curve.getData()
        if xs is None or not len(xs):
            continue
        for x, y in zip(xs, ys):
            at = vb.mapViewToScene(pg.Point(float(x), float(y)))
            assert not rect.contains(at), f"{name}'s curve runs under the legend at step {x}"
    texts = [label.text for _sample, label in view.legend.items]
    if size == (1366, 768):
        assert texts[0] == "Gradient descent: blue circle"  # room for the words
    else:
        assert texts == ["GD", "Momentum", "Adam"]  # cramped: names in a row, the samples show the shapes
