r"""The law of total probability and Bayes' theorem over a partition of hypotheses.

For a partition :math:`A_1, \dots, A_k` of the sample space and an event :math:`B`:

.. math::

    P(B) = \sum_i P(B \mid A_i)\, P(A_i), \qquad
    P(A_i \mid B) = \frac{P(B \mid A_i)\, P(A_i)}{P(B)}.

Both functions take the priors :math:`P(A_i)` and the likelihoods :math:`P(B \mid A_i)` as arrays whose
**last axis runs over the hypotheses**; leading axes broadcast, so one call evaluates a whole grid of
scenarios (for example every prevalence on a plot's x-axis).

Reference: Blitzstein & Hwang (2019), *Introduction to Probability*, 2nd ed., ch. 2.
"""

from __future__ import annotations

import numpy as np

from dlnotes._typing import ArrayLike
from dlnotes._validation import to_numpy

__all__ = ["bayes_posterior", "total_probability"]

#: How far the priors over the hypotheses may sum from 1 (absolute), to allow for rounding in the input.
PRIOR_SUM_ATOL = 1e-6


def _as_probabilities(x, name: str) -> np.ndarray:
    """Turn `x` into a float64 array of probabilities with at least one axis, or raise a clear error."""
    arr = to_numpy(x, name, "array of probabilities")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if arr.ndim == 0:
        raise ValueError(f"{name} must have a last axis with one entry per hypothesis, got a scalar")
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} must hold at least one hypothesis, got shape {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} must be probabilities in [0, 1], got NaN")
    if arr.min() < 0.0 or arr.max() > 1.0:
        raise ValueError(
            f"{name} must be probabilities in [0, 1], got values from {arr.min()} to {arr.max()}"
        )
    return arr


def _check(priors, likelihoods) -> tuple[np.ndarray, np.ndarray]:
    """Validate and broadcast priors and likelihoods; shared by both public functions."""
    priors = _as_probabilities(priors, "priors")
    likelihoods = _as_probabilities(likelihoods, "likelihoods")
    if priors.shape[-1] != likelihoods.shape[-1]:
        raise ValueError(
            "priors and likelihoods must have the same number of hypotheses on the last axis, "
            f"got {priors.shape[-1]} and {likelihoods.shape[-1]}"
        )
    sums = priors.sum(axis=-1)
    off = np.abs(sums - 1.0) > PRIOR_SUM_ATOL
    if off.any():
        worst = sums[off].flat[0]
        raise ValueError(
            f"priors must sum to 1 over the last axis (a partition of the sample space), got a sum of {worst}"
        )
    try:
        priors, likelihoods = np.broadcast_arrays(priors, likelihoods)
    except ValueError:
        raise ValueError(
            f"priors of shape {priors.shape} and likelihoods of shape {likelihoods.shape} do not broadcast"
        ) from None
    return priors, likelihoods


def total_probability(priors: ArrayLike, likelihoods: ArrayLike) -> np.ndarray:
    r"""Probability of an event from its conditional probabilities over a partition.

    .. math:: P(B) = \sum_{i=1}^{k} P(B \mid A_i)\, P(A_i)

    Parameters
    ----------
    priors : array_like or torch.Tensor, shape (..., k)
        :math:`P(A_i)` for the hypotheses of a partition; each row sums to 1.
    likelihoods : array_like or torch.Tensor, shape (..., k)
        :math:`P(B \mid A_i)`, each in [0, 1]; they need not sum to 1. Broadcasts against `priors`.

    Returns
    -------
    numpy.ndarray of float64, shape (...)
        :math:`P(B)` for every broadcast row; a 0-d value (``np.float64``) for 1-D inputs.

    Raises
    ------
    TypeError
        If an input does not hold real numbers.
    ValueError
        If an input is a scalar, empty, ragged, NaN or outside [0, 1]; if the priors do not sum to 1
        (within ``PRIOR_SUM_ATOL``); if the two disagree on the number of hypotheses or do not broadcast.

    Examples
    --------
    A test with sensitivity 0.99 and false-positive rate 0.01, for a disease with prevalence 0.01:

    >>> p = total_probability([0.01, 0.99], [0.99, 0.01])  # P(positive)
    >>> round(float(p), 10)
    0.0198

    One call evaluates several prevalences at once:

    >>> total_probability([[0.01, 0.99], [0.1, 0.9]], [0.99, 0.01]).round(4)
    array([0.0198, 0.108 ])
    """
    priors, likelihoods = _check(priors, likelihoods)
    return (priors * likelihoods).sum(axis=-1)[()]


def bayes_posterior(priors: ArrayLike, likelihoods: ArrayLike) -> np.ndarray:
    r"""Posterior probability of each hypothesis after observing an event (Bayes' theorem).

    .. math:: P(A_i \mid B) = \frac{P(B \mid A_i)\, P(A_i)}{\sum_j P(B \mid A_j)\, P(A_j)}

    Parameters
    ----------
    priors : array_like or torch.Tensor, shape (..., k)
        :math:`P(A_i)` for the hypotheses of a partition; each row sums to 1.
    likelihoods : array_like or torch.Tensor, shape (..., k)
        :math:`P(B \mid A_i)`, each in [0, 1]. Broadcasts against `priors`.

    Returns
    -------
    numpy.ndarray of float64, shape (..., k)
        :math:`P(A_i \mid B)`; each row sums to 1. The posterior can be fed back as the prior of the next
        observation when observations are conditionally independent given the hypothesis.

    Raises
    ------
    TypeError
        If an input does not hold real numbers.
    ValueError
        For every error of :func:`total_probability`, and if the event has probability 0 under the
        priors (every product :math:`P(B \mid A_i) P(A_i)` is 0), where the posterior is undefined.

    Examples
    --------
    >>> bayes_posterior([0.01, 0.99], [0.99, 0.01]).round(6)  # P(disease | +), P(healthy | +)
    array([0.5, 0.5])

    A second, conditionally independent positive test updates that posterior again:

    >>> bayes_posterior([0.5, 0.5], [0.99, 0.01]).round(6)
    array([0.99, 0.01])
    """
    priors, likelihoods = _check(priors, likelihoods)
    joint = priors * likelihoods  # P(B, A_i)
    evidence = joint.sum(axis=-1, keepdims=True)  # P(B)
    impossible = evidence == 0.0
    if impossible.any():
        raise ValueError(
            f"the observed event has probability 0 under the priors in {int(impossible.sum())} row(s) "
            "(every likelihood times prior is 0), so the posterior is undefined"
        )
    return joint / evidence
