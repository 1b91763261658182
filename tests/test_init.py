"""dlnotes.init against torch.nn.init.

With the same generator state (an explicit ``torch.Generator`` passed to both, or the global generator
reseeded with ``torch.manual_seed`` before each call) every initializer must give exactly torch's tensor,
bit for bit, for linear and convolution weights of every rank and in float32 and float64. Orthogonal
matrices are checked for orthogonality directly (and the SVD variant against the Gaussian matrix it
orthogonalizes), fans against torch's and against real ``nn`` layers, gains against torch's table and
against their closed forms, and every documented error with ``pytest.raises(..., match=...)``.
"""

import math
import re
import typing

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import init
from tests.helpers import DEVICES

DTYPES = [torch.float32, torch.float64]

# Weights of nn.Linear (2-D) and nn.Conv1d/2d/3d (3-, 4-, 5-D), plus a few odd shapes.
SHAPES = [(20, 10), (10, 20), (1, 1), (16, 3, 5), (16, 3, 5, 5), (8, 4, 3, 2, 3), (5, 7, 1, 1)]


def generator(device, seed):
    return torch.Generator(device=device).manual_seed(seed)


# ---------------------------------------------------------------------------------------------------------
# calculate_gain


def test_nonlinearities_are_torchs():
    """Our list of names is torch's (taken from the type annotation of torch.nn.init.calculate_gain)."""
    torch_names = typing.get_args(getattr(torch.nn.init, "_NonlinearityType", None))
    if not torch_names:
        pytest.skip("this torch version does not annotate the nonlinearities")
    assert set(init.NONLINEARITIES) == set(torch_names)


@pytest.mark.parametrize("nonlinearity", init.NONLINEARITIES)
@pytest.mark.parametrize("param", [None, 0, 0.2, 1, -0.5, 3.0])
def test_calculate_gain_matches_torch(nonlinearity, param):
    ours = init.calculate_gain(nonlinearity, param)
    assert isinstance(ours, float)
    assert ours == torch.nn.init.calculate_gain(nonlinearity, param)


@pytest.mark.parametrize(
    ("nonlinearity", "param", "expected"),
    [
        ("linear", None, 1.0),
        ("conv2d", None, 1.0),
        ("sigmoid", None, 1.0),
        ("tanh", None, 5 / 3),
        ("relu", None, math.sqrt(2)),
        ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
        ("leaky_relu", 0, math.sqrt(2)),
        ("leaky_relu", 1, 1.0),
        ("selu", None, 0.75),
    ],
)
def test_calculate_gain_closed_forms(nonlinearity, param, expected):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("nonlinearity", ["softmax", "Relu", "gelu", ""])
def test_calculate_gain_unknown_nonlinearity(nonlinearity):
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        torch.nn.init.calculate_gain(nonlinearity)
    with pytest.raises(ValueError, match=rf"Unsupported nonlinearity {nonlinearity}; expected one of linear"):
        init.calculate_gain(nonlinearity)


@pytest.mark.parametrize("param", [True, "0.1", [0.1], torch.tensor(0.1)])
def test_calculate_gain_bad_leaky_relu_param(param):
    with pytest.raises(ValueError, match="not a valid number"):
        torch.nn.init.calculate_gain("leaky_relu", param)
    match = r"negative_slope .* not a valid number: .* must be an int or a float"
    with pytest.raises(ValueError, match=match):
        init.calculate_gain("leaky_relu", param)


# ---------------------------------------------------------------------------------------------------------
# calculate_fan_in_and_fan_out


@pytest.mark.parametrize("shape", SHAPES + [(3, 0), (0, 4, 2), (2, 3, 0, 5)])
def test_fans_match_torch(shape):
    tensor = torch.empty(shape)
    fans = init.calculate_fan_in_and_fan_out(tensor)
    assert fans == torch.nn.init._calculate_fan_in_and_fan_out(tensor)
    assert all(type(f) is int for f in fans)


