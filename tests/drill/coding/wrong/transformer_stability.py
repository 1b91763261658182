"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.transformer_stability."""

import math

import torch
from torch.nn.functional import scaled_dot_product_attention

from tests.drill.coding.wrong import wrong


def _attention(
    q, k, v, attn_mask=None, is_causal=False, *, scale=None, dim=-1, causal=None, mask=None, softmax=None
):
    """Attention with one of the usual mistakes plugged in (`causal`, `mask`, `softmax` replace the parts)."""
    L, S = q.size(-2), k.size(-2)
    scores = q @ k.transpose(-2, -1) * (1 / math.sqrt(q.size(-1)) if scale is None else scale(q.size(-1)))
    if is_causal:
        attn_mask = (causal or (lambda L, S: torch.ones(L, S, dtype=torch.bool).tril()))(L, S)
    if attn_mask is not None:
        if mask is not None:
            scores = mask(scores, attn_mask)
        elif attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attn_mask, -math.inf)
        else:
            scores = scores + attn_mask
    weights = torch.softmax(scores, dim=dim) if softmax is None else softmax(scores)
    return weights @ v


@wrong("causal-attention", fails="no mask, L = S")
def attention_scaled_by_d(q, k, v, attn_mask=None, is_causal=False):
    """Divides the scores by d_k instead of √d_k."""
    return _attention(q, k, v, attn_mask, is_causal, scale=lambda d: 1 / d)


@wrong("causal-attention", fails="no mask, L = S")
def attention_softmax_over_queries(q, k, v, attn_mask=None, is_causal=False):
    """Softmax over dim=-2, the queries: each key's weights sum to 1 instead of each query's."""
    return _attention(q, k, v, attn_mask, is_causal, dim=-2)


@wrong("causal-attention", fails="causal")
def attention_mask_transposed(q, k, v, attn_mask=None, is_causal=False):
    """triu instead of tril: query i sees the keys j ≥ i, the future instead of the past."""
    return _attention(q, k, v, attn_mask, is_causal, causal=lambda L, S: torch.ones(L, S).bool().triu())


@wrong("causal-attention", fails="causal")
def attention_masked_with_zero(q, k, v, attn_mask=None, is_causal=False):
    """Sets hidden scores to 0 (scores · mask) instead of −inf: exp(0) = 1 still weights them."""

    def zero(scores, m):
        return scores * m if m.dtype == torch.bool else scores + m

    return _attention(q, k, v, attn_mask, is_causal, mask=zero)


@wrong("causal-attention", fails="boolean mask, L ≠ S")
def attention_bool_mask_inverted(q, k, v, attn_mask=None, is_causal=False):
    """Reads a boolean mask as key_padding_mask does, True = hidden (its own causal mask built to match)."""

    def hide(scores, m):
        return scores.masked_fill(m, -math.inf) if m.dtype == torch.bool else scores + m

    if is_causal:  # True above the diagonal = hidden: right for the causal case
        L, S = q.size(-2), k.size(-2)
        hidden = torch.ones(L, S, dtype=torch.bool).triu(1)
        return _attention(q, k, v, hidden, False, mask=hide)
    return _attention(q, k, v, attn_mask, is_causal, mask=hide)


@wrong("causal-attention", fails="float additive mask")
def attention_float_mask_as_boolean(q, k, v, attn_mask=None, is_causal=False):
    """Turns every mask into a keep pattern with .bool(): an additive mask's values are lost."""

    def as_bool(scores, m):
        return scores.masked_fill(~m.bool(), -math.inf)

    return _attention(q, k, v, attn_mask, is_causal, mask=as_bool)


@wrong("causal-attention", fails="causal, L < S")
def attention_causal_bottom_right(q, k, v, attn_mask=None, is_causal=False):
    """Aligns the causal mask at the bottom right (the KV-cache convention), not at the top left as torch."""
    return _attention(q, k, v, attn_mask, is_causal, causal=lambda L, S: torch.ones(L, S).bool().tril(S - L))


@wrong("causal-attention", fails="large scores")
def attention_naive_softmax(q, k, v, attn_mask=None, is_causal=False):
    """exp(scores) / sum without subtracting the max: inf / inf = NaN for scores in the thousands."""

    def softmax(scores):
        e = torch.exp(scores)
        return e / e.sum(-1, keepdim=True)

    return _attention(q, k, v, attn_mask, is_causal, softmax=softmax)


