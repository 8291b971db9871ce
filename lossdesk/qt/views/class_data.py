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
        self.curves: list[pg.PlotCurveItem] = []
        self.points = DraggablePoints(size=11, pen=pg.mkPen(look.ink, width=1))
        self.points.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # still points: a blit
        self.plot.addItem(self.points)
        self.highlight = pg.ScatterPlotItem(size=19, pen=pg.mkPen(theme.VERMILLION, width=3), brush=None)
        self.selection = pg.ScatterPlotItem(size=23, pen=pg.mkPen(look.ink, width=2.5), brush=None)
        for item in (self.highlight, self.selection):
            item.setZValue(10)
            self.plot.addItem(item)
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
        """The probability curve(s) or the shaded plane; None: no model to show."""
        self.decision = decision
        for item in self.margins:
            item.setData([], [])
        if decision is None:
            self.image.setVisible(False)
            self._ensure_curves(0)
            self.boundary.setData([], [])
            return
        look = theme.look()
        score = decision.kind == "score"
        if decision.n_features == 1:
            self.image.setVisible(False)
            self.boundary.setData([], [])
            if score:
                self._ensure_curves(1)
                self.curves[0].setPen(theme.pen(look.ink, 2.5))
                self.curves[0].setData(decision.xs, decision.scores)
                x0, x1 = decision.x_range
                for item, level in zip(self.margins, (-1.0, 0.0, 1.0)):
                    item.setData([x0, x1], [level, level])
                return
            probs = decision.curve
            k = probs.shape[1]
            columns = [1] if k == 2 else list(range(k))
            self._ensure_curves(len(columns))
            for curve, c in zip(self.curves, columns):
                curve.setPen(theme.pen(class_colour(c) if k > 2 else look.ink, 2.5))
                curve.setData(decision.xs, probs[:, c])
            return
        self._ensure_curves(0)
        (x0, x1), (y0, y1) = decision.x_range, decision.y_range
        self.image.setVisible(True)
        shade = self._shade(decision.grid, look.background, decision.scores if score else None)
        self.image.setImage(shade, autoLevels=False)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.boundary.setData(decision.boundary_x, decision.boundary_y)
        for item, (lx, ly) in zip(self.margins, decision.margin_lines):
            item.setData(lx, ly)

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
        colours = np.array([pg.mkColor(class_colour(c)).getRgb()[:3] for c in range(k)], dtype=float)
        base = np.array(pg.mkColor(background).getRgb()[:3], dtype=float)
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
        alpha = 0.12 + 0.45 * strength
        rgb = base * (1 - alpha) + tint * alpha
        out = np.empty(probs.shape[:2] + (4,), dtype=np.uint8)
        out[..., :3] = np.clip(rgb, 0, 255).astype(np.uint8)
        out[..., 3] = 255
        return out

    # ------------------------------------------------------------------ marks
    def show_marks(self, hover: int | None, selected: int | None) -> None:
        for item, row in ((self.highlight, hover), (self.selection, selected)):
            if row is None or row >= self.px.size:
                item.setData([], [])
            else:
                item.setData([self.px[row]], [self.py[row]])

    def nearest_point(self, scene_pos: QPointF) -> int | None:
        return nearest_point(self.plot, self.px, self.py, scene_pos)

    def features_at(self, row: int, x: float, y: float) -> dict[str, float]:
        """Column values for a point dragged to (x, y): 1-D points move sideways only."""
        if self.n_features == 1:
            return {"x": x}
        return {"x1": x, "x2": y}
