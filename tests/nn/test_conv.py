"""dlnotes.nn convolution and pooling against torch.nn.functional, in float64, values and gradients.

``conv2d``, ``unfold``, ``max_pool2d`` and ``avg_pool2d`` are compared with torch's over a grid of shapes,
kernel sizes (square and not), strides, paddings (int and pair), dilations, groups (including depthwise)
and batch sizes, for the output and for the gradients of <output, u> with a random upstream gradient u
with respect to every input. ``gradcheck`` checks ours against finite differences on small inputs;
``conv2d_naive`` (nested loops) must agree with ``conv2d``; ``conv_output_size`` must give the shape torch
produces, and refuse what torch refuses. Every documented error has a ``pytest.raises(..., match=...)``.
"""

import itertools
import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes import nn
from tests.helpers import DEVICES, assert_same_values_and_grads, leaf, randn

f64 = torch.float64

# ---------------------------------------------------------------------------------------------------------
# conv2d.

# (input shape, weight shape, options): shapes (N, C, H, W) and (C_out, C/groups, k_h, k_w)
CONV_CASES = [
    ((1, 1, 5, 5), (1, 1, 3, 3), {}),
    ((2, 3, 7, 6), (4, 3, 3, 2), {"padding": 1}),
    ((2, 3, 8, 9), (5, 3, 3, 3), {"stride": 2, "padding": (1, 2)}),
    ((3, 2, 9, 7), (3, 2, 2, 3), {"stride": (2, 1), "padding": (0, 1), "dilation": (2, 1)}),
    ((1, 2, 9, 9), (2, 2, 3, 3), {"dilation": 3, "padding": 3}),
    ((2, 4, 8, 8), (6, 2, 3, 3), {"padding": 1, "dilation": 2, "groups": 2}),
    ((2, 4, 7, 7), (4, 1, 3, 3), {"padding": 1, "groups": 4}),  # depthwise
    ((2, 4, 7, 7), (8, 1, 3, 3), {"stride": 2, "padding": 1, "groups": 4}),  # depthwise, multiplier 2
    ((1, 6, 10, 9), (6, 2, 3, 1), {"stride": (3, 2), "padding": (2, 0), "dilation": (1, 3), "groups": 3}),
    ((2, 3, 5, 5), (2, 3, 5, 5), {}),  # kernel as large as the input: one output position
    ((2, 3, 4, 5), (7, 3, 1, 1), {}),  # 1x1 convolution: a linear map over channels
    ((1, 2, 3, 3), (2, 2, 5, 5), {"padding": 1}),  # kernel larger than the input, not the padded one
    ((2, 2, 6, 6), (3, 2, 2, 2), {"stride": 3}),  # stride that skips input rows/columns
    ((1, 1, 4, 11), (1, 1, 1, 4), {"stride": (1, 3), "dilation": (1, 2)}),
]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize(("x_shape", "w_shape", "options"), CONV_CASES, ids=str)
def test_conv2d_matches_torch(x_shape, w_shape, options, bias, device):
    x = randn(*x_shape, seed=1, device=device)
    w = randn(*w_shape, seed=2, device=device)
    inputs = [x, w] + ([randn(w_shape[0], seed=3, device=device)] if bias else [])
    assert_same_values_and_grads(
        lambda *t: nn.conv2d(*t, **options), lambda *t: F.conv2d(*t, **options), inputs
    )


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("x_shape", "w_shape", "options"), CONV_CASES[:9], ids=str)
def test_conv2d_naive_matches_torch_and_conv2d(x_shape, w_shape, options, device):
    x = randn(*x_shape, seed=4, device=device)
    w = randn(*w_shape, seed=5, device=device)
    b = randn(w_shape[0], seed=6, device=device)
    assert_same_values_and_grads(
        lambda *t: nn.conv2d_naive(*t, **options), lambda *t: F.conv2d(*t, **options), [x, w, b]
    )
    torch.testing.assert_close(nn.conv2d_naive(x, w, b, **options), nn.conv2d(x, w, b, **options))


