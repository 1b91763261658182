r"""Regression metrics mirroring ``sklearn.metrics``: MSE, RMSE, MAE and R².

:func:`mean_squared_error`, :func:`root_mean_squared_error`, :func:`mean_absolute_error` and
:func:`r2_score`, with ``multioutput`` and (for :math:`R^2`) ``force_finite``. Tested against
scikit-learn 1.9 in float64.
"""

from __future__ import annotations

import warnings

import numpy as np

from dlnotes._typing import ArrayLike
from dlnotes._validation import check_bool, check_finite
from dlnotes.metrics._common import (
    UndefinedMetricWarning,
    _check_consistent_length,
    _sample_weight,
    _to_array,
)

__all__ = [
    "mean_absolute_error",
    "mean_squared_error",
    "r2_score",
    "root_mean_squared_error",
]


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
    check_finite(y_true, "y_true")
    check_finite(y_pred, "y_pred")
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
            raise ValueError(
                f"Allowed 'multioutput' string values are {allowed}. You provided multioutput={multioutput!r}"
            )
    elif multioutput is not None:
        multioutput = _to_array(multioutput, "multioutput").astype(np.float64)
        if n_outputs == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if multioutput.shape != (n_outputs,):
            raise ValueError(
                f"There must be equally many custom weights ({multioutput.shape[0]}) as "
                f"outputs ({n_outputs})."
            )
    return y_true, y_pred, w, multioutput


def _average_outputs(errors: np.ndarray, multioutput):
    """Per-output errors as they are (``"raw_values"``) or averaged (uniformly or with custom weights)."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        multioutput = None
    return float(np.average(errors, weights=multioutput))


def mean_squared_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
) -> float | np.ndarray:
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
    y_true, y_pred, w, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, ("raw_values", "uniform_average")
    )
    return _average_outputs(np.average((y_true - y_pred) ** 2, axis=0, weights=w), multioutput)


def root_mean_squared_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
) -> float | np.ndarray:
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
    y_true, y_pred, w, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, ("raw_values", "uniform_average")
    )
    return _average_outputs(np.sqrt(np.average((y_true - y_pred) ** 2, axis=0, weights=w)), multioutput)


def mean_absolute_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
) -> float | np.ndarray:
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
    y_true, y_pred, w, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, ("raw_values", "uniform_average")
    )
    return _average_outputs(np.average(np.abs(y_pred - y_true), axis=0, weights=w), multioutput)


def r2_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
    force_finite: bool = True,
) -> float | np.ndarray:
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
        If an input does not hold real numbers, or `force_finite` is not a bool.

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
    force_finite = check_bool(force_finite, "force_finite")
    allowed = ("raw_values", "uniform_average", "variance_weighted")
    y_true, y_pred, w, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput, allowed)
    if len(y_true) < 2:
        warnings.warn(
            "R^2 score is not well-defined with less than two samples.", UndefinedMetricWarning, stacklevel=2
        )
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
