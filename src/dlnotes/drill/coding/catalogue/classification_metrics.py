"""Drills of the chapter book/evaluation/classification-metrics.md."""

from __future__ import annotations

import copy

import numpy as np
import torch

from dlnotes import metrics
from dlnotes.drill.coding import Case, drill

CLASSIFICATION = "book/evaluation/classification-metrics"

#: The metrics every precision-recall-f1 case asks for (the keys of the compared dict).
PRF = ("precision", "recall", "f1")


def _labels(g: torch.Generator, n: int, k: int, *, accuracy: float = 0.7) -> tuple[np.ndarray, np.ndarray]:
    """`n` true labels in 0..k-1 (each class at least twice) and predictions right with about `accuracy`.

    The first ``2k`` true labels are 0, 1, ..., k-1 twice, and the first k of them are predicted right and the
    next k wrong, so that every class is present, predicted, and confused at least once.
    """
    y_true = torch.randint(0, k, (n,), generator=g)
    y_true[: 2 * k] = torch.arange(2 * k) % k
    noise = torch.randint(0, k, (n,), generator=g)
    keep = torch.rand(n, generator=g) < accuracy
    y_pred = torch.where(keep, y_true, noise)
    y_pred[:k] = y_true[:k]
    y_pred[k : 2 * k] = (y_true[k : 2 * k] + 1) % k
    return y_true.numpy(), y_pred.numpy()


@drill(
    name="confusion-matrix",
    title="Confusion matrix with a labels argument",
    chapter=CLASSIFICATION,
    difficulty="easy",
    minutes=10,
    statement=r"""
Return the $K \times K$ matrix $C$ with $C_{ij}$ the number of samples of true class `labels[i]` predicted
as `labels[j]`: rows are true classes, columns predicted. `y_true` and `y_pred` are 1-D NumPy int64
arrays; labels need not be $0, \dots, K-1$. With `labels=None`, use the sorted union of the labels in
`y_true` and `y_pred` (a class may be missing from either); otherwise follow the order of `labels` and
leave out the samples whose true or predicted label is not in it. Compared exactly with
`sklearn.metrics.confusion_matrix`.
""",
    starter='''
def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, *, labels: np.ndarray | None = None
) -> np.ndarray:
    """Counts of (true, predicted) pairs: rows true, columns predicted."""
''',
    reference=lambda y_true, y_pred, *, labels=None: metrics.confusion_matrix(y_true, y_pred, labels=labels),
    solution="dlnotes.metrics.classification.confusion_matrix",
    rtol=0.0,
    atol=0.0,
    imports="import numpy as np",
)
def _confusion_matrix(g):
    y_true, y_pred = _labels(g, 30, 2, accuracy=0.6)
    y_true[4:7], y_pred[4:7] = 0, 1  # three more false positives, so that FP != FN
    yield Case("binary", "y_true, y_pred: 30 labels in {0, 1}, FP ≠ FN", args=(y_true, y_pred))
    yield Case("three classes", "y_true, y_pred: 60 labels in {0, 1, 2}", args=_labels(g, 60, 3))
    y_true, y_pred = _labels(g, 50, 4)
    y_pred[y_pred == 3] = 0
    yield Case(
        "class never predicted",
        "y_true: 50 labels in {0, 1, 2, 3}; y_pred never says 3; labels=None",
        args=(y_true, y_pred),
        hint="the classes are the union of y_true and y_pred: taken from y_pred alone, class 3's row is lost",
    )
    y_true, y_pred = _labels(g, 50, 4)
    y_true[y_true == 2] = 1
    yield Case(
        "class only predicted",
        "y_true: 50 labels in {0, 1, 3}; y_pred also says 2; labels=None",
        args=(y_true, y_pred),
        hint="a class that is only predicted still gets its row (of zeros) and its column",
    )
    y_true, y_pred = _labels(g, 40, 3)
    values = np.array([-1, 4, 9])
    yield Case(
        "labels not 0..K-1",
        "y_true, y_pred: 40 labels in {-1, 4, 9}; labels=None",
        args=(values[y_true], values[y_pred]),
        hint="index rows and columns by each label's position in the sorted labels, not by its value",
    )
    y_true, y_pred = _labels(g, 60, 5)
    yield Case(
        "labels argument",
        "y_true, y_pred: 60 labels in 0..4; labels=[3, 0, 4, 6] (class 6 absent, 1 and 2 left out)",
        args=(y_true, y_pred),
        kwargs={"labels": np.array([3, 0, 4, 6])},
        hint="rows and columns follow the order of `labels`; a sample with a label not listed is not counted",
    )


