"""What one frame of the regression explorer costs, counted rather than timed (issue 13).

A frame of a drag or of the w slider must touch only what changed: a readout's or the
formula's new numbers repaint that label alone and never re-lay out the window; a point
dragged is drawn by its own item, so the cached bitmap of all the others survives; empty
items are hidden; unchanged values are not set again. Counts of paint events, layout
requests and item paints stand in for milliseconds (benchmarks/frame_speed.py times them).
"""

from __future__ import annotations


import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qt_helpers import EventCounter, settle
from lossdesk.model import RegressionData
from lossdesk.qt import theme
from lossdesk.qt.controls.float_slider import FloatSlider
from lossdesk.qt.views.data_fit import DataFitView, MovablePoints, longest_per_column
from lossdesk.qt.views.loss_curve import LossCurveView
from lossdesk.qt.views.panel import READOUT_GAP, FormulaLabel, ReadoutLabel, ViewPanel


# ====================================================================== readouts and formula
def panel_window(qtbot, body: QWidget | None = None) -> tuple[QWidget, ViewPanel]:
    host = QWidget()
    layout = QVBoxLayout(host)
    panel = ViewPanel("Data and fit", body or QLabel("body"), "about")
    layout.addWidget(panel)
    qtbot.addWidget(host)
    host.resize(420, 200)
    host.show()
    qtbot.waitExposed(host)
    settle(qtbot)
    return host, panel


def test_a_readout_change_repaints_only_the_readout_and_lays_out_nothing(qtbot):
    host, panel = panel_window(qtbot)
    panel.readout.setText("n = 20   cost = 1.234")
    settle(qtbot)
    with EventCounter() as counter:
        panel.readout.setText("n = 20   cost = 1.235")
        settle(qtbot)
    assert counter.painted() == {panel.readout}, "only the readout repaints: not the panel, title or window"
    assert not counter.layouts, "a readout's new text asks no layout for room"
    assert panel.readout.text() == "n = 20   cost = 1.235"


def test_a_readout_asks_for_the_same_size_whatever_its_text(qtbot):
    label = ReadoutLabel()
    qtbot.addWidget(label)
    label.setText("n = 1")
    short = (label.sizeHint(), label.minimumSizeHint())
    label.setText(READOUT_GAP.join(["n = 10000", "cost = 123.456", "mean = 0.001", "median = -0.0002"]))
    assert (label.sizeHint(), label.minimumSizeHint()) == short
    assert label.sizeHint().height() == label.fontMetrics().height()


def test_a_narrow_readout_drops_whole_parts_from_the_left_and_paints_them(qtbot):
    host, panel = panel_window(qtbot)
    readout = panel.readout
    readout.setText(READOUT_GAP.join(["n = 10000", "cost = 13.18"]))
    settle(qtbot)
    assert readout.shown_text() == readout.text()  # room enough
    readout.resize(readout.fontMetrics().horizontalAdvance("cost = 13.18") + 2, readout.height())
    assert readout.shown_text() == "cost = 13.18"
    readout.resize(3, readout.height())
    assert readout.shown_text() == ""  # nothing rather than half a number
    assert "n = 10000" in readout.toolTip() and "about" in readout.toolTip()
    image = readout.grab().toImage()  # paints without error, in the panel's colours
    assert image.width() == 3


def formula_window(qtbot) -> tuple[QWidget, FormulaLabel, QLabel]:
    host = QWidget()
    layout = QVBoxLayout(host)
    formula = theme.styled(FormulaLabel(), theme.formula_style)
    below = QLabel("below")
    layout.addWidget(formula)
    layout.addWidget(below, 1)
    qtbot.addWidget(host)
    host.resize(360, 240)
    host.show()
    qtbot.waitExposed(host)
    return host, formula, below


HTML = "<table><tr><td>C = <sup>1</sup>&frasl;<sub>{n}</sub> Σ (y<sub>i</sub> − ŷ<sub>i</sub>)² = {c}</td></tr></table>"


def test_new_numbers_in_the_formula_repaint_only_the_formula(qtbot):
    host, formula, below = formula_window(qtbot)
    formula.setText(HTML.format(n=20, c="1.234"))
    settle(qtbot)
    with EventCounter() as counter:
        formula.setText(HTML.format(n=20, c="1.235"))
        settle(qtbot)
    assert counter.painted() == {formula}, "the window behind the formula is not repainted"
    assert not counter.layouts
    assert formula.text() == HTML.format(n=20, c="1.235")


