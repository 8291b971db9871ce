"""Formulas as Qt rich text, with the live numbers put in: one builder for every formula.

Qt's rich text has no math layout, but a one-column table whose top cell has a bottom
border draws a proper fraction bar; a row of cells lines the pieces up on their middles.
"""

from __future__ import annotations

from html import escape

from lossdesk.model.snapshot import RegressionSnapshot

FRACTION = "<sup>1</sup>&frasl;<sub>{n}</sub>"

SIZE = 12  # points, for the formula's ordinary text

Y, YHAT, E = "y<sub>i</sub>", "ŷ<sub>i</sub>", "e<sub>i</sub>"
SUM = f"<span style='font-size:{SIZE + 8}pt'>&Sigma;</span>"


def num(value: float, digits: int = 4) -> str:
    """A number as text, with a true minus sign."""
    return escape(f"{value:.{digits}g}").replace("-", "&minus;")


def frac(top: str, bottom: str) -> str:
    cell = f"align='center' style='font-size:{SIZE - 1}pt; padding: 0px 3px'"
    return (
        "<table cellspacing='0' cellpadding='0'>"
        f"<tr><td {cell[:-1]}; border-bottom: 1px solid #222'>{top}</td></tr>"
        f"<tr><td {cell}>{bottom}</td></tr></table>"
    )


def row(*parts: str) -> str:
    """Pieces side by side, centred vertically (fractions next to text)."""
    cells = "".join(
        f"<td valign='middle' style='font-size:{SIZE}pt; padding: 0px 2px'>{p}</td>" for p in parts
    )
    return f"<table cellspacing='0' cellpadding='0'><tr>{cells}</tr></table>"

TERMS = {
    "mse": ("MSE", f"({Y} − {YHAT})²", ""),
    "mae": ("MAE", f"|{Y} − {YHAT}|", ""),
    "huber": ("Huber", f"H<sub>δ</sub>({YHAT} − {Y})",
              "H<sub>δ</sub>(e) = ½e² when |e| ≤ δ, otherwise δ(|e| − ½δ);  δ = {delta:g}"),
    "logcosh": ("Log-cosh", f"log cosh({YHAT} − {Y})", ""),
    "quantile": ("Pinball", f"ρ<sub>τ</sub>({Y} − {YHAT})",
                 "ρ<sub>τ</sub>(r) = τ·r when r ≥ 0, otherwise (τ − 1)·r;  τ = {tau:g}"),
}


def cost_formula_html(loss: str, params: dict[str, float], snap: RegressionSnapshot,
                      reduction: str = "mean") -> str:
    """E.g. 'MSE = ¹⁄ₙ Σ (yᵢ − ŷᵢ)² = ¹⁄₂₆ × 224.6 = 8.64', plus the current line."""
    title, term, note = TERMS[loss]
    n = snap.n
    sign = "−" if snap.b < 0 else "+"
    line = f"ŷ = {num(snap.w)}·x {sign} {num(abs(snap.b))}"
    if reduction == "sum":
        body = f"Σ {term} = <b>{num(snap.total)}</b>"
        head = f"total {title}"
    elif reduction == "none":
        shown = ", ".join(num(v) for v in snap.losses[:4])
        more = ", …" if n > 4 else ""
        body = f"L<sub>i</sub> = {term} → [{shown}{more}]  ({n} values)"
        head = title + " per point"
    else:
        body = (f"{FRACTION.format(n='n')} Σ {term} = {FRACTION.format(n=n)} × {num(snap.total)}"
                f" = <b>{num(snap.cost)}</b>")
        head = title
    html = f"<span style='font-size:12pt'>{head} = {body}</span><br>{line}"
    if note:
        html += "<br><span style='color:#555'>" + note.format(**params) + "</span>"
    return html


def classification_cost_html(title: str, formula: str, n: int, total: float, cost: float, accuracy: float) -> str:
    """E.g. 'Binary cross-entropy: cost = ¹⁄ₙ Σ Lᵢ = ¹⁄₃₀ × 13.86 = 0.462', the loss's formula and the accuracy."""
    return (f"<span style='font-size:{SIZE}pt'>{escape(title)}: cost = {FRACTION.format(n='n')} Σ L<sub>i</sub> = "
            f"{FRACTION.format(n=n)} × {num(total)} = <b>{num(cost)}</b></span>"
            f"<br>{escape(formula)}   ·   accuracy {100 * accuracy:.0f} %")
