"""The settings values check themselves whole, say what is wrong in one line, and the store
announces each real change once."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from lossdesk.lesson_text import load_lesson
from lossdesk.model import make_preset, parse_csv
from lossdesk.settings import (
    AppSettings,
    ClassificationSettings,
    DataSource,
    DescentLabSettings,
    OptimizerChoice,
    OutlierLabSettings,
    RegressionSettings,
    SettingsError,
    SettingsStore,
    changed_fields,
)
from lossdesk.settings.data_source import labelled_points, regression_points


def refused(make, *words: str) -> str:
    """``make()`` raises SettingsError with one short line holding every word."""
    with pytest.raises(SettingsError) as info:
        make()
    text = str(info.value)
    assert "\n" not in text and len(text) < 160, text
    for word in words:
        assert word in text, text
    return text


REG = RegressionSettings()
CLS = ClassificationSettings()


# ---------------------------------------------------------------- validation messages
@pytest.mark.parametrize("loss", ["nope", ["mse"], {"mse": 1}, None, 3])
def test_a_bad_loss_names_the_field(loss):
    refused(lambda: replace(REG, loss=loss), "regression loss", "mse")
    refused(lambda: replace(CLS, loss=loss), "classification loss", "bce")


def test_a_regression_loss_is_not_a_classification_loss():
    refused(lambda: CLS.with_loss("mse"), "classification loss")


def test_the_outlier_must_be_one_of_the_points():
    n = REG.data.n
    refused(lambda: replace(REG, outlier=n), "outlier", f"0 to {n - 1}")
    refused(lambda: replace(REG, outlier=-1), "outlier")
    assert replace(REG, outlier=n - 1).outlier == n - 1


@pytest.mark.parametrize("row", [True, False, 2.0, "3", [1]])
def test_the_outlier_is_a_row_number_not_a_bool(row):
    refused(lambda: replace(REG, outlier=row), "outlier")


def test_theta_must_fit_the_classifier():
    n = CLS.predictor().n_params
    refused(lambda: replace(CLS, theta=(0.0,) * (n + 1)), f"{n} weights", str(n + 1))
    refused(lambda: replace(CLS, theta=5), "weights")
    assert replace(CLS, theta=()).theta == (0.0,) * n  # empty: start from zeros


def test_schedule_values_out_of_range():
    refused(lambda: DescentLabSettings(schedule="step", schedule_value=0), "Step decay", "every")
    refused(lambda: DescentLabSettings(schedule="exponential", schedule_value=2.0), "Exponential")
    refused(lambda: DescentLabSettings(schedule="cosine", schedule_value=10.5), "whole")
    refused(lambda: DescentLabSettings(schedule="step", schedule_value="x" * 500), "Step decay")
    assert DescentLabSettings(schedule="step", schedule_value=25).schedule_setting == 25
    assert DescentLabSettings(schedule="constant", schedule_value=3.0).schedule_value is None


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e400, 10**400, "1", None, [1.0]])
def test_numbers_must_be_finite_and_reasonable(value):
    refused(lambda: replace(REG, w=value), "w")
    refused(lambda: replace(REG, outlier_base=value), "outlier")
    refused(lambda: DescentLabSettings(start=(value, 0.0)), "start")
    refused(lambda: replace(CLS, theta=(value,) + (0.0,) * (CLS.predictor().n_params - 1)), "weight")
    refused(lambda: OptimizerChoice("gd", {"lr": value}), "learning rate")


def test_loss_parameters():
    refused(lambda: REG.with_loss_param("huber", "delta", -1.0), "delta")
    refused(lambda: REG.with_loss_param("huber", "delta", math.nan), "delta")
    refused(lambda: REG.with_loss_param("huber", "gamma", 1.0), "gamma")
    refused(lambda: replace(REG, loss_params={"bce": {}}), "bce")
    # a loss whose parameters are missing takes its defaults
    assert replace(REG, loss_params={"huber": {}}).loss_params["huber"] == {"delta": 1.0}
    assert replace(REG, loss="quantile", loss_params={}).params == {"tau": 0.5}


def test_optimizer_choices():
    refused(lambda: OptimizerChoice("zz"), "optimizer")
    refused(lambda: OptimizerChoice("sgd", {"batch_size": 1e12}), "batch")
    refused(lambda: OptimizerChoice("sgd", {"batch_size": 2.5}), "whole")
    refused(lambda: OptimizerChoice("gd", {"momentum": 0.9}), "no setting")
    refused(lambda: OptimizerChoice("gd", {"lr": "x" * 1000}), "learning rate")
    assert OptimizerChoice.default("adam").values == {"lr": 0.1, "beta1": 0.9, "beta2": 0.999}


def test_data_sources():
    linear = make_preset("linear")
    refused(lambda: DataSource(linear, "nope"), "built-in")
    refused(lambda: DataSource(linear, "binary_1d"), "regression")
    refused(lambda: DataSource(linear, None, 1.0), "noise")
    refused(lambda: DataSource(linear, "linear", -1.0), "noise")
    refused(lambda: replace(REG, source=DataSource.from_preset("binary_1d")), "x,y")
    own = DataSource.own(parse_csv("x,y\n1,2\n", "mine.csv"))
    assert own.own_data and own.noise_level is None
    assert DataSource.from_preset("linear", 1.5).noise_level == 1.5


@pytest.mark.parametrize("n_classes", [1, 11, 10**9, 2.5, True, "3", [3]])
def test_labelled_points_from_plain_values_check_n_classes(n_classes):
    refused(lambda: labelled_points([[0.0], [1.0]], [0, 1], n_classes), "n_classes")
    assert labelled_points([[0.0], [1.0]], [0, 1], 3).n_classes == 3
    assert labelled_points([0.0, 1.0], [0, 1]).n_classes == 2  # None: from the labels


@pytest.mark.parametrize("bad", [5, "x", None, [True, 1.0], ["1", 1.0], [[1.0], 2.0], [1.0, None]])
def test_points_from_plain_values_are_numbers(bad):
    refused(lambda: regression_points(bad, [1.0, 2.0]), "data x")
    refused(lambda: regression_points([1.0, 2.0], bad), "data y")
    refused(lambda: labelled_points(bad, [0, 1]), "data x")
    refused(lambda: labelled_points([0.0, 1.0], bad), "data labels")


def test_points_from_plain_values():
    refused(lambda: labelled_points([[0.0], [1.0, 2.0]], [0, 1]), "data x", "point 1")
    refused(lambda: regression_points([1.0], [1.0], name=3), "name")
    refused(lambda: regression_points([1.0, 2.0], [1.0]), "x has 2 values but y has 1")  # the model's check
    assert regression_points([1, 2], [3, 4], name="a\nb\x00").name == "a b"
    assert len(regression_points([1], [2], name="n" * 10_000).name) == 200


def test_the_lesson_step_is_one_the_lesson_has():
    last = len(load_lesson().steps) - 1
    assert AppSettings(lesson=last).lesson == last
    refused(lambda: AppSettings(lesson=last + 1), "lesson", str(last))


def test_hyperparameters_refuse_huge_and_long_values():
    refused(lambda: OptimizerChoice("gd", {"lr": 10**400}), "learning rate")
    refused(lambda: DescentLabSettings(schedule="constant", schedule_value="x" * 500), "Constant")
    refused(lambda: DescentLabSettings(schedule="constant", schedule_value=math.inf), "Constant")


def test_the_descent_lab_and_outlier_lab():
    refused(lambda: DescentLabSettings(racing="gd"), "racing")
    refused(lambda: DescentLabSettings(racing=["warp"]), "racing")
    refused(lambda: DescentLabSettings(optimizers={"gd": OptimizerChoice("sgd")}), "gd")
    refused(lambda: OutlierLabSettings(shown=["bce"]), "shown")
    refused(lambda: OutlierLabSettings(arrows="hinge"), "arrows")
    assert DescentLabSettings(racing=["adam", "gd"]).racing == ("gd", "adam")  # the app's order


def test_the_app_value():
    refused(lambda: AppSettings(tab="nowhere"), "tab")
    refused(lambda: AppSettings(lesson=True), "lesson")
    refused(lambda: AppSettings(lesson=10**6), "lesson")
    refused(lambda: AppSettings(regression=None), "regression")


def test_refitted_values_follow_new_data():
    three = CLS.with_source(DataSource.from_preset("three_classes")).with_loss("cce")
    assert len(three.theta) == three.predictor().n_params == 9
    back = three.with_source(DataSource.from_preset("binary_1d"))
    assert len(back.theta) == back.predictor().n_params
    r = REG.with_outlier(REG.data.n - 1)
    assert r.with_source(DataSource.from_preset("linear")).outlier is None  # 24 points < 26


# ---------------------------------------------------------------- the store
def test_the_store_announces_each_real_change_once():
    store = SettingsStore(REG)
    seen = []
    store.changed.connect(lambda new, old: seen.append(changed_fields(old, new)))
    assert store.update(w=1.5)
    assert seen == [frozenset({"w"})]
    assert not store.update(w=1.5)  # the same value: nothing to announce
    assert not store.set(replace(store.value))  # an equal, distinct value
    assert not store.update(loss_params={"huber": {}})  # the defaults spelled differently
    assert store.update(loss="huber", b=2.0)
    assert seen[-1] == frozenset({"loss", "b"})
    assert len(seen) == 2


def test_a_failing_update_changes_nothing():
    store = SettingsStore(REG)
    seen = []
    store.changed.connect(lambda new, old: seen.append(new))
    before = store.value
    for bad in ({"w": math.nan}, {"outlier": True}, {"loss": "bce"}, {"outlier": 10**6}):
        with pytest.raises(SettingsError):
            store.update(**bad)
    with pytest.raises(TypeError):
        store.set(OutlierLabSettings())
    assert store.value is before and seen == []


def test_data_changes_are_seen_by_value():
    store = SettingsStore(REG)
    seen = []
    store.changed.connect(lambda new, old: seen.append(changed_fields(old, new)))
    same_points = DataSource(make_preset("outliers"), "outliers")
    assert not store.update(source=same_points)
    moved = REG.data.with_value(0, "y", 99.0)
    assert store.update(source=REG.source.edited(moved))
    assert seen == [frozenset({"source"})]


def test_a_preset_drawn_afresh_forgets_the_outlier_but_own_edits_keep_it():
    from lossdesk.settings import DataSource, RegressionSettings

    value = RegressionSettings().with_outlier(3)
    redrawn = value.with_source(DataSource.from_preset("outliers", noise=2.5))
    assert redrawn.outlier is None
    edited = value.with_source(value.source.edited(value.data.with_value(0, "y", 9.0)))
    assert edited.outlier == 3 and edited.outlier_base == value.outlier_base


def test_sources_with_the_same_points_but_another_name_differ():
    from lossdesk.model import parse_csv
    from lossdesk.settings import DataSource

    a = DataSource.own(parse_csv("x,y\n1,2\n3,4\n", "a.csv"))
    b = DataSource.own(parse_csv("x,y\n1,2\n3,4\n", "b.csv"))
    assert a.data == b.data and a != b
    assert a == DataSource.own(parse_csv("x,y\n1,2\n3,4\n", "a.csv"))
