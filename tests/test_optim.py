"""dlnotes.optim against torch.optim, torch.nn.utils.clip_grad_norm_ and torch.optim.lr_scheduler.

Every optimizer runs 200 steps on the same small float64 MLP as torch's, for every combination of its
options, with three parameter groups (different hyperparameters, and one parameter that never gets a
gradient); parameters and state must agree with ``assert_close``'s default tolerances. State dicts move
both ways between ours and torch's mid-run. Errors are compared with torch's by type and message.
"""

import copy
import itertools
import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.optim import lr_scheduler

from dlnotes import optim

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
STEPS = 200

# ---------------------------------------------------------------------------------------------------------
# The problem: a 3-5-2 tanh MLP (32 weights) on fixed random data, MSE loss, float64.


def make_problem(device):
    gen = torch.Generator().manual_seed(0)

    def randn(*shape, scale=1.0):
        return (scale * torch.randn(*shape, generator=gen, dtype=torch.float64)).to(device)

    X, y = randn(16, 3), randn(16, 2)
    init = [randn(3, 5, scale=0.5), randn(5, scale=0.1), randn(5, 2, scale=0.5), randn(2, scale=0.1)]
    unused = randn(4)  # never enters the loss, so its .grad stays None
    return X, y, init + [unused]


def loss_fn(params, X, y):
    W1, b1, W2, b2, _ = params
    return ((torch.tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2).mean()


def leaves(values):
    return [v.detach().clone().requires_grad_(True) for v in values]


def param_groups(params, override):
    """Three groups: the first layer (defaults), the second layer (`override`), the unused tensor."""
    return [{"params": params[:2]}, {"params": params[2:4], **override}, {"params": params[4:]}]


def train(opt, params, X, y, steps):
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(params, X, y).backward()
        opt.step()


# name -> (ours, torch's, base options, options of the second group, grid of options)
OPTIMIZERS = {
    "SGD": (
        optim.SGD,
        torch.optim.SGD,
        {"lr": 0.05},
        {"lr": 0.02},
        {
            "momentum": [0.0, 0.9],
            "dampening": [0.0, 0.5],
            "nesterov": [False, True],
            "weight_decay": [0.0, 0.1],
            "maximize": [False, True],
        },
    ),
    "Adagrad": (
        optim.Adagrad,
        torch.optim.Adagrad,
        {"lr": 0.05},
        {"lr": 0.1, "eps": 1e-6},
        {
            "lr_decay": [0.0, 0.01],
            "weight_decay": [0.0, 0.1],
            "initial_accumulator_value": [0.0, 0.1],
            "maximize": [False, True],
        },
    ),
    "RMSprop": (
        optim.RMSprop,
        torch.optim.RMSprop,
        {"lr": 0.01},
        {"lr": 0.005, "alpha": 0.9},
        {
            "centered": [False, True],
            "momentum": [0.0, 0.9],
            "weight_decay": [0.0, 0.1],
            "maximize": [False, True],
        },
    ),
    "Adadelta": (
        optim.Adadelta,
        torch.optim.Adadelta,
        {"lr": 1.0},
        {"lr": 0.5, "rho": 0.8},
        {"weight_decay": [0.0, 0.1], "maximize": [False, True]},
    ),
    "Adam": (
        optim.Adam,
        torch.optim.Adam,
        {"lr": 0.01},
        {"lr": 0.02, "betas": (0.8, 0.99)},
        {"amsgrad": [False, True], "weight_decay": [0.0, 0.1], "maximize": [False, True]},
    ),
    "AdamW": (
        optim.AdamW,
        torch.optim.AdamW,
        {"lr": 0.01},
        {"lr": 0.02, "betas": (0.8, 0.99)},
        {"amsgrad": [False, True], "weight_decay": [0.0, 0.1], "maximize": [False, True]},
    ),
}


def all_cases():
    for name, (_, _, base, _, grid) in OPTIMIZERS.items():
        for values in itertools.product(*grid.values()):
            options = dict(zip(grid, values))
            label = "-".join(f"{k}={v}" for k, v in options.items())
            yield pytest.param(name, {**base, **options}, id=f"{name}-{label}")


def assert_same_state(ours, theirs, params):
    """Same state keys per parameter, same `step` dtype, and equal values."""
    assert len(ours.state) == len(theirs.state)
    for p_ours, p_theirs in zip(params["ours"], params["torch"]):
        s_ours, s_theirs = ours.state.get(p_ours, {}), theirs.state.get(p_theirs, {})
        assert sorted(s_ours) == sorted(s_theirs)
        for key in s_theirs:
            if key == "step":
                assert s_ours[key].dtype == s_theirs[key].dtype
                assert s_ours[key].device == s_theirs[key].device
            torch.testing.assert_close(s_ours[key], s_theirs[key])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("name", "options"), list(all_cases()))