@pytest.mark.parametrize(
    ("layer", "fan_in", "fan_out"),
    [
        (lambda: torch.nn.Linear(10, 20), 10, 20),
        (lambda: torch.nn.Conv1d(3, 8, kernel_size=5), 3 * 5, 8 * 5),
        (lambda: torch.nn.Conv2d(3, 16, kernel_size=(5, 3)), 3 * 15, 16 * 15),
        (lambda: torch.nn.Conv3d(2, 4, kernel_size=3), 2 * 27, 4 * 27),
        (lambda: torch.nn.Conv2d(6, 12, kernel_size=3, groups=3), 2 * 9, 12 * 9),  # (12, 6/3, 3, 3)
    ],
)
def test_fans_of_real_layers(layer, fan_in, fan_out):
    """Counted by hand: a unit of the layer sees fan_in inputs and feeds fan_out outputs."""
    assert init.calculate_fan_in_and_fan_out(layer().weight) == (fan_in, fan_out)


@given(st.lists(st.integers(1, 6), min_size=2, max_size=5))
def test_fans_property(shape):
    fan_in, fan_out = init.calculate_fan_in_and_fan_out(torch.empty(shape))
    assert fan_in * shape[0] == fan_out * shape[1] == math.prod(shape)


@pytest.mark.parametrize("shape", [(), (5,)])
def test_fans_need_two_dimensions(shape):
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    with pytest.raises(
        ValueError,
        match=re.escape(
            f"at least 2 dimensions, (out_features, in_features) or "
            f"(out_channels, in_channels, *kernel_size), got shape "
            f"{shape}"
        ),
    ):
        init.calculate_fan_in_and_fan_out(torch.empty(shape))


# ---------------------------------------------------------------------------------------------------------
# Same generator state, same tensor.

# name -> (ours, torch's, option sets)
INITIALIZERS = {
    "uniform_": (init.uniform_, torch.nn.init.uniform_, [{}, {"a": -2.0, "b": 3.0}]),
    "normal_": (init.normal_, torch.nn.init.normal_, [{}, {"mean": 1.0, "std": 0.5}]),
    "xavier_uniform_": (
        init.xavier_uniform_,
        torch.nn.init.xavier_uniform_,
        [{}, {"gain": 5 / 3}, {"gain": init.calculate_gain("relu")}],
    ),
    "xavier_normal_": (init.xavier_normal_, torch.nn.init.xavier_normal_, [{}, {"gain": 5 / 3}]),
    "kaiming_uniform_": (
        init.kaiming_uniform_,
        torch.nn.init.kaiming_uniform_,
        [
            {},
            {"a": math.sqrt(5)},
            {"a": 0.2, "mode": "fan_out"},
            {"mode": "FAN_OUT", "nonlinearity": "relu"},
            {"nonlinearity": "tanh"},
            {"nonlinearity": "linear", "mode": "fan_in"},
        ],
    ),
    "kaiming_normal_": (
        init.kaiming_normal_,
        torch.nn.init.kaiming_normal_,
        [{}, {"a": 0.2}, {"mode": "fan_out", "nonlinearity": "relu"}, {"nonlinearity": "selu"}],
    ),
    "orthogonal_": (init.orthogonal_, torch.nn.init.orthogonal_, [{}, {"gain": 2.0}]),
}


def init_cases():
    for name, (_, _, option_sets) in INITIALIZERS.items():
        for i, options in enumerate(option_sets):
            yield pytest.param(name, options, id=f"{name}-{i}")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize(("name", "options"), list(init_cases()))
