"""dlnotes.optim's optimizers against torch.optim.

Every optimizer runs 200 steps on the same small float64 MLP as torch's, for every combination of its
options, with three parameter groups (different hyperparameters, and one parameter that never gets a
gradient); parameters and state must agree with ``assert_close``'s default tolerances. State dicts move
both ways between ours and torch's mid-run. Errors are compared with torch's by type and message.
"""

import copy
import itertools
import re

import pytest
import torch

from dlnotes import optim
from tests.helpers import DEVICES, torch_error

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
    with pytest.warns(UserWarning, match="duplicate parameters") as theirs:
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
