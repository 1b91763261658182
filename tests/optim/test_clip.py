"""dlnotes.optim.clip_grad_norm_ against torch.nn.utils.clip_grad_norm_.

The returned norm and the clipped gradients must equal torch's for p-norms of several orders (infinity
included), when clipping and when not, on a single tensor, a list and a generator, without gradients and
with non-finite ones (the error and the message too); orders that are not positive are refused, and
hypothesis checks that clipping keeps the direction and bounds the norm.
"""

import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import optim
from tests.helpers import DEVICES, torch_error

# ---------------------------------------------------------------------------------------------------------
# clip_grad_norm_ against torch.nn.utils.clip_grad_norm_.


def grads_problem(device, scale=1.0):
    gen = torch.Generator().manual_seed(1)
    shapes = [(3, 4), (5,), (2, 2, 2)]
    params = [torch.zeros(s, dtype=torch.float64, device=device, requires_grad=True) for s in shapes]
    for p in params:
        p.grad = (scale * torch.randn(p.shape, generator=gen, dtype=torch.float64)).to(device)
    no_grad = torch.zeros(3, dtype=torch.float64, device=device, requires_grad=True)
    return params + [no_grad]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("max_norm", [0.5, 1e3])  # clips / leaves alone
@pytest.mark.parametrize("norm_type", [1, 2.0, 3.5, math.inf, "inf"])
def test_clip_grad_norm_matches_torch(norm_type, max_norm, device):
    ours, theirs = grads_problem(device), grads_problem(device)
    norm_ours = optim.clip_grad_norm_(ours, max_norm, norm_type)
    norm_torch = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    torch.testing.assert_close(norm_ours, norm_torch)
    assert norm_ours.device == norm_torch.device and norm_ours.dim() == 0
    for a, b in zip(ours, theirs):
        if b.grad is None:
            assert a.grad is None
        else:
            torch.testing.assert_close(a.grad, b.grad)
    new_norm = optim.clip_grad_norm_(ours, math.inf, norm_type)
    assert float(new_norm) <= min(max_norm, float(norm_ours)) * (1 + 1e-12)


def test_clip_grad_norm_of_a_single_tensor_and_a_generator():
    a, b = grads_problem("cpu")[0], grads_problem("cpu")[0]
    torch.testing.assert_close(optim.clip_grad_norm_(a, 1.0), torch.nn.utils.clip_grad_norm_(b, 1.0))
    torch.testing.assert_close(a.grad, b.grad)
    ours, theirs = grads_problem("cpu"), grads_problem("cpu")
    torch.testing.assert_close(
        optim.clip_grad_norm_((p for p in ours), 1.0),
        torch.nn.utils.clip_grad_norm_((p for p in theirs), 1.0),
    )


def test_clip_grad_norm_without_gradients_returns_zero():
    for params in ([], [torch.zeros(2, requires_grad=True)]):
        norm = optim.clip_grad_norm_(params, 1.0)
        torch.testing.assert_close(norm, torch.nn.utils.clip_grad_norm_(params, 1.0))
        torch.testing.assert_close(norm, torch.tensor(0.0))


def test_clip_grad_norm_warns_on_an_empty_generator_like_torch():
    with pytest.warns(UserWarning, match="is an empty generator") as theirs:
        torch.nn.utils.clip_grad_norm_((p for p in []), 1.0)
    with pytest.warns(UserWarning, match=re.escape(str(theirs[0].message))):
        optim.clip_grad_norm_((p for p in []), 1.0)


@pytest.mark.parametrize("bad", [math.inf, math.nan])
@pytest.mark.parametrize("norm_type", [2.0, math.inf])
def test_clip_grad_norm_non_finite(bad, norm_type):
    ours, theirs = grads_problem("cpu"), grads_problem("cpu")
    ours[1].grad[0] = theirs[1].grad[0] = bad
    err = torch_error(lambda: torch.nn.utils.clip_grad_norm_(theirs, 1.0, norm_type, True))
    with pytest.raises(type(err), match=f"^{re.escape(str(err))}$"):
        optim.clip_grad_norm_(ours, 1.0, norm_type, error_if_nonfinite=True)
    # without the flag both scale the gradients by the non-finite norm
    norm_ours = optim.clip_grad_norm_(ours, 1.0, norm_type)
    norm_torch = torch.nn.utils.clip_grad_norm_(theirs, 1.0, norm_type)
    torch.testing.assert_close(norm_ours, norm_torch, equal_nan=True)
    for a, b in zip(ours[:3], theirs[:3]):
        torch.testing.assert_close(a.grad, b.grad, equal_nan=True)


@pytest.mark.parametrize("norm_type", [0, -1.0, -math.inf])
def test_clip_grad_norm_refuses_non_positive_orders(norm_type):
    with pytest.raises(ValueError, match="norm_type must be positive"):
        optim.clip_grad_norm_(grads_problem("cpu"), 1.0, norm_type)


@given(
    st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=8),
    st.floats(1e-3, 1e3),
    st.sampled_from([1.0, 2.0, 3.5, math.inf]),
)
def test_clipping_keeps_the_direction_and_bounds_the_norm(values, max_norm, norm_type):
    w = torch.zeros(len(values), dtype=torch.float64, requires_grad=True)
    w.grad = torch.tensor(values, dtype=torch.float64)
    before = w.grad.clone()
    norm = float(optim.clip_grad_norm_(w, max_norm, norm_type))
    factor = min(1.0, max_norm / (norm + 1e-6))
    np.testing.assert_allclose(w.grad.numpy(), before.numpy() * factor, rtol=1e-12, atol=0)
    assert float(torch.linalg.vector_norm(w.grad, norm_type)) <= max_norm * (1 + 1e-12)
