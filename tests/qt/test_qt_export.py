"""Saving views, the window and the descent: real files a student can open."""

from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QContextMenuEvent, QImage
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox

from lossdesk.qt.export import (
    ExportError,
    add_export_menu,
    add_export_menus,
    export_descent_gif,
    export_view,
    export_window,
    files,
    menus,
    pictures,
    save_view_to,
)
from lossdesk.qt.views.panel import ViewPanel

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DRAWING_TAGS = {"path", "polyline", "polygon", "rect", "line", "text", "image", "circle", "ellipse"}


# ---------------------------------------------------------------------- checks
def assert_png(path, min_size=(100, 80), min_colours=8) -> QImage:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() >= min_size[0] and image.height() >= min_size[1]
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(rgb.constBits(), np.uint32).reshape(rgb.height(), rgb.bytesPerLine() // 4)
    assert len(np.unique(pixels[:, : rgb.width()])) > min_colours  # a picture, not a blank
    return image


def assert_svg(path, min_elements=10) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag.rsplit("}", 1)[-1] == "svg"
    drawn = [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] in DRAWING_TAGS]
    assert len(drawn) >= min_elements
    return root


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def set_lr(explorer, lr: float) -> None:
    explorer.store.update(optimizer=explorer.store.value.optimizer.with_value("lr", lr))


# ---------------------------------------------------------------------- one view
@pytest.mark.parametrize("as_panel", [True, False], ids=["panel", "plot widget"])
def test_a_view_saves_as_png(tmp_path, explorer, as_panel):
    target = explorer.data_panel if as_panel else explorer.data_view.widget
    written = export_view(target, tmp_path / "data.png")
    assert written == tmp_path / "data.png"
    image = assert_png(written, min_colours=20)
    body = explorer.data_view.widget
    assert abs(image.width() - body.width()) <= 20
    if as_panel:  # the panel's title and readout are drawn above the plot
        assert body.height() + 10 < image.height() <= body.height() + 80
    else:
        assert abs(image.height() - body.height()) <= 20
    assert leftovers(tmp_path) == ["data.png"]


@pytest.mark.parametrize("as_panel", [True, False], ids=["panel", "plot widget"])
def test_a_view_saves_as_svg_with_real_drawing(tmp_path, explorer, as_panel):
    target = explorer.surface_panel if as_panel else explorer.surface_view.widget
    written = export_view(target, tmp_path / "surface.SVG")  # the ending's case does not matter
    root = assert_svg(written)
    # pyqtgraph's exporter wrote it (the fallback would not say so): lines and text stay vectors
    assert "pyqtgraph" in written.read_text()
    assert any(el.tag.endswith("text") for el in root.iter())


def test_every_regression_view_saves_in_both_formats(tmp_path, explorer):
    for i, panel in enumerate((explorer.data_panel, explorer.surface_panel, explorer.hist_panel,
                               explorer.loss_panel, explorer.curve_panel)):
        assert_png(export_view(panel, tmp_path / f"{i}.png"))
        assert_svg(export_view(panel, tmp_path / f"{i}.svg"))


def test_svg_falls_back_to_qt_when_pyqtgraph_fails(tmp_path, explorer, monkeypatch):
    def broken(self, *args, **kwargs):
        raise ValueError("not enough values to unpack")

    monkeypatch.setattr(pg.exporters.SVGExporter, "export", broken)
    written = export_view(explorer.data_panel, tmp_path / "data.svg")
    assert_svg(written)
    assert "pyqtgraph" not in written.read_text()


def test_closed_paths_become_lines_back_to_the_start():
    d = "M0,0 L5,0 L5,5 Z M1,1 L2,2 Z "
    assert pictures._close_paths_explicitly(d) == "M0,0 L5,0 L5,5 L0,0 M1,1 L2,2 L1,1"
    assert pictures._close_paths_explicitly("M0,0 L1,1 ") == "M0,0 L1,1"
    # the exporter's own step is back in place after an export
    module = sys.modules["pyqtgraph.exporters.SVGExporter"]
    assert module.correctCoordinates.__name__ == "correctCoordinates"


def test_a_view_without_a_plot_saves_too(qtbot, tmp_path, window):
    window.set_tab("descent")
    qtbot.wait(50)
    panel = window.descent_lab.valley_panel  # a message (offscreen) or the 3-D view: no PlotWidget
    assert not isinstance(panel.body, pg.PlotWidget)
    assert_png(export_view(panel, tmp_path / "valley.png"), min_size=(60, 60), min_colours=2)
    assert_svg(export_view(panel, tmp_path / "valley.svg"), min_elements=1)


