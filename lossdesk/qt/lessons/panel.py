"""Guided lessons: a side panel that walks through the lesson step by step.

Each step sets the app up (tab, preset, loss, line, optimizer), says what to try and what
to watch for, and shows its formula with the live numbers filled in. The panel is a
dock: everything else stays usable while it is open. Steps live in
``resources/lessons/loss_functions.json``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from lossdesk.lesson_text import LessonStep, load_lesson
from lossdesk.qt.controls.binding import show_text
from lossdesk.qt.lessons.formulas import FORMULAS, SELECTION_FORMULAS
from lossdesk.settings.lesson import settings_for_step

class LessonPanel(QDockWidget):
    def __init__(self, window):
        super().__init__("Lesson", window)
        self.setObjectName("lessons")
        self.window_ = window
        self.lesson = load_lesson()
        self.step_index = 0
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 6)
        self.counter = QLabel()
        self.counter.setStyleSheet("color: #555;")
        self.counter.setWordWrap(True)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.intro = QLabel()
        self.task = QLabel()
        self.watch = QLabel()
        for label in (self.intro, self.task, self.watch):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
        self.formula = QLabel()
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setStyleSheet("QLabel { background: #f5f7fb; border: 1px solid #d0d7e2; padding: 6px; }")
        self.formula.setToolTip("The formula of this step, with the current numbers")
        layout.addWidget(self.counter)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.task)
        layout.addWidget(self.watch)
        # A wide formula scrolls sideways on its own instead of widening the whole panel.
        formula_scroll = QScrollArea()
        formula_scroll.setWidget(self.formula)
        formula_scroll.setWidgetResizable(True)
        formula_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        formula_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        formula_scroll.setMinimumHeight(120)
        layout.addWidget(formula_scroll)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.back = QPushButton("◀ Back")
        self.back.setToolTip("The previous step (Page Up)")
        self.back.setShortcut("PgUp")
        self.next = QPushButton("Next ▶")
        self.next.setToolTip("The next step (Page Down)")
        self.next.setShortcut("PgDown")
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        layout.addLayout(buttons)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(scroll)
        self.setMinimumWidth(280)
        self.setMaximumWidth(380)  # leaves the tabs their room on a 1366-pixel screen; wide formulas scroll
        self.back.clicked.connect(lambda: self.show_step(self.step_index - 1))
        self.next.clicked.connect(lambda: self.show_step(self.step_index + 1))
        for store in (window.reg_store, window.cls_store, window.lab_store):
            store.changed.connect(self._settings_changed)
        window.reg_marks.changed.connect(self._marks_changed)

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