def _mha(
    query,
    key,
    value,
    h,
    w_in,
    b_in,
    w_out,
    b_out,
    attn_mask=None,
    is_causal=False,
    *,
    split=None,
    merge=None,
    scale=None,
    project_out=True,
):
    """Multi-head attention with one of the usual mistakes plugged in."""
    B, L, E = query.shape
    d = E // h
    w_q, w_k, w_v = w_in.chunk(3)
    b_q, b_k, b_v = b_in.chunk(3)

    def heads(x):
        return x.view(B, x.size(1), h, d).transpose(1, 2)

    split = split or heads
    q, k, v = split(query @ w_q.T + b_q), split(key @ w_k.T + b_k), split(value @ w_v.T + b_v)
    out = scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale)
    out = merge(out) if merge else out.transpose(1, 2).reshape(B, L, E)
    return out @ w_out.T + b_out if project_out else out


@wrong("multi-head-attention", fails="one head")
def mha_no_output_projection(
    query, key, value, num_heads, w_in, b_in, w_out, b_out, *, attn_mask=None, is_causal=False
):
    """Concatenates the heads and stops: no output projection."""
    return _mha(
        query, key, value, num_heads, w_in, b_in, w_out, b_out, attn_mask, is_causal, project_out=False
    )


@wrong("multi-head-attention", fails="two heads")
def mha_reshape_not_transpose(
    query, key, value, num_heads, w_in, b_in, w_out, b_out, *, attn_mask=None, is_causal=False
):
    """reshape(B, h, n, d) straight from (B, n, E): each "head" gets pieces of several positions."""
    B, L, E = query.shape
    d = E // num_heads

    def split(x):
        return x.reshape(B, num_heads, x.size(1), d)

    def merge(out):
        return out.reshape(B, L, E)

    return _mha(
        query, key, value, num_heads, w_in, b_in, w_out, b_out, attn_mask, is_causal, split=split, merge=merge
    )


@wrong("multi-head-attention", fails="two heads")
def mha_scaled_by_embedding_size(
    query, key, value, num_heads, w_in, b_in, w_out, b_out, *, attn_mask=None, is_causal=False
):
    """Scales the scores by 1/√E, the model width, instead of 1/√d, the head size."""
    scale = 1 / math.sqrt(query.size(-1))
    return _mha(query, key, value, num_heads, w_in, b_in, w_out, b_out, attn_mask, is_causal, scale=scale)


@wrong("multi-head-attention", fails="two heads")
def mha_one_softmax_over_all_heads(
    query, key, value, num_heads, w_in, b_in, w_out, b_out, *, attn_mask=None, is_causal=False
):
    """Normalizes the scores of all heads together: one softmax over (heads, keys) per query."""
    B, L, E = query.shape
    S, h, d = key.size(1), num_heads, E // num_heads
    w_q, w_k, w_v = w_in.chunk(3)
    b_q, b_k, b_v = b_in.chunk(3)
    q, k, v = (
        (x @ w.T + b).view(B, -1, h, d).transpose(1, 2)
        for x, w, b in ((query, w_q, b_q), (key, w_k, b_k), (value, w_v, b_v))
    )
    scores = q @ k.transpose(-2, -1) / math.sqrt(d)  # (B, h, L, S)
    if is_causal:
        attn_mask = torch.ones(L, S, dtype=torch.bool).tril()
    if attn_mask is not None:
        scores = scores.masked_fill(~attn_mask, -math.inf)
    weights = scores.transpose(1, 2).reshape(B, L, h * S).softmax(-1).view(B, L, h, S).transpose(1, 2)
    out = (weights @ v).transpose(1, 2).reshape(B, L, E)
    return out @ w_out.T + b_out


@wrong("multi-head-attention", fails="two heads")
def mha_heads_split_before_projection(
    query, key, value, num_heads, w_in, b_in, w_out, b_out, *, attn_mask=None, is_causal=False
):
    """Splits the input into heads first and projects each slice with its diagonal block of W."""
    E = query.size(-1)
    h, d = num_heads, E // num_heads
    blocks = [
        torch.block_diag(*(w[i * d : (i + 1) * d, i * d : (i + 1) * d] for i in range(h)))
        for w in w_in.chunk(3)
    ]
    return _mha(query, key, value, h, torch.cat(blocks), b_in, w_out, b_out, attn_mask, is_causal)


@wrong("multi-head-attention", fails="cross-attention, S ≠ L")
def mha_self_attention_only(
    query, key, value, num_heads, w_in, b_in, w_out, b_out, *, attn_mask=None, is_causal=False
):
    """Uses the query for keys and values too: fine for self-attention, wrong for cross-attention."""
    return _mha(query, query, query, num_heads, w_in, b_in, w_out, b_out, attn_mask, is_causal)
