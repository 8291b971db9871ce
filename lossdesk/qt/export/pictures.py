"""One view or the whole window as a PNG or SVG picture.

A view is saved with its panel's header drawn above it (the title and the live
readout, in full, wrapped if the picture is narrow), so a slide says what it shows.
PNG pictures can be saved at 2× size (``scale=2``) for slides and projectors; the
picture is drawn again at that size (lines and text stay sharp), not stretched.
Exports use the theme in force: a dark window saves dark pictures.

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
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem, QWidget

from lossdesk.qt import theme

from lossdesk.qt.export.files import IMAGE_SUFFIXES, ExportError, check_folder, check_suffix, write_atomically
from lossdesk.qt.views.panel import ViewPanel

#: the sizes a PNG can be saved at (1× is the size on screen)
SCALES = (1.0, 2.0)
#: room around the header's text, in pixels at 1×
HEADER_PAD = 6

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
    return with_gl_windows(widget, image)


def with_gl_windows(widget: QWidget, image: QImage) -> QImage:
    """``image`` of ``widget`` with what each embedded OpenGL window shows drawn in.

    The 3-D valley is a window inside a container widget; ``QWidget.grab`` and ``render``
    leave its area empty, so its own picture is laid over the container's place.
    """
    from lossdesk.qt.views.valley_3d import Valley3D  # noqa: PLC0415 (no OpenGL import here)

    painter = None
    for valley in widget.findChildren(Valley3D):
        container, view = valley.container, valley.view
        if container is None or view is None or not container.isVisibleTo(widget):
            continue
        picture = view.picture()
        if picture.isNull():
            continue
        if painter is None:
            painter = QPainter(image)
        painter.drawImage(QRect(container.mapTo(widget, QPoint(0, 0)), container.size()), picture)
    if painter is not None:
        painter.end()
    return image


def check_scale(scale: float) -> float:
    scale = float(scale)
    if not 0.5 <= scale <= 4.0:
        raise ExportError("A picture can be saved at between half and four times its size on screen.")
    return scale


def grab_scaled(widget: QWidget, scale: float = 1.0) -> QImage:
    """The widget drawn again at ``scale`` times its size (``grab`` at 1×)."""
    if scale == 1.0:
        return grab(widget)
    size = widget.size()
    if size.width() < 2 or size.height() < 2:
        raise ExportError(NOT_DRAWN)
    image = QImage(round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor(theme.look().background))
    painter = QPainter(image)
    try:
        widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()
    return with_gl_windows(widget, image)


def _body(widget: QWidget) -> QWidget:
    return widget.body if isinstance(widget, ViewPanel) else widget


def panel_name(panel: QWidget) -> str:
    """A ViewPanel's title as plain text ("Data and fit")."""
    if isinstance(panel, ViewPanel):
        return html.unescape(re.sub(r"<[^>]+>", "", panel.title.text())).strip() or "view"
    return panel.objectName() or type(panel).__name__


def header_texts(panel: QWidget) -> tuple[str, str]:
    """A ViewPanel's title and its whole readout (not the part that fits on screen)."""
    if not isinstance(panel, ViewPanel):
        return "", ""
    readout = panel.readout.text()
    readout = html.unescape(re.sub(r"<[^>]+>", "", readout)).strip()
    return panel_name(panel), readout


def _header_fonts() -> tuple[QFont, QFont]:
    app = QApplication.instance()
    plain = QFont(app.font()) if app is not None else QFont()
    bold = QFont(plain)
    bold.setBold(True)
    return bold, plain


