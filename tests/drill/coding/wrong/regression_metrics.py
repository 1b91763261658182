"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.regression_metrics."""

import numpy as np

from tests.drill.coding.wrong import wrong


def _r2(y_true, y_pred, multioutput, *, denominator=None, constant=None):
    """R² per column with a replaceable denominator and rule for constant columns; then averaged."""
    y_true, y_pred = y_true.reshape(len(y_true), -1), y_pred.reshape(len(y_pred), -1)
    ss_res = np.sum((y_true - y_pred) ** 2, axis=0)
    ss_tot = np.sum((y_true - y_true.mean(axis=0)) ** 2, axis=0) if denominator is None else denominator
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = 1 - ss_res / ss_tot
    if constant is not None:
        r2 = np.where(ss_tot == 0, constant(ss_res), r2)
    return r2 if multioutput == "raw_values" else float(np.mean(r2))


def _sklearn_rule(ss_res):
    return np.where(ss_res == 0, 1.0, 0.0)


@wrong("r2-score", fails="one output")
def r2_with_variance_of_y_pred(y_true, y_pred, *, multioutput="uniform_average"):
    """Divides by the spread of the predictions instead of the spread of the targets."""
    y_p = y_pred.reshape(len(y_pred), -1)
    return _r2(y_true, y_pred, multioutput, denominator=np.sum((y_p - y_p.mean(axis=0)) ** 2, axis=0))


@wrong("r2-score", fails="one output")
def r2_with_unbiased_variance(y_true, y_pred, *, multioutput="uniform_average"):
    """1 - MSE / Var(y) with the variance divided by n - 1 (torch.var's and pandas' default)."""
    y_t = y_true.reshape(len(y_true), -1)
    # 1 - (SS_res / n) / (SS_tot / (n - 1)): the denominator SS_tot becomes n * Var_{n-1}(y)
    return _r2(y_true, y_pred, multioutput, denominator=len(y_t) * np.var(y_t, axis=0, ddof=1))


@wrong("r2-score", fails="two outputs")
def r2_pooled_over_outputs(y_true, y_pred, *, multioutput="uniform_average"):
    """One R² over all the entries (the outputs flattened together) instead of the mean of per-output R²."""
    if multioutput == "raw_values":
        return _r2(y_true, y_pred, multioutput, constant=_sklearn_rule)
    ss_res = np.sum((y_true - y_pred) ** 2)
    ss_tot = np.sum((y_true - y_true.mean()) ** 2)
    return float(1 - ss_res / ss_tot) if ss_tot else float(ss_res == 0)


@wrong("r2-score", fails="raw values")
def r2_ignores_raw_values(y_true, y_pred, *, multioutput="uniform_average"):
    """Always averages the outputs, whatever `multioutput` asks for."""
    return _r2(y_true, y_pred, "uniform_average", constant=_sklearn_rule)


@wrong("r2-score", fails="constant y_true")
def r2_constant_not_handled(y_true, y_pred, *, multioutput="uniform_average"):
    """The formula as written: a constant target divides by 0 and gives -inf (or NaN)."""
    return _r2(y_true, y_pred, multioutput)


@wrong("r2-score", fails="constant output predicted exactly")
def r2_constant_always_zero(y_true, y_pred, *, multioutput="uniform_average"):
    """Returns 0 for every constant output, even one predicted exactly (scikit-learn gives 1.0)."""
    return _r2(y_true, y_pred, multioutput, constant=lambda ss_res: np.zeros_like(ss_res))
