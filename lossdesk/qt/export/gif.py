"""The regression explorer's gradient descent recorded as an animated GIF.

Each picture is the data panel beside the loss-surface panel, with the optimizer, the
step and the cost written underneath. Needs Pillow, the optional ``export`` extra;
nothing else in lossdesk does.
"""

from __future__ import annotations

import math
import os
from io import BytesIO
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from lossdesk.qt import theme
from lossdesk.qt.export.files import GIF_SUFFIX, ExportError, check_folder, check_suffix, write_atomically
from lossdesk.qt.export.pictures import grab

MAX_GIF_FRAMES = 60
GIF_FRAME_MS = 80  # 12.5 pictures a second
GIF_LAST_FRAME_MS = 2000  # hold the end of the run before the loop starts again
CAPTION_HEIGHT = 24
PILLOW_MISSING = ("Saving an animated GIF needs Pillow, an optional extra of lossdesk. "
                  "Install it with: pip install 'lossdesk[export]'")

#: the regression explorer (lossdesk.qt.tabs.regression.RegressionExplorer); typed loosely
#: so this module does not import the tab
Explorer = Any


def _pillow():
    try:
        from PIL import Image  # noqa: PLC0415 — optional, loaded only when a GIF is wanted
    except ImportError:
        raise ExportError(PILLOW_MISSING) from None
    return Image


def _caption(explorer: Explorer) -> str:
    """"Gradient descent, learning rate 0.1: step 12, cost 3.41" for the picture now."""
    optimizer = explorer.store.value.optimizer
    results = explorer.results()
    end = {"converged": " (converged)", "diverged": " (diverged)"}.get(results.run_status, "")
    return (f"{optimizer.title}, learning rate {optimizer.lr:g}: "
            f"step {results.run_steps or 0}, cost {results.costs[-1]:.4g}{end}")


def _descent_picture(explorer: Explorer, size: QSize | None) -> QImage:
    """The data panel and the surface panel side by side, with the step written below."""
    left, right = grab(explorer.data_panel), grab(explorer.surface_panel)
    for image in (left, right):
        image.setDevicePixelRatio(1.0)  # paste pixel for pixel
    font = QFont(QApplication.font())
    font.setPixelSize(14)
    width = left.width() + right.width()
    height = max(left.height(), right.height()) + CAPTION_HEIGHT
    frame = QImage(width, height, QImage.Format.Format_RGB32)
    look = theme.look()  # the caption strip in the theme in force, like the panels above it
    frame.fill(QColor(look.background))
    painter = QPainter(frame)
    try:
        painter.drawImage(0, 0, left)
        painter.drawImage(left.width(), 0, right)
        painter.setFont(font)
        painter.setPen(QColor(look.ink))
        painter.drawText(QRect(8, height - CAPTION_HEIGHT, width - 16, CAPTION_HEIGHT),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), _caption(explorer))
    finally:
        painter.end()
    if size is not None:
        frame = frame.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return frame


def _gif_frame(image_module, picture: QImage):
    """A QImage as a Pillow palette image (GIF frames hold at most 256 colours)."""
    rgb = picture.convertToFormat(QImage.Format.Format_RGB888)
    im = image_module.frombytes("RGB", (rgb.width(), rgb.height()), bytes(rgb.constBits()),
                                "raw", "RGB", rgb.bytesPerLine())
    # Flat colours without dithering: crisp lines and a GIF a third the size.
    return im.quantize(255, method=image_module.Quantize.FASTOCTREE, dither=image_module.Dither.NONE)


def _record(explorer: Explorer, image_module, steps: int, per_frame: int, target: QSize | None) -> list:
    """The start, then one picture every ``per_frame`` steps until ``steps`` or the run ends."""
    app = QApplication.instance()
    app.processEvents()
    images = [_gif_frame(image_module, _descent_picture(explorer, target))]
    taken = 0
    while taken < steps:
        k = min(per_frame, steps - taken)
        status = explorer.run_steps(k)
        taken += k
        app.processEvents()
        images.append(_gif_frame(image_module, _descent_picture(explorer, target)))
        if status != "running":
            break
    return images


def export_descent_gif(explorer: Explorer, path: str | os.PathLike, steps: int, frames: int | None = None,
                       size: tuple[int, int] | None = None) -> int:
    """Record the regression explorer's gradient descent as an animated GIF.

    Starts from wherever the explorer is (nothing is reset; a playing animation is
    paused) and takes ``steps`` descent steps, spread over ``frames`` pictures (at most
    60 by default), each showing the data and fit beside the loss surface. The first
    picture is the start; recording stops early when the run converges or diverges.
    ``size`` (width, height) scales each picture to fit inside it. Returns the number
    of pictures recorded (always at least 2).
    """
    path = Path(path)
    check_suffix(path, (GIF_SUFFIX,))
    check_folder(path)
    image_module = _pillow()
    steps = int(steps)
    if steps < 1:
        raise ExportError("Record at least one descent step.")
    if explorer.results().run_status == "diverged":
        raise ExportError("This descent has already diverged, so there is nothing left to record. "
                          "Press Reset (or lower the learning rate) and record again.")
    frames = min(steps, MAX_GIF_FRAMES) if frames is None else int(frames)
    if frames < 1:
        raise ExportError("Record at least one frame.")
    frames = min(frames, steps)
    per_frame = math.ceil(steps / frames)
    target = None
    if size is not None:
        target = QSize(int(size[0]), int(size[1]))
        if target.width() < 16 or target.height() < 16:
            raise ExportError("The GIF must be at least 16 × 16 pixels.")

    explorer.descent.set_playing(False)  # the animation's timer must not step while we record
    # A tab out of sight computes nothing until it is shown; the pictures need it now.
    out_of_sight = not explorer.isVisible()
    if out_of_sight:
        explorer.set_active(True)
    try:
        images = _record(explorer, image_module, steps, per_frame, target)
    finally:
        if out_of_sight:
            explorer.set_active(False)

    durations = [GIF_FRAME_MS] * (len(images) - 1) + [GIF_LAST_FRAME_MS]
    out = BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:],
                   duration=durations, loop=0, optimize=False)
    write_atomically(path, out.getvalue())
    return len(images)
