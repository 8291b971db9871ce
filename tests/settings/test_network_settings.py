"""The network tab's settings: the network's shape, its loss per task, its weights, training."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lossdesk.model import LOSSES, MLP, make_preset
from lossdesk.model.network import MAX_PARAMS
from lossdesk.settings import (
    AppSettings,
    DataSource,
    NetworkSettings,
    OptimizerChoice,
    SettingsError,
    SettingsStore,
)
from lossdesk.settings.network import hidden_text, losses_for, parse_hidden

NET = NetworkSettings()


def refused(make, *words: str) -> str:
    """``make()`` raises SettingsError with one short line holding every word."""
    with pytest.raises(SettingsError) as info:
        make()
    text = str(info.value)
    assert "\n" not in text and len(text) < 160, text
    for word in words:
        assert word in text, text
    return text


def test_the_defaults_are_a_small_network_on_xor():
    assert NET.source.preset == "xor" and NET.hidden == (8,) and NET.activation == "tanh"
    assert NET.loss == "bce" and NET.optimizer.name == "adam" and NET.optimizer.lr == pytest.approx(0.03)
    net = NET.predictor()
    assert net == MLP(2, (8,), 1, "tanh")
    np.testing.assert_array_equal(NET.theta_array, net.initial_params(0))
    assert AppSettings().network == NET


@pytest.mark.parametrize(("text", "widths"), [("8,8", (8, 8)), ("16 16", (16, 16)), (" 4 ", (4,)),
                                              ("", ()), ("none", ()), ("0", ()), ("64,64,64,64", (64,) * 4)])
def test_hidden_layers_read_from_text(text, widths):
    assert parse_hidden(text) == widths
    assert parse_hidden(hidden_text(widths)) == widths


@pytest.mark.parametrize(("text", "word"), [("8,x", "whole numbers"), ("0,3", "1 to 64"), ("65", "1 to 64"),
                                            ("-2", "1 to 64"), ("1,2,3,4,5", "at most 4"), ("2.5", "whole")])
def test_bad_hidden_text_is_one_clear_line(text, word):
    refused(lambda: parse_hidden(text), word)
    refused(lambda: NET.with_hidden(text), word)


def test_a_network_too_big_to_train_live_is_refused():
    data = DataSource.from_preset("xor")
    ok = NetworkSettings(source=data, hidden=(64, 64, 64, 64))
    assert ok.predictor().n_params <= MAX_PARAMS
    three = NET.with_source(DataSource.from_preset("spiral3"))
    refused(lambda: three.with_hidden((64, 64, 64, 64, 64)), "at most 4")
    assert three.with_hidden((64, 64, 64, 64)).predictor().n_params <= MAX_PARAMS
    # a shape change through replace must drop the old θ, else the weights do not fit
    refused(lambda: replace(NET, hidden=(4, 4)), "weights and biases")
    assert replace(NET, hidden=(4, 4), theta=None).predictor().n_params == 37


def test_no_hidden_layer_is_the_linear_model():
    s = NET.with_hidden("none")
    assert s.hidden == () and s.predictor().n_params == 3  # w1, w2, b


def test_the_loss_follows_the_task():
    assert losses_for(make_preset("wave")) == ("mse", "mae", "huber", "logcosh", "quantile")
    assert "bce" in losses_for(make_preset("xor")) and "cce" in losses_for(make_preset("xor"))
    assert all(LOSSES[n].task == "multiclass" for n in losses_for(make_preset("spiral3")))
    wave = NET.with_source(DataSource.from_preset("wave"))
    assert wave.loss == "mse" and wave.predictor().n_features == 1 and wave.predictor().n_outputs == 1
    three = NET.with_source(DataSource.from_preset("spiral3"))
    assert three.loss == "cce" and three.predictor().n_outputs == 3
    back = three.with_source(DataSource.from_preset("xor"))
    assert back.loss == "cce"  # categorical scores two classes too: kept
    assert back.predictor().n_outputs == 2


def test_a_loss_for_the_other_task_is_refused():
    refused(lambda: replace(NET, loss="mse"), "Mean squared error", "labelled points")
    wave = NET.with_source(DataSource.from_preset("wave"))
    refused(lambda: replace(wave, loss="bce"), "x,y points")


def test_a_binary_loss_on_three_classes_waits_with_a_reason():
    s = replace(NET.with_source(DataSource.from_preset("spiral3")), loss="bce", theta=None)
    assert "two classes" in s.label_problem()
    assert NET.label_problem() is None


def test_the_weights_are_checked_whole():
    n = NET.predictor().n_params
    refused(lambda: replace(NET, theta=(0.0,) * (n - 1)), str(n))
    refused(lambda: replace(NET, theta=(float("nan"),) * n), "finite")
    refused(lambda: replace(NET, theta=(1e9,) * n), "between")
    refused(lambda: replace(NET, theta=("1",) * n), "numbers")
    refused(lambda: replace(NET, theta=(True,) * n), "numbers")
    refused(lambda: replace(NET, theta="abc"), "numbers")
    s = NET.with_theta(np.arange(n) / 10)
    assert s.theta == tuple(np.arange(n) / 10) and all(type(v) is float for v in s.theta)


def test_a_new_shape_seed_or_activation_starts_from_its_own_initial_weights():
    moved = NET.with_theta(np.ones(NET.predictor().n_params))
    wider = moved.with_hidden((4, 4))
    np.testing.assert_array_equal(wider.theta_array, MLP(2, (4, 4), 1, "tanh").initial_params(0))
    seeded = moved.with_seed(5)
    np.testing.assert_array_equal(seeded.theta_array, MLP(2, (8,), 1, "tanh").initial_params(5))
    relu = moved.with_activation("relu")
    np.testing.assert_array_equal(relu.theta_array, MLP(2, (8,), 1, "relu").initial_params(0))
    assert moved.start() == tuple(NET.theta)
    # a loss with the same outputs keeps θ; one with another number of outputs starts afresh
    assert moved.with_loss("bce_logits").theta == moved.theta
    assert len(moved.with_loss("cce").theta) == MLP(2, (8,), 2, "tanh").n_params


@pytest.mark.parametrize(("field", "value", "word"), [
    ("test_fraction", 0.6, "test fraction"), ("test_fraction", -0.1, "test fraction"),
    ("batch_size", 0, "batch size"), ("batch_size", 2.5, "batch size"), ("seed", -1, "seed"),
    ("directions", "pca", "directions"), ("view", "sideways", "network view"), ("activation", "gelu", "activation"),
    ("steps_per_frame", 0, "steps per frame"), ("reduction", "max", "reduction"), ("schedule", "warm", "schedule"),
    ("add_label", 2, "class to add"),
])
def test_each_choice_is_checked(field, value, word):
    refused(lambda: replace(NET, **{field: value}), word)


def test_the_schedule_and_its_setting():
    s = replace(NET, schedule="step", schedule_value=20)
    assert s.schedule_setting == 20
    assert replace(NET, schedule="cosine").schedule_setting == 200
    refused(lambda: replace(NET, schedule="step", schedule_value=0), "Step decay")
    assert replace(NET, schedule="constant", schedule_value=3.0).schedule_value is None


def test_the_store_refuses_a_bad_value_and_keeps_the_old():
    store = SettingsStore(NET)
    seen = []
    store.changed.connect(lambda new, old: seen.append(new))
    with pytest.raises(SettingsError):
        store.update(hidden=(0,))
    assert store.value is NET and not seen
    assert store.update(optimizer=OptimizerChoice("sgd"))
    assert store.value.optimizer.name == "sgd" and len(seen) == 1


def test_equal_settings_are_equal_and_a_point_edit_is_not():
    assert NetworkSettings() == NET
    edited = NET.with_source(NET.source.edited(NET.data.with_row(0, {"x1": 5.0, "x2": 5.0})))
    assert edited != NET and edited.source.preset is None and edited.theta == NET.theta


@given(st.lists(st.integers(-3, 80), max_size=6))
def test_any_list_of_widths_is_a_network_or_one_line(widths):
    try:
        s = NET.with_hidden(tuple(widths))
    except SettingsError as exc:
        assert "\n" not in str(exc)
        assert len(widths) > 4 or any(not 1 <= w <= 64 for w in widths)
    else:
        assert s.hidden == tuple(widths) and len(s.theta) == s.predictor().n_params


# ---------------------------------------------------------------- the penalty and the race (issue 15)
def test_the_penalty_starts_off_and_the_training_curves_are_shown():
    assert (NET.penalty, NET.strength, NET.l1_ratio, NET.curves) == ("none", 0.0, 0.5, "training")
    assert NET.penalty_args == {"penalty": None, "strength": 0.0, "l1_ratio": 0.5}


@pytest.mark.parametrize("kind", ["l1", "l2", "elastic"])
def test_a_penalty_is_kept_as_given_and_passed_on_as_the_model_takes_it(kind):
    s = replace(NET, penalty=kind, strength=0.25, l1_ratio=0.75)
    assert s.penalty_args == {"penalty": kind, "strength": 0.25, "l1_ratio": 0.75}
    # choices that rebuild the network keep the penalty
    for changed in (s.with_hidden((4,)), s.with_activation("relu"), s.with_seed(3), s.with_loss("brier"),
                    s.with_source(DataSource.from_preset("moons"))):
        assert changed.penalty_args == s.penalty_args


@pytest.mark.parametrize(("changes", "words"), [
    ({"penalty": "ridge"}, ("penalty",)),
    ({"penalty": "l2", "strength": -0.1}, ("λ", "0", "1000")),
    ({"penalty": "l2", "strength": 5000.0}, ("λ", "1000")),
    ({"penalty": "l2", "strength": float("nan")}, ("λ",)),
    ({"penalty": "l2", "strength": "a lot"}, ("λ",)),
    ({"penalty": "elastic", "l1_ratio": 1.5}, ("ratio", "1")),
    ({"penalty": "elastic", "l1_ratio": -0.2}, ("ratio",)),
    ({"curves": "both"}, ("curves",)),
])
def test_a_bad_penalty_or_page_is_one_clear_line(changes, words):
    refused(lambda: replace(NET, **changes), *words)


def test_the_race_runs_on_two_classes_only():
    assert NET.races
    assert NET.with_source(DataSource.from_preset("circles")).races
    assert not NET.with_source(DataSource.from_preset("spiral3")).races
    assert not NET.with_source(DataSource.from_preset("wave")).races
    # the page may stay chosen for other data: the tab shows the training curves there
    s = replace(NET, curves="race").with_source(DataSource.from_preset("wave"))
    assert s.curves == "race" and not s.races


def test_the_command_line_penalty_reaches_the_network():
    from lossdesk.cli import parse_options

    s = parse_options(["--tab", "network", "--penalty", "elastic", "--strength", "0.2", "--l1-ratio", "0.4"])
    net = s.settings.network
    assert net.penalty_args == {"penalty": "elastic", "strength": 0.2, "l1_ratio": 0.4}
    assert s.settings.regression.penalty == "none" and s.settings.classification.penalty == "none"
    default = parse_options(["--hidden", "4", "--penalty", "l2"]).settings.network
    assert (default.penalty, default.strength, default.hidden) == ("l2", 0.1, (4,))