def test_200_steps_match_torch(name, options, device):
    ours_cls, torch_cls, _, override, _ = OPTIMIZERS[name]
    X, y, init = make_problem(device)
    p_ours, p_torch = leaves(init), leaves(init)
    try:  # foreach=False: the single-tensor path we mirror (CUDA defaults to foreach)
        opt_torch = torch_cls(param_groups(p_torch, override), foreach=False, **options)
    except ValueError as err:  # SGD's Nesterov without momentum or with dampening
        with pytest.raises(ValueError, match=re.escape(str(err))):
            ours_cls(param_groups(p_ours, override), **options)
        return
    opt_ours = ours_cls(param_groups(p_ours, override), **options)
    train(opt_torch, p_torch, X, y, STEPS)
    train(opt_ours, p_ours, X, y, STEPS)
    for a, b in zip(p_ours, p_torch):
        assert torch.isfinite(b).all()
        torch.testing.assert_close(a, b)
    assert not torch.equal(p_torch[0], init[0])  # the run moved the parameters...
    torch.testing.assert_close(p_ours[4], init[4], rtol=0, atol=0)  # ...but not the one without grad
    assert_same_state(opt_ours, opt_torch, {"ours": p_ours, "torch": p_torch})


# One rich configuration per optimizer for the tests below.
RICH = {
    "SGD": {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1},
    "Adagrad": {"lr": 0.05, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.1},
    "RMSprop": {"lr": 0.01, "centered": True, "momentum": 0.9, "weight_decay": 0.1},
    "Adadelta": {"lr": 1.0, "weight_decay": 0.1},
    "Adam": {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1},
    "AdamW": {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1},
}


