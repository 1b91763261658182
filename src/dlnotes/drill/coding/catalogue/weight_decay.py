"""Drills of the chapter book/optimization/weight-decay.md: one AdamW step (decoupled weight decay).

The reference is :func:`dlnotes.optim.functional.adam_update` with ``decoupled=True`` on copies (torch's
``AdamW``); the multi-step runner is the Adam drill's, from the optimizers chapter's catalogue module.
"""

from __future__ import annotations

from dlnotes.drill.coding import Case, drill, randn, zeros
from dlnotes.drill.coding.catalogue.optimizers import adam_functional, adam_steps

WEIGHT_DECAY = "book/optimization/weight-decay"


def _adamw(param, grad, m, v, step, *, lr, beta1, beta2, eps, weight_decay):
    return adam_functional(
        param,
        grad,
        m,
        v,
        step,
        lr=lr,
        beta1=beta1,
        beta2=beta2,
        eps=eps,
        weight_decay=weight_decay,
        decoupled=True,
    )


@drill(
    name="adamw-step",
    title="One AdamW step: decoupled weight decay",
    chapter=WEIGHT_DECAY,
    difficulty="medium",
    minutes=12,
    statement=r"""
One step of `torch.optim.AdamW`: decay the weight first, $\theta \leftarrow \theta\,(1 - \eta\lambda)$,
then take Adam's step with the raw gradient, $\theta_t = \theta - \eta\,\hat m_t / (\sqrt{\hat v_t} +
\epsilon)$, with the moving averages $m_t$, $v_t$ of $g_t$, $g_t^2$ bias-corrected at $t$ = `step` + 1
(`step` counts the earlier steps). Return the new param, m and v (in place is allowed). Decay on and off,
a zero gradient and tiny gradients must match torch to 1e-10.
""",
    starter='''
def adamw_step(param: torch.Tensor, grad: torch.Tensor, m: torch.Tensor,
               v: torch.Tensor, step: int, *, lr: float, beta1: float,
               beta2: float, eps: float, weight_decay: float):
    """One AdamW step after `step` earlier ones; returns (param, m, v) after it."""
''',
    reference=_adamw,
    solution="dlnotes.optim.functional.adam_update",
    rtol=1e-10,
    atol=1e-14,
)
def _adamw_cases(g):
    default = dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1)
    z = zeros
    yield Case(
        "no decay",
        "param, grad: 6 float64, N(0, 1); m, v zeros; step 0; lr 0.01, weight_decay 0 (plain Adam)",
        args=(randn(g, 6), randn(g, 6), z(6), z(6), 0),
        kwargs={**default, "weight_decay": 0.0},
        hint="with λ = 0 this is Adam's first step, lr · g/(|g| + ε): bias-correct with t = step + 1 = 1",
    )
    yield Case(
        "zero gradient",
        "param: 6 float64, N(0, 9); grad zeros; m, v zeros; step 0; lr 0.01, weight_decay 0.1",
        args=(randn(g, 6, scale=3), z(6), z(6), z(6), 0),
        kwargs=default,
        hint="with no loss gradient AdamW only shrinks θ by (1 − ηλ); λθ added to the gradient would be "
        "normalised by √v̂ into a step of about η for every weight (that is Adam with L2)",
    )
    yield Case(
        "five steps",
        "param: 6 float64, N(0, 9); 5 steps from step 0 with fresh N(0, 1) gradients; weight_decay 0.1",
        args=(randn(g, 6, scale=3), randn(g, 5, 6), z(6), z(6), 0),
        kwargs=default,
        run=adam_steps,
        hint="decay the weight before the Adam step, θ (1 − ηλ) − η m̂/(√v̂ + ε), and keep λθ out of m and v",
    )
    yield Case(
        "strong decay",
        "param: 4 float64, N(0, 9); 3 steps from step 0; lr 0.1, weight_decay 0.5, betas (0.5, 0.8)",
        args=(randn(g, 4, scale=3), randn(g, 3, 4), z(4), z(4), 0),
        kwargs={**default, "lr": 0.1, "weight_decay": 0.5, "beta1": 0.5, "beta2": 0.8},
        run=adam_steps,
        hint="the decay factor is 1 − lr · weight_decay (torch multiplies λ by the learning rate)",
    )
    yield Case(
        "tiny gradients",
        "param: 6 float64; 3 steps from step 0 with gradients of size 1e-10; eps 1e-8, weight_decay 0.01",
        args=(randn(g, 6), randn(g, 3, 6, scale=1e-10), z(6), z(6), 0),
        kwargs={**default, "weight_decay": 0.01},
        run=adam_steps,
        hint="√v̂ ≈ 1e-10 is below ε: add ε after the square root of the corrected v̂, not inside it",
    )
