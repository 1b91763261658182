"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.training_memory."""

import torch

from tests.drill.coding.wrong import wrong

# --- adamw-training-bytes ---------------------------------------------------------------------------------

_RIGHT = {"fp32": (4, 4, 0), "mixed": (2, 2, 4), "pure-bf16": (2, 2, 0)}  # weights, gradients, master


def _bytes(n_params, n_tensors, weights, gradients, master, state):
    return {
        "weights": weights * n_params,
        "gradients": gradients * n_params,
        "master_weights": master * n_params,
        "optimizer_state": state * n_params + 4 * n_tensors,
    }


@wrong("adamw-training-bytes", fails="fp32")
def adamw_bytes_without_gradients(n_params, precision="fp32", *, n_tensors=0):
    """Weights and Adam's state, but no gradients: 'three copies of the model'."""
    w, _, master = _RIGHT[precision]
    return _bytes(n_params, n_tensors, w, 0, master, 8)


@wrong("adamw-training-bytes", fails="fp32")
def adamw_bytes_one_moment(n_params, precision="fp32", *, n_tensors=0):
    """Counts Adam's m and v as one buffer: 4 bytes of state per parameter instead of 8."""
    return _bytes(n_params, n_tensors, *_RIGHT[precision], 4)


@wrong("adamw-training-bytes", fails="fp32")
def adamw_bytes_without_step(n_params, precision="fp32", *, n_tensors=0):
    """The 16 bytes per parameter, but not torch's `step` scalar per tensor."""
    return _bytes(n_params, 0, *_RIGHT[precision], 8)


@wrong("adamw-training-bytes", fails="mixed")
def adamw_bytes_fp16_master(n_params, precision="fp32", *, n_tensors=0):
    """A 16-bit master copy: 2 bytes, which defeats its purpose (small updates round away)."""
    w, grad, master = _RIGHT[precision]
    return _bytes(n_params, n_tensors, w, grad, master // 2, 8)


@wrong("adamw-training-bytes", fails="mixed")
def adamw_bytes_mixed_halves_everything(n_params, precision="fp32", *, n_tensors=0):
    """'Mixed precision halves the memory': 16-bit weights, gradients and moments, no master copy."""
    if precision == "fp32":
        return _bytes(n_params, n_tensors, 4, 4, 0, 8)
    return _bytes(n_params, n_tensors, 2, 2, 0, 4)


@wrong("adamw-training-bytes", fails="pure-bf16")
def adamw_bytes_bf16_moments(n_params, precision="fp32", *, n_tensors=0):
    """Pure BF16 with BF16 moments too (what torch.optim.AdamW does on a BF16 model, not this rule)."""
    w, grad, master = _RIGHT[precision]
    return _bytes(n_params, n_tensors, w, grad, master, 4 if precision == "pure-bf16" else 8)


# --- kv-cache-bytes ---------------------------------------------------------------------------------------


@wrong("kv-cache-bytes", fails="multi-head, fp16")
def kv_cache_keys_only(batch, seq_len, kv_heads, head_dim, layers, *, dtype=torch.float16):
    """Counts the keys and forgets the values."""
    return layers * batch * seq_len * kv_heads * head_dim * dtype.itemsize


@wrong("kv-cache-bytes", fails="grouped-query, bf16")
def kv_cache_table_without_bf16(batch, seq_len, kv_heads, head_dim, layers, *, dtype=torch.float16):
    """Element sizes from a hand-written table that knows FP16 and FP32 only."""
    size = {torch.float16: 2, torch.float32: 4}[dtype]
    return 2 * layers * batch * seq_len * kv_heads * head_dim * size


@wrong("kv-cache-bytes", fails="fp32 cache")
def kv_cache_always_two_bytes(batch, seq_len, kv_heads, head_dim, layers, *, dtype=torch.float16):
    """'The cache is FP16': 2 bytes per element whatever the dtype."""
    return 2 * layers * batch * seq_len * kv_heads * head_dim * 2


@wrong("kv-cache-bytes", fails="fp8 cache")
def kv_cache_16_or_32_bits(batch, seq_len, kv_heads, head_dim, layers, *, dtype=torch.float16):
    """Element size 4 for FP32 and 2 for anything else: an 8-bit cache counted as 16-bit."""
    size = 4 if dtype == torch.float32 else 2
    return 2 * layers * batch * seq_len * kv_heads * head_dim * size
