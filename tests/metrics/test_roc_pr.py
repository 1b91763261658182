"""dlnotes.metrics' ROC and precision-recall curves and their areas against sklearn.metrics, in float64.

Hypothesis draws binary problems (labels 0/1, -1/1, strings or booleans) with and without sample weights,
and scores drawn from a handful of values so that ties are the rule. The curves, ROC AUC and average
precision must equal scikit-learn's (floats to rtol=1e-12), and both must warn in the same cases with the
same message. The area under the ROC curve is also checked against the Mann-Whitney count of pairs, computed
independently by brute force. Every documented error has a test.
"""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.exceptions import UndefinedMetricWarning as SklearnUndefinedMetricWarning

from dlnotes import metrics
from dlnotes.metrics import UndefinedMetricWarning
from tests.metrics._common import (
    CURVE_FUNCS,
    RTOL,
    SETTINGS,
    assert_same,
    both_raise,
    check_all_zero_weights,
    check_length_mismatch_and_empty,
    compare,
)

# ---------------------------------------------------------------------------------------------------------
# Ranking metrics.

SCORE_VALUES = [-1.0, 0.0, 0.25, 0.5, 0.75, 1.0, 2.0]  # few values, so ties are the rule


@st.composite
def binary_scores(draw, max_size=40):
    """(y_true, y_score, sample_weight or None, pos_label or None) for a binary problem with ties."""
    kind = draw(st.sampled_from(["01", "-11", "strings", "bool"]))
    classes = {"01": [0, 1], "-11": [-1, 1], "strings": ["neg", "pos"], "bool": [False, True]}[kind]
    n = draw(st.integers(1, max_size))
    y_true = np.array(draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n)))
    if draw(st.booleans()):
        y_score = np.array(draw(st.lists(st.sampled_from(SCORE_VALUES), min_size=n, max_size=n)))
    else:  # continuous scores rounded to 2 decimals: some ties
        y_score = np.round(np.array(draw(st.lists(st.floats(-3, 3), min_size=n, max_size=n))), 2)
    w = None
    if draw(st.booleans()):
        w = np.array(draw(st.lists(st.sampled_from([0.0, 0.1, 1.0, 1.7, 3.0]), min_size=n, max_size=n)))
        if w.sum() == 0:
            w[0] = 1.0
    pos_label = "pos" if kind == "strings" else draw(st.sampled_from([None, classes[1]]))
    return y_true, y_score, w, pos_label


@SETTINGS
@given(data=binary_scores(), drop=st.booleans())
def test_roc_curve(data, drop):
    y_true, y_score, w, pos_label = data
    compare("roc_curve", y_true, y_score, pos_label=pos_label, sample_weight=w, drop_intermediate=drop)


@SETTINGS
@given(data=binary_scores(), drop=st.booleans())
def test_precision_recall_curve(data, drop):
    y_true, y_score, w, pos_label = data
    compare(
        "precision_recall_curve",
        y_true,
        y_score,
        pos_label=pos_label,
        sample_weight=w,
        drop_intermediate=drop,
    )


@SETTINGS
@given(data=binary_scores())
def test_average_precision(data):
    y_true, y_score, w, pos_label = data
    if len(np.unique(y_true)) == 1 and pos_label is None and y_true[0] != 1:
        return  # pos_label=1 would be absent: covered in test_errors
    pos_label = 1 if pos_label is None else pos_label
    compare("average_precision_score", y_true, y_score, pos_label=pos_label, sample_weight=w)


def mann_whitney_auc(y, s, w):
    """P(s+ > s-) + P(s+ = s-)/2 over all weighted (positive, negative) pairs, by brute force."""
    pos, neg = y == y.max(), y != y.max()
    pair_w = np.outer(w[pos], w[neg])
    diff = s[pos][:, None] - s[neg][None, :]
    return float((pair_w * ((diff > 0) + 0.5 * (diff == 0))).sum() / pair_w.sum())


@SETTINGS
@given(data=binary_scores())
def test_roc_auc(data):
    y_true, y_score, w, _ = data
    if len(np.unique(y_true)) < 2:
        with pytest.raises(ValueError, match="Only one class present in y_true"):
            metrics.roc_auc_score(y_true, y_score, sample_weight=w)
        return
    ours, warned = compare("roc_auc_score", y_true, y_score, sample_weight=w)
    weights = np.ones(len(y_true)) if w is None else w
    pos = y_true == np.unique(y_true)[1]
    if weights[pos].sum() > 0 and weights[~pos].sum() > 0:
        assert not warned
        assert ours == pytest.approx(mann_whitney_auc(pos.astype(int), y_score, weights), rel=1e-12)


