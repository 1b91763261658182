r"""Optimizers written out step by step, mirroring ``torch.optim``.

Everything here mirrors a PyTorch function readers already call and is tested against it in float64:

- ``SGD``, ``Adagrad``, ``RMSprop``, ``Adadelta``, ``Adam`` and ``AdamW`` mirror ``torch.optim``. Each is a
  subclass of :class:`torch.optim.Optimizer` with torch's constructor arguments, defaults, argument checks
  (same exception and message), parameter groups, ``closure`` and per-parameter state under torch's keys
  (``step`` as a 0-d float tensor, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``, ``momentum_buffer``,
  ``sum``, ``square_avg``, ``grad_avg``, ``acc_delta``), so a ``state_dict()`` saved by one loads into the
  other and training continues identically.
- The per-parameter math of each algorithm is one short function of :mod:`dlnotes.optim.functional`
  (``sgd_update``, ``adagrad_update``, ``rmsprop_update``, ``adadelta_update``, ``adam_update``) with each
  equation as a comment above the line that computes it. The classes only check arguments, create state
  and loop.
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

import torch

from dlnotes.optim.functional import adadelta_update, adagrad_update, adam_update, rmsprop_update, sgd_update

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "RMSprop",
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

    def __init__(
        self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False
    ):
        _check_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
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
                buf = sgd_update(
                    p,
                    p.grad,
                    buf,
                    lr=float(group["lr"]),
                    momentum=group["momentum"],
                    dampening=group["dampening"],
                    weight_decay=group["weight_decay"],
                    nesterov=group["nesterov"],
                    maximize=group["maximize"],
                )
                if with_momentum:
                    self.state[p]["momentum_buffer"] = buf
        return loss


# ---------------------------------------------------------------------------------------------------------


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

    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay=0,
        weight_decay=0,
        initial_accumulator_value=0,
        eps=1e-10,
        *,
        maximize=False,
    ):
        _check_lr(lr)
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not lr_decay >= 0.0:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not initial_accumulator_value >= 0.0:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            maximize=maximize,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p):
        state = self.state[p]
        state["step"] = _zero_step()
        state["sum"] = torch.full_like(
            p, self.defaults["initial_accumulator_value"], memory_format=torch.preserve_format
        )

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
                adagrad_update(
                    p,
                    p.grad,
                    state["sum"],
                    state["step"].item(),
                    lr=float(group["lr"]),
                    lr_decay=group["lr_decay"],
                    weight_decay=group["weight_decay"],
                    eps=group["eps"],
                    maximize=group["maximize"],
                )
        return loss


# ---------------------------------------------------------------------------------------------------------


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

    def __init__(
        self,
        params,
        lr=1e-2,
        alpha=0.99,
        eps=1e-8,
        weight_decay=0,
        momentum=0,
        centered=False,
        *,
        maximize=False,
    ):
        _check_lr(lr)
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not momentum >= 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not alpha >= 0.0:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            alpha=alpha,
            eps=eps,
            centered=centered,
            weight_decay=weight_decay,
            maximize=maximize,
        )
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
                rmsprop_update(
                    p,
                    p.grad,
                    state["square_avg"],
                    state["grad_avg"] if group["centered"] else None,
                    state["momentum_buffer"] if group["momentum"] > 0 else None,
                    lr=float(group["lr"]),
                    alpha=group["alpha"],
                    eps=group["eps"],
                    weight_decay=group["weight_decay"],
                    momentum=group["momentum"],
                    maximize=group["maximize"],
                )
        return loss


# ---------------------------------------------------------------------------------------------------------


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
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not weight_decay >= 0.0:
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
                adadelta_update(
                    p,
                    p.grad,
                    state["square_avg"],
                    state["acc_delta"],
                    lr=float(group["lr"]),
                    rho=group["rho"],
                    eps=group["eps"],
                    weight_decay=group["weight_decay"],
                    maximize=group["maximize"],
                )
        return loss


# ---------------------------------------------------------------------------------------------------------


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

    def __init__(
        self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *, maximize=False
    ):
        _check_lr(lr)
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        both_floats = isinstance(betas[0], float) and isinstance(betas[1], float)
        both_tensors = isinstance(betas[0], torch.Tensor) and isinstance(betas[1], torch.Tensor)
        if not (both_floats or both_tensors):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas):
            if isinstance(beta, torch.Tensor) and beta.numel() != 1:
                raise ValueError(f"Tensor betas[{i}] must be 1-element")
        defaults = dict(
            lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize
        )
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
                adam_update(
                    p,
                    p.grad,
                    state["exp_avg"],
                    state["exp_avg_sq"],
                    state["max_exp_avg_sq"] if group["amsgrad"] else None,
                    state["step"].item(),
                    lr=float(group["lr"]),
                    beta1=beta1,
                    beta2=beta2,
                    eps=group["eps"],
                    weight_decay=group["weight_decay"],
                    decoupled=self._decoupled_weight_decay,
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

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        *,
        maximize=False,
    ):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)


# ---------------------------------------------------------------------------------------------------------
