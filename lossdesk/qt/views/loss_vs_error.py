"""Loss against error: each loss as a function of e = ŷ − y, with every current error marked."""

from __future__ import annotations

import pyqtgraph as pg

from lossdesk.model.results.outlier_lab import OutlierLabResults
from lossdesk.qt import theme


class LossVsErrorView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("error e = ŷ − y", "loss")
        self.plot = self.widget.getPlotItem()
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.marks: dict[str, pg.ScatterPlotItem] = {}
        for name, colour in theme.LOSS_COLOURS.items():
            curve = pg.PlotCurveItem(pen=theme.pen(colour, 2))
            marks = pg.ScatterPlotItem(size=7, pen=pg.mkPen(theme.INK, width=0.5), brush=pg.mkBrush(colour))
            for item in (curve, marks):
                item.setVisible(False)
                self.plot.addItem(item)
            self.curves[name] = curve
            self.marks[name] = marks

    def show(self, results: OutlierLabResults) -> None:
        curves = results.errors
        for name, curve in self.curves.items():
            on = name in results.shown and name in curves.values
            curve.setVisible(on)
            self.marks[name].setVisible(on)
            if not on:
                continue
            fit = results.fits[name]
            curve.setData(curves.e, curves.values[name])
            self.marks[name].setData(fit.errors, fit.losses)
        theme.stable_range(self.plot, x=(-curves.reach, curves.reach), y=(0, curves.top), margin=0.02)
