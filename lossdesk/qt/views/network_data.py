"""The network tab's data: the points over what the network makes of them, and each one's loss.

* Labelled points: the classification view's shading and probability curves (a
  ``DecisionMap``), whose boundary p = ½ is now a curve — contour lines, NaN between
  pieces — and a ring round each point in the colour of its own loss (bright: large).
* x,y points: the network's fitted curve ŷ(x) and each point's residual segment, coloured
  by its loss, drawn as one line item per colour band.

Held-out points (not trained on) are squares, the training points circles, in both.
``NetworkLossView`` is the per-point loss bars with the held-out points' bars outlined and,
with a penalty, the shared penalty column beside them: the bars' mean plus λ·P(W).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.network import FittedCurve, PointLosses
from lossdesk.qt import theme
from lossdesk.qt.views.class_data import ClassDataView
from lossdesk.qt.views.data_fit import SMOOTH_SEGMENTS, move_positions
from lossdesk.qt.views.per_example_loss import SEPARATE_BARS, PerExampleLossView

#: loss rings are drawn from this band up (the smallest losses get none: nothing to see)
FIRST_RING_BAND = 1


def _pass_click(ev) -> None:
    ev.ignore()


class NetworkDataView(ClassDataView):
    """Labelled points over the decision map, or x,y points round the fitted curve."""

    def __init__(self) -> None:
        super().__init__()
        # a network's boundary and margins are curves in pieces (NaN between them)
        for item in (self.boundary, *self.margins):
            item.opts["connect"] = "finite"
        look = theme.look()
        self.fit_curve = pg.PlotCurveItem(pen=theme.pen(theme.BLUE, 3))
        self.fit_curve.setVisible(False)
        self.plot.addItem(self.fit_curve)
        self.segments: list[pg.PlotCurveItem] = []
        self.rings: list[pg.ScatterPlotItem] = []
        for colour in theme.loss_band_colours():
            segment = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(color=colour, width=2.5))
            segment.setVisible(False)
            self.plot.addItem(segment)
            self.segments.append(segment)
            ring = pg.ScatterPlotItem(size=17, brush=None, pen=pg.mkPen(color=colour, width=2.2))
            ring.setVisible(False)
            ring.setZValue(3)
            ring.setAcceptHoverEvents(False)
            self.plot.addItem(ring)
            self.rings.append(ring)
        # Marks drawn over the points must never take a click meant for the point below
        # (a scatter item accepts a click on any of its symbols, and the hover ring sits
        # exactly on the point about to be clicked).
        for item in (self.highlight, self.selection, *self.rings):
            item.mouseClickEvent = _pass_click
        self.regression = False
        self.held_out = np.zeros(0, dtype=bool)
        self._rings_shown: list[np.ndarray | None] = [None] * len(self.rings)
        self.points.setZValue(4)
        self.background = look.background

    def restyle(self, look: theme.Look) -> None:
        super().restyle(look)
        if hasattr(self, "fit_curve"):
            self.fit_curve.setPen(theme.pen(theme.SKY if look.dark else theme.BLUE, 3))
            if self.regression:
                self.points.setBrush(pg.mkBrush(look.point_fill))

    # ------------------------------------------------------------------ points
    def set_class_points(self, x: np.ndarray, labels: np.ndarray, n_classes: int, scores: bool,
                         held_out: np.ndarray) -> None:
        was = self.regression
        self.regression = False
        if was:
            self.labels = np.zeros(0, dtype=int)  # the points are restyled by class
            self._hide_fit()
        self.set_points(x, labels, n_classes, scores)
        self._show_symbols(held_out, force=was)

    def set_regression_points(self, x: np.ndarray, y: np.ndarray, held_out: np.ndarray) -> None:
        same = self.regression and x.size == self.px.size
        if not self.regression:
            self.regression = True
            self.show_model(None)
            self._show_rings(np.zeros(0), np.zeros(0), np.zeros(0))
            self.plot.setLabel("left", "y")
            self.plot.setLabel("bottom", "x")
        self.n_features, self.n_classes, self.scores = 1, 1, False
        self.labels = np.zeros(x.size, dtype=int)
        self.px, self.py = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if same:
            move_positions(self.points, self.px, self.py)
        else:
            self.points.setData(x=self.px, y=self.py, brush=pg.mkBrush(theme.look().point_fill))
        self._show_symbols(held_out, force=not same)

    def _show_symbols(self, held_out: np.ndarray, force: bool = False) -> None:
        """Held-out points as squares (per-point symbols are set only when the split changes)."""
        held_out = np.asarray(held_out, dtype=bool)
        self.held_out = held_out.copy()
        data = self.points.data
        if held_out.size != len(data):
            return
        if not force and np.array_equal(data["symbol"] == "s", held_out):
            return  # already drawn so (setData on new points draws them all as circles)
        self.points.setSymbol(["s" if h else "o" for h in held_out])

    def features_at(self, row: int, x: float, y: float) -> dict[str, float]:
        if self.regression:
            return {"x": x, "y": y}
        return super().features_at(row, x, y)

    # ------------------------------------------------------------------ the model
    def show_losses(self, losses: np.ndarray) -> None:
        """A ring round each labelled point in its loss's colour (larger losses brighter)."""
        if self.regression:
            return
        self._show_rings(self.px, self.py, losses)

    def _show_rings(self, x: np.ndarray, y: np.ndarray, losses: np.ndarray) -> None:
        bands = theme.loss_bands(losses) if losses.size else np.zeros(0, dtype=int)
        for k, ring in enumerate(self.rings):
            mask = (bands == k) if k >= FIRST_RING_BAND else np.zeros(bands.size, dtype=bool)
            if not mask.any():
                if ring.isVisible():
                    ring.setData([], [])
                    ring.setVisible(False)
                self._rings_shown[k] = None
                continue
            xs, ys = x[mask], y[mask]
            shown = self._rings_shown[k]
            pos = np.column_stack([xs, ys])
            if shown is not None and shown.shape == pos.shape and np.array_equal(shown, pos):
                continue
            if shown is not None and shown.shape == pos.shape:
                move_positions(ring, xs, ys)  # same count: no restyling
            else:
                ring.setData(xs, ys)
            self._rings_shown[k] = pos
            if not ring.isVisible():
                ring.setVisible(True)

    def show_fit(self, fit: FittedCurve, losses: np.ndarray) -> None:
        """The fitted curve and each point's residual segment, coloured by its loss."""
        self.fit_curve.setData(fit.xs, fit.ys)
        if not self.fit_curve.isVisible():
            self.fit_curve.setVisible(True)
        band = theme.loss_bands(losses)
        x, y, pred = self.px, self.py, fit.predictions
        smooth = x.size <= SMOOTH_SEGMENTS
        for k, item in enumerate(self.segments):
            mask = band == k
            if not mask.any() or x.size != pred.size:
                if item.isVisible():
                    item.setData([], [])
                    item.setVisible(False)
                continue
            sx = np.repeat(x[mask], 2)
            sy = np.empty(sx.size)
            sy[0::2], sy[1::2] = y[mask], pred[mask]
            item.setData(sx, sy, antialias=smooth)
            if not item.isVisible():
                item.setVisible(True)

    def _hide_fit(self) -> None:
        for item in (self.fit_curve, *self.segments):
            if item.isVisible():
                item.setData([], [])
                item.setVisible(False)


