r"""Measured bytes of a real training step or inference pass: saved tensors, live storages, the CUDA peak.

See :mod:`dlnotes.memory` for what a measurement counts (whole storages, each once).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

import torch
from torch.utils._python_dispatch import TorchDispatchMode

from dlnotes.memory.estimate import MemoryReport

__all__ = [
    "measure_inference",
    "measure_training_step",
    "saved_tensor_bytes",
]


# Measurements.


def _storage_key(t: torch.Tensor) -> tuple[str, int]:
    return (str(t.device), t.untyped_storage().data_ptr())


def _keys_of(objs) -> set:
    """Storage keys of tensors, and of the parameters and buffers of modules, in `objs`."""
    keys = set()
    for obj in objs:
        if isinstance(obj, torch.nn.Module):
            keys.update(_storage_key(t) for t in (*obj.parameters(), *obj.buffers()))
        elif isinstance(obj, torch.Tensor):
            keys.add(_storage_key(obj))
        elif isinstance(obj, (tuple, list)):
            keys.update(_keys_of(obj))
        else:
            raise TypeError(f"exclude must hold tensors or modules, got {type(obj).__name__}")
    return keys


class _SavedCounter:
    """``saved_tensors_hooks`` that records each saved storage once, except the excluded ones."""

    def __init__(self, exclude_keys: set):
        self.exclude = exclude_keys
        self.storages: dict[tuple[str, int], int] = {}

    def pack(self, t: torch.Tensor) -> torch.Tensor:
        key = _storage_key(t)
        if key not in self.exclude and key[1] != 0:
            self.storages[key] = t.untyped_storage().nbytes()
        return t

    @staticmethod
    def unpack(t: torch.Tensor) -> torch.Tensor:
        return t

    def hooks(self):
        return torch.autograd.graph.saved_tensors_hooks(self.pack, self.unpack)

    @property
    def total(self) -> int:
        return sum(self.storages.values())


def saved_tensor_bytes(
    fn: Callable[..., object], *args: object, exclude: Iterable[torch.Tensor | torch.nn.Module] = ()
) -> int:
    """Bytes of the unique storages that autograd saves for backward while ``fn(*args)`` runs.

    Each storage is counted once and whole (a view counts its base's storage); storages of the tensors in
    `exclude` (and of the parameters and buffers of modules in it) are left out.

    Parameters
    ----------
    fn : callable
    *args
        Passed to `fn`.
    exclude : iterable of torch.Tensor or torch.nn.Module, default ()

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If `fn` is not callable or `exclude` holds something other than tensors and modules.

    Examples
    --------
    >>> x = torch.randn(4, 8, requires_grad=True)
    >>> saved_tensor_bytes(torch.relu, x)  # relu saves its output: 32 floats
    128
    >>> saved_tensor_bytes(torch.sigmoid, x * 2.0)  # its output too; multiplying by 2.0 saves nothing
    128
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    counter = _SavedCounter(_keys_of(tuple(exclude)))
    with counter.hooks():
        fn(*args)
    return counter.total


def _tensor_bytes_of(tensors) -> int:
    """Bytes of distinct tensors (numel times element size)."""
    seen, total = set(), 0
    for t in tensors:
        if isinstance(t, torch.Tensor) and id(t) not in seen:
            seen.add(id(t))
            total += t.numel() * t.element_size()
    return total


def _check_model_inputs(model, inputs) -> None:
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(inputs, torch.Tensor):
        raise TypeError(f"inputs must be a torch.Tensor, got {type(inputs).__name__}")


def _cuda_device(tensors):
    """The device of the first CUDA tensor in `tensors` (the one whose allocator to read), or None."""
    return next((t.device for t in tensors if t.is_cuda), None)


def measure_training_step(
    model: torch.nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
) -> MemoryReport:
    """Run one real training step and measure the bytes of each component.

    The step is ``optimizer.zero_grad()``, ``loss_fn(model(inputs), targets)``, ``backward()`` and
    ``optimizer.step()``. Then

    - parameters, gradients: ``numel * element_size`` of ``model.parameters()`` and their ``.grad``;
    - optimizer state: the same over every tensor in ``optimizer.state`` (Adam's ``step`` included);
    - activations: bytes of the unique storages saved for backward during the forward pass and the loss,
      recorded with ``torch.autograd.graph.saved_tensors_hooks``: whole storages, each once; the storages
      of the parameters, buffers, inputs and targets are left out;
    - inputs: bytes of `inputs` and `targets`;
    - peak_allocated: on CUDA, ``torch.cuda.max_memory_allocated`` of the device of `inputs` (or of the
      first CUDA parameter) over the step, peak statistics reset first. The counter is **process-wide**
      for that device, not per model: it includes every tensor the process holds there (this model's
      parameters, gradients, state and batch, but also any earlier model or cached tensor), temporaries,
      the allocator's rounding and cuBLAS's workspace (tens of MiB on an H100, even for a tiny model).
      Subtract ``torch.cuda.memory_allocated(device)`` taken before the call to isolate the step. None on
      other devices.

    The model's buffers (BatchNorm's running statistics, say) are in no field: neither parameters nor
    activations.

    Parameters
    ----------
    model : torch.nn.Module
    inputs, targets : torch.Tensor
    loss_fn : callable
        ``loss_fn(model(inputs), targets)`` returns a scalar tensor.
    optimizer : torch.optim.Optimizer
        Over the parameters of `model`.

    Returns
    -------
    MemoryReport

    Raises
    ------
    TypeError
        If `model` is not a module, `inputs`/`targets` not tensors, `optimizer` not an optimizer.

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> from dlnotes.memory import estimate_mlp, mlp
    >>> model = mlp([8, 16, 3])
    >>> opt = torch.optim.Adam(model.parameters())
    >>> r = measure_training_step(model, torch.randn(4, 8), torch.tensor([0, 1, 2, 0]),
    ...                           torch.nn.functional.cross_entropy, opt)
    >>> e = estimate_mlp(4, [8, 16, 3], optimizer="adam")
    >>> r.as_dict() == e.as_dict()  # the analytic estimate is exact here
    True
    >>> r.parameters == 4 * (8 * 16 + 16 + 16 * 3 + 3)
    True
    >>> r.optimizer_state == 2 * r.parameters + 4 * 4  # exp_avg, exp_avg_sq, a float32 step per tensor
    True
    """
    _check_model_inputs(model, inputs)
    if not isinstance(targets, torch.Tensor):
        raise TypeError(f"targets must be a torch.Tensor, got {type(targets).__name__}")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
    params = list(model.parameters())
    cuda = _cuda_device((inputs, *params))
    optimizer.zero_grad(set_to_none=True)
    counter = _SavedCounter(_keys_of((model, inputs, targets)))
    if cuda is not None:
        torch.cuda.synchronize(cuda)
        torch.cuda.reset_peak_memory_stats(cuda)
    with counter.hooks():
        loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    peak = None
    if cuda is not None:
        torch.cuda.synchronize(cuda)
        peak = int(torch.cuda.max_memory_allocated(cuda))
    state = [t for s in optimizer.state.values() for t in s.values()]
    return MemoryReport(
        parameters=_tensor_bytes_of(params),
        gradients=_tensor_bytes_of(p.grad for p in params),
        optimizer_state=_tensor_bytes_of(state),
        activations=counter.total,
        inputs=_tensor_bytes_of((inputs, targets)),
        peak_allocated=peak,
        label=f"measured: {type(model).__name__}, one training step",
    )


class _LiveTracker(TorchDispatchMode):
    """Follows every storage that an operator creates until its last tensor is freed; keeps the peak."""

    def __init__(self, exclude_keys: set):
        super().__init__()
        self.exclude = exclude_keys
        self.refs: dict[tuple[str, int], int] = {}
        self.sizes: dict[tuple[str, int], int] = {}
        self.live = 0
        self.peak = 0

    def _release(self, key) -> None:
        self.refs[key] -= 1
        if self.refs[key] == 0:
            del self.refs[key]
            self.live -= self.sizes.pop(key)

    def _track(self, t: torch.Tensor) -> None:
        key = _storage_key(t)
        if key in self.exclude or key[1] == 0:
            return
        if key not in self.refs:
            self.refs[key] = 0
            self.sizes[key] = t.untyped_storage().nbytes()
            self.live += self.sizes[key]
            self.peak = max(self.peak, self.live)
        self.refs[key] += 1
        weakref.finalize(t, self._release, key)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(t, torch.Tensor):
                self._track(t)
        return out


def measure_inference(model: torch.nn.Module, inputs: torch.Tensor) -> MemoryReport:
    """Run one forward pass under ``torch.no_grad`` and measure the peak bytes of live activations.

    Every tensor that an operator returns is followed (a ``TorchDispatchMode``) from its creation until
    the last Python or C++ reference to its storage is gone; activations are the largest sum of the
    storages alive at one time, each storage counted once and whole. The storages of the parameters,
    buffers and `inputs` are left out; temporaries inside one kernel and the allocator's rounding are not
    seen. The returned output is alive at the end, so it is part of the peak if the peak comes last.

    Parameters
    ----------
    model : torch.nn.Module
    inputs : torch.Tensor

    Returns
    -------
    MemoryReport
        parameters, activations (the peak), inputs (`inputs`), no gradients and no optimizer state; on
        CUDA, peak_allocated is ``torch.cuda.max_memory_allocated`` of the device of `inputs` over the
        pass: process-wide for that device, as in :func:`measure_training_step`.

    Raises
    ------
    TypeError
        If `model` is not a module or `inputs` not a tensor.

    Examples
    --------
    >>> from dlnotes.models import mlp
    >>> model = mlp([8, 16, 3])
    >>> r = measure_inference(model, torch.randn(4, 8))
    >>> r.activations == 4 * (16 + 16) * 4  # the ReLU's input and output, alive together
    True
    """
    _check_model_inputs(model, inputs)
    params = list(model.parameters())
    cuda = _cuda_device((inputs, *params))
    if cuda is not None:
        torch.cuda.synchronize(cuda)
        torch.cuda.reset_peak_memory_stats(cuda)
    tracker = _LiveTracker(_keys_of((model, inputs)))
    with torch.no_grad(), tracker:
        out = model(inputs)
    del out
    peak = None
    if cuda is not None:
        torch.cuda.synchronize(cuda)
        peak = int(torch.cuda.max_memory_allocated(cuda))
    return MemoryReport(
        parameters=_tensor_bytes_of(params),
        gradients=0,
        optimizer_state=0,
        activations=tracker.peak,
        inputs=_tensor_bytes_of((inputs,)),
        peak_allocated=peak,
        label=f"measured: {type(model).__name__}, inference",
    )
