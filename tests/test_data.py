"""dlnotes.data.digits against an independent preparation with scikit-learn, and its input errors."""

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from dlnotes.data import N_DIGITS, SCALES, Digits, digits
from tests.helpers import DEVICES

IMAGES, LABELS = load_digits(return_X_y=True)  # (1797, 64) float64 grey levels 0..16, (1797,) int


def _reference(sizes, seed, scale, dtype=np.float64):
    """The parts of `sizes`, prepared with NumPy and scikit-learn only (the permutation is torch's)."""
    perm = torch.randperm(len(IMAGES), generator=torch.Generator().manual_seed(seed)).numpy()
    X, y = IMAGES[perm].astype(dtype), LABELS[perm]
    parts = []
    for n in sizes[:-1]:
        # consecutive slices of the shuffled set: train_test_split without shuffling
        X_part, X, y_part, y = train_test_split(X, y, train_size=n, shuffle=False)
        parts.append((X_part, y_part))
    parts.append((X[: sizes[-1]], y[: sizes[-1]]))
    if scale == "unit":
        parts = [(Xp / 16, yp) for Xp, yp in parts]
    elif scale == "standardize":
        mean = parts[0][0].mean(0)
        std = np.maximum(parts[0][0].std(0, ddof=1), 1.0)
        parts = [((Xp - mean) / std, yp) for Xp, yp in parts]
    return parts


def test_the_size_of_the_set():
    assert len(IMAGES) == N_DIGITS == 1797


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_shapes_dtypes_and_device(device, dtype):
    d = digits(split=(1000, 400, 397), dtype=dtype, device=device)
    assert isinstance(d, Digits) and d._fields == (
        "X_train", "y_train", "X_val", "y_val", "X_test", "y_test",
    )  # fmt: skip
    parts = [(d.X_train, d.y_train), (d.X_val, d.y_val), (d.X_test, d.y_test)]
    for (X, y), n in zip(parts, [1000, 400, 397]):
        assert X.shape == (n, 64) and y.shape == (n,)
        assert X.dtype == dtype and y.dtype == torch.int64
        assert X.device.type == device and y.device.type == device
        assert X.min() >= 0 and X.max() <= 1
        assert set(y.tolist()) <= set(range(10))


def test_device_as_a_torch_device_and_none_is_the_cpu():
    assert digits(device=torch.device("cpu")).X_train.device == torch.device("cpu")
    assert digits().X_train.device == torch.device("cpu")


def test_two_parts_have_no_validation_part():
    d = digits(split=(1197, 600))
    assert d.X_val is None and d.y_val is None
    assert d.X_train.shape == (1197, 64) and d.X_test.shape == (600, 64)


def test_no_split_is_every_image_in_order():
    for scale, divisor in [(None, 1), ("unit", 16)]:
        X, y, *rest = digits(scale=scale, dtype=torch.float64)
        assert rest == [None, None, None, None]
        np.testing.assert_array_equal(X.numpy(), IMAGES / divisor)
        np.testing.assert_array_equal(y.numpy(), LABELS)


