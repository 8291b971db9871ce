"""The command line's penalty options: --penalty, --strength, --l1-ratio (issue 15)."""

from __future__ import annotations

import pytest

from lossdesk.cli import DEFAULT_STRENGTH, main, parse_options


@pytest.mark.parametrize(("argv", "part", "expected"), [
    (["--penalty", "l2"], "regression", ("l2", DEFAULT_STRENGTH, 0.5)),
    (["--penalty", "L1", "--strength", "2"], "regression", ("l1", 2.0, 0.5)),
    (["--penalty", "elastic", "--l1-ratio", "0.25", "--strength", "0"], "regression", ("elastic", 0.0, 0.25)),
    (["--tab", "classification", "--penalty", "l1", "--strength", "0.3"], "classification", ("l1", 0.3, 0.5)),
    (["--preset", "three_classes", "--penalty", "l2"], "classification", ("l2", DEFAULT_STRENGTH, 0.5)),
    (["--penalty", "none"], "regression", ("none", 0.0, 0.5)),
])
def test_a_penalty_reaches_the_tab_it_names(argv, part, expected):
    settings = getattr(parse_options(argv).settings, part)
    assert (settings.penalty, settings.strength, settings.l1_ratio) == expected
    kind = None if expected[0] == "none" else expected[0]
    assert settings.penalty_args["penalty"] == kind


def test_without_penalty_options_no_tab_is_penalised():
    app = parse_options([]).settings
    assert app.regression.penalty == app.classification.penalty == "none"
    assert app.regression.penalty_args == {"penalty": None, "strength": 0.0, "l1_ratio": 0.5}


@pytest.mark.parametrize(("argv", "needle"), [
    (["--penalty", "l3"], "unknown penalty"),
    (["--penalty", "l2", "--strength", "-1"], "from 0 to"),
    (["--penalty", "l2", "--strength", "lots"], "must be a number"),
    (["--penalty", "l2", "--strength", "nan"], "from 0 to"),
    (["--penalty", "l2", "--strength", "1e9"], "from 0 to"),
    (["--penalty", "elastic", "--l1-ratio", "1.5"], "from 0 to 1"),
    (["--penalty", "elastic", "--l1-ratio", "-0.1"], "from 0 to 1"),
    (["--strength", "1"], "need --penalty"),
])
def test_bad_penalty_options_exit_2_with_one_line(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and "\n" not in err and "Traceback" not in err
