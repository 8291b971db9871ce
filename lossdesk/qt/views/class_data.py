"""Labelled points and what the classifier makes of them (a ``DecisionMap`` from the results).

* One feature: each point sits at the height of its class (0 or 1) and the curve is the
  predicted probability of class 1 (or, for K classes, one curve per class).
* Two features: the plane is shaded by the predicted class — by P(class 1) for two
  classes, with the decision boundary p = ½ drawn — or by the winning class for K.
* A score loss (hinge) has no probabilities: with one feature the points sit at their
  label t = −1 or +1 and the line is the score s = w·x + b; with two the shade grows
  with the score up to the margin s = ±1, whose two lines are drawn beside the boundary.

The shade fades to the plot's background where the model is unsure, so it reads in the
light and the dark theme alike.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QGraphicsItem

from lossdesk.model.results.classification import DecisionMap
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import DraggablePoints, move_positions, nearest_point


def class_colour(k: int) -> str:
    return theme.CLASS_COLOURS[k % len(theme.CLASS_COLOURS)]


#: strengths per class in the shade's colour table
SHADE_STEPS = 1024
_SHADE_TABLES: dict[tuple[int, str, bool, tuple[str, ...]], np.ndarray] = {}


def shade_table(k: int, background: str, score: bool = False) -> np.ndarray:
    """The colours ``ClassDataView._shade`` gives, as a table (made once per classes and theme).

    Two classes: index i is P(class 1) = i / (SHADE_STEPS − 1). A score (hinge): the score
    s = 2i / (SHADE_STEPS − 1) − 1. K classes: row ``winner · SHADE_STEPS + i`` is that
    class winning with strength i / (SHADE_STEPS − 1).
    """
    key = (k, background, score, tuple(theme.CLASS_COLOURS))
    table = _SHADE_TABLES.get(key)
    if table is not None:
        return table
    t = np.linspace(0.0, 1.0, SHADE_STEPS)
    if score:
        s = 2.0 * t - 1.0
        table = ClassDataView._shade(np.zeros((SHADE_STEPS, 1, 2)), background, s[:, None])[:, 0]
    elif k == 2:
        table = ClassDataView._shade(np.stack([1.0 - t, t], axis=1)[:, None, :], background)[:, 0]
    else:
        # class c wins with strength t (built directly: at t = 0 every class ties, and
        # argmax would give the tie to class 0)
        colours, base = _shade_colours(k, background)
        tint = np.repeat(colours, SHADE_STEPS, axis=0)
        table = _blend(base, tint, np.tile(t, k)[:, None])
    table.flags.writeable = False
    _SHADE_TABLES[key] = table
    return table


def _shade_colours(k: int, background: str) -> tuple[np.ndarray, np.ndarray]:
    """The K class colours and the background as RGB rows of floats."""
    colours = np.array([pg.mkColor(class_colour(c)).getRgb()[:3] for c in range(k)], dtype=float)
    return colours, np.array(pg.mkColor(background).getRgb()[:3], dtype=float)


def _blend(base: np.ndarray, tint: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """RGBA of ``tint`` over ``base`` at opacity 0.12 + 0.45·strength (strength in [0, 1])."""
    alpha = 0.12 + 0.45 * strength
    rgb = base * (1 - alpha) + tint * alpha
    out = np.empty(rgb.shape[:-1] + (4,), dtype=np.uint8)
    out[..., :3] = np.clip(rgb, 0, 255).astype(np.uint8)
    out[..., 3] = 255
    return out


class Mark(pg.ScatterPlotItem):
    """A ring drawn over a point (the hovered or selected one) that the mouse goes through.

    pyqtgraph hands a click to the topmost item under the cursor that takes it, whatever
    its accepted buttons, and a scatter item takes a click on any of its own points: a
    ring over the hovered point would take the click meant for the point, which then was
    never selected. The ring declines every click and drag, so the point below gets it.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (Qt naming)
        ev.ignore()

    def mouseDragEvent(self, ev) -> None:  # noqa: N802
        ev.ignore()


