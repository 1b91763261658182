"""Drills of the chapter book/training/transformer-stability.md."""

from __future__ import annotations

import math

import torch

from dlnotes import nn
from dlnotes.drill.coding import Case, drill, randn

TRANSFORMER_STABILITY = "book/training/transformer-stability"


def _keep(g, *shape) -> torch.Tensor:
    """A random boolean mask (True = may attend) in which every query keeps at least one key."""
    keep = torch.rand(shape, generator=g) < 0.6
    keep[..., 0] = True
    return keep


def _attention(query, key, value, attn_mask=None, is_causal=False):
    return nn.scaled_dot_product_attention(query, key, value, attn_mask=attn_mask, is_causal=is_causal)


@drill(
    name="causal-attention",
    title="Scaled dot-product attention with masks",
    chapter=TRANSFORMER_STABILITY,
    difficulty="medium",
    minutes=12,
    statement=r"""
Return $\operatorname{softmax}(QK^\top/\sqrt{d_k} + M)\,V$ for $Q$ of shape $(*, L, d_k)$, $K$ of shape
$(*, S, d_k)$ and $V$ of shape $(*, S, d_v)$, the softmax over the $S$ keys. A boolean `attn_mask` is
`True` where a query may attend ($M = -\infty$ elsewhere); a float one is added to the scores;
`is_causal=True` lets query $i$ see keys $j \le i$ (aligned at the top left when $L \ne S$). Scores in the
thousands must not overflow. Compared with `torch.nn.functional.scaled_dot_product_attention` to 1e-10.
""",
    starter='''
def scaled_dot_product_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    is_causal: bool = False,
) -> torch.Tensor:
    """softmax(Q Kᵀ / √d_k + M) V over the keys; the shape of `query` with value's last dimension."""
''',
    reference=_attention,
    solution="dlnotes.nn.attention.scaled_dot_product_attention",
    rtol=1e-10,
    atol=1e-12,
)
def _causal_attention(g):
    yield Case(
        "no mask, L = S",
        "q, k, v: 2×5×8 float64, N(0, 1)",
        args=(randn(g, 2, 5, 8), randn(g, 2, 5, 8), randn(g, 2, 5, 8)),
        hint="scale the scores by 1/√d_k (not 1/d_k) and take the softmax over the keys, the last axis",
    )
    yield Case(
        "causal",
        "q, k, v: 2×6×4 float64; is_causal=True",
        args=(randn(g, 2, 6, 4), randn(g, 2, 6, 4), randn(g, 2, 6, 4)),
        kwargs={"is_causal": True},
        hint="query i sees keys j ≤ i (a lower-triangular keep mask), and a hidden score must be −inf, "
        "not 0: exp(0) = 1 still gives it weight",
    )
    yield Case(
        "boolean mask, L ≠ S",
        "q: 2×3×4×8, k: 2×3×7×8, v: 2×3×7×5 float64 (batch, heads); attn_mask: 4×7 bool, True = attend",
        args=(randn(g, 2, 3, 4, 8), randn(g, 2, 3, 7, 8), randn(g, 2, 3, 7, 5)),
        kwargs={"attn_mask": _keep(g, 4, 7)},
        hint="in scaled_dot_product_attention True means *may attend* (the opposite of key_padding_mask)",
    )
    mask = randn(g, 2, 4, 6)
    mask[_keep(g, 2, 4, 6).logical_not()] = -math.inf
    yield Case(
        "float additive mask",
        "q: 2×4×8, k, v: 2×6×8 float64; attn_mask: 2×4×6 float64, N(0, 1) with some −inf",
        args=(randn(g, 2, 4, 8), randn(g, 2, 6, 8), randn(g, 2, 6, 8)),
        kwargs={"attn_mask": mask},
        hint="a float mask is added to the scores as it is, not used to select entries",
    )
    yield Case(
        "causal, L < S",
        "q: 1×3×4, k, v: 1×5×4 float64; is_causal=True",
        args=(randn(g, 1, 3, 4), randn(g, 1, 5, 4), randn(g, 1, 5, 4)),
        kwargs={"is_causal": True},
        hint="torch's causal mask is torch.ones(L, S).tril(): query i sees keys 0..i (top-left aligned)",
    )
    yield Case(
        "large scores",
        "q, k: 2×5×16 float64, N(0, 900), so scores in the thousands; v: 2×5×3",
        args=(randn(g, 2, 5, 16, scale=30), randn(g, 2, 5, 16, scale=30), randn(g, 2, 5, 3)),
        hint="exp(1000) is inf: use a softmax that subtracts each row's max (torch.softmax does)",
    )


