"""Drills of the chapter book/optimization/lr-schedules.md: linear warmup followed by cosine decay.

The drill's function is the package's :func:`dlnotes.optim.warmup_cosine` with a subset of its parameters
(``start_factor`` stays 0); each case evaluates it at a range of steps and compares the whole schedule.
"""

from __future__ import annotations

import torch

from dlnotes import optim
from dlnotes.drill.coding import Case, drill

LR_SCHEDULES = "book/optimization/lr-schedules"


def _schedule(fn, steps, **options):
    """The rates ``fn(t, **options)`` for t in `steps`, as one float64 tensor (index i is ``steps[i]``)."""
    return torch.tensor([float(fn(t, **options)) for t in steps], dtype=torch.float64)


@drill(
    name="warmup-cosine",
    title="Linear warmup, then cosine decay",
    chapter=LR_SCHEDULES,
    difficulty="easy",
    minutes=8,
    statement=r"""
The learning rate at step $t \ge 0$ (0 is the first optimizer step): $\eta_0\, t/W$ for $t < W$ (a linear
warmup from 0), then $\eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})\big(1 + \cos\frac{\pi (t - W)}{T - W}\big)$
for $W \le t < T$, and $\eta_{\min}$ from $T$ on. It must handle no warmup ($W = 0$) and steps past $T$;
each case compares the rates over a range of steps to 1e-12.
""",
    starter='''
def warmup_cosine(step: int, *, base_lr: float, warmup_steps: int,
                  total_steps: int, eta_min: float = 0.0) -> float:
    """The rate at `step`: warmup to `base_lr`, cosine to `eta_min` at `total_steps`."""
''',
    reference=optim.warmup_cosine,
    solution="dlnotes.optim.schedules.warmup_cosine",
    rtol=1e-12,
    atol=1e-15,
    imports="import math\n\nimport torch",
)
def _warmup_cosine_cases(g):
    yield Case(
        "warmup and decay",
        "steps 0 to 19; base_lr 0.1, warmup_steps 5, total_steps 20, eta_min 0 (rates compared at each step)",
        args=(range(20),),
        kwargs=dict(base_lr=0.1, warmup_steps=5, total_steps=20, eta_min=0.0),
        run=_schedule,
        hint="the warmup gives η0 t/W (0 at step 0, η0 at t = W) and the cosine's clock starts at W: "
        "its phase is π (t − W)/(T − W), not π t/T",
    )
    yield Case(
        "eta_min",
        "steps 0 to 49; base_lr 3e-3, warmup_steps 10, total_steps 50, eta_min 3e-4",
        args=(range(50),),
        kwargs=dict(base_lr=3e-3, warmup_steps=10, total_steps=50, eta_min=3e-4),
        run=_schedule,
        hint="the cosine spans η0 − η_min above η_min: η_min + ½(η0 − η_min)(1 + cos ...)",
    )
    yield Case(
        "no warmup",
        "steps 0 to 9; base_lr 1.0, warmup_steps 0, total_steps 10, eta_min 0.01",
        args=(range(10),),
        kwargs=dict(base_lr=1.0, warmup_steps=0, total_steps=10, eta_min=0.01),
        run=_schedule,
        hint="with W = 0 there is no warmup step at all: step 0 is already the cosine's peak η0 (no t/W)",
    )
    yield Case(
        "past the end",
        "steps 30 to 59 of base_lr 0.5, warmup_steps 4, total_steps 40, eta_min 0.05 (training runs on)",
        args=(range(30, 60),),
        kwargs=dict(base_lr=0.5, warmup_steps=4, total_steps=40, eta_min=0.05),
        run=_schedule,
        hint="from step T on the rate stays at η_min; the cosine formula alone climbs back up after T",
    )
    yield Case(
        "long warmup",
        "steps 0 to 99; base_lr 1e-3, warmup_steps 30, total_steps 100, eta_min 1e-5",
        args=(range(100),),
        kwargs=dict(base_lr=1e-3, warmup_steps=30, total_steps=100, eta_min=1e-5),
        run=_schedule,
    )
