"""dlnotes.nn against torch.nn.functional, in float64, for values and gradients.

Gradients are compared by pulling a random upstream gradient through ours and torch's on the same inputs
with ``torch.autograd.grad`` (a random weighting, not ``.sum()``, which would give softmax a zero gradient
whatever the code), then ``torch.autograd.gradcheck`` checks ours against finite differences on small
inputs. The closed-form derivatives are compared with autograd of torch's activations, including at the
kinks and far in the tails. Every documented error has a ``pytest.raises(..., match=...)`` test.
"""

import math
import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import nn

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
f64 = torch.float64


def randn(*shape, seed=0, device="cpu", scale=1.0):
    gen = torch.Generator().manual_seed(seed)
    return (scale * torch.randn(shape, generator=gen, dtype=f64)).to(device)


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def outputs_and_grads(fn, inputs, upstream_seed=99):
    """fn(*inputs) and the gradients of <fn(*inputs), u> for a fixed random u, for inputs requiring grad."""
    inputs = [leaf(t) if isinstance(t, torch.Tensor) and t.is_floating_point() else t for t in inputs]
    out = fn(*inputs)
    u = randn(*out.shape, seed=upstream_seed, device=out.device)
    wrt = [t for t in inputs if isinstance(t, torch.Tensor) and t.requires_grad]
    grads = torch.autograd.grad((out * u).sum(), wrt)
    return out, grads


def assert_same_values_and_grads(ours, theirs, inputs):
    out_ours, grads_ours = outputs_and_grads(ours, inputs)
    out_theirs, grads_theirs = outputs_and_grads(theirs, inputs)
    torch.testing.assert_close(out_ours, out_theirs, equal_nan=True)
    assert len(grads_ours) == len(grads_theirs)
    for g_ours, g_theirs in zip(grads_ours, grads_theirs):
        assert torch.isfinite(g_ours).all()
        torch.testing.assert_close(g_ours, g_theirs)


# ---------------------------------------------------------------------------------------------------------
# Activations and their derivatives.

# name -> (ours, torch's, our closed-form derivative, option sets)
ACTIVATIONS = {
    "sigmoid": (nn.sigmoid, torch.sigmoid, nn.sigmoid_derivative, [{}]),
    "tanh": (nn.tanh, torch.tanh, nn.tanh_derivative, [{}]),
    "relu": (nn.relu, F.relu, nn.relu_derivative, [{}]),
    "leaky_relu": (
        nn.leaky_relu,
        F.leaky_relu,
        nn.leaky_relu_derivative,
        [{}, {"negative_slope": 0.2}, {"negative_slope": 1.5}],
    ),
    "elu": (nn.elu, F.elu, nn.elu_derivative, [{}, {"alpha": 0.5}, {"alpha": 2.0}]),
    "gelu": (nn.gelu, F.gelu, nn.gelu_derivative, [{}, {"approximate": "tanh"}, {"approximate": "none"}]),
}


def activation_cases():
    for name, (*_, option_sets) in ACTIVATIONS.items():
        for i, options in enumerate(option_sets):
            yield pytest.param(name, options, id=f"{name}-{i}")


def activation_inputs(device, dtype=f64):
    """A dense grid, the kink at 0 and its neighbours, far tails, and random values."""
    special = [
        0.0,
        -0.0,
        1e-12,
        -1e-12,
        1e-300,
        -1e-300,
        0.5,
        -0.5,
        30.0,
        -30.0,
        50.0,
        -50.0,
        700.0,
        -700.0,
        1000.0,
        -1000.0,
    ]
    x = torch.cat(
        [
            torch.linspace(-20, 20, 801, dtype=f64),
            torch.tensor(special, dtype=f64),
            randn(200, seed=1, scale=5.0),
        ]
    )
    return x.to(device=device, dtype=dtype)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("name", "options"), list(activation_cases()))
def test_activation_values_and_gradients_match_torch(name, options, device):
    ours, theirs, _, _ = ACTIVATIONS[name]
    x = activation_inputs(device)
    assert_same_values_and_grads(lambda t: ours(t, **options), lambda t: theirs(t, **options), [x])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("name", "options"), list(activation_cases()))
