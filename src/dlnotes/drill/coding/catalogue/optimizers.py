"""Drills of the chapter book/optimization/optimizers.md: one step of SGD, Nesterov, RMSprop and Adam.

Each drill is an interview-sized functional step (new tensors out, the state fed back by the caller); its
reference is a small adapter around the package's in-place update in :mod:`dlnotes.optim.functional`, which
equals ``torch.optim`` to 1e-12 (``tests/optim/test_optimizers.py``). The multi-step cases run the function
several times on fresh seeded gradients and compare the parameter and the state after the last step.
"""

from __future__ import annotations

import torch

from dlnotes import optim
from dlnotes.drill.coding import Case, drill, randn, zeros

OPTIMIZERS = "book/optimization/optimizers"


# --- SGD with momentum ------------------------------------------------------------------------------------


def _sgd_momentum(param, grad, buf, *, lr, momentum, dampening, weight_decay):
    param = param.clone()
    buf = None if buf is None else buf.clone()
    buf = optim.sgd_update(
        param,
        grad,
        buf,
        lr=lr,
        momentum=momentum,
        dampening=dampening,
        weight_decay=weight_decay,
        nesterov=False,
        maximize=False,
    )
    return param, buf


def _steps(fn, param, grads, state, **options):
    """Run `fn` once per row of `grads`, feeding (param, state) back; the last (param, state).

    The state is SGD's momentum buffer or RMSprop's square average.
    """
    for grad in grads:
        param, state = fn(param, grad.clone(), state, **options)
    return param, state


@drill(
    name="sgd-momentum",
    title="One SGD step with momentum",
    chapter=OPTIMIZERS,
    difficulty="easy",
    minutes=8,
    statement=r"""
One step of `torch.optim.SGD` with momentum $\mu$, dampening $\tau$ and weight decay $\lambda$: first
$g \leftarrow g + \lambda\theta$; the buffer is $b_1 = g_1$ at the first step (`buf` is `None`: a copy,
undamped, not zeros), then $b_t = \mu\, b_{t-1} + (1-\tau)\, g_t$; the step is
$\theta_t = \theta_{t-1} - \eta\, b_t$. Return the new param and buf (in place is allowed). Chained steps,
fed back, must match torch to 1e-10.
""",
    starter='''
def sgd_momentum_step(param: torch.Tensor, grad: torch.Tensor,
                      buf: torch.Tensor | None, *, lr: float, momentum: float,
                      dampening: float, weight_decay: float):
    """One SGD step with heavy-ball momentum; returns (param, buf) after it."""
''',
    reference=_sgd_momentum,
    solution="dlnotes.optim.functional.sgd_update",
    rtol=1e-10,
    atol=1e-14,
)
def _sgd_momentum_cases(g):
    plain = dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0)
    yield Case(
        "step 1",
        "param, grad: 6 float64, N(0, 1); buf None; lr 0.1, momentum 0.9, no dampening or decay",
        args=(randn(g, 6), randn(g, 6), None),
        kwargs=plain,
        hint="torch's first buffer is the gradient itself, b_1 = g_1 (not (1 − μ) g, not η g): "
        "the learning rate multiplies the buffer only in the step",
    )
    yield Case(
        "five steps",
        "param: 6 float64; 5 steps, fresh N(0, 1) gradients, (param, buf) fed back; lr 0.05, momentum 0.9",
        args=(randn(g, 6), randn(g, 5, 6), None),
        kwargs={**plain, "lr": 0.05},
        run=_steps,
        hint="b_t = μ b_{t-1} + g_t and θ_t = θ_{t-1} − η b_t: the learning rate stays outside the buffer",
    )
    yield Case(
        "dampening",
        "param: 5 float64; 3 steps from buf None; lr 0.1, momentum 0.9, dampening 0.5",
        args=(randn(g, 5), randn(g, 3, 5), None),
        kwargs={**plain, "dampening": 0.5},
        run=_steps,
        hint="the first buffer is the undamped gradient: a buffer started at zeros gives (1 − τ) g_1 instead",
    )
    yield Case(
        "weight decay",
        "param: 6 float64, N(0, 9); 3 steps, fresh gradients; lr 0.1, momentum 0.9, weight_decay 0.1",
        args=(randn(g, 6, scale=3), randn(g, 3, 6), None),
        kwargs={**plain, "weight_decay": 0.1},
        run=_steps,
        hint="add λθ to the gradient before it enters the buffer (torch's SGD decay is an L2 term)",
    )
    yield Case(
        "zero gradient",
        "param, buf: 6 float64, N(0, 1); grad zeros; lr 0.1, momentum 0.9 (the velocity carries on)",
        args=(randn(g, 6), torch.zeros(6, dtype=torch.float64), randn(g, 6)),
        kwargs=plain,
        hint="with a buffer and no gradient the parameter still moves by −η μ b",
    )


