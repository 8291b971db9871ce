"""Every racer's cost against step, in one plot, with the lowest possible cost dashed.

The legend names each optimizer with its ball's colour and shape (as the surface draws
it), so a student can match a curve to a ball. The cost axis spans the results'
``cost_range``, which is never too thin to read, even when every curve is flat, with
room for the legend where needed: no curve runs under it. Each curve's
newest point is marked with its ball's shape (so the curves show before the first step).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QGraphicsItem

from lossdesk.model.results.descent_lab import DescentLabResults
from lossdesk.qt import theme
from lossdesk.qt.views.race_surface import BALL_MARKS, BALL_ORDER, HALO, SHORT_NAMES

#: the legend may take this share of the plot's width before it shortens to the names alone
LEGEND_WIDTH_SHARE = 0.45
#: … and this share of its height
LEGEND_HEIGHT_SHARE = 0.5
#: where the step axis ends, times a power of ten (the first one past the newest step)
STEP_AXIS_STOPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def legend_text(name: str, title: str, compact: bool = False) -> str:
    """"Gradient descent: blue circle" ("GD" where the plot is too narrow: its sample shows the rest)."""
    return SHORT_NAMES.get(name, title) if compact else f"{title}: {BALL_MARKS[name].describe()}"


class RaceCurvesView:
    def __init__(self) -> None:
        self.widget = theme.plot_widget("step", "cost")
        self.plot = self.widget.getPlotItem()
        self.legend = theme.add_legend(self.plot, offset=(-4, 4))
        self.curves: dict[str, pg.PlotCurveItem] = {}
        # legend samples only (never added to the plot): the curve's line with the ball's shape on it
        self.samples: dict[str, pg.PlotDataItem] = {}
        for name, colour in theme.OPTIMIZER_COLOURS.items():
            self.curves[name] = pg.PlotCurveItem(pen=theme.pen(colour, 2))
            self.plot.addItem(self.curves[name])
            mark = BALL_MARKS[name]
            self.samples[name] = pg.PlotDataItem(pen=theme.pen(colour, 2), symbol=mark.symbol,
                                                 symbolSize=min(mark.size, 12), symbolBrush=colour,
                                                 symbolPen=pg.mkPen(HALO, width=1))
        # each curve's newest point, marked like its ball (at step 0 the curves are single points)
        self.heads = pg.ScatterPlotItem(pen=pg.mkPen(HALO, width=1))
        self.heads.setZValue(5)
        self.plot.addItem(self.heads)
        self.best = pg.InfiniteLine(0, angle=0, pen=theme.pen(theme.GREEN, 1.5, pg.QtCore.Qt.PenStyle.DashLine))
        self.plot.addItem(self.best)
        self._legend_for: tuple[tuple[str, ...], bool, int] | None = None
        self._steps = np.arange(0)
        self._costs_shown: dict[str, np.ndarray | None] = {}
        self._heads_shown: tuple | None = None
        self._brushes = {name: pg.mkBrush(colour) for name, colour in theme.OPTIMIZER_COLOURS.items()}
        self._results: DescentLabResults | None = None
        self.plot.getViewBox().sigResized.connect(self._fit_cost_axis)
        theme.follow(self.restyle)

    def restyle(self, _look: theme.Look) -> None:
        self._fit_cost_axis()  # the legend's text size changed: it may need more room

    def legend_layout(self, results: DescentLabResults) -> tuple[bool, int]:
        """(compact, columns): the full legend in one column while it takes at most
        LEGEND_WIDTH_SHARE of the plot's width and LEGEND_HEIGHT_SHARE of its height; else the names alone, side by side in one
        row along the top when they fit, so a short plot keeps its height for the curves."""
        vb = self.plot.getViewBox()
        width, height = vb.width(), vb.height()
        if width <= 0 or not results.racers:
            return False, 1
        app = QApplication.instance()
        font = QFont(app.font()) if app else QFont()
        font.setPointSizeF(theme.look().pt(8))
        metrics = QFontMetrics(font)
        sample = 40  # the sample line and the gaps around each entry
        full = max(metrics.horizontalAdvance(legend_text(name, racer.title)) for name, racer in results.racers.items())
        tall = len(results.racers) * (metrics.height() + 6) + 10
        if full + sample <= LEGEND_WIDTH_SHARE * width and tall <= LEGEND_HEIGHT_SHARE * height:
            return False, 1
        row = sum(metrics.horizontalAdvance(legend_text(name, racer.title, True)) + sample
                  for name, racer in results.racers.items())
        return True, (len(results.racers) if row <= 0.9 * width else 1)

    def _show_legend(self, results: DescentLabResults) -> None:
        compact, columns = self.legend_layout(results)
        if (results.racing, compact, columns) == self._legend_for:
            return
        self.legend.clear()
        self.legend.setColumnCount(columns)
        for name, racer in results.racers.items():
            self.legend.addItem(self.samples[name], legend_text(name, racer.title, compact))
        theme.style_legend(self.legend, theme.look())
        # the legend lies over the curves, so every frame repaints it: Qt keeps it as pixels
        for item in [self.legend] + [part for entry in self.legend.items for part in entry]:
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._legend_for = (results.racing, compact, columns)

    @staticmethod
    def step_axis(results: DescentLabResults) -> tuple[float, float]:
        """0 … curve_steps rounded up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
        ten, with a little room left of step 0 for the marks there. The axis moves (and its
        labels and grid are drawn again) only when the race passes one of those, not every
        few steps."""
        steps = max(float(results.curve_steps), 1.0)
        power = 10.0 ** np.floor(np.log10(steps))
        top = next((m * power for m in STEP_AXIS_STOPS if m * power >= steps), 10.0 * power)
        return float(-0.02 * top), float(top)

    def cost_axis(self, results: DescentLabResults) -> tuple[float, float]:
        """The results' cost range, raised where needed so no curve runs under the legend.

        The legend sits in the top right corner: only the costs at the steps it spans
        must stay below its bottom edge (the curves fall, so usually they already do).
        """
        lo, hi = results.cost_range
        vb = self.plot.getViewBox()
        width, height = vb.width(), vb.height()
        if not self.legend.items or width <= 0 or height <= 0:
            return lo, hi
        box = self.legend.mapRectToItem(vb, self.legend.boundingRect())
        share = min((box.bottom() + 6) / height, 0.85)
        (x0, x1), _ = vb.viewRange()
        first = int(np.floor(x0 + max(box.left() - 6, 0) / width * (x1 - x0)))
        under = [float(np.max(racer.costs[max(first, 0):])) for racer in results.racers.values()
                 if racer.costs.size > max(first, 0)]
        under = [c for c in under if np.isfinite(c)]
        if not under:
            return lo, hi
        # the highest cost under the legend sits just below its bottom edge
        top = lo + (max(under) - lo) / (1.0 - share)
        return lo, max(hi, top)

    def _fit_cost_axis(self, *_args) -> None:
        if self._results is not None:
            self._show_legend(self._results)
            theme.stable_range(self.plot, y=self.cost_axis(self._results), margin=0.05)

    def _step_axis(self, n: int) -> np.ndarray:
        """0 … n − 1, kept between frames (only grown), so a frame makes no new axis."""
        if self._steps.size < n:
            self._steps = np.arange(max(n, 2 * self._steps.size))
        return self._steps[:n]

    def draw(self, results: DescentLabResults) -> None:
        """Set only what changed: a curve whose racer took no step keeps its data (the results
        hand out the same cost array), a racer not racing has its curve hidden."""
        if self.best.value() != results.best_cost:
            self.best.setValue(results.best_cost)
        for name, curve in self.curves.items():
            racer = results.racers.get(name)
            costs = None if racer is None else racer.costs
            if self._costs_shown.get(name, False) is costs:
                continue
            self._costs_shown[name] = costs
            curve.setVisible(costs is not None)
            if costs is not None:
                curve.setData(self._step_axis(costs.size), costs)
        order = [name for name in BALL_ORDER if name in results.racers]  # stacked as on the surface
        heads = tuple((name, results.racers[name].costs.size - 1, float(results.racers[name].costs[-1]))
                      for name in order)
        if heads != self._heads_shown:
            self._heads_shown = heads
            self.heads.setData(
                [step for _name, step, _cost in heads],
                [cost for _name, _step, cost in heads],
                symbol=[BALL_MARKS[name].symbol for name in order],
                size=[0.75 * BALL_MARKS[name].size for name in order],
                brush=[self._brushes[name] for name in order],
            )
        self._show_legend(results)
        self._results = results
        theme.stable_range(self.plot, x=self.step_axis(results), margin=0.05)
        theme.stable_range(self.plot, y=self.cost_axis(results), margin=0.05)  # for the x range now shown

    def refit(self, results: DescentLabResults) -> None:
        self._results = results
        self.plot.setRange(xRange=self.step_axis(results))
        self.plot.setRange(yRange=self.cost_axis(results))
