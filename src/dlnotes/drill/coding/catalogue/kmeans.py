"""Drills of the chapter book/unsupervised/kmeans.md."""

from __future__ import annotations

import torch

from dlnotes import cluster
from dlnotes.drill.coding import Case, drill, randn

__all__ = ["kmeans_plusplus_init"]

KMEANS = "book/unsupervised/kmeans"


# --- lloyd-step -------------------------------------------------------------------------------------------


def _lloyd_step(X: torch.Tensor, centers: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One iteration of the package's `lloyd`, with the labels of its assignment step."""
    # labels: the nearest given center, ties to the lowest index (argmin)
    labels = torch.argmin(((X[:, None, :] - centers[None, :, :]) ** 2).sum(-1), dim=1)
    return cluster.lloyd(X, centers, max_iter=1)[2], labels


def _blobs(g, centers: list[tuple[float, float]], per_blob: int, scale: float = 0.6) -> torch.Tensor:
    """`per_blob` points around each center, in a random order (float64)."""
    mu = torch.tensor(centers, dtype=torch.float64).repeat_interleave(per_blob, 0)
    X = mu + randn(g, len(mu), 2, scale=scale)
    return X[torch.randperm(len(X), generator=g)]


@drill(
    name="lloyd-step",
    title="One step of Lloyd's k-means",
    chapter=KMEANS,
    difficulty="medium",
    minutes=15,
    statement=r"""
Given points `X` ($n \times d$) and `centers` ($k \times d$), do one k-means iteration. **Assign**: each
point's label is its nearest center in squared Euclidean distance, ties to the lowest index (as `argmin`).
**Update**: each center becomes the mean of its points. A center that gets no point is re-seeded on the
point farthest from its own nearest center, and that point leaves its old cluster's mean (scikit-learn's
rule). Return `(new_centers, labels)`, compared with the package's `lloyd` (one iteration) to 1e-12.
""",
    starter='''
def lloyd_step(X: torch.Tensor, centers: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One assignment and update step: (new centers (k, d), labels (n,) int64 of the nearest center)."""
''',
    reference=_lloyd_step,
    solution="dlnotes.cluster.lloyd",
    rtol=1e-12,
    atol=1e-12,
)
def _lloyd_step_cases(g):
    X = _blobs(g, [(-4.0, 0.0), (4.0, 0.0), (0.0, 5.0)], 20, scale=1.5)
    yield Case(
        "three blobs",
        "X: 60×2 float64, three overlapping blobs; centers: 3×2, one near each blob",
        args=(X, torch.tensor([[-3.0, 1.0], [3.0, -1.0], [1.0, 4.0]], dtype=torch.float64)),
    )
    X = randn(g, 50, 5)
    yield Case(
        "centers on points",
        "X: 50×5 float64, N(0, 1); centers: 4 distinct rows of X (a random start: each sits on a point)",
        args=(X, X[torch.randperm(50, generator=g)[:4]].clone()),
    )
    grid = torch.randint(0, 5, (18, 2), generator=g).to(torch.float64)
    tied = torch.tensor([[2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [2.0, 1.0]], dtype=torch.float64)
    X = torch.cat([grid, tied])[torch.randperm(22, generator=g)]
    yield Case(
        "ties",
        "X: 22×2 integer-valued float64 points in [0, 4]², several equidistant from two or three centers; "
        "centers (0, 0), (4, 0), (0, 4)",
        args=(X, torch.tensor([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]], dtype=torch.float64)),
        hint="a point equidistant from several centers goes to the lowest index, as argmin does "
        "(a loop that updates on `<=` gives it to the last)",
    )
    X = _blobs(g, [(-4.0, 0.0), (4.0, 0.0), (0.0, 5.0)], 15)
    yield Case(
        "empty cluster",
        "X: 45×2 float64, three blobs; centers: 3×2, two near blobs and one at (40, -40) that no point is "
        "nearest to",
        args=(X, torch.tensor([[-4.0, 1.0], [40.0, -40.0], [2.0, 2.0]], dtype=torch.float64)),
        hint="the mean of no points is NaN, and keeping the old center leaves it useless: re-seed it on the "
        "point farthest from its nearest center, and take that point out of its old cluster's mean",
    )
    X = _blobs(g, [(-3.0, -3.0), (3.0, 3.0)], 15)
    i, j = (int(v) for v in torch.randperm(30, generator=g)[:2])
    yield Case(
        "duplicate centers",
        "X: 30×2 float64, two blobs; centers: X[i], X[i], X[j] (a random start that drew a point twice)",
        args=(X, X[[i, i, j]].clone()),
        hint="two equal centers tie on every point: the lower index takes them all, and the other one is "
        "empty and must be re-seeded",
    )


# --- kmeans-plusplus --------------------------------------------------------------------------------------


def kmeans_plusplus_init(X: torch.Tensor, u: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    r"""k-means++ seeding (D² sampling) of ``k = len(u)`` centers, driven by the given uniforms.

    The first center is the point of index :math:`\lfloor u_0 n \rfloor`. Each next one is drawn by the
    inverse of the cumulative distribution of :math:`D(x)^2`, the squared distance from each point to its
    nearest center so far: with :math:`F_i = \sum_{j \le i} D(x_j)^2`, the point chosen is the smallest
    :math:`i` with :math:`F_i > u_c F_{n-1}`. For :math:`u_c` uniform on :math:`[0, 1)` it is point
    :math:`i` with probability :math:`D(x_i)^2 / \sum_j D(x_j)^2` (Arthur & Vassilvitskii 2007), and a point
    at distance 0 (already chosen, or a duplicate of a chosen one) is never chosen. This is the plain
    algorithm, one candidate per step; :func:`dlnotes.cluster.kmeans_plusplus` is scikit-learn's greedy one.

    Parameters
    ----------
    X : torch.Tensor of shape (n, d)
        The points, float64.
    u : torch.Tensor of shape (k,)
        Uniforms in ``[0, 1)``; ``k`` is at most the number of distinct points.

    Returns
    -------
    centers : torch.Tensor of shape (k, d)
        ``X[indices]``.
    indices : torch.Tensor of shape (k,)
        Indices of the chosen points (int64), in the order they were chosen.

    Examples
    --------
    >>> X = torch.tensor([[0.0], [1.0], [3.0]], dtype=torch.float64)
    >>> centers, indices = kmeans_plusplus_init(X, torch.tensor([0.0, 0.5], dtype=torch.float64))
    >>> indices.tolist()  # first X[0]; D^2 = (0, 1, 9), F = (0, 1, 10) and 0.5 * 10 < 10 picks X[2]
    [0, 2]
    """
    n = X.shape[0]
    indices = [min(int(u[0] * n), n - 1)]  # the first center: floor(u_0 n)
    closest = ((X - X[indices[0]]) ** 2).sum(1)  # D(x)^2 to the nearest center so far
    for c in range(1, len(u)):
        F = torch.cumsum(closest, 0)
        # smallest i with F_i > u_c F_{n-1}: a point with D = 0 adds nothing to F and is never chosen
        i = int(torch.searchsorted(F, u[c] * F[-1], right=True))
        indices.append(i)
        closest = torch.minimum(closest, ((X - X[i]) ** 2).sum(1))
    idx = torch.tensor(indices, dtype=torch.int64, device=X.device)
    return X[idx], idx


def _uniforms(g, k: int) -> torch.Tensor:
    return torch.rand(k, generator=g, dtype=torch.float64)


@drill(
    name="kmeans-plusplus",
    title="k-means++ seeding by D² sampling",
    chapter=KMEANS,
    difficulty="medium",
    minutes=15,
    statement=r"""
Choose $k$ = `len(u)` centers among the rows of `X` ($n \times d$), with the uniforms $u_c \in [0, 1)$ as
the randomness. The first is row $\lfloor u_0 n \rfloor$; each next one is drawn with probability
$D(x_i)^2 / \sum_j D(x_j)^2$, $D$ the distance to the *nearest* center so far, by inverse CDF: the
smallest $i$ with $F_i > u_c F_{n-1}$, $F$ the cumulative sum of $D^2$. A point at distance 0 (a duplicate,
or $u_c = 0$) is never chosen again, and $k = n$ works. Return `(X[idx], idx)`.
""",
    starter='''
def kmeans_plusplus_init(X: torch.Tensor, u: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """k-means++ seeding of len(u) centers from uniforms u: (centers (k, d), indices (k,) int64)."""
''',
    reference=kmeans_plusplus_init,
    solution="dlnotes.drill.coding.catalogue.kmeans.kmeans_plusplus_init",
    rtol=0.0,
    atol=0.0,
)
def _kmeans_plusplus_cases(g):
    X = torch.cat([randn(g, 50, 2) + torch.tensor([-3.0, 0.0]), randn(g, 50, 2) + torch.tensor([3.0, 1.0])])
    u = _uniforms(g, 2) * torch.tensor([0.5, 1.0], dtype=torch.float64)
    yield Case(
        "two blobs",
        "X: 100×2 float64, two blobs of N(0, 1) (rows 0-49 around (-3, 0), rows 50-99 around (3, 1)); u: 2 "
        "uniforms, u_0 < 0.5",
        args=(X, u),
        hint="the weights are D², the squared distances: D alone gives the far blob too little weight",
    )
    yield Case(
        "four blobs",
        "X: 40×2 float64, four blobs; u: 4 uniforms",
        args=(_blobs(g, [(-5.0, -5.0), (5.0, -5.0), (-5.0, 5.0), (5.0, 5.0)], 10, 2.0), _uniforms(g, 4)),
        hint="D is the distance to the nearest chosen center, the minimum over all of them, not the distance "
        "to the last one",
    )
    X = randn(g, 6, 2)
    X = torch.cat([X, X[:1], X[:1], X[1:3]])  # points 0 and 1 each repeated: several at distance 0
    yield Case(
        "duplicates, u = 0",
        "X: 10×2 float64, 6 distinct points, X[0] three times and X[1], X[2] twice; u: (0, 0, u_2, u_3)",
        args=(X, torch.cat([torch.zeros(2, dtype=torch.float64), _uniforms(g, 2)])),
        hint="for u_c = 0 the first F_i >= 0 is a point at distance 0: choose the smallest i with F_i > "
        "u_c F_{n-1} (strictly), which a point of weight 0 never is",
    )
    yield Case(
        "k = n",
        "X: 7×3 float64, N(0, 1), distinct points; u: 7 uniforms (every point is chosen once)",
        args=(randn(g, 7, 3), _uniforms(g, 7)),
        hint="with k = n the last center is the only point left at a positive distance",
    )
    yield Case(
        "five features",
        "X: 80×5 float64, N(0, 4); u: 6 uniforms",
        args=(randn(g, 80, 5, scale=2.0), _uniforms(g, 6)),
    )
