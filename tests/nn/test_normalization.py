"""dlnotes.nn.batch_norm and layer_norm against torch.nn.functional, in float64, for values and gradients.

Outputs and the gradients of a random upstream gradient pulled through both
(``tests.helpers.assert_same_values_and_grads``) must agree, and so must batch norm's running statistics,
over several training batches and in evaluation mode; ``torch.autograd.gradcheck`` checks ours against
finite differences. Every documented error has a ``pytest.raises(..., match=...)`` test.
"""

import re

import pytest
import torch
import torch.nn.functional as F

from dlnotes import nn
from tests.helpers import DEVICES, assert_same_values_and_grads, randn

f64 = torch.float64


# ---------------------------------------------------------------------------------------------------------
# Batch normalization.

BN_SHAPES = [(8, 3), (4, 3, 5), (2, 3, 4, 5)]


def bn_state(channels, device, seed=10):
    """Non-trivial running statistics (so evaluation mode is tested) and affine parameters."""
    mean = randn(channels, seed=seed, device=device)
    var = randn(channels, seed=seed + 1, device=device).abs() + 0.5
    weight = randn(channels, seed=seed + 2, device=device)
    bias = randn(channels, seed=seed + 3, device=device)
    return mean, var, weight, bias


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("momentum", [0.1, 0.5])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", BN_SHAPES, ids=str)
def test_batch_norm_matches_torch(shape, training, affine, momentum, device):
    channels = shape[1]
    mean, var, weight, bias = bn_state(channels, device)
    stats = {"ours": (mean.clone(), var.clone()), "torch": (mean.clone(), var.clone())}
    x = randn(*shape, seed=4, device=device, scale=2.0) + 1.0
    inputs = [x, weight, bias] if affine else [x]

    def call(fn, key):
        def f(inp, w=None, b=None):
            return fn(inp, *stats[key], w, b, training=training, momentum=momentum, eps=1e-5)

        return f

    assert_same_values_and_grads(call(nn.batch_norm, "ours"), call(F.batch_norm, "torch"), inputs)
    for ours, theirs in zip(stats["ours"], stats["torch"]):
        torch.testing.assert_close(ours, theirs)
    if not training:
        assert torch.equal(stats["ours"][0], mean) and torch.equal(stats["ours"][1], var)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", BN_SHAPES, ids=str)
def test_batch_norm_running_statistics_over_several_batches(shape, device):
    """Five training batches, then evaluation: running estimates and outputs equal to torch's."""
    channels = shape[1]
    ours = (torch.zeros(channels, dtype=f64, device=device), torch.ones(channels, dtype=f64, device=device))
    theirs = (ours[0].clone(), ours[1].clone())
    for step in range(5):
        x = randn(*shape, seed=20 + step, device=device, scale=3.0) + step
        torch.testing.assert_close(
            nn.batch_norm(x, *ours, training=True, momentum=0.3),
            F.batch_norm(x, *theirs, training=True, momentum=0.3),
        )
        for a, b in zip(ours, theirs):
            torch.testing.assert_close(a, b)
    x = randn(*shape, seed=30, device=device)
    torch.testing.assert_close(nn.batch_norm(x, *ours), F.batch_norm(x, *theirs))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", BN_SHAPES, ids=str)
def test_batch_norm_unbiased_running_variance_biased_normalization(shape, device):
    """With momentum 1 the running estimates are the batch's own: mean, and the UNBIASED variance;
    the output is normalized with the BIASED variance (so its per-channel variance is 1 - tiny)."""
    channels = shape[1]
    dims = [0] + list(range(2, len(shape)))
    x = randn(*shape, seed=5, device=device, scale=2.0)
    running_mean = torch.zeros(channels, dtype=f64, device=device)
    running_var = torch.zeros(channels, dtype=f64, device=device)
    y = nn.batch_norm(x, running_mean, running_var, training=True, momentum=1.0, eps=0.0)
    torch.testing.assert_close(running_mean, x.mean(dim=dims))
    torch.testing.assert_close(running_var, x.var(dim=dims, correction=1))
    torch.testing.assert_close(y.var(dim=dims, correction=0), torch.ones(channels, dtype=f64, device=device))
    torch.testing.assert_close(y.mean(dim=dims), torch.zeros(channels, dtype=f64, device=device))


