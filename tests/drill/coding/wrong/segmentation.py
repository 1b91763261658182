"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.segmentation."""

import torch
import torch.nn.functional as F

from tests.drill.coding.wrong import wrong


def _one_hot(target, classes, dtype):
    return F.one_hot(target, classes).permute(0, 3, 1, 2).to(dtype)  # (N, C, H, W)


# --- dice -------------------------------------------------------------------------------------------------


@wrong("dice", fails="one image")
def dice_squared_denominator(logits, target, *, eps=1.0, per_class=False):
    """V-Net's variant, Σp² + Σg² in the denominator: a different loss from the plain-sum Dice asked for."""
    p = logits.softmax(1)
    g = _one_hot(target, logits.shape[1], p.dtype)
    dims = (0, 2, 3)
    d = (2 * (p * g).sum(dims) + eps) / ((p**2).sum(dims) + (g**2).sum(dims) + eps)
    return 1 - d if per_class else 1 - d.mean()


@wrong("dice", fails="one image")
def dice_sigmoid(logits, target, *, eps=1.0, per_class=False):
    """A sigmoid per class (the binary habit) instead of the softmax over the classes."""
    p = logits.sigmoid()
    g = _one_hot(target, logits.shape[1], p.dtype)
    dims = (0, 2, 3)
    d = (2 * (p * g).sum(dims) + eps) / (p.sum(dims) + g.sum(dims) + eps)
    return 1 - d if per_class else 1 - d.mean()


@wrong("dice", fails="a batch")
def dice_per_image(logits, target, *, eps=1.0, per_class=False):
    """Dice of each image, then the mean over images: not the batch (global) form."""
    p = logits.softmax(1)
    g = _one_hot(target, logits.shape[1], p.dtype)
    dims = (2, 3)
    d = (2 * (p * g).sum(dims) + eps) / (p.sum(dims) + g.sum(dims) + eps)  # (N, C)
    d = d.mean(0)
    return 1 - d if per_class else 1 - d.mean()


@wrong("dice", fails="per class")
def dice_ignores_per_class(logits, target, *, eps=1.0, per_class=False):
    """Always returns the mean over classes."""
    p = logits.softmax(1)
    g = _one_hot(target, logits.shape[1], p.dtype)
    dims = (0, 2, 3)
    d = (2 * (p * g).sum(dims) + eps) / (p.sum(dims) + g.sum(dims) + eps)
    return 1 - d.mean()


@wrong("dice", fails="empty class in the target")
def dice_present_classes_only(logits, target, *, eps=1.0, per_class=False):
    """Averages over the classes that occur in the target, dropping the empty one."""
    p = logits.softmax(1)
    g = _one_hot(target, logits.shape[1], p.dtype)
    dims = (0, 2, 3)
    d = (2 * (p * g).sum(dims) + eps) / (p.sum(dims) + g.sum(dims) + eps)
    return 1 - d if per_class else 1 - d[g.sum(dims) > 0].mean()


@wrong("dice", fails="saturated logits")
def dice_naive_softmax(logits, target, *, eps=1.0, per_class=False):
    """Softmax as exp / Σ exp without the max: exp(300·z) is inf, and inf / inf is NaN."""
    e = logits.exp()
    p = e / e.sum(1, keepdim=True)
    g = _one_hot(target, logits.shape[1], p.dtype)
    dims = (0, 2, 3)
    d = (2 * (p * g).sum(dims) + eps) / (p.sum(dims) + g.sum(dims) + eps)
    return 1 - d if per_class else 1 - d.mean()


# --- mean-iou ---------------------------------------------------------------------------------------------


def _counts(pred, target, num_classes):
    """(intersection, union) per class, in float64, over all pixels given."""
    inter = torch.stack([((pred == c) & (target == c)).sum() for c in range(num_classes)]).double()
    union = torch.stack([((pred == c) | (target == c)).sum() for c in range(num_classes)]).double()
    return inter, union


def _kept(pred, target, ignore_index):
    if ignore_index is None:
        return pred.flatten(), target.flatten()
    keep = target != ignore_index
    return pred[keep], target[keep]


@wrong("mean-iou", fails="one image")
def mean_iou_float32(pred, target, *, num_classes, ignore_index=None, per_class=False):
    """int / int is float32 in torch: seven digits, not the twelve asked for."""
    p, t = _kept(pred, target, ignore_index)
    iou = torch.stack([((p == c) & (t == c)).sum() / ((p == c) | (t == c)).sum() for c in range(num_classes)])
    iou = iou.double()
    return iou if per_class else iou.nanmean()


@wrong("mean-iou", fails="a batch")
def mean_iou_per_image(pred, target, *, num_classes, ignore_index=None, per_class=False):
    """IoU of each image, then the mean over images: not one confusion matrix for the batch."""
    ious = []
    for i in range(pred.shape[0]):
        inter, union = _counts(*_kept(pred[i], target[i], ignore_index), num_classes)
        ious.append(inter / union)
    iou = torch.stack(ious).nanmean(0)
    return iou if per_class else iou.nanmean()


@wrong("mean-iou", fails="class absent from both")
def mean_iou_absent_is_zero(pred, target, *, num_classes, ignore_index=None, per_class=False):
    """Clamps the union to 1 to avoid 0/0 (the chapter's attempt): an absent class scores 0 and counts."""
    inter, union = _counts(*_kept(pred, target, ignore_index), num_classes)
    iou = inter / union.clamp(min=1)
    return iou if per_class else iou.mean()


@wrong("mean-iou", fails="class absent from both")
def mean_iou_absent_is_one(pred, target, *, num_classes, ignore_index=None, per_class=False):
    """Calls an absent class a perfect match (nothing to find, nothing found): IoU 1."""
    inter, union = _counts(*_kept(pred, target, ignore_index), num_classes)
    iou = torch.where(union > 0, inter / union, torch.ones_like(union))
    return iou if per_class else iou.mean()


@wrong("mean-iou", fails="class only predicted")
def mean_iou_target_classes(pred, target, *, num_classes, ignore_index=None, per_class=False):
    """Averages over the classes present in the target: a class only predicted (IoU 0) is left out."""
    p, t = _kept(pred, target, ignore_index)
    inter, union = _counts(p, t, num_classes)
    iou = inter / union
    present = torch.bincount(t, minlength=num_classes) > 0
    return iou if per_class else iou[present].mean()


@wrong("mean-iou", fails="ignore_index")
def mean_iou_ignores_target_only(pred, target, *, num_classes, ignore_index=None, per_class=False):
    """Skips the ignored pixels in the target but still counts their predictions as false positives."""
    inter, union = _counts(pred, target, num_classes)
    iou = inter / union
    return iou if per_class else iou.nanmean()
