"""Formulas as Qt rich text, with the live numbers put in: one builder for every formula.

Qt's rich text has no math layout, but a one-column table whose top cell has a bottom
border draws a proper fraction bar; a row of cells lines the pieces up on their middles.

Sizes and colours come from the look in force (``theme.look()``): a formula grows with
the text size and its fraction bars and notes follow the theme, so a view re-renders its
formula when the look changes (``theme.follow``).

Every regression term is written in the residual r = y − ŷ (target minus prediction),
the app's one sign convention.
"""

from __future__ import annotations

from html import escape

from lossdesk.model.snapshot import RegressionSnapshot
from lossdesk.qt import theme

FRACTION = "<sup>1</sup>&frasl;<sub>{n}</sub>"

SIZE = 12  # points at normal text size (9 pt), for the formula's ordinary text

Y, YHAT, E = "y<sub>i</sub>", "ŷ<sub>i</sub>", "e<sub>i</sub>"
R = "r<sub>i</sub>"
RESIDUAL = f"({Y} − {YHAT})"

#: said once, in the formula bar's second line and its tooltip
CONVENTION = f"residual {R} = {Y} − {YHAT}"
CONVENTION_TIP = ("The residual of a point is r = y − ŷ: its target y minus the line's prediction ŷ "
                  "(positive for a point above the line). Every formula and axis uses it.")


def size(points: float = SIZE) -> float:
    """``points`` (given for normal text) at the text size in force."""
    return theme.look().pt(points)


def num(value: float, digits: int = 4) -> str:
    """A number as text, with a true minus sign."""
    return escape(f"{value:.{digits}g}").replace("-", "&minus;")


def frac(top: str, bottom: str) -> str:
    look = theme.look()
    cell = f"align='center' style='font-size:{look.pt(SIZE - 1):.1f}pt; padding: 0px 3px"
    return (
        "<table cellspacing='0' cellpadding='0'>"
        f"<tr><td {cell}; border-bottom: 1px solid {look.ink}'>{top}</td></tr>"
        f"<tr><td {cell}'>{bottom}</td></tr></table>"
    )


def row(*parts: str) -> str:
    """Pieces side by side, centred vertically (fractions next to text)."""
    pt = size(SIZE)
    cells = "".join(
        f"<td valign='middle' style='font-size:{pt:.1f}pt; padding: 0px 2px'>{p}</td>" for p in parts
    )
    return f"<table cellspacing='0' cellpadding='0'><tr>{cells}</tr></table>"


# title (for the mean), the term of one point, a note defining the term, and the plain
# words for the sum and for one point's loss
TERMS = {
    "mse": ("MSE", f"{RESIDUAL}²", "", "sum of squared errors", "squared error of each point"),
    "mae": ("MAE", f"|{Y} − {YHAT}|", "", "sum of absolute errors", "absolute error of each point"),
    "huber": ("Huber", f"H<sub>δ</sub>{RESIDUAL}",
              "H<sub>δ</sub>(r) = ½r² when |r| ≤ δ, otherwise δ(|r| − ½δ);  δ = {delta:g}",
              "sum of Huber losses", "Huber loss of each point"),
    "logcosh": ("Log-cosh", f"log cosh{RESIDUAL}", "", "sum of log-cosh losses", "log-cosh loss of each point"),
    "quantile": ("Pinball", f"ρ<sub>τ</sub>{RESIDUAL}",
                 "ρ<sub>τ</sub>(r) = τ·r when r ≥ 0, otherwise (τ − 1)·r;  τ = {tau:g}",
                 "sum of pinball losses", "pinball loss of each point"),
}

#: the penalty term added to the mean loss (issue 15), as the formula bar writes it
PENALTY_TERMS = {"l2": "λ·½w²", "l1": "λ·|w|", "elastic": "λ·(r|w| + (1 − r)·½w²)"}
PENALTY_WORDS = {"l2": "an L2 (ridge) penalty", "l1": "an L1 (lasso) penalty", "elastic": "an elastic-net penalty"}

#: the technical names, for tooltips
TECHNICAL = {"mse": "MSE: mean squared error", "mae": "MAE: mean absolute error", "huber": "Huber loss",
             "logcosh": "log-cosh loss", "quantile": "pinball (quantile) loss"}


def cost_formula_tooltip(loss: str, reduction: str = "mean", penalty: str | None = None) -> str:
    """What the formula bar says in words, with the technical terms."""
    how = {"mean": "the cost: the mean of the points' losses",
           "sum": "the sum of the points' losses (reduction “sum”)",
           "none": "one loss per point, not combined (reduction “none”)"}[reduction]
    text = f"The {TECHNICAL.get(loss, loss)} of the current line, with its numbers filled in: {how}."
    if penalty in PENALTY_TERMS:
        text += (f"\nWith {PENALTY_WORDS[penalty]} the cost is the mean loss plus {PENALTY_TERMS[penalty]}: "
                 "λ times the penalty of the slope w (the intercept b is never penalised).")
        if reduction != "mean":
            text += " The penalty belongs to the cost, so it is added to the mean only."
    return f"{text}\n{CONVENTION_TIP}"