def rich_pair(name):
    """Ours and torch's optimizer with ``RICH[name]`` on the same CPU problem and parameter groups."""
    ours_cls, torch_cls, _, override, _ = OPTIMIZERS[name]
    X, y, init = make_problem("cpu")
    p_ours, p_torch = leaves(init), leaves(init)
    opt_ours = ours_cls(param_groups(p_ours, override), **RICH[name])
    opt_torch = torch_cls(param_groups(p_torch, override), foreach=False, **RICH[name])
    return X, y, p_ours, p_torch, opt_ours, opt_torch


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("source", "target"), [("ours", "ours"), ("ours", "torch"), ("torch", "ours")])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_state_dict_round_trip(name, source, target, device):
    """100 steps, save, load into a fresh optimizer, 100 more: equal to 200 uninterrupted torch steps."""
    classes = {"ours": OPTIMIZERS[name][0], "torch": OPTIMIZERS[name][1]}
    override, options = OPTIMIZERS[name][3], RICH[name]
    X, y, init = make_problem(device)

    p_ref = leaves(init)
    train(classes["torch"](param_groups(p_ref, override), **options), p_ref, X, y, STEPS)

    p_first = leaves(init)
    first = classes[source](param_groups(p_first, override), **options)
    train(first, p_first, X, y, STEPS // 2)
    saved = copy.deepcopy(first.state_dict())

    p_second = leaves(p_first)
    second = classes[target](param_groups(p_second, override), **options)
    second.load_state_dict(saved)
    train(second, p_second, X, y, STEPS - STEPS // 2)
    for a, b in zip(p_second, p_ref):
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_state_dict_layout_matches_torch(name):
    """Same state keys and values; our group options are a subset of torch's, with equal values."""
    X, y, p_ours, p_torch, opt_ours, opt_torch = rich_pair(name)
    for steps in (0, 3):  # before any step (Adagrad creates its state in the constructor) and after
        train(opt_ours, p_ours, X, y, steps)
        train(opt_torch, p_torch, X, y, steps)
        sd_ours, sd_torch = opt_ours.state_dict(), opt_torch.state_dict()
        assert sd_ours["state"].keys() == sd_torch["state"].keys()
        for i, state in sd_torch["state"].items():
            assert sd_ours["state"][i].keys() == state.keys()
            for key, value in state.items():
                torch.testing.assert_close(sd_ours["state"][i][key], value)
        for g_ours, g_torch in zip(sd_ours["param_groups"], sd_torch["param_groups"], strict=True):
            assert set(g_ours) <= set(g_torch)
            assert {k: g_torch[k] for k in g_ours} == g_ours


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_defaults_match_torch(name):
    """Constructed with no options, our groups hold torch's default values."""
    ours_cls, torch_cls = OPTIMIZERS[name][:2]
    ours = ours_cls([torch.zeros(2, requires_grad=True)]).param_groups[0]
    theirs = torch_cls([torch.zeros(2, requires_grad=True)]).param_groups[0]
    assert {k: v for k, v in ours.items() if k != "params"} == {k: theirs[k] for k in ours if k != "params"}
    extra = {"foreach", "fused", "capturable", "differentiable", "decoupled_weight_decay"}
    assert set(theirs) - set(ours) <= extra  # only the speed paths we left out


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_closure_returns_the_loss_and_matches_torch(name):
    X, y, p_ours, p_torch, opt_ours, opt_torch = rich_pair(name)
    losses = []

    def closure_for(opt, params):
        def closure():
            opt.zero_grad()
            loss = loss_fn(params, X, y)
            loss.backward()  # needs grad mode: step() must run the closure under enable_grad
            losses.append(loss)
            return loss

        return closure

    for _ in range(20):
        with torch.no_grad():  # even when the caller disabled gradients
            loss_ours = opt_ours.step(closure_for(opt_ours, p_ours))
            assert loss_ours is losses[-1]  # step returns the closure's loss, from before the update
            loss_torch = opt_torch.step(closure_for(opt_torch, p_torch))
        torch.testing.assert_close(loss_ours, loss_torch)
    assert losses[-2].item() < losses[0].item()  # and the closure's gradients drove the steps
    for a, b in zip(p_ours, p_torch):
        torch.testing.assert_close(a, b)
    assert opt_ours.step() is None


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_add_param_group_gets_the_defaults(name):
    ours_cls, torch_cls = OPTIMIZERS[name][:2]
    X, y, init = make_problem("cpu")
    p_ours, p_torch = leaves(init), leaves(init)
    opt_ours = ours_cls(p_ours[:2], **RICH[name])
    opt_torch = torch_cls(p_torch[:2], foreach=False, **RICH[name])
    opt_ours.add_param_group({"params": p_ours[2:4]})
    opt_torch.add_param_group({"params": p_torch[2:4]})
    added = opt_ours.param_groups[1]
    assert {k: v for k, v in added.items() if k != "params"} == opt_ours.defaults
    for key, value in RICH[name].items():
        assert added[key] == value
    train(opt_ours, p_ours, X, y, 20)
    train(opt_torch, p_torch, X, y, 20)
    for a, b in zip(p_ours, p_torch):
        torch.testing.assert_close(a, b)


def test_adagrad_ignores_a_group_initial_accumulator_value_like_torch():
    def sums(cls):
        a, b = torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
        opt = cls(
            [{"params": [a]}, {"params": [b], "initial_accumulator_value": 5.0}],
            initial_accumulator_value=0.1,
        )
        return opt.state[a]["sum"], opt.state[b]["sum"]

    for ours, theirs in zip(sums(optim.Adagrad), sums(torch.optim.Adagrad)):
        torch.testing.assert_close(ours, theirs)
        torch.testing.assert_close(ours, torch.full((2,), 0.1))


def test_adamw_is_an_adam_with_decoupled_decay():
    w = torch.ones(3, requires_grad=True)
    opt = optim.AdamW([w], lr=0.1, weight_decay=0.5)
    assert isinstance(opt, optim.Adam) and not isinstance(optim.Adam([w]), optim.AdamW)
    w.grad = torch.zeros(3)
    opt.step()
    torch.testing.assert_close(w.detach(), torch.full((3,), 0.95))  # 1 * (1 - 0.1 * 0.5)


def test_sgd_momentum_buffer_starts_at_the_first_gradient():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1, momentum=0.9, dampening=0.5)
    w.grad = torch.tensor([3.0, 4.0])
    opt.step()
    torch.testing.assert_close(opt.state[w]["momentum_buffer"], torch.tensor([3.0, 4.0]))
    assert opt.state[w]["momentum_buffer"] is not w.grad


# ---------------------------------------------------------------------------------------------------------
# Errors: the same type and message as torch's.

BAD_OPTIONS = [
    ("SGD", {"lr": -0.1}),
    ("SGD", {"momentum": -0.5}),
    ("SGD", {"weight_decay": -1.0}),
    ("SGD", {"nesterov": True}),
    ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}),
    ("SGD", {"lr": torch.tensor([0.1, 0.2])}),
    ("Adagrad", {"lr": -1.0}),
    ("Adagrad", {"lr_decay": -1.0}),
    ("Adagrad", {"weight_decay": -1.0}),
    ("Adagrad", {"initial_accumulator_value": -1.0}),
    ("Adagrad", {"eps": -1.0}),
    ("RMSprop", {"lr": -1.0}),
    ("RMSprop", {"eps": -1.0}),
    ("RMSprop", {"momentum": -1.0}),
    ("RMSprop", {"weight_decay": -1.0}),
    ("RMSprop", {"alpha": -1.0}),
    ("Adadelta", {"lr": -1.0}),
    ("Adadelta", {"rho": 1.5}),
    ("Adadelta", {"rho": -0.1}),
    ("Adadelta", {"eps": -1.0}),
    ("Adadelta", {"weight_decay": -1.0}),
] + [
    (name, options)
    for name in ("Adam", "AdamW")
    for options in (
        {"lr": -1.0},
        {"eps": -1.0},
        {"betas": (1.0, 0.999)},
        {"betas": (0.9, -0.1)},
        {"betas": (0.9, 1.0)},
        {"weight_decay": -1.0},
        {"betas": (0, 0.999)},
        {"betas": (torch.tensor([0.9, 0.8]).sum() / 2, 0.999)},
    )
]


