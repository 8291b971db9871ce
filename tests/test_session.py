"""Session files: schema 2 round trip, schema-1 migration, and damaged files refused whole.

The only exception the reader raises is ``SessionError``, with one line naming the field.
"""

from __future__ import annotations

import copy
import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lossdesk.model import make_preset, parse_csv
from lossdesk.session import SCHEMA_VERSION, SUFFIX, Session, SessionError
from lossdesk.settings import AppSettings, DataSource, OptimizerChoice

DATA = Path(__file__).parent / "data"
V1_FILES = sorted(DATA.glob("v1_*.lossdesk"))


def edited_app() -> AppSettings:
    """Every tab changed from its defaults."""
    app = AppSettings()
    r = app.regression
    r = r.with_source(DataSource.from_preset("linear", 1.3)).with_loss_param("huber", "delta", 2.0)
    r = replace(r, loss="huber", w=1.25, b=-0.5, optimizer=OptimizerChoice("sgd", {"lr": 0.02, "batch_size": 4}),
                reduction="sum", steps_per_frame=5)
    r = r.with_outlier(3)
    c = app.classification.with_source(DataSource.from_preset("three_classes")).with_loss("cce")
    c = c.with_theta([0.1 * i for i in range(c.predictor().n_params)])
    c = replace(c, surface_axes=(2, 5), add_label=2, optimizer=OptimizerChoice("adam"))
    o = replace(app.outlier_lab, shown=("mae", "quantile"), arrows="huber")
    d = replace(app.descent_lab, racing=("sgd", "rmsprop"), schedule="cosine", schedule_value=150, start=(1.0, -2.0))
    d = d.with_optimizer_value("rmsprop", "rho", 0.95)
    return replace(app, tab="descent", lesson=2, regression=r, classification=c, outlier_lab=o, descent_lab=d)


def document(app: AppSettings | None = None) -> dict:
    return json.loads(Session(app or edited_app()).to_json())


def refused(text: str | bytes, *words: str) -> str:
    with pytest.raises(SessionError) as info:
        Session.from_json(text)
    message = str(info.value)
    assert "\n" not in message and len(message) <= 260, message
    for word in words:
        assert word in message, message
    return message


def refused_doc(doc: dict, *words: str) -> str:
    return refused(json.dumps(doc), *words)


# ================================================================= round trip
def test_the_default_and_an_edited_session_round_trip(tmp_path):
    for app in (AppSettings(), edited_app()):
        session = Session(app)
        again = Session.from_json(session.to_json())
        assert again == session and again.settings == app
        path = tmp_path / f"s{SUFFIX}"
        session.save(path)
        assert Session.load(path) == session
    assert Session(edited_app()) == Session(edited_app())  # equal settings, built apart
    assert Session() != Session(edited_app())


def test_the_layout_of_a_version_2_file():
    doc = document()
    assert doc["format"] == "lossdesk-session" and doc["schema_version"] == SCHEMA_VERSION == 2
    assert set(doc) == {"format", "schema_version", "written_by", "tab", "lesson", "regression", "outlier_lab",
                        "classification", "descent_lab", "network"}
    reg = doc["regression"]
    assert reg["source"]["preset"] == "linear" and reg["source"]["noise"] == 1.3
    assert set(reg["source"]["data"]) == {"name", "x", "y"}
    assert reg["optimizer"] == {"name": "sgd", "settings": {"lr": 0.02, "batch_size": 4}}
    assert reg["outlier"] == 3 and reg["loss_params"]["huber"] == {"delta": 2.0}
    assert doc["classification"]["source"]["data"]["n_classes"] == 3
    assert doc["descent_lab"]["schedule_value"] == 150 and doc["descent_lab"]["start"] == [1.0, -2.0]


def test_own_data_and_data_names_survive():
    data = parse_csv("x,y\n0,1\n1,3\n2,2\n", "my points.csv")
    app = AppSettings()
    app = replace(app, regression=app.regression.with_source(DataSource.own(data)))
    again = Session.from_json(Session(app).to_json()).settings
    assert again.regression.source.own_data and again.regression.data.name == "my points"