def cost_formula_html(loss: str, params: dict[str, float], snap: RegressionSnapshot,
                      reduction: str = "mean", penalty: str | None = None, strength: float = 0.0,
                      l1_ratio: float = 0.5, penalty_value: float = 0.0) -> str:
    """E.g. 'MSE = ¹⁄ₙ Σ (yᵢ − ŷᵢ)² = ¹⁄₂₆ × 224.6 = 8.64', plus the current line.

    With a ``penalty`` ("l1", "l2", "elastic") the cost gains its term and live number:
    'MSE + λ·½w² = 8.64 + 0.0123 = 8.65' (the mean loss, then λ·P(w)), and the line's row
    gives λ (and r). The sum and the separate losses stay the data's own."""
    look = theme.look()
    title, term, note, total_words, each_words = TERMS[loss]
    n = snap.n
    sign = "−" if snap.b < 0 else "+"
    line = f"ŷ = {num(snap.w)}·x {sign} {num(abs(snap.b))}"
    if reduction == "sum":
        body = f"Σ {term} = <b>{num(snap.total)}</b>"
        head = total_words[0].upper() + total_words[1:]
    elif reduction == "none":
        shown = ", ".join(num(v) for v in snap.losses[:4])
        more = ", …" if n > 4 else ""
        body = f"L<sub>i</sub> = {term} → [{shown}{more}]  ({n} values)"
        head = each_words[0].upper() + each_words[1:]
    elif penalty in PENALTY_TERMS:
        extra = PENALTY_TERMS[penalty]
        body = f"{num(snap.cost)} + {num(penalty_value)} = <b>{num(snap.cost + penalty_value)}</b>"
        head = f"{title} + {extra}"
        line += f"   ·   λ = {num(strength)}" + (f", r = {num(l1_ratio, 3)}" if penalty == "elastic" else "")
    else:
        body = (f"{FRACTION.format(n='n')} Σ {term} = {FRACTION.format(n=n)} × {num(snap.total)}"
                f" = <b>{num(snap.cost)}</b>")
        head = title
    small = look.css_pt(9)
    html = (f"<span style='font-size:{look.css_pt(SIZE)}'>{head} = {body}</span><br>"
            f"<span style='font-size:{small}'>{line}"
            f"<span style='color:{look.muted}'>   ·   {CONVENTION}</span></span>")
    if note:
        html += (f"<br><span style='font-size:{small}; color:{look.muted}'>"
                 + note.format(**params) + "</span>")
    return html.replace("   ", "&nbsp;&nbsp;&nbsp;")


def cost_formula_room_html() -> str:
    """Three lines in the sizes ``cost_formula_html`` uses (the cost, the line, a loss
    parameter's note): the room the formula bar keeps for any loss."""
    look = theme.look()
    small = look.css_pt(9)
    return (f"<span style='font-size:{look.css_pt(SIZE)}'>C = Σ</span><br>"
            f"<span style='font-size:{small}'>ŷ</span><br><span style='font-size:{small}'>τ</span>")


#: the penalty term a classifier's cost adds (issue 15): w is every weight, the biases never
CLASSIFICATION_PENALTY_TERMS = {"l2": "λ·½‖w‖²", "l1": "λ·‖w‖₁", "elastic": "λ·(r‖w‖₁ + (1 − r)·½‖w‖²)"}


def classification_cost_html(title: str, formula: str, n: int, total: float, cost: float, accuracy: float,
                             penalty: str | None = None, strength: float = 0.0, l1_ratio: float = 0.5,
                             penalty_value: float = 0.0) -> str:
    """E.g. 'Binary cross-entropy: cost = ¹⁄ₙ Σ Lᵢ = ¹⁄₃₀ × 13.86 = 0.462', the loss's formula and the accuracy.

    With a ``penalty`` ("l1", "l2", "elastic") the cost gains its term and live number,
    'cost = ¹⁄ₙ Σ Lᵢ + λ·½‖w‖² = ¹⁄₃₀ × 13.86 + 0.0123 = 0.474' (``cost`` is the mean loss,
    ``penalty_value`` λ·P(w)), and the second line gives λ (and r)."""
    look = theme.look()
    term = CLASSIFICATION_PENALTY_TERMS.get(penalty or "")
    if term is None:
        head = (f"cost = {FRACTION.format(n='n')} Σ L<sub>i</sub> = "
                f"{FRACTION.format(n=n)} × {num(total)} = <b>{num(cost)}</b>")
        tail = ""
    else:
        # a narrow header breaks the line around the term, or after the elastic net's "+", never elsewhere in it
        term = term.replace(" ", "&nbsp;").replace("+&nbsp;", "+ ")
        head = (f"cost = {FRACTION.format(n='n')} Σ L<sub>i</sub> + {term} = "
                f"{FRACTION.format(n=n)} × {num(total)} + {num(penalty_value)} = <b>{num(cost + penalty_value)}</b>")
        tail = (f"<span style='color:{look.muted}'>   ·   </span>λ = {num(strength)}"
                + (f", r = {num(l1_ratio, 3)}" if penalty == "elastic" else ""))
    return (f"<span style='font-size:{look.css_pt(SIZE)}; color:{look.ink}'>{escape(title)}: {head}</span>"
            f"<br><span style='font-size:{look.css_pt(9)}'>{escape(formula)}"
            f"<span style='color:{look.muted}'>   ·   </span>accuracy {100 * accuracy:.0f} %{tail}</span>")
