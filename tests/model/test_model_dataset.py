"""Data sets: immutable validated values, seeded presets, CSV read and write."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lossdesk.model import (
    DEFAULT_PRESET,
    PRESETS,
    ClassificationData,
    Dataset,
    DatasetError,
    RegressionData,
    make_preset,
    parse_csv,
    read_csv,
    to_csv_text,
    write_csv,
)

REQUIRED_PRESETS = ["linear", "outliers", "heavy_tail", "binary_1d", "binary_2d", "three_classes"]


def test_dataset_error_is_a_value_error():
    assert issubclass(DatasetError, ValueError)


# ------------------------------------------------------------------ immutability
def test_regression_data_is_immutable():
    x_src = np.array([0.0, 1.0, 2.0])
    data = RegressionData(x_src, [1.0, 3.0, 5.0], name="three")
    x_src[0] = 99.0  # the data set holds its own copy
    assert data.x[0] == 0.0
    for arr in (data.x, data.y):
        assert not arr.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 7.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.x = np.zeros(3)  # type: ignore[misc]
    assert data.n == 3 and data.task == "regression" and data.name == "three"


def test_regression_edits_return_new_values():
    data = RegressionData([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], name="three")
    edited = data.with_value(1, "y", 10.0)
    assert isinstance(edited, RegressionData)
    assert edited is not data
    np.testing.assert_array_equal(edited.y, [1.0, 10.0, 5.0])
    np.testing.assert_array_equal(data.y, [1.0, 3.0, 5.0])  # the old value is unchanged
    assert edited.name == "three"
    assert not edited.y.flags.writeable
    assert edited != data
    assert data.with_value(1, "y", 3.0) == data

    moved = data.with_row(0, {"x": -1.0, "y": -2.0})
    assert moved.row(0) == {"x": -1.0, "y": -2.0}
    assert data.row(0) == {"x": 0.0, "y": 1.0}

    added = data.with_added({"x": 3.0, "y": 7.0})
    assert added.n == 4 and data.n == 3
    assert added.row(3) == {"x": 3.0, "y": 7.0}
    first = data.with_added({"x": -5.0, "y": 0.0}, at=0)
    assert first.row(0) == {"x": -5.0, "y": 0.0} and first.n == 4

    fewer = data.without(1)
    np.testing.assert_array_equal(fewer.x, [0.0, 2.0])
    assert data.n == 3


def test_edits_are_validated():
    data = RegressionData([0.0, 1.0], [1.0, 3.0])
    with pytest.raises(DatasetError, match="there is no point 2; the data set has 2"):
        data.with_value(2, "y", 1.0)
    with pytest.raises(DatasetError, match="there is no point -1"):
        data.without(-1)
    with pytest.raises(DatasetError, match="y of point 0 is not a finite number"):
        data.with_value(0, "y", float("nan"))
    with pytest.raises(DatasetError, match="at least one point"):
        RegressionData([0.0], [1.0]).without(0)
    labelled = ClassificationData([0.0, 1.0], [0, 1])
    with pytest.raises(DatasetError, match="label of point 1 is 0.5"):
        labelled.with_value(1, "label", 0.5)


def test_classification_data_is_immutable_and_edits_return_new_values():
    data = ClassificationData([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]], [0, 1, 2], name="tri")
    assert data.n_classes == 3 and data.n_features == 2 and data.n == 3
    assert data.column_names == ("x1", "x2", "label")
    assert data.labels.dtype == np.int64
    for arr in (data.x, data.labels):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 1
    relabelled = data.with_value(2, "label", 0)
    np.testing.assert_array_equal(relabelled.labels, [0, 1, 0])
    np.testing.assert_array_equal(data.labels, [0, 1, 2])
    assert relabelled.n_classes == 3  # a class with no points left still exists
    moved = data.with_row(0, {"x1": 5.0, "x2": -5.0})
    np.testing.assert_array_equal(moved.x[0], [5.0, -5.0])
    np.testing.assert_array_equal(data.x[0], [0.0, 1.0])
    one_d = ClassificationData([0.5, 1.5], [1, 0])
    assert one_d.column_names == ("x", "label") and one_d.n_features == 1
    assert one_d.x.shape == (2, 1) and one_d.n_classes == 2
    np.testing.assert_array_equal(one_d.column("x"), [0.5, 1.5])


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    "x, y, message",
    [
        ([0.0, float("nan")], [1.0, 2.0], "x of point 1 is not a finite number"),
        ([0.0, 1.0], [1.0, float("inf")], "y of point 1 is not a finite number"),
        ([], [], "the data set is empty"),
        ([0.0, 1.0, 2.0], [1.0, 2.0], "x has 3 values but y has 2"),
        (["a", "b"], [1.0, 2.0], "x must contain only numbers"),
    ],
)
def test_regression_data_validation(x, y, message):
    with pytest.raises(DatasetError, match=message):
        RegressionData(x, y)


@pytest.mark.parametrize(
    "x, labels, n_classes, message",
    [
        ([0.0, 1.0], [0, 0.5], 0, "label of point 1 is 0.5; labels are whole numbers"),
        ([0.0, 1.0], [0, -1], 0, "label of point 1 is -1; labels start at 0"),
        ([0.0, 1.0, 2.0], [0, 1, 2], 2, "label of point 2 is 2, but with 2 classes the labels are 0 to 1"),
        ([0.0, 1.0], [0, float("nan")], 0, "label of point 1 is not a finite number"),
        ([0.0, float("nan")], [0, 1], 0, "x of point 1 is not a finite number"),
        ([[0.0, 1.0], [np.inf, 2.0]], [0, 1], 0, "x of point 1 is not a finite number"),
        ([0.0, 1.0, 2.0], [0, 1], 0, "there are 3 points but 2 labels"),
        (np.zeros((0, 2)), [], 0, "the data set is empty"),
        (np.zeros((2, 3)), [0, 1], 0, "one column .* or two"),
    ],
)
def test_classification_data_validation(x, labels, n_classes, message):
    with pytest.raises(DatasetError, match=message):
        ClassificationData(x, labels, n_classes)


def test_regression_and_classification_data_are_different_values():
    assert RegressionData([0.0], [1.0]) == RegressionData([0.0], [1.0], name="other")
    assert RegressionData([0.0], [1.0]) != ClassificationData([0.0], [1])
    assert ClassificationData([0.0], [1]) != ClassificationData([0.0], [1], n_classes=3)


# ------------------------------------------------------------------ presets
def test_required_presets_exist():
    assert set(REQUIRED_PRESETS) <= set(PRESETS)
    assert DEFAULT_PRESET in PRESETS


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_are_deterministic(name):
    a = make_preset(name)
    b = make_preset(name, seed=0)
    assert isinstance(a, Dataset)
    assert a == b
    assert a.name == name
    assert a.task == PRESETS[name].task
    assert make_preset(name, seed=1) != a
    assert make_preset(name, seed=1) == make_preset(name, seed=1)
    assert make_preset(name, noise=PRESETS[name].default_noise * 2) != a


def test_preset_shapes():
    assert make_preset("binary_2d").n_features == 2
    assert make_preset("binary_1d").n_features == 1
    three = make_preset("three_classes")
    assert three.n_classes == 3 and set(three.labels.tolist()) == {0, 1, 2}
    outliers = make_preset("outliers")
    assert outliers.n == make_preset("linear").n + 2
    clean = make_preset("linear", noise=0.0)
    np.testing.assert_allclose(clean.y, 1.5 * clean.x + 0.5, atol=1e-3)


def test_bad_preset_requests():
    with pytest.raises(DatasetError, match="unknown preset 'galaxy'; choose one of"):
        make_preset("galaxy")
    with pytest.raises(DatasetError, match="noise must be a number ≥ 0"):
        make_preset("linear", noise=-1.0)
    with pytest.raises(DatasetError, match="noise must be a number ≥ 0"):
        make_preset("linear", noise=float("nan"))


# ------------------------------------------------------------------ CSV
def test_csv_column_order_is_free_and_extra_columns_are_ignored():
    data = parse_csv("note,Y , x\nfirst,2.5,1\nsecond,-1,3e2\n")
    assert isinstance(data, RegressionData)
    np.testing.assert_array_equal(data.x, [1.0, 300.0])
    np.testing.assert_array_equal(data.y, [2.5, -1.0])

    cls = parse_csv("label,x2,colour,x1\n1,0.5,red,-2\n0,1.5,blue,3\n2,0,green,0\n")
    assert isinstance(cls, ClassificationData)
    np.testing.assert_array_equal(cls.x, [[-2.0, 0.5], [3.0, 1.5], [0.0, 0.0]])
    np.testing.assert_array_equal(cls.labels, [1, 0, 2])
    assert cls.n_classes == 3

    one = parse_csv("label,x,weight\n0,1,9\n1,2,9\n")
    assert one.n_features == 1
    np.testing.assert_array_equal(one.labels, [0, 1])


def test_csv_blank_lines_bom_and_crlf_are_fine(tmp_path):
    path = tmp_path / "points.csv"
    path.write_bytes(b"\xef\xbb\xbfx,y\r\n\r\n1,2\r\n3,4\r\n\r\n")
    data = read_csv(path)
    assert data == RegressionData([1.0, 3.0], [2.0, 4.0])
    assert data.name == "points"


@pytest.mark.parametrize(
    "text, message",
    [
        ("x,y\n1,2\n3,abc\n", r"line 3, column 'y': 'abc' is not a number"),
        ("x,y\n1,2\n\n3,abc\n", r"line 4, column 'y': 'abc' is not a number"),  # blank lines count
        ("y,x\n1,2\nthree,4\n", r"line 3, column 'y': 'three' is not a number"),
        ("x,y\n1,nan\n", r"line 2, column 'y': nan is not allowed"),
        ("x,y\nNaN,1\n", r"line 2, column 'x': NaN is not allowed"),
        ("x,y\n1,2\n-inf,1\n", r"line 3, column 'x': -inf is not allowed"),
        ("x,y\n1,1e999\n", r"line 2, column 'y': 1e999 is not allowed"),
        ("x,y\n1,\n", r"line 2, column 'y': the value is missing"),
        ("x,y\n1,2\n5\n", r"line 3, column 'y': the value is missing"),
        ("x,z\n1,2\n", r"line 1: the header has no column 'y'"),
        ("label,x2\n1,2\n", r"line 1: the header has no column 'x'"),
        ("\n\nx1,x2,label\n1,2,0\n", None),  # header after blank lines: fine
        ("\nlabel,x1\n1,2\n", r"line 2: the header has no column 'x'"),
        ("a,b\n1,2\n", r"line 1: the header needs the columns x,y"),
        ("x,y,x\n1,2,3\n", r"line 1: column 'x' appears twice"),
        ("x,label\n1,0.5\n", r"line 2, column 'label': 0.5 is not a class label"),
        ("x,label\n1,0\n2,-1\n", r"line 3, column 'label': -1 is not a class label"),
    ],
)
def test_bad_csv_names_the_line_and_column(text, message):
    if message is None:
        assert parse_csv(text).n == 1
        return
    with pytest.raises(DatasetError, match=message):
        parse_csv(text)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", r"empty\.csv is empty: it needs a header row"),
        (b"\n\n  \n", r"is empty: it needs a header row"),
        (b"x,y\n", r"has a header but no data rows"),
        (b"x1,x2,label\n\n", r"has a header but no data rows"),
        (b"x,y\n1,2\n3,abc\n", r"line 3, column 'y': 'abc' is not a number"),
        (b"x,y\n1,nan\n", r"line 2, column 'y': nan is not allowed"),
        (b"x,z\n1,2\n", r"line 1: the header has no column 'y'"),
        # Latin-1 bytes in a UTF-8 reader
        (b"x,y\n1,\xe9\n", r"line 2, column 'y': .*not UTF-8 text \(byte 0xe9\)"),
        (b"y,x\n1,2\n\xe93,4\n", r"line 3, column 'y': .*not UTF-8 text"),
        (b"x,y\n1,2\n3,4\n5,6 \xb0C\n", r"line 4, column 'y': .*not UTF-8 text \(byte 0xb0\)"),
        (b"\n\nx,y\n\xe9,1\n", r"line 4, column 'x': .*not UTF-8 text"),
        (b"x,\xe9\n1,2\n", r"line 1: .*not UTF-8 text \(byte 0xe9\)"),  # in the header itself
    ],
)
def test_bad_csv_file_raises_dataset_error(tmp_path, content, message):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=message):
        read_csv(path)


def test_missing_file_raises_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="cannot read nothing.csv"):
        read_csv(tmp_path / "nothing.csv")


def test_write_csv_replaces_the_file_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("old contents\n")
    data = make_preset("three_classes")
    write_csv(data, path)
    assert read_csv(path) == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]
    assert path.read_text(encoding="utf-8").splitlines()[0] == "x1,x2,label"


# --- round trips
finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)  # the allowed range


@st.composite
def regression_sets(draw):
    n = draw(st.integers(1, 20))
    x = draw(hnp.arrays(float, n, elements=finite))
    y = draw(hnp.arrays(float, n, elements=finite))
    return RegressionData(x, y)


@st.composite
def classification_sets(draw):
    n = draw(st.integers(1, 20))
    d = draw(st.sampled_from([1, 2]))
    x = draw(hnp.arrays(float, (n, d), elements=finite))
    labels = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 6)))
    return ClassificationData(x, labels)


@given(st.one_of(regression_sets(), classification_sets()))
def test_csv_text_round_trips_exactly(data):
    text = to_csv_text(data)
    back = parse_csv(text)
    assert type(back) is type(data)
    assert back == data
    for column in data.column_names:
        # bit for bit, signed zeros included
        np.testing.assert_array_equal(np.signbit(back.column(column)), np.signbit(data.column(column)))


@given(data=st.one_of(regression_sets(), classification_sets()))
def test_csv_file_round_trips_exactly(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "round trip.csv"
    write_csv(data, path)
    back = read_csv(path)
    assert back == data
    assert back.name == "round trip"
    write_csv(back, path)  # writing again over the old file gives the same data
    assert read_csv(path) == data


def test_values_too_large_to_square_are_refused():
    with pytest.raises(DatasetError, match="beyond"):
        RegressionData([0.0, 1.0], [1.0, 1e200])
    with pytest.raises(DatasetError, match="at most|up to 10 classes|0 to 9"):
        ClassificationData([0.0, 1.0], [0, 2000])


def test_a_label_of_2000_in_a_csv_names_the_line():
    with pytest.raises(DatasetError, match="line 3, column 'label'"):
        parse_csv("x,label\n0,0\n1,2000\n")