def torch_error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return info.value


@pytest.mark.parametrize(("name", "options"), BAD_OPTIONS, ids=[f"{n}-{o}" for n, o in BAD_OPTIONS])
def test_bad_options_raise_like_torch(name, options):
    ours_cls, torch_cls = OPTIMIZERS[name][:2]
    err = torch_error(lambda: torch_cls([torch.zeros(2, requires_grad=True)], **options))
    with pytest.raises(type(err), match=f"^{re.escape(str(err))}$"):
        ours_cls([torch.zeros(2, requires_grad=True)], **options)


def bad_params():
    w = torch.zeros(2, requires_grad=True)
    return {
        "in two groups": [{"params": [w]}, {"params": [w]}],
        "empty": [],
        "a tensor": w,
        "a non-leaf": [w * 2],
    }


@pytest.mark.parametrize("case", list(bad_params()))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_bad_params_raise_like_torch(name, case):
    ours_cls, torch_cls = OPTIMIZERS[name][:2]
    err = torch_error(lambda: torch_cls(bad_params()[case]))
    with pytest.raises(type(err), match=f"^{re.escape(str(err))}$"):
        ours_cls(bad_params()[case])


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_parameter_twice_in_one_group_warns_like_torch(name):
    ours_cls, torch_cls = OPTIMIZERS[name][:2]
    w = torch.zeros(2, requires_grad=True)
    with pytest.warns(UserWarning) as theirs:
        torch_cls([w, w])
    with pytest.warns(UserWarning, match=re.escape(str(theirs[0].message))):
        ours_cls([w, w])


def sparse_grad_param():
    w = torch.zeros(3, requires_grad=True)
    w.grad = torch.sparse_coo_tensor([[0]], [1.0], (3,), check_invariants=True)
    return w


