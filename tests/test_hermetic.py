"""The suite is hermetic: offscreen whatever the desktop says, every file in a home of its own.

A run on a desktop (``DISPLAY`` and ``QT_QPA_PLATFORM=xcb`` exported, a scale factor, a
style or platform theme of the user's), or beside another run of itself, must give the same
results as a run in CI. And the app's headless runs print nothing but their result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import lossdesk

ROOT = Path(__file__).resolve().parent
PACKAGE_ROOT = Path(lossdesk.__file__).resolve().parent.parent


#: Qt's folders follow HOME and the XDG variables only on Linux (and other X11 systems)
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's folders follow XDG on Linux")


def home() -> Path:
    return Path(os.environ["HOME"]).resolve()


def inside(path: str | Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder)


@linux_only
def test_the_run_has_a_temporary_home_of_its_own():
    import pwd  # noqa: PLC0415

    here = home()
    assert here.name.startswith("lossdesk-tests-") and inside(here, Path(tempfile.gettempdir()).resolve())
    assert here != Path(pwd.getpwuid(os.getuid()).pw_dir).resolve()
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        assert inside(os.environ[var], here), var
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert "DISPLAY" not in os.environ and "WAYLAND_DISPLAY" not in os.environ


@linux_only
def test_qt_runs_offscreen_and_keeps_its_files_in_the_temporary_home(qapp):
    from PySide6.QtCore import QSettings, QStandardPaths  # noqa: PLC0415
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    from lossdesk.qt.recovery import RecoveryFile, recovery_folder  # noqa: PLC0415

    assert QGuiApplication.platformName() == "offscreen"
    here = home()
    assert inside(QSettings("lossdesk", "lossdesk").fileName(), here)
    assert inside(recovery_folder(), here)
    assert inside(RecoveryFile().path, here)
    for where in (QStandardPaths.StandardLocation.AppDataLocation, QStandardPaths.StandardLocation.AppConfigLocation,
                  QStandardPaths.StandardLocation.CacheLocation, QStandardPaths.StandardLocation.HomeLocation):
        assert inside(QStandardPaths.writableLocation(where), here), where


#: the desktop a developer may run the suite from (the display itself does not exist here)
DESKTOP = {
    "DISPLAY": ":97", "QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORMTHEME": "gtk3", "QT_STYLE_OVERRIDE": "windows",
    "QT_SCALE_FACTOR": "2", "QT_FONT_DPI": "144", "QT_FATAL_WARNINGS": "1", "PYTEST_QT_API": "pyqt6",
}

PROBE = '''
import os
from pathlib import Path


def test_probe(qapp):
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication
    from lossdesk.qt.recovery import recovery_folder

    real_home = Path(os.environ["PROBE_REAL_HOME"])
    assert QGuiApplication.platformName() == "offscreen"
    assert qapp.primaryScreen().devicePixelRatio() == 1.0
    assert qapp.style().name() == "fusion"
    assert "DISPLAY" not in os.environ
    assert not Path(os.environ["HOME"]).is_relative_to(real_home)
    assert not Path(QSettings("lossdesk", "lossdesk").fileName()).is_relative_to(real_home)
    assert not recovery_folder().is_relative_to(real_home)
'''


@linux_only
def test_a_desktop_environment_does_not_reach_the_suite(tmp_path):
    """The suite's own start-up (a copy of tests/conftest.py) under a desktop's variables."""
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nqt_api = pyside6\n", encoding="utf-8")
    real_home = tmp_path / "the-users-home"
    env = dict(os.environ, **DESKTOP, HOME=str(real_home), XDG_CONFIG_HOME=str(real_home / ".config"),
               XDG_DATA_HOME=str(real_home / ".local" / "share"), PROBE_REAL_HOME=str(real_home),
               PYTHONPATH=str(PACKAGE_ROOT))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert not real_home.exists(), "the run wrote into the user's home"


def test_qt_messages_other_than_the_offscreen_noise_pass_on(qtlog):
    """The filter drops exactly Qt's propagateSizeHints line and hands every other on."""
    from PySide6.QtCore import qWarning  # noqa: PLC0415

    from lossdesk.qt.messages import install_message_filter  # noqa: PLC0415

    install_message_filter()  # on top of pytest-qt's handler, which it passes messages to
    qWarning("This plugin does not support propagateSizeHints()")
    qWarning("a warning that matters")
    messages = [record.message for record in qtlog.records]
    assert "a warning that matters" in messages
    assert not any("propagateSizeHints" in message for message in messages)


def headless_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               PYTHONPATH=str(PACKAGE_ROOT))
    env["QT_QPA_PLATFORM"] = "offscreen"  # as tests/conftest.py set it (no DISPLAY either)
    return env


def test_a_message_without_an_earlier_handler_still_reaches_stderr(tmp_path):
    code = ("from lossdesk.qt.messages import install_message_filter as f; f()\n"
            "from PySide6.QtCore import qWarning\n"
            "qWarning('This plugin does not support propagateSizeHints()'); qWarning('kept')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=headless_env(tmp_path),
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == ["kept"]


def test_a_headless_screenshot_prints_nothing(tmp_path):
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "lossdesk", "--tab", "regression", "--size", "1024x640",
                           "--screenshot", str(out)], cwd=tmp_path, env=headless_env(tmp_path),
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
    assert done.stdout == "" and done.stderr == "", (done.stdout, done.stderr)
