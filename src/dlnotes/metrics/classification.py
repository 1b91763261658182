r"""Label metrics mirroring ``sklearn.metrics``: confusion matrix, accuracy, precision, recall and F1.

:func:`confusion_matrix`, :func:`accuracy_score`, :func:`precision_score`, :func:`recall_score` and
:func:`f1_score`, with ``average`` in ``"binary"``, ``"micro"``, ``"macro"``, ``"weighted"`` or ``None`` and
scikit-learn's ``zero_division`` rules (``"warn"``, 0, 1, ``np.nan``). All of them come from per-class counts
computed with one :func:`numpy.bincount` each (:func:`precision_recall_f1`, shown in the book). Tested
against scikit-learn 1.9 in float64.
"""

from __future__ import annotations

import warnings

import numpy as np

from dlnotes._typing import ArrayLike, Label
from dlnotes._validation import check_bool, is_real
from dlnotes.metrics._common import (
    AVERAGE_OPTIONS,
    UndefinedMetricWarning,
    _check_consistent_length,
    _is_string,
    _sample_weight,
    _to_array,
    _type_of_target,
)

__all__ = [
    "accuracy_score",
    "confusion_matrix",
    "f1_score",
    "precision_recall_f1",
    "precision_score",
    "recall_score",
]


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
        raise ValueError(f"Classification metrics can't handle a mix of {type_true} and {type_pred} targets")
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
    """The value a 0/0 metric takes: 0.0 for ``"warn"``, else `zero_division` (0, 1 or NaN).

    A string other than ``"warn"`` or a number other than these is a ``ValueError``; anything else (a bool
    included) a ``TypeError``.
    """
    message = f"zero_division must be 'warn', 0, 1 or np.nan, got {zero_division!r}"
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
        raise ValueError(message)
    if not is_real(zero_division):
        raise TypeError(message)
    if zero_division in (0, 1):
        return float(zero_division)
    if np.isnan(zero_division):
        return np.nan
    raise ValueError(message)


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


#: The scores :func:`precision_recall_f1` computes.
_METRICS = ("precision", "recall", "f1")


def precision_recall_f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    metric: str,
    labels: ArrayLike | None = None,
    pos_label: Label | None = 1,
    average: str | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: str | float = "warn",
) -> float | np.ndarray:
    r"""Precision, recall or F1 of labels: the body shared by :func:`precision_score` and its two siblings.

    :func:`precision_score`, :func:`recall_score` and :func:`f1_score` each call this function.

    Check the inputs, count per class the true positives :math:`TP_k`, the predicted :math:`TP_k + FP_k`
    and the true :math:`TP_k + FN_k` samples (one :func:`numpy.bincount` each), divide, then average:

    .. math::

        P_k = \frac{TP_k}{TP_k + FP_k}, \qquad R_k = \frac{TP_k}{TP_k + FN_k}, \qquad
        F_{1,k} = \frac{2\,TP_k}{2\,TP_k + FP_k + FN_k}.

    Parameters
    ----------
    y_true, y_pred : array_like or torch.Tensor, shape (n_samples,)
        True and predicted labels (numbers or strings).
    metric : {"precision", "recall", "f1"}
        The score to compute.
    labels, pos_label, average, sample_weight, zero_division
        As in :func:`precision_score` (same defaults).

    Returns
    -------
    float, or numpy.ndarray of float64 of shape (n_labels,) when ``average=None``

    Raises
    ------
    ValueError
        If `metric` is not one of the three; for the errors listed in :func:`precision_score`.

    Warns
    -----
    UndefinedMetricWarning
        With ``zero_division="warn"``, when a score is 0/0.
    UserWarning
        When `pos_label` is set (not 1) but `average` is not ``"binary"``.

    Examples
    --------
    >>> y_true, y_pred = [0, 1, 1, 0], [1, 1, 1, 0]
    >>> [precision_recall_f1(y_true, y_pred, metric=m) for m in ("precision", "recall", "f1")]
    [0.6666666666666666, 1.0, 0.8]
    """
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {_METRICS}, got {metric!r}")
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


def confusion_matrix(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
    normalize: str | None = None,
) -> np.ndarray:
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
        total = {
            "true": cm.sum(axis=1, keepdims=True),
            "pred": cm.sum(axis=0, keepdims=True),
            "all": cm.sum(),
        }[normalize]
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


def accuracy_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, normalize: bool = True, sample_weight: ArrayLike | None = None
) -> float:
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
    TypeError
        If `normalize` is not a bool.

    Examples
    --------
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3], normalize=False)
    2.0
    """
    normalize = check_bool(normalize, "normalize")
    _, _, y_true, y_pred, w = _check_targets(y_true, y_pred, sample_weight)
    correct = (y_true == y_pred).astype(np.float64)
    if normalize:
        return float(np.average(correct, weights=w))
    return float(correct.sum() if w is None else correct @ w)


def precision_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Label | None = 1,
    average: str | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: str | float = "warn",
) -> float | np.ndarray:
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
        ``average="binary"``; if `labels` is empty; if `zero_division` is a string other than ``"warn"``
        or a number other than 0, 1 and NaN.
    TypeError
        If `zero_division` is neither a string nor a real number (a bool is refused).

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
    return precision_recall_f1(
        y_true,
        y_pred,
        metric="precision",
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def recall_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Label | None = 1,
    average: str | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: str | float = "warn",
) -> float | np.ndarray:
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
        ``average="binary"``; if `labels` is empty; if `zero_division` is a string other than ``"warn"``
        or a number other than 0, 1 and NaN.
    TypeError
        If `zero_division` is neither a string nor a real number (a bool is refused).

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
    return precision_recall_f1(
        y_true,
        y_pred,
        metric="recall",
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def f1_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Label | None = 1,
    average: str | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: str | float = "warn",
) -> float | np.ndarray:
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
        ``average="binary"``; if `labels` is empty; if `zero_division` is a string other than ``"warn"``
        or a number other than 0, 1 and NaN.
    TypeError
        If `zero_division` is neither a string nor a real number (a bool is refused).

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
    return precision_recall_f1(
        y_true,
        y_pred,
        metric="f1",
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


# ---------------------------------------------------------------------------------------------------------