@pytest.mark.parametrize("device", DEVICES)
def test_conv2d_float32_matches_torch(device):
    x = randn(2, 4, 9, 8, seed=7, device=device).float()
    w = randn(6, 2, 3, 2, seed=8, device=device).float()
    b = randn(6, seed=9, device=device).float()
    out = nn.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2)
    assert out.dtype == torch.float32 and out.device == x.device
    torch.testing.assert_close(out, F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2))


def test_conv2d_gradcheck():
    x = randn(2, 4, 6, 5, seed=10).requires_grad_(True)
    w = randn(4, 2, 2, 3, seed=11).requires_grad_(True)
    b = randn(4, seed=12).requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda x, w, b: nn.conv2d(x, w, b, stride=(1, 2), padding=(1, 0), dilation=(2, 1), groups=2),
        (x, w, b),
    )
    x, w = leaf(x[:1, :, :4, :4]), leaf(w[:, :, :, :2])  # the loops are slow: a smaller case
    assert torch.autograd.gradcheck(
        lambda x, w, b: nn.conv2d_naive(x, w, b, stride=2, padding=1, groups=2), (x, w, b)
    )


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_conv2d_is_one_matrix_product(groups, monkeypatch):
    """im2col + ONE (batched) matmul, also with groups: count the calls to torch.matmul."""
    calls = []
    matmul = torch.matmul

    def counting_matmul(*args, **kwargs):
        calls.append(args[0].shape)
        return matmul(*args, **kwargs)

    monkeypatch.setattr(torch, "matmul", counting_matmul)
    x, w = randn(2, 4, 6, 6, seed=21), randn(8, 4 // groups, 3, 3, seed=22)
    out = nn.conv2d(x, w, padding=1, groups=groups)
    monkeypatch.undo()
    assert len(calls) == 1
    torch.testing.assert_close(out, F.conv2d(x, w, padding=1, groups=groups))


def test_conv2d_is_one_cross_correlation_by_hand():
    """An independent check of the convention (no kernel flip) on a case small enough to do by hand."""
    x = torch.tensor([[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]], dtype=f64)
    w = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]], dtype=f64)
    expected = torch.tensor(
        [[[[1 + 4 + 12 + 20, 2 + 6 + 15 + 24], [4 + 10 + 21 + 32, 5 + 12 + 24 + 36]]]], dtype=f64
    )
    torch.testing.assert_close(nn.conv2d(x, w), expected)
    torch.testing.assert_close(nn.conv2d_naive(x, w), expected)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 2),
    groups=st.sampled_from([1, 2, 3]),
    c_per=st.integers(1, 2),
    out_per=st.integers(1, 2),
    size=st.tuples(st.integers(1, 9), st.integers(1, 9)),
    kernel=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
)
def test_conv2d_random_configurations_match_torch(
    n, groups, c_per, out_per, size, kernel, stride, padding, dilation
):
    x = randn(n, groups * c_per, *size, seed=13)
    w = randn(groups * out_per, c_per, *kernel, seed=14)
    options = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    fits = all(d * (k - 1) + 1 <= s + 2 * p for d, k, s, p in zip(dilation, kernel, size, padding))
    if not fits:
        with pytest.raises(RuntimeError):
            F.conv2d(x, w, **options)
        with pytest.raises(ValueError, match="kernel larger than the padded input"):
            nn.conv2d(x, w, **options)
        return
    torch.testing.assert_close(nn.conv2d(x, w, **options), F.conv2d(x, w, **options))


# ---------------------------------------------------------------------------------------------------------
# unfold.

UNFOLD_CASES = [
    ((1, 1, 4, 4), {"kernel_size": 2}),
    ((2, 3, 7, 6), {"kernel_size": (3, 2), "padding": 1}),
    ((2, 2, 8, 9), {"kernel_size": 3, "stride": (2, 3), "padding": (1, 0)}),
    ((1, 3, 9, 8), {"kernel_size": (2, 3), "dilation": (3, 2), "padding": (0, 2), "stride": 2}),
    ((3, 1, 5, 5), {"kernel_size": 5}),
    ((2, 2, 3, 4), {"kernel_size": 1, "stride": 2}),
]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("shape", "options"), UNFOLD_CASES, ids=str)
def test_unfold_matches_torch(shape, options, device):
    x = randn(*shape, seed=15, device=device)
    assert_same_values_and_grads(lambda t: nn.unfold(t, **options), lambda t: F.unfold(t, **options), [x])


