"""dlnotes.nn.scaled_dot_product_attention and multi_head_attention against torch in float64: values, grads.

Shapes of two to four dimensions, broadcast key/value batches, causal masks (square, tall and wide), boolean
and float masks (with -inf, and a query that may attend to nothing) are compared with
``F.scaled_dot_product_attention`` for the output and the gradients of a random upstream gradient pulled
through both (``tests.helpers.assert_same_values_and_grads``); then a loop written out by hand, gradcheck,
and every documented error with ``pytest.raises(..., match=...)``. ``multi_head_attention`` against
``nn.MultiheadAttention(batch_first=True)`` called with the same weights (``torch.func.functional_call``, so
the gradients with respect to the weights are torch's too): self- and cross-attention, with and without masks
and biases; then a per-head loop written out by hand, and its errors.
"""

import math
import re

import pytest
import torch
import torch.nn.functional as F

from dlnotes import nn
from tests.helpers import DEVICES, assert_same_values_and_grads, outputs_and_grads, randn

f64 = torch.float64


# ---------------------------------------------------------------------------------------------------------
# Scaled dot-product attention.


def bool_mask(shape, seed, device, dead_row=True):
    """Random keep/drop pattern; every row keeps a key except (optionally) one row that keeps none."""
    gen = torch.Generator().manual_seed(seed)
    keep = torch.rand(*shape, generator=gen) < 0.6
    keep[..., 0] = True
    if dead_row:
        keep[..., 1, :] = False  # a query that may attend to nothing: weights and output 0
    return keep.to(device)


# (query, key, value) shapes, the mask (a function of the device or None), is_causal, scale
SDPA_CASES = {
    "4d": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), None, False, None),
    "4d-scale": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), None, False, 0.3),
    "3d": ((2, 4, 5), (2, 6, 5), (2, 6, 3), None, False, None),
    "2d": ((4, 5), (6, 5), (6, 3), None, False, None),
    "broadcast-kv": ((2, 3, 4, 5), (1, 3, 6, 5), (2, 1, 6, 7), None, False, None),
    "causal-square": ((2, 3, 5, 4), (2, 3, 5, 4), (2, 3, 5, 2), None, True, None),
    "causal-tall": ((2, 6, 4), (2, 4, 4), (2, 4, 3), None, True, 0.7),
    "causal-wide": ((2, 3, 4), (2, 6, 4), (2, 6, 3), None, True, None),
    "bool-LS": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), lambda d: bool_mask((4, 6), 1, d), False, None),
    "bool-full": (
        (2, 3, 4, 5),
        (2, 3, 6, 5),
        (2, 3, 6, 7),
        lambda d: bool_mask((2, 3, 4, 6), 2, d),
        False,
        None,
    ),
    "bool-key-padding": (
        (2, 3, 4, 5),
        (2, 3, 6, 5),
        (2, 3, 6, 7),
        lambda d: bool_mask((2, 1, 1, 6), 3, d, dead_row=False),
        False,
        None,
    ),
    "bool-per-head": (
        (2, 3, 4, 5),
        (2, 3, 6, 5),
        (2, 3, 6, 7),
        lambda d: bool_mask((1, 3, 4, 6), 4, d),
        False,
        0.5,
    ),
    "float-LS": (
        (2, 3, 4, 5),
        (2, 3, 6, 5),
        (2, 3, 6, 7),
        lambda d: randn(4, 6, seed=5, device=d),
        False,
        None,
    ),
    "float-inf": (
        (2, 4, 5),
        (2, 6, 5),
        (2, 6, 7),
        lambda d: torch.where(bool_mask((2, 4, 6), 6, d), randn(2, 4, 6, seed=7, device=d), -math.inf),
        False,
        None,
    ),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(SDPA_CASES))
