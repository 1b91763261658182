r"""Classification, ranking and regression metrics written with NumPy, mirroring ``sklearn.metrics``.

Every function has scikit-learn's name, signature (data positional, options keyword-only) and semantics,
and is tested against scikit-learn 1.9 in float64 on random inputs with ties, sample weights, string labels
and the degenerate cases (a class never predicted or never present, a single class, ...):

- Label metrics: :func:`confusion_matrix`, :func:`accuracy_score`, :func:`precision_score`,
  :func:`recall_score` and :func:`f1_score`, with ``average`` in ``"binary"``, ``"micro"``, ``"macro"``,
  ``"weighted"`` or ``None`` and scikit-learn's ``zero_division`` rules (``"warn"``, 0, 1, ``np.nan``).
  All of them come from per-class counts computed with one :func:`numpy.bincount` each.
- Ranking metrics for a binary target: :func:`roc_curve` and :func:`roc_auc_score` (Fawcett 2006; the
  area equals the Mann-Whitney statistic, Hanley & McNeil 1982), :func:`precision_recall_curve` and
  :func:`average_precision_score` (Davis & Goadrich 2006). Each is one sort of the scores plus cumulative
  sums, O(n log n); tied scores form a single threshold.
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

from __future__ import annotations

import numbers
import warnings

import numpy as np

from dlnotes.utils import _to_numpy

__all__ = [
    "UndefinedMetricWarning",
    "confusion_matrix",
    "accuracy_score",
    "precision_score",
    "recall_score",
    "f1_score",
    "roc_curve",
    "roc_auc_score",
    "precision_recall_curve",
    "average_precision_score",
    "mean_squared_error",
    "mean_absolute_error",
    "root_mean_squared_error",
    "r2_score",
]

#: The values of ``average`` accepted by the label metrics.
AVERAGE_OPTIONS = ("binary", "micro", "macro", "weighted", None)


class UndefinedMetricWarning(UserWarning):
    """Warning used when a metric is ill-defined (a division by zero), like scikit-learn's class of the same
    name; the value returned is then set by ``zero_division`` (0.0 when it is ``"warn"``).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     precision_score([0, 1], [0, 0])  # the positive class is never predicted
    0.0
    >>> caught[0].category.__name__
    'UndefinedMetricWarning'
    >>> precision_score([0, 1], [0, 0], zero_division=0)  # the same value, no warning
    0.0
    """


# ---------------------------------------------------------------------------------------------------------
# Input checks shared by all metrics.


def _to_array(x, name: str) -> np.ndarray:
    """`x` as a NumPy array (torch tensors are detached and moved to the CPU), or a clear error."""
    arr = _to_numpy(x, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array with one entry per sample, got a scalar {arr!r}")
    return arr


def _check_consistent_length(*arrays) -> None:
    """Raise scikit-learn's error if the arrays (None skipped) do not have the same number of samples."""
    lengths = [len(a) for a in arrays if a is not None]
    if len(set(lengths)) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {lengths}")
    if lengths and lengths[0] == 0:
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 sample is required."
        )


def _check_finite(arr: np.ndarray, name: str) -> None:
    if arr.dtype.kind in "fc":
        if np.isnan(arr).any():
            raise ValueError(f"Input {name} contains NaN.")
        if np.isinf(arr).any():
            raise ValueError(f"Input {name} contains infinity.")


def _sample_weight(sample_weight, n: int):
    """Validated 1-D sample weights of length `n` (kept integer if given as integers), or None."""
    if sample_weight is None:
        return None
    w = _to_array(sample_weight, "sample_weight")
    if w.dtype.kind not in "biuf":
        raise TypeError(f"sample_weight must hold real numbers, got an array of dtype {w.dtype}")
    if w.ndim != 1:
        raise ValueError(f"Sample weights must be 1D array or scalar, got shape {w.shape}")
    if len(w) != n:
        raise ValueError(f"sample_weight.shape == ({len(w)},), expected ({n},)!")
    _check_finite(w, "sample_weight")
    if not w.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return w


def _type_of_target(y: np.ndarray, name: str) -> str:
    """scikit-learn's ``type_of_target`` for the cases these metrics meet.

    One of ``"binary"`` (at most two distinct values), ``"multiclass"``, ``"continuous"`` (floats that are
    not all integers), ``"multilabel-indicator"``, ``"multiclass-multioutput"``,
    ``"continuous-multioutput"`` or ``"unknown"``.
    """
    if y.ndim > 2 or (y.ndim == 2 and y.shape[1] == 0):
        return "unknown"
    if y.dtype.kind == "O" and not all(isinstance(v, str) for v in y.flat):
        return "unknown"
    multi = y.ndim == 2 and y.shape[1] > 1
    suffix = "-multioutput" if multi else ""
    if y.dtype.kind in "fc":
        _check_finite(y, name)
        if y.size and np.any(y != np.round(y)):
            return "continuous" + suffix
    if multi:
        if y.dtype.kind in "biuf" and np.isin(np.unique(y), [0, 1]).all():
            return "multilabel-indicator"
        return "multiclass" + suffix
    return "multiclass" if len(np.unique(y)) > 2 else "binary"


def _is_string(arr: np.ndarray) -> bool:
    return arr.dtype.kind in "OUS"


# ---------------------------------------------------------------------------------------------------------
# Label metrics.


