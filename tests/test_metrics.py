"""dlnotes.metrics against sklearn.metrics, on the same inputs, in float64.

Hypothesis draws label vectors over integer labels 0..K-1, integer labels that are not 0..K-1 and string
labels, with and without sample weights (zeros included), and scores drawn from a handful of values so that
ties are the rule. Values must equal scikit-learn's (integers exactly, floats to rtol=1e-12), and both must
warn in the same cases with the same message. The area under the ROC curve is also checked against the
Mann-Whitney count of pairs, computed independently by brute force. Every documented error has a test.
"""

import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.exceptions import UndefinedMetricWarning as SklearnUndefinedMetricWarning

from dlnotes import metrics
from dlnotes.metrics import UndefinedMetricWarning

RTOL = 1e-12
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LABEL_SETS = {
    "binary01": [0, 1],
    "ints": [0, 1, 2, 3],
    "odd_ints": [-3, 7, 10],
    "strings": ["cat", "dog", "eel", "fox"],
}


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
        with pytest.raises(ValueError):
            getattr(metrics, name)(*args, **kwargs)
        return None, None
    ours, ours_warned = run(getattr(metrics, name), *args, **kwargs)
    assert_same(ours, theirs, exact)
    assert ours_warned == theirs_warned
    return ours, ours_warned


@st.composite
def label_vectors(draw, min_size=1, max_size=30):
    """(y_true, y_pred, sample_weight or None, the label set) over one of LABEL_SETS."""
    labels = LABEL_SETS[draw(st.sampled_from(sorted(LABEL_SETS)))]
    n = draw(st.integers(min_size, max_size))
    y_true = draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n))
    y_pred = draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n))
    weights = draw(st.sampled_from(["none", "float", "int"]))
    if weights == "float":
        w = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.5, 3.25]), min_size=n, max_size=n)))
    elif weights == "int":
        w = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    else:
        w = None
    return np.array(y_true), np.array(y_pred), w, labels


# ---------------------------------------------------------------------------------------------------------
# Label metrics.


@SETTINGS
@given(
    data=label_vectors(), normalize=st.sampled_from([None, "true", "pred", "all"]), use_labels=st.booleans()
)
def test_confusion_matrix(data, normalize, use_labels):
    y_true, y_pred, w, labels = data
    kwargs = {"sample_weight": w, "normalize": normalize}
    if use_labels:  # all known labels, in reverse order (some may be absent from the data)
        kwargs["labels"] = labels[::-1]
    compare("confusion_matrix", y_true, y_pred, exact=normalize is None, **kwargs)


def test_confusion_matrix_label_subset_drops_other_samples():
    y_true, y_pred = ["a", "b", "c", "c", "b"], ["a", "c", "c", "b", "b"]
    ours = compare("confusion_matrix", y_true, y_pred, labels=["c", "a"], exact=True)[0]
    np.testing.assert_array_equal(ours, [[1, 0], [0, 1]])


@SETTINGS
@given(data=label_vectors(), normalize=st.booleans())
def test_accuracy(data, normalize):
    y_true, y_pred, w, _ = data
    if w is not None and w.sum() == 0 and normalize:
        return  # both divide 0 by 0 (numpy raises ZeroDivisionError)
    compare("accuracy_score", y_true, y_pred, normalize=normalize, sample_weight=w)


PRF = ["precision_score", "recall_score", "f1_score"]
ZERO_DIVISION = ["warn", 0, 1, np.nan]


@SETTINGS
@given(
    data=label_vectors(),
    average=st.sampled_from(["micro", "macro", "weighted", None]),
    zero_division=st.sampled_from(ZERO_DIVISION),
    labels_mode=st.sampled_from(["none", "all", "two"]),
)
def test_precision_recall_f1_multiclass(data, average, zero_division, labels_mode):
    y_true, y_pred, w, labels = data
    kwargs = {"average": average, "sample_weight": w, "zero_division": zero_division}
    if labels_mode == "all":
        kwargs["labels"] = labels  # includes classes that may be neither present nor predicted
    elif labels_mode == "two":
        kwargs["labels"] = labels[-2:][::-1]
    for name in PRF:
        compare(name, y_true, y_pred, **kwargs)


