"""Save what is on screen: one view or the whole window as PNG or SVG, the descent as a GIF.

Plots are saved through pyqtgraph's exporters, so an SVG of a plot keeps its lines,
points and text as drawing elements, clipped to the axes, that a report or slide can
scale. Anything else is drawn by Qt's SVG generator, with each plot inside it drawn by
pyqtgraph and the 3-D valley (OpenGL draws no vectors) laid in as a picture.

Every file is written next to its destination first and moved into place only when it
is complete, so a failed save never leaves half a picture behind. Problems arrive as
``ExportError`` with a message meant for the student, not a traceback.

The animated GIF needs Pillow, the optional ``export`` extra; nothing else here does.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import html
import importlib
import math
import os
import re
import secrets
from io import BytesIO
from pathlib import Path
from typing import Callable

import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 — pg.exporters.ImageExporter, SVGExporter
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QFont, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from lossdesk.qt.views.panel import ViewPanel

IMAGE_SUFFIXES = (".png", ".svg")
GIF_SUFFIX = ".gif"
MAX_GIF_FRAMES = 60
GIF_FRAME_MS = 80  # 12.5 pictures a second
GIF_LAST_FRAME_MS = 2000  # hold the end of the run before the loop starts again
DEFAULT_GIF_STEPS = 100
MENU_HINT = "Right-click to save this view as PNG or SVG."
PILLOW_MISSING = ("Saving an animated GIF needs Pillow, an optional extra of lossdesk. "
                  "Install it with: pip install 'lossdesk[export]'")

Status = Callable[[str, str], None]  # (message, level), like MainWindow.show_status


class ExportError(Exception):
    """A picture could not be saved; the message says why in plain words."""


# ====================================================================== writing files
def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        choices = " or ".join(allowed)
        problem = f"ends in {path.suffix}, which lossdesk cannot write" if path.suffix else "has no ending"
        raise ExportError(f"Cannot save “{path.name}”: the name {problem}. Choose a name ending in {choices}.")
    return suffix


def _check_folder(path: Path) -> None:
    """Fail before any work if the file cannot go where it is asked to."""
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"Cannot save “{path.name}”: the folder {folder} does not exist.")
    if path.is_dir():
        raise ExportError(f"Cannot save: {path} is a folder. Give a file name inside it.")


def _explain(exc: OSError, path: Path) -> str:
    if isinstance(exc, PermissionError):
        return f"Cannot save “{path.name}”: you are not allowed to write in {path.parent}."
    if exc.errno == errno.ENOSPC:
        return f"Cannot save “{path.name}”: the disk is full."
    if isinstance(exc, IsADirectoryError):
        return f"Cannot save: {path} is a folder. Give a file name inside it."
    if isinstance(exc, FileNotFoundError):
        return f"Cannot save “{path.name}”: the folder {path.parent} does not exist."
    return f"Cannot save “{path.name}”: {exc.strerror or exc}."


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a hidden file beside ``path``, then move it into place."""
    _check_folder(path)
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(part, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise ExportError(_explain(exc, path)) from exc


# ====================================================================== pictures as bytes
def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG")
    buffer.close()
    if not ok or data.isEmpty():
        raise ExportError("Could not turn the picture into a PNG image.")
    return bytes(data.data())


def _grab(widget: QWidget) -> QImage:
    image = widget.grab().toImage()
    if image.isNull() or image.width() < 2 or image.height() < 2:
        raise ExportError("There is nothing to save yet: this part of the window has not been drawn. "
                          "Show it on screen first.")
    return image


def _body(widget: QWidget) -> QWidget:
    return widget.body if isinstance(widget, ViewPanel) else widget


def panel_name(panel: QWidget) -> str:
    """A ViewPanel's title as plain text ("Data and fit")."""
    if isinstance(panel, ViewPanel):
        return html.unescape(re.sub(r"<[^>]+>", "", panel.title.text())).strip() or "view"
    return panel.objectName() or type(panel).__name__


# ====================================================================== SVG
def _close_paths_explicitly(d: str) -> str:
    """Path data with each "Z" (close path) written as a line back to the subpath's start."""
    out: list[str] = []
    start = None
    for token in d.split():
        while token[:1] in ("Z", "z"):
            if start is not None:
                out.append("L" + start)
            token = token[1:]
        if not token:
            continue
        if token[0] in "Mm":
            start = token[1:]
        out.append(token)
    return " ".join(out)


@contextlib.contextmanager
def _svg_exporter_reads_closed_paths():
    """Let pyqtgraph's SVG exporter read the closed paths newer Qt versions write.

    pyqtgraph 0.14 reads path data point by point and stops at the "Z" Qt 6.10 and
    later add to closed shapes (pyqtgraph issue 3495), so every plot fails. For the
    length of one export, each "Z" becomes a line back to where the shape started,
    which draws the same.
    """
    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = getattr(module, "correctCoordinates", None)
    if original is None:  # a pyqtgraph without that step needs no help
        yield
        return

    def correct_coordinates(node, *args, **kwargs):
        for path in node.getElementsByTagName("path"):
            d = path.getAttribute("d")
            if "Z" in d or "z" in d:
                path.setAttribute("d", _close_paths_explicitly(d))
        return original(node, *args, **kwargs)

    module.correctCoordinates = correct_coordinates
    try:
        yield
    finally:
        module.correctCoordinates = original


def _plot_svg(plot: pg.PlotWidget) -> str | None:
    """pyqtgraph's SVG of one plot (lines in page coordinates, clipped to the axes), or None."""
    try:
        with _svg_exporter_reads_closed_paths():
            return pg.exporters.SVGExporter(plot.getPlotItem()).export(toBytes=True).decode("utf-8")
    except Exception:  # noqa: BLE001 — its exporter has broken before; Qt's drawing stands in
        return None


class _SkipPainting(QObject):
    """While installed, the given widgets draw nothing (something else stands in for them)."""

    def __init__(self, widgets: list[QWidget]):
        super().__init__()
        self.widgets = widgets

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt naming)
        return event.type() == QEvent.Type.Paint and any(watched is w for w in self.widgets)