def _check_targets(y_true, y_pred, sample_weight):
    """Validate two label vectors; return (type, sorted labels present, y_true, y_pred, weights).

    The type is ``"binary"`` or ``"multiclass"``; everything else raises ``ValueError`` with
    scikit-learn's message.
    """
    y_true = _to_array(y_true, "y_true")
    y_pred = _to_array(y_pred, "y_pred")
    _check_consistent_length(y_true, y_pred)
    w = _sample_weight(sample_weight, len(y_true))
    type_true = _type_of_target(y_true, "y_true")
    type_pred = _type_of_target(y_pred, "y_pred")
    types = {type_true, type_pred}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise ValueError(
            f"Classification metrics can't handle a mix of {type_true} and {type_pred} targets"
        )
    y_type = types.pop()
    if y_type not in ("binary", "multiclass"):
        raise ValueError(
            f"{y_type} is not supported (dlnotes.metrics handles binary and multiclass label vectors)"
        )
    y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)  # a column (n, 1) becomes a vector
    if _is_string(y_true) != _is_string(y_pred):
        raise ValueError("Mix of label input types (string and number)")
    present = np.union1d(y_true, y_pred)
    if y_type == "binary" and len(present) > 2:
        y_type = "multiclass"
    return y_type, present, y_true, y_pred, w


def _class_counts(y_true, y_pred, w, labels):
    """Per-label sums of weights: true positives, predicted and true, for each of `labels` (in its order).

    Every sample is mapped to its index in the sorted union of all labels with one ``searchsorted``, then
    each sum is one ``bincount``; labels outside `labels` count for no class.
    """
    all_labels = np.union1d(np.union1d(y_true, y_pred), labels)
    t = np.searchsorted(all_labels, y_true)
    p = np.searchsorted(all_labels, y_pred)
    k = len(all_labels)
    hit = t == p
    tp = np.bincount(t[hit], weights=None if w is None else w[hit], minlength=k)
    pred = np.bincount(p, weights=w, minlength=k)
    true = np.bincount(t, weights=w, minlength=k)
    idx = np.searchsorted(all_labels, labels)
    return tp[idx], pred[idx], true[idx]


def _check_labels(labels, present: np.ndarray) -> np.ndarray:
    labels = _to_array(labels, "labels").reshape(-1)
    if labels.size == 0:
        raise ValueError("'labels' should contain at least one label.")
    if _is_string(labels) != _is_string(present):
        raise ValueError("Mix of label input types (string and number)")
    return labels


def _check_zero_division(zero_division) -> float:
    """The value a 0/0 metric takes: 0.0 for ``"warn"``, else `zero_division` (0, 1 or NaN)."""
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, numbers.Real) and not isinstance(zero_division, bool):
        if zero_division in (0, 1):
            return float(zero_division)
        if np.isnan(zero_division):
            return np.nan
    raise ValueError(f"zero_division must be 'warn', 0, 1 or np.nan, got {zero_division!r}")


def _prf_divide(numerator, denominator, metric, modifier, zero_division):
    """numerator / denominator per class, with 0/0 set by `zero_division` and warned about if "warn".

    The warning text is scikit-learn's (``"... due to no predicted samples"`` for one value, ``"... in
    labels with no predicted samples"`` for several).
    """
    mask = denominator == 0
    result = np.asarray(numerator, dtype=np.float64) / np.where(mask, 1.0, denominator)
    if not mask.any():
        return result
    result[mask] = _check_zero_division(zero_division)
    if isinstance(zero_division, str):
        where = "due to" if result.shape[0] == 1 else "in labels with"
        warnings.warn(
            f"{metric} is ill-defined and being set to 0.0 {where} no {modifier} samples. "
            "Use `zero_division` parameter to control this behavior.",
            UndefinedMetricWarning,
            stacklevel=4,
        )
    return result


def _nanaverage(a: np.ndarray, weights=None) -> float:
    """Mean of the non-NaN entries of `a` (weighted if `weights`); NaN if none; unweighted if the weights of
    the non-NaN entries sum to 0 (as scikit-learn's ``_nanaverage``)."""
    keep = ~np.isnan(a)
    if not keep.any():
        return float("nan")
    if weights is None:
        return float(np.mean(a[keep]))
    w = np.asarray(weights, dtype=np.float64)[keep]
    if w.sum() == 0:
        return float(np.mean(a[keep]))
    return float(np.average(a[keep], weights=w))


