"""The best constant: the cost of predicting one number c for every point, per loss.

Each curve runs from 0 at its minimum to 1 at the window's edge (scaled in the results),
so their shapes and minima compare; the marks are the mean, the median and the
τ-quantile of y.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.model.results.outlier_lab import ConstantCurves
from lossdesk.qt import theme

MARK_NAMES = {"mse": "mean", "mae": "median", "quantile": "τ-quantile"}


class BestConstantView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("constant prediction c", "relative cost")
        self.plot = self.widget.getPlotItem()
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.marks: dict[str, pg.InfiniteLine] = {}
        for i, name in enumerate(MARK_NAMES):
            colour = theme.LOSS_COLOURS[name]
            self.curves[name] = pg.PlotCurveItem(pen=theme.pen(colour, 2))
            self.plot.addItem(self.curves[name])
            line = pg.InfiniteLine(0, angle=90, pen=theme.pen(colour, 1.5, Qt.PenStyle.DashLine),
                                   label=MARK_NAMES[name], labelOpts={"position": 0.9 - 0.12 * i, "color": colour,
                                                                      "fill": (255, 255, 255, 200)})
            self.plot.addItem(line)
            self.marks[name] = line
        self.plot.setYRange(0, 1.05, padding=0)
        self._drawn: ConstantCurves | None = None

    def show(self, constants: ConstantCurves) -> None:
        if constants is self._drawn:
            return
        for name, curve in self.curves.items():
            curve.setData(constants.c, constants.relative[name])
            self.marks[name].setValue(constants.best[name])
        theme.stable_range(self.plot, x=(float(constants.c[0]), float(constants.c[-1])), y=(0, 1.0), margin=0.02)
        self._drawn = constants
