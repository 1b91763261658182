"""dlnotes.memory.measure: saved tensors counted once per storage, the allocator of the tensors' device."""

import pytest
import torch
import torch.nn.functional as F

from dlnotes.memory import (
    measure_inference,
    measure_training_step,
    mlp,
    saved_tensor_bytes,
)

# ---------------------------------------------------------------------------------------------------------
# Measurement helpers.


def test_saved_tensor_bytes_counts_each_storage_once():
    x = torch.randn(4, 8, requires_grad=True)
    assert saved_tensor_bytes(torch.relu, x) == 4 * 8 * 4  # the output
    assert saved_tensor_bytes(torch.exp, x) == 4 * 8 * 4  # exp saves its output, not its input
    # x * x saves x twice: one storage; x is left out when excluded
    assert saved_tensor_bytes(lambda t: t * t, x) == 4 * 8 * 4
    assert saved_tensor_bytes(lambda t: t * t, x, exclude=[x]) == 0
    # a view saves its base's whole storage: 4 rows of 8 floats, although the view has 2 rows
    assert saved_tensor_bytes(lambda t: (t.exp()[:2] * 3).sin(), x) == 4 * 8 * 4 + 2 * 8 * 4
    layer = torch.nn.Linear(8, 3)
    assert saved_tensor_bytes(layer, x, exclude=[layer, x]) == 0
    assert saved_tensor_bytes(layer, x, exclude=[layer]) == 4 * 8 * 4


def test_measurement_errors():
    model = mlp([3, 2])
    x, y = torch.randn(2, 3), torch.tensor([0, 1])
    opt = torch.optim.SGD(model.parameters())
    with pytest.raises(TypeError, match="fn must be callable, got int"):
        saved_tensor_bytes(3, x)
    with pytest.raises(TypeError, match="exclude must hold tensors or modules, got str"):
        saved_tensor_bytes(torch.relu, x, exclude=["x"])
    with pytest.raises(TypeError, match=r"model must be a torch\.nn\.Module, got builtin_function_or_method"):
        measure_training_step(torch.relu, x, y, F.cross_entropy, opt)
    with pytest.raises(TypeError, match=r"inputs must be a torch\.Tensor, got list"):
        measure_training_step(model, [[1.0, 2.0, 3.0]], y, F.cross_entropy, opt)
    with pytest.raises(TypeError, match=r"targets must be a torch\.Tensor, got list"):
        measure_training_step(model, x, [0, 1], F.cross_entropy, opt)
    with pytest.raises(TypeError, match="loss_fn must be callable, got str"):
        measure_training_step(model, x, y, "ce", opt)
    with pytest.raises(TypeError, match=r"optimizer must be a torch\.optim\.Optimizer, got str"):
        measure_training_step(model, x, y, F.cross_entropy, "sgd")
    with pytest.raises(TypeError, match=r"inputs must be a torch\.Tensor, got tuple"):
        measure_inference(model, (x,))


def test_cuda_device_is_the_one_holding_the_tensors():
    # The allocator counters are per device: read the device of the inputs (or of the first CUDA
    # parameter), not the current device (cuda:0) when the model lives on cuda:1.
    from types import SimpleNamespace

    from dlnotes.memory.measure import _cuda_device

    cpu = SimpleNamespace(is_cuda=False, device=torch.device("cpu"))
    gpu1 = SimpleNamespace(is_cuda=True, device=torch.device("cuda", 1))
    assert _cuda_device([cpu, cpu]) is None
    assert _cuda_device([cpu, gpu1, cpu]) == torch.device("cuda", 1)


@pytest.mark.parametrize("measure", ["training", "inference"])
def test_measurements_read_the_allocator_of_the_tensors_device(monkeypatch, measure):
    # Without a GPU: pretend the tensors live on cuda:1 and record which device each CUDA call is given
    # (torch.cuda's functions default to the current device, cuda:0, when given none).
    import dlnotes.memory

    calls = []
    monkeypatch.setattr(dlnotes.memory.measure, "_cuda_device", lambda tensors: torch.device("cuda", 1))
    for name in ("synchronize", "reset_peak_memory_stats"):
        monkeypatch.setattr(torch.cuda, name, lambda device=None, name=name: calls.append((name, device)))
    monkeypatch.setattr(
        torch.cuda, "max_memory_allocated", lambda device=None: calls.append(("max", device)) or 12345
    )
    model = mlp([3, 4, 2])
    x, y = torch.randn(2, 3), torch.tensor([0, 1])
    if measure == "training":
        r = measure_training_step(model, x, y, F.cross_entropy, torch.optim.SGD(model.parameters()))
    else:
        r = measure_inference(model, x)
    assert r.peak_allocated == 12345
    assert [name for name, _ in calls] == ["synchronize", "reset_peak_memory_stats", "synchronize", "max"]
    assert all(device == torch.device("cuda", 1) for _, device in calls)