def test_same_generator_gives_torchs_tensor(name, options, shape, dtype, device):
    ours_fn, torch_fn, _ = INITIALIZERS[name]
    ours = torch.empty(shape, dtype=dtype, device=device)
    theirs = torch.empty(shape, dtype=dtype, device=device)
    result = ours_fn(ours, **options, generator=generator(device, 7))
    torch_fn(theirs, **options, generator=generator(device, 7))
    assert result is ours  # in place, and returned
    assert torch.equal(ours, theirs)
    other = ours_fn(torch.empty(shape, dtype=dtype, device=device), **options, generator=generator(device, 8))
    if not (name == "orthogonal_" and ours.numel() == 1):  # a 1 × 1 orthogonal matrix is ±gain
        assert not torch.equal(other, ours)  # the generator is used: another seed, another tensor


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", [(20, 10), (16, 3, 5, 5)], ids=str)
@pytest.mark.parametrize(("name", "options"), list(init_cases()))
def test_global_generator_gives_torchs_tensor(name, options, shape, device):
    ours_fn, torch_fn, _ = INITIALIZERS[name]
    ours = torch.empty(shape, dtype=torch.float64, device=device)
    theirs = torch.empty(shape, dtype=torch.float64, device=device)
    torch.manual_seed(123)
    ours_fn(ours, **options)
    after_ours = torch.rand(3, device=device)  # the same amount of randomness consumed...
    torch.manual_seed(123)
    torch_fn(theirs, **options)
    after_theirs = torch.rand(3, device=device)
    assert torch.equal(ours, theirs)
    assert torch.equal(after_ours, after_theirs)  # ...so what follows is unchanged too


@pytest.mark.parametrize("name", list(INITIALIZERS) + ["zeros_"])
def test_parameters_are_filled_without_autograd(name):
    """A leaf that requires grad (an nn.Parameter) is filled in place, not recorded in the graph."""
    fn = getattr(init, name)
    layer = torch.nn.Linear(6, 4)
    version = layer.weight._version
    out = fn(layer.weight)
    assert out is layer.weight and out.grad_fn is None and out.requires_grad
    assert layer.weight._version > version


def test_zeros_():
    t = torch.randn(3, 4, dtype=torch.float64)
    assert init.zeros_(t) is t
    assert torch.equal(t, torch.nn.init.zeros_(torch.randn(3, 4, dtype=torch.float64)))
    assert torch.equal(t, torch.zeros(3, 4, dtype=torch.float64))


# ---------------------------------------------------------------------------------------------------------
# The distributions, from their definition (independent of torch's code).


@pytest.mark.parametrize(
    ("name", "options", "var_times_fan"),
    [
        ("xavier_uniform_", {}, None),
        ("xavier_normal_", {"gain": 2.0}, None),
        ("kaiming_uniform_", {"nonlinearity": "relu"}, 2.0),
        ("kaiming_normal_", {"a": 0.5, "mode": "fan_out"}, 2 / 1.25),
    ],
)
def test_variances_follow_the_formulas(name, options, var_times_fan):
    """Sample variance within 4 standard errors of g²·2/(fan_in + fan_out) or g²/fan (500 × 400 draws)."""
    shape = (500, 100, 2, 2)
    w = getattr(init, name)(torch.empty(shape, dtype=torch.float64), **options, generator=generator("cpu", 0))
    fan_in, fan_out = 400, 2000
    if var_times_fan is None:  # Xavier
        expected = options.get("gain", 1.0) ** 2 * 2 / (fan_in + fan_out)
    else:
        expected = var_times_fan / (fan_out if options.get("mode") == "fan_out" else fan_in)
    kurtosis = 1.8 if "uniform" in name else 3.0  # E[w⁴]/Var² of a uniform and of a normal
    se = expected * math.sqrt((kurtosis - 1) / w.numel())  # standard error of the sample variance
    assert abs(w.var().item() - expected) < 4 * se
    if "uniform" in name:
        assert w.abs().max().item() <= math.sqrt(3 * expected) * (1 + 1e-12)  # bound = √3 · std


# ---------------------------------------------------------------------------------------------------------
# Orthogonal.

ORTHO_SHAPES = [(6, 6), (10, 4), (4, 10), (1, 5), (5, 1), (8, 3, 3, 3), (64, 4, 3), (3, 2, 2), (16, 4, 2, 2)]


