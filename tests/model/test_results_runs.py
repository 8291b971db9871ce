"""One rule for how far a tab's descent run may go, and one wording of how it ended."""

import numpy as np

from lossdesk.model import DescentRun, line_objective, make_optimizer, make_preset
from lossdesk.model.results.runs import advance_run, run_news


def run_with(lr: float) -> DescentRun:
    data = make_preset("linear")
    return DescentRun(line_objective(data.x, data.y, "mse"), make_optimizer("gd", lr=lr), np.zeros(2),
                      gradient_tol=1e-8)


def test_a_run_stops_at_the_step_cap():
    run = run_with(0.001)
    assert advance_run(run, 50, limit=1e6, max_steps=20) == "max_steps" and run.steps == 20
    assert run_news(run, 0.001, "line")[0].startswith("Stopped after 20 steps")


def test_parameters_past_the_limit_end_the_run_as_diverged_within_it():
    run = run_with(3.0)
    assert advance_run(run, 200, limit=1e3) == "diverged"
    assert np.all(np.abs(np.asarray(run.thetas)) <= 1e3)
    assert run.diverged_at == len(run.thetas)
    text, level = run_news(run, 3.0, "classifier")
    assert level == "error" and f"Diverged at step {run.diverged_at}" in text and "classifier" in text
    assert advance_run(run, 5, limit=1e3) == "diverged"  # a diverged run takes no more steps


def test_a_converged_run_says_so_and_a_running_one_says_nothing():
    run = run_with(0.1)
    assert advance_run(run, 3, limit=1e6) == "running" and run_news(run, 0.1, "line") is None
    assert advance_run(run, 5000, limit=1e6) == "converged"
    assert run_news(run, 0.1, "line") == (f"Converged after {run.steps} steps.", "info")
