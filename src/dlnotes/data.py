"""The data sets the chapters train on, prepared once: scikit-learn's 8×8 handwritten digits.

- :func:`digits`: the 1,797 images as tensors, scaled, shuffled with a seed and split into consecutive parts;
- :class:`Digits`: what it returns, ``X_train, y_train, X_val, y_val, X_test, y_test``.

The images come from the copy bundled with scikit-learn (:func:`sklearn.datasets.load_digits`): nothing is
downloaded, and scikit-learn is imported only when :func:`digits` is called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch

from dlnotes._validation import check_choice, check_int

__all__ = ["N_DIGITS", "SCALES", "Digits", "digits"]

#: Number of images in scikit-learn's digits (``load_digits``): 8×8 pixels of 0 to 16 grey levels, 10 classes.
N_DIGITS = 1797

#: The values `scale` of :func:`digits` accepts: grey levels as they are, divided by 16, standardized.
SCALES = (None, "unit", "standardize")

_MAX_SEED = 2**64 - 1  # the largest seed torch.Generator.manual_seed takes


class Digits(NamedTuple):
    """The digits as :func:`digits` returns them: images ``(n, 64)`` and labels ``(n,)`` of each part.

    A part that the split does not ask for is ``None``; with no split, every image is in the training part.
    """

    X_train: torch.Tensor
    y_train: torch.Tensor
    X_val: torch.Tensor | None
    y_val: torch.Tensor | None
    X_test: torch.Tensor | None
    y_test: torch.Tensor | None


def _check_split(split) -> tuple[int, ...] | None:
    if split is None:
        return None
    if isinstance(split, (str, bytes)) or not isinstance(split, Sequence):
        raise TypeError(
            f"split must be None or a tuple (n_train, n_test) or (n_train, n_val, n_test), "
            f"got {type(split).__name__}"
        )
    if len(split) not in (2, 3):
        raise ValueError(
            f"split must have 2 sizes (n_train, n_test) or 3 (n_train, n_val, n_test), got {len(split)}"
        )
    sizes = tuple(check_int(n, f"split[{i}]", minimum=1) for i, n in enumerate(split))
    if sum(sizes) > N_DIGITS:
        raise ValueError(f"split must add up to at most {N_DIGITS} images, got {sizes} (sum {sum(sizes)})")
    return sizes


def _check_dtype(dtype) -> None:
    if not isinstance(dtype, torch.dtype):
        raise TypeError(f"dtype must be a torch.dtype, got {type(dtype).__name__}")
    if not dtype.is_floating_point:
        raise ValueError(f"dtype must be a floating-point dtype, got {dtype}")


def _check_device(device) -> torch.device:
    if device is None:
        return torch.device("cpu")
    if not isinstance(device, (str, torch.device)):
        raise TypeError(f"device must be None, a str or a torch.device, got {type(device).__name__}")
    try:
        return torch.device(device)
    except RuntimeError as err:
        raise ValueError(f"device must name a torch device such as 'cpu' or 'cuda', got {device!r}") from err


def digits(
    *,
    split: Sequence[int] | None = None,
    scale: str | None = "unit",
    dtype: torch.dtype = torch.float32,
    device: str | torch.device | None = None,
    seed: int = 0,
) -> Digits:
    """Scikit-learn's 1,797 handwritten digits as tensors on `device`, scaled and split with a seed.

    The split is a random permutation of the images, ``torch.randperm(1797, generator=g)`` with a CPU
    generator ``g`` seeded with `seed`, cut into consecutive parts: the first ``n_train`` images are the
    training part, the next ``n_val`` the validation part, the next ``n_test`` the test part. The same seed
    gives the same parts on every device.

    Parameters
    ----------
    split : None or tuple of int, default None
        ``(n_train, n_test)`` or ``(n_train, n_val, n_test)``: sizes of the parts, each at least 1, adding up
        to at most 1,797 (images after the last part are left out). ``None``: no shuffling, every image in
        ``load_digits`` order as the training part.
    scale : {"unit", "standardize", None}, default "unit"
        ``"unit"``: the grey levels divided by 16, in ``[0, 1]``. ``"standardize"``: ``(x - mean) / std`` per
        pixel, with the mean and the (Bessel-corrected) standard deviation of the *training* part, computed in
        `dtype` on `device`; the standard deviation is clamped at one grey level, because some border pixels
        are 0 in every training image (and 0/0 would be NaN). ``None``: the grey levels 0 to 16 as they are.
    dtype : torch.dtype, default torch.float32
        Floating-point dtype of the images; the labels are ``torch.int64``.
    device : None, str or torch.device, default None
        Where the tensors are put; ``None`` is the CPU.
    seed : int, default 0
        Seed of the permutation, in ``[0, 2**64 - 1]``; unused when `split` is ``None``.

    Returns
    -------
    Digits
        ``X_train, y_train, X_val, y_val, X_test, y_test``: images ``(n, 64)`` and labels ``(n,)`` in 0..9;
        ``X_val, y_val`` are ``None`` for a split of two sizes, and all but the training part for no split.

    Raises
    ------
    TypeError
        `split` not ``None`` or a sequence of ints, `dtype` not a ``torch.dtype``, `device` not ``None``, a
        str or a ``torch.device``, `seed` not an int.
    ValueError
        `split` with other than 2 or 3 sizes, a size below 1 or sizes adding up to more than 1,797; an unknown
        `scale`; a training part of one image with ``scale="standardize"`` (no standard deviation); `dtype`
        not floating point; an unknown device name; `seed` outside ``[0, 2**64 - 1]``.

    Examples
    --------
    >>> d = digits(split=(1000, 400, 397))
    >>> d.X_train.shape, d.X_val.shape, d.X_test.shape
    (torch.Size([1000, 64]), torch.Size([400, 64]), torch.Size([397, 64]))
    >>> d.X_train.dtype, d.y_train.dtype, d.X_train.min().item(), d.X_train.max().item()
    (torch.float32, torch.int64, 0.0, 1.0)
    >>> X, y, *rest = digits(scale=None, dtype=torch.float64)
    >>> X.shape, y[:10].tolist(), rest
    (torch.Size([1797, 64]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [None, None, None, None])
    """
    sizes = _check_split(split)
    check_choice(scale, "scale", SCALES)
    _check_dtype(dtype)
    device = _check_device(device)
    seed = check_int(seed, "seed", minimum=0, maximum=_MAX_SEED)
    n_train = N_DIGITS if sizes is None else sizes[0]
    if scale == "standardize" and n_train < 2:
        raise ValueError(f"scale='standardize' needs at least 2 training images, got {n_train}")

    from sklearn.datasets import load_digits  # only here: the package itself does not need scikit-learn

    images, labels = load_digits(return_X_y=True)
    X = torch.tensor(images, dtype=dtype, device=device)  # (1797, 64), grey levels 0..16
    y = torch.tensor(labels, device=device)  # (1797,), int64
    if sizes is None:
        parts = [slice(None)]  # every image, in load_digits order
    else:
        perm = torch.randperm(N_DIGITS, generator=torch.Generator().manual_seed(seed)).to(device)
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        parts = [perm[start : start + n] for start, n in zip(starts, sizes)]
    if scale == "unit":
        X = X / 16
    elif scale == "standardize":
        train = X[parts[0]]
        X = (X - train.mean(0)) / train.std(0).clamp_min(1.0)
    pairs = [(X[idx], y[idx]) for idx in parts]
    if len(pairs) == 1:
        return Digits(*pairs[0], None, None, None, None)
    if len(pairs) == 2:
        return Digits(*pairs[0], None, None, *pairs[1])
    return Digits(*pairs[0], *pairs[1], *pairs[2])