@dataclass(frozen=True)
class _Bars:
    """What ``PerExampleLossView.show`` reads: the bars, and the mean its dashed line marks."""

    n: int
    losses: np.ndarray
    cost: float


class NetworkLossView(PerExampleLossView):
    """One bar per point; the held-out points' bars outlined (they are not in the cost).

    With a penalty the shared view's penalty column stands beside the bars: λ·P(W) on the
    training points' mean loss, its top the training cost (``show_penalty``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.held = pg.BarGraphItem(x=[0], height=[0], width=0.8, brush=None,
                                    pen=theme.pen(theme.look().muted, 1, Qt.PenStyle.DotLine))
        self.held.setVisible(False)
        self.held.setZValue(4)
        self.plot.addItem(self.held)

    def restyle(self, look: theme.Look) -> None:
        super().restyle(look)
        if hasattr(self, "held"):
            self.held.setOpts(pen=theme.pen(look.muted, 1, Qt.PenStyle.DotLine))

    def show_points(self, points: PointLosses, penalty: float | None = None) -> None:
        """The bars, the training points' mean loss, and ``penalty`` λ·P(W) beside them (None: no penalty)."""
        self.show(_Bars(points.n, points.losses, points.data_cost))  # type: ignore[arg-type]
        rows = np.flatnonzero(points.held_out)
        if rows.size == 0 or points.n > SEPARATE_BARS:
            if self.held.isVisible():
                self.held.setVisible(False)
        else:
            self.held.setOpts(x=rows, height=points.losses[rows], width=0.8)
            if not self.held.isVisible():
                self.held.setVisible(True)
        self.show_penalty(penalty)
