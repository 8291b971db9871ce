"""How large the gradient is in each layer over training: ‖dC/dW_l‖ per step, log scale.

One curve per layer. With sigmoid (or tanh pushed to its flat ends) the layers far from
the output get gradients many times smaller than the last one's, and learn slowly: on a
log axis that gap is the distance between the curves.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lossdesk.model.results.network import LayerGradients
from lossdesk.qt import theme
from lossdesk.qt.views.network_curves import fit_legend, step_span

#: gradients below this are drawn at it (a log axis has no zero)
FLOOR = 1e-12
#: one colour per layer, the output layer last
LAYER_COLOURS = (theme.SKY, theme.GREEN, theme.PURPLE, theme.ORANGE, theme.VERMILLION)


class LayerGradientsView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("step", "‖dC/dW‖ (log)")
        self.plot = self.widget.getPlotItem()
        self.plot.setLogMode(x=False, y=True)
        self.curves: list[pg.PlotCurveItem] = []
        self.legend = theme.add_legend(self.plot, offset=(-6, 6))
        fit_legend(self.plot, self.legend)
        self.names: tuple[str, ...] = ()
        self._range: tuple | None = None

    def show(self, gradients: LayerGradients) -> None:
        norms = np.asarray(gradients.norms, dtype=float)
        layers = norms.shape[1] if norms.ndim == 2 else 0
        if gradients.names != self.names:
            self._rebuild(gradients.names)
        steps = gradients.steps
        with np.errstate(all="ignore"):
            logs = np.log10(np.maximum(norms, FLOOR))  # the curves carry log10 values on a log axis
        for l in range(layers):
            self.curves[l].setData(steps, logs[:, l])
        finite = logs[np.isfinite(logs)]
        if finite.size:
            # whole powers of ten: the axis moves only when a gradient crosses one
            low, high = np.floor(float(finite.min())), np.ceil(float(finite.max()))
            if high - low < 1.0:
                high = low + 1.0
            end = step_span(float(steps[-1]) if steps.size else 0.0)
            wanted = ((-0.03 * end, end), (low - 0.05, high + 0.05))
            if self._range != wanted:  # the range as set, not as read back (rounded)
                self._range = wanted
                self.plot.setRange(xRange=wanted[0], yRange=wanted[1], padding=0)
                # a label at each power of ten only (pyqtgraph labels every 2…9 in a short range)
                decades = range(int(low), int(high) + 1)
                every = max(1, len(decades) // 5)
                major = [(float(k), f"{10.0 ** k:g}") for k in decades if (k - int(low)) % every == 0]
                self.plot.getAxis("left").setTicks([major, []])

    def _rebuild(self, names: tuple[str, ...]) -> None:
        for curve in self.curves:
            self.legend.removeItem(curve)
            self.plot.removeItem(curve)
        self.curves = []
        last = len(names) - 1
        for l, name in enumerate(names):
            colour = LAYER_COLOURS[-1] if l == last else LAYER_COLOURS[l % (len(LAYER_COLOURS) - 1)]
            curve = pg.PlotCurveItem(pen=theme.pen(colour, 2))
            self.plot.addItem(curve)
            self.legend.addItem(curve, name)
            self.curves.append(curve)
        self.names = names
        theme.style_legend(self.legend, theme.look())
        self.legend.fit()
