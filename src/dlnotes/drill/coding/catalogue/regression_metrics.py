"""Drills of the chapter book/evaluation/regression-metrics.md."""

from __future__ import annotations

import torch

from dlnotes import metrics
from dlnotes.drill.coding import Case, drill, randn

REGRESSION = "book/evaluation/regression-metrics"


def _fit(g: torch.Generator, n: int, *scales: float):
    """Targets with one column per scale (N(3, scale²)) and predictions off by N(0, (scale/2)²).

    No scales: 1-D arrays. The columns' scales differ so that pooling them gives another number.
    """
    columns = scales or (1.0,)
    y_true = torch.stack([3.0 + randn(g, n, scale=s) for s in columns], dim=1)
    y_pred = y_true + torch.stack([randn(g, n, scale=s / 2) for s in columns], dim=1)
    if not scales:
        y_true, y_pred = y_true[:, 0], y_pred[:, 0]
    return y_true.numpy(), y_pred.numpy()


@drill(
    name="r2-score",
    title="R² with constant targets and several outputs",
    chapter=REGRESSION,
    difficulty="easy",
    minutes=10,
    statement=r"""
Return $R^2 = 1 - \sum_i (y_i - \hat y_i)^2 / \sum_i (y_i - \bar y)^2$ of NumPy float64 arrays of shape
$(n,)$ or $(n, d)$, per output (column). `multioutput="raw_values"` returns the $d$ scores,
`"uniform_average"` their mean. For a constant output (denominator 0) return 1.0 if it is predicted
exactly and 0.0 otherwise, as scikit-learn's `force_finite=True` does. Compared with
`sklearn.metrics.r2_score` to 1e-12.
""",
    starter='''
def r2_score(
    y_true: np.ndarray, y_pred: np.ndarray, *, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """R² of each output; their mean, or all of them with "raw_values"."""
''',
    reference=lambda y_true, y_pred, *, multioutput="uniform_average": metrics.r2_score(
        y_true, y_pred, multioutput=multioutput
    ),
    solution="dlnotes.metrics.regression.r2_score",
    rtol=1e-12,
    atol=1e-14,
    imports="import numpy as np",
)
def _r2(g):
    yield Case("one output", "y_true, y_pred: 50 float64", args=_fit(g, 50))
    yield Case(
        "two outputs",
        "y_true, y_pred: 40×2 float64, the second column 100 times the scale of the first",
        args=_fit(g, 40, 1.0, 100.0),
        hint="score each column on its own, then average; pooling all entries favours the larger column",
    )
    yield Case(
        "raw values",
        "y_true, y_pred: 30×3 float64; multioutput='raw_values'",
        args=_fit(g, 30, 1.0, 2.0, 0.5),
        kwargs={"multioutput": "raw_values"},
    )
    y_true, y_pred = _fit(g, 20)
    y_true[:] = 2.5
    yield Case(
        "constant y_true",
        "y_true: 20 times 2.5; y_pred: 20 float64 around it",
        args=(y_true, y_pred),
        hint="the denominator is 0: an imperfect prediction of a constant scores 0.0, not -inf or NaN",
    )
    y_true, y_pred = _fit(g, 25, 1.0, 3.0)
    y_true[:, 0] = y_pred[:, 0] = -1.0
    yield Case(
        "constant output predicted exactly",
        "y_true, y_pred: 25×2 float64, column 0 equal to -1 in both; multioutput='raw_values'",
        args=(y_true, y_pred),
        kwargs={"multioutput": "raw_values"},
        hint="0/0: a constant output predicted exactly scores 1.0 (perfect), not 0.0",
    )
