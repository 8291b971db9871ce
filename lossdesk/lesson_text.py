"""The guided lesson's steps, read from ``resources/lessons`` (no Qt, so the command line
can check ``--lesson`` before any window opens)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lossdesk.assets import resource_path

LESSON_FILE = ("lessons", "loss_functions.json")


@dataclass(frozen=True)
class LessonStep:
    title: str
    setup: dict[str, Any]  # tab, preset, loss, w, b, optimizer, lr
    intro: str
    task: str  # what to try
    watch: str  # what to look for
    formula: str  # which live formula to show


@dataclass(frozen=True)
class Lesson:
    title: str
    steps: list[LessonStep] = field(default_factory=list)


def load_lesson() -> Lesson:
    doc = json.loads(resource_path(*LESSON_FILE).read_text(encoding="utf-8"))
    return Lesson(doc["title"], [LessonStep(**step) for step in doc["steps"]])