def test_edited_preset_points_open_as_own_data():
    doc = document(AppSettings())
    y = doc["regression"]["source"]["data"]["y"]
    y[0] += 1.0  # claims to be the preset, but is not
    opened = Session.from_json(json.dumps(doc)).settings
    assert opened.regression.source.own_data and opened.regression.data.y[0] == y[0]


def test_missing_parts_take_their_defaults():
    app = Session.from_json(json.dumps({"format": "lossdesk-session", "schema_version": 2})).settings
    assert app == AppSettings()


def test_huber_without_delta_takes_the_default():
    doc = document()
    doc["regression"]["loss_params"] = {"huber": {}}
    doc["regression"]["loss"] = "huber"
    app = Session.from_json(json.dumps(doc)).settings
    assert app.regression.params == {"delta": 1.0}
    assert app.regression.loss_params["quantile"] == {"tau": 0.5}


# ================================================================= schema 1
def test_there_are_schema_1_fixtures():
    assert {p.name for p in V1_FILES} >= {"v1_default.lossdesk", "v1_added_outlier.lossdesk",
                                          "v1_every_tab.lossdesk", "v1_own_data.lossdesk"}
    for path in V1_FILES:
        assert json.loads(path.read_text())["schema_version"] == 1


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.name)
def test_every_schema_1_file_opens_and_round_trips(path):
    session = Session.load(path)
    assert Session.from_json(session.to_json()) == session


def test_the_default_schema_1_file_is_the_default_window():
    """The first release's default window, as saved then: the same as today's default
    except the starting points that have changed since (the learning rate and the weights
    it saved are kept, so the file shows what it showed)."""
    app = Session.load(DATA / "v1_default.lossdesk").settings
    default = AppSettings()
    assert app.regression.optimizer.values["lr"] == 0.1  # as saved
    assert replace(app.regression, optimizer=default.regression.optimizer) == default.regression
    assert all(v == 0.0 for v in app.classification.theta)  # as saved: the old flat start
    assert replace(app.classification, theta=default.classification.theta) == default.classification
    assert app.outlier_lab == default.outlier_lab
    assert app.descent_lab.racing == default.descent_lab.racing
    assert app.descent_lab.optimizers == default.descent_lab.optimizers
    assert app.descent_lab.start is not None  # the first release always saved where the balls start


def test_a_schema_1_file_with_an_added_outlier_keeps_it():
    app = Session.load(DATA / "v1_added_outlier.lossdesk").settings
    r = app.regression
    assert r.data.n == 27 and r.outlier == 26
    assert r.source.own_data  # the preset's points plus one: the user's own now
    assert r.data.y[26] == r.outlier_base + 4.0  # it was moved up by 4 after it was added


def test_a_schema_1_file_with_every_tab_edited():
    app = Session.load(DATA / "v1_every_tab.lossdesk").settings
    assert (app.tab, app.lesson) == ("descent", 3)
    r = app.regression
    assert (r.source.preset, r.source.noise) == ("linear", 1.25)
    assert r.data == make_preset("linear", noise=1.25)
    assert (r.loss, r.params, r.reduction, (r.w, r.b)) == ("huber", {"delta": 2.5}, "sum", (1.2, -0.3))
    assert r.optimizer == OptimizerChoice("momentum", {"lr": 0.03})
    c = app.classification
    assert (c.source.preset, c.loss, c.optimizer.name, c.optimizer.lr) == ("three_classes", "cce", "adam", 0.05)
    assert c.theta[:3] == (0.0, 0.1, 0.2) and len(c.theta) == 9
    assert app.outlier_lab.shown == ("mae", "quantile") and app.outlier_lab.arrows == "huber"
    d = app.descent_lab
    assert d.racing == ("sgd", "rmsprop", "adam") and d.start == (1.0, 2.0)
    assert (d.schedule, d.schedule_value) == ("step", 25)
    assert d.optimizers["sgd"].values == {"lr": 0.07, "batch_size": 4}
    assert d.optimizers["adam"].values["beta2"] == 0.995


def test_a_schema_1_file_with_own_data():
    app = Session.load(DATA / "v1_own_data.lossdesk").settings
    assert app.tab == "classification"
    r, c = app.regression, app.classification
    assert r.source.own_data and r.data.name == "mine" and r.data.n == 5 and r.data.y[1] == 2.0
    assert (r.loss, r.params, r.outlier, r.outlier_base) == ("quantile", {"tau": 0.8}, 4, 30.0)
    assert c.source.own_data and c.data.n_features == 2 and c.loss == "hinge" and len(c.theta) == 3


