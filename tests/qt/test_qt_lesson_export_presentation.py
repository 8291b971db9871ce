"""Issue 12, the lesson panel and exports: formulas that fit a narrow panel, the dark theme,
larger text, plain words, and views saved for slides with their header and at 2× size."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument, QTextOption
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QGraphicsItem

from lossdesk.lesson_text import load_lesson
from lossdesk.qt import theme
from lossdesk.qt.export import export_view, export_window, menus, pictures
from lossdesk.qt.lessons.formulas import num

STEPS = range(len(load_lesson().steps))


@pytest.fixture
def presenting(window):
    """The window as a projector shows it; the look is put back afterwards (it is shared)."""
    yield window
    window.set_font_scale(1.0, remember=False)
    window.set_dark(False, remember=False)


def settle(qtbot, window) -> None:
    qtbot.wait(30)
    window.lessons.scroll.widget().layout().activate()
    qtbot.wait(10)


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u2060", "").replace("\xa0", " ")


def widest_line(label) -> float:
    """The widest line of the label's rich text laid out at the label's width, breaking only
    where words allow (a group too long for the width sticks out instead of breaking)."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    doc.setDefaultTextOption(option)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    doc.size()  # lays the text out
    widest = 0.0
    lines = 0
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        for k in range(layout.lineCount()):
            widest = max(widest, layout.lineAt(k).naturalTextWidth())
        lines += layout.lineCount()
        block = block.next()
    assert lines >= 3  # it was laid out: the formula has several lines
    return widest


def open_narrow(qtbot, window, scale: float, dark: bool, width: int = 280) -> None:
    window.resize(1024, 640)
    window.set_font_scale(scale, remember=False)
    window.set_dark(dark, remember=False)
    window.lessons.show_step(0)
    window.resizeDocks([window.lessons], [width], Qt.Orientation.Horizontal)
    settle(qtbot, window)


# ====================================================================== defect 2: formulas fit
@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_every_formula_fits_the_narrow_panel_without_sideways_scrolling(qtbot, presenting, scale):
    window = presenting
    open_narrow(qtbot, window, scale, dark=False)
    panel = window.lessons
    assert panel.width() <= 320
    for index in STEPS:
        panel.show_step(index)
        settle(qtbot, window)
        formula = panel.formula
        room = panel.scroll.viewport().width()
        assert not panel.scroll.horizontalScrollBar().isVisible()
        assert formula.geometry().right() <= room
        assert formula.minimumSizeHint().width() <= room, f"step {index + 1}"
        assert widest_line(formula) <= formula.contentsRect().width() + 1, f"step {index + 1}"
        # the whole formula is shown (not cut at the bottom), its result included
        assert formula.height() >= formula.heightForWidth(formula.width()) - 1
        assert re.search(r"<b>[^<]*\d[^<]*</b>", formula.text())