def assert_orthogonal(w, gain, atol):
    rows = w.shape[0]
    q = w.reshape(rows, -1).double() / gain  # (r, c)
    cols = q.shape[1]
    if rows >= cols:  # tall or square: orthonormal columns, Qᵀ Q = I_c
        gram, size = q.T @ q, cols
    else:  # wide: orthonormal rows, Q Qᵀ = I_r
        gram, size = q @ q.T, rows
    eye = torch.eye(size, dtype=torch.float64, device=w.device)
    torch.testing.assert_close(gram, eye, rtol=0, atol=atol)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(
    ("dtype", "atol"), [(torch.float32, 1e-6), (torch.float64, 1e-12)], ids=["f32", "f64"]
)
@pytest.mark.parametrize("gain", [1.0, 0.5, math.sqrt(2)])
@pytest.mark.parametrize("method", ["qr", "svd"])
@pytest.mark.parametrize("shape", ORTHO_SHAPES, ids=str)
def test_orthogonal_is_orthogonal(shape, method, gain, dtype, atol, device):
    w = init.orthogonal_(
        torch.empty(shape, dtype=dtype, device=device),
        gain=gain,
        method=method,
        generator=generator(device, 3),
    )
    assert w.shape == shape and w.dtype == dtype
    assert_orthogonal(w, gain, atol * max(1.0, gain))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", ORTHO_SHAPES, ids=str)
def test_orthogonal_svd_orthogonalizes_the_same_gaussian_matrix(shape, device):
    """U (tall) spans the columns of A, Vᵀ (wide) its rows: Q Qᵀ A = A, or A Qᵀ Q = A."""
    rows = shape[0]
    cols = math.prod(shape) // rows
    a = torch.empty(rows, cols, dtype=torch.float64, device=device).normal_(generator=generator(device, 5))
    for method in ("svd", "qr"):  # QR spans the same space
        q = init.orthogonal_(
            torch.empty(shape, dtype=torch.float64, device=device),
            method=method,
            generator=generator(device, 5),
        ).reshape(rows, cols)
        projected = q @ q.T @ a if rows >= cols else a @ q.T @ q
        torch.testing.assert_close(projected, a, rtol=0, atol=1e-12)


@pytest.mark.parametrize("device", DEVICES)
def test_orthogonal_preserves_norms(device):
    """The point of orthogonal initialization: ‖W x‖ = g ‖x‖ for every x (tall W)."""
    w = init.orthogonal_(
        torch.empty(50, 20, dtype=torch.float64, device=device), gain=1.5, generator=generator(device, 0)
    )
    x = torch.randn(20, 100, dtype=torch.float64, generator=generator(device, 1), device=device)
    torch.testing.assert_close((w @ x).norm(dim=0), 1.5 * x.norm(dim=0))


@pytest.mark.parametrize("fn", [init.orthogonal_, torch.nn.init.orthogonal_], ids=["ours", "torch"])
def test_orthogonal_empty_tensor_is_unchanged(fn):
    """As in torch: nothing to fill, and no randomness consumed."""
    torch.manual_seed(0)
    expected = torch.rand(2)
    t = torch.empty(0, 3)
    torch.manual_seed(0)
    assert fn(t) is t
    assert torch.equal(torch.rand(2), expected)


def test_orthogonal_noncontiguous_tensor():
    base = torch.empty(6, 10, dtype=torch.float64)
    w = base.T  # (10, 6), not contiguous
    init.orthogonal_(w, generator=generator("cpu", 0))
    assert_orthogonal(w, 1.0, 1e-12)
    assert torch.equal(base, w.T)


# ---------------------------------------------------------------------------------------------------------
# Errors.