def _precision_recall_f1(y_true, y_pred, labels, pos_label, average, sample_weight, zero_division,
                         metric):
    """The shared body of precision, recall and F1: check, count per class, divide, average."""
    if average not in AVERAGE_OPTIONS:
        raise ValueError(
            f"average has to be one of {AVERAGE_OPTIONS} (dlnotes.metrics does not support 'samples'), "
            f"got {average!r}"
        )
    _check_zero_division(zero_division)
    y_type, present, y_true, y_pred, w = _check_targets(y_true, y_pred, sample_weight)
    if average == "binary":
        if y_type != "binary":
            raise ValueError(
                f"Target is {y_type} but average='binary'. Please choose another average setting, "
                "one of [None, 'micro', 'macro', 'weighted']."
            )
        if pos_label not in present and len(present) >= 2:
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
        labels = np.asarray([pos_label])
    else:
        if pos_label not in (None, 1):
            warnings.warn(
                f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
                f"(got {average!r}). You may use labels=[pos_label] to specify a single positive class.",
                UserWarning,
                stacklevel=3,
            )
        labels = present if labels is None else _check_labels(labels, present)
    tp, pred, true = _class_counts(y_true, y_pred, w, labels)
    if average == "micro":
        tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)
    if metric == "precision":
        # precision_k = TP_k / (TP_k + FP_k) = TP_k / predicted_k
        score = _prf_divide(tp, pred, "Precision", "predicted", zero_division)
    elif metric == "recall":
        # recall_k = TP_k / (TP_k + FN_k) = TP_k / true_k
        score = _prf_divide(tp, true, "Recall", "true", zero_division)
    else:
        # F1_k = 2 P R / (P + R) = 2 TP_k / (true_k + predicted_k): defined whenever the class is present
        # or predicted, even where P or R alone is 0/0 (scikit-learn's rule)
        score = _prf_divide(2.0 * tp, true + pred, "F-score", "true nor predicted", zero_division)
    if average is None:
        return score
    # macro: plain mean over classes; weighted: mean weighted by support (true_k); micro/binary: one value
    return _nanaverage(score, weights=true if average == "weighted" else None)


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None) -> np.ndarray:
    r"""Confusion matrix :math:`C`, where :math:`C_{ij}` counts samples of true class :math:`i` predicted as
    class :math:`j`.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True labels (numbers or strings).
    y_pred : array_like or torch.Tensor, shape (n_samples,)
        Predicted labels.
    labels : array_like, shape (n_classes,), optional
        The classes, in the order of the rows and columns; samples whose true or predicted label is not
        among them are left out. Default: the sorted union of the labels in `y_true` and `y_pred`.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).
    normalize : {"true", "pred", "all"}, optional
        Divide by the row sums (each row then holds the recall of its class), the column sums (precision),
        or the total. A row or column that sums to 0 gives zeros.

    Returns
    -------
    numpy.ndarray, shape (n_classes, n_classes)
        Integers (int64) when there are no or integer weights and no normalization, else float64.

    Raises
    ------
    ValueError
        If the inputs are empty or differ in length; if the targets are continuous, multilabel or a mix of
        strings and numbers; if `labels` is empty or holds no label of `y_true`; if `normalize` is not one
        of the options.

    Warns
    -----
    UserWarning
        If the matrix is 1 x 1 (a single label in the data and no `labels`), as scikit-learn does.

    Examples
    --------
    >>> confusion_matrix(["cat", "dog", "dog", "bird"], ["cat", "cat", "dog", "bird"])
    array([[1, 0, 0],
           [0, 1, 0],
           [0, 1, 1]])
    >>> confusion_matrix([0, 1, 1, 1], [0, 0, 1, 1], normalize="true")
    array([[1.        , 0.        ],
           [0.33333333, 0.66666667]])
    """
    if normalize not in ("true", "pred", "all", None):
        raise ValueError(f"normalize must be one of 'true', 'pred', 'all' or None, got {normalize!r}")
    _, present, y_true, y_pred, w = _check_targets(y_true, y_pred, sample_weight)
    if labels is None:
        labels = present
    else:
        labels = _check_labels(labels, present)
        if not np.isin(labels, y_true).any():
            raise ValueError("At least one label specified must be in y_true")
    k = len(labels)
    # index of each sample's label in `labels`, k for labels outside it (then dropped)
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]

    def index(y):
        pos = np.clip(np.searchsorted(sorted_labels, y), 0, k - 1)
        return np.where(sorted_labels[pos] == y, order[pos], k)

    t, p = index(y_true), index(y_pred)
    keep = (t < k) & (p < k)
    # C[i, j] = sum of the weights of the samples with (true, pred) = (i, j): one bincount on i * k + j
    flat = t[keep] * k + p[keep]
    if w is None:
        cm = np.bincount(flat, minlength=k * k).astype(np.int64)
    else:
        cm = np.bincount(flat, weights=w[keep], minlength=k * k)
        if w.dtype.kind in "biu":
            cm = cm.astype(np.int64)
    cm = cm.reshape(k, k)
    if normalize is not None:
        total = {"true": cm.sum(axis=1, keepdims=True), "pred": cm.sum(axis=0, keepdims=True),
                 "all": cm.sum()}[normalize]
        with np.errstate(invalid="ignore", divide="ignore"):
            cm = np.nan_to_num(cm / total)
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to have the "
            "correct shape, use the 'labels' parameter to pass all known labels.",
            UserWarning,
            stacklevel=2,
        )
    return cm


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None) -> float:
    r"""Fraction (or number) of samples whose predicted label equals the true label.

    .. math:: \mathrm{accuracy} = \frac{\sum_i w_i \,[\hat y_i = y_i]}{\sum_i w_i}

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True labels.
    y_pred : array_like or torch.Tensor, shape (n_samples,)
        Predicted labels.
    normalize : bool, default True
        Return the (weighted) fraction of correct samples; if False, their (weighted) number.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the inputs are empty or differ in length, or if the targets are continuous, multilabel or a mix
        of strings and numbers.

    Examples
    --------
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3], normalize=False)
    2.0
    """
    _, _, y_true, y_pred, w = _check_targets(y_true, y_pred, sample_weight)
    correct = (y_true == y_pred).astype(np.float64)
    if normalize:
        return float(np.average(correct, weights=w))
    return float(correct.sum() if w is None else correct @ w)


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
                    zero_division="warn"):
    r"""Precision :math:`TP / (TP + FP)`: the fraction of the samples predicted in a class that are in it.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True labels (numbers or strings).
    y_pred : array_like or torch.Tensor, shape (n_samples,)
        Predicted labels.
    labels : array_like, optional
        The classes to score when `average` is not ``"binary"`` (with ``"micro"``, only they are summed).
        Default: the sorted union of the labels in `y_true` and `y_pred`.
    pos_label : int, float, bool or str, default 1
        The positive class when ``average="binary"``; ignored (with a ``UserWarning`` unless it is 1 or
        None) for other averages.
    average : {"binary", "micro", "macro", "weighted"} or None, default "binary"
        ``"binary"``: the score of `pos_label` (binary targets only). ``"micro"``: one score from the counts
        summed over classes. ``"macro"``: the unweighted mean of the per-class scores. ``"weighted"``: their
        mean weighted by each class's support (its weighted number of true samples). None: the per-class
        scores, in the order of `labels`.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).
    zero_division : {"warn", 0, 1, np.nan}, default "warn"
        The value of a 0/0 score; ``"warn"`` gives 0.0 and an :class:`UndefinedMetricWarning`. With
        ``np.nan``, NaN scores are left out of the averages (all NaN gives NaN).

    Returns
    -------
    float, or numpy.ndarray of float64 of shape (n_labels,) when ``average=None``

    Raises
    ------
    ValueError
        If the inputs are empty or differ in length; if the targets are continuous, multilabel or a mix of
        strings and numbers; if every sample weight is 0; if `average` is not one of the options, or is
        ``"binary"`` for a multiclass target; if `pos_label` is not one of the two labels present with
        ``average="binary"``; if `labels` is empty; if `zero_division` is not one of the options.

    Warns
    -----
    UndefinedMetricWarning
        With ``zero_division="warn"``, when a score is 0/0: a class is never predicted.
    UserWarning
        When `pos_label` is set (not 1) but `average` is not ``"binary"``.

    Examples
    --------
    >>> precision_score([0, 1, 1, 0], [1, 1, 1, 0])  # 2 of the 3 predicted positives are right
    0.6666666666666666
    >>> precision_score(["a", "b", "c", "c"], ["a", "c", "c", "c"], average=None, zero_division=0)
    array([1.        , 0.        , 0.66666667])
    """
    return _precision_recall_f1(y_true, y_pred, labels, pos_label, average, sample_weight,
                                zero_division, "precision")


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
                 zero_division="warn"):
    r"""Recall :math:`TP / (TP + FN)`: the fraction of the samples of a class that are predicted in it.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True labels (numbers or strings).
    y_pred : array_like or torch.Tensor, shape (n_samples,)
        Predicted labels.
    labels : array_like, optional
        The classes to score when `average` is not ``"binary"`` (with ``"micro"``, only they are summed).
        Default: the sorted union of the labels in `y_true` and `y_pred`.
    pos_label : int, float, bool or str, default 1
        The positive class when ``average="binary"``; ignored (with a ``UserWarning`` unless it is 1 or
        None) for other averages.
    average : {"binary", "micro", "macro", "weighted"} or None, default "binary"
        ``"binary"``: the score of `pos_label` (binary targets only). ``"micro"``: one score from the counts
        summed over classes. ``"macro"``: the unweighted mean of the per-class scores. ``"weighted"``: their
        mean weighted by each class's support (its weighted number of true samples). None: the per-class
        scores, in the order of `labels`.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).
    zero_division : {"warn", 0, 1, np.nan}, default "warn"
        The value of a 0/0 score; ``"warn"`` gives 0.0 and an :class:`UndefinedMetricWarning`. With
        ``np.nan``, NaN scores are left out of the averages (all NaN gives NaN).

    Returns
    -------
    float, or numpy.ndarray of float64 of shape (n_labels,) when ``average=None``

    Raises
    ------
    ValueError
        If the inputs are empty or differ in length; if the targets are continuous, multilabel or a mix of
        strings and numbers; if every sample weight is 0; if `average` is not one of the options, or is
        ``"binary"`` for a multiclass target; if `pos_label` is not one of the two labels present with
        ``average="binary"``; if `labels` is empty; if `zero_division` is not one of the options.

    Warns
    -----
    UndefinedMetricWarning
        With ``zero_division="warn"``, when a score is 0/0: a class is never present in `y_true`.
    UserWarning
        When `pos_label` is set (not 1) but `average` is not ``"binary"``.

    Examples
    --------
    >>> recall_score([0, 1, 1, 0], [1, 1, 0, 0])  # 1 of the 2 positives is found
    0.5
    >>> recall_score(["a", "b", "c", "c"], ["a", "c", "c", "c"], average="macro")
    0.6666666666666666
    """
    return _precision_recall_f1(y_true, y_pred, labels, pos_label, average, sample_weight,
                                zero_division, "recall")


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
             zero_division="warn"):
    r"""F1 score, the harmonic mean of precision and recall: :math:`2PR / (P + R) = 2TP / (2TP + FP + FN)`.

    Computed per class as :math:`2TP / (\text{true} + \text{predicted})`, as scikit-learn does, so it is
    0/0 only for a class that is neither present nor predicted. The ``"macro"`` average is the mean of the
    per-class F1 scores, not the F1 of the macro precision and recall.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True labels (numbers or strings).
    y_pred : array_like or torch.Tensor, shape (n_samples,)
        Predicted labels.
    labels : array_like, optional
        The classes to score when `average` is not ``"binary"`` (with ``"micro"``, only they are summed).
        Default: the sorted union of the labels in `y_true` and `y_pred`.
    pos_label : int, float, bool or str, default 1
        The positive class when ``average="binary"``; ignored (with a ``UserWarning`` unless it is 1 or
        None) for other averages.
    average : {"binary", "micro", "macro", "weighted"} or None, default "binary"
        ``"binary"``: the score of `pos_label` (binary targets only). ``"micro"``: one score from the counts
        summed over classes. ``"macro"``: the unweighted mean of the per-class scores. ``"weighted"``: their
        mean weighted by each class's support (its weighted number of true samples). None: the per-class
        scores, in the order of `labels`.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).
    zero_division : {"warn", 0, 1, np.nan}, default "warn"
        The value of a 0/0 score; ``"warn"`` gives 0.0 and an :class:`UndefinedMetricWarning`. With
        ``np.nan``, NaN scores are left out of the averages (all NaN gives NaN).

    Returns
    -------
    float, or numpy.ndarray of float64 of shape (n_labels,) when ``average=None``

    Raises
    ------
    ValueError
        If the inputs are empty or differ in length; if the targets are continuous, multilabel or a mix of
        strings and numbers; if every sample weight is 0; if `average` is not one of the options, or is
        ``"binary"`` for a multiclass target; if `pos_label` is not one of the two labels present with
        ``average="binary"``; if `labels` is empty; if `zero_division` is not one of the options.

    Warns
    -----
    UndefinedMetricWarning
        With ``zero_division="warn"``, when a score is 0/0: a class in `labels` is neither present nor
        predicted.
    UserWarning
        When `pos_label` is set (not 1) but `average` is not ``"binary"``.

    Examples
    --------
    >>> f1_score([0, 1, 1, 0], [1, 1, 0, 0])  # P = R = 1/2
    0.5
    >>> y_true, y_pred = [0, 0, 0, 0, 1, 2], [0, 0, 0, 1, 1, 1]
    >>> round(f1_score(y_true, y_pred, average="macro", zero_division=0), 4)
    0.4524
    >>> round(f1_score(y_true, y_pred, average="micro"), 4)  # = accuracy for single-label data
    0.6667
    """
    return _precision_recall_f1(y_true, y_pred, labels, pos_label, average, sample_weight,
                                zero_division, "f1")


