"""The look of lossdesk in one place: colours, pens, pyqtgraph settings, text size, dark theme.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common
forms of colour blindness, in both the light and the dark theme.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from typing import Callable

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


@dataclass(frozen=True)
class Look:
    """The theme and text size in force: every view and control takes its colours here."""

    dark: bool = False
    font_scale: float = 1.0
    base_point_size: float = 9.0

    @property
    def background(self) -> str:
        """Plot background."""
        return "#1b1c1f" if self.dark else "#ffffff"

    @property
    def ink(self) -> str:
        """Text, axes and the outlines that must stand out against the background."""
        return "#e8eaed" if self.dark else INK

    @property
    def muted(self) -> str:
        """Secondary text and guide lines (a zero line, a note under a formula)."""
        return "#9aa0a6" if self.dark else "#555555"

    @property
    def point_fill(self) -> str:
        """The fill of a data point (the outline is ``ink``)."""
        return "#3c4043" if self.dark else "#ffffff"

    @property
    def panel(self) -> str:
        """The formula bar's and the lesson box's background."""
        return "#26282c" if self.dark else "#f5f7fb"

    @property
    def panel_border(self) -> str:
        return "#44474d" if self.dark else "#d0d7e2"

    @property
    def legend_brush(self) -> tuple[int, int, int, int]:
        return (32, 33, 36, 215) if self.dark else (255, 255, 255, 215)

    @property
    def error(self) -> str:
        return "#f28b82" if self.dark else "#b3261e"

    def pt(self, size: float) -> float:
        """A point size given for normal text (9 pt), scaled to the text size in force."""
        return size * self.base_point_size / 9.0 * self.font_scale

    def css_pt(self, size: float) -> str:
        return f"{self.pt(size):.1f}pt"


_look = Look()
_followers: list[Callable[[], Callable[[Look], None] | None]] = []


_system_point_size: float | None = None


def system_point_size() -> float:
    """The application's text size before lossdesk scaled it (taken once per process, so a
    second window does not take the first one's larger text for normal)."""
    global _system_point_size
    if _system_point_size is None:
        _system_point_size = QApplication.instance().font().pointSizeF()
    return _system_point_size


def look() -> Look:
    return _look


def follow(callback: Callable[[Look], None]) -> None:
    """Call ``callback(look)`` now and whenever the theme or text size changes.

    A bound method is held weakly, so a view that goes away stops being called; a
    callback whose Qt object was deleted is dropped.
    """
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else (lambda cb=callback: cb)
    _followers.append(ref)
    callback(_look)


def set_look(**changes) -> Look:
    """Change the look and tell every follower."""
    global _look
    _look = replace(_look, **changes)
    alive = []
    for ref in _followers:
        callback = ref()
        if callback is None:
            continue
        try:
            callback(_look)
        except RuntimeError:  # its Qt object is gone
            continue
        alive.append(ref)
    _followers[:] = alive
    return _look


def styled(widget: QWidget, style: Callable[[Look], str]) -> QWidget:
    """Give ``widget`` the style sheet ``style(look)``, now and after every theme change."""

    def restyle(look: Look, ref=weakref.ref(widget)) -> None:
        w = ref()
        if w is None:
            raise RuntimeError("gone")
        w.setStyleSheet(style(look))

    _followers.append(lambda cb=restyle: cb)
    restyle(_look)
    return widget


def formula_style(look: Look) -> str:
    return (f"QLabel {{ background: {look.panel}; color: {look.ink}; "
            f"border: 1px solid {look.panel_border}; padding: 4px; }}")


def error_style(look: Look) -> str:
    return f"QLabel {{ color: {look.error}; font-weight: bold; }}"


def muted_style(look: Look) -> str:
    return f"QLabel {{ color: {look.muted}; }}"


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
        axis = w.getAxis(name)
        # "(x0.001)" on an axis misleads a class: the tick labels show the values themselves.
        axis.enableAutoSIPrefix(False)
        # Tick labels are costly to draw; keep them as a pixmap until the range moves.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    style_plot(w, _look)
    return w


