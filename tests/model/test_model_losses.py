"""Every registered loss: exact values, analytic gradients, reductions, input checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lossdesk.model import (
    BINARY_LOSSES,
    LOSSES,
    MULTICLASS_LOSSES,
    REGRESSION_LOSSES,
    Loss,
    get_loss,
)

EPS = 1e-7
ALL = sorted(LOSSES)


def fd4(f, x: np.ndarray, h: float) -> np.ndarray:
    """Fourth-order central difference of an element-wise function f at x."""
    return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)


def logsumexp_rows(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=1)
    return m + np.log(np.exp(z - m[:, None]).sum(axis=1))


# ------------------------------------------------------------------ hand-picked values
# name -> list of (y_true, y_pred, params, expected per-example values)
HAND_VALUES: dict[str, list[tuple]] = {
    "mse": [
        ([1.0, 0.0, 2.0], [3.0, -0.5, 2.0], {}, [4.0, 0.25, 0.0]),
    ],
    "mae": [
        ([1.0, 2.0, 5.0], [3.0, -1.0, 5.0], {}, [2.0, 3.0, 0.0]),
    ],
    "huber": [
        ([0.0, 0.0, 0.0, 0.0], [0.5, 3.0, -3.0, 1.0], {}, [0.125, 2.5, 2.5, 0.5]),
        ([0.0, 0.0, 1.0], [0.5, 3.0, -2.0], {"delta": 1.0}, [0.125, 2.5, 2.5]),
        ([0.0, 0.0], [3.0, -1.5], {"delta": 2.0}, [4.0, 1.125]),
        ([0.0], [3.0], {"delta": 0.5}, [0.5 * (3.0 - 0.25)]),
    ],
    "logcosh": [
        ([0.0, 0.0, 1.0, 3.0], [0.0, 1.0, -1.0, 3.5], {},
         [0.0, np.log(np.cosh(1.0)), np.log(np.cosh(2.0)), np.log(np.cosh(0.5))]),
        # far residuals: |e| − log 2 without overflowing cosh
        ([0.0, 0.0], [1000.0, -1000.0], {}, [1000.0 - np.log(2.0)] * 2),
    ],
    "quantile": [
        ([3.0, 1.0, 2.0], [1.0, 3.0, 2.0], {"tau": 0.9}, [1.8, 0.2, 0.0]),
        ([3.0, 1.0], [1.0, 3.0], {"tau": 0.1}, [0.2, 1.8]),
        ([3.0, 1.0], [1.0, 3.0], {}, [1.0, 1.0]),  # default τ = 0.5
    ],
    "bce": [
        ([1.0, 0.0, 1.0, 0.0], [0.8, 0.8, 0.5, 0.25], {},
         [-np.log(0.8), -np.log(0.2), np.log(2.0), -np.log(0.75)]),
        # clipped to [1e-7, 1 − 1e-7]: a confident wrong answer costs −log(1e-7), not ∞
        ([1.0, 0.0], [0.0, 1.0], {}, [-np.log(EPS), -np.log1p(-(1.0 - EPS))]),
        # a confident right answer costs −log(1 − 1e-7), not 0
        ([1.0, 0.0], [1.0, 0.0], {}, [-np.log(1.0 - EPS), -np.log1p(-EPS)]),
    ],
    "bce_logits": [
        ([1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 2.0, 2.0], {},
         [np.log(2.0), np.log(2.0), np.log1p(np.exp(-2.0)), 2.0 + np.log1p(np.exp(-2.0))]),
        # large |z| stays finite and exact (no overflow in exp)
        ([0.0, 1.0, 1.0, 0.0], [1000.0, -1000.0, 1000.0, -1000.0], {}, [1000.0, 1000.0, 0.0, 0.0]),
    ],
    "cce": [
        ([1, 0, 2], [[0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.25, 0.25, 0.5]], {},
         [-np.log(0.5), -np.log(0.1), -np.log(0.5)]),
        ([0, 1], [[0.0, 1.0], [0.0, 1.0]], {}, [-np.log(EPS), -np.log(1.0 - EPS)]),
    ],
    "cce_logits": [
        ([0, 2], [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], {},
         [logsumexp_rows(np.array([[1.0, 2.0, 3.0]]))[0] - 1.0, np.log(3.0)]),
        ([1, 0], [[1000.0, 0.0], [1000.0, 0.0]], {}, [1000.0, 0.0]),
    ],
    "hinge": [
        ([1.0, 0.0, 1.0, 0.0, 1.0, 0.0], [0.3, 0.3, 2.0, -2.0, -1.0, 1.0], {},
         [0.7, 1.3, 0.0, 0.0, 2.0, 2.0]),
    ],
    "brier": [
        ([1.0, 0.0, 1.0, 0.0], [0.8, 0.8, 0.0, 0.0], {}, [0.04, 0.64, 1.0, 0.0]),
    ],
}


def test_every_loss_has_hand_values_and_fd_points():
    assert set(HAND_VALUES) == set(LOSSES)
    assert set(FD_POINTS) == set(LOSSES)


def test_loss_groups_partition_the_registry():
    assert set(REGRESSION_LOSSES) == {"mse", "mae", "huber", "logcosh", "quantile"}
    assert set(BINARY_LOSSES) == {"bce", "bce_logits", "hinge", "brier"}
    assert set(MULTICLASS_LOSSES) == {"cce", "cce_logits"}
    for name, loss in LOSSES.items():
        assert isinstance(loss, Loss)
        assert loss.name == name
        assert get_loss(name) is loss
        assert get_loss(name.upper()) is loss
        assert get_loss(loss) is loss
        assert loss.formula and loss.title and loss.domain


@pytest.mark.parametrize("name", ALL)
def test_values_at_hand_picked_points(name):
    loss = LOSSES[name]
    for y, p, params, expected in HAND_VALUES[name]:
        got = loss.value(y, p, **params)
        assert got.shape == (len(expected),)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_bce_logits_large_logits_raise_no_overflow_warning():
    # filterwarnings=error turns any overflow RuntimeWarning into a failure here
    loss = LOSSES["bce_logits"]
    z = np.array([1000.0, -1000.0, 745.0, -745.0, 1e300, -1e300])
    y = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    v = loss.value(y, z)
    np.testing.assert_allclose(v, np.abs(z), rtol=1e-15)
    g = loss.gradient(y, z)
    np.testing.assert_allclose(g, [1.0, -1.0, 1.0, -1.0, 1.0, -1.0])


def test_cce_logits_equals_logsumexp_minus_true_logit():
    rng = np.random.default_rng(1)
    z = rng.normal(0, 3, (20, 4))
    y = rng.integers(0, 4, 20)
    expected = logsumexp_rows(z) - z[np.arange(20), y]
    np.testing.assert_allclose(LOSSES["cce_logits"].value(y, z), expected, rtol=1e-12)
    # shifting every logit of a row by a constant changes nothing
    np.testing.assert_allclose(LOSSES["cce_logits"].value(y, z + 500.0), expected, rtol=1e-9, atol=1e-12)


def test_logcosh_is_log_of_cosh():
    e = np.linspace(-20, 20, 401)
    np.testing.assert_allclose(
        LOSSES["logcosh"].value(np.zeros_like(e), e), np.log(np.cosh(e)), rtol=1e-12, atol=1e-15
    )


def test_regression_losses_depend_on_residual_only():
    rng = np.random.default_rng(2)
    y = rng.normal(0, 5, 30)
    p = rng.normal(0, 5, 30)
    for name in REGRESSION_LOSSES:
        loss = LOSSES[name]
        np.testing.assert_allclose(loss.value(y, p), loss.of_residual(p - y), rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------ gradients vs FD
def _fd_points() -> dict[str, list[tuple]]:
    """Points away from kinks and clip edges: (y, p, params, h)."""
    rng = np.random.default_rng(7)
    n = 40
    y = rng.normal(0, 2, n)
    # residuals of size 0.2 … 3 with random signs: away from e = 0
    e = rng.uniform(0.2, 3.0, n) * rng.choice([-1.0, 1.0], n)
    labels = rng.integers(0, 2, n).astype(float)
    probs = rng.uniform(0.05, 0.95, n)
    logits = rng.normal(0, 3, n)
    scores = rng.normal(0, 2, n)
    t = 2 * labels - 1
    scores = np.where(np.abs(1 - t * scores) < 0.1, scores + 0.5, scores)  # off the hinge kink
    k = 4
    cls = rng.integers(0, k, n)
    prob_rows = rng.uniform(0.05, 0.95, (n, k))
    logit_rows = rng.normal(0, 3, (n, k))
    # Huber: keep |e| away from δ
    e_h = np.where(np.abs(np.abs(e) - 1.0) < 0.1, e * 1.5, e)
    e_h2 = np.where(np.abs(np.abs(e) - 0.7) < 0.1, e * 1.5, e)
    return {
        "mse": [(y, y + e, {}, 1e-3)],
        "mae": [(y, y + e, {}, 1e-3)],
        "huber": [(y, y + e_h, {}, 1e-3), (y, y + e_h2, {"delta": 0.7}, 1e-3)],
        "logcosh": [(y, y + e, {}, 1e-3), (y, y + 5 * e, {}, 1e-3)],
        "quantile": [(y, y + e, {"tau": 0.9}, 1e-3), (y, y + e, {"tau": 0.25}, 1e-3)],
        "bce": [(labels, probs, {}, 1e-5)],
        "bce_logits": [(labels, logits, {}, 1e-3)],
        "hinge": [(labels, scores, {}, 1e-3)],
        "brier": [(labels, probs, {}, 1e-5)],
        "cce": [(cls, prob_rows, {}, 1e-5)],
        "cce_logits": [(cls, logit_rows, {}, 1e-3)],
    }


FD_POINTS = _fd_points()


@pytest.mark.parametrize("name", ALL)
def test_gradient_matches_fourth_order_finite_differences(name):
    loss = LOSSES[name]
    for y, p, params, h in FD_POINTS[name]:
        g = loss.gradient(y, p, **params)
        assert g.shape == np.shape(p)
        if p.ndim == 1:
            fd = fd4(lambda q: loss.value(y, q, **params), p, h)
        else:
            fd = np.empty_like(p)
            for k in range(p.shape[1]):
                def f(col, k=k):
                    q = p.copy()
                    q[:, k] = col
                    return loss.value(y, q, **params)

                fd[:, k] = fd4(f, p[:, k], h)
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-7)


def test_gradients_at_kinks_and_clip_edges_follow_the_documented_choice():
    # MAE: sign(e), 0 at e = 0 (as PyTorch)
    np.testing.assert_array_equal(LOSSES["mae"].gradient([1.0, 1.0, 1.0], [0.0, 1.0, 2.0]), [-1, 0, 1])
    # Huber: clip(e, −δ, δ)
    np.testing.assert_allclose(
        LOSSES["huber"].gradient(np.zeros(4), [-3.0, -0.5, 0.5, 3.0], delta=2.0), [-2.0, -0.5, 0.5, 2.0]
    )
    # quantile: −τ under-predicting, 1 − τ over-predicting, 0 exactly on
    np.testing.assert_allclose(
        LOSSES["quantile"].gradient([3.0, 1.0, 2.0], [1.0, 3.0, 2.0], tau=0.9), [-0.9, 0.1, 0.0]
    )
    # hinge: −t inside the margin, 0 outside
    np.testing.assert_allclose(LOSSES["hinge"].gradient([1.0, 0.0, 1.0, 0.0], [0.3, 0.3, 2.0, -2.0]),
                               [-1.0, 1.0, 0.0, 0.0])
    # BCE: flat (gradient 0) where the clip is active
    np.testing.assert_array_equal(LOSSES["bce"].gradient([1.0, 0.0], [0.0, 1.0]), [0.0, 0.0])
    # CCE: −1/p at the true class only
    g = LOSSES["cce"].gradient([1], [[0.2, 0.5, 0.3]])
    np.testing.assert_allclose(g, [[0.0, -2.0, 0.0]])
    # CCE on logits: softmax − one-hot
    z = np.array([[0.0, np.log(3.0)]])
    np.testing.assert_allclose(LOSSES["cce_logits"].gradient([0], z), [[0.25 - 1.0, 0.75]])


# ------------------------------------------------------------------ reductions
def _valid_input(name: str):
    """Small valid (y_true, y_pred) for each loss."""
    task = LOSSES[name].task
    if task == "regression":
        return np.array([1.0, -2.0, 0.5, 4.0]), np.array([0.0, 1.0, 0.0, -1.0])
    if task == "binary":
        pred = [0.9, 0.2, 0.6, 0.05] if LOSSES[name].prediction == "probability" else [0.5, -0.5, 0.3, -3.0]
        return np.array([1.0, 0.0, 0.0, 1.0]), np.array(pred)
    if LOSSES[name].prediction == "probability":
        return np.array([0, 2, 1]), np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.1, 0.8, 0.1]])
    return np.array([0, 2, 1]), np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 0.0], [-1.0, 3.0, 0.0]])


@pytest.mark.parametrize("name", ALL)
def test_cost_reductions(name):
    loss = LOSSES[name]
    y, p = _valid_input(name)
    per = loss.value(y, p)
    assert per.shape == (y.shape[0],)
    assert np.all(per > 0)  # every chosen example has some loss, so sums differ from means
    none = loss.cost(y, p, reduction="none")
    np.testing.assert_array_equal(none, per)
    assert loss.cost(y, p) == pytest.approx(per.mean(), rel=1e-15)
    assert loss.cost(y, p, reduction="mean") == pytest.approx(per.sum() / y.shape[0], rel=1e-14)
    assert loss.cost(y, p, reduction="sum") == pytest.approx(per.sum(), rel=1e-15)
    assert isinstance(loss.cost(y, p), float)
    assert isinstance(loss.cost(y, p, reduction="sum"), float)
    with pytest.raises(ValueError, match="reduction must be one of none, mean, sum"):
        loss.cost(y, p, reduction="average")


@pytest.mark.parametrize("name", MULTICLASS_LOSSES)
def test_one_hot_labels_equal_index_labels(name):
    loss = LOSSES[name]
    y, p = _valid_input(name)
    one_hot = np.eye(p.shape[1])[y]
    np.testing.assert_array_equal(loss.value(one_hot, p), loss.value(y, p))
    np.testing.assert_array_equal(loss.gradient(one_hot, p), loss.gradient(y, p))
    assert loss.cost(one_hot, p, reduction="sum") == loss.cost(y, p, reduction="sum")
    # float index labels that are whole numbers are accepted too
    np.testing.assert_array_equal(loss.value(y.astype(float), p), loss.value(y, p))


@pytest.mark.parametrize("name", MULTICLASS_LOSSES)
def test_bad_one_hot_labels_are_rejected(name):
    loss = LOSSES[name]
    _, p = _valid_input(name)
    two_ones = np.array([[1, 1, 0], [0, 0, 1], [0, 1, 0]])
    with pytest.raises(ValueError, match="exactly one 1 per row"):
        loss.value(two_ones, p)
    with pytest.raises(ValueError, match="one-hot labels have shape"):
        loss.value(np.eye(4)[[0, 1, 2]], p)


# ------------------------------------------------------------------ invalid input
@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("where", ["y_true", "y_pred"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_rejected(name, where, bad):
    loss = LOSSES[name]
    y, p = _valid_input(name)
    y, p = y.astype(float), p.astype(float)
    target = y if where == "y_true" else p
    target.flat[1] = bad
    for method in (loss.value, loss.gradient, loss.cost):
        with pytest.raises(ValueError, match=rf"{where} holds a NaN or infinite value \(at position"):
            method(y, p)


@pytest.mark.parametrize("name", ALL)
def test_mismatched_lengths_are_rejected(name):
    loss = LOSSES[name]
    y, p = _valid_input(name)
    message = "must have the same length" if loss.task != "multiclass" else r"got 2 labels for 3 predictions"
    with pytest.raises(ValueError, match=message):
        loss.value(y[:-1], p)
    with pytest.raises(ValueError, match=message if loss.task != "multiclass" else "got 3 labels for 2"):
        loss.gradient(y, p[:-1])


@pytest.mark.parametrize("name", ALL)
def test_empty_input_is_rejected(name):
    loss = LOSSES[name]
    empty_pred = np.zeros((0, 3)) if loss.task == "multiclass" else np.zeros(0)
    with pytest.raises(ValueError, match="empty: a loss needs at least one example"):
        loss.value(np.zeros(0), empty_pred)
    with pytest.raises(ValueError, match="empty"):
        loss.cost([], [])


def test_non_numeric_input_is_rejected():
    with pytest.raises(ValueError, match="y_pred must contain only numbers"):
        LOSSES["mse"].value([1.0, 2.0], ["a", "b"])


def test_regression_losses_need_one_dimensional_input():
    with pytest.raises(ValueError, match="1-D"):
        LOSSES["mse"].value(np.zeros((2, 2)), np.zeros((2, 2)))


@pytest.mark.parametrize("name", BINARY_LOSSES)
@pytest.mark.parametrize("label", [-1.0, 2.0, 0.5])
def test_binary_labels_must_be_zero_or_one(name, label):
    loss = LOSSES[name]
    y, p = _valid_input(name)
    y = y.copy()
    y[2] = label
    with pytest.raises(ValueError, match=rf"needs labels 0 or 1; example 2 has label {label:g}"):
        loss.value(y, p)


@pytest.mark.parametrize("name", MULTICLASS_LOSSES)
def test_class_index_out_of_range(name):
    loss = LOSSES[name]
    y, p = _valid_input(name)
    for bad, msg in ((3, "class index 3 of example 1 is out of range: with 3 classes the labels are 0 to 2"),
                     (-1, "class index -1 of example 1 is out of range")):
        y2 = y.copy()
        y2[1] = bad
        with pytest.raises(ValueError, match=msg):
            loss.value(y2, p)
    with pytest.raises(ValueError, match="whole numbers; example 0 has 0.5"):
        loss.value([0.5, 1, 1], p)


@pytest.mark.parametrize("name", MULTICLASS_LOSSES)
def test_multiclass_predictions_need_shape_n_by_k(name):
    with pytest.raises(ValueError, match=r"shape \(n, K\) with K ≥ 2"):
        LOSSES[name].value([0, 1], [0.3, 0.6])
    with pytest.raises(ValueError, match=r"shape \(n, K\) with K ≥ 2"):
        LOSSES[name].value([0, 0], [[1.0], [1.0]])


@pytest.mark.parametrize("name", ["bce", "cce"])
@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_probabilities_must_lie_in_unit_interval(name, bad):
    loss = LOSSES[name]
    y, p = _valid_input(name)
    p = p.copy()
    p.flat[1] = bad
    with pytest.raises(ValueError, match=rf"probabilities must lie in \[0, 1\]; entry 1 is {bad:g}"):
        loss.value(y, p)
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        loss.gradient(y, p)


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("huber", {"delta": 0.0}, r"delta must lie between 0 and ∞ \(exclusive\), not 0"),
        ("huber", {"delta": -1.0}, r"delta must lie between 0 and ∞ \(exclusive\), not -1"),
        ("huber", {"delta": np.inf}, "delta must lie between"),
        ("huber", {"delta": np.nan}, "delta must lie between"),
        ("huber", {"delta": "wide"}, "delta must be a number, not 'wide'"),
        ("quantile", {"tau": 0.0}, r"tau must lie between 0 and 1 \(exclusive\), not 0"),
        ("quantile", {"tau": 1.0}, r"tau must lie between 0 and 1 \(exclusive\), not 1"),
        ("quantile", {"tau": 1.5}, r"tau must lie between 0 and 1 \(exclusive\), not 1.5"),
        ("quantile", {"tau": -0.2}, "tau must lie between 0 and 1"),
        ("huber", {"tau": 0.5}, r"Huber loss does not take tau \(it takes delta\)"),
        ("quantile", {"delta": 1.0}, r"does not take delta \(it takes tau\)"),
        ("mse", {"delta": 1.0}, r"Mean squared error does not take delta \(it takes no parameters\)"),
        ("bce", {"alpha": 1.0}, "does not take alpha"),
        ("cce_logits", {"smoothing": 0.1}, "does not take smoothing"),
    ],
)
def test_bad_parameters_are_rejected(name, params, message):
    loss = LOSSES[name]
    y, p = _valid_input(name)
    for method in (loss.value, loss.gradient, loss.cost):
        with pytest.raises(ValueError, match=message):
            method(y, p, **params)


def test_unknown_loss_name():
    with pytest.raises(ValueError, match="unknown loss 'l2'; choose one of mse, mae"):
        get_loss("l2")


# ------------------------------------------------------------------ properties
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
unit = st.floats(0.0, 1.0)


@st.composite
def loss_inputs(draw):
    name = draw(st.sampled_from(ALL))
    loss = LOSSES[name]
    n = draw(st.integers(1, 12))
    params = {}
    if name == "huber":
        params["delta"] = draw(st.floats(1e-3, 1e3))
    if name == "quantile":
        params["tau"] = draw(st.floats(1e-3, 1 - 1e-3))
    if loss.task == "regression":
        y = draw(hnp.arrays(float, n, elements=finite))
        p = draw(hnp.arrays(float, n, elements=finite))
    elif loss.task == "binary":
        y = draw(hnp.arrays(float, n, elements=st.sampled_from([0.0, 1.0])))
        p = draw(hnp.arrays(float, n, elements=unit if loss.prediction == "probability" else finite))
    else:
        k = draw(st.integers(2, 5))
        y = draw(hnp.arrays(np.int64, n, elements=st.integers(0, k - 1)))
        p = draw(hnp.arrays(float, (n, k), elements=unit if loss.prediction == "probability" else finite))
    return name, y, p, params


@given(loss_inputs())
def test_losses_are_non_negative_and_finite_on_finite_input(case):
    name, y, p, params = case
    loss = LOSSES[name]
    v = loss.value(y, p, **params)
    g = loss.gradient(y, p, **params)
    assert v.shape == (y.shape[0],)
    assert np.all(np.isfinite(v)), (name, v)
    assert np.all(v >= 0), (name, v)
    assert np.all(np.isfinite(g)), (name, g)
    assert np.isfinite(loss.cost(y, p, **params))