def _wrap(text: str, metrics: QFontMetrics, room: int) -> list[str]:
    """``text`` in lines no wider than ``room`` (a word longer than that gets a line of its own)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and metrics.horizontalAdvance(lines[-1] + " " + word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return [line for line in lines if line.strip()]


def header_layout(title: str, readout: str, width: int) -> list[tuple[str, bool, bool]]:
    """The header's lines for a picture ``width`` pixels wide (at 1×): (text, bold, right-aligned).

    Title and readout share one line when they fit (the readout on the right, as on
    screen); otherwise the title comes first and the readout goes below it.
    """
    bold, plain = _header_fonts()
    fb, fp = QFontMetrics(bold), QFontMetrics(plain)
    room = max(40, width - 2 * HEADER_PAD)
    gap = fp.horizontalAdvance("    ")
    if not title and not readout:
        return []
    if fb.horizontalAdvance(title) + gap + fp.horizontalAdvance(readout) <= room:
        return [(title, True, False)] + ([(readout, False, True)] if readout else [])
    parts = [(t, True, False) for t in _wrap(title, fb, room)]
    # the readout's parts ("n = 24   cost = 5.166") stay whole, several to a line when they fit
    readout_lines: list[str] = []
    for part in (p.strip() for p in readout.split("   ") if p.strip()):
        if readout_lines and fp.horizontalAdvance(readout_lines[-1] + "   " + part) <= room:
            readout_lines[-1] += "   " + part
        else:
            readout_lines.append(part)
    return parts + [(t, False, False) for t in readout_lines]


def _line_rows(lines: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool, int, int]]:
    """Each header line with its top and height in pixels at 1×; title and readout may share a row."""
    bold, plain = _header_fonts()
    rows = []
    y = HEADER_PAD
    shared = len(lines) == 2 and lines[1][2]  # one row: title left, readout right
    height = max(QFontMetrics(bold).height(), QFontMetrics(plain).height())
    for k, (text, is_bold, right) in enumerate(lines):
        if shared and k == 1:
            rows.append((text, is_bold, right, HEADER_PAD, height))
            continue
        rows.append((text, is_bold, right, y, height))
        y += height
    return rows


def header_height(lines: list[tuple[str, bool, bool]]) -> int:
    if not lines:
        return 0
    rows = _line_rows(lines)
    return max(top + h for _t, _b, _r, top, h in rows) + HEADER_PAD


def with_header(picture: QImage, title: str, readout: str, scale: float) -> QImage:
    """``picture`` (drawn at ``scale``) with the panel's title and readout drawn above it."""
    width = round(picture.width() / scale)
    lines = header_layout(title, readout, width)
    if not lines:
        return picture
    top = header_height(lines)
    look = theme.look()
    out = QImage(picture.width(), round(top * scale) + picture.height(), QImage.Format.Format_ARGB32)
    out.setDevicePixelRatio(scale)
    out.fill(QColor(look.background))
    bold, plain = _header_fonts()
    painter = QPainter(out)
    try:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setPen(QColor(look.ink))
        for text, is_bold, right, y, h in _line_rows(lines):
            painter.setFont(bold if is_bold else plain)
            align = (Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(QRect(HEADER_PAD, y, width - 2 * HEADER_PAD, h), int(align), text)
        picture = QImage(picture)
        picture.setDevicePixelRatio(scale)
        painter.drawImage(QPoint(0, top), picture)
    finally:
        painter.end()
    out.setDevicePixelRatio(1.0)  # the file holds the pixels; no "retina" tag
    return out


def svg_with_header(body_svg: str, size: QSize, title: str, readout: str) -> str:
    """An SVG of the body with the panel's title and readout written above it, as text."""
    lines = header_layout(title, readout, size.width())
    if not lines:
        return body_svg
    top = header_height(lines)
    look = theme.look()
    bold, plain = _header_fonts()
    family = html.escape(plain.family(), quote=True)
    px = max(8, plain.pixelSize() if plain.pixelSize() > 0 else round(plain.pointSizeF() * 96 / 72))
    width, height = size.width(), size.height() + top
    texts = []
    for text, is_bold, right, y, h in _line_rows(lines):
        x = width - HEADER_PAD if right else HEADER_PAD
        anchor = "end" if right else "start"
        weight = "bold" if is_bold else "normal"
        texts.append(f'<text xml:space="preserve" x="{x}" y="{y + h * 0.78:.1f}" text-anchor="{anchor}" font-family="{family}" '
                     f'font-size="{px}px" font-weight="{weight}" fill="{look.ink}">{html.escape(text)}</text>')
    inner = _shifted(body_svg, top, "body_")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'version="1.1" width="{width}" height="{height}" viewBox="0 0 {width} {height}">\n'
            f'<title>{html.escape(title or "lossdesk")}</title>\n'
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="{look.background}"/>\n'
            + "\n".join(texts) + "\n" + inner + "\n</svg>\n")


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
    head = re.match(r"^(?:\s|<!--.*?-->|<!DOCTYPE[^>]*>)*<svg\b[^>]*>", svg, re.S)
    if head:  # its own size goes: the place given here decides it
        tag = re.sub(r'\s(?:width|height)\s*=\s*"[^"]*"', "", head.group(0))
        svg = tag + svg[head.end():]
    svg = re.sub(r"^(?:\s|<!--.*?-->|<!DOCTYPE[^>]*>)*", "", svg, flags=re.S)
    return re.sub(r"^<svg\b", place, svg, count=1)


