"""Classroom installs (issue 16): the desktop entry, the .lossdesk file type, a file named on the
command line, and (slow) the standalone bundle and the offline wheelhouse, each started headless."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import lossdesk
from lossdesk.assets import resource_path
from lossdesk.cli import main, parse_options
from lossdesk.model import read_csv
from lossdesk.session import Session
from lossdesk.settings import AppSettings

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
DATA = Path(__file__).resolve().parent / "data"
SESSION_FILE = DATA / "v1_own_data.lossdesk"
CSV_FILE = resource_path("datasets", "example_heavy_tail.csv")
MIME_TYPE = "application/x-lossdesk-session"
MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
SMALL = ["--size", "1024x640"]  # the smallest size every tab is laid out for


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """Offscreen, no display, and a home (preferences, recovery files) inside the test's folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_STATE_HOME=str(home / "state"), **extra)
    return env


def run_lossdesk(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``python -m lossdesk ARGS`` with the lossdesk these tests import (the installed one under CI)."""
    env = clean_env(cwd / "home", PYTHONPATH=str(Path(lossdesk.__file__).resolve().parent.parent))
    return subprocess.run([sys.executable, "-m", "lossdesk", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL)


def picture(path: Path):
    """The PNG as a QImage (no QApplication is needed to read one)."""
    from PySide6.QtGui import QImage  # noqa: PLC0415

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is no picture"
    return image


def colours(image, step: int = 7) -> int:
    """How many different colours a grid of the picture's pixels holds (a blank window has 1 or 2)."""
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def assert_real_window(path: Path, size: tuple[int, int]) -> None:
    """A drawn window: the asked size, a real PNG's weight and the many colours of plots and text."""
    assert path.stat().st_size > 20_000, f"{path} is only {path.stat().st_size} bytes"
    image = picture(path)
    assert (image.width(), image.height()) == size
    assert colours(image) > 50


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


# ---------------------------------------------------------------------- the desktop entry
def test_desktop_entry_starts_lossdesk_with_the_file():
    entry = desktop_entry(PACKAGING / "lossdesk.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] == "lossdesk"
    assert entry["Exec"] == "lossdesk %f"  # %f: the one file a double-click hands over
    assert entry["Icon"] == "lossdesk"
    assert entry["Terminal"] == "false"
    assert "Education" in entry["Categories"].split(";")
    assert entry["MimeType"].split(";") == [MIME_TYPE, "text/csv", ""]
    assert entry["Comment"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)")
def test_desktop_entry_passes_the_freedesktop_validator():
    result = subprocess.run(["desktop-file-validate", str(PACKAGING / "lossdesk.desktop")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # not even a hint


def test_mime_type_names_the_lossdesk_glob_and_a_saved_sessions_start(tmp_path):
    root = ET.parse(PACKAGING / "lossdesk-mime.xml").getroot()
    types = root.findall("m:mime-type", MIME_NS)
    assert [t.get("type") for t in types] == [MIME_TYPE]
    assert [g.get("pattern") for g in types[0].findall("m:glob", MIME_NS)] == ["*.lossdesk"]
    assert types[0].find("m:comment", MIME_NS).text
    # the magic (for a session file that lost its name) matches what lossdesk writes today
    match = types[0].find("m:magic/m:match", MIME_NS)
    saved = tmp_path / "lesson.lossdesk"
    Session(AppSettings()).save(saved)
    head = saved.read_bytes()
    first, last = (int(n) for n in match.get("offset").split(":"))
    assert head.find(match.get("value").encode(), first, last + len(match.get("value"))) >= 0


def install_desktop(args: list[str], data_home: Path, script: Path = PACKAGING / "install_desktop.sh"):
    env = dict(os.environ, XDG_DATA_HOME=str(data_home))
    return subprocess.run(["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=60)


def installed_files(data_home: Path) -> dict[str, Path]:
    return {
        "entry": data_home / "applications" / "lossdesk.desktop",
        "icon": data_home / "icons" / "hicolor" / "scalable" / "apps" / "lossdesk.svg",
        "file icon": data_home / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME_TYPE.replace('/', '-')}.svg",
        "mime": data_home / "mime" / "packages" / "lossdesk.xml",
    }


def test_install_desktop_puts_entry_icon_and_file_type_in_xdg_data_home_and_takes_them_away(tmp_path):
    program = tmp_path / "lab apps" / "lossdesk"  # a space: the entry must quote the path
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    data_home = tmp_path / "share"

    result = install_desktop(["--exec", str(program)], data_home)
    assert result.returncode == 0, result.stderr
    files = installed_files(data_home)
    assert all(path.is_file() for path in files.values()), sorted(str(p) for p in data_home.rglob("*"))
    entry = desktop_entry(files["entry"])
    assert entry["Exec"] == f'"{program}" %f'
    assert entry["MimeType"] == desktop_entry(PACKAGING / "lossdesk.desktop")["MimeType"]
    assert files["icon"].read_bytes() == resource_path("icons", "lossdesk.svg").read_bytes()
    assert files["mime"].read_bytes() == (PACKAGING / "lossdesk-mime.xml").read_bytes()
    if shutil.which("update-mime-database"):  # the desktop's database now knows *.lossdesk
        assert f"{MIME_TYPE}:*.lossdesk" in (data_home / "mime" / "globs2").read_text()
    if shutil.which("update-desktop-database"):  # … and which program opens it
        assert f"{MIME_TYPE}=lossdesk.desktop;" in (data_home / "applications" / "mimeinfo.cache").read_text()

    result = install_desktop(["--uninstall"], data_home)
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in files.values())


def test_install_desktop_inside_a_bundle_starts_the_bundles_program(tmp_path):
    bundle = tmp_path / "lossdesk"  # what build_bundle.sh copies beside the program
    bundle.mkdir()
    for name in ("install_desktop.sh", "lossdesk.desktop", "lossdesk-mime.xml"):
        shutil.copy(PACKAGING / name, bundle)
    shutil.copy(resource_path("icons", "lossdesk.svg"), bundle)
    (bundle / "lossdesk").write_text("#!/bin/sh\n")
    (bundle / "lossdesk").chmod(0o755)

    result = install_desktop([], tmp_path / "share", script=bundle / "install_desktop.sh")
    assert result.returncode == 0, result.stderr
    assert desktop_entry(installed_files(tmp_path / "share")["entry"])["Exec"] == f"{bundle / 'lossdesk'} %f"


def test_install_desktop_refuses_a_path_a_menu_entry_cannot_hold(tmp_path):
    result = install_desktop(["--exec", str(tmp_path / "$HOME" / "lossdesk")], tmp_path / "share")
    assert result.returncode == 2
    assert "cannot go in a menu entry" in result.stderr
    assert not installed_files(tmp_path / "share")["entry"].exists()


# ---------------------------------------------------------------------- a file on the command line
def test_a_session_file_opens_as_with_session():
    options = parse_options([str(SESSION_FILE)])
    assert options.session == SESSION_FILE  # the window's title and "Save" use it
    assert options.open_file == SESSION_FILE
    assert options.settings == Session.load(SESSION_FILE).settings
    assert options.settings == parse_options(["--session", str(SESSION_FILE)]).settings
    assert options.settings != AppSettings()


def test_a_csv_file_opens_as_with_dataset():
    options = parse_options([str(CSV_FILE)])
    assert options.open_file == CSV_FILE
    assert options.settings == parse_options(["--dataset", str(CSV_FILE)]).settings
    data = options.settings.regression.source.data
    expected = read_csv(CSV_FILE)
    assert data.name == expected.name and list(data.x) == list(expected.x) and list(data.y) == list(expected.y)
    # with other options, as --dataset takes them
    assert parse_options([str(CSV_FILE), "--loss", "huber"]).settings.regression.loss == "huber"


@pytest.fixture(scope="module")
def default_picture(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("default")
    result = run_lossdesk([*SMALL, "--screenshot", "default.png"], folder)
    assert result.returncode == 0, result.stderr
    return folder / "default.png"


@pytest.mark.parametrize(("file", "option"), [(SESSION_FILE, "--session"), (CSV_FILE, "--dataset")],
                         ids=["lossdesk", "csv"])
def test_lossdesk_FILE_shows_the_file(tmp_path, default_picture, file, option):
    """The window a double-click opens is the one --session/--dataset opens, not the default one."""
    named = run_lossdesk([str(file), *SMALL, "--screenshot", "named.png"], tmp_path)
    assert (named.returncode, named.stdout, named.stderr) == (0, "", "")
    by_option = run_lossdesk([option, str(file), *SMALL, "--screenshot", "option.png"], tmp_path)
    assert by_option.returncode == 0, by_option.stderr
    assert_real_window(tmp_path / "named.png", (1024, 640))
    assert picture(tmp_path / "named.png") == picture(tmp_path / "option.png")
    assert picture(tmp_path / "named.png") != picture(default_picture)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: d / "missing.lossdesk", "missing.lossdesk"),
        (lambda d: write(d / "broken.lossdesk", "{ not json"), "not a readable lossdesk session"),
        (lambda d: write(d / "other.lossdesk", '{"format": "something-else"}'), "not a lossdesk session"),
        (lambda d: write(d / "words.csv", "x,y\n1,one\n"), "'one' is not a number"),
        (lambda d: d / "missing.csv", "missing.csv"),
        (lambda d: write(d / "notes.txt", "hello"), "lossdesk opens sessions (.lossdesk) and data sets (.csv)"),
    ],
    ids=["missing-session", "not-json", "not-a-session", "bad-csv", "missing-csv", "other-suffix"],
)
def test_a_bad_file_is_refused_in_one_line(tmp_path, capsys, make, needle):
    assert main([str(make(tmp_path)), "--screenshot", str(tmp_path / "never.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("lossdesk: error: ")
    assert needle in err
    assert not (tmp_path / "never.png").exists()


@pytest.mark.parametrize(
    "extra", [["--session", str(SESSION_FILE)], ["--dataset", str(CSV_FILE)], ["--preset", "linear"]],
    ids=["two-sessions", "two-csvs", "csv-and-preset"])
def test_a_file_and_an_option_naming_another_are_refused(capsys, extra):
    file = SESSION_FILE if extra[0] == "--session" else CSV_FILE
    assert main([str(file), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "open one" in err


def test_a_bad_file_exits_2_from_the_real_command(tmp_path):
    result = run_lossdesk([str(write(tmp_path / "broken.lossdesk", "{"))], tmp_path)
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1 and "lossdesk session" in result.stderr


# ---------------------------------------------------------------------- slow: bundle and wheelhouse
def can_unshare_network() -> bool:
    """True where ``unshare -n`` gives a process no network at all (root on Linux)."""
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                    reason="PyInstaller is not installed: pip install '.[bundle]' to build the bundle")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bundle script is for Linux")
def test_the_bundle_builds_and_starts_headless(tmp_path):
    dist = tmp_path / "dist"
    repo_before, packaging_before = {p.name for p in REPO.iterdir()}, sorted(PACKAGING.iterdir())
    build = subprocess.run(["bash", str(PACKAGING / "build_bundle.sh"), "--python", sys.executable, str(dist)],
                           env=clean_env(tmp_path / "build-home"), capture_output=True, text=True, timeout=1500)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    program = dist / "lossdesk" / "lossdesk"
    assert program.is_file() and os.access(program, os.X_OK)
    # the build's junk stays in its temporary folder
    assert not {p.name for p in REPO.iterdir()} - repo_before & {"build", "dist", "lossdesk.spec"}
    assert sorted(PACKAGING.iterdir()) == packaging_before

    inside = dist / "lossdesk" / "_internal"
    plugins = inside / "PySide6" / "Qt" / "plugins"
    for needed in ("platforms/libqoffscreen.so", "platforms/libqxcb.so", "xcbglintegrations/libqxcb-glx-integration.so",
                   "iconengines/libqsvgicon.so"):
        assert (plugins / needed).is_file(), needed
    for needed in ("lossdesk/resources/lessons/loss_functions.json", "lossdesk/resources/icons/lossdesk.svg",
                   "PIL", "pyqtgraph"):
        assert (inside / needed).exists(), needed
    names = {p.name for p in inside.rglob("*")}
    for left_out in ("libQt6Qml.so.6", "libQt6Quick.so.6", "libQt6Network.so.6", "libQt6WebEngineCore.so.6",
                     "libQt6Multimedia.so.6", "QtQml.abi3.so", "QtNetwork.abi3.so", "matplotlib", "tkinter",
                     "pytest", "hypothesis", "libqeglfs.so", "libqvnc.so", "libqgtk3.so"):
        assert left_out not in names, left_out
    assert not [name for name in names if name.startswith("_tkinter")]
    assert not [p for p in inside.rglob("*") if p.is_symlink() and not p.exists()]  # no dangling link
    # the Python modules inside the program's archive: the 3-D valley's, the widgets', Pillow's
    listing = subprocess.run([sys.executable, "-m", "PyInstaller.utils.cliutils.archive_viewer", "--list",
                              "--recursive", str(program)], capture_output=True, text=True, timeout=300).stdout
    modules = {line.rsplit(",", 1)[-1].strip(" '") for line in listing.splitlines() if line.count(",") >= 3}
    assert {"lossdesk.qt.main_window", "pyqtgraph.opengl", "OpenGL.GL", "OpenGL.platform.glx",
            "OpenGL.arrays.numpymodule", "superqt", "psygnal", "contourpy", "PIL.GifImagePlugin"} <= modules
    assert not modules & {"matplotlib", "tkinter", "PySide6.QtNetwork", "PySide6.QtQml", "pytest"}
    assert {"install_desktop.sh", "lossdesk.desktop", "lossdesk-mime.xml", "lossdesk.svg"} <= {
        p.name for p in (dist / "lossdesk").iterdir()}

    # no Python of ours: a bare environment (a desktop's UTF-8 locale), started from elsewhere
    home = clean_env(tmp_path / "home")
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           **{k: v for k, v in home.items() if k.startswith(("HOME", "XDG_", "QT_QPA"))}}
    run = subprocess.run([str(program), "--size", "1024x640", "--screenshot", "out.png"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert_real_window(tmp_path / "out.png", (1024, 640))

    # a double-click's start (a session named alone) and the GIF export (Pillow and the descent)
    run = subprocess.run([str(program), str(SESSION_FILE), "--size", "1024x640", "--screenshot", "session.png"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    assert picture(tmp_path / "session.png") != picture(tmp_path / "out.png")
    run = subprocess.run([str(program), "--export-gif", "descent.gif", "--steps", "5"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "descent.gif").read_bytes()[:6] == b"GIF89a"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the wheelhouse script is for Linux")
def test_the_wheelhouse_installs_and_starts_with_no_network(tmp_path):
    wheels = tmp_path / "wheelhouse"
    build = subprocess.run(["bash", str(PACKAGING / "build_wheelhouse.sh"), str(wheels)],
                           env=dict(os.environ, PYTHON=sys.executable), capture_output=True, text=True, timeout=1500)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert len(list(wheels.glob("lossdesk-*.whl"))) == 1
    assert (wheels / "INSTALL.txt").is_file()

    venv = tmp_path / "classroom"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    # pip with no index, no configuration (no other wheel folders) and, where it can be had, no network
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    offline = ["unshare", "-n"] if can_unshare_network() else []
    install = subprocess.run([*offline, str(venv / "bin" / "pip"), "install", "--no-index", "--find-links",
                              str(wheels), "lossdesk[export]"], env=env, capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]

    run = subprocess.run([*offline, str(venv / "bin" / "lossdesk"), "--size", "1024x640", "--screenshot", "out.png"],
                         cwd=tmp_path, env=clean_env(tmp_path / "home"), capture_output=True, text=True, timeout=180)
    assert (run.returncode, run.stderr) == (0, "")
    assert_real_window(tmp_path / "out.png", (1024, 640))
