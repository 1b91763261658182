r"""Ranking metrics for a binary target, mirroring ``sklearn.metrics``: ROC and precision-recall curves.

:func:`roc_curve` and :func:`roc_auc_score` (Fawcett 2006; the area equals the Mann-Whitney statistic,
Hanley & McNeil 1982), :func:`precision_recall_curve` and :func:`average_precision_score` (Davis & Goadrich
2006), and the interpolated AP of object detection, :func:`interpolated_average_precision` (Everingham et
al. 2010, Lin et al. 2014). Each is one sort of the scores plus cumulative sums (:func:`binary_clf_curve`),
O(n log n); tied scores form a single threshold. Tested against scikit-learn 1.9 in float64.

References
----------
- Fawcett, T. (2006). An introduction to ROC analysis. *Pattern Recognition Letters* 27(8), 861-874.
- Davis, J., Goadrich, M. (2006). The relationship between precision-recall and ROC curves. *ICML*.
- Hanley, J. A., McNeil, B. J. (1982). The meaning and use of the area under a receiver operating
  characteristic (ROC) curve. *Radiology* 143(1), 29-36.
- Everingham, M. et al. (2010). The PASCAL visual object classes (VOC) challenge. *IJCV* 88(2), 303-338.
- Everingham, M. et al. (2015). The PASCAL visual object classes challenge: a retrospective. *IJCV* 111(1),
  98-136 (the all-point AP used from VOC 2010 on).
- Lin, T.-Y. et al. (2014). Microsoft COCO: common objects in context. *ECCV*.
"""

from __future__ import annotations

import warnings

import numpy as np

from dlnotes._typing import ArrayLike, Label
from dlnotes._validation import check_bool, check_choice, check_finite, check_int, is_int
from dlnotes.metrics._common import (
    UndefinedMetricWarning,
    _check_consistent_length,
    _is_string,
    _sample_weight,
    _to_array,
    _type_of_target,
)

__all__ = [
    "average_precision_score",
    "binary_clf_curve",
    "interpolated_average_precision",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]


# Ranking metrics: one sort of the scores, then cumulative sums.


def _check_binary_clf_inputs(y_true, y_score, pos_label, sample_weight):
    """`y_true` and `y_score` as checked 1-D arrays, and the positive label (None: 1)."""
    y_true = _to_array(y_true, "y_true")
    y_score = _to_array(y_score, "y_score")
    for arr, name in ((y_true, "y_true"), (y_score, "y_score")):
        if arr.ndim == 2 and arr.shape[1] == 1:
            continue
        if arr.ndim != 1:
            raise ValueError(
                f"{name} must be 1-D (binary target and one score per sample), got shape {arr.shape}"
            )
    y_true, y_score = y_true.reshape(-1), y_score.reshape(-1)
    _check_consistent_length(
        y_true,
        y_score,
        None if sample_weight is None else _to_array(sample_weight, "sample_weight").reshape(-1),
    )
    if y_score.dtype.kind not in "biuf":
        raise TypeError(f"y_score must hold real numbers, got an array of dtype {y_score.dtype}")
    check_finite(y_score, "y_score")
    y_type = _type_of_target(y_true, "y_true")
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
        raise ValueError(f"{y_type} format is not supported")
    if pos_label is None:
        classes = np.unique(y_true)
        if _is_string(classes) or not any(set(classes.tolist()) <= allowed for allowed in ({0, 1}, {-1, 1})):
            classes_repr = ", ".join(repr(c) for c in classes.tolist())
            raise ValueError(
                f"y_true takes value in {{{classes_repr}}} and pos_label is not specified: either make "
                "y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly."
            )
        pos_label = 1
    return y_true, y_score, pos_label


