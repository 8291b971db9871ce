"""The command line: listings, clear refusals of bad input, and --screenshot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import lossdesk
from lossdesk.assets import is_packaged, resource_path
from lossdesk.cli import main, parse_options
from lossdesk.model import LOSSES, PRESETS


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # Offscreen, and with settings and recovery files kept inside the test's folder.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(cwd / "config"),
               XDG_DATA_HOME=str(cwd / "data"))
    env.pop("DISPLAY", None)
    # Run the same lossdesk the tests import (the installed copy under CI).
    env["PYTHONPATH"] = str(Path(lossdesk.__file__).resolve().parent.parent)
    return subprocess.run([sys.executable, "-m", "lossdesk", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_list_losses_and_presets(capsys):
    assert main(["--list-losses"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in LOSSES)
    assert main(["--list-presets"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in PRESETS)


def test_help_exits_zero(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "--screenshot" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--loss", "no-such-loss"], "unknown loss"),
        (["--preset", "nope"], "unknown preset"),
        (["--lr", "0"], "greater than 0"),
        (["--lr", "-3"], "greater than 0"),
        (["--lr", "fast"], "must be a number"),
        (["--param", "delta"], "NAME=VALUE"),
        (["--loss", "huber", "--param", "delta=-1"], "delta must lie between"),
        (["--loss", "mse", "--param", "tau=0.3"], "does not take tau"),
        (["--tab", "regression", "--loss", "bce"], "does not fit"),
        (["--tab", "classification", "--loss", "mse"], "does not fit"),
        (["--preset", "three_classes", "--loss", "bce"], "use --loss cce"),
        (["--tab", "classification", "--preset", "linear"], "labelled points"),
        (["--optimizer", "warp"], "unknown optimizer"),
        (["--steps", "many"], "whole number"),
        (["--size", "big"], "WIDTHxHEIGHT"),
        (["--theme", "purple"], "invalid choice"),
        (["--font-scale", "huge"], "--font-scale must be a number"),
        (["--font-scale", "3"], "between 0.75 and 2"),
        (["--font-scale", "nan"], "between 0.75 and 2"),
        (["--tab", "nowhere"], "unknown tab"),
        (["--dataset", "missing.csv"], "cannot read"),
        (["--bogus"], "unrecognized"),
        (["--lesson", "0"], "--lesson must be between 1 and"),
        (["--lesson", "two"], "step number"),
        (["--export-gif", "out.png", "--steps", "5"], "ending in .gif"),
        (["--export-gif", "out.gif"], "needs --steps"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args, needle):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert needle in err
    assert "Traceback" not in err


def test_malformed_csv_names_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3,abc\n")
    assert main(["--dataset", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "'y'" in err and "abc" in err


def test_options_reach_the_launch_settings(tmp_path):
    good = tmp_path / "pts.csv"
    good.write_text("y,x,note\n1,0,a\n3,1,b\n5,2,c\n")
    opts = parse_options(["--dataset", str(good), "--loss", "huber", "--param", "delta=2",
                          "--optimizer", "adam", "--lr", "0.05", "--steps", "7"])
    r = opts.settings.regression
    assert list(r.data.x) == [0, 1, 2] and list(r.data.y) == [1, 3, 5]
    assert r.source.own_data  # a CSV is the user's own data, not a preset
    assert (r.loss, r.params, r.optimizer.name, r.optimizer.lr, opts.steps) == ("huber", {"delta": 2.0}, "adam", 0.05, 7)


@pytest.mark.parametrize("tab", ["regression", "compare", "classification", "descent"])
def test_screenshot_writes_a_picture_with_content(tmp_path, tab):
    from PySide6.QtGui import QImage

    out = tmp_path / "shot.png"
    result = run_cli(["--tab", tab, "--screenshot", str(out), "--size", "1366x768", "--steps", "5"], tmp_path)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    # a blank window would hold one or two colours; the views hold many
    colours = {image.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 768, 7)}
    assert len(colours) > 50


def test_unknown_loss_from_a_subprocess_has_no_traceback(tmp_path):
    result = run_cli(["--loss", "no-such-loss", "--screenshot", str(tmp_path / "x.png")], tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_resources_ship_with_the_package():
    assert resource_path("icons", "lossdesk.svg").is_file()
    assert resource_path("datasets", "example_heavy_tail.csv").is_file()
    if "site-packages" in lossdesk.__file__:
        assert is_packaged(), "resources/ is missing from the installed wheel"


def test_a_corrupt_session_on_the_command_line_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.lossdesk"
    bad.write_text("{oops")
    assert main(["--session", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "broken JSON" in err and err.count("\n") == 1


def test_lesson_screenshot_shows_the_lesson_panel(tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "lesson.png"
    result = run_cli(["--lesson", "2", "--size", "1366x768", "--screenshot", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 1366


def test_export_gif_from_the_command_line_without_a_window(tmp_path):
    pil = pytest.importorskip("PIL.Image")
    out = tmp_path / "descent.gif"
    result = run_cli(["--export-gif", str(out), "--steps", "12"], tmp_path)
    assert result.returncode == 0, result.stderr
    with pil.open(out) as gif:
        assert gif.n_frames > 1


def test_steps_are_capped_as_the_gui_caps_runs(capsys):
    assert main(["--steps", "100001"]) == 2
    assert "between 0 and 100000" in capsys.readouterr().err


def test_a_long_run_shows_progress_and_a_converged_one_stops_early(tmp_path):
    result = run_cli(["--loss", "mae", "--optimizer", "sgd", "--steps", "30000",
                      "--screenshot", str(tmp_path / "a.png")], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "running descent step" in result.stderr and "of 30000" in result.stderr
    quick = run_cli(["--steps", "100000", "--screenshot", str(tmp_path / "b.png")], tmp_path)
    assert quick.returncode == 0 and "running descent step" not in quick.stderr  # it converged at once


def test_theme_and_text_size_reach_the_start_and_the_window_fits_the_screen_without_a_size():
    options = parse_options(["--theme", "dark", "--font-scale", "1.5"])
    assert options.dark is True and options.font_scale == 1.5
    assert options.size is None  # no --size: the window fits the screen it opens on
    plain = parse_options([])
    assert plain.dark is None and plain.font_scale is None  # the user's last choice stays


def test_the_explorer_keeps_its_own_default_rate_unless_an_optimizer_is_named():
    from lossdesk.settings import AppSettings

    assert parse_options([]).settings.regression.optimizer == AppSettings().regression.optimizer
    assert parse_options(["--lr", "0.2"]).settings.regression.optimizer.values["lr"] == 0.2
    assert parse_options(["--optimizer", "adam"]).settings.regression.optimizer.name == "adam"
