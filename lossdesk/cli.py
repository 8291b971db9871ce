"""Command line: parse and check every option before any window opens.

Bad input exits with status 2 and one line on stderr. The listing options answer
without loading Qt.
"""

from __future__ import annotations

import os

#: the thread pools of numpy's BLAS (OpenBLAS, MKL) and of OpenMP. The app's solves are
#: small (2×2 normal equations, a few hundred points): extra BLAS threads only spin and,
#: on a busy 2-core machine, stall them (16 ms instead of 0.8 ms for ``best_line``).
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads(environ=os.environ) -> None:
    """One BLAS thread, unless the user chose a number; it counts only before numpy loads."""
    for name in BLAS_THREAD_VARIABLES:
        environ.setdefault(name, "1")


# Here, above every import that loads numpy (lossdesk.model, lossdesk.settings): the
# entry points (``python -m lossdesk`` and the ``lossdesk`` script) both import this module first.
limit_blas_threads()

import argparse  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NoReturn, Sequence  # noqa: E402

from lossdesk import __version__  # noqa: E402
from lossdesk.model import LOSSES, OPTIMIZERS, PRESETS, DatasetError, make_preset, read_csv  # noqa: E402
from lossdesk.model.dataset import DEFAULT_PRESET  # noqa: E402
from lossdesk.settings import AppSettings, DataSource, OptimizerChoice, SettingsError  # noqa: E402
from lossdesk.settings.app import TABS as APP_TABS  # noqa: E402
from lossdesk.settings.checks import MAX_STRENGTH, PENALTIES  # noqa: E402
from lossdesk.settings.launch import FONT_SCALES, MAX_STEPS, LaunchOptions  # noqa: E402
from lossdesk.settings.lesson import settings_for_step  # noqa: E402
from lossdesk.settings.network import ACTIVATIONS, MAX_SEED, NetworkSettings, parse_hidden  # noqa: E402

TABS = APP_TABS
FUTURE_TABS: tuple[str, ...] = ()
REGRESSION_TABS = ("regression", "compare", "descent")
#: the network tab's data set when none is named: per kind of points
NETWORK_PRESETS = {"classification": "xor", "regression": "wave"}


