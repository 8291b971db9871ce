"""Several optimizers descending the same cost from the same start, step for step.

Each racer is an ordinary ``DescentRun``; a race advances every racer still running, so
one that diverges stops at its own step while the others carry on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lossdesk.model.descent import DescentRun, Schedule
from lossdesk.model.objective import Objective
from lossdesk.model.optimizers import Optimizer


@dataclass
class Race:
    objective: Objective
    optimizers: dict[str, Optimizer]
    theta0: np.ndarray
    schedule: Schedule | None = None
    gradient_tol: float = 1e-8
    runs: dict[str, DescentRun] = field(init=False)

    def __post_init__(self) -> None:
        start = np.asarray(self.theta0, dtype=float)
        self.runs = {
            name: DescentRun(self.objective, opt, start, self.schedule, gradient_tol=self.gradient_tol)
            for name, opt in self.optimizers.items()
        }

    @property
    def running(self) -> bool:
        return any(run.running for run in self.runs.values())

    @property
    def steps(self) -> int:
        return max((run.steps for run in self.runs.values()), default=0)

    def step(self, k: int = 1) -> None:
        """Advance every racer that is still running by up to k steps."""
        for run in self.runs.values():
            run.advance(k)

    def summary(self) -> dict[str, tuple[str, int, float]]:
        """Per racer: (status, steps taken, cost at its last finite point)."""
        return {name: (run.status, run.steps, float(run.costs[-1])) for name, run in self.runs.items()}
