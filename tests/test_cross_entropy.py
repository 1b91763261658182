"""dlnotes.nn.cross_entropy and nll_loss against torch.nn.functional, in float64, for values and gradients.

Every combination of input shape ((C,), (N, C), (N, C, H, W)), target kind (class indices or class
probabilities), class weights, ignored targets, reduction and label smoothing is compared with
``F.cross_entropy`` on the same inputs, and so are the gradients with respect to the logits (a random upstream
gradient pulled through both with ``torch.autograd.grad``). Then the edge cases: every target ignored (torch's
mean is NaN), an empty batch, logits of size 1e4; an invariant under hypothesis; and every documented error.
"""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes import nn

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
f64 = torch.float64
C = 5
SHAPES = {"C": (C,), "NC": (7, C), "NCHW": (3, C, 4, 2)}


def generator(seed):
    return torch.Generator().manual_seed(seed)


def make_input(shape, device, seed=0, scale=3.0):
    return (scale * torch.randn(shape, generator=generator(seed), dtype=f64)).to(device)


def make_target(shape, kind, device, seed=1, ignore_index=None):
    """Class indices of `shape` without the class axis (a few set to ignore_index), or probabilities."""
    class_dim = 0 if len(shape) == 1 else 1
    if kind == "probs":
        logits = torch.randn(shape, generator=generator(seed), dtype=f64)
        return torch.softmax(logits, dim=class_dim).to(device)
    index_shape = shape[:class_dim] + shape[class_dim + 1 :]
    target = torch.randint(0, C, index_shape, generator=generator(seed))
    if ignore_index is not None:
        # ignore about a third of the positions, but keep at least one (all ignored is tested apart)
        drop = torch.rand(index_shape, generator=generator(seed + 1)) < 1 / 3
        if drop.all():
            drop.view(-1)[0] = False
        target = torch.where(drop, torch.full_like(target, ignore_index), target)
    return target.to(device)


def make_weight(weighted, device, seed=2):
    if not weighted:
        return None
    return (0.1 + torch.rand(C, generator=generator(seed), dtype=f64)).to(device)


def values_and_grad(fn, logits, *args, upstream_seed=99, **kwargs):
    """fn(logits, ...) and the gradient of <fn(logits, ...), u> w.r.t. the logits, for a fixed random u."""
    leaf = logits.detach().clone().requires_grad_(True)
    out = fn(leaf, *args, **kwargs)
    u = torch.randn(out.shape, generator=generator(upstream_seed), dtype=f64).to(out.device)
    (grad,) = torch.autograd.grad((out * u).sum(), leaf)
    return out, grad


def assert_matches_torch(logits, target, **kwargs):
    ours, g_ours = values_and_grad(nn.cross_entropy, logits, target, **kwargs)
    theirs, g_theirs = values_and_grad(F.cross_entropy, logits, target, **kwargs)
    assert ours.shape == theirs.shape
    torch.testing.assert_close(ours, theirs, rtol=1e-10, atol=1e-12)
    assert torch.isfinite(g_ours).all()
    torch.testing.assert_close(g_ours, g_theirs, rtol=1e-10, atol=1e-12)


def cases():
    for shape in SHAPES:
        for kind in ("index", "probs"):
            ignores = [None, -100, 2] if kind == "index" else [None]
            for ignore_index in ignores:
                yield pytest.param(shape, kind, ignore_index, id=f"{shape}-{kind}-ignore{ignore_index}")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("shape", "kind", "ignore_index"), list(cases()))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.5])
def test_cross_entropy_matches_torch(device, shape, kind, ignore_index, weighted, reduction, label_smoothing):
    logits = make_input(SHAPES[shape], device)
    target = make_target(SHAPES[shape], kind, device, ignore_index=ignore_index)
    kwargs = {
        "weight": make_weight(weighted, device),
        "reduction": reduction,
        "label_smoothing": label_smoothing,
    }
    if ignore_index is not None:
        kwargs["ignore_index"] = ignore_index
    assert_matches_torch(logits, target, **kwargs)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ignore_index", [-100, 2])