def test_unfold_gradcheck():
    x = randn(2, 2, 5, 6, seed=16).requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda t: nn.unfold(t, (2, 3), dilation=(2, 1), padding=1, stride=(1, 2)), (x,)
    )


# ---------------------------------------------------------------------------------------------------------
# Pooling.

POOL_SHAPES = [(1, 1, 5, 5), (2, 3, 7, 6), (2, 2, 8, 9)]
POOL_KERNELS = [2, 3, (3, 2), (2, 4)]
POOL_STRIDES = [None, 1, (2, 3)]
POOL_PADDINGS = [0, 1, (1, 0)]


def pool_cases(dilations, last_options):
    """Every valid combination of the grid; the input shape cycles so that each one is tried often."""
    grid = itertools.product(
        POOL_KERNELS, POOL_STRIDES, POOL_PADDINGS, dilations, [False, True], last_options
    )
    for i, (kernel, stride, padding, dilation, ceil_mode, last) in enumerate(grid):
        k = kernel if isinstance(kernel, tuple) else (kernel, kernel)
        p = padding if isinstance(padding, tuple) else (padding, padding)
        if p[0] > k[0] // 2 or p[1] > k[1] // 2:
            continue  # torch refuses padding over half the kernel (tested in the errors below)
        yield pytest.param(
            POOL_SHAPES[i % len(POOL_SHAPES)],
            kernel,
            stride,
            padding,
            dilation,
            ceil_mode,
            last,
            id=f"{i}-k{kernel}-s{stride}-p{padding}-d{dilation}-c{ceil_mode}-{last}",
        )


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(
    ("shape", "kernel", "stride", "padding", "dilation", "ceil_mode", "_"),
    list(pool_cases([1, 2, (1, 2)], [None])),
)
def test_max_pool2d_matches_torch(shape, kernel, stride, padding, dilation, ceil_mode, _, device):
    x = randn(*shape, seed=17, device=device)
    options = {
        "kernel_size": kernel,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "ceil_mode": ceil_mode,
    }
    try:
        F.max_pool2d(x, **options)
    except RuntimeError:  # no window fits (without ceil_mode, the dilated kernel exceeds the input)
        with pytest.raises(ValueError, match="kernel larger than the padded input"):
            nn.max_pool2d(x, **options)
        return
    assert_same_values_and_grads(
        lambda t: nn.max_pool2d(t, **options), lambda t: F.max_pool2d(t, **options), [x]
    )


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(
    ("shape", "kernel", "stride", "padding", "_", "ceil_mode", "count_include_pad"),
    list(pool_cases([1], [True, False])),
)
def test_avg_pool2d_matches_torch(shape, kernel, stride, padding, _, ceil_mode, count_include_pad, device):
    x = randn(*shape, seed=18, device=device)
    options = {
        "kernel_size": kernel,
        "stride": stride,
        "padding": padding,
        "ceil_mode": ceil_mode,
        "count_include_pad": count_include_pad,
    }
    assert_same_values_and_grads(
        lambda t: nn.avg_pool2d(t, **options), lambda t: F.avg_pool2d(t, **options), [x]
    )


def test_pooling_gradcheck():
    x = randn(2, 2, 7, 6, seed=19).requires_grad_(True)  # continuous values: no ties in the max
    assert torch.autograd.gradcheck(
        lambda t: nn.max_pool2d(t, (3, 2), stride=2, padding=1, dilation=(1, 2), ceil_mode=True), (x,)
    )
    assert torch.autograd.gradcheck(
        lambda t: nn.avg_pool2d(t, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), (x,)
    )


def test_max_pool2d_gradient_goes_to_the_maximum_only():
    x = leaf(torch.tensor([[[[1.0, 5.0], [3.0, 2.0]]]], dtype=f64))
    nn.max_pool2d(x, 2).sum().backward()
    torch.testing.assert_close(x.grad, torch.tensor([[[[0.0, 1.0], [0.0, 0.0]]]], dtype=f64))