class UsageError(Exception):
    """A command-line problem, reported as one line and exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="lossdesk",
        description="See what a loss function does: every point's error, the cost, "
        "the loss surface and gradient descent rolling down it.",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--dataset", metavar="FILE.csv", help="open a CSV data set (header x,y)")
    src.add_argument("--preset", metavar="NAME", help=f"start on a built-in data set (default {DEFAULT_PRESET})")
    p.add_argument("--loss", metavar="NAME", default=None, help="the loss to select (default mse)")
    p.add_argument("--param", metavar="NAME=VALUE", action="append", default=[],
                   help="a loss parameter such as delta=1.5 (Huber) or tau=0.9 (quantile); repeatable")
    p.add_argument("--optimizer", metavar="NAME", action="append", default=[],
                   help=f"the optimizer ({', '.join(OPTIMIZERS)}); in the descent lab, repeat it or "
                   "separate names with commas to race several")
    p.add_argument("--lr", metavar="X", type=str, help="learning rate, a number > 0")
    p.add_argument("--steps", metavar="K", type=str, default="0",
                   help="descent steps to run before showing (or capturing) the window")
    p.add_argument("--tab", metavar="NAME", default=None,
                   help="the tab to show: " + ", ".join(TABS) + " (default: regression, or classification "
                   "for labelled data and classification losses)")
    p.add_argument("--hidden", metavar="W1,W2", default=None,
                   help="the network tab's hidden layers, e.g. 8,8 (up to 4 layers of 1 to 64; "
                   "'none' for no hidden layer); implies --tab network")
    p.add_argument("--activation", metavar="NAME", default=None,
                   help="the network's activation: tanh, relu, sigmoid or identity; implies --tab network")
    p.add_argument("--seed", metavar="N", default=None,
                   help="the network's seed (starting weights, held-out points, batches); implies --tab network")
    p.add_argument("--penalty", metavar="NAME", default=None,
                   help="add a penalty on the weights to the cost: none, l1, l2 or elastic")
    p.add_argument("--strength", metavar="X", default=None,
                   help="the penalty's strength λ, a number ≥ 0 (default 0.1 when --penalty is given)")
    p.add_argument("--l1-ratio", metavar="R", default=None,
                   help="the elastic net's share of L1, between 0 and 1 (default 0.5)")
    p.add_argument("--screenshot", metavar="OUT.png",
                   help="render the window to a PNG and exit (works without a display)")
    p.add_argument("--size", metavar="WxH", help="window size, e.g. 1366x768 (default: fit the screen)")
    p.add_argument("--theme", choices=("light", "dark"), default=None,
                   help="light or dark colours (default: the theme chosen last)")
    p.add_argument("--font-scale", metavar="X", default=None,
                   help=f"text size, {FONT_SCALES[0]:g} to {FONT_SCALES[1]:g} times the normal size")
    p.add_argument("--lesson", metavar="N", help="open the guided lesson at step N (1 = the first)")
    p.add_argument("--session", metavar="FILE.lossdesk", help="open a saved session")
    p.add_argument("file", nargs="?", metavar="FILE",
                   help="a session (.lossdesk) or a data set (.csv) to open, as a file manager's "
                   "double-click does: the same as --session FILE or --dataset FILE")
    p.add_argument("--export-gif", metavar="OUT.gif",
                   help="record --steps K of gradient descent as an animated GIF and exit, without a window")
    p.add_argument("--list-presets", action="store_true", help="list the built-in data sets and exit")
    p.add_argument("--list-losses", action="store_true", help="list the losses and exit")
    p.add_argument("--version", action="version", version=f"lossdesk {__version__}")
    return p


def parse_options(argv: Sequence[str]) -> LaunchOptions | str:
    """Validated options, or the text to print for a listing option."""
    args = build_parser().parse_args(list(argv))
    _take_file(args)
    if args.list_losses:
        return "\n".join(
            f"{name:<11} {loss.title} [{loss.task}]  {loss.formula}" for name, loss in LOSSES.items()
        )
    if args.list_presets:
        return "\n".join(f"{name:<14} {p.task:<15} {p.description}" for name, p in PRESETS.items())

    loss_name = args.loss.lower() if args.loss else None
    if loss_name is not None and loss_name not in LOSSES:
        raise UsageError(f"unknown loss {args.loss!r}; choose one of {', '.join(LOSSES)}")
    if args.preset is not None and args.preset not in PRESETS:
        raise UsageError(f"unknown preset {args.preset!r}; choose one of {', '.join(PRESETS)}")
    try:
        dataset = read_csv(args.dataset) if args.dataset else None
    except DatasetError as exc:
        raise UsageError(str(exc)) from None

    tab = args.tab
    if tab is not None and tab not in TABS:
        if tab in FUTURE_TABS:
            raise UsageError(f"the {tab} tab is not in this version yet; choose one of {', '.join(TABS)}")
        raise UsageError(f"unknown tab {tab!r}; choose one of {', '.join(TABS)}")
    network_options = [name for name, value in (("--hidden", args.hidden), ("--activation", args.activation),
                                                ("--seed", args.seed)) if value is not None]
    if network_options and tab not in (None, "network"):
        raise UsageError(f"{network_options[0]} sets up the network tab; leave out --tab {tab} or use --tab network")
    if network_options:
        tab = "network"
    if tab is None:
        classifying = (
            (dataset is not None and dataset.task == "classification")
            or (args.preset is not None and PRESETS[args.preset].task == "classification")
            or (loss_name is not None and LOSSES[loss_name].task != "regression")
        )
        tab = "classification" if classifying else "regression"
    wants = "regression" if tab in REGRESSION_TABS else "classification"
    if tab == "network":  # either kind of points: the data (or the loss) say which
        if dataset is not None or args.preset is not None:
            wants = dataset.task if dataset is not None else PRESETS[args.preset].task
        else:
            wants = "regression" if loss_name is not None and LOSSES[loss_name].task == "regression" \
                else "classification"

    if loss_name is None:
        many_classes = (
            (dataset is not None and dataset.task == "classification" and dataset.n_classes > 2)  # type: ignore[attr-defined]
            or (args.preset is not None and make_preset(args.preset).task == "classification"
                and make_preset(args.preset).n_classes > 2)  # type: ignore[attr-defined]
        )
        loss_name = "mse" if wants == "regression" else ("cce" if many_classes else "bce")
    loss = LOSSES[loss_name]
    if (loss.task == "regression") != (wants == "regression"):
        allowed = [n for n, spec in LOSSES.items() if (spec.task == "regression") == (wants == "regression")]
        raise UsageError(f"{loss.title} does not fit the {tab} tab; it takes {', '.join(allowed)}")

    preset = None
    if dataset is None:
        if tab == "network":
            default = NETWORK_PRESETS[wants]
        else:
            default = DEFAULT_PRESET if wants == "regression" else (
                "three_classes" if loss.task == "multiclass" else "binary_1d")
        preset = args.preset or default
        dataset = make_preset(preset)
    if dataset.task != wants:
        raise UsageError(f"{dataset.name} is a {dataset.task} data set; the {tab} tab needs "
                         + ("x,y points" if wants == "regression" else "labelled points (x,label or x1,x2,label)"))
    if loss.task == "binary" and dataset.n_classes > 2:  # type: ignore[attr-defined]
        raise UsageError(f"{loss.title} needs labels 0 and 1, but {dataset.name} has "
                         f"{dataset.n_classes} classes; use --loss cce")  # type: ignore[attr-defined]
    raw_params: dict[str, str] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param takes NAME=VALUE, not {item!r}")
        raw_params[name.strip()] = value.strip()
    try:
        params = loss.resolve_params(raw_params) if raw_params else {}
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    names = [n.strip().lower() for item in args.optimizer for n in item.split(",") if n.strip()]
    for n in names:
        if n not in OPTIMIZERS:
            raise UsageError(f"unknown optimizer {n!r}; choose one of {', '.join(OPTIMIZERS)}")
    optimizer = names[0] if names else "gd"

    lr = _number(args.lr, "--lr")
    if lr is not None and not (math.isfinite(lr) and lr > 0):
        raise UsageError(f"--lr must be a number greater than 0, not {args.lr}")
    try:
        steps = int(args.steps)
    except ValueError:
        raise UsageError(f"--steps must be a whole number, not {args.steps!r}") from None
    if not 0 <= steps <= MAX_STEPS:
        raise UsageError(f"--steps must be between 0 and {MAX_STEPS}")

    size = None
    if args.size:
        w, sep, h = args.size.lower().partition("x")
        try:
            size = (int(w), int(h))
        except ValueError:
            raise UsageError(f"--size takes WIDTHxHEIGHT such as 1366x768, not {args.size!r}") from None
        if not (320 <= size[0] <= 8192 and 240 <= size[1] <= 8192):
            raise UsageError("--size must be between 320x240 and 8192x8192")

    font_scale = _number(args.font_scale, "--font-scale")
    if font_scale is not None and not FONT_SCALES[0] <= font_scale <= FONT_SCALES[1]:
        raise UsageError(f"--font-scale must be between {FONT_SCALES[0]:g} and {FONT_SCALES[1]:g}")
    dark = None if args.theme is None else args.theme == "dark"

    shot = None
    if args.screenshot:
        shot = Path(args.screenshot)
        if not shot.parent.exists():
            raise UsageError(f"cannot write {shot}: the folder {shot.parent} does not exist")
        if shot.suffix.lower() != ".png":
            raise UsageError("--screenshot writes a PNG; give a file name ending in .png")

    lesson = None
    if args.lesson is not None:
        from lossdesk.lesson_text import load_lesson  # noqa: PLC0415

        count = len(load_lesson().steps)
        try:
            lesson = int(args.lesson)
        except ValueError:
            raise UsageError(f"--lesson takes a step number, not {args.lesson!r}") from None
        if not 1 <= lesson <= count:
            raise UsageError(f"--lesson must be between 1 and {count}")
        lesson -= 1
    gif = None
    if args.export_gif:
        gif = Path(args.export_gif)
        if gif.suffix.lower() != ".gif":
            raise UsageError("--export-gif writes a GIF; give a file name ending in .gif")
        if not gif.parent.exists():
            raise UsageError(f"cannot write {gif}: the folder {gif.parent} does not exist")
        if steps < 1:
            raise UsageError("--export-gif needs --steps K (how many descent steps to record)")
        if tab != "regression":
            raise UsageError("--export-gif records the regression explorer's descent; leave out --tab")

    penalty = _penalty(args)
    try:
        app = _settings(dataset, preset, loss_name, params, optimizer, names, lr, tab)
        if tab == "network":
            app = replace(app, network=_network(app.network, args))
        if penalty:
            part = {"network": "network", "classification": "classification"}.get(
                tab, "classification" if dataset.task == "classification" else "regression")
            app = replace(app, **{part: replace(getattr(app, part), **penalty)})
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    session = None
    if args.session:
        from lossdesk.session import Session, SessionError  # noqa: PLC0415

        session = Path(args.session)
        try:
            app = Session.load(session).settings
        except SessionError as exc:
            raise UsageError(str(exc)) from None
        if args.tab is not None:
            app = replace(app, tab=tab)
    if lesson is not None:
        from lossdesk.lesson_text import load_lesson  # noqa: PLC0415

        try:
            app = settings_for_step(app, load_lesson().steps[lesson].setup, lesson)
        except SettingsError as exc:
            raise UsageError(f"lesson step {lesson + 1} cannot be set up: {exc}") from None
    return LaunchOptions(app, steps, shot, size, session, gif, dark=dark, font_scale=font_scale,
                         open_file=Path(args.file) if args.file else None)


def _take_file(args: argparse.Namespace) -> None:
    """A file named without an option opens by its suffix: a session as --session, a data set as
    --dataset, so it is checked (and refused in one line) like them."""
    if args.file is None:
        return
    path = Path(args.file)
    suffix = path.suffix.lower()
    if suffix == ".lossdesk":
        if args.session is not None:
            raise UsageError(f"two sessions named ({path.name} and --session {args.session}); open one")
        args.session = args.file
    elif suffix == ".csv":
        if args.dataset is not None or args.preset is not None:
            other = f"--dataset {args.dataset}" if args.dataset is not None else f"--preset {args.preset}"
            raise UsageError(f"two data sets named ({path.name} and {other}); open one")
        args.dataset = args.file
    else:
        raise UsageError(f"cannot open {path.name}: lossdesk opens sessions (.lossdesk) and data sets (.csv)")


def _number(text: str | None, option: str) -> float | None:
    """The option's number, None when it was not given; text that is no number is a usage error."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"{option} must be a number, not {text!r}") from None