def test_activation_values_match_torch_in_float32(name, options, device):
    ours, theirs, _, _ = ACTIVATIONS[name]
    x = activation_inputs(device, torch.float32)
    out = ours(x, **options)
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, theirs(x, **options))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("name", "options"), list(activation_cases()))
def test_derivative_matches_autograd_of_torch(name, options, device):
    _, theirs, derivative, _ = ACTIVATIONS[name]
    x = leaf(activation_inputs(device))
    (expected,) = torch.autograd.grad(theirs(x, **options).sum(), x)  # elementwise: the sum's gradient
    got = derivative(x.detach(), **options)
    assert got.dtype == f64 and got.shape == x.shape
    torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-13)  # torch cancels in the tails


@pytest.mark.parametrize(("name", "options"), list(activation_cases()))
def test_activation_gradcheck(name, options):
    ours = ACTIVATIONS[name][0]
    x = torch.tensor([-3.0, -1.1, -0.2, 0.3, 0.9, 2.5], dtype=f64, requires_grad=True)  # away from the kink
    assert torch.autograd.gradcheck(lambda t: ours(t, **options), (x,))


@pytest.mark.parametrize(
    ("x", "sigma_prime", "tanh_prime"),
    [
        (0.0, 0.25, 1.0),
        (-800.0, 0.0, 0.0),
        (40.0, math.exp(-40.0), 4 * math.exp(-80.0)),
    ],
)
def test_derivatives_keep_precision_in_the_tails(x, sigma_prime, tanh_prime):
    """σ'(40) = e^{-40}/(1 + e^{-40})² ≈ 4e-18, where σ(1 − σ) would round to 0."""
    t = torch.tensor([x], dtype=f64)
    assert nn.sigmoid_derivative(t).item() == pytest.approx(sigma_prime, rel=1e-12, abs=0)
    assert nn.tanh_derivative(t).item() == pytest.approx(tanh_prime, rel=1e-12, abs=0)


@pytest.mark.parametrize("device", DEVICES)
def test_activations_do_not_overflow(device):
    """e^{1000} = inf would make the naive sigmoid's gradient NaN; ours stays finite."""
    x = torch.tensor([-1000.0, -745.0, 745.0, 1000.0], dtype=f64, device=device, requires_grad=True)
    for fn in (nn.sigmoid, nn.tanh, nn.elu, nn.gelu, lambda t: nn.gelu(t, approximate="tanh")):
        out = fn(x)
        (grad,) = torch.autograd.grad(out.sum(), x)
        assert torch.isfinite(out).all() and torch.isfinite(grad).all()


def test_nan_propagates_like_torch():
    x = torch.tensor([math.nan, -1.0, 1.0], dtype=f64)
    for name, options in [(n, o[0]) for n, (*_, o) in ACTIVATIONS.items()]:
        ours, theirs, _, _ = ACTIVATIONS[name]
        torch.testing.assert_close(ours(x, **options), theirs(x, **options), equal_nan=True)


floats = st.floats(-1e6, 1e6, allow_nan=False)


@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=20))
def test_relu_derivative_is_an_indicator(values):
    x = torch.tensor(values, dtype=f64)
    d = nn.relu_derivative(x)
    assert set(d.tolist()) <= {0.0, 1.0}
    assert torch.equal(d, (x > 0).to(f64))


@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=20))
def test_sigmoid_symmetry_and_tanh_oddness(values):
    x = torch.tensor(values, dtype=f64)
    s = nn.sigmoid(x)
    assert ((s >= 0) & (s <= 1)).all()
    torch.testing.assert_close(s + nn.sigmoid(-x), torch.ones_like(x), rtol=0, atol=1e-15)
    assert torch.equal(nn.tanh(-x), -nn.tanh(x))
    assert (nn.tanh(x).abs() <= 1).all()


@pytest.mark.parametrize("fn", [nn.gelu, nn.gelu_derivative])
def test_gelu_bad_approximate(fn):
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        F.gelu(torch.ones(2), approximate="erf")
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh', got 'erf'"):
        fn(torch.ones(2), approximate="erf")


@pytest.mark.parametrize("name", [f"{n}{suffix}" for n in ACTIVATIONS for suffix in ("", "_derivative")])
def test_activation_not_a_tensor(name):
    with pytest.raises(TypeError, match="x must be a torch.Tensor, got list"):
        getattr(nn, name)([1.0, 2.0])


# ---------------------------------------------------------------------------------------------------------
# Softmax and log-softmax.