def test_schema_1_refusals_are_session_errors():
    doc = json.loads((DATA / "v1_added_outlier.lossdesk").read_text())
    bad = copy.deepcopy(doc)
    bad["regression"]["outlier"] = True
    refused_doc(bad, "outlier")
    bad = copy.deepcopy(doc)
    bad["regression"]["outlier"] = 27
    refused_doc(bad, "outlier", "0 to 26")
    for key in ("optimizer", "loss", "preset"):
        for value in (["gd"], {"a": 1}):
            bad = copy.deepcopy(doc)
            bad["regression"][key] = value
            refused_doc(bad, key)
    bad = copy.deepcopy(doc)
    bad["descent"]["schedule"] = ["step"]
    refused_doc(bad, "schedule")
    bad = copy.deepcopy(doc)
    bad["regression"]["lr"] = 0
    refused_doc(bad, "learning rate")


# ================================================================= refusals (schema 2)
@pytest.mark.parametrize("part,key", [
    ("regression", "loss"), ("classification", "loss"), ("descent_lab", "schedule"), ("tab", None),
    ("regression", "reduction"), ("outlier_lab", "arrows"), ("descent_lab", "racing"),
])
@pytest.mark.parametrize("value", [["mse"], {"name": "mse"}, 3, None, True])
def test_names_that_are_lists_or_tables(part, key, value):
    doc = document()
    if key is None:
        doc[part] = value
    else:
        doc[part][key] = value
    refused_doc(doc, key or part)


@pytest.mark.parametrize("value", [["gd"], {"name": ["gd"]}, {"name": {}}, "gd", 3])
def test_optimizers_that_are_lists_or_tables(value):
    doc = document()
    doc["regression"]["optimizer"] = value
    refused_doc(doc, "optimizer")


@pytest.mark.parametrize("value", [["linear"], {"x": 1}, 5, True, "nope", "binary_1d"])
def test_presets_that_are_not_presets(value):
    doc = document()
    doc["regression"]["source"]["preset"] = value
    refused_doc(doc, "preset")


@pytest.mark.parametrize("value", ["1e400", "-1e400", "1e9", "100", "1", "2.5", "true", "[3]", '"3"',
                                   "1" + "0" * 5000])
def test_n_classes_out_of_range(value):
    text = Session(edited_app()).to_json().replace('"n_classes": 3', f'"n_classes": {value}')
    assert value in text
    refused(text, "n_classes")


@pytest.mark.parametrize("key", ["x", "y"])
@pytest.mark.parametrize("value", [5, "x", {"a": 1}, None, [[1.0]], [True] * 24, ["1"] * 24])
def test_regression_data_of_the_wrong_kind(key, value):
    doc = document()
    doc["regression"]["source"]["data"][key] = value
    refused_doc(doc, f"data {key}" if not isinstance(value, list) or value == [[1.0]] else key)


@pytest.mark.parametrize("value", [5, "x", {"a": 1}, [[1.0, 2.0, 3.0]], [[1.0], [1.0, 2.0]], [[[1.0]]]])
def test_classification_x_of_the_wrong_kind(value):
    doc = document()
    doc["classification"]["source"]["data"]["x"] = value
    refused_doc(doc, "classification")


def test_too_many_points_refused_before_they_are_built():
    doc = document(AppSettings())
    doc["regression"]["source"]["data"]["x"] = [0.0] * 100_001
    doc["regression"]["source"]["data"]["y"] = [0.0] * 100_001
    refused_doc(doc, "at most 100,000")


def test_too_many_values_refused_before_parsing():
    refused("[" + "0," * 1_000_001 + "0]", "values")


def test_deep_nesting():
    refused("[" * 100_000, "JSON")
    refused("[" * 100_000 + "]" * 100_000)
    refused('{"format": "lossdesk-session", "schema_version": 2, "tab": ' + "[" * 5000 + "]" * 5000 + "}")


