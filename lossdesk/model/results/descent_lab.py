"""The descent lab's results: every number its views and its table show, as one value.

``compute_descent_lab(lab, regression, race, cache)`` is a pure function of the lab's
settings (which optimizers race, their hyperparameters, the schedule, the start), the
regression settings whose data and loss the lab races on, the race in progress
(transient tab state; None: a fresh race, still at its start) and a cache that only
makes repeated calls cheaper. Both settings arguments are duck-typed (this layer never
imports the settings package): see ``LabChoices`` and ``RegressionChoices``.

The race must have been built for the same settings (``new_race`` builds one); the tab
drops its race and builds a new one whenever they change.

What is derived here, so that the views only draw:

* the surface window and the cost on its grid, the best line and its cost;
* where every ball starts: the chosen start, or one picked from the data's window;
* per racer: its trail (θ after every step), its loss curve, its ball, the gradient
  arrow (the way downhill, −∇C) and, for methods whose step carries momentum, the
  velocity arrow (the step just taken). Each kind of arrow has one scale for every
  racer, so their lengths compare;
* the 3-D valley: the surface as a mesh on a fixed ground square, every racer's
  trail lifted just above it, every ball lifted clear of the mesh around it, and the
  axes (lines, ground grid, tick labels in w, b and cost);
* the loss curves' cost range (never a span too thin to read, even for a flat curve);
* the rows of the status table ("ready" until a step has run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from lossdesk.model.contours import LinesMemo, SurfaceLines
from lossdesk.model.dataset import RegressionData
from lossdesk.model.descent import DescentRun
from lossdesk.model.objective import Objective, line_objective
from lossdesk.model.optimizers import OPTIMIZERS, make_optimizer
from lossdesk.model.race import Race
from lossdesk.model.schedules import SCHEDULES, Schedule, make_schedule
from lossdesk.model.snapshot import SurfaceCache, SurfaceWindow
from lossdesk.model.surface import line_surface_window

SURFACE_SIZE = 128
#: the longest arrow of each kind, as a share of the surface window's width
ARROW_FRACTION = 0.12
#: the methods whose step is not just the gradient: their balls get a velocity arrow
MOMENTUM_METHODS = frozenset({"momentum", "nesterov", "adam"})
#: a racer stops here even if it has neither converged nor diverged
MAX_RACE_STEPS = 100_000
#: the race's convergence test (gradient norm relative to 1 + |C|)
GRADIENT_TOL = 1e-8
#: where the automatic start sits inside the data's window: near the top-left corner
START_INSET = 0.15

#: the 3-D valley's ground square runs −VALLEY_SPAN … VALLEY_SPAN on both axes
VALLEY_SPAN = 10.0
#: the height of the window's 95th-percentile cost
VALLEY_HEIGHT = 7.0
#: costs above VALLEY_CLIP × that height are cut flat, so the walls stay in view
VALLEY_CLIP = 1.4
#: the trails float this far above the mesh, so the mesh does not hide them
VALLEY_LIFT = 0.15
#: a ball floats this far above the highest mesh corner around it, so the mesh never covers it
BALL_LIFT = 0.35
#: the cost axis stands this far outside the ground square's corner
AXIS_OFFSET = 0.6
#: about this many labelled ticks on each axis of the 3-D valley
AXIS_TICKS = 5
#: the loss curves' cost axis spans at least this share of the cost (and at least MIN_COST_SPAN)
FLAT_SPAN = 0.05
MIN_COST_SPAN = 1e-3

STATUS_TEXT = {"running": "running", "converged": "converged", "max_steps": "stopped"}
#: a racer that has not taken a step yet (before Play or Step)
READY_TEXT = "ready"


class LabChoices(Protocol):
    """What the lab's settings offer this function (DescentLabSettings has it all)."""

    racing: tuple[str, ...]
    optimizers: dict  # name -> anything with ``values``: {hyperparameter key: value}
    schedule: str
    schedule_value: float | None
    start: tuple[float, float] | None