def test_an_opengl_view_goes_into_the_svg_as_a_picture(qtbot, tmp_path, window, monkeypatch):
    window.set_tab("descent")
    qtbot.wait(50)
    panel = window.descent_lab.valley_panel
    if not panel.body.available:  # no OpenGL here (offscreen): its message stands in for the 3-D view
        monkeypatch.setattr(pictures, "_opengl_widget_class", lambda: QLabel)
    root = assert_svg(export_view(panel, tmp_path / "valley.svg"), min_elements=1)
    embedded = [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "image"]
    href = "{http://www.w3.org/1999/xlink}href"
    assert any(el.get(href, "").startswith("data:image/png;base64,") for el in embedded)


# ---------------------------------------------------------------------- the window
def svg_ids_and_references(root):
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    refs = set()
    for el in root.iter():
        for value in el.attrib.values():
            refs.update(re.findall(r"url\(#([^)]+)\)", value))
    return ids, refs


def test_the_whole_window_saves_as_png_and_svg(tmp_path, window, explorer):
    image = assert_png(export_window(window, tmp_path / "window.png"), min_colours=50)
    assert image.width() >= window.width() and image.height() >= window.height()
    root = assert_svg(export_window(window, tmp_path / "window.svg"), min_elements=100)
    assert root.get("viewBox", "").split()[-2:] == [str(window.width()), str(window.height())]
    # each plot on screen is pyqtgraph's drawing, nested where the plot sits
    nested = [el for el in root if el.tag.rsplit("}", 1)[-1] == "svg"]
    on_screen = [w for w in window.findChildren(pg.PlotWidget) if w.isVisible()]
    assert len(nested) == len(on_screen) >= 5
    data_plot = explorer.data_view.widget
    corner = data_plot.viewport().mapTo(window, data_plot.mapFromScene(
        data_plot.getPlotItem().sceneBoundingRect().topLeft()))
    assert any((int(el.get("x")), int(el.get("y"))) == (corner.x(), corner.y()) for el in nested)
    # the plots' clip paths stay their own
    ids, refs = svg_ids_and_references(root)
    assert len(ids) == len(set(ids))
    assert refs and refs <= set(ids)


def test_the_window_svg_still_saves_when_pyqtgraph_cannot(tmp_path, window, monkeypatch):
    def broken(self, *args, **kwargs):
        raise ValueError("not enough values to unpack")

    monkeypatch.setattr(pg.exporters.SVGExporter, "export", broken)
    root = assert_svg(export_window(window, tmp_path / "window.svg"), min_elements=100)
    assert not [el for el in root if el.tag.rsplit("}", 1)[-1] == "svg"]  # Qt drew the plots itself


# ---------------------------------------------------------------------- failures
def test_an_unknown_ending_is_refused_and_writes_nothing(tmp_path, window, explorer):
    for call, name in ((lambda p: export_view(explorer.data_panel, p), "view.jpg"),
                       (lambda p: export_view(explorer.data_panel, p), "view"),
                       (lambda p: export_window(window, p), "window.pdf"),
                       (lambda p: export_descent_gif(explorer, p, 5), "descent.png")):
        with pytest.raises(ExportError) as info:
            call(tmp_path / name)
        assert ".png" in str(info.value) or ".gif" in str(info.value)
    assert leftovers(tmp_path) == []
    assert explorer.run is None  # the refused GIF took no step


def test_the_allowed_endings_are_named(tmp_path, explorer):
    with pytest.raises(ExportError, match=r"\.png or \.svg"):
        export_view(explorer.data_panel, tmp_path / "view.bmp")


def test_a_missing_folder_is_explained(tmp_path, window, explorer):
    missing = tmp_path / "no such folder"
    with pytest.raises(ExportError, match="does not exist"):
        export_view(explorer.data_panel, missing / "view.png")
    with pytest.raises(ExportError, match="does not exist"):
        export_window(window, missing / "window.svg")
    assert not missing.exists()


def test_a_folder_in_the_way_is_explained(tmp_path, explorer):
    (tmp_path / "taken.png").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_view(explorer.data_panel, tmp_path / "taken.png")
    assert leftovers(tmp_path) == ["taken.png"]