@pytest.mark.parametrize(
    "name", ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_"]
)
@pytest.mark.parametrize("shape", [(), (7,)])
def test_fewer_than_two_dimensions(name, shape):
    with pytest.raises(ValueError, match=r"fewer than 2 dimensions|2 or more dimensions"):  # torch's words
        getattr(torch.nn.init, name)(torch.empty(shape))
    with pytest.raises(
        ValueError,
        match=re.escape(f"{name} needs a tensor with at least 2 dimensions")
        + ".*"
        + re.escape(f"got shape {shape}"),
    ):
        getattr(init, name)(torch.empty(shape))


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
@pytest.mark.parametrize("shape", [(0, 3), (4, 0), (4, 3, 0, 2)], ids=str)
def test_kaiming_zero_element_tensor(name, shape):
    with pytest.warns(UserWarning, match="zero-element"):  # torch: a warning and nothing done
        getattr(torch.nn.init, name)(torch.empty(shape))
    with pytest.raises(
        ValueError, match=re.escape("without zero-size dimensions") + ".*" + re.escape(f"got shape {shape}")
    ):
        getattr(init, name)(torch.empty(shape))


@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_"])
def test_xavier_without_fans(name):
    with pytest.raises(ZeroDivisionError):  # torch
        getattr(torch.nn.init, name)(torch.empty(0, 0))
    with pytest.raises(
        ValueError,
        match=r"fan_in \+ fan_out > 0, got a tensor of shape \(0, 0\) "
        r"\(fan_in=0, fan_out=0\)",
    ):
        getattr(init, name)(torch.empty(0, 0))


@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_"])
def test_xavier_on_an_empty_tensor_with_fans_is_a_no_op(name):
    t = torch.empty(0, 3)
    assert getattr(init, name)(t) is t and getattr(torch.nn.init, name)(torch.empty(0, 3)).shape == (0, 3)


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
@pytest.mark.parametrize("mode", ["fan_avg", "in", None])
def test_kaiming_bad_mode(name, mode):
    with pytest.raises((ValueError, AttributeError)):  # torch calls mode.lower()
        getattr(torch.nn.init, name)(torch.empty(3, 4), mode=mode)
    with pytest.raises(
        ValueError, match=re.escape(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    ):
        getattr(init, name)(torch.empty(3, 4), mode=mode)


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
def test_kaiming_bad_nonlinearity_and_slope(name):
    with pytest.raises(ValueError, match="Unsupported nonlinearity softmax"):
        getattr(init, name)(torch.empty(3, 4), nonlinearity="softmax")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        getattr(init, name)(torch.empty(3, 4), a=True)


def test_orthogonal_bad_method():
    with pytest.raises(ValueError, match=r"method must be one of \('qr', 'svd'\), got 'lu'"):
        init.orthogonal_(torch.empty(3, 4), method="lu")


def test_uniform_bad_bounds():
    with pytest.raises(RuntimeError):  # torch
        torch.nn.init.uniform_(torch.empty(3), 1.0, 0.0)
    with pytest.raises(ValueError, match=r"a <= b .* got a=1.0 > b=0.0"):
        init.uniform_(torch.empty(3), 1.0, 0.0)


def test_normal_negative_std():
    with pytest.raises(RuntimeError):  # torch
        torch.nn.init.normal_(torch.empty(3), std=-1.0)
    with pytest.raises(ValueError, match=r"std >= 0, got std=-1\.0"):
        init.normal_(torch.empty(3), std=-1.0)


@pytest.mark.parametrize(
    "name",
    [
        "calculate_fan_in_and_fan_out",
        "zeros_",
        "uniform_",
        "normal_",
        "xavier_uniform_",
        "xavier_normal_",
        "kaiming_uniform_",
        "kaiming_normal_",
        "orthogonal_",
    ],
)
@pytest.mark.parametrize("value", [[[1.0, 2.0], [3.0, 4.0]], None])
def test_not_a_tensor(name, value):
    with pytest.raises(TypeError, match=f"tensor must be a torch.Tensor, got {type(value).__name__}"):
        getattr(init, name)(value)
