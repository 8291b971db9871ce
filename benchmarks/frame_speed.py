"""Frame time of the regression explorer: the real window, and the same frame in matplotlib.

Run from the repository root (no display needed)::

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python benchmarks/frame_speed.py
    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python benchmarks/frame_speed.py --big --profile

The script builds lossdesk's main window as the app does (``build_window``), shows it,
loads a regression data set of N points (x ~ U(−3, 3), y = 1.5·x + 0.5 + noise), keeps
the loss at MSE and the surface at the app's grid (128 × 128), then times frames:

* **drag**: ``history.preview(v.with_source(v.source.edited(v.data.with_row(row, {"x": x,
  "y": y_k}))))`` with a new y every frame, between ``history.begin_live()`` (and the
  point selected) and ``history.end_live("Move point")``, as the explorer's handlers of
  a mouse drag do;
* **w slider** / **b slider**: ``controls.w.slider.setValue(k)`` (and b), as a user moving
  the slider.

A frame is the handler plus a repaint of the whole window (see ``WindowFrame``). Each
frame is followed by an untimed event-loop pass that counts any paint that arrived too
late, so the timed region is known to hold all the work. The garbage collector is
handled as in ``lossdesk.qt.app.run``: ``gc.collect(); gc.freeze()`` once the window and
data are loaded (it stays enabled).

The same drag frame is then drawn with matplotlib (Agg, a benchmark-only dependency):
five axes in a figure the size of the five plots, artists updated in place
(``set_offsets``/``set_segments``/``set_array``/``set_data``, contours drawn again because
the surface changed) and ``fig.canvas.draw()`` each frame. The app computes each frame through
its results function (``compute_regression``), matplotlib through the same model layer
(``regression_snapshot``, ``line_loss_surface``, ``best_line``).

It ends with a table of medians and 90th percentiles and the speed targets of the
design notes (§4). Times are wall-clock milliseconds; other busy programs skew them.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

SEED = 20240611
FRAME_BUDGET_MS = 16.7  # drag at N = 1e4, 128² surface, every view repainted
SLIDER_BUDGET_MS = 8.0  # w or b slider at N = 1e4
MIN_SPEEDUP = 6.0  # matplotlib / lossdesk, drag frame at N = 1e4
TARGET_N = 10_000
VIEW_NAMES = ("data", "surface", "hist", "loss", "curve")
CONTOUR_LEVELS = 12  # as the loss-surface view draws
MAX_EXTRA_PASSES = 4  # event-loop passes after the first, while they still paint a plot


# ---------------------------------------------------------------------------- helpers
def make_data(n: int, seed: int = SEED):
    from lossdesk.model import RegressionData

    rng = np.random.default_rng(seed)
    x = rng.uniform(-3.0, 3.0, n)
    y = 1.5 * x + 0.5 + rng.normal(0.0, 1.0, n)
    return RegressionData(x, y)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def fmt(ms: float) -> str:
    if not np.isfinite(ms):
        return "–"
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def table(headers: list[str], rows: list[list[str]], left: int = 1) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def n_label(n: int) -> str:
    return f"{n:.0e}".replace("e+0", "e")


def drag_to(history, row: int, x: float, y: float) -> None:
    """One frame of a drag: the point at ``row`` moved to (x, y), previewed without an undo step."""
    v = history.store.value
    history.preview(v.with_source(v.source.edited(v.data.with_row(row, {"x": x, "y": y}))))


def begin_drag(explorer, row: int) -> None:
    """What the explorer does when a point is pressed: a live gesture, the point selected."""
    explorer.history.begin_live()
    explorer.marks.select(row)


def end_drag(explorer) -> None:
    """What the explorer does when the point is released: the gesture becomes one undo step."""
    explorer.history.end_live("Move point")


@dataclass
class Result:
    case: str
    n: int
    times: list[float] = field(default_factory=list)  # ms, full-window repaint
    loop_times: list[float] = field(default_factory=list)  # ms, event loop only (dirty regions)
    handler: list[float] = field(default_factory=list)  # ms, settings change → items updated
    view_paint: dict[str, list[float]] = field(default_factory=dict)  # ms per view paintEvent
    all_painted: int = 0  # frames in which all five plots were fully repainted inside the timer
    late_paints: int = 0  # plot paints that happened after the timed region
    gc_runs: int = 0

    @property
    def median(self) -> float:
        return pct(self.times, 50)


# ---------------------------------------------------------------------------- lossdesk side
class PaintProbe:
    """Counts and times paints of the five plot viewports.

    An event filter on each viewport records the area of every paint event; the
    ``paintEvent`` of each plot widget is wrapped to time it.
    """

    def __init__(self, views: dict):
        from PySide6.QtCore import QEvent, QObject

        probe = self

        class _Filter(QObject):
            def eventFilter(self, obj, ev):  # noqa: N802 (Qt naming)
                if ev.type() == QEvent.Type.Paint:
                    probe.events += 1
                    name = obj.objectName()
                    r = ev.rect()
                    probe.area[name] = probe.area.get(name, 0) + r.width() * r.height()
                return False

        self.views = views
        self.viewports = {name: v.widget.viewport() for name, v in views.items()}
        self.area: dict[str, int] = {}
        self.events = 0  # paint events so far, never reset
        self.paint_ms: dict[str, float] = {}
        self._filter = _Filter()
        for name, vp in self.viewports.items():
            vp.setObjectName(f"bench-{name}")
            vp.installEventFilter(self._filter)
            widget = views[name].widget
            original = widget.paintEvent

            def timed(ev, original=original, name=name):
                t = time.perf_counter()
                try:
                    return original(ev)
                finally:
                    self.paint_ms[name] = self.paint_ms.get(name, 0.0) + (time.perf_counter() - t) * 1e3

            widget.paintEvent = timed  # PySide dispatches the virtual to the instance attribute

    def reset(self) -> None:
        self.area.clear()
        self.paint_ms.clear()

    def fully_painted(self) -> set[str]:
        done = set()
        for name, vp in self.viewports.items():
            full = vp.width() * vp.height()
            if self.area.get(f"bench-{name}", 0) >= 0.99 * full:
                done.add(name)
        return done

    def any_painted(self) -> int:
        return sum(1 for v in self.area.values() if v > 0)


class WindowFrame:
    """Runs one user action and paints the window inside the timed region.

    Why not ``window.repaint()``: with Qt 6 it repaints the window's ordinary widgets
    synchronously but not the five QGraphicsView viewports (``check_repaint`` measures
    and prints this at start-up). Besides, a pyqtgraph item change reaches its view only
    through queued scene calls, which a synchronous repaint does not run. So a frame
    marks the whole window dirty (``window.update()``) and each plot's whole scene
    (``scene.update()``, which merges with the items' own changes into one viewport
    update; marking the viewport itself made most plots paint twice per frame), then
    runs the event loop: the queued scene updates, layout requests and the one
    UpdateRequest that paints the backing store all happen inside the timer — what the
    event loop does after a mouse event, with every widget repainted in full. A paint
    can post more work (an axis range that moved re-lays out its plot, which paints
    again on the next pass), so passes repeat until one paints no plot; the real event
    loop does that work before it takes the next mouse event too. ``loop_only`` skips
    the marking and paints only what the app itself made dirty.
    """

    def __init__(self, app, window, probe: PaintProbe):
        self.app, self.window, self.probe = app, window, probe

    def run(self, action: Callable[[], None], loop_only: bool = False) -> tuple[float, float]:
        t0 = time.perf_counter()
        action()
        t1 = time.perf_counter()
        if not loop_only:
            self.window.update()
            for view in self.probe.views.values():
                view.widget.scene().update()
        self.app.processEvents()
        for _ in range(MAX_EXTRA_PASSES):
            before = self.probe.events
            self.app.processEvents()
            if self.probe.events == before:
                break
        t2 = time.perf_counter()
        return (t2 - t0) * 1e3, (t1 - t0) * 1e3


def check_repaint(app, window, explorer, probe: PaintProbe) -> str:
    """How many plots ``window.repaint()`` paints right after a change, and how many a frame paints."""
    store = explorer.store
    app.processEvents()
    probe.reset()
    store.update(w=store.value.w + 0.01)
    window.repaint()
    by_repaint = probe.any_painted()
    probe.reset()
    app.processEvents()
    afterwards = probe.any_painted()
    frame = WindowFrame(app, window, probe)
    probe.reset()
    frame.run(lambda: store.update(w=store.value.w - 0.01))
    by_frame = len(probe.fully_painted())
    return (f"window.repaint() after a change painted {by_repaint}/5 plot viewports "
            f"({afterwards}/5 painted later by the event loop); "
            f"a benchmark frame fully painted {by_frame}/5")


class GcCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.count += 1


def time_case(frame: WindowFrame, probe: PaintProbe, result: Result, make_action: Callable[[int], Callable[[], None]],
              frames: int, warmup: int, max_seconds: float, gc_counter: GcCounter,
              loop_only_too: bool = True) -> None:
    app = frame.app
    k = 0
    for _ in range(warmup):
        frame.run(make_action(k))
        app.processEvents()
        k += 1
    for loop_only, store in ((False, result.times), (True, result.loop_times))[:2 if loop_only_too else 1]:
        started = time.perf_counter()
        for _ in range(frames):
            probe.reset()
            gc_before = gc_counter.count
            total, handler = frame.run(make_action(k), loop_only=loop_only)
            k += 1
            store.append(total)
            if not loop_only:
                result.handler.append(handler)
                result.gc_runs += gc_counter.count - gc_before
                for name, ms in probe.paint_ms.items():
                    result.view_paint.setdefault(name, []).append(ms)
                if len(probe.fully_painted()) == len(VIEW_NAMES):
                    result.all_painted += 1
            probe.reset()
            app.processEvents()  # untimed: anything painted here was missed by the timer
            result.late_paints += probe.any_painted()
            if time.perf_counter() - started > max_seconds and len(store) >= 10:
                break


def bench_lossdesk(app, window, n: int, args, gc_counter: GcCounter, probe: PaintProbe,
                   log: Callable[[str], None]) -> tuple[list[Result], object]:
    explorer = window.explorer
    data = make_data(n)
    explorer.load_data(data, "bench")
    explorer.history.undo_stack.clear()
    for _ in range(3):
        app.processEvents()
    gc.collect()
    gc.freeze()
    frame = WindowFrame(app, window, probe)
    results = []

    # ---- nothing changes: the cost of repainting the whole window, the floor of every frame
    res = Result("repaint only", n)
    time_case(frame, probe, res, lambda k: lambda: None, max(10, args.frames // 2), args.warmup,
              args.max_seconds / 2, gc_counter, loop_only_too=False)  # nothing dirty: the loop paints nothing
    results.append(res)

    # ---- drag one point up and down, as the explorer does between press and release
    row = int(np.argmin(np.abs(data.x - 1.0)))
    x_row, y_row = float(data.x[row]), float(data.y[row])
    history = explorer.history
    begin_drag(explorer, row)

    def drag(k: int) -> Callable[[], None]:
        y_k = y_row + 2.5 * np.sin(2 * np.pi * k / 48) + 1e-6 * k  # never the same twice
        return lambda: drag_to(history, row, x_row, float(y_k))

    res = Result("drag point", n)
    time_case(frame, probe, res, drag, args.frames, args.warmup, args.max_seconds, gc_counter)
    end_drag(explorer)
    if history.undo_stack.count() != 1 or explorer.store.value.data.y[row] == y_row:
        raise RuntimeError("the drag frames did not move the point as one undo step: the benchmark is broken")
    results.append(res)
    log(f"  lossdesk drag N={n_label(n)}: {fmt(res.median)} ms ({len(res.times)} frames)")

    # ---- w and b sliders, moved back and forth around the middle of their range
    for name in ("w", "b"):
        slider = getattr(explorer.controls, name).slider

        def move(k: int, slider=slider) -> Callable[[], None]:
            phase = k % 200
            pos = 400 + (phase if phase < 100 else 200 - phase) * 2 + (1 if k % 2 else 0)
            if pos == slider.value():
                pos += 1
            return lambda: slider.setValue(pos)

        res = Result(f"{name} slider", n)
        time_case(frame, probe, res, move, args.frames, args.warmup, args.max_seconds, gc_counter)
        results.append(res)
        log(f"  lossdesk {name} slider N={n_label(n)}: {fmt(res.median)} ms ({len(res.times)} frames)")
    surface_window = getattr(explorer, "window", None)
    if surface_window is None:
        from lossdesk.model.results.regression import SURFACE_SIZE
        from lossdesk.model.snapshot import SurfaceWindow
        from lossdesk.model.surface import line_surface_window

        surface_window = SurfaceWindow(*line_surface_window(data.x, data.y), size=SURFACE_SIZE)
    return results, surface_window


def profile_drag(app, window, probe: PaintProbe, n: int, frames: int, top: int) -> str:
    """cProfile of drag frames (settings change + full-window paint) at N points."""
    explorer = window.explorer
    data = make_data(n)
    explorer.load_data(data, "bench")
    explorer.history.undo_stack.clear()
    app.processEvents()
    frame = WindowFrame(app, window, probe)
    row = int(np.argmin(np.abs(data.x - 1.0)))
    x_row, y_row = float(data.x[row]), float(data.y[row])
    begin_drag(explorer, row)
    prof = cProfile.Profile()
    for k in range(frames):
        y_k = float(y_row + np.sin(k / 5.0))
        prof.enable()
        frame.run(lambda: drag_to(explorer.history, row, x_row, y_k))
        prof.disable()
    end_drag(explorer)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    text = out.getvalue()
    cwd = os.getcwd() + os.sep
    return text.replace(cwd, "").replace(os.path.dirname(np.__file__).rsplit("numpy", 1)[0], "")


# ---------------------------------------------------------------------------- matplotlib side
class MatplotlibFrame:
    """The explorer's five views in one matplotlib figure, updated in place."""

    def __init__(self, data, window_rect, size_px: tuple[int, int], widths: dict[str, int],
                 heights: tuple[int, int]):
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure

        from lossdesk.model import best_line
        from lossdesk.model.snapshot import regression_snapshot

        self.loss, self.params = "mse", {}
        self.data = data
        self.w, self.b = 0.0, 0.0  # the line the app shows after loading (reset_run)
        self.w_grid, self.b_grid = window_rect.w_grid, window_rect.b_grid
        (w0, w1), (b0, b1) = window_rect.w_range, window_rect.b_range
        dpi = 100
        self.fig = Figure(figsize=(size_px[0] / dpi, size_px[1] / dpi), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        outer = self.fig.add_gridspec(2, 1, height_ratios=heights, hspace=0.35,
                                      left=0.05, right=0.99, top=0.95, bottom=0.08)
        top = outer[0].subgridspec(1, 2, width_ratios=[widths["data"], widths["surface"]], wspace=0.15)
        bottom = outer[1].subgridspec(1, 3, width_ratios=[widths["hist"], widths["loss"], widths["curve"]],
                                      wspace=0.25)
        self.ax_data = self.fig.add_subplot(top[0])
        self.ax_surf = self.fig.add_subplot(top[1])
        self.ax_hist = self.fig.add_subplot(bottom[0])
        self.ax_loss = self.fig.add_subplot(bottom[1])
        self.ax_curve = self.fig.add_subplot(bottom[2])
        for ax, title, xl, yl in ((self.ax_data, "Data and fit", "x", "y"),
                                  (self.ax_surf, "Loss surface: cost over (w, b)", "w (slope)", "b (intercept)"),
                                  (self.ax_hist, "Error distribution", "residual y − ŷ", "points"),
                                  (self.ax_loss, "Loss of each point", "point", "loss"),
                                  (self.ax_curve, "Loss curve", "step", "cost")):
            ax.set_title(title, fontsize=9, loc="left")
            ax.set_xlabel(xl, fontsize=8)
            ax.set_ylabel(yl, fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.15)

        x, y = data.x, data.y
        snap = regression_snapshot(data, self.loss, self.params, self.w, self.b)
        best = best_line(x, y, self.loss, **self.params)
        n = x.size
        # data and fit
        px, py = 0.08 * np.ptp(x), 0.12 * np.ptp(y)
        self.xlim = (x.min() - px, x.max() + px)
        self.ax_data.set_xlim(*self.xlim)
        self.ax_data.set_ylim(y.min() - py - 3, y.max() + py + 3)
        self.segments = LineCollection(self._segments(snap), cmap="plasma", linewidths=2.5)
        self.segments.set_array(snap.losses)
        self.ax_data.add_collection(self.segments)
        xs = np.array(self.xlim)
        (self.line,) = self.ax_data.plot(xs, self.w * xs + self.b, color="#0072B2", lw=3,
                                         label="current line ŷ = w·x + b")
        (self.best_line,) = self.ax_data.plot(xs, best[0] * xs + best[1], color="#009E73", lw=1.5, ls="--",
                                              label="best line for this loss")
        self.points = self.ax_data.scatter(x, y, s=30, facecolors="white", edgecolors="#222222", linewidths=1,
                                           zorder=3)
        self.ax_data.legend(loc="upper left", fontsize=7)
        # loss surface
        z = self._surface(x, y)
        self.image = self.ax_surf.imshow(z.T, origin="lower", extent=(w0, w1, b0, b1), aspect="auto",
                                         cmap="viridis", interpolation="nearest")
        self.contours = None
        self._draw_contours(z)
        (self.optimum,) = self.ax_surf.plot([best[0]], [best[1]], marker="*", ms=12, color="#009E73",
                                            mec="white", ls="none")
        (self.handle,) = self.ax_surf.plot([self.w], [self.b], marker="o", ms=11, mfc="none", mec="white",
                                           mew=2, ls="none")
        self.ax_surf.set_xlim(w0, w1)
        self.ax_surf.set_ylim(b0, b1)
        # residual histogram
        self.hist = self.ax_hist.stairs(snap.histogram_counts, snap.histogram_edges, fill=True,
                                        color="#56B4E9", alpha=0.55)
        self.ax_hist.axvline(0, color="#888888", lw=1, ls=":")
        self.mean = self.ax_hist.axvline(snap.mean_residual, color="#D55E00", lw=2, label="mean")
        self.median = self.ax_hist.axvline(snap.median_residual, color="#009E73", lw=2, ls="--", label="median")
        self.ax_hist.legend(loc="upper right", fontsize=7)
        span = 2 * max(abs(snap.histogram_edges[0]), abs(snap.histogram_edges[-1]))
        self.ax_hist.set_xlim(-span, span)
        self.ax_hist.set_ylim(0, 1.3 * snap.histogram_counts.max())
        # per-point loss: one filled step curve (the app draws bars only up to 400 points)
        self.bars = self.ax_loss.stairs(snap.losses, np.arange(n + 1) - 0.5, fill=True, color="#CC79A7",
                                        alpha=0.6)
        self.cost = self.ax_loss.axhline(snap.cost, color="#222222", lw=2, ls="--")
        self.cost_text = self.ax_loss.text(0.5, snap.cost, f"cost = {snap.cost:.4g}", fontsize=7,
                                           transform=self.ax_loss.get_yaxis_transform(),
                                           bbox={"fc": "white", "alpha": 0.8, "lw": 0})
        self.ax_loss.set_xlim(-0.6, n - 0.4)
        self.ax_loss.set_ylim(0, 1.3 * max(float(snap.losses.max()), snap.cost))
        # loss curve: the current cost (no descent run yet), and the lowest possible cost
        best_cost = regression_snapshot(data, self.loss, self.params, *best).cost
        (self.curve,) = self.ax_curve.plot([0], [snap.cost], color="#0072B2", lw=2)
        (self.head,) = self.ax_curve.plot([0], [snap.cost], "o", color="#E69F00", mec="#222222")
        self.best_cost = self.ax_curve.axhline(best_cost, color="#009E73", lw=1.5, ls="--")
        self.ax_curve.set_xlim(0, 10)
        self.ax_curve.set_ylim(0, 1.5 * snap.cost)
        self.canvas.draw()

    def _segments(self, snap) -> np.ndarray:
        x, y = self.data.x, self.data.y
        seg = np.empty((x.size, 2, 2))
        seg[:, 0, 0] = x
        seg[:, 1, 0] = x
        seg[:, 0, 1] = y
        seg[:, 1, 1] = snap.predictions
        return seg

    def _surface(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        from lossdesk.model import line_loss_surface

        return line_loss_surface(x, y, self.loss, self.w_grid, self.b_grid, **self.params)

    def _draw_contours(self, z: np.ndarray) -> None:
        lo, hi = float(z.min()), float(np.percentile(z, 95))
        self.image.set_data(z.T)
        self.image.set_clim(lo, hi if hi > lo else lo + 1.0)
        if self.contours is not None:
            self.contours.remove()
        levels = lo + (hi - lo) * np.linspace(0.03, 1.0, CONTOUR_LEVELS) ** 2  # as the app chooses them
        self.contours = self.ax_surf.contour(self.w_grid, self.b_grid, z.T, levels=levels, colors="white",
                                             linewidths=1, alpha=0.6)

    def frame(self, row: int, x_row: float, y_new: float) -> None:
        """One drag frame: new data, the same numbers as the app, every artist updated, full draw."""
        from lossdesk.model import best_line
        from lossdesk.model.snapshot import regression_snapshot

        self.data = data = self.data.with_row(row, {"x": x_row, "y": y_new})
        x, y = data.x, data.y
        snap = regression_snapshot(data, self.loss, self.params, self.w, self.b)
        best = best_line(x, y, self.loss, **self.params)
        best_cost = regression_snapshot(data, self.loss, self.params, *best).cost
        self._draw_contours(self._surface(x, y))
        self.points.set_offsets(np.column_stack([x, y]))
        self.segments.set_segments(self._segments(snap))
        self.segments.set_array(snap.losses)
        self.segments.set_clim(0, float(snap.losses.max()))
        xs = np.array(self.xlim)
        self.line.set_data(xs, self.w * xs + self.b)
        self.best_line.set_data(xs, best[0] * xs + best[1])
        self.optimum.set_data([best[0]], [best[1]])
        self.handle.set_data([self.w], [self.b])
        self.hist.set_data(snap.histogram_counts, snap.histogram_edges)
        self.mean.set_xdata([snap.mean_residual] * 2)
        self.median.set_xdata([snap.median_residual] * 2)
        self.bars.set_data(snap.losses)
        self.cost.set_ydata([snap.cost] * 2)
        self.cost_text.set_y(snap.cost)
        self.cost_text.set_text(f"cost = {snap.cost:.4g}")
        self.curve.set_data([0], [snap.cost])
        self.head.set_data([0], [snap.cost])
        self.best_cost.set_ydata([best_cost] * 2)
        self.canvas.draw()


def bench_matplotlib(n: int, window_rect, size_px, widths, heights, args, log) -> Result:
    data = make_data(n)
    mpl = MatplotlibFrame(data, window_rect, size_px, widths, heights)
    row = int(np.argmin(np.abs(data.x - 1.0)))
    x_row, y_row = float(data.x[row]), float(data.y[row])
    res = Result("drag point", n)
    for k in range(args.warmup):
        mpl.frame(row, x_row, y_row + 0.1 * k)
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    for k in range(args.frames):
        y_k = y_row + 2.5 * np.sin(2 * np.pi * k / 48) + 1e-6 * k
        t = time.perf_counter()
        mpl.frame(row, x_row, float(y_k))
        res.times.append((time.perf_counter() - t) * 1e3)
        if time.perf_counter() - started > args.max_seconds and len(res.times) >= 10:
            break
    log(f"  matplotlib drag N={n_label(n)}: {fmt(res.median)} ms ({len(res.times)} frames)")
    return res


# ---------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e3,1e4", help="numbers of points, comma-separated (default 1e3,1e4)")
    parser.add_argument("--big", action="store_true", help="also time N = 1e5 (slow)")
    parser.add_argument("--frames", type=int, default=100, help="timed frames per case (default 100)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed frames before each case (default 5)")
    parser.add_argument("--max-seconds", type=float, default=6.0,
                        help="stop a case after this long once it has 10 frames (default 6)")
    parser.add_argument("--window", default=None, metavar="WxH",
                        help="window size (default: the app's default size)")
    parser.add_argument("--no-matplotlib", action="store_true", help="skip the matplotlib comparison")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of 20 drag frames at the largest N")
    args = parser.parse_args(argv)
    sizes = sorted({int(float(s)) for s in args.sizes.split(",") if s.strip()} | ({100_000} if args.big else set()))

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    import pyqtgraph as pg

    from lossdesk.cli import DEFAULT_SIZE, parse_options
    from lossdesk.model.results.regression import SURFACE_SIZE
    from lossdesk.qt.app import build_window
    from lossdesk.qt.theme import configure_pyqtgraph

    configure_pyqtgraph()
    cli = ["--size", args.window] if args.window else []
    window = build_window(parse_options(cli))
    window.confirm_close = False  # no "save changes?" question when the benchmark closes it
    window.show()
    for _ in range(5):
        app.processEvents()
    explorer = window.explorer
    views = {name: getattr(explorer, f"{name}_view") for name in VIEW_NAMES}
    probe = PaintProbe(views)
    gc_counter = GcCounter()
    gc.callbacks.append(gc_counter)

    asked = args.window or "x".join(map(str, DEFAULT_SIZE)) + " (the app's default)"
    size = window.size()
    view_sizes = ", ".join(f"{name} {vp.width()}×{vp.height()}" for name, vp in probe.viewports.items())
    print("lossdesk frame speed")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, PySide6 {pyside_version} (Qt {qVersion()}), "
          f"pyqtgraph {pg.__version__}, {os.cpu_count()} CPUs, platform {app.platformName()}")
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        note = "  (other work is running: timings may be noisy)" if load > 0.5 else ""
        print(f"load average at start: {load:.2f}{note}")
    print(f"window: asked {asked}, got {size.width()}×{size.height()}; plots (px): {view_sizes}")
    print(f"loss MSE, surface {SURFACE_SIZE}×{SURFACE_SIZE}; gc: collect() + freeze() after loading each "
          "data set, collector left on (as lossdesk.qt.app.run does)")
    print(check_repaint(app, window, explorer, probe))
    print()

    lossdesk_results: list[Result] = []
    mpl_results: dict[int, Result] = {}
    mpl_size = (0, 0)
    for n in sizes:
        results, window_rect = bench_lossdesk(app, window, n, args, gc_counter, probe, log)
        lossdesk_results.extend(results)
        if not args.no_matplotlib:
            geo = {name: v.widget.geometry() for name, v in views.items()}
            rects = [v.widget.rect().translated(v.widget.mapTo(window, v.widget.rect().topLeft()))
                     for v in views.values()]
            union = rects[0]
            for r in rects[1:]:
                union = union.united(r)
            widths = {name: g.width() for name, g in geo.items()}
            heights = (geo["data"].height(), geo["hist"].height())
            mpl_size = (union.width(), union.height())
            mpl_results[n] = bench_matplotlib(n, window_rect, mpl_size, widths, heights, args, log)
    if args.profile:
        log("  profiling …")
        profile_text = profile_drag(app, window, probe, max(sizes), 20, 25)
    window.close()

    # ------------------------------------------------------------------ report
    print("1. lossdesk: handler + repaint of the whole window (ms); "
          "'loop only' paints just what the app marked dirty")
    headers = ["case", "N", "frames", "median", "p90", "loop only", "handler", *VIEW_NAMES,
               "all 5 painted", "late", "gc runs"]
    rows = []
    for r in lossdesk_results:
        rows.append([r.case, n_label(r.n), str(len(r.times)), fmt(r.median), fmt(pct(r.times, 90)),
                     fmt(pct(r.loop_times, 50)), fmt(pct(r.handler, 50)),
                     *(fmt(pct(r.view_paint.get(name, []), 50)) if r.view_paint.get(name) else "–"
                       for name in VIEW_NAMES),
                     f"{r.all_painted}/{len(r.times)}", str(r.late_paints), str(r.gc_runs)])
    print(table(headers, rows, left=1))
    print("   handler = settings change up to the views' setData (model maths included); data … curve = median "
          "paintEvent of each plot;\n   all 5 painted = frames in which every plot was repainted in full inside "
          "the timer; late = plot paints after it (should be 0)")
    print()
    if mpl_results:
        import matplotlib

        print(f"2. the drag frame in matplotlib {matplotlib.__version__} (Agg, {mpl_size[0]}×{mpl_size[1]} px, "
              "the size of the five plots; artists updated in place, contours redrawn, fig.canvas.draw())")
        rows = []
        for n, m in mpl_results.items():
            ours = next(r for r in lossdesk_results if r.n == n and r.case == "drag point")
            rows.append([n_label(n), str(len(m.times)), fmt(m.median), fmt(pct(m.times, 90)), fmt(ours.median),
                         f"{m.median / ours.median:.1f}×"])
        print(table(["N", "frames", "median", "p90", "lossdesk median", "matplotlib / lossdesk"], rows, left=0))
        print()

    print("3. targets (design notes §4)")
    ok_all = True

    def verdict(ok: bool) -> str:
        nonlocal ok_all
        ok_all &= ok
        return "PASS" if ok else "FAIL"

    at = {r.case: r for r in lossdesk_results if r.n == TARGET_N}
    if at:
        drag = at["drag point"]
        painted = drag.all_painted == len(drag.times) and drag.late_paints == 0
        print(f"{verdict(drag.median <= FRAME_BUDGET_MS and painted)}  drag, N=1e4, {SURFACE_SIZE}² surface, all "
              f"views repainted ({drag.all_painted}/{len(drag.times)} frames): median {fmt(drag.median)} ms "
              f"(target ≤ {FRAME_BUDGET_MS} ms)")
        for name in ("w slider", "b slider"):
            r = at[name]
            print(f"{verdict(r.median <= SLIDER_BUDGET_MS)}  {name}, N=1e4: median {fmt(r.median)} ms "
                  f"(target ≤ {SLIDER_BUDGET_MS:g} ms)")
        if TARGET_N in mpl_results:
            ratio = mpl_results[TARGET_N].median / drag.median
            print(f"{verdict(ratio >= MIN_SPEEDUP)}  drag, N=1e4: matplotlib / lossdesk = {ratio:.1f}× "
                  f"(target ≥ {MIN_SPEEDUP:g}×)")
    else:
        print("(no N = 1e4 run: targets not checked)")
    if args.profile:
        print()
        print(f"4. cProfile of 20 drag frames at N={n_label(max(sizes))} (settings change + full-window paint)")
        print(profile_text)
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
