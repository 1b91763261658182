"""dlnotes.cluster against sklearn.cluster (KMeans with algorithm="lloyd", kmeans_plusplus) in float64.

From the same initial centers, :func:`dlnotes.cluster.kmeans` must give scikit-learn's labels (exactly),
inertia and centers (rtol 1e-6) and number of iterations, on blobs, uniform noise, anisotropic data, data
with an empty cluster to relocate and with ``max_iter`` reached (tolerance-based stop and final relabel).
k-means++ cannot draw scikit-learn's random numbers, so it is compared by the inertia reached over ten
seeds. Every documented ValueError has a test. Runs on CUDA too when available.
"""

import math
import warnings

import numpy as np
import pytest
import torch
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.exceptions import ConvergenceWarning

from dlnotes import cluster
from tests.helpers import DEVICES

RTOL = 1e-6


def datasets():
    rng = np.random.default_rng(0)
    blobs, _ = make_blobs(n_samples=300, centers=4, n_features=2, cluster_std=1.5, random_state=0)
    noise = rng.uniform(size=(250, 3))
    aniso = blobs @ np.array([[0.6, -0.64], [-0.41, 0.85]])
    wide, _ = make_blobs(n_samples=200, centers=3, n_features=5, random_state=1)
    return {"blobs": blobs, "noise": noise, "aniso": aniso, "wide": wide}


DATA = datasets()


def sklearn_lloyd(X, init, **kwargs):
    return KMeans(n_clusters=len(init), algorithm="lloyd", init=init, n_init=1, **kwargs).fit(X)


def assert_same_as_sklearn(X, init, device, **kwargs):
    ref = sklearn_lloyd(X, init, **kwargs)
    ours = cluster.kmeans(torch.as_tensor(X, device=device), len(init), init=init, **kwargs)
    np.testing.assert_array_equal(ours.labels.cpu().numpy(), ref.labels_)
    assert ours.inertia == pytest.approx(ref.inertia_, rel=RTOL)
    np.testing.assert_allclose(ours.centers.cpu().numpy(), ref.cluster_centers_, rtol=RTOL, atol=1e-9)
    assert ours.n_iter == ref.n_iter_
    assert ours.centers.device.type == device and ours.labels.dtype == torch.int64
    return ours, ref


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(DATA))
@pytest.mark.parametrize("k", [2, 3, 5, 8])
@pytest.mark.parametrize("init_seed", [0, 1])
def test_lloyd_same_as_sklearn(name, k, init_seed, device):
    X = DATA[name]
    init = X[np.random.default_rng(init_seed).choice(len(X), k, replace=False)]
    assert_same_as_sklearn(X, init, device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("max_iter", [1, 2, 3])
def test_max_iter_and_final_relabel(max_iter, device):
    # stopped before convergence: the labels are recomputed from the final centers
    X = DATA["noise"]
    init = X[:6]
    ours, _ref = assert_same_as_sklearn(X, init, device, max_iter=max_iter)
    assert ours.n_iter == max_iter


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("tol", [0.0, 1e-2, 0.5])
def test_tolerance_rule(tol, device):
    # a large tol stops on the center shift (scaled by the mean feature variance) before the labels settle
    assert_same_as_sklearn(DATA["aniso"], DATA["aniso"][:7], device, tol=tol)
    X = DATA["wide"] * np.array([1.0, 10.0, 100.0, 0.1, 1.0])  # features of very different variances
    assert_same_as_sklearn(X, X[:4], device, tol=tol)


@pytest.mark.parametrize("device", DEVICES)
def test_empty_cluster_relocated_like_sklearn(device):
    # the third initial center is far from every sample: its cluster is empty at the first step and is
    # moved to the sample farthest from its center
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [10.0, 10.0], [10.0, 11.0], [30.0, 0.0]])
    init = np.array([[0.0, 0.5], [10.0, 10.5], [1000.0, 1000.0]])
    ours, _ = assert_same_as_sklearn(X, init, device)
    assert sorted(torch.bincount(ours.labels, minlength=3).tolist()) == [1, 2, 3]
    assert ours.centers[2].tolist() == [30.0, 0.0]
    # two empty clusters, and the uniform noise with many far-away centers
    init2 = np.array([[0.0, 0.5], [-500.0, 0.0], [1000.0, 1000.0]])
    assert_same_as_sklearn(X, init2, device)
    noise = DATA["noise"]
    init3 = np.vstack([noise[:3], noise[:3] + 50.0])
    assert_same_as_sklearn(noise, init3, device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("max_iter", [1, 2, 300])
def test_relocation_empties_another_cluster(max_iter, device):
    # cluster 1's only sample, (100, 0), is the farthest from its center: it moves to the empty cluster 2
    # and cluster 1, now empty, is put on the largest cluster's center (cluster 0's)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.5, 0.0], [100.0, 0.0]])
    init = np.array([[0.0, 0.5], [60.0, 0.0], [-1000.0, -1000.0]])
    with warnings.catch_warnings():
        # after one iteration scikit-learn warns that only 2 distinct clusters are left
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours, _ = assert_same_as_sklearn(X, init, device, max_iter=max_iter)
    if max_iter == 1:
        assert ours.centers[1].tolist() == ours.centers[0].tolist() == [0.5, 1 / 3]
    else:
        assert ours.labels.tolist() == [0, 0, 1, 2]


def test_duplicate_points_no_relocation():
    # k = n with repeated samples: every sample sits on its center, nothing to relocate
    X = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]])
    ours = cluster.kmeans(X, 3, init=np.array([[1.0, 1.0], [2.0, 2.0], [5.0, 5.0]]))
    assert ours.inertia == 0.0
    assert ours.labels.tolist() == [0, 0, 1]


