"""Reproducibility and device selection shared by every chapter.

Every notebook starts with ``set_seed(0)`` and ``device = get_device()``, so the same cells give the same
numbers on every run and run unchanged on a CPU or a CUDA GPU.
"""

from __future__ import annotations

import os
import random

import numpy as np
import torch

from dlnotes._validation import check_int

__all__ = ["DEVICE_ENV_VAR", "get_device", "set_seed"]

#: Environment variable that forces the device returned by :func:`get_device`.
DEVICE_ENV_VAR = "DLNOTES_DEVICE"

# NumPy's legacy global generator only takes seeds in [0, 2**32).
_MAX_SEED = 2**32 - 1


def set_seed(seed: int) -> int:
    """Seed Python's, NumPy's and PyTorch's global random generators.

    PyTorch's seed covers the CPU generator and the generator of every CUDA device, so a notebook that
    calls ``set_seed`` once in its imports cell draws the same numbers on every run of the same device.
    CPU and CUDA generators are different algorithms: the same seed gives different draws on each.

    Parameters
    ----------
    seed : int
        A whole number in ``[0, 2**32 - 1]`` (the range NumPy's global generator accepts).

    Returns
    -------
    int
        The seed, so that a cell can record which one it used.

    Raises
    ------
    TypeError
        If `seed` is not an ``int`` (``bool`` is refused too).
    ValueError
        If `seed` is outside ``[0, 2**32 - 1]``.

    Examples
    --------
    >>> import torch
    >>> _ = set_seed(0)
    >>> a = torch.rand(3)
    >>> _ = set_seed(0)
    >>> torch.equal(a, torch.rand(3))
    True
    """
    seed = check_int(seed, "seed", minimum=0, maximum=_MAX_SEED)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (the legacy global generator is the one to seed)
    torch.manual_seed(seed)  # seeds the CPU generator and every CUDA device's generator
    return seed


def get_device() -> torch.device:
    """Return the device the book's cells run on.

    The environment variable ``DLNOTES_DEVICE`` decides when it is set (to ``cpu``, ``cuda`` or
    ``cuda:<index>``); otherwise the first CUDA GPU when one is available, else the CPU.

    Returns
    -------
    torch.device

    Raises
    ------
    ValueError
        If ``DLNOTES_DEVICE`` holds anything other than ``cpu``, ``cuda`` or ``cuda:<index>``.
    RuntimeError
        If ``DLNOTES_DEVICE`` asks for CUDA (or a CUDA index) that this machine does not have.

    Examples
    --------
    >>> get_device().type in {"cpu", "cuda"}
    True
    """
    requested = os.environ.get(DEVICE_ENV_VAR, "").strip().lower()
    if not requested:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cpu":
        return torch.device("cpu")
    kind, colon, index = requested.partition(":")
    if kind != "cuda" or (colon and not index.isdigit()):
        raise ValueError(
            f"{DEVICE_ENV_VAR} must be 'cpu', 'cuda' or 'cuda:<index>', got {os.environ[DEVICE_ENV_VAR]!r}"
        )
    if not torch.cuda.is_available():
        raise RuntimeError(
            f"{DEVICE_ENV_VAR}={requested} but PyTorch sees no CUDA device; "
            f"unset {DEVICE_ENV_VAR} or set it to 'cpu'"
        )
    if index and int(index) >= torch.cuda.device_count():
        raise RuntimeError(
            f"{DEVICE_ENV_VAR}={requested} but only {torch.cuda.device_count()} CUDA device(s) are visible"
        )
    return torch.device(requested)
