"""The lesson's formulas, with the app's live numbers filled in (read from the tabs' results).

A formula is written as short lines, one step of the working per line ("MSE = …",
"= 1495 ÷ 24", "= 62.27"), and each line may wrap at its spaces, never inside a group
such as "(yᵢ − ŷᵢ)²". So the result always shows, even in the narrow lesson panel of a
1024-pixel screen at large text, without a sideways scrollbar.

The residual is r = y − ŷ (target minus prediction), as everywhere in lossdesk.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import Any, Callable

import numpy as np

from lossdesk.qt import theme

#: unbreakable space: the parts of one group stay on one line
NB = "&nbsp;"
#: "word joiner": no line break here (Qt may break after a bar "|" otherwise)
WJ = "&#8288;"
MINUS = "&minus;"

Y, YHAT = "y<sub>i</sub>", "ŷ<sub>i</sub>"
RESIDUAL = f"({Y}{NB}{MINUS}{NB}{YHAT})"
ONE_OVER_N = "<sup>1</sup>&frasl;<sub>n</sub>"

#: each regression loss: its short name, its per-point term in the residual y − ŷ,
#: and the same term of one residual r
TERMS: dict[str, tuple[str, str, str]] = {
    "mse": ("MSE", f"{RESIDUAL}²", "r²"),
    "mae": ("MAE", f"|{Y}{NB}{MINUS}{NB}{YHAT}|", "|r|"),
    "huber": ("Huber", f"H<sub>δ</sub>{RESIDUAL}", "H<sub>δ</sub>(r)"),
    "logcosh": ("Log-cosh", f"log{NB}cosh{RESIDUAL}", "log cosh(r)"),
    "quantile": ("Pinball", f"ρ<sub>τ</sub>{RESIDUAL}", "ρ<sub>τ</sub>(r)"),
}


def num(value: float, digits: int = 4) -> str:
    """A number as text, with a true minus sign."""
    return escape(f"{value:.{digits}g}").replace("-", MINUS)


def paren(value: float) -> str:
    """A number, in brackets when negative (so "− (−2)" reads right)."""
    return f"({num(value)})" if value < 0 else num(value)


def line(*groups: str, indent: bool = False, muted: bool = False) -> str:
    """One line of working: ``groups`` side by side, wrapping only between groups."""
    style = "margin: 0px;"
    if indent:
        style += " margin-left: 14px;"
    if muted:
        style += f" color: {theme.look().muted};"
    text = " ".join(g.replace("|", "|" + WJ) for g in groups)
    return f"<p style='{style}'>{text}</p>"


def gap() -> str:
    return "<p style='margin: 0px; font-size: 4pt;'>&nbsp;</p>"


def equals(*groups: str) -> str:
    """A continuation line, "= …", set in a little."""
    return line("=", *groups, indent=True)


def result(value: float) -> str:
    """The last line of the working: "= **5.166**"."""
    return equals(f"<b>{num(value)}</b>")


def _snapshot(window, loss: str | None = None):
    """The explorer's results for its line, under ``loss`` (default: the chosen one)."""
    settings = window.reg_store.value
    if loss is not None and loss != settings.loss:
        settings = replace(settings, loss=loss)
    return window.explorer.results_for(settings).snapshot


def _cost_lines(window, loss: str | None = None) -> str:
    loss = loss or window.reg_store.value.loss
    snap = _snapshot(window, loss)
    name, term, _r = TERMS[loss]
    return (line(f"{name} =", ONE_OVER_N, "Σ", term)
            + equals(f"{num(snap.total)}{NB}÷{NB}{snap.n}")
            + result(snap.cost))