SOFTMAX_CASES = [
    ((5,), 0),
    ((5,), -1),
    ((3, 4), 0),
    ((3, 4), 1),
    ((3, 4), -1),
    ((2, 3, 4), 1),
    ((2, 3, 4), -3),
    ((2, 3, 4), 2),
]
SOFTMAXES = {"softmax": (nn.softmax, torch.softmax), "log_softmax": (nn.log_softmax, torch.log_softmax)}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("scale", [1.0, 1e4])
@pytest.mark.parametrize(("shape", "dim"), SOFTMAX_CASES, ids=str)
@pytest.mark.parametrize("name", list(SOFTMAXES))
def test_softmax_matches_torch(name, shape, dim, scale, device):
    ours, theirs = SOFTMAXES[name]
    x = randn(*shape, seed=2, device=device, scale=scale)
    assert_same_values_and_grads(lambda t: ours(t, dim), lambda t: theirs(t, dim), [x])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(SOFTMAXES))
def test_softmax_huge_logits_are_finite(name, device):
    ours, theirs = SOFTMAXES[name]
    x = torch.tensor(
        [[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4], [1e300, -1e300, 0.0]],
        dtype=f64,
        device=device,
    )
    out, (grad,) = outputs_and_grads(lambda t: ours(t, -1), [x])
    assert torch.isfinite(out).all() and torch.isfinite(grad).all()
    assert_same_values_and_grads(lambda t: ours(t, -1), lambda t: theirs(t, -1), [x])
    naive = torch.exp(x) / torch.exp(x).sum(-1, keepdim=True)
    assert torch.isnan(naive).any()  # what the max subtraction is for


@pytest.mark.parametrize("name", list(SOFTMAXES))
def test_softmax_minus_infinity_like_torch(name):
    """−∞ logits get probability 0 (a masked entry); a slice of only −∞ is NaN in both."""
    ours, theirs = SOFTMAXES[name]
    x = torch.tensor([[0.0, -math.inf, 1.0], [-math.inf, -math.inf, -math.inf]], dtype=f64)
    torch.testing.assert_close(ours(x, 1), theirs(x, 1), equal_nan=True)
    assert torch.isnan(ours(x, 1)[1]).all()


@pytest.mark.parametrize("name", list(SOFTMAXES))
@pytest.mark.parametrize(("shape", "dim"), [((), 0), ((), -1), ((2, 0), 1), ((0, 3), 1)], ids=str)
def test_softmax_degenerate_shapes_like_torch(name, shape, dim):
    ours, theirs = SOFTMAXES[name]
    x = randn(*shape)
    torch.testing.assert_close(ours(x, dim), theirs(x, dim))


def test_softmax_gradcheck():
    x = randn(3, 4, seed=3, scale=3.0).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: nn.softmax(t, 1), (x,))
    assert torch.autograd.gradcheck(lambda t: nn.log_softmax(t, 0), (x,))


@st.composite
def logit_rows(draw):
    n = draw(st.integers(1, 8))
    return draw(st.lists(st.lists(floats, min_size=n, max_size=n), min_size=1, max_size=4))


@given(logit_rows())
def test_softmax_rows_sum_to_one(rows):
    p = nn.softmax(torch.tensor(rows, dtype=f64), dim=-1)
    assert ((p >= 0) & (p <= 1)).all()
    torch.testing.assert_close(p.sum(-1), torch.ones(len(rows), dtype=f64), rtol=0, atol=1e-12)


