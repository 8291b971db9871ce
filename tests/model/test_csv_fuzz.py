"""Fuzz the CSV loader: damaged text and bytes give DatasetError (one short line) and
nothing else; whatever it accepts writes back and reads again to an equal data set."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lossdesk.model import DatasetError, make_preset, parse_csv, read_csv, to_csv_text

EXAMPLES = int(os.environ.get("LOSSDESK_FUZZ_EXAMPLES", "300"))
VALID = [to_csv_text(make_preset(name)) for name in ("linear", "outliers", "binary_1d", "three_classes")]
PIECES = ["", ",", "\n", "\r", '"', "x", "y", "label", "x1", "x2", "nan", "inf", "-0", "1e400", "1e12", "9" * 400,
          "\x00", "\ufeff", "é", "3.5", "-2", "0", "1", "11"]


def _check_text(text: str) -> None:
    try:
        data = parse_csv(text)
    except DatasetError as exc:
        message = str(exc)
        assert "\n" not in message and len(message) <= 300, message
        return
    again = parse_csv(to_csv_text(data))
    assert again == data


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzz_mutated_csv_text(memory_cap, data):
    text = data.draw(st.sampled_from(VALID), label="base")
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        i = data.draw(st.integers(0, len(text)), label="at")
        j = data.draw(st.integers(i, min(len(text), i + 12)), label="to")
        piece = data.draw(st.sampled_from(PIECES) | st.text(max_size=6), label="piece")
        text = text[:i] + piece + text[j:]
    _check_text(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_random_bytes_from_a_file(memory_cap, tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("fuzz") / "points.csv"
    path.write_bytes(raw)
    try:
        data = read_csv(path)
    except DatasetError as exc:
        assert "\n" not in str(exc) and len(str(exc)) <= 300, str(exc)
        return
    assert parse_csv(to_csv_text(data)) == data
