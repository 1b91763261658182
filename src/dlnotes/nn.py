r"""Activations, softmax, normalization layers and attention written from elementary tensor operations.

Each function mirrors a ``torch.nn.functional`` function of the same name and signature, and is tested
against it in float64 for values **and** gradients (autograd differentiates our elementary operations; the
result must equal the gradient of torch's fused kernel):

- Activations ``sigmoid``, ``tanh``, ``relu``, ``leaky_relu`` (Maas et al. 2013), ``elu`` (Clevert et al.
  2016) and ``gelu`` (Hendrycks & Gimpel 2016, exact and tanh forms), each with its derivative in closed form
  (``*_derivative``), checked against autograd of torch's function. None calls the torch function it
  mirrors: ``sigmoid`` and ``tanh`` are built from ``exp``/``expm1`` in a form that never overflows.
- ``softmax`` and ``log_softmax``, stable for logits of any size (the maximum is subtracted first).
- ``nll_loss`` and ``cross_entropy`` on top of ``log_softmax``: class-index or class-probability targets,
  per-class ``weight``, ``ignore_index``, label smoothing (Szegedy et al. 2016) and torch's weighted mean.
- ``batch_norm`` (Ioffe & Szegedy 2015), training and evaluation, updating the running statistics in place
  like ``F.batch_norm``, and ``layer_norm`` (Ba et al. 2016).
- ``scaled_dot_product_attention`` (Vaswani et al. 2017) with boolean and additive masks, causal masking and
  a custom scale, broadcasting over batch and head dimensions.
- ``conv2d`` as im2col (``unfold``, one indexing gather) plus one batched matrix product (Chellapilla et
  al. 2006), with stride, padding, dilation and groups; ``conv2d_naive``, the same with nested loops;
  ``max_pool2d`` and ``avg_pool2d`` on the same gather; ``conv_output_size``, the arithmetic of Dumoulin &
  Visin (2016), with torch's ``ceil_mode`` rule.

Input errors are ``TypeError`` (not a tensor, wrong dtype) or ``ValueError`` (shapes, options), with
messages that say what was expected and what came, also where torch raises ``RuntimeError`` or
``IndexError`` for the same input (torch's wording is kept where it is clear).

Left out on purpose: ``dropout_p`` (attention dropout) other than 0, ``enable_gqa``, and the ``inplace``
and ``dtype`` arguments of torch's functions; for convolution and pooling, unbatched 3-D inputs (use
``unsqueeze(0)``), string paddings (``"same"``, ``"valid"``), ``return_indices`` and ``divisor_override``.

References
----------
- Maas, A. L., Hannun, A. Y., Ng, A. Y. (2013). Rectifier nonlinearities improve neural network acoustic
  models. *ICML Workshop on Deep Learning for Audio, Speech and Language Processing* (leaky ReLU).
- Clevert, D.-A., Unterthiner, T., Hochreiter, S. (2016). Fast and accurate deep network learning by
  exponential linear units (ELUs). *ICLR*, arXiv:1511.07289.
- Hendrycks, D., Gimpel, K. (2016). Gaussian error linear units (GELUs). arXiv:1606.08415.
- Szegedy, C., Vanhoucke, V., Ioffe, S., Shlens, J., Wojna, Z. (2016). Rethinking the Inception
  architecture for computer vision. *CVPR*, arXiv:1512.00567 (label smoothing).
- Ioffe, S., Szegedy, C. (2015). Batch normalization: accelerating deep network training by reducing
  internal covariate shift. *ICML*, arXiv:1502.03167.
- Ba, J. L., Kiros, J. R., Hinton, G. E. (2016). Layer normalization. arXiv:1607.06450.
- Chellapilla, K., Puri, S., Simard, P. (2006). High performance convolutional neural networks for
  document processing. *Tenth International Workshop on Frontiers in Handwriting Recognition* (im2col).
- Dumoulin, V., Visin, F. (2016). A guide to convolution arithmetic for deep learning. arXiv:1603.07285.
- Vaswani, A., Shazeer, N., Parmar, N., Uszkoreit, J., Jones, L., Gomez, A. N., Kaiser, Ł., Polosukhin, I.
  (2017). Attention is all you need. *NeurIPS*, arXiv:1706.03762.
"""

from __future__ import annotations

import math
import numbers

import torch

__all__ = [
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "gelu",
    "sigmoid_derivative",
    "tanh_derivative",
    "relu_derivative",
    "leaky_relu_derivative",
    "elu_derivative",
    "gelu_derivative",
    "softmax",
    "log_softmax",
    "nll_loss",
    "cross_entropy",
    "batch_norm",
    "layer_norm",
    "scaled_dot_product_attention",
    "dropout",
    "conv_output_size",
    "unfold",
    "conv2d",
    "conv2d_naive",
    "max_pool2d",
    "avg_pool2d",
]

#: √(2/π), the slope of the tanh approximation of GELU at 0.
GELU_TANH_SCALE = math.sqrt(2.0 / math.pi)
#: The cubic coefficient of the tanh approximation of GELU (Hendrycks & Gimpel 2016).
GELU_TANH_CUBIC = 0.044715


# ---------------------------------------------------------------------------------------------------------
# Input checks.


def _check_tensor(x, name: str = "x") -> None:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def _check_float(x, name: str) -> None:
    _check_tensor(x, name)
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {x.dtype}")


def _check_dim(x: torch.Tensor, dim) -> int:
    """`dim` as a non-negative axis of `x` (a 0-d tensor has the one axis 0, as in torch)."""
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    ndim = max(x.dim(), 1)
    if not -ndim <= dim < ndim:
        raise ValueError(
            f"dim must be in [{-ndim}, {ndim - 1}] for an input with {x.dim()} dimensions, got {dim}"
        )
    return int(dim) % ndim


def _check_approximate(approximate) -> None:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")


# ---------------------------------------------------------------------------------------------------------
# Activations.


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    r"""The logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, like ``torch.sigmoid``.

    Computed without overflow for any :math:`x`: :math:`1/(1 + e^{-x})` for :math:`x \ge 0` and the equal
    :math:`e^{x}/(1 + e^{x})` for :math:`x < 0`, so the exponential is always of a non-positive number.
    (The naive form computes :math:`e^{1000} = \infty` for :math:`x = -1000`; the result, 0, survives, but
    its gradient is NaN.)

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.

    Returns
    -------
    torch.Tensor
        :math:`\sigma(x)`, same shape, values in :math:`[0, 1]`.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> sigmoid(torch.tensor([-1000.0, -1.0, 0.0, 1.0, 1000.0]))
    tensor([0.0000, 0.2689, 0.5000, 0.7311, 1.0000])
    """
    _check_tensor(x)
    # σ(x) = 1 / (1 + e^{−x})  for x ≥ 0   (e^{−x} ≤ 1)
    pos = 1 / (1 + torch.exp(-x.clamp(min=0)))
    # σ(x) = e^{x} / (1 + e^{x})  for x < 0   (e^{x} < 1; the clamps keep the unused branch finite)
    e = torch.exp(x.clamp(max=0))
    neg = e / (1 + e)
    return torch.where(x >= 0, pos, neg)


def sigmoid_derivative(x: torch.Tensor) -> torch.Tensor:
    r"""The derivative of :func:`sigmoid`, :math:`\sigma'(x) = \sigma(x)\,(1 - \sigma(x))`.

    Written as :math:`\sigma(x)\,\sigma(-x)` (the same number, since :math:`1 - \sigma(x) = \sigma(-x)`),
    which keeps full relative precision in the tails where :math:`1 - \sigma(x)` would round to 0. Its
    maximum is :math:`1/4` at :math:`x = 0`: each sigmoid layer shrinks a backpropagated gradient by at
    least a factor 4.

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.

    Returns
    -------
    torch.Tensor
        :math:`\sigma'(x)`, same shape.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> sigmoid_derivative(torch.tensor([-2.0, 0.0, 2.0]))
    tensor([0.1050, 0.2500, 0.1050])
    """
    _check_tensor(x)
    # σ'(x) = σ(x)(1 − σ(x)) = σ(x) σ(−x)
    return sigmoid(x) * sigmoid(-x)


def tanh(x: torch.Tensor) -> torch.Tensor:
    r"""The hyperbolic tangent :math:`\tanh x = (e^{x} - e^{-x})/(e^{x} + e^{-x})`, like ``torch.tanh``.

    Computed from :math:`m = e^{-2|x|} - 1` (``expm1``, accurate near 0) as
    :math:`\tanh x = \operatorname{sign}(x) \cdot (-m)/(2 + m)`, which never overflows. Note
    :math:`\tanh x = 2\sigma(2x) - 1`: a rescaled sigmoid, centred at 0.

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.

    Returns
    -------
    torch.Tensor
        :math:`\tanh x`, same shape, values in :math:`[-1, 1]`.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> tanh(torch.tensor([-1000.0, -1.0, 0.0, 1e-10, 1.0]))
    tensor([-1.0000e+00, -7.6159e-01,  0.0000e+00,  1.0000e-10,  7.6159e-01])
    """
    _check_tensor(x)
    # tanh x = (1 − e^{−2x}) / (1 + e^{−2x}) = −m / (2 + m),  m = e^{−2x} − 1,  for x ≥ 0
    m_pos = torch.expm1(-2 * x.clamp(min=0))
    # tanh x = (e^{2x} − 1) / (e^{2x} + 1) = m / (2 + m),  m = e^{2x} − 1,  for x < 0
    m_neg = torch.expm1(2 * x.clamp(max=0))
    return torch.where(x >= 0, -m_pos / (2 + m_pos), m_neg / (2 + m_neg))


