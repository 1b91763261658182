"""Drills of the chapter book/evaluation/roc-pr.md."""

from __future__ import annotations

import numpy as np
import torch

from dlnotes import metrics
from dlnotes.drill.coding import Case, drill, randn

ROC_PR = "book/evaluation/roc-pr"


def _scored(g: torch.Generator, n: int, *, positives: float = 0.5, step: float = 0.0):
    """`n` labels 0/1 (both present, about a fraction `positives` of 1) and float64 scores N(2y, 1.5²).

    With `step`, the scores are rounded to multiples of it, which ties scores across the two classes.
    """
    y = (torch.rand(n, generator=g) < positives).long()
    y[:2] = torch.tensor([0, 1])
    score = randn(g, n, scale=1.5) + 2.0 * y
    if step:
        score = torch.round(score / step) * step
    return y.numpy(), score.numpy()


def _ranking_cases(g):
    """The cases both ranking drills share: distinct, tied, heavily tied, rare positives, all equal."""
    yield Case("distinct scores", "y_true: 40 labels 0/1; y_score: 40 distinct float64", args=_scored(g, 40))
    yield Case(
        "tied scores",
        "y_true: 40 labels 0/1; y_score: 40 float64 rounded to 0.5, ties across the classes",
        args=_scored(g, 40, step=0.5),
    )
    y, score = _scored(g, 200, step=1.0)
    score = np.clip(score, -1.0, 3.0)  # five distinct values
    yield Case(
        "many tied scores",
        "y_true: 200 labels 0/1; y_score: 200 float64 taking only the values -1, 0, 1, 2, 3",
        args=(y, score),
    )
    yield Case(
        "few positives",
        "y_true: 100 labels, about 5 % of them 1; y_score: 100 distinct float64",
        args=_scored(g, 100, positives=0.05),
    )
    y, _ = _scored(g, 30, positives=0.3)
    yield Case(
        "all scores equal",
        "y_true: 30 labels 0/1, about 30 % of them 1; y_score: 30 times 0.7",
        args=(y, np.full(30, 0.7)),
    )


def _with_hints(cases, hints: dict[str, str]):
    for case in cases:
        yield Case(case.name, case.description, args=case.args, hint=hints.get(case.name, ""))


@drill(
    name="roc-auc",
    title="ROC AUC with tied scores",
    chapter=ROC_PR,
    difficulty="medium",
    minutes=15,
    statement=r"""
Return the area under the ROC curve of 1-D NumPy arrays `y_true` (labels 0/1, both present) and `y_score`
(float64): the probability that a random positive scores above a random negative, a tie counting one half,
$\mathrm{AUC} = P(s^+ > s^-) + \tfrac12 P(s^+ = s^-)$. Many scores may be tied, across both classes;
scores that are all equal give exactly 0.5. $O(n \log n)$ by sorting, or $O(n^2)$ over all pairs, both
pass. Compared with `sklearn.metrics.roc_auc_score` to 1e-12.
""",
    starter='''
def roc_auc_score(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """P(a positive scores above a negative), a tie counting one half."""
''',
    reference=metrics.roc_auc_score,
    solution="dlnotes.metrics.roc_pr.roc_auc_score",
    rtol=1e-12,
    atol=1e-14,
    imports="import numpy as np",
)
def _roc_auc(g):
    ties = "a positive and a negative with the same score count 1/2: sorting alone orders ties arbitrarily"
    yield from _with_hints(
        _ranking_cases(g),
        {
            "tied scores": ties,
            "many tied scores": "give tied scores their average rank (or one threshold per distinct score)",
            "all scores equal": "every pair is a tie, so the AUC is exactly 0.5 whatever the labels' order",
        },
    )


@drill(
    name="average-precision",
    title="Average precision, step-wise",
    chapter=ROC_PR,
    difficulty="medium",
    minutes=15,
    statement=r"""
Return the average precision of 1-D NumPy arrays `y_true` (labels 0/1, both present) and `y_score`
(float64): $\mathrm{AP} = \sum_k (R_k - R_{k-1})\, P_k$ over the distinct scores $t_k$ in decreasing
order, with $P_k$ and $R_k$ the precision and recall of predicting positive when the score is $\ge t_k$
($R_0 = 0$). It is a step sum: no trapezoids, no interpolation of precision. Tied scores are one
threshold. Compared with `sklearn.metrics.average_precision_score` to 1e-12.
""",
    starter='''
def average_precision_score(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """Precision at each threshold, weighted by the recall it adds."""
''',
    reference=metrics.average_precision_score,
    solution="dlnotes.metrics.roc_pr.average_precision_score",
    rtol=1e-12,
    atol=1e-14,
    imports="import numpy as np",
)
def _average_precision(g):
    yield from _with_hints(
        _ranking_cases(g),
        {
            "distinct scores": "AP is a step sum of precision times the recall gained: no trapezoids, "
            "no running maximum of precision",
            "tied scores": "tied scores are one threshold: every positive of the group gets the group's "
            "precision, whatever order the sort left them in",
            "all scores equal": "one threshold holding every sample: AP is the fraction of positives",
        },
    )
