r"""Weight initializers written out, each equal to its ``torch.nn.init`` counterpart.

Every initializer fills a tensor **in place**, under ``torch.no_grad()``, and returns it, like
``torch.nn.init``. With the same random-number generator state (an explicit ``generator``, or the global
generator after ``torch.manual_seed``) ours give exactly torch's tensors: they draw the same numbers in the
same order and scale them with the same floating-point operations.

The variance-preserving rules, for a layer with :math:`n_\text{in}` inputs and :math:`n_\text{out}` outputs
per unit (:func:`calculate_fan_in_and_fan_out`; a convolution counts its kernel's receptive field too):

- Xavier/Glorot (Glorot & Bengio 2010), keeps the variance of activations *and* gradients near constant for
  activations that are roughly linear around 0 (tanh, sigmoid):
  :math:`\operatorname{Var}(W) = g^2 \cdot 2/(n_\text{in} + n_\text{out})`.
- Kaiming/He (He et al. 2015), for rectifiers, which zero half their input:
  :math:`\operatorname{Var}(W) = g^2 / n_\text{mode}` with :math:`g = \sqrt{2/(1 + a^2)}` for a leaky ReLU of
  slope :math:`a`, and :math:`n_\text{mode}` the fan-in (forward pass) or the fan-out (backward pass).
- Orthogonal (Saxe et al. 2014): a matrix with orthonormal rows or columns preserves the norm of every
  vector, so a deep *linear* network neither shrinks nor blows up its signal; obtained from the QR
  decomposition (torch's way) or the SVD of a Gaussian matrix.

The gain :math:`g` of each nonlinearity is :func:`calculate_gain`, torch's table.

Where torch only warns or fails obscurely, ours raises a ``ValueError`` that names the shape it expected
and the shape it got: ``kaiming_*`` on a tensor with a zero-size dimension (torch warns and does nothing)
and ``xavier_*`` when :math:`n_\text{in} + n_\text{out} = 0` (torch divides by zero). ``uniform_`` with
:math:`a > b` and ``normal_`` with a negative ``std`` raise ``ValueError`` where torch raises
``RuntimeError``.

References
----------
- Glorot, X., Bengio, Y. (2010). Understanding the difficulty of training deep feedforward neural networks.
  *AISTATS*.
- He, K., Zhang, X., Ren, S., Sun, J. (2015). Delving deep into rectifiers: surpassing human-level
  performance on ImageNet classification. *ICCV*, arXiv:1502.01852.
- Saxe, A. M., McClelland, J. L., Ganguli, S. (2014). Exact solutions to the nonlinear dynamics of learning
  in deep linear neural networks. *ICLR*, arXiv:1312.6120.
- Mezzadri, F. (2007). How to generate random matrices from the classical compact groups. *Notices of the
  AMS* 54(5), arXiv:math-ph/0609050 (the sign fix that makes the QR factor uniformly distributed).
"""

from __future__ import annotations

import math

import torch

from dlnotes._validation import check_choice, check_real, check_tensor, is_real

__all__ = [
    "calculate_fan_in_and_fan_out",
    "calculate_gain",
    "kaiming_normal_",
    "kaiming_std",
    "kaiming_uniform_",
    "normal_",
    "orthogonal_",
    "uniform_",
    "xavier_normal_",
    "xavier_std",
    "xavier_uniform_",
    "zeros_",
]

#: Layers without a nonlinearity, all of gain 1 (torch's list).
LINEAR_NONLINEARITIES = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)
#: Every name :func:`calculate_gain` knows.
NONLINEARITIES = LINEAR_NONLINEARITIES + ("sigmoid", "tanh", "relu", "leaky_relu", "selu")


# ---------------------------------------------------------------------------------------------------------
# Helpers.


def _check_matrix_like(tensor, what: str) -> None:
    """Refuse tensors with fewer than 2 dimensions: fans need an output and an input axis."""
    check_tensor(tensor, "tensor")
    if tensor.dim() < 2:
        raise ValueError(
            f"{what} needs a tensor with at least 2 dimensions, (out_features, in_features) or "
            f"(out_channels, in_channels, *kernel_size), got shape {tuple(tensor.shape)}"
        )


