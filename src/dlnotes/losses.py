"""Segmentation losses and mean IoU: moved to :mod:`dlnotes.nn.losses`; this path keeps old imports working."""

from dlnotes.nn.losses import dice_loss, focal_loss, jaccard_loss, mean_iou, tversky_loss

__all__ = ["dice_loss", "focal_loss", "jaccard_loss", "mean_iou", "tversky_loss"]
