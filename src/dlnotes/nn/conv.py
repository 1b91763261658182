r"""Convolution and pooling: im2col ``conv2d``, a looped ``conv2d_naive``, ``unfold``, pooling, output sizes.

- ``conv2d`` as im2col (``unfold``, one indexing gather) plus one batched matrix product (Chellapilla et
  al. 2006), with stride, padding, dilation and groups; ``conv2d_naive``, the same with nested loops;
  ``max_pool2d`` and ``avg_pool2d`` on the same gather; ``conv_output_size``, the arithmetic of Dumoulin &
  Visin (2016), with torch's ``ceil_mode`` rule. Each mirrors ``torch.nn.functional`` and is tested
  against it in float64 for values and gradients.

Left out on purpose: unbatched 3-D inputs (use ``unsqueeze(0)``), string paddings (``"same"``,
``"valid"``), ``return_indices`` and ``divisor_override``.

References
----------
- Chellapilla, K., Puri, S., Simard, P. (2006). High performance convolutional neural networks for
  document processing. *Tenth International Workshop on Frontiers in Handwriting Recognition* (im2col).
- Dumoulin, V., Visin, F. (2016). A guide to convolution arithmetic for deep learning. arXiv:1603.07285.
"""

from __future__ import annotations

import math

import torch

from dlnotes._typing import IntPair
from dlnotes._validation import check_bool, check_float, check_int, is_int

__all__ = [
    "avg_pool2d",
    "conv2d",
    "conv2d_naive",
    "conv_output_size",
    "max_pool2d",
    "unfold",
]


# ---------------------------------------------------------------------------------------------------------
# Convolution and pooling.
#
# Notation: input (N, C, H, W), kernel (k_h, k_w), stride s, padding p, dilation d, groups G, output
# (N, C_out, H_out, W_out) and L = H_out · W_out output positions (Dumoulin & Visin 2016).


def _pair(value, name: str, minimum: int) -> tuple[int, int]:
    """`value` (an int or a pair of ints, each >= `minimum`) as a pair (rows, columns)."""
    if is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(is_int(v) for v in value):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{name} must be an int or a pair of ints (height, width), got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return pair


def _check_4d(input, name: str = "input") -> None:
    check_float(input, name)
    if input.dim() != 4:
        raise ValueError(
            f"expected a 4-D {name} (N, C, H, W), got a {input.dim()}-D {name} of shape "
            f"{tuple(input.shape)} (for a single image use {name}.unsqueeze(0))"
        )


def _out_size(
    in_size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool, dim: str
) -> int:
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


