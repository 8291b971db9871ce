"""Loss against error: each loss as a function of e = ŷ − y, with every current error marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model import LOSSES
from lossdesk.model.comparison import LossFit
from lossdesk.qt import style

SAMPLES = 401


class LossVsErrorView:
    def __init__(self) -> None:
        self.widget = style.plot_widget("error e = ŷ − y", "loss")
        self.plot = self.widget.getPlotItem()
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.marks: dict[str, pg.ScatterPlotItem] = {}
        for name, colour in style.LOSS_COLOURS.items():
            curve = pg.PlotCurveItem(pen=style.pen(colour, 2))
            marks = pg.ScatterPlotItem(size=7, pen=pg.mkPen(style.INK, width=0.5), brush=pg.mkBrush(colour))
            self.plot.addItem(curve)
            self.plot.addItem(marks)
            self.curves[name] = curve
            self.marks[name] = marks

    def show(self, fits: dict[str, LossFit], visible: list[str]) -> None:
        shown = [n for n in visible if n in fits]
        reach = max([float(np.abs(fits[n].errors).max()) for n in shown] + [1.0]) * 1.1
        e = np.linspace(-reach, reach, SAMPLES)
        tops = []
        for name, curve in self.curves.items():
            on = name in shown
            curve.setVisible(on)
            self.marks[name].setVisible(on)
            if not on:
                continue
            fit = fits[name]
            loss = LOSSES[name]
            values = loss.of_residual(e, **fit.params)
            curve.setData(e, values)
            self.marks[name].setData(fit.errors, fit.losses)
            if name != "mse":
                tops.append(float(values.max()))
        # MSE grows as e²; let it run off the top so the others stay readable.
        top = max(tops) * 1.3 if tops else float(LOSSES["mse"].of_residual(np.array([reach])).max())
        style.stable_range(self.plot, x=(-reach, reach), y=(0, top), margin=0.02)