def test_attention_matches_torch(case, device):
    q_shape, k_shape, v_shape, make_mask, is_causal, scale = SDPA_CASES[case]
    q, k, v = (randn(*s, seed=i, device=device) for i, s in enumerate((q_shape, k_shape, v_shape)))
    inputs = [q, k, v]
    if make_mask is not None:
        inputs.append(make_mask(device))  # a float mask gets a gradient too, in both

    def call(fn):
        return lambda q, k, v, mask=None: fn(q, k, v, attn_mask=mask, is_causal=is_causal, scale=scale)

    assert_same_values_and_grads(
        call(nn.scaled_dot_product_attention), call(F.scaled_dot_product_attention), inputs
    )


@pytest.mark.parametrize("device", DEVICES)
def test_attention_fully_masked_query_gives_zeros(device):
    q, k = randn(4, 3, device=device), randn(5, 3, seed=1, device=device)
    v = randn(5, 2, seed=2, device=device)
    keep = torch.ones(4, 5, dtype=torch.bool, device=device)
    keep[2] = False
    out, grads = outputs_and_grads(
        lambda q, k, v: nn.scaled_dot_product_attention(q, k, v, attn_mask=keep), [q, k, v]
    )
    assert torch.equal(out[2], torch.zeros(2, dtype=f64, device=device))
    assert torch.equal(grads[0][2], torch.zeros(3, dtype=f64, device=device))
    assert all(torch.isfinite(g).all() for g in grads)


def test_attention_by_hand():
    """Independent of torch: the formula softmax(QKᵀ/√E + M) V written out with a loop."""
    q, k, v = randn(3, 4), randn(5, 4, seed=1), randn(5, 2, seed=2)
    keep = bool_mask((3, 5), 8, "cpu", dead_row=False)
    expected = torch.empty(3, 2, dtype=f64)
    for i in range(3):
        scores = [(q[i] @ k[j]).item() / 2.0 for j in range(5) if keep[i, j]]  # √E = 2
        values = [v[j] for j in range(5) if keep[i, j]]
        weights = [math.exp(s) / sum(math.exp(t) for t in scores) for s in scores]
        expected[i] = sum(w * val for w, val in zip(weights, values))
    torch.testing.assert_close(nn.scaled_dot_product_attention(q, k, v, attn_mask=keep), expected)
    causal = nn.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(causal[0], v[0])  # the first query sees only the first key


def test_attention_gradcheck():
    q = randn(2, 3, 2, seed=1).requires_grad_(True)
    k = randn(2, 4, 2, seed=2).requires_grad_(True)
    v = randn(2, 4, 3, seed=3).requires_grad_(True)
    mask = randn(3, 4, seed=4).requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda q, k, v, m: nn.scaled_dot_product_attention(q, k, v, attn_mask=m, scale=0.8), (q, k, v, mask)
    )
    assert torch.autograd.gradcheck(
        lambda q, k, v: nn.scaled_dot_product_attention(q, k, v, is_causal=True), (q, k, v)
    )


def test_attention_causal_with_mask_same_error_as_torch():
    q = k = v = torch.ones(2, 3, 4)
    mask = torch.ones(3, 3, dtype=torch.bool)
    message = "Explicit attn_mask should not be set when is_causal=True"
    with pytest.raises(RuntimeError, match=message):
        F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=True)
    with pytest.raises(ValueError, match=message):
        nn.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=True)


