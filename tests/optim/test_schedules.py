"""dlnotes.optim's learning-rate schedules against torch.optim.lr_scheduler, stepped like a training loop.

``step_lr``, ``cosine_annealing``, ``linear_warmup`` and ``warmup_cosine`` must give the learning rates of
torch's schedulers (or of a direct evaluation of the formula where torch refuses the case), drive a real
optimizer through ``LambdaLR``, refuse every documented bad input, and have the properties hypothesis
checks (bounds, monotonicity, the values at the ends).
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.optim import lr_scheduler

from dlnotes import optim

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
    with pytest.raises(ValueError, match="Starting multiplicative factor expected to be greater than 0"):
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
