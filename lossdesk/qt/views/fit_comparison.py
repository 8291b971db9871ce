"""The outlier lab's data view: every loss's best line, and each point's pull as an arrow.

An arrow starts on the chosen loss's line at a point's x and points the way that
point pulls the prediction (−dL/dŷ), with length ``scale``·|dL/dŷ|: long for a far
point under MSE, capped under MAE and Huber.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model import LOSSES
from lossdesk.model.comparison import LossFit
from lossdesk.qt import style
from lossdesk.qt.views.data_fit import DraggablePoints, move_positions


class FitComparisonView:
    def __init__(self) -> None:
        self.widget = style.plot_widget("x", "y")
        self.plot = self.widget.getPlotItem()
        self.legend = self.plot.addLegend(offset=(6, 6), labelTextSize="8pt")
        self.lines: dict[str, pg.PlotCurveItem] = {}
        for name, colour in style.LOSS_COLOURS.items():
            line = pg.PlotCurveItem(pen=style.pen(colour, 2.5))
            self.plot.addItem(line)
            self.lines[name] = line
        self._legend_for: set[str] | None = None
        self.arrow_shafts = pg.PlotCurveItem(connect="pairs", pen=style.pen(style.INK, 1.8))
        self.arrow_heads = pg.ScatterPlotItem(size=9, pen=pg.mkPen(None), brush=pg.mkBrush(style.INK))
        self.plot.addItem(self.arrow_shafts)
        self.plot.addItem(self.arrow_heads)
        self.points = DraggablePoints(size=10, pen=pg.mkPen(style.INK, width=1), brush=pg.mkBrush("#ffffff"))
        self.plot.addItem(self.points)
        self.outlier = pg.ScatterPlotItem(size=16, symbol="star", pen=pg.mkPen(style.INK),
                                          brush=pg.mkBrush(style.YELLOW))
        self.outlier.setZValue(10)
        self.plot.addItem(self.outlier)
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.arrow_tips = np.zeros((0, 2))

    def set_points(self, x: np.ndarray, y: np.ndarray, fit_view: bool = False) -> None:
        if x.size == self.x.size and x.size:
            move_positions(self.points, x, y)
        else:
            self.points.setData(x=x, y=y)
        self.x, self.y = x, y
        if fit_view:
            px = 0.08 * (np.ptp(x) or 1.0)
            py = 0.15 * (np.ptp(y) or 1.0)
            self.plot.setRange(xRange=(x.min() - px, x.max() + px), yRange=(y.min() - py, y.max() + py), padding=0)

    def show_fits(self, fits: dict[str, LossFit], visible: set[str]) -> None:
        (x0, x1), _ = self.plot.viewRange()
        xs = np.array([min(x0, self.x.min()), max(x1, self.x.max())])
        for name, line in self.lines.items():
            fit = fits.get(name)
            on = fit is not None and name in visible
            line.setVisible(on)
            if on:
                line.setData(xs, fit.w * xs + fit.b)
        if visible != self._legend_for:
            self.legend.clear()
            for name, line in self.lines.items():
                if name in visible:
                    self.legend.addItem(line, LOSSES[name].title)
            self._legend_for = set(visible)

    def show_arrows(self, fit: LossFit | None, scale: float) -> None:
        """Shafts from (xᵢ, ŷᵢ) to (xᵢ, ŷᵢ − scale·pullᵢ), heads at the tips."""
        if fit is None:
            self.arrow_shafts.setData([], [])
            self.arrow_heads.setData([], [])
            self.arrow_tips = np.zeros((0, 2))
            return
        start = fit.predictions
        tip = start - scale * fit.pulls
        xs = np.repeat(self.x, 2)
        ys = np.empty(xs.size)
        ys[0::2] = start
        ys[1::2] = tip
        self.arrow_shafts.setData(xs, ys)
        up = tip > start
        moving = tip != start
        self.arrow_heads.setData(x=self.x[moving], y=tip[moving],
                                 symbol=np.where(up[moving], "t1", "t").tolist())
        self.arrow_tips = np.column_stack([self.x, tip])

    def show_outlier(self, row: int | None) -> None:
        if row is None or row >= self.x.size:
            self.outlier.setData([], [])
        else:
            self.outlier.setData([self.x[row]], [self.y[row]])
