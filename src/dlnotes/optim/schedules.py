r"""Learning-rate schedules in closed form: the rate at step t (t = 0 is the first optimizer step).

``step_lr``, ``cosine_annealing``, ``linear_warmup`` and ``warmup_cosine`` are the learning rate as a pure
function of the step; torch's ``StepLR``, ``CosineAnnealingLR``, ``LinearLR`` and ``SequentialLR`` give the
same numbers recursively (tested). Wrap them in ``torch.optim.lr_scheduler.LambdaLR`` to drive any
optimizer (see :func:`warmup_cosine`).

References
----------
- Loshchilov, I., Hutter, F. (2017). SGDR: stochastic gradient descent with warm restarts. *ICLR*,
  arXiv:1608.03983 (cosine annealing).
"""

from __future__ import annotations

import math

from dlnotes._validation import check_int, check_probability, check_real

__all__ = [
    "cosine_annealing",
    "linear_warmup",
    "step_lr",
    "warmup_cosine",
]


# ---------------------------------------------------------------------------------------------------------
# Learning-rate schedules: the rate at step t (t = 0 is the first optimizer step) in closed form.


def _check_rates(base_lr, eta_min=0.0) -> tuple[float, float]:
    """The finite rates ``0 <= eta_min <= base_lr``."""
    base_lr = check_real(base_lr, "base_lr", minimum=0)
    eta_min = check_real(eta_min, "eta_min")
    if not 0 <= eta_min <= base_lr:
        raise ValueError(f"eta_min must be in [0, base_lr] = [0, {base_lr}], got {eta_min}")
    return base_lr, eta_min


def step_lr(step: int, *, base_lr: float, step_size: int, gamma: float = 0.1) -> float:
    r"""Step decay: multiply the rate by `gamma` every `step_size` steps.

    .. math:: \eta_t = \eta_0\, \gamma^{\lfloor t / s \rfloor}

    Equals ``torch.optim.lr_scheduler.StepLR(opt, step_size, gamma)`` after `step` calls of
    ``scheduler.step()`` (torch multiplies recursively, so the two may differ in the last bits).

    Parameters
    ----------
    step : int
        The step :math:`t \ge 0`.
    base_lr : float
        The rate :math:`\eta_0 \ge 0` at step 0.
    step_size : int
        Steps :math:`s \ge 1` between two decays.
    gamma : float, default 0.1
        Factor :math:`\gamma > 0` of each decay.

    Returns
    -------
    float
        The learning rate at `step`.

    Raises
    ------
    TypeError
        If `step` or `step_size` is not an int, or a rate is not a real number.
    ValueError
        If `step` is negative, `step_size` is not positive, `base_lr` is negative or not finite, or
        `gamma` is not positive and finite.

    Examples
    --------
    >>> [step_lr(t, base_lr=1.0, step_size=2, gamma=0.5) for t in range(6)]
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """
    step = check_int(step, "step", minimum=0)
    base_lr, _ = _check_rates(base_lr)
    step_size = check_int(step_size, "step_size", minimum=1)
    gamma = check_real(gamma, "gamma", minimum=0, strict_min=True)
    # η_t = η_0 γ^⌊t/s⌋
    return base_lr * gamma ** (step // step_size)


def cosine_annealing(step: int, *, base_lr: float, total_steps: int, eta_min: float = 0.0) -> float:
    r"""Cosine annealing from `base_lr` at step 0 to `eta_min` at `total_steps`, then held at `eta_min`.

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})\Big(1 + \cos\frac{\pi t}{T}\Big)
        \quad (0 \le t \le T), \qquad \eta_t = \eta_{\min} \quad (t > T)

    For :math:`0 \le t \le T` this equals ``CosineAnnealingLR(opt, T_max=total_steps, eta_min)`` after
    :math:`t` scheduler steps (Loshchilov & Hutter 2017, without restarts). After :math:`T` the two part:
    torch's keeps following the cosine, so its rate climbs back to ``base_lr`` at :math:`2T`; ours stays
    at ``eta_min``, which is what a training run that goes on a little longer needs.

    Parameters
    ----------
    step : int
        The step :math:`t \ge 0`.
    base_lr : float
        The rate :math:`\eta_0 \ge 0` at step 0.
    total_steps : int
        Length :math:`T \ge 1` of the decay.
    eta_min : float, default 0.0
        Final rate, in ``[0, base_lr]``.

    Returns
    -------
    float
        The learning rate at `step`.

    Raises
    ------
    TypeError
        If `step` or `total_steps` is not an int, or a rate is not a real number.
    ValueError
        If `step` is negative, `total_steps` is not positive, or the rates are not
        ``0 <= eta_min <= base_lr`` (finite).

    Examples
    --------
    >>> [cosine_annealing(t, base_lr=1.0, total_steps=4) for t in range(6)]
    [1.0, 0.8535533905932737, 0.5, 0.14644660940672627, 0.0, 0.0]
    """
    step = check_int(step, "step", minimum=0)
    total_steps = check_int(total_steps, "total_steps", minimum=1)
    base_lr, eta_min = _check_rates(base_lr, eta_min)
    if step >= total_steps:
        return eta_min
    # η_t = η_min + ½ (η_0 − η_min)(1 + cos(π t / T))
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * step / total_steps)) / 2


