"""What every metric shares: the warning class and the input checks of scikit-learn's metrics (private)."""

from __future__ import annotations

import numpy as np

from dlnotes._validation import check_finite, to_numpy

__all__ = [
    "AVERAGE_OPTIONS",
    "UndefinedMetricWarning",
]


#: The values of ``average`` accepted by the label metrics.
AVERAGE_OPTIONS = ("binary", "micro", "macro", "weighted", None)


class UndefinedMetricWarning(UserWarning):
    """Warning used when a metric is ill-defined (a division by zero), like scikit-learn's class of the same
    name; the value returned is then set by ``zero_division`` (0.0 when it is ``"warn"``).

    Examples
    --------
    >>> import warnings
    >>> from dlnotes.metrics import precision_score
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
    arr = to_numpy(x, name)
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
    check_finite(w, "sample_weight")
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
        check_finite(y, name)
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
