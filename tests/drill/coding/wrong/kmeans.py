"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.kmeans."""

import torch

from tests.drill.coding.wrong import wrong

# --- lloyd-step -------------------------------------------------------------------------------------------


def _assign(X, centers):
    return torch.cdist(X, centers).argmin(1)


@wrong("lloyd-step", fails="empty cluster")
def lloyd_step_mean_of_nothing(X, centers):
    """The two lines from the whiteboard: an empty cluster's mean is the mean of no points, NaN."""
    labels = _assign(X, centers)
    new = torch.stack([X[labels == j].mean(0) for j in range(len(centers))])
    return new, labels


@wrong("lloyd-step", fails="empty cluster")
def lloyd_step_keeps_empty_center(X, centers):
    """Guards against NaN by leaving an empty cluster's center where it was."""
    labels = _assign(X, centers)
    new = centers.clone()
    for j in range(len(centers)):
        if (labels == j).any():
            new[j] = X[labels == j].mean(0)
    return new, labels


@wrong("lloyd-step", fails="empty cluster")
def lloyd_step_point_not_removed(X, centers):
    """Re-seeds the empty cluster on the farthest point but leaves that point in its old cluster's mean."""
    labels = _assign(X, centers)
    new = torch.stack(
        [X[labels == j].mean(0) if (labels == j).any() else centers[j] for j in range(len(centers))]
    )
    far = ((X - centers[labels]) ** 2).sum(1)
    for j in range(len(centers)):
        if not (labels == j).any():
            new[j] = X[int(far.argmax())]
    return new, labels


@wrong("lloyd-step", fails="ties")
def lloyd_step_ties_to_last(X, centers):
    """A loop over the centers that updates on `<=`: a tie goes to the last center, not the first."""
    best = torch.full((len(X),), float("inf"), dtype=X.dtype)
    labels = torch.zeros(len(X), dtype=torch.int64)
    for j, c in enumerate(centers):
        d = ((X - c) ** 2).sum(1)
        closer = d <= best
        best = torch.where(closer, d, best)
        labels = torch.where(closer, j, labels)
    counts = torch.bincount(labels, minlength=len(centers)).clamp_min(1)
    sums = torch.zeros_like(centers).index_add_(0, labels, X)
    return sums / counts[:, None].to(X.dtype), labels


@wrong("lloyd-step", fails="three blobs")
def lloyd_step_manhattan(X, centers):
    """Assigns by the L1 distance: that is k-medians' assignment, not k-means'."""
    labels = torch.cdist(X, centers, p=1).argmin(1)
    return torch.stack([X[labels == j].mean(0) for j in range(len(centers))]), labels


# --- kmeans-plusplus --------------------------------------------------------------------------------------


def _seeding(X, u, weight):
    """Inverse-CDF seeding with `weight(closest, last)` as the sampling weights."""
    n = len(X)
    idx = [int(u[0] * n)]
    closest = ((X - X[idx[0]]) ** 2).sum(1)
    last = closest
    for c in range(1, len(u)):
        w = weight(closest, last)
        F = torch.cumsum(w, 0)
        i = int(torch.searchsorted(F, u[c] * F[-1], right=True))
        idx.append(i)
        last = ((X - X[i]) ** 2).sum(1)
        closest = torch.minimum(closest, last)
    idx = torch.tensor(idx)
    return X[idx], idx


@wrong("kmeans-plusplus", fails="two blobs")
def kmeans_plusplus_proportional_to_d(X, u):
    """Samples in proportion to the distance D, not to its square."""
    return _seeding(X, u, lambda closest, last: closest.sqrt())


@wrong("kmeans-plusplus", fails="four blobs")
def kmeans_plusplus_last_center_only(X, u):
    """Uses the distance to the last chosen center instead of the nearest one."""
    return _seeding(X, u, lambda closest, last: last)


@wrong("kmeans-plusplus", fails="two blobs")
def kmeans_plusplus_farthest_point(X, u):
    """Greedy farthest-point seeding: the argmax of D^2, which ignores the uniforms (and loves outliers)."""
    idx = [int(u[0] * len(X))]
    closest = ((X - X[idx[0]]) ** 2).sum(1)
    for _ in range(1, len(u)):
        idx.append(int(closest.argmax()))
        closest = torch.minimum(closest, ((X - X[idx[-1]]) ** 2).sum(1))
    idx = torch.tensor(idx)
    return X[idx], idx


@wrong("kmeans-plusplus", fails="duplicates, u = 0")
def kmeans_plusplus_searchsorted_left(X, u):
    """torch.searchsorted's default (first F_i >= t): for u = 0 it picks a point at distance 0."""
    n = len(X)
    idx = [int(u[0] * n)]
    closest = ((X - X[idx[0]]) ** 2).sum(1)
    for c in range(1, len(u)):
        F = torch.cumsum(closest, 0)
        i = int(torch.searchsorted(F, u[c] * F[-1]))
        idx.append(i)
        closest = torch.minimum(closest, ((X - X[i]) ** 2).sum(1))
    idx = torch.tensor(idx)
    return X[idx], idx