def tanh_derivative(x: torch.Tensor) -> torch.Tensor:
    r"""The derivative of :func:`tanh`, :math:`\tanh'(x) = 1 - \tanh^2 x`.

    Written as :math:`4\sigma(2x)\sigma(-2x)` (the same number, from :math:`\tanh x = 2\sigma(2x) - 1`), which
    keeps its relative precision where :math:`\tanh^2 x` rounds to 1. Its maximum is 1 at :math:`x = 0`,
    four times the sigmoid's.

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.

    Returns
    -------
    torch.Tensor
        :math:`\tanh'(x)`, same shape.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> tanh_derivative(torch.tensor([-2.0, 0.0, 2.0]))
    tensor([0.0707, 1.0000, 0.0707])
    """
    _check_tensor(x)
    # tanh'(x) = 1 − tanh² x = (1 − tanh x)(1 + tanh x) = 4 σ(2x) σ(−2x)
    return 4 * sigmoid(2 * x) * sigmoid(-2 * x)


def relu(x: torch.Tensor) -> torch.Tensor:
    r"""The rectified linear unit :math:`\mathrm{relu}(x) = \max(0, x)`, like ``torch.nn.functional.relu``.

    NaN stays NaN, as in torch.

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.

    Returns
    -------
    torch.Tensor
        :math:`\max(0, x)`, same shape.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> relu(torch.tensor([-2.0, 0.0, 3.0]))
    tensor([0., 0., 3.])
    """
    _check_tensor(x)
    # relu(x) = x if x > 0 else 0   (written as "0 where x ≤ 0" so that NaN passes through)
    return torch.where(x <= 0, torch.zeros_like(x), x)


def relu_derivative(x: torch.Tensor) -> torch.Tensor:
    r"""The derivative of :func:`relu`: 1 where :math:`x > 0`, else 0.

    At :math:`x = 0`, where the derivative does not exist, 0, the value torch's autograd uses. The gradient
    passes unchanged through active units and is cut at inactive ones: a unit whose input is negative for
    every example gets no gradient at all (a "dead" ReLU).

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.

    Returns
    -------
    torch.Tensor
        0 or 1 in `x`'s dtype, same shape.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> relu_derivative(torch.tensor([-2.0, 0.0, 3.0]))
    tensor([0., 0., 1.])
    """
    _check_tensor(x)
    # relu'(x) = 1[x > 0]
    return (x > 0).to(x.dtype)


def leaky_relu(x: torch.Tensor, negative_slope: float = 0.01) -> torch.Tensor:
    r"""The leaky ReLU (Maas et al. 2013), like ``torch.nn.functional.leaky_relu``.

    .. math::

        \mathrm{leaky\_relu}(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}

    with a small slope :math:`a` for negative inputs, so that no unit stops learning entirely.

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.
    negative_slope : float, default 0.01
        The slope :math:`a` for :math:`x \le 0`.

    Returns
    -------
    torch.Tensor
        Same shape as `x`.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> leaky_relu(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
    tensor([-0.2000,  0.0000,  3.0000])
    """
    _check_tensor(x)
    # leaky_relu(x) = x if x > 0 else a·x
    return torch.where(x > 0, x, negative_slope * x)


def leaky_relu_derivative(x: torch.Tensor, negative_slope: float = 0.01) -> torch.Tensor:
    r"""The derivative of :func:`leaky_relu`: 1 where :math:`x > 0`, else :math:`a` (also at 0, as in torch).

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.
    negative_slope : float, default 0.01
        The slope :math:`a` for :math:`x \le 0`.

    Returns
    -------
    torch.Tensor
        Same shape as `x`.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> leaky_relu_derivative(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
    tensor([0.1000, 0.1000, 1.0000])
    """
    _check_tensor(x)
    # leaky_relu'(x) = 1 if x > 0 else a
    return torch.where(x > 0, torch.ones_like(x), torch.full_like(x, negative_slope))


def elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    r"""The exponential linear unit (Clevert et al. 2016), like ``torch.nn.functional.elu``.

    .. math::

        \mathrm{elu}(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}

    Smooth at 0 when :math:`\alpha = 1`, saturating at :math:`-\alpha` for very negative inputs, so that the
    mean activation is closer to 0 than with a ReLU.

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.
    alpha : float, default 1.0
        The value :math:`-\alpha` the function tends to as :math:`x \to -\infty`.

    Returns
    -------
    torch.Tensor
        Same shape as `x`.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> elu(torch.tensor([-100.0, -1.0, 0.0, 2.0]))
    tensor([-1.0000, -0.6321,  0.0000,  2.0000])
    """
    _check_tensor(x)
    # elu(x) = x if x > 0 else α(e^x − 1)   (expm1 is accurate near 0; the clamp keeps e^x finite where
    # the branch is unused)
    return torch.where(x > 0, x, alpha * torch.expm1(x.clamp(max=0)))