@pytest.mark.parametrize("name", ["RMSprop", "Adadelta", "Adam", "AdamW"])
def test_sparse_gradients_raise_like_torch(name):
    ours_cls, torch_cls = OPTIMIZERS[name][:2]
    err = torch_error(lambda: torch_cls([sparse_grad_param()]).step())
    with pytest.raises(type(err), match=f"^{re.escape(str(err))}$"):
        ours_cls([sparse_grad_param()]).step()


@pytest.mark.parametrize("name", ["SGD", "Adagrad"])
def test_sparse_gradients_are_refused_where_torch_accepts_them(name):
    w = sparse_grad_param()
    with pytest.raises(RuntimeError, match="does not support sparse gradients"):
        OPTIMIZERS[name][0]([w], lr=0.1).step()
    torch.testing.assert_close(w.detach(), torch.zeros(3))  # nothing was updated


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_complex_parameters_are_refused(name):
    w = torch.zeros(2, dtype=torch.complex128, requires_grad=True)
    w.grad = torch.ones(2, dtype=torch.complex128)
    with pytest.raises(RuntimeError, match="does not support complex parameters"):
        OPTIMIZERS[name][0]([w]).step()


def test_tensor_lr_and_betas_are_accepted_like_torch():
    X, y, init = make_problem("cpu")
    p_ours, p_torch = leaves(init), leaves(init)
    kwargs = {"lr": torch.tensor(0.01), "betas": (torch.tensor(0.9), torch.tensor(0.99))}
    train(optim.Adam(p_ours, **kwargs), p_ours, X, y, 20)
    train(torch.optim.Adam(p_torch, **kwargs), p_torch, X, y, 20)
    for a, b in zip(p_ours, p_torch):
        torch.testing.assert_close(a, b)


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
    with pytest.warns(UserWarning) as theirs:
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


# ---------------------------------------------------------------------------------------------------------
# Schedules against torch's schedulers, stepped like a training loop.


