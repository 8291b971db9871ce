"""Issue 13's speed figures: explorer frames, matplotlib (plain and blitting), stalls, other tabs, start-up.

Run from the repository root (see benchmarks/README.md for every option)::

    python benchmarks/frame_speed.py --platform offscreen --json /tmp/offscreen.json
    python benchmarks/frame_speed.py --platform xcb --json /tmp/xcb.json     # under Xvfb
    python benchmarks/frame_speed.py --app-root /tmp/before --sizes 20,1e3,1e4,1e5 --frames 15

The script builds lossdesk's main window as the app does (``build_window``), shows it,
loads a regression data set of N points (x ~ U(−3, 3), y = 1.5·x + 0.5 + noise), keeps
the loss at MSE and the surface at the app's grid, then times frames:

* **drag**: ``history.preview(v.with_source(v.source.edited(v.data.with_row(row, {"x": x,
  "y": y_k}))))`` with a new y every frame, between ``history.begin_live()`` (and the
  point selected) and ``history.end_live("Move point")``, as the explorer's handlers of
  a mouse drag do;
* **w slider** / **b slider**: ``controls.w.slider.setValue(k)`` (and b), as a user moving
  the slider.

Each is timed as the handler plus a repaint of the whole window (see ``WindowFrame``) and as
the handler plus the event-loop passes painting only what the app dirtied ("loop only", the
figure of the issue's table). The garbage collector is handled as in
``lossdesk.qt.app.run``: ``gc.collect(); gc.freeze()`` once the window and data are loaded.

The same drag frame is then drawn with matplotlib (Agg, a benchmark-only dependency):
``MatplotlibFrame`` updates artists in place and draws the figure; ``BlitFrame`` is the
tuned version (a cached background, animated artists only, contour lines from contourpy).
Both compute through the same model layer (``regression_snapshot``, ``line_loss_surface``,
``best_line``). Then a stall probe (``Heartbeat``: a 5 ms timer's longest gap while switching
to each regression loss and dragging), the Classification tab's θ change at N = 1e4, the
descent lab's ticks/s with six optimizers, and start-up to the first painted window
(``first_paint.py`` in a subprocess). It ends with the issue's target table; ``--json``
writes it (``build_figures``). Times are wall-clock milliseconds; other busy programs skew them.
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
DEFAULT_WINDOW = "1366x768"  # a school laptop's screen; offscreen's own screen is only 800×600
HEARTBEAT_MS = 5  # the stall probe's timer
XVFB_SCREEN = "-screen 0 1920x1080x24"
SECTIONS = ("matplotlib", "blit", "stalls", "classification", "descent", "startup")
DEFAULT_MPL_PATH = "/tmp/bench-mpl"  # pip install --target … matplotlib: the benchmark's own copy


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


def table(headers: list[str], rows: list[list[str]], left: int = 1, left_last: bool = False) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        last = len(cells) - 1
        return "  ".join(c.ljust(w) if i < left or (left_last and i == last) else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def n_label(n: int) -> str:
    return f"{n:.0e}".replace("e+0", "e")


def drag_to(history, row: int, x: float, y: float) -> None:
    """One frame of a drag: the point at ``row`` moved to (x, y), previewed without an undo step."""
    v = history.store.value
    history.preview(v.with_source(v.source.edited(v.data.with_row(row, {"x": x, "y": y}))))


SURFACE_SHOWN: dict[int, str] = {}  # N → the surface grid the explorer showed after its drag frames


def shown_surface(explorer) -> str:
    """The grid of the surface image the explorer shows now, e.g. "128×128" ("?" if it cannot be read)."""
    try:
        shape = explorer.surface_view.image.image.shape
        return f"{shape[0]}×{shape[1]}"
    except AttributeError:
        return "?"


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


def load_points(app, explorer, n: int):
    """The explorer on ``n`` generated points, with no undo history, after the paints it causes."""
    data = make_data(n)
    explorer.load_data(data, "bench")
    explorer.history.undo_stack.clear()
    for _ in range(3):
        app.processEvents()
    gc.collect()
    return data


def bench_lossdesk(app, window, n: int, args, gc_counter: GcCounter, probe: PaintProbe,
                   log: Callable[[str], None]) -> tuple[list[Result], object]:
    explorer = window.explorer
    data = load_points(app, explorer, n)
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
    SURFACE_SHOWN[n] = shown_surface(explorer)
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

    def _numbers(self, row: int, x_row: float, y_new: float):
        """The point moved, and the numbers the app shows for it: (x, y, snapshot, best line, best cost)."""
        from lossdesk.model import best_line
        from lossdesk.model.snapshot import regression_snapshot

        self.data = data = self.data.with_row(row, {"x": x_row, "y": y_new})
        x, y = data.x, data.y
        snap = regression_snapshot(data, self.loss, self.params, self.w, self.b)
        best = best_line(x, y, self.loss, **self.params)
        return x, y, snap, best, regression_snapshot(data, self.loss, self.params, *best).cost

    def _show_numbers(self, snap, best, best_cost) -> None:
        """The artists both versions update the same way: best line, histogram, cost lines, curve."""
        xs = np.array(self.xlim)
        self.best_line.set_data(xs, best[0] * xs + best[1])
        self.optimum.set_data([best[0]], [best[1]])
        self.hist.set_data(snap.histogram_counts, snap.histogram_edges)
        self.mean.set_xdata([snap.mean_residual] * 2)
        self.median.set_xdata([snap.median_residual] * 2)
        self.cost.set_ydata([snap.cost] * 2)
        self.cost_text.set_y(snap.cost)
        self.cost_text.set_text(f"cost = {snap.cost:.4g}")
        self.curve.set_data([0], [snap.cost])
        self.head.set_data([0], [snap.cost])
        self.best_cost.set_ydata([best_cost] * 2)

    def frame(self, row: int, x_row: float, y_new: float) -> None:
        """One drag frame: new data, the same numbers as the app, every artist updated, full draw."""
        x, y, snap, best, best_cost = self._numbers(row, x_row, y_new)
        self._draw_contours(self._surface(x, y))
        self.points.set_offsets(np.column_stack([x, y]))
        self.segments.set_segments(self._segments(snap))
        self.segments.set_array(snap.losses)
        self.segments.set_clim(0, float(snap.losses.max()))
        xs = np.array(self.xlim)
        self.line.set_data(xs, self.w * xs + self.b)
        self.handle.set_data([self.w], [self.b])
        self.bars.set_data(snap.losses)
        self._show_numbers(snap, best, best_cost)
        self.canvas.draw()


def bench_matplotlib(n: int, window_rect, size_px, widths, heights, args, log, blit: bool = False) -> Result:
    """Drag frames drawn by matplotlib: artists updated and the figure drawn, or (``blit``) ``BlitFrame``."""
    data = make_data(n)
    row = int(np.argmin(np.abs(data.x - 1.0)))
    if blit:
        mpl = BlitFrame(data, row, window_rect, size_px, widths, heights)
    else:
        mpl = MatplotlibFrame(data, window_rect, size_px, widths, heights)
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
    log(f"  matplotlib{' blitting' if blit else ''} drag N={n_label(n)}: {fmt(res.median)} ms "
        f"({len(res.times)} frames)")
    return res


# ---------------------------------------------------------------------------- tuned matplotlib (blitting)
class BlitFrame(MatplotlibFrame):
    """The tuned matplotlib version: animated artists blitted over a cached background.

    Everything a drag frame does not change (axes, ticks, labels, legends, every point but
    the dragged one with its segment and bar, the current line and its handle) is drawn once
    and kept as a bitmap (``copy_from_bbox``). A frame restores it (``restore_region``) and
    draws only the animated artists (``draw_artist``): the dragged point, its residual
    segment and loss bar, the surface image (re-rendered because the data changed), its
    contour lines from contourpy as one ``LineCollection``, the best line and its star, the
    histogram with its mean and median, the cost line and text, and the loss curve's point.
    The numbers come from the same model layer as the app's (``regression_snapshot``,
    ``line_loss_surface``, ``best_line``, the same contour levels).
    """

    def __init__(self, data, row: int, *args):
        super().__init__(data, *args)
        from matplotlib.collections import LineCollection
        from matplotlib.patches import Rectangle

        from lossdesk.model.snapshot import regression_snapshot

        self.row = row
        x, y = data.x, data.y
        snap = regression_snapshot(data, self.loss, self.params, self.w, self.b)
        keep = np.arange(x.size) != row
        self.points.set_offsets(np.column_stack([x[keep], y[keep]]))
        self.segments.set_segments(self._segments(snap)[keep])
        self.segments.set_array(snap.losses[keep])
        static_losses = snap.losses.copy()
        static_losses[row] = 0.0
        self.bars.set_data(static_losses)
        self.contours.remove()
        self.contours = LineCollection([], colors="white", linewidths=1, alpha=0.6)
        self.ax_surf.add_collection(self.contours)
        (self.drag_seg,) = self.ax_data.plot([x[row], x[row]], [y[row], snap.predictions[row]], color="#CC79A7",
                                             lw=2.5)
        (self.drag_pt,) = self.ax_data.plot([x[row]], [y[row]], "o", ms=6, mfc="white", mec="#222222", zorder=4)
        self.drag_bar = Rectangle((row - 0.5, 0), 1.0, snap.losses[row], color="#CC79A7", alpha=0.6)
        self.ax_loss.add_patch(self.drag_bar)
        self.animated = [self.image, self.contours, self.optimum, self.handle, self.drag_seg, self.drag_pt,
                         self.best_line, self.line, self.hist, self.mean, self.median, self.drag_bar, self.cost,
                         self.cost_text, self.curve, self.head, self.best_cost]
        for artist in self.animated:
            artist.set_animated(True)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def _contour_lines(self, z: np.ndarray) -> list[np.ndarray]:
        from contourpy import LineType, contour_generator

        lo, hi = float(z.min()), float(np.percentile(z, 95))
        levels = lo + (hi - lo) * np.linspace(0.03, 1.0, CONTOUR_LEVELS) ** 2
        gen = contour_generator(self.w_grid, self.b_grid, z.T, line_type=LineType.Separate)
        lines: list[np.ndarray] = []
        for level in levels:
            lines.extend(gen.lines(level))
        self.image.set_data(z.T)
        self.image.set_clim(lo, hi if hi > lo else lo + 1.0)
        return lines

    def frame(self, row: int, x_row: float, y_new: float) -> None:
        x, y, snap, best, best_cost = self._numbers(row, x_row, y_new)
        self.contours.set_segments(self._contour_lines(self._surface(x, y)))
        self.drag_pt.set_data([x_row], [y_new])
        self.drag_seg.set_data([x_row, x_row], [y_new, snap.predictions[row]])
        self.drag_bar.set_height(snap.losses[row])
        self._show_numbers(snap, best, best_cost)
        self.canvas.restore_region(self.background)
        for artist in self.animated:
            artist.axes.draw_artist(artist)
        self.canvas.blit(self.fig.bbox)


# ---------------------------------------------------------------------------- stall probe
class Heartbeat:
    """A 5 ms heartbeat ``QTimer``: the longest gap between its beats is the longest stall.

    ``run(actions)`` starts the heartbeat, runs each action from the event loop (one every
    ``spacing_ms`` after the last one returned, as mouse moves arrive), waits ``settle_ms``
    for the paints and any queued work, and returns the longest gap in ms between
    consecutive beats (the start and the end count as beats).
    """

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.beats: list[float] = []

    def _beat(self) -> None:
        self.beats.append(time.perf_counter())

    def run(self, actions: list[Callable[[], None]], spacing_ms: int = 20, settle_ms: int = 150) -> float:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        pending = list(actions)

        def next_action() -> None:
            if pending:
                pending.pop(0)()
                QTimer.singleShot(spacing_ms, next_action)
            else:
                QTimer.singleShot(settle_ms, loop.quit)

        self.beats = []
        start = time.perf_counter()
        self.timer.start()
        QTimer.singleShot(spacing_ms, next_action)
        loop.exec()
        self.timer.stop()
        return float(np.max(np.diff([start, *self.beats, time.perf_counter()]))) * 1e3


def bench_stalls(app, window, args, log) -> tuple[dict, list[str]]:
    """Longest stall per (loss, N, gesture): switching to the loss, then a drag of a few moves."""
    from lossdesk.model.losses import REGRESSION_LOSSES

    explorer = window.explorer
    store = explorer.store
    beat = Heartbeat()
    stalls: dict[tuple[str, int, str], float] = {}
    skipped: list[str] = []
    given_up: set[str] = set()
    for n in sorted(int(float(s)) for s in args.stall_sizes.split(",") if s.strip()):
        store.update(loss="mse")
        app.processEvents()
        data = load_points(app, explorer, n)
        row = int(np.argmin(np.abs(data.x - 1.0)))
        x_row, y_row = float(data.x[row]), float(data.y[row])
        for loss in REGRESSION_LOSSES:
            if loss in given_up:
                skipped.append(f"{loss} N={n_label(n)}")
                continue
            if loss != "mse":
                stalls[(loss, n, "switch")] = beat.run([lambda loss=loss: store.update(loss=loss)])
            moves = [lambda: begin_drag(explorer, row)]
            for k in range(args.stall_moves):
                moves.append(lambda k=k: drag_to(explorer.history, row, x_row, y_row + 0.5 * (k + 1)))
            moves.append(lambda: end_drag(explorer))
            stalls[(loss, n, "drag")] = beat.run(moves)
            explorer.history.undo_stack.undo()  # the data as loaded, for the next loss
            worst = max(v for (lo, nn, _), v in stalls.items() if lo == loss and nn == n)
            log(f"  stall {loss} N={n_label(n)}: switch {fmt(stalls.get((loss, n, 'switch'), 0.0))} ms, "
                f"drag {fmt(stalls[(loss, n, 'drag')])} ms")
            if worst > args.stall_give_up * 1e3:
                given_up.add(loss)  # larger N is slower still: not worth minutes of waiting
            store.update(loss="mse")
            app.processEvents()
    return stalls, skipped


# ---------------------------------------------------------------------------- classification
def bench_classification(app, window, args, log) -> dict[int, Result]:
    """A new θ in the classification settings at N = 1e4 (one and two features), Qt painting what is dirty."""
    from types import SimpleNamespace

    import pyqtgraph as pg

    from lossdesk.model import ClassificationData

    window.set_tab("classification")
    for _ in range(3):
        app.processEvents()
    tab = window.classification
    store = tab.store
    plots = [p for p in tab.findChildren(pg.PlotWidget) if p.isVisible()]
    probe = PaintProbe({f"cls{i}": SimpleNamespace(widget=p) for i, p in enumerate(plots)})
    frame = WindowFrame(app, window, probe)
    rng = np.random.default_rng(SEED)
    out: dict[int, Result] = {}
    for features in (1, 2):
        labels = rng.integers(0, 2, TARGET_N)
        x = rng.normal(size=(TARGET_N, features)) + (2 * labels[:, None] - 1)
        tab.load_data(ClassificationData(x, labels, 2, name="bench"), "bench")
        for _ in range(3):
            app.processEvents()
        gc.collect()
        theta = list(store.value.theta)
        res = Result(f"classification θ, {features} feature{'s' if features > 1 else ''}", TARGET_N)
        started = time.perf_counter()
        for k in range(args.warmup + args.frames):
            theta[0] = 0.5 + 0.02 * k  # a shown parameter: the surface itself stays
            t, _ = frame.run(lambda th=tuple(theta): store.set(store.value.with_theta(th)), loop_only=True)
            if k >= args.warmup:
                res.loop_times.append(t)
            if time.perf_counter() - started > args.max_seconds and len(res.loop_times) >= 10:
                break
        out[features] = res
        log(f"  classification θ change, {features} feature(s), N=1e4: {fmt(pct(res.loop_times, 50))} ms")
    window.set_tab("regression")
    for _ in range(3):
        app.processEvents()
    return out


# ---------------------------------------------------------------------------- descent lab
def bench_descent(app, window, args, log) -> tuple[float, str]:
    """Ticks per second of the descent lab's own timer with all six optimizers racing, tab in front."""
    from dataclasses import replace

    from PySide6.QtCore import QEventLoop, QTimer

    from lossdesk.model import OPTIMIZERS

    window.set_tab("descent")
    for _ in range(3):
        app.processEvents()
    tab = window.descent_lab
    window.descent_store.set(replace(window.descent_store.value, racing=tuple(OPTIMIZERS)))
    for _ in range(3):
        app.processEvents()
    valley = getattr(tab, "valley", None)
    shown = bool(valley is not None and getattr(valley, "available", False) and valley.isVisible())
    note = (f"3-D view shown ({app.platformName()})" if shown else
            f"3-D view not available on {app.platformName()}: {getattr(valley, 'problem', '?')}")
    ticks = {"n": 0}

    def count() -> None:
        ticks["n"] += 1

    tab.timer.timeout.connect(count)
    running = {"s": 0.0, "since": None}

    def check() -> None:  # a finished race plays again, so the lab keeps ticking
        if not tab.playing:
            tab.set_playing(True)

    checker = QTimer()
    checker.setInterval(100)
    checker.timeout.connect(check)
    tab.set_playing(True)
    loop = QEventLoop()
    QTimer.singleShot(int(args.descent_seconds * 1e3), loop.quit)
    started = time.perf_counter()
    checker.start()
    loop.exec()
    elapsed = time.perf_counter() - started
    checker.stop()
    tab.set_playing(False)
    tab.timer.timeout.disconnect(count)
    del running
    window.set_tab("regression")
    for _ in range(3):
        app.processEvents()
    rate = ticks["n"] / elapsed
    log(f"  descent lab, six optimizers: {rate:.1f} ticks/s ({note})")
    return rate, note