# ---------------------------------------------------------------------------------------------------------
# Gain and fans.


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The recommended gain :math:`g` for a nonlinearity, like ``torch.nn.init.calculate_gain``.

    The factor by which an initializer scales the standard deviation of the weights so that the
    nonlinearity after the layer does not shrink the signal's second moment:

    ================================ ===============================================
    nonlinearity                     gain
    ================================ ===============================================
    linear, conv*, conv_transpose*   :math:`1`
    sigmoid                          :math:`1`
    tanh                             :math:`5/3`
    relu                             :math:`\sqrt{2}`
    leaky_relu (slope :math:`a`)     :math:`\sqrt{2 / (1 + a^2)}`
    selu                             :math:`3/4`
    ================================ ===============================================

    ReLU keeps half of a symmetric input, so :math:`E[\mathrm{relu}(x)^2] = \operatorname{Var}(x)/2` and
    the weights need twice the variance; a leaky ReLU keeps :math:`(1 + a^2)/2` of it. The tanh and SELU
    values are empirical (torch's choices).

    Parameters
    ----------
    nonlinearity : str
        One of ``"linear"``, ``"conv1d"``, ``"conv2d"``, ``"conv3d"``, ``"conv_transpose1d"``,
        ``"conv_transpose2d"``, ``"conv_transpose3d"``, ``"sigmoid"``, ``"tanh"``, ``"relu"``,
        ``"leaky_relu"``, ``"selu"``.
    param : int or float, optional
        The negative slope of ``"leaky_relu"`` (default 0.01); ignored by the others.

    Returns
    -------
    float
        The gain (torch returns the int 1 for the linear layers and sigmoid; ours returns 1.0).

    Raises
    ------
    ValueError
        For an unknown nonlinearity, or a `param` of ``"leaky_relu"`` that is not an int or a float (a bool
        is refused too), with torch's messages at the start (torch raises ``ValueError`` for these wrong
        types, and so do we); or a `param` of ``"leaky_relu"`` that is NaN or infinite (torch returns
        NaN or 0).

    Examples
    --------
    >>> calculate_gain("relu")  # √2
    1.4142135623730951
    >>> calculate_gain("leaky_relu", 0.2)  # √(2 / 1.04)
    1.386750490563073
    >>> calculate_gain("tanh")
    1.6666666666666667
    """
    if nonlinearity in LINEAR_NONLINEARITIES or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        # g = √2   (ReLU passes half of the second moment)
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif isinstance(param, (int, float)) and is_real(param):
            negative_slope = param
        else:
            raise ValueError(
                f"negative_slope {param} not a valid number: the param of 'leaky_relu' must be an int or "
                f"a float, got {type(param).__name__}"
            )
        check_real(negative_slope, "negative_slope")
        # g = √(2 / (1 + a²))
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}; expected one of {', '.join(NONLINEARITIES)}")


def calculate_fan_in_and_fan_out(tensor: torch.Tensor) -> tuple[int, int]:
    r"""The fan-in and fan-out of a weight tensor, like torch's ``nn.init._calculate_fan_in_and_fan_out``.

    A weight of shape :math:`(n_\text{out}, n_\text{in}, k_1, \dots, k_d)` (``nn.Linear``: :math:`d = 0`;
    ``nn.Conv{1,2,3}d``: :math:`d = 1, 2, 3`) connects each output unit to :math:`n_\text{in} \prod k_i`
    inputs and each input unit to :math:`n_\text{out} \prod k_i` outputs:

    .. math::

        \text{fan\_in} = n_\text{in} \prod_i k_i, \qquad \text{fan\_out} = n_\text{out} \prod_i k_i .

    Mind the layout: ``nn.Linear`` stores :math:`W` as (out, in) and computes :math:`x W^\top`. For a
    weight used as ``x @ w`` with ``w`` of shape (in, out), pass ``w.T``.

    Parameters
    ----------
    tensor : torch.Tensor
        A weight with at least 2 dimensions.

    Returns
    -------
    tuple of int
        ``(fan_in, fan_out)``.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor.
    ValueError
        If `tensor` has fewer than 2 dimensions.

    Examples
    --------
    >>> import torch
    >>> calculate_fan_in_and_fan_out(torch.empty(20, 10))  # nn.Linear(10, 20).weight
    (10, 20)
    >>> calculate_fan_in_and_fan_out(torch.empty(16, 3, 5, 5))  # nn.Conv2d(3, 16, 5).weight
    (75, 400)
    """
    _check_matrix_like(tensor, "Fan in and fan out computation")
    receptive_field_size = math.prod(tensor.shape[2:])  # k_1 ⋯ k_d, 1 for a linear layer
    # fan_in = n_in · ∏ k_i,  fan_out = n_out · ∏ k_i
    fan_in = tensor.size(1) * receptive_field_size
    fan_out = tensor.size(0) * receptive_field_size
    return fan_in, fan_out


def _fan(tensor: torch.Tensor, mode: str) -> int:
    """The fan that Kaiming initialization preserves: ``"fan_in"`` (forward) or ``"fan_out"`` (backward)."""
    if not isinstance(mode, str) or mode.lower() not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode.lower() == "fan_in" else fan_out


# ---------------------------------------------------------------------------------------------------------
# Plain fills.


@torch.no_grad()
def zeros_(tensor: torch.Tensor) -> torch.Tensor:
    """Fill `tensor` with zeros in place and return it, like ``torch.nn.init.zeros_``.

    Fine for biases; for the weights of a layer it makes every unit compute the same function and receive
    the same gradient, so the units never become different (the symmetry problem).

    Parameters
    ----------
    tensor : torch.Tensor
        The tensor to fill (it may require grad: the fill is not recorded by autograd).

    Returns
    -------
    torch.Tensor
        `tensor` itself.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor.

    Examples
    --------
    >>> import torch
    >>> zeros_(torch.ones(2, 3))
    tensor([[0., 0., 0.],
            [0., 0., 0.]])
    """
    check_tensor(tensor, "tensor")
    return tensor.zero_()


@torch.no_grad()
def uniform_(
    tensor: torch.Tensor, a: float = 0.0, b: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Fill `tensor` in place with draws from :math:`\mathcal{U}(a, b)`, like ``torch.nn.init.uniform_``.

    Parameters
    ----------
    tensor : torch.Tensor
        The tensor to fill.
    a, b : float, default 0.0 and 1.0
        The bounds of the interval, :math:`a \le b`.
    generator : torch.Generator, optional
        The random-number generator to draw from (on `tensor`'s device); the global one if None.

    Returns
    -------
    torch.Tensor
        `tensor` itself.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor, or `a` or `b` is not a real number (a bool is refused).
    ValueError
        If `a` or `b` is NaN or infinite, or ``a > b``.

    Examples
    --------
    >>> import torch
    >>> w = uniform_(torch.empty(1000), -2.0, 3.0, generator=torch.Generator().manual_seed(0))
    >>> bool(w.min() >= -2.0 and w.max() < 3.0)
    True
    """
    check_tensor(tensor, "tensor")
    check_real(a, "a")
    check_real(b, "b")
    if a > b:
        raise ValueError(f"uniform_ needs a <= b (the bounds of the interval [a, b)), got a={a} > b={b}")
    return tensor.uniform_(a, b, generator=generator)


