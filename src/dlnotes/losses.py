"""Moved to :mod:`dlnotes.nn.losses`; this path re-exports its public names."""

from dlnotes.nn.losses import dice_loss, focal_loss, jaccard_loss, mean_iou, tversky_loss

__all__ = ["dice_loss", "focal_loss", "jaccard_loss", "mean_iou", "tversky_loss"]
