r"""The small models the chapters train and measure: a multilayer perceptron and a GPT-style decoder.

- :func:`mlp`: ``Linear -> [BatchNorm1d] -> activation -> ... -> Linear``, with an optional seeded init;
- :func:`evaluate`: a classifier's mean cross-entropy and accuracy, in evaluation mode, without a graph;
- :class:`GPTConfig` and :class:`TinyGPT`: a GPT-2 style pre-LN decoder (Radford et al. 2019) with attention
  written out, so that every saved tensor can be counted (:mod:`dlnotes.memory`).

References
----------
- Radford, A., Wu, J., Child, R., Luan, D., Amodei, D., Sutskever, I. (2019). Language models are
  unsupervised multitask learners. OpenAI technical report (GPT-2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import torch

from dlnotes._validation import check_bool, check_choice, check_int, check_real, check_tensor

__all__ = [
    "GPTConfig",
    "TinyGPT",
    "mlp",
    "Evaluation",
    "evaluate",
]


_ACTIVATIONS = ("relu", "gelu", "tanh", "sigmoid", "silu")
# How many (B, width) tensors each activation makes autograd keep: relu/tanh/sigmoid save their output,
# which is also the next Linear's saved input (one storage); gelu/silu save their input (the pre-activation)
# and the next Linear saves their output (two storages).
_ACTIVATION_COPIES = {"relu": 1, "tanh": 1, "sigmoid": 1, "gelu": 2, "silu": 2}
_MAX_SEED = 2**64 - 1  # the largest seed torch.Generator.manual_seed takes


# The models.


def _check_activation(activation) -> None:
    check_choice(activation, "activation", _ACTIVATIONS)


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of ints, got {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {list(sizes)}")
    return [check_int(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]


def mlp(
    sizes: Sequence[int],
    *,
    bias: bool = True,
    activation: str = "relu",
    batch_norm: bool = False,
    seed: int | None = None,
) -> torch.nn.Sequential:
    """A multilayer perceptron ``Linear -> activation -> ... -> Linear`` (no activation after the last).

    Parameters
    ----------
    sizes : sequence of int
        Widths ``[d_0, d_1, ..., d_L]``: input, hidden layers, output (at least two, all positive).
    bias : bool, default True
    activation : {"relu", "gelu", "tanh", "sigmoid", "silu"}, default "relu"
    batch_norm : bool, default False
        A ``BatchNorm1d`` between each hidden ``Linear`` and its activation.
    seed : int or None, default None
        ``None``: torch's default init, drawn from the global generator like any ``torch.nn.Linear``. An int
        in ``[0, 2**64 - 1]``: the weights that ``torch.manual_seed(seed)`` followed by ``mlp(sizes)`` would
        give, drawn on the CPU (the same on every device once moved) from a generator seeded for the call;
        the global generators are left as they were.

    Returns
    -------
    torch.nn.Sequential
        On the CPU, in float32 (move it with ``.to(device, dtype)``).

    Raises
    ------
    ValueError
        Fewer than two sizes, a non-positive size, an unknown activation, a seed outside ``[0, 2**64 - 1]``.
    TypeError
        `sizes` not a sequence of ints, `bias` or `batch_norm` not a bool, `seed` not ``None`` or an int.

    Examples
    --------
    >>> mlp([4, 8, 2])
    Sequential(
      (0): Linear(in_features=4, out_features=8, bias=True)
      (1): ReLU()
      (2): Linear(in_features=8, out_features=2, bias=True)
    )
    >>> [type(m).__name__ for m in mlp([4, 8, 2], activation="tanh", batch_norm=True)]
    ['Linear', 'BatchNorm1d', 'Tanh', 'Linear']
    >>> torch.equal(mlp([4, 8, 2], seed=0)[0].weight, mlp([4, 8, 2], seed=0)[0].weight)
    True
    """
    sizes = _check_sizes(sizes)
    bias = check_bool(bias, "bias")
    _check_activation(activation)
    batch_norm = check_bool(batch_norm, "batch_norm")
    if seed is not None:
        seed = check_int(seed, "seed", minimum=0, maximum=_MAX_SEED)
        # torch's own init under a forked CPU generator: the draws that follow torch.manual_seed(seed), and
        # the global state as it was afterwards (only the CPU generator is used: the layers are built there)
        with torch.random.fork_rng(devices=[]):
            torch.random.default_generator.manual_seed(seed)
            return mlp(sizes, bias=bias, activation=activation, batch_norm=batch_norm)
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
            if batch_norm:
                layers.append(torch.nn.BatchNorm1d(d_out))
            layers.append(act())
    return torch.nn.Sequential(*layers)


class Evaluation(NamedTuple):
    """What :func:`evaluate` returns: the mean cross-entropy and the accuracy, as Python floats."""

    loss: float
    accuracy: float


def evaluate(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor) -> Evaluation:
    """Mean cross-entropy and accuracy of a classifier on ``(X, y)``, in evaluation mode, without a graph.

    The model is put in evaluation mode (dropout off, BatchNorm on its running statistics) for one forward
    pass of the whole of `X` under ``torch.no_grad()``, then back in the mode it was in. The accuracy is the
    float32 mean of ``logits.argmax(1) == y``.

    Parameters
    ----------
    model : torch.nn.Module
        Maps ``X`` to logits of shape ``(N, C)``.
    X : torch.Tensor
        Inputs, ``N`` of them along the first axis.
    y : torch.Tensor
        Class indices, shape ``(N,)``.

    Returns
    -------
    Evaluation
        ``(loss, accuracy)``.

    Raises
    ------
    TypeError
        `model` not a ``torch.nn.Module``; `X` or `y` not a tensor, or `y` not of an integer dtype.
    ValueError
        `y` not one-dimensional, or `X` and `y` of different lengths.

    Examples
    --------
    >>> net = torch.nn.Linear(2, 2)
    >>> with torch.no_grad():
    ...     _ = net.weight.copy_(torch.eye(2)), net.bias.zero_()
    >>> evaluate(net, torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]), torch.tensor([0, 1, 1]))
    Evaluation(loss=0.647, accuracy=0.667)
    >>> net.training
    True
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    check_tensor(X, "X")
    check_tensor(y, "y")
    if y.is_floating_point() or y.is_complex() or y.dtype == torch.bool:
        raise TypeError(f"y must be a tensor of class indices (an integer dtype), got dtype {y.dtype}")
    if y.dim() != 1:
        raise ValueError(f"y must be one-dimensional, got shape {tuple(y.shape)}")
    if X.dim() == 0 or len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got X {tuple(X.shape)} and y {tuple(y.shape)}")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits = model(X)
            loss = torch.nn.functional.cross_entropy(logits, y).item()
            accuracy = (logits.argmax(1) == y).float().mean().item()
    finally:
        model.train(was_training)
    return Evaluation(loss, accuracy)


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

    Raises
    ------
    TypeError
        If a size is not an int or `dropout` is not a real number.
    ValueError
        If a size is below 1, `hidden` is not a multiple of `heads`, or `dropout` is outside [0, 1).
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
            check_int(getattr(self, name), name, minimum=1)
        if self.hidden % self.heads:
            raise ValueError(
                f"hidden must be a multiple of heads, got hidden={self.hidden}, heads={self.heads}"
            )
        check_real(self.dropout, "dropout", minimum=0, maximum=1, strict_max=True)


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