@torch.no_grad()
def normal_(
    tensor: torch.Tensor, mean: float = 0.0, std: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Fill `tensor` in place with draws from :math:`\mathcal{N}(\text{mean}, \text{std}^2)`.

    Like ``torch.nn.init.normal_``.

    Parameters
    ----------
    tensor : torch.Tensor
        The tensor to fill.
    mean : float, default 0.0
        The mean of the normal distribution.
    std : float, default 1.0
        Its standard deviation, :math:`\ge 0`.
    generator : torch.Generator, optional
        The random-number generator to draw from (on `tensor`'s device); the global one if None.

    Returns
    -------
    torch.Tensor
        `tensor` itself.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor, or `mean` or `std` is not a real number (a bool is refused).
    ValueError
        If `mean` or `std` is NaN or infinite, or ``std < 0``.

    Examples
    --------
    >>> import torch
    >>> w = normal_(torch.empty(10_000), mean=1.0, std=0.5, generator=torch.Generator().manual_seed(0))
    >>> round(w.mean().item(), 1), round(w.std().item(), 1)
    (1.0, 0.5)
    """
    check_tensor(tensor, "tensor")
    check_real(mean, "mean")
    check_real(std, "std")
    if std < 0:
        raise ValueError(f"normal_ needs a standard deviation std >= 0, got std={std}")
    return tensor.normal_(mean, std, generator=generator)


# ---------------------------------------------------------------------------------------------------------
# Xavier / Glorot.


def xavier_std(tensor: torch.Tensor, gain: float = 1.0) -> float:
    r"""The standard deviation of Glorot/Xavier initialization for `tensor`, as both ``xavier_*_`` use it.

    .. math:: \text{std} = g \sqrt{\frac{2}{\text{fan\_in} + \text{fan\_out}}}

    Parameters
    ----------
    tensor : torch.Tensor
        A weight with at least 2 dimensions (see :func:`calculate_fan_in_and_fan_out`); only its shape is
        used.
    gain : float, default 1.0
        The scaling factor :math:`g \ge 0` (see :func:`calculate_gain`).

    Returns
    -------
    float
        The standard deviation :math:`\text{std}`.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor, or `gain` is not a real number (a bool is refused).
    ValueError
        If `tensor` has fewer than 2 dimensions, ``fan_in + fan_out == 0``, or `gain` is negative (a
        standard deviation; torch fails later, in ``uniform_`` or ``normal_``), NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> xavier_std(torch.empty(300, 100))  # √(2 / 400)
    0.07071067811865475
    """
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    check_real(gain, "gain", minimum=0)
    if fan_in + fan_out == 0:
        raise ValueError(
            f"Xavier initialization needs fan_in + fan_out > 0, got a tensor of shape {tuple(tensor.shape)} "
            f"(fan_in={fan_in}, fan_out={fan_out})"
        )
    # std = g · √(2 / (fan_in + fan_out))   (Var(W) = 2/(n_in + n_out): the compromise between 1/n_in,
    # which keeps activations steady, and 1/n_out, which keeps gradients steady)
    return gain * math.sqrt(2.0 / float(fan_in + fan_out))


@torch.no_grad()
def xavier_uniform_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Glorot/Xavier uniform initialization in place, like ``torch.nn.init.xavier_uniform_``.

    .. math::

        W \sim \mathcal{U}(-a, a), \qquad
        a = g \sqrt{\frac{6}{\text{fan\_in} + \text{fan\_out}}}
          = \sqrt{3}\,\text{std}, \qquad
        \text{std} = g \sqrt{\frac{2}{\text{fan\_in} + \text{fan\_out}}}

    (a uniform on :math:`[-a, a]` has variance :math:`a^2/3`).

    Parameters
    ----------
    tensor : torch.Tensor
        A weight with at least 2 dimensions (see :func:`calculate_fan_in_and_fan_out`).
    gain : float, default 1.0
        The scaling factor :math:`g` (see :func:`calculate_gain`).
    generator : torch.Generator, optional
        The random-number generator to draw from; the global one if None.

    Returns
    -------
    torch.Tensor
        `tensor` itself.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor, or `gain` is not a real number (a bool is refused).
    ValueError
        If `tensor` has fewer than 2 dimensions, ``fan_in + fan_out == 0``, or `gain` is negative, NaN
        or infinite.

    Examples
    --------
    >>> import torch
    >>> w = xavier_uniform_(torch.empty(300, 100), generator=torch.Generator().manual_seed(0))
    >>> bound = (6 / (100 + 300)) ** 0.5
    >>> bool(w.abs().max() <= bound), round(w.var().item() / (bound**2 / 3), 1)
    (True, 1.0)
    """
    _check_matrix_like(tensor, "xavier_uniform_")
    std = xavier_std(tensor, gain)
    # a = g · √(6 / (fan_in + fan_out)) = √3 · std
    a = math.sqrt(3.0) * std
    return tensor.uniform_(-a, a, generator=generator)


@torch.no_grad()
def xavier_normal_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Glorot/Xavier normal initialization in place, like ``torch.nn.init.xavier_normal_``.

    .. math::

        W \sim \mathcal{N}(0, \text{std}^2), \qquad
        \text{std} = g \sqrt{\frac{2}{\text{fan\_in} + \text{fan\_out}}}

    Parameters
    ----------
    tensor : torch.Tensor
        A weight with at least 2 dimensions (see :func:`calculate_fan_in_and_fan_out`).
    gain : float, default 1.0
        The scaling factor :math:`g` (see :func:`calculate_gain`).
    generator : torch.Generator, optional
        The random-number generator to draw from; the global one if None.

    Returns
    -------
    torch.Tensor
        `tensor` itself.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor, or `gain` is not a real number (a bool is refused).
    ValueError
        If `tensor` has fewer than 2 dimensions, ``fan_in + fan_out == 0``, or `gain` is negative, NaN
        or infinite.

    Examples
    --------
    >>> import torch
    >>> w = xavier_normal_(torch.empty(300, 100), generator=torch.Generator().manual_seed(0))
    >>> round(w.std().item() / (2 / (100 + 300)) ** 0.5, 2)
    1.0
    """
    _check_matrix_like(tensor, "xavier_normal_")
    std = xavier_std(tensor, gain)
    return tensor.normal_(0.0, std, generator=generator)


# ---------------------------------------------------------------------------------------------------------
# Kaiming / He.


def kaiming_std(
    tensor: torch.Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> float:
    r"""The standard deviation of Kaiming/He initialization for `tensor`, as both ``kaiming_*_`` use it.

    .. math:: \text{std} = \frac{g}{\sqrt{\text{fan\_mode}}}

    with :math:`g` = ``calculate_gain(nonlinearity, a)`` and the fan-in or the fan-out of `tensor`.

    Parameters
    ----------
    tensor : torch.Tensor
        A weight with at least 2 dimensions and none of size 0; only its shape is used.
    a : float, default 0
        The negative slope of the leaky ReLU after the layer (with ``nonlinearity="leaky_relu"``).
    mode : {"fan_in", "fan_out"}, default "fan_in"
        Preserve the variance of the activations (forward pass) or of the gradients (backward pass).
    nonlinearity : str, default "leaky_relu"
        A name known to :func:`calculate_gain`.

    Returns
    -------
    float
        The standard deviation :math:`\text{std}`.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor.
    ValueError
        If `tensor` has fewer than 2 dimensions or a zero-size dimension, for an unknown `mode` or
        `nonlinearity`, or an `a` that is not an int or a float
        (torch's message), or is NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> kaiming_std(torch.empty(64, 512), nonlinearity="relu")  # √2 / √512
    0.0625
    """
    _check_matrix_like(tensor, "kaiming_std")
    if tensor.numel() == 0:
        raise ValueError(
            "Kaiming initialization needs a tensor without zero-size dimensions (its fans would be "
            f"meaningless), got shape {tuple(tensor.shape)}"
        )
    fan = _fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    # std = g / √fan_mode   (He et al. 2015: Var(W) = g² / n, with g² = 2 for ReLU)
    return gain / math.sqrt(fan)


@torch.no_grad()
def kaiming_uniform_(
    tensor: torch.Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""Kaiming/He uniform initialization in place, like ``torch.nn.init.kaiming_uniform_``.

    .. math::

        W \sim \mathcal{U}(-b, b), \qquad
        b = g \sqrt{\frac{3}{\text{fan\_mode}}} = \sqrt{3}\,\text{std}, \qquad
        \text{std} = \frac{g}{\sqrt{\text{fan\_mode}}}

    with :math:`g` = ``calculate_gain(nonlinearity, a)``. ``nn.Linear`` and ``nn.Conv*d`` initialize their
    weights with ``a=math.sqrt(5)``, which gives :math:`b = 1/\sqrt{\text{fan\_in}}`.

    Parameters
    ----------
    tensor : torch.Tensor
        A weight with at least 2 dimensions and no zero-size dimension.
    a : float, default 0
        The negative slope of the leaky ReLU after the layer (used only with ``"leaky_relu"``).
    mode : {"fan_in", "fan_out"}, default "fan_in"
        ``"fan_in"`` preserves the variance of the activations in the forward pass, ``"fan_out"`` that of
        the gradients in the backward pass. Case-insensitive, as in torch.
    nonlinearity : str, default "leaky_relu"
        The nonlinearity after the layer, a name :func:`calculate_gain` knows.
    generator : torch.Generator, optional
        The random-number generator to draw from; the global one if None.

    Returns
    -------
    torch.Tensor
        `tensor` itself.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor.
    ValueError
        If `tensor` has fewer than 2 dimensions or a zero-size dimension (torch only warns), for an unknown
        `mode` or `nonlinearity`, or an `a` that is not an int or a float
        (torch's message), or is NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> w = kaiming_uniform_(torch.empty(256, 512), nonlinearity="relu",
    ...                      generator=torch.Generator().manual_seed(0))
    >>> round(w.var().item() * 512, 1)  # Var(W) · fan_in = g² = 2
    2.0
    """
    _check_matrix_like(tensor, "kaiming_uniform_")
    std = kaiming_std(tensor, a, mode, nonlinearity)
    # b = g · √(3 / fan_mode) = √3 · std
    bound = math.sqrt(3.0) * std
    return tensor.uniform_(-bound, bound, generator=generator)


@torch.no_grad()
def kaiming_normal_(
    tensor: torch.Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""Kaiming/He normal initialization in place, like ``torch.nn.init.kaiming_normal_``.

    .. math::

        W \sim \mathcal{N}(0, \text{std}^2), \qquad \text{std} = \frac{g}{\sqrt{\text{fan\_mode}}}

    with :math:`g` = ``calculate_gain(nonlinearity, a)``.

    Parameters
    ----------
    tensor : torch.Tensor
        A weight with at least 2 dimensions and no zero-size dimension.
    a : float, default 0
        The negative slope of the leaky ReLU after the layer (used only with ``"leaky_relu"``).
    mode : {"fan_in", "fan_out"}, default "fan_in"
        ``"fan_in"`` preserves the variance of the activations in the forward pass, ``"fan_out"`` that of
        the gradients in the backward pass. Case-insensitive, as in torch.
    nonlinearity : str, default "leaky_relu"
        The nonlinearity after the layer, a name :func:`calculate_gain` knows.
    generator : torch.Generator, optional
        The random-number generator to draw from; the global one if None.

    Returns
    -------
    torch.Tensor
        `tensor` itself.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor.
    ValueError
        If `tensor` has fewer than 2 dimensions or a zero-size dimension (torch only warns), for an unknown
        `mode` or `nonlinearity`, or an `a` that is not an int or a float
        (torch's message), or is NaN or infinite.

    Examples
    --------
    >>> import torch
    >>> w = kaiming_normal_(torch.empty(64, 32, 3, 3), mode="fan_out", nonlinearity="relu",
    ...                     generator=torch.Generator().manual_seed(0))
    >>> round(w.var().item() * 64 * 3 * 3, 1)  # Var(W) · fan_out = 2
    2.0
    """
    _check_matrix_like(tensor, "kaiming_normal_")
    std = kaiming_std(tensor, a, mode, nonlinearity)
    return tensor.normal_(0, std, generator=generator)


# ---------------------------------------------------------------------------------------------------------
# Orthogonal.


@torch.no_grad()
def orthogonal_(
    tensor: torch.Tensor, gain: float = 1.0, method: str = "qr", generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Fill `tensor` in place with `gain` times a (semi-)orthogonal matrix, like ``nn.init.orthogonal_``.

    The tensor is seen as a matrix :math:`W` of shape :math:`(r, c)`, :math:`r` = ``tensor.size(0)`` and
    :math:`c` the product of the other dimensions (a convolution's kernel is flattened). Draw
    :math:`A \in \mathbb{R}^{r \times c}` with i.i.d. :math:`\mathcal{N}(0, 1)` entries, then

    - ``"qr"`` (torch's algorithm, same numbers for the same generator state): :math:`A = QR` (of
      :math:`A^\top` when :math:`r < c`), then :math:`Q \leftarrow Q \operatorname{diag}(\operatorname{sign}
      R_{ii})`. Without that sign fix :math:`Q` would follow the conventions of the QR routine; with it,
      :math:`Q` is uniformly (Haar) distributed (Mezzadri 2007).
    - ``"svd"``: :math:`A = U \Sigma V^\top` (thin SVD); take the polar factor :math:`U V^\top`, the
      orthogonal matrix nearest to :math:`A` in Frobenius norm (Higham 1986), which is Haar-distributed for a
      Gaussian :math:`A`. (:math:`U` alone is orthogonal too, but its signs follow the SVD routine.)

    Either way :math:`W^\top W = g^2 I_c` when :math:`r \ge c` (orthonormal columns) and
    :math:`W W^\top = g^2 I_r` when :math:`r < c` (orthonormal rows), so :math:`\lVert W x \rVert =
    g \lVert x \rVert` for every :math:`x` in the tall case (Saxe et al. 2014).

    Parameters
    ----------
    tensor : torch.Tensor
        A floating-point tensor with at least 2 dimensions. A tensor with no elements is returned unchanged,
        as in torch.
    gain : float, default 1.0
        The scaling factor :math:`g`.
    method : {"qr", "svd"}, default "qr"
        How to orthogonalize the Gaussian matrix.
    generator : torch.Generator, optional
        The random-number generator to draw from; the global one if None.

    Returns
    -------
    torch.Tensor
        `tensor` itself.

    Raises
    ------
    TypeError
        If `tensor` is not a tensor, or `gain` is not a real number (a bool is refused).
    ValueError
        If `tensor` has fewer than 2 dimensions, `method` is not ``"qr"`` or ``"svd"``, or `gain` is NaN or
        infinite.

    Examples
    --------
    >>> import torch
    >>> w = orthogonal_(torch.empty(5, 3, dtype=torch.float64), gain=2.0, method="svd")
    >>> torch.allclose(w.T @ w, 4 * torch.eye(3, dtype=torch.float64))  # W^T W = g² I
    True
    >>> x = torch.randn(3, dtype=torch.float64)
    >>> torch.allclose((w @ x).norm(), 2 * x.norm())  # lengths scaled by exactly g
    True
    """
    _check_matrix_like(tensor, "orthogonal_")
    check_choice(method, "method", ("qr", "svd"))
    check_real(gain, "gain")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.size(0)
    cols = tensor.numel() // rows
    # A ~ N(0, 1)^(r × c), drawn exactly as torch draws it
    flattened = tensor.new_empty((rows, cols)).normal_(0, 1, generator=generator)  # (r, c)
    if method == "qr":
        if rows < cols:
            flattened.t_()  # (c, r): QR of the tall matrix Aᵀ
        # A = QR, Q with orthonormal columns
        q, r = torch.linalg.qr(flattened)
        # Q ← Q · diag(sign(R_ii)): makes the factorization unique and Q Haar-distributed
        q *= torch.diag(r, 0).sign()
        if rows < cols:
            q.t_()  # (r, c), orthonormal rows
    else:
        # A = U Σ Vᵀ (thin): U is (r, k), Vᵀ is (k, c) with k = min(r, c)
        # (in float64: a float32 SVD and product would lose orthogonality in the 7th digit)
        u, _, vh = torch.linalg.svd(flattened.double(), full_matrices=False)
        # Q = U Vᵀ, the polar factor: nearest orthogonal matrix to A, Haar for Gaussian A
        q = (u @ vh).to(flattened.dtype)  # (r, c)
    # W = g · Q, reshaped back to the tensor's shape
    tensor.copy_(q.reshape(tensor.shape))
    tensor.mul_(gain)
    return tensor
