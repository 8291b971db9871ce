"""Turn the window into a ``Session`` and back."""

from __future__ import annotations

import numpy as np

from lossdesk.session import (
    Session,
    classification_data,
    classification_data_json,
    regression_data,
    regression_data_json,
)
from lossdesk.qt.controls.float_slider import signals_blocked

TAB_ORDER = ("regression", "compare", "classification", "descent")


def capture(window) -> Session:
    """Everything the user set, from every tab."""
    ex, cl, lab = window.explorer, window.classification, window.descent_lab
    s, c = ex.state, cl.state
    regression = {
        "data": regression_data_json(s.data),
        "preset": s.preset,
        "noise": s.noise,
        "loss": s.loss,
        "loss_params": s.loss_params,
        "w": s.w,
        "b": s.b,
        "optimizer": s.optimizer,
        "lr": s.lr,
        "reduction": s.reduction,
        "outlier": s.outlier,
        "outlier_base": s.outlier_base,
    }
    classification = {
        "data": classification_data_json(c.data),  # type: ignore[arg-type]
        "preset": c.preset,
        "loss": c.loss,
        "loss_params": c.loss_params,
        "theta": c.theta.tolist(),
        "optimizer": c.optimizer,
        "lr": c.lr,
    }
    compare = {"shown": window.compare.visible, "arrows": window.compare.arrow_loss.currentData()}
    descent = {
        "shown": lab.shown,
        "settings": {name: lab.optimizer_settings(name) for name in lab.lrs},
        "start": list(lab.start),
        "schedule": lab.schedule.currentData(),
        "schedule_value": lab.schedule_value.value(),
    }
    lesson = window.lessons.step_index if window.lessons.isVisible() else None
    return Session(TAB_ORDER[window.tabs.currentIndex()], regression, classification, compare, descent, lesson)


def apply(window, session: Session) -> None:
    """Put the window in the session's state. The session has been validated already."""
    ex, cl, lab = window.explorer, window.classification, window.descent_lab
    r = session.regression
    if r:
        s = ex.state
        ex.load_data(regression_data(r), "Open session")
        s.preset = r.get("preset")
        s.noise = r.get("noise")
        for name, params in r.get("loss_params", {}).items():
            s.loss_params[name] = {k: float(v) for k, v in params.items()}
        ex.set_loss(r["loss"])
        s.set_reduction(r.get("reduction", "mean"))
        ex.descent.set_optimizer(r.get("optimizer", "gd"))
        ex.descent.set_lr(float(r.get("lr", s.lr)))
        s.reset_run(np.array([float(r.get("w", 0.0)), float(r.get("b", 0.0))]))
        outlier = r.get("outlier")
        if isinstance(outlier, int) and 0 <= outlier < s.data.n:
            s.outlier = outlier
            s.outlier_base = float(r.get("outlier_base", s.data.y[outlier]))
        ex.sync_controls()
        ex.show_origin()
        s.changed.emit(frozenset({"loss", "selection", "data"}))
        s.undo_stack.clear()
    c = session.classification
    if c:
        st = cl.state
        cl.load_data(classification_data(c), "Open session")
        st.preset = c.get("preset")
        for name, params in c.get("loss_params", {}).items():
            st.loss_params[name] = {k: float(v) for k, v in params.items()}
        cl.set_loss(c["loss"])
        cl.descent.set_optimizer(c.get("optimizer", "gd"))
        cl.descent.set_lr(float(c.get("lr", st.lr)))
        theta = np.asarray(c.get("theta", []), dtype=float)
        st.reset_run(theta if theta.size == st.predictor().n_params else None)
        cl.sync_controls()
        cl.show_origin()
        st.undo_stack.clear()
    cmp = session.compare
    if cmp:
        window.compare.set_shown([n for n in cmp.get("shown", []) if n in window.compare.checks])
        if cmp.get("arrows") in window.compare.checks:
            window.compare.set_arrow_loss(cmp["arrows"])
    d = session.descent
    if d:
        for name, settings in d.get("settings", {}).items():
            if name not in lab.lrs:
                continue
            with signals_blocked(lab.lrs[name]):
                lab.lrs[name].setValue(float(settings.get("lr", lab.lrs[name].value())))
            for attr, spin in lab.extras[name].items():
                if attr in settings:
                    with signals_blocked(spin):
                        spin.setValue(settings[attr])  # type: ignore[attr-defined]
        index = lab.schedule.findData(d.get("schedule", "constant"))
        if index >= 0:
            lab.schedule.setCurrentIndex(index)
        with signals_blocked(lab.schedule_value):
            lab.schedule_value.setValue(float(d.get("schedule_value", lab.schedule_value.value())))
        start = d.get("start")
        if isinstance(start, list) and len(start) == 2:
            lab.start = (float(start[0]), float(start[1]))
        lab.set_shown([n for n in d.get("shown", []) if n in lab.checks])
    window.set_tab(session.tab)
    if session.lesson is not None:
        window.lessons.show_step(session.lesson)
    for state in (ex.state, cl.state):
        state.undo_stack.setClean()
