"""A lesson step's set-up as settings: the step names a tab and a few choices; the rest stays."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lossdesk.settings.app import AppSettings
from lossdesk.settings.data_source import DataSource
from lossdesk.settings.optimizer import OptimizerChoice


#: a step's penalty keys; a step that names none leaves every tab without a penalty
PENALTY_KEYS = ("penalty", "strength", "l1_ratio")


def _penalty(setup: dict[str, Any]) -> dict[str, Any]:
    """The penalty the step asks for: none unless it names one."""
    return {"penalty": setup.get("penalty", "none"), "strength": float(setup.get("strength", 0.0)),
            "l1_ratio": float(setup.get("l1_ratio", 0.5))}


def settings_for_step(current: AppSettings, setup: dict[str, Any], step: int) -> AppSettings:
    """``current`` changed as lesson step ``step`` (0-based) asks; raises SettingsError if it cannot.

    The tab the step opens gets the step's penalty, none when the step names none (so an
    earlier step's λ never lingers into a lesson about something else).
    """
    tab = setup.get("tab", "regression")
    app = replace(current, tab=tab, lesson=step)
    if tab == "classification":
        c = app.classification
        if "preset" in setup:
            c = c.with_source(DataSource.from_preset(setup["preset"]))
        if "loss" in setup:
            c = c.with_loss(setup["loss"])
        return replace(app, classification=replace(c, theta=None, **_penalty(setup)))  # the usual start
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
    if tab == "regression":
        r = replace(r, **_penalty(setup))
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
    return replace(net, theta=None, **_penalty(setup))  # every step starts from the seed's own weights
