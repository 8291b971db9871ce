"""The best constant: the cost of predicting one number c for every point, per loss.

Each curve runs from 0 at its minimum to 1 at the window's edge (scaled in the results),
so their shapes and minima compare; the marks are the mean, the median and the
τ-quantile of y. At τ = 0.5 the pinball curve is the MAE curve itself: it is drawn
dashed over the median's solid line, and its label says they are the same.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from lossdesk.model.results.outlier_lab import ConstantCurves
from lossdesk.qt import theme
from lossdesk.qt.views.fit_comparison import LINE_Z, loss_pen, readable

MARK_NAMES = {"mse": "mean", "mae": "median", "quantile": "τ-quantile"}
SAME_AS_MEDIAN = "τ-quantile\n= median"
#: where along each mark line its label first sits (0 bottom, 1 top); ``_place_labels``
#: then stacks them by their height in pixels, so they never overlap
LABEL_HEIGHTS = {"mse": 0.92, "mae": 0.78, "quantile": 0.64}


class BestConstantView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("constant c", "relative cost")
        self.plot = self.widget.getPlotItem()
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.marks: dict[str, pg.InfiniteLine] = {}
        for name in MARK_NAMES:
            colour = theme.LOSS_COLOURS[name]
            self.curves[name] = pg.PlotCurveItem(pen=loss_pen(name, 2.5 if name == "quantile" else 2))
            self.curves[name].setZValue(LINE_Z[name])
            self.plot.addItem(self.curves[name])
            line = pg.InfiniteLine(0, angle=90, pen=theme.pen(colour, 1.5, Qt.PenStyle.DashLine),
                                   label=MARK_NAMES[name], labelOpts={"position": LABEL_HEIGHTS[name], "color": colour})
            self.plot.addItem(line)
            self.marks[name] = line
        self.plot.setYRange(0, 1.05, padding=0)
        self._drawn: ConstantCurves | None = None
        theme.follow(self.restyle)
        self.plot.getViewBox().sigResized.connect(self._place_labels)

    def restyle(self, look: theme.Look) -> None:
        font = QFont()
        font.setPointSizeF(look.pt(8))
        for name, line in self.marks.items():
            label = line.label
            label.setColor(readable(theme.LOSS_COLOURS[name], look))
            label.fill = pg.mkBrush(*look.legend_brush)
            label.setFont(font)
            label.update()
        self._place_labels()

    def label_of(self, name: str) -> str:
        return self.marks[name].label.toPlainText()

    def show(self, constants: ConstantCurves) -> None:
        if constants is self._drawn:
            return
        for name, curve in self.curves.items():
            curve.setData(constants.c, constants.relative[name])
            self.marks[name].setValue(constants.best[name])
        same = bool(np.allclose(constants.relative["quantile"], constants.relative["mae"], atol=1e-9))
        text = SAME_AS_MEDIAN if same else MARK_NAMES["quantile"]
        if self.label_of("quantile") != text:
            self.marks["quantile"].label.setFormat(text)
        theme.stable_range(self.plot, x=(float(constants.c[0]), float(constants.c[-1])), y=(0, 1.0), margin=0.02)
        self._place_labels()
        self._drawn = constants

    def _place_labels(self, *_args) -> None:
        """Each label centred on its line, or slid along it where an edge of the plot would cut it."""
        (x0, x1), _ = self.plot.viewRange()
        px, _ = self.plot.getViewBox().viewPixelSize()
        height = self.plot.getViewBox().height()
        top = 4.0  # pixels from the top: the labels stack down, one under the other
        for line in self.marks.values():
            label = line.label
            if height > 0:
                h = label.boundingRect().height()
                wanted = round(min(max(1.0 - (top + 0.5 * h) / height, 0.05), 0.95), 3)
                top += h + 1
                if label.orthoPos != wanted:
                    label.setPosition(wanted)
            width = label.boundingRect().width() * abs(px)
            v = line.value()
            if width <= 0:
                continue
            # the share of the label left of its line: ½ if it fits so, else as little as keeps it in
            lo, hi = (v + width - x1) / width, (v - x0) / width
            a = min(max(0.5, lo), hi) if lo <= hi else (v - x0) / max(x1 - x0, 1e-300)
            anchor = (round(min(max(a, 0.0), 1.0), 3), 0.5)
            if label.anchors != [anchor, anchor]:
                label.anchors = [anchor, anchor]
                label.updatePosition()
