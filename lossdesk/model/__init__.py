"""lossdesk's model layer: data sets, losses, predictors, surfaces, optimizers.

Pure numpy and the standard library; importing it never loads Qt, so it works the
same from a script, a notebook or the app::

    from lossdesk.model import LOSSES, best_line, make_preset
    data = make_preset("outliers")
    best_line(data.x, data.y, "huber", delta=1.0)
"""

from lossdesk.model.dataset import (
    DEFAULT_PRESET,
    PRESETS,
    ClassificationData,
    Dataset,
    DatasetError,
    RegressionData,
    make_preset,
    parse_csv,
    read_csv,
    to_csv_text,
    write_csv,
)
from lossdesk.model.descent import DescentResult, DescentRun, run_descent
from lossdesk.model.fitting import best_constant, best_line
from lossdesk.model.landscape import plane_surface, project, random_directions, trajectory_directions
from lossdesk.model.losses import (
    BINARY_LOSSES,
    LOSSES,
    MULTICLASS_LOSSES,
    REGRESSION_LOSSES,
    Loss,
    get_loss,
    sigmoid,
    softmax,
)
from lossdesk.model.network import ACTIVATIONS, MAX_PARAMS, MLP
from lossdesk.model.objective import Objective, line_objective
from lossdesk.model.optimizers import OPTIMIZERS, Optimizer, OptimizerState, make_optimizer
from lossdesk.model.predictors import Line, Logistic, Softmax, softmax_classifier
from lossdesk.model.schedules import SCHEDULES, Schedule, make_schedule
from lossdesk.model.surface import brute_force_line_surface, line_loss_surface, parameter_surface

__all__ = [
    "ACTIVATIONS",
    "BINARY_LOSSES",
    "DEFAULT_PRESET",
    "LOSSES",
    "MAX_PARAMS",
    "MLP",
    "MULTICLASS_LOSSES",
    "OPTIMIZERS",
    "PRESETS",
    "REGRESSION_LOSSES",
    "SCHEDULES",
    "ClassificationData",
    "Dataset",
    "DatasetError",
    "DescentResult",
    "DescentRun",
    "Line",
    "Logistic",
    "Loss",
    "Objective",
    "Optimizer",
    "OptimizerState",
    "RegressionData",
    "Schedule",
    "Softmax",
    "best_constant",
    "best_line",
    "brute_force_line_surface",
    "get_loss",
    "line_loss_surface",
    "line_objective",
    "make_optimizer",
    "make_preset",
    "make_schedule",
    "parameter_surface",
    "parse_csv",
    "plane_surface",
    "project",
    "random_directions",
    "read_csv",
    "run_descent",
    "sigmoid",
    "softmax",
    "softmax_classifier",
    "to_csv_text",
    "trajectory_directions",
    "write_csv",
]
