"""Drills of the chapter book/systems/training-memory.md."""

from __future__ import annotations

import torch

from dlnotes import memory
from dlnotes.drill.coding import Case, drill

TRAINING_MEMORY = "book/systems/training-memory"


# --- adamw-training-bytes ---------------------------------------------------------------------------------


def _adamw_training_bytes(n_params: int, precision: str = "fp32", *, n_tensors: int = 0) -> dict[str, int]:
    """`bytes_per_parameter` times the parameters, with `optimizer_state_bytes` for m, v and `step`."""
    rule = memory.bytes_per_parameter("adamw", precision=precision)
    out = {role: n_params * nbytes for role, nbytes in rule.items()}
    # m and v in FP32 (every precision here), and one float32 `step` scalar per parameter tensor
    moments = memory.optimizer_state_bytes(n_params, "adamw", dtype=torch.float32)
    out["optimizer_state"] = moments + 4 * n_tensors
    return out


def _int(g, low: int, high: int) -> int:
    return int(torch.randint(low, high, (1,), generator=g))


@drill(
    name="adamw-training-bytes",
    title="Bytes of AdamW training state",
    chapter=TRAINING_MEMORY,
    difficulty="easy",
    minutes=8,
    statement=r"""
Return the bytes that training with AdamW keeps for a model of `n_params` numbers in `n_tensors` tensors,
before any activation, as a dict with keys `weights`, `gradients`, `master_weights` and `optimizer_state`.
`precision` is `"fp32"` (everything FP32), `"mixed"` (16-bit weights and gradients, an FP32 master copy of
the weights) or `"pure-bf16"` (BF16 weights and gradients, no master copy). The moments $m$ and $v$ are
FP32 in all three, and torch adds a 4-byte `step` scalar per tensor. Compared exactly with the package's
rule.
""",
    starter='''
def adamw_training_bytes(n_params: int, precision: str = "fp32", *, n_tensors: int = 0) -> dict[str, int]:
    """Bytes of weights, gradients, master weights and optimizer state of AdamW training."""
''',
    reference=_adamw_training_bytes,
    solution="dlnotes.memory.estimate.bytes_per_parameter",
    rtol=0.0,
    atol=0.0,
)
def _adamw_training_bytes_cases(g):
    n, t = _int(g, 10_000, 1_000_000), _int(g, 4, 40)
    yield Case(
        "fp32",
        f"n_params = {n:,}, precision 'fp32', n_tensors = {t}",
        args=(n, "fp32"),
        kwargs={"n_tensors": t},
        hint="four copies of the model: weights, gradients and Adam's two moments m and v, 4 bytes each",
    )
    n, t = _int(g, 10_000, 1_000_000), _int(g, 4, 40)
    yield Case(
        "mixed",
        f"n_params = {n:,}, precision 'mixed', n_tensors = {t}",
        args=(n, "mixed"),
        kwargs={"n_tensors": t},
        hint="mixed precision halves the weights and gradients but adds an FP32 master copy (4 bytes, not 2) "
        "and keeps m and v in FP32",
    )
    n, t = _int(g, 10_000, 1_000_000), _int(g, 4, 40)
    yield Case(
        "pure-bf16",
        f"n_params = {n:,}, precision 'pure-bf16', n_tensors = {t}",
        args=(n, "pure-bf16"),
        kwargs={"n_tensors": t},
        hint="pure BF16 has no master copy, but its moments are still FP32",
    )
    yield Case(
        "7B model, mixed",
        "n_params = 6,738,415,616 (Llama-2 7B), precision 'mixed', n_tensors = 291",
        args=(6_738_415_616, "mixed"),
        kwargs={"n_tensors": 291},
    )
    yield Case(
        "no tensors counted",
        "n_params = 1000, precision 'fp32', n_tensors = 0 (the step scalars left out)",
        args=(1000, "fp32"),
        kwargs={"n_tensors": 0},
    )


# --- kv-cache-bytes ---------------------------------------------------------------------------------------


@drill(
    name="kv-cache-bytes",
    title="Size of the KV cache",
    chapter=TRAINING_MEMORY,
    difficulty="easy",
    minutes=5,
    statement=r"""
Return the bytes of the key-value cache that autoregressive generation keeps: `batch` sequences of
`seq_len` tokens (prompt and generated), `layers` attention layers, each caching a key **and** a value of
shape (`batch`, `kv_heads`, `seq_len`, `head_dim`) in `dtype` (any `torch.dtype`: FP16, BF16, FP32, FP8).
With grouped-query attention `kv_heads` is the number of key-value heads, fewer than the query heads.
Compared exactly with `dlnotes.memory.kv_cache_bytes`.
""",
    starter='''
def kv_cache_bytes(
    batch: int, seq_len: int, kv_heads: int, head_dim: int, layers: int, *, dtype: torch.dtype = torch.float16
) -> int:
    """Bytes of the keys and values cached for every past token of every layer."""
''',
    reference=memory.kv_cache_bytes,
    solution="dlnotes.memory.estimate.kv_cache_bytes",
    rtol=0.0,
    atol=0.0,
)
def _kv_cache_bytes_cases(g):
    def sizes(kv_heads: int) -> tuple[int, int, int, int, int]:
        return _int(g, 1, 9), _int(g, 100, 4097), kv_heads, 2 ** _int(g, 6, 9), _int(g, 4, 49)

    def case(name, description, args, dtype, hint=""):
        b, t, h, d, L = args
        text = f"batch {b}, seq_len {t}, kv_heads {h}, head_dim {d}, layers {L}, dtype {dtype}; {description}"
        return Case(name, text, args=args, kwargs={"dtype": dtype}, hint=hint)

    yield case(
        "multi-head, fp16",
        "multi-head attention (as many KV heads as query heads)",
        sizes(_int(g, 8, 33)),
        torch.float16,
        hint="each layer caches a key and a value: a factor 2",
    )
    yield case("grouped-query, bf16", "grouped-query attention", sizes(_int(g, 2, 9)), torch.bfloat16)
    yield case(
        "fp32 cache",
        "multi-head attention",
        sizes(_int(g, 8, 33)),
        torch.float32,
        hint="the element size comes from the dtype: 4 bytes in FP32, not 2",
    )
    yield case(
        "multi-query, long context",
        "one KV head, batch 64 and 131,072 tokens",
        (64, 131_072, 1, 128, _int(g, 16, 81)),
        torch.bfloat16,
    )
    yield case(
        "fp8 cache",
        "an 8-bit cache",
        sizes(_int(g, 2, 9)),
        torch.float8_e4m3fn,
        hint="torch.float8_e4m3fn takes 1 byte per element (`dtype.itemsize`)",
    )
