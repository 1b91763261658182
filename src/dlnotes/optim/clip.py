r"""Gradient clipping by the global norm, mirroring ``torch.nn.utils.clip_grad_norm_``."""

from __future__ import annotations

import math
import types
import warnings
from collections.abc import Iterable

import torch

from dlnotes._validation import check_bool, check_real

__all__ = [
    "clip_grad_norm_",
]


# Gradient clipping.


@torch.no_grad()
def clip_grad_norm_(
    parameters: torch.Tensor | Iterable[torch.Tensor],
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
) -> torch.Tensor:
    r"""Rescale gradients in place so that their joint norm is at most `max_norm`; return the old norm.

    All gradients are treated as one long vector :math:`g`:

    .. math::

        \lVert g \rVert_p = \Big(\sum_i |g_i|^p\Big)^{1/p}, \quad
        \lVert g \rVert_\infty = \max_i |g_i|, \qquad
        g \leftarrow g \cdot \min\Big(1, \frac{\text{max\_norm}}{\lVert g \rVert_p + 10^{-6}}\Big)

    Clipping keeps the direction of the update and only shortens it. Same results as
    ``torch.nn.utils.clip_grad_norm_``, including the :math:`10^{-6}` in the denominator.

    Parameters
    ----------
    parameters : torch.Tensor or iterable of torch.Tensor
        Parameters whose ``.grad`` to clip; parameters without a gradient are skipped.
    max_norm : float
        Largest norm allowed, :math:`\ge 0` (``inf``: nothing is clipped).
    norm_type : float, default 2.0
        The order :math:`p > 0` of the norm, or ``inf`` (also as the string ``"inf"``). Torch also
        accepts 0 and ``-inf``; ours refuses them.
    error_if_nonfinite : bool, default False
        Raise if the total norm is NaN or infinite instead of scaling the gradients by it.

    Returns
    -------
    torch.Tensor
        The total norm before clipping, a 0-d tensor on the first gradient's device (``tensor(0.)``
        when no parameter has a gradient).

    Raises
    ------
    TypeError
        If `max_norm` or `norm_type` is not a real number (or, for `norm_type`, a string; a bool is
        refused), or `error_if_nonfinite` is not a bool.
    ValueError
        If `norm_type` is not positive or is NaN, or `max_norm` is negative or NaN (torch accepts a
        negative `max_norm` and flips the gradients' sign).
    RuntimeError
        With torch's message, if `error_if_nonfinite` and the total norm is NaN or infinite.

    Warns
    -----
    UserWarning
        Like torch, when `parameters` is an empty generator (often an exhausted ``model.parameters()``).

    Examples
    --------
    >>> import torch
    >>> a, b = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    >>> a.grad, b.grad = torch.tensor([3.0, 0.0]), torch.tensor([4.0])
    >>> clip_grad_norm_([a, b], max_norm=1.0)  # the norm of (3, 0, 4)
    tensor(5.)
    >>> a.grad, b.grad  # now of norm 1 (up to the 1e-6)
    (tensor([0.6000, 0.0000]), tensor([0.8000]))
    """
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and len(parameters) == 0:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=2
            )
    max_norm = check_real(max_norm, "max_norm", minimum=0, finite=False)
    p = float(norm_type) if isinstance(norm_type, str) else check_real(norm_type, "norm_type", finite=False)
    check_bool(error_if_nonfinite, "error_if_nonfinite")
    if not p > 0:
        raise ValueError(f"norm_type must be positive (the p of a p-norm, or inf), got {norm_type}")
    grads = [param.grad for param in parameters if param.grad is not None]
    if len(grads) == 0:
        return torch.tensor(0.0)
    device = grads[0].device
    if math.isinf(p):
        # ‖g‖_∞ = max_i |g_i|
        total_norm = torch.stack([g.abs().max().to(device) for g in grads]).max()
    else:
        # ‖g‖_p = (Σ_i |g_i|^p)^(1/p), summed over every gradient as one vector
        total_norm = torch.stack([g.abs().pow(p).sum().to(device) for g in grads]).sum().pow(1 / p)
    if error_if_nonfinite and not torch.isfinite(total_norm):
        raise RuntimeError(
            f"The total norm of order {p} for gradients from `parameters` is non-finite, so it cannot "
            "be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
            "set `error_if_nonfinite=False`"
        )
    # g ← g · min(1, max_norm / (‖g‖ + 1e-6))   (multiplying by 1 avoids a device sync on an `if`)
    clip_coef = torch.clamp(float(max_norm) / (total_norm + 1e-6), max=1.0)
    for g in grads:
        g.mul_(clip_coef.to(g.device))
    return total_norm