def test_nesting_deeper_than_any_setting_is_refused_naming_the_field():
    doc = document()
    doc["regression"]["w"] = [[[[[[[[1.0]]]]]]]]
    refused_doc(doc, "regression: w", "nested too deeply")


def test_a_schema_1_theta_that_does_not_fit_starts_from_zeros():
    doc = json.loads((DATA / "v1_every_tab.lossdesk").read_text())
    doc["classification"]["theta"] = [1.0, 2.0]  # the three-class classifier has 9 weights
    assert Session.from_json(json.dumps(doc)).settings.classification.theta == (0.0,) * 9
    doc["classification"]["theta"] = "θ"
    refused_doc(doc, "classification", "weights")


def test_a_5000_digit_integer():
    big = "9" * 5000
    text = Session(edited_app()).to_json()
    refused(text.replace('"outlier": 3', f'"outlier": {big}'), "outlier")
    assert "5000 digits" in refused(text.replace('"outlier": 3', f'"outlier": {big}'), "outlier")
    refused(text.replace('"schema_version": 2', f'"schema_version": {big}'), "schema_version")
    refused(text.replace('"steps_per_frame": 5', f'"steps_per_frame": -{big}'), "steps_per_frame")
    refused(big)


@pytest.mark.parametrize("value", ["true", "false", "26.0", "-1", '"3"', "[3]", "1e400", "100000000"])
def test_the_outlier_must_be_a_row(value):
    text = Session(edited_app()).to_json().replace('"outlier": 3', f'"outlier": {value}')
    refused(text, "outlier")


@pytest.mark.parametrize("value", ["1e400", "-1e400", "2e6", "1" * 50, "true", "null", '"1"'])
def test_the_line_must_be_finite_numbers(value):
    text = Session(edited_app()).to_json().replace('"w": 1.25', f'"w": {value}')
    refused(text, "regression: w")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity(constant):
    text = Session(edited_app()).to_json().replace('"w": 1.25', f'"w": {constant}')
    refused(text, constant)


@pytest.mark.parametrize("part,key,value", [
    ("regression", "w", 2e6), ("regression", "b", "1"), ("regression", "w", [1]),
    ("regression", "outlier_base", 1e13), ("regression", "steps_per_frame", 0), ("regression", "steps_per_frame", 51),
    ("classification", "theta", [1, 2]), ("classification", "theta", [0.0] * 1000), ("classification", "theta", 4),
    ("classification", "surface_axes", [0]), ("classification", "surface_axes", [0, 99]),
    ("classification", "add_label", 3), ("classification", "add_label", True),
    ("descent_lab", "schedule_value", 0), ("descent_lab", "start", [1]), ("descent_lab", "start", [1, "2"]),
    ("descent_lab", "optimizers", {"sgd": {"batch_size": 1e12}}), ("descent_lab", "optimizers", {"warp": {}}),
    ("descent_lab", "optimizers", {"gd": {"lr": 0}}), ("descent_lab", "optimizers", {"gd": []}),
    ("regression", "loss_params", {"huber": {"delta": -1}}), ("regression", "loss_params", {"huber": []}),
    ("regression", "loss_params", {"bce": {}}), ("regression", "loss_params", {"huber": {"delta": "1"}}),
    ("regression", "loss_params", {"huber": {"x" * 10_000: 1}}), ("regression", "loss_params", []),
    ("regression", "surprise", 1), ("outlier_lab", "shown", ["bce"]), ("outlier_lab", "shown", "mse"),
])
def test_values_out_of_range_or_of_the_wrong_type(part, key, value):
    doc = document()
    doc[part][key] = value
    refused_doc(doc, part.replace("_", " ") if part != "outlier_lab" else "outlier lab")


def test_sgd_batch_of_1e12_is_refused():
    doc = document()
    doc["regression"]["optimizer"] = {"name": "sgd", "settings": {"batch_size": 1e12}}
    refused_doc(doc, "batch")


@pytest.mark.parametrize("text", ["", "   ", "null", "[]", "3", '"lossdesk"', "{}", '{"format": "x"}',
                                  '{"format": "lossdesk-session"}',
                                  '{"format": "lossdesk-session", "schema_version": 0}',
                                  '{"format": "lossdesk-session", "schema_version": "2"}',
                                  '{"format": "lossdesk-session", "schema_version": 2, "tab": "x"}',
                                  '{"format": "lossdesk-session", "schema_version": 2, "lesson": 99}',
                                  '{"format": "lossdesk-session", "schema_version": 2, "x": 1}',
                                  '{"format": "lossdesk-session", "schema_version": 2, "tab": "a", "tab": "b"}'])