#: λ when --penalty names a penalty and --strength is left out
DEFAULT_STRENGTH = 0.1


def _penalty(args) -> dict[str, object]:
    """--penalty, --strength and --l1-ratio as settings fields (empty when none is given)."""
    given = {}
    if args.penalty is not None:
        kind = args.penalty.strip().lower()
        if kind not in PENALTIES:
            raise UsageError(f"unknown penalty {args.penalty!r}; choose one of {', '.join(PENALTIES)}")
        given["penalty"] = kind
        if args.strength is None and kind != "none":
            given["strength"] = DEFAULT_STRENGTH
    strength = _number(args.strength, "--strength")
    if strength is not None:
        if not (math.isfinite(strength) and 0 <= strength <= MAX_STRENGTH):
            raise UsageError(f"--strength must be a number from 0 to {MAX_STRENGTH:g}, not {args.strength}")
        given["strength"] = strength
    ratio = _number(args.l1_ratio, "--l1-ratio")
    if ratio is not None:
        if not (math.isfinite(ratio) and 0 <= ratio <= 1):
            raise UsageError(f"--l1-ratio must be a number from 0 to 1, not {args.l1_ratio}")
        given["l1_ratio"] = ratio
    if given and "penalty" not in given:
        raise UsageError("--strength and --l1-ratio need --penalty l1, l2 or elastic")
    return given


