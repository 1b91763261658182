r"""k-means clustering written with torch, mirroring ``sklearn.cluster.KMeans(algorithm="lloyd")``.

- :func:`kmeans_plusplus`: greedy k-means++ seeding (Arthur & Vassilvitskii 2007) as scikit-learn does
  it: the first center is a uniformly drawn sample; each next one is the best, by the resulting
  potential (sum of squared distances to the nearest center), of :math:`2 + \lfloor \ln k \rfloor`
  candidates drawn with probability proportional to the squared distance to the nearest chosen center.
- :func:`kmeans`: Lloyd's algorithm (Lloyd 1982) with scikit-learn 1.9's rules, so that from the same
  initial centers it gives the same labels, inertia and number of iterations:

  1. assign every sample to its nearest center (ties to the lowest index), recompute each center as the
     mean of its samples; an empty cluster is relocated to the sample farthest from its (old) center,
     which leaves its cluster (the farthest first when several are empty; nothing is relocated if every
     sample sits on its center) and a cluster left with no sample is put on the largest cluster's
     center;
  2. stop when the labels did not change (strict convergence), or when the total squared center shift
     :math:`\sum_c \lVert \mu_c^{new} - \mu_c^{old} \rVert^2` is at most ``tol`` times the mean of the
     per-feature variances of X, or after ``max_iter`` iterations;
  3. if the convergence was not strict, relabel the samples with the final centers, then compute the
     inertia :math:`\sum_i \lVert x_i - \mu_{\ell_i} \rVert^2`.

  Like scikit-learn, the data are centered (the feature means subtracted) before the distances are
  computed, and ``n_init`` runs keep the one with the lowest inertia.

Everything runs in float64 on the device of X (a tensor stays where it is, a NumPy array goes to the
CPU), so the same code runs on a GPU. The random draws use a CPU :class:`torch.Generator` seeded with
``seed``, so a seed gives the same centers on every device; they are not scikit-learn's draws (its
NumPy ``RandomState`` cannot be reproduced), so the tests compare k-means++ by the inertia it reaches.

Not mirrored: sample weights, sparse input, the Elkan variant, float32 computation, callable ``init``
scikit-learn's warning when ``n_init > 1`` with an array ``init`` (here that array is used once, since
every run would be the same) and its ``ConvergenceWarning`` when fewer than k distinct clusters are left
(here the result is returned silently; count ``labels.unique()`` to check).

References
----------
- Lloyd, S. P. (1982). Least squares quantization in PCM. *IEEE Transactions on Information Theory*
  28(2), 129-137.
- Arthur, D., Vassilvitskii, S. (2007). k-means++: the advantages of careful seeding. *SODA*.
- Pedregosa, F. et al. (2011). Scikit-learn: machine learning in Python. *JMLR* 12, 2825-2830.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch

from dlnotes._typing import ArrayLike
from dlnotes._validation import check_finite, check_int, check_real

__all__ = ["KMeansResult", "greedy_kmeans_plusplus", "kmeans", "kmeans_plusplus", "lloyd"]


class KMeansResult(NamedTuple):
    """What :func:`kmeans` returns (scikit-learn's fitted attributes, without the trailing underscore).

    Attributes
    ----------
    centers : torch.Tensor of shape (k, d)
        Final centers (float64, on the device of X), ``cluster_centers_`` in scikit-learn.
    labels : torch.Tensor of shape (n,)
        Index of each sample's center (int64), ``labels_``.
    inertia : float
        Sum of squared distances of the samples to their center, ``inertia_``.
    n_iter : int
        Number of Lloyd iterations of the run kept, ``n_iter_``.

    Examples
    --------
    >>> result = kmeans([[0.0], [0.2], [5.0], [5.2]], 2, init=[[0.0], [5.0]])
    >>> result.labels.tolist(), round(result.inertia, 6), result.n_iter
    ([0, 0, 1, 1], 0.04, 2)
    """

    centers: torch.Tensor
    labels: torch.Tensor
    inertia: float
    n_iter: int


# ---------------------------------------------------------------------------------------------------------
# Input checks.


def _as_float64(x, name: str, device=None) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        t = x.detach()
        if t.dtype.is_complex or t.dtype == torch.bool:
            raise ValueError(f"{name} must hold real numbers, got dtype {t.dtype}")
        t = t.to(dtype=torch.float64, device=device if device is not None else t.device)
    else:
        arr = np.asarray(x)
        if arr.dtype.kind not in "iuf":
            raise ValueError(f"{name} must hold real numbers, got an array of dtype {arr.dtype}")
        t = torch.as_tensor(arr.astype(np.float64), device=device)
    check_finite(t, name)
    return t


def _check_X(X) -> torch.Tensor:
    X = _as_float64(X, "X")
    if X.dim() != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {tuple(X.shape)}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must have at least one sample and one feature, got shape {tuple(X.shape)}")
    return X


def _check_float64_matrix(x, name: str) -> None:
    """`x` as :func:`greedy_kmeans_plusplus` and :func:`lloyd` take it: a 2-D float64 tensor, not empty."""
    if not isinstance(x, torch.Tensor) or x.dtype != torch.float64:
        got = f"dtype {x.dtype}" if isinstance(x, torch.Tensor) else type(x).__name__
        raise TypeError(f"{name} must be a float64 torch.Tensor, got {got}")
    if x.dim() != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"{name} must be a non-empty 2-D tensor (n, d), got shape {tuple(x.shape)}")


def _generator(seed) -> torch.Generator:
    gen = torch.Generator()  # on the CPU: the same draws on every device
    if seed is None:
        gen.seed()
    else:
        gen.manual_seed(check_int(seed, "seed", minimum=0))
    return gen


def _sq_distances(X: torch.Tensor, C: torch.Tensor, x_sq: torch.Tensor) -> torch.Tensor:
    """(n, k) squared Euclidean distances ||x||^2 - 2 x.c + ||c||^2, clipped at 0 (as scikit-learn)."""
    d = x_sq[:, None] - 2.0 * (X @ C.T) + (C * C).sum(1)[None, :]
    return d.clamp_min_(0.0)


# ---------------------------------------------------------------------------------------------------------
# k-means++.


def greedy_kmeans_plusplus(
    X: torch.Tensor, k: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Greedy k-means++ seeding on a float64 tensor with an explicit generator: the algorithm of
    :func:`kmeans_plusplus`.

    The first center is the sample of index ``randint(n)``; for each next one, :math:`2 + \lfloor \ln k
    \rfloor` candidates are drawn with probability :math:`D(x)^2 / \sum D^2` (inverse CDF of the
    cumulative sums, by :func:`torch.searchsorted`) and the one leaving the smallest potential
    :math:`\sum_i \min_c \lVert x_i - \mu_c \rVert^2` is kept. :func:`kmeans_plusplus` converts and
    checks its input, then calls this; :func:`kmeans` calls it on the centered data.

    Parameters
    ----------
    X : torch.Tensor of shape (n, d)
        The samples, float64 (on any device; the draws are made on the CPU).
    k : int
        The number of centers, in ``[1, n]``.
    generator : torch.Generator
        A CPU generator for the draws; it advances.

    Returns
    -------
    centers : torch.Tensor of shape (k, d)
        ``X[indices]``.
    indices : torch.Tensor of shape (k,)
        Indices of the chosen samples (int64, on the device of X).

    Raises
    ------
    TypeError
        If `X` is not a float64 tensor, `k` not an int or `generator` not a :class:`torch.Generator`.
    ValueError
        If `X` is not a non-empty 2-D tensor or `k` is not in ``[1, n]``.

    Examples
    --------
    >>> X = torch.tensor([[0.0, 0.0], [0.1, 0.0], [10.0, 10.0], [10.1, 10.0]], dtype=torch.float64)
    >>> centers, indices = greedy_kmeans_plusplus(X, 2, torch.Generator().manual_seed(0))
    >>> sorted(int(i) // 2 for i in indices)  # one center in each group
    [0, 1]
    """
    _check_float64_matrix(X, "X")
    k = check_int(k, "k", minimum=1, maximum=X.shape[0])
    if not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}")
    n = X.shape[0]
    n_trials = 2 + int(math.log(k))  # 2 + floor(ln k) candidates per center
    x_sq = (X * X).sum(1)
    indices = torch.empty(k, dtype=torch.int64)
    indices[0] = int(torch.randint(n, (1,), generator=generator))
    closest = _sq_distances(X, X[indices[:1].to(X.device)], x_sq)[:, 0]
    potential = closest.sum()
    for c in range(1, k):
        # candidates drawn with probability D(x)^2 / sum D^2 (inverse CDF by searchsorted)
        u = torch.rand(n_trials, generator=generator, dtype=torch.float64).to(X.device) * potential
        cand = torch.searchsorted(torch.cumsum(closest, 0), u).clamp_max_(n - 1)
        dist = torch.minimum(closest[None, :], _sq_distances(X, X[cand], x_sq).T)
        pots = dist.sum(1)
        best = int(torch.argmin(pots))  # the candidate leaving the smallest potential
        potential, closest = pots[best], dist[best]
        indices[c] = int(cand[best])
    indices = indices.to(X.device)
    return X[indices], indices