# --- Nesterov momentum ------------------------------------------------------------------------------------


def _nesterov(param, grad, buf, *, lr, momentum):
    param = param.clone()
    buf = None if buf is None else buf.clone()
    buf = optim.sgd_update(
        param,
        grad,
        buf,
        lr=lr,
        momentum=momentum,
        dampening=0.0,
        weight_decay=0.0,
        nesterov=True,
        maximize=False,
    )
    return param, buf


@drill(
    name="nesterov",
    title="One step of Nesterov momentum",
    chapter=OPTIMIZERS,
    difficulty="easy",
    minutes=8,
    statement=r"""
One step of `torch.optim.SGD(nesterov=True)` without dampening or decay: the buffer is $b_1 = g_1$ at the
first step (`buf` is `None`), then $b_t = \mu\, b_{t-1} + g_t$, and the step looks ahead,
$\theta_t = \theta_{t-1} - \eta\,(g_t + \mu\, b_t)$. Return the new param and buf (in place is allowed).
Chained steps and a zero gradient with a moving buffer must match torch to 1e-10.
""",
    starter='''
def nesterov_step(param: torch.Tensor, grad: torch.Tensor,
                  buf: torch.Tensor | None, *, lr: float, momentum: float):
    """One SGD step with Nesterov momentum; returns (param, buf) after it."""
''',
    reference=_nesterov,
    solution="dlnotes.optim.functional.sgd_update",
    rtol=1e-10,
    atol=1e-14,
)
def _nesterov_cases(g):
    yield Case(
        "step 1",
        "param, grad: 6 float64, N(0, 1); buf None; lr 0.1, momentum 0.9",
        args=(randn(g, 6), randn(g, 6), None),
        kwargs=dict(lr=0.1, momentum=0.9),
        hint="Nesterov steps along g + μ b, not b: the first step is η (1 + μ) g",
    )
    yield Case(
        "five steps",
        "param: 6 float64; 5 steps, fresh N(0, 1) gradients, (param, buf) fed back; lr 0.05, momentum 0.9",
        args=(randn(g, 6), randn(g, 5, 6), None),
        kwargs=dict(lr=0.05, momentum=0.9),
        run=_steps,
        hint="the look-ahead term is μ b_t with the buffer just updated, added to this step's gradient",
    )
    yield Case(
        "zero gradient",
        "param, buf: 6 float64, N(0, 1); grad zeros; lr 0.1, momentum 0.9",
        args=(randn(g, 6), torch.zeros(6, dtype=torch.float64), randn(g, 6)),
        kwargs=dict(lr=0.1, momentum=0.9),
        hint="with no gradient the buffer becomes μ b and the step is −η μ (μ b) = −η μ² b",
    )
    yield Case(
        "momentum 0.5",
        "param: 4 float64; 3 steps with fresh N(0, 1) gradients; lr 1.0, momentum 0.5",
        args=(randn(g, 4), randn(g, 3, 4), None),
        kwargs=dict(lr=1.0, momentum=0.5),
        run=_steps,
    )


# --- RMSprop ----------------------------------------------------------------------------------------------


def _rmsprop(param, grad, square_avg, *, lr, alpha, eps):
    param, square_avg = param.clone(), square_avg.clone()
    optim.rmsprop_update(
        param,
        grad,
        square_avg,
        None,
        None,
        lr=lr,
        alpha=alpha,
        eps=eps,
        weight_decay=0.0,
        momentum=0.0,
        maximize=False,
    )
    return param, square_avg


