"""The outlier lab's data view: every loss's best line, and each point's pull as an arrow.

An arrow starts on the chosen loss's line at a point's x and points the way that
point pulls the prediction (−dL/dŷ), with length scale·|dL/dŷ|: long for a far
point under MSE, capped under MAE and Huber. Everything drawn comes from an
``OutlierLabResults`` value; the view only places it.

The view keeps every point in sight when the data change (``keep_in_sight``), but not
while a point is being dragged under the mouse, and its legend sits in the corner of
the plot that covers the fewest points (``place_legend``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from lossdesk.model import LOSSES
from lossdesk.model.results.outlier_lab import ArrowPulls, OutlierLabResults
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import DraggablePoints, move_positions

#: each loss's line style in the lab's views: curves that run close together (MAE beside
#: Huber's straight parts, the median beside the τ = 0.5 quantile) stay told apart
LINE_STYLES = {"mse": Qt.PenStyle.SolidLine, "mae": Qt.PenStyle.SolidLine, "huber": Qt.PenStyle.DashLine,
               "logcosh": Qt.PenStyle.DotLine, "quantile": Qt.PenStyle.DashDotLine}
#: drawn above the others where lines meet (a thin solid line over a dashed one)
LINE_Z = {"mse": 3, "mae": 4, "huber": 2, "logcosh": 1, "quantile": 5}

#: legend corners, in the order tried: (item anchor, parent anchor, offset sign)
CORNERS = {"top left": ((0, 0), (0, 0), (1, 1)), "top right": ((1, 0), (1, 0), (-1, 1)),
           "bottom left": ((0, 1), (0, 1), (1, -1)), "bottom right": ((1, 1), (1, 1), (-1, -1))}
LEGEND_GAP = 6  # pixels between the legend and the plot's edge
POINT_RADIUS = 6  # pixels: a point this close to the legend counts as covered


def loss_pen(name: str, width: float = 2.5) -> pg.QtGui.QPen:
    return theme.pen(theme.LOSS_COLOURS[name], width, LINE_STYLES[name])


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (3 or more reads well for bold text and lines)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: str, look: theme.Look) -> QColor:
    """A loss colour for text: lightened on the dark background (where blue would sink),
    darkened on the light one (where orange would fade), until it stands out."""
    c = QColor(colour)
    background = QColor(look.background)
    for _ in range(6):
        if contrast(c, background) >= 3.5:
            break
        c = c.lighter(125) if look.dark else c.darker(115)
    return c


def span_of(lo: float, hi: float) -> float:
    """A span to pad by: the data's own, or for data all at one value a few percent of it
    (never 1e-10 at 10⁶, whose ticks would need a dozen digits)."""
    return (hi - lo) or max(0.05 * max(abs(lo), abs(hi)), 1.0)


class FitComparisonView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("x", "y")
        self.plot = self.widget.getPlotItem()
        self.vb = self.plot.getViewBox()
        self.legend = theme.add_legend(self.plot, offset=(LEGEND_GAP, LEGEND_GAP))
        self.legend_corner = "top left"
        self.lines: dict[str, pg.PlotCurveItem] = {}
        for name in theme.LOSS_COLOURS:
            line = pg.PlotCurveItem(pen=loss_pen(name))
            line.setVisible(False)
            line.setZValue(LINE_Z[name])
            self.plot.addItem(line)
            self.lines[name] = line
        self._legend_for: tuple[str, ...] | None = None
        self.arrow_shafts = pg.PlotCurveItem(connect="pairs")
        # Two head items with one symbol each: a symbol per point would restyle every point.
        self.heads_up = pg.ScatterPlotItem(size=9, symbol="t1", pen=pg.mkPen(None))
        self.heads_down = pg.ScatterPlotItem(size=9, symbol="t", pen=pg.mkPen(None))
        for item in (self.arrow_shafts, self.heads_up, self.heads_down):
            item.setZValue(6)
            self.plot.addItem(item)
        self.points = DraggablePoints(size=10)
        self.points.setZValue(8)
        self.plot.addItem(self.points)
        self.outlier = pg.ScatterPlotItem(size=16, symbol="star", brush=pg.mkBrush(theme.YELLOW))
        self.outlier.setZValue(10)
        self.plot.addItem(self.outlier)
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.results: OutlierLabResults | None = None
        self.live = False  # a point is moving under the mouse: the range and legend stay put
        theme.follow(self.restyle)
        self.vb.sigResized.connect(self._resized)
        self.vb.sigXRangeChanged.connect(self._x_range_moved)

    def restyle(self, look: theme.Look) -> None:
        ink = pg.mkColor(look.ink)
        self.arrow_shafts.setPen(theme.pen(look.ink, 1.8))
        for head in (self.heads_up, self.heads_down):
            head.setBrush(pg.mkBrush(ink))
        self.points.setPen(pg.mkPen(ink, width=1))
        self.points.setBrush(pg.mkBrush(look.point_fill))
        self.outlier.setPen(pg.mkPen(ink))
        self.place_legend()

    # ------------------------------------------------------------------ drawing
    def show(self, results: OutlierLabResults) -> None:
        self.results = results
        self.set_points(results.x, results.y)
        self.show_fits(results)
        self.show_arrows(results.arrows)
        self.show_outlier(results.outlier)
        if not self.live:
            self.place_legend()

    def set_points(self, x: np.ndarray, y: np.ndarray) -> None:
        if x is self.x and y is self.y:
            return
        if x.size == self.x.size and x.size:
            move_positions(self.points, x, y)
        else:
            self.points.setData(x=x, y=y)
        self.x, self.y = x, y

    # ------------------------------------------------------------------ range
    def fit_range(self) -> None:
        """Zoom to the points drawn last, with room at the top for the legend if no corner is free."""
        if self.x.size == 0:
            return
        x0, x1, y0, y1 = self._bounds()
        px = 0.08 * span_of(x0, x1)
        py = 0.12 * span_of(y0, y1)
        xr, yr = (x0 - px, x1 + px), (y0 - py, y1 + py)
        self.plot.setRange(xRange=xr, yRange=yr, padding=0)
        corner, covered = self._best_corner()
        if covered:
            # No free corner: raise the top until a band the legend's height is free of points.
            height = self.vb.height()
            a = (self._legend_size()[1] + LEGEND_GAP + 2 * POINT_RADIUS) / height if height > 0 else 1.0
            if a < 0.6:
                top = (y1 - a * yr[0]) / (1 - a)
                self.plot.setRange(xRange=xr, yRange=(yr[0], max(top, yr[1])), padding=0)
        self.place_legend()
        if self.results is not None:
            self.show_fits(self.results)

    def keep_in_sight(self, grow_only: bool = False) -> bool:
        """Every point in the view: refit when one is outside (or the points fill under a third
        of the view, unless ``grow_only``). ``grow_only`` widens with room to spare, so a
        point moved by a slider changes the range now and then, not every frame."""
        if self.x.size == 0:
            return False
        (vx0, vx1), (vy0, vy1) = self.vb.viewRange()
        sx, sy = self.vb.viewPixelSize()
        mx, my = POINT_RADIUS * abs(sx), POINT_RADIUS * abs(sy)
        x0, x1, y0, y1 = self._bounds()
        outside = x0 - mx < vx0 or x1 + mx > vx1 or y0 - my < vy0 or y1 + my > vy1
        if grow_only:
            if not outside:
                return False
            pad_x, pad_y = 0.25 * span_of(x0, x1), 0.25 * span_of(y0, y1)
            self.plot.setRange(xRange=(min(vx0, x0 - pad_x), max(vx1, x1 + pad_x)),
                               yRange=(min(vy0, y0 - pad_y), max(vy1, y1 + pad_y)), padding=0)
            return True
        small = (x1 - x0) < 0.3 * (vx1 - vx0) or (y1 - y0) < 0.3 * (vy1 - vy0)
        if outside or small:
            self.fit_range()
            return True
        return False

    def _bounds(self) -> tuple[float, float, float, float]:
        """The points' extent. Not the arrows': an arrow is a pull's strength, not a place,
        and MSE's arrow for a far outlier would squeeze every point into a thin band."""
        x, y = self.x, self.y
        return float(x.min()), float(x.max()), float(y.min()), float(y.max())

    def _x_range_moved(self, *_args) -> None:
        if self.results is not None:
            self.show_fits(self.results)

    def _resized(self, *_args) -> None:
        if not self.live:
            self.place_legend()

    # ------------------------------------------------------------------ legend
    def _legend_size(self) -> tuple[float, float]:
        rect = self.legend.boundingRect()
        return float(rect.width()), float(rect.height())

    def _pixels(self) -> tuple[np.ndarray, np.ndarray]:
        """The points in the view box's pixels, from its top-left corner."""
        (vx0, vx1), (vy0, vy1) = self.vb.viewRange()
        w, h = self.vb.width(), self.vb.height()
        if vx1 <= vx0 or vy1 <= vy0 or self.x.size == 0:
            return np.zeros(0), np.zeros(0)
        return (self.x - vx0) / (vx1 - vx0) * w, (vy1 - self.y) / (vy1 - vy0) * h

    def _corner_rect(self, corner: str) -> tuple[float, float, float, float]:
        lw, lh = self._legend_size()
        w, h = self.vb.width(), self.vb.height()
        left = LEGEND_GAP if "left" in corner else w - LEGEND_GAP - lw
        top = LEGEND_GAP if "top" in corner else h - LEGEND_GAP - lh
        return left, top, left + lw, top + lh

    def _line_pixels(self) -> tuple[np.ndarray, np.ndarray]:
        (vx0, vx1), (vy0, vy1) = self.vb.viewRange()
        w, h = self.vb.width(), self.vb.height()
        if self.results is None or vx1 <= vx0 or vy1 <= vy0:
            return np.zeros(0), np.zeros(0)
        xs = np.linspace(vx0, vx1, 60)
        px, py = [], []
        for name in self.results.shown:
            fit = self.results.fits[name]
            px.append((xs - vx0) / (vx1 - vx0) * w)
            py.append((vy1 - (fit.w * xs + fit.b)) / (vy1 - vy0) * h)
        if not px:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(px), np.concatenate(py)

    def covered(self, corner: str | None = None) -> int:
        """How many points the legend covers in ``corner`` (where it is now by default)."""
        px, py = self._pixels()
        l, t, r, b = self._corner_rect(corner or self.legend_corner)
        m = POINT_RADIUS
        return int(np.count_nonzero((px > l - m) & (px < r + m) & (py > t - m) & (py < b + m)))

    def _best_corner(self) -> tuple[str, int]:
        lx, ly = self._line_pixels()
        best, best_score, best_points = "top left", None, 0
        for corner in CORNERS:
            points = self.covered(corner)
            l, t, r, b = self._corner_rect(corner)
            lines = int(np.count_nonzero((lx > l) & (lx < r) & (ly > t) & (ly < b)))
            score = points * 100 + lines
            if best_score is None or score < best_score:
                best, best_score, best_points = corner, score, points
        return best, best_points

    def place_legend(self) -> None:
        """Put the legend in the corner that covers the fewest points (then the fewest lines)."""
        if self.vb.width() <= 0 or self.vb.height() <= 0:
            return
        corner, _ = self._best_corner()
        if corner != self.legend_corner or not getattr(self, "_anchored", False):
            item, parent, (sx, sy) = CORNERS[corner]
            self.legend.anchor(item, parent, (sx * LEGEND_GAP, sy * LEGEND_GAP))
            self.legend_corner = corner
            self._anchored = True

    # ------------------------------------------------------------------ items
    def show_fits(self, results: OutlierLabResults) -> None:
        (x0, x1), _ = self.plot.viewRange()
        xs = np.array([min(x0, float(self.x.min())), max(x1, float(self.x.max()))]) if self.x.size else \
            np.array([x0, x1])
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
            theme.style_legend(self.legend, theme.look())
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
