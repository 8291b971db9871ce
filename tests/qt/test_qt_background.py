"""Slow surfaces and best lines are worked out off the GUI thread, and the newest request wins."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from lossdesk.model import RegressionData, fitting, snapshot
from lossdesk.model import surface as surface_module
from lossdesk.model.fitting import best_line
from lossdesk.model.surface import line_loss_surface
from lossdesk.qt.background import NewestWins
from lossdesk.qt.tabs import regression as regression_tab
from lossdesk.qt.tabs.regression import COARSE_TEXT, WAITING_TEXT
from lossdesk.qt.theme import configure_pyqtgraph
from lossdesk.qt.undo import DataHistory
from lossdesk.settings import RegressionSettings, SettingsStore
from lossdesk.settings.selection import PointMarks

BIG = 20_000  # MAE's exact surface here is far over the synchronous budget


# ------------------------------------------------------------------ the worker helper
def test_newest_request_wins(qtbot):
    jobs = NewestWins()
    release = threading.Event()
    ran, delivered = [], []
    jobs.finished.connect(lambda tag, value: delivered.append((tag, value)))

    def slow():
        ran.append("a")
        release.wait(10)
        return "a"

    def quick(tag):
        def fn():
            ran.append(tag)
            return tag
        return fn

    jobs.submit("a", slow)
    qtbot.waitUntil(lambda: ran == ["a"])  # "a" is running, blocked
    jobs.submit("b", quick("b"))  # queued behind it...
    jobs.submit("c", quick("c"))  # ...and superseded before it starts: never runs
    assert jobs.tag == "c" and jobs.waiting
    release.set()
    qtbot.waitUntil(lambda: delivered == [("c", "c")])
    assert ran == ["a", "c"]
    assert jobs.dropped == 1  # "a" arrived after "c" was asked for
    assert not jobs.waiting
    assert jobs.wait(5000)


def test_a_failing_request_is_reported_not_raised(qtbot):
    jobs = NewestWins()
    failures = []
    jobs.failed.connect(lambda tag, text: failures.append((tag, text)))

    def broken():
        raise ValueError("no such surface")

    jobs.submit("x", broken)
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert failures[0][0] == "x" and "no such surface" in failures[0][1]


def test_the_work_runs_on_another_thread(qtbot):
    jobs = NewestWins()
    got = []
    jobs.finished.connect(lambda tag, value: got.append((value, threading.get_ident())))
    jobs.submit(1, threading.get_ident)
    qtbot.waitUntil(lambda: len(got) == 1)
    worker_thread, delivered_on = got[0]
    assert worker_thread != threading.get_ident()  # worked out elsewhere...
    assert delivered_on == threading.get_ident()  # ...delivered on the GUI thread


# ------------------------------------------------------------------ the explorer
@pytest.fixture
def explorer(qtbot):
    configure_pyqtgraph()
    store = SettingsStore(RegressionSettings())
    history = DataHistory(store, ("outlier", "outlier_base"))
    tab = regression_tab.RegressionExplorer(store, history, PointMarks())
    history.setParent(tab)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    qtbot.waitExposed(tab)
    yield tab
    tab.cache.surfaces.wait(20_000)
    tab.cache.bests.wait(20_000)


@pytest.fixture
def calls(monkeypatch):
    """Every exact surface and best line worked out, with the thread and the number of points."""
    seen: list[tuple[str, int, int]] = []

    def record(kind, original):
        def wrapper(x, y, *args, **kw):
            seen.append((kind, threading.get_ident(), np.asarray(x).size))
            return original(x, y, *args, **kw)
        return wrapper

    surface = record("surface", surface_module.line_loss_surface)
    line = record("best", fitting.best_line)
    for module in (surface_module, snapshot):
        monkeypatch.setattr(module, "line_loss_surface", surface)
    for module in (fitting, snapshot):
        monkeypatch.setattr(module, "best_line", line)
    return seen


def big_data(n: int = BIG) -> RegressionData:
    rng = np.random.default_rng(3)
    x = rng.uniform(-3, 3, n)
    return RegressionData(x, 1.5 * x + 0.5 + rng.normal(0, 1, n))


def settled(tab) -> bool:
    return not tab.cache.waiting and tab.surface_panel.readout.text() == ""


def shows_exact(tab) -> None:
    """The surface and the star the views draw are the model's exact ones for the settings."""
    v, shown = tab.store.value, tab._shown
    win = shown.window
    np.testing.assert_allclose(tab.surface_view.z, line_loss_surface(v.data.x, v.data.y, v.loss, win.w_grid,
                                                                     win.b_grid, **v.params), rtol=1e-12)
    assert shown.best == best_line(v.data.x, v.data.y, v.loss, **v.params)


def readout(tab) -> str:
    return tab.surface_panel.readout.text()



