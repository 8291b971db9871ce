"""K class probabilities as bars, the true class outlined: for a chosen point, or the playground."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.qt import theme
from lossdesk.qt.views.class_data import class_colour


class ClassProbabilitiesView:
    def __init__(self, y_label: str = "probability") -> None:
        self.widget = theme.plot_widget("class", y_label)
        self.widget.setMinimumHeight(110)
        self.plot = self.widget.getPlotItem()
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.7)
        self.plot.addItem(self.bars)
        self.truth = pg.BarGraphItem(x=[0], height=[0], width=0.7, brush=None, pen=pg.mkPen(theme.INK, width=3))
        self.plot.addItem(self.truth)
        self.plot.setYRange(0, 1.0, padding=0.02)
        self.heights = np.zeros(0)

    def show(self, probabilities: np.ndarray, true_class: int | None) -> None:
        k = probabilities.size
        self.heights = np.asarray(probabilities, dtype=float)
        self.bars.setOpts(x=np.arange(k), height=self.heights, width=0.7,
                          brushes=[pg.mkBrush(class_colour(c)) for c in range(k)])
        if true_class is None:
            self.truth.setVisible(False)
        else:
            self.truth.setOpts(x=[true_class], height=[self.heights[true_class]], width=0.7)
            self.truth.setVisible(True)
        self.plot.setXRange(-0.6, k - 0.4, padding=0)
        ticks = [[(c, str(c)) for c in range(k)]]
        self.plot.getAxis("bottom").setTicks(ticks)
