r"""Scaled dot-product and multi-head attention, mirroring ``torch.nn.functional`` and ``torch.nn``.

``scaled_dot_product_attention`` (Vaswani et al. 2017) with boolean and additive masks, causal masking and
a custom scale, broadcasting over batch and head dimensions; ``multi_head_attention``, the forward pass of
``nn.MultiheadAttention(batch_first=True)`` with its packed in-projection, built on it. Both are tested
against torch in float64 for values and gradients. Left out on purpose: ``dropout_p`` other than 0 and
``enable_gqa``; for multi-head attention also ``key_padding_mask``, ``kdim``/``vdim``, ``bias_k``/``bias_v``,
``add_zero_attn`` and returning the attention weights.

References
----------
- Vaswani, A., Shazeer, N., Parmar, N., Uszkoreit, J., Jones, L., Gomez, A. N., Kaiser, Ł., Polosukhin, I.
  (2017). Attention is all you need. *NeurIPS*, arXiv:1706.03762.
"""

from __future__ import annotations

import math

import torch

from dlnotes._validation import check_bool, check_float, check_int, check_number, check_real, check_tensor
from dlnotes.nn.activations import softmax

__all__ = [
    "multi_head_attention",
    "scaled_dot_product_attention",
]


# ---------------------------------------------------------------------------------------------------------
# Attention.


