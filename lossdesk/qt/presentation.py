"""Presenting to a room: bigger text, a dark theme.

Colours of the data stay the colour-blind-safe Okabe–Ito set in both themes.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

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
