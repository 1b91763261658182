"""dlnotes.nn activations and softmax against torch.nn.functional, in float64, for values and gradients.

Gradients are compared by pulling a random upstream gradient through ours and torch's on the same inputs
with ``torch.autograd.grad`` (``tests.helpers.assert_same_values_and_grads``), then
``torch.autograd.gradcheck`` checks ours against finite differences on small inputs. The closed-form
derivatives are compared with autograd of torch's activations, including at the kinks and far in the tails.
Every documented error has a ``pytest.raises(..., match=...)`` test.
"""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import nn
from tests.helpers import DEVICES, assert_same_values_and_grads, leaf, outputs_and_grads, randn

f64 = torch.float64


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
    with pytest.raises(ValueError, match=r"approximate must be one of \('none', 'tanh'\), got 'erf'"):
        fn(torch.ones(2), approximate="erf")


@pytest.mark.parametrize("name", [f"{n}{suffix}" for n in ACTIVATIONS for suffix in ("", "_derivative")])
def test_activation_not_a_tensor(name):
    with pytest.raises(TypeError, match=r"x must be a torch\.Tensor, got list"):
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
    with pytest.raises(TypeError, match=r"x must be a floating-point tensor, got dtype torch\.int64"):
        fn(torch.ones(2, 3, dtype=torch.long), 1)
    with pytest.raises(TypeError, match=r"x must be a torch\.Tensor, got list"):
        fn([1.0, 2.0], 0)
