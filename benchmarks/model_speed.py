"""Speed of lossdesk's model layer: loss surfaces, per-example losses, best lines.

Run from the repository root::

    PYTHONPATH=. python benchmarks/model_speed.py
    PYTHONPATH=. python benchmarks/model_speed.py --quick   # N = 1e3, 1e4; a few seconds

Prints plain-text tables and checks the speed budget of the design notes (§4):

* each surface method of ``line_loss_surface`` against brute-force evaluation
  (``brute_force_line_surface``) for N data points and a G×G grid: median time,
  speed-up and the largest relative difference between the two;
* ``value`` + ``gradient`` of every loss through the public (validated) API and
  through the raw ``_value`` + ``_gradient`` methods;
* ``best_line`` for each regression loss.

Times are medians of repeated runs (``time.perf_counter``) after one warm-up run;
cases slower than about a second run once. Brute force is skipped ("–") where
G·G·N exceeds ``--brute-limit`` elementary evaluations (a tenth of it for losses
without a fast path, whose surface already is the direct evaluation). ``--quick`` times
N = 1e3 and 1e4 only, with few runs and brute force up to 1e8, to check that the script
works; targets at sizes it did not time are reported as not checked.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

from lossdesk.model import (
    LOSSES,
    REGRESSION_LOSSES,
    best_line,
    brute_force_line_surface,
    line_loss_surface,
)
from lossdesk.model.surface import surface_method

SEED = 20240611
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
QUICK_MAX_RUNS = 3
QUICK_BRUTE_LIMIT = 1e8
QUICK_BUDGET_S = 0.2  # seconds of timed runs per case in --quick (1 s otherwise)
GRIDS = (128, 256)
K_CLASSES = 3
DIRECT_METHOD = "chunked direct evaluation"

#: (loss, parameters) for the surface and best-line benchmarks
REGRESSION_CASES: tuple[tuple[str, dict[str, float]], ...] = (
    ("mse", {}),
    ("mae", {}),
    ("huber", {"delta": 1.0}),
    ("quantile", {"tau": 0.8}),
    ("logcosh", {}),
)

# The speed budget (milliseconds).
MSE_SURFACE_MS = 0.5  # at G = 256, any N
EXACT_SURFACE_MS = 50.0  # MAE and Huber at N = 1e4, G = 128
VALUE_GRADIENT_MS = 1.0  # regression losses at N = 1e5


# ---------------------------------------------------------------------------- timing
def median_ms(
    fn: Callable[[], Any], max_runs: int, min_runs: int = 5, budget_s: float = 1.0
) -> tuple[float, int, Any]:
    """Median wall time of ``fn()`` in ms, the number of timed runs, and the last result.

    One warm-up run comes first; if it took longer than ``budget_s`` it is the only
    measurement. Otherwise the number of runs fits roughly ``budget_s``, between
    ``min_runs`` and ``max_runs``.
    """
    t0 = time.perf_counter()
    result = fn()
    first = time.perf_counter() - t0
    if first > budget_s:
        return first * 1e3, 1, result
    runs = int(min(max_runs, max(min_runs, budget_s / max(first, 1e-9))))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3, runs, result


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "–"
    if ms < 1:
        return f"{ms:.3f}"
    if ms < 100:
        return f"{ms:.2f}"
    return f"{ms:.0f}"


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A plain-text table; columns listed in ``right`` are right-aligned."""
    right = set(range(len(headers))) if right is None else right
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


# ------------------------------------------------------------------------------ data
def regression_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x ~ U(−3, 3), y = 1.5x + 0.5 + N(0, 0.5²), with 2 % of points pushed 8–15 away."""
    x = rng.uniform(-3.0, 3.0, n)
    y = 1.5 * x + 0.5 + rng.normal(0.0, 0.5, n)
    outliers = rng.choice(n, size=max(1, n // 50), replace=False)
    y[outliers] += rng.choice([-1.0, 1.0], outliers.size) * rng.uniform(8.0, 15.0, outliers.size)
    return x, y


def surface_grids(x: np.ndarray, y: np.ndarray, g: int) -> tuple[np.ndarray, np.ndarray]:
    """G values each of w ± 3 and b ± 5 around the least-squares line."""
    xc = x - x.mean()
    w0 = float(xc @ (y - y.mean()) / (xc @ xc))
    b0 = float(y.mean() - w0 * x.mean())
    return np.linspace(w0 - 3.0, w0 + 3.0, g), np.linspace(b0 - 5.0, b0 + 5.0, g)


def loss_inputs(name: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(labels, predictions) of the kind the loss expects, for n examples."""
    loss = LOSSES[name]
    if loss.task == "regression":
        x, y = regression_data(n, rng)
        return y, 1.4 * x + 0.6
    if loss.task == "binary":
        z = rng.normal(0.0, 2.0, n)
        y = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-z))).astype(float)
        if loss.prediction == "probability":
            return y, 1.0 / (1.0 + np.exp(-z))
        return y, z
    # multiclass: integer labels, (n, K) logits or probabilities
    z = rng.normal(0.0, 2.0, (n, K_CLASSES))
    ez = np.exp(z - z.max(axis=1, keepdims=True))
    p = ez / ez.sum(axis=1, keepdims=True)
    # draw each label from its row's probabilities (inverse CDF)
    u = rng.uniform(size=(n, 1))
    y = np.minimum((u > np.cumsum(p, axis=1)).sum(axis=1), K_CLASSES - 1).astype(np.intp)
    return y, (p if loss.prediction == "probability" else z)


