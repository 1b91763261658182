r"""Analytic bytes of a training step: units, the report, optimizer state, rules of thumb, estimators.

See :mod:`dlnotes.memory` for what a training step holds; the formulas are in each function's docstring.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from dlnotes._validation import check_bool, check_choice, check_int
from dlnotes.models import _ACTIVATION_COPIES, GPTConfig, _check_activation, _check_sizes

__all__ = [
    "OPTIMIZERS",
    "GiB",
    "KiB",
    "MemoryReport",
    "MiB",
    "bytes_per_parameter",
    "dtype_bytes",
    "estimate_mlp",
    "estimate_transformer",
    "format_bytes",
    "kv_cache_bytes",
    "optimizer_state_bytes",
    "tensor_bytes",
    "zero_bytes_per_parameter",
]


KiB = 1024
MiB = 1024**2
GiB = 1024**3

_UNITS = {"B": 1, "KiB": KiB, "MiB": MiB, "GiB": GiB}

_DTYPE_NAMES = {
    "fp32": torch.float32,
    "float32": torch.float32,
    "fp16": torch.float16,
    "float16": torch.float16,
    "bf16": torch.bfloat16,
    "bfloat16": torch.bfloat16,
    "fp64": torch.float64,
    "float64": torch.float64,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "bool": torch.bool,
}

OPTIMIZERS = ("sgd", "sgd_momentum", "adam", "adamw")

_INDEX_BYTES = 8  # targets and token ids are int64


# ---------------------------------------------------------------------------------------------------------
# Units.


def _as_dtype(dtype) -> torch.dtype:
    if isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, str) and dtype.lower() in _DTYPE_NAMES:
        return _DTYPE_NAMES[dtype.lower()]
    if isinstance(dtype, str):
        raise ValueError(f"dtype must be a torch.dtype or one of {sorted(_DTYPE_NAMES)}, got {dtype!r}")
    raise TypeError(f"dtype must be a torch.dtype or a string, got {type(dtype).__name__}")


def dtype_bytes(dtype: torch.dtype | str) -> int:
    """Bytes of one element of `dtype`.

    Parameters
    ----------
    dtype : torch.dtype or str
        A ``torch.dtype`` or one of ``"fp32"``/``"float32"``, ``"fp16"``/``"float16"``,
        ``"bf16"``/``"bfloat16"``, ``"fp64"``/``"float64"``, ``"int8"``, ``"uint8"``, ``"bool"``.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If `dtype` is a string not in the list above.
    TypeError
        If `dtype` is neither a ``torch.dtype`` nor a string.

    Examples
    --------
    >>> dtype_bytes("bf16"), dtype_bytes(torch.float32), dtype_bytes("int8")
    (2, 4, 1)
    """
    return _as_dtype(dtype).itemsize


def tensor_bytes(shape: Sequence[int], dtype: torch.dtype | str = torch.float32) -> int:
    """Bytes of a dense tensor: the number of elements times the element size.

    Parameters
    ----------
    shape : sequence of int or torch.Size
        Every dimension must be a positive integer.
    dtype : torch.dtype or str, default torch.float32
        See :func:`dtype_bytes`.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If a dimension is zero or negative.
    TypeError
        If `shape` is not a sequence of integers.

    Examples
    --------
    >>> tensor_bytes((32, 1024, 768))  # 25,165,824 elements, 4 bytes each
    100663296
    >>> format_bytes(tensor_bytes((128, 3, 224, 224)))
    '73.50 MiB'
    """
    if isinstance(shape, numbers.Integral) or not isinstance(shape, Sequence):
        raise TypeError(f"shape must be a sequence of ints, got {type(shape).__name__}")
    numel = 1
    for i, dim in enumerate(shape):
        numel *= check_int(dim, f"shape[{i}]", minimum=1)
    return numel * dtype_bytes(dtype)


def format_bytes(n: int, *, unit: str | None = None) -> str:
    """`n` bytes in binary units (1 KiB = 1024 B), with two decimals and the unit's label.

    Parameters
    ----------
    n : int
        A number of bytes, ``>= 0``.
    unit : {"B", "KiB", "MiB", "GiB"} or None, default None
        None picks the largest unit that is at most `n` (bytes below 1 KiB are shown as an integer).

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If `n` is not an integer.
    ValueError
        If `n` is negative or `unit` is not one of the four labels.

    Examples
    --------
    >>> format_bytes(32 * 1024 * 768 * 4)
    '96.00 MiB'
    >>> format_bytes(1536), format_bytes(512), format_bytes(3 * GiB, unit="MiB")
    ('1.50 KiB', '512 B', '3072.00 MiB')
    """
    n = check_int(n, "n", minimum=0)
    if unit is None:
        unit = next(u for u in ("GiB", "MiB", "KiB", "B") if n >= _UNITS[u] or u == "B")
    check_choice(unit, "unit", (*_UNITS, None))
    if unit == "B":
        return f"{n} B"
    return f"{n / _UNITS[unit]:.2f} {unit}"


# ---------------------------------------------------------------------------------------------------------
# The report.


@dataclass(frozen=True)
class MemoryReport:
    """Bytes of one training step (or one inference pass), split by what holds them.

    Attributes
    ----------
    parameters, gradients, optimizer_state : int
        Bytes of the model's parameters, their gradients and the optimizer's state.
    activations : int
        Training: bytes of the tensors saved for the backward pass. Inference: the peak bytes of the
        activations alive at one time.
    inputs : int
        Bytes of the input batch (and of the targets, for training).
    peak_allocated : int or None
        Measured on CUDA only: ``torch.cuda.max_memory_allocated`` over the step, process-wide for the
        device (every tensor the process holds there, not only this model's); None otherwise.
    label : str
        A name shown in the table.

    Examples
    --------
    >>> r = MemoryReport(4 * MiB, 4 * MiB, 8 * MiB, 16 * MiB, 0, label="demo")
    >>> r.total == 32 * MiB
    True
    >>> print(r)
    memory report: demo
    component                bytes        MiB      %
    parameters           4,194,304       4.00   12.5
    gradients            4,194,304       4.00   12.5
    optimizer_state      8,388,608       8.00   25.0
    activations         16,777,216      16.00   50.0
    inputs                       0       0.00    0.0
    total               33,554,432      32.00  100.0
    """

    parameters: int
    gradients: int
    optimizer_state: int
    activations: int
    inputs: int
    peak_allocated: int | None = None
    label: str = ""

    _FIELDS = ("parameters", "gradients", "optimizer_state", "activations", "inputs")

    def __post_init__(self):
        for name in self._FIELDS:
            check_int(getattr(self, name), name, minimum=0)
        if self.peak_allocated is not None:
            check_int(self.peak_allocated, "peak_allocated", minimum=0)
        if not isinstance(self.label, str):
            raise TypeError(f"label must be a str, got {type(self.label).__name__}")

    @property
    def total(self) -> int:
        """Sum of the five byte fields (``peak_allocated`` is a separate measurement, not added)."""
        return sum(getattr(self, name) for name in self._FIELDS)

    def as_dict(self) -> dict[str, int]:
        """The five byte fields and ``total``, in bytes (plus ``peak_allocated`` when measured)."""
        out = {name: getattr(self, name) for name in self._FIELDS}
        out["total"] = self.total
        if self.peak_allocated is not None:
            out["peak_allocated"] = self.peak_allocated
        return out

    def __str__(self) -> str:
        total = self.total
        lines = [f"memory report: {self.label}" if self.label else "memory report"]
        lines.append(f"{'component':<16}{'bytes':>14}{'MiB':>11}{'%':>7}")
        for name in (*self._FIELDS, "total"):
            value = getattr(self, name)
            share = 100.0 * value / total if total else 0.0
            lines.append(f"{name:<16}{value:>14,}{value / MiB:>11.2f}{share:>7.1f}")
        if self.peak_allocated is not None:
            peak = self.peak_allocated
            lines.append(f"{'peak_allocated':<16}{peak:>14,}{peak / MiB:>11.2f}  (CUDA allocator)")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# Optimizer state and the bytes-per-parameter rules.


def _check_optimizer(optimizer, amsgrad) -> None:
    check_choice(optimizer, "optimizer", OPTIMIZERS)
    check_bool(amsgrad, "amsgrad")
    if amsgrad and optimizer not in ("adam", "adamw"):
        raise ValueError(f"amsgrad=True needs optimizer 'adam' or 'adamw', got {optimizer!r}")


def _state_buffers(optimizer: str, amsgrad: bool) -> int:
    """Number of parameter-sized buffers the optimizer keeps."""
    return {"sgd": 0, "sgd_momentum": 1, "adam": 2, "adamw": 2}[optimizer] + int(amsgrad)


def optimizer_state_bytes(
    n_params: int,
    optimizer: str,
    *,
    amsgrad: bool = False,
    n_tensors: int = 0,
    dtype: torch.dtype | str = torch.float32,
) -> int:
    r"""Bytes of ``torch.optim``'s state after one step, for `n_params` numbers in `n_tensors` tensors.

    .. math::

        S = k \cdot P \cdot b + [\text{adam}] \cdot b_s n

    with ``k`` parameter-sized buffers (``sgd``: 0; ``sgd_momentum``: ``momentum_buffer``;
    ``adam``/``adamw``: ``exp_avg`` and ``exp_avg_sq``, plus ``max_exp_avg_sq`` with AMSGrad), ``b`` bytes
    per element of `dtype` (torch keeps the buffers in the parameter's dtype), and, for Adam, torch's
    ``step`` counter: one 0-d tensor per parameter tensor (``n = n_tensors``) of ``b_s`` bytes, float32
    (``b_s = 4``) unless ``torch.get_default_dtype()`` is float64, when torch makes it float64 (``b_s = 8``;
    with ``fused=True`` it stays float32).

    Parameters
    ----------
    n_params : int
        Number of trainable numbers ``P``.
    optimizer : {"sgd", "sgd_momentum", "adam", "adamw"}
    amsgrad : bool, default False
        Only for ``adam``/``adamw``.
    n_tensors : int, default 0
        Number of parameter tensors (for Adam's ``step`` scalars); 0 leaves them out.
    dtype : torch.dtype or str, default torch.float32

    Returns
    -------
    int

    Raises
    ------
    ValueError
        Unknown `optimizer`, ``amsgrad=True`` with SGD, negative counts.
    TypeError
        Non-integer counts, non-bool `amsgrad`.

    Examples
    --------
    >>> optimizer_state_bytes(1000, "adamw")
    8000
    >>> optimizer_state_bytes(1000, "adam", amsgrad=True, n_tensors=2)  # 3 * 4000 + 2 * 4
    12008
    >>> optimizer_state_bytes(1000, "sgd")
    0
    """
    _check_optimizer(optimizer, amsgrad)
    n_params = check_int(n_params, "n_params", minimum=0)
    n_tensors = check_int(n_tensors, "n_tensors", minimum=0)
    # S = k * P * b  (+ one `step` scalar per tensor for Adam, in torch's scalar dtype)
    state = _state_buffers(optimizer, amsgrad) * n_params * dtype_bytes(dtype)
    if optimizer in ("adam", "adamw"):
        state += _adam_step_bytes() * n_tensors
    return state


def _adam_step_bytes() -> int:
    """Bytes of Adam's ``step`` scalar, as ``torch.optim.optimizer._get_scalar_dtype`` picks its dtype."""
    return 8 if torch.get_default_dtype() == torch.float64 else 4


# precision -> bytes per parameter of (weights, gradients, FP32 master weights)
_PRECISIONS = {
    "fp32": (4, 4, 0),
    "mixed": (2, 2, 4),
    "mixed-8bit": (2, 2, 4),
    "autocast": (4, 4, 0),
    "mixed-fp32-grads": (2, 4, 4),
    "pure-bf16": (2, 2, 0),
}


def bytes_per_parameter(
    optimizer: str = "adamw", *, precision: str = "fp32", amsgrad: bool = False
) -> dict[str, int]:
    """The bytes-per-parameter rule of a training setup, as a breakdown whose values sum to the rule.

    The tensors that live through the whole step, per parameter (``k`` optimizer buffers; Adam: 2):

    - ``"fp32"``: weights 4 + gradients 4 + state 4 per buffer; Adam: 4 + 4 + 8 = 16.
    - ``"mixed"``, classic mixed precision: FP16/BF16 weights 2 and gradients 2, an FP32 master copy of
      the weights 4 (Micikevicius et al. 2018), FP32 state 4 per buffer; Adam: 2 + 2 + 4 + 8 = 16, ZeRO's
      ``2 + 2 + K`` with ``K = 12`` (Rajbhandari et al. 2020).
    - ``"mixed-8bit"``: as ``"mixed"`` with 8-bit states, 1 byte per buffer (Dettmers et al. 2022; the
      per-block quantization constants, one float per 2048 values, are left out): Adam 2 + 2 + 4 + 2 = 10.
    - ``"autocast"`` (``torch.autocast``): FP32 weights 4 and gradients 4, FP32 state; the 16-bit copies
      of the weights are made inside the forward pass and count with the activations; Adam: 16.
    - ``"mixed-fp32-grads"``: 16-bit weights 2, gradients accumulated in FP32 4, FP32 master 4 and state;
      Adam: 2 + 4 + 4 + 8 = 18.
    - ``"pure-bf16"``: BF16 weights 2 and gradients 2, no master copy, FP32 state; Adam: 2 + 2 + 8 = 12.

    Parameters
    ----------
    optimizer : {"sgd", "sgd_momentum", "adam", "adamw"}, default "adamw"
    precision : {"fp32", "mixed", "mixed-8bit", "autocast", "mixed-fp32-grads", "pure-bf16"}, default "fp32"
    amsgrad : bool, default False
        A third Adam buffer.

    Returns
    -------
    dict
        ``{"weights", "gradients", "master_weights", "optimizer_state"}`` -> bytes per parameter.

    Raises
    ------
    ValueError
        Unknown `optimizer` or `precision`, ``amsgrad=True`` with SGD.

    Examples
    --------
    >>> bytes_per_parameter("adam", precision="mixed")
    {'weights': 2, 'gradients': 2, 'master_weights': 4, 'optimizer_state': 8}
    >>> [sum(bytes_per_parameter(precision=p).values()) for p in ("autocast", "pure-bf16")]
    [16, 12]
    >>> sum(bytes_per_parameter("adamw").values()), sum(bytes_per_parameter("sgd").values())
    (16, 8)
    """
    _check_optimizer(optimizer, amsgrad)
    check_choice(precision, "precision", tuple(_PRECISIONS))
    k = _state_buffers(optimizer, amsgrad)
    weights, gradients, master = _PRECISIONS[precision]
    state = k if precision == "mixed-8bit" else 4 * k  # FP32 state, 4 bytes per buffer; 1 in 8 bits
    return {"weights": weights, "gradients": gradients, "master_weights": master, "optimizer_state": state}


def zero_bytes_per_parameter(stage: int, n_gpus: int, *, k: int = 12) -> float:
    r"""Bytes per parameter on each GPU under ZeRO data parallelism with mixed-precision Adam.

    Rajbhandari et al. (2020), with ``N`` GPUs and ``K`` bytes of optimizer state per parameter (FP32
    master weights, momentum and variance: ``K = 12``):

    .. math::

        \text{stage 0: } 2 + 2 + K, \quad
        \text{1 } (P_{os})\text{: } 2 + 2 + K/N, \quad
        \text{2 } (P_{os+g})\text{: } 2 + (2 + K)/N, \quad
        \text{3 } (P_{os+g+p})\text{: } (2 + 2 + K)/N.

    Parameters
    ----------
    stage : {0, 1, 2, 3}
    n_gpus : int
        ``N >= 1``.
    k : int, default 12

    Returns
    -------
    float

    Raises
    ------
    ValueError
        `stage` not in 0-3, ``n_gpus < 1`` or ``k < 0``.
    TypeError
        Non-integer arguments.

    Examples
    --------
    >>> [zero_bytes_per_parameter(s, 64) for s in range(4)]
    [16.0, 4.1875, 2.21875, 0.25]
    """
    stage = check_int(stage, "stage", minimum=0)
    if stage > 3:
        raise ValueError(f"stage must be 0, 1, 2 or 3, got {stage}")
    n = check_int(n_gpus, "n_gpus", minimum=1)
    k = check_int(k, "k", minimum=0)
    if stage == 0:
        return float(2 + 2 + k)
    if stage == 1:
        return 2 + 2 + k / n
    if stage == 2:
        return 2 + (2 + k) / n
    return (2 + 2 + k) / n


# ---------------------------------------------------------------------------------------------------------
# Analytic estimates.


def _stats_bytes(dtype: torch.dtype) -> int:
    """Element size of LayerNorm's saved mean and rstd: the input's dtype, as on the CPU."""
    return dtype.itemsize


def _mlp_param_counts(sizes: list[int], bias: bool) -> tuple[int, int]:
    n_params = sum(a * b + (b if bias else 0) for a, b in zip(sizes[:-1], sizes[1:]))
    n_tensors = (len(sizes) - 1) * (2 if bias else 1)
    return n_params, n_tensors


def _report(
    n_params, n_tensors, activations, inputs, *, b, dtype, optimizer, amsgrad, training, label
) -> MemoryReport:
    if not training:
        return MemoryReport(n_params * b, 0, 0, activations, inputs, label=label)
    state = optimizer_state_bytes(n_params, optimizer, amsgrad=amsgrad, n_tensors=n_tensors, dtype=dtype)
    return MemoryReport(n_params * b, n_params * b, state, activations, inputs, label=label)


def estimate_mlp(
    batch: int,
    sizes: Sequence[int],
    *,
    bias: bool = True,
    activation: str = "relu",
    dtype: torch.dtype | str = torch.float32,
    optimizer: str = "adamw",
    amsgrad: bool = False,
    training: bool = True,
) -> MemoryReport:
    r"""Analytic bytes of one training step (or inference pass) of :func:`mlp` with cross-entropy.

    With batch ``B``, widths ``d_0, ..., d_L`` (``L`` Linear layers), ``b`` bytes per element of `dtype`
    and ``P = sum_l d_{l-1} d_l (+ d_l)`` parameters:

    - parameters ``P b``; gradients ``P b``; optimizer state :func:`optimizer_state_bytes`;
    - inputs ``B d_0 b + 8 B`` (the batch and the int64 targets);
    - **activations saved for backward** (training):

      .. math::

          A = \sum_{l=1}^{L-1} c \, B d_l \, b \;+\; B d_L \, b \;+\; b

      The first Linear saves the input batch (counted in inputs, not here). Each hidden layer ``l`` keeps
      ``c`` tensors of shape ``(B, d_l)``: ReLU, tanh and sigmoid save their *output*, which is also the
      tensor the next Linear saves (one storage, ``c = 1``); GELU and SiLU save their *input* (the
      pre-activation) and the next Linear saves their output (``c = 2``). Cross-entropy is
      ``log_softmax`` (saves its output, ``(B, d_L)``) then ``nll_loss`` (saves the targets, an input, and
      a 0-d ``total_weight``: the last ``b``). The logits themselves are not saved.
    - **inference** (``training=False``): no gradients, no state, no targets, and activations are the
      peak of live tensors. ``nn.Sequential`` runs ``x = module(x)``: while module ``j`` runs, its input
      and its output are alive and everything earlier is freed, so

      .. math::

          A_{\text{inf}} = b B \max_j \left( a_{j-1} + a_j \right), \quad a_0 = 0,

      with ``a_j`` the width of the output of the ``j``-th module (Linear or activation); the input batch
      is held by the caller and counted in inputs.

    Parameters
    ----------
    batch : int
    sizes : sequence of int
        ``[d_0, ..., d_L]``, see :func:`mlp`.
    bias : bool, default True
    activation : {"relu", "gelu", "tanh", "sigmoid", "silu"}, default "relu"
    dtype : torch.dtype or str, default torch.float32
    optimizer : {"sgd", "sgd_momentum", "adam", "adamw"}, default "adamw"
    amsgrad : bool, default False
    training : bool, default True

    Returns
    -------
    MemoryReport

    Raises
    ------
    ValueError
        Non-positive batch or size, unknown activation, optimizer or dtype name.
    TypeError
        Non-integer batch or sizes, non-bool `bias` or `training`.

    Examples
    --------
    >>> r = estimate_mlp(32, [784, 256, 10], optimizer="adam")
    >>> r.parameters == (784 * 256 + 256 + 256 * 10 + 10) * 4 == r.gradients
    True
    >>> r.activations == (32 * 256 + 32 * 10 + 1) * 4
    True
    """
    batch = check_int(batch, "batch", minimum=1)
    sizes = _check_sizes(sizes)
    bias = check_bool(bias, "bias")
    _check_activation(activation)
    _check_optimizer(optimizer, amsgrad)
    training = check_bool(training, "training")
    dtype = _as_dtype(dtype)
    b = dtype.itemsize
    n_params, n_tensors = _mlp_param_counts(sizes, bool(bias))
    hidden, d_out = sizes[1:-1], sizes[-1]
    if training:
        # A = sum_l c B d_l b + B d_L b + b   (hidden layers, log_softmax output, nll's total_weight)
        activations = (
            sum(_ACTIVATION_COPIES[activation] * batch * d for d in hidden) + batch * d_out + 1
        ) * b
        inputs = batch * sizes[0] * b + batch * _INDEX_BYTES
    else:
        # module outputs in order: Linear d_1, act d_1, Linear d_2, act d_2, ..., Linear d_L
        widths = [d for d in hidden for _ in range(2)] + [d_out]
        pairs = [w + (widths[j - 1] if j else 0) for j, w in enumerate(widths)]
        activations = batch * max(pairs) * b  # A_inf = b B max_j (a_{j-1} + a_j)
        inputs = batch * sizes[0] * b
    return _report(
        n_params,
        n_tensors,
        activations,
        inputs,
        b=b,
        dtype=dtype,
        optimizer=optimizer,
        amsgrad=amsgrad,
        training=training,
        label=f"MLP {sizes}, batch {batch}",
    )


def _gpt_param_counts(cfg: GPTConfig) -> tuple[int, int]:
    c, f, v = cfg.hidden, cfg.ffn_mult * cfg.hidden, cfg.vocab
    # per block: ln1 2C, qkv 3C^2 + 3C, proj C^2 + C, ln2 2C, fc C f + f, fc2 f C + C
    block = 2 * c + 3 * c * c + 3 * c + c * c + c + 2 * c + c * f + f + f * c + c
    n_params = v * c + cfg.seq_len * c + cfg.layers * block + 2 * c + c * v
    n_tensors = 2 + 12 * cfg.layers + 2 + 1
    return n_params, n_tensors


def estimate_transformer(
    batch: int,
    seq_len: int,
    hidden: int,
    heads: int,
    layers: int,
    *,
    vocab: int = 256,
    ffn_mult: int = 4,
    dtype: torch.dtype | str = torch.float32,
    optimizer: str = "adamw",
    amsgrad: bool = False,
    training: bool = True,
) -> MemoryReport:
    r"""Analytic bytes of one training step (or inference pass) of :class:`TinyGPT` with cross-entropy.

    Notation: batch ``B``, sequence length ``T``, width ``C``, heads ``nh``, layers ``L``, MLP width
    ``F = ffn_mult * C``, vocabulary ``V``, ``b`` bytes per element of `dtype` (LayerNorm's mean and rstd
    are counted in `dtype` as on the CPU; on CUDA they are float32 for 16-bit inputs, a few bytes per row).

    - parameters ``P b`` with ``P = V C + T C + L (4 C^2 + 2 C F + F + 9 C) + 2 C + C V``; gradients
      ``P b``; optimizer state :func:`optimizer_state_bytes` with ``2 + 12 L + 3`` tensors;
    - inputs: token ids and targets, ``2 B T`` int64;
    - **activations saved for backward** (training), counted op by op in this implementation:

      .. math::

          A = L \left[ B T (8 C + 2 F) b + 4 B T b + B\, n_h T^2 b \right]
              + T^2 + B T (2 C + V) b + 2 B T b + b

      Per layer, in ``B T C b`` units: LayerNorm 1 saves its input (1) and mean and rstd (``2 B T b``);
      the qkv Linear its input (1); ``q @ k^T`` saves contiguous copies of ``q`` and ``k^T`` (2: the
      ``(B, nh, T, hs)`` views are not contiguous, so ``matmul`` copies them before ``bmm``); ``att @ v``
      saves a copy of ``v`` (1) and the softmax output ``B nh T^2 b``, the same storage that softmax
      saves for its own backward (counted once); the output Linear saves the re-assembled heads (1);
      LayerNorm 2 its input (1) and statistics (``2 B T b``); the first MLP Linear its input (1); GELU its
      input (``F/C``) and the second Linear GELU's output (``F/C``). Scaling by ``1/sqrt(hs)``, residual
      additions, views and the embedding additions save nothing; ``masked_fill`` saves the ``(T, T)``
      bool mask, one storage shared by all layers (``T^2`` bytes). After the blocks: the final LayerNorm
      (input and statistics), the LM head's input (``B T C b``), ``log_softmax``'s output ``B T V b`` and
      ``nll_loss``'s 0-d ``total_weight`` (``b``). The embedding lookup saves the token ids (an input).
      With 16-bit ``b = 2`` and no dropout this is Korthikanti et al. (2023)'s ``s b h (34 + 5 a s / h)``
      without its dropout masks and dropout output (``2 s b h + 3 a s^2 b`` of it, ``F = 4 C``) plus
      the small terms they neglect.
    - **inference** (``training=False``): no gradients, state or targets; activations are the peak of
      the tensors alive at one time under ``no_grad``, followed through this forward pass with CPython's
      reference counting (a tensor dies when its last name or argument slot lets go). With
      ``S = n_h T`` (one row of attention scores per token), the candidates in ``B T b`` units are

      - ``7 C + S`` while ``q @ k^T`` runs: the residual ``x``, LayerNorm 1's output (an argument, held
        until the attention returns), qkv (``3 C``), the copies of ``q`` and ``k`` and the scores; the
        same total comes back at ``@ v`` and at the output Linear (copy of ``v``, the heads, their copy);
      - ``5 C + 3 S`` while softmax runs: the scaled scores (still bound to a name), the masked scores and
        the probabilities;
      - ``2 C + 2 F`` while GELU runs: the block's input (the caller's loop variable still holds it), the
        updated ``x``, GELU's input and output;
      - ``2 C + V`` at the LM head: ``x``, the final LayerNorm's output and the logits;

      .. math::

          A_{\text{inf}} = B T b \max(7 C + S,\; 5 C + 3 S,\; 2 C + 2 F,\; 2 C + V) + T^2

      (the bool mask lives throughout). This is exact for this code; it is not "the largest pair of
      consecutive layers": names and arguments keep tensors alive longer than the data flow needs.

    Parameters
    ----------
    batch, seq_len, hidden, heads, layers : int
        ``B``, ``T``, ``C`` (a multiple of ``nh``), ``nh``, ``L``.
    vocab : int, default 256
    ffn_mult : int, default 4
    dtype : torch.dtype or str, default torch.float32
    optimizer : {"sgd", "sgd_momentum", "adam", "adamw"}, default "adamw"
    amsgrad : bool, default False
    training : bool, default True

    Returns
    -------
    MemoryReport

    Raises
    ------
    ValueError
        Non-positive sizes, `hidden` not a multiple of `heads`, unknown optimizer or dtype name.
    TypeError
        Non-integer sizes, non-bool `training`.

    Examples
    --------
    >>> r = estimate_transformer(8, 1024, 768, 12, 12, vocab=50257, dtype="bf16")
    >>> r.parameters // 2  # GPT-2 small (124,439,808 with a tied head) plus an untied 50257 x 768 head
    163037184
    >>> format_bytes(r.activations)
    '5.29 GiB'
    """
    cfg = GPTConfig(
        vocab=vocab, seq_len=seq_len, hidden=hidden, heads=heads, layers=layers, ffn_mult=ffn_mult
    )
    batch = check_int(batch, "batch", minimum=1)
    _check_optimizer(optimizer, amsgrad)
    training = check_bool(training, "training")
    dtype = _as_dtype(dtype)
    b, s = dtype.itemsize, _stats_bytes(dtype)
    B, T, C, nh, L, V = batch, seq_len, hidden, heads, layers, vocab
    F = ffn_mult * hidden
    n_params, n_tensors = _gpt_param_counts(cfg)
    if training:
        # per layer: B T (8 C + 2 F) b + 4 B T s (two LayerNorms' mean and rstd) + B nh T^2 b (softmax)
        per_layer = B * T * (8 * C + 2 * F) * b + 4 * B * T * s + B * nh * T * T * b
        # + T^2 (bool mask, shared) + B T (2 C + V) b (ln_f input, head input, log_softmax output)
        # + 2 B T s (ln_f mean, rstd) + b (nll_loss total_weight)
        activations = L * per_layer + T * T + B * T * (2 * C + V) * b + 2 * B * T * s + b
        inputs = 2 * B * T * _INDEX_BYTES
    else:
        activations = _transformer_inference_peak(B, T, C, nh, F, V, b)
        inputs = B * T * _INDEX_BYTES
    return _report(
        n_params,
        n_tensors,
        activations,
        inputs,
        b=b,
        dtype=dtype,
        optimizer=optimizer,
        amsgrad=amsgrad,
        training=training,
        label=f"TinyGPT B={B} T={T} C={C} nh={nh} L={L} V={V}",
    )


def _transformer_inference_peak(B, T, C, nh, F, V, b) -> int:
    """Peak bytes of live activations in :class:`TinyGPT`'s forward pass under ``no_grad``.

    See :func:`estimate_transformer` for the phases; ``S = nh T`` is one row of attention scores.
    """
    S = nh * T
    phases = (
        7 * C + S,  # q @ k^T: x, ln1 out, qkv (3C), copies of q and k, scores
        5 * C + 3 * S,  # softmax: x, ln1 out, qkv, scaled scores, masked scores, probabilities
        2 * C + 2 * F,  # GELU: x (and the caller's x, the block's input), its input, its output
        2 * C + V,  # LM head: x, ln_f out, logits
    )
    # A_inf = B T b max(phases) + T^2 (the bool mask)
    return B * T * b * max(phases) + T * T


# ---------------------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------------------
# Inference: the KV cache.


def kv_cache_bytes(
    batch: int,
    seq_len: int,
    kv_heads: int,
    head_dim: int,
    layers: int,
    *,
    dtype: torch.dtype | str = torch.float16,
) -> int:
    r"""Bytes of the keys and values that autoregressive generation keeps for every past token.

    Each layer caches a key and a value tensor of shape ``(B, n_kv, T, d)`` (Pope et al. 2023):

    .. math::

        M_{KV} = 2 \cdot L \cdot B \cdot T \cdot n_{kv} \cdot d \cdot b

    with ``b`` bytes per element of `dtype`. Multi-head attention has ``n_kv = n_h``; grouped-query
    attention (Ainslie et al. 2023) shares each key and value head between ``n_h / n_kv`` query heads.

    Parameters
    ----------
    batch, seq_len, kv_heads, head_dim, layers : int
        ``B`` sequences, ``T`` tokens each (prompt and generated), ``n_kv``, ``d``, ``L``.
    dtype : torch.dtype or str, default torch.float16
        See :func:`dtype_bytes`.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        A size below 1, an unknown dtype name.
    TypeError
        A non-integer size.

    Examples
    --------
    >>> format_bytes(kv_cache_bytes(1, 4096, 32, 128, 32))  # Llama-2 7B: 32 layers, 32 heads of 128
    '2.00 GiB'
    >>> format_bytes(kv_cache_bytes(1, 4096, 8, 128, 80))  # Llama-2 70B: 80 layers, 8 KV heads
    '1.25 GiB'
    """
    sizes = {"batch": batch, "seq_len": seq_len, "kv_heads": kv_heads, "head_dim": head_dim, "layers": layers}
    B, T, n_kv, d, L = (check_int(value, name, minimum=1) for name, value in sizes.items())
    # M_KV = 2 L B T n_kv d b  (a key and a value per layer)
    return 2 * L * B * T * n_kv * d * dtype_bytes(dtype)