def torch_lrs(make_scheduler, steps, base_lr=1.0):
    """The learning rate used at steps 0..steps-1 by `make_scheduler(optimizer)`."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    sched = make_scheduler(opt)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


def assert_lrs_equal(ours, theirs):
    assert all(isinstance(lr, float) for lr in ours)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("step_size", "gamma"), [(1, 0.5), (3, 0.1), (7, 0.9), (4, 1.5)])
def test_step_lr_matches_step_lr_scheduler(step_size, gamma):
    theirs = torch_lrs(lambda o: lr_scheduler.StepLR(o, step_size, gamma), 30, base_lr=0.3)
    ours = [optim.step_lr(t, base_lr=0.3, step_size=step_size, gamma=gamma) for t in range(30)]
    assert_lrs_equal(ours, theirs)


@pytest.mark.parametrize("total_steps", [1, 5, 37])
@pytest.mark.parametrize("eta_min", [0.0, 0.01])
def test_cosine_annealing_matches_torch_up_to_total_steps(total_steps, eta_min):
    make = lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=total_steps, eta_min=eta_min)  # noqa: E731
    theirs = torch_lrs(make, total_steps + 3, base_lr=0.2)
    ours = [
        optim.cosine_annealing(t, base_lr=0.2, total_steps=total_steps, eta_min=eta_min)
        for t in range(total_steps + 3)
    ]
    assert_lrs_equal(ours[: total_steps + 1], theirs[: total_steps + 1])
    # after total_steps ours holds eta_min, torch's climbs back along the cosine
    assert ours[total_steps + 1 :] == [eta_min, eta_min]
    assert theirs[total_steps + 1] > eta_min


@pytest.mark.parametrize(
    ("start_factor", "end_factor", "warmup_steps"),
    [(1 / 3, 1.0, 5), (0.1, 1.0, 1), (0.05, 0.8, 12), (1.0, 0.2, 6), (0.5, 0.5, 3)],
)
def test_linear_warmup_matches_linear_lr(start_factor, end_factor, warmup_steps):
    make = lambda o: lr_scheduler.LinearLR(o, start_factor, end_factor, warmup_steps)  # noqa: E731
    theirs = torch_lrs(make, warmup_steps + 5, base_lr=0.4)
    ours = [
        optim.linear_warmup(
            t, base_lr=0.4, warmup_steps=warmup_steps, start_factor=start_factor, end_factor=end_factor
        )
        for t in range(warmup_steps + 5)
    ]
    assert_lrs_equal(ours, theirs)


def test_linear_warmup_from_zero_which_torch_refuses():
    with pytest.raises(ValueError):
        torch_lrs(lambda o: lr_scheduler.LinearLR(o, 0.0, 1.0, 4), 1)
    ours = [optim.linear_warmup(t, base_lr=2.0, warmup_steps=4, start_factor=0.0) for t in range(6)]
    assert ours == [0.0, 0.5, 1.0, 1.5, 2.0, 2.0]


WARMUP_COSINE_CASES = [
    (3, 10, 0.1, 0.0),
    (1, 5, 0.5, 0.01),
    (0, 10, 0.5, 0.0),
    (4, 20, 1.0, 0.1),
    (10, 40, 0.01, 0.02),
]


@pytest.mark.parametrize(("warmup_steps", "total_steps", "start_factor", "eta_min"), WARMUP_COSINE_CASES)
def test_warmup_cosine_matches_sequential_lr(warmup_steps, total_steps, start_factor, eta_min):
    def make(o):
        warm = lr_scheduler.LinearLR(o, start_factor, 1.0, total_iters=warmup_steps)
        cos = lr_scheduler.CosineAnnealingLR(o, T_max=total_steps - warmup_steps, eta_min=eta_min)
        return lr_scheduler.SequentialLR(o, [warm, cos], milestones=[warmup_steps])

    theirs = torch_lrs(make, total_steps + 1, base_lr=0.5)
    ours = [
        optim.warmup_cosine(
            t,
            base_lr=0.5,
            warmup_steps=warmup_steps,
            total_steps=total_steps,
            eta_min=eta_min,
            start_factor=start_factor,
        )
        for t in range(total_steps + 1)
    ]
    assert_lrs_equal(ours, theirs)


def warmup_cosine_direct(t, base_lr, warmup_steps, total_steps, eta_min, start_factor):
    """An independent evaluation: interpolate the warmup, evaluate the cosine on the whole grid."""
    t = np.asarray(t, dtype=np.float64)
    warm = np.interp(t, [0.0, max(warmup_steps, 1e-300)], [start_factor * base_lr, base_lr])
    phase = np.clip((t - warmup_steps) / max(total_steps - warmup_steps, 1), 0.0, 1.0)
    cosine = eta_min + (base_lr - eta_min) * 0.5 * (1.0 + np.cos(np.pi * phase))
    return np.where(t >= total_steps, eta_min, np.where(t < warmup_steps, warm, cosine))


@pytest.mark.parametrize(
    ("warmup_steps", "total_steps", "start_factor", "eta_min"),
    WARMUP_COSINE_CASES + [(3, 10, 0.0, 0.0), (5, 5, 0.0, 0.1), (5, 5, 0.3, 0.0), (0, 1, 0.0, 0.0)],
)
def test_warmup_cosine_matches_a_direct_evaluation(warmup_steps, total_steps, start_factor, eta_min):
    steps = np.arange(total_steps + 10)
    ours = [
        optim.warmup_cosine(
            int(t),
            base_lr=0.5,
            warmup_steps=warmup_steps,
            total_steps=total_steps,
            eta_min=eta_min,
            start_factor=start_factor,
        )
        for t in steps
    ]
    direct = warmup_cosine_direct(steps, 0.5, warmup_steps, total_steps, eta_min, start_factor)
    np.testing.assert_allclose(ours, direct, rtol=1e-12, atol=1e-15)


def test_lambda_lr_drives_an_optimizer_with_warmup_cosine():
    w = torch.zeros(2, requires_grad=True)
    opt = optim.AdamW([w], lr=3e-3)
    kwargs = {"base_lr": 1.0, "warmup_steps": 5, "total_steps": 30, "eta_min": 0.1}
    sched = lr_scheduler.LambdaLR(opt, lambda s: optim.warmup_cosine(s, **kwargs))
    for t in range(40):
        assert opt.param_groups[0]["lr"] == pytest.approx(3e-3 * optim.warmup_cosine(t, **kwargs), rel=1e-15)
        opt.step()
        sched.step()


BAD_SCHEDULES = [
    (optim.step_lr, {"step": -1, "base_lr": 1.0, "step_size": 2}, ValueError, "step must be"),
    (optim.step_lr, {"step": 1.0, "base_lr": 1.0, "step_size": 2}, TypeError, "step must be an int"),
    (optim.step_lr, {"step": True, "base_lr": 1.0, "step_size": 2}, TypeError, "step must be an int"),
    (optim.step_lr, {"step": 1, "base_lr": 1.0, "step_size": 0}, ValueError, "step_size must be"),
    (optim.step_lr, {"step": 1, "base_lr": 1.0, "step_size": 2, "gamma": 0.0}, ValueError, "gamma"),
    (optim.step_lr, {"step": 1, "base_lr": -1.0, "step_size": 2}, ValueError, "base_lr must be >= 0"),
    (optim.step_lr, {"step": 1, "base_lr": "1", "step_size": 2}, TypeError, "base_lr must be a real"),
    (optim.step_lr, {"step": 1, "base_lr": math.inf, "step_size": 2}, ValueError, "finite"),
    (
        optim.cosine_annealing,
        {"step": 1, "base_lr": 1.0, "total_steps": 0},
        ValueError,
        "total_steps must be",
    ),
    (
        optim.cosine_annealing,
        {"step": 1, "base_lr": 1.0, "total_steps": 5, "eta_min": 2.0},
        ValueError,
        r"eta_min must be in \[0, base_lr\]",
    ),
    (
        optim.cosine_annealing,
        {"step": 1, "base_lr": 1.0, "total_steps": 5, "eta_min": -0.1},
        ValueError,
        "eta_min must be in",
    ),
    (optim.linear_warmup, {"step": 1, "base_lr": 1.0, "warmup_steps": 0}, ValueError, "warmup_steps must be"),
    (
        optim.linear_warmup,
        {"step": 1, "base_lr": 1.0, "warmup_steps": 3, "start_factor": -0.1},
        ValueError,
        r"start_factor must be in \[0, 1\]",
    ),
    (
        optim.linear_warmup,
        {"step": 1, "base_lr": 1.0, "warmup_steps": 3, "end_factor": 1.5},
        ValueError,
        r"end_factor must be in \[0, 1\]",
    ),
    (
        optim.warmup_cosine,
        {"step": 1, "base_lr": 1.0, "warmup_steps": 6, "total_steps": 5},
        ValueError,
        "warmup_steps must be at most total_steps",
    ),
    (
        optim.warmup_cosine,
        {"step": 1, "base_lr": 1.0, "warmup_steps": -1, "total_steps": 5},
        ValueError,
        "warmup_steps must be",
    ),
    (
        optim.warmup_cosine,
        {"step": 1, "base_lr": 1.0, "warmup_steps": 2, "total_steps": 5.0},
        TypeError,
        "total_steps must be an int",
    ),
    (
        optim.warmup_cosine,
        {"step": 1, "base_lr": 1.0, "warmup_steps": 2, "total_steps": 5, "start_factor": 2.0},
        ValueError,
        "start_factor must be in",
    ),
]


@pytest.mark.parametrize(
    ("fn", "kwargs", "exc", "match"), BAD_SCHEDULES, ids=[f"{f.__name__}-{k}" for f, k, _, _ in BAD_SCHEDULES]
)
def test_bad_schedule_input(fn, kwargs, exc, match):
    kwargs = dict(kwargs)
    step = kwargs.pop("step")
    with pytest.raises(exc, match=match):
        fn(step, **kwargs)


def test_schedule_options_are_keyword_only():
    with pytest.raises(TypeError):
        optim.cosine_annealing(1, 1.0, 10)  # type: ignore[misc]


def test_numpy_integers_are_accepted():
    assert optim.step_lr(np.int64(3), base_lr=1.0, step_size=np.int32(2), gamma=0.5) == 0.5


rates = st.floats(1e-6, 10.0)


@st.composite
def warmup_cosine_options(draw):
    total_steps = draw(st.integers(1, 300))
    warmup_steps = draw(st.integers(0, total_steps))
    base_lr = draw(rates)
    eta_min = draw(st.floats(0.0, 1.0)) * base_lr
    start_factor = draw(st.floats(0.0, 1.0))
    return {
        "base_lr": base_lr,
        "warmup_steps": warmup_steps,
        "total_steps": total_steps,
        "eta_min": eta_min,
        "start_factor": start_factor,
    }


def assert_monotone(values, increasing):
    """Monotone up to rounding (1e-12 of the largest value)."""
    diffs = np.diff(values)
    tol = 1e-12 * max([abs(v) for v in values] + [0.0])
    assert (diffs >= -tol).all() if increasing else (diffs <= tol).all()


@given(warmup_cosine_options())
def test_warmup_cosine_properties(opts):
    W, T = opts["warmup_steps"], opts["total_steps"]
    lrs = [optim.warmup_cosine(t, **opts) for t in range(T + 5)]
    assert all(isinstance(lr, float) for lr in lrs)
    low = min(opts["start_factor"] * opts["base_lr"], opts["eta_min"])
    tol = 1e-12 * opts["base_lr"]  # rounding, relative to the peak rate
    assert all(low - tol <= lr <= opts["base_lr"] + tol for lr in lrs)
    assert_monotone(lrs[: W + 1] if W < T else lrs[:W], increasing=True)  # warmup phase
    assert_monotone(lrs[W : T + 1], increasing=False)  # cosine phase (and the drop when W == T)
    assert lrs[T:] == [opts["eta_min"]] * 5  # held
    if W < T:
        assert lrs[W] == pytest.approx(opts["base_lr"], rel=1e-12)
    assert lrs[0] == pytest.approx(opts["start_factor"] * opts["base_lr"] if W else opts["base_lr"])


@given(st.integers(1, 300), rates, st.floats(0.0, 1.0))
def test_cosine_annealing_properties(total_steps, base_lr, eta_fraction):
    eta_min = eta_fraction * base_lr
    lrs = [
        optim.cosine_annealing(t, base_lr=base_lr, total_steps=total_steps, eta_min=eta_min)
        for t in range(total_steps + 3)
    ]
    tol = 1e-12 * base_lr  # rounding of eta_min + (base_lr - eta_min) * (1 + cos) / 2
    assert lrs[0] == pytest.approx(base_lr, rel=1e-15) and lrs[total_steps:] == [eta_min] * 3
    assert_monotone(lrs, increasing=False)
    assert all(eta_min - tol <= lr <= base_lr + tol for lr in lrs)
    # symmetric about the midpoint: η_t + η_{T-t} = η_0 + η_min
    for t in range(total_steps + 1):
        assert lrs[t] + lrs[total_steps - t] == pytest.approx(base_lr + eta_min, rel=1e-12)


@given(st.integers(1, 100), rates, st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_linear_warmup_properties(warmup_steps, base_lr, start_factor, end_factor):
    lrs = [
        optim.linear_warmup(
            t, base_lr=base_lr, warmup_steps=warmup_steps, start_factor=start_factor, end_factor=end_factor
        )
        for t in range(warmup_steps + 3)
    ]
    tol = 1e-12 * base_lr  # rounding of s + (e - s) * progress, relative to base_lr
    assert lrs[0] == pytest.approx(start_factor * base_lr, rel=0, abs=tol)
    assert lrs[warmup_steps:] == pytest.approx([end_factor * base_lr] * 3, rel=0, abs=tol)
    assert_monotone(lrs, increasing=end_factor >= start_factor)
    low, high = sorted((start_factor * base_lr, end_factor * base_lr))
    assert all(low - tol <= lr <= high + tol for lr in lrs)


@given(st.integers(0, 500), st.integers(1, 50), rates, st.floats(1e-3, 1.0))
def test_step_lr_properties(step, step_size, base_lr, gamma):
    lr = optim.step_lr(step, base_lr=base_lr, step_size=step_size, gamma=gamma)
    assert 0.0 <= lr <= base_lr
    # constant within a block of step_size steps, and gamma times smaller in the next block
    block_start = step - step % step_size
    assert optim.step_lr(block_start, base_lr=base_lr, step_size=step_size, gamma=gamma) == lr
    following = optim.step_lr(block_start + step_size, base_lr=base_lr, step_size=step_size, gamma=gamma)
    assert following == pytest.approx(lr * gamma, rel=1e-12, abs=1e-300)
