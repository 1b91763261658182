r"""Activations, their derivatives in closed form, softmax and log-softmax, from elementary tensor operations.

Each function mirrors a ``torch.nn.functional`` function of the same name and signature, and is tested
against it in float64 for values **and** gradients (autograd differentiates our elementary operations; the
result must equal the gradient of torch's fused kernel):

- ``sigmoid``, ``tanh``, ``relu``, ``leaky_relu`` (Maas et al. 2013), ``elu`` (Clevert et al. 2016) and
  ``gelu`` (Hendrycks & Gimpel 2016, exact and tanh forms), each with its derivative in closed form
  (``*_derivative``), checked against autograd of torch's function. None calls the torch function it
  mirrors: ``sigmoid`` and ``tanh`` are built from ``exp``/``expm1`` in a form that never overflows.
- ``softmax`` and ``log_softmax``, stable for logits of any size (the maximum is subtracted first).

References
----------
- Maas, A. L., Hannun, A. Y., Ng, A. Y. (2013). Rectifier nonlinearities improve neural network acoustic
  models. *ICML Workshop on Deep Learning for Audio, Speech and Language Processing* (leaky ReLU).
- Clevert, D.-A., Unterthiner, T., Hochreiter, S. (2016). Fast and accurate deep network learning by
  exponential linear units (ELUs). *ICLR*, arXiv:1511.07289.
- Hendrycks, D., Gimpel, K. (2016). Gaussian error linear units (GELUs). arXiv:1606.08415.
"""

from __future__ import annotations

import math

import torch

from dlnotes._validation import check_choice, check_dim, check_float, check_real, check_tensor

__all__ = [
    "GELU_TANH_CUBIC",
    "GELU_TANH_SCALE",
    "elu",
    "elu_derivative",
    "gelu",
    "gelu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "log_softmax",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "tanh",
    "tanh_derivative",
]


#: √(2/π), the slope of the tanh approximation of GELU at 0.
GELU_TANH_SCALE = math.sqrt(2.0 / math.pi)
#: The cubic coefficient of the tanh approximation of GELU (Hendrycks & Gimpel 2016).
GELU_TANH_CUBIC = 0.044715


def _check_approximate(approximate) -> None:
    check_choice(approximate, "approximate", ("none", "tanh"))


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
    check_tensor(x)
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
    check_tensor(x)
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
    check_tensor(x)
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
    check_tensor(x)
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
    check_tensor(x)
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
    check_tensor(x)
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
        If `x` is not a tensor or `negative_slope` is not a real number (a bool is refused).
    ValueError
        If `negative_slope` is NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> leaky_relu(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
    tensor([-0.2000,  0.0000,  3.0000])
    """
    check_tensor(x)
    check_real(negative_slope, "negative_slope")
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
        If `x` is not a tensor or `negative_slope` is not a real number (a bool is refused).
    ValueError
        If `negative_slope` is NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> leaky_relu_derivative(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
    tensor([0.1000, 0.1000, 1.0000])
    """
    check_tensor(x)
    check_real(negative_slope, "negative_slope")
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
        If `x` is not a tensor or `alpha` is not a real number (a bool is refused).
    ValueError
        If `alpha` is NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> elu(torch.tensor([-100.0, -1.0, 0.0, 2.0]))
    tensor([-1.0000, -0.6321,  0.0000,  2.0000])
    """
    check_tensor(x)
    check_real(alpha, "alpha")
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
        If `x` is not a tensor or `alpha` is not a real number (a bool is refused).
    ValueError
        If `alpha` is NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> elu_derivative(torch.tensor([-1.0, 0.0, 2.0]), alpha=2.0)
    tensor([0.7358, 2.0000, 1.0000])
    """
    check_tensor(x)
    check_real(alpha, "alpha")
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
    check_tensor(x)
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
    check_tensor(x)
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
    check_float(x, "x")
    dim = check_dim(x, dim)
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
    check_float(x, "x")
    dim = check_dim(x, dim)
    if x.dim() > 0 and x.shape[dim] == 0:
        return x.clone()
    m = x.detach().amax(dim=dim, keepdim=True)
    shifted = x - m
    # log softmax(x)_i = (x_i − m) − log Σ_j e^{x_j − m}
    return shifted - torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))


# ---------------------------------------------------------------------------------------------------------