def test_no_permission_leaves_no_file(tmp_path, explorer, monkeypatch):
    real_open = os.open

    def refused(path, *args, **kwargs):
        if str(path).endswith(".part"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", refused)
    with pytest.raises(ExportError, match="not allowed to write"):
        export_view(explorer.data_panel, tmp_path / "view.png")
    assert leftovers(tmp_path) == []


def test_a_failure_at_the_last_moment_leaves_no_half_file(tmp_path, explorer, monkeypatch):
    (tmp_path / "view.png").write_bytes(b"the old picture")

    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", no_space)
    with pytest.raises(ExportError, match="disk is full"):
        export_view(explorer.data_panel, tmp_path / "view.png")
    assert leftovers(tmp_path) == ["view.png"]
    assert (tmp_path / "view.png").read_bytes() == b"the old picture"  # untouched


# ---------------------------------------------------------------------- the descent as a GIF
def test_the_descent_records_as_an_animated_gif(tmp_path, explorer):
    image_module = pytest.importorskip("PIL.Image")
    explorer.descent.reset()
    count = export_descent_gif(explorer, tmp_path / "descent.gif", 40, frames=4)
    assert count == 5  # the start, then 10 steps a picture
    assert explorer.run.steps == 40
    with image_module.open(tmp_path / "descent.gif") as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == count > 1
        assert gif.info.get("loop") == 0
        width, height = gif.size
        panels = explorer.data_panel.width() + explorer.surface_panel.width()
        assert abs(width - panels) <= 2 and height > explorer.data_panel.height()
        first = np.asarray(gif.convert("RGB"))
        gif.seek(gif.n_frames - 1)
        last = np.asarray(gif.convert("RGB"))
    assert (first != last).any()  # the line moved
    assert leftovers(tmp_path) == ["descent.gif"]


def test_the_gif_spreads_many_steps_over_at_most_sixty_frames(tmp_path, explorer):
    pytest.importorskip("PIL")
    set_lr(explorer, 0.001)  # slow enough that 300 steps never converge
    explorer.descent.reset()
    assert export_descent_gif(explorer, tmp_path / "slow.gif", 300, size=(400, 200)) == 61
    assert explorer.run.steps == 300
    from PIL import Image  # noqa: PLC0415

    with Image.open(tmp_path / "slow.gif") as gif:
        assert gif.width <= 400 and gif.height <= 200


def test_recording_stops_when_the_run_diverges_but_keeps_two_frames(tmp_path, explorer):
    pytest.importorskip("PIL")
    set_lr(explorer, 50.0)
    explorer.descent.reset()
    count = export_descent_gif(explorer, tmp_path / "boom.gif", 5000, frames=50)
    assert count == 2
    assert explorer.run.status == "diverged"
    from PIL import Image  # noqa: PLC0415

    with Image.open(tmp_path / "boom.gif") as gif:
        assert gif.n_frames == 2
    # a run that has already diverged has nothing left to show
    with pytest.raises(ExportError, match="already diverged"):
        export_descent_gif(explorer, tmp_path / "again.gif", 10)
    assert leftovers(tmp_path) == ["boom.gif"]


def test_recording_works_from_another_tab(qtbot, tmp_path, window, explorer):
    image_module = pytest.importorskip("PIL.Image")
    window.set_tab("compare")
    qtbot.wait(20)
    before = getattr(explorer, "active", None)
    explorer.descent.reset()
    assert export_descent_gif(explorer, tmp_path / "away.gif", 30, frames=3) == 4
    assert getattr(explorer, "active", None) == before  # the tab goes back to how it was
    with image_module.open(tmp_path / "away.gif") as gif:
        assert gif.n_frames == 4  # every picture differs: the views kept up


def test_recording_pauses_a_playing_descent(tmp_path, explorer):
    pytest.importorskip("PIL")
    explorer.descent.set_playing(True)
    export_descent_gif(explorer, tmp_path / "paused.gif", 3)
    assert not explorer.descent.playing


def test_without_pillow_the_gif_names_the_export_extra(tmp_path, explorer, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)  # import PIL now fails, as if not installed
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    with pytest.raises(ExportError) as info:
        export_descent_gif(explorer, tmp_path / "descent.gif", 10)
    assert "lossdesk[export]" in str(info.value)
    assert "Pillow" in str(info.value)
    assert explorer.run is None  # nothing was stepped
    assert leftovers(tmp_path) == []


def test_a_gif_needs_at_least_one_step(tmp_path, explorer):
    pytest.importorskip("PIL")
    with pytest.raises(ExportError, match="at least one"):
        export_descent_gif(explorer, tmp_path / "descent.gif", 0)


# ---------------------------------------------------------------------- the right-click menu
def test_the_panel_menu_offers_png_and_svg_and_a_hint(window, explorer):
    panel = explorer.loss_panel
    tip_before = panel.title.toolTip()
    menu = add_export_menu(panel, window)
    assert [a.text() for a in menu.actions()] == ["Save this view as PNG…",
                                                  "Save this view as PNG at 2× size (for slides)…",
                                                  "Save this view as SVG…"]
    assert "Right-click to save this view" in panel.title.toolTip()
    assert panel.title.toolTip().startswith(tip_before)


def test_the_menus_action_writes_the_file(tmp_path, window, explorer):
    messages = []
    add_export_menu(explorer.data_panel, window, lambda text, level: messages.append((text, level)))
    assert save_view_to(explorer.data_panel, tmp_path / "from menu.png", window,
                        lambda text, level: messages.append((text, level)))
    assert_png(tmp_path / "from menu.png")
    assert messages == [("Saved Data and fit to from menu.png.", "info")]


def test_choosing_a_menu_entry_asks_for_a_name_and_saves(tmp_path, window, explorer, monkeypatch):
    asked = []

    def dialog(parent, caption, suggested, filters):
        asked.append((caption, suggested, filters))
        return str(tmp_path / "surface"), filters.split(";;")[0]  # typed without an ending

    monkeypatch.setattr(menus, "ask_save_path", dialog)
    menu = add_export_menu(explorer.surface_panel, window)
    menu.actions()[2].trigger()  # SVG
    assert asked[0][1] == "loss_surface_cost_over_w_b.svg"
    assert_svg(tmp_path / "surface.svg")
    menu.actions()[0].trigger()  # PNG
    assert_png(tmp_path / "surface.png")


def test_a_failed_save_from_the_menu_is_reported_not_raised(qtbot, tmp_path, window, explorer):
    messages = []
    ok = save_view_to(explorer.data_panel, tmp_path / "gone" / "view.png", window,
                      lambda text, level: messages.append((text, level)))
    assert not ok
    assert messages and messages[0][1] == "error" and "does not exist" in messages[0][0]
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "does not exist" in boxes[-1].text()
    for box in boxes:
        box.close()


def test_right_clicking_the_title_opens_the_menu_but_the_plot_keeps_its_own(qtbot, window, explorer):
    panel = explorer.data_panel
    menu = add_export_menu(panel, window)
    heard = []
    panel.headerMenuRequested.connect(heard.append)

    def right_click(widget):
        pos = QPoint(widget.width() // 2, widget.height() // 2)
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
        QApplication.sendEvent(widget, event)

    right_click(explorer.data_view.widget.viewport())
    assert heard == []
    assert not menu.isVisible()
    right_click(panel.title)
    assert len(heard) == 1
    qtbot.waitUntil(menu.isVisible)
    menu.close()
    right_click(panel.readout)
    assert len(heard) == 2
    menu.close()


def test_an_unconnected_panel_passes_right_clicks_on(qtbot):
    panel = ViewPanel("Plain", QLabel("body"))
    qtbot.addWidget(panel)
    panel.show()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), panel.mapToGlobal(QPoint(5, 5)))
    event.accept()
    panel.contextMenuEvent(event)
    assert not event.isAccepted()


