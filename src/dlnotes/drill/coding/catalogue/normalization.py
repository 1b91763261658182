"""Drills of the chapter book/training/normalization.md."""

from __future__ import annotations

import torch

from dlnotes import nn
from dlnotes.drill.coding import Case, drill, randn

NORMALIZATION = "book/training/normalization"


def _stats(g, channels: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Running estimates away from (0, 1), so that a momentum applied the wrong way round shows."""
    mean = randn(g, channels)
    var = torch.rand(channels, generator=g, dtype=torch.float64) + 0.5
    return mean, var


def _affine(g, channels: int) -> tuple[torch.Tensor, torch.Tensor]:
    weight = torch.rand(channels, generator=g, dtype=torch.float64) + 0.5
    return weight, randn(g, channels)


def _one_call(fn, x, running_mean, running_var, weight, bias, **options):
    """One forward pass; the result is the output and the running estimates it left behind."""
    out = fn(x, running_mean, running_var, weight, bias, **options)
    return {"output": out, "running_mean": running_mean, "running_var": running_var}


def _train_then_eval(fn, batches, x_eval, running_mean, running_var, weight, bias, *, momentum, eps):
    """A training pass on each batch (the estimates carried over), then evaluation on `x_eval`."""
    for x in batches:
        fn(x, running_mean, running_var, weight, bias, training=True, momentum=momentum, eps=eps)
    out = fn(x_eval, running_mean, running_var, weight, bias, training=False, momentum=momentum, eps=eps)
    return {"output": out, "running_mean": running_mean, "running_var": running_var}


@drill(
    name="batch-norm",
    title="BatchNorm forward, training and evaluation",
    chapter=NORMALIZATION,
    difficulty="medium",
    minutes=15,
    statement=r"""
For input $(N, C)$ or $(N, C, H, W)$, normalize each channel $c$:
$y = \gamma_c (x - \mu_c)/\sqrt{\sigma_c^2 + \epsilon} + \beta_c$. In training, $\mu_c$ and $\sigma_c^2$ are
the batch's mean and **biased** variance over every axis but the channels, and the running estimates are
updated in place: $\hat\mu \leftarrow (1 - m)\hat\mu + m\mu_c$, and $\hat\sigma^2$ likewise with the
**unbiased** variance $\frac{n}{n-1}\sigma_c^2$. In evaluation the running estimates replace the batch's and
are left alone. The output and both running estimates are compared with `F.batch_norm`'s, to 1e-10.
""",
    starter='''
def batch_norm(
    input: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> torch.Tensor:
    """BatchNorm of `input` (N, C, *); in training, update running_mean and running_var in place."""
''',
    reference=nn.batch_norm,
    solution="dlnotes.nn.normalization.batch_norm",
    rtol=1e-10,
    atol=1e-12,
)
def _batch_norm(g):
    x = randn(g, 16, 4, scale=3) + 2
    yield Case(
        "training, (N, C)",
        "x: 16×4 float64, N(2, 9); running mean and var random; training=True, momentum=0.1",
        args=(x, *_stats(g, 4), *_affine(g, 4)),
        kwargs={"training": True, "momentum": 0.1, "eps": 1e-5},
        run=_one_call,
        hint="normalize with the biased variance (divide by n) but feed the unbiased one (n − 1) to "
        "running_var, and keep (1 − momentum) of the old estimate",
    )
    x = randn(g, 4, 3, 5, 5) - 1
    yield Case(
        "training, (N, C, H, W)",
        "x: 4×3×5×5 float64, N(−1, 1); training=True, momentum=0.2",
        args=(x, *_stats(g, 3), *_affine(g, 3)),
        kwargs={"training": True, "momentum": 0.2, "eps": 1e-5},
        run=_one_call,
        hint="a channel's statistics run over N, H and W (dims 0, 2, 3), n = N·H·W values; "
        "x.reshape(-1, C) mixes channels, since C is not the last axis",
    )
    x = randn(g, 10, 5, scale=2)
    yield Case(
        "evaluation, (N, C)",
        "x: 10×5 float64, N(0, 4); training=False with random running estimates",
        args=(x, *_stats(g, 5), *_affine(g, 5)),
        kwargs={"training": False, "momentum": 0.1, "eps": 1e-5},
        run=_one_call,
        hint="in evaluation the running estimates replace the batch statistics, and they are not updated",
    )
    x = randn(g, 2, 3, 4, 4) + 0.5
    yield Case(
        "evaluation, (N, C, H, W)",
        "x: 2×3×4×4 float64; training=False, eps=0.1",
        args=(x, *_stats(g, 3), *_affine(g, 3)),
        kwargs={"training": False, "momentum": 0.1, "eps": 0.1},
        run=_one_call,
        hint="the running estimates have shape (C,): view them as (1, C, 1, 1) to broadcast over N, H, W",
    )
    batches = [randn(g, 6, 2, 3, 3, scale=2) + 1 for _ in range(3)]
    yield Case(
        "three training steps, then evaluation",
        "three 6×2×3×3 batches with training=True, momentum=0.3, then a 5×2×3×3 batch with training=False",
        args=(batches, randn(g, 5, 2, 3, 3), *_stats(g, 2), *_affine(g, 2)),
        kwargs={"momentum": 0.3, "eps": 1e-5},
        run=_train_then_eval,
        hint="each step keeps (1 − momentum) of the estimate the previous step left",
    )


@drill(
    name="layer-norm",
    title="LayerNorm over the last dimensions",
    chapter=NORMALIZATION,
    difficulty="easy",
    minutes=8,
    statement=r"""
Normalize each example over its last $k$ = `len(normalized_shape)` dimensions:
$y = \gamma \odot (x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta$, with $\mu$ the mean and $\sigma^2$ the
**biased** variance of those $D$ entries, $\epsilon$ inside the square root, and $\gamma, \beta$ of shape
`normalized_shape` (a tuple). It must stay exact for features with a large common offset (a mean of $10^6$
beside a spread of 1). Compared with `torch.nn.functional.layer_norm` to 1e-10.
""",
    starter='''
def layer_norm(
    input: torch.Tensor,
    normalized_shape: tuple[int, ...],
    weight: torch.Tensor,
    bias: torch.Tensor,
    eps: float = 1e-5,
) -> torch.Tensor:
    """LayerNorm of `input` (*, *normalized_shape) over its trailing `normalized_shape` dimensions."""
''',
    reference=nn.layer_norm,
    solution="dlnotes.nn.normalization.layer_norm",
    rtol=1e-10,
    atol=1e-12,
)
def _layer_norm(g):
    def affine(*shape):
        return torch.rand(shape, generator=g, dtype=torch.float64) + 0.5, randn(g, *shape)

    yield Case(
        "tokens, (B, T, D)",
        "x: 2×3×8 float64, N(1, 4); normalized_shape=(8,)",
        args=(randn(g, 2, 3, 8, scale=2) + 1, (8,), *affine(8)),
        kwargs={"eps": 1e-5},
        hint="LayerNorm uses the biased variance (divide by D) and adds eps inside the square root",
    )
    yield Case(
        "two normalized dimensions",
        "x: 4×3×5 float64; normalized_shape=(3, 5), weight and bias 3×5",
        args=(randn(g, 4, 3, 5, scale=3), (3, 5), *affine(3, 5)),
        kwargs={"eps": 1e-5},
        hint="the statistics run over all the trailing len(normalized_shape) axes together, not the last one",
    )
    yield Case(
        "large offset",
        "x: 3×16 float64, N(0, 1) plus 10⁶; normalized_shape=(16,)",
        args=(randn(g, 3, 16) + 1e6, (16,), *affine(16)),
        kwargs={"eps": 1e-5},
        rtol=1e-7,
        atol=1e-8,
        hint="E[x²] − E[x]² subtracts two numbers near 10¹² and loses the variance: compute mean((x − μ)²)",
    )
    x = randn(g, 4, 6, scale=1e-3)
    x[1] = 0.25  # a constant row: variance 0
    yield Case(
        "variance near eps",
        "x: 4×6 float64, N(0, 10⁻⁶) (variance 10 times below eps=1e-5), row 1 constant",
        args=(x, (6,), *affine(6)),
        kwargs={"eps": 1e-5},
        hint="with σ² near ε, √(σ² + ε) and √σ² + ε differ a lot; a constant row gives 0/√ε, not 0/0",
    )