def linear_warmup(
    step: int, *, base_lr: float, warmup_steps: int, start_factor: float = 1 / 3, end_factor: float = 1.0
) -> float:
    r"""Linear change of the rate from ``start_factor * base_lr`` to ``end_factor * base_lr``, then held.

    .. math:: \eta_t = \eta_0 \Big(s + (e - s) \frac{\min(t, W)}{W}\Big)

    Equals ``LinearLR(opt, start_factor, end_factor, total_iters=warmup_steps)`` after `step`
    scheduler steps. Torch refuses ``start_factor=0``; ours allows it (a warmup from zero), and it
    allows ``end_factor < start_factor`` (a linear decay) as torch does.

    Parameters
    ----------
    step : int
        The step :math:`t \ge 0`.
    base_lr : float
        The target rate :math:`\eta_0 \ge 0`.
    warmup_steps : int
        Steps :math:`W \ge 1` of the linear phase.
    start_factor, end_factor : float
        Factors :math:`s` and :math:`e` in [0, 1] of `base_lr` at step 0 and from step :math:`W` on.

    Returns
    -------
    float
        The learning rate at `step`.

    Raises
    ------
    TypeError
        If `step` or `warmup_steps` is not an int, or a rate or factor is not a real number.
    ValueError
        If `step` is negative, `warmup_steps` is not positive, `base_lr` is negative or not finite, or a
        factor is outside [0, 1].

    Examples
    --------
    >>> [linear_warmup(t, base_lr=1.0, warmup_steps=4, start_factor=0.0) for t in range(6)]
    [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    """
    step = check_int(step, "step", minimum=0)
    base_lr, _ = _check_rates(base_lr)
    warmup_steps = check_int(warmup_steps, "warmup_steps", minimum=1)
    start_factor = check_probability(start_factor, "start_factor")
    end_factor = check_probability(end_factor, "end_factor")
    # η_t = η_0 (s + (e − s) min(t, W) / W)
    progress = min(step, warmup_steps) / warmup_steps
    return base_lr * (start_factor + (end_factor - start_factor) * progress)