# ---------------------------------------------------------------------------------------------------------
# Ranking metrics: one sort of the scores, then cumulative sums.


def _binary_clf_curve(y_true, y_score, pos_label, sample_weight):
    """False and true positives (weighted) at each distinct score taken as threshold, highest first.

    Returns ``fps, tps, thresholds``: ``tps[i]`` is the weight of the positives with a score
    ``>= thresholds[i]``, likewise ``fps`` for the negatives. This is scikit-learn's
    ``confusion_matrix_at_thresholds``, the core of the four ranking metrics.
    """
    y_true = _to_array(y_true, "y_true")
    y_score = _to_array(y_score, "y_score")
    for arr, name in ((y_true, "y_true"), (y_score, "y_score")):
        if arr.ndim == 2 and arr.shape[1] == 1:
            continue
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D (binary target and one score per sample), got shape "
                             f"{arr.shape}")
    y_true, y_score = y_true.reshape(-1), y_score.reshape(-1)
    _check_consistent_length(y_true, y_score, None if sample_weight is None else _to_array(
        sample_weight, "sample_weight").reshape(-1))
    if y_score.dtype.kind not in "biuf":
        raise TypeError(f"y_score must hold real numbers, got an array of dtype {y_score.dtype}")
    _check_finite(y_score, "y_score")
    y_type = _type_of_target(y_true, "y_true")
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
        raise ValueError(f"{y_type} format is not supported")
    if pos_label is None:
        classes = np.unique(y_true)
        if _is_string(classes) or not any(
            set(classes.tolist()) <= allowed for allowed in ({0, 1}, {-1, 1})
        ):
            classes_repr = ", ".join(repr(c) for c in classes.tolist())
            raise ValueError(
                f"y_true takes value in {{{classes_repr}}} and pos_label is not specified: either make "
                "y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly."
            )
        pos_label = 1
    y = (y_true == pos_label).astype(np.float64)
    score = y_score.astype(np.float64)
    w = _sample_weight(sample_weight, len(y))
    if w is not None:
        nonzero = w != 0  # zero-weight samples must not create thresholds
        y, score, w = y[nonzero], score[nonzero], w[nonzero].astype(np.float64)
    # Sort by decreasing score, ties in their original order: a stable ascending sort of -score (negation
    # is exact in floating point; ±0.0 compare equal) gives the same permutation as scikit-learn's stable
    # descending argsort, so the cumulative sums below add in the same order and round the same way.
    order = np.argsort(-score, kind="stable")
    score, y = score[order], y[order]
    # Tied scores are one threshold: keep the last index of each run of equal scores. As in scikit-learn,
    # "distinct" is decided by np.diff of the sorted scores being nonzero (exact comparison, no tolerance),
    # so scores that differ in the last bit are different thresholds.
    distinct = np.flatnonzero(np.diff(score))
    idx = np.concatenate([distinct, [len(y) - 1]])
    if w is None:
        # TP(t) = #{positives with score >= t}; FP = (index + 1) - TP, exact integers held in float64
        tps = np.cumsum(y)[idx]
        fps = 1.0 + idx - tps
    else:
        # Weighted: both as float64 cumulative sums (never FP = total - TP, which can go down by rounding),
        # so fps and tps are non-decreasing. scikit-learn used to call this "stable_cumsum"; in float64 a
        # running sum of n terms has relative error ~ n * 2^-53, harmless up to tens of millions of scores.
        w = w[order]
        tps = np.cumsum(y * w)[idx]
        fps = np.cumsum((1.0 - y) * w)[idx]
    return fps, tps, score[idx]


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    r"""Receiver operating characteristic: true-positive rate against false-positive rate at each threshold.

    A sample is predicted positive when its score is ``>= threshold``; the thresholds are the distinct
    scores, decreasing, after a first threshold of ``inf`` that puts the curve's start at (0, 0):

    .. math::

        \mathrm{FPR}(t) = \frac{\sum_{i:\,y_i = 0,\ s_i \ge t} w_i}{\sum_{i:\,y_i = 0} w_i}, \qquad
        \mathrm{TPR}(t) = \frac{\sum_{i:\,y_i = 1,\ s_i \ge t} w_i}{\sum_{i:\,y_i = 1} w_i}.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True binary labels: {0, 1} or {-1, 1}, or any labels with `pos_label` given.
    y_score : array_like or torch.Tensor, shape (n_samples,)
        Scores, larger meaning more likely positive (probabilities, logits, decision values).
    pos_label : int, float, bool or str, optional
        The positive class; default 1 (labels must then be {0, 1} or {-1, 1}).
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample; samples of weight 0 are dropped before the thresholds are chosen.
    drop_intermediate : bool, default True
        Drop the thresholds whose point lies on a straight segment between its neighbours (it changes
        neither the plotted curve nor the area).

    Returns
    -------
    fpr : numpy.ndarray of float64, shape (n_thresholds,)
        Increasing false-positive rates, from 0 to 1.
    tpr : numpy.ndarray of float64, shape (n_thresholds,)
        Increasing true-positive rates, from 0 to 1.
    thresholds : numpy.ndarray of float64, shape (n_thresholds,)
        Decreasing thresholds; ``thresholds[0]`` is ``inf``.

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length or are not 1-D; if `y_score` holds NaN or infinity; if
        `y_true` is continuous or multilabel, or multiclass without `pos_label`; if `pos_label` is None and
        the labels are not {0, 1} or {-1, 1} (or a subset); if every sample weight is 0.
    TypeError
        If `y_score` does not hold real numbers.

    Warns
    -----
    UndefinedMetricWarning
        If there is no negative (`fpr` is then all NaN) or no positive sample (`tpr` all NaN).

    Examples
    --------
    >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr
    array([0. , 0. , 0.5, 0.5, 1. ])
    >>> tpr
    array([0. , 0.5, 0.5, 1. , 1. ])
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and len(fps) > 2:
        # A point is a corner only where the second difference of fps or of tps is nonzero; points with
        # both second differences 0 lie on the segment joining their neighbours. The counts are exact
        # integers without weights; with weights a rounding error can only keep a point, never drop one.
        keep = np.concatenate([[True], np.diff(fps, 2) != 0, [True]]) | np.concatenate(
            [[True], np.diff(tps, 2) != 0, [True]])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps = np.concatenate([[0.0], fps])
    tps = np.concatenate([[0.0], tps])
    thresholds = np.concatenate([[np.inf], thresholds])
    if fps[-1] <= 0:
        warnings.warn("No negative samples in y_true, false positive value should be meaningless",
                      UndefinedMetricWarning, stacklevel=2)
        fpr = np.full(fps.shape, np.nan)
    else:
        fpr = fps / fps[-1]
    if tps[-1] <= 0:
        warnings.warn("No positive samples in y_true, true positive value should be meaningless",
                      UndefinedMetricWarning, stacklevel=2)
        tpr = np.full(tps.shape, np.nan)
    else:
        tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def roc_auc_score(y_true, y_score, *, sample_weight=None) -> float:
    r"""Area under the ROC curve of a binary classifier.

    The area by the trapezoidal rule over the points of :func:`roc_curve`; it equals the probability that a
    random positive scores above a random negative, ties counting one half (the Mann-Whitney statistic,
    Hanley & McNeil 1982):

    .. math:: \mathrm{AUC} = P(s^+ > s^-) + \tfrac12\, P(s^+ = s^-).

    A run of tied scores holding both classes is one diagonal step of the curve, whose trapezoid adds
    exactly that one half per tied positive-negative pair.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True labels, exactly two distinct values; the greater one (in sorted order) is the positive class,
        as in scikit-learn.
    y_score : array_like or torch.Tensor, shape (n_samples,)
        Scores, larger meaning more likely positive.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample.

    Returns
    -------
    float
        In [0, 1]; 0.5 for scores that carry no information, 1 for a perfect ranking.

    Raises
    ------
    ValueError
        If `y_true` holds only one class ("Only one class present in y_true. ROC AUC score is not defined
        in that case."; scikit-learn 1.9 warns and returns NaN instead) or more than two; if the inputs
        are empty, differ in length or are not 1-D; if `y_score` holds NaN or infinity.
    TypeError
        If `y_score` does not hold real numbers.

    Warns
    -----
    UndefinedMetricWarning
        If sample weights leave all the weight on one class (the result is then NaN).

    Examples
    --------
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> roc_auc_score([0, 1], [0.5, 0.5])  # a tie counts one half
    0.5
    """
    y_true = _to_array(y_true, "y_true")
    if y_true.ndim == 2 and y_true.shape[1] == 1:
        y_true = y_true.reshape(-1)
    y_type = _type_of_target(y_true, "y_true")
    if y_type != "binary":
        raise ValueError(f"roc_auc_score supports binary y_true only, got a {y_type} target "
                         "(multiclass ROC AUC is not implemented in dlnotes.metrics)")
    classes = np.unique(y_true)
    if len(classes) != 2:
        if len(classes) == 0:
            raise ValueError("Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 "
                             "sample is required.")
        raise ValueError("Only one class present in y_true. ROC AUC score is not defined in that case.")
    fpr, tpr, _ = roc_curve(y_true, y_score, pos_label=classes[1], sample_weight=sample_weight)
    # trapezoidal rule: sum_k (fpr_k - fpr_{k-1}) (tpr_k + tpr_{k-1}) / 2, as np.trapezoid (sklearn's auc)
    return float(np.trapezoid(tpr, fpr))


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None,
                           drop_intermediate=False):
    r"""Precision and recall at each distinct score taken as threshold.

    .. math::

        P(t) = \frac{TP(t)}{TP(t) + FP(t)}, \qquad R(t) = \frac{TP(t)}{TP(t) + FN(t)}

    with a sample predicted positive when its score is ``>= t``. A final point (precision 1, recall 0),
    which has no threshold, ends the curve.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True binary labels: {0, 1} or {-1, 1}, or any labels with `pos_label` given.
    y_score : array_like or torch.Tensor, shape (n_samples,)
        Scores, larger meaning more likely positive.
    pos_label : int, float, bool or str, optional
        The positive class; default 1 (labels must then be {0, 1} or {-1, 1}).
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample; samples of weight 0 are dropped before the thresholds are chosen.
    drop_intermediate : bool, default False
        Keep only the first and last threshold of each run with the same recall (a vertical run of the
        curve), which does not change the average precision.

    Returns
    -------
    precision : numpy.ndarray of float64, shape (n_thresholds + 1,)
        Precision at each threshold by increasing threshold, then 1.
    recall : numpy.ndarray of float64, shape (n_thresholds + 1,)
        Decreasing recall, ending at 0.
    thresholds : numpy.ndarray of float64, shape (n_thresholds,)
        Increasing thresholds (the distinct scores).

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length or are not 1-D; if `y_score` holds NaN or infinity; if
        `y_true` is continuous or multilabel, or multiclass without `pos_label`; if `pos_label` is None and
        the labels are not {0, 1} or {-1, 1} (or a subset); if every sample weight is 0.
    TypeError
        If `y_score` does not hold real numbers.

    Warns
    -----
    UndefinedMetricWarning
        If `y_true` has no positive sample (recall is then set to 1 at every threshold, as scikit-learn
        does with a plain ``UserWarning``).

    Examples
    --------
    >>> precision, recall, thresholds = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> precision
    array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ])
    >>> recall
    array([1. , 1. , 0.5, 0.5, 0. ])
    >>> thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ])
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and len(fps) > 2:
        # keep a point unless tps (so the recall) equals both its neighbours
        keep = np.concatenate([[True], (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0), [True]])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
    if tps[-1] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all thresholds.",
                      UndefinedMetricWarning, stacklevel=2)
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    # reverse so that recall decreases, and end at (recall 0, precision 1)
    return (np.concatenate([precision[::-1], [1.0]]), np.concatenate([recall[::-1], [0.0]]),
            thresholds[::-1])