SDPA_ERRORS = [
    ({"dropout_p": 0.1}, ValueError, r"dropout_p must be 0 \(dropout on the attention weights"),
    (
        {"query": torch.ones(4, dtype=f64)},
        ValueError,
        re.escape("query must have at least 2 dimensions, (*, sequence length, features), got shape (4,)"),
    ),
    (
        {"key": torch.ones(6, 3, dtype=f64)},
        ValueError,
        re.escape(
            "query and key must have the same number of features E in their last dimension, got query of "
            "shape (2, 4, 5) and key of shape (6, 3)"
        ),
    ),
    (
        {"value": torch.ones(2, 5, 7, dtype=f64)},
        ValueError,
        re.escape(
            "key and value must have the same sequence length S in their second-to-last dimension, got "
            "key of shape (2, 6, 5) and value of shape (2, 5, 7)"
        ),
    ),
    (
        {"key": torch.ones(3, 6, 5, dtype=f64)},
        ValueError,
        r"the leading \(batch, head\) dimensions of query, key and value must broadcast",
    ),
    (
        {"attn_mask": torch.ones(5, 6, dtype=torch.bool)},
        ValueError,
        re.escape(
            "attn_mask of shape (5, 6) must broadcast to the attention scores of shape (*, L, S) = (2, 4, 6)"
        ),
    ),
    (
        {"attn_mask": torch.ones(4, 6, dtype=torch.long)},
        TypeError,
        "attn_mask must be boolean or floating-point, got dtype torch.int64",
    ),
    ({"attn_mask": [[True] * 6] * 4}, TypeError, "attn_mask must be a torch.Tensor, got list"),
    (
        {"value": torch.ones(2, 6, 7, dtype=torch.float32)},
        TypeError,
        "query, key and value must have the same dtype, got torch.float64, torch.float64 and torch.float32",
    ),
    (
        {"query": torch.ones(2, 4, 5, dtype=torch.long)},
        TypeError,
        "query must be a floating-point tensor, got dtype torch.int64",
    ),
    ({"key": "keys"}, TypeError, "key must be a torch.Tensor, got str"),
]


@pytest.mark.parametrize(("override", "exc", "match"), SDPA_ERRORS, ids=[m[:40] for _, _, m in SDPA_ERRORS])
def test_attention_errors(override, exc, match):
    args = {
        "query": torch.ones(2, 4, 5, dtype=f64),
        "key": torch.ones(2, 6, 5, dtype=f64),
        "value": torch.ones(2, 6, 7, dtype=f64),
        **override,
    }
    with pytest.raises(exc, match=match):
        nn.scaled_dot_product_attention(**args)


# ---------------------------------------------------------------------------------------------------------
# Multi-head attention.


def mha_weights(E, seed, device, bias=True):
    """[in_proj_weight (3E, E), in_proj_bias (3E,), out_proj_weight (E, E), out_proj_bias (E,)]."""
    w_in = randn(3 * E, E, seed=seed, device=device, scale=E**-0.5)
    w_out = randn(E, E, seed=seed + 1, device=device, scale=E**-0.5)
    if not bias:
        return [w_in, None, w_out, None]
    return [w_in, randn(3 * E, seed=seed + 2, device=device), w_out, randn(E, seed=seed + 3, device=device)]


def torch_mha(num_heads, E, bias, attn_mask, is_causal, device):
    """nn.MultiheadAttention's forward as a function of the inputs and the weights.

    The masks are translated to torch's conventions: a boolean mask means the opposite (True = masked), a
    per-head mask is (B·h, L, S), and is_causal is only a hint next to an explicit causal mask.
    """
    module = torch.nn.MultiheadAttention(E, num_heads, bias=bias, batch_first=True, dtype=f64, device=device)

    def forward(q, k, v, w_in, b_in, w_out, b_out):
        mask = attn_mask
        if is_causal:
            mask = torch.ones(q.size(1), k.size(1), dtype=torch.bool, device=device).triu(1)
        elif mask is not None:
            mask = ~mask if mask.dtype == torch.bool else mask
            if mask.dim() == 4:  # (B, h or 1, L, S) -> (B·h, L, S)
                mask = mask.expand(q.size(0), num_heads, *mask.shape[-2:]).reshape(-1, *mask.shape[-2:])
        params = {"in_proj_weight": w_in, "out_proj.weight": w_out}
        if bias:
            params |= {"in_proj_bias": b_in, "out_proj.bias": b_out}
        kwargs = {"attn_mask": mask, "need_weights": False, "is_causal": is_causal}
        return torch.func.functional_call(module, params, (q, k, v), kwargs)[0]

    return forward


