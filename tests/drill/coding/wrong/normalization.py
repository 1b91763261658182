"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.normalization."""

import torch

from tests.drill.coding.wrong import wrong


def _axes(x):
    """Every axis but the channels, and the (1, C, 1, ..., 1) shape a per-channel vector broadcasts as."""
    return [0, *range(2, x.dim())], [1, -1] + [1] * (x.dim() - 2)


def _batch_norm(
    x,
    rm,
    rv,
    w,
    b,
    training,
    momentum,
    eps,
    *,
    unbiased_norm=False,
    biased_running=False,
    swap_momentum=False,
    batch_stats_in_eval=False,
):
    """BatchNorm with one of the usual mistakes switched on."""
    dims, shape = _axes(x)
    if training or batch_stats_in_eval:
        n = x.numel() // x.shape[1]
        mean = x.mean(dims)
        var = x.var(dims, correction=0)
        if training:
            new_var = var if biased_running else var * n / (n - 1)
            keep, take = (momentum, 1 - momentum) if swap_momentum else (1 - momentum, momentum)
            rm.mul_(keep).add_(take * mean)
            rv.mul_(keep).add_(take * new_var)
        if unbiased_norm:
            var = var * n / (n - 1)
    else:
        mean, var = rm, rv
    return (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) * w.view(shape) + b.view(shape)


@wrong("batch-norm", fails="training, (N, C)")
def batch_norm_unbiased_normalization(x, rm, rv, w, b, training=False, momentum=0.1, eps=1e-5):
    """Normalizes with the unbiased variance (Tensor.var's default): the output is off by √(n/(n−1))."""
    return _batch_norm(x, rm, rv, w, b, training, momentum, eps, unbiased_norm=True)


@wrong("batch-norm", fails="training, (N, C)")
def batch_norm_biased_running_var(x, rm, rv, w, b, training=False, momentum=0.1, eps=1e-5):
    """Feeds the biased variance to the running estimate: the output is right, running_var is not."""
    return _batch_norm(x, rm, rv, w, b, training, momentum, eps, biased_running=True)


@wrong("batch-norm", fails="training, (N, C)")
def batch_norm_momentum_swapped(x, rm, rv, w, b, training=False, momentum=0.1, eps=1e-5):
    """0.1 · old + 0.9 · new: momentum read as the weight of the old estimate (as in Keras)."""
    return _batch_norm(x, rm, rv, w, b, training, momentum, eps, swap_momentum=True)


@wrong("batch-norm", fails="training, (N, C, H, W)")
def batch_norm_reshape_channels_last(x, rm, rv, w, b, training=False, momentum=0.1, eps=1e-5):
    """Flattens to (n, C) with reshape(-1, C), right for (N, C) but mixing channels for (N, C, H, W)."""
    flat = x.reshape(-1, x.shape[1])
    n = flat.shape[0]
    _, shape = _axes(x)
    if training:
        mean, var = flat.mean(0), flat.var(0, correction=0)
        rm.mul_(1 - momentum).add_(momentum * mean)
        rv.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    else:
        mean, var = rm, rv
    return (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) * w.view(shape) + b.view(shape)


@wrong("batch-norm", fails="evaluation, (N, C)")
def batch_norm_batch_stats_in_eval(x, rm, rv, w, b, training=False, momentum=0.1, eps=1e-5):
    """Ignores `training` for the statistics: the forgotten model.eval(), written into the function."""
    return _batch_norm(x, rm, rv, w, b, training, momentum, eps, batch_stats_in_eval=True)


@wrong("layer-norm", fails="tokens, (B, T, D)")
def layer_norm_unbiased(x, normalized_shape, weight, bias, eps=1e-5):
    """Tensor.var's default, the unbiased variance (divide by D − 1)."""
    dims = tuple(range(-len(normalized_shape), 0))
    mean, var = x.mean(dims, keepdim=True), x.var(dims, keepdim=True)
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


@wrong("layer-norm", fails="tokens, (B, T, D)")
def layer_norm_eps_outside_sqrt(x, normalized_shape, weight, bias, eps=1e-5):
    """(x − μ) / (σ + ε): eps added to the standard deviation, not to the variance."""
    dims = tuple(range(-len(normalized_shape), 0))
    mean = x.mean(dims, keepdim=True)
    std = x.var(dims, keepdim=True, correction=0).sqrt()
    return weight * (x - mean) / (std + eps) + bias


@wrong("layer-norm", fails="two normalized dimensions")
def layer_norm_last_axis_only(x, normalized_shape, weight, bias, eps=1e-5):
    """Normalizes over the last axis whatever normalized_shape says."""
    mean = x.mean(-1, keepdim=True)
    var = x.var(-1, keepdim=True, correction=0)
    return weight * (x - mean) / torch.sqrt(var + eps) + bias


@wrong("layer-norm", fails="large offset")
def layer_norm_one_pass_variance(x, normalized_shape, weight, bias, eps=1e-5):
    """σ² = E[x²] − E[x]², one pass over the data: catastrophic cancellation for a large common offset."""
    dims = tuple(range(-len(normalized_shape), 0))
    mean = x.mean(dims, keepdim=True)
    var = (x**2).mean(dims, keepdim=True) - mean**2
    return weight * (x - mean) / torch.sqrt(var + eps) + bias