# ---------------------------------------------------------------------------- start-up
def bench_startup(args, log) -> tuple[float, float, str]:
    """Median seconds from starting a process to lossdesk's first painted window, and --screenshot wall time."""
    import subprocess
    import tempfile

    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ)
    root = os.path.abspath(args.app_root) if args.app_root else os.getcwd()
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    firsts, shots = [], []
    where = ""
    with tempfile.TemporaryDirectory(prefix="lossdesk-bench-") as tmp:
        for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[key] = os.path.join(tmp, key.lower())
        for _ in range(args.startup_runs):
            t = time.perf_counter()
            proc = subprocess.Popen([sys.executable, os.path.join(here, "first_paint.py"), "--app-root", root],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            line = proc.stdout.readline()  # printed right after the first paint pass
            wall = time.perf_counter() - t
            proc.communicate(timeout=120)
            if line.startswith("painted"):
                firsts.append(wall)
                where = line.split("lossdesk", 1)[1].strip()
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lossdesk", "--screenshot", os.path.join(tmp, "shot.png")],
                           env=env, capture_output=True, timeout=120, cwd=tmp)
            shots.append(time.perf_counter() - t)
    first = pct(firsts, 50) if firsts else float("nan")
    shot = pct(shots, 50)
    log(f"  start-up: first paint {first:.2f} s (the process's wall time to it), "
        f"--screenshot {shot:.2f} s, lossdesk from {where}")
    return first, shot, where


