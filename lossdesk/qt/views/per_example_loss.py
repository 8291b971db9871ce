"""Per-example loss: one bar per point, and a line at the cost (the mean of the bars).

Up to ``SEPARATE_BARS`` points each bar is drawn on its own, coloured by its loss like
its residual segment in the data view; beyond that the bars are drawn as one filled
step curve, a single draw call however many points there are.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.regression import RegressionSnapshot
from lossdesk.qt import theme

SEPARATE_BARS = 400


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
        top = max(top, snap.cost)
        # all losses zero (the line through every point): still a readable axis
        theme.stable_range(self.plot, x=(-0.6, max(n, 1) - 0.4), y=(0, top if top > 1e-9 else 1.0), margin=0.05)
        few = n <= 6
        if few != self._few:  # a point is a whole number: no "0.5" ticks under a few bars
            self._few = few
            theme.whole_number_ticks(self.plot.getAxis("bottom"), few)

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
