"""Shared test set-up: Qt runs offscreen, so the suite needs no display.

Offscreen is forced even where a display exists, so a run on a desktop behaves as in CI
and never opens windows on the user's screen.
"""

import atexit
import os
import shutil
import tempfile

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"

# Preferences, autosaves and recovery files go to a home of this run's own, so the
# user's files never change a result and two runs side by side never meet.
_HOME = tempfile.mkdtemp(prefix="lossdesk-tests-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
for _var, _sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                   ("XDG_RUNTIME_DIR", "runtime")):
    os.environ[_var] = os.path.join(_HOME, _sub)
    os.makedirs(os.environ[_var], mode=0o700, exist_ok=True)

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "lossdesk", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("lossdesk")