# query length L, key length S (None: self-attention, key = value = query), E, heads, mask, causal, bias
MHA_CASES = {
    "self": (5, None, 8, 2, None, False, True),
    "self-one-head": (4, None, 6, 1, None, False, True),
    "cross": (3, 6, 8, 4, None, False, True),
    "causal": (6, None, 8, 2, None, True, True),
    "bool-LS": (4, 7, 8, 2, lambda d: bool_mask((4, 7), 11, d, dead_row=False), False, True),
    "bool-per-head": (4, 4, 12, 3, lambda d: bool_mask((2, 3, 4, 4), 12, d, dead_row=False), False, True),
    "bool-per-example": (4, 5, 8, 2, lambda d: bool_mask((2, 1, 4, 5), 13, d, dead_row=False), False, True),
    "float-LS": (5, 6, 8, 4, lambda d: randn(5, 6, seed=14, device=d), False, True),
    "no-bias": (5, 3, 8, 2, None, False, False),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(MHA_CASES))
def test_multi_head_attention_matches_torch(case, device):
    L, S, E, h, make_mask, is_causal, bias = MHA_CASES[case]
    mask = None if make_mask is None else make_mask(device)
    weights = mha_weights(E, 20, device, bias)
    query = randn(2, L, E, seed=1, device=device)
    if S is None:  # self-attention: one tensor is query, key and value (its gradient sums the three)

        def call(fn):
            return lambda x, *w: fn(x, x, x, *w)

        inputs = [query, *weights]
    else:

        def call(fn):
            return fn

        inputs = [
            query,
            randn(2, S, E, seed=2, device=device),
            randn(2, S, E, seed=3, device=device),
            *weights,
        ]

    def ours(q, k, v, w_in, b_in, w_out, b_out):
        return nn.multi_head_attention(
            q, k, v, h, w_in, b_in, w_out, b_out, attn_mask=mask, is_causal=is_causal
        )

    theirs = torch_mha(h, E, bias, mask, is_causal, device)
    assert_same_values_and_grads(call(ours), call(theirs), inputs)


def test_multi_head_attention_by_hand():
    """Independent of torch's module: each head's softmax(Q_i K_iᵀ/√d) V_i in a loop, then the projection."""
    B, L, S, E, h = 2, 3, 5, 6, 3
    d = E // h
    q, k, v = randn(B, L, E, seed=1), randn(B, S, E, seed=2), randn(B, S, E, seed=3)
    w_in, b_in, w_out, b_out = mha_weights(E, 30, "cpu")
    expected = torch.empty(B, L, E, dtype=f64)
    for b in range(B):
        heads = []
        for i in range(h):
            rows = slice(i * d, (i + 1) * d)
            q_i = q[b] @ w_in[:E][rows].T + b_in[:E][rows]  # (L, d)
            k_i = k[b] @ w_in[E : 2 * E][rows].T + b_in[E : 2 * E][rows]  # (S, d)
            v_i = v[b] @ w_in[2 * E :][rows].T + b_in[2 * E :][rows]  # (S, d)
            scores = q_i @ k_i.T / math.sqrt(d)
            heads.append(torch.exp(scores) / torch.exp(scores).sum(1, keepdim=True) @ v_i)
        expected[b] = torch.cat(heads, dim=1) @ w_out.T + b_out
    got = nn.multi_head_attention(q, k, v, h, w_in, b_in, w_out, b_out)
    torch.testing.assert_close(got, expected)
    # one head is plain attention of the projections, followed by the output projection
    one = nn.multi_head_attention(q, k, v, 1, w_in, b_in, w_out, b_out)
    q1, k1, v1 = (x @ w.T + c for x, w, c in zip((q, k, v), w_in.chunk(3), b_in.chunk(3)))
    torch.testing.assert_close(one, nn.scaled_dot_product_attention(q1, k1, v1) @ w_out.T + b_out)


def test_multi_head_attention_gradcheck():
    q, k = randn(1, 2, 4, seed=1).requires_grad_(True), randn(1, 3, 4, seed=2).requires_grad_(True)
    w_in, b_in, w_out, b_out = (w.requires_grad_(True) for w in mha_weights(4, 40, "cpu"))
    assert torch.autograd.gradcheck(
        lambda q, k, *w: nn.multi_head_attention(q, k, k, 2, *w), (q, k, w_in, b_in, w_out, b_out)
    )