def scaled_dot_product_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
) -> torch.Tensor:
    r"""Scaled dot-product attention (Vaswani et al. 2017), like ``F.scaled_dot_product_attention``.

    With queries :math:`Q` of shape :math:`(*, L, E)`, keys :math:`K` of shape :math:`(*, S, E)` and values
    :math:`V` of shape :math:`(*, S, E_v)`:

    .. math::

        \operatorname{Attention}(Q, K, V) = \operatorname{softmax}\Big(\frac{Q K^\top}{\sqrt{E}} + M\Big)\,V,

    the softmax over the :math:`S` keys. Dividing by :math:`\sqrt E` keeps the scores of unit variance when
    the entries of :math:`Q` and :math:`K` are (so the softmax does not saturate as :math:`E` grows).
    :math:`M` is the mask, broadcast to :math:`(*, L, S)`:

    - boolean `attn_mask`: ``True`` means *takes part in attention*, ``False`` gives :math:`M = -\infty`
      (the opposite of ``nn.MultiheadAttention``'s ``key_padding_mask``, where ``True`` means *ignore*);
    - floating-point `attn_mask`: added to the scores as it is;
    - ``is_causal=True``: query :math:`i` sees keys :math:`j \le i` (``torch.ones(L, S).tril()``, aligned
      at the top left when :math:`L \ne S`).

    A query whose keys are all masked gets weights 0, hence output 0, as in torch (not the NaN of a plain
    softmax of :math:`-\infty`\ s). The leading dimensions :math:`*` (batch, heads) of the query, key, value
    and mask broadcast against each other.

    Parameters
    ----------
    query : torch.Tensor
        Shape :math:`(*, L, E)`.
    key : torch.Tensor
        Shape :math:`(*, S, E)`.
    value : torch.Tensor
        Shape :math:`(*, S, E_v)`.
    attn_mask : torch.Tensor, optional
        Boolean or floating-point, broadcastable to :math:`(*, L, S)`.
    dropout_p : float, default 0.0
        Must be 0: dropout on the attention weights is not implemented here.
    is_causal : bool, default False
        Apply the causal mask; `attn_mask` must then be None.
    scale : float, optional
        The factor applied to :math:`Q K^\top`; :math:`1/\sqrt{E}` if None.

    Returns
    -------
    torch.Tensor
        Shape :math:`(*, L, E_v)`.

    Raises
    ------
    TypeError
        If `query`, `key` or `value` is not a floating-point tensor, their dtypes differ, `attn_mask` is
        neither boolean nor floating-point, `dropout_p` or a given `scale` is not a real number (a bool is
        refused), or `is_causal` is not a bool.
    ValueError
        If `dropout_p` is not 0; a given `scale` is NaN or infinite; an input has fewer than 2 dimensions;
        `query` and `key` differ in :math:`E` or `key` and `value` in :math:`S`; the leading dimensions or
        the mask do not broadcast; or `attn_mask` is given with ``is_causal=True`` (torch's message; torch
        raises ``RuntimeError``).

    Examples
    --------
    Two queries over three keys; the causal mask hides the later keys:

    >>> import torch
    >>> q = torch.tensor([[1.0, 0.0], [0.0, 1.0]])  # (L, E) = (2, 2)
    >>> k = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # (S, E) = (3, 2)
    >>> v = torch.tensor([[1.0], [2.0], [3.0]])  # (S, E_v) = (3, 1)
    >>> scaled_dot_product_attention(q, k, v, is_causal=True)  # query 0 sees key 0 only
    tensor([[1.0000],
            [1.6698]])
    >>> keep = torch.tensor([[False, False, True], [True, True, True]])
    >>> scaled_dot_product_attention(q, k, v, attn_mask=keep)
    tensor([[3.0000],
            [2.2033]])
    """
    for name, t in (("query", query), ("key", key), ("value", value)):
        check_float(t, name)
        if t.dim() < 2:
            raise ValueError(
                f"{name} must have at least 2 dimensions, (*, sequence length, features), got shape "
                f"{tuple(t.shape)}"
            )
    if not (query.dtype == key.dtype == value.dtype):
        raise TypeError(
            f"query, key and value must have the same dtype, got {query.dtype}, {key.dtype} and {value.dtype}"
        )
    if check_number(dropout_p, "dropout_p") != 0:
        raise ValueError(
            f"dropout_p must be 0 (dropout on the attention weights is not implemented), got {dropout_p}"
        )
    if query.size(-1) != key.size(-1):
        raise ValueError(
            "query and key must have the same number of features E in their last dimension, got query "
            f"of shape {tuple(query.shape)} and key of shape {tuple(key.shape)}"
        )
    if key.size(-2) != value.size(-2):
        raise ValueError(
            "key and value must have the same sequence length S in their second-to-last dimension, got "
            f"key of shape {tuple(key.shape)} and value of shape {tuple(value.shape)}"
        )
    try:
        torch.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
    except RuntimeError:
        raise ValueError(
            "the leading (batch, head) dimensions of query, key and value must broadcast, got shapes "
            f"{tuple(query.shape)}, {tuple(key.shape)} and {tuple(value.shape)}"
        ) from None
    check_bool(is_causal, "is_causal")
    if scale is not None:
        check_real(scale, "scale")
    if is_causal and attn_mask is not None:
        raise ValueError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True "
            "(the causal mask is built from L and S; combine masks yourself and pass is_causal=False)"
        )
    L, S = query.size(-2), key.size(-2)
    if scale is None:
        scale = 1 / math.sqrt(query.size(-1))
    # scores = Q Kᵀ · scale
    scores = query @ key.transpose(-2, -1) * scale  # (*, L, S)
    if is_causal:
        # query i attends to keys j ≤ i
        attn_mask = torch.ones(L, S, dtype=torch.bool, device=query.device).tril()  # (L, S)
    if attn_mask is not None:
        check_tensor(attn_mask, "attn_mask")
        if attn_mask.dtype != torch.bool and not attn_mask.is_floating_point():
            raise TypeError(f"attn_mask must be boolean or floating-point, got dtype {attn_mask.dtype}")
        try:
            torch.broadcast_shapes(scores.shape, attn_mask.shape)
        except RuntimeError:
            raise ValueError(
                f"attn_mask of shape {tuple(attn_mask.shape)} must broadcast to the attention scores of "
                f"shape (*, L, S) = {tuple(scores.shape)}"
            ) from None
        if attn_mask.dtype == torch.bool:
            # M = 0 where the mask is True, −∞ where it is False
            scores = torch.where(attn_mask, scores, -math.inf)  # (*, L, S)
        else:
            # scores + M
            scores = scores + attn_mask  # (*, L, S)
    # a query with every key masked attends to nothing: weights 0 instead of softmax(−∞, ..., −∞) = NaN
    masked_rows = (scores == -math.inf).all(dim=-1, keepdim=True)  # (*, L, 1)
    weights = softmax(scores.masked_fill(masked_rows, 0.0), dim=-1).masked_fill(masked_rows, 0.0)
    # Attention = softmax(scores) V
    return weights @ value  # (*, L, E_v)


