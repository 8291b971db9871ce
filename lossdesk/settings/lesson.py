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
    if tab == "network":
        return replace(app, network=_network_step(app.network, setup))
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


def _network_step(net: Any, setup: dict[str, Any]) -> Any:
    """The network tab as a step sets it up: data, loss, shape, seed, optimizer, view; fresh weights."""
    if "preset" in setup:
        net = net.with_source(DataSource.from_preset(setup["preset"]))
    if "loss" in setup:
        net = net.with_loss(setup["loss"])
    if "hidden" in setup:
        net = net.with_hidden(tuple(setup["hidden"]))
    if "activation" in setup:
        net = net.with_activation(setup["activation"])
    if "seed" in setup:
        net = net.with_seed(int(setup["seed"]))
    if "optimizer" in setup:
        net = replace(net, optimizer=OptimizerChoice.default(setup["optimizer"]))
    if "lr" in setup:
        net = net.with_lr(float(setup["lr"]))
    for key in ("view", "directions", "test_fraction"):
        if key in setup:
            net = replace(net, **{key: setup[key]})
    return replace(net, theta=None)  # every step starts from the seed's own weights