def elu_derivative(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    r"""The derivative of :func:`elu`: 1 where :math:`x > 0`, else :math:`\alpha e^{x}` (:math:`\alpha` at 0).

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.
    alpha : float, default 1.0
        The ELU's :math:`\alpha`.

    Returns
    -------
    torch.Tensor
        Same shape as `x`.

    Raises
    ------
    TypeError
        If `x` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> elu_derivative(torch.tensor([-1.0, 0.0, 2.0]), alpha=2.0)
    tensor([0.7358, 2.0000, 1.0000])
    """
    _check_tensor(x)
    # elu'(x) = 1 if x > 0 else α e^x
    return torch.where(x > 0, torch.ones_like(x), alpha * torch.exp(x.clamp(max=0)))


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    r"""The Gaussian error linear unit (Hendrycks & Gimpel 2016), like ``torch.nn.functional.gelu``.

    The input times the probability that a standard normal variable falls below it:

    .. math::

        \mathrm{gelu}(x) = x\,\Phi(x) = \frac{x}{2}\Big(1 + \operatorname{erf}\frac{x}{\sqrt 2}\Big)

    or, with ``approximate="tanh"``,

    .. math::

        \mathrm{gelu}(x) \approx \frac{x}{2}\Big(1 + \tanh\Big(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\Big)\Big)
        = x\,\sigma\Big(2\sqrt{2/\pi}\,(x + 0.044715\,x^3)\Big).

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.
    approximate : {"none", "tanh"}, default "none"
        The exact form, or the tanh approximation.

    Returns
    -------
    torch.Tensor
        Same shape as `x`.

    Raises
    ------
    TypeError
        If `x` is not a tensor.
    ValueError
        If `approximate` is neither ``"none"`` nor ``"tanh"`` (torch raises ``RuntimeError``).

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([-3.0, -1.0, 0.0, 1.0, 3.0])
    >>> gelu(x)
    tensor([-0.0040, -0.1587,  0.0000,  0.8413,  2.9960])
    >>> gelu(x, approximate="tanh")
    tensor([-0.0036, -0.1588,  0.0000,  0.8412,  2.9964])
    """
    _check_tensor(x)
    _check_approximate(approximate)
    if approximate == "tanh":
        # gelu(x) ≈ ½x(1 + tanh(√(2/π)(x + 0.044715x³))) = x σ(2√(2/π)(x + 0.044715x³))
        # (the σ form avoids the cancellation in 1 + tanh(·) for negative x)
        inner = GELU_TANH_SCALE * (x + GELU_TANH_CUBIC * x**3)
        return x * sigmoid(2 * inner)
    # gelu(x) = x Φ(x) = ½x(1 + erf(x/√2)) = ½x erfc(−x/√2)   (erfc: no cancellation for x ≪ 0)
    return 0.5 * x * torch.erfc(-x / math.sqrt(2.0))


def gelu_derivative(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    r"""The derivative of :func:`gelu`.

    .. math::

        \mathrm{gelu}'(x) = \Phi(x) + x\,\varphi(x), \qquad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}},

    and for the tanh form, with :math:`u = \sqrt{2/\pi}\,(x + 0.044715\,x^3)`,

    .. math::

        \frac{1}{2}(1 + \tanh u) + \frac{x}{2}(1 - \tanh^2 u)\,\sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\,x^2)
        = \sigma(2u) + 2x\,\sigma'(2u)\,u'.

    Unlike the ReLU's, it is negative for :math:`x \lesssim -0.75`.

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.
    approximate : {"none", "tanh"}, default "none"
        The exact form, or the tanh approximation.

    Returns
    -------
    torch.Tensor
        Same shape as `x`.

    Raises
    ------
    TypeError
        If `x` is not a tensor.
    ValueError
        If `approximate` is neither ``"none"`` nor ``"tanh"``.

    Examples
    --------
    >>> import torch
    >>> gelu_derivative(torch.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.0833,  0.5000,  1.0833])
    """
    _check_tensor(x)
    _check_approximate(approximate)
    if approximate == "tanh":
        inner = GELU_TANH_SCALE * (x + GELU_TANH_CUBIC * x**3)
        # u'(x) = √(2/π)(1 + 3 · 0.044715 x²)
        d_inner = GELU_TANH_SCALE * (1 + 3 * GELU_TANH_CUBIC * x**2)
        # d/dx [x σ(2u)] = σ(2u) + 2x σ'(2u) u'
        return sigmoid(2 * inner) + 2 * x * sigmoid_derivative(2 * inner) * d_inner
    # Φ(x) = ½ erfc(−x/√2),  φ(x) = e^{−x²/2} / √(2π)
    cdf = 0.5 * torch.erfc(-x / math.sqrt(2.0))
    pdf = torch.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)
    # gelu'(x) = Φ(x) + x φ(x)
    return cdf + x * pdf


# ---------------------------------------------------------------------------------------------------------
# Softmax.


def softmax(x: torch.Tensor, dim: int) -> torch.Tensor:
    r"""The softmax along `dim`, like ``torch.softmax``, stable for logits of any size.

    .. math::

        \operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}
        = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \qquad m = \max_j x_j .

    Subtracting the maximum changes nothing mathematically (the factor :math:`e^{-m}` cancels) but keeps every
    exponent :math:`\le 0`: no overflow, and the largest term is exactly 1, so the sum is at least 1. As in
    torch, a slice whose entries are all :math:`-\infty` gives NaN.

    Parameters
    ----------
    x : torch.Tensor
        Floating-point logits of any shape.
    dim : int
        The axis to normalize over (negative counts from the end).

    Returns
    -------
    torch.Tensor
        Same shape as `x`, non-negative, summing to 1 along `dim`.

    Raises
    ------
    TypeError
        If `x` is not a floating-point tensor, or `dim` is not an int.
    ValueError
        If `dim` is out of range (torch raises ``IndexError``).

    Examples
    --------
    >>> import torch
    >>> softmax(torch.tensor([[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]]), dim=-1)
    tensor([[0.0900, 0.2447, 0.6652],
            [1.0000, 0.0000, 0.0000]])
    """
    _check_float(x, "x")
    dim = _check_dim(x, dim)
    if x.dim() > 0 and x.shape[dim] == 0:
        return x.clone()
    # m = max_j x_j; detached because the result does not depend on it (the shift cancels)
    m = x.detach().amax(dim=dim, keepdim=True)
    # softmax(x)_i = e^{x_i − m} / Σ_j e^{x_j − m}
    e = torch.exp(x - m)
    return e / e.sum(dim=dim, keepdim=True)


def log_softmax(x: torch.Tensor, dim: int) -> torch.Tensor:
    r"""The logarithm of :func:`softmax` along `dim`, like ``torch.log_softmax``, computed directly.

    .. math::

        \log \operatorname{softmax}(x)_i = x_i - m - \log \sum_j e^{x_j - m}, \qquad m = \max_j x_j .

    Taking the log of :func:`softmax` instead would give :math:`\log 0 = -\infty` wherever a probability
    underflows (logits :math:`10^4` apart), although the log-probability itself (:math:`-10^4`) is
    perfectly representable; this is why losses take log-probabilities.

    Parameters
    ----------
    x : torch.Tensor
        Floating-point logits of any shape.
    dim : int
        The axis to normalize over (negative counts from the end).

    Returns
    -------
    torch.Tensor
        Same shape as `x`, non-positive, with ``exp`` summing to 1 along `dim`.

    Raises
    ------
    TypeError
        If `x` is not a floating-point tensor, or `dim` is not an int.
    ValueError
        If `dim` is out of range (torch raises ``IndexError``).

    Examples
    --------
    >>> import torch
    >>> log_softmax(torch.tensor([1e4, 0.0, -1e4]), dim=0)
    tensor([     0., -10000., -20000.])
    """
    _check_float(x, "x")
    dim = _check_dim(x, dim)
    if x.dim() > 0 and x.shape[dim] == 0:
        return x.clone()
    m = x.detach().amax(dim=dim, keepdim=True)
    shifted = x - m
    # log softmax(x)_i = (x_i − m) − log Σ_j e^{x_j − m}
    return shifted - torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))


# ---------------------------------------------------------------------------------------------------------
# Losses.


def _check_reduction(reduction) -> None:
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"reduction must be 'none', 'mean' or 'sum', got {reduction!r}")


def _check_class_weight(weight, input: torch.Tensor, classes: int) -> None:
    if weight is None:
        return
    _check_float(weight, "weight")
    if tuple(weight.shape) != (classes,):
        raise ValueError(
            f"weight must have shape (C,) = ({classes},), one entry per class of the input of shape "
            f"{tuple(input.shape)}, got shape {tuple(weight.shape)}"
        )
    if weight.dtype != input.dtype:
        raise TypeError(f"weight must have the input's dtype {input.dtype}, got {weight.dtype}")


def _check_loss_input(input, weight, reduction) -> tuple[int, int]:
    """Checks the (C,), (N, C) or (N, C, d1, ...) input of a loss; returns (class axis, C)."""
    _check_float(input, "input")
    if input.dim() == 0:
        raise ValueError("input must have shape (C,), (N, C) or (N, C, d1, ...), got a 0-d tensor")
    _check_reduction(reduction)
    class_dim = 0 if input.dim() == 1 else 1
    classes = input.shape[class_dim]
    _check_class_weight(weight, input, classes)
    return class_dim, classes


def _check_index_target(target, input: torch.Tensor, class_dim: int, classes: int, ignore_index) -> None:
    """Class-index targets: integer dtype, the input's shape without the class axis, values in [0, C)."""
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, numbers.Integral):
        raise TypeError(f"ignore_index must be an int, got {type(ignore_index).__name__}")
    if target.dtype not in (torch.int64, torch.uint8):
        raise TypeError(
            f"class-index targets must have dtype torch.int64 (or torch.uint8), got {target.dtype}; "
            f"class probabilities must be floating point with the input's shape {tuple(input.shape)}"
        )
    expected = input.shape[:class_dim] + input.shape[class_dim + 1:]
    if target.shape != expected:
        raise ValueError(
            f"class-index targets must have the input's shape without its class axis, "
            f"{tuple(expected)} for an input of shape {tuple(input.shape)}, got shape {tuple(target.shape)}"
        )
    bad = ((target < 0) | (target >= classes)) & (target != ignore_index)
    if bad.any():
        value = int(target[bad].flatten()[0])
        raise ValueError(
            f"targets must be class indices in [0, {classes}) or ignore_index={ignore_index}, got {value}"
        )


def _index_target_loss(log_probs: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None,
                       ignore_index: int, reduction: str, label_smoothing: float) -> torch.Tensor:
    """The (smoothed) negative log-likelihood of class-index targets, torch's weighting and reduction."""
    class_dim = 0 if log_probs.dim() == 1 else 1
    classes = log_probs.shape[class_dim]
    kept = target != ignore_index  # (N, d1, ...)
    safe = torch.where(kept, target, torch.zeros_like(target)).long()  # a valid index everywhere
    # −log p_y: the log-probability of the target class, gathered along the class axis
    nll = -log_probs.gather(class_dim, safe.unsqueeze(class_dim)).squeeze(class_dim)  # (N, d1, ...)
    # w_y: the weight of the target class (1 without weights), 0 where the target is ignored
    w_y = torch.ones_like(nll) if weight is None else weight[safe]  # (N, d1, ...)
    w_y = torch.where(kept, w_y, torch.zeros_like(w_y))
    # ℓ = (1 − ε) w_y (−log p_y)
    loss = (1 - label_smoothing) * torch.where(kept, w_y * nll, torch.zeros_like(nll))
    if label_smoothing > 0:
        shape = [1] * log_probs.dim()
        shape[class_dim] = classes
        w = 1.0 if weight is None else weight.view(shape)
        # ... + ε/C Σ_c w_c (−log p_c): the uniform part of the smoothed target, weighted per class
        smooth = -(w * log_probs).sum(class_dim)  # (N, d1, ...)
        loss = loss + label_smoothing / classes * torch.where(kept, smooth, torch.zeros_like(smooth))
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    # mean: Σ ℓ / Σ w_y over the targets not ignored (0/0 = NaN when all are ignored, as in torch)
    return loss.sum() / w_y.sum()


