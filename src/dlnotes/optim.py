r"""Optimizers, gradient clipping and learning-rate schedules written out step by step.

Everything here mirrors a PyTorch function readers already call and is tested against it in float64:

- ``SGD``, ``Adagrad``, ``RMSprop``, ``Adadelta``, ``Adam`` and ``AdamW`` mirror ``torch.optim``. Each is a
  subclass of :class:`torch.optim.Optimizer` with torch's constructor arguments, defaults, argument checks
  (same exception and message), parameter groups, ``closure`` and per-parameter state under torch's keys
  (``step`` as a 0-d float tensor, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``, ``momentum_buffer``,
  ``sum``, ``square_avg``, ``grad_avg``, ``acc_delta``), so a ``state_dict()`` saved by one loads into the
  other and training continues identically.
- The per-parameter math of each algorithm is one short module-level function (``_sgd_update``,
  ``_adagrad_update``, ``_rmsprop_update``, ``_adadelta_update``, ``_adam_update``) with each equation as a
  comment above the line that computes it. The classes only check arguments, create state and loop.
- :func:`clip_grad_norm_` mirrors ``torch.nn.utils.clip_grad_norm_``.
- ``step_lr``, ``cosine_annealing``, ``linear_warmup`` and ``warmup_cosine`` are the learning rate as a pure
  function of the step, in closed form; ``StepLR``, ``CosineAnnealingLR``, ``LinearLR`` and
  ``SequentialLR`` give the same numbers recursively. Wrap them in ``torch.optim.lr_scheduler.LambdaLR`` to
  drive any optimizer (see :func:`warmup_cosine`).

Left out on purpose, because they change speed and not the numbers: torch's ``foreach`` (multi-tensor),
``fused``, ``capturable`` (CUDA graphs) and ``differentiable`` (gradients through the step) code paths, and
torch's ``decoupled_weight_decay`` switch on ``Adam`` (use :class:`AdamW`). Sparse gradients and complex
parameters raise ``RuntimeError`` (torch's ``SGD`` and ``Adagrad`` accept sparse gradients; ours do not).
Learning rates and betas may be 1-element tensors, as in torch, but are used as Python floats.

References
----------
- Polyak, B. T. (1964). Some methods of speeding up the convergence of iteration methods. *USSR
  Computational Mathematics and Mathematical Physics* 4(5) (heavy-ball momentum).
- Sutskever, I., Martens, J., Dahl, G., Hinton, G. (2013). On the importance of initialization and momentum
  in deep learning. *ICML* (Nesterov momentum in this form).
- Duchi, J., Hazan, E., Singer, Y. (2011). Adaptive subgradient methods for online learning and stochastic
  optimization. *JMLR* 12 (Adagrad).
- Tieleman, T., Hinton, G. (2012). Lecture 6.5, RMSprop. *COURSERA: Neural Networks for Machine Learning*.
- Zeiler, M. D. (2012). ADADELTA: an adaptive learning rate method. arXiv:1212.5701.
- Kingma, D. P., Ba, J. (2015). Adam: a method for stochastic optimization. *ICLR*, arXiv:1412.6980.
- Reddi, S. J., Kale, S., Kumar, S. (2018). On the convergence of Adam and beyond. *ICLR* (AMSGrad).
- Loshchilov, I., Hutter, F. (2019). Decoupled weight decay regularization. *ICLR*, arXiv:1711.05101.
- Loshchilov, I., Hutter, F. (2017). SGDR: stochastic gradient descent with warm restarts. *ICLR*,
  arXiv:1608.03983 (cosine annealing).
"""

from __future__ import annotations

import math
import numbers
import types
import warnings

import torch

__all__ = [
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adadelta",
    "Adam",
    "AdamW",
    "clip_grad_norm_",
    "step_lr",
    "cosine_annealing",
    "linear_warmup",
    "warmup_cosine",
]


# ---------------------------------------------------------------------------------------------------------
# Helpers shared by the optimizers.


def _evaluate(closure):
    """Run the closure with gradients enabled (``step`` itself runs under ``no_grad``) and return its loss."""
    if closure is None:
        return None
    with torch.enable_grad():
        return closure()


def _params_with_grad(group, name: str, sparse_message: str | None = None) -> list[torch.Tensor]:
    """The parameters of `group` that have a gradient, after refusing sparse gradients and complex parameters.

    The whole group is checked before any parameter is updated, as torch does.
    """
    params = [p for p in group["params"] if p.grad is not None]
    for p in params:
        if p.grad.layout != torch.strided:  # sparse COO, CSR, ...
            raise RuntimeError(
                sparse_message
                or f"dlnotes.optim.{name} does not support sparse gradients; use torch.optim.{name}"
            )
        if torch.is_complex(p):
            raise RuntimeError(
                f"dlnotes.optim.{name} does not support complex parameters; use torch.optim.{name}"
            )
    return params