class RegressionChoices(Protocol):
    """What the regression settings offer this function: the data and the loss."""

    data: RegressionData
    loss: str

    @property
    def params(self) -> dict[str, float]: ...


# ====================================================================== results types
@dataclass(frozen=True)
class Racer:
    """One optimizer's race so far."""

    name: str
    title: str
    status: str  # "running", "converged", "diverged" or "max_steps"
    status_text: str  # the status in a word or three, as the table shows it
    steps: int
    cost: float  # the cost at its last (finite) point
    diverged_at: int | None
    thetas: np.ndarray  # (steps + 1, 2): (w, b) at the start and after every step
    costs: np.ndarray  # (steps + 1,): the cost at each of those points
    ball: tuple[float, float]  # where it stands now
    gradient_arrow: np.ndarray  # (2, 2): from the ball along −∇C, on the common scale
    velocity_arrow: np.ndarray | None  # (2, 2): the step just taken, scaled (None: no momentum, or no step)

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"


@dataclass(frozen=True)
class StatusRow:
    """One row of the lab's table."""

    name: str
    status: str
    status_text: str
    steps: int
    cost: float

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"


@dataclass(frozen=True)
class ValleyMesh:
    """The surface as the 3-D view's mesh: ground coordinates, heights and shades in [0, 1]."""

    ground_w: np.ndarray  # (size,): the window's w grid mapped onto the ground square
    ground_b: np.ndarray  # (size,)
    heights: np.ndarray  # (size, size)
    shades: np.ndarray  # (size, size): heights / VALLEY_HEIGHT, for the colour map
    window: SurfaceWindow
    cost_scale: tuple[float, float]  # the costs drawn at height 0 and VALLEY_HEIGHT

    def ground(self, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(w, b) mapped onto the ground square."""
        return valley_ground(self.window, w, b)

    def height(self, cost: np.ndarray) -> np.ndarray:
        """A cost as a height above the ground (clipped, so the walls stay in view)."""
        return valley_height(self.cost_scale, cost)


@dataclass(frozen=True)
class ValleyAxes:
    """The 3-D valley's axes in ground coordinates: lines to draw and text to place.

    ``lines`` and ``grid`` are (2k, 3) arrays of segment end points, taken in pairs.
    Every label is (position, text); the tick labels show w, b and the cost themselves.
    """

    lines: np.ndarray  # the w axis (front edge), the b axis (right edge), the cost axis (left corner)
    grid: np.ndarray  # ground lines at the w and b ticks
    ticks: tuple[tuple[tuple[float, float, float], str], ...]
    titles: tuple[tuple[tuple[float, float, float], str], ...]  # "w (slope)", "b (intercept)", "cost"


@dataclass(frozen=True)
class DescentLabResults:
    """One consistent set of numbers for the lab, all for the same settings and step."""

    window: SurfaceWindow  # the (w, b) rectangle the surface covers
    surface: np.ndarray  # the cost on the window's grid, shape (size, size)
    lines: SurfaceLines  # its colour range and contour lines
    best: tuple[float, float]  # (w, b) with the lowest cost
    best_cost: float
    start: tuple[float, float]  # where every ball started
    automatic_start: bool  # True: the start was picked from the data, not by the user
    racers: dict[str, Racer]  # the racing optimizers, in the app's order
    rows: tuple[StatusRow, ...]  # the table, one row per racer in the same order
    arrow_scales: tuple[float, float]  # length per unit of −∇C, and per unit of step
    curve_steps: int  # the loss curves' step axis runs 0 … curve_steps
    curve_top: float  # the highest cost any curve starts at (at least best_cost)
    cost_range: tuple[float, float]  # the loss curves' cost axis: best_cost … curve_top, never too thin
    valley: ValleyMesh
    valley_trails: dict[str, np.ndarray]  # per racer: (steps + 1, 3) points just above the mesh
    valley_balls: dict[str, np.ndarray]  # per racer: (3,) where its ball sits, clear of the mesh
    valley_axes: ValleyAxes
    steps: int  # the most steps any racer has taken
    running: bool  # some racer is still running

    @property
    def racing(self) -> tuple[str, ...]:
        return tuple(self.racers)

    @property
    def diverged(self) -> tuple[str, ...]:
        return tuple(name for name, racer in self.racers.items() if racer.diverged)


# ====================================================================== the cache
class _Growing:
    """Rows that only ever grow, kept as one array so each frame copies only the new ones.

    ``extend_to`` returns a read-only view of the rows so far. Rows are only appended (a
    reallocation leaves earlier views on the old buffer), so a view handed out never changes;
    while no row is added it hands out the same view again, so a view can tell by identity
    (``is``) that a racer's trail did not grow and skip drawing it again.
    """

    def __init__(self, width: int | None) -> None:
        self.buffer = np.empty((64,) if width is None else (64, width))
        self.n = 0
        self._view: np.ndarray | None = None

    def extend_to(self, count: int, rows) -> np.ndarray:
        """Grow to ``count`` rows; ``rows(start, stop)`` gives the missing ones."""
        if count > self.n:
            if count > self.buffer.shape[0]:
                bigger = np.empty((max(count, 2 * self.buffer.shape[0]),) + self.buffer.shape[1:])
                bigger[: self.n] = self.buffer[: self.n]
                self.buffer = bigger
            self.buffer[self.n : count] = rows(self.n, count)
            self.n = count
            self._view = None
        if self._view is None:
            self._view = self.buffer[: self.n]
            self._view.flags.writeable = False
        return self._view


class _Trail:
    """One run's θs, costs and 3-D points as arrays, extended as the run goes on."""

    def __init__(self, run: DescentRun) -> None:
        self.run = run
        self.thetas = _Growing(2)
        self.costs = _Growing(None)
        self.lifted = _Growing(3)
        self.mesh: ValleyMesh | None = None

    def arrays(self, mesh: ValleyMesh) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        run, count = self.run, len(self.run.costs)
        thetas = self.thetas.extend_to(count, lambda i, j: np.asarray(run.thetas[i:j], dtype=float))
        costs = self.costs.extend_to(count, lambda i, j: np.asarray(run.costs[i:j], dtype=float))
        if mesh is not self.mesh:  # a new surface: every point sits at a new height
            self.mesh, self.lifted = mesh, _Growing(3)

        def lift(i: int, j: int) -> np.ndarray:
            gw, gb = mesh.ground(thetas[i:j, 0], thetas[i:j, 1])
            return np.column_stack([gw, gb, mesh.height(costs[i:j]) + VALLEY_LIFT])

        return thetas, costs, self.lifted.extend_to(count, lift)


class DescentLabCache:
    """Keeps what does not change from frame to frame: surface, best line, objective, mesh."""

    def __init__(self) -> None:
        self.surfaces = SurfaceCache()
        self._objective_key: tuple | None = None
        self._objective: Objective | None = None
        self._best_cost_key: tuple | None = None
        self._best_cost = 0.0
        self._mesh_key: tuple | None = None
        self._mesh: ValleyMesh | None = None
        self._axes_mesh: ValleyMesh | None = None
        self._axes: ValleyAxes | None = None
        self._trails: dict[int, _Trail] = {}
        self.lines = LinesMemo()

    @staticmethod
    def _key(data: RegressionData, loss: str, params: dict[str, float]) -> tuple:
        # Data sets are immutable and the cache holds a reference, so identity is enough.
        return (id(data), loss, tuple(sorted(params.items())))

    def objective(self, data: RegressionData, loss: str, params: dict[str, float]) -> Objective:
        key = self._key(data, loss, params)
        if key != self._objective_key or self._objective is None:
            self._objective = line_objective(data.x, data.y, loss, **params)
            self._objective_data = data  # keeps the id in the key from being reused
            self._objective_key = key
        return self._objective

    def best_cost(self, data: RegressionData, loss: str, params: dict[str, float],
                  best: tuple[float, float]) -> float:
        key = (*self._key(data, loss, params), best)
        if key != self._best_cost_key:
            self._best_cost = float(self.objective(data, loss, params).cost(np.array(best, dtype=float)))
            self._best_cost_data = data
            self._best_cost_key = key
        return self._best_cost

    def mesh(self, window: SurfaceWindow, surface: np.ndarray) -> ValleyMesh:
        key = (window, id(surface))
        if key != self._mesh_key or self._mesh is None:
            self._mesh = valley_mesh(window, surface)
            self._mesh_surface = surface
            self._mesh_key = key
        return self._mesh

    def axes(self, mesh: ValleyMesh) -> ValleyAxes:
        if self._axes is None or self._axes_mesh is not mesh:
            self._axes = valley_axes(mesh)
            self._axes_mesh = mesh
        return self._axes

    def trail(self, run: DescentRun, mesh: ValleyMesh) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The run's θs, costs and 3-D points as arrays (only the new steps are converted)."""
        entry = self._trails.get(id(run))
        if entry is None or entry.run is not run:
            entry = self._trails[id(run)] = _Trail(run)
        return entry.arrays(mesh)

    def forget_other_runs(self, runs: list[DescentRun]) -> None:
        keep = {id(run) for run in runs}
        for key in [k for k in self._trails if k not in keep]:
            del self._trails[key]


# ====================================================================== building blocks
def automatic_start(data: RegressionData) -> tuple[float, float]:
    """A start picked from the data: near the top-left corner of its (w, b) window."""
    (w0, w1), (b0, b1) = line_surface_window(data.x, data.y)
    return (w0 + START_INSET * (w1 - w0), b1 - START_INSET * (b1 - b0))


def race_start(lab: LabChoices, data: RegressionData) -> tuple[float, float]:
    """Where every ball starts: the chosen start, or the automatic one."""
    if lab.start is not None:
        return (float(lab.start[0]), float(lab.start[1]))
    return automatic_start(data)


def surface_window(data: RegressionData, best: tuple[float, float], start: tuple[float, float],
                   size: int = SURFACE_SIZE) -> SurfaceWindow:
    """The data's window with the best line, padded; widened only if the start lies outside it.

    A start inside the window (a click on the surface) leaves the window as it is.
    """
    (w0, w1), (b0, b1) = line_surface_window(data.x, data.y)
    ws, bs = [w0, w1, best[0]], [b0, b1, best[1]]

    def padded(ws: list[float], bs: list[float]) -> SurfaceWindow:
        pad_w = 0.05 * (max(ws) - min(ws) or 1.0)
        pad_b = 0.05 * (max(bs) - min(bs) or 1.0)
        return SurfaceWindow((min(ws) - pad_w, max(ws) + pad_w), (min(bs) - pad_b, max(bs) + pad_b), size)

    window = padded(ws, bs)
    if window.contains(*start):
        return window
    return padded([*ws, start[0]], [*bs, start[1]])


def build_schedule(lab: LabChoices) -> Schedule | None:
    """The lab's learning-rate schedule (None: constant)."""
    spec = SCHEDULES[lab.schedule].setting
    if spec is None:
        return None
    value = spec.default if lab.schedule_value is None else lab.schedule_value
    return make_schedule(lab.schedule, **{spec.key: int(value) if spec.whole else float(value)})


def new_race(lab: LabChoices, regression: RegressionChoices, cache: DescentLabCache | None = None) -> Race:
    """A fresh race for these settings: every racing optimizer at the start, no step taken."""
    cache = cache if cache is not None else DescentLabCache()
    data = regression.data
    objective = cache.objective(data, regression.loss, regression.params)
    optimizers = {name: make_optimizer(name, **dict(lab.optimizers[name].values))
                  for name in OPTIMIZERS if name in lab.racing}
    start = np.array(race_start(lab, data), dtype=float)
    return Race(objective, optimizers, start, build_schedule(lab), gradient_tol=GRADIENT_TOL)


def advance_race(race: Race, k: int) -> None:
    """Up to k more steps for every racer still running; a racer stops at MAX_RACE_STEPS."""
    for run in race.runs.values():
        run.advance(min(int(k), max(0, MAX_RACE_STEPS - run.steps)))
        if run.status == "running" and run.steps >= MAX_RACE_STEPS:
            run.status = "max_steps"


def valley_ground(window: SurfaceWindow, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(w, b) mapped onto the 3-D view's ground square, −VALLEY_SPAN … VALLEY_SPAN."""
    (w0, w1), (b0, b1) = window.w_range, window.b_range
    return (((np.asarray(w, dtype=float) - w0) / (w1 - w0) * 2 - 1) * VALLEY_SPAN,
            ((np.asarray(b, dtype=float) - b0) / (b1 - b0) * 2 - 1) * VALLEY_SPAN)


def valley_height(cost_scale: tuple[float, float], cost: np.ndarray) -> np.ndarray:
    """Costs as heights: ``cost_scale`` maps to 0 … VALLEY_HEIGHT, clipped at VALLEY_CLIP times that."""
    lo, hi = cost_scale
    return np.clip((np.asarray(cost, dtype=float) - lo) / (hi - lo), 0.0, VALLEY_CLIP) * VALLEY_HEIGHT


def valley_mesh(window: SurfaceWindow, surface: np.ndarray) -> ValleyMesh:
    """The surface on the 3-D view's ground square, heights scaled so the valley floor shows."""
    lo, hi = float(surface.min()), float(np.percentile(surface, 95))
    scale = (lo, hi if hi > lo else lo + 1.0)
    gw, gb = valley_ground(window, window.w_grid, window.b_grid)
    heights = valley_height(scale, surface)
    shades = np.clip(heights / VALLEY_HEIGHT, 0.0, 1.0)
    return ValleyMesh(gw, gb, heights, shades, window, scale)


def lifted_ball(mesh: ValleyMesh, w: float, b: float, cost: float) -> np.ndarray:
    """Where a ball at (w, b) with this cost sits in 3-D: above its own height and above
    every mesh corner next to it (the flat mesh facets between grid points can lie above
    the curved surface), so the mesh never hides it from above."""
    gw, gb = mesh.ground(np.array([w]), np.array([b]))
    n_w, n_b = mesh.heights.shape
    (w0, w1), (b0, b1) = mesh.window.w_range, mesh.window.b_range
    i = (w - w0) / (w1 - w0) * (n_w - 1)
    j = (b - b0) / (b1 - b0) * (n_b - 1)
    own = float(mesh.height(cost))
    if np.isfinite(i) and np.isfinite(j) and -1 <= i <= n_w and -1 <= j <= n_b:
        i0, i1 = int(np.clip(np.floor(i) - 1, 0, n_w - 1)), int(np.clip(np.ceil(i) + 1, 0, n_w - 1))
        j0, j1 = int(np.clip(np.floor(j) - 1, 0, n_b - 1)), int(np.clip(np.ceil(j) + 1, 0, n_b - 1))
        around = float(mesh.heights[i0 : i1 + 1, j0 : j1 + 1].max())
    else:  # outside the ground square (a ball that flew off): nothing to clear but itself
        around = own
    return np.array([gw[0], gb[0], max(own, around) + BALL_LIFT])


def nice_ticks(lo: float, hi: float, count: int = AXIS_TICKS) -> tuple[np.ndarray, int]:
    """Round tick values (1, 2 or 5 times a power of ten) inside lo … hi, and the decimals they need."""
    span = hi - lo
    if not (np.isfinite(span) and span > 0):
        return np.array([lo]), 2
    raw = span / max(count, 1)
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if span / (m * power) <= count + 1)
    first = np.ceil(lo / step - 1e-9) * step
    ticks = np.arange(first, hi + step * 1e-9, step)
    decimals = max(0, int(-np.floor(np.log10(step) + 1e-9)))
    return ticks, decimals


def _label(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return "0" if float(text) == 0 else text  # never "-0.0"


def valley_axes(mesh: ValleyMesh) -> ValleyAxes:
    """Axis lines, a ground grid and labelled ticks for the valley, in ground coordinates.

    The camera looks from the front right (+w, −b side): w runs along the front edge,
    b along the right edge, and the cost stands up at the front left corner.
    """
    span = VALLEY_SPAN
    top = VALLEY_HEIGHT * VALLEY_CLIP
    (w0, w1), (b0, b1) = mesh.window.w_range, mesh.window.b_range
    corner = (-span - AXIS_OFFSET, -span - AXIS_OFFSET)
    lines = [(-span, -span, 0.0), (span, -span, 0.0),  # w
             (span, -span, 0.0), (span, span, 0.0),  # b
             (corner[0], corner[1], 0.0), (corner[0], corner[1], top)]  # cost
    grid: list[tuple[float, float, float]] = []
    ticks: list[tuple[tuple[float, float, float], str]] = []
    w_ticks, w_dec = nice_ticks(w0, w1)
    gw, _ = mesh.ground(w_ticks, np.full(w_ticks.shape, b0))
    for value, g in zip(w_ticks, gw):
        grid += [(float(g), -span, 0.0), (float(g), span, 0.0)]
        lines += [(float(g), -span, 0.0), (float(g), -span - 0.5, 0.0)]
        ticks.append(((float(g), -span - 1.2, 0.0), _label(value, w_dec)))
    b_ticks, b_dec = nice_ticks(b0, b1)
    _, gb = mesh.ground(np.full(b_ticks.shape, w0), b_ticks)
    for value, g in zip(b_ticks, gb):
        grid += [(-span, float(g), 0.0), (span, float(g), 0.0)]
        lines += [(span, float(g), 0.0), (span + 0.5, float(g), 0.0)]
        ticks.append(((span + 0.9, float(g), 0.0), _label(value, b_dec)))
    lo, hi = mesh.cost_scale
    c_ticks, c_dec = nice_ticks(lo, lo + VALLEY_CLIP * (hi - lo))
    for value in c_ticks:
        z = float(mesh.height(value))
        lines += [(corner[0], corner[1], z), (corner[0] - 0.5, corner[1], z)]
        ticks.append(((corner[0] - 0.9, corner[1], z), _label(value, c_dec)))
    titles = (((0.0, -span - 3.0, 0.0), "w (slope)"), ((span + 3.0, 0.0, 0.0), "b (intercept)"),
              ((corner[0], corner[1], top + 1.0), "cost"))
    return ValleyAxes(np.array(lines, dtype=float), np.array(grid, dtype=float).reshape(-1, 3),
                      tuple(ticks), titles)


def cost_range(low: float, high: float) -> tuple[float, float]:
    """low … high for a cost axis, widened around its middle when it is too thin to read
    (a flat curve): at least FLAT_SPAN of the cost, and at least MIN_COST_SPAN."""
    low, high = float(low), float(high)
    need = max(FLAT_SPAN * max(abs(low), abs(high)), MIN_COST_SPAN)
    if high - low >= need:
        return low, high
    middle = 0.5 * (low + high)
    if low >= 0 and middle < 0.5 * need:  # costs are never negative: keep the axis at 0 and up
        return 0.0, need
    return middle - 0.5 * need, middle + 0.5 * need


def status_text(run: DescentRun) -> str:
    if run.status == "diverged":
        return f"diverged at step {run.diverged_at}"
    if run.status == "running" and run.steps == 0:
        return READY_TEXT  # waiting for Play or Step
    return STATUS_TEXT[run.status]


def _arrow(ball: np.ndarray, direction: np.ndarray, scale: float) -> np.ndarray:
    return np.array([ball, ball + direction * scale])


# ====================================================================== the results
def compute_descent_lab(lab: LabChoices, regression: RegressionChoices, race: Race | None = None,
                        cache: DescentLabCache | None = None) -> DescentLabResults:
    """Everything the descent lab shows for these settings and the race in progress."""
    cache = cache if cache is not None else DescentLabCache()
    data, loss, params = regression.data, regression.loss, regression.params
    best = cache.surfaces.best_line(data, loss, params)
    best = (float(best[0]), float(best[1]))
    best_cost = cache.best_cost(data, loss, params, best)
    start = race_start(lab, data)
    window = surface_window(data, best, start)
    surface = cache.surfaces.surface(data, loss, params, window)
    mesh = cache.mesh(window, surface)
    if race is None:
        race = new_race(lab, regression, cache)
    cache.forget_other_runs(list(race.runs.values()))

    longest = ARROW_FRACTION * (window.w_range[1] - window.w_range[0])
    trails: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    downhill: dict[str, np.ndarray] = {}
    moves: dict[str, np.ndarray] = {}
    for name, run in race.runs.items():
        thetas, costs, lifted = cache.trail(run, mesh)
        trails[name] = (thetas, costs, lifted)
        gradient = np.asarray(run.gradients[-1], dtype=float)
        # a start so far out that the gradient overflows: no arrow rather than a broken scale
        downhill[name] = -gradient if np.all(np.isfinite(gradient)) else np.zeros(2)
        if name in MOMENTUM_METHODS and run.steps > 0:
            moves[name] = thetas[-1] - thetas[-2]
    g_scale = longest / max([float(np.linalg.norm(g)) for g in downhill.values()] + [1e-300])
    v_scale = longest / max([float(np.linalg.norm(v)) for v in moves.values()] + [1e-300])

    racers: dict[str, Racer] = {}
    valley_trails: dict[str, np.ndarray] = {}
    valley_balls: dict[str, np.ndarray] = {}
    for name in OPTIMIZERS:
        run = race.runs.get(name)
        if run is None:
            continue
        thetas, costs, lifted = trails[name]
        ball = thetas[-1]
        velocity = moves.get(name)
        racers[name] = Racer(
            name=name, title=OPTIMIZERS[name].title, status=run.status, status_text=status_text(run),
            steps=run.steps, cost=float(costs[-1]), diverged_at=run.diverged_at, thetas=thetas, costs=costs,
            ball=(float(ball[0]), float(ball[1])),
            gradient_arrow=_arrow(ball, downhill[name], g_scale),
            velocity_arrow=None if velocity is None else _arrow(ball, velocity, v_scale),
        )
        valley_trails[name] = lifted
        valley_balls[name] = lifted_ball(mesh, float(ball[0]), float(ball[1]), float(costs[-1]))

    rows = tuple(StatusRow(r.name, r.status, r.status_text, r.steps, r.cost) for r in racers.values())
    tops = [best_cost] + [float(r.costs[0]) for r in racers.values()]
    return DescentLabResults(
        window=window, surface=surface, lines=cache.lines.lines(window, surface), best=best, best_cost=float(best_cost), start=start,
        automatic_start=lab.start is None, racers=racers, rows=rows, arrow_scales=(g_scale, v_scale),
        curve_steps=max([10] + [r.steps + 1 for r in racers.values()]),
        curve_top=max(tops), cost_range=cost_range(best_cost, max(tops)), valley=mesh,
        valley_trails=valley_trails, valley_balls=valley_balls, valley_axes=cache.axes(mesh),
        steps=max((r.steps for r in racers.values()), default=0),
        running=any(r.status == "running" for r in racers.values()),
    )
