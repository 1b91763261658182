r"""Batch normalization and layer normalization, mirroring ``torch.nn.functional``.

- ``batch_norm`` (Ioffe & Szegedy 2015), training and evaluation, updating the running statistics in place
  like ``F.batch_norm``, and ``layer_norm`` (Ba et al. 2016); tested against torch in float64 for values and
  gradients.

References
----------
- Ioffe, S., Szegedy, C. (2015). Batch normalization: accelerating deep network training by reducing
  internal covariate shift. *ICML*, arXiv:1502.03167.
- Ba, J. L., Kiros, J. R., Hinton, G. E. (2016). Layer normalization. arXiv:1607.06450.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from dlnotes._validation import check_bool, check_float, check_real, is_int

__all__ = [
    "batch_norm",
    "layer_norm",
]


# ---------------------------------------------------------------------------------------------------------
# Normalization layers.


def _check_per_channel(t, name: str, channels: int, input_shape) -> None:
    if t is None:
        return
    check_float(t, name)
    if tuple(t.shape) != (channels,):
        raise ValueError(
            f"{name} must have shape (C,) = ({channels},), one entry per channel of the input of shape "
            f"{tuple(input_shape)}, got shape {tuple(t.shape)}"
        )


def batch_norm(
    input: torch.Tensor,
    running_mean: torch.Tensor | None,
    running_var: torch.Tensor | None,
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> torch.Tensor:
    r"""Batch normalization (Ioffe & Szegedy 2015), like ``torch.nn.functional.batch_norm``.

    For an input of shape :math:`(N, C)` or :math:`(N, C, *)` (``BatchNorm1d``: :math:`(N, C, L)`;
    ``BatchNorm2d``: :math:`(N, C, H, W)`), each channel :math:`c` is normalized with statistics over every
    other axis, :math:`n = N \cdot \prod *` values:

    .. math::

        \mu_c = \frac{1}{n}\sum x, \qquad \sigma_c^2 = \frac{1}{n}\sum (x - \mu_c)^2, \qquad
        y = \gamma_c \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c .

    In training the batch statistics are used, and the running estimates are updated in place:

    .. math::

        \hat\mu \leftarrow (1 - m)\,\hat\mu + m\,\mu_c, \qquad
        \hat\sigma^2 \leftarrow (1 - m)\,\hat\sigma^2 + m\,\frac{n}{n - 1}\,\sigma_c^2 .

    Note the two variances: the batch is normalized with the **biased** :math:`\sigma_c^2`, but the running
    estimate accumulates the **unbiased** :math:`\frac{n}{n-1}\sigma_c^2`, an estimate of the population
    variance. In evaluation (``training=False``) the running estimates replace the batch statistics, so
    each example's output no longer depends on the rest of the batch.

    Parameters
    ----------
    input : torch.Tensor
        Floating-point tensor of shape :math:`(N, C, *)`, at least 2 dimensions.
    running_mean, running_var : torch.Tensor or None
        Running estimates of shape :math:`(C,)`, updated in place when `training`. May be None (both) when
        `training`: then no estimate is kept.
    weight, bias : torch.Tensor, optional
        The affine parameters :math:`\gamma` and :math:`\beta`, shape :math:`(C,)` (1 and 0 if None).
    training : bool, default False
        Use the batch statistics (and update the running ones) rather than the running ones.
    momentum : float, default 0.1
        The weight :math:`m` of the new batch in the running estimates. ``None`` (a cumulative average in
        ``nn.BatchNorm``) is refused, as by ``F.batch_norm``: a function does not know how many batches it
        has seen; pass ``momentum=1 / k`` for the :math:`k`-th batch instead.
    eps : float, default 1e-5
        Added to the variance for numerical stability.

    Returns
    -------
    torch.Tensor
        Same shape as `input`.

    Raises
    ------
    TypeError
        If `input` or a given statistic or parameter is not a floating-point tensor, `training` is not a
        bool, `momentum` is None, or `momentum` or `eps` is not a real number (a bool is refused).
    ValueError
        If `input` has fewer than 2 dimensions; a statistic or parameter does not have shape :math:`(C,)`;
        only one of the running statistics is given; they are missing when ``training=False``; `momentum`
        is outside [0, 1] (the weight of a convex combination) or `eps` is negative (the variance plus
        `eps` must stay >= 0 under the square root), or either is NaN or infinite; or in training a
        channel has only one value (torch's message).

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([[1.0, 10.0], [3.0, 30.0]])  # (N, C) = (2, 2)
    >>> mean, var = torch.zeros(2), torch.ones(2)
    >>> batch_norm(x, mean, var, training=True, momentum=0.5)
    tensor([[-1.0000, -1.0000],
            [ 1.0000,  1.0000]])
    >>> mean, var  # 0.5 · 0 + 0.5 · μ;  0.5 · 1 + 0.5 · unbiased variance (2 and 200)
    (tensor([ 1., 10.]), tensor([  1.5000, 100.5000]))
    """
    check_float(input, "input")
    if input.dim() < 2:
        raise ValueError(
            "batch_norm expects an input of shape (N, C) or (N, C, *) with at least 2 dimensions, got shape "
            f"{tuple(input.shape)}"
        )
    for name, t in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", weight),
        ("bias", bias),
    ):
        _check_per_channel(t, name, input.shape[1], input.shape)
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must be given together (or both be None)")
    if not training and running_mean is None:
        raise ValueError("running_mean and running_var are needed when training=False, got None")
    if momentum is None:
        raise TypeError(
            "momentum=None (a cumulative average) needs the number of batches seen, which batch_norm does "
            "not keep; pass momentum=1/k for the k-th batch (what nn.BatchNorm does with momentum=None)"
        )
    check_bool(training, "training")
    check_real(momentum, "momentum", minimum=0, maximum=1)
    check_real(eps, "eps", minimum=0)
    channels = input.shape[1]
    dims = [0] + list(range(2, input.dim()))  # every axis but the channels
    shape = (1, channels) + (1,) * (input.dim() - 2)  # (1, C, 1, ..., 1): broadcasts over N and *
    if training:
        n = input.numel() // channels if channels else 0
        if n <= 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {input.size()}"
            )
        # μ_c = (1/n) Σ x
        mean = input.mean(dim=dims)  # (C,)
        # σ_c² = (1/n) Σ (x − μ_c)²   (biased: this one normalizes the batch)
        var = ((input - mean.view(shape)) ** 2).mean(dim=dims)  # (C,)
        if running_mean is not None:
            with torch.no_grad():
                # μ̂ ← (1 − m) μ̂ + m μ_c
                running_mean.mul_(1 - momentum).add_(mean, alpha=momentum)
                # σ̂² ← (1 − m) σ̂² + m · n/(n − 1) · σ_c²   (unbiased: estimates the population variance)
                running_var.mul_(1 - momentum).add_(var * (n / (n - 1)), alpha=momentum)
    else:
        mean, var = running_mean, running_var
    # x̂ = (x − μ) / √(σ² + ε)
    out = (input - mean.view(shape)) / torch.sqrt(var.view(shape) + eps)  # (N, C, *)
    if weight is not None:
        # y = γ x̂ + β
        out = out * weight.view(shape)
    if bias is not None:
        out = out + bias.view(shape)
    return out


def _check_normalized_shape(normalized_shape, input_shape) -> tuple[int, ...]:
    """`normalized_shape` as a tuple of ints, checked against the trailing dimensions of the input."""
    if is_int(normalized_shape):
        normalized_shape = (normalized_shape,)
    try:
        normalized_shape = tuple(normalized_shape)
    except TypeError:
        raise TypeError(
            f"normalized_shape must be an int or a sequence of ints, got {type(normalized_shape).__name__}"
        ) from None
    if not all(is_int(d) for d in normalized_shape):
        raise TypeError(f"normalized_shape must be an int or a sequence of ints, got {normalized_shape}")
    normalized_shape = tuple(int(d) for d in normalized_shape)
    k = len(normalized_shape)
    if k == 0:
        raise ValueError("normalized_shape must have at least one dimension, got ()")
    if len(input_shape) < k or tuple(input_shape[-k:]) != normalized_shape:
        raise ValueError(
            f"normalized_shape={normalized_shape} must equal the trailing dimensions of the input, expected "
            f"an input of shape (*, {', '.join(map(str, normalized_shape))}), got shape {tuple(input_shape)}"
        )
    return normalized_shape


def layer_norm(
    input: torch.Tensor,
    normalized_shape: int | Sequence[int],
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    eps: float = 1e-5,
) -> torch.Tensor:
    r"""Layer normalization (Ba et al. 2016), like ``torch.nn.functional.layer_norm``.

    Each example is normalized over its last :math:`k` = ``len(normalized_shape)`` dimensions (for a
    transformer, :math:`k = 1`: each token over its features), with the biased variance:

    .. math::

        \mu = \frac{1}{D}\sum_{i=1}^{D} x_i, \qquad \sigma^2 = \frac{1}{D}\sum_{i=1}^{D} (x_i - \mu)^2,
        \qquad y = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta,

    :math:`D` being the number of entries in the normalized dimensions. Unlike :func:`batch_norm` it uses no
    statistic across examples: the same in training and evaluation, any batch size (even 1), and no running
    estimates.

    Parameters
    ----------
    input : torch.Tensor
        Floating-point tensor of shape :math:`(*, \text{normalized\_shape})`.
    normalized_shape : int or sequence of int
        The trailing shape to normalize over.
    weight, bias : torch.Tensor, optional
        The elementwise affine parameters :math:`\gamma`, :math:`\beta`, of shape `normalized_shape`.
    eps : float, default 1e-5
        Added to the variance for numerical stability.

    Returns
    -------
    torch.Tensor
        Same shape as `input`.

    Raises
    ------
    TypeError
        If `input`, `weight` or `bias` is not a floating-point tensor, `normalized_shape` holds something
        other than ints, or `eps` is not a real number (a bool is refused).
    ValueError
        If `normalized_shape` is empty, does not match the trailing dimensions of `input`, `weight` or
        `bias` does not have shape `normalized_shape`, or `eps` is negative, NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> layer_norm(torch.tensor([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]]), 3)
    tensor([[-1.2247,  0.0000,  1.2247],
            [-1.2247,  0.0000,  1.2247]])
    """
    check_float(input, "input")
    normalized_shape = _check_normalized_shape(normalized_shape, input.shape)
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None:
            check_float(t, name)
            if tuple(t.shape) != normalized_shape:
                raise ValueError(
                    f"{name} must have shape normalized_shape={normalized_shape}, got shape {tuple(t.shape)}"
                )
    check_real(eps, "eps", minimum=0)
    k = len(normalized_shape)
    dims = tuple(range(-k, 0))  # the normalized (trailing) axes
    # μ = (1/D) Σ x_i
    mean = input.mean(dim=dims, keepdim=True)  # (*, 1, ..., 1)
    # σ² = (1/D) Σ (x_i − μ)²   (biased)
    var = ((input - mean) ** 2).mean(dim=dims, keepdim=True)  # (*, 1, ..., 1)
    # y = γ ⊙ (x − μ)/√(σ² + ε) + β
    out = (input - mean) / torch.sqrt(var + eps)  # (*, normalized_shape)
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


# ---------------------------------------------------------------------------------------------------------