def test_the_result_has_a_line_of_its_own_with_the_models_numbers(qtbot, presenting):
    window = presenting
    panel = window.lessons
    panel.show_step(1)  # mean squared error
    snap = window.explorer.results().snapshot
    lines = [plain(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", panel.formula.text())]
    assert lines[-1].strip() == f"= {plain(num(snap.cost))}"
    assert f"{plain(num(snap.total))} ÷ {snap.n}" in plain(panel.formula.text())
    panel.show_step(4)  # the valley: both updates worked out from the gradient
    s, snap = window.reg_store.value, window.explorer.results().snapshot
    text = plain(panel.formula.text())
    lr = s.optimizer.lr
    assert plain(num(s.w - lr * snap.gradient[0])) in text
    assert plain(num(s.b - lr * snap.gradient[1])) in text


def test_the_point_loss_uses_the_residual_y_minus_y_hat(qtbot, presenting):
    window = presenting
    window.lessons.show_step(0)
    s, snap = window.reg_store.value, window.explorer.results().snapshot
    i = int(np.argmax(snap.losses))
    text = plain(window.lessons.formula.text())
    assert f"point {i}" in text
    assert f"= {plain(num(float(s.data.y[i]) - float(snap.predictions[i])))}" in text
    assert f"= {plain(num(float(snap.losses[i])))}" in text


# ====================================================================== defects 4/6: large text, small screen
def test_at_large_text_the_panel_fits_1024_by_640_and_scrolls_up_and_down(qtbot, presenting):
    window = presenting
    open_narrow(qtbot, window, 1.5, dark=True)
    panel = window.lessons
    assert panel.minimumSizeHint().width() <= 300
    assert panel.minimumSizeHint().height() <= 400
    panel.show_step(6)  # a long step
    settle(qtbot, window)
    assert panel.scroll.widget().height() > panel.scroll.viewport().height()  # it scrolls
    assert panel.scroll.verticalScrollBar().maximum() > 0
    assert panel.height() <= 640
    assert panel.next.isVisible() and panel.next.geometry().bottom() < panel.widget().height()


def test_lesson_text_and_formulas_grow_with_the_text_size(qtbot, presenting):
    window = presenting
    panel = window.lessons
    panel.show_step(1)
    qtbot.wait(20)
    before = {n: getattr(panel, n).font().pointSizeF() for n in ("formula", "heading", "intro", "task")}
    window.set_font_scale(1.5, remember=False)
    qtbot.wait(20)
    after = {n: getattr(panel, n).font().pointSizeF() for n in before}
    for name in before:
        assert after[name] == pytest.approx(1.5 * before[name], rel=0.05), name
    assert panel.formula.font().pointSizeF() == pytest.approx(theme.look().pt(10.5), rel=0.02)


# ====================================================================== defect 3: dark theme
def pixel(widget, x: int, y: int) -> str:
    image = widget.grab().toImage()
    return QColor(image.pixel(x, y)).name()


def test_the_lesson_panel_follows_the_dark_theme(qtbot, presenting):
    window = presenting
    panel = window.lessons
    panel.show_step(4)
    window.set_dark(True, remember=False)
    qtbot.wait(20)
    look = theme.look()
    for widget in (panel.formula, panel.counter, panel.heading):
        assert "#f5f7fb" not in widget.styleSheet() and "#555" not in widget.styleSheet()
    assert look.panel in panel.formula.styleSheet() and look.ink in panel.formula.styleSheet()
    assert look.muted in panel.counter.styleSheet()
    assert look.ink in panel.heading.styleSheet()
    assert pixel(panel.formula, 3, 3) == look.panel  # the box is dark
    # the notes inside the formula are written in the dark theme's muted colour
    assert look.muted in panel.formula.text()
    window.set_dark(False, remember=False)
    qtbot.wait(20)
    assert pixel(panel.formula, 3, 3) == theme.look().panel
    assert theme.look().muted in panel.formula.text()


# ====================================================================== defect 13: plain words
CODE_LIKE = re.compile(r"[{}^\\_]|\w\[\d|\b[a-z]+_[a-z]+\b")


@pytest.mark.parametrize("index", STEPS)
def test_lesson_text_and_formulas_have_no_raw_markup(qtbot, presenting, index):
    window = presenting
    window.lessons.show_step(index)
    panel = window.lessons
    for label in (panel.heading, panel.intro, panel.task, panel.watch, panel.formula):
        shown = plain(label.text())
        assert not CODE_LIKE.search(shown), (label.objectName(), shown)
        assert "ŷ − y" not in shown and "ŷi − yi" not in shown  # the residual is y − ŷ


def test_the_lesson_names_the_residual_convention_once_at_least():
    steps = load_lesson().steps
    text = " ".join(plain(s.intro + s.task + s.watch) for s in steps)
    assert "residual" in text and "r = y − ŷ" in text
    assert "e^" not in text and "e_i" not in text


# ====================================================================== defect 14: exports for slides
def png_size(path) -> tuple[int, int]:
    image = QImage(str(path))
    assert not image.isNull()
    return image.width(), image.height()


def colours_in_rows(path, top: int, bottom: int) -> set[str]:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    return {QColor(image.pixel(x, y)).name() for y in range(top, bottom) for x in range(0, image.width(), 2)}


def test_an_exported_view_keeps_its_title_and_readout_above_the_plot(tmp_path, presenting):
    window = presenting
    panel = window.explorer.data_panel
    bare = export_view(panel.body, tmp_path / "bare.png")
    full = export_view(panel, tmp_path / "full.png")
    (bw, bh), (fw, fh) = png_size(bare), png_size(full)
    assert fw == bw and fh > bh + 10
    header = pictures.header_layout(*pictures.header_texts(panel), fw)
    assert [t for t, _b, _r in header] == ["Data and fit", panel.readout.text()]
    # the strip above the plot holds text: the ink colour and more than the background
    strip = colours_in_rows(full, 0, fh - bh)
    assert len(strip) > 3
    assert QColor(QImage(str(full)).pixel(1, 1)).name() == theme.look().background


def test_2x_export_is_twice_as_wide_and_the_legend_grows_too(tmp_path, presenting):
    window = presenting
    panel = window.explorer.data_panel
    one = export_view(panel, tmp_path / "one.png")
    two = export_view(panel, tmp_path / "two.png", scale=2)
    (w1, h1), (w2, h2) = png_size(one), png_size(two)
    assert w2 == 2 * w1
    assert abs(h2 - 2 * h1) <= 2
    legends = [i for i in panel.body.scene().items() if isinstance(i, pg.LegendItem)]
    assert legends and all(i.flags() & QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
                           for i in legends)  # put back after the export


def test_2x_export_of_a_view_without_a_plot_and_of_the_window(qtbot, tmp_path, presenting):
    window = presenting
    window.set_tab("descent")
    qtbot.wait(50)
    panel = window.descent_lab.valley_panel
    w1, h1 = png_size(export_view(panel, tmp_path / "v1.png"))
    w2, h2 = png_size(export_view(panel, tmp_path / "v2.png", 2))
    assert w2 == 2 * w1 and abs(h2 - 2 * h1) <= 2
    assert h1 > panel.body.height()  # with its title
    ww, wh = png_size(export_window(window, tmp_path / "win.png", 2))
    assert (ww, wh) == (2 * window.width(), 2 * window.height())


def test_dark_exports_use_the_dark_theme(tmp_path, presenting):
    window = presenting
    window.set_dark(True, remember=False)
    path = export_view(window.explorer.loss_panel, tmp_path / "dark.png", 2)
    corner = QColor(QImage(str(path)).pixel(2, 2)).name()
    assert corner == theme.look().background == "#1b1c1f"


def test_svg_export_writes_the_header_as_text(tmp_path, presenting):
    window = presenting
    panel = window.explorer.hist_panel
    path = export_view(panel, tmp_path / "hist.svg")
    root = ET.parse(path).getroot()
    texts = ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]
    title, readout = pictures.header_texts(panel)
    assert title in texts and readout in texts
    renderer = QSvgRenderer(str(path))  # Qt's own SVG viewer shows it whole (no nested <svg>)
    assert renderer.isValid()
    image = QImage(renderer.defaultSize(), QImage.Format.Format_RGB32)
    image.fill(QColor("magenta"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    lower = {QColor(image.pixel(x, image.height() * 2 // 3)).name() for x in range(0, image.width(), 3)}
    assert "#ff00ff" not in lower and len(lower) > 2  # the plot is drawn below the header


def test_a_narrow_header_wraps_and_keeps_readout_parts_whole():
    lines = pictures.header_layout("Loss of each point for the regression", "n = 26   cost = 13.18", 140)
    assert len(lines) >= 3
    shown = [t for t, _b, _r in lines]
    assert any("cost = 13.18" == t or t.endswith("cost = 13.18") for t in shown)
    assert all("13." not in t or "13.18" in t for t in shown)


def test_the_2x_menu_entry_asks_and_saves_twice_the_size(tmp_path, presenting, monkeypatch):
    window = presenting
    asked, messages = [], []

    def dialog(parent, caption, suggested, filters):
        asked.append((suggested, filters))
        return str(tmp_path / suggested), filters.split(";;")[0]

    monkeypatch.setattr(menus, "ask_save_path", dialog)
    panel = window.explorer.curve_panel
    menu = menus.add_export_menu(panel, window)
    menus.export_menu(panel, window, lambda text, level: messages.append(text)).actions()[1].trigger()
    assert asked[0][0] == "loss_curve_2x.png" and "2×" in asked[0][1].split(";;")[0]
    one = export_view(panel, tmp_path / "one.png")
    assert png_size(tmp_path / "loss_curve_2x.png")[0] == 2 * png_size(one)[0]
    assert messages == ["Saved Loss curve at 2× size to loss_curve_2x.png."]
    assert "2×" in menu.actions()[1].text()


def test_the_window_dialog_offers_2x_too(tmp_path, presenting, monkeypatch):
    window = presenting
    monkeypatch.setattr(menus, "ask_save_path",
                        lambda *a: (str(tmp_path / "big"), menus.PNG_2X_FILTER))
    assert menus.export_window_dialog(window)
    assert png_size(tmp_path / "big.png") == (2 * window.width(), 2 * window.height())