def kmeans_plusplus(
    X: ArrayLike, n_clusters: int, *, seed: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Greedy k-means++ initial centers, like :func:`sklearn.cluster.kmeans_plusplus`.

    The first center is a sample drawn uniformly; each next one is chosen among
    :math:`2 + \lfloor \ln k \rfloor` candidates drawn with probability :math:`D(x)^2 / \sum D^2`
    (:math:`D(x)` the distance to the nearest center so far) as the one that minimises the potential
    :math:`\sum_i \min_c \lVert x_i - \mu_c \rVert^2` after adding it.

    Parameters
    ----------
    X : array-like or torch.Tensor of shape (n, d)
        The samples (computed in float64 on the tensor's device, or the CPU for NumPy input).
    n_clusters : int
        The number of centers k, in ``[1, n]``.
    seed : int or None, default=None
        Seed of the CPU :class:`torch.Generator` used for the draws (None: a fresh random seed).

    Returns
    -------
    centers : torch.Tensor of shape (k, d)
        ``X[indices]`` in float64.
    indices : torch.Tensor of shape (k,)
        Indices of the chosen samples (int64).

    Raises
    ------
    TypeError
        If `n_clusters` or `seed` is not an int (``2.0`` and ``True`` included).
    ValueError
        If X is not a finite, non-empty 2-D array of numbers, `n_clusters` is not in ``[1, n]`` or `seed`
        is negative.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [10.0, 10.0], [10.1, 10.0]])
    >>> centers, indices = kmeans_plusplus(X, 2, seed=0)
    >>> sorted(int(i) // 2 for i in indices)  # one center in each group
    [0, 1]
    """
    X = _check_X(X)
    k = check_int(n_clusters, "n_clusters", minimum=1, maximum=X.shape[0])
    return greedy_kmeans_plusplus(X, k, _generator(seed))


# ---------------------------------------------------------------------------------------------------------
# Lloyd.


def lloyd(
    X: torch.Tensor, centers: torch.Tensor, *, max_iter: int = 300, tol: float = 0.0
) -> tuple[torch.Tensor, float, torch.Tensor, int]:
    r"""One run of Lloyd's algorithm from `centers`: scikit-learn's ``_kmeans_single_lloyd`` without weights.

    Each iteration assigns every sample to its nearest center (ties to the lowest index) and moves each
    center to the mean of its samples, relocating empty clusters as the module docstring says. The run
    stops when the labels did not change, when the total squared center shift
    :math:`\sum_c \lVert \mu_c^{new} - \mu_c^{old} \rVert^2` is at most `tol`, or after `max_iter`
    iterations; if the labels did change, the samples are relabelled with the final centers.

    :func:`kmeans` calls it on centered data (the feature means subtracted: the same clusters, more
    accurate distances), with ``tol`` scaled by the mean per-feature variance.

    Parameters
    ----------
    X : torch.Tensor of shape (n, d)
        The samples, float64.
    centers : torch.Tensor of shape (k, d)
        The initial centers, float64, on the device of X; not modified.
    max_iter : int, default 300
        Maximum number of iterations, at least 1.
    tol : float, default 0.0
        Absolute tolerance on the total squared center shift, at least 0.

    Returns
    -------
    labels : torch.Tensor of shape (n,)
        Index of each sample's center (int64).
    inertia : float
        :math:`\sum_i \lVert x_i - \mu_{\ell_i} \rVert^2` with the final centers.
    centers : torch.Tensor of shape (k, d)
        The final centers.
    n_iter : int
        The number of iterations run.

    Raises
    ------
    TypeError
        If `X` or `centers` is not a float64 tensor, `max_iter` not an int or `tol` not a real number.
    ValueError
        If `X` or `centers` is not a non-empty 2-D tensor, they differ in their number of features or
        device, `max_iter` is below 1 or `tol` is negative or not finite.

    Examples
    --------
    >>> X = torch.tensor([[0.0], [0.2], [5.0], [5.2]], dtype=torch.float64)
    >>> labels, inertia, centers, n_iter = lloyd(X, torch.tensor([[0.0], [0.2]], dtype=torch.float64))
    >>> labels.tolist(), round(inertia, 6), centers.flatten().tolist(), n_iter
    ([0, 0, 1, 1], 0.04, [0.1, 5.1], 3)
    """
    _check_float64_matrix(X, "X")
    _check_float64_matrix(centers, "centers")
    if centers.shape[1] != X.shape[1] or centers.device != X.device:
        raise ValueError(
            f"centers must have X's {X.shape[1]} features and its device {X.device}, got shape "
            f"{tuple(centers.shape)} on {centers.device}"
        )
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_real(tol, "tol", minimum=0)
    n, k = X.shape[0], centers.shape[0]
    x_sq = (X * X).sum(1)
    labels_old = torch.full((n,), -1, dtype=torch.int64, device=X.device)
    strict = False
    for n_iter in range(1, max_iter + 1):
        # E-step: nearest center, ties to the lowest index
        labels = torch.argmin(_sq_distances(X, centers, x_sq), dim=1)
        # M-step: sums and counts per cluster
        counts = torch.bincount(labels, minlength=k).to(torch.float64)
        sums = torch.zeros_like(centers).index_add_(0, labels, X)
        empty = torch.nonzero(counts == 0).flatten().tolist()
        if empty:
            far_dist = ((X - centers[labels]) ** 2).sum(1)
            if float(far_dist.max()) > 0:
                far = torch.argsort(far_dist, descending=True, stable=True)[: len(empty)].tolist()
                for new_id, idx in zip(empty, far):
                    old_id = int(labels[idx])
                    sums[old_id] -= X[idx]
                    sums[new_id] = X[idx]
                    counts[new_id] = 1.0
                    counts[old_id] -= 1.0
        biggest = int(torch.argmax(counts))
        nonempty = counts > 0
        # mu_c = sum_{i in c} x_i / |c|; an emptied cluster goes to the largest cluster's center
        new = torch.where(
            nonempty[:, None],
            sums / counts.clamp_min(1.0)[:, None],
            (sums[biggest] / counts[biggest])[None, :],
        )
        # total shift sum_c ||mu_c^new - mu_c^old||^2
        shift = float(((new - centers) ** 2).sum())
        centers = new
        if torch.equal(labels, labels_old):
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
    if not strict:
        # final relabel so that the labels match the returned centers
        labels = torch.argmin(_sq_distances(X, centers, x_sq), dim=1)
    # inertia = sum_i ||x_i - mu_{l_i}||^2
    inertia = float(((X - centers[labels]) ** 2).sum())
    return labels, inertia, centers, n_iter


def kmeans(
    X: ArrayLike,
    n_clusters: int,
    *,
    init: str | ArrayLike = "k-means++",
    n_init: int = 1,
    max_iter: int = 300,
    tol: float = 1e-4,
    seed: int | None = None,
) -> KMeansResult:
    r"""k-means clustering by Lloyd's algorithm, like ``sklearn.cluster.KMeans(algorithm="lloyd")``.

    Minimises the inertia :math:`\sum_i \min_c \lVert x_i - \mu_c \rVert^2` by alternating the
    assignment of each sample to its nearest center and the update of each center to the mean of its
    samples, with scikit-learn 1.9's stopping rule, empty-cluster relocation and final relabelling
    (see the module docstring).

    Parameters
    ----------
    X : array-like or torch.Tensor of shape (n, d)
        The samples (computed in float64 on the tensor's device, or the CPU for NumPy input).
    n_clusters : int
        The number of clusters k, in ``[1, n]``.
    init : {"k-means++", "random"} or array-like of shape (k, d), default="k-means++"
        ``"k-means++"``: :func:`kmeans_plusplus`; ``"random"``: k distinct samples drawn uniformly;
        an array: these initial centers (then a single run, whatever `n_init`).
    n_init : int, default=1
        Number of runs from different initial centers; the one with the lowest inertia is returned
        (the first of equal ones).
    max_iter : int, default=300
        Maximum number of Lloyd iterations per run.
    tol : float, default=1e-4
        Relative tolerance: a run stops when the total squared center shift is at most
        ``tol * mean(X.var(axis=0))`` (population variance).
    seed : int or None, default=None
        Seed of the CPU :class:`torch.Generator` used for the initialisations.

    Returns
    -------
    KMeansResult
        ``centers`` (k, d), ``labels`` (n,), ``inertia`` (float) and ``n_iter`` (int).

    Raises
    ------
    TypeError
        If `n_clusters`, `n_init`, `max_iter` or `seed` is not an int (``2.0`` and ``True`` included), or
        `tol` is not a real number.
    ValueError
        For X that is not a finite, non-empty 2-D array, `n_clusters` outside ``[1, n]``, an unknown
        `init` string or an `init` array of the wrong shape or with non-finite values, `n_init` or
        `max_iter` below 1, a negative `seed`, or a `tol` that is negative or not finite.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> result = kmeans(X, 2, seed=0)
    >>> sorted(result.centers.tolist())
    [[0.0, 0.5], [10.0, 0.5]]
    >>> result.inertia
    1.0
    """
    X = _check_X(X)
    n, d = X.shape
    k = check_int(n_clusters, "n_clusters", minimum=1, maximum=n)
    n_init = check_int(n_init, "n_init", minimum=1)
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_real(tol, "tol", minimum=0)
    init_centers = None
    if isinstance(init, str):
        if init not in ("k-means++", "random"):
            raise ValueError(
                f"init must be 'k-means++', 'random' or an array of shape ({k}, {d}), got {init!r}"
            )
    else:
        init_centers = _as_float64(init, "init", device=X.device)
        if tuple(init_centers.shape) != (k, d):
            raise ValueError(
                f"init must have shape (n_clusters, n_features) = ({k}, {d}), got {tuple(init_centers.shape)}"
            )
        n_init = 1
    gen = _generator(seed)
    # tolerance relative to the data: tol * mean of the per-feature (population) variances
    abs_tol = float(X.var(dim=0, unbiased=False).mean()) * tol
    mean = X.mean(0)
    Xc = X - mean  # centered, for more accurate distances (as scikit-learn)
    best = None
    for _ in range(n_init):
        if init_centers is not None:
            start = init_centers - mean
        elif init == "k-means++":
            start = greedy_kmeans_plusplus(Xc, k, gen)[0]
        else:
            start = Xc[torch.randperm(n, generator=gen)[:k].to(X.device)]
        run = lloyd(Xc, start, max_iter=max_iter, tol=abs_tol)
        if best is None or run[1] < best[1]:
            best = run
    labels, inertia, centers, n_iter = best
    return KMeansResult(centers + mean, labels, inertia, n_iter)