def average_precision_score(y_true, y_score, *, pos_label=1, sample_weight=None) -> float:
    r"""Average precision: the precisions at the thresholds, weighted by the increase in recall.

    .. math:: \mathrm{AP} = \sum_k (R_k - R_{k-1})\, P_k

    over the thresholds by decreasing score (:math:`R_0 = 0`). This step-wise sum does not interpolate
    between points: linear interpolation in precision-recall space is too optimistic (Davis & Goadrich
    2006). Tied scores are one threshold, so a tie contributes its group's precision.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True binary labels.
    y_score : array_like or torch.Tensor, shape (n_samples,)
        Scores, larger meaning more likely positive.
    pos_label : int, float, bool or str, default 1
        The positive class.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample.

    Returns
    -------
    float
        In [0, 1]; about the fraction of positives for uninformative scores, 1 for a perfect ranking.

    Raises
    ------
    ValueError
        If `y_true` is not binary (more than two labels, continuous, multilabel); if `pos_label` is not
        one of its two labels; for the errors of :func:`precision_recall_curve`.
    TypeError
        If `y_score` does not hold real numbers.

    Warns
    -----
    UndefinedMetricWarning
        If `y_true` has no positive sample (the result is then 0, as in scikit-learn).

    Examples
    --------
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)  # (1 + 2/3) / 2
    0.8333
    """
    y_true_arr = _to_array(y_true, "y_true")
    if y_true_arr.ndim == 2 and y_true_arr.shape[1] == 1:
        y_true_arr = y_true_arr.reshape(-1)
    y_type = _type_of_target(y_true_arr, "y_true")
    if y_type != "binary":
        raise ValueError(f"{y_type} format is not supported (average_precision_score here is binary)")
    present = np.unique(y_true_arr)
    if len(present) == 2 and pos_label not in present:
        raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
    precision, recall, _ = precision_recall_curve(y_true_arr, y_score, pos_label=pos_label,
                                                  sample_weight=sample_weight)
    # -sum(diff(recall) * precision[:-1]), recall decreasing; rounding can give -0.0, clipped to 0
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


