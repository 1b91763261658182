r"""The small models the chapters train and measure: a multilayer perceptron and a GPT-style decoder.

- :func:`mlp`: ``Linear -> activation -> ... -> Linear``;
- :class:`GPTConfig` and :class:`TinyGPT`: a GPT-2 style pre-LN decoder (Radford et al. 2019) with attention
  written out, so that every saved tensor can be counted (:mod:`dlnotes.memory`).

References
----------
- Radford, A., Wu, J., Child, R., Luan, D., Amodei, D., Sutskever, I. (2019). Language models are
  unsupervised multitask learners. OpenAI technical report (GPT-2).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from dlnotes._validation import check_int

__all__ = [
    "GPTConfig",
    "TinyGPT",
    "mlp",
]


_ACTIVATIONS = ("relu", "gelu", "tanh", "sigmoid", "silu")
# How many (B, width) tensors each activation makes autograd keep: relu/tanh/sigmoid save their output,
# which is also the next Linear's saved input (one storage); gelu/silu save their input (the pre-activation)
# and the next Linear saves their output (two storages).
_ACTIVATION_COPIES = {"relu": 1, "tanh": 1, "sigmoid": 1, "gelu": 2, "silu": 2}


# The models.


def _check_activation(activation) -> None:
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {_ACTIVATIONS}, got {activation!r}")


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of ints, got {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {list(sizes)}")
    return [check_int(s, f"sizes[{i}]") for i, s in enumerate(sizes)]


def mlp(sizes, *, bias=True, activation="relu") -> torch.nn.Sequential:
    """A multilayer perceptron ``Linear -> activation -> ... -> Linear`` (no activation after the last).

    Parameters
    ----------
    sizes : sequence of int
        Widths ``[d_0, d_1, ..., d_L]``: input, hidden layers, output (at least two, all positive).
    bias : bool, default True
    activation : {"relu", "gelu", "tanh", "sigmoid", "silu"}, default "relu"

    Returns
    -------
    torch.nn.Sequential

    Raises
    ------
    ValueError
        Fewer than two sizes, a non-positive size, an unknown activation.
    TypeError
        `sizes` not a sequence of ints.

    Examples
    --------
    >>> mlp([4, 8, 2])
    Sequential(
      (0): Linear(in_features=4, out_features=8, bias=True)
      (1): ReLU()
      (2): Linear(in_features=8, out_features=2, bias=True)
    )
    """
    sizes = _check_sizes(sizes)
    _check_activation(activation)
    act = {
        "relu": torch.nn.ReLU,
        "gelu": torch.nn.GELU,
        "tanh": torch.nn.Tanh,
        "sigmoid": torch.nn.Sigmoid,
        "silu": torch.nn.SiLU,
    }[activation]
    layers: list[torch.nn.Module] = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(d_in, d_out, bias=bias))
        if i < len(sizes) - 2:
            layers.append(act())
    return torch.nn.Sequential(*layers)


@dataclass(frozen=True)
class GPTConfig:
    """Configuration of :class:`TinyGPT`.

    Attributes
    ----------
    vocab : int
        Vocabulary size ``V``.
    seq_len : int
        Longest sequence ``T`` (size of the position table).
    hidden : int
        Model width ``C`` (a multiple of `heads`).
    heads : int
        Attention heads ``nh``; head size ``C / nh``.
    layers : int
        Number of blocks ``L``.
    ffn_mult : int
        Width of the MLP as a multiple of ``C``.
    dropout : float
        Dropout probability after the embeddings, on the attention probabilities and on both residual
        branches (0 in the estimators).
    """

    vocab: int = 256
    seq_len: int = 64
    hidden: int = 64
    heads: int = 4
    layers: int = 2
    ffn_mult: int = 4
    dropout: float = 0.0

    def __post_init__(self):
        for name in ("vocab", "seq_len", "hidden", "heads", "layers", "ffn_mult"):
            check_int(getattr(self, name), name)
        if self.hidden % self.heads:
            raise ValueError(
                f"hidden must be a multiple of heads, got hidden={self.hidden}, heads={self.heads}"
            )
        if not isinstance(self.dropout, numbers.Real) or not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be a float in [0, 1), got {self.dropout!r}")


class _Block(torch.nn.Module):
    """Pre-LN decoder block: ``x + attn(ln1(x))`` then ``x + mlp(ln2(x))``."""

    def __init__(self, cfg: GPTConfig):
        super().__init__()
        c = cfg.hidden
        self.heads = cfg.heads
        self.ln1 = torch.nn.LayerNorm(c)
        self.qkv = torch.nn.Linear(c, 3 * c)
        self.proj = torch.nn.Linear(c, c)
        self.ln2 = torch.nn.LayerNorm(c)
        self.fc = torch.nn.Linear(c, cfg.ffn_mult * c)
        self.fc2 = torch.nn.Linear(cfg.ffn_mult * c, c)
        self.drop = torch.nn.Dropout(cfg.dropout)

    def attention(self, a: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, t, c = a.shape
        hs = c // self.heads
        q, k, v = self.qkv(a).split(c, dim=2)
        # (B, T, C) -> (B, nh, T, hs): views of the qkv output
        q = q.view(b, t, self.heads, hs).transpose(1, 2)
        k = k.view(b, t, self.heads, hs).transpose(1, 2)
        v = v.view(b, t, self.heads, hs).transpose(1, 2)
        # scores = q k^T / sqrt(hs): matmul saves contiguous copies of q and k^T; the scaling saves nothing
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
        # masked_fill saves the (T, T) bool mask; softmax saves its output (B, nh, T, T)
        att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
        att = self.drop(att)
        # att @ v saves att (softmax's storage again) and a copy of v; proj saves the re-assembled heads
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.drop(self.proj(y))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        # LayerNorm saves its input, mean and rstd; each Linear its input; GELU its input
        x = x + self.attention(self.ln1(x), mask)
        return x + self.drop(self.fc2(torch.nn.functional.gelu(self.fc(self.ln2(x)))))


class TinyGPT(torch.nn.Module):
    """A GPT-2 style pre-LN decoder small enough to count every tensor autograd saves.

    Token embedding plus a learned position embedding, ``layers`` blocks (LayerNorm -> causal
    self-attention written out: qkv ``Linear``, ``(B, nh, T, hs)`` views, ``q @ k^T / sqrt(hs)``, boolean
    mask, softmax, ``@ v``, output ``Linear``; LayerNorm -> ``Linear(C, ffn_mult*C)`` -> GELU ->
    ``Linear``; residuals), final LayerNorm and an untied LM head without bias. The attention is not
    ``scaled_dot_product_attention`` so that what autograd saves is the same on every backend.

    Parameters
    ----------
    cfg : GPTConfig

    Examples
    --------
    >>> model = TinyGPT(GPTConfig(vocab=11, seq_len=8, hidden=16, heads=2, layers=1))
    >>> model(torch.zeros(3, 5, dtype=torch.long)).shape
    torch.Size([3, 5, 11])
    """

    def __init__(self, cfg: GPTConfig):
        super().__init__()
        if not isinstance(cfg, GPTConfig):
            raise TypeError(f"cfg must be a GPTConfig, got {type(cfg).__name__}")
        self.cfg = cfg
        self.wte = torch.nn.Embedding(cfg.vocab, cfg.hidden)
        self.wpe = torch.nn.Embedding(cfg.seq_len, cfg.hidden)
        self.drop = torch.nn.Dropout(cfg.dropout)
        self.blocks = torch.nn.ModuleList(_Block(cfg) for _ in range(cfg.layers))
        self.ln_f = torch.nn.LayerNorm(cfg.hidden)
        self.head = torch.nn.Linear(cfg.hidden, cfg.vocab, bias=False)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        if not isinstance(idx, torch.Tensor) or idx.dtype != torch.long or idx.dim() != 2:
            raise TypeError("idx must be a (B, T) LongTensor of token ids")
        t = idx.shape[1]
        if t > self.cfg.seq_len:
            raise ValueError(f"sequence length must be <= cfg.seq_len={self.cfg.seq_len}, got {t}")
        # slicing the position table saves nothing (an Embedding lookup would save the index tensor)
        x = self.drop(self.wte(idx) + self.wpe.weight[:t])
        # one (T, T) bool mask shared by every layer: True above the diagonal (the future)
        mask = torch.ones(t, t, dtype=torch.bool, device=idx.device).triu(1)
        for block in self.blocks:
            x = block(x, mask)
        return self.head(self.ln_f(x))


# ---------------------------------------------------------------------------------------------------------
