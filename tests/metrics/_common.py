"""What the dlnotes.metrics tests share: ours and scikit-learn's called on the same inputs.

``compare`` calls both and checks the values (integers exactly, floats to rtol=1e-12) and the warnings;
``both_raise`` checks that ours raises the documented ValueError and that scikit-learn raises too. The
checks of the validation that every metric does (lengths, empty input, all-zero sample weights) are here
once, and each test module runs them for its own metrics.
"""

import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from sklearn import metrics as skm

from dlnotes import metrics

RTOL = 1e-12
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PRF = ["precision_score", "recall_score", "f1_score"]
LABEL_FUNCS = ["confusion_matrix", "accuracy_score"] + PRF
CURVE_FUNCS = ["roc_curve", "precision_recall_curve", "roc_auc_score", "average_precision_score"]
REG_FUNCS = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error", "r2_score"]


def run(fn, *args, **kwargs):
    """fn(*args, **kwargs) and the sorted messages of the warnings it raised (recorded, not raised)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="ignore"):  # scikit-learn's own 0/0 for r2 with force_finite=False
            result = fn(*args, **kwargs)
    return result, sorted(str(w.message) for w in caught if issubclass(w.category, UserWarning))


def assert_same(ours, theirs, exact=False):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_same(o, t, exact)
        return
    ours_arr, theirs_arr = np.asarray(ours), np.asarray(theirs)
    assert ours_arr.shape == theirs_arr.shape
    if exact:
        assert ours_arr.dtype.kind == theirs_arr.dtype.kind
        np.testing.assert_array_equal(ours_arr, theirs_arr)
    else:
        np.testing.assert_allclose(ours_arr, theirs_arr, rtol=RTOL, atol=1e-15, equal_nan=True)
    if np.ndim(theirs) == 0:
        assert isinstance(ours, float)


def compare(name, *args, exact=False, **kwargs):
    """Call dlnotes.metrics.<name> and sklearn.metrics.<name>; same values and same warnings."""
    try:
        theirs, theirs_warned = run(getattr(skm, name), *args, **kwargs)
    except ValueError:  # e.g. all sample weights 0 (checked by message in test_all_zero_weights)
        # ours refuses too, in its own words: it may check the inputs in another order than scikit-learn
        with pytest.raises(ValueError):  # noqa: PT011
            getattr(metrics, name)(*args, **kwargs)
        return None, None
    ours, ours_warned = run(getattr(metrics, name), *args, **kwargs)
    assert_same(ours, theirs, exact)
    assert ours_warned == theirs_warned
    return ours, ours_warned


def both_raise(name, *args, match, sklearn_raises=True, **kwargs):
    with pytest.raises(ValueError, match=match):
        getattr(metrics, name)(*args, **kwargs)
    if sklearn_raises:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # scikit-learn casts NaN labels to int first
            # scikit-learn's words are not always ours: that it refuses the input is what is checked
            with pytest.raises(ValueError):  # noqa: PT011
                getattr(skm, name)(*args, **kwargs)


def check_length_mismatch_and_empty(name):
    """Inputs of different lengths, empty inputs and sample weights of the wrong length are refused."""
    ones = [1.0, 0.0, 1.0] if name in REG_FUNCS + CURVE_FUNCS else [1, 0, 1]
    both_raise(
        name,
        [1, 0, 1],
        [1, 0, 1, 0] if name not in CURVE_FUNCS else [0.1, 0.2, 0.3, 0.4],
        match=re.escape("Found input variables with inconsistent numbers of samples: [3, 4]"),
    )
    # (scikit-learn's average_precision_score fails with an IndexError on empty input)
    both_raise(name, [], [], match="empty|minimum of 1", sklearn_raises=name != "average_precision_score")
    if name != "roc_auc_score":
        both_raise(
            name,
            [1, 0, 1],
            ones,
            sample_weight=[1.0, 1.0],
            match=r"inconsistent numbers of samples: \[3, 3, 2\]|sample_weight.shape",
        )


def check_all_zero_weights(name):
    """Sample weights that are all zero are refused, by ours and by scikit-learn."""
    both_raise(
        name,
        [0, 1, 1],
        [0.0, 1.0, 1.0],
        sample_weight=[0.0, 0.0, 0.0],
        match="Sample weights must contain at least one non-zero number",
    )