def _network(net, args) -> NetworkSettings:
    """The network tab's settings with --hidden, --activation and --seed on top."""
    if args.hidden is not None:
        if args.hidden.strip() in ("0", "-0"):
            raise UsageError("--hidden 0 would be a layer without neurons; use --hidden none for no hidden layer")
        net = net.with_hidden(parse_hidden(args.hidden))
    if args.activation is not None:
        if args.activation.lower() not in ACTIVATIONS:
            raise UsageError(f"unknown activation {args.activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        net = net.with_activation(args.activation.lower())
    if args.seed is not None:
        try:
            seed = int(args.seed)
        except ValueError:
            raise UsageError(f"--seed must be a whole number, not {args.seed!r}") from None
        if not 0 <= seed <= MAX_SEED:
            raise UsageError(f"--seed must be a whole number from 0 to {MAX_SEED}, not {seed}")
        net = net.with_seed(seed)
    return net


def _settings(dataset, preset, loss, params, optimizer, names, lr, tab) -> AppSettings:
    """The start's settings: defaults, changed by what the options named."""
    app = AppSettings(tab=tab)
    source = DataSource(dataset, preset, None) if preset is not None else DataSource.own(dataset)

    def chosen(default: OptimizerChoice) -> OptimizerChoice:
        """The tab's own default optimizer unless --optimizer named one; --lr on top."""
        choice = OptimizerChoice.default(optimizer) if names else default
        return choice.with_value("lr", lr) if lr is not None else choice

    if tab == "network":
        n = app.network.with_source(source).with_loss(loss)
        if params:
            n = replace(n, loss_params={**n.loss_params, loss: params})
        return replace(app, network=replace(n, optimizer=chosen(n.optimizer)))
    if dataset.task == "classification":
        c = app.classification.with_source(source).with_loss(loss)
        if params:
            c = replace(c, loss_params={**c.loss_params, loss: params})
        app = replace(app, classification=replace(c, optimizer=chosen(c.optimizer)))
    else:
        r = app.regression.with_source(source)
        loss_params = {**r.loss_params, loss: params} if params else r.loss_params
        r = replace(r, loss=loss, loss_params=loss_params, optimizer=chosen(r.optimizer))
        lab = app.descent_lab
        if names:
            lab = replace(lab, racing=tuple(names))
        if lr is not None:
            lab = lab.with_lr(lr, tuple(names) or None)
        app = replace(app, regression=r, outlier_lab=replace(app.outlier_lab, arrows=loss), descent_lab=lab)
    return app


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        options = parse_options(argv)
    except UsageError as exc:
        print(f"lossdesk: error: {exc}", file=sys.stderr)
        return 2
    if isinstance(options, str):
        print(options)
        return 0
    from lossdesk.qt.app import run  # Qt loads only when a window is wanted

    return run(options)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
