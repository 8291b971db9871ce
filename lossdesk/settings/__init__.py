"""Every user choice, one frozen value per tab, validated once, with no Qt.

A settings value is immutable: a change makes a new value (``dataclasses.replace``),
which checks itself whole in ``__post_init__`` and raises ``SettingsError`` (a
ValueError) with a sentence a student can read. A ``SettingsStore`` holds the current
value of one tab and announces each new one; the Qt controls bind to its fields.
"""

from lossdesk.settings.app import TABS, AppSettings
from lossdesk.settings.checks import SettingsError
from lossdesk.settings.classification import ClassificationSettings
from lossdesk.settings.data_source import DataSource
from lossdesk.settings.descent_lab import DescentLabSettings
from lossdesk.settings.network import NetworkSettings
from lossdesk.settings.optimizer import OptimizerChoice
from lossdesk.settings.outlier_lab import OutlierLabSettings
from lossdesk.settings.regression import RegressionSettings
from lossdesk.settings.store import SettingsStore, changed_fields

__all__ = [
    "TABS",
    "AppSettings",
    "ClassificationSettings",
    "DataSource",
    "DescentLabSettings",
    "NetworkSettings",
    "OptimizerChoice",
    "OutlierLabSettings",
    "RegressionSettings",
    "SettingsError",
    "SettingsStore",
    "changed_fields",
]
