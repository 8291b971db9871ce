"""The network itself: neurons in layers and the connections between them (a ``NetworkDrawing``).

Each connection's colour is the sign of what it shows (blue: positive, red: negative) and
its width and strength its size, relative to the largest: the weights in the forward view,
dC/dw in the backward view (a selected point's own part of it, if one is selected). Each
neuron's fill shows its bias, a selected point's value there, or dC/dz, in the same
colours. Layers no wider than ``LABELLED_WIDTH`` write the number beside each neuron.

Connections are drawn by sign and size band as a handful of line items (one draw call
each, whatever the number of connections); a wide network shows only its
``MOST_EDGES`` largest connections, so 64 neurons a layer still draw fast and legibly.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from lossdesk.model.results.network import NetworkDrawing
from lossdesk.qt import theme

#: size bands of |value| / largest |value|: (upper bound, width in px, strength 0–1 of the
#: colour over the background); stronger bands are drawn over weaker ones
BANDS = ((0.12, 0.7, 0.3), (0.35, 1.2, 0.5), (0.7, 2.0, 0.75), (1.01, 3.2, 1.0))
#: beyond this many connections only the largest are drawn
MOST_EDGES = 1000
#: fill levels per sign for the neurons (shared brushes: no style rebuilt per neuron)
FILL_LEVELS = 8
#: the y range the layout spans (neurons within ±1, layer names below)
Y_RANGE = (-1.42, 1.18)


def signed_colours(look: theme.Look) -> tuple[str, str]:
    """(positive, negative) in the theme: blue and red that show on its background."""
    return (theme.SKY if look.dark else theme.BLUE), (theme.VERMILLION if look.dark else "#C0392B")


class NetworkGraphView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("", "")
        self.plot = self.widget.getPlotItem()
        for name in ("left", "bottom"):
            self.plot.hideAxis(name)
        self.plot.showGrid(x=False, y=False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.getViewBox().setDefaultPadding(0.0)
        self.edges: list[pg.PlotCurveItem] = []
        for _sign in range(2):
            for _band in BANDS:
                item = pg.PlotCurveItem(connect="pairs", antialias=False)
                # separate lines (drawLines), not one wide path: stroking a path of hundreds
                # of wide, see-through pieces is what made a frame slow
                item.setSegmentedLineMode("on")
                item.setVisible(False)
                self.plot.addItem(item)
                self.edges.append(item)
        self.neurons = pg.ScatterPlotItem(size=12, pxMode=True)
        self.neurons.setZValue(10)
        self.plot.addItem(self.neurons)
        self.labels: list[pg.TextItem] = []
        self.layer_names: list[pg.TextItem] = []
        self._name_choices: list[tuple[str, ...]] = []  # each layer's name, long to short
        self.plot.getViewBox().sigResized.connect(self._fit_names)
        self.drawing: NetworkDrawing | None = None
        self._sizes: tuple[int, ...] = ()
        self._fills: list = []
        self._brush_levels: np.ndarray | None = None
        self.edges_drawn = 0  # connections on screen (for tests and the readout)
        self.shown_labels: tuple[str, ...] = ()  # the text beside each neuron now
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        positive, negative = signed_colours(look)
        back = np.array(QColor(look.background).getRgb()[:3], dtype=float)
        for sign, colour in enumerate((positive, negative)):
            tint = np.array(QColor(colour).getRgb()[:3], dtype=float)
            for k, (_top, width, strength) in enumerate(BANDS):
                # opaque colours mixed with the background: see-through wide lines cost
                # several times more to draw
                rgb = back * (1 - strength) + tint * strength
                item = self.edges[sign * len(BANDS) + k]
                item.setPen(pg.mkPen(QColor(*(int(v) for v in rgb)), width=width))
                item.setZValue(k)
        self.neurons.setPen(pg.mkPen(look.ink, width=1))
        base = np.array(QColor(look.point_fill).getRgb()[:3], dtype=float)
        self._fills = []
        for colour in (positive, negative):
            tint = np.array(QColor(colour).getRgb()[:3], dtype=float)
            for level in range(FILL_LEVELS + 1):
                t = level / FILL_LEVELS
                rgb = base * (1 - t) + tint * t
                self._fills.append(pg.mkBrush(*(int(v) for v in rgb)))
        self._brush_levels = None
        fill = QColor(look.background)
        fill.setAlpha(200)
        for label in self.labels:
            label.setColor(look.ink)
            label.fill = pg.mkBrush(fill)
            label.setFont(self._label_font(look))
        for name in self.layer_names:
            name.setColor(look.muted)
            name.setFont(self._label_font(look, 8))
        self._fit_names()
        if self.drawing is not None:
            drawing, self.drawing = self.drawing, None
            self.show(drawing)

    @staticmethod
    def _label_font(look: theme.Look, size: float = 7.5):
        font = pg.QtGui.QFont()
        font.setPointSizeF(look.pt(size))
        return font

    # ------------------------------------------------------------------ drawing
    def show(self, drawing: NetworkDrawing) -> None:
        if drawing.sizes != self._sizes:
            self._lay_out(drawing)
        self._show_edges(drawing)
        self._show_neurons(drawing)
        self._show_labels(drawing)
        self.drawing = drawing

    def _lay_out(self, drawing: NetworkDrawing) -> None:
        """A new shape of network: positions, neuron size and the layer names."""
        self._sizes = drawing.sizes
        widest = max(drawing.sizes)
        size = float(np.clip(150.0 / widest, 4.0, 16.0))
        self.neurons.setData(x=drawing.neuron_x, y=drawing.neuron_y, size=size)
        self._brush_levels = None
        for item in self.layer_names:
            self.plot.removeItem(item)
        self.layer_names = []
        look = theme.look()
        last = len(drawing.sizes) - 1
        self._name_choices = []
        for l, n in enumerate(drawing.sizes):
            what, short = ("input", "in") if l == 0 else (("output", "out") if l == last else (f"hidden {l}", f"h{l}"))
            self._name_choices.append((f"{what} ({n})", f"{short} {n}", str(n)))
            name = pg.TextItem("", color=look.muted, anchor=(0.5, 0.0))
            name.setFont(self._label_font(look, 8))
            name.setPos(float(l), -1.12)
            self.plot.addItem(name)
            self.layer_names.append(name)
        # room on the right for the output neurons' numbers
        self.plot.setRange(xRange=(-0.45, last + 0.75), yRange=Y_RANGE, padding=0)
        self._fit_names()

    def _fit_names(self, *_args) -> None:
        """Each layer's name as long as the room between layers allows ("hidden 1 (8)", "h1 8", "8")."""
        if not self.layer_names:
            return
        (x0, x1), _ = self.plot.viewRange()
        room = self.plot.getViewBox().width() / max(x1 - x0, 1e-9) - 6  # pixels from one layer to the next
        metrics = pg.QtGui.QFontMetrics(self.layer_names[0].textItem.font())
        for item, choices in zip(self.layer_names, self._name_choices):
            text = next((c for c in choices if metrics.horizontalAdvance(c) <= room), choices[-1])
            if item.toPlainText() != text:
                item.setText(text)

    def _show_edges(self, drawing: NetworkDrawing) -> None:
        values = drawing.edge_values
        finite = np.where(np.isfinite(values), values, 0.0)
        chosen = np.arange(values.size)
        if values.size > MOST_EDGES:
            chosen = np.argpartition(np.abs(finite), values.size - MOST_EDGES)[-MOST_EDGES:]
        v = finite[chosen]
        top = float(np.abs(v).max()) if v.size else 0.0
        size = np.abs(v) / top if top > 0 else np.zeros(v.size)
        band = np.searchsorted([b[0] for b in BANDS], size, side="right").clip(0, len(BANDS) - 1)
        sign = (v < 0).astype(int)
        key = sign * len(BANDS) + band
        ex, ey = drawing.edge_x.reshape(-1, 2), drawing.edge_y.reshape(-1, 2)
        self.edges_drawn = int(v.size) if top > 0 else 0
        for k, item in enumerate(self.edges):
            rows = chosen[key == k] if top > 0 else chosen[:0]
            if rows.size == 0:
                if item.isVisible():  # an empty item still costs a paint
                    item.setData([], [])
                    item.setVisible(False)
                continue
            item.setData(ex[rows].ravel(), ey[rows].ravel(), antialias=False)
            if not item.isVisible():
                item.setVisible(True)

    def _show_neurons(self, drawing: NetworkDrawing) -> None:
        values = drawing.neuron_values
        finite = np.isfinite(values)
        top = float(np.abs(values[finite]).max()) if finite.any() else 0.0
        levels = np.zeros(values.size, dtype=int)
        if top > 0:
            t = np.where(finite, np.abs(np.where(finite, values, 0.0)) / top, 0.0)
            step = np.rint(t * FILL_LEVELS).astype(int)
            levels = np.where(values < 0, FILL_LEVELS + 1 + step, step)
        if self._brush_levels is not None and np.array_equal(levels, self._brush_levels):
            return
        self._brush_levels = levels
        self.neurons.setBrush([self._fills[k] for k in levels])

    def _show_labels(self, drawing: NetworkDrawing) -> None:
        texts = drawing.labels
        wanted = [i for i, t in enumerate(texts) if t]
        look = theme.look()
        while len(self.labels) < len(wanted):
            label = pg.TextItem("", color=look.ink, anchor=(-0.25, 0.5))
            fill = QColor(look.background)
            fill.setAlpha(200)
            label.fill = pg.mkBrush(fill)
            label.setFont(self._label_font(look))
            label.setZValue(12)
            self.plot.addItem(label)
            self.labels.append(label)
        for label, i in zip(self.labels, wanted):
            if label.toPlainText() != texts[i]:
                label.setText(texts[i])
            pos = (float(drawing.neuron_x[i]), float(drawing.neuron_y[i]))
            if (label.pos().x(), label.pos().y()) != pos:
                label.setPos(*pos)
            if not label.isVisible():
                label.setVisible(True)
        for label in self.labels[len(wanted):]:
            if label.isVisible():
                label.setVisible(False)
        self.shown_labels = texts

    def clear(self) -> None:
        """Nothing to draw (the loss cannot score the labels)."""
        for item in self.edges:
            item.setData([], [])
            item.setVisible(False)
        for label in self.labels:
            label.setVisible(False)
        self.edges_drawn = 0
        self.shown_labels = ()
        self.drawing = None
