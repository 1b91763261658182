"""Drills of the chapter book/vision/convolution-pooling.md."""

from __future__ import annotations

import torch

from dlnotes import nn
from dlnotes.drill.coding import Case, drill, randn

CONVOLUTION_POOLING = "book/vision/convolution-pooling"


# --- conv2d -----------------------------------------------------------------------------------------------


@drill(
    name="conv2d",
    title="2-D convolution with stride, padding, dilation and groups",
    chapter=CONVOLUTION_POOLING,
    difficulty="hard",
    minutes=25,
    statement=r"""
Return `F.conv2d(input, weight, bias, stride, padding, dilation, groups)` for `input` (N, C, H, W) and
`weight` (O, C/G, kh, kw), as a cross-correlation (no kernel flip):
$y_{n,o,i,j} = b_o + \sum_{c,u,v} w_{o,c,u,v}\,\tilde x_{n,\,gC/G + c,\,si + du,\,sj + dv}$, with $\tilde x$
zero-padded on every side and $g$ the group of channel $o$. Integer options; `bias` may be None; kernels
may be non-square. Compared with torch to 1e-10.
""",
    starter='''
def conv2d(input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
           stride: int = 1, padding: int = 0, dilation: int = 1,
           groups: int = 1) -> torch.Tensor:
    """Cross-correlation of input (N, C, H, W) with weight (O, C/G, kh, kw)."""
''',
    reference=nn.conv2d,
    solution="dlnotes.nn.conv.conv2d",
    rtol=1e-10,
    atol=1e-12,
)
def _conv2d(g):
    def case(name, description, x, w, b, stride=1, padding=0, dilation=1, groups=1, hint=""):
        options = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
        return Case(name, description, args=(x, w, b), kwargs=options, hint=hint)

    yield case(
        "plain",
        "input 2×3×6×7, weight 4×3×3×3, bias (4,); stride 1, padding 0, dilation 1",
        randn(g, 2, 3, 6, 7),
        randn(g, 4, 3, 3, 3),
        randn(g, 4),
        hint="deep-learning 'convolution' is cross-correlation: slide the kernel as it is, do not flip it",
    )
    yield case(
        "bias None",
        "input 1×2×5×5, weight 3×2×3×3, bias None",
        randn(g, 1, 2, 5, 5),
        randn(g, 3, 2, 3, 3),
        None,
        hint="bias=None means no bias term: test `bias is not None` before adding it",
    )
    yield case(
        "padding 1",
        "input 2×2×5×6, weight 3×2×3×3, bias (3,); padding 1",
        randn(g, 2, 2, 5, 6),
        randn(g, 3, 2, 3, 3),
        randn(g, 3),
        padding=1,
        hint="padding p adds p zeros on every side (top and bottom, left and right): H grows by 2p",
    )
    yield case(
        "stride 2",
        "input 1×3×7×8, weight 2×3×3×3, bias (2,); stride 2, padding 1",
        randn(g, 1, 3, 7, 8),
        randn(g, 2, 3, 3, 3),
        randn(g, 2),
        stride=2,
        padding=1,
        hint="window (i, j) starts at (s·i, s·j); there are ⌊(n + 2p − k)/s⌋ + 1 of them (floor, not ceil)",
    )
    yield case(
        "dilation 2",
        "input 1×2×9×9, weight 2×2×3×3, bias (2,); padding 1, dilation 2",
        randn(g, 1, 2, 9, 9),
        randn(g, 2, 2, 3, 3),
        randn(g, 2),
        padding=1,
        dilation=2,
        hint="tap u of the kernel reads row s·i + d·u: a 3×3 kernel with dilation 2 spans 5×5",
    )
    yield case(
        "non-square kernel",
        "input 2×2×6×9, weight 3×2×2×4 (kh=2, kw=4), bias (3,); stride 2, padding 1",
        randn(g, 2, 2, 6, 9),
        randn(g, 3, 2, 2, 4),
        randn(g, 3),
        stride=2,
        padding=1,
        hint="use kh for the rows and kw for the columns, each in its own output-size formula",
    )
    yield case(
        "groups 2",
        "input 1×4×5×5, weight 6×2×3×3 (groups 2), bias (6,); padding 1",
        randn(g, 1, 4, 5, 5),
        randn(g, 6, 2, 3, 3),
        randn(g, 6),
        padding=1,
        groups=2,
        hint="output channels [g·O/G, (g+1)·O/G) see only input channels [g·C/G, (g+1)·C/G)",
    )


# --- max-pool2d -------------------------------------------------------------------------------------------


def _max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    return nn.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