@pytest.mark.parametrize("device", DEVICES)
def test_max_pool2d_ties_send_the_gradient_to_one_position(device):
    """On ties (a plateau of ones) each window passes its gradient to one input, as torch does, not split."""
    x = leaf(torch.ones(1, 1, 4, 6, dtype=f64, device=device))
    nn.max_pool2d(x, 2).sum().backward()
    assert x.grad.sum().item() == 6 and (x.grad == 1).sum().item() == 6  # one position in each window
    if device == "cpu":  # torch's CPU kernel keeps the first maximum in scan order; so does torch.max
        expected = leaf(x)
        F.max_pool2d(expected, 2).sum().backward()
        torch.testing.assert_close(x.grad, expected.grad)


def test_avg_pool2d_is_a_convolution_with_a_constant_kernel():
    """An independent route: average pooling = depthwise conv2d with kernel 1/(k_h k_w), stride k."""
    x = randn(2, 3, 8, 9, seed=20)
    w = torch.full((3, 1, 2, 3), 1 / 6, dtype=f64)
    torch.testing.assert_close(nn.avg_pool2d(x, (2, 3)), nn.conv2d(x, w, stride=(2, 3), groups=3))


# ---------------------------------------------------------------------------------------------------------
# conv_output_size.


def torch_output_size(size, kernel, stride, padding, dilation, ceil_mode):
    """The width torch produces, or None if torch refuses the configuration."""
    x = torch.zeros(1, 1, 1, size, dtype=f64)
    try:
        if ceil_mode:
            out = F.max_pool2d(
                x,
                (1, kernel),
                stride=(1, stride),
                padding=(0, padding),
                dilation=(1, dilation),
                ceil_mode=True,
            )
        else:
            out = F.conv2d(
                x,
                torch.zeros(1, 1, 1, kernel, dtype=f64),
                stride=(1, stride),
                padding=(0, padding),
                dilation=(1, dilation),
            )
    except RuntimeError:
        return None
    return out.shape[-1] if out.shape[-1] > 0 else None


def test_conv_output_size_matches_torch_shapes():
    checked = 0
    for size, kernel, stride, padding, dilation, ceil_mode in itertools.product(
        range(1, 10), range(1, 5), range(1, 4), range(3), range(1, 4), [False, True]
    ):
        if ceil_mode and padding > kernel // 2:
            continue  # torch's pooling refuses it; conv_output_size has no such rule
        expected = torch_output_size(size, kernel, stride, padding, dilation, ceil_mode)
        options = {"stride": stride, "padding": padding, "dilation": dilation, "ceil_mode": ceil_mode}
        if expected is None:
            with pytest.raises(ValueError, match="kernel larger than the padded input"):
                nn.conv_output_size(size, kernel, **options)
        else:
            got = nn.conv_output_size(size, kernel, **options)
            assert type(got) is int and got == expected, (size, kernel, options)
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    ("in_size", "kernel", "options", "expected"),
    [
        (32, 3, {"padding": 1}, 32),
        (32, 3, {"stride": 2, "padding": 1}, 16),
        (224, 7, {"stride": 2, "padding": 3}, 112),
        (7, 3, {"dilation": 2}, 3),
        (5, 2, {"stride": 2}, 2),
        (5, 2, {"stride": 2, "ceil_mode": True}, 3),
        (5, 3, {"stride": 2, "padding": 1, "ceil_mode": True}, 3),  # a 4th window would start in the padding
    ],
)
def test_conv_output_size_by_hand(in_size, kernel, options, expected):
    assert nn.conv_output_size(in_size, kernel, **options) == expected


# ---------------------------------------------------------------------------------------------------------
# Errors.