# ---------------------------------------------------------------------------- the table, as JSON
#: one row per line of issue 13's target table: key, name, unit, target, which way is better
TARGETS = (
    ("drag_1e4", "drag frame median, N = 1e4, 128² surface", "ms", 16.7, "lower"),
    ("drag_1e5", "drag frame median, N = 1e5, 256² surface", "ms", 33.0, "lower"),
    ("drag_20", "drag frame median, N = 20", "ms", 10.0, "lower"),
    ("slider", "w/b slider frame, every N", "ms", 8.0, "lower"),
    ("vs_blit", "lossdesk vs the tuned matplotlib blitting version, drag, same run, N = 1e3/1e4/1e5",
     "×", 1.5, "higher"),
    ("vs_artists", "lossdesk vs matplotlib artist updates, same run", "×", 6.0, "higher"),
    ("stall", "longest event-loop stall, heartbeat timer, while dragging and when switching loss, "
     "every regression loss, N ≤ 1e5", "ms", 50.0, "lower"),
    ("classification", "classification parameter change, N = 1e4", "ms", 16.7, "lower"),
    ("descent", "descent lab, six optimizers, with the 3-D view shown on software GL", "ticks/s", 60.0, "higher"),
    ("first_paint", "first painted window", "s", 1.5, "lower"),
)


