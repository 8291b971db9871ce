"""Colours, pens and shared pyqtgraph settings.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common
forms of colour blindness.
"""

from __future__ import annotations

import PySide6  # noqa: F401  (PySide6 first, so pyqtgraph binds to it)
import pyqtgraph as pg

ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
INK = "#222222"
GREY = "#888888"

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
    w.setMinimumSize(160, 120)
    return w