def test_a_formula_that_needs_another_line_gets_it(qtbot):
    host, formula, below = formula_window(qtbot)
    formula.setText("one line")
    settle(qtbot)
    one = formula.height()
    assert one >= formula.fontMetrics().height()
    with EventCounter() as counter:
        formula.setText("<br>".join(["a line"] * 4))
        settle(qtbot, 60)
    assert counter.layouts, "a taller text asks its layout for room"
    assert formula.height() > one + 2 * formula.fontMetrics().height()
    assert formula.height() >= formula.heightForWidth(formula.width())
    assert below.geometry().top() >= formula.geometry().bottom()


def test_a_formula_keeps_the_room_it_reserves_and_never_shrinks_at_one_width(qtbot):
    host, formula, below = formula_window(qtbot)
    formula.setText("one line")
    settle(qtbot, 60)
    one = formula.height()
    formula.reserve("<br>".join(["a line"] * 3))
    settle(qtbot, 60)
    three = formula.height()
    assert three > one + formula.fontMetrics().height(), "the reserved three lines get their room"
    with EventCounter() as counter:
        formula.setText("two<br>lines")
        settle(qtbot, 60)
        formula.setText("one line")
        settle(qtbot, 60)
    assert formula.height() == three and not counter.layouts
    formula.reserve("")
    formula.setText("<br>".join(["a line"] * 5))
    settle(qtbot, 60)
    five = formula.height()
    formula.setText("one line")
    settle(qtbot, 60)
    assert five > three and formula.height() == five, "at the same width it never gets shorter"


def test_switching_to_a_loss_with_a_parameter_and_back_never_resizes_the_plots(qtbot, window):
    explorer = window.explorer
    plots = [explorer.data_panel.body, *[w for w in explorer.findChildren(type(explorer.data_panel.body))]]
    explorer.store.update(loss="mse")
    settle(qtbot, 60)
    sizes = [w.size() for w in plots]
    for loss in ("quantile", "mse", "huber", "logcosh", "mse"):
        explorer.store.update(loss=loss)
        settle(qtbot, 60)
        assert explorer.store.value.loss == loss
        assert [w.size() for w in plots] == sizes, f"switching to {loss} resized the plots"


def test_a_formula_wraps_to_its_width_like_a_label(qtbot):
    host, formula, below = formula_window(qtbot)
    words = " ".join(["word"] * 60)
    formula.setText(words)
    settle(qtbot, 60)
    wide = formula.heightForWidth(340)
    assert formula.heightForWidth(120) > wide > formula.fontMetrics().height()
    label = theme.styled(QLabel(words), theme.formula_style)
    label.setWordWrap(True)
    qtbot.addWidget(label)
    label.show()
    # as tall as a word-wrapped QLabel would be, within a line
    assert abs(formula.heightForWidth(200) - label.heightForWidth(200)) <= formula.fontMetrics().height() + 10


def test_a_formula_draws_the_same_pixels_as_a_styled_label(qtbot, window):
    explorer = window.explorer
    html = explorer.formula.text()
    label = theme.styled(QLabel(), theme.formula_style)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setText(html)
    formula = theme.styled(FormulaLabel(html), theme.formula_style)
    for widget in (label, formula):
        qtbot.addWidget(widget)
        widget.resize(460, label.heightForWidth(460))
        widget.show()
    settle(qtbot)
    assert formula.heightForWidth(460) == label.heightForWidth(460)
    assert formula.grab().toImage() == label.grab().toImage()


def test_one_drag_frame_repaints_the_plots_and_labels_only(qtbot, window):
    explorer = window.explorer
    if not isinstance(explorer.formula, FormulaLabel):
        pytest.skip("the tab's formula is still a QLabel, which re-lays out the window (issue 13)")
    history, data = explorer.history, explorer.store.value.data
    row = 0
    history.begin_live()
    for k in range(3):
        v = explorer.store.value
        history.preview(v.with_source(v.source.edited(v.data.with_row(row, {"x": data.x[row], "y": k}))))
        settle(qtbot)
    with EventCounter() as counter:
        v = explorer.store.value
        history.preview(v.with_source(v.source.edited(v.data.with_row(row, {"x": data.x[row], "y": 3.5}))))
        settle(qtbot)
    history.end_live("Move point")
    assert window not in counter.painted(), "the main window is not repainted"
    assert not ({explorer.data_panel, explorer.data_panel.title} & counter.painted())
    assert not counter.layouts


