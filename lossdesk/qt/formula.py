"""The selected loss's cost formula as rich text, with the live numbers put in."""

from __future__ import annotations

from html import escape

from lossdesk.model.snapshot import RegressionSnapshot

FRACTION = "<sup>1</sup>&frasl;<sub>{n}</sub>"
Y, YHAT = "y<sub>i</sub>", "ŷ<sub>i</sub>"

TERMS = {
    "mse": ("MSE", f"({Y} − {YHAT})²", ""),
    "mae": ("MAE", f"|{Y} − {YHAT}|", ""),
    "huber": ("Huber", f"H<sub>δ</sub>({YHAT} − {Y})",
              "H<sub>δ</sub>(e) = ½e² when |e| ≤ δ, otherwise δ(|e| − ½δ);  δ = {delta:g}"),
    "logcosh": ("Log-cosh", f"log cosh({YHAT} − {Y})", ""),
    "quantile": ("Pinball", f"ρ<sub>τ</sub>({Y} − {YHAT})",
                 "ρ<sub>τ</sub>(r) = τ·r when r ≥ 0, otherwise (τ − 1)·r;  τ = {tau:g}"),
}


def _num(v: float) -> str:
    return escape(f"{v:.4g}").replace("-", "−")


def cost_formula_html(loss: str, params: dict[str, float], snap: RegressionSnapshot,
                      reduction: str = "mean") -> str:
    """E.g. 'MSE = ¹⁄ₙ Σ (yᵢ − ŷᵢ)² = ¹⁄₂₆ × 224.6 = 8.64', plus the current line."""
    title, term, note = TERMS[loss]
    n = snap.n
    sign = "−" if snap.b < 0 else "+"
    line = f"ŷ = {_num(snap.w)}·x {sign} {_num(abs(snap.b))}"
    if reduction == "sum":
        body = f"Σ {term} = <b>{_num(snap.total)}</b>"
        head = f"total {title}"
    elif reduction == "none":
        shown = ", ".join(_num(v) for v in snap.losses[:4])
        more = ", …" if n > 4 else ""
        body = f"L<sub>i</sub> = {term} → [{shown}{more}]  ({n} values)"
        head = title + " per point"
    else:
        body = (f"{FRACTION.format(n='n')} Σ {term} = {FRACTION.format(n=n)} × {_num(snap.total)}"
                f" = <b>{_num(snap.cost)}</b>")
        head = title
    html = f"<span style='font-size:12pt'>{head} = {body}</span><br>{line}"
    if note:
        html += "<br><span style='color:#555'>" + note.format(**params) + "</span>"
    return html
