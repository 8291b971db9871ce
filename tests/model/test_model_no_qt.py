"""The model layer is pure numpy: importing it never loads Qt or pyqtgraph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import lossdesk

FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph")

PROBE = """
import json, sys
import lossdesk, lossdesk.model
from lossdesk.model import make_preset, best_line, line_loss_surface
data = make_preset("outliers")
w, b = best_line(data.x, data.y, "huber")
line_loss_surface(data.x, data.y, "mae", [w], [b])
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"file": lossdesk.__file__, "modules": loaded}))
"""


def test_importing_the_model_loads_no_qt():
    root = Path(lossdesk.__file__).resolve().parent.parent
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    env.pop("PYQTGRAPH_QT_LIB", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    # the child imported the same lossdesk as this process
    assert Path(report["file"]).resolve() == Path(lossdesk.__file__).resolve()
    assert "numpy" in report["modules"]  # the probe sees what it loaded
    for name in FORBIDDEN:
        assert name not in report["modules"], f"import lossdesk.model loaded {name}"
