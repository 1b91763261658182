"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.overfitting."""

import torch

from tests.drill.coding.wrong import wrong


@wrong("inverted-dropout", fails="training, p = 0.3")
def dropout_without_scaling(input, p=0.5, training=True):
    """The original paper's training pass: survivors are not scaled by 1/(1 - p)."""
    if not training:
        return input
    return input * (torch.rand_like(input) >= p)


@wrong("inverted-dropout", fails="training, p = 0.3")
def dropout_keeping_with_probability_p(input, p=0.5, training=True):
    """p read as the keep probability: the mask is u < p, so a share 1 - p of the entries is zeroed."""
    if not training or p == 0:
        return input
    if p == 1:
        return torch.zeros_like(input)
    return input * (torch.rand_like(input) < p) / (1 - p)


@wrong("inverted-dropout", fails="evaluation")
def dropout_scaling_at_evaluation(input, p=0.5, training=True):
    """Inverted dropout in training and the paper's (1 - p) at evaluation as well: scaled twice."""
    if not training:
        return input * (1 - p)
    if p == 1:
        return torch.zeros_like(input)
    return input * (torch.rand_like(input) >= p) / (1 - p)


@wrong("inverted-dropout", fails="p = 1")
def dropout_dividing_by_zero(input, p=0.5, training=True):
    """Right everywhere except p = 1, where 0 / (1 - 1) gives NaN."""
    if not training:
        return input
    return input * (torch.rand_like(input) >= p) / (1 - p)
