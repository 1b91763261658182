"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.classification_metrics."""

import numpy as np

from tests.drill.coding.wrong import wrong


def _count(y_true, y_pred, labels):
    """The right confusion matrix of `labels` (rows true), by a loop: the wrong solutions differ elsewhere."""
    index = {label: i for i, label in enumerate(np.asarray(labels).tolist())}
    cm = np.zeros((len(index), len(index)), dtype=np.int64)
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        if t in index and p in index:
            cm[index[t], index[p]] += 1
    return cm


@wrong("confusion-matrix", fails="binary")
def confusion_matrix_transposed(y_true, y_pred, *, labels=None):
    """Rows are the predicted classes, columns the true ones: the transpose of scikit-learn's layout."""
    labels = np.union1d(y_true, y_pred) if labels is None else labels
    return _count(y_true, y_pred, labels).T


@wrong("confusion-matrix", fails="class never predicted")
def confusion_matrix_labels_from_y_pred(y_true, y_pred, *, labels=None):
    """Takes the classes from the predictions only: a class never predicted loses its row."""
    labels = np.unique(y_pred) if labels is None else labels
    return _count(y_true, y_pred, labels)


@wrong("confusion-matrix", fails="class only predicted")
def confusion_matrix_labels_from_y_true(y_true, y_pred, *, labels=None):
    """Takes the classes from the true labels only: a class only predicted loses its column."""
    labels = np.unique(y_true) if labels is None else labels
    return _count(y_true, y_pred, labels)


@wrong("confusion-matrix", fails="labels not 0..K-1")
def confusion_matrix_indexed_by_value(y_true, y_pred, *, labels=None):
    """Uses each label as its own row index, K = the largest label + 1 (and ignores `labels`)."""
    k = int(max(y_true.max(), y_pred.max())) + 1
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


@wrong("confusion-matrix", fails="labels argument")
def confusion_matrix_sorts_labels(y_true, y_pred, *, labels=None):
    """Sorts the given `labels`: the rows come in sorted order instead of the order asked for."""
    labels = np.union1d(y_true, y_pred) if labels is None else np.sort(labels)
    return _count(y_true, y_pred, labels)


def _prf(y_true, y_pred, metric, average, *, classes=None, weights="true", f1_of_means=False, nan=False):
    """Precision, recall or F1 with the usual per-class counts; the options are the mistakes."""
    if average == "binary":
        labels = np.array([1])
    else:
        labels = np.union1d(y_true, y_pred) if classes is None else classes(y_true, y_pred)
    tp = np.array([np.sum((y_true == k) & (y_pred == k)) for k in labels], dtype=float)
    pred = np.array([np.sum(y_pred == k) for k in labels], dtype=float)
    true = np.array([np.sum(y_true == k) for k in labels], dtype=float)
    if average == "micro":
        tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)
    empty = np.nan if nan else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(pred > 0, tp / pred, empty)
        r = np.where(true > 0, tp / true, empty)
        f = np.where(true + pred > 0, 2 * tp / (true + pred), empty)
    w = {"true": true, "pred": pred}[weights] if average == "weighted" else np.ones(len(tp))

    def mean(x):
        keep = ~np.isnan(x)
        return float(np.average(x[keep], weights=w[keep]))

    if f1_of_means and metric == "f1":
        mp, mr = mean(p), mean(r)
        return 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    return mean({"precision": p, "recall": r, "f1": f}[metric])


@wrong("precision-recall-f1", fails="binary")
def prf_binary_as_macro(y_true, y_pred, *, metric, average="binary", zero_division=0.0):
    """Averages over both classes for average='binary' instead of scoring class 1 alone."""
    return _prf(y_true, y_pred, metric, "macro" if average == "binary" else average)


@wrong("precision-recall-f1", fails="micro")
def prf_micro_macro_swapped(y_true, y_pred, *, metric, average="binary", zero_division=0.0):
    """Micro and macro mixed up: 'micro' averages the per-class scores, 'macro' pools the counts."""
    swap = {"micro": "macro", "macro": "micro"}
    return _prf(y_true, y_pred, metric, swap.get(average, average))


@wrong("precision-recall-f1", fails="macro")
def prf_f1_of_macro_precision_and_recall(y_true, y_pred, *, metric, average="binary", zero_division=0.0):
    """Macro F1 as the harmonic mean of macro precision and macro recall, not the mean of per-class F1."""
    return _prf(y_true, y_pred, metric, average, f1_of_means=True)


@wrong("precision-recall-f1", fails="weighted")
def prf_weighted_by_predictions(y_true, y_pred, *, metric, average="binary", zero_division=0.0):
    """Weights each class by how often it is predicted instead of by its support in y_true."""
    return _prf(y_true, y_pred, metric, average, weights="pred")


@wrong("precision-recall-f1", fails="class never predicted")
def prf_drops_undefined_classes(y_true, y_pred, *, metric, average="binary", zero_division=0.0):
    """Leaves a 0/0 class out of the mean (NaN, then nanmean) instead of counting it as zero_division."""
    return _prf(y_true, y_pred, metric, average, nan=True)


@wrong("precision-recall-f1", fails="class only predicted")
def prf_classes_from_y_true(y_true, y_pred, *, metric, average="binary", zero_division=0.0):
    """Averages over the classes of y_true only: a class that is only predicted is left out."""
    return _prf(y_true, y_pred, metric, average, classes=lambda t, p: np.unique(t))
