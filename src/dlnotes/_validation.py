"""Input checks shared by the whole package (private).

One contract: a value of the wrong *type* raises ``TypeError``, a value of the right type that is out of
range or inconsistent raises ``ValueError``; both messages say what was expected and what came.
"""

from __future__ import annotations

import numbers

import torch


def check_tensor(x, name: str = "x") -> None:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def check_float(x, name: str) -> None:
    check_tensor(x, name)
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {x.dtype}")


def check_dim(x: torch.Tensor, dim) -> int:
    """`dim` as a non-negative axis of `x` (a 0-d tensor has the one axis 0, as in torch)."""
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    ndim = max(x.dim(), 1)
    if not -ndim <= dim < ndim:
        raise ValueError(
            f"dim must be in [{-ndim}, {ndim - 1}] for an input with {x.dim()} dimensions, got {dim}"
        )
    return int(dim) % ndim


def check_int(value, name: str, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_bool(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return value
