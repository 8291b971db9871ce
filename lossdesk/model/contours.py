"""What a cost surface looks like drawn: its colour range and its contour lines.

Colours run from the minimum to the 95th percentile, so the valley floor shows. Contour
levels are packed densely near the minimum, where the valley's shape is; the lines come
from contourpy as one NaN-separated (x, y) pair, so a view draws every level at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import contourpy
import numpy as np

from lossdesk.model.snapshot import SurfaceWindow

CONTOUR_LEVELS = 12


@dataclass(frozen=True, eq=False)
class SurfaceLines:
    """A surface's colour range (lo, hi) and its contour lines (NaN between lines)."""

    colour_range: tuple[float, float]
    levels: np.ndarray
    x: np.ndarray
    y: np.ndarray


def contour_levels(z: np.ndarray, count: int = CONTOUR_LEVELS) -> np.ndarray:
    """lo + (hi − lo)·t² for t in [0.03, 1]: dense near the minimum lo, up to the 95th percentile hi."""
    lo, hi = float(z.min()), float(np.percentile(z, 95))
    if not hi > lo:
        return np.zeros(0)
    return lo + (hi - lo) * np.linspace(0.03, 1.0, count) ** 2


def contour_path(w_grid: np.ndarray, b_grid: np.ndarray, z: np.ndarray, levels: np.ndarray):
    """All contour lines as one (x, y) pair of arrays, NaN between separate lines."""
    if levels.size == 0:
        return np.zeros(0), np.zeros(0)
    gen = contourpy.contour_generator(w_grid, b_grid, z.T, line_type="ChunkCombinedNan")
    parts = []
    for (chunks,) in gen.multi_lines(levels):
        for pts in chunks:
            if pts is not None and len(pts):
                parts.append(pts)
                parts.append(np.full((1, 2), np.nan))
    if not parts:
        return np.zeros(0), np.zeros(0)
    xy = np.vstack(parts)
    return xy[:, 0], xy[:, 1]


def surface_lines(window: SurfaceWindow, z: np.ndarray) -> SurfaceLines:
    """The colour range and contour lines of surface ``z`` over ``window``."""
    lo, hi = float(z.min()), float(np.percentile(z, 95))
    levels = contour_levels(z)
    x, y = contour_path(window.w_grid, window.b_grid, z, levels)
    return SurfaceLines((lo, hi if hi > lo else lo + 1.0), levels, x, y)


class LinesMemo:
    """The lines of the last surface, so a frame that did not change it does not redo them."""

    def __init__(self) -> None:
        self._z: np.ndarray | None = None
        self._window: SurfaceWindow | None = None
        self._lines: SurfaceLines | None = None

    def lines(self, window: SurfaceWindow, z: np.ndarray) -> SurfaceLines:
        if z is not self._z or window != self._window or self._lines is None:
            self._lines = surface_lines(window, z)
            self._z, self._window = z, window
        return self._lines
