"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.roc_pr."""

import numpy as np

from tests.drill.coding.wrong import wrong


@wrong("roc-auc", fails="tied scores")
def roc_auc_ranks_without_ties(y_true, y_score):
    """Mann-Whitney from the ranks of a sort: tied scores get distinct ranks, in the order of the sort."""
    ranks = np.empty(len(y_score))
    ranks[np.argsort(y_score, kind="stable")] = np.arange(1, len(y_score) + 1)
    n_pos = int(np.sum(y_true == 1))
    n_neg = len(y_true) - n_pos
    return float((ranks[y_true == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@wrong("roc-auc", fails="tied scores")
def roc_auc_ties_count_zero(y_true, y_score):
    """All pairs, but a tie counts as a loss: P(s+ > s-) without the 1/2 P(s+ = s-)."""
    pos, neg = y_score[y_true == 1], y_score[y_true == 0]
    return float(np.mean(pos[:, None] > neg[None, :]))


@wrong("roc-auc", fails="tied scores")
def roc_auc_ties_count_one(y_true, y_score):
    """All pairs, but a tie counts as a win (>=)."""
    pos, neg = y_score[y_true == 1], y_score[y_true == 0]
    return float(np.mean(pos[:, None] >= neg[None, :]))


@wrong("roc-auc", fails="tied scores")
def roc_auc_trapezoid_per_sample(y_true, y_score):
    """Trapezoids over one ROC point per sorted sample: tied scores are split into several thresholds."""
    y = y_true[np.argsort(-y_score, kind="stable")]
    tpr = np.concatenate([[0.0], np.cumsum(y == 1) / np.sum(y == 1)])
    fpr = np.concatenate([[0.0], np.cumsum(y == 0) / np.sum(y == 0)])
    return float(np.trapezoid(tpr, fpr))


def _pr_points(y_true, y_score):
    """Precision and recall at each distinct score taken as threshold, by decreasing score (correct)."""
    order = np.argsort(-y_score, kind="stable")
    s, y = y_score[order], y_true[order]
    last = np.concatenate([np.flatnonzero(np.diff(s)), [len(s) - 1]])
    tp = np.cumsum(y == 1)[last]
    return tp / (last + 1), tp / tp[-1]


@wrong("average-precision", fails="distinct scores")
def ap_trapezoid(y_true, y_score):
    """The area under the PR curve by trapezoids, from the point (recall 0, precision 1)."""
    precision, recall = _pr_points(y_true, y_score)
    return float(np.trapezoid(np.concatenate([[1.0], precision]), np.concatenate([[0.0], recall])))


@wrong("average-precision", fails="distinct scores")
def ap_interpolated(y_true, y_score):
    """Replaces each precision by the best precision at any higher recall first (VOC's all-point AP)."""
    precision, recall = _pr_points(y_true, y_score)
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * envelope))


@wrong("average-precision", fails="distinct scores")
def ap_mean_precision_over_thresholds(y_true, y_score):
    """The plain mean of the precisions at all thresholds, not weighted by the recall each one adds."""
    precision, _ = _pr_points(y_true, y_score)
    return float(np.mean(precision))


@wrong("average-precision", fails="tied scores")
def ap_ties_not_grouped(y_true, y_score):
    """The precision at each positive's position in the sort, averaged: ties are split by the sort order."""
    y = y_true[np.argsort(-y_score, kind="stable")] == 1
    precision_at = np.cumsum(y) / np.arange(1, len(y) + 1)
    return float(precision_at[y].mean())