@drill(
    name="max-pool2d",
    title="Max pooling with padding, dilation and ceil_mode",
    chapter=CONVOLUTION_POOLING,
    difficulty="medium",
    minutes=15,
    statement=r"""
Return the maximum of each window, $y_{n,c,i,j} = \max_{u,v < k} \tilde x_{n,c,\,si + du,\,sj + dv}$, for
`input` (N, C, H, W) and integer `kernel_size` $k$, `stride` $s$ (None: $s = k$), `padding` and `dilation`
$d$. Pad with $-\infty$, not zero. With `ceil_mode`, round the output size up as torch does (a last, partial
window is kept). Compared with `F.max_pool2d`, exactly.
""",
    starter='''
def max_pool2d(input: torch.Tensor, kernel_size: int, stride: int | None = None,
               padding: int = 0, dilation: int = 1,
               ceil_mode: bool = False) -> torch.Tensor:
    """The maximum of each k×k window of input (N, C, H, W), like F.max_pool2d."""
''',
    reference=_max_pool2d,
    solution="dlnotes.nn.conv.max_pool2d",
    rtol=0.0,
    atol=0.0,
)
def _max_pool2d_cases(g):
    def case(name, description, x, kernel_size, stride, padding=0, dilation=1, ceil_mode=False, hint=""):
        options = {"stride": stride, "padding": padding, "dilation": dilation, "ceil_mode": ceil_mode}
        return Case(name, description, args=(x, kernel_size), kwargs=options, hint=hint)

    yield case(
        "stride None",
        "input 2×3×6×8 float64; kernel 2, stride None",
        randn(g, 2, 3, 6, 8),
        2,
        None,
        hint="stride=None means stride = kernel_size (non-overlapping windows), as in torch",
    )
    yield case(
        "overlapping windows",
        "input 1×2×6×7 float64; kernel 3, stride 1",
        randn(g, 1, 2, 6, 7),
        3,
        1,
        hint="with stride 1 there are n − k + 1 windows per axis, starting at every position",
    )
    yield case(
        "padding, negative input",
        "input 2×2×7×6 float64, every value below −1; kernel 3, stride 2, padding 1",
        -randn(g, 2, 2, 7, 6).abs() - 1,
        3,
        2,
        padding=1,
        hint="pad with −inf, not 0: on negative inputs a zero in the padding wins every border window",
    )
    yield case(
        "dilation 2",
        "input 1×2×7×8 float64; kernel 2, stride 1, dilation 2",
        randn(g, 1, 2, 7, 8),
        2,
        1,
        dilation=2,
        hint="tap u of the window reads row s·i + d·u: a 2×2 window with dilation 2 spans 3×3",
    )
    yield case(
        "ceil_mode",
        "input 1×2×8×10 float64; kernel 3, stride 2, ceil_mode=True",
        randn(g, 1, 2, 8, 10),
        3,
        2,
        ceil_mode=True,
        hint="ceil_mode gives ⌈(n − k)/s⌉ + 1 windows; the last hangs over the edge (max of what is there)",
    )


# --- conv-output-size -------------------------------------------------------------------------------------