def formula_point_loss(window) -> str:
    s = window.reg_store.value
    snap = _snapshot(window)
    marked = window.reg_marks.selected
    selected = marked if marked is not None and marked < snap.n else None
    i = selected if selected is not None else int(np.argmax(snap.losses))
    _name, _term, of_r = TERMS[s.loss]
    which = "The selected point" if selected is not None else "The point with the largest loss"
    y, yhat = float(s.data.y[i]), float(snap.predictions[i])
    r = y - yhat
    sub = f"<sub>{i}</sub>"
    return (
        line(f"{which}", f"(point{NB}{i}):", muted=True)
        + line(f"y{sub}{NB}={NB}{num(y)},", f"ŷ{sub}{NB}={NB}{num(yhat)}")
        + gap()
        + line(f"residual r{sub} =", f"y{sub}{NB}{MINUS}{NB}ŷ{sub}")
        + equals(f"{num(y)}{NB}{MINUS}{NB}{paren(yhat)}")
        + equals(num(r))
        + gap()
        + line(f"loss L{sub} =", of_r.replace("r", f"r{sub}", 1))
        + result(float(snap.losses[i]))
    )


def formula_regression_cost(window) -> str:
    return _cost_lines(window)


def formula_loss_vs_cost(window) -> str:
    snap = _snapshot(window)
    _name, term, _r = TERMS[window.reg_store.value.loss]
    shown = [num(v, 3) + "," for v in snap.losses[:3]]
    return (
        line("loss of each point:", muted=True)
        + line(f"L<sub>i</sub>{NB}=", term)
        + equals(*shown, "…")
        + gap()
        + line("sum of the losses:", muted=True)
        + line(f"Σ{NB}L<sub>i</sub>{NB}={NB}{num(snap.total)}")
        + gap()
        + line("cost (their mean):", muted=True)
        + line(f"C{NB}=", ONE_OVER_N, f"Σ{NB}L<sub>i</sub>")
        + equals(f"{num(snap.total)}{NB}÷{NB}{snap.n}")
        + result(snap.cost)
    )


def _update_lines(name: str, value: float, lr: float, grad: float) -> str:
    return (line(f"{name}{NB}&larr;", f"{name}{NB}{MINUS}{NB}η{NB}·{NB}∂C/∂{name}")
            + equals(num(value), f"{MINUS}{NB}{num(lr)}", f"×{NB}{paren(grad)}")
            + result(value - lr * grad))


def formula_gradient_step(window) -> str:
    s = window.reg_store.value
    snap = _snapshot(window)
    gw, gb = snap.gradient
    lr = s.optimizer.lr
    return (
        line("The next step moves w and b downhill:", muted=True)
        + _update_lines("w", s.w, lr, gw)
        + gap()
        + _update_lines("b", s.b, lr, gb)
        + gap()
        + line("cost now:", f"<b>{num(snap.cost)}</b>")
        + line("η is the learning rate; ∂C/∂w (the gradient) is how steeply the cost "
               "rises as w grows.", muted=True)
    )


def formula_huber(window) -> str:
    fit = window.compare.results().fits.get("huber")
    delta = window.reg_store.value.loss_params["huber"]["delta"]
    piece = (
        line("Huber loss of a residual r = y − ŷ:", muted=True)
        + line(f"H<sub>δ</sub>(r){NB}=")
        + line(f"½{NB}r²", f"when{NB}|r|{NB}≤{NB}δ,", indent=True)
        + line(f"δ{NB}·{NB}(|r|{NB}{MINUS}{NB}½δ)", "otherwise", indent=True)
    )
    if fit is None:
        return piece + line(f"δ{NB}={NB}<b>{num(delta)}</b>")
    n = fit.losses.size
    return (piece + gap()
            + line(f"With{NB}δ{NB}={NB}{num(delta)},", "the best Huber line costs")
            + equals(f"{num(float(fit.losses.sum()))}{NB}÷{NB}{n}")
            + result(fit.cost))


def _class_cost(window, title: str, body: tuple[str, ...], note: str, sign: str = MINUS) -> str:
    snap = window.classification.results().snapshot
    text = line(f"{title}{NB}={NB}{sign}{ONE_OVER_N}", "Σ", *body) + line(note, muted=True)
    if snap is None:
        return text
    return (text + gap()
            + line("Adding up the loss of every point:", muted=True)
            + line(f"{title}{NB}={NB}{num(snap.total)}{NB}÷{NB}{snap.n}")
            + result(snap.cost))


