"""Random sequences of the edits a user makes, on the settings layer without Qt.

After every step the whole app is saved and opened again (``Session(settings).to_json()``
→ ``Session.from_json``): the settings, the data (with names and where they came from) and
the computed results must be the same. Data edits undo and redo the way the app's
``DataHistory`` does: each is a swap of the tab's data part (the source, plus the outlier
fields in the regression tabs); choices of loss, line, optimizer… are not undo steps.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from lossdesk.model import OPTIMIZERS, PRESETS, SCHEDULES, parse_csv
from lossdesk.model.optimizers import optimizer_settings
from lossdesk.model.classifier_snapshot import classifier_snapshot
from lossdesk.model.results.regression import compute_regression
from lossdesk.model.snapshot import regression_snapshot
from lossdesk.session import Session
from lossdesk.settings import TABS, AppSettings, DataSource, OptimizerChoice, SettingsError
from lossdesk.settings import classification as cls_settings
from lossdesk.settings import regression as reg_settings
from lossdesk.settings.outlier_lab import COMPARED

REG_PRESETS = [name for name, p in PRESETS.items() if p.task == "regression"]
CLS_PRESETS = [name for name, p in PRESETS.items() if p.task == "classification"]

coords = st.floats(-50.0, 50.0, allow_nan=False, width=32).map(float)
fractions = st.floats(0.0, 1.0, exclude_max=True)
noises = st.none() | st.floats(0.0, 3.0).map(lambda v: round(v, 3))
line_values = st.floats(-20.0, 20.0, allow_nan=False)
learning_rates = st.floats(1e-4, 10.0)


# ---------------------------------------------------------------- the app's edits, Qt-free
# (the same steps as lossdesk.qt.controls.outlier / dataset_table / tabs.data_actions)

def at_start(value: Any) -> Any:
    changes: dict[str, Any] = {}
    if hasattr(value, "w"):
        changes.update(w=0.0, b=0.0, outlier=None, outlier_base=0.0)
    else:
        changes["theta"] = ()
    return replace(value, **changes)


def with_added_outlier(r: reg_settings.RegressionSettings) -> reg_settings.RegressionSettings:
    data = r.data
    x = float(data.x.max() + 0.1 * (np.ptp(data.x) or 1.0))
    y = float(r.w * x + r.b)
    value = r.with_source(r.source.edited(data.with_added({"x": x, "y": y})))
    return replace(value, outlier=data.n, outlier_base=y)


def with_outlier_shift(r: reg_settings.RegressionSettings, shift: float) -> reg_settings.RegressionSettings:
    row, data = r.outlier, r.data
    moved = data.with_row(row, {"x": float(data.x[row]), "y": r.outlier_base + shift})
    return r.with_source(r.source.edited(moved))


def csv_text(points: list[tuple[float, float]]) -> str:
    return "x,y\n" + "".join(f"{x!r},{y!r}\n" for x, y in points)


def data_part(value: Any) -> dict[str, Any]:
    part = {"source": value.source}
    if hasattr(value, "outlier"):
        part.update(outlier=value.outlier, outlier_base=value.outlier_base)
    return part


def put_part(value: Any, part: dict[str, Any]) -> Any:
    """What DataHistory._put does: the source, then the extras if they still fit."""
    new = value.with_source(part["source"])
    extras = {k: v for k, v in part.items() if k != "source"}
    if extras:
        try:
            new = replace(new, **extras)
        except SettingsError:
            pass
    return new


def results_of(app: AppSettings) -> tuple:
    """The numbers the tabs show, from fresh caches: what must survive a save and an open."""
    r, c = app.regression, app.classification
    snap = regression_snapshot(r.data, r.loss, r.params, r.w, r.b)
    reg = compute_regression(r)
    problem = c.label_problem()
    # the classification tab's numbers come from this snapshot (compute_classification adds
    # a cost surface over θ, which takes longer than the rest of a step together)
    cls = None if problem else classifier_snapshot(c.data, c.loss, c.predictor(), c.theta_array, c.params)
    return (snap.cost, snap.total, reg.cost, reg.best, reg.best_cost, reg.outlier, reg.outlier_shift,
            problem, None if cls is None else cls.cost, c.theta)


def same_numbers(a: tuple, b: tuple) -> bool:
    for x, y in zip(a, b, strict=True):
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            continue
        if x != y:
            return False
    return True


STATS = {"examples": 0, "steps": 0, "seconds": 0.0}


class SettingsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.app = AppSettings()
        # per data tab: done edits (old part, new part) and undone ones
        self.undo: dict[str, list[tuple[dict, dict]]] = {"regression": [], "classification": []}
        self.redo: dict[str, list[tuple[dict, dict]]] = {"regression": [], "classification": []}
        STATS["examples"] += 1
        self._started = time.perf_counter()

    def teardown(self) -> None:
        STATS["seconds"] += time.perf_counter() - self._started

    # ------------------------------------------------------------ helpers
    def _set(self, tab: str, value: Any) -> None:
        self.app = replace(self.app, **{tab: value})

    def _data_edit(self, tab: str, new: Any) -> None:
        """One undo step, as DataHistory.apply makes it."""
        old = getattr(self.app, tab)
        before, after = data_part(old), data_part(new)
        self._set(tab, new)
        if before != after:
            self.undo[tab].append((before, after))
            self.redo[tab].clear()

    @property
    def reg(self) -> reg_settings.RegressionSettings:
        return self.app.regression

    @property
    def cls(self) -> cls_settings.ClassificationSettings:
        return self.app.classification

    # ------------------------------------------------------------ regression data edits
    @rule(where=fractions, x=coords, y=coords)
    def move_point(self, where: float, x: float, y: float) -> None:
        row = int(where * self.reg.data.n)
        data = self.reg.data.with_row(row, {"x": x, "y": y})
        self._data_edit("regression", self.reg.with_source(self.reg.source.edited(data)))

    @rule(x=coords, y=coords)
    def add_point(self, x: float, y: float) -> None:
        data = self.reg.data.with_added({"x": x, "y": y})
        self._data_edit("regression", self.reg.with_source(self.reg.source.edited(data)))

    @precondition(lambda self: self.app.regression.data.n > 1)
    @rule(where=fractions)
    def delete_point(self, where: float) -> None:
        self._data_edit("regression", self.reg.without_point(int(where * self.reg.data.n)))

    @rule()
    def add_outlier(self) -> None:
        self._data_edit("regression", with_added_outlier(self.reg))
        assert self.reg.outlier == self.reg.data.n - 1

    @precondition(lambda self: self.app.regression.outlier is not None)
    @rule(shift=st.floats(-30.0, 30.0))
    def shift_outlier(self, shift: float) -> None:
        self._data_edit("regression", with_outlier_shift(self.reg, shift))

    @rule(where=fractions)
    def choose_outlier(self, where: float) -> None:
        self._data_edit("regression", self.reg.with_outlier(int(where * self.reg.data.n)))

    @rule(name=st.sampled_from(REG_PRESETS), noise=noises)
    def load_preset(self, name: str, noise: float | None) -> None:
        self._data_edit("regression", at_start(self.reg.with_source(DataSource.from_preset(name, noise))))
        assert self.reg.source.preset == name

    @precondition(lambda self: self.app.regression.source.preset is not None)
    @rule(noise=st.floats(0.0, 3.0))
    def change_noise(self, noise: float) -> None:
        source = DataSource.from_preset(self.reg.source.preset, noise)
        self._data_edit("regression", self.reg.with_source(source))

    @rule(points=st.lists(st.tuples(coords, coords), min_size=1, max_size=12))
    def load_own_data(self, points: list[tuple[float, float]]) -> None:
        data = parse_csv(csv_text(points), "mine.csv")
        self._data_edit("regression", at_start(self.reg.with_source(DataSource.own(data))))
        assert self.reg.source.own_data and self.reg.data.name == "mine"

    # ------------------------------------------------------------ regression choices
    @rule(loss=st.sampled_from(reg_settings.LOSS_NAMES))
    def change_loss(self, loss: str) -> None:
        self._set("regression", replace(self.reg, loss=loss))

    @rule(delta=st.floats(0.01, 10.0), tau=st.floats(0.01, 0.99))
    def change_loss_params(self, delta: float, tau: float) -> None:
        value = self.reg.with_loss_param("huber", "delta", delta).with_loss_param("quantile", "tau", tau)
        self._set("regression", value)

    @rule(w=line_values, b=line_values)
    def set_line(self, w: float, b: float) -> None:
        self._set("regression", replace(self.reg, w=w, b=b))

    @rule(name=st.sampled_from(list(OPTIMIZERS)), lr=st.none() | learning_rates)
    def change_optimizer(self, name: str, lr: float | None) -> None:
        choice = OptimizerChoice.default(name)
        if lr is not None:
            choice = choice.with_value("lr", lr)
        self._set("regression", replace(self.reg, optimizer=choice))

    @rule(reduction=st.sampled_from(reg_settings.REDUCTIONS),
          steps=st.integers(1, reg_settings.MAX_STEPS_PER_FRAME))
    def change_reduction(self, reduction: str, steps: int) -> None:
        self._set("regression", replace(self.reg, reduction=reduction, steps_per_frame=steps))

    # ------------------------------------------------------------ outlier lab and descent lab
    @rule(shown=st.sets(st.sampled_from(COMPARED)), arrows=st.sampled_from(COMPARED))
    def outlier_lab(self, shown: set[str], arrows: str) -> None:
        self._set("outlier_lab", replace(self.app.outlier_lab, shown=tuple(shown), arrows=arrows))

    @rule(racing=st.sets(st.sampled_from(list(OPTIMIZERS))))
    def racing_set(self, racing: set[str]) -> None:
        self._set("descent_lab", replace(self.app.descent_lab, racing=tuple(racing)))

    @rule(data=st.data(), name=st.sampled_from(list(OPTIMIZERS)))
    def lab_optimizer_setting(self, data: st.DataObject, name: str) -> None:
        spec = data.draw(st.sampled_from(optimizer_settings(name)))
        if spec.whole:
            value: float = data.draw(st.integers(int(spec.low), int(spec.high)))
        else:
            value = data.draw(st.floats(spec.low, spec.high))
        self._set("descent_lab", self.app.descent_lab.with_optimizer_value(name, spec.key, value))

    @rule(lr=learning_rates, some=st.none() | st.sets(st.sampled_from(list(OPTIMIZERS)), min_size=1))
    def lab_learning_rate(self, lr: float, some: set[str] | None) -> None:
        names = None if some is None else tuple(some)
        self._set("descent_lab", self.app.descent_lab.with_lr(lr, names))

    @rule(data=st.data(), name=st.sampled_from(list(SCHEDULES)))
    def schedule(self, data: st.DataObject, name: str) -> None:
        spec = SCHEDULES[name].setting
        value = None
        if spec is not None and data.draw(st.booleans()):
            value = data.draw(st.integers(int(spec.low), int(spec.high)) if spec.whole
                              else st.floats(spec.low, spec.high))
        self._set("descent_lab", replace(self.app.descent_lab, schedule=name, schedule_value=value))

    @rule(start=st.none() | st.tuples(line_values, line_values), steps=st.integers(1, 50))
    def start(self, start: tuple[float, float] | None, steps: int) -> None:
        self._set("descent_lab", replace(self.app.descent_lab, start=start, steps_per_frame=steps))

    # ------------------------------------------------------------ classification
    @rule(name=st.sampled_from(CLS_PRESETS), noise=noises)
    def class_preset(self, name: str, noise: float | None) -> None:
        self._data_edit("classification", at_start(self.cls.with_source(DataSource.from_preset(name, noise))))

    @rule(loss=st.sampled_from(cls_settings.LOSS_NAMES))
    def class_loss(self, loss: str) -> None:
        self._set("classification", self.cls.with_loss(loss))

    @rule(data=st.data())
    def class_theta(self, data: st.DataObject) -> None:
        n = self.cls.predictor().n_params
        theta = data.draw(st.lists(st.floats(-10.0, 10.0), min_size=n, max_size=n))
        self._set("classification", self.cls.with_theta(theta))

    @rule(data=st.data())
    def class_add_point(self, data: st.DataObject) -> None:
        d = self.cls.data
        values = {name: data.draw(coords, label=name) for name in d.column_names if name != "label"}
        values["label"] = data.draw(st.integers(0, d.n_classes - 1), label="label")
        new = self.cls.with_source(self.cls.source.edited(d.with_added(values)))
        self._data_edit("classification", new)

    @rule(where=fractions, data=st.data())
    def class_relabel(self, where: float, data: st.DataObject) -> None:
        d = self.cls.data
        row = int(where * d.n)
        label = data.draw(st.integers(0, d.n_classes - 1), label="label")
        new = self.cls.with_source(self.cls.source.edited(d.with_value(row, "label", label)))
        self._data_edit("classification", new)

    @rule(data=st.data())
    def class_view_choices(self, data: st.DataObject) -> None:
        n = self.cls.predictor().n_params
        i = data.draw(st.integers(0, n - 1))
        j = data.draw(st.integers(0, n - 1).filter(lambda k: k != i)) if n > 1 else i
        label = data.draw(st.integers(0, self.cls.data.n_classes - 1))
        self._set("classification", replace(self.cls, surface_axes=(i, j), add_label=label))

    # ------------------------------------------------------------ the window
    @rule(tab=st.sampled_from(TABS), lesson=st.none() | st.integers(0, 9))
    def tab_and_lesson(self, tab: str, lesson: int | None) -> None:
        self.app = replace(self.app, tab=tab, lesson=lesson)

    # ------------------------------------------------------------ undo and redo
    @rule(tab=st.sampled_from(["regression", "classification"]))
    def undo_edit(self, tab: str) -> None:
        if self.undo[tab]:
            before, after = self.undo[tab].pop()
            self._set(tab, put_part(getattr(self.app, tab), before))
            self.redo[tab].append((before, after))

    @rule(tab=st.sampled_from(["regression", "classification"]))
    def redo_edit(self, tab: str) -> None:
        if self.redo[tab]:
            before, after = self.redo[tab].pop()
            self._set(tab, put_part(getattr(self.app, tab), after))
            self.undo[tab].append((before, after))

    # ------------------------------------------------------------ after every step
    @invariant()
    def save_and_open_gives_the_same(self) -> None:
        STATS["steps"] += 1
        text = Session(self.app).to_json()
        opened = Session.from_json(text).settings
        assert opened == self.app
        for tab in ("regression", "classification"):
            mine, theirs = getattr(self.app, tab), getattr(opened, tab)
            assert theirs.data.name == mine.data.name
            assert (theirs.source.preset, theirs.source.noise) == (mine.source.preset, mine.source.noise)
            assert type(theirs.data) is type(mine.data)
        assert Session(opened) == Session(self.app)
        assert Session(opened).to_json() == text  # the same file again
        assert same_numbers(results_of(opened), results_of(self.app))


SettingsMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=20, deadline=None)
TestSettingsRoundTrip = SettingsMachine.TestCase


def test_the_machine_ran_its_examples():
    """Runs after the machine (same module, file order): at least 200 examples were tried."""
    if STATS["examples"] == 0:  # run alone (-k): nothing to check
        return
    assert STATS["examples"] >= 200, STATS
    print(f"stateful settings test: {STATS['examples']} examples, {STATS['steps']} checked steps, "
          f"{STATS['seconds']:.1f} s")