def build_figures(measured: dict[str, tuple[float | None, str]], load: float | None, **meta) -> dict:
    """The JSON document of ``--json``: every row of the target table, measured or not.

    ``measured`` maps a row's key (``TARGETS``) to (value or None, note). ``met`` is
    value ≤ target (or ≥ for the "higher" rows), and false for a row not measured
    (value null). ``meta`` (platform, app root, …) is kept under ``"run"``.
    """
    figures = []
    for key, name, unit, target, better in TARGETS:
        value, note = measured.get(key, (None, "not measured in this run"))
        ok = value is not None and bool(np.isfinite(value))
        if ok:
            value = round(float(value), 4)
        met = ok and (value <= target if better == "lower" else value >= target)
        figures.append({"key": key, "name": name, "value": value if ok else None, "unit": unit, "target": target,
                        "better": better, "met": bool(met), "note": note})
    return {"load": None if load is None else round(float(load), 2), "run": meta, "figures": figures}


# ---------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e3,1e4", help="numbers of points, comma-separated (default 1e3,1e4)")
    parser.add_argument("--big", action="store_true", help="also time N = 1e5 (slow)")
    parser.add_argument("--frames", type=int, default=100, help="timed frames per case (default 100)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed frames before each case (default 5)")
    parser.add_argument("--max-seconds", type=float, default=6.0,
                        help="stop a case after this long once it has 10 frames (default 6)")
    parser.add_argument("--window", default=DEFAULT_WINDOW, metavar="WxH",
                        help=f"window size (default {DEFAULT_WINDOW}, the same offscreen and under Xvfb; "
                             "'app' leaves the app's own choice)")
    parser.add_argument("--no-matplotlib", action="store_true", help="skip both matplotlib comparisons")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of 20 drag frames at the largest N")
    parser.add_argument("--platform", choices=("offscreen", "xcb"), default=None,
                        help="offscreen, or xcb under a fresh Xvfb (xvfb-run) — default: QT_QPA_PLATFORM as set")
    parser.add_argument("--app-root", default=None, metavar="DIR",
                        help="import lossdesk from DIR (a checkout), e.g. a pristine copy of an older commit")
    parser.add_argument("--json", default=None, metavar="OUT",
                        help="write the issue's target table (every figure with its target) as JSON")
    parser.add_argument("--mpl-path", default=DEFAULT_MPL_PATH, metavar="DIR",
                        help="a directory holding matplotlib (pip install --target DIR matplotlib), "
                             f"appended to sys.path (default {DEFAULT_MPL_PATH}); an installed one works too")
    parser.add_argument("--skip", default="", metavar="LIST",
                        help=f"sections to leave out, comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--only", default="", metavar="LIST",
                        help=f"run just these sections, comma-separated ({', '.join(SECTIONS)}), "
                             "without the explorer's frames: e.g. --only classification")
    parser.add_argument("--stall-sizes", default="1e4,1e5", help="N for the stall probe (default 1e4,1e5)")
    parser.add_argument("--stall-moves", type=int, default=3, help="drag moves per loss in the stall probe")
    parser.add_argument("--stall-give-up", type=float, default=2.0, metavar="S",
                        help="a loss whose stall passed S seconds is not probed at larger N (default 2)")
    parser.add_argument("--descent-seconds", type=float, default=3.0, help="how long the descent lab plays")
    parser.add_argument("--startup-runs", type=int, default=3, help="start-up runs (median reported)")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(SECTIONS)
    if unknown:
        parser.error(f"unknown --skip section(s): {', '.join(sorted(unknown))}")
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if only - set(SECTIONS):
        parser.error(f"unknown --only section(s): {', '.join(sorted(only - set(SECTIONS)))}")
    if only:
        args.skip |= set(SECTIONS) - only
        args.sizes, args.big = "", False  # the explorer's frames are left out too
    if args.no_matplotlib:
        args.skip |= {"matplotlib", "blit"}
    return args


