"""The look of lossdesk in one place: colours, pens, pyqtgraph settings, text size, dark theme.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common
forms of colour blindness, in both the light and the dark theme.
"""

from __future__ import annotations

import PySide6  # noqa: F401  (PySide6 first, so pyqtgraph binds to it)
import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsItem, QWidget

ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
INK = "#222222"
GREY = "#888888"

#: one colour per regression loss, wherever losses are drawn side by side
LOSS_COLOURS = {"mse": VERMILLION, "mae": BLUE, "huber": GREEN, "logcosh": PURPLE, "quantile": ORANGE}

#: one colour per optimizer in the descent lab
OPTIMIZER_COLOURS = {"gd": BLUE, "sgd": SKY, "momentum": ORANGE, "nesterov": VERMILLION,
                     "rmsprop": GREEN, "adam": PURPLE}

#: one colour per class (up to six classes)
CLASS_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, VERMILLION, SKY)

#: colour map for "how large is this loss" (dark = small, bright = large)
LOSS_CMAP = "plasma"
#: colour map for the loss surface
SURFACE_CMAP = "viridis"


def configure_pyqtgraph() -> None:
    pg.setConfigOptions(antialias=True, background="w", foreground=INK, imageAxisOrder="col-major")


def pen(color: str, width: float = 1.5, style=None) -> pg.QtGui.QPen:
    p = pg.mkPen(color=color, width=width)
    if style is not None:
        p.setStyle(style)
    p.setCosmetic(True)
    return p


def plot_widget(x_label: str, y_label: str) -> pg.PlotWidget:
    """A plot with labelled axes, no auto-range jumps from the mouse wheel menu."""
    w = pg.PlotWidget()
    w.setLabel("bottom", x_label)
    w.setLabel("left", y_label)
    w.showGrid(x=True, y=True, alpha=0.15)
    w.setMenuEnabled(False)
    w.getPlotItem().hideButtons()
    w.setMinimumSize(110, 100)
    for name in ("left", "bottom"):
        # Tick labels are costly to draw; keep them as a pixmap until the range moves.
        w.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    return w


def _needs_update(current: tuple[float, float], wanted: tuple[float, float]) -> bool:
    """Grow at once; shrink only when the wanted span is under half the current one."""
    c0, c1 = current
    w0, w1 = wanted
    if w0 < c0 or w1 > c1:
        return True
    return (w1 - w0) < 0.5 * (c1 - c0)


def stable_range(plot: pg.PlotItem, x: tuple[float, float] | None = None,
                 y: tuple[float, float] | None = None, margin: float = 0.1) -> None:
    """Keep axes still while values wobble: every axis move repaints its tick labels.

    The range only changes when data leave it or shrink well inside it, and then it
    takes ``margin`` of room so the next small change fits.
    """
    (cx0, cx1), (cy0, cy1) = plot.viewRange()
    kwargs = {}
    for key, wanted, current in (("xRange", x, (cx0, cx1)), ("yRange", y, (cy0, cy1))):
        if wanted is None:
            continue
        lo, hi = float(wanted[0]), float(wanted[1])
        if not (np.isfinite(lo) and np.isfinite(hi)):
            continue
        if hi <= lo:
            hi = lo + 1.0
        if _needs_update(current, (lo, hi)):
            pad = margin * (hi - lo)
            kwargs[key] = (lo - pad if lo != 0 else lo, hi + pad)
    if kwargs:
        plot.setRange(padding=0, **kwargs)


LOSS_BANDS = 8


def loss_band_colours() -> list[tuple[int, int, int]]:
    """The colour of each loss band, dark (small losses) to bright (large)."""
    table = pg.colormap.get(LOSS_CMAP).getLookupTable(0.15, 0.9, LOSS_BANDS, alpha=False)
    return [tuple(int(c) for c in rgb) for rgb in table]


def loss_bands(values: np.ndarray) -> np.ndarray:
    """Each value's band 0 … LOSS_BANDS − 1, by its size relative to the largest value.

    Drawing by band (a few items with one colour each) keeps thousands of points cheap:
    one colour per point would make pyqtgraph render a symbol per point.
    """
    values = np.asarray(values, dtype=float)
    top = float(values.max()) if values.size else 0.0
    if top <= 0:
        return np.zeros(values.size, dtype=int)
    return np.minimum((values / top * LOSS_BANDS).astype(int), LOSS_BANDS - 1)


def loss_brushes(values: np.ndarray) -> list:
    """One brush per value, shared within each band (for a few hundred bars at most)."""
    brushes = [pg.mkBrush(c) for c in loss_band_colours()]
    return [brushes[k] for k in loss_bands(values)]


# ------------------------------------------------------------------ presenting to a room

MIN_SCALE, MAX_SCALE = 0.7, 2.5


def plot_widgets(root: QWidget) -> list[pg.PlotWidget]:
    return root.findChildren(pg.PlotWidget)


def apply_font_scale(root: QWidget, base_point_size: float, scale: float) -> float:
    """Scale every widget's text and every plot's tick labels; returns the scale used."""
    scale = min(max(scale, MIN_SCALE), MAX_SCALE)
    app = QApplication.instance()
    font = QFont(app.font())
    font.setPointSizeF(base_point_size * scale)
    app.setFont(font)
    for widget in root.findChildren(QWidget):
        widget.setFont(font)
    tick = QFont(font)
    tick.setPointSizeF(max(6.0, base_point_size * scale * 0.9))
    for plot in plot_widgets(root):
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setStyle(tickFont=tick)
            axis.label.setFont(tick)
    return scale


def apply_theme(root: QWidget, dark: bool) -> None:
    """Light or dark: the Qt palette and every plot's background and axes."""
    app = QApplication.instance()
    palette = QPalette()
    if dark:
        colours = {
            QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
            QPalette.ColorRole.Base: "#2a2b2e", QPalette.ColorRole.AlternateBase: "#303134",
            QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#303134",
            QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#56B4E9",
            QPalette.ColorRole.HighlightedText: "#000000", QPalette.ColorRole.ToolTipBase: "#303134",
            QPalette.ColorRole.ToolTipText: "#e8eaed",
        }
        for role, colour in colours.items():
            palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    background, ink = ("#1b1c1f", "#e8eaed") if dark else ("w", "#222222")
    for plot in plot_widgets(root):
        plot.setBackground(background)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(ink))
            axis.setTextPen(pg.mkPen(ink))
        legend = plot.getPlotItem().legend
        if legend is not None:
            legend.setLabelTextColor(ink)
            legend.setBrush(pg.mkBrush(27, 28, 31, 200) if dark else pg.mkBrush(255, 255, 255, 200))
