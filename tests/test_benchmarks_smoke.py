"""The frame-speed benchmark's --json output has the documented shape (issue 13).

Never a timed test: the numbers are whatever the machine gives; only the document's shape,
the rows of the issue's target table and the ``met`` rule are checked.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "frame_speed.py"
ROWS = 10  # the target table
KEYS = {"key", "name", "value", "unit", "target", "better", "met", "note"}


def load_benchmark():
    spec = importlib.util.spec_from_file_location("frame_speed_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def check_document(doc: dict) -> None:
    assert set(doc) >= {"load", "figures"}
    assert doc["load"] is None or isinstance(doc["load"], float)
    figures = doc["figures"]
    assert len(figures) == ROWS
    assert len({f["key"] for f in figures}) == ROWS
    for f in figures:
        assert set(f) >= KEYS
        assert isinstance(f["name"], str) and f["name"]
        assert isinstance(f["target"], float)
        assert f["better"] in ("lower", "higher")
        assert isinstance(f["met"], bool)
        if f["value"] is None:
            assert f["met"] is False
        else:
            assert math.isfinite(f["value"])
            assert f["met"] == (f["value"] <= f["target"] if f["better"] == "lower" else f["value"] >= f["target"])


def test_build_figures_has_one_entry_per_row_of_the_target_table():
    bench = load_benchmark()
    doc = bench.build_figures({"drag_1e4": (12.0, ""), "drag_20": (11.0, ""), "vs_blit": (2.0, ""),
                               "descent": (30.0, "no GL"), "stall": (float("nan"), "")}, 1.234, platform="x")
    check_document(doc)
    by_key = {f["key"]: f for f in doc["figures"]}
    assert by_key["drag_1e4"]["met"] is True  # 12 ≤ 16.7
    assert by_key["drag_20"]["met"] is False  # 11 > 10
    assert by_key["vs_blit"]["met"] is True  # 2 ≥ 1.5, higher is better
    assert by_key["descent"]["met"] is False and by_key["descent"]["note"] == "no GL"
    assert by_key["stall"]["value"] is None  # not finite: not measured
    assert by_key["first_paint"]["value"] is None and by_key["first_paint"]["met"] is False
    assert doc["load"] == 1.23 and doc["run"] == {"platform": "x"}
    json.dumps(doc)  # plain JSON


def test_the_script_writes_the_document_with_tiny_sizes(tmp_path):
    out = tmp_path / "figures.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("LOSSDESK_BENCH_UNDER_XVFB", None)
    cmd = [sys.executable, str(SCRIPT), "--platform", "offscreen", "--app-root", str(ROOT), "--sizes", "20",
           "--frames", "2", "--warmup", "1", "--max-seconds", "1", "--window", "800x600",
           "--skip", "matplotlib,blit,stalls,descent,startup,classification", "--json", str(out)]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail("the benchmark took over 120 s with 2 frames at N = 20")
    assert out.exists(), done.stderr[-2000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_document(doc)
    by_key = {f["key"]: f for f in doc["figures"]}
    assert by_key["drag_20"]["value"] is not None  # measured
    assert by_key["slider"]["value"] is not None
    assert by_key["drag_1e4"]["value"] is None  # N = 1e4 was not asked for
    assert doc["run"]["platform"] == "offscreen"
    assert doc["run"]["app_root"] == str(ROOT)
