"""One frozen results value per tab, computed by a pure function of its settings, data and cache.

Views draw these values and nothing else; lessons and export read them through the same
functions. The settings arrive duck-typed: the model layer never imports them.
"""

from lossdesk.model.results.classification import ClassificationCache, ClassificationResults, compute_classification
from lossdesk.model.results.descent_lab import DescentLabCache, DescentLabResults, compute_descent_lab
from lossdesk.model.results.outlier_lab import OutlierLabCache, OutlierLabResults, compute_outlier_lab
from lossdesk.model.results.regression import RegressionCache, RegressionResults, compute_regression

__all__ = [
    "ClassificationCache",
    "ClassificationResults",
    "DescentLabCache",
    "DescentLabResults",
    "OutlierLabCache",
    "OutlierLabResults",
    "RegressionCache",
    "RegressionResults",
    "compute_classification",
    "compute_descent_lab",
    "compute_outlier_lab",
    "compute_regression",
]