def _mha_args(**override):
    E = 8
    w_in, b_in, w_out, b_out = mha_weights(E, 50, "cpu")
    args = {
        "query": randn(2, 4, E, seed=1),
        "key": randn(2, 5, E, seed=2),
        "value": randn(2, 5, E, seed=3),
        "num_heads": 2,
        "in_proj_weight": w_in,
        "in_proj_bias": b_in,
        "out_proj_weight": w_out,
        "out_proj_bias": b_out,
    }
    return {**args, **override}


MHA_ERRORS = [
    (
        {"query": torch.ones(4, 8, dtype=f64)},
        ValueError,
        re.escape("query must have shape (B, sequence length, E), got shape (4, 8)"),
    ),
    ({"key": "keys"}, TypeError, "key must be a torch.Tensor, got str"),
    (
        {"value": torch.ones(2, 5, 8, dtype=torch.long)},
        TypeError,
        "value must be a floating-point tensor, got dtype torch.int64",
    ),
    (
        {"key": torch.ones(3, 5, 8, dtype=f64), "value": torch.ones(3, 5, 8, dtype=f64)},
        ValueError,
        re.escape("query, key and value must have the same batch size, got shapes (2, 4, 8), (3, 5, 8)"),
    ),
    (
        {"key": torch.ones(2, 5, 6, dtype=f64), "value": torch.ones(2, 5, 6, dtype=f64)},
        ValueError,
        re.escape(
            "query, key and value must have the same embedding size E, got shapes (2, 4, 8), (2, 5, 6)"
        ),
    ),
    (
        {"value": torch.ones(2, 6, 8, dtype=f64)},
        ValueError,
        re.escape("key and value must have the same length S, got shapes (2, 5, 8) and (2, 6, 8)"),
    ),
    ({"num_heads": 3}, ValueError, "embed_dim must be divisible by num_heads, got E = 8 and num_heads = 3"),
    ({"num_heads": 0}, ValueError, "num_heads must be >= 1, got 0"),
    ({"num_heads": 2.0}, TypeError, "num_heads must be an int, got float"),
    ({"num_heads": True}, TypeError, "num_heads must be an int, got bool"),
    ({"is_causal": 1}, TypeError, "is_causal must be a bool, got int"),
    (
        {"in_proj_weight": torch.ones(8, 8, dtype=f64)},
        ValueError,
        re.escape("in_proj_weight must have shape (24, 8) for embed_dim=8, got (8, 8)"),
    ),
    (
        {"in_proj_bias": torch.ones(8, dtype=f64)},
        ValueError,
        re.escape("in_proj_bias must have shape (24,) for embed_dim=8, got (8,)"),
    ),
    (
        {"out_proj_weight": torch.ones(8, 24, dtype=f64)},
        ValueError,
        re.escape("out_proj_weight must have shape (8, 8) for embed_dim=8, got (8, 24)"),
    ),
    (
        {"out_proj_bias": torch.ones(9, dtype=f64)},
        ValueError,
        re.escape("out_proj_bias must have shape (8,) for embed_dim=8, got (9,)"),
    ),
    (
        {"out_proj_weight": torch.ones(8, 8)},
        TypeError,
        "out_proj_weight must have the dtype of query, torch.float64, got torch.float32",
    ),
    ({"in_proj_weight": [[1.0] * 8] * 24}, TypeError, "in_proj_weight must be a torch.Tensor, got list"),
    (
        {"attn_mask": torch.ones(4, 4, dtype=torch.bool)},
        ValueError,
        re.escape("attn_mask of shape (4, 4) must broadcast to the attention scores of shape (*, L, S) = ")
        + re.escape("(2, 2, 4, 5)"),
    ),
    (
        {"attn_mask": torch.ones(4, 5, dtype=torch.bool), "is_causal": True},
        ValueError,
        "Explicit attn_mask should not be set when is_causal=True",
    ),
]


@pytest.mark.parametrize(("override", "exc", "match"), MHA_ERRORS, ids=[m[:40] for _, _, m in MHA_ERRORS])
def test_multi_head_attention_errors(override, exc, match):
    with pytest.raises(exc, match=match):
        nn.multi_head_attention(**_mha_args(**override))