CONV_ERRORS = [
    (
        {"input": torch.ones(3, 8, 8, dtype=f64)},
        ValueError,
        re.escape(
            "expected a 4-D input (N, C, H, W), got a 3-D input of shape (3, 8, 8) (for a single image "
            "use input.unsqueeze(0))"
        ),
    ),
    ({"input": torch.ones(1, 2, 3, 8, 8, dtype=f64)}, ValueError, "expected a 4-D input .* got a 5-D input"),
    ({"weight": torch.ones(2, 3, 3, dtype=f64)}, ValueError, "expected a 4-D weight"),
    (
        {"weight": torch.ones(2, 4, 3, 3, dtype=f64)},
        ValueError,
        re.escape("expected input with 4 channels (weight.shape[1] * groups = 4 * 1), got 3"),
    ),
    (
        {"input": torch.ones(2, 4, 8, 8, dtype=f64)},
        ValueError,
        re.escape("expected input with 3 channels (weight.shape[1] * groups = 3 * 1), got 4"),
    ),
    (
        {"input": torch.ones(2, 4, 8, 8, dtype=f64), "groups": 3},
        ValueError,
        "groups=3 does not divide in_channels=4",
    ),
    (
        {"weight": torch.ones(4, 1, 3, 3, dtype=f64), "groups": 3},
        ValueError,
        re.escape("groups=3 does not divide out_channels=4 (weight.shape[0])"),
    ),
    ({"groups": 0}, ValueError, "groups must be >= 1, got 0"),
    ({"groups": 1.0}, TypeError, "groups must be an int, got float"),
    (
        {"bias": torch.ones(3, dtype=f64)},
        ValueError,
        re.escape("bias must have shape (out_channels,) = (2,), one value per kernel, got shape (3,)"),
    ),
    (
        {"weight": torch.ones(2, 3, 9, 3, dtype=f64)},
        ValueError,
        re.escape(
            "kernel larger than the padded input along the height: the kernel of size 9 with dilation 1 "
            "spans 9, the padded height is 8 + 2*0 = 8"
        ),
    ),
    (
        {"dilation": (1, 4)},
        ValueError,
        re.escape(
            "kernel larger than the padded input along the width: the kernel of size 3 with dilation 4 "
            "spans 9"
        ),
    ),
    ({"stride": 0}, ValueError, "stride must be >= 1, got 0"),
    ({"padding": (1, -1)}, ValueError, re.escape("padding must be >= 0, got (1, -1)")),
    (
        {"dilation": (1, 2, 3)},
        TypeError,
        re.escape("dilation must be an int or a pair of ints (height, width), got (1, 2, 3)"),
    ),
    ({"padding": "same"}, TypeError, "padding must be an int or a pair of ints"),
    (
        {"weight": torch.ones(2, 3, 3, 3, dtype=torch.float32)},
        TypeError,
        "input and weight must have the same dtype, got torch.float64 and torch.float32",
    ),
    (
        {"input": torch.ones(2, 3, 8, 8, dtype=torch.long)},
        TypeError,
        "input must be a floating-point tensor, got dtype torch.int64",
    ),
    ({"weight": [[1.0]]}, TypeError, "weight must be a torch.Tensor, got list"),
    (
        {"bias": torch.ones(2)},
        TypeError,
        "bias must have the dtype of input, torch.float64, got torch.float32",
    ),
]


@pytest.mark.parametrize("fn", [nn.conv2d, nn.conv2d_naive])
@pytest.mark.parametrize(("override", "exc", "match"), CONV_ERRORS, ids=[m[:40] for _, _, m in CONV_ERRORS])
def test_conv2d_errors(fn, override, exc, match):
    args = {
        "input": torch.ones(2, 3, 8, 8, dtype=f64),
        "weight": torch.ones(2, 3, 3, 3, dtype=f64),
        **override,
    }
    with pytest.raises(exc, match=match):
        fn(**args)


def test_conv2d_errors_where_torch_also_refuses():
    """The channel and groups mismatches above are errors in torch too (a RuntimeError there)."""
    x, w = torch.ones(2, 4, 8, 8, dtype=f64), torch.ones(2, 3, 3, 3, dtype=f64)
    with pytest.raises(RuntimeError):
        F.conv2d(x, w)
    with pytest.raises(RuntimeError):
        F.conv2d(x, torch.ones(3, 1, 3, 3, dtype=f64), groups=3)
    with pytest.raises(RuntimeError):
        F.conv2d(torch.ones(2, 3, 8, 8, dtype=f64), torch.ones(2, 3, 9, 3, dtype=f64))


