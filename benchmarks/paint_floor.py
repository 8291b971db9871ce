"""What painting costs on this machine before lossdesk draws anything: the floor under issue 13's targets.

The explorer's drag frame paints five pyqtgraph plots. This script paints, in one
window of the same size and in the same run, plots of the explorer's sizes:

* ``empty plots``: five PlotWidgets with axes and nothing in them;
* ``one curve each``: the same with a 20-point curve in each;
* ``bare widgets``: five plain QWidgets that fill their area (Qt's own floor);

and, for comparison, the explorer itself with nothing changed. Each frame marks every
view dirty and runs the event loop until the paints are done, as ``frame_speed.py``'s
frames do. Medians in ms; the load average is printed because the machine is shared.

    python benchmarks/paint_floor.py [--frames 60] [--platform offscreen|xcb]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

#: the five plot sizes of the explorer at 1366×768 (px), as frame_speed.py reports them
PLOT_SIZES = ((564, 357), (454, 357), (336, 242), (336, 234), (336, 242))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60, help="timed frames per case (default 60)")
    parser.add_argument("--platform", choices=("offscreen", "xcb"), default=None,
                        help="Qt platform (default: QT_QPA_PLATFORM as set, else offscreen)")
    parser.add_argument("--no-app", action="store_true", help="leave out the explorer itself")
    return parser.parse_args(argv)


def time_frames(app, widgets, frames: int, mark) -> float:
    """Median ms of: mark every widget dirty, then run the event loop until nothing is left to paint."""
    times = []
    for k in range(frames + 3):
        t = time.perf_counter()
        for w in widgets:
            mark(w)
        app.processEvents()
        app.processEvents()
        if k >= 3:  # the first frames lay out and cache
            times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = args.platform or os.environ.get("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="lossdesk-floor-")
    os.environ["XDG_CONFIG_HOME"] = home  # never the user's own preferences
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    import numpy as np
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QApplication, QGridLayout, QWidget
    import pyqtgraph as pg

    app = QApplication.instance() or QApplication(sys.argv[:1])

    class Filled(QWidget):
        def paintEvent(self, event):  # noqa: N802 (Qt naming)
            painter = QPainter(self)
            painter.fillRect(self.rect(), QColor("white"))

    def host(make) -> tuple[QWidget, list]:
        window = QWidget()
        grid = QGridLayout(window)
        items = []
        for k, (w, h) in enumerate(PLOT_SIZES):
            widget = make()
            widget.setFixedSize(w, h)
            grid.addWidget(widget, 0 if k < 2 else 1, k if k < 2 else k - 2)
            items.append(widget)
        window.resize(1366, 768)
        window.show()
        for _ in range(5):
            app.processEvents()
        return window, items

    def plot() -> pg.PlotWidget:
        widget = pg.PlotWidget(background="w")
        for name in ("left", "bottom"):
            widget.getPlotItem().getAxis(name).enableAutoSIPrefix(False)
        return widget

    def plot_with_curve() -> pg.PlotWidget:
        widget = plot()
        x = np.linspace(0, 1, 20)
        widget.plot(x, x ** 2, pen=pg.mkPen("k", width=2), symbol="o")
        return widget

    def mark_plot(widget) -> None:
        widget.scene().update()

    print(f"paint floor, platform {os.environ['QT_QPA_PLATFORM']}, load average {os.getloadavg()[0]:.2f}, "
          f"{os.cpu_count()} CPUs, pyqtgraph {pg.__version__}")
    rows = []
    for name, make, mark in (("bare widgets", Filled, lambda w: w.update()),
                             ("empty plots", plot, mark_plot),
                             ("one curve each", plot_with_curve, mark_plot)):
        window, widgets = host(make)
        rows.append((name, time_frames(app, widgets, args.frames, mark)))
        window.close()
    if not args.no_app:
        from lossdesk.cli import parse_options
        from lossdesk.qt.app import build_window

        window = build_window(parse_options(["--size", "1366x768"]))
        window.confirm_close = False
        window.show()
        for _ in range(10):
            app.processEvents()
        ex = window.explorer
        views = [p for p in ex.findChildren(pg.PlotWidget) if p.isVisible()]
        rows.append((f"the explorer, nothing changed ({len(views)} plots)", time_frames(app, views, args.frames, mark_plot)))
        window.close()
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    width = max(len(n) for n, _ in rows)
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:6.2f} ms (median of {args.frames})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