def test_a_descent_step_repaints_neither_the_window_nor_the_controls_column(qtbot, window):
    explorer = window.explorer
    for _ in range(2):  # the first step turns "Press Play…" into the step count
        explorer.descent.step_once()
        settle(qtbot)
    with EventCounter() as counter:
        explorer.descent.step_once()
        settle(qtbot)
    assert "step 3" in explorer.descent.run_status.text().lower()
    assert counter.paints[explorer.descent.run_status] >= 1, "the step count is drawn"
    assert not counter.layouts, "a new step count lays nothing out"
    still = [w for w in explorer.controls.findChildren(QLabel) if type(w) is QLabel and w.isVisible()]
    assert still and not set(still) & counter.painted(), "the column's other labels are not repainted"


# ====================================================================== the dragged point
@pytest.fixture
def data_view(qtbot):
    view = DataFitView()
    qtbot.addWidget(view.widget)
    view.widget.resize(400, 300)
    view.widget.show()
    qtbot.waitExposed(view.widget)
    x = np.linspace(-3, 3, 40)
    view.set_points(x, 0.5 * x, fit_view=True)
    settle(qtbot)
    return view


@pytest.fixture
def bitmap_paints(data_view):
    """How often the bitmap of all the points is drawn (the item's own ``paint``)."""
    count = [0]
    points = data_view.points
    original = points.paint

    def paint(*args):
        count[0] += 1
        return original(*args)

    points.paint = paint  # PySide calls the virtual through the instance
    points.invalidate()
    return count


def test_a_dragged_point_is_drawn_by_its_own_item_and_the_others_stay_cached(qtbot, data_view, bitmap_paints):
    view, points = data_view, data_view.points
    assert isinstance(points, MovablePoints)
    x, y = view._x.copy(), view._y.copy()
    row = 7
    y2 = y.copy()
    y2[row] += 1.0
    view.set_points(x, y2)
    settle(qtbot)
    assert points.moved_row == row and points.stand_in.isVisible()
    assert not points.data["visible"][row] and points.data["visible"].sum() == x.size - 1
    before = bitmap_paints[0]
    assert before, "the count sees the bitmap drawn"
    for k in range(5):  # later frames of the same drag: the bitmap is only blitted
        y2 = y2.copy()
        y2[row] += 0.2
        view.set_points(x, y2)
        settle(qtbot)
        sx, sy = points.stand_in.getData()
        assert (sx[0], sy[0]) == (x[row], y2[row])
    assert bitmap_paints[0] == before, "the other points' bitmap was drawn again"
    assert np.array_equal(points.data["y"], y2)  # the item's own data stays true
    # the moved point is picked where it is drawn
    assert points.index_at(QPointF(float(x[row]), float(y2[row]))) == row
    # several points move: all drawn together again
    y3 = y2 + 0.1
    view.set_points(x, y3)
    settle(qtbot)
    assert points.moved_row is None and not points.stand_in.isVisible()
    assert points.data["visible"].all() and np.array_equal(points.data["y"], y3)
    assert bitmap_paints[0] > before


def test_a_point_drawn_alone_looks_as_it_does_among_the_others(qtbot, data_view):
    view, points = data_view, data_view.points
    x, y = view._x.copy(), view._y.copy()
    y[5] += 1.5  # clear of every other point
    view.set_points(x, y)
    settle(qtbot)
    assert points.moved_row == 5
    alone = view.widget.grab().toImage()
    points._put_back()
    settle(qtbot)
    assert points.moved_row is None
    together = view.widget.grab().toImage()
    assert alone == together


def test_points_added_or_removed_during_a_move_are_all_shown(qtbot, data_view):
    view, points = data_view, data_view.points
    x, y = view._x.copy(), view._y.copy()
    y[3] += 1
    view.set_points(x, y)
    assert points.moved_row == 3
    view.set_points(x[:-1], y[:-1])
    assert points.moved_row is None and len(points.data) == x.size - 1 and points.data["visible"].all()
    y2 = y[:-1].copy()
    y2[-1] += 1  # the last row moves
    view.set_points(x[:-1], y2)
    assert points.moved_row == x.size - 2


# ====================================================================== segments per pixel column
def lexsort_oracle(x, residual, x0, x1, columns):
    """The former per-column reduction (a lexsort every frame), kept as the oracle."""
    col = np.clip(((x - x0) / ((x1 - x0) or 1.0) * columns).astype(np.int64), -1, columns)
    key = col * 2 + (residual > 0)
    order = np.lexsort((np.abs(residual), key))
    ordered = key[order]
    last = np.ones(order.size, dtype=bool)
    last[:-1] = ordered[1:] != ordered[:-1]
    keep = np.zeros(x.size, dtype=bool)
    keep[order[last]] = True
    return keep