def test_small_data_stays_synchronous(qtbot, explorer, calls):
    explorer.set_loss("mae")
    assert settled(explorer)  # worked out at once, on this thread
    assert calls and all(thread == threading.get_ident() for _, thread, _ in calls)
    assert explorer.cache.surfaces.tag is None and explorer.cache.bests.tag is None
    shows_exact(explorer)


def test_a_slow_loss_change_waits_then_shows_the_exact_surface(qtbot, explorer, calls):
    explorer.load_data(big_data(), "big")
    qtbot.waitUntil(lambda: settled(explorer), timeout=20_000)
    calls.clear()
    explorer.set_loss("logcosh")
    assert readout(explorer) == WAITING_TEXT  # says so while it waits
    gui = threading.get_ident()
    # no exact surface on the GUI thread (log-cosh's best line, a few Newton steps, is quick)
    assert not [c for c in calls if c[0] == "surface" and c[1] == gui and c[2] == BIG]
    qtbot.waitUntil(lambda: settled(explorer), timeout=60_000)
    assert any(c[0] == "surface" and c[1] != gui and c[2] == BIG for c in calls)
    shows_exact(explorer)


def test_a_drag_at_large_n_never_works_out_the_exact_surface_on_the_gui_thread(qtbot, explorer, calls):
    explorer.set_loss("mae")
    explorer.load_data(big_data(), "big")
    qtbot.waitUntil(lambda: settled(explorer), timeout=20_000)
    calls.clear()
    row = 7
    explorer._drag_started(row)
    x0, y0 = float(explorer.store.value.data.x[row]), float(explorer.store.value.data.y[row])
    for k in range(5):
        explorer._drag_moved(row, x0, y0 + 0.5 * (k + 1))
        assert readout(explorer) in (COARSE_TEXT, WAITING_TEXT)
    gui = threading.get_ident()
    assert not [c for c in calls if c[1] == gui and c[2] == BIG]
    # the drag rests (the mouse still held): the exact surface arrives and replaces the coarse one
    qtbot.waitUntil(lambda: settled(explorer), timeout=30_000)
    shows_exact(explorer)
    assert explorer.history.live
    explorer._drag_finished(row)
    qtbot.waitUntil(lambda: settled(explorer), timeout=30_000)
    assert not [c for c in calls if c[1] == gui and c[2] == BIG]
    shows_exact(explorer)


def test_a_superseded_surface_is_never_shown(qtbot, explorer):
    explorer.load_data(big_data(), "big")
    qtbot.waitUntil(lambda: settled(explorer), timeout=20_000)
    shown = []
    original = explorer.surface_view.show_surface
    explorer.surface_view.show_surface = lambda w, z, lines: (shown.append(z), original(w, z, lines))
    for loss in ("mae", "huber", "quantile"):  # each asks before the last one arrived
        explorer.set_loss(loss)
    qtbot.waitUntil(lambda: settled(explorer), timeout=30_000)
    v = explorer.store.value
    win = explorer._shown.window
    exact = {loss: line_loss_surface(v.data.x, v.data.y, loss, win.w_grid, win.b_grid, **v.loss_params[loss])
             for loss in ("mae", "huber")}
    # mae's and huber's exact surfaces (asked for, then superseded) never reached the view
    for z in shown:
        for stale in exact.values():
            assert not (z.shape == stale.shape and np.allclose(z, stale, rtol=1e-12))
    shows_exact(explorer)


def test_jump_to_best_waits_for_the_exact_line(qtbot, explorer):
    explorer.set_loss("quantile")
    explorer.load_data(big_data(), "big")
    qtbot.waitUntil(lambda: settled(explorer), timeout=20_000)
    explorer._set_line(w=0.0, b=0.0)
    data = big_data(BIG + 1)  # new points: the best line is not known yet
    explorer.load_data(data, "bigger")
    explorer.jump_to_best()
    qtbot.waitUntil(lambda: settled(explorer), timeout=30_000)
    v = explorer.store.value
    assert (v.w, v.b) == best_line(v.data.x, v.data.y, v.loss, **v.params)


def test_the_event_loop_runs_while_it_waits(qtbot, explorer):
    # the GUI thread is free: a timer fires while the exact surface is still being worked out
    explorer.load_data(big_data(), "big")
    qtbot.waitUntil(lambda: settled(explorer), timeout=20_000)
    explorer.set_loss("logcosh")
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(explorer.cache.working))
    timer.start(5)
    qtbot.waitUntil(lambda: sum(ticks) >= 2 or settled(explorer), timeout=60_000)
    assert sum(ticks) >= 2  # ticks came while the worker was busy with the exact surface
    qtbot.waitUntil(lambda: settled(explorer), timeout=60_000)
    timer.stop()
    shows_exact(explorer)
