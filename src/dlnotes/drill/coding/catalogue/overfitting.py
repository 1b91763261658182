"""Drills of the chapter book/generalization/overfitting.md."""

from __future__ import annotations

import math

import torch

from dlnotes import nn
from dlnotes.drill.coding import Case, drill, randn

OVERFITTING = "book/generalization/overfitting"

#: How many standard errors the share of zeros may stray from p: a false failure has probability 2e-9.
SIGMAS = 6.0
#: How far (relative) a survivor may be from x / (1 - p): rounding only (x / (1 - p) or x * (1 / (1 - p))).
RTOL = 1e-12


def _same_tensor(got, x: torch.Tensor) -> str | None:
    """A message if `got` is not a tensor of `x`'s shape and dtype, else None."""
    if not isinstance(got, torch.Tensor):
        return f"got {type(got).__name__}, expected a tensor"
    if got.shape != x.shape or got.dtype != x.dtype:
        return (
            f"got a tensor {tuple(got.shape)} {str(got.dtype).removeprefix('torch.')}, expected "
            f"{tuple(x.shape)} {str(x.dtype).removeprefix('torch.')} (the input's shape and dtype)"
        )
    return None


def _inverted_dropout(x: torch.Tensor, p: float):
    """verify(): every entry is 0 or x / (1 - p); the share of zeros is p within SIGMAS standard errors."""

    def verify(got) -> str | None:
        problem = _same_tensor(got, x)
        if problem:
            return problem
        got = got.detach()
        zero = got == 0
        scaled = x / (1 - p)
        survivor_ok = zero | ((got - scaled).abs() <= RTOL * scaled.abs())  # False for NaN and inf
        if not survivor_ok.all():
            i = int((~survivor_ok).flatten().nonzero()[0])
            return (
                f"entry {i} is {got.flatten()[i].item():.6g}: every entry must be 0 or x/(1-p) = "
                f"{scaled.flatten()[i].item():.6g} (x = {x.flatten()[i].item():.6g})"
            )
        n = x.numel()
        share = zero.double().mean().item()
        sd = math.sqrt(p * (1 - p) / n)
        if abs(share - p) > SIGMAS * sd:
            return (
                f"{share:.4f} of the {n} entries are zero, expected p = {p} (± {SIGMAS * sd:.4f}, "
                f"{SIGMAS:g} standard errors)"
            )
        return None

    return verify


def _unchanged(x: torch.Tensor):
    """verify(): the output equals the input exactly."""

    def verify(got) -> str | None:
        problem = _same_tensor(got, x)
        if problem:
            return problem
        if not torch.equal(got.detach(), x):
            moved = int((got.detach() != x).sum())
            ratio = (got.detach().flatten()[0] / x.flatten()[0]).item()
            return (
                f"{moved} of {x.numel()} entries differ from the input (the first is multiplied by "
                f"{ratio:.6g}); expected the input unchanged"
            )
        return None

    return verify


def _all_zeros(x: torch.Tensor):
    """verify(): the output is all zeros (and finite)."""

    def verify(got) -> str | None:
        problem = _same_tensor(got, x)
        if problem:
            return problem
        bad = int((got.detach() != 0).sum())  # NaN != 0 too
        if bad:
            nan = int(torch.isnan(got.detach()).sum())
            return f"{bad} of {x.numel()} entries are not 0 ({nan} NaN); with p = 1 every unit is dropped"
        return None

    return verify


@drill(
    name="inverted-dropout",
    title="Inverted dropout",
    chapter=OVERFITTING,
    difficulty="easy",
    minutes=8,
    statement=r"""
Implement `F.dropout(input, p, training)`: in training, zero each entry independently with probability $p$
and scale the survivors, $y_i = m_i x_i / (1 - p)$ with $m_i \sim \mathrm{Bernoulli}(1 - p)$, so that
$\mathbb{E}[y_i] = x_i$; with `training=False`, or $p = 0$, return the input unchanged; with $p = 1$, zeros
(not NaN). The output is random, so the checker tests properties: every entry is 0 or $x_i/(1-p)$, and the
share of zeros is $p$ within 6 standard errors on $10^5$ entries.
""",
    starter='''
def dropout(input: torch.Tensor, p: float = 0.5, training: bool = True) -> torch.Tensor:
    """Inverted dropout: zero entries with probability p, scale the rest by 1/(1-p)."""
''',
    reference=lambda input, p=0.5, training=True: nn.dropout(input, p, training),
    solution="dlnotes.nn.dropout.dropout",
    rtol=RTOL,  # what the property checks use for the survivors (the report states it)
    atol=0.0,
)
def _dropout(g):
    x = randn(g, 400, 250)
    yield Case(
        "training, p = 0.3",
        "a 400×250 float64 tensor, N(0, 1); p = 0.3, training=True",
        args=(x,),
        kwargs={"p": 0.3, "training": True},
        verify=_inverted_dropout(x, 0.3),
        hint="keep each entry with probability 1 − p (zero it when u < p) and divide the survivors by 1 − p",
    )
    x = randn(g, 8, 16)
    yield Case(
        "evaluation",
        "an 8×16 float64 tensor, N(0, 1); p = 0.5, training=False",
        args=(x,),
        kwargs={"p": 0.5, "training": False},
        verify=_unchanged(x),
        hint="inverted dropout already scaled in training: at evaluation it is the identity, no 1 − p factor",
    )
    x = randn(g, 5, 7)
    yield Case(
        "p = 0",
        "a 5×7 float64 tensor, N(0, 1); p = 0, training=True",
        args=(x,),
        kwargs={"p": 0.0, "training": True},
        verify=_unchanged(x),
    )
    x = randn(g, 6, 4)
    yield Case(
        "p = 1",
        "a 6×4 float64 tensor, N(0, 1); p = 1, training=True",
        args=(x,),
        kwargs={"p": 1.0, "training": True},
        verify=_all_zeros(x),
        hint="x · 0 / (1 − 1) is 0/0 = NaN: with p = 1 return zeros without dividing",
    )
    x = randn(g, 10, 40, 100, scale=3)
    yield Case(
        "3-D input, p = 0.05",
        "a 10×40×100 float64 tensor, N(0, 9); p = 0.05, training=True",
        args=(x,),
        kwargs={"p": 0.05, "training": True},
        verify=_inverted_dropout(x, 0.05),
    )
