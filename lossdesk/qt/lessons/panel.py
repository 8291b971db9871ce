"""Guided lessons: a side panel that walks through the lesson step by step.

Each step sets the app up (tab, preset, loss, line, optimizer), says what to try and what
to watch for, and shows its formula with the live numbers filled in. The panel is a
dock: everything else stays usable while it is open. Steps live in
``resources/lessons/loss_functions.json``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lossdesk.lesson_text import LessonStep, load_lesson
from lossdesk.qt import theme
from lossdesk.qt.controls.binding import show_text
from lossdesk.qt.lessons.formulas import FORMULAS, SELECTION_FORMULAS
from lossdesk.settings.lesson import settings_for_step


def _heading_style(look: theme.Look) -> str:
    return f"QLabel {{ color: {look.ink}; font-size: {look.css_pt(12)}; font-weight: bold; }}"


def _counter_style(look: theme.Look) -> str:
    return f"QLabel {{ color: {look.muted}; }}"


def _formula_style(look: theme.Look) -> str:
    """The formula box: the formula bar's colours, its text a little larger than the lesson's."""
    return (f"QLabel {{ background: {look.panel}; color: {look.ink}; border: 1px solid {look.panel_border}; "
            f"padding: 6px; font-size: {look.css_pt(10.5)}; }}")


class LessonPanel(QDockWidget):
    #: the narrowest the panel gets (so the window with it fits a 1024-pixel screen)
    MIN_WIDTH = 280
    MAX_WIDTH = 380

    def __init__(self, window):
        super().__init__("Lesson", window)
        self.setObjectName("lessons")
        self.window_ = window
        self.lesson = load_lesson()
        self.step_index = 0
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 6)
        self.counter = theme.styled(QLabel(), _counter_style)
        self.counter.setWordWrap(True)
        self.heading = theme.styled(QLabel(), _heading_style)
        self.heading.setWordWrap(True)
        self.intro = QLabel()
        self.task = QLabel()
        self.watch = QLabel()
        for label in (self.intro, self.task, self.watch):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
        # The formula wraps between its parts (each part of the working on its own line),
        # so the result is always in sight: no sideways scrolling.
        self.formula = theme.styled(QLabel(), _formula_style)
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setWordWrap(True)
        self.formula.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.formula.setToolTip("The formula of this step, worked out with the current numbers")
        for label in (self.counter, self.heading, self.intro, self.task, self.watch, self.formula):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.counter)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.task)
        layout.addWidget(self.watch)
        layout.addWidget(self.formula)
        layout.addStretch(1)
        # The text scrolls up and down inside the panel (never sideways, and it never makes
        # the window taller); Back and Next stay in sight below it.
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(8, 4, 8, 6)
        self.back = QPushButton("◀ Back")
        self.back.setToolTip("The previous step (Page Up)")
        self.back.setShortcut("PgUp")
        self.next = QPushButton("Next ▶")
        self.next.setToolTip("The next step (Page Down)")
        self.next.setShortcut("PgDown")
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        outer = QWidget()
        outer_layout = QVBoxLayout(outer)
        outer_layout.setContentsMargins(0, 0, 0, 0)
        outer_layout.setSpacing(0)
        outer_layout.addWidget(self.scroll, 1)
        outer_layout.addLayout(buttons)
        self.setWidget(outer)
        self.setMinimumWidth(self.MIN_WIDTH)
        self.setMaximumWidth(self.MAX_WIDTH)  # leaves the tabs their room on a 1366-pixel screen
        self.back.clicked.connect(lambda: self.show_step(self.step_index - 1))
        self.next.clicked.connect(lambda: self.show_step(self.step_index + 1))
        for store in (window.reg_store, window.cls_store, window.lab_store, window.net_store):
            store.changed.connect(self._settings_changed)
        for marks in (window.reg_marks, window.net_marks):
            marks.changed.connect(self._marks_changed)
        theme.follow(self._restyle)

    def _restyle(self, _look: theme.Look) -> None:
        """The formula's notes take the theme's colours: write it again."""
        self.refresh()

    @property
    def count(self) -> int:
        return len(self.lesson.steps)

    @property
    def step(self) -> LessonStep:
        return self.lesson.steps[self.step_index]

    def show_step(self, index: int, apply: bool = True) -> None:
        """Open step ``index`` (0-based) and show its text; ``apply``: set the app up as it asks.

        The set-up is one settings value built from the current one, applied in one call
        (its data changes undo as one step).
        """
        index = int(min(max(index, 0), self.count - 1))
        step = self.lesson.steps[index]
        if apply:
            try:
                app = settings_for_step(self.window_.current_settings(), step.setup, index)
            except ValueError as exc:  # SettingsError, or a damaged lesson file
                self.window_.show_status(f"Lesson step {index + 1} cannot be set up: {exc}", "error")
                return
            self.window_.apply_settings(app, undo_text=f"Lesson step {index + 1}")  # shows the step
            return
        if index != self.step_index:
            self.scroll.verticalScrollBar().setValue(0)  # a new step is read from its top
        self.step_index = index
        self.show()
        self.raise_()
        self.counter.setText(f"Step {self.step_index + 1} of {self.count} · {self.lesson.title}")
        self.heading.setText(step.title)
        self.intro.setText(step.intro)
        self.task.setText(f"<b>Try this:</b> {step.task}")
        self.watch.setText(f"<b>Watch for:</b> {step.watch}")
        self.back.setEnabled(self.step_index > 0)
        self.next.setEnabled(self.step_index < self.count - 1)
        self.refresh()

    def refresh(self) -> None:
        if self.isHidden():
            return
        try:
            text = FORMULAS[self.step.formula](self.window_)
        except (KeyError, ValueError, IndexError, TypeError, AttributeError) as exc:
            text = f"(this formula cannot be shown right now: {exc})"
        show_text(self.formula, text)

    def _settings_changed(self, _new, _old) -> None:
        self.refresh()

    def _marks_changed(self) -> None:
        if self.step.formula in SELECTION_FORMULAS:  # only these formulas name the selected point
            self.refresh()