def _zero_step() -> torch.Tensor:
    """torch's ``step`` counter: a 0-d float tensor on the CPU (float64 only if that is the default dtype)."""
    dtype = torch.float64 if torch.get_default_dtype() == torch.float64 else torch.float32
    return torch.tensor(0.0, dtype=dtype)


def _check_lr(lr) -> None:
    if isinstance(lr, torch.Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")


def _zeros(p: torch.Tensor) -> torch.Tensor:
    return torch.zeros_like(p, memory_format=torch.preserve_format)


# ---------------------------------------------------------------------------------------------------------
# SGD with momentum and Nesterov momentum.


def _sgd_update(param, grad, buf, *, lr, momentum, dampening, weight_decay, nesterov,
                maximize):
    """One SGD step on one parameter, in place; returns the momentum buffer.

    `buf` is None at the first step and stays None without momentum.
    """
    # g_t = ∇f(θ_{t-1}), or −∇f to maximize
    g = -grad if maximize else grad
    if weight_decay != 0:
        # g_t ← g_t + λ θ_{t-1}   (L2 penalty folded into the gradient)
        g = g.add(param, alpha=weight_decay)
    if momentum != 0:
        if buf is None:
            # b_1 = g_1   (a copy of the first gradient, not zeros; no dampening)
            buf = g.detach().clone()
        else:
            # b_t = μ b_{t-1} + (1 − τ) g_t
            buf.mul_(momentum).add_(g, alpha=1 - dampening)
        # Nesterov: g_t ← g_t + μ b_t (look ahead);  heavy ball: g_t ← b_t
        g = g.add(buf, alpha=momentum) if nesterov else buf
    # θ_t = θ_{t-1} − γ g_t
    param.add_(g, alpha=-lr)
    return buf


class SGD(torch.optim.Optimizer):
    r"""Stochastic gradient descent with optional (Nesterov) momentum, like ``torch.optim.SGD``.

    For :math:`t = 1, 2, \dots` with learning rate :math:`\gamma`, momentum :math:`\mu`, dampening
    :math:`\tau` and weight decay :math:`\lambda`:

    .. math::

        g_t &= \nabla f_t(\theta_{t-1}) + \lambda \theta_{t-1}
              \quad (\text{negated gradient if maximize}) \\
        b_t &= \begin{cases} g_1 & t = 1 \\ \mu b_{t-1} + (1 - \tau) g_t & t > 1 \end{cases} \\
        d_t &= \begin{cases} g_t + \mu b_t & \text{Nesterov} \\ b_t & \text{otherwise} \end{cases}
              \qquad (d_t = g_t \text{ if } \mu = 0) \\
        \theta_t &= \theta_{t-1} - \gamma d_t

    As in torch, the learning rate multiplies the buffer rather than entering it (Polyak 1964 and
    Sutskever et al. 2013 put :math:`\gamma` inside :math:`b_t`; the two agree for a constant
    :math:`\gamma`), and the buffer starts at the first gradient. State: ``momentum_buffer`` (only when
    ``momentum != 0``).

    Parameters
    ----------
    params : iterable of torch.Tensor or of dict
        Parameters to optimize, or parameter groups (dicts with ``"params"`` and per-group options).
    lr : float, default 1e-3
        Learning rate :math:`\gamma`.
    momentum : float, default 0
        Momentum factor :math:`\mu`.
    dampening : float, default 0
        Dampening :math:`\tau` of the gradient added to the buffer.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda` added to the gradient.
    nesterov : bool, default False
        Use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
    maximize : bool, default False
        Ascend the objective instead of descending it.

    Raises
    ------
    ValueError
        With torch's messages: negative `lr`, `momentum` or `weight_decay`; Nesterov without momentum or
        with dampening; a parameter in two groups or an empty parameter list.
    RuntimeError
        From :meth:`step`, for a sparse gradient or a complex parameter.

    Examples
    --------
    Three steps on :math:`f(w) = \lVert w \rVert^2` from :math:`w = (1, -2)`:

    >>> import torch
    >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(3):
    ...     opt.zero_grad()
    ...     (w ** 2).sum().backward()
    ...     opt.step()
    >>> w.detach()
    tensor([ 0.0620, -0.1240])
    >>> opt.state[w]["momentum_buffer"]  # 0.9 * (0.9 * 2 + 1.6) + 0.92
    tensor([ 3.9800, -7.9600])
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False):
        _check_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a gradient; return the closure's loss (or None)."""
        loss = _evaluate(closure)
        for group in self.param_groups:
            for p in _params_with_grad(group, "SGD"):
                with_momentum = group["momentum"] != 0
                buf = self.state[p].get("momentum_buffer") if with_momentum else None
                buf = _sgd_update(
                    p, p.grad, buf, lr=float(group["lr"]), momentum=group["momentum"],
                    dampening=group["dampening"], weight_decay=group["weight_decay"],
                    nesterov=group["nesterov"], maximize=group["maximize"],
                )
                if with_momentum:
                    self.state[p]["momentum_buffer"] = buf
        return loss


# ---------------------------------------------------------------------------------------------------------
# Adagrad.


def _adagrad_update(param, grad, state_sum, t, *, lr, lr_decay, weight_decay, eps,
                    maximize):
    """One Adagrad step on one parameter at step `t` (1, 2, ...), in place."""
    # g_t = ∇f(θ_{t-1}), or −∇f to maximize
    g = -grad if maximize else grad
    if weight_decay != 0:
        # g_t ← g_t + λ θ_{t-1}
        g = g.add(param, alpha=weight_decay)
    # γ̃_t = γ / (1 + (t − 1) η)   (optional decay of the global rate)
    clr = lr / (1 + (t - 1) * lr_decay)
    # G_t = G_{t-1} + g_t²   (every squared gradient ever seen, per coordinate)
    state_sum.addcmul_(g, g, value=1)
    # θ_t = θ_{t-1} − γ̃_t g_t / (√G_t + ε)
    std = state_sum.sqrt().add_(eps)
    param.addcdiv_(g, std, value=-clr)


class Adagrad(torch.optim.Optimizer):
    r"""Adagrad (Duchi et al. 2011), like ``torch.optim.Adagrad``.

    .. math::

        g_t &= \nabla f_t(\theta_{t-1}) + \lambda \theta_{t-1}, \qquad
        \tilde\gamma_t = \frac{\gamma}{1 + (t - 1)\eta} \\
        G_t &= G_{t-1} + g_t^2, \qquad G_0 = \text{initial\_accumulator\_value} \\
        \theta_t &= \theta_{t-1} - \tilde\gamma_t \frac{g_t}{\sqrt{G_t} + \epsilon}

    Each coordinate's step shrinks as its squared gradients pile up in :math:`G_t`, which never
    forgets: the effective rate only decreases. State: ``step``, ``sum``.

    Like torch, the state of every parameter is created in the constructor (so ``state_dict()`` holds it
    before the first step), and the accumulator starts at the constructor's `initial_accumulator_value`
    even in a parameter group that sets its own.

    Parameters
    ----------
    params : iterable of torch.Tensor or of dict
        Parameters to optimize, or parameter groups.
    lr : float, default 1e-2
        Learning rate :math:`\gamma`.
    lr_decay : float, default 0
        Decay :math:`\eta` of the learning rate with the step.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda` added to the gradient.
    initial_accumulator_value : float, default 0
        Starting value :math:`G_0` of the sum of squared gradients.
    eps : float, default 1e-10
        Added to :math:`\sqrt{G_t}` in the denominator.
    maximize : bool, default False
        Ascend the objective instead of descending it.

    Raises
    ------
    ValueError
        With torch's messages, for a negative `lr`, `lr_decay`, `weight_decay`,
        `initial_accumulator_value` or `eps`.
    RuntimeError
        From :meth:`step`, for a sparse gradient or a complex parameter.

    Examples
    --------
    The first step moves every coordinate by about ``lr``, whatever the gradient's size:

    >>> import torch
    >>> w = torch.tensor([1.0, -100.0], requires_grad=True)
    >>> opt = Adagrad([w], lr=0.1)
    >>> (w ** 2).sum().backward()
    >>> opt.step()
    >>> w.detach()
    tensor([  0.9000, -99.9000])
    >>> opt.state[w]["sum"], opt.state[w]["step"]
    (tensor([4.0000e+00, 4.0000e+04]), tensor(1.))
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, *, maximize=False):
        _check_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, maximize=maximize)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p):
        state = self.state[p]
        state["step"] = _zero_step()
        state["sum"] = torch.full_like(p, self.defaults["initial_accumulator_value"],
                                       memory_format=torch.preserve_format)

    @torch.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a gradient; return the closure's loss (or None)."""
        loss = _evaluate(closure)
        for group in self.param_groups:
            for p in _params_with_grad(group, "Adagrad"):
                state = self.state[p]
                if len(state) == 0:  # a parameter added with add_param_group
                    self._init_state(p)
                state["step"] += 1
                _adagrad_update(
                    p, p.grad, state["sum"], state["step"].item(), lr=float(group["lr"]),
                    lr_decay=group["lr_decay"], weight_decay=group["weight_decay"],
                    eps=group["eps"], maximize=group["maximize"],
                )
        return loss


# ---------------------------------------------------------------------------------------------------------
# RMSprop.


def _rmsprop_update(param, grad, square_avg, grad_avg, buf, *, lr, alpha, eps,
                    weight_decay, momentum, maximize):
    """One RMSprop step on one parameter, in place.

    `grad_avg` is None unless centered; `buf` is None unless ``momentum > 0``.
    """
    # g_t = ∇f(θ_{t-1}), or −∇f to maximize
    g = -grad if maximize else grad
    if weight_decay != 0:
        # g_t ← g_t + λ θ_{t-1}
        g = g.add(param, alpha=weight_decay)
    # v_t = α v_{t-1} + (1 − α) g_t²   (moving average of squared gradients)
    square_avg.mul_(alpha).addcmul_(g, g, value=1 - alpha)
    if grad_avg is not None:
        # centered: ḡ_t = α ḡ_{t-1} + (1 − α) g_t,  ṽ_t = v_t − ḡ_t²  (a variance)
        grad_avg.lerp_(g, 1 - alpha)
        avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
    else:
        # ṽ_t = v_t
        avg = square_avg.sqrt()
    # denominator √ṽ_t + ε   (ε outside the square root)
    avg = avg.add_(eps)
    if momentum > 0:
        # b_t = μ b_{t-1} + g_t / (√ṽ_t + ε),  θ_t = θ_{t-1} − γ b_t
        buf.mul_(momentum).addcdiv_(g, avg)
        param.add_(buf, alpha=-lr)
    else:
        # θ_t = θ_{t-1} − γ g_t / (√ṽ_t + ε)
        param.addcdiv_(g, avg, value=-lr)


class RMSprop(torch.optim.Optimizer):
    r"""RMSprop (Tieleman & Hinton 2012), optionally centered and with momentum, like ``torch.optim.RMSprop``.

    .. math::

        g_t &= \nabla f_t(\theta_{t-1}) + \lambda \theta_{t-1} \\
        v_t &= \alpha v_{t-1} + (1 - \alpha) g_t^2, \qquad
        \tilde v_t = \begin{cases} v_t - \bar g_t^2,\ \
            \bar g_t = \alpha \bar g_{t-1} + (1 - \alpha) g_t & \text{centered} \\
            v_t & \text{otherwise} \end{cases} \\
        b_t &= \mu b_{t-1} + \frac{g_t}{\sqrt{\tilde v_t} + \epsilon}, \qquad
        \theta_t = \theta_{t-1} - \gamma b_t
        \qquad \Big(\theta_t = \theta_{t-1} - \gamma \frac{g_t}{\sqrt{\tilde v_t} + \epsilon}
        \text{ if } \mu = 0\Big)

    with :math:`v_0 = \bar g_0 = b_0 = 0`. Unlike Adagrad's sum, the moving average forgets old
    gradients, so the step size does not decay to zero. State: ``step``, ``square_avg``, plus
    ``momentum_buffer`` (if ``momentum > 0``) and ``grad_avg`` (if centered).

    Parameters
    ----------
    params : iterable of torch.Tensor or of dict
        Parameters to optimize, or parameter groups.
    lr : float, default 1e-2
        Learning rate :math:`\gamma`.
    alpha : float, default 0.99
        Smoothing constant :math:`\alpha` of the moving averages.
    eps : float, default 1e-8
        Added to :math:`\sqrt{\tilde v_t}` in the denominator.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda` added to the gradient.
    momentum : float, default 0
        Momentum factor :math:`\mu` applied to the normalized step.
    centered : bool, default False
        Divide by an estimate of the gradient's standard deviation instead of its root mean square.
    maximize : bool, default False
        Ascend the objective instead of descending it (keyword-only here; torch also accepts it
        positionally after its ``capturable`` and ``foreach`` arguments).

    Raises
    ------
    ValueError
        With torch's messages, for a negative `lr`, `eps`, `momentum`, `weight_decay` or `alpha`.
    RuntimeError
        From :meth:`step`, for a sparse gradient (torch's message) or a complex parameter.

    Examples
    --------
    >>> import torch
    >>> w = torch.tensor([1.0, -100.0], requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01)
    >>> (w ** 2).sum().backward()
    >>> opt.step()
    >>> w.detach()  # the first step is lr / sqrt(1 - alpha) = 0.1 in every coordinate
    tensor([  0.9000, -99.9000])
    >>> sorted(opt.state[w])
    ['square_avg', 'step']
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, maximize=False):
        _check_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a gradient; return the closure's loss (or None)."""
        loss = _evaluate(closure)
        for group in self.param_groups:
            sparse_message = "RMSprop does not support sparse gradients"
            for p in _params_with_grad(group, "RMSprop", sparse_message):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _zero_step()
                    state["square_avg"] = _zeros(p)
                    if group["momentum"] > 0:
                        state["momentum_buffer"] = _zeros(p)
                    if group["centered"]:
                        state["grad_avg"] = _zeros(p)
                state["step"] += 1
                _rmsprop_update(
                    p, p.grad, state["square_avg"],
                    state["grad_avg"] if group["centered"] else None,
                    state["momentum_buffer"] if group["momentum"] > 0 else None,
                    lr=float(group["lr"]), alpha=group["alpha"], eps=group["eps"],
                    weight_decay=group["weight_decay"], momentum=group["momentum"],
                    maximize=group["maximize"],
                )
        return loss


# ---------------------------------------------------------------------------------------------------------
# Adadelta.


def _adadelta_update(param, grad, square_avg, acc_delta, *, lr, rho, eps, weight_decay,
                     maximize):
    """One Adadelta step on one parameter, in place."""
    # g_t = ∇f(θ_{t-1}), or −∇f to maximize
    g = -grad if maximize else grad
    if weight_decay != 0:
        # g_t ← g_t + λ θ_{t-1}
        g = g.add(param, alpha=weight_decay)
    # v_t = ρ v_{t-1} + (1 − ρ) g_t²   (moving average of squared gradients)
    square_avg.mul_(rho).addcmul_(g, g, value=1 - rho)
    # Δx_t = √(u_{t-1} + ε) / √(v_t + ε) · g_t   (RMS of steps / RMS of gradients)
    std = square_avg.add(eps).sqrt_()
    delta = acc_delta.add(eps).sqrt_().div_(std).mul_(g)
    # u_t = ρ u_{t-1} + (1 − ρ) Δx_t²   (moving average of squared steps)
    acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
    # θ_t = θ_{t-1} − γ Δx_t
    param.add_(delta, alpha=-lr)


class Adadelta(torch.optim.Optimizer):
    r"""Adadelta (Zeiler 2012), like ``torch.optim.Adadelta``.

    .. math::

        g_t &= \nabla f_t(\theta_{t-1}) + \lambda \theta_{t-1} \\
        v_t &= \rho v_{t-1} + (1 - \rho) g_t^2 \\
        \Delta x_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\
        u_t &= \rho u_{t-1} + (1 - \rho) \Delta x_t^2 \\
        \theta_t &= \theta_{t-1} - \gamma \Delta x_t

    with :math:`v_0 = u_0 = 0`. The ratio of the two root mean squares gives the step the units of
    :math:`\theta`, so the paper needs no learning rate (:math:`\gamma = 1`, torch's default).
    State: ``step``, ``square_avg``, ``acc_delta``.

    Parameters
    ----------
    params : iterable of torch.Tensor or of dict
        Parameters to optimize, or parameter groups.
    lr : float, default 1.0
        Factor :math:`\gamma` on the step.
    rho : float, default 0.9
        Decay :math:`\rho` of both moving averages.
    eps : float, default 1e-6
        Added inside both square roots.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda` added to the gradient.
    maximize : bool, default False
        Ascend the objective instead of descending it.

    Raises
    ------
    ValueError
        With torch's messages, for a negative `lr`, `eps` or `weight_decay`, or `rho` outside [0, 1].
    RuntimeError
        From :meth:`step`, for a sparse gradient (torch's message) or a complex parameter.

    Examples
    --------
    >>> import torch
    >>> w = torch.tensor([1.0, -100.0], requires_grad=True)
    >>> opt = Adadelta([w])
    >>> (w ** 2).sum().backward()
    >>> opt.step()
    >>> (w.detach() - torch.tensor([1.0, -100.0])).abs()  # about sqrt(eps / (1 - rho)) in each
    tensor([0.0032, 0.0032])
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, *, maximize=False):
        _check_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a gradient; return the closure's loss (or None)."""
        loss = _evaluate(closure)
        for group in self.param_groups:
            sparse_message = "Adadelta does not support sparse gradients"
            for p in _params_with_grad(group, "Adadelta", sparse_message):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _zero_step()
                    state["square_avg"] = _zeros(p)
                    state["acc_delta"] = _zeros(p)
                state["step"] += 1
                _adadelta_update(
                    p, p.grad, state["square_avg"], state["acc_delta"], lr=float(group["lr"]),
                    rho=group["rho"], eps=group["eps"], weight_decay=group["weight_decay"],
                    maximize=group["maximize"],
                )
        return loss


# ---------------------------------------------------------------------------------------------------------
# Adam, AMSGrad and AdamW.


def _adam_update(param, grad, m, v, v_max, t, *, lr, beta1, beta2, eps, weight_decay,
                 decoupled, maximize):
    """One Adam/AdamW step on one parameter at step `t` (1, 2, ...), in place.

    `v_max` is None unless AMSGrad; `decoupled` selects AdamW's weight decay.
    """
    # g_t = ∇f(θ_{t-1}), or −∇f to maximize
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled:
            # AdamW: θ ← θ (1 − γλ)   (decay the weight itself, outside the moments)
            param.mul_(1 - lr * weight_decay)
        else:
            # Adam: g_t ← g_t + λ θ_{t-1}   (L2 penalty: later divided by √v̂ too)
            g = g.add(param, alpha=weight_decay)
    # m_t = β1 m_{t-1} + (1 − β1) g_t   (first moment: moving mean of gradients)
    m.lerp_(g, 1 - beta1)
    # v_t = β2 v_{t-1} + (1 − β2) g_t²   (second moment: mean of squared gradients)
    v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
    if v_max is not None:
        # AMSGrad: v_t ← max(v_max, v_t), so the denominator never shrinks
        torch.maximum(v_max, v, out=v_max)
        v = v_max
    # m̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)   (bias correction)
    bias_correction1 = 1 - beta1**t
    bias_correction2 = 1 - beta2**t
    # θ_t = θ_{t-1} − γ m̂_t / (√v̂_t + ε)
    denom = (v.sqrt() / bias_correction2**0.5).add_(eps)
    param.addcdiv_(m, denom, value=-lr / bias_correction1)


class Adam(torch.optim.Optimizer):
    r"""Adam (Kingma & Ba 2015), optionally AMSGrad (Reddi et al. 2018), like ``torch.optim.Adam``.

    .. math::

        g_t &= \nabla f_t(\theta_{t-1}) + \lambda \theta_{t-1} \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &= \frac{m_t}{1 - \beta_1^t}, \qquad
        \hat v_t = \frac{v_t}{1 - \beta_2^t}
        \qquad (\text{AMSGrad: } v_t \leftarrow \max(v_{t-1}^{\max}, v_t)) \\
        \theta_t &= \theta_{t-1} - \gamma \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}

    with :math:`m_0 = v_0 = 0`. The bias corrections undo the pull of the zero start toward 0 in the
    first steps. Weight decay here is an L2 penalty added to the gradient, so it is divided by
    :math:`\sqrt{\hat v_t}` too; :class:`AdamW` decouples it. State: ``step``, ``exp_avg``
    (:math:`m`), ``exp_avg_sq`` (:math:`v`), plus ``max_exp_avg_sq`` with AMSGrad.

    Parameters
    ----------
    params : iterable of torch.Tensor or of dict
        Parameters to optimize, or parameter groups.
    lr : float, default 1e-3
        Learning rate :math:`\gamma`.
    betas : tuple of two floats, default (0.9, 0.999)
        Decay rates :math:`(\beta_1, \beta_2)` of the two moments, each in [0, 1).
    eps : float, default 1e-8
        Added to :math:`\sqrt{\hat v_t}` in the denominator.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda` added to the gradient.
    amsgrad : bool, default False
        Use the running maximum of :math:`v_t` (AMSGrad).
    maximize : bool, default False
        Ascend the objective instead of descending it.

    Raises
    ------
    ValueError
        With torch's messages, for a negative `lr`, `eps` or `weight_decay`, a beta outside [0, 1), or
        betas that are not both floats (or both tensors).
    RuntimeError
        From :meth:`step`, for a sparse gradient (torch's message) or a complex parameter.

    Examples
    --------
    The first step moves every coordinate by ``lr`` (:math:`\hat m_1 / \sqrt{\hat v_1} = \pm 1`):

    >>> import torch
    >>> w = torch.tensor([1.0, -100.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w ** 2).sum().backward()
    >>> opt.step()
    >>> w.detach()
    tensor([  0.9000, -99.9000])
    >>> sorted(opt.state[w])
    ['exp_avg', 'exp_avg_sq', 'step']
    """

    _decoupled_weight_decay = False  # AdamW sets it

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
                 *, maximize=False):
        _check_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        both_floats = isinstance(betas[0], float) and isinstance(betas[1], float)
        both_tensors = isinstance(betas[0], torch.Tensor) and isinstance(betas[1], torch.Tensor)
        if not (both_floats or both_tensors):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas):
            if isinstance(beta, torch.Tensor) and beta.numel() != 1:
                raise ValueError(f"Tensor betas[{i}] must be 1-element")
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a gradient; return the closure's loss (or None)."""
        loss = _evaluate(closure)
        for group in self.param_groups:
            beta1, beta2 = (float(beta) for beta in group["betas"])
            sparse_message = "Adam does not support sparse gradients, please consider SparseAdam instead"
            for p in _params_with_grad(group, type(self).__name__, sparse_message):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _zero_step()
                    state["exp_avg"] = _zeros(p)
                    state["exp_avg_sq"] = _zeros(p)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = _zeros(p)
                state["step"] += 1
                _adam_update(
                    p, p.grad, state["exp_avg"], state["exp_avg_sq"],
                    state["max_exp_avg_sq"] if group["amsgrad"] else None, state["step"].item(),
                    lr=float(group["lr"]), beta1=beta1, beta2=beta2, eps=group["eps"],
                    weight_decay=group["weight_decay"], decoupled=self._decoupled_weight_decay,
                    maximize=group["maximize"],
                )
        return loss


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter 2019), like ``torch.optim.AdamW``.

    .. math::

        \theta_{t-1} &\leftarrow \theta_{t-1} (1 - \gamma \lambda) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \theta_t &= \theta_{t-1} - \gamma \frac{m_t / (1 - \beta_1^t)}{\sqrt{v_t / (1 - \beta_2^t)}
        + \epsilon}

    The weight decays by a factor :math:`1 - \gamma\lambda` each step, the same for every coordinate,
    instead of entering the gradient where Adam's normalization would rescale it. Everything else,
    including the state keys and AMSGrad, is :class:`Adam`'s; note the default ``weight_decay=1e-2``.
    Like torch's, an ``AdamW`` is an instance of ``Adam``.

    Parameters
    ----------
    params : iterable of torch.Tensor or of dict
        Parameters to optimize, or parameter groups.
    lr : float, default 1e-3
        Learning rate :math:`\gamma`.
    betas : tuple of two floats, default (0.9, 0.999)
        Decay rates :math:`(\beta_1, \beta_2)` of the two moments, each in [0, 1).
    eps : float, default 1e-8
        Added to :math:`\sqrt{\hat v_t}` in the denominator.
    weight_decay : float, default 1e-2
        Decoupled decay :math:`\lambda`; the weights shrink by :math:`\gamma\lambda` of themselves a step.
    amsgrad : bool, default False
        Use the running maximum of :math:`v_t` (AMSGrad).
    maximize : bool, default False
        Ascend the objective instead of descending it.

    Raises
    ------
    ValueError
        As :class:`Adam`.
    RuntimeError
        As :class:`Adam` (torch's AdamW gives Adam's message for sparse gradients, and so does ours).

    Examples
    --------
    With a zero gradient only the decay acts: :math:`w \leftarrow w (1 - \gamma\lambda)`.

    >>> import torch
    >>> w = torch.tensor([1.0, -100.0], requires_grad=True)
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> w.grad = torch.zeros(2)
    >>> opt.step()
    >>> w.detach()
    tensor([  0.9500, -95.0000])
    """

    _decoupled_weight_decay = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)


# ---------------------------------------------------------------------------------------------------------
# Gradient clipping.


@torch.no_grad()
def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False) -> torch.Tensor:
    r"""Rescale gradients in place so that their joint norm is at most `max_norm`; return the old norm.

    All gradients are treated as one long vector :math:`g`:

    .. math::

        \lVert g \rVert_p = \Big(\sum_i |g_i|^p\Big)^{1/p}, \quad
        \lVert g \rVert_\infty = \max_i |g_i|, \qquad
        g \leftarrow g \cdot \min\Big(1, \frac{\text{max\_norm}}{\lVert g \rVert_p + 10^{-6}}\Big)

    Clipping keeps the direction of the update and only shortens it. Same results as
    ``torch.nn.utils.clip_grad_norm_``, including the :math:`10^{-6}` in the denominator.

    Parameters
    ----------
    parameters : torch.Tensor or iterable of torch.Tensor
        Parameters whose ``.grad`` to clip; parameters without a gradient are skipped.
    max_norm : float
        Largest norm allowed.
    norm_type : float, default 2.0
        The order :math:`p > 0` of the norm, or ``inf`` (also as the string ``"inf"``). Torch also
        accepts 0 and ``-inf``; ours refuses them.
    error_if_nonfinite : bool, default False
        Raise if the total norm is NaN or infinite instead of scaling the gradients by it.

    Returns
    -------
    torch.Tensor
        The total norm before clipping, a 0-d tensor on the first gradient's device (``tensor(0.)``
        when no parameter has a gradient).

    Raises
    ------
    ValueError
        If `norm_type` is not positive.
    RuntimeError
        With torch's message, if `error_if_nonfinite` and the total norm is NaN or infinite.

    Warns
    -----
    UserWarning
        Like torch, when `parameters` is an empty generator (often an exhausted ``model.parameters()``).

    Examples
    --------
    >>> import torch
    >>> a, b = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    >>> a.grad, b.grad = torch.tensor([3.0, 0.0]), torch.tensor([4.0])
    >>> clip_grad_norm_([a, b], max_norm=1.0)  # the norm of (3, 0, 4)
    tensor(5.)
    >>> a.grad, b.grad  # now of norm 1 (up to the 1e-6)
    (tensor([0.6000, 0.0000]), tensor([0.8000]))
    """
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and len(parameters) == 0:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.",
                          stacklevel=2)
    p = float(norm_type)
    if not p > 0:
        raise ValueError(f"norm_type must be positive (the p of a p-norm, or inf), got {norm_type}")
    grads = [param.grad for param in parameters if param.grad is not None]
    if len(grads) == 0:
        return torch.tensor(0.0)
    device = grads[0].device
    if math.isinf(p):
        # ‖g‖_∞ = max_i |g_i|
        total_norm = torch.stack([g.abs().max().to(device) for g in grads]).max()
    else:
        # ‖g‖_p = (Σ_i |g_i|^p)^(1/p), summed over every gradient as one vector
        total_norm = torch.stack([g.abs().pow(p).sum().to(device) for g in grads]).sum().pow(1 / p)
    if error_if_nonfinite and not torch.isfinite(total_norm):
        raise RuntimeError(
            f"The total norm of order {p} for gradients from `parameters` is non-finite, so it cannot "
            "be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
            "set `error_if_nonfinite=False`"
        )
    # g ← g · min(1, max_norm / (‖g‖ + 1e-6))   (multiplying by 1 avoids a device sync on an `if`)
    clip_coef = torch.clamp(float(max_norm) / (total_norm + 1e-6), max=1.0)
    for g in grads:
        g.mul_(clip_coef.to(g.device))
    return total_norm


# ---------------------------------------------------------------------------------------------------------
# Learning-rate schedules: the rate at step t (t = 0 is the first optimizer step) in closed form.


def _check_int(value, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value}")
    return int(value)


def _check_real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def _check_rates(base_lr, eta_min=0.0) -> tuple[float, float]:
    base_lr, eta_min = _check_real(base_lr, "base_lr"), _check_real(eta_min, "eta_min")
    if base_lr < 0:
        raise ValueError(f"base_lr must be >= 0, got {base_lr}")
    if not 0 <= eta_min <= base_lr:
        raise ValueError(f"eta_min must be in [0, base_lr] = [0, {base_lr}], got {eta_min}")
    return base_lr, eta_min


def _check_factor(value, name: str) -> float:
    value = _check_real(value, name)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be in [0, 1], got {value}")
    return value


def step_lr(step, *, base_lr, step_size, gamma=0.1) -> float:
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
    step = _check_int(step, "step", minimum=0)
    base_lr, _ = _check_rates(base_lr)
    step_size = _check_int(step_size, "step_size", minimum=1)
    gamma = _check_real(gamma, "gamma")
    if gamma <= 0:
        raise ValueError(f"gamma must be > 0, got {gamma}")
    # η_t = η_0 γ^⌊t/s⌋
    return base_lr * gamma ** (step // step_size)


def cosine_annealing(step, *, base_lr, total_steps, eta_min=0.0) -> float:
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
    step = _check_int(step, "step", minimum=0)
    total_steps = _check_int(total_steps, "total_steps", minimum=1)
    base_lr, eta_min = _check_rates(base_lr, eta_min)
    if step >= total_steps:
        return eta_min
    # η_t = η_min + ½ (η_0 − η_min)(1 + cos(π t / T))
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * step / total_steps)) / 2


def linear_warmup(step, *, base_lr, warmup_steps, start_factor=1 / 3, end_factor=1.0) -> float:
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
    step = _check_int(step, "step", minimum=0)
    base_lr, _ = _check_rates(base_lr)
    warmup_steps = _check_int(warmup_steps, "warmup_steps", minimum=1)
    start_factor = _check_factor(start_factor, "start_factor")
    end_factor = _check_factor(end_factor, "end_factor")
    # η_t = η_0 (s + (e − s) min(t, W) / W)
    progress = min(step, warmup_steps) / warmup_steps
    return base_lr * (start_factor + (end_factor - start_factor) * progress)


def warmup_cosine(step, *, base_lr, warmup_steps, total_steps, eta_min=0.0, start_factor=0.0) -> float:
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
    step = _check_int(step, "step", minimum=0)
    warmup_steps = _check_int(warmup_steps, "warmup_steps", minimum=0)
    total_steps = _check_int(total_steps, "total_steps", minimum=1)
    if warmup_steps > total_steps:
        raise ValueError(
            f"warmup_steps must be at most total_steps, got warmup_steps={warmup_steps} > "
            f"total_steps={total_steps}"
        )
    base_lr, eta_min = _check_rates(base_lr, eta_min)
    start_factor = _check_factor(start_factor, "start_factor")
    if step >= total_steps:
        return eta_min
    if step < warmup_steps:
        # η_t = η_0 (s + (1 − s) t / W)
        return base_lr * (start_factor + (1 - start_factor) * step / warmup_steps)
    # η_t = η_min + ½ (η_0 − η_min)(1 + cos(π (t − W) / (T − W)))
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * progress)) / 2
