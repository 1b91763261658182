r"""Inverted dropout, mirroring ``torch.nn.functional.dropout``."""

from __future__ import annotations

import torch

from dlnotes._validation import check_bool, check_float, check_number

__all__ = [
    "dropout",
]


# ---------------------------------------------------------------------------------------------------------
# Dropout.


def dropout(
    input: torch.Tensor, p: float = 0.5, training: bool = True, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Inverted dropout, like ``torch.nn.functional.dropout``: zero each element with probability `p` and
    scale the survivors by :math:`1/(1-p)` (Srivastava et al. 2014).

    .. math::

        y_i = \frac{m_i\, x_i}{1 - p}, \qquad m_i \sim \mathrm{Bernoulli}(1 - p)
        \text{ independently}, \qquad \mathbb{E}[y_i] = x_i.

    Scaling at training time keeps the expected activation equal to the input, so evaluation uses the
    network as it is (the identity here); the original paper instead multiplied the weights by
    :math:`1 - p` at test time. The gradient is :math:`\partial y_i / \partial x_i = m_i / (1 - p)`:
    dropped units pass no gradient.

    Parameters
    ----------
    input : torch.Tensor
        Floating-point tensor of any shape, on any device.
    p : float, default 0.5
        Probability of zeroing an element, in [0, 1].
    training : bool, default True
        Apply dropout; if False, return `input` itself.
    generator : torch.Generator, optional
        Source of the random mask (on the device of `input`), for reproducible draws; the global generator
        if None.

    Returns
    -------
    torch.Tensor
        Same shape, dtype and device as `input`. `input` itself when ``training=False`` or ``p == 0``;
        ``input * 0`` (zeros, NaN where the input is infinite or NaN, as torch) when ``p == 1``.

    Raises
    ------
    TypeError
        If `input` is not a floating-point tensor, `p` is not a real number (a bool is refused), or
        `training` is not a bool.
    ValueError
        If `p` is outside [0, 1] or NaN ("dropout probability has to be between 0 and 1, but got 1.5",
        torch's message).

    Examples
    --------
    >>> import torch
    >>> x = torch.ones(2, 4)
    >>> dropout(x, p=0.5, generator=torch.Generator().manual_seed(0))  # survivors scaled to 1/(1-p) = 2
    tensor([[0., 2., 0., 0.],
            [0., 2., 0., 2.]])
    >>> dropout(x, p=0.5, training=False) is x  # evaluation mode: the identity
    True
    """
    check_float(input, "input")
    check_number(p, "p")
    check_bool(training, "training")
    if not 0.0 <= p <= 1.0:  # also refuses NaN, which torch lets through
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0.0  # every unit dropped; keeps the graph, so the gradient is 0
    # m_i = [u_i >= p] with u_i ~ U[0, 1): P(m_i = 1) = 1 - p
    u = torch.rand(input.shape, generator=generator, dtype=input.dtype, device=input.device)
    keep = (u >= p).to(input.dtype)
    # y = m ⊙ x / (1 − p): survivors are exactly x / (1 − p), dropped entries 0 (NaN stays NaN, as torch)
    return input * keep / (1.0 - p)


# ---------------------------------------------------------------------------------------------------------
