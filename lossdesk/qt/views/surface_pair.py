"""Two cost surfaces side by side: cross-entropy and squared error on p, for the same data
and model, over the same two parameters (the ``surfaces`` of a ``LossComparison``).

Each is a small heat map with its contour lines (each in its own colour range: the two
losses have different units) and the current θ marked by the same white cross-hair as
the main surface. Squared error's surface goes flat where the model is sure and wrong,
cross-entropy's keeps sloping there: descent can find its way down one and not the other.
"""

from __future__ import annotations

import pyqtgraph as pg

from lossdesk.model.results.classification import LossComparison
from lossdesk.qt.views.data_fit import move_positions
from lossdesk.qt.views.loss_surface import HANDLE_SIZE, SurfacePlot


class MarkedSurface(SurfacePlot):
    """A ``SurfacePlot`` (no optimum star) with a cross-hair at the current θ."""

    def __init__(self) -> None:
        super().__init__()
        self.optimum.setVisible(False)  # no exact optimum here (and an empty item costs a paint)
        self.halo = pg.ScatterPlotItem(pos=[(0.0, 0.0)], size=HANDLE_SIZE, symbol="crosshair", brush=None,
                                       pen=pg.mkPen(0, 0, 0, 150, width=4.5))
        self.mark = pg.ScatterPlotItem(pos=[(0.0, 0.0)], size=HANDLE_SIZE, symbol="crosshair", brush=None,
                                       pen=pg.mkPen("w", width=2))
        for z, item in ((19, self.halo), (20, self.mark)):
            item.setZValue(z)
            self.plot.addItem(item)
        self.shown_z = None  # the surface drawn now (a new one only when it changed)
        self.at: tuple[float, float] = (0.0, 0.0)

    def show_current(self, x: float, y: float) -> None:
        if (x, y) == self.at:
            return
        self.at = (x, y)
        for item in (self.halo, self.mark):
            move_positions(item, [x], [y])  # setData would restyle them


class SurfacePairView:
    """The two surfaces in one widget row (each its own ``PlotWidget``)."""

    def __init__(self, losses: tuple[str, ...] = ("bce", "brier")) -> None:
        self.losses = losses
        self.plots = {name: MarkedSurface() for name in losses}

    def show(self, comparison: LossComparison | None) -> None:
        if comparison is None or not comparison.surfaces:
            return
        for name, surface in zip(comparison.losses, comparison.surfaces):
            view = self.plots[name]
            if view.shown_z is not surface.z or view.window != surface.window:
                x_label, y_label = surface.titles
                view.plot.setLabel("bottom", x_label)
                view.plot.setLabel("left", y_label)
                view.show_surface(surface.window, surface.z, surface.lines)
                view.shown_z = surface.z
            view.show_current(*surface.current)
