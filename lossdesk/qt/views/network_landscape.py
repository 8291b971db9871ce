"""The landscape around the network: the cost over a plane through θ (a ``Landscape``).

A heat map with contour lines (both computed in the results), the training path
projected onto the plane and the ball at θ now. A line of text under the title warns
that a slice shows two of the network's many directions; a note says when a new slice
is being worked out (on another thread: the window goes on meanwhile) or is out of date.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from lossdesk.model.results.network import Landscape, LandscapeMarks
from lossdesk.qt import theme
from lossdesk.qt.views.data_fit import move_positions

#: axis titles: a random direction, or the path's first and second principal direction
AXES = {"random": ("α: direction 1", "β: direction 2"),
        "path": ("α: path's 1st", "β: path's 2nd")}


class NetworkLandscapeView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget(*AXES["random"])
        self.plot = self.widget.getPlotItem()
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get(theme.SURFACE_CMAP))
        self.image.setVisible(False)
        self.plot.addItem(self.image)
        self.contours = pg.PlotCurveItem(connect="finite", pen=pg.mkPen(255, 255, 255, 140, width=1))
        self.plot.addItem(self.contours)
        self.path = pg.PlotCurveItem(pen=theme.pen(theme.ORANGE, 2))
        self.plot.addItem(self.path)
        self.ball = pg.ScatterPlotItem(size=15, brush=pg.mkBrush(theme.ORANGE))
        self.ball.setZValue(15)
        self.ball.setVisible(False)
        self.plot.addItem(self.ball)
        vb = self.plot.getViewBox()
        # the caution and the note sit on the view box itself, so they stay put when the range changes
        self.caution = pg.TextItem("", anchor=(0, 0))
        self.caution.setParentItem(vb)
        self.caution.setPos(4, 2)
        self.note = pg.TextItem("", anchor=(1, 1))
        self.note.setParentItem(vb)
        self.note.setZValue(20)
        vb.sigResized.connect(self._place_note)
        self.landscape: Landscape | None = None  # (set before the look is followed)
        self.directions = "random"
        self.note_text = ""
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        self.ball.setPen(pg.mkPen(look.ink, width=1.5))
        font = pg.QtGui.QFont()
        font.setPointSizeF(look.pt(8))
        for item in (self.caution, self.note):
            item.setFont(font)
            item.setColor(look.ink)
            fill = pg.mkColor(look.background)
            fill.setAlpha(200)
            item.fill = pg.mkBrush(fill)
            item.update()
        self._fit_caution()

    def _place_note(self, *_args) -> None:
        rect = self.plot.getViewBox().boundingRect()
        self.note.setPos(rect.width() - 4, rect.height() - 2)
        self._fit_caution()

    def _fit_caution(self) -> None:
        """The caution as long as the plot's width allows, never cut off."""
        n = self.landscape.n_params if self.landscape is not None else 0
        if not n:
            return
        room = self.plot.getViewBox().boundingRect().width() - 12
        metrics = pg.QtGui.QFontMetrics(self.caution.textItem.font())
        choices = (f"A slice: 2 of the network's {n} directions", f"A slice: 2 of {n} directions",
                   f"2 of {n} directions")
        text = next((c for c in choices if metrics.horizontalAdvance(c) + 8 <= room), None)
        # too narrow for even the shortest on one line: wrapped, it would stand as a column of
        # broken words over the map; the panel's tooltip still says it
        if self.caution.isVisible() != (text is not None):
            self.caution.setVisible(text is not None)
        if text is not None and self.caution.toPlainText() != text:
            self.caution.setText(text)

    # ------------------------------------------------------------------ drawing
    def show_landscape(self, landscape: Landscape) -> None:
        """A new slice: the heat map in its colour range, its contours, its axes."""
        self.landscape = landscape
        z = landscape.z
        self.image.setImage(z, levels=landscape.lines.colour_range, autoLevels=False)
        (a0, a1), (b0, b1) = landscape.window.w_range, landscape.window.b_range
        self.image.setRect(QRectF(a0, b0, a1 - a0, b1 - b0))
        self.image.setVisible(True)
        self.contours.setData(landscape.lines.x, landscape.lines.y)
        self.plot.setRange(xRange=(a0, a1), yRange=(b0, b1), padding=0)
        if landscape.directions != self.directions:
            self.directions = landscape.directions
            x_label, y_label = AXES[landscape.directions]
            self.plot.setLabel("bottom", x_label)
            self.plot.setLabel("left", y_label)
        self._fit_caution()

    def show_marks(self, marks: LandscapeMarks | None) -> None:
        """The path so far and the ball at θ now (hidden when the slice is out of date)."""
        empty = marks is None or marks.stale or marks.path.shape[0] == 0
        if empty:
            for item in (self.path, self.ball):
                if item.isVisible():
                    item.setVisible(False)
            return
        path = marks.path
        self.path.setData(path[:, 0], path[:, 1])
        if len(self.ball.data) == 1:
            move_positions(self.ball, np.array([marks.ball[0]]), np.array([marks.ball[1]]))
        else:
            self.ball.setData([marks.ball[0]], [marks.ball[1]])
        for item in (self.path, self.ball):
            if not item.isVisible():
                item.setVisible(True)

    def show_note(self, text: str) -> None:
        """"computing…", "out of date", or nothing."""
        if text != self.note_text:
            self.note_text = text
            self.note.setText(text)
            self.note.setVisible(bool(text))
            self._place_note()