def _projections(g, E: int) -> tuple[torch.Tensor, ...]:
    """in_proj_weight (3E, E), in_proj_bias (3E,), out_proj_weight (E, E), out_proj_bias (E,)."""
    return (
        randn(g, 3 * E, E, scale=E**-0.5),
        randn(g, 3 * E, scale=0.5),
        randn(g, E, E, scale=E**-0.5),
        randn(g, E, scale=0.5),
    )


@drill(
    name="multi-head-attention",
    title="Multi-head attention with a packed projection",
    chapter=TRANSFORMER_STABILITY,
    difficulty="hard",
    minutes=25,
    statement=r"""
Write the forward pass of `nn.MultiheadAttention(E, h, batch_first=True)`: inputs $(B, L, E)$ and
$(B, S, E)$; `in_proj_weight` $(3E, E)$ stacks $W^Q, W^K, W^V$ (with `in_proj_bias`). Project, split $E$
into $h$ heads of size $d = E/h$, attend in each head with $\operatorname{softmax}(Q_i K_i^\top/\sqrt d)V_i$
(masks as in `scaled_dot_product_attention`, which you may call), concatenate the heads and apply the output
projection. Compared to 1e-10 with the package's version, equal to `nn.MultiheadAttention` with the same
weights.
""",
    starter='''
def multi_head_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    num_heads: int,
    in_proj_weight: torch.Tensor,
    in_proj_bias: torch.Tensor,
    out_proj_weight: torch.Tensor,
    out_proj_bias: torch.Tensor,
    *,
    attn_mask: torch.Tensor | None = None,
    is_causal: bool = False,
) -> torch.Tensor:
    """Multi-head attention of `query` (B, L, E) over `key`, `value` (B, S, E); returns (B, L, E)."""
''',
    imports="import torch\nfrom torch.nn.functional import scaled_dot_product_attention",
    reference=nn.multi_head_attention,
    solution="dlnotes.nn.attention.multi_head_attention",
    rtol=1e-10,
    atol=1e-12,
)
def _multi_head_attention(g):
    x = randn(g, 2, 4, 6)
    yield Case(
        "one head",
        "x: 2×4×6 float64 as query, key and value; num_heads=1",
        args=(x, x, x, 1, *_projections(g, 6)),
        hint="after the attention, apply the output projection: out @ out_proj_weight.T + out_proj_bias",
    )
    x = randn(g, 2, 5, 8)
    yield Case(
        "two heads",
        "x: 2×5×8 float64 as query, key and value; num_heads=2 (d = 4)",
        args=(x, x, x, 2, *_projections(g, 8)),
        hint="project first, then view (B, L, E) as (B, L, h, d) and transpose to (B, h, L, d); "
        "scale by √d, the head size, with one softmax per head",
    )
    yield Case(
        "cross-attention, S ≠ L",
        "query: 2×3×8, key and value: 2×6×8 float64 (different tensors); num_heads=4",
        args=(randn(g, 2, 3, 8), randn(g, 2, 6, 8), randn(g, 2, 6, 8), 4, *_projections(g, 8)),
        hint="keys and values have their own length S: split them into heads with S, not L",
    )
    x = randn(g, 1, 6, 8)
    yield Case(
        "causal, two heads",
        "x: 1×6×8 float64; num_heads=2, is_causal=True",
        args=(x, x, x, 2, *_projections(g, 8)),
        kwargs={"is_causal": True},
        hint="pass is_causal to the attention of every head",
    )
    yield Case(
        "boolean mask, four heads",
        "query: 2×4×12, key and value: 2×5×12; num_heads=4; attn_mask: 4×5 bool, True = attend",
        args=(randn(g, 2, 4, 12), randn(g, 2, 5, 12), randn(g, 2, 5, 12), 4, *_projections(g, 12)),
        kwargs={"attn_mask": _keep(g, 4, 5)},
        hint="the (L, S) mask broadcasts over the batch and the heads; True = may attend, as in "
        "scaled_dot_product_attention",
    )
