"""Drills of the chapter book/training/activations.md."""

from __future__ import annotations

import warnings

import torch

from dlnotes import nn
from dlnotes.drill.coding import Case, drill, randn

ACTIVATIONS = "book/training/activations"


@drill(
    name="softmax",
    title="Softmax that does not overflow",
    chapter=ACTIVATIONS,
    difficulty="easy",
    minutes=5,
    statement=r"""
Return $\operatorname{softmax}(x)_i = e^{x_i} / \sum_j e^{x_j}$ along `dim`, for a float tensor of any
shape. It must stay finite for logits in the thousands (float64 overflows past $e^{709}$), also when one
row sits near +1000 and another near −1000, and give the same answer as `torch.softmax` to 1e-12.
""",
    starter='''
def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Softmax of `x` along `dim`; the same shape as `x`, summing to 1 along `dim`."""
''',
    reference=lambda x, dim=-1: nn.softmax(x, dim),
    solution="dlnotes.nn.softmax",
    rtol=1e-12,
    atol=1e-14,
)
def _softmax(g):
    # Every case passes `dim`, so that the package's softmax(x, dim), which has no default, is checked too.
    yield Case("small logits", "x: 4×5 float64, N(0, 1), dim=-1", args=(randn(g, 4, 5),), kwargs={"dim": -1})
    yield Case(
        "another axis",
        "x: 3×4×2 float64, N(0, 9), dim=1",
        args=(randn(g, 3, 4, 2, scale=3),),
        kwargs={"dim": 1},
    )
    yield Case(
        "large logits",
        "x: 3×6 float64, N(0, 1) plus 1000 in each row, dim=-1",
        args=(randn(g, 3, 6) + 1000,),
        kwargs={"dim": -1},
        hint="exp(1000) is inf in float64: subtract each row's max before exp (the factor cancels)",
    )
    yield Case(
        "very negative logits",
        "x: 2×5 float64, N(0, 1) minus 1000, dim=-1",
        args=(randn(g, 2, 5) - 1000,),
        kwargs={"dim": -1},
        hint="exp(-1000) underflows to 0 and 0/0 is NaN: subtracting the max makes the largest term "
        "exp(0) = 1",
    )
    yield Case(
        "rows far apart",
        "x: 3×4 float64, N(0, 1) plus 1000, 0 and -1000 in rows 0, 1, 2, dim=-1",
        args=(randn(g, 3, 4) + torch.tensor([[1000.0], [0.0], [-1000.0]], dtype=torch.float64),),
        kwargs={"dim": -1},
        hint="subtract the max of each slice along dim (keepdim=True), not the max of the whole tensor",
    )
    yield Case(
        "one class",
        "x: 5×1 float64 (softmax of one logit is 1), dim=-1",
        args=(randn(g, 5, 1),),
        kwargs={"dim": -1},
    )


@drill(
    name="log-softmax-cross-entropy",
    title="Cross-entropy from logits, stably",
    chapter=ACTIVATIONS,
    difficulty="easy",
    minutes=10,
    statement=r"""
Given logits $x$ of shape $(N, C)$ and class indices $y$ of shape $(N,)$, return the mean cross-entropy
$\frac{1}{N} \sum_i -\log \operatorname{softmax}(x_i)_{y_i}$ as a 0-d tensor. It must stay finite when every
logit is near 1000 and when the target's logit is 1000 below the others: compute the log-probabilities
directly (log-sum-exp), never the log of a probability. Compared with `F.cross_entropy` to 1e-12.
""",
    starter='''
def cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of (N, C) logits and (N,) int64 class indices; a 0-d tensor."""
''',
    reference=lambda logits, targets: nn.cross_entropy(logits, targets),
    solution="dlnotes.nn.cross_entropy",
    rtol=1e-12,
    atol=1e-14,
)
def _cross_entropy(g):
    def targets(n, c):
        return torch.randint(0, c, (n,), generator=g)

    yield Case(
        "small logits",
        "logits: 6×4 float64, N(0, 1); targets: 6 int64 in [0, 4)",
        args=(randn(g, 6, 4), targets(6, 4)),
    )
    yield Case(
        "large logits",
        "logits: 5×3 float64, N(0, 1) plus 1000; targets: 5 int64 in [0, 3)",
        args=(randn(g, 5, 3) + 1000, targets(5, 3)),
        hint="exp(1000) is inf: subtract each row's max logit before exp",
    )
    far_logits, far_targets = randn(g, 5, 4), targets(5, 4)
    far_logits[torch.arange(5), far_targets] -= 1000
    yield Case(
        "target logit 1000 below",
        "logits: 5×4 float64, N(0, 1), the target class's logit lowered by 1000 in every row; targets: 5",
        args=(far_logits, far_targets),
        hint="the target's probability underflows to 0 and log(0) = -inf: use x_y - m - log Σ exp(x - m), "
        "never log(softmax(x))",
    )
    yield Case(
        "more classes than samples",
        "logits: 3×10 float64, N(0, 4); targets: 3 int64 in [0, 10)",
        args=(randn(g, 3, 10, scale=2), targets(3, 10)),
        hint="the classes are the second axis: normalize over dim=1 and pick x[i, y_i]",
    )
    yield Case(
        "batch of one",
        "logits: 1×5 float64, N(0, 1); targets: 1 int64",
        args=(randn(g, 1, 5), targets(1, 5)),
    )