def _all_three(fn, *args, **kwargs):
    """Call `fn` once per metric (each on its own copy of the inputs): {"precision": ..., "recall": ...}."""
    return {m: fn(*copy.deepcopy(args), metric=m, **copy.deepcopy(kwargs)) for m in PRF}


@drill(
    name="precision-recall-f1",
    title="Precision, recall and F1 with averaging",
    chapter=CLASSIFICATION,
    difficulty="medium",
    minutes=15,
    statement=r"""
Return the `metric` (`"precision"`, `"recall"` or `"f1"`) of 1-D NumPy int64 labels. Per class $k$:
$P_k = TP_k / (TP_k + FP_k)$, $R_k = TP_k / (TP_k + FN_k)$, $F_{1,k} = 2TP_k / (2TP_k + FP_k + FN_k)$, a 0/0
being `zero_division` (the cases pass 0). `average`: `"binary"` (class 1 of labels 0/1), `"micro"` (counts
summed over classes first), `"macro"` (mean over the classes of `y_true` and `y_pred`) or
`"weighted"` (mean weighted by each class's true count). Each case calls it for the three metrics and
compares them with scikit-learn's.
""",
    starter='''
def precision_recall_f1(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    *,
    metric: str,
    average: str = "binary",
    zero_division: float = 0.0,
) -> float:
    """Precision, recall or F1 of `y_pred` against `y_true`, averaged by `average`."""
''',
    reference=metrics.precision_recall_f1,
    solution="dlnotes.metrics.classification.precision_recall_f1",
    rtol=1e-12,
    atol=1e-14,
    imports="import numpy as np",
)
def _precision_recall_f1(g):
    def case(name, description, y, *, average, hint=""):
        kwargs = {"average": average, "zero_division": 0.0}
        return Case(name, description, args=y, kwargs=kwargs, run=_all_three, hint=hint)

    # imbalanced classes, so that the averages differ
    def imbalanced(n, k):
        y_true, y_pred = _labels(g, n, k)
        y_true[2 * k :: 3] = 0
        return y_true, y_pred

    y_true, y_pred = _labels(g, 40, 2, accuracy=0.6)
    y_true[4:8], y_pred[4:8] = 0, 1  # four more false positives, so that precision != recall
    yield case(
        "binary",
        "y_true, y_pred: 40 labels in {0, 1}, precision ≠ recall; average='binary'",
        (y_true, y_pred),
        average="binary",
        hint="'binary' is the score of class 1 alone, not an average over the two classes",
    )
    yield case(
        "micro",
        "y_true, y_pred: 60 labels in {0, 1, 2}, class 0 the largest; average='micro'",
        imbalanced(60, 3),
        average="micro",
        hint="micro sums TP, FP and FN over the classes first, then divides once (it equals accuracy here)",
    )
    yield case(
        "macro",
        "y_true, y_pred: 60 labels in {0, 1, 2, 3}, class 0 the largest; average='macro'",
        imbalanced(60, 4),
        average="macro",
        hint="macro F1 is the mean of the per-class F1 scores, not the F1 of macro precision and recall",
    )
    yield case(
        "weighted",
        "y_true, y_pred: 60 labels in {0, 1, 2}, class 0 the largest; average='weighted'",
        imbalanced(60, 3),
        average="weighted",
        hint="the weight of class k is its number of true samples (its support), not of its predictions",
    )
    y_true, y_pred = imbalanced(50, 4)
    y_pred[y_pred == 3] = 1
    yield case(
        "class never predicted",
        "y_true: 50 labels in {0, 1, 2, 3}; y_pred never says 3; average='macro', zero_division=0",
        (y_true, y_pred),
        average="macro",
        hint="class 3's precision is 0/0: it enters the macro mean as zero_division = 0, it is not left out",
    )
    y_true, y_pred = imbalanced(50, 4)
    y_true[y_true == 2] = 0
    yield case(
        "class only predicted",
        "y_true: 50 labels in {0, 1, 3}; y_pred also says 2; average='macro', zero_division=0",
        (y_true, y_pred),
        average="macro",
        hint="macro averages over the classes of y_true and y_pred: a class only predicted counts, as 0",
    )
