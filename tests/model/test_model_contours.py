"""The surface's colour range and contour lines are computed in the model, once per surface."""

import numpy as np

from lossdesk.model.contours import LinesMemo, contour_levels, surface_lines
from lossdesk.model.snapshot import SurfaceWindow


def bowl(window: SurfaceWindow) -> np.ndarray:
    w, b = np.meshgrid(window.w_grid, window.b_grid, indexing="ij")
    return w**2 + b**2


def test_lines_of_a_bowl_are_circles_around_its_floor():
    window = SurfaceWindow((-2.0, 2.0), (-2.0, 2.0), 64)
    z = bowl(window)
    lines = surface_lines(window, z)
    assert lines.colour_range == (float(z.min()), float(np.percentile(z, 95)))
    assert np.all(np.diff(lines.levels) > 0) and lines.levels[0] > z.min()
    finite = np.isfinite(lines.x)
    assert finite.any() and (~finite).any()  # several lines, NaN between them
    radius = np.hypot(lines.x[finite], lines.y[finite])
    assert radius.max() <= 2.0 * np.sqrt(2) and radius.min() > 0


def test_a_flat_surface_has_no_lines_and_a_usable_colour_range():
    window = SurfaceWindow((0.0, 1.0), (0.0, 1.0), 8)
    lines = surface_lines(window, np.ones((8, 8)))
    assert lines.x.size == 0 and lines.colour_range[1] > lines.colour_range[0]
    assert contour_levels(np.ones((3, 3))).size == 0


def test_the_memo_recomputes_only_for_a_new_surface():
    window = SurfaceWindow((-1.0, 1.0), (-1.0, 1.0), 16)
    z = bowl(window)
    memo = LinesMemo()
    first = memo.lines(window, z)
    assert memo.lines(window, z) is first
    assert memo.lines(window, z.copy()) is not first