def test_every_panel_gets_a_menu_once(window, explorer):
    window.all_tabs  # build every tab (they are built when first shown)
    first = add_export_menu(explorer.data_panel, window)
    count = add_export_menus(window, window)
    assert count == len(window.findChildren(ViewPanel)) >= 10
    assert add_export_menu(explorer.data_panel, window) is first
    assert explorer.data_panel.title.toolTip().count("Right-click to save this view") == 1


def test_file_menu_helpers_save_the_window_and_the_descent(tmp_path, window, explorer, monkeypatch):
    pytest.importorskip("PIL")
    names = iter([str(tmp_path / "window.svg"), str(tmp_path / "run")])
    monkeypatch.setattr(menus, "ask_save_path", lambda *a: (next(names), "PNG image (*.png)"))
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (12, True))
    messages = []
    assert menus.export_window_dialog(window, lambda text, level: messages.append(text))
    assert_svg(tmp_path / "window.svg", min_elements=100)
    explorer.descent.reset()
    assert menus.export_descent_gif_dialog(explorer, window, lambda text, level: messages.append(text))
    assert (tmp_path / "run.gif").read_bytes()[:6] == b"GIF89a"
    assert explorer.run.steps == 12
    assert messages == ["Saved the window to window.svg.", "Saved the descent (13 pictures) to run.gif."]


def test_export_view_dialog_picks_among_the_panels(tmp_path, window, explorer, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Loss curve", True))
    monkeypatch.setattr(menus, "ask_save_path", lambda *a: (str(tmp_path / "curve.png"), "PNG image (*.png)"))
    panels = menus.visible_panels(window)
    assert explorer.curve_panel in panels and explorer.data_panel in panels
    assert menus.export_view_dialog(window, panels)
    assert_png(tmp_path / "curve.png")