def style_plot(widget: pg.PlotWidget, look: Look) -> None:
    """One plot's background, axes, axis labels and legends in ``look``'s colours and text size."""
    widget.setBackground(look.background)
    tick = QFont(QApplication.instance().font()) if QApplication.instance() else QFont()
    tick.setPointSizeF(max(6.0, look.pt(8.5)))
    for name in ("left", "bottom", "right", "top"):
        axis = widget.getPlotItem().getAxis(name)
        if not axis.isVisible() and name in ("right", "top"):
            continue
        axis.setPen(pg.mkPen(look.ink))
        axis.setTextPen(pg.mkPen(look.ink))
        axis.setStyle(tickFont=tick)
        style = {"color": look.ink, "font-size": look.css_pt(9)}
        if axis.labelText or axis.labelUnits:
            axis.setLabel(axis.labelText, units=axis.labelUnits or None, **style)
        else:
            axis.labelStyle = style  # for a label set later
    for item in widget.getPlotItem().scene().items():
        if isinstance(item, pg.LegendItem):
            style_legend(item, look)


def add_legend(plot: pg.PlotItem, **options) -> pg.LegendItem:
    """A legend in the theme's colours and text size (``options`` as for ``addLegend``)."""
    legend = plot.addLegend(**options)
    style_legend(legend, _look)
    return legend


def style_legend(legend: pg.LegendItem, look: Look) -> None:
    """Legend text in the theme's ink at the text size in force, on a see-through panel."""
    legend.setBrush(pg.mkBrush(*look.legend_brush))
    legend.setPen(pg.mkPen(look.panel_border))
    legend.opts["labelTextColor"] = pg.mkColor(look.ink)
    legend.opts["labelTextSize"] = look.css_pt(8)
    for _sample, label in legend.items:
        # LabelItem.setAttr only stores the attribute: set the text again to redraw it.
        label.setText(label.text, color=look.ink, size=look.css_pt(8))
    legend.updateSize()


def whole_number_ticks(axis: pg.AxisItem, whole: bool) -> None:
    """Ticks one apart (counts, point numbers: no "0.5 points"), or pyqtgraph's own spacing."""
    if whole:
        axis.setTickSpacing(1, 1)
    else:
        axis.setTickSpacing()


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

MIN_SCALE, MAX_SCALE = 0.75, 2.0


def plot_widgets(root: QWidget) -> list[pg.PlotWidget]:
    return root.findChildren(pg.PlotWidget)


def apply_font_scale(root: QWidget, base_point_size: float, scale: float) -> float:
    """Scale every widget's text, every plot's ticks, labels and legends; returns the scale used."""
    scale = min(max(scale, MIN_SCALE), MAX_SCALE)
    app = QApplication.instance()
    font = QFont(app.font())
    font.setPointSizeF(base_point_size * scale)
    app.setFont(font)
    for widget in root.findChildren(QWidget):
        widget.setFont(font)
    look = set_look(font_scale=scale, base_point_size=base_point_size)
    for plot in plot_widgets(root):
        style_plot(plot, look)
    return scale


def apply_theme(root: QWidget, dark: bool) -> None:
    """Light or dark: the Qt palette (disabled controls greyed), every plot, every follower."""
    app = QApplication.instance()
    palette = QPalette()
    if dark:
        colours = {
            QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
            QPalette.ColorRole.Base: "#2a2b2e", QPalette.ColorRole.AlternateBase: "#303134",
            QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#303134",
            QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#56B4E9",
            QPalette.ColorRole.HighlightedText: "#000000", QPalette.ColorRole.ToolTipBase: "#303134",
            QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.PlaceholderText: "#9aa0a6",
            QPalette.ColorRole.Light: "#4a4c50", QPalette.ColorRole.Midlight: "#3a3c40",
            QPalette.ColorRole.Mid: "#2c2e31", QPalette.ColorRole.Dark: "#151618",
            QPalette.ColorRole.Shadow: "#000000", QPalette.ColorRole.BrightText: "#ffffff",
            QPalette.ColorRole.Link: "#8ab4f8",
        }
        for role, colour in colours.items():
            palette.setColor(role, QColor(colour))
        disabled = {
            QPalette.ColorRole.WindowText: "#6f7378", QPalette.ColorRole.Text: "#6f7378",
            QPalette.ColorRole.ButtonText: "#6f7378", QPalette.ColorRole.Base: "#242528",
            QPalette.ColorRole.Button: "#26272a", QPalette.ColorRole.Highlight: "#3c5a6e",
        }
        for role, colour in disabled.items():
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    app.setPalette(palette)
    look = set_look(dark=bool(dark))
    for plot in plot_widgets(root):
        style_plot(plot, look)