def _call_warnings_as_errors(fn, x):
    """Run ``fn(x)`` with warnings raised as errors (NumPy's "overflow encountered in exp" fails the case)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(x)


def _value_and_gradient(fn, x):
    """``(σ(x), dσ/dx)``: the function's values and the gradient autograd computes through them."""
    x = x.clone().requires_grad_(True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = fn(x)
        (grad,) = torch.autograd.grad(s.sum(), x)
    return s.detach(), grad


@drill(
    name="sigmoid",
    title="Sigmoid that does not overflow, forward and backward",
    chapter=ACTIVATIONS,
    difficulty="medium",
    minutes=10,
    statement=r"""
Return $\sigma(x) = 1 / (1 + e^{-x})$ elementwise for a float tensor of any shape. At $x = \pm 1000$ it must
give exactly 0 and 1, with no NaN and no overflow warning, and autograd through it must give a finite
gradient: never exponentiate a large positive number, not even in a branch that `torch.where` discards.
Values and gradients are compared with the package's `sigmoid` to 1e-12 (absolute 1e-15).
""",
    starter='''
def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """The logistic sigmoid 1 / (1 + exp(-x)) of `x`, elementwise; the same shape."""
''',
    reference=nn.sigmoid,
    solution="dlnotes.nn.sigmoid",
    rtol=1e-12,
    atol=1e-15,  # torch's own backward, σ(1 - σ), is exact only to ~1e-16 absolute in the right tail
)
def _sigmoid(g):
    yield Case(
        "moderate inputs",
        "x: 20 float64, N(0, 9)",
        args=(randn(g, 20, scale=3),),
        run=_call_warnings_as_errors,
    )
    yield Case(
        "x = ±1000",
        "x: 6 float64, ±1000, ±800 and ±40",
        args=(torch.tensor([-1000.0, -800.0, -40.0, 40.0, 800.0, 1000.0], dtype=torch.float64),),
        run=_call_warnings_as_errors,
        hint="exp(x) / (1 + exp(x)) is inf/inf = NaN for x = 1000: use it only where x < 0",
    )
    yield Case(
        "gradient in the tails",
        "x: 5 float64, -1000, -30, 0, 30, 1000; compared: σ(x) and the gradient of Σσ(x) by autograd",
        args=(torch.tensor([-1000.0, -30.0, 0.0, 30.0, 1000.0], dtype=torch.float64),),
        run=_value_and_gradient,
        hint="exp(1000) = inf gives the right value 0 but a NaN gradient (0 · inf), also inside the unused "
        "branch of torch.where: clamp the exponent to <= 0 in both branches",
    )
    yield Case(
        "any shape",
        "x: 3×4×2 float64, N(0, 100)",
        args=(randn(g, 3, 4, 2, scale=10),),
        run=_value_and_gradient,
    )


@drill(
    name="sigmoid-derivative",
    title="The derivative of the sigmoid",
    chapter=ACTIVATIONS,
    difficulty="easy",
    minutes=5,
    statement=r"""
Return $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$ elementwise, in closed form (no autograd), for a float
tensor of any shape. Its maximum is $1/4$ at $x = 0$. It must be finite at $x = \pm 1000$, where the exact
value underflows to 0: no NaN from $\infty/\infty$ or $0 \cdot \infty$. Compared with the package's
`sigmoid_derivative` to 1e-12 (absolute 1e-15).
""",
    starter='''
def sigmoid_derivative(x: torch.Tensor) -> torch.Tensor:
    """d/dx of the logistic sigmoid at `x`, elementwise; the same shape."""
''',
    reference=nn.sigmoid_derivative,
    solution="dlnotes.nn.sigmoid_derivative",
    rtol=1e-12,
    atol=1e-15,
)
def _sigmoid_derivative(g):
    yield Case("moderate inputs", "x: 20 float64, N(0, 4)", args=(randn(g, 20, scale=2),))
    yield Case(
        "x = 0",
        "x: 3 float64, 0, 1e-8 and -1e-8 (the maximum 1/4)",
        args=(torch.tensor([0.0, 1e-8, -1e-8], dtype=torch.float64),),
    )
    yield Case(
        "x = ±1000",
        "x: 6 float64, ±1000, ±800 and ±20",
        args=(torch.tensor([-1000.0, -800.0, -20.0, 20.0, 800.0, 1000.0], dtype=torch.float64),),
        run=_call_warnings_as_errors,
        hint="e^{-x} / (1 + e^{-x})² is inf/inf = NaN for x = -1000: write it as σ(x)(1 - σ(x)) with a "
        "stable σ",
    )
    yield Case("any shape", "x: 2×3×4 float64, N(0, 25)", args=(randn(g, 2, 3, 4, scale=5),))
