"""Classification tab frame time: change a parameter, repaint every view.

Run:  PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/classification_speed.py

For N = 1e3 and 1e4 labelled points (one feature and two features), the script moves one
of the surface's parameters the way the white handle or a descent step does
(``state.set_theta``), then paints all plots, and reports the median and 90th percentile
over many frames. Target (issue): N = 1e4, a parameter change repaints in ≤ 25 ms.
"""

from __future__ import annotations

import gc
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

FRAMES = 60


def main() -> None:
    app = QApplication.instance() or QApplication([])
    import pyqtgraph as pg

    from lossdesk.cli import parse_options
    from lossdesk.model import ClassificationData
    from lossdesk.qt.app import build_window
    from lossdesk.qt.style import configure_pyqtgraph

    configure_pyqtgraph()
    window = build_window(parse_options(["--tab", "classification"]))
    window.confirm_close = False
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    tab = window.classification
    plots = tab.findChildren(pg.PlotWidget)
    rng = np.random.default_rng(0)
    print(f"classification tab, window {window.width()}×{window.height()}, surface {tab.window.size if tab.window else '?'}²")
    print(f"{'features':>8} {'N':>7} {'loss':>6} {'median ms':>10} {'p90 ms':>8}")
    results = {}
    for features in (1, 2):
        for n in (1_000, 10_000):
            labels = rng.integers(0, 2, n)
            x = rng.normal(size=(n, features)) + (2 * labels[:, None] - 1)
            tab.load_data(ClassificationData(x, labels, 2, name="bench"), "bench")
            app.processEvents()
            gc.collect()
            gc.freeze()
            theta = tab.state.theta
            times = []
            for k in range(FRAMES):
                theta[0] = 0.5 + 0.02 * k  # a shown parameter: the surface itself stays
                t0 = time.perf_counter()
                tab.state.set_theta(theta)
                for plot in plots:
                    plot.scene().update()
                app.processEvents()
                times.append((time.perf_counter() - t0) * 1e3)
            gc.unfreeze()
            med = statistics.median(times)
            p90 = sorted(times)[int(0.9 * len(times))]
            results[(features, n)] = med
            print(f"{features:>8} {n:>7} {'bce':>6} {med:>10.1f} {p90:>8.1f}")
    worst = max(results[(1, 10_000)], results[(2, 10_000)])
    print(f"target N=1e4 ≤ 25 ms: {'PASS' if worst <= 25 else 'FAIL'} (worst median {worst:.1f} ms)")
    window.close()


if __name__ == "__main__":
    main()
