"""A lesson step's set-up as settings: the step names a tab and a few choices; the rest stays."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lossdesk.settings.app import AppSettings
from lossdesk.settings.data_source import DataSource
from lossdesk.settings.optimizer import OptimizerChoice


def settings_for_step(current: AppSettings, setup: dict[str, Any], step: int) -> AppSettings:
    """``current`` changed as lesson step ``step`` (0-based) asks; raises SettingsError if it cannot."""
    tab = setup.get("tab", "regression")
    app = replace(current, tab=tab, lesson=step)
    if tab == "classification":
        c = app.classification
        if "preset" in setup:
            c = c.with_source(DataSource.from_preset(setup["preset"]))
        if "loss" in setup:
            c = c.with_loss(setup["loss"])
        return replace(app, classification=replace(c, theta=None))  # the usual start, not flat zeros
    r = app.regression
    if "preset" in setup:
        r = r.with_source(DataSource.from_preset(setup["preset"]))
    if "loss" in setup:
        r = replace(r, loss=setup["loss"])
    if "optimizer" in setup:
        r = replace(r, optimizer=OptimizerChoice.default(setup["optimizer"]))
    if "lr" in setup:
        r = replace(r, optimizer=r.optimizer.with_value("lr", float(setup["lr"])))
    if "w" in setup or "b" in setup:
        r = replace(r, w=float(setup.get("w", 0.0)), b=float(setup.get("b", 0.0)))
    return replace(app, regression=r)
