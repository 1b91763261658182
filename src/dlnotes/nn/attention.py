r"""Scaled dot-product attention, mirroring ``torch.nn.functional.scaled_dot_product_attention``.

``scaled_dot_product_attention`` (Vaswani et al. 2017) with boolean and additive masks, causal masking and
a custom scale, broadcasting over batch and head dimensions; tested against torch in float64 for values and
gradients. Left out on purpose: ``dropout_p`` other than 0 and ``enable_gqa``.

References
----------
- Vaswani, A., Shazeer, N., Parmar, N., Uszkoreit, J., Jones, L., Gomez, A. N., Kaiser, Ł., Polosukhin, I.
  (2017). Attention is all you need. *NeurIPS*, arXiv:1706.03762.
"""

from __future__ import annotations

import math

import torch

from dlnotes._validation import check_bool, check_float, check_number, check_real, check_tensor
from dlnotes.nn.activations import softmax

__all__ = [
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