def binary_clf_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Label | None = None,
    sample_weight: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""False and true positives (weighted) at each distinct score taken as threshold, highest first.

    The core of the four ranking metrics: one stable sort of the scores by decreasing value, then cumulative
    sums. With the scores sorted, :math:`s_{(1)} \ge s_{(2)} \ge \dots`, and :math:`t_k` the distinct values,

    .. math::

        \mathrm{TP}(t_k) = \sum_{i:\, y_i = 1,\ s_i \ge t_k} w_i, \qquad
        \mathrm{FP}(t_k) = \sum_{i:\, y_i \ne 1,\ s_i \ge t_k} w_i.

    Tied scores are one threshold. This is scikit-learn's ``_binary_clf_curve`` (since 1.8
    ``confusion_matrix_at_thresholds``, which also returns the true and false negatives), O(n log n).

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

    Returns
    -------
    fps : numpy.ndarray of float64, shape (n_thresholds,)
        Weight of the negatives with a score ``>= thresholds[i]``, non-decreasing.
    tps : numpy.ndarray of float64, shape (n_thresholds,)
        Weight of the positives with a score ``>= thresholds[i]``, non-decreasing.
    thresholds : numpy.ndarray of float64, shape (n_thresholds,)
        The distinct scores, decreasing.

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length or are not 1-D; if `y_score` holds NaN or infinity; if
        `y_true` is continuous or multilabel, or multiclass without `pos_label`; if `pos_label` is None and
        the labels are not {0, 1} or {-1, 1} (or a subset); if every sample weight is 0.
    TypeError
        If `y_score` does not hold real numbers.

    Examples
    --------
    >>> fps, tps, thresholds = binary_clf_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fps, tps, thresholds
    (array([0., 1., 1., 2.]), array([1., 1., 2., 2.]), array([0.8 , 0.4 , 0.35, 0.1 ]))
    """
    y_true, y_score, pos_label = _check_binary_clf_inputs(y_true, y_score, pos_label, sample_weight)
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


def roc_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Label | None = None,
    sample_weight: ArrayLike | None = None,
    drop_intermediate: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
        If `y_score` does not hold real numbers, or `drop_intermediate` is not a bool.

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
    drop_intermediate = check_bool(drop_intermediate, "drop_intermediate")
    fps, tps, thresholds = binary_clf_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    if drop_intermediate and len(fps) > 2:
        # A point is a corner only where the second difference of fps or of tps is nonzero; points with
        # both second differences 0 lie on the segment joining their neighbours. The counts are exact
        # integers without weights; with weights a rounding error can only keep a point, never drop one.
        keep = np.concatenate([[True], np.diff(fps, 2) != 0, [True]]) | np.concatenate(
            [[True], np.diff(tps, 2) != 0, [True]]
        )
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps = np.concatenate([[0.0], fps])
    tps = np.concatenate([[0.0], tps])
    thresholds = np.concatenate([[np.inf], thresholds])
    if fps[-1] <= 0:
        warnings.warn(
            "No negative samples in y_true, false positive value should be meaningless",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        fpr = np.full(fps.shape, np.nan)
    else:
        fpr = fps / fps[-1]
    if tps[-1] <= 0:
        warnings.warn(
            "No positive samples in y_true, true positive value should be meaningless",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        tpr = np.full(tps.shape, np.nan)
    else:
        tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def _check_auc_target(y_true):
    """`y_true` as a 1-D array of exactly two classes, and the greater one (the positive class)."""
    y_true = _to_array(y_true, "y_true")
    if y_true.ndim == 2 and y_true.shape[1] == 1:
        y_true = y_true.reshape(-1)
    y_type = _type_of_target(y_true, "y_true")
    if y_type != "binary":
        raise ValueError(
            f"roc_auc_score supports binary y_true only, got a {y_type} target "
            "(multiclass ROC AUC is not implemented in dlnotes.metrics)"
        )
    classes = np.unique(y_true)
    if len(classes) != 2:
        if len(classes) == 0:
            raise ValueError(
                "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 "
                "sample is required."
            )
        raise ValueError("Only one class present in y_true. ROC AUC score is not defined in that case.")
    return y_true, classes[1]


def roc_auc_score(y_true: ArrayLike, y_score: ArrayLike, *, sample_weight: ArrayLike | None = None) -> float:
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
    y_true, pos_label = _check_auc_target(y_true)
    fpr, tpr, _ = roc_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    # trapezoidal rule: sum_k (fpr_k - fpr_{k-1}) (tpr_k + tpr_{k-1}) / 2, as np.trapezoid (sklearn's auc)
    return float(np.trapezoid(tpr, fpr))


def precision_recall_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Label | None = None,
    sample_weight: ArrayLike | None = None,
    drop_intermediate: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
        If `y_score` does not hold real numbers, or `drop_intermediate` is not a bool.

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
    drop_intermediate = check_bool(drop_intermediate, "drop_intermediate")
    fps, tps, thresholds = binary_clf_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    if drop_intermediate and len(fps) > 2:
        # keep a point unless tps (so the recall) equals both its neighbours
        keep = np.concatenate([[True], (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0), [True]])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
    if tps[-1] == 0:
        warnings.warn(
            "No positive class found in y_true, recall is set to one for all thresholds.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    # reverse so that recall decreases, and end at (recall 0, precision 1)
    return (np.concatenate([precision[::-1], [1.0]]), np.concatenate([recall[::-1], [0.0]]), thresholds[::-1])


def _check_ap_target(y_true, pos_label):
    """`y_true` as a 1-D binary array of which `pos_label` is a label (if it holds two)."""
    y_true_arr = _to_array(y_true, "y_true")
    if y_true_arr.ndim == 2 and y_true_arr.shape[1] == 1:
        y_true_arr = y_true_arr.reshape(-1)
    y_type = _type_of_target(y_true_arr, "y_true")
    if y_type != "binary":
        raise ValueError(f"{y_type} format is not supported (average_precision_score here is binary)")
    present = np.unique(y_true_arr)
    if len(present) == 2 and pos_label not in present:
        raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
    return y_true_arr


def average_precision_score(
    y_true: ArrayLike, y_score: ArrayLike, *, pos_label: Label = 1, sample_weight: ArrayLike | None = None
) -> float:
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
    y_true = _check_ap_target(y_true, pos_label)
    precision, recall, _ = precision_recall_curve(
        y_true, y_score, pos_label=pos_label, sample_weight=sample_weight
    )
    # -sum(diff(recall) * precision[:-1]), recall decreasing; rounding can give -0.0, clipped to 0
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


def _check_recall_points(recall_points):
    """`recall_points` as an int >= 2 or the string "all"."""
    if isinstance(recall_points, str):
        return check_choice(recall_points, "recall_points", ("all",))
    if not is_int(recall_points):
        raise TypeError(f"recall_points must be an int or 'all', got {type(recall_points).__name__}")
    return check_int(recall_points, "recall_points", minimum=2)


def interpolated_average_precision(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    recall_points: int | str = 11,
    pos_label: Label = 1,
    sample_weight: ArrayLike | None = None,
) -> float:
    r"""Interpolated average precision, as PASCAL VOC and COCO report it for object detection.

    Precision is first replaced by its monotone envelope, the best precision at this recall or any higher one,

    .. math:: p_{\mathrm{interp}}(r) = \max_{n:\, R_n \ge r} P_n \quad (0 \text{ if no } R_n \ge r),

    over the points :math:`(R_n, P_n)` of :func:`precision_recall_curve` (its final point, recall 0 and
    precision 1, which no threshold reaches, left out). Then, with ``recall_points=K``, the envelope is
    averaged at :math:`K` evenly spaced recalls,

    .. math:: \mathrm{AP}_K = \frac1K \sum_{k=0}^{K-1} p_{\mathrm{interp}}\!\left(\frac{k}{K-1}\right),

    which is PASCAL VOC 2007's 11-point AP for ``K=11`` (Everingham et al. 2010) and COCO's 101-point AP
    for ``K=101`` (Lin et al. 2014); ``recall_points="all"`` gives the area under the envelope,
    :math:`\sum_n (R_n - R_{n-1})\, p_{\mathrm{interp}}(R_n)`, which VOC uses since 2010 (Everingham
    et al. 2015). The envelope is at least the precision at every point, so the ``"all"`` value is at least
    :func:`average_precision_score`, equal when precision already falls with recall. Tied scores are one
    threshold, as in :func:`average_precision_score`; the detection toolkits sort detections and break ties
    by that order.

    Parameters
    ----------
    y_true : array_like or torch.Tensor, shape (n_samples,)
        True binary labels.
    y_score : array_like or torch.Tensor, shape (n_samples,)
        Scores, larger meaning more likely positive.
    recall_points : int or "all", default 11
        How many evenly spaced recalls from 0 to 1 to average the envelope at (11: VOC 2007, 101: COCO),
        or ``"all"`` for the area under the envelope (VOC 2010 and later).
    pos_label : int, float, bool or str, default 1
        The positive class.
    sample_weight : array_like, shape (n_samples,), optional
        Weight of each sample.

    Returns
    -------
    float
        In [0, 1]; 1 for a perfect ranking.

    Raises
    ------
    ValueError
        If `recall_points` is an int below 2 or a string other than "all"; for the errors of
        :func:`average_precision_score`.
    TypeError
        If `recall_points` is neither an int nor a string; if `y_score` does not hold real numbers.

    Warns
    -----
    UndefinedMetricWarning
        If `y_true` has no positive sample (the result is then 0).

    Examples
    --------
    >>> y, s = [1, 0, 1, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5]
    >>> round(average_precision_score(y, s), 4)  # (1 + 2/3 + 3/4) / 3: precision where recall grows
    0.8056
    >>> round(interpolated_average_precision(y, s, recall_points="all"), 4)  # (1 + 3/4 + 3/4) / 3
    0.8333
    >>> round(interpolated_average_precision(y, s, recall_points=11), 4)  # (4 * 1 + 7 * 3/4) / 11
    0.8409
    """
    recall_points = _check_recall_points(recall_points)
    y_true = _check_ap_target(y_true, pos_label)
    precision, recall, _ = precision_recall_curve(
        y_true, y_score, pos_label=pos_label, sample_weight=sample_weight
    )
    # by increasing recall, without the final (recall 0, precision 1) point
    precision, recall = precision[-2::-1], recall[-2::-1]
    # p_interp(R_n) = max_{m >= n} P_m: a running maximum from the high-recall end
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    if recall_points == "all":
        # sum_n (R_n - R_{n-1}) p_interp(R_n), R_0 = 0
        return float(np.sum(np.diff(recall, prepend=0.0) * envelope))
    # r_k = k / (K - 1), correctly rounded like R_n = TP / P, so that R_n >= r_k holds when the fractions are
    # equal (VOC's np.arange(0, 1.1, 0.1) holds 0.30000000000000004, which a recall of exactly 3/10 misses)
    r = np.arange(recall_points) / (recall_points - 1)
    # p_interp(r_k): the envelope at the first point with R_n >= r_k (recall is sorted), 0 past the last
    first = np.searchsorted(recall, r, side="left")
    return float(np.mean(np.append(envelope, 0.0)[first]))


# ---------------------------------------------------------------------------------------------------------
