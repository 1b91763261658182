"""Input checks shared by the whole package (private).

One contract for every public function of dlnotes:

- a value of the wrong **type** raises ``TypeError``: a list where a tensor is expected, a float where an int
  is expected, a string where a real number is expected, an int where a bool flag is expected. A ``bool`` is
  never a number here, although Python makes it an ``int``: ``True`` for a count or a rate is a
  ``TypeError``, not the number 1;
- a value of the right type that is **out of range** or inconsistent raises ``ValueError``: a negative count,
  NaN or an infinity where a finite number is expected, a name that is not one of the accepted choices (its
  type is not looked at), shapes that do not match.

Both messages say what was expected and what came: ``"step must be an int, got float"``,
``"n_init must be >= 1, got 0"``. Where a function mirrors a torch, NumPy or scikit-learn function whose own
check raises something else for the same input (``torch.optim.SGD(lr=-1)`` raises
``ValueError("Invalid learning rate: -1")``, ``nn.init.calculate_gain("leaky_relu", True)`` a ``ValueError``),
ours keeps that behaviour and the tests compare the two.

The checks return the value in its canonical type (``int``, ``float``, ``bool``, or the non-negative axis
for :func:`check_dim`), so that a call reads ``step = check_int(step, "step", minimum=0)``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch

# ---------------------------------------------------------------------------------------------------------
# Predicates: the type half of the checks, for messages that a caller words itself.


def is_int(value) -> bool:
    """Whether `value` is an integer (a Python or NumPy one) and not a bool.

    Examples
    --------
    >>> is_int(3), is_int(np.int64(3)), is_int(True), is_int(3.0)
    (True, True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_real(value) -> bool:
    """Whether `value` is a real number (int, float, NumPy scalar; NaN and infinities too) and not a bool.

    Examples
    --------
    >>> is_real(0.5), is_real(2), is_real(float("nan")), is_real(True), is_real("0.5")
    (True, True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _bounds(minimum, maximum, strict_min: bool = False, strict_max: bool = False) -> str:
    """The allowed range in words: ``">= 0"``, ``"> 0"``, ``"<= 1"``, ``"in [0, 1)"``."""
    if minimum is not None and maximum is not None:
        return f"in {'(' if strict_min else '['}{minimum}, {maximum}{')' if strict_max else ']'}"
    if minimum is not None:
        return f"{'>' if strict_min else '>='} {minimum}"
    return f"{'<' if strict_max else '<='} {maximum}"


# ---------------------------------------------------------------------------------------------------------
# Tensors.


def check_tensor(x, name: str = "x") -> None:
    """Raise ``TypeError`` unless `x` is a :class:`torch.Tensor`.

    Examples
    --------
    >>> check_tensor(torch.zeros(2), "x")
    >>> check_tensor([1.0, 2.0], "x")
    Traceback (most recent call last):
        ...
    TypeError: x must be a torch.Tensor, got list
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def check_float(x, name: str) -> None:
    """Raise ``TypeError`` unless `x` is a floating-point :class:`torch.Tensor`.

    Examples
    --------
    >>> check_float(torch.zeros(2), "input")
    >>> check_float(torch.zeros(2, dtype=torch.long), "input")
    Traceback (most recent call last):
        ...
    TypeError: input must be a floating-point tensor, got dtype torch.int64
    >>> check_float(None, "input")
    Traceback (most recent call last):
        ...
    TypeError: input must be a torch.Tensor, got NoneType
    """
    check_tensor(x, name)
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {x.dtype}")


def check_dim(x: torch.Tensor, dim) -> int:
    """`dim` as a non-negative axis of `x` (a 0-d tensor has the one axis 0, as in torch).

    ``TypeError`` if `dim` is not an int, ``ValueError`` if it is out of range (where torch raises
    ``IndexError``).

    Examples
    --------
    >>> check_dim(torch.zeros(2, 3), -1)
    1
    >>> check_dim(torch.zeros(2, 3), 1.0)
    Traceback (most recent call last):
        ...
    TypeError: dim must be an int, got float
    >>> check_dim(torch.zeros(2, 3), 2)
    Traceback (most recent call last):
        ...
    ValueError: dim must be in [-2, 1] for an input with 2 dimensions, got 2
    """
    if not is_int(dim):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    ndim = max(x.dim(), 1)
    if not -ndim <= dim < ndim:
        raise ValueError(
            f"dim must be in [{-ndim}, {ndim - 1}] for an input with {x.dim()} dimensions, got {dim}"
        )
    return int(dim) % ndim


def check_finite(x, name: str) -> None:
    """Raise ``ValueError`` if the array or tensor `x` holds NaN or an infinity (scikit-learn's message).

    Arrays that cannot hold either (integers, bools, strings) pass without a look.

    Examples
    --------
    >>> check_finite(np.array([1.0, 2.0]), "y_true")
    >>> check_finite(np.array([1.0, np.nan]), "y_true")
    Traceback (most recent call last):
        ...
    ValueError: Input y_true contains NaN.
    >>> check_finite(torch.tensor([1.0, float("inf")]), "X")
    Traceback (most recent call last):
        ...
    ValueError: Input X contains infinity.
    """
    if isinstance(x, torch.Tensor):
        if not (x.is_floating_point() or x.is_complex()) or bool(torch.isfinite(x).all()):
            return
        has_nan = bool(torch.isnan(x).any())
    else:
        arr = np.asarray(x)
        if arr.dtype.kind not in "fc":
            return
        has_nan = bool(np.isnan(arr).any())
        if not has_nan and not np.isinf(arr).any():
            return
    raise ValueError(f"Input {name} contains {'NaN' if has_nan else 'infinity'}.")


def to_numpy(x, name: str, what: str = "array") -> np.ndarray:
    """`x` as a NumPy array (a torch tensor is detached and moved to the CPU), or a clear error.

    Shared by the modules that take array-like data (``probability``, ``metrics``); `what` names the
    expected content in the ``ValueError`` for ragged input.

    Examples
    --------
    >>> to_numpy(torch.tensor([1, 2]), "y")
    array([1, 2])
    >>> to_numpy([[1, 2], [3]], "y")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: y must be a rectangular array: ...
    """
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    try:
        return np.asarray(x)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular {what}: {err}") from None


# ---------------------------------------------------------------------------------------------------------
# Scalars.


def check_int(value, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """`value` as an ``int``, after checking that it is an integer in ``[minimum, maximum]``.

    ``TypeError`` if `value` is not an int (a Python or NumPy integer; a bool or a float is refused, even
    ``2.0``), ``ValueError`` if it lies outside the bounds (None: unbounded on that side).

    Examples
    --------
    >>> check_int(np.int64(3), "n", minimum=1)
    3
    >>> check_int(2.0, "n_clusters", minimum=1)
    Traceback (most recent call last):
        ...
    TypeError: n_clusters must be an int, got float
    >>> check_int(True, "step")
    Traceback (most recent call last):
        ...
    TypeError: step must be an int, got bool
    >>> check_int(0, "n_init", minimum=1)
    Traceback (most recent call last):
        ...
    ValueError: n_init must be >= 1, got 0
    >>> check_int(11, "n_clusters", minimum=1, maximum=10)
    Traceback (most recent call last):
        ...
    ValueError: n_clusters must be in [1, 10], got 11
    """
    if not is_int(value):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {_bounds(minimum, maximum)}, got {value}")
    return value


def check_number(value, name: str) -> float:
    """`value` as a ``float``, after checking only its type: a real number, not a bool.

    The type half of :func:`check_real`, for a caller that words the range error itself (``dropout``
    keeps torch's message). NaN and infinities pass.

    Examples
    --------
    >>> check_number(1, "p")
    1.0
    >>> check_number("0.5", "p")
    Traceback (most recent call last):
        ...
    TypeError: p must be a real number, got str
    """
    if not is_real(value):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    return float(value)


def check_real(
    value,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_min: bool = False,
    strict_max: bool = False,
    finite: bool = True,
) -> float:
    """`value` as a ``float``, after checking that it is a real number in the given range.

    ``TypeError`` if `value` is not a real number (a bool or a string is refused); ``ValueError`` if it is
    NaN, infinite (unless ``finite=False``; NaN is refused even then), or outside ``[minimum, maximum]``
    (an open end with `strict_min` or `strict_max`; None: unbounded on that side).

    Examples
    --------
    >>> check_real(2, "gamma", minimum=0)
    2.0
    >>> check_real(True, "gamma", minimum=0)
    Traceback (most recent call last):
        ...
    TypeError: gamma must be a real number, got bool
    >>> check_real(float("nan"), "gamma", minimum=0)
    Traceback (most recent call last):
        ...
    ValueError: gamma must be finite, got nan
    >>> check_real(-1.0, "eps", minimum=0)
    Traceback (most recent call last):
        ...
    ValueError: eps must be >= 0, got -1.0
    >>> check_real(0.0, "gamma", minimum=0, strict_min=True)
    Traceback (most recent call last):
        ...
    ValueError: gamma must be > 0, got 0.0
    >>> check_real(float("inf"), "max_norm", minimum=0, finite=False)
    inf
    """
    value = check_number(value, name)
    if math.isnan(value):
        raise ValueError(f"{name} must be {'finite' if finite else 'a number, not NaN'}, got {value}")
    if finite and math.isinf(value):
        raise ValueError(f"{name} must be finite, got {value}")
    too_low = minimum is not None and (value <= minimum if strict_min else value < minimum)
    too_high = maximum is not None and (value >= maximum if strict_max else value > maximum)
    if too_low or too_high:
        raise ValueError(f"{name} must be {_bounds(minimum, maximum, strict_min, strict_max)}, got {value}")
    return value


def check_probability(value, name: str) -> float:
    """`value` as a ``float``, after checking that it is a real number in ``[0, 1]``.

    Examples
    --------
    >>> check_probability(1, "start_factor")
    1.0
    >>> check_probability(None, "alpha")
    Traceback (most recent call last):
        ...
    TypeError: alpha must be a real number, got NoneType
    >>> check_probability(1.5, "alpha")
    Traceback (most recent call last):
        ...
    ValueError: alpha must be in [0, 1], got 1.5
    """
    return check_real(value, name, minimum=0, maximum=1)


def check_bool(value, name: str) -> bool:
    """`value` as a ``bool``, after checking that it is one (a Python or NumPy bool; 0 and 1 are refused).

    Examples
    --------
    >>> check_bool(np.bool_(True), "training")
    True
    >>> check_bool(1, "amsgrad")
    Traceback (most recent call last):
        ...
    TypeError: amsgrad must be a bool, got int
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return bool(value)


def check_choice(value, name: str, choices):
    """`value`, after checking that it is one of `choices` (compared by equality, strings only to strings).

    A value outside the choices is a ``ValueError`` whatever its type: the message lists the choices.

    Examples
    --------
    >>> check_choice("mean", "reduction", ("none", "mean", "sum"))
    'mean'
    >>> check_choice("avg", "reduction", ("none", "mean", "sum"))
    Traceback (most recent call last):
        ...
    ValueError: reduction must be one of ('none', 'mean', 'sum'), got 'avg'
    >>> check_choice(None, "unit", ("B", "KiB", None))
    """
    for choice in choices:
        if value is choice or (type(value) is type(choice) and value == choice):
            return value
        if isinstance(choice, str) and isinstance(value, str) and value == choice:
            return value
    raise ValueError(f"{name} must be one of {tuple(choices)!r}, got {value!r}")
