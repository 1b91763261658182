r"""How many bytes a training step and an inference pass take: analytic estimates and measurements.

A training step holds five kinds of tensors at once (Rajbhandari et al. 2020; Korthikanti et al. 2023):

- **parameters** ``P`` numbers, **gradients** ``P`` more, and the **optimizer state** (SGD: none; SGD with
  momentum: one buffer of ``P``; Adam/AdamW: two moments of ``P``, a third with AMSGrad, and torch's
  per-tensor ``step`` scalar);
- the **activations** that autograd saves in the forward pass for the backward pass; they grow with the
  batch and, for attention, with the square of the sequence length;
- the **input batch** (and the targets).

Inference keeps no gradients and no state, and frees each activation once the next layer has used it: what
counts is the *peak* of the activations alive at one time, not their sum.

What is here (:mod:`dlnotes.memory.estimate` and :mod:`dlnotes.memory.measure`; the models live in
:mod:`dlnotes.models` and are re-exported here):

- Units: ``KiB``, ``MiB``, ``GiB`` (1024 steps), :func:`dtype_bytes`, :func:`tensor_bytes`,
  :func:`format_bytes`, and :class:`MemoryReport` (integer bytes per component, ``total`` and a table).
- Rules of thumb: :func:`optimizer_state_bytes` (exact against ``torch.optim``),
  :func:`bytes_per_parameter` (Adam: 16 bytes per parameter in FP32, in classic mixed precision with
  FP32 master weights and under ``torch.autocast``, 18 with FP32 gradients beside 16-bit weights, 12 for
  pure BF16 weights and gradients with FP32 moments; Micikevicius et al. 2018, Rajbhandari et al. 2020;
  8-bit states, Dettmers et al. 2022), :func:`zero_bytes_per_parameter` (the ZeRO stages) and
  :func:`kv_cache_bytes` (the keys and values kept by autoregressive generation).
- Two small models whose saved tensors are counted term by term: :func:`mlp` and :class:`TinyGPT` (a GPT-2
  style pre-LN decoder with attention written out), and the analytic estimators :func:`estimate_mlp` and
  :func:`estimate_transformer`, whose docstrings give the formula.
- Measurements on a real model: :func:`measure_training_step` (one real step; activations counted with
  ``torch.autograd.graph.saved_tensors_hooks``, on CUDA also ``torch.cuda.max_memory_allocated``),
  :func:`measure_inference` (peak of live activations, tracked op by op) and :func:`saved_tensor_bytes`.

What a measurement counts: **whole storages, each once**. Views (``view``, ``transpose``, ``split``, the
flattened input that ``Linear`` saves) share their base tensor's storage, and two backward functions that
save the same tensor (``softmax`` saves its output, the next ``@`` saves it again) hold one storage. The
storages of the parameters and of the inputs/targets are left out (they are counted in their own fields).
Temporary buffers inside a kernel, the allocator's rounding and the CUDA context are not counted; on CUDA,
``peak_allocated`` shows the allocator's view (rounded blocks, temporaries included), for the whole process
on that device.

Left out on purpose: activation checkpointing (Chen et al. 2016) and attention dropout in the estimators
(the models accept ``dropout`` but the formulas assume 0: on CPU torch's dropout saves a full-size
``dtype`` noise tensor, on CUDA a 1-byte mask), fused attention kernels (``scaled_dot_product_attention``
saves no ``T x T`` matrix) and Adafactor's factored states (Shazeer & Stern 2018), which
:func:`optimizer_state_bytes` does not cover.

References
----------
- Rajbhandari, S., Rasley, J., Ruwase, O., He, Y. (2020). ZeRO: memory optimizations toward training
  trillion parameter models. *SC20*, arXiv:1910.02054.
- Micikevicius, P. et al. (2018). Mixed precision training. *ICLR*, arXiv:1710.03740.
- Dettmers, T., Lewis, M., Shleifer, S., Zettlemoyer, L. (2022). 8-bit optimizers via block-wise
  quantization. *ICLR*, arXiv:2110.02861.
- Korthikanti, V. A. et al. (2023). Reducing activation recomputation in large transformer models.
  *MLSys*, arXiv:2205.05198.
- Chen, T., Xu, B., Zhang, C., Guestrin, C. (2016). Training deep nets with sublinear memory cost.
  arXiv:1604.06174.
- Shazeer, N., Stern, M. (2018). Adafactor: adaptive learning rates with sublinear memory cost. *ICML*.
- Pope, R. et al. (2023). Efficiently scaling Transformer inference. *MLSys*, arXiv:2211.05102.
- Ainslie, J. et al. (2023). GQA: training generalized multi-query Transformer models from multi-head
  checkpoints. *EMNLP*, arXiv:2305.13245.
"""

from dlnotes.memory.estimate import (
    OPTIMIZERS,
    GiB,
    KiB,
    MemoryReport,
    MiB,
    bytes_per_parameter,
    dtype_bytes,
    estimate_mlp,
    estimate_transformer,
    format_bytes,
    kv_cache_bytes,
    optimizer_state_bytes,
    tensor_bytes,
    zero_bytes_per_parameter,
)
from dlnotes.memory.measure import measure_inference, measure_training_step, saved_tensor_bytes
from dlnotes.models import GPTConfig, TinyGPT, mlp

__all__ = [
    "OPTIMIZERS",
    "GPTConfig",
    "GiB",
    "KiB",
    "MemoryReport",
    "MiB",
    "TinyGPT",
    "bytes_per_parameter",
    "dtype_bytes",
    "estimate_mlp",
    "estimate_transformer",
    "format_bytes",
    "kv_cache_bytes",
    "measure_inference",
    "measure_training_step",
    "mlp",
    "optimizer_state_bytes",
    "saved_tensor_bytes",
    "tensor_bytes",
    "zero_bytes_per_parameter",
]
