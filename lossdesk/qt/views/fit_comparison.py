"""The outlier lab's data view: every loss's best line, and each point's pull as an arrow.

An arrow starts on the chosen loss's line at a point's x and points the way that
point pulls the prediction (−dL/dŷ), with length scale·|dL/dŷ|: long for a far
point under MSE, capped under MAE and Huber. Everything drawn comes from an
``OutlierLabResults`` value; the view only places it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model import LOSSES
from lossdesk.model.results.outlier_lab import ArrowPulls, OutlierLabResults
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import DraggablePoints, move_positions


class FitComparisonView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("x", "y")
        self.plot = self.widget.getPlotItem()
        self.legend = theme.add_legend(self.plot, offset=(6, 6))
        self.lines: dict[str, pg.PlotCurveItem] = {}
        for name, colour in theme.LOSS_COLOURS.items():
            line = pg.PlotCurveItem(pen=theme.pen(colour, 2.5))
            line.setVisible(False)
            self.plot.addItem(line)
            self.lines[name] = line
        self._legend_for: tuple[str, ...] | None = None
        self.arrow_shafts = pg.PlotCurveItem(connect="pairs", pen=theme.pen(theme.INK, 1.8))
        # Two head items with one symbol each: a symbol per point would restyle every point.
        self.heads_up = pg.ScatterPlotItem(size=9, symbol="t1", pen=pg.mkPen(None), brush=pg.mkBrush(theme.INK))
        self.heads_down = pg.ScatterPlotItem(size=9, symbol="t", pen=pg.mkPen(None), brush=pg.mkBrush(theme.INK))
        for item in (self.arrow_shafts, self.heads_up, self.heads_down):
            self.plot.addItem(item)
        self.points = DraggablePoints(size=10, pen=pg.mkPen(theme.INK, width=1), brush=pg.mkBrush("#ffffff"))
        self.plot.addItem(self.points)
        self.outlier = pg.ScatterPlotItem(size=16, symbol="star", pen=pg.mkPen(theme.INK),
                                          brush=pg.mkBrush(theme.YELLOW))
        self.outlier.setZValue(10)
        self.plot.addItem(self.outlier)
        self.x = np.zeros(0)
        self.y = np.zeros(0)

    # ------------------------------------------------------------------ drawing
    def show(self, results: OutlierLabResults) -> None:
        self.set_points(results.x, results.y)
        self.show_fits(results)
        self.show_arrows(results.arrows)
        self.show_outlier(results.outlier)

    def set_points(self, x: np.ndarray, y: np.ndarray) -> None:
        if x is self.x and y is self.y:
            return
        if x.size == self.x.size and x.size:
            move_positions(self.points, x, y)
        else:
            self.points.setData(x=x, y=y)
        self.x, self.y = x, y

    def fit_range(self) -> None:
        """Zoom to the points drawn last."""
        x, y = self.x, self.y
        if x.size == 0:
            return
        px = 0.08 * (np.ptp(x) or 1.0)
        py = 0.15 * (np.ptp(y) or 1.0)
        self.plot.setRange(xRange=(x.min() - px, x.max() + px), yRange=(y.min() - py, y.max() + py), padding=0)

    def show_fits(self, results: OutlierLabResults) -> None:
        (x0, x1), _ = self.plot.viewRange()
        xs = np.array([min(x0, float(self.x.min())), max(x1, float(self.x.max()))])
        for name, line in self.lines.items():
            fit = results.fits.get(name)
            on = fit is not None and name in results.shown
            line.setVisible(on)
            if on:
                line.setData(xs, fit.w * xs + fit.b)
        if results.shown != self._legend_for:
            self.legend.clear()
            for name in results.shown:
                self.legend.addItem(self.lines[name], LOSSES[name].title)
            self._legend_for = results.shown

    def show_arrows(self, arrows: ArrowPulls | None) -> None:
        """Shafts from (xᵢ, ŷᵢ) to the tips, heads at the tips of the arrows with a length."""
        if arrows is None:
            self.arrow_shafts.setData([], [])
            self.heads_up.setData([], [])
            self.heads_down.setData([], [])
            return
        xs = np.repeat(arrows.x, 2)
        ys = np.empty(xs.size)
        ys[0::2] = arrows.start
        ys[1::2] = arrows.tip
        self.arrow_shafts.setData(xs, ys)
        up = arrows.moving & arrows.up
        down = arrows.moving & ~arrows.up
        self.heads_up.setData(x=arrows.x[up], y=arrows.tip[up])
        self.heads_down.setData(x=arrows.x[down], y=arrows.tip[down])

    def show_outlier(self, row: int | None) -> None:
        if row is None or row >= self.x.size:
            self.outlier.setData([], [])
        else:
            self.outlier.setData([self.x[row]], [self.y[row]])