def max_relative_difference(fast: np.ndarray, ref: np.ndarray) -> float:
    scale = np.maximum(np.abs(ref), np.finfo(float).tiny)
    return float(np.max(np.abs(fast - ref) / scale))


# ------------------------------------------------------------------------ benchmarks
def bench_surfaces(args: argparse.Namespace, checks: dict[str, Any]) -> str:
    rows = []
    for n in args.sizes:
        x, y = regression_data(n, np.random.default_rng(SEED + n))
        for g in GRIDS:
            w, b = surface_grids(x, y, g)
            for name, params in REGRESSION_CASES:
                fast_ms, runs, fast = median_ms(
                    lambda: line_loss_surface(x, y, name, w, b, **params), args.max_runs,
                    budget_s=args.budget,
                )
                checks.setdefault("surface", {})[(name, n, g)] = fast_ms
                # A loss without a fast path is already evaluated directly: its brute
                # force is the same code, so it is timed on the smaller cases only.
                direct = surface_method(name) == DIRECT_METHOD
                limit = args.brute_limit / 10 if direct else args.brute_limit
                if g * g * n <= limit:
                    brute_ms, brute_runs, brute = median_ms(
                        lambda: brute_force_line_surface(x, y, name, w, b, **params),
                        args.max_runs,
                        min_runs=min(3, args.max_runs),
                        budget_s=args.budget,
                    )
                    ratio = f"{brute_ms / fast_ms:.1f}×"
                    diff = f"{max_relative_difference(fast, brute):.1e}"
                    brute_txt = f"{fmt_ms(brute_ms)} ({brute_runs})"
                else:
                    brute_txt, ratio, diff = "–", "–", "–"
                label = name + "".join(f" {k}={v:g}" for k, v in params.items())
                rows.append(
                    [
                        f"{n:.0e}",
                        str(g),
                        label,
                        surface_method(name),
                        f"{fmt_ms(fast_ms)} ({runs})",
                        brute_txt,
                        ratio,
                        diff,
                    ]
                )
                print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    headers = ["N", "G", "loss", "method", "fast ms (runs)", "brute ms (runs)", "speed-up", "max rel diff"]
    return table(headers, rows, right={0, 1, 4, 5, 6, 7})


def bench_value_gradient(args: argparse.Namespace, checks: dict[str, Any]) -> str:
    rows = []
    for n in args.sizes:
        for name, loss in LOSSES.items():
            y, p = loss_inputs(name, n, np.random.default_rng(SEED + n))
            kw = {k: default for k, (default, _, _) in loss.parameters.items()}
            public_ms, runs, _ = median_ms(
                lambda: (loss.value(y, p, **kw), loss.gradient(y, p, **kw)), args.max_runs,
                budget_s=args.budget,
            )
            raw_ms, raw_runs, _ = median_ms(
                lambda: (loss._value(y, p, **kw), loss._gradient(y, p, **kw)), args.max_runs,
                budget_s=args.budget,
            )
            checks.setdefault("value_gradient", {})[(name, n)] = (public_ms, raw_ms)
            shape = "×".join(str(s) for s in p.shape)
            label = name + "".join(f" {k}={v:g}" for k, v in kw.items())
            rows.append(
                [
                    f"{n:.0e}",
                    label,
                    loss.prediction,
                    shape,
                    f"{fmt_ms(public_ms)} ({runs})",
                    f"{fmt_ms(raw_ms)} ({raw_runs})",
                    fmt_ms(public_ms - raw_ms),
                ]
            )
    headers = ["N", "loss", "y_pred is", "shape", "public ms (runs)", "raw ms (runs)", "public−raw ms"]
    return table(headers, rows, right={0, 4, 5, 6})