def warmup_cosine(
    step: int,
    *,
    base_lr: float,
    warmup_steps: int,
    total_steps: int,
    eta_min: float = 0.0,
    start_factor: float = 0.0,
) -> float:
    r"""Linear warmup to `base_lr`, then cosine decay to `eta_min` at `total_steps`, then held.

    .. math::

        \eta_t = \begin{cases}
            \eta_0 \big(s + (1 - s)\, t / W\big) & 0 \le t < W \\
            \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})
                \big(1 + \cos\frac{\pi (t - W)}{T - W}\big) & W \le t < T \\
            \eta_{\min} & t \ge T
        \end{cases}

    The rate is continuous: both phases give :math:`\eta_0` at :math:`t = W`, and the cosine reaches
    :math:`\eta_{\min}` at :math:`t = T` (if ``warmup_steps == total_steps`` there is no decay phase and
    the rate drops to `eta_min` at :math:`T`). With ``warmup_steps == 0`` it is
    :func:`cosine_annealing`.

    For :math:`t \le T`, :math:`s > 0` and :math:`W < T` it equals torch's
    ``SequentialLR(opt, [LinearLR(opt, s, 1.0, total_iters=W), CosineAnnealingLR(opt, T_max=T - W,
    eta_min)], milestones=[W])`` after :math:`t` scheduler steps (torch 2.13, no off-by-one at the
    milestone; the tests check it). The two part where torch cannot follow: ``LinearLR`` refuses
    :math:`s = 0`, ``CosineAnnealingLR`` divides by zero when :math:`W = T`, and after :math:`T` torch's
    cosine climbs back up while ours holds `eta_min`; these cases are tested against a direct
    evaluation of the formula above.

    Parameters
    ----------
    step : int
        The step :math:`t \ge 0`.
    base_lr : float
        Peak rate :math:`\eta_0 \ge 0`, reached at the end of the warmup.
    warmup_steps : int
        Steps :math:`W \ge 0` of the linear warmup; at most `total_steps`.
    total_steps : int
        Step :math:`T \ge 1` at which the rate reaches `eta_min`.
    eta_min : float, default 0.0
        Final rate, in ``[0, base_lr]``.
    start_factor : float, default 0.0
        Fraction :math:`s` in [0, 1] of `base_lr` at step 0.

    Returns
    -------
    float
        The learning rate at `step`.

    Raises
    ------
    TypeError
        If a step count is not an int, or a rate or factor is not a real number.
    ValueError
        If `step` or `warmup_steps` is negative, `total_steps` is not positive,
        ``warmup_steps > total_steps``, the rates are not ``0 <= eta_min <= base_lr``, or `start_factor`
        is outside [0, 1].

    Examples
    --------
    >>> [round(warmup_cosine(t, base_lr=1.0, warmup_steps=2, total_steps=6), 4) for t in range(8)]
    [0.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 0.0, 0.0]

    To drive any optimizer, give the schedule with ``base_lr=1.0`` to ``LambdaLR``, which multiplies the
    optimizer's own ``lr`` by it:

    >>> import torch
    >>> from dlnotes.optim import AdamW
    >>> model = torch.nn.Linear(3, 1)
    >>> opt = AdamW(model.parameters(), lr=3e-4)
    >>> sched = torch.optim.lr_scheduler.LambdaLR(
    ...     opt, lambda s: warmup_cosine(s, base_lr=1.0, warmup_steps=10, total_steps=100))
    >>> lrs = []
    >>> for _ in range(20):
    ...     lrs.append(opt.param_groups[0]["lr"])
    ...     opt.step()  # after loss.backward() in a real loop
    ...     sched.step()
    >>> lrs[5], lrs[10], round(lrs[19], 8)
    (0.00015, 0.0003, 0.00029266)
    >>> lrs[19] == 3e-4 * warmup_cosine(19, base_lr=1.0, warmup_steps=10, total_steps=100)
    True
    """
    step = check_int(step, "step", minimum=0)
    warmup_steps = check_int(warmup_steps, "warmup_steps", minimum=0)
    total_steps = check_int(total_steps, "total_steps", minimum=1)
    if warmup_steps > total_steps:
        raise ValueError(
            f"warmup_steps must be at most total_steps, got warmup_steps={warmup_steps} > "
            f"total_steps={total_steps}"
        )
    base_lr, eta_min = _check_rates(base_lr, eta_min)
    start_factor = check_probability(start_factor, "start_factor")
    if step >= total_steps:
        return eta_min
    if step < warmup_steps:
        # η_t = η_0 (s + (1 − s) t / W)
        return base_lr * (start_factor + (1 - start_factor) * step / warmup_steps)
    # η_t = η_min + ½ (η_0 − η_min)(1 + cos(π (t − W) / (T − W)))
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * progress)) / 2