def relaunch_under_xvfb(argv: list[str] | None) -> int:
    """Run this script again inside ``xvfb-run`` with the xcb platform; its exit code."""
    import subprocess

    env = dict(os.environ, QT_QPA_PLATFORM="xcb", LOSSDESK_BENCH_UNDER_XVFB="1")
    cmd = ["xvfb-run", "-a", "-s", XVFB_SCREEN, sys.executable, os.path.abspath(__file__),
           *(sys.argv[1:] if argv is None else argv)]
    return subprocess.run(cmd, env=env).returncode


def isolate_settings() -> None:
    """QSettings, autosave and recovery files in a temporary home: a user's own settings change nothing."""
    import tempfile

    home = tempfile.mkdtemp(prefix="lossdesk-bench-")
    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[key] = os.path.join(home, key.lower())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.platform == "xcb" and not os.environ.get("LOSSDESK_BENCH_UNDER_XVFB"):
        return relaunch_under_xvfb(argv)
    if args.platform is not None:
        os.environ["QT_QPA_PLATFORM"] = args.platform
    if args.app_root:
        sys.path.insert(0, os.path.abspath(args.app_root))
    if args.mpl_path and os.path.isdir(args.mpl_path):
        sys.path.append(os.path.abspath(args.mpl_path))  # last: the venv's numpy and contourpy win
    isolate_settings()
    sizes = sorted({int(float(s)) for s in args.sizes.split(",") if s.strip()} | ({100_000} if args.big else set()))

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("lossdesk")
    app.setOrganizationName("lossdesk")
    import pyqtgraph as pg

    import lossdesk
    import lossdesk.cli
    from lossdesk.cli import parse_options
    from lossdesk.qt.app import build_window
    from lossdesk.qt.theme import configure_pyqtgraph

    configure_pyqtgraph()
    if args.window == "app":
        args.window = None
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

    default_size = getattr(lossdesk.cli, "DEFAULT_SIZE", None)
    asked = args.window or ("x".join(map(str, default_size)) if default_size else "fit to the screen") + \
        " (the app's default)"
    size = window.size()
    view_sizes = ", ".join(f"{name} {vp.width()}×{vp.height()}" for name, vp in probe.viewports.items())
    print("lossdesk frame speed")
    print(f"lossdesk from {os.path.dirname(lossdesk.__file__)}")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, PySide6 {pyside_version} (Qt {qVersion()}), "
          f"pyqtgraph {pg.__version__}, {os.cpu_count()} CPUs, platform {app.platformName()}")
    if load_at_start is not None:
        note = "  (other work is running: timings may be noisy)" if load_at_start > 0.5 else ""
        print(f"load average at start: {load_at_start:.2f}{note}")
    print(f"window: asked {asked}, got {size.width()}×{size.height()}; plots (px): {view_sizes}")
    print(f"loss MSE, surface shown at start {shown_surface(explorer)}; gc: collect() + freeze() after loading each "
          "data set, collector left on (as lossdesk.qt.app.run does)")
    print(check_repaint(app, window, explorer, probe))
    print()

    start_settings = window.reg_store.value  # the app's start-up data, for the descent lab

    lossdesk_results: list[Result] = []
    mpl_results: dict[int, Result] = {}
    blit_results: dict[int, Result] = {}
    mpl_size = (0, 0)
    for n in sizes:
        results, window_rect = bench_lossdesk(app, window, n, args, gc_counter, probe, log)
        lossdesk_results.extend(results)
        if not {"matplotlib", "blit"} <= args.skip:
            geo = {name: v.widget.geometry() for name, v in views.items()}
            rects = [v.widget.rect().translated(v.widget.mapTo(window, v.widget.rect().topLeft()))
                     for v in views.values()]
            union = rects[0]
            for r in rects[1:]:
                union = union.united(r)
            widths = {name: g.width() for name, g in geo.items()}
            heights = (geo["data"].height(), geo["hist"].height())
            mpl_size = (union.width(), union.height())
            if "matplotlib" not in args.skip:
                mpl_results[n] = bench_matplotlib(n, window_rect, mpl_size, widths, heights, args, log)
            if "blit" not in args.skip:
                blit_results[n] = bench_matplotlib(n, window_rect, mpl_size, widths, heights, args, log, blit=True)
    if args.profile:
        log("  profiling …")
        profile_text = profile_drag(app, window, probe, max(sizes), 20, 25)
    stalls: dict = {}
    stall_skipped: list[str] = []
    if "stalls" not in args.skip:
        stalls, stall_skipped = bench_stalls(app, window, args, log)
    # the other tabs last: showing the 3-D valley (an OpenGL widget) must not slow the explorer's frames
    classification: dict[int, Result] = {}
    if "classification" not in args.skip:
        classification = bench_classification(app, window, args, log)
    descent = (None, "skipped")
    if "descent" not in args.skip:  # on the app's own start-up data, as a teacher opens the lab
        window.reg_store.set(start_settings)
        descent = bench_descent(app, window, args, log)
    window.close()
    startup = (float("nan"), float("nan"), "")
    if "startup" not in args.skip:
        startup = bench_startup(args, log)

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
    if mpl_results or blit_results:
        import matplotlib

        print(f"2. the drag frame in matplotlib {matplotlib.__version__} (Agg, {mpl_size[0]}×{mpl_size[1]} px, "
              "the size of the five plots): 'artists' = artists updated in place, contours redrawn, "
              "fig.canvas.draw(); 'blitting' = the tuned version (BlitFrame); lossdesk = the drag frame, "
              "Qt painting what is dirty")
        rows = []
        for n in sorted(set(mpl_results) | set(blit_results)):
            ours = pct(next(r for r in lossdesk_results if r.n == n and r.case == "drag point").loop_times, 50)
            m, bl = mpl_results.get(n), blit_results.get(n)
            rows.append([n_label(n), fmt(ours), fmt(m.median) if m else "–", f"{m.median / ours:.1f}×" if m else "–",
                         fmt(bl.median) if bl else "–", f"{bl.median / ours:.1f}×" if bl else "–"])
        print(table(["N", "lossdesk", "artists", "artists / lossdesk", "blitting", "blitting / lossdesk"],
                    rows, left=0))
        print()
    if classification:
        print("3. classification tab: a new θ in its settings, N = 1e4, Qt painting what is dirty (ms)")
        print(table(["case", "frames", "median", "p90"],
                    [[r.case, str(len(r.loop_times)), fmt(pct(r.loop_times, 50)), fmt(pct(r.loop_times, 90))]
                     for r in classification.values()]))
        print()
    if stalls:
        print(f"4. stall probe: longest gap of a {HEARTBEAT_MS} ms heartbeat timer (ms)")
        rows = [[loss, n_label(n), gesture, fmt(v)] for (loss, n, gesture), v in stalls.items()]
        print(table(["loss", "N", "gesture", "longest stall"], rows, left=3))
        if stall_skipped:
            print(f"   not probed (a smaller N already stalled over {args.stall_give_up:g} s): "
                  f"{', '.join(stall_skipped)}")
        print()

    # ------------------------------------------------------------------ the target table
    def drag_at(n: int, case: str = "drag point", full: bool = False) -> float | None:
        r = next((r for r in lossdesk_results if r.n == n and r.case == case), None)
        times = (r.times if full else r.loop_times) if r is not None else []
        return pct(times, 50) if times else None

    def missing(what: str) -> tuple[None, str]:
        return None, f"not measured: {what}"

    measured: dict[str, tuple[float | None, str]] = {}
    for key, n in (("drag_1e4", 10_000), ("drag_1e5", 100_000), ("drag_20", 20)):
        v = drag_at(n)
        note = f"surface shown {SURFACE_SHOWN.get(n, '?')}; full-window repaint {fmt(drag_at(n, full=True))} ms" \
            if v is not None else ""
        measured[key] = (v, note) if v is not None else missing(f"N = {n_label(n)} not in --sizes")
    sliders = [(pct(r.loop_times, 50), r.case, r.n) for r in lossdesk_results if r.case.endswith("slider")]
    if sliders:
        worst = max(sliders)
        measured["slider"] = (worst[0], f"worst median: {worst[1]} at N = {n_label(worst[2])}; "
                              f"N = {', '.join(n_label(n) for n in sizes)}")
    for key, res, what in (("vs_blit", blit_results, "blitting"), ("vs_artists", mpl_results, "artists")):
        ratios = {n: m.median / drag_at(n) for n, m in res.items() if n >= 1_000 and drag_at(n)}
        if ratios:
            n_min = min(ratios, key=ratios.get)
            measured[key] = (ratios[n_min], "lowest of " + ", ".join(
                f"N = {n_label(n)}: {r:.2f}×" for n, r in sorted(ratios.items())))
        else:
            measured[key] = missing(f"matplotlib {what} at N ≥ 1e3")
    if stalls:
        (loss, n, gesture), v = max(stalls.items(), key=lambda kv: kv[1])
        note = f"worst: {gesture} with {loss} at N = {n_label(n)}"
        if stall_skipped:
            note += f"; not probed: {', '.join(stall_skipped)} (already over {args.stall_give_up:g} s at smaller N)"
        measured["stall"] = (v, note)
    if classification:
        worst = max(classification.values(), key=lambda r: pct(r.loop_times, 50))
        measured["classification"] = (pct(worst.loop_times, 50), f"worst median: {worst.case}")
    if descent[0] is not None:
        measured["descent"] = descent
    if np.isfinite(startup[0]):
        measured["first_paint"] = (startup[0], f"median of {args.startup_runs} runs, process start to the end of "
                                   f"the first paint pass; python -m lossdesk --screenshot takes {startup[1]:.2f} s")
    doc = build_figures(measured, load_at_start, platform=app.platformName(),
                        app_root=os.path.dirname(os.path.dirname(os.path.abspath(lossdesk.__file__))),
                        sizes=sizes, frames=args.frames, cpus=os.cpu_count(),
                        load_at_end=round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None)
    print(f"5. issue 13's targets (platform {app.platformName()}, load {doc['load']} at start, "
          f"{doc['run']['load_at_end']} at the end)")
    rows = [[("PASS" if f["met"] else "FAIL") if f["value"] is not None else "–", f["name"],
             fmt(f["value"]) if f["value"] is not None else "–", f["unit"],
             ("≤ " if f["better"] == "lower" else "≥ ") + f"{f['target']:g}", f["note"]] for f in doc["figures"]]
    print(table(["", "measure", "value", "unit", "target", "note"], rows, left=2, left_last=True))
    if args.json:
        import json

        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2, ensure_ascii=False)
        print(f"\nwrote {args.json}")
    ok_all = all(f["met"] for f in doc["figures"] if f["value"] is not None)
    if args.profile:
        print()
        print(f"6. cProfile of 20 drag frames at N={n_label(max(sizes))} (settings change + full-window paint)")
        print(profile_text)
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
