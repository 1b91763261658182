"""dlnotes.nn.dropout against torch.nn.functional.dropout.

The two draw different masks, so they are compared in distribution: over many draws, the mean of the
output equals the input (within 4 standard errors) for both, the fraction of zeros is p (within 4 standard
errors) for both, and every surviving entry is exactly input / (1 - p). The gradient is compared with the
mask of the same draw, and the identity cases, the seeded generator, the device and every documented error
are tested directly.
"""

import math
import re

import pytest
import torch
import torch.nn.functional as F

from dlnotes import nn
from tests.helpers import DEVICES

f64 = torch.float64
PS = [0.1, 0.5, 0.8]


def sample_input(device, n=2000, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return (torch.randn(n, generator=gen, dtype=f64) + 2.0).to(device)  # no zeros among the inputs


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("p", PS)
@pytest.mark.parametrize("fn", [nn.dropout, F.dropout], ids=["dlnotes", "torch"])
def test_unbiased_and_drops_a_fraction_p(fn, p, device):
    torch.manual_seed(0)
    x = sample_input(device)
    draws = 400
    ys = torch.stack([fn(x, p=p) for _ in range(draws)])  # (draws, n)
    # E[y] = x: each entry's mean over the draws, standardized by its standard error
    # sd(y_i) = |x_i| sqrt(p / (1 - p)), so se = sd / sqrt(draws)
    se = x.abs() * math.sqrt(p / (1 - p)) / math.sqrt(draws)
    z = (ys.mean(dim=0) - x) / se
    assert z.abs().mean() < 1.0  # E|Z| = 0.80 for a standard normal
    # the overall mean: the average of the per-entry z's has standard error 1/sqrt(n)
    assert abs(z.mean().item()) < 4.0 / math.sqrt(x.numel())
    # fraction of zeros ≈ p, within 4 standard errors of a binomial proportion
    zeros = (ys == 0).to(f64).mean().item()
    assert abs(zeros - p) < 4.0 * math.sqrt(p * (1 - p) / ys.numel())
    # survivors are x / (1 - p): exactly for ours; torch multiplies by 1 / (1 - p), one rounding more
    kept = ys != 0
    expected = (x / (1 - p)).expand_as(ys)
    if fn is nn.dropout:
        assert torch.equal(ys[kept], expected[kept])
    else:
        torch.testing.assert_close(ys[kept], expected[kept], rtol=4e-16, atol=0)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("p", PS)
def test_same_distribution_as_torch(p, device):
    """Ours and torch's give the same per-entry mean and zero fraction, within their joint noise."""
    x = sample_input(device, n=500)
    draws = 400
    torch.manual_seed(1)
    ours = torch.stack([nn.dropout(x, p=p) for _ in range(draws)])
    theirs = torch.stack([F.dropout(x, p=p) for _ in range(draws)])
    se = x.abs() * math.sqrt(2 * p / (1 - p) / draws)  # se of a difference of two independent means
    z = (ours.mean(dim=0) - theirs.mean(dim=0)) / se
    assert abs(z.mean().item()) < 4.0 / math.sqrt(x.numel())
    frac_ours, frac_theirs = (ours == 0).to(f64).mean(), (theirs == 0).to(f64).mean()
    assert abs((frac_ours - frac_theirs).item()) < 4.0 * math.sqrt(2 * p * (1 - p) / ours.numel())


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("p", PS)
def test_gradient_is_mask_over_keep_probability(p, device):
    x = sample_input(device, n=300).requires_grad_(True)
    y = nn.dropout(x, p=p, generator=torch.Generator(device=device).manual_seed(3))
    upstream = sample_input(device, n=300, seed=7)
    (grad,) = torch.autograd.grad((y * upstream).sum(), x)
    mask = (y != 0).to(f64)
    assert 0 < mask.sum() < mask.numel()  # both kept and dropped entries are tested
    torch.testing.assert_close(grad, upstream * mask / (1 - p), rtol=0, atol=0)


@pytest.mark.parametrize("device", DEVICES)
def test_identity_in_eval_mode_and_for_p_zero(device):
    x = sample_input(device, n=50)
    for p in [0.0, 0.3, 1.0]:
        assert nn.dropout(x, p=p, training=False) is x
    assert nn.dropout(x, p=0.0) is x
    assert F.dropout(x, p=0.0) is x  # torch also returns the input itself


@pytest.mark.parametrize("device", DEVICES)
def test_p_one_gives_zeros_like_torch(device):
    x = sample_input(device, n=50).requires_grad_(True)
    y = nn.dropout(x, p=1.0)
    assert torch.equal(y, torch.zeros_like(x))
    assert torch.equal(y, F.dropout(x, p=1.0))
    (grad,) = torch.autograd.grad(y.sum(), x)
    assert torch.equal(grad, torch.zeros_like(x))


@pytest.mark.parametrize("device", DEVICES)
def test_seeded_generator_is_reproducible(device):
    x = sample_input(device, n=1000)
    a = nn.dropout(x, p=0.5, generator=torch.Generator(device=device).manual_seed(42))
    b = nn.dropout(x, p=0.5, generator=torch.Generator(device=device).manual_seed(42))
    c = nn.dropout(x, p=0.5, generator=torch.Generator(device=device).manual_seed(43))
    assert torch.equal(a, b)
    assert not torch.equal(a, c)
    torch.manual_seed(5)
    d = nn.dropout(x, p=0.5)
    torch.manual_seed(5)
    assert torch.equal(d, nn.dropout(x, p=0.5))  # the global generator when none is given


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_keeps_shape_dtype_and_device(device, dtype):
    x = torch.ones(3, 4, 5, dtype=dtype, device=device)
    y = nn.dropout(x, p=0.25)
    assert y.shape == x.shape and y.dtype == dtype and y.device == x.device
    assert set(y.unique().tolist()) <= {
        0.0,
        1 / 0.75 if dtype == f64 else torch.tensor(1 / 0.75, dtype=dtype).item(),
    }


def test_errors():
    x = torch.ones(4)
    for p in [1.5, -0.1]:
        message = rf"dropout probability has to be between 0 and 1, but got {re.escape(str(p))}"
        with pytest.raises(ValueError, match=message) as theirs:
            F.dropout(x, p=p)
        with pytest.raises(ValueError, match=message) as ours:
            nn.dropout(x, p=p)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="between 0 and 1, but got nan"):
        nn.dropout(x, p=float("nan"))
    with pytest.raises(TypeError, match=r"input must be a torch\.Tensor, got list"):
        nn.dropout([1.0, 2.0], p=0.5)
    with pytest.raises(TypeError, match=r"floating-point tensor, got dtype torch\.int64"):
        nn.dropout(torch.tensor([1, 2]), p=0.5)
    with pytest.raises(TypeError, match="p must be a real number, got str"):
        nn.dropout(x, p="0.5")
