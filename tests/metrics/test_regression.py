"""dlnotes.metrics' regression metrics against sklearn.metrics, on the same inputs, in float64.

Hypothesis draws one or three outputs (some constant, some predicted perfectly), with and without sample
weights, and every ``multioutput`` option; MSE, RMSE, MAE and R² (with and without ``force_finite``) must
equal scikit-learn's to rtol=1e-12 and warn alike. Every documented error has a test.
"""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import metrics
from dlnotes.metrics import UndefinedMetricWarning
from tests.metrics._common import (
    REG_FUNCS,
    SETTINGS,
    both_raise,
    check_all_zero_weights,
    check_length_mismatch_and_empty,
    compare,
)

# ---------------------------------------------------------------------------------------------------------
# Regression metrics.


@st.composite
def regression_data(draw):
    n = draw(st.integers(1, 25))
    k = draw(st.sampled_from([1, 3]))
    values = st.sampled_from([-2.0, -0.5, 0.0, 1.0, 1.5, 3.0]) | st.floats(-1e3, 1e3)
    y_true = np.array(draw(st.lists(values, min_size=n * k, max_size=n * k))).reshape(n, k)
    y_pred = np.array(draw(st.lists(values, min_size=n * k, max_size=n * k))).reshape(n, k)
    if draw(st.booleans()):  # some constant outputs, some perfect predictions
        y_true[:, 0] = 1.0
    if draw(st.booleans()):
        y_pred[:, -1] = y_true[:, -1]
    if k == 1 and draw(st.booleans()):
        y_true, y_pred = y_true[:, 0], y_pred[:, 0]
    w = None
    if draw(st.booleans()):
        w = np.array(draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.5]), min_size=n, max_size=n)))
    multioutput = draw(st.sampled_from(["raw_values", "uniform_average"] + (["weights"] if k == 3 else [])))
    if multioutput == "weights":
        multioutput = np.array([0.2, 1.0, 3.0])
    return y_true, y_pred, w, multioutput


@SETTINGS
@given(data=regression_data())
def test_mse_rmse_mae(data):
    y_true, y_pred, w, multioutput = data
    for name in ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error"]:
        compare(name, y_true, y_pred, sample_weight=w, multioutput=multioutput)


@SETTINGS
@given(data=regression_data(), variance_weighted=st.booleans(), force_finite=st.booleans())
def test_r2(data, variance_weighted, force_finite):
    y_true, y_pred, w, multioutput = data
    if variance_weighted:
        multioutput = "variance_weighted"
    compare("r2_score", y_true, y_pred, sample_weight=w, multioutput=multioutput, force_finite=force_finite)


def test_r2_by_example():
    assert metrics.r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) == 1.0
    assert metrics.r2_score([1.0, 2.0, 3.0], [2.0, 2.0, 2.0]) == 0.0  # predicting the mean
    assert metrics.r2_score([1.0, 1.0], [1.0, 1.0]) == 1.0  # constant and perfect
    assert metrics.r2_score([1.0, 1.0], [1.0, 2.0]) == 0.0  # constant, imperfect: finite by default
    assert metrics.r2_score([1.0, 1.0], [1.0, 2.0], force_finite=False) == -np.inf
    assert np.isnan(metrics.r2_score([1.0, 1.0], [1.0, 1.0], force_finite=False))
    with pytest.warns(UndefinedMetricWarning, match="less than two samples"):
        assert np.isnan(metrics.r2_score([1.0], [2.0]))


# ---------------------------------------------------------------------------------------------------------
# Errors: every documented ValueError / TypeError, and sklearn raises too where it does.


@pytest.mark.parametrize("name", REG_FUNCS)
def test_length_mismatch_and_empty(name):
    check_length_mismatch_and_empty(name)


@pytest.mark.parametrize("name", REG_FUNCS)
def test_all_zero_weights(name):
    check_all_zero_weights(name)


def test_regression_errors():
    both_raise(
        "mean_squared_error",
        [[1.0, 2.0]],
        [[1.0, 2.0, 3.0]],
        match=re.escape("y_true and y_pred have different number of output (2!=3)"),
    )
    both_raise(
        "r2_score", [1.0, 2.0], [1.0, 2.0], multioutput="mean", match="Allowed 'multioutput' string values"
    )
    both_raise(
        "mean_absolute_error",
        [1.0, 2.0],
        [1.0, 2.0],
        multioutput="variance_weighted",
        match="Allowed 'multioutput' string values",
    )
    both_raise(
        "mean_squared_error",
        [1.0, 2.0],
        [1.0, 2.0],
        multioutput=[0.5],
        match="Custom weights are useful only in multi-output cases",
    )
    both_raise(
        "r2_score",
        [[1.0, 2.0], [3.0, 4.0]],
        [[1.0, 2.0], [3.0, 5.0]],
        multioutput=[1.0],
        match=re.escape("There must be equally many custom weights (1) as outputs (2)."),
    )
    both_raise("mean_squared_error", [1.0, np.inf], [1.0, 2.0], match="y_true contains infinity")
    both_raise("mean_squared_error", [1.0, 2.0], [1.0, np.nan], match="y_pred contains NaN")
    with pytest.raises(TypeError, match="y_true must hold real numbers"):
        metrics.mean_squared_error(["a", "b"], [1.0, 2.0])
