"""Drills of the chapter book/foundations/probability.md."""

from __future__ import annotations

import torch

from dlnotes import probability
from dlnotes.drill.coding import Case, drill

PROBABILITY = "book/foundations/probability"


def _distribution(g, *shape: int) -> torch.Tensor:
    """Random probabilities along the last axis (uniform draws, normalized), float64."""
    p = torch.rand(*shape, generator=g, dtype=torch.float64) + 0.05
    return p / p.sum(-1, keepdim=True)


def _bayes_posterior(priors, likelihoods):
    """The package's posterior as a tensor (it returns a NumPy array), for readers who write torch."""
    return torch.from_numpy(probability.bayes_posterior(priors, likelihoods))


@drill(
    name="bayes-posterior",
    title="Bayes' theorem over a batch of hypotheses",
    chapter=PROBABILITY,
    difficulty="easy",
    minutes=8,
    statement=r"""
Return the posterior $P(A_i \mid B) = P(B \mid A_i)\,P(A_i) / \sum_j P(B \mid A_j)\,P(A_j)$ for float64
tensors `priors` and `likelihoods` whose **last axis** runs over the hypotheses; leading axes broadcast (one
prior against several observations, or a batch of scenarios), and each row of the result sums to 1. A
hypothesis with prior 0 gets posterior exactly 0. The inputs are valid: no checks needed. Compared with
`dlnotes.probability.bayes_posterior` to 1e-12.
""",
    starter='''
def bayes_posterior(priors: torch.Tensor, likelihoods: torch.Tensor) -> torch.Tensor:
    """P(A_i | B) from P(A_i) and P(B | A_i), hypotheses on the last axis."""
''',
    reference=_bayes_posterior,
    solution="dlnotes.probability.bayes_posterior",
    rtol=1e-12,
    atol=1e-15,
)
def _bayes(g):
    yield Case(
        "uniform prior",
        "priors: 4 equal (0.25 each); likelihoods: 4 float64 uniform in (0, 1)",
        args=(torch.full((4,), 0.25, dtype=torch.float64), torch.rand(4, generator=g, dtype=torch.float64)),
        hint="the products likelihood × prior do not sum to 1: divide by their sum, the evidence P(B)",
    )
    prevalence = 10 ** -(3 + torch.rand((), generator=g, dtype=torch.float64))
    yield Case(
        "rare disease",
        "priors: (P(D), 1 − P(D)) with P(D) between 1e-4 and 1e-3; likelihoods: (0.999, 0.001)",
        args=(
            torch.stack([prevalence, 1 - prevalence]),
            torch.tensor([0.999, 0.001], dtype=torch.float64),
        ),
        hint="a near-certain test of a rare disease still gives a modest posterior: the prior multiplies in",
    )
    priors = _distribution(g, 5)
    priors[2] = 0.0
    priors = priors / priors.sum()
    likelihoods = torch.rand(5, generator=g, dtype=torch.float64)
    likelihoods[2] = 0.99
    yield Case(
        "prior 0",
        "priors: 5 float64 summing to 1, the third exactly 0 (its likelihood 0.99); likelihoods: 5 in (0, 1)",
        args=(priors, likelihoods),
        hint="a hypothesis ruled out a priori stays at exactly 0, whatever its likelihood",
    )
    yield Case(
        "batch of scenarios",
        "priors: 4×4, each row summing to 1; likelihoods: 4×4 in (0, 1); posterior per row",
        args=(_distribution(g, 4, 4), torch.rand(4, 4, generator=g, dtype=torch.float64)),
        hint="normalize over the last axis, keeping it: joint / joint.sum(-1, keepdim=True)",
    )
    yield Case(
        "one prior, several observations",
        "priors: 3 float64 summing to 1; likelihoods: 6×3 (one row per possible observation)",
        args=(_distribution(g, 3), torch.rand(6, 3, generator=g, dtype=torch.float64)),
        hint="priors (3,) broadcast against likelihoods (6, 3): the result is (6, 3), each row summing to 1",
    )
