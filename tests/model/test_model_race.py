"""Schedules and races of several optimizers (model layer, no Qt)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossdesk.model import best_line, line_objective, make_optimizer, make_preset, make_schedule, run_descent
from lossdesk.model.race import Race


def test_schedules_follow_their_formulas():
    assert make_schedule("constant")(123) == 1.0
    step = make_schedule("step", every=10, factor=0.5)
    assert [step(t) for t in (0, 9, 10, 25)] == [1.0, 1.0, 0.5, 0.25]
    assert make_schedule("exponential", gamma=0.9)(3) == pytest.approx(0.729)
    cos = make_schedule("cosine", total=100, floor=0.1)
    assert cos(0) == pytest.approx(1.0)
    assert cos(50) == pytest.approx(0.1 + 0.9 * 0.5)
    assert cos(100) == pytest.approx(0.1) == cos(500)


@pytest.mark.parametrize("bad", [dict(name="step", every=0), dict(name="exponential", gamma=1.5),
                                 dict(name="cosine", total=0), dict(name="warp")])
def test_bad_schedules_are_refused(bad):
    name = bad.pop("name")
    with pytest.raises(ValueError):
        make_schedule(name, **bad)


def test_a_race_matches_separate_runs_and_each_stops_on_its_own():
    data = make_preset("outliers")
    obj = line_objective(data.x, data.y, "mse")
    start = np.array([-2.0, 6.0])
    optimizers = {"gd": make_optimizer("gd", lr=5.0), "momentum": make_optimizer("momentum", lr=0.02),
                  "adam": make_optimizer("adam", lr=0.1)}
    schedule = make_schedule("exponential", gamma=0.999)
    race = Race(obj, optimizers, start, schedule)
    race.step(4000)
    assert race.runs["gd"].status == "diverged"
    assert race.runs["gd"].diverged_at is not None and race.runs["gd"].diverged_at < 20
    best = np.array(best_line(data.x, data.y, "mse"))
    for name in ("momentum", "adam"):
        np.testing.assert_allclose(race.runs[name].theta, best, atol=1e-4)
        alone = run_descent(obj, optimizers[name], start, max_steps=race.runs[name].steps, schedule=schedule,
                            gradient_tol=1e-8)
        np.testing.assert_allclose(np.asarray(race.runs[name].thetas), alone.thetas)
    summary = race.summary()
    assert summary["gd"][0] == "diverged" and math.isfinite(summary["gd"][2])


def test_a_schedule_that_reaches_zero_does_not_claim_convergence():
    data = make_preset("linear")
    obj = line_objective(data.x, data.y, "mse")
    result = run_descent(obj, make_optimizer("gd", lr=0.001), np.array([-2.0, 6.0]), max_steps=400,
                         schedule=make_schedule("cosine", total=200))
    assert result.status == "max_steps"
    assert result.costs[-1] > 1.5 * obj.cost(np.array(best_line(data.x, data.y, "mse")))


def test_cross_entropy_on_probabilities_still_pulls_confidently_wrong_points():
    from lossdesk.model import Logistic, Objective

    obj = Objective.create("bce", [[1.0]], [0], Logistic(1))
    cost, grad = obj.cost_and_gradient(np.array([40.0, 0.0]))  # p = σ(40): sure of the wrong class
    assert np.linalg.norm(grad) > 0.5
    logits = Objective.create("bce_logits", [[1.0]], [0], Logistic(1))
    np.testing.assert_allclose(grad, logits.cost_and_gradient(np.array([40.0, 0.0]))[1])