def _qt_svg(widget: QWidget, title: str, skip: list[QWidget] = ()) -> str:
    """The widget drawn by Qt's SVG generator, leaving out the widgets in ``skip``."""
    size = widget.size()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(QPoint(0, 0), size))
    generator.setResolution(max(1, round(widget.logicalDpiX())))  # text keeps its size
    generator.setTitle(title)
    generator.setDescription("Saved from lossdesk")
    skipper = _SkipPainting(list(skip))
    for w in skip:
        w.installEventFilter(skipper)
    painter = QPainter()
    try:
        if not painter.begin(generator):
            raise ExportError("Could not start drawing the SVG picture.")
        QWidget.render(widget, painter, QPoint(0, 0))  # the widget as drawn, not a view's scene
    finally:
        if painter.isActive():
            painter.end()
        buffer.close()
        for w in skip:
            w.removeEventFilter(skipper)
    return bytes(data.data()).decode("utf-8")


def _nested(svg: str, rect: QRect, prefix: str) -> str:
    """A whole SVG document as an element placed at ``rect``, its ids made unique by ``prefix``."""
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if ids:
        pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(map(re.escape, ids)) + r')(?=[")])')
        svg = pattern.sub(lambda m: m.group(1) + prefix + m.group(2), svg)
    place = f'<svg x="{rect.x()}" y="{rect.y()}" width="{rect.width()}" height="{rect.height()}"'
    return re.sub(r"^<svg\b", place, svg, count=1)


def _picture_element(image: QImage, rect: QRect) -> str:
    png = base64.b64encode(_png_bytes(image)).decode("ascii")
    return (f'<image xmlns:xlink="http://www.w3.org/1999/xlink" x="{rect.x()}" y="{rect.y()}" '
            f'width="{rect.width()}" height="{rect.height()}" preserveAspectRatio="none" '
            f'xlink:href="data:image/png;base64,{png}"/>')


def _shown_inside(widget: QWidget, kind) -> list[QWidget]:
    found = [widget] if isinstance(widget, kind) else []
    found += [w for w in widget.findChildren(kind) if w.isVisibleTo(widget)]
    return [w for w in found if w.size().width() > 1 and w.size().height() > 1]


