"""Speed of the network tab's model layer (issue 14): no Qt, numpy only.

Run from the repository root::

    PYTHONPATH=. python benchmarks/network_speed.py
    PYTHONPATH=. python benchmarks/network_speed.py --quick     # few runs: does it work?
    PYTHONPATH=. python benchmarks/network_speed.py --threads 2 # BLAS threads (the app uses 1)

Times, for a 2-16-16-1 tanh network (BCE on logits):

* full-batch cost + gradient on 1 000 points (target: well under 5 ms);
* one optimizer step of a ``DescentRun`` (Adam) on 500 points, as the window's Play takes;
* a 41 × 41 ``plane_surface`` slice on 500 points (target: under 1 s);
* the decision map's forward pass over a 100 × 100 grid;
* one example's forward and backward signals (the "click a point" view).

Medians of repeated runs after a warm-up; the machine's load average is printed with the
results, since a busy machine slows every figure.
"""

from __future__ import annotations

import argparse
import os
import sys

# One BLAS thread, as the app runs (set before numpy loads; --threads overrides).
_threads = "1"
for _i, _arg in enumerate(sys.argv):
    if _arg == "--threads" and _i + 1 < len(sys.argv):
        _threads = sys.argv[_i + 1]
    elif _arg.startswith("--threads="):
        _threads = _arg.split("=", 1)[1]
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads

import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

from lossdesk.model import MLP, DescentRun, Objective, make_optimizer
from lossdesk.model.landscape import plane_surface, random_directions
from lossdesk.model.network import output_gradients

SEED = 20240614


def median_seconds(fn: Callable[[], object], runs: int, budget: float) -> float:
    """Median wall time of ``fn`` over up to ``runs`` runs (fewer if ``budget`` seconds pass)."""
    fn()  # warm-up
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < runs and (not times or time.perf_counter() - started < budget):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def xor_like(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-2.0, 2.0, (n, 2))
    return x, (x[:, 0] * x[:, 1] < 0).astype(float)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few runs, to check that the script works")
    parser.add_argument("--threads", default="1", help="BLAS threads (default 1, as in the app)")
    args = parser.parse_args(argv)
    runs, budget = (5, 0.3) if args.quick else (200, 3.0)
    slow_runs = 2 if args.quick else 9

    rng = np.random.default_rng(SEED)
    net = MLP(2, (16, 16), 1, "tanh")
    theta = net.initial_params(0)
    x1k, y1k = xor_like(1_000, rng)
    x500, y500 = xor_like(500, rng)
    obj1k = Objective.create("bce_logits", x1k, y1k, predictor=net)
    obj500 = Objective.create("bce_logits", x500, y500, predictor=net)

    rows: list[tuple[str, float, str]] = []

    t = median_seconds(lambda: obj1k.cost_and_gradient(theta), runs, budget)
    rows.append(("cost + gradient, 2-16-16-1, 1 000 points", t * 1e3, "target well under 5 ms"))

    run = DescentRun(obj500, make_optimizer("adam", lr=0.01), theta)
    t = median_seconds(run.step, runs, budget)
    rows.append(("one Adam step (DescentRun.step), 500 points", t * 1e3, "≥ 60 steps/s leaves 16.7 ms a frame"))

    d1, d2 = random_directions(net, theta, seed=0)
    grid = np.linspace(-1.0, 1.0, 41)
    t = median_seconds(lambda: plane_surface(obj500, theta, d1, d2, grid, grid), slow_runs, 10 * budget)
    rows.append(("41 × 41 landscape slice, 500 points", t * 1e3, "target under 1 000 ms"))

    gx, gy = np.meshgrid(np.linspace(-3, 3, 100), np.linspace(-3, 3, 100))
    points = np.column_stack([gx.ravel(), gy.ravel()])
    t = median_seconds(lambda: net.raw(theta, points), runs, budget)
    rows.append(("decision map forward pass, 100 × 100 grid", t * 1e3, ""))

    def one_example() -> None:
        g = output_gradients(obj500, theta, np.array([7]))
        net.example_signals(theta, x500[7], g[0], weight=1 / obj500.n)

    t = median_seconds(one_example, runs, budget)
    rows.append(("one example's forward and backward signals", t * 1e3, ""))

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"lossdesk network speed — Python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, BLAS threads {args.threads}")
    if load is not None:
        print(f"load average (1, 5, 15 min): {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
    width = max(len(name) for name, _, _ in rows)
    for name, ms, note in rows:
        print(f"  {name:<{width}}  {ms:9.3f} ms  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
