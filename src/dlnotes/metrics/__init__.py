r"""Classification, ranking and regression metrics written with NumPy, mirroring ``sklearn.metrics``.

One module per chapter: :mod:`dlnotes.metrics.classification` (label metrics),
:mod:`dlnotes.metrics.roc_pr` (ranking metrics) and :mod:`dlnotes.metrics.regression`; every public name is
re-exported here.

Every function has scikit-learn's name, signature (data positional, options keyword-only) and semantics,
and is tested against scikit-learn 1.9 in float64 on random inputs with ties, sample weights, string labels
and the degenerate cases (a class never predicted or never present, a single class, ...):

- Label metrics: :func:`confusion_matrix`, :func:`accuracy_score`, :func:`precision_score`,
  :func:`recall_score` and :func:`f1_score`, with ``average`` in ``"binary"``, ``"micro"``, ``"macro"``,
  ``"weighted"`` or ``None`` and scikit-learn's ``zero_division`` rules (``"warn"``, 0, 1, ``np.nan``).
  All of them come from per-class counts computed with one :func:`numpy.bincount` each
  (:func:`precision_recall_f1`).
- Ranking metrics for a binary target: :func:`roc_curve` and :func:`roc_auc_score` (Fawcett 2006; the
  area equals the Mann-Whitney statistic, Hanley & McNeil 1982), :func:`precision_recall_curve` and
  :func:`average_precision_score` (Davis & Goadrich 2006). Each is one sort of the scores plus cumulative
  sums (:func:`binary_clf_curve`), O(n log n); tied scores form a single threshold. Beside them, the
  interpolated AP of object detection (PASCAL VOC's 11-point and all-point, COCO's 101-point), which
  scikit-learn does not have: :func:`interpolated_average_precision`.
- Regression metrics: :func:`mean_squared_error`, :func:`root_mean_squared_error`,
  :func:`mean_absolute_error` and :func:`r2_score`, with ``multioutput`` and (for :math:`R^2`)
  ``force_finite``.

Inputs may be lists, NumPy arrays or torch tensors (moved to the CPU). Where scikit-learn raises, these
functions raise ``ValueError`` (or ``TypeError``) with scikit-learn's message where it is clear; where it
returns a value with a warning, they return the same value and warn with :class:`UndefinedMetricWarning`.

Left out on purpose: multilabel and multiclass-multioutput targets (``average="samples"``), multiclass ROC
AUC (``multi_class``), partial AUC (``max_fpr``), ``average`` for the ranking metrics, and array-API
(GPU) inputs. Where scikit-learn 1.9 does something else, on purpose: :func:`roc_auc_score` raises
``ValueError`` when ``y_true`` holds one class (scikit-learn warns and returns NaN); an empty `labels`
raises (scikit-learn returns an empty array); empty inputs always raise ``ValueError`` (scikit-learn's
``average_precision_score`` fails with an ``IndexError``); :func:`precision_recall_curve` warns with
:class:`UndefinedMetricWarning` where scikit-learn uses a plain ``UserWarning``.

References
----------
- Pedregosa, F. et al. (2011). Scikit-learn: machine learning in Python. *JMLR* 12, 2825-2830.
- Fawcett, T. (2006). An introduction to ROC analysis. *Pattern Recognition Letters* 27(8), 861-874.
- Davis, J., Goadrich, M. (2006). The relationship between precision-recall and ROC curves. *ICML*.
- Hanley, J. A., McNeil, B. J. (1982). The meaning and use of the area under a receiver operating
  characteristic (ROC) curve. *Radiology* 143(1), 29-36.
"""

from dlnotes.metrics._common import AVERAGE_OPTIONS as AVERAGE_OPTIONS
from dlnotes.metrics._common import UndefinedMetricWarning
from dlnotes.metrics.classification import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_f1,
    precision_score,
    recall_score,
)
from dlnotes.metrics.regression import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from dlnotes.metrics.roc_pr import (
    average_precision_score,
    binary_clf_curve,
    interpolated_average_precision,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

__all__ = [
    "UndefinedMetricWarning",
    "accuracy_score",
    "average_precision_score",
    "binary_clf_curve",
    "confusion_matrix",
    "f1_score",
    "interpolated_average_precision",
    "mean_absolute_error",
    "mean_squared_error",
    "precision_recall_curve",
    "precision_recall_f1",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
]