@pytest.mark.parametrize("device", DEVICES)
def test_batch_norm_without_running_statistics(device):
    x = randn(6, 3, 4, seed=6, device=device)
    assert_same_values_and_grads(
        lambda t: nn.batch_norm(t, None, None, training=True),
        lambda t: F.batch_norm(t, None, None, training=True),
        [x],
    )


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradcheck(training):
    mean, var, weight, bias = bn_state(2, "cpu")
    x = randn(4, 2, 3, seed=7).requires_grad_(True)
    weight.requires_grad_(True)
    bias.requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda t, w, b: nn.batch_norm(
            t, None if training else mean, None if training else var, w, b, training=training
        ),
        (x, weight, bias),
    )


BN_ERRORS = [
    (
        {"input": torch.ones(5)},
        ValueError,
        re.escape(
            "batch_norm expects an input of shape (N, C) or (N, C, *) with at least 2 dimensions, "
            "got shape (5,)"
        ),
    ),
    (
        {"running_mean": torch.zeros(4)},
        ValueError,
        re.escape(
            "running_mean must have shape (C,) = (3,), one entry per channel of the input of shape "
            "(4, 3), got shape (4,)"
        ),
    ),
    ({"running_var": torch.ones(3, 1)}, ValueError, r"running_var must have shape \(C,\) = \(3,\)"),
    ({"weight": torch.ones(2)}, ValueError, r"weight must have shape \(C,\) = \(3,\).*got shape \(2,\)"),
    ({"bias": torch.ones(4)}, ValueError, r"bias must have shape \(C,\) = \(3,\).*got shape \(4,\)"),
    ({"running_var": None, "training": True}, ValueError, "must be given together"),
    (
        {"running_mean": None, "running_var": None, "training": False},
        ValueError,
        "running_mean and running_var are needed when training=False",
    ),
    (
        {"input": torch.ones(1, 3), "training": True},
        ValueError,
        re.escape("Expected more than 1 value per channel when training, got input size torch.Size([1, 3])"),
    ),
    ({"momentum": None, "training": True}, TypeError, r"momentum=None \(a cumulative average\)"),
    (
        {"input": torch.ones(4, 3, dtype=torch.long)},
        TypeError,
        "input must be a floating-point tensor, got dtype torch.int64",
    ),
    ({"input": [[1.0, 2.0, 3.0]] * 4}, TypeError, "input must be a torch.Tensor, got list"),
    ({"weight": [1.0, 1.0, 1.0]}, TypeError, "weight must be a torch.Tensor, got list"),
]


@pytest.mark.parametrize(("override", "exc", "match"), BN_ERRORS, ids=[m[:40] for _, _, m in BN_ERRORS])
def test_batch_norm_errors(override, exc, match):
    args = {
        "input": torch.ones(4, 3),
        "running_mean": torch.zeros(3),
        "running_var": torch.ones(3),
        "training": False,
        **override,
    }
    with pytest.raises(exc, match=match):
        nn.batch_norm(**args)


def test_batch_norm_torch_refuses_the_same_inputs():
    """The inputs we refuse, torch refuses too (with RuntimeError, TypeError or ValueError)."""
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        F.batch_norm(torch.ones(1, 3), torch.zeros(3), torch.ones(3), training=True)
    with pytest.raises(TypeError, match="momentum"):
        F.batch_norm(torch.ones(4, 3), torch.zeros(3), torch.ones(3), training=True, momentum=None)
    with pytest.raises(RuntimeError, match="running_mean should contain 3 elements not 4"):
        F.batch_norm(torch.ones(4, 3), torch.zeros(4), torch.ones(3))
    with pytest.raises(RuntimeError, match="running_mean must be defined in evaluation mode"):
        F.batch_norm(torch.ones(4, 3), None, None)


