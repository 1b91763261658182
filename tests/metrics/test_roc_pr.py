"""dlnotes.metrics' ROC and precision-recall curves and their areas against sklearn.metrics, in float64.

Hypothesis draws binary problems (labels 0/1, -1/1, strings or booleans) with and without sample weights,
and scores drawn from a handful of values so that ties are the rule. The curves, ROC AUC and average
precision must equal scikit-learn's (floats to rtol=1e-12), and both must warn in the same cases with the
same message. The area under the ROC curve is also checked against the Mann-Whitney count of pairs, computed
independently by brute force, and the interpolated average precision of PASCAL VOC and COCO (which
scikit-learn does not have) against its definition computed in exact fractions. Every documented error has a
test.
"""

import re
import warnings
from fractions import Fraction

import numpy as np
import pytest
import torch
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


# ---------------------------------------------------------------------------------------------------------
# Interpolated average precision (PASCAL VOC, COCO): no scikit-learn counterpart, so it is checked against
# a brute force in exact rational arithmetic and against the relations the definition implies.

DYADIC_WEIGHTS = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]  # sums of these are exact in float64


@st.composite
def binary_scores_dyadic(draw):
    """binary_scores with weights whose float sums are exact, so that recall >= k / (K - 1) is decided
    the same way in floats as in the exact brute force (a recall of exactly 3/10 must meet r = 0.3)."""
    y_true, y_score, w, pos_label = draw(binary_scores())
    if w is not None:
        w = np.array(draw(st.lists(st.sampled_from(DYADIC_WEIGHTS), min_size=len(w), max_size=len(w))))
        if w.sum() == 0:
            w[0] = 1.0
    return y_true, y_score, w, 1 if pos_label is None else pos_label


def interpolated_ap_brute_force(y_true, y_score, w, pos_label, recall_points):
    """The definition, one threshold at a time, in fractions.Fraction: the precision envelope
    p(r) = max{P_n : R_n >= r} (0 if none), averaged at r = k / (K - 1) or integrated over recall."""
    w = np.ones(len(y_true)) if w is None else w
    samples = [
        (Fraction(float(s)), Fraction(float(wi)), y == pos_label) for y, s, wi in zip(y_true, y_score, w)
    ]
    samples = [x for x in samples if x[1] != 0]
    total_pos = sum(wi for _, wi, pos in samples if pos)
    if total_pos == 0:
        return 0.0
    points = []  # (recall, precision) at each distinct score, from the highest
    for t in sorted({s for s, _, _ in samples}, reverse=True):
        tp = sum(wi for s, wi, pos in samples if s >= t and pos)
        fp = sum(wi for s, wi, pos in samples if s >= t and not pos)
        points.append((tp / total_pos, tp / (tp + fp)))

    def envelope(r):
        return max((p for rec, p in points if rec >= r), default=Fraction(0))

    if recall_points == "all":
        recalls = [Fraction(0)] + [rec for rec, _ in points]
        return float(sum((r1 - r0) * envelope(r1) for r0, r1 in zip(recalls, recalls[1:])))
    k_max = recall_points - 1
    return float(sum(envelope(Fraction(k, k_max)) for k in range(recall_points)) / recall_points)


