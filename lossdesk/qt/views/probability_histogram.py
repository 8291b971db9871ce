"""Predicted probabilities split by true class.

For two classes: how P(class 1) is spread over the points of each true class — good
separation puts class 0 near 0 and class 1 near 1. For K classes: how much probability
each point gives its own class.
"""

from __future__ import annotations

import pyqtgraph as pg

from lossdesk.model.classifier_snapshot import ClassifierSnapshot
from lossdesk.qt import theme
from lossdesk.qt.views.class_data import class_colour


class ProbabilityHistogramView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("predicted P(class 1)", "points")
        self.plot = self.widget.getPlotItem()
        self.curves: list[pg.PlotCurveItem] = []
        self.legend = theme.add_legend(self.plot, offset=(-4, 4))
        self._legend_k = 0

    def show(self, snap: ClassifierSnapshot) -> None:
        counts = snap.histogram_counts
        k = counts.shape[0]
        binary = snap.probabilities.shape[1] == 2
        self.plot.setLabel("bottom", "predicted P(class 1)" if binary else "probability of the true class")
        while len(self.curves) < k:
            c = len(self.curves)
            colour = pg.mkColor(class_colour(c))
            fill = pg.mkColor(colour)
            fill.setAlpha(90)
            curve = pg.PlotCurveItem(x=[0.0, 1.0], y=[0.0], stepMode="center", fillLevel=0,
                                     pen=theme.pen(class_colour(c), 2), brush=pg.mkBrush(fill))
            self.plot.addItem(curve)
            self.curves.append(curve)
        if self._legend_k != k:
            self.legend.clear()
            for c in range(k):
                self.legend.addItem(self.curves[c], f"true class {c}")
            self._legend_k = k
        for c, curve in enumerate(self.curves):
            curve.setVisible(c < k)
            if c < k:
                curve.setData(snap.histogram_edges, counts[c])
        theme.stable_range(self.plot, x=(0.0, 1.0), y=(0, max(1, int(counts.max()))), margin=0.05)
