"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.convolution_pooling."""

import math

import torch
import torch.nn.functional as F

from tests.drill.coding.wrong import wrong

# --- conv2d -----------------------------------------------------------------------------------------------


@wrong("conv2d", fails="plain")
def conv2d_flipped_kernel(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """The convolution of signal processing: flips the kernel, which torch's conv2d does not."""
    return F.conv2d(input, weight.flip(-2, -1), bias, stride, padding, dilation, groups)


@wrong("conv2d", fails="bias None")
def conv2d_always_adds_bias(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Adds the bias unconditionally: `None.view` raises when there is no bias."""
    out = F.conv2d(input, weight, None, stride, padding, dilation, groups)
    return out + bias.view(1, -1, 1, 1)


@wrong("conv2d", fails="padding 1")
def conv2d_pads_one_side(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Pads the top and the left only (F.pad's 4-tuple read as one value per axis)."""
    padded = F.pad(input, (padding, 0, padding, 0))
    return F.conv2d(padded, weight, bias, stride, 0, dilation, groups)


@wrong("conv2d", fails="stride 2")
def conv2d_ceil_output_size(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Rounds the number of windows up: the last, partial window is computed over what is left."""
    x = F.pad(input, [padding] * 4)
    kh, kw = weight.shape[-2:]
    H = math.ceil((x.shape[2] - dilation * (kh - 1) - 1) / stride) + 1
    W = math.ceil((x.shape[3] - dilation * (kw - 1) - 1) / stride) + 1
    x = F.pad(x, (0, W * stride, 0, H * stride))  # zeros beyond the edge for the partial windows
    full = F.conv2d(x, weight, None, 1, 0, dilation, groups)
    out = full[:, :, : (H - 1) * stride + 1 : stride, : (W - 1) * stride + 1 : stride]
    return out if bias is None else out + bias.view(1, -1, 1, 1)


@wrong("conv2d", fails="dilation 2")
def conv2d_ignores_dilation(x, w, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """The loops most people write first (the chapter's attempt): the window ignores dilation."""
    x, (k_h, k_w) = F.pad(x, [padding] * 4), w.shape[-2:]  # zeros on all four sides
    H, W = (x.shape[2] - k_h) // stride + 1, (x.shape[3] - k_w) // stride + 1
    y = x.new_zeros(x.shape[0], w.shape[0], H, W)
    for i in range(H):
        for j in range(W):  # the window under the kernel: dilation forgotten
            win = x[:, :, i * stride : i * stride + k_h, j * stride : j * stride + k_w]
            y[:, :, i, j] = torch.einsum("nchw,ochw->no", win, w)
    return y if bias is None else y + bias.view(1, -1, 1, 1)


@wrong("conv2d", fails="non-square kernel")
def conv2d_square_kernel(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """im2col written for square kernels: k = weight.shape[-1] for both axes."""
    N, C, H, W = input.shape
    O, k = weight.shape[0], weight.shape[-1]
    cols = F.unfold(input, k, dilation, padding, stride)  # (N, C·k·k, L)
    H_out = (H + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    W_out = (W + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    out = weight.reshape(O, -1)[:, : C * k * k] @ cols
    out = out.reshape(N, O, H_out, W_out)
    return out if bias is None else out + bias.view(1, -1, 1, 1)


@wrong("conv2d", fails="groups 2")
def conv2d_ignores_groups(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """im2col with one matrix product over all channels: the groups are never split."""
    N, H = input.shape[0], input.shape[2]
    O, _, kh, kw = weight.shape
    cols = F.unfold(input, (kh, kw), dilation, padding, stride)  # (N, C·kh·kw, L)
    H_out = (H + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    out = (weight.reshape(O, -1) @ cols).reshape(N, O, H_out, -1)
    return out if bias is None else out + bias.view(1, -1, 1, 1)


# --- max-pool2d -------------------------------------------------------------------------------------------


@wrong("max-pool2d", fails="stride None")
def max_pool2d_stride_one(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Reads stride=None as stride 1 (overlapping windows) instead of the kernel size."""
    stride = 1 if stride is None else stride
    return F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


@wrong("max-pool2d", fails="padding, negative input")
def max_pool2d_zero_padding(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """im2col with F.unfold, which pads with zeros (the chapter's attempt); ceil_mode is ignored too."""
    stride = stride or kernel_size
    n, c, h, w = x.shape
    cols = F.unfold(x.reshape(n * c, 1, h, w), kernel_size, dilation, padding, stride)
    out_h = (h + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1
    return cols.max(1).values.reshape(n, c, out_h, -1)


@wrong("max-pool2d", fails="dilation 2")
def max_pool2d_ignores_dilation(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Contiguous windows whatever the dilation."""
    return F.max_pool2d(input, kernel_size, stride, padding, 1, ceil_mode)


@wrong("max-pool2d", fails="ceil_mode")
def max_pool2d_ignores_ceil_mode(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Always rounds the output size down: the last, partial window is dropped."""
    return F.max_pool2d(input, kernel_size, stride, padding, dilation, False)


# --- conv-output-size -------------------------------------------------------------------------------------


def _size(n, k, s, p, d, ceil_mode, *, rounding=None, drop_rule=True):
    span = d * (k - 1) + 1
    if span > n + 2 * p:
        raise ValueError("the kernel does not fit")
    rounding = rounding or (math.ceil if ceil_mode else math.floor)
    out = rounding((n + 2 * p - span) / s) + 1
    if ceil_mode and drop_rule and (out - 1) * s >= n + p:
        out -= 1
    return out


@wrong("conv-output-size", fails="stride 1")
def conv_output_size_pads_once(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Counts the padding once, n + p, instead of on both sides."""
    return (in_size + padding - dilation * (kernel_size - 1) - 1) // stride + 1


@wrong("conv-output-size", fails="stride 1")
def conv_output_size_off_by_one(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Forgets the − 1: (n + 2p − d(k − 1)) // s + 1 counts one window too many at stride 1."""
    return (in_size + 2 * padding - dilation * (kernel_size - 1)) // stride + 1


@wrong("conv-output-size", fails="stride 2 and 3")
def conv_output_size_ceil(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Rounds up always, as if a partial last window were computed."""
    return _size(in_size, kernel_size, stride, padding, dilation, ceil_mode, rounding=math.ceil)


@wrong("conv-output-size", fails="dilation")
def conv_output_size_no_dilation(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    """The formula most people remember, ⌊(n + 2p − k)/s⌋ + 1: dilation is left out."""
    return _size(in_size, kernel_size, stride, padding, 1, ceil_mode)


@wrong("conv-output-size", fails="kernel fills the padded input")
def conv_output_size_strict_fit(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Raises when the kernel is as large as the padded input (>= where > is meant)."""
    if dilation * (kernel_size - 1) + 1 >= in_size + 2 * padding:
        raise ValueError("the kernel does not fit")
    return _size(in_size, kernel_size, stride, padding, dilation, ceil_mode)


@wrong("conv-output-size", fails="kernel too large")
def conv_output_size_never_raises(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    """The right formula, without the check: returns 0 or less when no window fits."""
    return (in_size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


@wrong("conv-output-size", fails="ceil_mode")
def conv_output_size_ignores_ceil(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Always the floor, whatever ceil_mode says."""
    return _size(in_size, kernel_size, stride, padding, dilation, False)


@wrong("conv-output-size", fails="ceil_mode, last window in the padding")
def conv_output_size_no_drop_rule(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    """The ceiling without torch's rule: keeps a last window that starts in the right padding."""
    return _size(in_size, kernel_size, stride, padding, dilation, ceil_mode, drop_rule=False)