# ---------------------------------------------------------------------------------------------------------
# Layer normalization.

LN_CASES = [
    ((4, 6), (6,)),
    ((4, 6), 6),
    ((2, 3, 4), (4,)),
    ((2, 3, 4), (3, 4)),
    ((2, 3, 4, 5), (3, 4, 5)),
    ((5,), (5,)),
    ((1, 7), torch.Size([7])),
]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("eps", [1e-5, 1e-2])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize(("shape", "normalized_shape"), LN_CASES, ids=str)
def test_layer_norm_matches_torch(shape, normalized_shape, affine, eps, device):
    x = randn(*shape, seed=8, device=device, scale=3.0) + 2.0
    trailing = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    inputs = [x, randn(*trailing, seed=9, device=device), randn(*trailing, seed=10, device=device)]
    inputs = inputs if affine else inputs[:1]
    assert_same_values_and_grads(
        lambda t, w=None, b=None: nn.layer_norm(t, normalized_shape, w, b, eps),
        lambda t, w=None, b=None: F.layer_norm(t, trailing, w, b, eps),
        inputs,
    )  # torch wants a tuple; ours also takes an int


def test_layer_norm_normalizes_each_example():
    """Mean 0 and (biased) variance 1 over the normalized dimensions of every example, for any batch."""
    x = randn(3, 5, 4, seed=11, scale=4.0) + 7.0
    y = nn.layer_norm(x, (5, 4), eps=0.0)
    torch.testing.assert_close(y.mean(dim=(1, 2)), torch.zeros(3, dtype=f64))
    torch.testing.assert_close(y.var(dim=(1, 2), correction=0), torch.ones(3, dtype=f64))
    torch.testing.assert_close(nn.layer_norm(x[:1], (5, 4), eps=0.0), y[:1])  # batch of one: same


def test_layer_norm_gradcheck():
    x = randn(2, 3, 4, seed=12).requires_grad_(True)
    w = randn(4, seed=13).requires_grad_(True)
    b = randn(4, seed=14).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t, w, b: nn.layer_norm(t, 4, w, b), (x, w, b))


LN_ERRORS = [
    (
        {"normalized_shape": (4,)},
        ValueError,
        re.escape(
            "normalized_shape=(4,) must equal the trailing dimensions of the input, expected an input of "
            "shape (*, 4), got shape (4, 3)"
        ),
    ),
    ({"normalized_shape": (2, 4, 3)}, ValueError, r"expected an input of shape \(\*, 2, 4, 3\)"),
    ({"normalized_shape": ()}, ValueError, r"normalized_shape must have at least one dimension, got \(\)"),
    (
        {"weight": torch.ones(4)},
        ValueError,
        r"weight must have shape normalized_shape=\(3,\), got shape \(4,\)",
    ),
    ({"bias": torch.ones(4, 3)}, ValueError, r"bias must have shape normalized_shape=\(3,\)"),
    (
        {"normalized_shape": 3.0},
        TypeError,
        "normalized_shape must be an int or a sequence of ints, got float",
    ),
    ({"normalized_shape": (3.0,)}, TypeError, "normalized_shape must be an int or a sequence of ints"),
    ({"input": torch.ones(4, 3, dtype=torch.int32)}, TypeError, "input must be a floating-point tensor"),
    ({"weight": torch.ones(3, dtype=torch.long)}, TypeError, "weight must be a floating-point tensor"),
]


@pytest.mark.parametrize(("override", "exc", "match"), LN_ERRORS, ids=[m[:40] for _, _, m in LN_ERRORS])
def test_layer_norm_errors(override, exc, match):
    args = {"input": torch.ones(4, 3), "normalized_shape": 3, **override}
    with pytest.raises(exc, match=match):
        nn.layer_norm(**args)


def test_layer_norm_torch_refuses_a_mismatched_shape():
    with pytest.raises(RuntimeError, match="expected input with shape"):
        F.layer_norm(torch.ones(4, 3), (4,))