def test_nll_loss_matches_torch(device, shape, weighted, reduction, ignore_index):
    log_probs = torch.log_softmax(make_input(SHAPES[shape], device), dim=0 if shape == "C" else 1)
    target = make_target(SHAPES[shape], "index", device, ignore_index=ignore_index)
    kwargs = {"weight": make_weight(weighted, device), "reduction": reduction, "ignore_index": ignore_index}
    ours, g_ours = values_and_grad(nn.nll_loss, log_probs, target, **kwargs)
    theirs, g_theirs = values_and_grad(F.nll_loss, log_probs, target, **kwargs)
    torch.testing.assert_close(ours, theirs, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(g_ours, g_theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_all_targets_ignored(device, shape, weighted, reduction, label_smoothing):
    """torch's mean is 0/0 = NaN, its sum 0, and 'none' all zeros: ours too."""
    logits = make_input(SHAPES[shape], device)
    target = make_target(SHAPES[shape], "index", device).fill_(-100)
    kwargs = {
        "weight": make_weight(weighted, device),
        "reduction": reduction,
        "label_smoothing": label_smoothing,
    }
    ours = nn.cross_entropy(logits, target, **kwargs)
    theirs = F.cross_entropy(logits, target, **kwargs)
    assert ours.isnan().all() == (reduction == "mean")
    torch.testing.assert_close(ours, theirs, equal_nan=True)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", ["index", "probs"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_empty_batch(device, kind, reduction):
    logits = make_input((0, C), device)
    target = make_target((0, C), kind, device)
    ours = nn.cross_entropy(logits, target, reduction=reduction)
    theirs = F.cross_entropy(logits, target, reduction=reduction)
    torch.testing.assert_close(ours, theirs, equal_nan=True)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", ["index", "probs"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.5])
def test_extreme_logits_stay_finite(device, kind, label_smoothing):
    """Logits of size 1e4: softmax underflows to exact zeros, the loss does not."""
    logits = make_input((6, C), device, scale=1e4)
    target = make_target((6, C), kind, device)
    weight = make_weight(True, device)
    naive = -torch.log(torch.softmax(logits, dim=1))
    assert torch.isinf(naive).any()  # the test would be vacuous without underflow
    for reduction in ("mean", "none"):
        out = nn.cross_entropy(logits, target, weight, reduction=reduction, label_smoothing=label_smoothing)
        assert torch.isfinite(out).all()
        assert_matches_torch(
            logits, target, weight=weight, reduction=reduction, label_smoothing=label_smoothing
        )


@settings(max_examples=40, deadline=None)
@given(
    shift=st.floats(-1e3, 1e3),
    seed=st.integers(0, 2**16),
    label_smoothing=st.sampled_from([0.0, 0.1, 0.5]),
    kind=st.sampled_from(["index", "probs"]),
)
def test_shifting_a_row_of_logits_changes_nothing(shift, seed, label_smoothing, kind):
    """softmax(x + c) = softmax(x): adding a constant to every logit of one position leaves its loss."""
    logits = make_input((4, C, 3), "cpu", seed=seed)
    target = make_target((4, C, 3), kind, "cpu", seed=seed + 1)
    weight = make_weight(True, "cpu", seed=seed + 2)
    shifted = logits.clone()
    shifted[1, :, 2] += shift
    kwargs = {"weight": weight, "reduction": "none", "label_smoothing": label_smoothing}
    torch.testing.assert_close(
        nn.cross_entropy(shifted, target, **kwargs),
        nn.cross_entropy(logits, target, **kwargs),
        rtol=1e-9,
        atol=1e-9,
    )


def test_uint8_targets_are_class_indices():
    logits = make_input((7, C), "cpu")
    target = make_target((7, C), "index", "cpu").to(torch.uint8)
    torch.testing.assert_close(nn.cross_entropy(logits, target), F.cross_entropy(logits, target))


# ---------------------------------------------------------------------------------------------------------
# Errors: one per documented case, with torch raising for the same input where it does.

X = make_input((3, C), "cpu")
Y = torch.tensor([0, 1, 2])
P = torch.softmax(X, dim=1)

ERRORS = [
    ("input not a tensor", lambda f: f(X.tolist(), Y), TypeError, "input must be a torch.Tensor"),
    ("integer input", lambda f: f(X.long(), Y), TypeError, "input must be a floating-point"),
    ("0-d input", lambda f: f(torch.tensor(1.0, dtype=f64), torch.tensor(0)), ValueError, "got a 0-d tensor"),
    ("target not a tensor", lambda f: f(X, [0, 1, 2]), TypeError, "target must be a torch.Tensor"),
    ("int32 targets", lambda f: f(X, Y.int()), TypeError, "must have dtype torch.int64"),
    ("float class indices", lambda f: f(X, Y.double()), TypeError, "must have dtype torch.int64"),
    ("batch size mismatch", lambda f: f(X, Y[:2]), ValueError, r"without its class axis, \(3,\)"),
    ("extra target axis", lambda f: f(X, Y.view(3, 1)), ValueError, r"got shape \(3, 1\)"),
    (
        "target too large",
        lambda f: f(X, torch.tensor([0, 1, C])),
        ValueError,
        rf"in \[0, {C}\) or ignore_index=-100, got {C}",
    ),
    ("negative target", lambda f: f(X, torch.tensor([0, -1, 2])), ValueError, "got -1"),
    (
        "weight shape",
        lambda f: f(X, Y, torch.ones(C - 1, dtype=f64)),
        ValueError,
        r"weight must have shape \(C,\) = \(5,\)",
    ),
    ("weight dtype", lambda f: f(X, Y, torch.ones(C)), TypeError, "weight must have the input's dtype"),
    (
        "integer weight",
        lambda f: f(X, Y, torch.ones(C, dtype=torch.long)),
        TypeError,
        "weight must be a floating-point",
    ),
    ("bad reduction", lambda f: f(X, Y, reduction="avg"), ValueError, "reduction must be 'none'"),
]

CE_ERRORS = [
    ("integer probabilities", lambda f: f(X, P.long()), TypeError, "holds class probabilities"),
    (
        "ignore_index with probabilities",
        lambda f: f(X, P, ignore_index=1),
        ValueError,
        "class-index targets only",
    ),
    (
        "label_smoothing > 1",
        lambda f: f(X, Y, label_smoothing=1.5),
        ValueError,
        r"label_smoothing must be in \[0, 1\], got 1.5",
    ),
    (
        "label_smoothing > 1 with probabilities",
        lambda f: f(X, P, label_smoothing=1.5),
        ValueError,
        "label_smoothing must be in",
    ),
]


OURS_ONLY = [
    (
        "label_smoothing < 0",
        lambda f: f(X, Y, label_smoothing=-0.1),
        ValueError,
        "label_smoothing must be in",
    ),
    (
        "label_smoothing as a bool",
        lambda f: f(X, Y, label_smoothing=True),
        TypeError,
        "label_smoothing must be a float, got bool",
    ),
    (
        "ignore_index not an int",
        lambda f: f(X, Y, ignore_index=1.0),
        TypeError,
        "ignore_index must be an int, got float",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "error", "match"), ERRORS + CE_ERRORS, ids=[e[0] for e in ERRORS + CE_ERRORS]
)
def test_cross_entropy_errors(name, call, error, match):
    with pytest.raises(error, match=match):
        call(nn.cross_entropy)
    with pytest.raises(Exception):  # noqa: B017 (torch raises RuntimeError, IndexError, ...)
        call(F.cross_entropy)


@pytest.mark.parametrize(("name", "call", "error", "match"), OURS_ONLY, ids=[e[0] for e in OURS_ONLY])
def test_cross_entropy_errors_where_torch_is_lenient(name, call, error, match):
    with pytest.raises(error, match=match):
        call(nn.cross_entropy)


@pytest.mark.parametrize(("name", "call", "error", "match"), ERRORS, ids=[e[0] for e in ERRORS])
def test_nll_loss_errors(name, call, error, match):
    with pytest.raises(error, match=match):
        call(nn.nll_loss)


def test_out_of_range_target_on_the_device_raises_before_indexing():
    """On CUDA torch's kernel asserts on the device; our check runs first and raises a ValueError."""
    for device in DEVICES:
        with pytest.raises(ValueError, match="got 7"):
            nn.cross_entropy(X.to(device), torch.tensor([0, 7, 1], device=device))