@given(logit_rows())
def test_log_softmax_is_log_of_softmax_where_finite(rows):
    x = torch.tensor(rows, dtype=f64)
    p, log_p = nn.softmax(x, dim=-1), nn.log_softmax(x, dim=-1)
    assert torch.isfinite(log_p).all() and (log_p <= 0).all()
    normal = p >= torch.finfo(f64).tiny  # where log(p) is finite and accurate
    torch.testing.assert_close(log_p[normal], torch.log(p[normal]), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", list(SOFTMAXES))
def test_softmax_errors(name):
    fn = getattr(nn, name)
    with pytest.raises(ValueError, match=r"dim must be in \[-2, 1\] for an input with 2 dimensions, got 2"):
        fn(torch.ones(2, 3), 2)
    with pytest.raises(ValueError, match=r"dim must be in \[-1, 0\] for an input with 0 dimensions, got 1"):
        fn(torch.tensor(1.0), 1)
    with pytest.raises(TypeError, match="dim must be an int, got str"):
        fn(torch.ones(2, 3), "1")
    with pytest.raises(TypeError, match="dim must be an int, got bool"):
        fn(torch.ones(2, 3), True)
    with pytest.raises(TypeError, match="x must be a floating-point tensor, got dtype torch.int64"):
        fn(torch.ones(2, 3, dtype=torch.long), 1)
    with pytest.raises(TypeError, match="x must be a torch.Tensor, got list"):
        fn([1.0, 2.0], 0)


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


# ---------------------------------------------------------------------------------------------------------
# Scaled dot-product attention.


def bool_mask(shape, seed, device, dead_row=True):
    """Random keep/drop pattern; every row keeps a key except (optionally) one row that keeps none."""
    gen = torch.Generator().manual_seed(seed)
    keep = torch.rand(*shape, generator=gen) < 0.6
    keep[..., 0] = True
    if dead_row:
        keep[..., 1, :] = False  # a query that may attend to nothing: weights and output 0
    return keep.to(device)


# (query, key, value) shapes, the mask (a function of the device or None), is_causal, scale
SDPA_CASES = {
    "4d": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), None, False, None),
    "4d-scale": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), None, False, 0.3),
    "3d": ((2, 4, 5), (2, 6, 5), (2, 6, 3), None, False, None),
    "2d": ((4, 5), (6, 5), (6, 3), None, False, None),
    "broadcast-kv": ((2, 3, 4, 5), (1, 3, 6, 5), (2, 1, 6, 7), None, False, None),
    "causal-square": ((2, 3, 5, 4), (2, 3, 5, 4), (2, 3, 5, 2), None, True, None),
    "causal-tall": ((2, 6, 4), (2, 4, 4), (2, 4, 3), None, True, 0.7),
    "causal-wide": ((2, 3, 4), (2, 6, 4), (2, 6, 3), None, True, None),
    "bool-LS": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), lambda d: bool_mask((4, 6), 1, d), False, None),
    "bool-full": (
        (2, 3, 4, 5),
        (2, 3, 6, 5),
        (2, 3, 6, 7),
        lambda d: bool_mask((2, 3, 4, 6), 2, d),
        False,
        None,
    ),
    "bool-key-padding": (
        (2, 3, 4, 5),
        (2, 3, 6, 5),
        (2, 3, 6, 7),
        lambda d: bool_mask((2, 1, 1, 6), 3, d, dead_row=False),
        False,
        None,
    ),
    "bool-per-head": (
        (2, 3, 4, 5),
        (2, 3, 6, 5),
        (2, 3, 6, 7),
        lambda d: bool_mask((1, 3, 4, 6), 4, d),
        False,
        0.5,
    ),
    "float-LS": (
        (2, 3, 4, 5),
        (2, 3, 6, 5),
        (2, 3, 6, 7),
        lambda d: randn(4, 6, seed=5, device=d),
        False,
        None,
    ),
    "float-inf": (
        (2, 4, 5),
        (2, 6, 5),
        (2, 6, 7),
        lambda d: torch.where(bool_mask((2, 4, 6), 6, d), randn(2, 4, 6, seed=7, device=d), -math.inf),
        False,
        None,
    ),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", list(SDPA_CASES))
def test_attention_matches_torch(case, device):
    q_shape, k_shape, v_shape, make_mask, is_causal, scale = SDPA_CASES[case]
    q, k, v = (randn(*s, seed=i, device=device) for i, s in enumerate((q_shape, k_shape, v_shape)))
    inputs = [q, k, v]
    if make_mask is not None:
        inputs.append(make_mask(device))  # a float mask gets a gradient too, in both

    def call(fn):
        return lambda q, k, v, mask=None: fn(q, k, v, attn_mask=mask, is_causal=is_causal, scale=scale)

    assert_same_values_and_grads(
        call(nn.scaled_dot_product_attention), call(F.scaled_dot_product_attention), inputs
    )


@pytest.mark.parametrize("device", DEVICES)
def test_attention_fully_masked_query_gives_zeros(device):
    q, k = randn(4, 3, device=device), randn(5, 3, seed=1, device=device)
    v = randn(5, 2, seed=2, device=device)
    keep = torch.ones(4, 5, dtype=torch.bool, device=device)
    keep[2] = False
    out, grads = outputs_and_grads(
        lambda q, k, v: nn.scaled_dot_product_attention(q, k, v, attn_mask=keep), [q, k, v]
    )
    assert torch.equal(out[2], torch.zeros(2, dtype=f64, device=device))
    assert torch.equal(grads[0][2], torch.zeros(3, dtype=f64, device=device))
    assert all(torch.isfinite(g).all() for g in grads)