def _sizes(fn, settings):
    """`fn` on every setting (n, k, s, p, d, ceil_mode), keyed by the setting (the report names it)."""
    out = {}
    for n, k, s, p, d, ceil in settings:
        key = f"n={n} k={k} s={s} p={p} d={d}" + (" ceil_mode" if ceil else "")
        out[key] = fn(n, k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    return out


def _raises(fn, settings):
    """Like :func:`_sizes`, where each call must raise ValueError (anything else is the answer given)."""
    out = {}
    for n, k, s, p, d, ceil in settings:
        key = f"n={n} k={k} s={s} p={p} d={d}" + (" ceil_mode" if ceil else "")
        try:
            out[key] = fn(n, k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
        except ValueError:
            out[key] = "raises ValueError"
    return out


def _draw(g, count, accept, *, n=(1, 40), k=(1, 8), s=(1, 4), p=(0, 4), d=(1, 4), ceil=False):
    """`count` settings (n, k, s, p, d, ceil) drawn from `g` (each range inclusive) that `accept` keeps."""
    found = []
    while len(found) < count:
        n_, k_, s_, p_, d_ = (int(torch.randint(lo, hi + 1, (), generator=g)) for lo, hi in (n, k, s, p, d))
        setting = (n_, k_, s_, p_, d_, ceil)
        span = d_ * (k_ - 1) + 1
        if accept(n_, k_, s_, p_, d_, span) and setting not in found:
            found.append(setting)
    return found


def _conv_output_size(in_size, kernel_size, *, stride=1, padding=0, dilation=1, ceil_mode=False):
    return nn.conv_output_size(
        in_size, kernel_size, stride=stride, padding=padding, dilation=dilation, ceil_mode=ceil_mode
    )


@drill(
    name="conv-output-size",
    title="The output size of a convolution or pooling layer",
    chapter=CONVOLUTION_POOLING,
    difficulty="medium",
    minutes=10,
    statement=r"""
Return the number of windows along one axis, $\lfloor (n + 2p - d(k-1) - 1)/s \rfloor + 1$, for input size
$n$, kernel $k$, stride $s$, padding $p$ per side and dilation $d$, as an int; raise `ValueError` if no
window fits. With `ceil_mode`, round up, but drop a last window that would start in the right padding, as
torch does. Each case checks several settings against `dlnotes.nn.conv_output_size`.
""",
    starter='''
def conv_output_size(in_size: int, kernel_size: int, *, stride: int = 1,
                     padding: int = 0, dilation: int = 1,
                     ceil_mode: bool = False) -> int:
    """The number of windows along one axis of a convolution or pooling layer."""
''',
    reference=_conv_output_size,
    solution="dlnotes.nn.conv.conv_output_size",
    rtol=0.0,
    atol=0.0,
)
def _conv_output_size_cases(g):
    def fits(n, k, s, p, d, span):
        return span <= n + 2 * p

    def floor_matters(n, k, s, p, d, span):
        return fits(n, k, s, p, d, span) and (n + 2 * p - span) % s != 0

    def pooling(n, k, s, p, d, span):  # torch's pooling rule: padding at most half the kernel
        return floor_matters(n, k, s, p, d, span) and 2 * p <= k

    def last_start(n, k, s, p, d, span):  # where the rounded-up last window would start
        return (n + 2 * p - span) // s * s + s

    yield Case(
        "stride 1",
        "8 settings: n 1..40, k 1..8, stride 1, padding 1..4, dilation 1",
        args=(_draw(g, 8, lambda *a: fits(*a) and a[3] > 0, s=(1, 1), d=(1, 1)),),
        run=_sizes,
        hint="the padding is added on both sides (n + 2p); a kernel of size k has n + 2p − k + 1 positions",
    )
    yield Case(
        "stride 2 and 3",
        "8 settings: stride 2 or 3 that does not divide n + 2p − k; dilation 1",
        args=(_draw(g, 8, floor_matters, s=(2, 3), d=(1, 1)),),
        run=_sizes,
        hint="round down: a last window that does not fit entirely is not computed (floor, not ceil)",
    )
    yield Case(
        "dilation",
        "8 settings: kernel 2..8 with dilation 2 or 3, stride 1..4, padding 0..4",
        args=(_draw(g, 8, lambda *a: fits(*a) and a[1] > 1, d=(2, 3)),),
        run=_sizes,
        hint="a dilated kernel spans d(k − 1) + 1 input positions, not k",
    )
    yield Case(
        "kernel fills the padded input",
        "6 settings where the dilated kernel spans exactly n + 2p (one window)",
        args=(_draw(g, 6, lambda *a: a[5] == a[0] + 2 * a[3], n=(1, 12), k=(1, 12), d=(1, 2)),),
        run=_sizes,
        hint="a kernel exactly as large as the padded input fits once: the answer is 1, not 0 or an error",
    )
    yield Case(
        "kernel too large",
        "5 settings where the dilated kernel spans more than n + 2p; each must raise ValueError",
        args=(_draw(g, 5, lambda *a: not fits(*a), n=(1, 10), p=(0, 2)),),
        run=_raises,
        hint="when d(k − 1) + 1 > n + 2p no window fits: raise ValueError instead of returning 0 or less",
    )
    yield Case(
        "ceil_mode",
        "8 settings with ceil_mode=True, stride 2 or 3, padding at most k/2 (pooling)",
        args=(_draw(g, 8, lambda *a: pooling(*a) and last_start(*a) < a[0] + a[3], s=(2, 3), ceil=True),),
        run=_sizes,
        hint="ceil_mode rounds (n + 2p − d(k − 1) − 1)/s up before adding 1",
    )
    yield Case(
        "ceil_mode, last window in the padding",
        "5 settings with ceil_mode=True where the rounded-up last window would start in the right padding",
        args=(
            _draw(
                g,
                5,
                lambda *a: pooling(*a) and last_start(*a) >= a[0] + a[3],
                n=(1, 20),
                s=(2, 4),
                p=(1, 3),
                d=(1, 1),
                ceil=True,
            ),
        ),
        run=_sizes,
        hint="torch drops a last window that would start in the right padding: if (o − 1)s >= n + p, o −= 1",
    )