def _widget_svg(widget: QWidget, title: str) -> str:
    """Any widget as SVG: Qt draws the widgets, pyqtgraph each plot, OpenGL views go in as pictures.

    Qt's own drawing of a plot has neither clipping nor thin lines in most viewers, so
    each plot is drawn by pyqtgraph's exporter and laid over the spot Qt left empty.
    """
    if widget.size().width() < 2 or widget.size().height() < 2:  # (some widgets redefine height())
        raise ExportError("There is nothing to save yet: this part of the window has not been drawn. "
                          "Show it on screen first.")
    skip: list[QWidget] = []
    islands: list[str] = []
    for n, plot in enumerate(_shown_inside(widget, pg.PlotWidget), start=1):
        svg = _plot_svg(plot)
        if svg is None:
            continue  # Qt draws this one itself
        box = re.search(r'viewBox\s*=\s*"0 0 (\d+) (\d+)"', svg)
        item_rect = plot.getPlotItem().sceneBoundingRect()
        corner = plot.viewport().mapTo(widget, plot.mapFromScene(item_rect.topLeft()))
        size = QSize(int(box.group(1)), int(box.group(2))) if box else item_rect.size().toSize()
        islands.append(_nested(svg, QRect(corner, size), f"plot{n}_"))
        skip.append(plot.viewport())
    for gl in _shown_inside(widget, _opengl_widget_class()):
        corner = gl.mapTo(widget, QPoint(0, 0)) if gl is not widget else QPoint(0, 0)
        picture = _grab(gl)
        picture.setDevicePixelRatio(1.0)
        islands.append(_picture_element(picture, QRect(corner, gl.size())))
        skip.append(gl)
    document = _qt_svg(widget, title, skip)
    end = document.rstrip().rfind("</svg>")
    return document[:end] + "\n".join(islands) + "\n</svg>\n"


def _opengl_widget_class():
    try:
        from PySide6.QtOpenGLWidgets import QOpenGLWidget  # noqa: PLC0415
    except ImportError:  # pragma: no cover - part of every PySide6 wheel
        return type(None)
    return QOpenGLWidget


def _plot_bytes(plot: pg.PlotWidget, suffix: str, title: str) -> bytes:
    item = plot.getPlotItem()
    rect = item.sceneBoundingRect()
    if rect.width() < 2 or rect.height() < 2:
        raise ExportError("There is nothing to save yet: this view has not been drawn. "
                          "Show it on screen first.")
    if suffix == ".png":
        return _png_bytes(pg.exporters.ImageExporter(item).export(toBytes=True))
    svg = _plot_svg(plot)
    if svg is None:  # pyqtgraph could not; Qt's drawing is a fair second
        svg = _qt_svg(plot, title)
    return svg.encode("utf-8")


def export_view(widget: QWidget, path: str | os.PathLike) -> Path:
    """Save one view as PNG or SVG, chosen by the file name's ending.

    ``widget`` is a pyqtgraph PlotWidget, or a ViewPanel (its body is saved, without the
    title row). A plot goes through pyqtgraph's exporters; any other widget is saved as
    it is drawn. Returns the path written.
    """
    path = Path(path)
    suffix = _suffix(path, IMAGE_SUFFIXES)
    _check_folder(path)
    body = _body(widget)
    if isinstance(body, pg.PlotWidget):
        data = _plot_bytes(body, suffix, panel_name(widget))
    elif suffix == ".png":
        data = _png_bytes(_grab(body))
    else:
        data = _widget_svg(body, panel_name(widget)).encode("utf-8")
    _write_atomically(path, data)
    return path


def export_window(widget: QWidget, path: str | os.PathLike) -> Path:
    """Save the whole window (any widget) as PNG or SVG, chosen by the file name's ending."""
    path = Path(path)
    suffix = _suffix(path, IMAGE_SUFFIXES)
    _check_folder(path)
    if suffix == ".png":
        data = _png_bytes(_grab(widget))
    else:
        data = _widget_svg(widget, widget.windowTitle() or "lossdesk").encode("utf-8")
    _write_atomically(path, data)
    return path


# ====================================================================== the descent as a GIF
def _pillow():
    try:
        from PIL import Image  # noqa: PLC0415 — optional, loaded only when a GIF is wanted
    except ImportError:
        raise ExportError(PILLOW_MISSING) from None
    return Image


def _caption(explorer) -> str:
    state, run = explorer.state, explorer.state.run
    text = f"{explorer.descent.optimizer.currentText()}, learning rate {state.lr:g}"
    if run is None:
        cost = explorer.snapshot.cost if explorer.snapshot is not None else float("nan")
        return f"{text}: step 0, cost {cost:.4g}"
    end = {"converged": " (converged)", "diverged": " (diverged)"}.get(run.status, "")
    return f"{text}: step {run.steps}, cost {run.costs[-1]:.4g}{end}"