def lloyd_by_hand(X, centers, n_steps):
    """Plain NumPy Lloyd steps (no empty clusters on this data), to check the update itself."""
    for _ in range(n_steps):
        labels = ((X[:, None, :] - centers[None]) ** 2).sum(-1).argmin(1)
        centers = np.stack([X[labels == c].mean(0) for c in range(len(centers))])
    return centers


def test_centers_are_means_by_hand():
    X = DATA["blobs"]
    init = X[:4]
    ours = cluster.kmeans(X, 4, init=init, max_iter=3, tol=0.0)
    np.testing.assert_allclose(ours.centers.numpy(), lloyd_by_hand(X, init, 3), rtol=1e-12)
    expected = ((X - ours.centers.numpy()[ours.labels.numpy()]) ** 2).sum()
    assert ours.inertia == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("device", DEVICES)
def test_kmeans_plusplus_inertia_close_to_sklearn(device):
    X, _ = make_blobs(n_samples=500, centers=6, cluster_std=1.2, random_state=3)
    ours = [cluster.kmeans(torch.as_tensor(X, device=device), 6, seed=s).inertia for s in range(10)]
    ref = [KMeans(6, algorithm="lloyd", n_init=1, random_state=s).fit(X).inertia_ for s in range(10)]
    assert np.mean(ours) <= 1.01 * np.mean(ref)


@pytest.mark.parametrize("device", DEVICES)
def test_kmeans_plusplus_seeding(device):
    X, _ = make_blobs(n_samples=400, centers=5, cluster_std=0.5, random_state=2)
    Xt = torch.as_tensor(X, device=device)
    centers, indices = cluster.kmeans_plusplus(Xt, 5, seed=0)
    assert centers.shape == (5, 2) and indices.dtype == torch.int64 and indices.device.type == device
    assert len(set(indices.tolist())) == 5
    torch.testing.assert_close(centers, Xt[indices])
    _again, indices_again = cluster.kmeans_plusplus(X, 5, seed=0)  # NumPy input, same seed, same draws
    assert indices_again.tolist() == indices.tolist()
    # greedy seeding on well separated blobs: one seed per blob, so the potential is far below a random
    # choice of five samples
    pot = ((X[:, None] - centers.cpu().numpy()[None]) ** 2).sum(-1).min(1).sum()
    rand = X[np.random.default_rng(0).choice(len(X), 5, replace=False)]
    assert pot < ((X[:, None] - rand[None]) ** 2).sum(-1).min(1).sum()
    assert pot < 3 * KMeans(5, n_init=1, random_state=0).fit(X).inertia_