def test_attention_by_hand():
    """Independent of torch: the formula softmax(QKᵀ/√E + M) V written out with a loop."""
    q, k, v = randn(3, 4), randn(5, 4, seed=1), randn(5, 2, seed=2)
    keep = bool_mask((3, 5), 8, "cpu", dead_row=False)
    expected = torch.empty(3, 2, dtype=f64)
    for i in range(3):
        scores = [(q[i] @ k[j]).item() / 2.0 for j in range(5) if keep[i, j]]  # √E = 2
        values = [v[j] for j in range(5) if keep[i, j]]
        weights = [math.exp(s) / sum(math.exp(t) for t in scores) for s in scores]
        expected[i] = sum(w * val for w, val in zip(weights, values))
    torch.testing.assert_close(nn.scaled_dot_product_attention(q, k, v, attn_mask=keep), expected)
    causal = nn.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(causal[0], v[0])  # the first query sees only the first key


def test_attention_gradcheck():
    q = randn(2, 3, 2, seed=1).requires_grad_(True)
    k = randn(2, 4, 2, seed=2).requires_grad_(True)
    v = randn(2, 4, 3, seed=3).requires_grad_(True)
    mask = randn(3, 4, seed=4).requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda q, k, v, m: nn.scaled_dot_product_attention(q, k, v, attn_mask=m, scale=0.8), (q, k, v, mask)
    )
    assert torch.autograd.gradcheck(
        lambda q, k, v: nn.scaled_dot_product_attention(q, k, v, is_causal=True), (q, k, v)
    )


def test_attention_causal_with_mask_same_error_as_torch():
    q = k = v = torch.ones(2, 3, 4)
    mask = torch.ones(3, 3, dtype=torch.bool)
    message = "Explicit attn_mask should not be set when is_causal=True"
    with pytest.raises(RuntimeError, match=message):
        F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=True)
    with pytest.raises(ValueError, match=message):
        nn.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=True)


SDPA_ERRORS = [
    ({"dropout_p": 0.1}, ValueError, r"dropout_p must be 0 \(dropout on the attention weights"),
    (
        {"query": torch.ones(4, dtype=f64)},
        ValueError,
        re.escape("query must have at least 2 dimensions, (*, sequence length, features), got shape (4,)"),
    ),
    (
        {"key": torch.ones(6, 3, dtype=f64)},
        ValueError,
        re.escape(
            "query and key must have the same number of features E in their last dimension, got query of "
            "shape (2, 4, 5) and key of shape (6, 3)"
        ),
    ),
    (
        {"value": torch.ones(2, 5, 7, dtype=f64)},
        ValueError,
        re.escape(
            "key and value must have the same sequence length S in their second-to-last dimension, got "
            "key of shape (2, 6, 5) and value of shape (2, 5, 7)"
        ),
    ),
    (
        {"key": torch.ones(3, 6, 5, dtype=f64)},
        ValueError,
        r"the leading \(batch, head\) dimensions of query, key and value must broadcast",
    ),
    (
        {"attn_mask": torch.ones(5, 6, dtype=torch.bool)},
        ValueError,
        re.escape(
            "attn_mask of shape (5, 6) must broadcast to the attention scores of shape (*, L, S) = (2, 4, 6)"
        ),
    ),
    (
        {"attn_mask": torch.ones(4, 6, dtype=torch.long)},
        TypeError,
        "attn_mask must be boolean or floating-point, got dtype torch.int64",
    ),
    ({"attn_mask": [[True] * 6] * 4}, TypeError, "attn_mask must be a torch.Tensor, got list"),
    (
        {"value": torch.ones(2, 6, 7, dtype=torch.float32)},
        TypeError,
        "query, key and value must have the same dtype, got torch.float64, torch.float64 and torch.float32",
    ),
    (
        {"query": torch.ones(2, 4, 5, dtype=torch.long)},
        TypeError,
        "query must be a floating-point tensor, got dtype torch.int64",
    ),
    ({"key": "keys"}, TypeError, "key must be a torch.Tensor, got str"),
]


@pytest.mark.parametrize(("override", "exc", "match"), SDPA_ERRORS, ids=[m[:40] for _, _, m in SDPA_ERRORS])
def test_attention_errors(override, exc, match):
    args = {
        "query": torch.ones(2, 4, 5, dtype=f64),
        "key": torch.ones(2, 6, 5, dtype=f64),
        "value": torch.ones(2, 6, 7, dtype=f64),
        **override,
    }
    with pytest.raises(exc, match=match):
        nn.scaled_dot_product_attention(**args)
