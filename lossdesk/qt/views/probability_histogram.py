"""How the predictions spread, split by true class (a ``Spread`` from the results).

For two classes: how P(class 1) is spread over the points of each true class — good
separation puts class 0 near 0 and class 1 near 1. For K classes: how much probability
each point gives its own class. For a score loss (hinge): the margins m = t·s, where
m ≥ 1 costs nothing.

The legend goes in the top corner with the fewest points under it, and the y axis
leaves room above the bars there, so it never covers a bar.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.classification import Spread
from lossdesk.qt import theme
from lossdesk.qt.views.class_data import class_colour
from lossdesk.qt.views.true_class_loss import no_auto_range

X_LABELS = {
    "p1": "probability of class 1",
    "p_true": "p of the true class",
    "margin": "margin m = t·s",
}
#: a legend taller than this share of the plot is left out (its colours match the data view)
MOST_OF_THE_PLOT = 0.6
LEGEND_OFFSET = 4


class ProbabilityHistogramView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget(X_LABELS["p1"], "points")
        self.plot = self.widget.getPlotItem()
        no_auto_range(self.plot)
        self.curves: list[pg.PlotCurveItem] = []
        self.marks: list[pg.InfiniteLine] = []
        self.legend = theme.add_legend(self.plot, offset=(-LEGEND_OFFSET, LEGEND_OFFSET))
        self.legend.setZValue(20)
        self._legend_k = 0
        # by plot size: the legend's size and its number of columns there
        self._legend_sizes: dict[tuple[float, float], tuple[tuple[float, float], int]] = {}
        self._anchored: str | None = None  # the corner the legend was anchored to
        self.kind = ""
        self.spread: Spread | None = None
        self.corner = "right"
        self.plot.getViewBox().sigResized.connect(self._place_legend)
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        for line in self.marks:
            line.setPen(theme.pen(look.muted, 1.2, Qt.PenStyle.DashLine))
        self._legend_sizes.clear()  # another text size: another legend size
        self._anchored = None
        self._place_legend()

    def show(self, spread: Spread) -> None:
        counts = spread.counts
        k = counts.shape[0]
        self.spread = spread
        if spread.kind != self.kind:
            self.kind = spread.kind
            self.plot.setLabel("bottom", X_LABELS[spread.kind])
            self._show_marks(spread.marks)
        while len(self.curves) < k:
            c = len(self.curves)
            fill = pg.mkColor(class_colour(c))
            fill.setAlpha(90)
            curve = pg.PlotCurveItem(x=[0.0, 1.0], y=[0.0], stepMode="center", fillLevel=0,
                                     pen=theme.pen(class_colour(c), 2), brush=pg.mkBrush(fill))
            self.plot.addItem(curve)
            self.curves.append(curve)
        if self._legend_k != k:
            self.legend.clear()
            for c in range(k):
                self.legend.addItem(self.curves[c], f"class {c}")
            theme.style_legend(self.legend, theme.look())
            self._legend_k = k
            self._legend_sizes.clear()
            self._anchored = None
        for c, curve in enumerate(self.curves):
            curve.setVisible(c < k)
            if c < k:
                curve.setData(spread.edges, counts[c])
        self._place_legend()

    def _show_marks(self, marks: tuple[float, ...]) -> None:
        while len(self.marks) < len(marks):
            line = pg.InfiniteLine(0, angle=90, pen=theme.pen(theme.look().muted, 1.2, Qt.PenStyle.DashLine))
            line.setZValue(-5)
            self.plot.addItem(line)
            self.marks.append(line)
        for i, line in enumerate(self.marks):
            line.setVisible(i < len(marks))
            if i < len(marks):
                line.setValue(marks[i])

    def _legend_size(self, width: float, height: float) -> tuple[float, float]:
        """The legend's size in pixels, in as few columns as fit the plot (many classes: a grid).

        Measured once per plot size (and per legend and text size): measuring lays the
        legend out again, which would cost every frame though nothing in it changed.
        """
        known = self._legend_sizes.get((width, height))
        if known is not None:
            size, columns = known
            if self.legend.columnCount != columns:
                self.legend.setColumnCount(columns)
            return size
        size = self._measure_legend(width, height)
        self._legend_sizes[(width, height)] = (size, self.legend.columnCount)
        return size

    def _measure_legend(self, width: float, height: float) -> tuple[float, float]:
        k = max(1, len(self.legend.items))
        size = (0.0, 0.0)
        for columns in range(1, k + 1):
            if self.legend.columnCount != columns:
                self.legend.setColumnCount(columns)
            rect = self.legend.boundingRect()
            size = (float(rect.width()) + LEGEND_OFFSET, float(rect.height()) + LEGEND_OFFSET)
            if height > 0 and size[1] / height <= 0.35 or size[0] > 0.9 * width:
                break
        if size[0] > 0.9 * width and self.legend.columnCount > 1:  # one column fewer fits across
            self.legend.setColumnCount(self.legend.columnCount - 1)
            rect = self.legend.boundingRect()
            size = (float(rect.width()) + LEGEND_OFFSET, float(rect.height()) + LEGEND_OFFSET)
        return size

    def _place_legend(self, *_args) -> None:
        """The legend in the emptier top corner, the y range tall enough to keep it off the bars."""
        spread = self.spread
        if spread is None:
            return
        counts = spread.counts
        top = max(1, int(counts.max())) if counts.size else 1
        vb = self.plot.getViewBox()
        width, height = float(vb.width()), float(vb.height())
        lw, lh = self._legend_size(width, height)
        x0, x1 = spread.x_range
        if width <= 0 or height <= 0 or lh / height > MOST_OF_THE_PLOT or lw / width > 0.9:
            self.legend.setVisible(False)
            theme.stable_range(self.plot, x=(x0, x1), y=(0, top), margin=0.05)
            return
        self.legend.setVisible(True)
        span = x1 - x0
        centres = 0.5 * (spread.edges[:-1] + spread.edges[1:])
        tallest = counts.max(axis=0) if counts.size else np.zeros(centres.size)
        share = (lw + 0.02 * width) / width  # the legend's share of the x span, with the bars' half width
        under = {
            "left": float(tallest[centres <= x0 + share * span + 0.5 * span / centres.size].max(initial=0)),
            "right": float(tallest[centres >= x1 - share * span - 0.5 * span / centres.size].max(initial=0)),
        }
        corner = min(under, key=lambda c: (under[c], c != self.corner))
        if corner != self.corner:
            self.corner = corner
        if corner == self._anchored:
            pass  # anchored there already: anchoring again would move nothing but cost a layout
        elif corner == "left":
            self.legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(LEGEND_OFFSET, LEGEND_OFFSET))
        else:
            self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-LEGEND_OFFSET, LEGEND_OFFSET))
        self._anchored = corner
        # the bars under the legend reach at most (1 − legend share of the height) of the range
        free = 1.0 - (lh + 2) / height
        needed = under[corner] / free * 1.06 if under[corner] else 0.0
        theme.stable_range(self.plot, x=(x0, x1), y=(0, max(top, needed)), margin=0.05)