def _shifted(svg: str, top: int, prefix: str) -> str:
    """A whole SVG document's drawing as a group moved down by ``top`` (its ids made unique).

    A group, not a nested <svg>, so that viewers of SVG Tiny (Qt's own) show it too;
    the document's user units are pixels, as both pyqtgraph and Qt write them.
    """
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if ids:
        pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(map(re.escape, ids)) + r')(?=[")])')
        svg = pattern.sub(lambda m: m.group(1) + prefix + m.group(2), svg)
    head = re.search(r"<svg\b[^>]*>", svg)
    end = svg.rfind("</svg>")
    if head is None or end < head.end():
        raise ExportError("Could not put the view's title above its drawing.")
    return f'<g transform="translate(0,{top})">\n{svg[head.end():end]}\n</g>'


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


def _plot_rect(plot: pg.PlotWidget):
    rect = plot.getPlotItem().sceneBoundingRect()
    if rect.width() < 2 or rect.height() < 2:
        raise ExportError("There is nothing to save yet: this view has not been drawn. "
                          "Show it on screen first.")
    return rect


@contextlib.contextmanager
def _legends_scale_too(plot: pg.PlotWidget):
    """Legends keep their size on screen whatever the zoom (they ignore transformations), so a
    picture drawn at 2× would show them at half size: for one export they scale with the rest."""
    flag = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    legends = [item for item in plot.scene().items()
               if isinstance(item, pg.LegendItem) and item.flags() & flag]
    for legend in legends:
        legend.setFlag(flag, False)
    try:
        yield
    finally:
        for legend in legends:
            legend.setFlag(flag, True)


def _plot_png(plot: pg.PlotWidget, scale: float) -> QImage:
    """The plot drawn by pyqtgraph at ``scale`` times its size on screen."""
    rect = _plot_rect(plot)
    exporter = pg.exporters.ImageExporter(plot.getPlotItem())
    if scale == 1.0:
        return exporter.export(toBytes=True)
    exporter.parameters()["width"] = max(2, round(rect.width() * scale))  # the height follows
    with _legends_scale_too(plot):
        return exporter.export(toBytes=True)


def _plot_svg_text(plot: pg.PlotWidget, title: str) -> str:
    _plot_rect(plot)
    svg = _plot_svg(plot)
    if svg is None:  # pyqtgraph could not; Qt's drawing is a fair second
        svg = _qt_svg(plot, title)
    return svg


def _svg_size(svg: str, fallback: QSize) -> QSize:
    box = re.search(r'viewBox\s*=\s*"0 0 ([\d.]+) ([\d.]+)"', svg)
    return QSize(round(float(box.group(1))), round(float(box.group(2)))) if box else fallback


def export_view(widget: QWidget, path: str | os.PathLike, scale: float = 1.0) -> Path:
    """Save one view as PNG or SVG, chosen by the file name's ending.

    ``widget`` is a pyqtgraph PlotWidget, or a ViewPanel: then its title and whole
    readout are drawn above the view. A plot goes through pyqtgraph's exporters; any
    other widget is saved as it is drawn. ``scale`` (PNG only; 2 for slides) draws the
    picture at that many times its size on screen. Returns the path written.
    """
    path = Path(path)
    suffix = check_suffix(path, IMAGE_SUFFIXES)
    scale = check_scale(scale)
    check_folder(path)
    body = _body(widget)
    title, readout = header_texts(widget)
    if suffix == ".png":
        if isinstance(body, pg.PlotWidget):
            picture, ratio = _plot_png(body, scale), scale
        else:  # drawn by Qt: its pixels per screen pixel (a high-DPI screen has more)
            picture = grab_scaled(body, scale)
            ratio = picture.devicePixelRatio()
        picture = with_header(picture, title, readout, ratio)
        picture.setDevicePixelRatio(1.0)
        data = png_bytes(picture)
    else:
        if isinstance(body, pg.PlotWidget):
            svg = _plot_svg_text(body, panel_name(widget))
            size = _svg_size(svg, _plot_rect(body).size().toSize())
        else:
            svg = _widget_svg(body, panel_name(widget))
            size = body.size()
        data = svg_with_header(svg, size, title, readout).encode("utf-8")
    write_atomically(path, data)
    return path


def export_window(widget: QWidget, path: str | os.PathLike, scale: float = 1.0) -> Path:
    """Save the whole window (any widget) as PNG or SVG, chosen by the file name's ending.

    ``scale`` (PNG only) draws it at that many times its size on screen.
    """
    path = Path(path)
    suffix = check_suffix(path, IMAGE_SUFFIXES)
    scale = check_scale(scale)
    check_folder(path)
    if suffix == ".png":
        image = grab_scaled(widget, scale)
        image.setDevicePixelRatio(1.0)
        data = png_bytes(image)
    else:
        data = _widget_svg(widget, widget.windowTitle() or "lossdesk").encode("utf-8")
    write_atomically(path, data)
    return path
