"""The lesson's formulas, with the app's live numbers filled in (read from the tabs' results)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import numpy as np

from lossdesk.qt.formula import E, SUM, TERMS, frac, num, row

def _regression_parts(loss: str) -> tuple[str, str]:
    """The loss's short name and its per-point term, as the cost formula above the views writes them."""
    title, term, _note = TERMS[loss]
    return title, term


def _snapshot(window, loss: str | None = None):
    """The explorer's results for its line, under ``loss`` (default: the chosen one)."""
    settings = window.reg_store.value
    if loss is not None and loss != settings.loss:
        settings = replace(settings, loss=loss)
    return window.explorer.results_for(settings).snapshot


def _cost_row(window, loss: str | None = None) -> str:
    loss = loss or window.reg_store.value.loss
    snap = _snapshot(window, loss)
    name, term = _regression_parts(loss)
    return row(f"{name} =", frac("1", "n"), SUM, term, "=", frac(num(snap.total), str(snap.n)),
               f"= <b>{num(snap.cost)}</b>")


def formula_point_loss(window) -> str:
    s = window.reg_store.value
    snap = _snapshot(window)
    marked = window.reg_marks.selected
    selected = marked if marked is not None and marked < snap.n else None
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
    _name, term = _regression_parts(window.reg_store.value.loss)
    shown = ", ".join(num(v, 3) for v in snap.losses[:3])
    return (
        row("loss of each point:", f"L<sub>i</sub> = {term} &rarr; [{shown}, …]")
        + row("cost:", "C =", frac("1", "n"), SUM, "L<sub>i</sub> =", frac(num(snap.total), str(snap.n)),
              f"= <b>{num(snap.cost)}</b>")
    )


def formula_gradient_step(window) -> str:
    s = window.reg_store.value
    snap = _snapshot(window)
    gw, gb = snap.gradient
    lr = s.optimizer.lr
    return (
        row("w &larr; w &minus; &eta;", frac("&part;C", "&part;w"))
        + row(f"&nbsp;&nbsp;= {num(s.w)} &minus; {num(lr)} &times; ({num(gw)}) = <b>{num(s.w - lr * gw)}</b>")
        + row("b &larr; b &minus; &eta;", frac("&part;C", "&part;b"))
        + row(f"&nbsp;&nbsp;= {num(s.b)} &minus; {num(lr)} &times; ({num(gb)}) = <b>{num(s.b - lr * gb)}</b>")
        + f"<p>cost now: <b>{num(snap.cost)}</b></p>"
    )


def formula_huber(window) -> str:
    fit = window.compare.results().fits.get("huber")
    delta = window.reg_store.value.loss_params["huber"]["delta"]
    piece = row(f"H<sub>&delta;</sub>({E}) =", "&#123;",
                "&frac12; e<sub>i</sub><sup>2</sup> when |e<sub>i</sub>| &le; &delta;<br>"
                "&delta;(|e<sub>i</sub>| &minus; &frac12;&delta;) otherwise")
    if fit is None:
        return piece
    n = fit.losses.size
    return piece + row(f"&delta; = {num(delta)}: best Huber cost =", frac(num(float(fit.losses.sum())), str(n)),
                       f"= <b>{num(fit.cost)}</b>")


def _class_cost(window, body: str, title: str) -> str:
    snap = window.classification.results().snapshot
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

#: the formulas whose numbers follow the selected point
SELECTION_FORMULAS = frozenset({"point_loss"})
