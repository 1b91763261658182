"""Drills of the chapter book/vision/segmentation.md."""

from __future__ import annotations

import torch

from dlnotes.drill.coding import Case, drill, randn
from dlnotes.nn import losses

SEGMENTATION = "book/vision/segmentation"


def _labels(g, n, h, w, classes, *, low=0):
    """An (n, h, w) label map with values in [low, classes) where each of those classes occurs."""
    target = torch.randint(low, classes, (n, h, w), generator=g)
    target.view(-1)[: classes - low] = torch.arange(low, classes)  # every class at least once
    return target


# --- dice -------------------------------------------------------------------------------------------------


@drill(
    name="dice",
    title="Soft Dice loss from logits",
    chapter=SEGMENTATION,
    difficulty="medium",
    minutes=10,
    statement=r"""
Return the soft Dice loss of `logits` (N, C, H, W) against integer labels `target` (N, H, W). With $p$ the
softmax over the classes and $g$ the one-hot target, summed over N, H and W together,
$D_c = (2\sum pg + \epsilon) / (\sum p + \sum g + \epsilon)$ (plain sums, no squares); the loss is
$1 - \frac{1}{C}\sum_c D_c$ over all classes (one absent from the target too), or the $1 - D_c$ with
`per_class`. Logits may be in the hundreds. Compared with `dlnotes.nn.losses.dice_loss` to 1e-10.
""",
    starter='''
def dice_loss(logits: torch.Tensor, target: torch.Tensor, *, eps: float = 1.0,
              per_class: bool = False) -> torch.Tensor:
    """Soft Dice loss of logits (N, C, H, W) against labels (N, H, W)."""
''',
    reference=losses.dice_loss,
    solution="dlnotes.nn.losses.dice_loss",
    rtol=1e-10,
    atol=1e-12,
)
def _dice(g):
    def case(name, description, logits, target, eps, per_class, hint=""):
        options = {"eps": eps, "per_class": per_class}
        return Case(name, description, args=(logits, target), kwargs=options, hint=hint)

    yield case(
        "one image",
        "logits 1×3×6×6 float64 N(0, 1), labels 0..2; eps 1, per_class False",
        randn(g, 1, 3, 6, 6),
        _labels(g, 1, 6, 6, 3),
        1.0,
        False,
        hint="softmax over the class axis (dim 1), and Σp + Σg in the denominator, not Σp² + Σg²",
    )
    yield case(
        "a batch",
        "logits 3×3×5×4 float64 N(0, 4), labels 0..2; eps 1, per_class False",
        randn(g, 3, 3, 5, 4, scale=2),
        _labels(g, 3, 5, 4, 3),
        1.0,
        False,
        hint="sum over the whole batch (N, H and W together), not Dice per image averaged over images",
    )
    yield case(
        "no smoothing",
        "logits 2×4×5×5 float64 N(0, 1), labels 0..3 (every class present); eps 0",
        randn(g, 2, 4, 5, 5),
        _labels(g, 2, 5, 5, 4),
        0.0,
        False,
        hint="eps is added once to the numerator and once to the denominator, nothing else",
    )
    yield case(
        "per class",
        "logits 2×4×4×6 float64 N(0, 1), labels 0..3; eps 0.5, per_class True: shape (4,)",
        randn(g, 2, 4, 4, 6),
        _labels(g, 2, 4, 6, 4),
        0.5,
        True,
        hint="per_class returns the C values 1 − D_c, one per class, before the mean",
    )
    yield case(
        "empty class in the target",
        "logits 2×4×5×5 float64 N(0, 1), labels 0..2 only (class 3 absent); eps 1",
        randn(g, 2, 4, 5, 5),
        _labels(g, 2, 5, 5, 3),
        1.0,
        False,
        hint="a class absent from the target still counts in the mean over all C: its D_c is ε/(Σp + ε)",
    )
    yield case(
        "saturated logits",
        "logits 1×3×4×4 float64 N(0, 300²), labels 0..2; eps 1",
        randn(g, 1, 3, 4, 4, scale=300),
        _labels(g, 1, 4, 4, 3),
        1.0,
        False,
        hint="exp(300·z) overflows: use torch.softmax, or subtract the max over the classes first",
    )