def formula_bce(window) -> str:
    body = (f"[{Y}{NB}log{NB}p<sub>i</sub>", f"+{NB}(1{NB}{MINUS}{NB}{Y})",
            f"log(1{NB}{MINUS}{NB}p<sub>i</sub>)]")
    return _class_cost(window, "BCE", body,
                       "p<sub>i</sub> is the probability the model gives to class 1 for point i; "
                       "y<sub>i</sub> is 1 or 0.")


def formula_cce(window) -> str:
    return _class_cost(window, "CCE", ("log", "p<sub>i</sub>"),
                       "p<sub>i</sub> is the probability the model gives to point i's true class.")


def formula_brier(window) -> str:
    return _class_cost(window, "Brier", (f"(p<sub>i</sub>{NB}{MINUS}{NB}{Y})²",),
                       "p<sub>i</sub> is the probability of class 1 for point i; y<sub>i</sub> is 1 or 0. "
                       "A point that is confidently wrong costs at most 1 here, against −log p without bound "
                       "under BCE.", sign="")


#: the penalty's term P(w) in the formulas: its name and its value's form
PENALTY_TERMS = {"l2": "½w²", "l1": "|w|", "elastic": "r|w|&nbsp;+&nbsp;(1&nbsp;−&nbsp;r)½w²"}


def formula_regularised_cost(window) -> str:
    """C = (1/n) Σ L + λ·P(w), with the explorer's numbers: the mean loss, the penalty, the total."""
    res = window.explorer.results()
    name = TERMS[res.loss][0]
    text = line(f"cost{NB}=", f"{name}{NB}+{NB}λ·P(w)")
    if res.penalty is None:
        return (text + line("Choose a penalty to add its term.", muted=True)
                + line(f"cost{NB}={NB}{name}{NB}=", f"<b>{num(res.cost)}</b>"))
    return (text
            + line(f"P(w){NB}={NB}{PENALTY_TERMS[res.penalty]},", f"λ{NB}={NB}{num(res.strength)}", muted=True)
            + equals(f"{num(res.data_cost)}{NB}+{NB}{num(res.penalty_value)}")
            + result(res.cost)
            + line(f"slope w{NB}={NB}{num(res.snapshot.w)};", f"best slope at this λ:{NB}{num(res.best[0])}",
                   muted=True))


def formula_notation(window) -> str:
    return (_cost_lines(window, "mse") + gap() + _cost_lines(window, "mae")
            + line("residual = y − ŷ: actual value minus prediction", muted=True))


# ---------------------------------------------------------------- the network tab
#: each loss's short name in the network formulas (the regression ones come from TERMS)
NETWORK_NAMES = {"bce": "BCE", "cce": "CCE", "hinge": "Hinge"}


def _network(window):
    # the tab's own results of this frame; the formulas need no decision map (the tab
    # leaves it out of frames that don't redraw it, and asking for it would compute it)
    return window.network.results(with_map=False)


def _network_name(loss: str) -> str:
    return TERMS[loss][0] if loss in TERMS else NETWORK_NAMES.get(loss, loss.upper())


def formula_network_cost(window) -> str:
    """C = (1/n) Σ L(yᵢ, f(xᵢ; θ)) over the training points, and the held-out cost beside it."""
    res = _network(window)
    if res.points is None:
        return line(escape(res.label_problem or "The network has nothing to score yet."), muted=True)
    pts, name = res.points, _network_name(res.loss)
    shape = "–".join(str(k) for k in res.net.sizes)
    text = (line(f"a {shape} network:", f"{res.n_params}{NB}weights{NB}and{NB}biases", muted=True)
            + line(f"{name} =", ONE_OVER_N, "Σ", f"L(y<sub>i</sub>,{NB}f(x<sub>i</sub>;{NB}θ))",
                   *([f"+{NB}λ·P(W)"] if pts.penalty else [])))
    if pts.penalty:
        text += (equals(f"{num(pts.total)}{NB}÷{NB}{pts.n_train}", f"+{NB}{num(pts.penalty)}")
                 + equals(f"{num(pts.data_cost)}{NB}+{NB}{num(pts.penalty)}")
                 + line("(the mean loss, then the penalty on the weights)", muted=True, indent=True))
    else:
        text += equals(f"{num(pts.total)}{NB}÷{NB}{pts.n_train}")
    text += result(pts.cost)
    if pts.n_test:
        text += gap() + line(f"held out ({pts.n_test}{NB}points):", f"<b>{num(pts.test_cost)}</b>", muted=True)
    return text