def nll_loss(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None, *,
             ignore_index: int = -100, reduction: str = "mean") -> torch.Tensor:
    r"""The negative log-likelihood loss, like ``torch.nn.functional.nll_loss``.

    For log-probabilities :math:`\log p` (from :func:`log_softmax`) and a target class :math:`y`,

    .. math::

        \ell = -w_y \log p_y, \qquad
        \text{mean} = \frac{\sum_i \ell_i}{\sum_{i:\, y_i \ne \text{ignore\_index}} w_{y_i}},

    with :math:`\ell_i = 0` where :math:`y_i` is `ignore_index`. The mean is weighted: it divides by the total
    weight of the targets kept, not by their number (the two agree without `weight`).

    Parameters
    ----------
    input : torch.Tensor
        Floating-point log-probabilities of shape :math:`(C,)`, :math:`(N, C)` or :math:`(N, C, d_1, ...)`.
    target : torch.Tensor
        Class indices (``torch.int64``) of shape :math:`()`, :math:`(N,)` or :math:`(N, d_1, ...)`, in
        :math:`[0, C)` or equal to `ignore_index`.
    weight : torch.Tensor, optional
        Per-class weights :math:`w` of shape :math:`(C,)`, the input's dtype; all 1 if None.
    ignore_index : int, default -100
        Target value that contributes neither to the loss nor to the mean's divisor.
    reduction : {"mean", "sum", "none"}, default "mean"
        Weighted mean, sum, or the per-position losses :math:`\ell` (shape of `target`).

    Returns
    -------
    torch.Tensor
        A scalar, or the shape of `target` for ``reduction="none"``.

    Raises
    ------
    TypeError
        If `input` or `weight` is not a floating-point tensor, `weight`'s dtype differs from `input`'s,
        `target` is not an integer tensor, or `ignore_index` is not an int.
    ValueError
        If `input` is 0-d, `target`'s shape is not `input`'s without the class axis, `weight` is not of
        shape :math:`(C,)`, a target is outside :math:`[0, C)` and not `ignore_index`, or `reduction` is
        unknown.

    Examples
    --------
    >>> import torch
    >>> log_p = torch.log(torch.tensor([[0.5, 0.5], [0.25, 0.75]]))
    >>> nll_loss(log_p, torch.tensor([0, 1]))  # (log 2 + log 4/3) / 2
    tensor(0.4904)
    """
    class_dim, classes = _check_loss_input(input, weight, reduction)
    _check_tensor(target, "target")
    _check_index_target(target, input, class_dim, classes, ignore_index)
    return _index_target_loss(input, target, weight, ignore_index, reduction, 0.0)


def cross_entropy(input: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None, *,
                  ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> torch.Tensor:
    r"""The cross-entropy of targets and the softmax of logits, like ``torch.nn.functional.cross_entropy``.

    Built on :func:`log_softmax`, so it never forms a probability that could underflow: logits :math:`10^4`
    apart give a finite loss. With label smoothing :math:`\varepsilon` the target distribution :math:`q` is
    mixed with the uniform one, :math:`q' = (1 - \varepsilon)\, q + \varepsilon / C`, and

    .. math::

        \ell = -\sum_{c=1}^{C} w_c\, q'_c \log \operatorname{softmax}(x)_c .

    For a class-index target :math:`y` (:math:`q` one-hot) torch weights the two parts differently, and so
    do we: :math:`\ell = (1 - \varepsilon)\, w_y (-\log p_y) + \frac{\varepsilon}{C} \sum_c w_c (-\log p_c)`,
    0 where :math:`y` is `ignore_index`, and the mean divides by :math:`\sum_i w_{y_i}` over the targets
    kept (NaN if none is kept), as :func:`nll_loss`. For probability targets the mean divides by the number
    of positions :math:`N d_1 \cdots`, whatever the weights.

    Parameters
    ----------
    input : torch.Tensor
        Floating-point logits of shape :math:`(C,)`, :math:`(N, C)` or :math:`(N, C, d_1, ...)`.
    target : torch.Tensor
        Either class indices (``torch.int64``) of shape :math:`()`, :math:`(N,)` or :math:`(N, d_1, ...)`,
        in :math:`[0, C)` or equal to `ignore_index`; or class probabilities, floating point, of the
        input's shape (each slice along the class axis a distribution).
    weight : torch.Tensor, optional
        Per-class weights :math:`w` of shape :math:`(C,)`, the input's dtype; all 1 if None.
    ignore_index : int, default -100
        Class-index target value that contributes neither to the loss nor to the mean's divisor. Must be
        negative with probability targets (torch's rule: it cannot apply to them).
    reduction : {"mean", "sum", "none"}, default "mean"
        Mean (weighted as above), sum, or the per-position losses (the shape without the class axis).
    label_smoothing : float, default 0.0
        :math:`\varepsilon \in [0, 1]`.

    Returns
    -------
    torch.Tensor
        A scalar, or shape :math:`()`, :math:`(N,)` or :math:`(N, d_1, ...)` for ``reduction="none"``.

    Raises
    ------
    TypeError
        If `input`, `weight` or probability targets are not floating point, `weight`'s dtype differs from
        `input`'s, class-index targets are not ``torch.int64``, or `ignore_index` is not an int or
        `label_smoothing` not a real number.
    ValueError
        If `input` is 0-d, `target`'s shape is neither `input`'s nor `input`'s without the class axis,
        `weight` is not of shape :math:`(C,)`, a class index is outside :math:`[0, C)` and not
        `ignore_index`, `ignore_index` is non-negative with probability targets, `label_smoothing` is
        outside :math:`[0, 1]`, or `reduction` is unknown.

    Examples
    --------
    >>> import torch
    >>> logits = torch.tensor([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0]])
    >>> cross_entropy(logits, torch.tensor([1, 2]), reduction="none")  # 1e4 and log 3
    tensor([1.0000e+04, 1.0986e+00])
    >>> cross_entropy(logits, torch.tensor([-100, 2]))  # the ignored row counts for nothing
    tensor(1.0986)
    """
    class_dim, classes = _check_loss_input(input, weight, reduction)
    _check_tensor(target, "target")
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, numbers.Real):
        raise TypeError(f"label_smoothing must be a float, got {type(label_smoothing).__name__}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    label_smoothing = float(label_smoothing)
    # log p_c = log softmax(x)_c, computed without forming p
    log_probs = log_softmax(input, dim=class_dim)
    if target.shape != input.shape:
        _check_index_target(target, input, class_dim, classes, ignore_index)
        # ℓ = (1 − ε) w_y (−log p_y) + ε/C Σ_c w_c (−log p_c)
        return _index_target_loss(log_probs, target, weight, ignore_index, reduction, label_smoothing)
    if not target.is_floating_point():
        raise TypeError(
            f"a target of the input's shape {tuple(input.shape)} holds class probabilities and must be "
            f"floating point, got dtype {target.dtype}"
        )
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, numbers.Integral):
        raise TypeError(f"ignore_index must be an int, got {type(ignore_index).__name__}")
    if ignore_index >= 0:
        raise ValueError(
            f"ignore_index applies to class-index targets only and must stay negative with class "
            f"probabilities, got {ignore_index}"
        )
    # q' = (1 − ε) q + ε/C
    q = target * (1 - label_smoothing) + label_smoothing / classes
    shape = [1] * input.dim()
    shape[class_dim] = classes
    w = 1.0 if weight is None else weight.view(shape)
    # ℓ = −Σ_c w_c q'_c log p_c
    loss = -(w * q * log_probs).sum(class_dim)  # (N, d1, ...)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    # mean over the N·d1·... positions (NaN for an empty batch, as in torch)
    return loss.sum() / loss.numel() if loss.numel() else loss.sum() * math.nan


# ---------------------------------------------------------------------------------------------------------
# Normalization layers.


def _check_per_channel(t, name: str, channels: int, input_shape) -> None:
    if t is None:
        return
    _check_float(t, name)
    if tuple(t.shape) != (channels,):
        raise ValueError(
            f"{name} must have shape (C,) = ({channels},), one entry per channel of the input of shape "
            f"{tuple(input_shape)}, got shape {tuple(t.shape)}"
        )


