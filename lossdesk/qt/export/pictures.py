"""One view or the whole window as a PNG or SVG picture.

Plots are saved through pyqtgraph's exporters, so an SVG of a plot keeps its lines,
points and text as drawing elements, clipped to the axes, that a report or slide can
scale. Anything else is drawn by Qt's SVG generator, with each plot inside it drawn by
pyqtgraph and the 3-D valley (OpenGL draws no vectors) laid in as a picture.
"""

from __future__ import annotations

import base64
import contextlib
import html
import importlib
import os
import re
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 — pg.exporters.ImageExporter, SVGExporter
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from lossdesk.qt.export.files import IMAGE_SUFFIXES, ExportError, check_folder, check_suffix, write_atomically
from lossdesk.qt.views.panel import ViewPanel

NOT_DRAWN = ("There is nothing to save yet: this part of the window has not been drawn. "
             "Show it on screen first.")


def png_bytes(image: QImage) -> bytes:
    """The picture encoded as a PNG file."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG")
    buffer.close()
    if not ok or data.isEmpty():
        raise ExportError("Could not turn the picture into a PNG image.")
    return bytes(data.data())


def grab(widget: QWidget) -> QImage:
    """The widget as it is drawn now; ExportError if it has not been drawn yet."""
    image = widget.grab().toImage()
    if image.isNull() or image.width() < 2 or image.height() < 2:
        raise ExportError(NOT_DRAWN)
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
    png = base64.b64encode(png_bytes(image)).decode("ascii")
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
        raise ExportError(NOT_DRAWN)
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
        picture = grab(gl)
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
        return png_bytes(pg.exporters.ImageExporter(item).export(toBytes=True))
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
    suffix = check_suffix(path, IMAGE_SUFFIXES)
    check_folder(path)
    body = _body(widget)
    if isinstance(body, pg.PlotWidget):
        data = _plot_bytes(body, suffix, panel_name(widget))
    elif suffix == ".png":
        data = png_bytes(grab(body))
    else:
        data = _widget_svg(body, panel_name(widget)).encode("utf-8")
    write_atomically(path, data)
    return path


def export_window(widget: QWidget, path: str | os.PathLike) -> Path:
    """Save the whole window (any widget) as PNG or SVG, chosen by the file name's ending."""
    path = Path(path)
    suffix = check_suffix(path, IMAGE_SUFFIXES)
    check_folder(path)
    if suffix == ".png":
        data = png_bytes(grab(widget))
    else:
        data = _widget_svg(widget, widget.windowTitle() or "lossdesk").encode("utf-8")
    write_atomically(path, data)
    return path