@drill(
    name="rmsprop",
    title="One RMSprop step",
    chapter=OPTIMIZERS,
    difficulty="easy",
    minutes=8,
    statement=r"""
One step of `torch.optim.RMSprop` (not centered, no momentum or decay): $v_t = \alpha\, v_{t-1} +
(1-\alpha)\, g_t^2$ from $v_0 = 0$, then $\theta_t = \theta_{t-1} - \eta\, g_t / (\sqrt{v_t} + \epsilon)$:
no bias correction, $\epsilon$ outside the root. Return the new param and square_avg (in place is allowed).
Zero and tiny gradients and chained steps must match torch to 1e-10.
""",
    starter='''
def rmsprop_step(param: torch.Tensor, grad: torch.Tensor,
                 square_avg: torch.Tensor, *, lr: float, alpha: float, eps: float):
    """One RMSprop step; returns (param, square_avg) after it."""
''',
    reference=_rmsprop,
    solution="dlnotes.optim.functional.rmsprop_update",
    rtol=1e-10,
    atol=1e-14,
)
def _rmsprop_cases(g):
    default = dict(lr=0.01, alpha=0.99, eps=1e-8)
    yield Case(
        "step 1",
        "param, grad: 6 float64, N(0, 1); square_avg zeros; lr 0.01, alpha 0.99, eps 1e-8",
        args=(randn(g, 6), randn(g, 6), zeros(6)),
        kwargs=default,
        hint="v_1 = (1 − α) g² (α weighs the old v; no bias correction), so the first step is about 10 η; "
        "ε goes after the square root",
    )
    yield Case(
        "five steps",
        "param: 6 float64; 5 steps, fresh N(0, 1) gradients, (param, square_avg) fed back; torch's defaults",
        args=(randn(g, 6), randn(g, 5, 6), zeros(6)),
        kwargs=default,
        run=_steps,
    )
    grad = randn(g, 6)
    grad[::2] = 0.0
    yield Case(
        "zero gradient",
        "param: 6 float64; grad N(0, 1) with every other entry exactly 0; square_avg zeros",
        args=(randn(g, 6), grad, zeros(6)),
        kwargs=default,
        hint="a coordinate with g = 0 and v = 0 must not move: ε in the denominator avoids 0/0 = NaN",
    )
    yield Case(
        "tiny gradients",
        "param: 6 float64; 3 steps with gradients N(0, 1e-20) (size 1e-10); eps 1e-8",
        args=(randn(g, 6), randn(g, 3, 6, scale=1e-10), zeros(6)),
        kwargs=default,
        run=_steps,
        hint="here √v ≈ 1e-11 is far below ε: the denominator is √v + ε, not √(v + ε) ≈ √ε = 1e-4",
    )
    yield Case(
        "alpha 0.9",
        "param: 4 float64; 3 steps with fresh N(0, 1) gradients; lr 0.1, alpha 0.9, eps 1e-6",
        args=(randn(g, 4), randn(g, 3, 4), zeros(4)),
        kwargs=dict(lr=0.1, alpha=0.9, eps=1e-6),
        run=_steps,
    )


# --- Adam -------------------------------------------------------------------------------------------------


def adam_functional(param, grad, m, v, step, *, lr, beta1, beta2, eps, weight_decay=0.0, decoupled=False):
    """``dlnotes.optim.adam_update`` on copies, at step ``t = step + 1``: (param, m, v) after the step."""
    param, m, v = param.clone(), m.clone(), v.clone()
    optim.adam_update(
        param,
        grad,
        m,
        v,
        None,
        step + 1,
        lr=lr,
        beta1=beta1,
        beta2=beta2,
        eps=eps,
        weight_decay=weight_decay,
        decoupled=decoupled,
        maximize=False,
    )
    return param, m, v