def batch_norm(input: torch.Tensor, running_mean: torch.Tensor | None, running_var: torch.Tensor | None,
               weight: torch.Tensor | None = None, bias: torch.Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> torch.Tensor:
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
        If `input` or a given statistic or parameter is not a floating-point tensor, or `momentum` is None.
    ValueError
        If `input` has fewer than 2 dimensions; a statistic or parameter does not have shape :math:`(C,)`;
        only one of the running statistics is given; they are missing when ``training=False``; or in
        training a channel has only one value (torch's message).

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
    _check_float(input, "input")
    if input.dim() < 2:
        raise ValueError(
            "batch_norm expects an input of shape (N, C) or (N, C, *) with at least 2 dimensions, got shape "
            f"{tuple(input.shape)}"
        )
    channels = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        _check_per_channel(t, name, channels, input.shape)
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must be given together (or both be None)")
    if not training and running_mean is None:
        raise ValueError("running_mean and running_var are needed when training=False, got None")
    if momentum is None:
        raise TypeError(
            "momentum=None (a cumulative average) needs the number of batches seen, which batch_norm does "
            "not keep; pass momentum=1/k for the k-th batch (what nn.BatchNorm does with momentum=None)"
        )
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


def layer_norm(input: torch.Tensor, normalized_shape, weight: torch.Tensor | None = None,
               bias: torch.Tensor | None = None, eps: float = 1e-5) -> torch.Tensor:
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
        If `input`, `weight` or `bias` is not a floating-point tensor, or `normalized_shape` holds something
        other than ints.
    ValueError
        If `normalized_shape` is empty, does not match the trailing dimensions of `input`, or `weight` or
        `bias` does not have shape `normalized_shape`.

    Examples
    --------
    >>> import torch
    >>> layer_norm(torch.tensor([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]]), 3)
    tensor([[-1.2247,  0.0000,  1.2247],
            [-1.2247,  0.0000,  1.2247]])
    """
    _check_float(input, "input")
    if isinstance(normalized_shape, numbers.Integral) and not isinstance(normalized_shape, bool):
        normalized_shape = (normalized_shape,)
    try:
        normalized_shape = tuple(normalized_shape)
    except TypeError:
        raise TypeError(
            f"normalized_shape must be an int or a sequence of ints, got {type(normalized_shape).__name__}"
        ) from None
    if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in normalized_shape):
        raise TypeError(f"normalized_shape must be an int or a sequence of ints, got {normalized_shape}")
    normalized_shape = tuple(int(d) for d in normalized_shape)
    k = len(normalized_shape)
    if k == 0:
        raise ValueError("normalized_shape must have at least one dimension, got ()")
    if input.dim() < k or tuple(input.shape[-k:]) != normalized_shape:
        raise ValueError(
            f"normalized_shape={normalized_shape} must equal the trailing dimensions of the input, expected "
            f"an input of shape (*, {', '.join(map(str, normalized_shape))}), got shape {tuple(input.shape)}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None:
            _check_float(t, name)
            if tuple(t.shape) != normalized_shape:
                raise ValueError(
                    f"{name} must have shape normalized_shape={normalized_shape}, got shape {tuple(t.shape)}"
                )
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
# Attention.


def scaled_dot_product_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                                 attn_mask: torch.Tensor | None = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None) -> torch.Tensor:
    r"""Scaled dot-product attention (Vaswani et al. 2017), like ``F.scaled_dot_product_attention``.

    With queries :math:`Q` of shape :math:`(*, L, E)`, keys :math:`K` of shape :math:`(*, S, E)` and values
    :math:`V` of shape :math:`(*, S, E_v)`:

    .. math::

        \operatorname{Attention}(Q, K, V) = \operatorname{softmax}\Big(\frac{Q K^\top}{\sqrt{E}} + M\Big)\,V,

    the softmax over the :math:`S` keys. Dividing by :math:`\sqrt E` keeps the scores of unit variance when
    the entries of :math:`Q` and :math:`K` are (so the softmax does not saturate as :math:`E` grows).
    :math:`M` is the mask, broadcast to :math:`(*, L, S)`:

    - boolean `attn_mask`: ``True`` means *takes part in attention*, ``False`` gives :math:`M = -\infty`
      (the opposite of ``nn.MultiheadAttention``'s ``key_padding_mask``, where ``True`` means *ignore*);
    - floating-point `attn_mask`: added to the scores as it is;
    - ``is_causal=True``: query :math:`i` sees keys :math:`j \le i` (``torch.ones(L, S).tril()``, aligned
      at the top left when :math:`L \ne S`).

    A query whose keys are all masked gets weights 0, hence output 0, as in torch (not the NaN of a plain
    softmax of :math:`-\infty`\ s). The leading dimensions :math:`*` (batch, heads) of the query, key, value
    and mask broadcast against each other.

    Parameters
    ----------
    query : torch.Tensor
        Shape :math:`(*, L, E)`.
    key : torch.Tensor
        Shape :math:`(*, S, E)`.
    value : torch.Tensor
        Shape :math:`(*, S, E_v)`.
    attn_mask : torch.Tensor, optional
        Boolean or floating-point, broadcastable to :math:`(*, L, S)`.
    dropout_p : float, default 0.0
        Must be 0: dropout on the attention weights is not implemented here.
    is_causal : bool, default False
        Apply the causal mask; `attn_mask` must then be None.
    scale : float, optional
        The factor applied to :math:`Q K^\top`; :math:`1/\sqrt{E}` if None.

    Returns
    -------
    torch.Tensor
        Shape :math:`(*, L, E_v)`.

    Raises
    ------
    TypeError
        If `query`, `key` or `value` is not a floating-point tensor, their dtypes differ, or `attn_mask` is
        neither boolean nor floating-point.
    ValueError
        If `dropout_p` is not 0; an input has fewer than 2 dimensions; `query` and `key` differ in
        :math:`E` or `key` and `value` in :math:`S`; the leading dimensions or the mask do not broadcast; or
        `attn_mask` is given with ``is_causal=True`` (torch's message; torch raises ``RuntimeError``).

    Examples
    --------
    Two queries over three keys; the causal mask hides the later keys:

    >>> import torch
    >>> q = torch.tensor([[1.0, 0.0], [0.0, 1.0]])  # (L, E) = (2, 2)
    >>> k = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # (S, E) = (3, 2)
    >>> v = torch.tensor([[1.0], [2.0], [3.0]])  # (S, E_v) = (3, 1)
    >>> scaled_dot_product_attention(q, k, v, is_causal=True)  # query 0 sees key 0 only
    tensor([[1.0000],
            [1.6698]])
    >>> keep = torch.tensor([[False, False, True], [True, True, True]])
    >>> scaled_dot_product_attention(q, k, v, attn_mask=keep)
    tensor([[3.0000],
            [2.2033]])
    """
    for name, t in (("query", query), ("key", key), ("value", value)):
        _check_float(t, name)
        if t.dim() < 2:
            raise ValueError(
                f"{name} must have at least 2 dimensions, (*, sequence length, features), got shape "
                f"{tuple(t.shape)}"
            )
    if not (query.dtype == key.dtype == value.dtype):
        raise TypeError(
            "query, key and value must have the same dtype, got "
            f"{query.dtype}, {key.dtype} and {value.dtype}"
        )
    if dropout_p != 0:
        raise ValueError(
            f"dropout_p must be 0 (dropout on the attention weights is not implemented), got {dropout_p}"
        )
    if query.size(-1) != key.size(-1):
        raise ValueError(
            "query and key must have the same number of features E in their last dimension, got query "
            f"of shape {tuple(query.shape)} and key of shape {tuple(key.shape)}"
        )
    if key.size(-2) != value.size(-2):
        raise ValueError(
            "key and value must have the same sequence length S in their second-to-last dimension, got "
            f"key of shape {tuple(key.shape)} and value of shape {tuple(value.shape)}"
        )
    try:
        torch.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
    except RuntimeError:
        raise ValueError(
            "the leading (batch, head) dimensions of query, key and value must broadcast, got shapes "
            f"{tuple(query.shape)}, {tuple(key.shape)} and {tuple(value.shape)}"
        ) from None
    if is_causal and attn_mask is not None:
        raise ValueError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True "
            "(the causal mask is built from L and S; combine masks yourself and pass is_causal=False)"
        )
    L, S = query.size(-2), key.size(-2)
    if scale is None:
        scale = 1 / math.sqrt(query.size(-1))
    # scores = Q Kᵀ · scale
    scores = query @ key.transpose(-2, -1) * scale  # (*, L, S)
    if is_causal:
        # query i attends to keys j ≤ i
        attn_mask = torch.ones(L, S, dtype=torch.bool, device=query.device).tril()  # (L, S)
    if attn_mask is not None:
        _check_tensor(attn_mask, "attn_mask")
        if attn_mask.dtype != torch.bool and not attn_mask.is_floating_point():
            raise TypeError(f"attn_mask must be boolean or floating-point, got dtype {attn_mask.dtype}")
        try:
            torch.broadcast_shapes(scores.shape, attn_mask.shape)
        except RuntimeError:
            raise ValueError(
                f"attn_mask of shape {tuple(attn_mask.shape)} must broadcast to the attention scores of "
                f"shape (*, L, S) = {tuple(scores.shape)}"
            ) from None
        if attn_mask.dtype == torch.bool:
            # M = 0 where the mask is True, −∞ where it is False
            scores = torch.where(attn_mask, scores, -math.inf)  # (*, L, S)
        else:
            # scores + M
            scores = scores + attn_mask  # (*, L, S)
    # a query with every key masked attends to nothing: weights 0 instead of softmax(−∞, ..., −∞) = NaN
    masked_rows = (scores == -math.inf).all(dim=-1, keepdim=True)  # (*, L, 1)
    weights = softmax(scores.masked_fill(masked_rows, 0.0), dim=-1).masked_fill(masked_rows, 0.0)
    # Attention = softmax(scores) V
    return weights @ value  # (*, L, E_v)


# ---------------------------------------------------------------------------------------------------------
# Dropout.


def dropout(input: torch.Tensor, p: float = 0.5, training: bool = True,
            generator: torch.Generator | None = None) -> torch.Tensor:
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
        If `input` is not a floating-point tensor, or `p` is not a real number.
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
    _check_float(input, "input")
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"p must be a real number, got {type(p).__name__}")
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
# Convolution and pooling.
#
# Notation: input (N, C, H, W), kernel (k_h, k_w), stride s, padding p, dilation d, groups G, output
# (N, C_out, H_out, W_out) and L = H_out · W_out output positions (Dumoulin & Visin 2016).


def _pair(value, name: str, minimum: int) -> tuple[int, int]:
    """`value` (an int or a pair of ints, each >= `minimum`) as a pair (rows, columns)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        pair = (int(value), int(value))
    elif (isinstance(value, (tuple, list)) and len(value) == 2
          and all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value)):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{name} must be an int or a pair of ints (height, width), got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return pair


def _check_4d(input, name: str = "input") -> None:
    _check_float(input, name)
    if input.dim() != 4:
        raise ValueError(
            f"expected a 4-D {name} (N, C, H, W), got a {input.dim()}-D {name} of shape "
            f"{tuple(input.shape)} (for a single image use {name}.unsqueeze(0))"
        )


def _out_size(in_size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool,
              dim: str) -> int:
    """The output size along one dimension; `dim` names it in the error message."""
    # the dilated ("effective") kernel covers d(k − 1) + 1 input positions
    span = dilation * (kernel - 1) + 1
    # H_out = ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1   (⌈·⌉ with ceil_mode)
    numerator = in_size + 2 * padding - span
    out = (-(-numerator // stride) if ceil_mode else numerator // stride) + 1
    # torch's rule: the last window must start inside the input or the left padding, (o − 1)s < H + p
    if ceil_mode and (out - 1) * stride >= in_size + padding:
        out -= 1
    # no window at all: without ceil_mode, exactly when the dilated kernel spans more than the padded
    # input (with ceil_mode a single window may hang over the end, as in torch)
    if out < 1:
        raise ValueError(
            f"kernel larger than the padded input along the {dim}: the kernel of size {kernel} with "
            f"dilation {dilation} spans {span}, the padded {dim} is {in_size} + 2*{padding} = "
            f"{in_size + 2 * padding}"
        )
    return out


def conv_output_size(in_size: int, kernel_size: int, *, stride: int = 1, padding: int = 0,
                     dilation: int = 1, ceil_mode: bool = False) -> int:
    r"""The output size of a convolution or pooling along one spatial dimension.

    With input size :math:`i`, kernel size :math:`k`, stride :math:`s`, padding :math:`p` (on each side) and
    dilation :math:`d` (Dumoulin & Visin 2016, relationship 15):

    .. math::

        o = \left\lfloor \frac{i + 2p - d(k - 1) - 1}{s} \right\rfloor + 1 .

    :math:`d(k-1) + 1` is the span of the dilated kernel; the floor drops the positions where a last,
    partial window would not fit. With ``ceil_mode=True`` (pooling) the floor becomes a ceiling, but, as in
    torch, a last window that would start in the right padding is dropped: :math:`o` is decreased by 1 when
    :math:`(o - 1)s \ge i + p`.

    Parameters
    ----------
    in_size : int
        Input size :math:`i` (height or width), >= 1.
    kernel_size : int
        Kernel size :math:`k`, >= 1.
    stride : int, default 1
        Stride :math:`s`, >= 1.
    padding : int, default 0
        Zeros added on each side, >= 0.
    dilation : int, default 1
        Spacing between kernel taps, >= 1 (1: contiguous kernel).
    ceil_mode : bool, default False
        Round up instead of down (the pooling option).

    Returns
    -------
    int
        The output size :math:`o`, >= 1.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is out of range, or the dilated kernel is larger than the padded input.

    References
    ----------
    Dumoulin, V., Visin, F. (2016). A guide to convolution arithmetic for deep learning. arXiv:1603.07285.

    Examples
    --------
    >>> conv_output_size(32, 3, padding=1)  # "same" size at stride 1
    32
    >>> conv_output_size(224, 7, stride=2, padding=3)  # the ResNet stem
    112
    >>> conv_output_size(5, 2, stride=2), conv_output_size(5, 2, stride=2, ceil_mode=True)
    (2, 3)
    """
    values = {"in_size": (in_size, 1), "kernel_size": (kernel_size, 1), "stride": (stride, 1),
              "padding": (padding, 0), "dilation": (dilation, 1)}
    for name, (value, minimum) in values.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if value < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return _out_size(int(in_size), int(kernel_size), int(stride), int(padding), int(dilation),
                     bool(ceil_mode), "input")


def _pad(input: torch.Tensor, top: int, bottom: int, left: int, right: int,
         value: float = 0.0) -> torch.Tensor:
    """`input` (N, C, H, W) surrounded by `value`; differentiable (the gradient of the copy is a slice)."""
    N, C, H, W = input.shape
    if top == bottom == left == right == 0:
        return input
    out = input.new_full((N, C, top + H + bottom, left + W + right), value)  # (N, C, H_pad, W_pad)
    out[:, :, top:top + H, left:left + W] = input
    return out


def _gather(padded: torch.Tensor, kernel: tuple[int, int], dilation: tuple[int, int],
            stride: tuple[int, int], out: tuple[int, int]) -> torch.Tensor:
    """The windows of `padded` (N, C, H_pad, W_pad) as a (N, C, k_h, k_w, H_out, W_out) tensor.

    One advanced-indexing gather, no loop: the window at output (y, x) reads, at kernel tap (i, j), the
    padded input at row y·s_h + i·d_h and column x·s_w + j·d_w.
    """
    device = padded.device
    # row[i, y] = i·d_h + y·s_h
    rows = (torch.arange(kernel[0], device=device) * dilation[0])[:, None] \
        + (torch.arange(out[0], device=device) * stride[0])[None, :]  # (k_h, H_out)
    # col[j, x] = j·d_w + x·s_w
    cols = (torch.arange(kernel[1], device=device) * dilation[1])[:, None] \
        + (torch.arange(out[1], device=device) * stride[1])[None, :]  # (k_w, W_out)
    # the two index tensors broadcast to (k_h, k_w, H_out, W_out) and replace the dimensions H, W
    return padded[:, :, rows[:, None, :, None], cols[None, :, None, :]]  # (N, C, k_h, k_w, H_out, W_out)


def _windows(input: torch.Tensor, kernel_size, dilation, padding, stride, ceil_mode: bool = False,
             value: float = 0.0):
    """Checks the options; returns the padded windows (N, C, k_h, k_w, H_out, W_out), the padding pair
    and the extra bottom/right padding that `ceil_mode` needs."""
    kernel = _pair(kernel_size, "kernel_size", 1)
    dilation = _pair(dilation, "dilation", 1)
    padding = _pair(padding, "padding", 0)
    stride = _pair(stride, "stride", 1)
    H, W = input.shape[-2:]
    out = (_out_size(H, kernel[0], stride[0], padding[0], dilation[0], ceil_mode, "height"),
           _out_size(W, kernel[1], stride[1], padding[1], dilation[1], ceil_mode, "width"))
    # with ceil_mode the last window may run past the right padding: pad there too, so that it reads
    # `value` (the windows' end, (o − 1)s + d(k − 1) + 1, minus the padded size)
    extra = [max(0, (o - 1) * s + d * (k - 1) + 1 - (n + 2 * p))
             for o, s, d, k, n, p in zip(out, stride, dilation, kernel, (H, W), padding)]
    padded = _pad(input, padding[0], padding[0] + extra[0], padding[1], padding[1] + extra[1], value)
    windows = _gather(padded, kernel, dilation, stride, out)  # (N, C, k_h, k_w, H_out, W_out)
    return windows, padding, extra


def unfold(input: torch.Tensor, kernel_size, dilation=1, padding=0, stride=1) -> torch.Tensor:
    r"""Im2col: every sliding window of `input` as a column, like ``torch.nn.functional.unfold``.

    Column :math:`l = y\,W_{out} + x` holds the window whose top-left tap is at padded position
    :math:`(y s_h, x s_w)`; its row :math:`(c, i, j)` (channel-major, then kernel row, kernel column) is

    .. math::

        \mathrm{cols}[n, (c k_h + i) k_w + j, l] = x_{pad}[n, c, y s_h + i d_h, x s_w + j d_w],

    with :math:`x_{pad}` the input zero-padded by :math:`p` on each side. A convolution is then one matrix
    product with the flattened kernels (Chellapilla et al. 2006); see :func:`conv2d`. The output sizes are
    :func:`conv_output_size`. Built from one indexing gather (no loop); the gradient, a scatter-add of the
    columns back to the input (``F.fold``), comes from autograd.

    Parameters
    ----------
    input : torch.Tensor
        Floating-point tensor of shape :math:`(N, C, H, W)`.
    kernel_size : int or (int, int)
        Window size :math:`(k_h, k_w)`.
    dilation : int or (int, int), default 1
        Spacing between the taps of the window.
    padding : int or (int, int), default 0
        Zeros added on both sides of each spatial dimension.
    stride : int or (int, int), default 1
        Step between windows.

    Returns
    -------
    torch.Tensor
        Shape :math:`(N, C k_h k_w, L)`, :math:`L = H_{out} W_{out}`.

    Raises
    ------
    TypeError
        If `input` is not a floating-point tensor or an option is not an int or a pair of ints.
    ValueError
        If `input` is not 4-D, an option is out of range, or the dilated kernel is larger than the padded
        input (torch raises ``RuntimeError``).

    References
    ----------
    Chellapilla, K., Puri, S., Simard, P. (2006). High performance convolutional neural networks for document
    processing. *Tenth International Workshop on Frontiers in Handwriting Recognition*.

    Examples
    --------
    >>> import torch
    >>> x = torch.arange(9.0).view(1, 1, 3, 3)
    >>> unfold(x, 2)  # four 2x2 windows, one per column
    tensor([[[0., 1., 3., 4.],
             [1., 2., 4., 5.],
             [3., 4., 6., 7.],
             [4., 5., 7., 8.]]])
    >>> unfold(x, 2, dilation=2, padding=1).shape  # (N, C*k_h*k_w, L)
    torch.Size([1, 4, 9])
    """
    _check_4d(input)
    windows, *_ = _windows(input, kernel_size, dilation, padding, stride)
    N, C, kh, kw, H_out, W_out = windows.shape
    return windows.reshape(N, C * kh * kw, H_out * W_out)  # (N, C*k_h*k_w, L)


def _check_conv(input, weight, bias, groups) -> None:
    _check_4d(input)
    _check_4d(weight, "weight")
    if input.dtype != weight.dtype:
        raise TypeError(f"input and weight must have the same dtype, got {input.dtype} and {weight.dtype}")
    if isinstance(groups, bool) or not isinstance(groups, numbers.Integral):
        raise TypeError(f"groups must be an int, got {type(groups).__name__}")
    if groups < 1:
        raise ValueError(f"groups must be >= 1, got {groups}")
    C, C_out = input.shape[1], weight.shape[0]
    if C % groups:
        raise ValueError(f"groups={groups} does not divide in_channels={C}")
    if C_out % groups:
        raise ValueError(f"groups={groups} does not divide out_channels={C_out} (weight.shape[0])")
    if weight.shape[1] * groups != C:
        raise ValueError(
            f"expected input with {weight.shape[1] * groups} channels (weight.shape[1] * groups = "
            f"{weight.shape[1]} * {groups}), got {C}: input of shape {tuple(input.shape)}, weight of shape "
            f"{tuple(weight.shape)}"
        )
    if bias is not None:
        _check_float(bias, "bias")
        if bias.dtype != input.dtype:
            raise TypeError(f"bias must have the dtype of input, {input.dtype}, got {bias.dtype}")
        if tuple(bias.shape) != (C_out,):
            raise ValueError(
                f"bias must have shape (out_channels,) = ({C_out},), one value per kernel, got shape "
                f"{tuple(bias.shape)}"
            )


def conv2d(input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, stride=1,
           padding=0, dilation=1, groups: int = 1) -> torch.Tensor:
    r"""2-D convolution as im2col plus one matrix product, like ``torch.nn.functional.conv2d``.

    As in every deep-learning library, "convolution" is a cross-correlation (the kernel is not flipped):

    .. math::

        y[n, o, y', x'] = b_o + \sum_{c=0}^{C/G - 1} \sum_{i=0}^{k_h - 1} \sum_{j=0}^{k_w - 1}
            w[o, c, i, j]\; x_{pad}[n, g\,C/G + c,\; y' s_h + i d_h,\; x' s_w + j d_w],

    :math:`g = \lfloor o / (C_{out}/G) \rfloor` being the group of output channel :math:`o`. Im2col
    (Chellapilla et al. 2006) copies every window into a column (:func:`unfold`), so that the triple sum
    becomes one matrix product per group, :math:`Y_g = W_g\,X_g` with :math:`W_g` of shape
    :math:`(C_{out}/G,\ C/G \cdot k_h k_w)` and :math:`X_g` of shape :math:`(C/G \cdot k_h k_w,\ L)`, done
    here for all groups and images at once by one batched ``matmul``. The price is memory: each input
    value is copied up to :math:`k_h k_w` times. Output sizes follow :func:`conv_output_size` (Dumoulin &
    Visin 2016). ``groups=C`` with :math:`C_{out} = C` is a depthwise convolution.

    Parameters
    ----------
    input : torch.Tensor
        Floating-point tensor of shape :math:`(N, C, H, W)`.
    weight : torch.Tensor
        Kernels, shape :math:`(C_{out}, C/G, k_h, k_w)`, same dtype as `input`.
    bias : torch.Tensor, optional
        Shape :math:`(C_{out},)`.
    stride, padding, dilation : int or (int, int)
        Step between windows (>= 1), zeros added on each side (>= 0), spacing between kernel taps (>= 1).
    groups : int, default 1
        Number of groups :math:`G`; must divide :math:`C` and :math:`C_{out}`.

    Returns
    -------
    torch.Tensor
        Shape :math:`(N, C_{out}, H_{out}, W_{out})`.

    Raises
    ------
    TypeError
        If a tensor is not floating-point, `input` and `weight` differ in dtype, or an option has the
        wrong type.
    ValueError
        If `input` or `weight` is not 4-D, `groups` does not divide the channels, the channels disagree
        (``expected input with 3 channels (weight.shape[1] * groups ...), got 4``), `bias` has the wrong
        shape, or the dilated kernel is larger than the padded input.

    References
    ----------
    Chellapilla, K., Puri, S., Simard, P. (2006). High performance convolutional neural networks for document
    processing. *Tenth International Workshop on Frontiers in Handwriting Recognition*.

    Dumoulin, V., Visin, F. (2016). A guide to convolution arithmetic for deep learning. arXiv:1603.07285.

    Examples
    --------
    >>> import torch
    >>> x = torch.arange(16.0).view(1, 1, 4, 4)
    >>> w = torch.tensor([[[[1.0, 0.0], [0.0, -1.0]]]])  # (C_out, C, k_h, k_w) = (1, 1, 2, 2)
    >>> conv2d(x, w)  # x[y, x'] - x[y + 1, x' + 1] = -5 everywhere
    tensor([[[[-5., -5., -5.],
              [-5., -5., -5.],
              [-5., -5., -5.]]]])
    >>> conv2d(x, w, stride=2, padding=1).shape
    torch.Size([1, 1, 3, 3])
    """
    _check_conv(input, weight, bias, groups)
    C_out, C_g, kh, kw = weight.shape
    G = groups
    windows, *_ = _windows(input, (kh, kw), dilation, padding, stride)
    N, C, _, _, H_out, W_out = windows.shape  # (N, C, k_h, k_w, H_out, W_out)
    # X = im2col(x): column l holds the window of output position l
    cols = windows.reshape(N, C * kh * kw, H_out * W_out)  # (N, C*k_h*k_w, L)
    # channels are the outer index of a row, so group g owns rows [g·C/G·k_h·k_w, (g+1)·C/G·k_h·k_w)
    cols = cols.view(N, G, C_g * kh * kw, H_out * W_out)  # (N, G, C/G*k_h*k_w, L)
    # W_g: each kernel flattened in the same (c, i, j) order as the rows of X
    kernels = weight.reshape(G, C_out // G, C_g * kh * kw)  # (G, C_out/G, C/G*k_h*k_w)
    # Y_g = W_g X_g for every image and group: one batched matrix product
    out = torch.matmul(kernels, cols)  # (N, G, C_out/G, L)
    out = out.reshape(N, C_out, H_out, W_out)  # (N, C_out, H_out, W_out)
    if bias is not None:
        # y = W x + b, one bias per output channel
        out = out + bias.view(1, C_out, 1, 1)  # (N, C_out, H_out, W_out)
    return out


def conv2d_naive(input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, stride=1,
                 padding=0, dilation=1, groups: int = 1) -> torch.Tensor:
    r"""2-D convolution as a sliding dot product, with plain loops (for teaching; slow).

    The same function as :func:`conv2d`, computed straight from its definition: for every image, output
    channel and output position, the dot product of the kernel with the (dilated) window it covers,

    .. math::

        y[n, o, y', x'] = b_o + \langle w[o],\;
            x_{pad}[n,\ g\,C/G : (g+1)\,C/G,\ y' s_h : y' s_h + d_h(k_h-1) + 1 : d_h,\
            x' s_w : x' s_w + d_w(k_w-1) + 1 : d_w] \rangle .

    Four nested Python loops (:math:`N \cdot C_{out} \cdot H_{out} \cdot W_{out}` small dot products): use
    it on small inputs only. Output sizes follow :func:`conv_output_size` (Dumoulin & Visin 2016);
    :func:`conv2d` computes the same numbers as one matrix product (Chellapilla et al. 2006).

    Parameters
    ----------
    input, weight, bias, stride, padding, dilation, groups
        As in :func:`conv2d`.

    Returns
    -------
    torch.Tensor
        Shape :math:`(N, C_{out}, H_{out}, W_{out})`.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d`.

    References
    ----------
    Chellapilla, K., Puri, S., Simard, P. (2006). High performance convolutional neural networks for document
    processing. *Tenth International Workshop on Frontiers in Handwriting Recognition*.

    Dumoulin, V., Visin, F. (2016). A guide to convolution arithmetic for deep learning. arXiv:1603.07285.

    Examples
    --------
    >>> import torch
    >>> x = torch.arange(16.0).view(1, 1, 4, 4)
    >>> w = torch.tensor([[[[1.0, 0.0], [0.0, -1.0]]]])
    >>> torch.equal(conv2d_naive(x, w, padding=1, dilation=2), conv2d(x, w, padding=1, dilation=2))
    True
    """
    _check_conv(input, weight, bias, groups)
    N, C, H, W = input.shape
    C_out, C_g, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = (_pair(stride, "stride", 1), _pair(padding, "padding", 0),
                                    _pair(dilation, "dilation", 1))
    H_out = _out_size(H, kh, sh, ph, dh, False, "height")
    W_out = _out_size(W, kw, sw, pw, dw, False, "width")
    padded = _pad(input, ph, ph, pw, pw)  # (N, C, H + 2p_h, W + 2p_w)
    per_group = C_out // groups
    rows = []
    for n in range(N):
        channels = []
        for o in range(C_out):
            g = o // per_group  # output channel o reads input channels g·C/G ... (g+1)·C/G − 1
            plane = []
            for y in range(H_out):
                line = []
                for x in range(W_out):
                    # the window under the kernel: every d-th position from (y·s_h, x·s_w)
                    window = padded[n, g * C_g:(g + 1) * C_g,
                                    y * sh:y * sh + dh * (kh - 1) + 1:dh,
                                    x * sw:x * sw + dw * (kw - 1) + 1:dw]  # (C/G, k_h, k_w)
                    # y[n, o, y, x] = <w[o], window> (+ b[o])
                    value = (weight[o] * window).sum()
                    line.append(value + bias[o] if bias is not None else value)
                plane.append(torch.stack(line))  # (W_out,)
            channels.append(torch.stack(plane))  # (H_out, W_out)
        rows.append(torch.stack(channels))  # (C_out, H_out, W_out)
    return torch.stack(rows)  # (N, C_out, H_out, W_out)


def _check_pool(input, kernel_size, stride, padding, dilation=1):
    """Checks a pooling call; returns the pairs (kernel, stride); stride defaults to the kernel size."""
    _check_4d(input)
    kernel = _pair(kernel_size, "kernel_size", 1)
    stride = kernel if stride is None else _pair(stride, "stride", 1)
    pad = _pair(padding, "padding", 0)
    _pair(dilation, "dilation", 1)
    # torch's rule: a window must not lie entirely in the padding, so p <= k/2
    if pad[0] > kernel[0] // 2 or pad[1] > kernel[1] // 2:
        raise ValueError(
            f"padding must be at most half the kernel size (a window must reach the input), got "
            f"padding={padding!r} for kernel_size={kernel_size!r}"
        )
    return kernel, stride


def max_pool2d(input: torch.Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False) -> torch.Tensor:
    r"""2-D max pooling, like ``torch.nn.functional.max_pool2d``: the maximum of each window.

    .. math::

        y[n, c, y', x'] = \max_{0 \le i < k_h,\ 0 \le j < k_w} x_{pad}[n, c, y' s_h + i d_h, x' s_w + j d_w],

    with :math:`x_{pad}` padded by :math:`-\infty` (padding never wins). Built on the same gather as
    :func:`unfold`, then a max over the :math:`k_h k_w` taps. The gradient flows to the one position that
    attained the maximum in each window (0 elsewhere). Output sizes follow :func:`conv_output_size`
    (Dumoulin & Visin 2016), with torch's `ceil_mode` rule.

    Parameters
    ----------
    input : torch.Tensor
        Floating-point tensor of shape :math:`(N, C, H, W)`.
    kernel_size : int or (int, int)
        Window size.
    stride : int or (int, int), optional
        Step between windows; `kernel_size` if None (non-overlapping windows).
    padding : int or (int, int), default 0
        Implicit :math:`-\infty` added on both sides; at most half the kernel size.
    dilation : int or (int, int), default 1
        Spacing between the taps of the window.
    ceil_mode : bool, default False
        Round the output size up (keep a last, partial window), as in :func:`conv_output_size`.

    Returns
    -------
    torch.Tensor
        Shape :math:`(N, C, H_{out}, W_{out})`.

    Raises
    ------
    TypeError
        If `input` is not a floating-point tensor or an option is not an int or a pair of ints.
    ValueError
        If `input` is not 4-D, an option is out of range, the padding exceeds half the kernel, or the
        window is larger than the padded input.

    References
    ----------
    Dumoulin, V., Visin, F. (2016). A guide to convolution arithmetic for deep learning. arXiv:1603.07285.

    Examples
    --------
    >>> import torch
    >>> x = torch.arange(16.0).view(1, 1, 4, 4)
    >>> max_pool2d(x, 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    >>> max_pool2d(x, 3, stride=2, ceil_mode=True)  # the last window is partial
    tensor([[[[10., 11.],
              [14., 15.]]]])
    """
    kernel, stride = _check_pool(input, kernel_size, stride, padding, dilation)
    windows, *_ = _windows(input, kernel, dilation, padding, stride, ceil_mode, value=-math.inf)
    N, C, kh, kw, H_out, W_out = windows.shape
    taps = windows.reshape(N, C, kh * kw, H_out, W_out)  # (N, C, k_h*k_w, H_out, W_out)
    # y = max over the k_h·k_w taps (.max, not .amax: the gradient goes to one position, as in torch)
    return taps.max(dim=2).values  # (N, C, H_out, W_out)


def avg_pool2d(input: torch.Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> torch.Tensor:
    r"""2-D average pooling, like ``torch.nn.functional.avg_pool2d``: the mean of each window.

    .. math::

        y[n, c, y', x'] = \frac{1}{|\Omega|} \sum_{i=0}^{k_h - 1} \sum_{j=0}^{k_w - 1}
            x_{pad}[n, c, y' s_h + i, x' s_w + j],

    with :math:`x_{pad}` zero-padded. The divisor :math:`|\Omega|` is torch's: with ``count_include_pad``
    the number of taps inside the padded input (:math:`k_h k_w`, fewer only for a partial last window
    under `ceil_mode`), otherwise the number of taps inside the input proper. Built on the same gather as
    :func:`unfold`; the divisors are the window sums of a mask of ones. Output sizes follow
    :func:`conv_output_size` (Dumoulin & Visin 2016).

    Parameters
    ----------
    input : torch.Tensor
        Floating-point tensor of shape :math:`(N, C, H, W)`.
    kernel_size : int or (int, int)
        Window size.
    stride : int or (int, int), optional
        Step between windows; `kernel_size` if None.
    padding : int or (int, int), default 0
        Zeros added on both sides; at most half the kernel size.
    ceil_mode : bool, default False
        Round the output size up (keep a last, partial window).
    count_include_pad : bool, default True
        Count the padding zeros in the divisor.

    Returns
    -------
    torch.Tensor
        Shape :math:`(N, C, H_{out}, W_{out})`.

    Raises
    ------
    TypeError
        If `input` is not a floating-point tensor or an option is not an int or a pair of ints.
    ValueError
        If `input` is not 4-D, an option is out of range, the padding exceeds half the kernel, or the
        window is larger than the padded input.

    References
    ----------
    Dumoulin, V., Visin, F. (2016). A guide to convolution arithmetic for deep learning. arXiv:1603.07285.

    Examples
    --------
    >>> import torch
    >>> x = torch.ones(1, 1, 2, 2)
    >>> avg_pool2d(x, 2, stride=1, padding=1)  # padding zeros counted: 1/4, 2/4, 4/4 of the window
    tensor([[[[0.2500, 0.5000, 0.2500],
              [0.5000, 1.0000, 0.5000],
              [0.2500, 0.5000, 0.2500]]]])
    >>> avg_pool2d(x, 2, stride=1, padding=1, count_include_pad=False)  # mean of the real inputs only
    tensor([[[[1., 1., 1.],
              [1., 1., 1.],
              [1., 1., 1.]]]])
    """
    kernel, stride = _check_pool(input, kernel_size, stride, padding)
    windows, pad, extra = _windows(input, kernel, 1, padding, stride, ceil_mode)
    N, C, kh, kw, H_out, W_out = windows.shape
    # Σ over the window of x_pad (zeros outside the input)
    total = windows.reshape(N, C, kh * kw, H_out, W_out).sum(dim=2)  # (N, C, H_out, W_out)
    # |Ω|: the window sums of a mask that is 1 where a tap counts (the padded input, or the input only)
    H, W = input.shape[-2:]
    if count_include_pad:
        ones = input.new_ones(1, 1, H + 2 * pad[0], W + 2 * pad[1])  # (1, 1, H + 2p_h, W + 2p_w)
        mask = _pad(ones, 0, extra[0], 0, extra[1])
    else:
        ones = input.new_ones(1, 1, H, W)  # (1, 1, H, W)
        mask = _pad(ones, pad[0], pad[0] + extra[0], pad[1], pad[1] + extra[1])
    count = _gather(mask, kernel, (1, 1), stride, (H_out, W_out))  # (1, 1, k_h, k_w, H_out, W_out)
    count = count.reshape(1, 1, kh * kw, H_out, W_out).sum(dim=2)  # (1, 1, H_out, W_out)
    # y = Σ x / |Ω|
    return total / count
