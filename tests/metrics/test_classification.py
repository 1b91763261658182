"""dlnotes.metrics' label metrics against sklearn.metrics, on the same inputs, in float64.

Hypothesis draws label vectors over integer labels 0..K-1, integer labels that are not 0..K-1 and string
labels, with and without sample weights (zeros included), for the confusion matrix, accuracy, precision,
recall and F1. Values must equal scikit-learn's (integers exactly, floats to rtol=1e-12), and both must warn
in the same cases with the same message. Every documented error has a test.
"""

import re

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from sklearn import metrics as skm

from dlnotes import metrics
from dlnotes.metrics import UndefinedMetricWarning
from tests.metrics._common import (
    LABEL_FUNCS,
    PRF,
    RTOL,
    SETTINGS,
    both_raise,
    check_all_zero_weights,
    check_length_mismatch_and_empty,
    compare,
)

LABEL_SETS = {
    "binary01": [0, 1],
    "ints": [0, 1, 2, 3],
    "odd_ints": [-3, 7, 10],
    "strings": ["cat", "dog", "eel", "fox"],
}


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
# Errors: every documented ValueError / TypeError, and sklearn raises too where it does.


@pytest.mark.parametrize("name", LABEL_FUNCS)
def test_length_mismatch_and_empty(name):
    check_length_mismatch_and_empty(name)


@pytest.mark.parametrize("name", LABEL_FUNCS)
def test_all_zero_weights(name):
    check_all_zero_weights(name)


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


def test_warning_class():
    assert issubclass(UndefinedMetricWarning, UserWarning)