# ---------------------------------------------------------------------------------------------------------
# Regression metrics.


def _check_reg_targets(y_true, y_pred, sample_weight, multioutput, allowed):
    """Validated float64 targets of shape (n_samples, n_outputs), weights and output weights."""
    y_true = _to_array(y_true, "y_true")
    y_pred = _to_array(y_pred, "y_pred")
    for arr, name in ((y_true, "y_true"), (y_pred, "y_pred")):
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got an array of dtype {arr.dtype}")
        if arr.ndim > 2:
            raise ValueError(f"{name} must be 1-D or 2-D (n_samples, n_outputs), got shape {arr.shape}")
    _check_consistent_length(y_true, y_pred)
    y_true = y_true.astype(np.float64).reshape(len(y_true), -1)
    y_pred = y_pred.astype(np.float64).reshape(len(y_pred), -1)
    _check_finite(y_true, "y_true")
    _check_finite(y_pred, "y_pred")
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            f"y_true and y_pred have different number of output ({y_true.shape[1]}!={y_pred.shape[1]})"
        )
    w = _sample_weight(sample_weight, len(y_true))
    if w is not None:
        w = w.astype(np.float64)
    n_outputs = y_true.shape[1]
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(f"Allowed 'multioutput' string values are {allowed}. "
                             f"You provided multioutput={multioutput!r}")
    elif multioutput is not None:
        multioutput = _to_array(multioutput, "multioutput").astype(np.float64)
        if n_outputs == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if multioutput.shape != (n_outputs,):
            raise ValueError(f"There must be equally many custom weights ({multioutput.shape[0]}) as "
                             f"outputs ({n_outputs}).")
    return y_true, y_pred, w, multioutput