@SETTINGS
@given(data=label_vectors(max_size=20), zero_division=st.sampled_from(ZERO_DIVISION), pos=st.integers(0, 1))
def test_precision_recall_f1_binary(data, zero_division, pos):
    y_true, y_pred, w, labels = data
    present = np.union1d(y_true, y_pred)
    if len(present) > 2:  # keep the two first labels only: a binary problem
        keep = np.isin(y_true, labels[:2]) & np.isin(y_pred, labels[:2])
        if not keep.any():
            return
        y_true, y_pred, w = y_true[keep], y_pred[keep], None if w is None else w[keep]
    pos_label = labels[:2][pos]
    for name in PRF:
        compare(name, y_true, y_pred, pos_label=pos_label, sample_weight=w, zero_division=zero_division)


EDGE_CASES = {
    "all_correct": ([0, 1, 2, 2], [0, 1, 2, 2]),
    "all_wrong": ([0, 1, 2, 2], [1, 2, 0, 0]),
    "class_never_predicted": ([0, 1, 2, 2, 1], [0, 1, 1, 1, 1]),
    "class_never_present": ([0, 0, 1, 1], [0, 2, 1, 2]),
    "one_class": (["a", "a", "a"], ["a", "a", "a"]),
    "binary_never_predicted_positive": ([0, 1, 1, 0], [0, 0, 0, 0]),
    "binary_no_positive": ([0, 0, 0], [0, 0, 0]),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
@pytest.mark.parametrize("zero_division", ZERO_DIVISION)
def test_edge_cases(case, zero_division):
    y_true, y_pred = EDGE_CASES[case]
    averages = ["micro", "macro", "weighted", None]
    if len(set(y_true) | set(y_pred)) <= 2 and not isinstance(y_true[0], str):
        averages.append("binary")
    for name in PRF:
        for average in averages:
            compare(name, y_true, y_pred, average=average, zero_division=zero_division)
    compare("accuracy_score", y_true, y_pred)
    if case != "one_class":
        compare("confusion_matrix", y_true, y_pred, exact=True)


def test_zero_division_warnings_by_example():
    # class 2 is never predicted: precision is 0/0 for it, recall and F1 are defined
    y_true, y_pred = [0, 1, 2, 2], [0, 1, 1, 1]
    with pytest.warns(
        UndefinedMetricWarning, match="Precision is ill-defined.*in labels with no predicted samples"
    ):
        assert metrics.precision_score(y_true, y_pred, average=None).tolist() == [1.0, 1 / 3, 0.0]
    assert metrics.precision_score(y_true, y_pred, average=None, zero_division=1)[2] == 1.0
    assert np.isnan(metrics.precision_score(y_true, y_pred, average=None, zero_division=np.nan)[2])
    # with NaN the class is left out of the average
    assert metrics.precision_score(y_true, y_pred, average="macro", zero_division=np.nan) == 2 / 3
    assert metrics.recall_score(y_true, y_pred, average="macro") == 2 / 3  # (1 + 1 + 0) / 3, no warning
    # binary: never predicting the positive class
    with pytest.warns(UndefinedMetricWarning, match="due to no predicted samples"):
        assert metrics.precision_score([0, 1], [0, 0]) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="F-score is ill-defined.*no true nor predicted"):
        assert metrics.f1_score([0, 0], [0, 0]) == 0.0
    with pytest.warns(UserWarning, match="pos_label .set to 2. is ignored"):
        metrics.recall_score([1, 2, 3], [1, 2, 2], average="macro", pos_label=2)
    with pytest.warns(UserWarning, match="pos_label .set to 2. is ignored"):
        skm.recall_score([1, 2, 3], [1, 2, 2], average="macro", pos_label=2)


def test_macro_and_weighted_differ_where_they_should():
    # supports 4, 1, 1: weighted leans on the big class, macro does not
    y_true, y_pred = [0, 0, 0, 0, 1, 2], [0, 0, 0, 1, 1, 1]
    macro = metrics.f1_score(y_true, y_pred, average="macro", zero_division=0)
    weighted = metrics.f1_score(y_true, y_pred, average="weighted", zero_division=0)
    per_class = metrics.f1_score(y_true, y_pred, average=None, zero_division=0)
    np.testing.assert_allclose(per_class, [6 / 7, 0.5, 0.0], rtol=RTOL)
    assert macro == pytest.approx(np.mean(per_class), rel=RTOL)
    assert weighted == pytest.approx(np.average(per_class, weights=[4, 1, 1]), rel=RTOL)
    assert metrics.f1_score(y_true, y_pred, average="micro") == pytest.approx(4 / 6, rel=RTOL)


