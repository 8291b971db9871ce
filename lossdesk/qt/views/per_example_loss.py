"""Per-example loss: one bar per point, and a line at the cost (the mean of the bars).

Up to ``SEPARATE_BARS`` points each bar is drawn on its own, coloured by its loss like
its residual segment in the data view; beyond that the bars are drawn as one filled
step curve, a single draw call however many points there are.

With a penalty (``show_penalty(λ·P)``) one more bar stands right of the points: an
outline from 0 to the mean loss with the penalty stacked on it, so its top is the cost
(mean loss + λ·P), marked by a second line; the dashed line then reads "mean".
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

from lossdesk.model.results.regression import RegressionSnapshot
from lossdesk.qt import theme

SEPARATE_BARS = 400
#: the penalty bar's fill, light and dark theme: a green none of the loss bars has
PENALTY_FILL = {False: "#009E73", True: "#35c29a"}


class PerExampleLossView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("point", "loss")
        self.plot = self.widget.getPlotItem()
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.8, pen=pg.mkPen(None))
        self.plot.addItem(self.bars)
        self.profile = pg.PlotCurveItem(x=[-0.5, 0.5], y=[0.0], stepMode="center", fillLevel=0,
                                        pen=theme.pen(theme.PURPLE, 1), brush=pg.mkBrush(204, 121, 167, 150))
        self.plot.addItem(self.profile)
        self.highlight = pg.BarGraphItem(x=[0], height=[0], width=0.8, brush=None,
                                         pen=pg.mkPen(theme.VERMILLION, width=2.5))
        self.highlight.setVisible(False)
        self.highlight.setZValue(5)
        self.plot.addItem(self.highlight)
        self.cost_line = pg.InfiniteLine(0, angle=0, label="cost = {value:.4g}", labelOpts={"position": 0.5})
        self.cost_line.setZValue(6)
        self.plot.addItem(self.cost_line)
        self._losses = np.zeros(0)
        self._few: bool | None = None  # whether the point axis has a tick at every point
        # the penalty's column (hidden without one): the mean as an outline, the penalty on top
        self.penalty_base = pg.BarGraphItem(x=[0], y0=[0], height=[0], width=0.8, brush=None)
        self.penalty_bar = pg.BarGraphItem(x=[0], y0=[0], height=[0], width=0.8)
        self.penalty_label = pg.TextItem("penalty", anchor=(0.5, 1.0))
        self.total_line = pg.InfiniteLine(0, angle=0, label="cost = {value:.4g}",
                                          labelOpts={"position": 0.5, "anchors": [(1.0, 1.0), (1.0, 1.0)]})
        for z, item in enumerate((self.penalty_base, self.penalty_bar, self.penalty_label, self.total_line)):
            item.setZValue(6 + z)
            item.setVisible(False)
            self.plot.addItem(item)
        self._penalty: float | None = None
        self._placed: tuple | None = None
        self._arranged: tuple | None = None
        box = self.plot.getViewBox()  # the labels' places depend on the plot's width and range
        box.sigResized.connect(self._rearrange)
        box.sigXRangeChanged.connect(self._rearrange)
        self._mean = 0.0
        self._top = 1.0
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        """The dashed cost line and its label in the theme's ink, on the theme's background."""
        self.cost_line.setPen(theme.pen(look.ink, 2, Qt.PenStyle.DashLine))
        label = self.cost_line.label
        label.setColor(look.ink)
        fill = pg.mkColor(look.background)
        fill.setAlpha(215)
        label.fill = pg.mkBrush(fill)
        label.border = pg.mkPen(look.panel_border)
        font = label.textItem.font()
        font.setPointSizeF(look.pt(8.5))
        label.setFont(font)
        label.update()
        if not hasattr(self, "total_line"):
            return  # (a subclass's restyle may run before this view's items exist)
        self.total_line.setPen(theme.pen(look.ink, 1.5, Qt.PenStyle.DotLine))
        self.penalty_base.setOpts(pen=theme.pen(look.muted, 1, Qt.PenStyle.DashLine))
        self.penalty_bar.setOpts(brush=pg.mkBrush(PENALTY_FILL[look.dark]), pen=pg.mkPen(look.ink, width=1))
        self.penalty_label.setColor(look.ink)
        for text in (self.total_line.label, self.penalty_label):
            text.fill = pg.mkBrush(fill)
            text.setFont(font)
        self.total_line.label.border = pg.mkPen(look.panel_border)
        self.total_line.label.setColor(look.ink)
        self.total_line.label.update()

    def show(self, snap: RegressionSnapshot) -> None:
        n = snap.n
        losses = snap.losses
        self._losses = losses
        if n <= SEPARATE_BARS:
            self.bars.setOpts(x=np.arange(n), height=losses, width=0.8, brushes=theme.loss_brushes(losses))
            self.bars.setVisible(True)
            self.profile.setVisible(False)
        else:
            # More bars than pixels: each pixel column shows its tallest bar, unsmoothed.
            columns = max(1, int(self.plot.getViewBox().width()))
            per = max(1, -(-n // (2 * columns)))
            starts = np.arange(0, n, per)
            self.profile.setData(np.append(starts, n) - 0.5, np.maximum.reduceat(losses, starts),
                                 antialias=False)
            self.profile.setVisible(True)
            self.bars.setVisible(False)
        if self.cost_line.value() != snap.cost:
            self.cost_line.setValue(snap.cost)
        top = float(losses.max()) if n else 1.0
        self._mean, self._top = snap.cost, max(top, snap.cost)
        if self._penalty is not None:
            self._place_penalty()
        self._fit_range()
        few = n <= 6
        if few != self._few:  # a point is a whole number: no "0.5" ticks under a few bars
            self._few = few
            theme.whole_number_ticks(self.plot.getAxis("bottom"), few)

    def _fit_range(self) -> None:
        n = self._losses.size
        right, top = max(n, 1) - 0.4, self._top
        if self._penalty is not None:
            x, width = self._penalty_slot()
            top = max(top, self._mean + self._penalty)
            # room for the bar and its label above it (a label is about two lines of text)
            right = x + width / 2 + self._units(self.penalty_label.boundingRect().width() / 2 + 4, right + 0.6)
            top += self._units(self.penalty_label.boundingRect().height() + 2, top, vertical=True)
        # all losses zero (the line through every point): still a readable axis
        theme.stable_range(self.plot, x=(-0.6, right), y=(0, top if top > 1e-9 else 1.0), margin=0.05)

    def _units(self, pixels: float, span: float, vertical: bool = False) -> float:
        """About how many data units ``pixels`` are on an axis showing ``span`` units."""
        box = self.plot.getViewBox()
        room = box.height() if vertical else box.width()
        room = max(room, 4 * pixels)  # a tiny (not yet laid out) plot: a quarter
        return pixels * span / (room - pixels)

    def _penalty_slot(self) -> tuple[float, float]:
        """The penalty column's centre and width: right of the last point, wider when the
        points are too many for a bar each to be seen."""
        n = self._losses.size
        width = max(0.8, 0.03 * n)
        return max(n, 1) - 0.6 + max(0.8, 0.02 * n) + width / 2, width

    def _place_penalty(self) -> None:
        x, width = self._penalty_slot()
        mean, value = self._mean, float(self._penalty or 0.0)
        if (x, width, mean, value) == self._placed:
            return  # unchanged: a bar's setOpts redraws its picture
        self._placed = (x, width, mean, value)
        self.penalty_base.setOpts(x=[x], y0=[0.0], height=[mean], width=width)
        self.penalty_bar.setOpts(x=[x], y0=[mean], height=[value], width=width)
        self.penalty_label.setPos(x, mean + value)
        if self.total_line.value() != mean + value:
            self.total_line.setValue(mean + value)

    def _rearrange(self, *_args) -> None:
        if self._penalty is not None:
            self._arrange_labels()

    def _arrange_labels(self) -> None:
        """The three labels side by side above their lines, as many as the plot's width holds:
        "penalty" over its bar (or "λ·P" when narrow), "cost" just left of it, and "mean" at
        the left end (dropped first when there is no room)."""
        box = self.plot.getViewBox()
        room = float(box.width())
        (x0, x1), _ = self.plot.viewRange()
        mean_label, cost_label = self.cost_line.label, self.total_line.label
        cost_w = cost_label.boundingRect().width()
        metrics = QFontMetricsF(self.penalty_label.textItem.font())
        word = "penalty" if room >= cost_w + metrics.horizontalAdvance("penalty") + 30 else "λ·P"
        if self.penalty_label.toPlainText() != word:
            self.penalty_label.setText(word)
        slot_px = (self._penalty_slot()[0] - x0) / ((x1 - x0) or 1.0) * room
        right = slot_px - self.penalty_label.boundingRect().width() / 2 - 6  # the cost label ends here
        fits = right >= cost_w
        mean_fits = fits and right - cost_w >= mean_label.boundingRect().width() + 12
        arrangement = (round(right), fits, mean_fits)
        if arrangement == self._arranged or room <= 0:
            return
        self._arranged = arrangement
        cost_label.anchors = [(1.0, 1.0)] * 2 if fits else [(0.0, 1.0)] * 2
        cost_label.setPosition(right / room if fits else 0.0)
        mean_label.anchors = [(0.0, 1.0)] * 2
        mean_label.setPosition(0.0)
        if mean_label.isVisible() != mean_fits:
            mean_label.setVisible(mean_fits)

    def show_penalty(self, value: float | None) -> None:
        """One more bar, "penalty", right of the points' bars: λ·P(w) standing on the mean
        loss, so its top is the cost (a second line marks it). None hides it."""
        shown = value is not None
        if not shown and self._penalty is None:
            return  # (every frame without a penalty: nothing to do)
        if shown == (self._penalty is None):  # shown or hidden now: the lines say what they are
            label = self.cost_line.label
            label.setFormat("mean = {value:.4g}" if shown else "cost = {value:.4g}")
            if not shown:  # back to the cost line's own label, in the middle
                label.anchors = [(0.5, 0.0), (0.5, 1.0)]
                label.setPosition(0.5)
                label.setVisible(True)
            self._arranged = None
            for item in (self.penalty_base, self.penalty_bar, self.penalty_label, self.total_line):
                item.setVisible(shown)
        self._penalty = None if value is None else float(value)
        if shown:
            self._place_penalty()
        self._fit_range()
        if shown:
            self._arrange_labels()

    def show_highlight(self, row: int | None) -> None:
        if row is None or row >= self._losses.size:
            self.highlight.setVisible(False)
            return
        self.highlight.setOpts(x=[row], height=[self._losses[row]], width=0.8)
        self.highlight.setVisible(True)

    def bar_at(self, scene_pos) -> int | None:
        """The bar under a scene position, if any."""
        if not self.plot.sceneBoundingRect().contains(scene_pos) or self._losses.size == 0:
            return None
        p = self.plot.getViewBox().mapSceneToView(scene_pos)
        i = int(round(p.x()))
        if 0 <= i < self._losses.size and abs(p.x() - i) <= 0.45:
            return i
        return None
