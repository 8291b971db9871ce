"""Gradient-descent runs: trajectories, stopping rules and divergence detection.

A run stops as

* ``converged`` when the full-data gradient norm falls to ``gradient_tol`` (scaled by
  1 + |C|), or no step moves θ by more than ``step_tol``;
* ``diverged`` when θ, the gradient or the cost stops being finite, or the cost grows past
  ``blowup`` times its starting value (plus one);
* ``max_steps`` otherwise.

A diverging run never raises and never reports a non-finite value: the trajectory ends at
the last finite point and ``diverged_at`` names the step that broke.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from lossdesk.model.objective import Objective
from lossdesk.model.optimizers import Optimizer, OptimizerState

Schedule = Callable[[int], float]  # step index -> learning-rate multiplier


@dataclass
class DescentRun:
    """A descent that can be advanced step by step (what the app's Play button drives)."""

    objective: Objective
    optimizer: Optimizer
    theta0: np.ndarray
    schedule: Schedule | None = None
    gradient_tol: float = 1e-9
    step_tol: float = 0.0
    blowup: float = 1e8
    thetas: list[np.ndarray] = field(init=False)
    costs: list[float] = field(init=False)
    gradients: list[np.ndarray] = field(init=False)
    status: str = field(init=False, default="running")
    diverged_at: int | None = field(init=False, default=None)
    state: OptimizerState = field(init=False)

    def __post_init__(self) -> None:
        theta = np.asarray(self.theta0, dtype=float).copy()
        with np.errstate(all="ignore"):  # a start far out may overflow: that is divergence
            cost, grad = self.objective.cost_and_gradient(theta)
        self.thetas, self.costs, self.gradients = [theta], [cost], [grad]
        self.state = self.optimizer.init(theta)
        self._limit = self.blowup * (abs(cost) + 1.0) if math.isfinite(cost) else math.inf
        if not (math.isfinite(cost) and np.all(np.isfinite(grad))):
            self.status, self.diverged_at = "diverged", 0

    @property
    def steps(self) -> int:
        return len(self.costs) - 1

    @property
    def running(self) -> bool:
        return self.status == "running"

    @property
    def theta(self) -> np.ndarray:
        return self.thetas[-1]

    @property
    def message(self) -> str:
        if self.status == "diverged":
            return f"diverged at step {self.diverged_at}: lower the learning rate"
        if self.status == "converged":
            return f"converged after {self.steps} steps"
        if self.status == "max_steps":
            return f"stopped after {self.steps} steps"
        return f"step {self.steps}"

    def step(self) -> str:
        """Take one step (if still running) and return the status."""
        if not self.running:
            return self.status
        theta, grad_full = self.thetas[-1], self.gradients[-1]
        rows = self.optimizer.batch_rows(self.state, self.objective.n)
        grad = grad_full if rows is None else self.objective.cost_and_gradient(theta, rows)[1]
        lr = self.optimizer.lr * (self.schedule(self.state.t) if self.schedule else 1.0)
        with np.errstate(all="ignore"):
            new_theta, new_state = self.optimizer.step(theta, grad, self.state, lr=lr)
            ok = bool(np.all(np.isfinite(new_theta)))
            if ok:
                cost, new_grad = self.objective.cost_and_gradient(new_theta)
                ok = math.isfinite(cost) and bool(np.all(np.isfinite(new_grad))) and cost <= self._limit
        if not ok:
            self.status, self.diverged_at = "diverged", self.steps + 1
            return self.status
        self.thetas.append(new_theta)
        self.costs.append(cost)
        self.gradients.append(new_grad)
        self.state = new_state
        scale = 1.0 + abs(cost)
        moved = float(np.abs(new_theta - theta).max())
        if float(np.linalg.norm(new_grad)) <= self.gradient_tol * scale or (
            self.step_tol > 0 and moved <= self.step_tol
        ):
            self.status = "converged"
        elif lr == 0.0:
            self.status = "max_steps"  # the schedule brought the learning rate to zero: no more moves
        return self.status

    def advance(self, k: int) -> str:
        for _ in range(int(k)):
            if self.step() != "running":
                break
        return self.status

    def result(self) -> DescentResult:
        return DescentResult(
            thetas=np.array(self.thetas),
            costs=np.array(self.costs),
            status=self.status if self.status != "running" else "max_steps",
            diverged_at=self.diverged_at,
        )


@dataclass(frozen=True)
class DescentResult:
    thetas: np.ndarray  # (steps + 1, P): the start and every step's parameters
    costs: np.ndarray  # (steps + 1,)
    status: str  # "converged", "max_steps" or "diverged"
    diverged_at: int | None = None

    @property
    def steps(self) -> int:
        return int(self.costs.size - 1)


def run_descent(
    objective: Objective,
    optimizer: Optimizer,
    theta0: np.ndarray | None = None,
    max_steps: int = 1000,
    schedule: Schedule | None = None,
    gradient_tol: float = 1e-9,
    step_tol: float = 0.0,
) -> DescentResult:
    """Run up to ``max_steps`` steps and return every θ and cost, and why it stopped."""
    if theta0 is None:
        theta0 = objective.predictor.initial_params()
    run = DescentRun(objective, optimizer, theta0, schedule, gradient_tol, step_tol)
    run.advance(max_steps)
    if run.status == "running":
        run.status = "max_steps"
    return run.result()
