"""What the command line asks of one start: the settings to show and what to do with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lossdesk.settings.app import AppSettings

DEFAULT_SIZE = (1366, 768)
#: the smallest window every tab is laid out for (a 1024-wide projector)
MIN_SIZE = (1024, 640)
#: the text sizes a start may ask for (1 = the system's size)
FONT_SCALES = (0.75, 2.0)
#: the most descent steps one start may run before showing the window (as the GUI caps runs)
MAX_STEPS = 100_000


@dataclass
class LaunchOptions:
    """A validated start: ``settings`` are shown; ``steps`` descent steps run first."""

    settings: AppSettings = field(default_factory=AppSettings)
    steps: int = 0
    screenshot: Path | None = None
    size: tuple[int, int] | None = None  # None: fit the screen
    session: Path | None = None  # the file the settings came from, if any
    export_gif: Path | None = None
    open_file: Path | None = None  # a file named without an option, opened as the user would
    dark: bool | None = None  # None: the theme the user chose last
    font_scale: float | None = None  # None: the text size the user chose last

    @property
    def tab(self) -> str:
        return self.settings.tab

    @property
    def loss(self) -> str:
        t = self.settings.tab
        return self.settings.classification.loss if t == "classification" else self.settings.regression.loss

    @property
    def lesson(self) -> int | None:
        return self.settings.lesson
