"""dlnotes.nn.scaled_dot_product_attention against torch's, in float64, for values and gradients.

Shapes of two to four dimensions, broadcast key/value batches, causal masks (square, tall and wide), boolean
and float masks (with -inf, and a query that may attend to nothing) are compared with
``F.scaled_dot_product_attention`` for the output and the gradients of a random upstream gradient pulled
through both (``tests.helpers.assert_same_values_and_grads``); then a loop written out by hand, gradcheck,
and every documented error with ``pytest.raises(..., match=...)``.
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