def _descent_picture(explorer, size: QSize | None) -> QImage:
    """The data panel and the surface panel side by side, with the step written below."""
    left, right = _grab(explorer.data_panel), _grab(explorer.surface_panel)
    for image in (left, right):
        image.setDevicePixelRatio(1.0)  # paste pixel for pixel
    font = QFont(QApplication.font())
    font.setPixelSize(14)
    strip = 24
    width = left.width() + right.width()
    height = max(left.height(), right.height()) + strip
    frame = QImage(width, height, QImage.Format.Format_RGB32)
    frame.fill(QColor("white"))
    painter = QPainter(frame)
    try:
        painter.drawImage(0, 0, left)
        painter.drawImage(left.width(), 0, right)
        painter.setFont(font)
        painter.setPen(QColor("#222222"))
        painter.drawText(QRect(8, height - strip, width - 16, strip),
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


def _record(explorer, image_module, steps: int, per_frame: int, target: QSize | None) -> list:
    app = QApplication.instance()
    app.processEvents()
    images = [_gif_frame(image_module, _descent_picture(explorer, target))]
    taken = 0
    while taken < steps:
        k = min(per_frame, steps - taken)
        status = explorer.state.step(k)
        taken += k
        app.processEvents()
        images.append(_gif_frame(image_module, _descent_picture(explorer, target)))
        if status != "running":
            break
    return images


def export_descent_gif(explorer, path: str | os.PathLike, steps: int, frames: int | None = None,
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
    _suffix(path, (GIF_SUFFIX,))
    _check_folder(path)
    image_module = _pillow()
    steps = int(steps)
    if steps < 1:
        raise ExportError("Record at least one descent step.")
    run = explorer.state.run
    if run is not None and run.status == "diverged":
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
    # A tab out of sight may put off redrawing until it is shown; the pictures need it now.
    asleep = getattr(explorer, "active", True) is False and hasattr(explorer, "set_active")
    if asleep:
        explorer.set_active(True)
    try:
        images = _record(explorer, image_module, steps, per_frame, target)
    finally:
        if asleep:
            explorer.set_active(False)

    durations = [GIF_FRAME_MS] * (len(images) - 1) + [GIF_LAST_FRAME_MS]
    out = BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:],
                   duration=durations, loop=0, optimize=False)
    _write_atomically(path, out.getvalue())
    return len(images)


# ====================================================================== menus and dialogs
def _report(parent_widget: QWidget, status: Status | None, error: ExportError) -> QMessageBox:
    if status is not None:
        status(str(error), "error")
    box = QMessageBox(QMessageBox.Icon.Warning, "Could not save", str(error),
                      QMessageBox.StandardButton.Ok, parent_widget)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _with_suffix(path: str | os.PathLike, suffix: str) -> Path:
    """A name typed without an ending gets the chosen format's."""
    path = Path(path)
    return path if path.suffix else path.with_name(path.name + suffix)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "view"


def ask_save_path(parent_widget: QWidget | None, caption: str, suggested: str, filters: str) -> tuple[str, str]:
    """The save-file dialog (the one blocking call; tests replace it)."""
    return QFileDialog.getSaveFileName(parent_widget, caption, suggested, filters)


def _save_and_report(export, target: QWidget, what: str, path: str | os.PathLike, parent_widget: QWidget,
                     status: Status | None, suffix: str) -> bool:
    """Save with ``export``, then report how it went (a message box on failure)."""
    try:
        written = export(target, _with_suffix(path, suffix))
    except ExportError as exc:
        _report(parent_widget, status, exc)
        return False
    if status is not None:
        status(f"Saved {what} to {written.name}.", "info")
    return True


def save_view_to(panel: QWidget, path: str | os.PathLike, parent_widget: QWidget,
                 status: Status | None = None, suffix: str = ".png") -> bool:
    """What the menu does once it has a file name: save, then report how it went."""
    return _save_and_report(export_view, panel, panel_name(panel), path, parent_widget, status, suffix)


def save_view_dialog(panel: QWidget, parent_widget: QWidget, suffix: str = ".png",
                     status: Status | None = None) -> bool:
    """Ask where to save one view (as PNG or SVG) and save it there."""
    kind = "PNG image (*.png)" if suffix == ".png" else "SVG drawing (*.svg)"
    other = "SVG drawing (*.svg)" if suffix == ".png" else "PNG image (*.png)"
    path, chosen = ask_save_path(parent_widget, f"Save {panel_name(panel)}",
                                 _slug(panel_name(panel)) + suffix, f"{kind};;{other}")
    if not path:
        return False
    return save_view_to(panel, path, parent_widget, status, ".svg" if "svg" in chosen else ".png")


