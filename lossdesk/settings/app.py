"""Everything the window shows, as one value: the command line, a session, a lesson step and
crash recovery each build one, validate it whole, and hand it to the window in one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from lossdesk.lesson_text import load_lesson
from lossdesk.settings import checks
from lossdesk.settings.checks import SettingsError
from lossdesk.settings.classification import ClassificationSettings
from lossdesk.settings.descent_lab import DescentLabSettings
from lossdesk.settings.network import NetworkSettings
from lossdesk.settings.outlier_lab import OutlierLabSettings
from lossdesk.settings.regression import RegressionSettings

TABS = ("regression", "compare", "classification", "descent", "network")
#: how many steps the guided lesson has at most (when its file cannot be read)
MAX_LESSON_STEPS = 100


@lru_cache(maxsize=1)
def lesson_steps() -> int:
    """How many steps the guided lesson has: a lesson step beyond them is refused."""
    try:
        return len(load_lesson().steps)
    except (OSError, ValueError, KeyError, TypeError):  # the lesson file is the app's problem, not the settings'
        return MAX_LESSON_STEPS


@dataclass(frozen=True)
class AppSettings:
    tab: str = "regression"
    regression: RegressionSettings = field(default_factory=RegressionSettings)
    outlier_lab: OutlierLabSettings = field(default_factory=OutlierLabSettings)
    classification: ClassificationSettings = field(default_factory=ClassificationSettings)
    descent_lab: DescentLabSettings = field(default_factory=DescentLabSettings)
    lesson: int | None = None  # the open lesson step (0-based), None: the panel is closed
    network: NetworkSettings = field(default_factory=NetworkSettings)

    def __post_init__(self) -> None:
        checks.name(self.tab, "the tab", TABS)
        for attr, kind in (("regression", RegressionSettings), ("outlier_lab", OutlierLabSettings),
                           ("classification", ClassificationSettings), ("descent_lab", DescentLabSettings),
                           ("network", NetworkSettings)):
            if not isinstance(getattr(self, attr), kind):
                raise SettingsError(f"the {attr.replace('_', ' ')} settings are missing")
        if self.lesson is not None:
            object.__setattr__(self, "lesson", checks.whole(self.lesson, "the lesson step", 0, lesson_steps() - 1))
