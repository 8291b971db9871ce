"""K class probabilities as bars, the true class outlined: for a chosen point, or the playground.

For a score loss (hinge) the bars are the two classes' scores (−s and s) instead, on an
axis around 0.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.qt import theme
from lossdesk.qt.views.class_data import class_colour

#: the y range of probability bars: 0 to 1 with a little room
PROBABILITY_RANGE = [-0.02, 1.02]


class ClassProbabilitiesView:
    def __init__(self, y_label: str = "probability") -> None:
        self.y_label = y_label
        self.widget = theme.plot_widget("class", y_label)
        self.widget.setMinimumHeight(110)
        self.plot = self.widget.getPlotItem()
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.7)
        self.plot.addItem(self.bars)
        self.truth = pg.BarGraphItem(x=[0], height=[0], width=0.7, brush=None, pen=pg.mkPen(theme.INK, width=3))
        self.plot.addItem(self.truth)
        self.zero = pg.InfiniteLine(0, angle=0, pen=theme.pen(theme.GREY, 1))
        self.zero.setVisible(False)
        self.plot.addItem(self.zero)
        self.plot.setYRange(*PROBABILITY_RANGE, padding=0)
        self.heights = np.zeros(0)
        self.scores = False
        self._k = -1  # the number of classes the bars were styled for
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        self.truth.setOpts(pen=pg.mkPen(look.ink, width=3))
        self.zero.setPen(theme.pen(look.muted, 1))

    def show(self, values: np.ndarray, true_class: int | None, scores: bool = False) -> None:
        """Bars of ``values``: probabilities, or (``scores``) each class's score.

        The classes' brushes, ticks and x range are set only when the number of classes
        changes (new ticks redraw the axis); the heights every time.
        """
        k = values.size
        self.heights = np.asarray(values, dtype=float)
        if k != self._k:
            self._k = k
            self.bars.setOpts(x=np.arange(k), height=self.heights, width=0.7,
                              brushes=[pg.mkBrush(class_colour(c)) for c in range(k)])
            self.plot.getAxis("bottom").setTicks([[(c, str(c)) for c in range(k)]])
        else:
            self.bars.setOpts(height=self.heights)
        x_range, y_range = self.plot.viewRange()
        if x_range != [-0.6, k - 0.4]:  # a zoom (or another number of classes) is undone
            self.plot.setXRange(-0.6, k - 0.4, padding=0)
        if true_class is None:
            self.truth.setVisible(False)
        else:
            self.truth.setOpts(x=[true_class], height=[self.heights[true_class]], width=0.7)
            self.truth.setVisible(True)
        if scores != self.scores:
            self.scores = scores
            self.plot.setLabel("left", "score" if scores else self.y_label)
            self.zero.setVisible(scores)
        if not scores and y_range != PROBABILITY_RANGE:
            self.plot.setYRange(*PROBABILITY_RANGE, padding=0)
        if scores:
            top = max(1.0, float(np.abs(self.heights).max()) if k else 1.0)
            theme.stable_range(self.plot, y=(-top, top), margin=0.05)