def test_roc_auc_large_with_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 100_000)
    s = np.round(rng.normal(size=y.size) + y, 1)  # about 80 distinct scores
    w = rng.uniform(0, 2, size=y.size)
    assert_same(metrics.roc_auc_score(y, s), skm.roc_auc_score(y, s))
    assert_same(metrics.roc_auc_score(y, s, sample_weight=w), skm.roc_auc_score(y, s, sample_weight=w))
    compare("roc_curve", y, s, sample_weight=w)
    compare("precision_recall_curve", y, s, sample_weight=w)
    compare("average_precision_score", y, s)


def test_curves_by_example():
    # a tie between a positive and a negative (score 0.5) is one diagonal step of the ROC curve
    y, s = [0, 1, 0, 1], [0.2, 0.5, 0.5, 0.9]
    fpr, tpr, thr = metrics.roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_array_equal(fpr, [0, 0, 0.5, 1])
    np.testing.assert_array_equal(tpr, [0, 0.5, 1, 1])
    np.testing.assert_array_equal(thr, [np.inf, 0.9, 0.5, 0.2])
    assert metrics.roc_auc_score(y, s) == 0.875  # 3 ordered pairs of 4, plus 1/2 for the tied pair
    precision, recall, thr = metrics.precision_recall_curve(y, s)
    np.testing.assert_allclose(precision, [0.5, 2 / 3, 1, 1], rtol=RTOL)
    np.testing.assert_array_equal(recall, [1, 1, 0.5, 0])
    assert metrics.average_precision_score(y, s) == pytest.approx(0.5 * 1 + 0.5 * 2 / 3, rel=RTOL)
    # zero weights remove samples entirely, thresholds included
    _fpr_w, _, thr_w = metrics.roc_curve(
        [0, 1, 0, 1, 0], [0.2, 0.5, 0.5, 0.9, 0.7], sample_weight=[1, 1, 1, 1, 0], drop_intermediate=False
    )
    np.testing.assert_array_equal(thr_w, [np.inf, 0.9, 0.5, 0.2])


def test_ranking_warnings_match_sklearn():
    with pytest.warns(UndefinedMetricWarning, match="No positive samples in y_true"):
        fpr, tpr, _ = metrics.roc_curve([0, 0, 0], [0.1, 0.2, 0.3])
    assert np.isnan(tpr).all() and not np.isnan(fpr).any()
    with pytest.warns(UndefinedMetricWarning, match="No negative samples in y_true"):
        metrics.roc_curve([1, 1], [0.1, 0.2])
    with pytest.warns(UndefinedMetricWarning, match="No positive class found in y_true"):
        metrics.precision_recall_curve([0, 0], [0.1, 0.2])
    with pytest.warns(UserWarning, match="No positive class found in y_true"):
        skm.precision_recall_curve([0, 0], [0.1, 0.2])
    # pos_label absent from y_true: both warn and give NaN true-positive rates
    compare("roc_curve", [0, 1, 1], [0.1, 0.2, 0.3], pos_label=2)


# ---------------------------------------------------------------------------------------------------------
# Errors: every documented ValueError / TypeError, and sklearn raises too where it does.


@pytest.mark.parametrize("name", CURVE_FUNCS)
def test_length_mismatch_and_empty(name):
    check_length_mismatch_and_empty(name)


@pytest.mark.parametrize("name", CURVE_FUNCS)
def test_all_zero_weights(name):
    check_all_zero_weights(name)


@pytest.mark.parametrize("name", CURVE_FUNCS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_scores(name, bad):
    both_raise(name, [0, 1, 1], [0.1, bad, 0.3], match="y_score contains (NaN|infinity)")


@pytest.mark.parametrize("name", ["roc_curve", "precision_recall_curve"])
def test_curve_labels_need_pos_label(name):
    both_raise(
        name,
        [1, 2, 2],
        [0.1, 0.2, 0.3],
        match=re.escape(
            "y_true takes value in {1, 2} and pos_label is not specified: either make y_true take value in "
            "{0, 1} or {-1, 1} or pass pos_label explicitly."
        ),
    )
    both_raise(name, ["a", "b"], [0.1, 0.2], match=re.escape("y_true takes value in {'a', 'b'}"))
    both_raise(name, [0, 1, 2], [0.1, 0.2, 0.3], match="multiclass format is not supported")
    compare(name, ["a", "b", "b"], [0.1, 0.2, 0.3], pos_label="b")  # fine with pos_label


def test_roc_auc_one_class_and_multiclass():
    with pytest.raises(
        ValueError,
        match=re.escape("Only one class present in y_true. ROC AUC score is not defined in that case."),
    ):
        metrics.roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3])
    # scikit-learn 1.9 warns and returns NaN here instead (a documented deviation)
    with pytest.warns(SklearnUndefinedMetricWarning, match="Only one class is present in y_true"):
        assert np.isnan(skm.roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3]))
    both_raise("roc_auc_score", [0, 1, 2], [0.1, 0.2, 0.3], match="binary y_true only")
