"""The classification results equal what the model computes directly, and depend on nothing else."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from lossdesk.model import LOSSES, DescentRun, Objective, make_optimizer, parameter_surface, sigmoid, softmax
from lossdesk.model.classifier_snapshot import classifier_snapshot
from lossdesk.model.losses import PROBABILITY_EPS
from lossdesk.model.results.classification import (
    ClassificationCache,
    compute_classification,
    data_region,
    logit_probe,
    objective_for,
    surface_window,
)
from lossdesk.model.snapshot import SurfaceWindow
from lossdesk.settings import ClassificationSettings, DataSource


def settings(preset: str = "binary_1d", loss: str = "bce", theta=(), **kw) -> ClassificationSettings:
    return ClassificationSettings(source=DataSource.from_preset(preset), loss=loss, theta=tuple(theta), **kw)


CASES = [
    ("binary_1d", "bce", (1.3, -0.2)),
    ("binary_1d", "bce_logits", (0.7, 0.4)),
    ("mislabeled", "hinge", (1.1, 0.3)),
    ("binary_2d", "bce", (1.0, -0.5, 0.2)),
    ("three_classes", "cce", tuple(np.linspace(-1, 1, 9))),
    ("five_classes", "cce_logits", tuple(np.linspace(1, -1, 15))),
]


@pytest.mark.parametrize(("preset", "loss", "theta"), CASES)
def test_the_snapshot_is_the_model_snapshot(preset, loss, theta):
    s = settings(preset, loss, theta)
    res = compute_classification(s)
    direct = classifier_snapshot(s.data, loss, s.predictor(), np.array(theta), s.params)
    np.testing.assert_array_equal(res.snapshot.losses, direct.losses)
    np.testing.assert_array_equal(res.snapshot.probabilities, direct.probabilities)
    assert res.snapshot.cost == direct.cost and res.snapshot.total == direct.total
    assert res.snapshot.n == s.data.n
    assert res.param_names == s.predictor().param_names
    assert res.label_problem is None


def test_the_probability_curve_along_one_feature():
    s = settings(theta=(1.3, -0.2))
    d = compute_classification(s).decision
    assert d.n_features == 1 and (d.x_range, d.y_range) == data_region(s.data)
    np.testing.assert_allclose(d.curve[:, 1], sigmoid(1.3 * d.xs - 0.2))
    np.testing.assert_allclose(d.curve.sum(axis=1), 1.0)
    assert d.xs[0] == d.x_range[0] and d.xs[-1] == d.x_range[1]


def test_the_probability_grid_and_the_boundary_over_the_plane():
    s = settings("binary_2d", theta=(1.0, 2.0, 1.0))
    d = compute_classification(s).decision
    gx, gy = np.linspace(*d.x_range, d.grid.shape[0]), np.linspace(*d.y_range, d.grid.shape[1])
    a, c = 10, 70
    assert d.grid[a, c, 1] == pytest.approx(float(sigmoid(gx[a] + 2 * gy[c] + 1.0)))
    np.testing.assert_allclose(d.boundary_y, -(d.boundary_x + 1.0) / 2.0)
    k = settings("three_classes", "cce", np.linspace(-1, 1, 9))
    dk = compute_classification(k).decision
    gx, gy = np.linspace(*dk.x_range, dk.grid.shape[0]), np.linspace(*dk.y_range, dk.grid.shape[1])
    z = k.predictor().raw(k.theta_array, np.array([[gx[a], gy[c]]]))
    np.testing.assert_allclose(dk.grid[a, c], softmax(z)[0])
    assert dk.boundary_x.size == 0  # K classes: regions, no single boundary


def test_loss_against_confidence():
    s = settings(theta=(1.3, -0.2))
    res = compute_classification(s)
    conf, snap = res.confidence, res.snapshot
    assert conf.kind == "log"
    np.testing.assert_array_equal(conf.point_x, snap.p_true)
    np.testing.assert_array_equal(conf.point_y, snap.losses)
    np.testing.assert_allclose(conf.curve_y, -np.log(conf.curve_x))
    assert conf.curve_x.min() == pytest.approx(PROBABILITY_EPS ** 3, rel=1) and conf.curve_x.max() == 1.0
    hinge = compute_classification(s.with_loss("hinge")).confidence
    z = 1.3 * s.data.x[:, 0] - 0.2
    t = 2.0 * s.data.labels - 1.0
    assert hinge.kind == "hinge"
    np.testing.assert_allclose(hinge.point_x, np.clip(t * z, -3, 3))
    np.testing.assert_allclose(hinge.point_y, np.maximum(0.0, 1.0 - t * z))
    np.testing.assert_allclose(hinge.curve_y, np.maximum(0.0, 1.0 - hinge.curve_x))


@pytest.mark.parametrize(("preset", "loss", "theta", "axes"), [
    ("binary_1d", "bce", (1.3, -0.2), (0, 1)),
    ("binary_2d", "bce_logits", (1.0, -0.5, 0.2), (2, 0)),
    ("three_classes", "cce", tuple(np.linspace(-1, 1, 9)), (4, 7)),
])
def test_the_surface_is_the_parameter_surface(preset, loss, theta, axes):
    s = settings(preset, loss, theta, surface_axes=axes)
    surf = compute_classification(s).surface
    i, j = axes
    assert surf.axes == axes and surf.labels == (s.predictor().param_names[i], s.predictor().param_names[j])
    assert surf.current == (theta[i], theta[j]) and surf.window.contains(*surf.current)
    obj = Objective.create(loss, s.data.x, s.data.labels, s.predictor(), **s.params)
    z = parameter_surface(obj, np.array(theta), i, j, surf.window.w_grid, surf.window.b_grid)
    np.testing.assert_allclose(surf.z, z)


def test_the_window_follows_theta_alone_and_holds_it_well_inside():
    assert surface_window(np.array([0.0, 0.0]), 0, 1) == SurfaceWindow((-4.0, 4.0), (-4.0, 4.0), 64)
    w = surface_window(np.array([10.0, -3.0]), 0, 1)
    assert w.w_range == (-16.0, 16.0)
    # the same θ reached another way gives the same window (no history)
    cache = ClassificationCache()
    compute_classification(settings(theta=(30.0, 1.0)), cache=cache)
    again = compute_classification(settings(theta=(1.0, 1.0)), cache=cache).surface.window
    assert again == compute_classification(settings(theta=(1.0, 1.0))).surface.window
    # a window held during a gesture is kept while θ is inside it
    held = SurfaceWindow((-2.0, 6.0), (-3.0, 3.0), 64)
    assert compute_classification(settings(theta=(5.0, 0.0)), hold_window=held).surface.window == held
    assert compute_classification(settings(theta=(7.0, 0.0)), hold_window=held).surface.window != held


def test_the_run_path_and_costs():
    s = settings("binary_2d", surface_axes=(2, 1))
    run = DescentRun(objective_for(s), make_optimizer("gd", lr=0.5), s.theta_array)
    run.advance(25)
    s = s.with_theta(run.theta)
    res = compute_classification(s, run)
    np.testing.assert_array_equal(res.path.points, np.asarray(run.thetas)[:, [2, 1]])
    np.testing.assert_array_equal(res.path.costs, run.costs)
    assert res.path.steps == 25 and res.path.status == run.status and res.path.message == run.message
    assert res.snapshot.cost == pytest.approx(run.costs[-1])
    assert res.surface.window.contains(*np.abs(np.asarray(run.thetas)[:, [2, 1]]).max(axis=0))
    alone = compute_classification(s).path
    np.testing.assert_array_equal(alone.points, [[s.theta[2], s.theta[1]]])
    assert alone.steps == 0 and alone.status is None and alone.costs.tolist() == [res.snapshot.cost]


def test_the_selected_point():
    s = settings("three_classes", "cce", np.linspace(-1, 1, 9))
    res = compute_classification(s, selected=4)
    p = softmax(s.predictor().raw(s.theta_array, s.data.x))
    np.testing.assert_allclose(res.selected.probabilities, p[4])
    assert res.selected.true_class == s.data.labels[4]
    assert res.selected.p_true == pytest.approx(p[4, s.data.labels[4]])
    assert res.selected.loss == pytest.approx(LOSSES["cce"].value(s.data.labels, p)[4])
    assert compute_classification(s, selected=None).selected is None
    assert compute_classification(s, selected=s.data.n).selected is None


def test_both_ways_counts_the_clipped_points():
    s = settings(theta=(60.0, 0.0))
    both = compute_classification(s).both_ways
    z = 60.0 * s.data.x[:, 0]
    y = s.data.labels.astype(float)
    assert both.from_probabilities == pytest.approx(float(LOSSES["bce"].value(y, sigmoid(z)).mean()))
    assert both.from_logits == pytest.approx(float(LOSSES["bce_logits"].value(y, z).mean()))
    p_true = np.where(y == 1, sigmoid(z), 1 - sigmoid(z))
    assert both.clipped == int(np.sum((p_true < PROBABILITY_EPS) | (p_true > 1 - PROBABILITY_EPS))) > 0
    assert both.from_logits < both.from_probabilities
    assert compute_classification(s.with_loss("hinge")).both_ways is None


def test_a_label_problem_computes_nothing_else():
    s = settings("three_classes", "bce")
    res = compute_classification(s)
    assert res.label_problem == s.label_problem() and "needs two classes" in res.label_problem
    assert res.snapshot is res.decision is res.surface is res.path is res.selected is None
    assert res.region == data_region(s.data)


def test_results_are_a_pure_function_of_their_inputs():
    s = settings("binary_2d", theta=(0.4, -0.3, 0.1), surface_axes=(0, 2))
    warm = ClassificationCache()
    compute_classification(settings("three_classes", "cce"), cache=warm)
    a = compute_classification(s, cache=warm, selected=2)
    b = compute_classification(s, cache=warm, selected=2)
    c = compute_classification(ClassificationSettings(source=DataSource.own(s.data), theta=s.theta,
                                                      surface_axes=(0, 2)), selected=2)
    assert a == b == c
    assert a != compute_classification(s.with_theta((0.4, -0.3, 0.2)), selected=2)
    assert a != compute_classification(s, selected=3)


def test_any_value_with_the_fields_will_do():
    real = settings(theta=(1.3, -0.2))
    duck = SimpleNamespace(data=real.data, loss="bce", params={}, theta=(1.3, -0.2), surface_axes=(0, 1),
                           predictor=real.predictor, label_problem=lambda: None)
    assert compute_classification(duck) == compute_classification(real)


def test_the_logit_probe():
    z = np.array([3.0, -1.0, 0.5])
    probe = logit_probe(z, 1)
    np.testing.assert_allclose(probe.probabilities, softmax(z[None, :])[0])
    assert probe.loss == pytest.approx(np.log(np.exp(z).sum()) - z[1])
    with pytest.raises(ValueError):
        logit_probe(z, 3)


def test_the_cache_only_memoises():
    s = settings("binary_2d", theta=(0.4, -0.3, 0.1))  # the surface is over (w1, w2); b is held
    cache = ClassificationCache()
    first = compute_classification(s, cache=cache).surface.z
    # only θ_i, θ_j moved: the same surface, not computed again
    assert compute_classification(s.with_theta((0.5, 0.2, 0.1)), cache=cache).surface.z is first
    # the held parameter moved: a new surface, equal to one computed from nothing
    moved = s.with_theta((0.5, 0.2, 0.3))
    z = compute_classification(moved, cache=cache).surface.z
    assert z is not first
    np.testing.assert_array_equal(z, compute_classification(moved).surface.z)