def test_not_a_session(text):
    refused(text)


def test_a_newer_session_says_so():
    message = refused('{"format": "lossdesk-session", "schema_version": 3, "written_by": "lossdesk 9.0"}', "newer")
    assert "9.0" in message


def test_user_text_in_messages_is_short_and_one_line():
    doc = document()
    doc["regression"]["loss"] = "<h1>big</h1>\n" * 10_000
    message = refused_doc(doc, "loss")
    assert len(message) < 260 and "\n" not in message
    doc = document()
    doc["descent_lab"]["optimizers"] = {"gd": {"lr": "x\n" * 10_000}}
    assert len(refused_doc(doc, "learning rate")) < 200


def test_bytes_that_are_not_utf8():
    refused(b"\xff\xfe{}", "UTF-8")


# ================================================================= files
def test_load_refuses_what_is_not_a_session_file(tmp_path):
    with pytest.raises(SessionError, match="cannot read"):
        Session.load(tmp_path / "missing.lossdesk")
    with pytest.raises(SessionError):
        Session.load(tmp_path)
    fifo = tmp_path / "pipe.lossdesk"
    os.mkfifo(fifo)
    with pytest.raises(SessionError, match="not an ordinary file"):
        Session.load(fifo)
    huge = tmp_path / "huge.lossdesk"
    with huge.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # sparse: nothing is written
    with pytest.raises(SessionError, match="too large"):
        Session.load(huge)


def test_saving_keeps_the_old_files_mode(tmp_path):
    path = tmp_path / f"mine{SUFFIX}"
    path.write_text("old")
    os.chmod(path, 0o644)
    Session(edited_app()).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    os.chmod(path, 0o640)
    Session().save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert Session.load(path) == Session()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def test_a_new_file_gets_the_umasks_mode(tmp_path):
    old = os.umask(0o022)
    try:
        Session().save(tmp_path / f"new{SUFFIX}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / f"new{SUFFIX}").stat().st_mode) == 0o644


def test_a_failed_save_leaves_the_old_file(tmp_path):
    path = tmp_path / "folder"
    path.mkdir()
    with pytest.raises(OSError):
        Session().save(path)  # a folder cannot be replaced by a file
    assert path.is_dir() and list(path.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["folder"]


# ================================================================= fuzz
#: more examples for a longer hunt: LOSSDESK_FUZZ_EXAMPLES=20000 pytest tests/test_session.py -k fuzz
FUZZ_EXAMPLES = int(os.environ.get("LOSSDESK_FUZZ_EXAMPLES", "300"))

BASE_DOCS = [document(), document(AppSettings()), json.loads((DATA / "v1_added_outlier.lossdesk").read_text()),
             json.loads((DATA / "v1_every_tab.lossdesk").read_text())]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=False)
    | st.sampled_from([0, 1, 2, 26, 27, -1, 0.5, 1e12, 1e13, 10**40, -(10**41)])
    | st.text(max_size=20) | st.sampled_from(["mse", "huber", "gd", "sgd", "step", "linear", "binary_1d", "cce"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            yield from _paths(v, prefix + (i,))


def _check(text: str | bytes) -> None:
    try:
        session = Session.from_json(text)
    except SessionError as exc:
        assert "\n" not in str(exc) and len(str(exc)) <= 300, str(exc)
        return
    again = Session.from_json(session.to_json())
    assert again == session
    assert again.to_json() == session.to_json()


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_mutated_documents(memory_cap, data):
    doc = copy.deepcopy(data.draw(st.sampled_from(BASE_DOCS), label="base"))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = list(_paths(doc))[1:]
        path = data.draw(st.sampled_from(paths), label="path")
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]), label="action")
        if action == "replace" or isinstance(parent, list):
            parent[path[-1]] = data.draw(json_values, label="value")
        elif action == "delete":
            del parent[path[-1]]
        else:
            parent[data.draw(st.text(max_size=12), label="key")] = data.draw(json_values, label="value")
    _check(json.dumps(doc))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_random_bytes(memory_cap, raw):
    _check(raw)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.data())