def formula_backprop(window) -> str:
    """One point's error at the output, δ_L = dL/dz_L, and the rule that carries it back."""
    res = _network(window)
    rule = (line("δ<sub>l−1</sub> =", f"(δ<sub>l</sub>{NB}W<sub>l</sub>)", f"⊙{NB}φ′(z<sub>l−1</sub>)")
            + line("dC/dW<sub>l</sub> =", ONE_OVER_N, "Σ", f"δ<sub>l</sub>ᵀ{NB}a<sub>l−1</sub>"))
    sel = res.selected
    if sel is None:
        return (line("Click a point to follow its error back.", muted=True)
                + line("the cost it is part of, C =", f"<b>{num(res.cost)}</b>") + gap() + rule)
    delta_out = np.asarray(sel.deltas[-1], dtype=float).ravel()
    shown = ", ".join(num(v, 3) for v in delta_out[:3]) + (", …" if delta_out.size > 3 else "")
    return (line(f"point{NB}{sel.row}:", f"target{NB}{escape(sel.target)},", f"output{NB}{escape(sel.output)}",
                 muted=True)
            + line(f"loss L<sub>{sel.row}</sub> =", f"<b>{num(sel.loss)}</b>")
            + line("output error δ<sub>L</sub> =", "dL/dz<sub>L</sub>")
            + equals(f"<b>{shown}</b>")
            + gap() + rule
            + line(f"this point's share of the gradient: <b>{num(100 * sel.share, 3)}{NB}%</b>", muted=True))


def formula_landscape(window) -> str:
    """The slice's formula: C(θ + α·d₁ + β·d₂), two of the network's directions."""
    res = _network(window)
    return (line("slice:", f"C(θ{NB}+{NB}α·d<sub>1</sub>{NB}+{NB}β·d<sub>2</sub>)")
            + line(f"θ has <b>{res.n_params}</b> numbers:", f"the slice shows 2 of its {res.n_params} directions",
                   muted=True)
            + line("cost at the ball, C(θ) =", f"<b>{num(res.cost)}</b>"))


def formula_layer_gradients(window) -> str:
    """‖dC/dW_l‖ for each layer now, first layer to last."""
    res = _network(window)
    grads = res.gradients
    if grads is None or not len(grads.norms):
        return line("Press Play to see each layer's gradient.", muted=True)
    now = np.asarray(grads.norms[-1], dtype=float)
    text = line("gradient size ‖dC/dW<sub>l</sub>‖ per layer:", muted=True)
    for name, value in zip(grads.names, now):
        text += line(f"{escape(name)}:", f"<b>{num(float(value), 3)}</b>", indent=True)
    if now.size > 1 and now[-1] > 0:
        text += line(f"first ÷ last = <b>{num(float(now[0] / now[-1]), 3)}</b>", muted=True)
    return text


FORMULAS: dict[str, Callable[[Any], str]] = {
    "point_loss": formula_point_loss,
    "regression_cost": formula_regression_cost,
    "loss_vs_cost": formula_loss_vs_cost,
    "gradient_step": formula_gradient_step,
    "huber": formula_huber,
    "bce": formula_bce,
    "cce": formula_cce,
    "notation": formula_notation,
    "brier": formula_brier,
    "regularised_cost": formula_regularised_cost,
    "network_cost": formula_network_cost,
    "backprop": formula_backprop,
    "landscape": formula_landscape,
    "layer_gradients": formula_layer_gradients,
}

#: the formulas whose numbers follow the selected point
SELECTION_FORMULAS = frozenset({"point_loss", "backprop"})