def export_menu(panel: ViewPanel, parent_widget: QWidget, status: Status | None = None) -> QMenu:
    """The panel's "Save this view" menu (not shown)."""
    menu = QMenu(parent_widget)
    for label, suffix in (("Save this view as PNG…", ".png"), ("Save this view as SVG…", ".svg")):
        action = QAction(label, menu)
        action.setStatusTip(f"Save {panel_name(panel)} as a {suffix[1:].upper()} file")
        action.triggered.connect(lambda _=False, s=suffix: save_view_dialog(panel, parent_widget, s, status))
        menu.addAction(action)
    return menu


def add_export_menu(panel: ViewPanel, parent_widget: QWidget, status: Status | None = None) -> QMenu:
    """Right-clicking the panel's title row offers to save the view as PNG or SVG.

    The plot itself keeps its own right-click (points have menus there). ``status``,
    if given, hears "Saved …" and error messages, like MainWindow.show_status.
    """
    menu = getattr(panel, "_export_menu", None)
    if menu is not None:  # already has one: a second would pop up on top of it
        return menu
    menu = export_menu(panel, parent_widget, status)
    panel._export_menu = menu
    panel.headerMenuRequested.connect(menu.popup)
    tip = panel.title.toolTip()
    if MENU_HINT not in tip:
        panel.title.setToolTip(f"{tip}\n\n{MENU_HINT}" if tip else MENU_HINT)
    return menu


def add_export_menus(root: QWidget, parent_widget: QWidget, status: Status | None = None) -> int:
    """``add_export_menu`` for every ViewPanel inside ``root``; returns how many."""
    panels = root.findChildren(ViewPanel)
    for panel in panels:
        add_export_menu(panel, parent_widget, status)
    return len(panels)


def visible_panels(root: QWidget) -> list[ViewPanel]:
    """The ViewPanels on screen now (those of the tab in front)."""
    return [p for p in root.findChildren(ViewPanel) if p.isVisible()]


def export_view_dialog(parent_widget: QWidget, panels: list[ViewPanel], status: Status | None = None) -> bool:
    """File ▸ Export view…: pick one of ``panels`` (if more than one), then where to save it."""
    if not panels:
        _report(parent_widget, status, ExportError("There is no view on screen to save."))
        return False
    panel = panels[0]
    if len(panels) > 1:
        names = [panel_name(p) for p in panels]
        name, ok = QInputDialog.getItem(parent_widget, "Export view", "Which view?", names, 0, False)
        if not ok:
            return False
        panel = panels[names.index(name)]
    return save_view_dialog(panel, parent_widget, ".png", status)


def save_window_to(window: QWidget, path: str | os.PathLike, status: Status | None = None,
                   suffix: str = ".png") -> bool:
    return _save_and_report(export_window, window, "the window", path, window, status, suffix)


def export_window_dialog(window: QWidget, status: Status | None = None) -> bool:
    """File ▸ Export window…: ask where, then save the whole window as PNG or SVG."""
    path, chosen = ask_save_path(window, "Save the window", "lossdesk.png",
                                 "PNG image (*.png);;SVG drawing (*.svg)")
    if not path:
        return False
    return save_window_to(window, path, status, ".svg" if "svg" in chosen else ".png")


def save_descent_gif_to(explorer, path: str | os.PathLike, steps: int, parent_widget: QWidget,
                        status: Status | None = None) -> bool:
    try:
        count = export_descent_gif(explorer, _with_suffix(path, GIF_SUFFIX), steps)
    except ExportError as exc:
        _report(parent_widget, status, exc)
        return False
    if status is not None:
        status(f"Saved the descent ({count} pictures) to {_with_suffix(path, GIF_SUFFIX).name}.", "info")
    return True


def export_descent_gif_dialog(explorer, parent_widget: QWidget, status: Status | None = None) -> bool:
    """File ▸ Export descent as GIF…: ask how many steps and where, then record."""
    steps, ok = QInputDialog.getInt(parent_widget, "Export descent as GIF",
                                    "Descent steps to record (from where the line is now):",
                                    DEFAULT_GIF_STEPS, 1, 100_000, 10)
    if not ok:
        return False
    path, _ = ask_save_path(parent_widget, "Save the descent as GIF", "descent.gif", "GIF animation (*.gif)")
    if not path:
        return False
    return save_descent_gif_to(explorer, path, steps, parent_widget, status)