def interpolated_ap(*args, **kwargs):
    """metrics.interpolated_average_precision and whether it warned (with UndefinedMetricWarning only)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = metrics.interpolated_average_precision(*args, **kwargs)
    assert all(issubclass(c.category, UndefinedMetricWarning) for c in caught)
    return value, bool(caught)


@SETTINGS
@given(data=binary_scores_dyadic(), recall_points=st.sampled_from([2, 3, 11, 101, "all"]))
def test_interpolated_ap_brute_force(data, recall_points):
    y_true, y_score, w, pos_label = data
    if len(np.unique(y_true)) == 1 and y_true[0] != pos_label:
        return  # pos_label absent from a one-class y_true: covered in the error test
    ours, warned = interpolated_ap(
        y_true, y_score, recall_points=recall_points, pos_label=pos_label, sample_weight=w
    )
    expected = interpolated_ap_brute_force(y_true, y_score, w, pos_label, recall_points)
    assert isinstance(ours, float)
    assert ours == pytest.approx(expected, rel=1e-12, abs=1e-15)
    weights = np.ones(len(y_true)) if w is None else w
    assert warned == (weights[y_true == pos_label].sum() == 0)  # no positive weight: 0, with a warning


@SETTINGS
@given(data=binary_scores_dyadic())
def test_interpolated_ap_relations(data):
    y_true, y_score, w, pos_label = data
    if weights_of_class(y_true, w, pos_label) == 0 or len(np.unique(y_true)) == 1:
        return
    kwargs = {"pos_label": pos_label, "sample_weight": w}
    step = skm.average_precision_score(y_true, y_score, **kwargs)
    area, _ = interpolated_ap(y_true, y_score, recall_points="all", **kwargs)
    # the envelope is at least the precision at every point, so its area is at least the step sum
    assert area >= step - 1e-12
    precision = skm.precision_recall_curve(y_true, y_score, **kwargs)[0]
    if np.all(np.diff(precision[-2::-1]) <= 1e-15):  # precision already falls as recall grows
        assert area == pytest.approx(step, rel=1e-12, abs=1e-15)
    # K evenly spaced samples of a non-increasing function in [0, 1] average to its integral within 2/(K-1)
    for k in (11, 101, 1001):
        sampled, _ = interpolated_ap(y_true, y_score, recall_points=k, **kwargs)
        assert abs(sampled - area) <= 2 / (k - 1) + 1e-12
        assert 0.0 <= sampled <= 1.0


def weights_of_class(y_true, w, label):
    return float((np.ones(len(y_true)) if w is None else w)[np.asarray(y_true) == label].sum())


def test_interpolated_ap_by_example():
    # points (recall, precision): (1/3, 1), (1/3, 1/2), (2/3, 2/3), (1, 3/4), (1, 3/5); envelope 1, 3/4, 3/4
    y, s = [1, 0, 1, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5]
    assert metrics.average_precision_score(y, s) == pytest.approx((1 + 2 / 3 + 3 / 4) / 3, rel=RTOL)
    assert metrics.interpolated_average_precision(y, s, recall_points="all") == pytest.approx(
        (1 + 3 / 4 + 3 / 4) / 3, rel=RTOL
    )
    # r = 0, 0.1, 0.2, 0.3 reach recall 1/3 (precision up to 1); 0.4 ... 1 get the envelope 3/4
    assert metrics.interpolated_average_precision(y, s) == pytest.approx((4 + 7 * 3 / 4) / 11, rel=RTOL)
    assert metrics.interpolated_average_precision(y, s, recall_points=101) == pytest.approx(
        (34 + 67 * 3 / 4) / 101, rel=RTOL
    )
    # a perfect ranking: 1 for every variant; a tie is one threshold, whatever the order of the samples
    for k in (11, 101, "all"):
        assert metrics.interpolated_average_precision([0, 1, 1], [0.1, 0.8, 0.9], recall_points=k) == 1.0
        a = metrics.interpolated_average_precision([1, 0, 1], [0.5, 0.5, 0.2], recall_points=k)
        b = metrics.interpolated_average_precision([0, 1, 1], [0.5, 0.5, 0.2], recall_points=k)
        assert a == b
    # torch tensors and string labels are accepted like the other ranking metrics
    ours = metrics.interpolated_average_precision(torch.tensor([1, 0, 1, 1, 0]), torch.tensor(s))
    assert ours == metrics.interpolated_average_precision(y, s)
    labels = ["pos" if v else "neg" for v in y]
    assert metrics.interpolated_average_precision(labels, s, pos_label="pos") == ours


def test_interpolated_ap_recall_grid_is_exact():
    # 3 of 10 positives on top: recall exactly 3/10 must count at r = 0.3, which np.arange(0, 1.1, 0.1)
    # (the VOC 2007 devkit's grid) puts at 0.30000000000000004, one ulp too high
    assert np.arange(0, 1.1, 0.1)[3] > 3 / 10
    y = np.array([1] * 3 + [0] * 10 + [1] * 7)
    s = np.arange(len(y), 0, -1.0)
    # envelope: 1 up to recall 3/10, then 10/20 (all positives among 20 at recall 1)
    expected = (4 * 1 + 7 * 10 / 20) / 11
    assert metrics.interpolated_average_precision(y, s) == pytest.approx(expected, rel=RTOL)


def test_interpolated_ap_no_positive_warns():
    with pytest.warns(UndefinedMetricWarning, match="No positive class found in y_true"):
        assert metrics.interpolated_average_precision([0, 0], [0.1, 0.2], recall_points="all") == 0.0


def test_interpolated_ap_errors():
    f = metrics.interpolated_average_precision
    y, s = [0, 1, 1], [0.1, 0.2, 0.3]
    with pytest.raises(ValueError, match=re.escape("recall_points must be >= 2, got 1")):
        f(y, s, recall_points=1)
    with pytest.raises(ValueError, match=re.escape("recall_points must be one of ('all',), got 'al'")):
        f(y, s, recall_points="al")
    for bad, kind in [(11.0, "float"), (True, "bool"), (None, "NoneType")]:
        with pytest.raises(TypeError, match=re.escape(f"recall_points must be an int or 'all', got {kind}")):
            f(y, s, recall_points=bad)
    with pytest.raises(ValueError, match="multiclass format is not supported"):
        f([0, 1, 2], s)
    with pytest.raises(ValueError, match="pos_label=2 is not a valid label"):
        f(y, s, pos_label=2)
    with pytest.raises(ValueError, match="y_score contains NaN"):
        f(y, [0.1, np.nan, 0.3])
    with pytest.raises(TypeError, match="y_score must hold real numbers"):
        f(y, ["a", "b", "c"])
    with pytest.raises(ValueError, match=re.escape("inconsistent numbers of samples: [3, 4]")):
        f(y, [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero number"):
        f(y, s, sample_weight=[0.0, 0.0, 0.0])