POOL_ERRORS = [
    ({"input": torch.ones(8, 8, dtype=f64)}, ValueError, "expected a 4-D input .* got a 2-D input"),
    (
        {"padding": 2},
        ValueError,
        re.escape(
            "padding must be at most half the kernel size (a window must reach the input), got padding=2 "
            "for kernel_size=3"
        ),
    ),
    ({"kernel_size": (3, 9)}, ValueError, "kernel larger than the padded input along the width"),
    ({"kernel_size": 0}, ValueError, "kernel_size must be >= 1, got 0"),
    ({"stride": (2, 0)}, ValueError, re.escape("stride must be >= 1, got (2, 0)")),
    ({"kernel_size": 2.5}, TypeError, "kernel_size must be an int or a pair of ints"),
    (
        {"input": torch.ones(1, 1, 8, 8, dtype=torch.int32)},
        TypeError,
        "input must be a floating-point tensor, got dtype torch.int32",
    ),
]


@pytest.mark.parametrize("fn", [nn.max_pool2d, nn.avg_pool2d])
@pytest.mark.parametrize(("override", "exc", "match"), POOL_ERRORS, ids=[m[:40] for _, _, m in POOL_ERRORS])
def test_pooling_errors(fn, override, exc, match):
    args = {"input": torch.ones(1, 1, 8, 8, dtype=f64), "kernel_size": 3, **override}
    with pytest.raises(exc, match=match):
        fn(**args)


def test_max_pool2d_bad_dilation():
    with pytest.raises(ValueError, match="dilation must be >= 1, got 0"):
        nn.max_pool2d(torch.ones(1, 1, 8, 8, dtype=f64), 2, dilation=0)


def test_pooling_padding_rule_is_torchs():
    with pytest.raises(RuntimeError, match="pad should be"):
        F.max_pool2d(torch.ones(1, 1, 8, 8), 3, padding=2)


UNFOLD_ERRORS = [
    ({"input": torch.ones(3, 8, 8, dtype=f64)}, ValueError, "expected a 4-D input .* got a 3-D input"),
    ({"kernel_size": (2, 2, 2)}, TypeError, "kernel_size must be an int or a pair of ints"),
    (
        {"padding": 1, "kernel_size": 11},
        ValueError,
        re.escape(
            "kernel larger than the padded input along the height: the kernel of size 11 with dilation 1 "
            "spans 11, the padded height is 8 + 2*1 = 10"
        ),
    ),
    ({"dilation": 0}, ValueError, "dilation must be >= 1, got 0"),
]


@pytest.mark.parametrize(
    ("override", "exc", "match"), UNFOLD_ERRORS, ids=[m[:40] for _, _, m in UNFOLD_ERRORS]
)
def test_unfold_errors(override, exc, match):
    args = {"input": torch.ones(1, 1, 8, 8, dtype=f64), "kernel_size": 3, **override}
    with pytest.raises(exc, match=match):
        nn.unfold(**args)


@pytest.mark.parametrize(
    ("override", "exc", "match"),
    [
        ({"in_size": 0}, ValueError, "in_size must be >= 1, got 0"),
        ({"kernel_size": 0}, ValueError, "kernel_size must be >= 1, got 0"),
        ({"stride": 0}, ValueError, "stride must be >= 1, got 0"),
        ({"padding": -1}, ValueError, "padding must be >= 0, got -1"),
        ({"dilation": 0}, ValueError, "dilation must be >= 1, got 0"),
        ({"in_size": 4.0}, TypeError, "in_size must be an int, got float"),
        ({"stride": True}, TypeError, "stride must be an int, got bool"),
        (
            {"kernel_size": 6},
            ValueError,
            re.escape(
                "kernel larger than the padded input along the input: the kernel of size 6 with dilation 1 "
                "spans 6, the padded input is 4 + 2*0 = 4"
            ),
        ),
    ],
)
def test_conv_output_size_errors(override, exc, match):
    args = {"in_size": 4, "kernel_size": 3, **override}
    in_size, kernel_size = args.pop("in_size"), args.pop("kernel_size")
    with pytest.raises(exc, match=match):
        nn.conv_output_size(in_size, kernel_size, **args)
