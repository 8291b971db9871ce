"""One descent run moved on for a tab: bounded in steps and in how far the parameters may go.

Both tabs with a single descent (the regression explorer and classification) advance
their run here and word its outcome with ``run_news``, so they stop and speak alike.
"""

from __future__ import annotations

import numpy as np

from lossdesk.model.descent import DescentRun

#: the most steps one run takes (the command line caps --steps the same)
MAX_RUN_STEPS = 100_000


def advance_run(run: DescentRun, k: int, limit: float, max_steps: int = MAX_RUN_STEPS) -> str:
    """Take up to k steps; return the status.

    A run that reaches ``max_steps`` stops as "max_steps". A parameter beyond ±``limit``
    (beyond what a setting may hold) is divergence too: the run is cut back to its last
    step within the limit and ends "diverged" at the step after it.
    """
    if run.status == "diverged":
        return run.status
    run.advance(max(0, min(int(k), max_steps - run.steps)))
    if run.running and run.steps >= max_steps:
        run.status = "max_steps"
    outside = [i for i, t in enumerate(run.thetas) if not np.all(np.abs(t) <= limit)]
    if outside:
        first = outside[0]
        del run.thetas[first:], run.costs[first:], run.gradients[first:]
        run.status, run.diverged_at = "diverged", first
    return run.status


def run_news(run: DescentRun, lr: float, model_word: str) -> tuple[str, str] | None:
    """What to tell the student about how the run ended, as (text, level); None while it runs."""
    if run.status == "diverged":
        return (f"Diverged at step {run.diverged_at}: a learning rate of {lr:g} is too large for this loss "
                f"and data. The {model_word} stays at its last good step; lower the rate and press Reset.",
                "error")
    if run.status == "converged":
        return f"Converged after {run.steps} steps.", "info"
    if run.status == "max_steps":
        return f"Stopped after {run.steps} steps without settling; press Play to go on.", "info"
    return None