def _average_outputs(errors: np.ndarray, multioutput):
    """Per-output errors as they are (``"raw_values"``) or averaged (uniformly or with custom weights)."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        multioutput = None
    return float(np.average(errors, weights=multioutput))


def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    r"""Mean squared error :math:`\sum_i w_i (y_i - \hat y_i)^2 / \sum_i w_i`, per output then averaged.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,) or (n_samples, n_outputs)
        True values.
    y_pred : array_like or torch.Tensor, shape (n_samples,) or (n_samples, n_outputs)
        Predicted values.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).
    multioutput : {"raw_values", "uniform_average"} or array_like of shape (n_outputs,)
        ``"raw_values"``: one value per output; ``"uniform_average"`` (default): their mean; an array:
        their mean weighted by it.

    Returns
    -------
    float, or numpy.ndarray of float64 of shape (n_outputs,) with ``multioutput="raw_values"``

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length or number of outputs, or hold NaN or infinity; if every
        sample weight is 0; if `multioutput` is an unknown string, or weights for a single output or of
        the wrong length.
    TypeError
        If an input does not hold real numbers.

    Examples
    --------
    >>> mean_squared_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.375
    """
    y_true, y_pred, w, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput,
                                                        ("raw_values", "uniform_average"))
    return _average_outputs(np.average((y_true - y_pred) ** 2, axis=0, weights=w), multioutput)


def root_mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    r"""Root mean squared error :math:`\sqrt{\mathrm{MSE}}`, per output, then averaged over the outputs
    (the mean of the per-output roots, not the root of the mean).

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,) or (n_samples, n_outputs)
        True values.
    y_pred : array_like or torch.Tensor, shape (n_samples,) or (n_samples, n_outputs)
        Predicted values.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).
    multioutput : {"raw_values", "uniform_average"} or array_like of shape (n_outputs,)
        ``"raw_values"``: one value per output; ``"uniform_average"`` (default): their mean; an array:
        their mean weighted by it.

    Returns
    -------
    float, or numpy.ndarray of float64 of shape (n_outputs,) with ``multioutput="raw_values"``

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length or number of outputs, or hold NaN or infinity; if every
        sample weight is 0; if `multioutput` is an unknown string, or weights for a single output or of
        the wrong length.
    TypeError
        If an input does not hold real numbers.

    Examples
    --------
    >>> round(root_mean_squared_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]), 6)
    0.612372
    """
    y_true, y_pred, w, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput,
                                                        ("raw_values", "uniform_average"))
    return _average_outputs(np.sqrt(np.average((y_true - y_pred) ** 2, axis=0, weights=w)), multioutput)


def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    r"""Mean absolute error :math:`\sum_i w_i |y_i - \hat y_i| / \sum_i w_i`, per output then averaged.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,) or (n_samples, n_outputs)
        True values.
    y_pred : array_like or torch.Tensor, shape (n_samples,) or (n_samples, n_outputs)
        Predicted values.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).
    multioutput : {"raw_values", "uniform_average"} or array_like of shape (n_outputs,)
        ``"raw_values"``: one value per output; ``"uniform_average"`` (default): their mean; an array:
        their mean weighted by it.

    Returns
    -------
    float, or numpy.ndarray of float64 of shape (n_outputs,) with ``multioutput="raw_values"``

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length or number of outputs, or hold NaN or infinity; if every
        sample weight is 0; if `multioutput` is an unknown string, or weights for a single output or of
        the wrong length.
    TypeError
        If an input does not hold real numbers.

    Examples
    --------
    >>> mean_absolute_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.5
    """
    y_true, y_pred, w, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput,
                                                        ("raw_values", "uniform_average"))
    return _average_outputs(np.average(np.abs(y_pred - y_true), axis=0, weights=w), multioutput)


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True):
    r"""Coefficient of determination :math:`R^2`, per output then averaged.

    .. math:: R^2 = 1 - \frac{\sum_i w_i (y_i - \hat y_i)^2}{\sum_i w_i (y_i - \bar y_w)^2}

    with :math:`\bar y_w` the weighted mean of `y_true`. 1 is a perfect fit, 0 is as good as predicting
    the mean, and it is negative for worse predictions (it has no lower bound).

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,) or (n_samples, n_outputs)
        True values.
    y_pred : array_like or torch.Tensor, shape (n_samples,) or (n_samples, n_outputs)
        Predicted values.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample (default 1).
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array_like of shape \
(n_outputs,)
        ``"raw_values"``: one score per output; ``"uniform_average"`` (default): their mean;
        ``"variance_weighted"``: their mean weighted by the (weighted) variance of each output of
        `y_true` (uniform if every output is constant); an array: their mean weighted by it.
    force_finite : bool, default True
        For a constant `y_true` (denominator 0) return 1.0 for a perfect prediction and 0.0 otherwise,
        instead of NaN (0/0) or -inf.

    Returns
    -------
    float, or numpy.ndarray of float64 of shape (n_outputs,) with ``multioutput="raw_values"``

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length or number of outputs, or hold NaN or infinity; if every
        sample weight is 0; if `multioutput` is an unknown string, or weights for a single output or of
        the wrong length.
    TypeError
        If an input does not hold real numbers.

    Warns
    -----
    UndefinedMetricWarning
        With fewer than two samples; the result is then NaN.

    Examples
    --------
    >>> round(r2_score([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]), 6)
    0.948608
    >>> r2_score([1.0, 1.0, 1.0], [1.0, 1.0, 2.0])  # constant y_true: 0.0 instead of -inf
    0.0
    """
    allowed = ("raw_values", "uniform_average", "variance_weighted")
    y_true, y_pred, w, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput,
                                                        allowed)
    if len(y_true) < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.",
                      UndefinedMetricWarning, stacklevel=2)
        return float("nan")
    weight = 1.0 if w is None else w[:, None]
    numerator = np.sum(weight * (y_true - y_pred) ** 2, axis=0)
    denominator = np.sum(weight * (y_true - np.average(y_true, axis=0, weights=w)) ** 2, axis=0)
    nonzero_den = denominator != 0
    if force_finite:
        nonzero_num = numerator != 0
        scores = np.ones(y_true.shape[1])
        valid = nonzero_den & nonzero_num
        scores[valid] = 1.0 - numerator[valid] / denominator[valid]
        scores[nonzero_num & ~nonzero_den] = 0.0  # constant y_true, imperfect prediction
    else:
        with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 -> nan and x/0 -> -inf, on purpose
            scores = 1.0 - numerator / denominator
    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        multioutput = denominator if nonzero_den.any() else None
    return _average_outputs(scores, multioutput)