def test_kmeans_plusplus_number_of_trials(monkeypatch):
    # 2 + floor(ln k) uniform draws per center after the first, as scikit-learn's greedy k-means++
    calls = []
    real_rand = torch.rand

    def counting_rand(n, *args, **kwargs):
        calls.append(n)
        return real_rand(n, *args, **kwargs)

    monkeypatch.setattr(cluster.torch, "rand", counting_rand)
    cluster.kmeans_plusplus(DATA["blobs"], 8, seed=0)
    assert calls == [2 + int(math.log(8))] * 7


def test_n_init_and_random_init():
    X = DATA["blobs"]
    runs = [cluster.kmeans(X, 6, init="random", seed=s) for s in range(4)]
    best = cluster.kmeans(X, 6, init="random", n_init=4, seed=0)
    first = cluster.kmeans(X, 6, init="random", n_init=1, seed=0)
    assert best.inertia <= first.inertia
    assert best.inertia == pytest.approx(min(r.inertia for r in runs), rel=0.05)
    same = cluster.kmeans(X, 6, init="random", n_init=4, seed=0)
    assert same.labels.tolist() == best.labels.tolist()  # seeded: reproducible


def test_single_cluster():
    X = DATA["noise"]
    result = cluster.kmeans(X, 1)
    np.testing.assert_allclose(result.centers.numpy()[0], X.mean(0), rtol=1e-12)
    assert result.inertia == pytest.approx(((X - X.mean(0)) ** 2).sum(), rel=1e-12)


@pytest.mark.parametrize("func", ["kmeans", "kmeans_plusplus"])
def test_bad_input(func):
    f = getattr(cluster, func)
    X = DATA["blobs"][:10]
    with pytest.raises(ValueError, match=r"n_clusters must be in \[1, 10\]"):
        f(X, 11)
    with pytest.raises(ValueError, match=r"n_clusters must be in \[1, 10\]"):
        f(X, 0)
    with pytest.raises(TypeError, match="n_clusters must be an int, got float"):
        f(X, 2.5)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        f(bad, 2)
    bad[3, 1] = np.inf
    with pytest.raises(ValueError, match="X contains infinity"):
        f(torch.as_tensor(bad), 2)
    with pytest.raises(ValueError, match="at least one sample"):
        f(np.empty((0, 2)), 1)
    with pytest.raises(ValueError, match="X must be 2-D"):
        f(X[:, 0], 2)
    with pytest.raises(ValueError, match="real numbers"):
        f(np.array([["a", "b"]]), 1)


def test_bad_options():
    X = DATA["blobs"][:10]
    with pytest.raises(ValueError, match=r"init must have shape .* \(3, 2\), got \(2, 2\)"):
        cluster.kmeans(X, 3, init=X[:2])
    with pytest.raises(ValueError, match=r"got \(3, 1\)"):
        cluster.kmeans(X, 3, init=X[:3, :1])
    with pytest.raises(ValueError, match="init contains NaN"):
        cluster.kmeans(X, 2, init=np.array([[0.0, np.nan], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="init must be 'k-means\\+\\+', 'random'"):
        cluster.kmeans(X, 2, init="kmeans++")
    with pytest.raises(ValueError, match="n_init must be >= 1"):
        cluster.kmeans(X, 2, n_init=0)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        cluster.kmeans(X, 2, max_iter=0)
    with pytest.raises(ValueError, match=r"tol must be >= 0, got -1\.0"):
        cluster.kmeans(X, 2, tol=-1.0)
    # scikit-learn refuses the same shapes
    with pytest.raises(ValueError, match=r"initial centers \(2, 2\) does not match the number of clusters 3"):
        KMeans(3, init=X[:2], n_init=1).fit(X)
    with pytest.raises(ValueError, match="n_samples=10 should be >= n_clusters=11"):
        KMeans(11, n_init=1).fit(X)
