"""Guided lessons: a side panel that walks through the lesson step by step.

Each step sets the app up (tab, preset, loss, line, optimizer), says what to try and what
to watch for, and shows its formula with the live numbers filled in. The panel is a
dock: everything else stays usable while it is open. Steps live in
``resources/lessons/loss_functions.json``.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from lossdesk.lesson_text import LessonStep, load_lesson
from lossdesk.model.snapshot import regression_snapshot
from lossdesk.qt.math_html import E, SUM, Y, YHAT, frac, num, row

# ============================================================== formulas with live numbers
def _regression_parts(loss: str) -> tuple[str, str]:
    return {
        "mse": ("MSE", f"({Y} &minus; {YHAT})<sup>2</sup>"),
        "mae": ("MAE", f"|{Y} &minus; {YHAT}|"),
        "huber": ("Huber", f"H<sub>&delta;</sub>({YHAT} &minus; {Y})"),
        "logcosh": ("log-cosh", f"log cosh({YHAT} &minus; {Y})"),
        "quantile": ("pinball", f"&rho;<sub>&tau;</sub>({Y} &minus; {YHAT})"),
    }[loss]


def _snapshot(window, loss: str | None = None):
    """Fresh numbers from the state (a hidden explorer's own snapshot may be out of date)."""
    s = window.explorer.state
    loss = loss or s.loss
    return regression_snapshot(s.data, loss, s.loss_params[loss], s.w, s.b)


def _cost_row(window, loss: str | None = None) -> str:
    loss = loss or window.explorer.state.loss
    snap = _snapshot(window, loss)
    name, term = _regression_parts(loss)
    return row(f"{name} =", frac("1", "n"), SUM, term, "=", frac(num(snap.total), str(snap.n)),
               f"= <b>{num(snap.cost)}</b>")


def formula_point_loss(window) -> str:
    s = window.explorer.state
    snap = _snapshot(window)
    selected = s.selected if s.selected is not None and s.selected < snap.n else None
    i = selected if selected is not None else int(np.argmax(snap.losses))
    _name, term = _regression_parts(s.loss)
    which = "the selected point" if selected is not None else "the point with the largest loss"
    return (
        f"<p>For {which} (point {i}): y = {num(float(s.data.y[i]))}, ŷ = {num(float(snap.predictions[i]))}</p>"
        + row(f"L<sub>{i}</sub> = {term} = <b>{num(float(snap.losses[i]))}</b>")
    )


def formula_regression_cost(window) -> str:
    return _cost_row(window)


def formula_loss_vs_cost(window) -> str:
    snap = _snapshot(window)
    _name, term = _regression_parts(window.explorer.state.loss)
    shown = ", ".join(num(v, 3) for v in snap.losses[:3])
    return (
        row("loss of each point:", f"L<sub>i</sub> = {term} &rarr; [{shown}, …]")
        + row("cost:", "C =", frac("1", "n"), SUM, "L<sub>i</sub> =", frac(num(snap.total), str(snap.n)),
              f"= <b>{num(snap.cost)}</b>")
    )


def formula_gradient_step(window) -> str:
    s = window.explorer.state
    snap = _snapshot(window)
    gw, gb = snap.gradient
    lr = s.lr
    return (
        row("w &larr; w &minus; &eta;", frac("&part;C", "&part;w"))
        + row(f"&nbsp;&nbsp;= {num(s.w)} &minus; {num(lr)} &times; ({num(gw)}) = <b>{num(s.w - lr * gw)}</b>")
        + row("b &larr; b &minus; &eta;", frac("&part;C", "&part;b"))
        + row(f"&nbsp;&nbsp;= {num(s.b)} &minus; {num(lr)} &times; ({num(gb)}) = <b>{num(s.b - lr * gb)}</b>")
        + f"<p>cost now: <b>{num(snap.cost)}</b></p>"
    )


def formula_huber(window) -> str:
    fit = window.compare.fits.get("huber")
    delta = window.explorer.state.loss_params["huber"]["delta"]
    piece = row(f"H<sub>&delta;</sub>({E}) =", "&#123;",
                "&frac12; e<sub>i</sub><sup>2</sup> when |e<sub>i</sub>| &le; &delta;<br>"
                "&delta;(|e<sub>i</sub>| &minus; &frac12;&delta;) otherwise")
    if fit is None:
        return piece
    n = fit.losses.size
    return piece + row(f"&delta; = {num(delta)}: best Huber cost =", frac(num(float(fit.losses.sum())), str(n)),
                       f"= <b>{num(fit.cost)}</b>")


def _class_cost(window, body: str, title: str) -> str:
    snap = window.classification.snapshot
    if snap is None:
        return row(title, "=", "&minus;", frac("1", "n"), SUM, body)
    return row(f"{title} = &minus;", frac("1", "n"), SUM, body, "=", frac(num(snap.total), str(snap.n)),
               f"= <b>{num(snap.cost)}</b>")


def formula_bce(window) -> str:
    body = "[y<sub>i</sub> log p<sub>i</sub> + (1 &minus; y<sub>i</sub>) log(1 &minus; p<sub>i</sub>)]"
    return _class_cost(window, body, "BCE")


def formula_cce(window) -> str:
    return _class_cost(window, "log p<sub>i, y<sub>i</sub></sub>", "CCE")


def formula_notation(window) -> str:
    return _cost_row(window, "mse") + _cost_row(window, "mae")


FORMULAS: dict[str, Callable[[Any], str]] = {
    "point_loss": formula_point_loss,
    "regression_cost": formula_regression_cost,
    "loss_vs_cost": formula_loss_vs_cost,
    "gradient_step": formula_gradient_step,
    "huber": formula_huber,
    "bce": formula_bce,
    "cce": formula_cce,
    "notation": formula_notation,
}


# ============================================================== applying a step's setup
def apply_setup(window, setup: dict[str, Any]) -> None:
    tab = setup.get("tab", "regression")
    if tab == "classification":
        cl = window.classification
        if "loss" in setup:
            cl.set_loss(setup["loss"])
        if "preset" in setup:
            cl.load_preset(setup["preset"])
        cl.state.reset_run()
    else:
        ex = window.explorer
        if "preset" in setup:
            ex.load_preset(setup["preset"])
        if "loss" in setup:
            ex.set_loss(setup["loss"])
        if "optimizer" in setup:
            ex.descent.set_optimizer(setup["optimizer"])
        if "lr" in setup:
            ex.descent.set_lr(float(setup["lr"]))
        if "w" in setup or "b" in setup:
            ex.state.reset_run(np.array([float(setup.get("w", 0.0)), float(setup.get("b", 0.0))]))
    window.set_tab(tab)


class LessonPanel(QDockWidget):
    def __init__(self, window):
        super().__init__("Lesson", window)
        self.setObjectName("lessons")
        self.window_ = window
        self.lesson = load_lesson()
        self.step_index = 0
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 6)
        self.counter = QLabel()
        self.counter.setStyleSheet("color: #555;")
        self.counter.setWordWrap(True)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.intro = QLabel()
        self.task = QLabel()
        self.watch = QLabel()
        for label in (self.intro, self.task, self.watch):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
        self.formula = QLabel()
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setStyleSheet("QLabel { background: #f5f7fb; border: 1px solid #d0d7e2; padding: 6px; }")
        self.formula.setToolTip("The formula of this step, with the current numbers")
        layout.addWidget(self.counter)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.task)
        layout.addWidget(self.watch)
        # A wide formula scrolls sideways on its own instead of widening the whole panel.
        formula_scroll = QScrollArea()
        formula_scroll.setWidget(self.formula)
        formula_scroll.setWidgetResizable(True)
        formula_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        formula_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        formula_scroll.setMinimumHeight(120)
        layout.addWidget(formula_scroll)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.back = QPushButton("◀ Back")
        self.back.setToolTip("The previous step (Page Up)")
        self.back.setShortcut("PgUp")
        self.next = QPushButton("Next ▶")
        self.next.setToolTip("The next step (Page Down)")
        self.next.setShortcut("PgDown")
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        layout.addLayout(buttons)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(scroll)
        self.setMinimumWidth(280)
        self.setMaximumWidth(380)  # leaves the tabs their room on a 1366-pixel screen; wide formulas scroll
        self.back.clicked.connect(lambda: self.show_step(self.step_index - 1))
        self.next.clicked.connect(lambda: self.show_step(self.step_index + 1))
        for state in (window.explorer.state, window.classification.state):
            state.changed.connect(self._state_changed)

    @property
    def count(self) -> int:
        return len(self.lesson.steps)

    @property
    def step(self) -> LessonStep:
        return self.lesson.steps[self.step_index]

    def show_step(self, index: int) -> None:
        """Open step ``index`` (0-based): set the app up and show its text."""
        self.step_index = int(min(max(index, 0), self.count - 1))
        step = self.step
        self.show()
        self.raise_()
        apply_setup(self.window_, step.setup)
        self.counter.setText(f"Step {self.step_index + 1} of {self.count} · {self.lesson.title}")
        self.heading.setText(step.title)
        self.intro.setText(step.intro)
        self.task.setText(f"<b>Try this:</b> {step.task}")
        self.watch.setText(f"<b>Watch for:</b> {step.watch}")
        self.back.setEnabled(self.step_index > 0)
        self.next.setEnabled(self.step_index < self.count - 1)
        self.refresh()

    def refresh(self) -> None:
        if self.isHidden():
            return
        try:
            self.formula.setText(FORMULAS[self.step.formula](self.window_))
        except (KeyError, ValueError, IndexError, TypeError, AttributeError) as exc:
            self.formula.setText(f"(this formula cannot be shown right now: {exc})")

    def _state_changed(self, aspects: frozenset) -> None:
        if aspects & {"data", "loss", "line", "selection"}:
            self.refresh()

