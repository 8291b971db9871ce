"""The best constant: the cost of predicting one number c for every point, per loss.

Each curve is scaled to run from 0 at its minimum to 1 at the window's edge, so their
shapes and minima compare; the marks are the mean, the median and the τ-quantile of y.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from lossdesk.qt import style

MARK_NAMES = {"mse": "mean", "mae": "median", "quantile": "τ-quantile"}


class BestConstantView:
    def __init__(self) -> None:
        self.widget = style.plot_widget("constant prediction c", "relative cost")
        self.plot = self.widget.getPlotItem()
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.marks: dict[str, pg.InfiniteLine] = {}
        for i, name in enumerate(MARK_NAMES):
            colour = style.LOSS_COLOURS[name]
            self.curves[name] = pg.PlotCurveItem(pen=style.pen(colour, 2))
            self.plot.addItem(self.curves[name])
            line = pg.InfiniteLine(0, angle=90, pen=style.pen(colour, 1.5, Qt.PenStyle.DashLine),
                                   label=MARK_NAMES[name], labelOpts={"position": 0.9 - 0.12 * i, "color": colour,
                                                                      "fill": (255, 255, 255, 200)})
            self.plot.addItem(line)
            self.marks[name] = line
        self.plot.setYRange(0, 1.05, padding=0)

    def show(self, c_grid: np.ndarray, costs: dict[str, np.ndarray], constants: dict[str, float]) -> None:
        for name, curve in self.curves.items():
            z = costs[name]
            lo, hi = float(z.min()), float(z.max())
            curve.setData(c_grid, (z - lo) / (hi - lo) if hi > lo else np.zeros_like(z))
            self.marks[name].setValue(constants[name])
        style.stable_range(self.plot, x=(float(c_grid[0]), float(c_grid[-1])), y=(0, 1.0), margin=0.02)