def test_parts_may_leave_images_out():
    d = digits(split=(100, 50))
    assert len(d.X_train) == 100 and len(d.X_test) == 50


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("sizes", [(1000, 400, 397), (1197, 600), (100, 1697), (10, 20, 30)])
@pytest.mark.parametrize("seed", [0, 7])
def test_equals_an_independent_preparation(scale, sizes, seed):
    d = digits(split=sizes, scale=scale, dtype=torch.float64, seed=seed)
    got = [(d.X_train, d.y_train), (d.X_val, d.y_val), (d.X_test, d.y_test)]
    got = [part for part in got if part[0] is not None]  # no validation part for two sizes
    for (X, y), (X_ref, y_ref) in zip(got, _reference(sizes, seed, scale), strict=True):
        np.testing.assert_allclose(X.numpy(), X_ref, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(y.numpy(), y_ref)


def test_float32_is_the_float64_preparation_rounded():
    for scale in SCALES:
        d32 = digits(split=(1200, 597), scale=scale)
        d64 = digits(split=(1200, 597), scale=scale, dtype=torch.float64)
        torch.testing.assert_close(d32.X_train, d64.X_train.float())
        torch.testing.assert_close(d32.X_test, d64.X_test.float())


def test_reproduces_the_chapters_preparation_exactly():
    # what the optimizers chapter did: /16 in float32, torch.randperm with seed 0, consecutive slices
    order = torch.randperm(len(LABELS), generator=torch.Generator().manual_seed(0))
    Xd = torch.tensor(IMAGES / 16.0, dtype=torch.float32)[order]
    yd = torch.tensor(LABELS)[order]
    d = digits(split=(1000, 400, 397))
    for got, want in zip(d, [Xd[:1000], yd[:1000], Xd[1000:1400], yd[1000:1400], Xd[1400:], yd[1400:]]):
        assert torch.equal(got, want)
    # the debugging chapter: raw float32, standardized with the training part's mean and clamped std
    X_raw = torch.tensor(IMAGES, dtype=torch.float32)
    train_idx, val_idx = order[:1200], order[1200:]
    mean, std = X_raw[train_idx].mean(0), X_raw[train_idx].std(0).clamp_min(1.0)
    X = (X_raw - mean) / std
    d = digits(split=(1200, 597), scale="standardize")
    assert torch.equal(d.X_train, X[train_idx]) and torch.equal(d.X_test, X[val_idx])


def test_the_parts_are_disjoint_and_cover_the_set():
    d = digits(split=(1000, 400, 397), scale=None, dtype=torch.float64)
    X = torch.cat([d.X_train, d.X_val, d.X_test])
    y = torch.cat([d.y_train, d.y_val, d.y_test])
    # the same multiset of (image, label) rows as load_digits
    rows = sorted(map(tuple, np.column_stack([X.numpy(), y.numpy()]).tolist()))
    assert rows == sorted(map(tuple, np.column_stack([IMAGES, LABELS]).tolist()))


def test_standardize_centres_the_training_part():
    d = digits(split=(1200, 597), scale="standardize", dtype=torch.float64)
    torch.testing.assert_close(d.X_train.mean(0), torch.zeros(64, dtype=torch.float64), rtol=0, atol=1e-12)
    std = d.X_train.std(0)
    varying = IMAGES[torch.randperm(1797, generator=torch.Generator().manual_seed(0))[:1200]].std(0) >= 1
    torch.testing.assert_close(std[varying], torch.ones(int(varying.sum()), dtype=torch.float64))
    assert (std <= 1 + 1e-12).all()  # the clamped pixels vary less than one grey level


def test_a_seed_is_reproducible_and_another_differs():
    a, b, c = (digits(split=(1000, 797), seed=s) for s in (3, 3, 4))
    assert all(torch.equal(u, v) for u, v in zip(a, b) if u is not None)
    assert a.X_val is b.X_val is None
    assert not torch.equal(a.y_train, c.y_train)
    assert not torch.equal(a.X_train, c.X_train)


def test_the_seed_is_unused_without_a_split():
    assert torch.equal(digits(seed=1).X_train, digits(seed=2).X_train)


def test_the_global_generator_is_left_alone():
    state = torch.get_rng_state()
    digits(split=(1000, 797), seed=5)
    assert torch.equal(state, torch.get_rng_state())


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(split=1000), TypeError, "split must be None or a tuple.*got int"),
        (dict(split="1000,797"), TypeError, "split must be None or a tuple.*got str"),
        (dict(split={"train": 1000}), TypeError, "split must be None or a tuple.*got dict"),
        (dict(split=(1000,)), ValueError, "split must have 2 sizes.*got 1"),
        (dict(split=(1, 1, 1, 1)), ValueError, "split must have 2 sizes.*got 4"),
        (dict(split=(1000.0, 797)), TypeError, r"split\[0\] must be an int, got float"),
        (dict(split=(1000, True)), TypeError, r"split\[1\] must be an int, got bool"),
        (dict(split=(1000, 0)), ValueError, r"split\[1\] must be >= 1, got 0"),
        (dict(split=(1000, 400, 398)), ValueError, r"at most 1797 images, got \(1000, 400, 398\)"),
        (dict(scale="minmax"), ValueError, "scale must be one of .*got 'minmax'"),
        (dict(scale=16), ValueError, "scale must be one of .*got 16"),
        (dict(split=(1, 10), scale="standardize"), ValueError, "at least 2 training images, got 1"),
        (dict(dtype="float32"), TypeError, "dtype must be a torch.dtype, got str"),
        (dict(dtype=np.float32), TypeError, "dtype must be a torch.dtype, got type"),
        (dict(dtype=torch.int64), ValueError, "dtype must be a floating-point dtype, got torch.int64"),
        (dict(device=0), TypeError, "device must be None, a str or a torch.device, got int"),
        (dict(device="gpu0"), ValueError, "device must name a torch device.*got 'gpu0'"),
        (dict(seed=1.0), TypeError, "seed must be an int, got float"),
        (dict(seed=True), TypeError, "seed must be an int, got bool"),
        (dict(seed=-1), ValueError, "seed must be in .*got -1"),
        (dict(seed=2**64), ValueError, "seed must be in .*got 18446744073709551616"),
    ],
)
def test_input_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        digits(**kwargs)


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        digits((1000, 797))  # the point of the test