# ---------------------------------------------------------------------------------------------------------
# Multi-head attention.


def _check_projections(in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, query) -> None:
    """The four projection tensors of :func:`multi_head_attention`: float, the query's dtype, shapes for E."""
    E = query.size(-1)
    for name, t, shape in (
        ("in_proj_weight", in_proj_weight, (3 * E, E)),
        ("in_proj_bias", in_proj_bias, (3 * E,)),
        ("out_proj_weight", out_proj_weight, (E, E)),
        ("out_proj_bias", out_proj_bias, (E,)),
    ):
        if t is None and name.endswith("bias"):
            continue
        check_float(t, name)
        if tuple(t.shape) != shape:
            raise ValueError(f"{name} must have shape {shape} for embed_dim={E}, got {tuple(t.shape)}")
        if t.dtype != query.dtype:
            raise TypeError(f"{name} must have the dtype of query, {query.dtype}, got {t.dtype}")


def multi_head_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    num_heads: int,
    in_proj_weight: torch.Tensor,
    in_proj_bias: torch.Tensor | None,
    out_proj_weight: torch.Tensor,
    out_proj_bias: torch.Tensor | None,
    *,
    attn_mask: torch.Tensor | None = None,
    is_causal: bool = False,
) -> torch.Tensor:
    r"""Multi-head attention (Vaswani et al. 2017), the forward pass of ``nn.MultiheadAttention``.

    With batch-first inputs (``batch_first=True``) of embedding size :math:`E` split into :math:`h` heads of
    size :math:`d = E / h`, and the packed in-projection :math:`W = [W^Q; W^K; W^V]` of shape
    :math:`(3E, E)` as torch stores it (``in_proj_weight``):

    .. math::

        Q = X_q W^{Q\top} + b^Q, \quad K = X_k W^{K\top} + b^K, \quad V = X_v W^{V\top} + b^V, \qquad
        \operatorname{head}_i = \operatorname{Attention}(Q_i, K_i, V_i), \qquad
        \operatorname{MHA} = [\operatorname{head}_1, \dots, \operatorname{head}_h]\, W^{O\top} + b^O,

    where :math:`Q_i` is columns :math:`i d, \dots, (i+1) d - 1` of :math:`Q` and Attention is
    :func:`scaled_dot_product_attention` (scaled by :math:`1/\sqrt d`, the *head* size). The heads are
    separate softmaxes over the same keys; the output projection mixes them.

    The masks are those of :func:`scaled_dot_product_attention`, passed to every head: a boolean
    `attn_mask` is ``True`` where a query *may* attend, the opposite of ``nn.MultiheadAttention``'s boolean
    ``attn_mask`` (pass ``~mask`` to get torch's behaviour), and ``is_causal=True`` builds the causal mask
    itself, where ``nn.MultiheadAttention`` takes it only as a hint about a given ``attn_mask``.

    Parameters
    ----------
    query : torch.Tensor
        Shape :math:`(B, L, E)`.
    key, value : torch.Tensor
        Shape :math:`(B, S, E)`; the same tensor as `query` for self-attention.
    num_heads : int
        The number of heads :math:`h`, a divisor of :math:`E`.
    in_proj_weight : torch.Tensor
        Shape :math:`(3E, E)`: :math:`W^Q`, :math:`W^K`, :math:`W^V` stacked, in that order.
    in_proj_bias : torch.Tensor or None
        Shape :math:`(3E,)`, or None for no bias (``bias=False``).
    out_proj_weight : torch.Tensor
        :math:`W^O`, shape :math:`(E, E)`.
    out_proj_bias : torch.Tensor or None
        :math:`b^O`, shape :math:`(E,)`, or None.
    attn_mask : torch.Tensor, optional
        Boolean (``True`` = may attend) or floating-point (added to the scores), broadcastable to
        :math:`(B, h, L, S)`: :math:`(L, S)` for all, :math:`(B, 1, L, S)` per example.
    is_causal : bool, default False
        Query :math:`i` attends to keys :math:`j \le i`; `attn_mask` must then be None.

    Returns
    -------
    torch.Tensor
        Shape :math:`(B, L, E)`.

    Raises
    ------
    TypeError
        If an input or weight is not a floating-point tensor or a weight's dtype is not the query's,
        `num_heads` is not an int (a bool is refused), `is_causal` is not a bool, or as
        :func:`scaled_dot_product_attention` for `attn_mask`.
    ValueError
        If `query`, `key` or `value` is not 3-dimensional, their batch sizes or embedding sizes differ, or
        `key` and `value` differ in length; `num_heads` is below 1 or does not divide :math:`E`; a weight or
        bias does not have the shape above; `attn_mask` does not broadcast to :math:`(B, h, L, S)` or is
        given with ``is_causal=True``.

    Examples
    --------
    The same weights in ``nn.MultiheadAttention`` give the same output:

    >>> import torch
    >>> mha = torch.nn.MultiheadAttention(8, num_heads=2, batch_first=True)
    >>> x = torch.randn(3, 5, 8)  # (B, L, E)
    >>> out = multi_head_attention(x, x, x, 2, mha.in_proj_weight, mha.in_proj_bias,
    ...                            mha.out_proj.weight, mha.out_proj.bias, is_causal=True)
    >>> out.shape
    torch.Size([3, 5, 8])
    >>> causal = torch.ones(5, 5, dtype=torch.bool).triu(1)  # torch's convention: True = masked
    >>> torch.allclose(out, mha(x, x, x, attn_mask=causal, need_weights=False)[0], atol=1e-6)
    True
    """
    for name, t in (("query", query), ("key", key), ("value", value)):
        check_float(t, name)
        if t.dim() != 3:
            raise ValueError(f"{name} must have shape (B, sequence length, E), got shape {tuple(t.shape)}")
    if not (query.size(0) == key.size(0) == value.size(0)):
        raise ValueError(
            f"query, key and value must have the same batch size, got shapes {tuple(query.shape)}, "
            f"{tuple(key.shape)} and {tuple(value.shape)}"
        )
    if not (query.size(2) == key.size(2) == value.size(2)):
        raise ValueError(
            f"query, key and value must have the same embedding size E, got shapes {tuple(query.shape)}, "
            f"{tuple(key.shape)} and {tuple(value.shape)}"
        )
    if key.size(1) != value.size(1):
        raise ValueError(
            f"key and value must have the same length S, got shapes {tuple(key.shape)} and "
            f"{tuple(value.shape)}"
        )
    check_int(num_heads, "num_heads", minimum=1)
    if query.size(2) % num_heads:
        raise ValueError(
            f"embed_dim must be divisible by num_heads, got E = {query.size(2)} and num_heads = {num_heads}"
        )
    _check_projections(in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, query)
    B, L, E = query.shape
    S, h = key.size(1), num_heads
    d = E // h  # the head size
    w_q, w_k, w_v = in_proj_weight.chunk(3)  # each (E, E)
    b_q, b_k, b_v = in_proj_bias.chunk(3) if in_proj_bias is not None else (None, None, None)

    def heads(x, w, b, length):
        # X Wᵀ + b, then split E into h heads: (B, n, E) → (B, n, h, d) → (B, h, n, d)
        x = x @ w.T if b is None else x @ w.T + b
        return x.view(B, length, h, d).transpose(1, 2)

    q, k, v = heads(query, w_q, b_q, L), heads(key, w_k, b_k, S), heads(value, w_v, b_v, S)
    # headᵢ = Attention(Qᵢ, Kᵢ, Vᵢ), every head at once, scaled by 1/√d
    out = scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal)  # (B, h, L, d)
    # concatenate the heads: (B, h, L, d) → (B, L, h, d) → (B, L, E)
    out = out.transpose(1, 2).reshape(B, L, E)
    # MHA = [head₁, …, head_h] Wᴼᵀ + bᴼ
    out = out @ out_proj_weight.T
    return out if out_proj_bias is None else out + out_proj_bias


# ---------------------------------------------------------------------------------------------------------
