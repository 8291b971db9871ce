"""The command line's network options: --tab network, --hidden, --activation, --seed."""

from __future__ import annotations

import pytest

from lossdesk.cli import main, parse_options
from lossdesk.model import MLP


def network(argv):
    options = parse_options(argv)
    assert options.settings.tab == "network"
    return options.settings.network


def test_the_network_tab_starts_on_xor_with_one_hidden_layer():
    net = network(["--tab", "network"])
    assert net.data.name == "xor" and net.loss == "bce" and net.hidden == (8,)
    mlp = net.predictor()
    assert isinstance(mlp, MLP) and len(net.theta) == mlp.n_params


@pytest.mark.parametrize(("argv", "hidden", "activation", "seed"), [
    (["--hidden", "8,8"], (8, 8), "tanh", 0),
    (["--hidden", "none"], (), "tanh", 0),
    (["--hidden", "4 3", "--activation", "ReLU", "--seed", "7"], (4, 3), "relu", 7),
    (["--tab", "network", "--activation", "sigmoid"], (8,), "sigmoid", 0),
])
def test_network_options_set_up_the_tab(argv, hidden, activation, seed):
    net = network(argv)
    assert (net.hidden, net.activation, net.seed) == (hidden, activation, seed)
    assert net.theta == tuple(net.predictor().initial_params(seed))


def test_another_seed_gives_other_starting_weights():
    assert network(["--seed", "1"]).theta != network(["--seed", "2"]).theta


@pytest.mark.parametrize(("argv", "name", "loss"), [
    (["--tab", "network", "--preset", "wave"], "wave", "mse"),
    (["--tab", "network", "--loss", "huber"], "wave", "huber"),
    (["--tab", "network", "--preset", "spiral3"], "spiral3", "cce"),
    (["--tab", "network", "--preset", "outliers", "--loss", "mae"], "outliers", "mae"),
])
def test_the_data_or_the_loss_say_what_the_network_learns(argv, name, loss):
    net = network(argv)
    assert (net.data.name, net.loss) == (name, loss)


def test_optimizer_and_learning_rate_reach_the_network():
    net = network(["--tab", "network", "--optimizer", "momentum", "--lr", "0.2"])
    assert net.optimizer.name == "momentum" and net.optimizer.values["lr"] == 0.2


@pytest.mark.parametrize(("argv", "needle"), [
    (["--hidden", "0"], "use --hidden none"),
    (["--hidden", "8,0"], "1 to 64 neurons"),
    (["--hidden", "-3"], "1 to 64 neurons"),
    (["--hidden", "65"], "1 to 64 neurons"),
    (["--hidden", "8,x"], "whole numbers"),
    (["--hidden", "2.5"], "whole numbers"),
    (["--hidden", "4,4,4,4,4"], "at most 4 hidden layers"),
    (["--activation", "swish"], "unknown activation"),
    (["--seed", "x"], "whole number"),
    (["--seed", "-1"], "from 0 to"),
    (["--tab", "regression", "--hidden", "4"], "sets up the network tab"),
    (["--tab", "network", "--preset", "spiral3", "--loss", "bce"], "use --loss cce"),
    (["--tab", "network", "--preset", "xor", "--loss", "mse"], "does not fit"),
    (["--tab", "network", "--export-gif", "out.gif", "--steps", "3"], "regression explorer"),
])
def test_bad_network_options_exit_2_with_one_line(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and "\n" not in err and "Traceback" not in err
