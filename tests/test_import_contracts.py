"""The layers' boundaries (the ``[tool.importlinter]`` contracts in pyproject.toml) hold.

The model imports neither settings, sessions, Qt nor the command line; settings import no
Qt; sessions import no Qt; Qt never imports the command line; views import no module of
model computations. ``lint-imports`` reads the source statically (nothing is imported).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = 5


def lint_imports(cwd: Path, pythonpath: Path | None = None) -> tuple[int, str, dict[str, str]]:
    """Run the venv's import-linter in ``cwd``: exit code, output, and each contract's verdict."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as run; "
                               "sys.exit(run())", "--no-cache"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )
    output = done.stdout + done.stderr
    verdicts = dict(re.findall(r"^(.+?) (KEPT|BROKEN)$", output, flags=re.MULTILINE))
    return done.returncode, output, verdicts


def test_every_contract_is_kept():
    code, output, verdicts = lint_imports(ROOT)
    assert len(verdicts) == CONTRACTS, output
    broken = [name for name, verdict in verdicts.items() if verdict != "KEPT"]
    assert code == 0 and not broken, output


def test_the_contracts_notice_a_broken_boundary(tmp_path):
    """A copy of the package with two forbidden imports added: both contracts say BROKEN."""
    shutil.copytree(ROOT / "lossdesk", tmp_path / "lossdesk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "lossdesk" / "model" / "losses.py").open("a", encoding="utf-8") as fh:
        fh.write("\nimport PySide6.QtCore  # noqa\n")
    views = sorted((tmp_path / "lossdesk" / "qt" / "views").glob("[a-z]*.py"))
    if not views:
        pytest.skip("no view modules to test with")
    with views[0].open("a", encoding="utf-8") as fh:
        fh.write("\nfrom lossdesk.model.surface import line_loss_surface  # noqa\n")
    code, output, verdicts = lint_imports(tmp_path, pythonpath=tmp_path)
    assert code != 0, output
    model = next(name for name in verdicts if name.startswith("The model imports"))
    view = next(name for name in verdicts if name.startswith("Views import"))
    assert verdicts[model] == "BROKEN" and verdicts[view] == "BROKEN", output
