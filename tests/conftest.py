"""Shared test set-up: every run is hermetic, offscreen and in a home of its own.

Offscreen is forced even where a display exists, so a run on a desktop behaves as in CI
and never opens windows on the user's screen: the desktop's Qt variables (``QT_QPA_PLATFORM=xcb``,
a platform theme, a style, a scale factor, a font DPI, plugin paths, logging rules, fatal
warnings …) are dropped, and ``DISPLAY``/``WAYLAND_DISPLAY`` too, so neither Qt nor a
subprocess of a test can reach the screen. ``HOME`` and the XDG folders point into a
temporary folder of this run's own: preferences (QSettings), autosaves, recovery files and
Qt's test-mode folder (``~/.qttest``) never touch the user's files, and two runs side by
side never meet.
"""

import atexit
import os
import shutil
import tempfile

#: variables of the user's desktop that change how Qt draws, lays out or reports
_DESKTOP_ONLY = ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "PYTEST_QT_API")
for _var in list(os.environ):
    if _var.startswith(("QT_", "QML_", "QSG_")) or _var in _DESKTOP_ONLY:
        del os.environ[_var]
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QT_API"] = "pyside6"
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"

# Preferences, autosaves and recovery files go to a home of this run's own, so the
# user's files never change a result and two runs side by side never meet.
_HOME = tempfile.mkdtemp(prefix="lossdesk-tests-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ["HOME"] = _HOME
for _var, _sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                   ("XDG_STATE_HOME", "state"), ("XDG_RUNTIME_DIR", "runtime")):
    os.environ[_var] = os.path.join(_HOME, _sub)
    os.makedirs(os.environ[_var], mode=0o700, exist_ok=True)

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "lossdesk", deadline=None, max_examples=60,
    # the memory cap is meant to span the whole test, every example in it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("lossdesk")


import pytest  # noqa: E402

#: how much more address space a fuzz test may take than the process already has
FUZZ_MEMORY_MARGIN = 2 * 1024**3


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@pytest.fixture
def memory_cap():
    """Cap the process's address space during a fuzz test: a loader that tried to
    allocate for a huge declared size fails the test with MemoryError, not the machine."""
    try:
        import resource  # noqa: PLC0415
    except ImportError:  # not on this platform
        yield
        return
    if not os.path.exists("/proc/self/statm"):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + FUZZ_MEMORY_MARGIN
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield cap
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def pytest_collection_modifyitems(config, items):
    """Slow tests (``@pytest.mark.slow``) run only when asked: ``-m slow`` or LOSSDESK_SLOW=1."""
    import pytest  # noqa: PLC0415

    if "slow" in (config.getoption("markexpr") or "") or os.environ.get("LOSSDESK_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or LOSSDESK_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
