"""Formulas as Qt rich text: real stacked fractions, sums, hats, subscripts.

Qt's rich text has no math layout, but a one-column table whose top cell has a bottom
border draws a proper fraction bar; a row of cells lines the pieces up on their middles.
"""

from __future__ import annotations

from html import escape

SIZE = 12  # points, for the formula's ordinary text

Y, YHAT, E = "y<sub>i</sub>", "&#375;<sub>i</sub>", "e<sub>i</sub>"
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