def conv_output_size(
    in_size: int,
    kernel_size: int,
    *,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
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
        If a size is not an int (a bool is refused) or `ceil_mode` is not a bool.
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
    values = {
        "in_size": (in_size, 1),
        "kernel_size": (kernel_size, 1),
        "stride": (stride, 1),
        "padding": (padding, 0),
        "dilation": (dilation, 1),
    }
    for name, (value, minimum) in values.items():
        check_int(value, name, minimum=minimum)
    ceil_mode = check_bool(ceil_mode, "ceil_mode")
    return _out_size(
        int(in_size), int(kernel_size), int(stride), int(padding), int(dilation), ceil_mode, "input"
    )


def _pad(
    input: torch.Tensor, top: int, bottom: int, left: int, right: int, value: float = 0.0
) -> torch.Tensor:
    """`input` (N, C, H, W) surrounded by `value`; differentiable (the gradient of the copy is a slice)."""
    N, C, H, W = input.shape
    if top == bottom == left == right == 0:
        return input
    out = input.new_full((N, C, top + H + bottom, left + W + right), value)  # (N, C, H_pad, W_pad)
    out[:, :, top : top + H, left : left + W] = input
    return out


def _gather(
    padded: torch.Tensor,
    kernel: tuple[int, int],
    dilation: tuple[int, int],
    stride: tuple[int, int],
    out: tuple[int, int],
) -> torch.Tensor:
    """The windows of `padded` (N, C, H_pad, W_pad) as a (N, C, k_h, k_w, H_out, W_out) tensor.

    One advanced-indexing gather, no loop: the window at output (y, x) reads, at kernel tap (i, j), the
    padded input at row y·s_h + i·d_h and column x·s_w + j·d_w.
    """
    device = padded.device
    # row[i, y] = i·d_h + y·s_h
    rows = (torch.arange(kernel[0], device=device) * dilation[0])[:, None] + (
        torch.arange(out[0], device=device) * stride[0]
    )[None, :]  # (k_h, H_out)
    # col[j, x] = j·d_w + x·s_w
    cols = (torch.arange(kernel[1], device=device) * dilation[1])[:, None] + (
        torch.arange(out[1], device=device) * stride[1]
    )[None, :]  # (k_w, W_out)
    # the two index tensors broadcast to (k_h, k_w, H_out, W_out) and replace the dimensions H, W
    return padded[:, :, rows[:, None, :, None], cols[None, :, None, :]]  # (N, C, k_h, k_w, H_out, W_out)


def _windows(
    input: torch.Tensor, kernel_size, dilation, padding, stride, ceil_mode: bool = False, value: float = 0.0
):
    """Checks the options; returns the padded windows (N, C, k_h, k_w, H_out, W_out), the padding pair
    and the extra bottom/right padding that `ceil_mode` needs."""
    kernel = _pair(kernel_size, "kernel_size", 1)
    dilation = _pair(dilation, "dilation", 1)
    padding = _pair(padding, "padding", 0)
    stride = _pair(stride, "stride", 1)
    H, W = input.shape[-2:]
    out = (
        _out_size(H, kernel[0], stride[0], padding[0], dilation[0], ceil_mode, "height"),
        _out_size(W, kernel[1], stride[1], padding[1], dilation[1], ceil_mode, "width"),
    )
    # with ceil_mode the last window may run past the right padding: pad there too, so that it reads
    # `value` (the windows' end, (o − 1)s + d(k − 1) + 1, minus the padded size)
    extra = [
        max(0, (o - 1) * s + d * (k - 1) + 1 - (n + 2 * p))
        for o, s, d, k, n, p in zip(out, stride, dilation, kernel, (H, W), padding)
    ]
    padded = _pad(input, padding[0], padding[0] + extra[0], padding[1], padding[1] + extra[1], value)
    windows = _gather(padded, kernel, dilation, stride, out)  # (N, C, k_h, k_w, H_out, W_out)
    return windows, padding, extra


def unfold(
    input: torch.Tensor,
    kernel_size: IntPair,
    dilation: IntPair = 1,
    padding: IntPair = 0,
    stride: IntPair = 1,
) -> torch.Tensor:
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
    check_int(groups, "groups", minimum=1)
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
        check_float(bias, "bias")
        if bias.dtype != input.dtype:
            raise TypeError(f"bias must have the dtype of input, {input.dtype}, got {bias.dtype}")
        if tuple(bias.shape) != (C_out,):
            raise ValueError(
                f"bias must have shape (out_channels,) = ({C_out},), one value per kernel, got shape "
                f"{tuple(bias.shape)}"
            )


def conv2d(
    input: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: IntPair = 1,
    padding: IntPair = 0,
    dilation: IntPair = 1,
    groups: int = 1,
) -> torch.Tensor:
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


def conv2d_naive(
    input: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: IntPair = 1,
    padding: IntPair = 0,
    dilation: IntPair = 1,
    groups: int = 1,
) -> torch.Tensor:
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
    N, _C, H, W = input.shape
    C_out, C_g, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = (
        _pair(stride, "stride", 1),
        _pair(padding, "padding", 0),
        _pair(dilation, "dilation", 1),
    )
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
                    window = padded[
                        n,
                        g * C_g : (g + 1) * C_g,
                        y * sh : y * sh + dh * (kh - 1) + 1 : dh,
                        x * sw : x * sw + dw * (kw - 1) + 1 : dw,
                    ]  # (C/G, k_h, k_w)
                    # y[n, o, y, x] = <w[o], window> (+ b[o])
                    value = (weight[o] * window).sum()
                    line.append(value + bias[o] if bias is not None else value)
                plane.append(torch.stack(line))  # (W_out,)
            channels.append(torch.stack(plane))  # (H_out, W_out)
        rows.append(torch.stack(channels))  # (C_out, H_out, W_out)
    return torch.stack(rows)  # (N, C_out, H_out, W_out)


def _check_pool(input, kernel_size, stride, padding, dilation=1, ceil_mode=False, count_include_pad=True):
    """Checks a pooling call; returns the pairs (kernel, stride); stride defaults to the kernel size."""
    _check_4d(input)
    check_bool(ceil_mode, "ceil_mode")
    check_bool(count_include_pad, "count_include_pad")
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


def max_pool2d(
    input: torch.Tensor,
    kernel_size: IntPair,
    stride: IntPair | None = None,
    padding: IntPair = 0,
    dilation: IntPair = 1,
    ceil_mode: bool = False,
) -> torch.Tensor:
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
        If `input` is not a floating-point tensor, a size option is not an int or a pair of ints, or
        `ceil_mode` is not a bool.
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
    kernel, stride = _check_pool(input, kernel_size, stride, padding, dilation, ceil_mode)
    windows, *_ = _windows(input, kernel, dilation, padding, stride, ceil_mode, value=-math.inf)
    N, C, kh, kw, H_out, W_out = windows.shape
    taps = windows.reshape(N, C, kh * kw, H_out, W_out)  # (N, C, k_h*k_w, H_out, W_out)
    # y = max over the k_h·k_w taps (.max, not .amax: the gradient goes to one position, as in torch)
    return taps.max(dim=2).values  # (N, C, H_out, W_out)


def avg_pool2d(
    input: torch.Tensor,
    kernel_size: IntPair,
    stride: IntPair | None = None,
    padding: IntPair = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> torch.Tensor:
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
        If `input` is not a floating-point tensor, a size option is not an int or a pair of ints, or a flag
        (`ceil_mode`, `count_include_pad`) is not a bool.
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
    kernel, stride = _check_pool(input, kernel_size, stride, padding, 1, ceil_mode, count_include_pad)
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
