"""Type aliases shared by the signatures of the package (private: for annotations only).

- ``ArrayLike``: what the metrics and :mod:`dlnotes.probability` take, anything :func:`numpy.asarray`
  accepts (lists, NumPy arrays, scalars) or a :class:`torch.Tensor` (detached and moved to the CPU);
- ``IntPair``: a size of :mod:`dlnotes.nn.conv` (kernel, stride, padding, dilation), one int for both
  spatial dimensions or a pair ``(height, width)``;
- ``Label``: one class label as the classification and ranking metrics take it (``pos_label``).
"""

from __future__ import annotations

from typing import TypeAlias

import numpy.typing as npt
import torch

__all__ = ["ArrayLike", "IntPair", "Label"]

ArrayLike: TypeAlias = npt.ArrayLike | torch.Tensor
IntPair: TypeAlias = int | tuple[int, int]
Label: TypeAlias = int | float | bool | str