@pytest.mark.parametrize("seed", range(6))
def test_longest_segment_per_column_matches_the_sorted_reduction(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 5000))
    x = rng.uniform(-4, 4, n)
    residual = rng.normal(0, 1, n)
    if seed % 2:  # ties: equal lengths, zero residuals, repeated x
        residual = np.round(residual, 1)
        x = np.round(x, 1)
    columns = int(rng.integers(1, 400))
    x0, x1 = -3.0, 3.0  # some points left and right of the range
    assert np.array_equal(longest_per_column(x, residual, x0, x1, columns),
                          lexsort_oracle(x, residual, x0, x1, columns))


def test_a_flat_range_keeps_the_longest_of_each_sign():
    x = np.zeros(6)
    residual = np.array([1.0, -2.0, 3.0, -0.5, 3.0, 0.0])
    keep = longest_per_column(x, residual, 0.0, 0.0, 10)
    assert np.array_equal(np.flatnonzero(keep), [1, 4])  # the last of equally long ones


# ====================================================================== empty items, unchanged values
def test_items_with_nothing_to_draw_are_hidden(qtbot, data_view):
    view = data_view
    view.show_marks(None, None, None)
    assert not any(item.isVisible() for item in (view.highlight, view.selection, view.outlier))
    view.show_marks(2, None, None)
    assert view.highlight.isVisible() and not view.selection.isVisible()
    view.show_marks(None, None, None)
    assert not view.highlight.isVisible()
    curve = LossCurveView()
    qtbot.addWidget(curve.widget)
    curve.show(np.array([np.nan]), None)
    assert not curve.head.isVisible()
    curve.show(np.array([2.0, 1.0]), 0.5)
    assert curve.head.isVisible()


def test_the_cost_before_any_step_moves_without_moving_its_axis(qtbot):
    curve = LossCurveView()
    qtbot.addWidget(curve.widget)
    curve.widget.resize(300, 200)
    curve.widget.show()
    curve.show(np.array([10.0]), None)
    first = curve.plot.viewRange()[1]
    for cost in (10.4, 9.7, 10.6, 9.5):  # a drag moves the one cost a few percent each frame
        curve.show(np.array([cost]), None)
        assert curve.plot.viewRange()[1] == first, cost
    curve.show(np.array([10.0, 5.0, 2.0]), None)  # a run: the axis follows the curve
    low, high = curve.plot.viewRange()[1]
    assert low <= 2.0 and high >= 10.0 and curve.plot.viewRange()[1] != first


def test_empty_segment_bands_are_hidden(qtbot, window):
    explorer = window.explorer
    explorer.load_data(RegressionData(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.0])), "line")
    explorer._set_line(w=1.0, b=0.0)  # through every point: every loss is zero, one band at most
    settle(qtbot)
    shown = [item for item in explorer.data_view.segments if item.isVisible()]
    assert len(shown) <= 1
    assert all(item.xData is not None and len(item.xData) for item in shown)


def test_a_slider_is_not_set_again_to_what_it_shows(qtbot, monkeypatch):
    control = FloatSlider("w", -5.0, 5.0, 0.0, decimals=3, box_range=(-10.0, 10.0))
    qtbot.addWidget(control)
    calls = []
    box_set, slider_set = control.box.setValue, control.slider.setValue
    monkeypatch.setattr(control.box, "setValue", lambda v: (calls.append(("box", v)), box_set(v)))
    monkeypatch.setattr(control.slider, "setValue", lambda v: (calls.append(("slider", v)), slider_set(v)))
    control.set_value(1.25)
    assert calls == [("box", 1.25), ("slider", 625)]
    calls.clear()
    control.set_value(1.25)
    control.set_value(1.2501)  # the same on the box (3 decimals) and on the slider
    assert calls == []
    control.set_value(25.0)  # beyond the box: shown as its end, the handle at the slider's end
    calls.clear()
    control.set_value(25.0)
    assert calls == []
    assert control.value() == 10.0 and control.slider.value() == 1000
    control.set_value(7.0)  # the box moves, the handle stays at the end
    assert calls == [("box", 7.0)]
    calls.clear()
    control.set_range(-5.0, 5.0)  # the same range: nothing
    assert calls == []