def test_torch_tensors_are_accepted():
    y_true, y_pred = torch.tensor([0, 1, 1, 0, 1]), torch.tensor([0, 1, 0, 0, 1])
    assert metrics.f1_score(y_true, y_pred) == skm.f1_score(y_true.numpy(), y_pred.numpy())
    scores = torch.tensor([0.1, 0.9, 0.4, 0.4, 0.8], dtype=torch.float64)
    assert metrics.roc_auc_score(y_true, scores) == skm.roc_auc_score(y_true.numpy(), scores.numpy())


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


def both_raise(name, *args, match, sklearn_raises=True, **kwargs):
    with pytest.raises(ValueError, match=match):
        getattr(metrics, name)(*args, **kwargs)
    if sklearn_raises:
        with pytest.raises(ValueError), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # scikit-learn casts NaN labels to int first
            getattr(skm, name)(*args, **kwargs)


LABEL_FUNCS = ["confusion_matrix", "accuracy_score"] + PRF
CURVE_FUNCS = ["roc_curve", "precision_recall_curve", "roc_auc_score", "average_precision_score"]
REG_FUNCS = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error", "r2_score"]


@pytest.mark.parametrize("name", LABEL_FUNCS + CURVE_FUNCS + REG_FUNCS)
def test_length_mismatch_and_empty(name):
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


def test_pos_label_not_present():
    both_raise(
        "precision_score",
        [0, 1, 1],
        [0, 1, 0],
        pos_label=2,
        match=re.escape("pos_label=2 is not a valid label. It should be one of [0 1]"),
    )
    both_raise(
        "average_precision_score", ["a", "b"], [0.1, 0.2], match=re.escape("pos_label=1 is not a valid label")
    )


@pytest.mark.parametrize("name", LABEL_FUNCS)
def test_target_types(name):
    both_raise(
        name,
        [0.5, 1.5, 2.0],
        [0, 1, 2],
        match="Classification metrics can't handle a mix of continuous and multiclass targets",
    )
    both_raise(name, [0.5, 1.5], [0.5, 1.5], match="continuous is not supported")
    multilabel = np.array([[0, 1], [1, 1], [1, 0]])
    with pytest.raises(ValueError, match="multilabel-indicator is not supported"):
        getattr(metrics, name)(multilabel, multilabel)
    both_raise(name, ["a", "b", "a"], [0, 1, 0], match=r"Mix of label input types|mix of")
    both_raise(name, [0.0, np.nan], [0.0, 1.0], match="Input y_true contains NaN")


@pytest.mark.parametrize("name", PRF)
def test_average_options(name):
    both_raise(name, [0, 1], [0, 1], average="samples", match="average has to be one of")
    both_raise(name, [0, 1], [0, 1], average="mean", match="average has to be one of")
    both_raise(
        name,
        [0, 1, 2],
        [0, 1, 2],
        match=re.escape("Target is multiclass but average='binary'. Please choose another average setting"),
    )
    both_raise(name, [0, 1], [0, 1], zero_division=2, match="zero_division must be")
    # scikit-learn returns an empty array here; an empty `labels` is refused instead
    both_raise(
        name, [0, 1], [0, 1], average=None, labels=[], match="at least one label", sklearn_raises=False
    )


def test_confusion_matrix_errors_and_warning():
    both_raise(
        "confusion_matrix",
        [0, 1],
        [0, 1],
        labels=[5, 6],
        match="At least one label specified must be in y_true",
    )
    both_raise("confusion_matrix", [0, 1], [0, 1], normalize="rows", match="normalize must be")
    with pytest.warns(UserWarning, match="A single label was found"):
        np.testing.assert_array_equal(metrics.confusion_matrix([2, 2], [2, 2]), [[2]])
    with pytest.warns(UserWarning, match="A single label was found"):
        skm.confusion_matrix([2, 2], [2, 2])


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


@pytest.mark.parametrize("name", LABEL_FUNCS + CURVE_FUNCS + REG_FUNCS)
def test_all_zero_weights(name):
    both_raise(
        name,
        [0, 1, 1],
        [0.0, 1.0, 1.0],
        sample_weight=[0.0, 0.0, 0.0],
        match="Sample weights must contain at least one non-zero number",
    )


def test_warning_class():
    assert issubclass(UndefinedMetricWarning, UserWarning)
