"""The race of cross-entropy against squared error on the probability (a ``NetworkRace``).

Both losses train the same network from the same confidently wrong start, by the same plain
gradient descent. Their costs are in different units, so the view draws what means the same
for both: after each step the share of training points classified right (solid) and the
mean probability the network gives each point's true class (dashed), both from 0 to 1. A
dot marks the step each loss first gets ``target`` of the points right. Over the plot (not
on it, where a curve could run under it) a line says what to look for, and its tooltip how
this race went; ``page`` is the caption and the plot together.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lossdesk.model.results.network import NetworkRace
from lossdesk.qt import theme
from lossdesk.qt.views.network_curves import fit_legend

#: what each raced loss is called here, and its colour
NAMES = {"bce": "cross-entropy", "brier": "squared error on p"}
COLOURS = {"bce": theme.BLUE, "brier": theme.VERMILLION}
#: the line that says what the race shows
CAPTION = "Cross-entropy learns in tens of steps; squared error on the probability crawls"
TOOLTIP = ("Both losses train the same network from the same start: a network sure of the wrong class at "
           "almost every point (p(true class) near 5 %), made by training it a little and then turning its "
           "output round. Their costs are in different units, so the plot "
           "shows what means the same for both: solid, the share of training points classified right; "
           "dashed, the mean probability of each point's true class. Plain gradient descent, so each step "
           "is as large as the gradient: squared error's gradient, 2(p − y)·p(1 − p), all but vanishes "
           "where the network is confidently wrong, while cross-entropy's, p − y, is at its largest there.")


#: the plot keeps at least this many pixels of height; below that the caption gives way
PLOT_ROOM = 110


class _CaptionRoom(QObject):
    """Hides the caption when the page is too short for it and a readable plot."""

    def __init__(self, view: NetworkRaceView) -> None:
        super().__init__()
        self.view = view

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.view.fit_caption()
        return False


class NetworkRaceView:
    def __init__(self) -> None:
        self._filter = _CaptionRoom(self)
        self.widget = theme.plot_widget("step", "accuracy, p(true)")
        self.widget.setToolTip(TOOLTIP)
        self.plot = self.widget.getPlotItem()
        self.accuracy: dict[str, pg.PlotCurveItem] = {}
        self.p_true: dict[str, pg.PlotCurveItem] = {}
        self.reached = pg.ScatterPlotItem(size=10)
        self.reached.setZValue(10)
        self.target = pg.InfiniteLine(0.95, angle=0, pen=theme.pen(theme.GREY, 1, Qt.PenStyle.DotLine))
        self.plot.addItem(self.target)
        self.legend = theme.add_legend(self.plot, offset=(-6, -6))
        for name, colour in COLOURS.items():
            self.accuracy[name] = pg.PlotCurveItem(pen=theme.pen(colour, 2.2))
            self.p_true[name] = pg.PlotCurveItem(pen=theme.pen(colour, 1.4, Qt.PenStyle.DashLine))
            for item in (self.accuracy[name], self.p_true[name]):
                self.plot.addItem(item)
            self.legend.addItem(self.accuracy[name], NAMES[name])
        # what solid and dashed mean, in grey (samples only: never drawn in the plot)
        self.legend.addItem(pg.PlotCurveItem(pen=theme.pen(theme.GREY, 2)), "accuracy")
        self.legend.addItem(pg.PlotCurveItem(pen=theme.pen(theme.GREY, 1.4, Qt.PenStyle.DashLine)),
                            "mean p(true class)")
        self.plot.addItem(self.reached)
        fit_legend(self.plot, self.legend)
        self.plot.setYRange(-0.02, 1.05, padding=0)
        vb = self.plot.getViewBox()
        vb.setMouseEnabled(x=False, y=False)
        # The caption's text changes only when a race arrives, never frame by frame.
        self.caption = QLabel(CAPTION + ".")
        self.caption.setWordWrap(True)
        self.caption.setToolTip(TOOLTIP)
        self.caption.setContentsMargins(6, 2, 6, 2)
        self.page = QWidget()
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.widget, 1)
        self.page.installEventFilter(self._filter)
        # the note sits on the view box, so it stays put whatever the range
        self.note = pg.TextItem("", anchor=(0.5, 0.5))
        self.note.setParentItem(vb)
        self.note.setZValue(20)
        vb.sigResized.connect(self._place)
        self.race: NetworkRace | None = None
        self.note_text = ""
        theme.follow(self.restyle)

    def restyle(self, look: theme.Look) -> None:
        self.reached.setPen(pg.mkPen(look.ink, width=1.2))
        font = pg.QtGui.QFont()
        font.setPointSizeF(look.pt(8))
        self.caption.setStyleSheet(f"QLabel {{ color: {look.ink}; background: {look.background}; "
                                   f"font-size: {look.css_pt(8.5)}; }}")
        for item in (self.note,):
            item.setFont(font)
            item.setColor(look.ink)
            fill = pg.mkColor(look.background)
            fill.setAlpha(215)
            item.fill = pg.mkBrush(fill)
            item.update()
        dark_blue = theme.SKY if look.dark else theme.BLUE  # blue on near-black is hard to see
        self.accuracy["bce"].setPen(theme.pen(dark_blue, 2.2))
        self.p_true["bce"].setPen(theme.pen(dark_blue, 1.4, Qt.PenStyle.DashLine))
        self._place()

    def fit_caption(self) -> None:
        """The caption only while the plot below it keeps ``PLOT_ROOM`` pixels (its tooltip keeps it)."""
        page = self.page
        need = self.caption.heightForWidth(max(1, page.width()))
        room = page.height() - need >= PLOT_ROOM
        if self.caption.isHidden() == room:
            self.caption.setVisible(room)
        tip = TOOLTIP if room else f"{CAPTION}.\n\n{TOOLTIP}"
        if self.widget.toolTip() != tip:
            self.widget.setToolTip(tip)

    def _place(self, *_args) -> None:
        rect = self.plot.getViewBox().boundingRect()
        self.note.setPos(rect.width() / 2, rect.height() / 2)

    # ------------------------------------------------------------------ drawing
    def show_race(self, race: NetworkRace | None) -> None:
        """Both runs' curves (nothing before the first race), each one's target step marked."""
        if race is self.race:
            return
        self.race = race
        if race is None:
            for item in (*self.accuracy.values(), *self.p_true.values()):
                item.setData([], [])
            self.reached.setData([], [])
            self.caption.setToolTip(TOOLTIP)
            return
        spots = []
        for name in race.losses:
            steps = race.steps[name].astype(float)
            self.accuracy[name].setData(steps, race.accuracy[name])
            self.p_true[name].setData(steps, race.p_true[name])
            at = race.reached[name]
            if at is not None:
                spots.append({"pos": (float(at), float(race.accuracy[name][at])),
                              "brush": pg.mkBrush(COLOURS[name])})
        self.reached.setData(spots)
        if self.target.value() != race.target:
            self.target.setValue(race.target)
        self.plot.setXRange(-0.02 * race.max_steps, 1.02 * race.max_steps, padding=0)
        self.caption.setToolTip(f"{TOOLTIP}\n\nThis race: {self.outcome(race)}, by {race.optimizer}, on "
                                f"{race.n_train} training points.")

    def show_note(self, text: str) -> None:
        """A note over the plot ("working out the race…"; "" hides it)."""
        if text == self.note_text:
            return
        self.note_text = text
        self.note.setText(text)
        self.note.setVisible(bool(text))

    @staticmethod
    def summary(race: NetworkRace) -> str:
        """The panel's readout, e.g. "BCE: step 14   squared error: 77 % at 300"."""
        short = {"bce": "BCE", "brier": "squared error"}
        parts = []
        for name in race.losses:
            at = race.reached[name]
            parts.append(f"{short[name]}: step {at}" if at is not None
                         else f"{short[name]}: {100 * race.final(name):.0f} % at {race.max_steps}")
        return "   ".join(parts)

    @staticmethod
    def outcome(race: NetworkRace) -> str:
        """E.g. "BCE 95 % right by step 14, squared error 77 % in 300 steps"."""
        short = {"bce": "BCE", "brier": "squared error"}
        parts = []
        for k, name in enumerate(race.losses):
            at = race.reached[name]
            right = " right" if k == 0 else ""
            if at is not None:
                parts.append(f"{short[name]} {100 * race.target:.0f} %{right} by step {at}")
            else:
                parts.append(f"{short[name]} {100 * race.final(name):.0f} %{right} in {race.max_steps} steps")
        return ", ".join(parts)
