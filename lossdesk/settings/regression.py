"""The regression explorer's choices; the outlier lab and the descent lab share its data and loss."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lossdesk.model import DEFAULT_PRESET, REGRESSION_LOSSES, RegressionData
from lossdesk.settings import checks
from lossdesk.settings.checks import SettingsError
from lossdesk.settings.data_source import DataSource
from lossdesk.settings.optimizer import OptimizerChoice

REDUCTIONS = ("mean", "sum", "none")
#: regression losses, in the order the app lists them
LOSS_NAMES: tuple[str, ...] = tuple(REGRESSION_LOSSES)
MAX_STEPS_PER_FRAME = 50
#: w and b beyond this are a slip, not a line anyone wants to look at
LINE_LIMIT = 1e6
#: the explorer's first learning rate: small enough that Play shows the ball roll down the
#: valley over a few dozen frames (at gradient descent's own 0.1 the default data set is
#: crossed in two steps and nothing seems to happen)
EXPLORER_LR = 0.01


def _default_source() -> DataSource:
    return DataSource.from_preset(DEFAULT_PRESET)


def _default_optimizer() -> OptimizerChoice:
    return OptimizerChoice("gd", {"lr": EXPLORER_LR})


@dataclass(frozen=True)
class RegressionSettings:
    """Data, loss, the line ŷ = w·x + b, the descent's optimizer, and the chosen outlier.

    ``outlier`` is a row of the data (None: none chosen); ``outlier_base`` is its y when it
    was chosen, so the outlier slider reads "Δy from where it was".
    """

    source: DataSource = field(default_factory=_default_source)
    loss: str = "mse"
    loss_params: dict[str, dict[str, float]] = field(
        default_factory=lambda: checks.default_loss_params(LOSS_NAMES))
    w: float = 0.0
    b: float = 0.0
    optimizer: OptimizerChoice = field(default_factory=_default_optimizer)
    steps_per_frame: int = 1
    reduction: str = "mean"
    outlier: int | None = None
    outlier_base: float = 0.0
    penalty: str = "none"  # "none", "l1", "l2" or "elastic": the cost is mean loss + λ·penalty(w)
    strength: float = 0.0  # λ
    l1_ratio: float = 0.5  # r, the elastic net's share of L1
    show_parts: bool = False  # the surface shows the data cost with the penalty's lines, not the total

    def __post_init__(self) -> None:
        if not isinstance(self.show_parts, bool):
            raise SettingsError("show_parts must be true or false")
        if not isinstance(self.source, DataSource) or not isinstance(self.source.data, RegressionData):
            raise SettingsError("the regression tabs need x,y points")
        checked = checks.penalty(self.penalty, self.strength, self.l1_ratio)
        for key, value in zip(("penalty", "strength", "l1_ratio"), checked):
            object.__setattr__(self, key, value)
        checks.name(self.loss, "the regression loss", LOSS_NAMES)
        object.__setattr__(self, "loss_params", checks.loss_params(self.loss_params, LOSS_NAMES))
        object.__setattr__(self, "w", checks.number(self.w, "w", -LINE_LIMIT, LINE_LIMIT))
        object.__setattr__(self, "b", checks.number(self.b, "b", -LINE_LIMIT, LINE_LIMIT))
        if not isinstance(self.optimizer, OptimizerChoice):
            raise SettingsError("the optimizer is missing")
        object.__setattr__(self, "steps_per_frame",
                           checks.whole(self.steps_per_frame, "steps per frame", 1, MAX_STEPS_PER_FRAME))
        checks.name(self.reduction, "the reduction", REDUCTIONS)
        if self.outlier is not None:
            if isinstance(self.outlier, bool) or not isinstance(self.outlier, int):
                raise SettingsError("the outlier must be the number of a point")
            if not 0 <= self.outlier < self.data.n:
                raise SettingsError(f"the outlier must be one of the points 0 to {self.data.n - 1}")
        object.__setattr__(self, "outlier_base", checks.number(self.outlier_base, "the outlier's base"))

    # ------------------------------------------------------------------ reading
    @property
    def data(self) -> RegressionData:
        return self.source.data  # type: ignore[return-value]

    @property
    def params(self) -> dict[str, float]:
        """The selected loss's parameters."""
        return dict(self.loss_params[self.loss])

    @property
    def theta(self) -> tuple[float, float]:
        return (self.w, self.b)

    @property
    def penalty_args(self) -> dict[str, object]:
        """The penalty as ``Objective.create`` and ``best_line`` take it."""
        return checks.penalty_args(self)

    # ------------------------------------------------------------------ changing
    def with_source(self, source: DataSource) -> RegressionSettings:
        """New points. The outlier is kept through the user's own edits while its row exists;
        points a preset drew afresh (another preset or noise) have no outlier to keep."""
        keep = self.outlier is not None and source.own_data and self.outlier < source.data.n
        return replace(self, source=source, outlier=self.outlier if keep else None)

    def without_point(self, row: int) -> RegressionSettings:
        """Point ``row`` removed (the data become the user's own); the outlier keeps pointing at
        its own point, and is forgotten if it was the one removed."""
        value = self.with_source(self.source.edited(self.data.without(row)))
        if self.outlier == row:
            return replace(value, outlier=None, outlier_base=0.0)
        if self.outlier is not None and self.outlier > row:
            return replace(value, outlier=self.outlier - 1)
        return value

    def with_loss_param(self, loss: str, key: str, value: float) -> RegressionSettings:
        params = {name: dict(p) for name, p in self.loss_params.items()}
        params.setdefault(loss, {})[key] = value
        return replace(self, loss_params=params)

    def with_outlier(self, row: int | None) -> RegressionSettings:
        base = float(self.data.y[row]) if row is not None and 0 <= row < self.data.n else 0.0
        return replace(self, outlier=row, outlier_base=base)