class ClassDataView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("x", "class")
        self.plot = self.widget.getPlotItem()
        self.image = pg.ImageItem()
        self.image.setZValue(-10)
        self.plot.addItem(self.image)
        look = theme.look()
        self.boundary = pg.PlotCurveItem(pen=theme.pen(look.ink, 2.5, Qt.PenStyle.DashLine))
        self.plot.addItem(self.boundary)
        # hinge's margin: the lines s = −1 and s = +1 (two features), or y = ±1 and 0 (one)
        self.margins = [pg.PlotCurveItem(pen=theme.pen(look.muted, 1.5, Qt.PenStyle.DotLine)) for _ in range(3)]
        for item in self.margins:
            self.plot.addItem(item)
        for item in (self.boundary, *self.margins):
            item.setVisible(False)  # shown with points to draw (an empty item still costs a paint)
        self.curves: list[pg.PlotCurveItem] = []
        self.points = DraggablePoints(size=11, pen=pg.mkPen(look.ink, width=1))
        self.points.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # still points: a blit
        self.plot.addItem(self.points)
        self.highlight = Mark(size=19, pen=pg.mkPen(theme.VERMILLION, width=3), brush=None)
        self.selection = Mark(size=23, pen=pg.mkPen(look.ink, width=2.5), brush=None)
        for item in (self.highlight, self.selection):
            item.setZValue(10)
            item.setVisible(False)  # an empty item still costs a paint: shown only with a point
            self.plot.addItem(item)
        self._marks_at: dict[str, tuple[float, float] | None] = {"highlight": None, "selection": None}
        self._margins_drawn = False  # whether any margin line holds points
        self._image_rect: tuple[float, float, float, float] | None = None
        self._curve_pens: list = []  # the pen (colour, width) each probability curve was given
        self.n_features = 1
        self.n_classes = 2
        self.scores = False
        self.px = np.zeros(0)
        self.py = np.zeros(0)
        self.labels = np.zeros(0, dtype=int)
        self.region = (( -1.0, 1.0), (-1.0, 1.0))
        self.decision: DecisionMap | None = None
        self.background = look.background
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        """Outlines, the boundary and the shade in the theme's colours."""
        self.boundary.setPen(theme.pen(look.ink, 2.5, Qt.PenStyle.DashLine))
        for item in self.margins:
            item.setPen(theme.pen(look.muted, 1.5, Qt.PenStyle.DotLine))
        self.points.setPen(pg.mkPen(look.ink, width=1))
        self.selection.setPen(pg.mkPen(look.ink, width=2.5))
        if self.background != look.background:
            self.background = look.background
            if self.decision is not None:
                self.show_model(self.decision)

    # ------------------------------------------------------------------ points
    def set_points(self, x: np.ndarray, labels: np.ndarray, n_classes: int, scores: bool = False) -> None:
        """x has shape (n, 1) or (n, 2). ``scores``: a score loss (one feature: points at t = ±1)."""
        self.n_features = int(x.shape[1])
        self.n_classes = int(n_classes)
        self.scores = bool(scores)
        if self.n_features == 1:
            px = x[:, 0]
            if scores and n_classes == 2:
                py = 2.0 * labels.astype(float) - 1.0
                self.plot.setLabel("left", "label t = ±1  /  score s")
            else:
                py = labels.astype(float) if n_classes == 2 else labels / max(n_classes - 1, 1)
                self.plot.setLabel("left", "class  /  probability")
            self.plot.setLabel("bottom", "x")
        else:
            px, py = x[:, 0], x[:, 1]
            self.plot.setLabel("left", "x₂")
            self.plot.setLabel("bottom", "x₁")
        same = px.size == self.px.size and np.array_equal(labels, self.labels) and (self.n_features == 2 or np.array_equal(py, self.py))
        self.px, self.py, self.labels = px, py, labels
        if same and px.size:
            move_positions(self.points, px, py)
        else:
            palette = [pg.mkBrush(class_colour(k)) for k in range(max(n_classes, 1))]
            brushes = [palette[int(k)] for k in labels]  # shared brushes: one symbol per class
            self.points.setData(x=px, y=py, brush=brushes)

    def fit_range(self, region: tuple[tuple[float, float], tuple[float, float]] | None = None) -> None:
        """Frame ``region`` (the results' data region; None: the last one framed)."""
        if region is not None:
            self.region = region
        xr, yr = self.region
        self.plot.setRange(xRange=xr, yRange=yr, padding=0)

    # ------------------------------------------------------------------ model
    def show_model(self, decision: DecisionMap | None) -> None:
        """The probability curve(s) or the shaded plane; None: no model to show.

        Only what changed is set again: every setData repaints its item, and an empty
        item still costs a paint.
        """
        self.decision = decision
        if decision is None:
            self._clear_margins()
            self._show_image(False)
            self._ensure_curves(0)
            self._show_line(self.boundary, [], [])
            return
        look = theme.look()
        score = decision.kind == "score"
        if decision.n_features == 1:
            self._show_image(False)
            self._show_line(self.boundary, [], [])
            if score:
                self._ensure_curves(1)
                self._curve_pen(0, look.ink)
                self.curves[0].setData(decision.xs, decision.scores)
                x0, x1 = decision.x_range
                for item, level in zip(self.margins, (-1.0, 0.0, 1.0)):
                    self._show_line(item, [x0, x1], [level, level])
                self._margins_drawn = True
                return
            self._clear_margins()
            probs = decision.curve
            k = probs.shape[1]
            columns = [1] if k == 2 else list(range(k))
            self._ensure_curves(len(columns))
            for i, (curve, c) in enumerate(zip(self.curves, columns)):
                self._curve_pen(i, class_colour(c) if k > 2 else look.ink)
                curve.setData(decision.xs, probs[:, c])
            return
        self._ensure_curves(0)
        (x0, x1), (y0, y1) = decision.x_range, decision.y_range
        self._show_image(True)
        self.image.setImage(self.shade(decision, look.background), autoLevels=False)
        rect = (x0, y0, x1 - x0, y1 - y0)
        if rect != self._image_rect:  # setRect resets the item's transform: only when it moved
            self._image_rect = rect
            self.image.setRect(QRectF(*rect))
        self._show_line(self.boundary, decision.boundary_x, decision.boundary_y)
        if decision.margin_lines:
            for item, (lx, ly) in zip(self.margins, decision.margin_lines):
                self._show_line(item, lx, ly)
            for item in self.margins[len(decision.margin_lines):]:
                self._show_line(item, [], [])
            self._margins_drawn = True
        else:
            self._clear_margins()

    def _clear_margins(self) -> None:
        if self._margins_drawn:
            for item in self.margins:
                self._show_line(item, [], [])
            self._margins_drawn = False

    @staticmethod
    def _show_line(item: pg.PlotCurveItem, x, y) -> None:
        """A line's points; an empty line is hidden too (an empty item still costs a paint)."""
        empty = len(x) == 0
        if empty and not item.isVisible():
            return
        item.setData(x, y)
        if item.isVisible() == empty:
            item.setVisible(not empty)

    def _show_image(self, visible: bool) -> None:
        if self.image.isVisible() != visible:
            self.image.setVisible(visible)

    def _curve_pen(self, i: int, colour: str) -> None:
        while len(self._curve_pens) <= i:
            self._curve_pens.append(None)
        if self._curve_pens[i] != colour:
            self._curve_pens[i] = colour
            self.curves[i].setPen(theme.pen(colour, 2.5))

    def shade(self, decision: DecisionMap, background: str) -> np.ndarray:
        """The RGBA image of ``decision``'s grid: ``_shade``'s colours, looked up in a table
        of ``SHADE_STEPS`` strengths per class instead of blended cell by cell (at most one
        level of 255 apart)."""
        score = decision.kind == "score"
        grid = decision.grid
        k = grid.shape[2]
        table = shade_table(k, background, score)
        steps = SHADE_STEPS - 1
        if score:
            # the side of s = 0 and min(|s|, 1) in one index: 0 … steps over s = −1 … 1
            index = np.rint((np.clip(decision.scores, -1.0, 1.0) + 1.0) * (0.5 * steps)).astype(np.intp)
        elif k == 2:
            index = np.rint(grid[..., 1] * steps).astype(np.intp)
        else:
            top = grid.max(axis=2)
            strength = (top - 1.0 / k) / (1.0 - 1.0 / k)
            index = grid.argmax(axis=2) * SHADE_STEPS + np.rint(np.clip(strength, 0.0, 1.0) * steps).astype(np.intp)
        return table[index]

    def _ensure_curves(self, count: int) -> None:
        while len(self.curves) < count:
            curve = pg.PlotCurveItem()
            self.plot.addItem(curve)
            self.curves.append(curve)
        for i, curve in enumerate(self.curves):
            curve.setVisible(i < count)

    @staticmethod
    def _shade(probs: np.ndarray, background: str = "#ffffff", scores: np.ndarray | None = None) -> np.ndarray:
        """An RGBA image: each cell tinted by its likeliest class, stronger when surer, fading
        to ``background`` where the model is unsure (p = ½, or a score of 0 for hinge)."""
        k = probs.shape[2]
        colours, base = _shade_colours(k, background)
        if scores is not None:
            # hinge: the side of the boundary, full strength from the margin s = ±1 on
            s = scores[..., None]
            tint = np.where(s >= 0, colours[1], colours[0])
            strength = np.minimum(np.abs(s), 1.0)
        elif k == 2:
            # blend the two class colours by P(class 1), fading to the background at p = ½
            p1 = probs[..., 1:2]
            tint = np.where(p1 >= 0.5, colours[1], colours[0])
            strength = np.abs(p1 - 0.5) * 2.0
        else:
            winner = probs.argmax(axis=2)
            tint = colours[winner]
            strength = ((probs.max(axis=2) - 1.0 / k) / (1.0 - 1.0 / k))[..., None]
        return _blend(base, tint, strength)

    # ------------------------------------------------------------------ marks
    def show_marks(self, hover: int | None, selected: int | None) -> None:
        for name, item, row in (("highlight", self.highlight, hover), ("selection", self.selection, selected)):
            at = None if row is None or row >= self.px.size else (float(self.px[row]), float(self.py[row]))
            if at == self._marks_at[name]:
                continue  # setData restyles and repaints: only when the mark moved
            self._marks_at[name] = at
            if at is None:
                item.setData([], [])
                item.setVisible(False)
            else:
                item.setData([at[0]], [at[1]])
                item.setVisible(True)

    def nearest_point(self, scene_pos: QPointF) -> int | None:
        return nearest_point(self.plot, self.px, self.py, scene_pos)

    def features_at(self, row: int, x: float, y: float) -> dict[str, float]:
        """Column values for a point dragged to (x, y): 1-D points move sideways only."""
        if self.n_features == 1:
            return {"x": x}
        return {"x1": x, "x2": y}
