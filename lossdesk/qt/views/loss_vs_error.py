"""Loss against residual: each loss as a function of r = y − ŷ, with every point's residual marked.

A point above its loss's best line has r > 0 and sits right of the middle. Curves that
run side by side (MAE and Huber's straight parts, one δ/2 apart) keep their own dash
patterns, and MAE's thin solid line is drawn over Huber's dashes, so neither hides.
"""

from __future__ import annotations

import pyqtgraph as pg

from lossdesk.model.results.outlier_lab import OutlierLabResults
from lossdesk.qt import theme
from lossdesk.qt.views.fit_comparison import LINE_Z, loss_pen

X_LABEL = "residual r = y − ŷ"


class LossVsErrorView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget(X_LABEL, "loss")
        self.plot = self.widget.getPlotItem()
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.marks: dict[str, pg.ScatterPlotItem] = {}
        for name, colour in theme.LOSS_COLOURS.items():
            curve = pg.PlotCurveItem(pen=loss_pen(name, 2.5 if name == "huber" else 2))
            curve.setZValue(LINE_Z[name])
            marks = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(colour))
            marks.setZValue(10)
            for item in (curve, marks):
                item.setVisible(False)
                self.plot.addItem(item)
            self.curves[name] = curve
            self.marks[name] = marks
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        for marks in self.marks.values():
            marks.setPen(pg.mkPen(look.ink, width=0.5))

    def show(self, results: OutlierLabResults) -> None:
        curves = results.residuals
        for name, curve in self.curves.items():
            on = name in results.shown and name in curves.values
            curve.setVisible(on)
            self.marks[name].setVisible(on)
            if not on:
                continue
            fit = results.fits[name]
            curve.setData(curves.r, curves.values[name])
            self.marks[name].setData(fit.residuals, fit.losses)
        top = max(float(curves.top), 1e-3)
        theme.stable_range(self.plot, x=(-curves.reach, curves.reach), y=(0, top), margin=0.02)