def test_fuzz_cut_and_spliced_text(memory_cap, data):
    text = Session(edited_app()).to_json()
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, min(len(text), i + 40)))
    splice = data.draw(st.text(max_size=10) | st.sampled_from(
        ["9" * 5000, "-" + "1" * 41, "1e400", "NaN", "-Infinity", "[" * 3000, "{" * 3000, "\ud800", '"\\ud800"']))
    _check(text[:i] + splice + text[j:])


# ====================================================================== the network tab
def trained_network_app() -> AppSettings:
    net = AppSettings().network.with_hidden((4, 3)).with_activation("relu").with_seed(5)
    theta = [0.01 * k for k in range(len(net.theta))]
    net = replace(net.with_theta(theta), test_fraction=0.3, batch_size=16, view="backward", directions="path",
                  optimizer=OptimizerChoice.default("momentum"))
    return replace(AppSettings(tab="network"), network=net)


@pytest.mark.parametrize("preset", ["xor", "spiral3", "wave"])
def test_a_session_with_a_network_round_trips(preset, tmp_path):
    app = trained_network_app()
    app = replace(app, network=app.network.with_source(DataSource.from_preset(preset)))
    path = tmp_path / f"net{SUFFIX}"
    Session(app).save(path)
    again = Session.load(path).settings
    assert again.tab == "network" and again.network == app.network
    assert again.network.theta == app.network.theta and again.network.hidden == app.network.hidden


def test_a_network_session_with_own_points_keeps_them():
    data = parse_csv("x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n", "my xor.csv")
    app = trained_network_app()
    app = replace(app, network=app.network.with_source(DataSource.own(data)))
    again = Session.from_json(Session(app).to_json()).settings.network
    assert again.source.preset is None and again.data == data and again.theta == app.network.theta


@pytest.mark.parametrize(("key", "value", "needle"), [
    ("hidden", [0], "1 to 64 neurons"),
    ("hidden", [8, 8, 8, 8, 8], "at most 4"),
    ("hidden", "lots", "widths"),
    ("activation", "swish", "activation"),
    ("theta", [1.0, 2.0], "weights and biases"),
    ("theta", [1e300] * 33, "finite"),
    ("seed", -1, "seed"),
    ("test_fraction", 0.9, "test fraction"),
    ("loss", "mse", "does not score"),
])
def test_a_damaged_network_part_is_refused_whole_with_one_line(key, value, needle):
    doc = json.loads(Session(replace(AppSettings(), network=AppSettings().network)).to_json())
    doc["network"][key] = value
    with pytest.raises(SessionError) as err:
        Session.from_json(json.dumps(doc))
    message = str(err.value)
    assert message.startswith("network") and needle in message and "\n" not in message


# ====================================================================== penalties (issue 15)
@pytest.mark.parametrize("part", ["regression", "classification"])
def test_a_session_keeps_the_penalty(part):
    app = AppSettings()
    app = replace(app, **{part: replace(getattr(app, part), penalty="elastic", strength=0.25, l1_ratio=0.75,
                                        show_parts=True)})
    doc = json.loads(Session(app).to_json())
    assert (doc[part]["penalty"], doc[part]["strength"], doc[part]["l1_ratio"]) == ("elastic", 0.25, 0.75)
    again = getattr(Session.from_json(Session(app).to_json()).settings, part)
    assert (again.penalty, again.strength, again.l1_ratio, again.show_parts) == ("elastic", 0.25, 0.75, True)


@pytest.mark.parametrize(("key", "value", "needle"), [
    ("strength", -0.5, "strength"), ("l1_ratio", 1.5, "L1 ratio"), ("penalty", "l3", "penalty"),
    ("strength", "big", "strength"),
])
@pytest.mark.parametrize("part", ["regression", "classification"])
def test_a_bad_penalty_in_a_session_is_refused_whole(part, key, value, needle):
    doc = json.loads(Session(AppSettings()).to_json())
    doc[part][key] = value
    with pytest.raises(SessionError) as err:
        Session.from_json(json.dumps(doc))
    assert needle in str(err.value) and "\n" not in str(err.value)
