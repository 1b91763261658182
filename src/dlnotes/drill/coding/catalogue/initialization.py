"""Drills of the chapter book/training/initialization.md."""

from __future__ import annotations

import math

import torch

from dlnotes import init
from dlnotes.drill.coding import Case, drill

INITIALIZATION = "book/training/initialization"


def _size(g, low: int, high: int) -> int:
    """A layer size drawn uniformly from [low, high) with the case generator."""
    return int(torch.randint(low, high, (1,), generator=g))


def _xavier_uniform_bound(shape, gain=1.0):
    # a = √3 · std, with std = g √(2 / (fan_in + fan_out)) as xavier_uniform_ draws it
    return math.sqrt(3.0) * init.xavier_std(torch.empty(tuple(shape)), gain)


def _he_normal_std(shape, a=0.0, mode="fan_in"):
    return init.kaiming_std(torch.empty(tuple(shape)), a, mode, "leaky_relu")


@drill(
    name="xavier-uniform-bound",
    title="The bound of Xavier uniform initialization",
    chapter=INITIALIZATION,
    difficulty="easy",
    minutes=5,
    statement=r"""
For a weight of shape `shape`, `(out, in)` as `nn.Linear` stores it or `(out, in, k_1, ..., k_d)` for a
convolution, return the bound $a$ of `xavier_uniform_`, which draws $\mathcal{U}(-a, a)$ with
$a = g\sqrt{6/(\text{fan\_in} + \text{fan\_out})}$, $\text{fan\_in} = \text{in} \cdot \prod_i k_i$ and
$\text{fan\_out} = \text{out} \cdot \prod_i k_i$ (the receptive field counts in both fans). The variance of
$\mathcal{U}(-a, a)$ is $a^2/3$. Compared with `torch.nn.init` to 1e-12.
""",
    starter='''
def xavier_uniform_bound(shape: tuple[int, ...], gain: float = 1.0) -> float:
    """The bound a of U(-a, a) that Xavier uniform initialization draws for a weight of this shape."""
''',
    reference=_xavier_uniform_bound,
    solution="dlnotes.init.xavier_uniform_",
    rtol=1e-12,
    atol=0.0,
)
def _xavier_cases(g):
    out_features, in_features = _size(g, 100, 300), _size(g, 300, 800)
    yield Case(
        "linear layer",
        f"shape ({out_features}, {in_features}) of nn.Linear({in_features}, {out_features}), gain 1",
        args=((out_features, in_features),),
        kwargs={"gain": 1.0},
        hint="a uniform on [-a, a] has variance a²/3, so the bound is √3 times the standard deviation "
        "√(2 / (fan_in + fan_out))",
    )
    yield Case(
        "tanh gain",
        "shape (64, 784), gain 5/3 (calculate_gain('tanh'))",
        args=((64, 784),),
        kwargs={"gain": 5 / 3},
        hint="the gain multiplies the bound (and the standard deviation), outside the square root",
    )
    out_channels, in_channels = _size(g, 16, 64), _size(g, 3, 16)
    yield Case(
        "conv2d kernel",
        f"shape ({out_channels}, {in_channels}, 3, 3) of nn.Conv2d({in_channels}, {out_channels}, 3), gain 1",
        args=((out_channels, in_channels, 3, 3),),
        kwargs={"gain": 1.0},
        hint="each output sees in · kh · kw inputs: multiply both fans by the receptive field kh · kw",
    )
    yield Case(
        "conv1d kernel, relu gain",
        "shape (32, 8, 5) of nn.Conv1d(8, 32, 5), gain √2",
        args=((32, 8, 5),),
        kwargs={"gain": math.sqrt(2.0)},
    )
    yield Case(
        "conv3d kernel",
        "shape (8, 4, 3, 5, 5) of nn.Conv3d(4, 8, (3, 5, 5)), gain 1",
        args=((8, 4, 3, 5, 5),),
        kwargs={"gain": 1.0},
    )


@drill(
    name="he-normal-std",
    title="The standard deviation of He (Kaiming) normal initialization",
    chapter=INITIALIZATION,
    difficulty="easy",
    minutes=10,
    statement=r"""
For a weight of shape `shape`, `(out, in)` for `nn.Linear` or `(out, in, k_1, ..., k_d)` for a convolution,
return the standard deviation that `kaiming_normal_(w, a, mode, nonlinearity="leaky_relu")` draws with:
$\text{std} = g / \sqrt{\text{fan}}$, $g = \sqrt{2/(1 + a^2)}$ for a leaky ReLU of slope $a$ ($\sqrt 2$ for
ReLU, $a = 0$), and fan the fan-in $\text{in} \cdot \prod_i k_i$ (`mode="fan_in"`) or the fan-out
$\text{out} \cdot \prod_i k_i$ (`mode="fan_out"`). Compared with `torch.nn.init` to 1e-12.
""",
    starter='''
def he_normal_std(shape: tuple[int, ...], a: float = 0.0, mode: str = "fan_in") -> float:
    """The standard deviation of Kaiming normal initialization (leaky ReLU of slope a) for this shape."""
''',
    reference=_he_normal_std,
    solution="dlnotes.init.kaiming_std",
    rtol=1e-12,
    atol=0.0,
)
def _he_cases(g):
    out_features, in_features = _size(g, 32, 128), _size(g, 256, 1024)
    yield Case(
        "linear layer, fan_in",
        f"shape ({out_features}, {in_features}) of nn.Linear({in_features}, {out_features}), a=0, "
        "mode='fan_in'",
        args=((out_features, in_features),),
        kwargs={"a": 0.0, "mode": "fan_in"},
        hint="nn.Linear stores its weight as (out_features, in_features): the fan-in is shape[1]",
    )
    yield Case(
        "linear layer, fan_out",
        "shape (512, 128), a=0, mode='fan_out'",
        args=((512, 128),),
        kwargs={"a": 0.0, "mode": "fan_out"},
        hint="mode='fan_out' divides by the number of outputs, shape[0], to keep the gradients' variance",
    )
    slope = 0.1 + 0.2 * float(torch.rand(1, generator=g, dtype=torch.float64))
    yield Case(
        "leaky ReLU slope",
        f"shape (256, 256), a={slope:.3f}, mode='fan_in'",
        args=((256, 256),),
        kwargs={"a": slope, "mode": "fan_in"},
        hint="a leaky ReLU keeps (1 + a²)/2 of the second moment: g = √(2 / (1 + a²)), a squared",
    )
    out_channels, in_channels = _size(g, 16, 64), _size(g, 3, 16)
    yield Case(
        "conv2d kernel, fan_in",
        f"shape ({out_channels}, {in_channels}, 3, 3) of nn.Conv2d({in_channels}, {out_channels}, 3), a=0, "
        "mode='fan_in'",
        args=((out_channels, in_channels, 3, 3),),
        kwargs={"a": 0.0, "mode": "fan_in"},
        hint="each output sees in · kh · kw inputs: multiply the fan by the receptive field kh · kw",
    )
    yield Case(
        "conv2d kernel, fan_out",
        "shape (64, 32, 5, 5), a=0.01, mode='fan_out'",
        args=((64, 32, 5, 5),),
        kwargs={"a": 0.01, "mode": "fan_out"},
        hint="the fan-out of a convolution is out · kh · kw",
    )
