"""dlnotes.utils: seeding reproduces all three generators; DLNOTES_DEVICE decides the device."""

import random

import numpy as np
import pytest
import torch

import dlnotes
from dlnotes.utils import DEVICE_ENV_VAR, get_device, set_seed


def _draws():
    # set_seed seeds NumPy's global (legacy) generator, so that is the one drawn from here
    return random.random(), np.random.rand(3).tolist(), torch.rand(3).tolist()  # noqa: NPY002


def test_reexported_from_package():
    assert dlnotes.set_seed is set_seed and dlnotes.get_device is get_device


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32 - 1, np.int64(7)])
def test_set_seed_repeats_python_numpy_and_torch(seed):
    assert set_seed(seed) == int(seed)
    first = _draws()
    set_seed(seed)
    assert _draws() == first


def test_different_seeds_give_different_draws():
    set_seed(0)
    a = _draws()
    set_seed(1)
    assert all(x != y for x, y in zip(a, _draws()))


@pytest.mark.parametrize("bad", [1.0, "0", None, True, [0]])
def test_set_seed_rejects_non_integers(bad):
    with pytest.raises(TypeError, match="seed must be an int"):
        set_seed(bad)


@pytest.mark.parametrize("bad", [-1, 2**32])
def test_set_seed_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match=r"seed must be in \[0, 4294967295\]"):
        set_seed(bad)


@pytest.fixture
def fake_cuda(monkeypatch):
    """Pretend the machine has `count` CUDA devices (0 means none)."""

    def install(count):
        monkeypatch.setattr(torch.cuda, "is_available", lambda: count > 0)
        monkeypatch.setattr(torch.cuda, "device_count", lambda: count)

    return install


@pytest.mark.parametrize(("count", "expected"), [(0, "cpu"), (1, "cuda")])
def test_default_prefers_cuda_when_available(monkeypatch, fake_cuda, count, expected):
    monkeypatch.delenv(DEVICE_ENV_VAR, raising=False)
    fake_cuda(count)
    assert get_device() == torch.device(expected)


@pytest.mark.parametrize(
    ("value", "count", "expected"),
    [("cpu", 1, "cpu"), ("CPU ", 0, "cpu"), ("cuda", 1, "cuda"), ("cuda:1", 2, "cuda:1"), ("", 0, "cpu")],
)
def test_env_var_decides(monkeypatch, fake_cuda, value, count, expected):
    monkeypatch.setenv(DEVICE_ENV_VAR, value)
    fake_cuda(count)
    assert get_device() == torch.device(expected)


@pytest.mark.parametrize("value", ["tpu", "cuda:x", "cuda:", "mps", "gpu"])
def test_env_var_rejects_unknown_devices(monkeypatch, fake_cuda, value):
    monkeypatch.setenv(DEVICE_ENV_VAR, value)
    fake_cuda(1)
    with pytest.raises(ValueError, match="must be 'cpu', 'cuda' or 'cuda:<index>'"):
        get_device()


def test_env_var_cuda_without_gpu_is_an_error(monkeypatch, fake_cuda):
    monkeypatch.setenv(DEVICE_ENV_VAR, "cuda")
    fake_cuda(0)
    with pytest.raises(RuntimeError, match="sees no CUDA device"):
        get_device()


def test_env_var_cuda_index_out_of_range(monkeypatch, fake_cuda):
    monkeypatch.setenv(DEVICE_ENV_VAR, "cuda:2")
    fake_cuda(2)
    with pytest.raises(RuntimeError, match=r"only 2 CUDA device\(s\)"):
        get_device()