def bench_best_line(args: argparse.Namespace) -> str:
    rows = []
    for n in args.sizes:
        x, y = regression_data(n, np.random.default_rng(SEED + n))
        for name, params in REGRESSION_CASES:
            ms, runs, (w, b) = median_ms(lambda: best_line(x, y, name, **params), args.max_runs,
                                         budget_s=args.budget)
            label = name + "".join(f" {k}={v:g}" for k, v in params.items())
            rows.append([f"{n:.0e}", label, f"{fmt_ms(ms)} ({runs})", f"{w:.4f}", f"{b:.4f}"])
    return table(["N", "loss", "ms (runs)", "w", "b"], rows, right={0, 2, 3, 4})


def target_report(checks: dict[str, Any]) -> tuple[str, bool]:
    lines = []
    ok_all = True

    def verdict(ok: bool) -> str:
        nonlocal ok_all
        ok_all &= ok
        return "PASS" if ok else "FAIL"

    surf = checks["surface"]
    for n in SIZES:
        if ("mse", n, 256) not in surf:
            lines.append(f"(not timed)  MSE surface, G=256, N={n:.0e}")
            continue
        ms = surf[("mse", n, 256)]
        lines.append(
            f"{verdict(ms <= MSE_SURFACE_MS)}  MSE surface, G=256, N={n:.0e}: "
            f"{fmt_ms(ms)} ms (target ≤ {MSE_SURFACE_MS:g} ms)"
        )
    for name in ("mae", "huber"):
        if (name, 10_000, 128) not in surf:
            lines.append(f"(not timed)  exact {name.upper()} surface, G=128, N=1e+04")
            continue
        ms = surf[(name, 10_000, 128)]
        lines.append(
            f"{verdict(ms <= EXACT_SURFACE_MS)}  exact {name.upper()} surface, G=128, N=1e+04: "
            f"{fmt_ms(ms)} ms (target ≤ {EXACT_SURFACE_MS:g} ms)"
        )
    vg = checks["value_gradient"]
    for name in REGRESSION_LOSSES:
        if (name, 100_000) not in vg:
            lines.append(f"(not timed)  {name} value+gradient (public API), N=1e+05")
            continue
        public_ms, raw_ms = vg[(name, 100_000)]
        lines.append(
            f"{verdict(public_ms <= VALUE_GRADIENT_MS)}  {name} value+gradient (public API), N=1e+05: "
            f"{fmt_ms(public_ms)} ms (target ≤ {VALUE_GRADIENT_MS:g} ms; raw methods {fmt_ms(raw_ms)} ms)"
        )
    return "\n".join(lines), ok_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--brute-limit",
        type=float,
        default=None,
        help=f"largest G·G·N for which brute force is timed (default 2e9; {QUICK_BRUTE_LIMIT:.0e} with --quick)",
    )
    parser.add_argument(
        "--max-runs", type=int, default=None,
        help=f"most timed runs per case (default 20; {QUICK_MAX_RUNS} with --quick)",
    )
    parser.add_argument(
        "--quick", action="store_true",
        help="N = 1e3 and 1e4 only, few runs: a check that the script works, not the quoted numbers",
    )
    args = parser.parse_args(argv)
    if args.brute_limit is None:
        args.brute_limit = QUICK_BRUTE_LIMIT if args.quick else 2e9
    if args.max_runs is None:
        args.max_runs = QUICK_MAX_RUNS if args.quick else 20
    args.sizes = QUICK_SIZES if args.quick else SIZES
    args.budget = QUICK_BUDGET_S if args.quick else 1.0

    started = time.perf_counter()
    print("lossdesk model speed")
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"{platform.machine()} {platform.system()}"
    )
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        note = "  (other work is running: timings may be noisy)" if load > 0.5 else ""
        print(f"load average at start: {load:.2f}{note}")
    print("times are medians in milliseconds; (runs) = timed runs after one warm-up\n")

    checks: dict[str, Any] = {}
    print("1. line_loss_surface vs brute_force_line_surface (Z over a G×G grid of w, b)")
    print(f"   brute force where G·G·N ≤ {args.brute_limit:.0e} ({args.brute_limit / 10:.0e} for the direct method)")
    print(bench_surfaces(args, checks))
    print()
    print(f"2. value + gradient per example (defaults; K={K_CLASSES} classes for cce, cce_logits)")
    print(bench_value_gradient(args, checks))
    print()
    print("3. best_line (exact minimiser of the mean loss)")
    print(bench_best_line(args))
    print()
    report, ok = target_report(checks)
    print("Targets (design notes §4)")
    print(report)
    met = "all targets met" if not args.quick else "all timed targets met"
    print(f"\n{met if ok else 'some targets missed'}; "
          f"total benchmark time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