def _adam_reference(param, grad, m, v, step, *, lr, beta1, beta2, eps):
    return adam_functional(param, grad, m, v, step, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def adam_steps(fn, param, grads, m, v, step, **options):
    """Run `fn` once per row of `grads` from `step`, feeding (param, m, v) back and counting the steps."""
    for grad in grads:
        param, m, v = fn(param, grad.clone(), m, v, step, **options)
        step += 1
    return param, m, v


@drill(
    name="adam-step",
    title="One Adam step with bias correction",
    chapter=OPTIMIZERS,
    difficulty="medium",
    minutes=12,
    statement=r"""
One step of `torch.optim.Adam` (no decay or AMSGrad): $m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t$,
$v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2$, $\theta_t = \theta_{t-1} - \eta\,\hat m_t/(\sqrt{\hat v_t} +
\epsilon)$, with $\hat m_t = m_t/(1-\beta_1^t)$, $\hat v_t = v_t/(1-\beta_2^t)$ and $t$ = `step` + 1
(`step` counts the earlier steps). Return the new param, m and v (in place is allowed). Zero, tiny and huge
gradients and chained steps must match torch to 1e-10.
""",
    starter='''
def adam_step(param: torch.Tensor, grad: torch.Tensor, m: torch.Tensor,
              v: torch.Tensor, step: int, *, lr: float, beta1: float,
              beta2: float, eps: float):
    """One Adam step after `step` earlier ones; returns (param, m, v) after it."""
''',
    reference=_adam_reference,
    solution="dlnotes.optim.functional.adam_update",
    rtol=1e-10,
    atol=1e-14,
)
def _adam_step_cases(g):
    default = dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    z = zeros
    yield Case(
        "step 1",
        "param, grad: 6 float64, N(0, 1); m, v zeros; step 0; lr 0.01, betas (0.9, 0.999), eps 1e-8",
        args=(randn(g, 6), randn(g, 6), z(6), z(6), 0),
        kwargs=default,
        hint="the first step is lr · g/(|g| + ε), about lr per coordinate: bias-correct with "
        "t = step + 1 = 1 and add ε after the square root of v̂",
    )
    grad = randn(g, 6)
    grad[1::2] = 0.0
    yield Case(
        "zero gradient",
        "param: 6 float64; grad N(0, 1) with every other entry exactly 0; m, v zeros; step 0",
        args=(randn(g, 6), grad, z(6), z(6), 0),
        kwargs=default,
        hint="m̂ = 0 and v̂ = 0 where g = 0: ε in the denominator keeps 0/0 from becoming NaN",
    )
    yield Case(
        "five steps",
        "param: 6 float64; 5 steps from step 0 with fresh N(0, 1) gradients, (param, m, v) fed back",
        args=(randn(g, 6), randn(g, 5, 6), z(6), z(6), 0),
        kwargs=default,
        run=adam_steps,
        hint="keep the raw moments m, v in the state and bias-correct copies of them at each step",
    )
    yield Case(
        "other betas",
        "param: 4 float64; 3 steps, fresh N(0, 1) gradients; lr 0.1, betas (0.5, 0.8), eps 1e-6",
        args=(randn(g, 4), randn(g, 3, 4), z(4), z(4), 0),
        kwargs={**default, "lr": 0.1, "beta1": 0.5, "beta2": 0.8, "eps": 1e-6},
        run=adam_steps,
        hint="β1 weighs the old first moment, β2 the old second moment; both corrections use this step's t",
    )
    yield Case(
        "tiny gradients",
        "param: 6 float64; 3 steps from step 0 with gradients of size 1e-10 (N(0, 1e-20)); eps 1e-8",
        args=(randn(g, 6), randn(g, 3, 6, scale=1e-10), z(6), z(6), 0),
        kwargs=default,
        run=adam_steps,
        hint="√v̂ ≈ 1e-10 is below ε: add ε after the square root of the corrected v̂, not inside it",
    )
    yield Case(
        "large gradients",
        "param: 6 float64; 3 steps from step 10 with gradients of size 1e6; m, v the state of a run at 1e6",
        args=(randn(g, 6), randn(g, 3, 6, scale=1e6), randn(g, 6, scale=1e5), randn(g, 6).abs() * 1e10, 10),
        kwargs=default,
        run=adam_steps,
        hint="the step does not depend on the gradient's scale: m̂/√v̂ is scale-free once ε is negligible",
    )
