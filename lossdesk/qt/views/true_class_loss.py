"""The loss as a function of what the model says about the true class (a ``ConfidenceCurve``).

For cross-entropy: −log p against p, the probability given to the true class; a
confidently wrong point (p near 0) sits far up the curve. For squared error on p:
(1 − p)², which never costs more than 1. For hinge: max(0, 1 − m) against the margin
m = t·s.

Many points are drawn one per screen pixel: every point sits on the curve, so ten
thousand of them cover a few hundred pixels, and drawing the others on top of those
would change no pixel but cost most of a frame.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from lossdesk.model.results.classification import ConfidenceCurve
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import move_positions

BANDED_POINTS = 1000  # up to this many points, each is coloured by its loss
BULK_ROOM = 256  # the fewest points the one-colour item makes room for
AXIS_LABELS = {
    "log": ("p of the true class", "loss −log p"),
    "squared": ("p of the true class", "loss (1 − p)²"),
    "hinge": ("margin m = t·s", "hinge loss"),
}


def no_auto_range(plot: pg.PlotItem) -> None:
    """Ranges come from ``theme.stable_range`` alone, from a first range too small to keep.

    pyqtgraph's auto range would measure every point again at each paint and move the
    axes a little, which paints the plot a second time every frame.
    """
    plot.disableAutoRange()
    plot.setRange(xRange=(0.0, 1e-3), yRange=(0.0, 1e-3), padding=0)  # the first show frames the values


def one_per_pixel(xs: np.ndarray, ys: np.ndarray, view_range, pixels: tuple[int, int]) -> np.ndarray:
    """Indices of one point in each screen pixel the points fall in (finite points only).

    ``view_range`` is ((x0, x1), (y0, y1)), ``pixels`` the view's (width, height) in
    pixels. Points outside the range share the pixel row or column just outside it.
    O(n), no sort: each point writes its index into its pixel, the last one stays.
    """
    (x0, x1), (y0, y1) = view_range
    width, height = max(1, int(pixels[0])), max(1, int(pixels[1]))
    finite = np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
    if finite.size == 0 or x1 <= x0 or y1 <= y0:
        return finite
    col = np.clip(np.floor((xs[finite] - x0) * (width / (x1 - x0))), -1, width).astype(np.int64) + 1
    row = np.clip(np.floor((ys[finite] - y0) * (height / (y1 - y0))), -1, height).astype(np.int64) + 1
    cells = np.full((width + 2) * (height + 2), -1, dtype=np.int64)
    cells[col * (height + 2) + row] = finite
    return cells[cells >= 0]


class TrueClassLossView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget(*AXIS_LABELS["log"])
        self.plot = self.widget.getPlotItem()
        no_auto_range(self.plot)
        self.curve = pg.PlotCurveItem(pen=theme.pen(theme.BLUE, 2.5))
        # the curve changes only with the loss: a bitmap blitted under the moving points
        self.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.addItem(self.curve)
        self.bands = [pg.ScatterPlotItem(size=8, pen=pg.mkPen(theme.INK, width=0.8), brush=pg.mkBrush(colour))
                      for colour in theme.loss_band_colours()]
        for item in self.bands:
            self.plot.addItem(item)
        # Many points: one colour, one point per pixel (restyling thousands of points costs more than a frame).
        self.bulk = pg.ScatterPlotItem(size=6, pen=pg.mkPen(None), brush=pg.mkBrush(theme.PURPLE))
        self.bulk.setVisible(False)
        self.plot.addItem(self.bulk)
        self.highlight = pg.ScatterPlotItem(size=16, pen=pg.mkPen(theme.VERMILLION, width=3), brush=None)
        self.highlight.setVisible(False)  # an empty item still costs a paint
        self.plot.addItem(self.highlight)
        self.mode = ""
        self.xs = np.zeros(0)
        self.ys = np.zeros(0)
        self.many = False
        self._highlighted: tuple[float, float] | None = None
        self._showing = False
        vb = self.plot.getViewBox()
        vb.sigRangeChanged.connect(self._view_changed)
        vb.sigResized.connect(self._view_changed)
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        for item in self.bands:
            item.setPen(pg.mkPen(look.ink, width=0.8))

    def show(self, confidence: ConfidenceCurve) -> None:
        """The loss curve of ``confidence.kind`` and every point on it."""
        if self.mode != confidence.kind:
            self.curve.setData(confidence.curve_x, confidence.curve_y)
            bottom, left = AXIS_LABELS[confidence.kind]
            self.plot.setLabel("bottom", bottom)
            self.plot.setLabel("left", left)
            self.mode = confidence.kind
        xs, ys = confidence.point_x, confidence.point_y
        self.xs, self.ys = xs, ys
        many = ys.size > BANDED_POINTS
        if many != self.many:
            self.many = many
            self.bulk.setVisible(many)
            for item in self.bands:
                item.setVisible(not many)
        finite = ys[np.isfinite(ys)]
        if confidence.y_top is not None:
            top = confidence.y_top  # a bounded loss: its whole range, whatever the points
        else:
            top = max(4.0, float(finite.max())) if finite.size else 4.0
        self._showing = True  # a range change below redraws the points once, here
        try:
            theme.stable_range(self.plot, x=confidence.x_range, y=(0, top), margin=0.03)
        finally:
            self._showing = False
        if many:
            self._draw_bulk()
            return
        band = theme.loss_bands(ys)
        for k, item in enumerate(self.bands):
            mask = band == k
            item.setData(x=xs[mask], y=ys[mask])

    def drawn_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) of the points drawn now (many points: one per pixel)."""
        if self.many:
            x, y = (np.asarray(v) for v in self.bulk.getData())
            drawn = np.isfinite(x)
            return x[drawn], y[drawn]
        parts = [item.getData() for item in self.bands]
        return (np.concatenate([np.asarray(p[0]) for p in parts]), np.concatenate([np.asarray(p[1]) for p in parts]))

    def _pixels(self) -> tuple[int, int]:
        vb = self.plot.getViewBox()
        ratio = self.widget.devicePixelRatioF() or 1.0
        return int(np.ceil(vb.width() * ratio)), int(np.ceil(vb.height() * ratio))

    def _draw_bulk(self) -> None:
        keep = one_per_pixel(self.xs, self.ys, self.plot.getViewBox().viewRange(), self._pixels())
        m = keep.size
        if m == 0:  # no finite point: nothing to draw (and all-NaN data would have no bounds)
            self.bulk.setData(x=[], y=[])
            return
        room = len(self.bulk.data)
        # The item holds room for more points than it draws (NaN are never drawn), so that
        # a new set of points moves into it: setData would restyle each point (~2 µs each).
        grow = m > room or room > BULK_ROOM and m < room // 4
        if grow:
            room = max(BULK_ROOM, 1 << int(m - 1).bit_length())
        x, y = np.full(room, np.nan), np.full(room, np.nan)
        x[:m], y[:m] = self.xs[keep], self.ys[keep]
        if grow:
            self.bulk.setData(x=x, y=y)
        else:
            move_positions(self.bulk, x, y)

    def _view_changed(self, *_args) -> None:
        """Another range or size: another set of pixels, so the points are picked again."""
        if self.many and not self._showing and self.xs.size:
            self._draw_bulk()

    def show_highlight(self, row: int | None) -> None:
        at = None if row is None or row >= self.xs.size else (float(self.xs[row]), float(self.ys[row]))
        if at == self._highlighted:
            return
        self._highlighted = at
        if at is None:
            self.highlight.setVisible(False)
            return
        self.highlight.setData([at[0]], [at[1]])
        self.highlight.setVisible(True)