# --- mean-iou ---------------------------------------------------------------------------------------------


def _noisy(g, target, classes, share=0.3):
    """`target` with about `share` of its pixels replaced by a random class in [0, classes)."""
    flip = torch.rand(target.shape, generator=g) < share
    return torch.where(flip, torch.randint(0, classes, target.shape, generator=g), target)


@drill(
    name="mean-iou",
    title="Mean IoU of two label maps",
    chapter=SEGMENTATION,
    difficulty="medium",
    minutes=15,
    statement=r"""
Return the mean IoU of integer label maps `pred` and `target` (N, H, W): over all pixels of the batch,
$\mathrm{IoU}_c = TP_c / (TP_c + FP_c + FN_c)$ for each of `num_classes` classes, averaged over the classes
present in the prediction or the target (one absent from both is 0/0: NaN with `per_class`, left out of the
mean). Pixels whose target is `ignore_index` are dropped. Return a float64 tensor; compared with
`dlnotes.nn.losses.mean_iou` to 1e-12.
""",
    starter='''
def mean_iou(pred: torch.Tensor, target: torch.Tensor, *, num_classes: int,
             ignore_index: int | None = None, per_class: bool = False) -> torch.Tensor:
    """Mean IoU of label maps pred and target (N, H, W)."""
''',
    reference=losses.mean_iou,
    solution="dlnotes.nn.losses.mean_iou",
    rtol=1e-12,
    atol=1e-14,
)
def _mean_iou(g):
    def case(name, description, pred, target, num_classes, ignore_index=None, per_class=False, hint=""):
        options = {"num_classes": num_classes, "ignore_index": ignore_index, "per_class": per_class}
        return Case(name, description, args=(pred, target), kwargs=options, hint=hint)

    target = _labels(g, 1, 6, 7, 3)
    yield case(
        "one image",
        "pred, target: 1×6×7 int64 in 0..2, pred ≈ target with 30% of pixels redrawn; 3 classes",
        _noisy(g, target, 3),
        target,
        3,
        hint="IoU_c = TP_c / (TP_c + FP_c + FN_c), count in float64 (int / int is float32 in torch)",
    )
    target = torch.cat([_labels(g, 1, 5, 6, 3), torch.randint(0, 2, (2, 5, 6), generator=g)])
    yield case(
        "a batch",
        "pred, target: 3×5×6 int64, class 2 only in the first image; 3 classes",
        _noisy(g, target, 3, share=0.4),
        target,
        3,
        hint="count TP, FP and FN over all pixels of the batch, then divide; not a mean of per-image mIoUs",
    )
    target = _labels(g, 2, 6, 6, 4)
    yield case(
        "per class",
        "pred, target: 2×6×6 int64 in 0..3; 4 classes, per_class True: shape (4,)",
        _noisy(g, target, 4),
        target,
        4,
        per_class=True,
    )
    target = _labels(g, 2, 5, 5, 3)
    yield case(
        "class absent from both",
        "pred, target: 2×5×5 int64 in 0..2; num_classes 5 (classes 3 and 4 in neither)",
        _noisy(g, target, 3),
        target,
        5,
        hint="a class absent from prediction and target has IoU 0/0: leave it out of the mean (not 0, not 1)",
    )
    target = _labels(g, 2, 6, 5, 3)
    pred = _noisy(g, target, 3)
    pred[0, :2, :2] = 3  # class 3 predicted, never true
    yield case(
        "class only predicted",
        "pred: 2×6×5 in 0..3, target in 0..2 (class 3 predicted on 4 pixels, never true); 4 classes",
        pred,
        target,
        4,
        hint="a class that is predicted but absent from the target has IoU 0 and counts in the mean",
    )
    target = _labels(g, 2, 7, 6, 4)
    pred = _noisy(g, target, 4, share=0.4)
    target[:, :2] = 255
    yield case(
        "ignore_index",
        "pred: 2×7×6 in 0..3; target in 0..3 with its first two rows 255; ignore_index 255, 4 classes",
        pred,
        target,
        4,
        ignore_index=255,
        hint="drop the ignored pixels from pred too: their predictions are neither right nor wrong",
    )
