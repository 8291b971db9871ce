"""The classification tab's page "BCE or squared error?": why classifiers train on cross-entropy.

Three pictures for the tab's own points and logistic model (a ``LossComparison``):

1. the cross-entropy and the squared-error-on-p cost surfaces side by side, over the main
   surface's two parameters, θ marked on both;
2. each loss's pull |dL/dz| on a point's score against the probability the model gives its
   true class, with the points on both curves;
3. a race from a confidently wrong start (a ``WrongStartRace``, asked for with the button
   and worked out by the tab off the GUI thread), with a line saying what to see.

The page draws what it is given and holds no choice of its own; it only says when the
comparison cannot be drawn, and why.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from lossdesk.model.results.classification import LossComparison, WrongStartRace
from lossdesk.qt import theme
from lossdesk.qt.views.brier_race import BrierRaceView
from lossdesk.qt.views.confidence_gradient import COLOURS, NAMES, ConfidenceGradientView
from lossdesk.qt.views.panel import ViewPanel
from lossdesk.qt.views.surface_pair import SurfacePairView

TITLE = "BCE or squared error?"
INTRO = ("TensorFlow Playground trains its classifiers on squared error. On your points and your "
         "model, here is why cross-entropy is the better choice.")
SURFACES_TIP = ("The cost over the same two parameters as the main cost surface (the others held where "
                "they are), for each loss: mean cross-entropy, and the mean of (p − y)² with p = σ(z). "
                "Where the model is sure and wrong, squared error's surface is flat: descent barely moves.")
GRADIENT_TIP = ("How hard a point pulls on its score z = w·x + b: |dL/dz|, against the probability the "
                "model gives its true class. Cross-entropy: 1 − p, largest for a point the model is sure "
                "and wrong about. Squared error: 2(1 − p)²·p, which fades to 0 there. Dots: your points.")
RACE_TIP = ("Both losses train the same logistic model on the same points from the same start, by plain "
            "gradient descent. The start is a good fit turned round and sharpened, so that most points "
            "get almost no probability for their own class. Costs of two losses are in different units, "
            "so the plot shows the share of points classified right after each step; the dashed line is "
            "the share a good fit gets right, and a dot marks the step each loss first gets there.")
BUTTON_TIP = "Train both losses from the same confidently wrong start and compare how fast they recover"
WAITING = "Racing…"
STALE = "The points changed since the last race: run it again."
EMPTY = "Press the button: both losses start sure of the wrong class."


def colour_key() -> str:
    """Which colour is which loss, once for the page's plots."""
    # each entry kept on one line: no break at a space, nor at the hyphen of "cross-entropy"
    parts = [f"<span style='color:{COLOURS[name]}'>■</span>&nbsp;"
             + NAMES[name].replace(" ", "&nbsp;").replace("-", "\u2011") for name in NAMES]
    return "&nbsp;&nbsp; ".join(parts)  # a plain space between entries: the line may break there


class WrappedText(QLabel):
    """A word-wrapped label that may be as narrow as the side column makes it."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)


class WhyCrossEntropyPage(QWidget):
    """The page: the surfaces, the pull against confidence and the race (see the module)."""

    raceRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = WrappedText(TITLE)
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")  # a style survives a new text size
        self.intro = WrappedText(INTRO)
        self.problem = WrappedText("")
        theme.styled(self.problem, lambda look: f"QLabel {{ color: {look.error}; }}")
        self.problem.setVisible(False)
        self.key = WrappedText(colour_key())
        self.key.setToolTip("The colour of each loss in the two plots below")

        self.surfaces = SurfacePairView()
        self.bce_panel = ViewPanel("Cross-entropy", self.surfaces.plots["bce"].widget, SURFACES_TIP)
        self.brier_panel = ViewPanel("Squared error on p", self.surfaces.plots["brier"].widget, SURFACES_TIP)
        for panel in (self.bce_panel, self.brier_panel):
            panel.readout.setVisible(False)  # no numbers here: the title gets the whole row
        pair = QWidget()
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.bce_panel, 1)
        row.addWidget(self.brier_panel, 1)
        self.pair = pair

        self.gradient_view = ConfidenceGradientView()
        self.gradient_panel = ViewPanel("Pull on the score", self.gradient_view.widget, GRADIENT_TIP)
        self.gradient_panel.readout.setVisible(False)

        self.race_view = BrierRaceView()
        self.race_panel = ViewPanel("Race: share of points right", self.race_view.widget, RACE_TIP)
        self.race_panel.readout.setVisible(False)
        self.race_button = QPushButton("Race from a wrong start")
        self.race_button.setToolTip(BUTTON_TIP)
        self.race_button.clicked.connect(self.raceRequested.emit)
        self.caption = WrappedText(EMPTY)
        self.caption.setToolTip(RACE_TIP)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.heading, self.intro, self.problem, self.pair, self.key, self.gradient_panel,
                       self.race_button, self.race_panel, self.caption):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._comparable: bool | None = None
        self._fit_heights()

    def _fit_heights(self) -> None:
        """Each plot a readable height at every text size, and no more: the side column
        scrolls, and its pages share one height (the tallest), which would stretch them."""
        line = self.fontMetrics().height()
        self.pair.setFixedHeight(int(11 * line))
        for panel in (self.gradient_panel, self.race_panel):
            panel.setFixedHeight(int(10 * line))

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt naming) — larger text: taller plots
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_heights()

    # ---------------------------------------------------------------- showing
    def show_comparison(self, comparison: LossComparison | None) -> None:
        """The surfaces and the pull curves, or why there are none."""
        problem = comparison.problem if comparison is not None else None
        comparable = comparison is not None and problem is None
        if comparable != self._comparable:
            self._comparable = comparable
            for widget in (self.pair, self.key, self.gradient_panel, self.race_button, self.race_panel,
                           self.caption):
                widget.setVisible(comparable)
        if self.problem.text() != (problem or ""):
            self.problem.setText(problem or "")
        if self.problem.isVisible() != bool(problem):
            self.problem.setVisible(bool(problem))
        if comparable:
            self.surfaces.show(comparison)
            self.gradient_view.show(comparison)

    def show_race(self, race: WrongStartRace | None, state: str = "") -> None:
        """The race's curves and caption; ``state`` "waiting" or "stale" says so instead of a caption."""
        self.race_view.show(race if state != "stale" else None)
        text = {"waiting": WAITING, "stale": STALE}.get(state) or (race.caption if race is not None else EMPTY)
        if self.caption.text() != text:
            self.caption.setText(text)
        self.race_button.setEnabled(state != "waiting")
