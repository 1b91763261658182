r"""The per-parameter math of each optimizer: one step on one tensor, in place, like torch's functional API.

Each function is one algorithm's update with each equation as a comment above the line that computes it;
the classes of :mod:`dlnotes.optim.optimizers` check arguments, create the state and call these. They are
public so that the book can show them and readers can call them on their own tensors (torch has the same
split: ``torch.optim.Adam`` calls ``torch.optim.adam.adam``). Arguments are trusted here: the classes check
them.

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
"""

from __future__ import annotations

import torch

__all__ = [
    "adadelta_update",
    "adagrad_update",
    "adam_update",
    "rmsprop_update",
    "sgd_update",
]


# SGD with momentum and Nesterov momentum.


def sgd_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    buf: torch.Tensor | None,
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
) -> torch.Tensor | None:
    """One SGD step on one parameter, in place; returns the momentum buffer.

    Arguments are trusted, as in torch's functional optimizers: :class:`~dlnotes.optim.optimizers.SGD`
    checks the hyperparameters and creates the state; called directly, pass tensors of `param`'s shape,
    dtype and device.

    Parameters
    ----------
    param : torch.Tensor
        The parameter :math:`\\theta`, updated in place.
    grad : torch.Tensor
        Its gradient :math:`\\nabla f(\\theta)`.
    buf : torch.Tensor or None
        The momentum buffer :math:`b`; None at the first step, and always without momentum.
    lr, momentum, dampening, weight_decay : float
        :math:`\\gamma`, :math:`\\mu`, :math:`\\tau` and :math:`\\lambda`.
    nesterov, maximize : bool
        Nesterov momentum; ascend instead of descend.

    Returns
    -------
    torch.Tensor or None
        The momentum buffer to pass at the next step (updated in place, created at the first one).

    Examples
    --------
    >>> import torch
    >>> p, g = torch.tensor([1.0, 2.0]), torch.tensor([0.5, -0.5])
    >>> buf = sgd_update(p, g, None, lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0,
    ...                  nesterov=False, maximize=False)
    >>> p, buf
    (tensor([0.9500, 2.0500]), tensor([ 0.5000, -0.5000]))
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


# Adagrad.


def adagrad_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    state_sum: torch.Tensor,
    t: int,
    *,
    lr: float,
    lr_decay: float,
    weight_decay: float,
    eps: float,
    maximize: bool,
) -> None:
    """One Adagrad step on one parameter at step `t` (1, 2, ...), in place.

    Arguments are trusted, as in torch's functional optimizers: :class:`~dlnotes.optim.optimizers.Adagrad`
    checks the hyperparameters and creates the state; called directly, pass tensors of `param`'s shape,
    dtype and device.

    Parameters
    ----------
    param : torch.Tensor
        The parameter :math:`\\theta`, updated in place.
    grad : torch.Tensor
        Its gradient.
    state_sum : torch.Tensor
        The sum of squared gradients :math:`G`, updated in place (torch starts it at
        ``initial_accumulator_value``).
    t : int
        The step number, from 1.
    lr, lr_decay, weight_decay, eps : float
        :math:`\\gamma`, :math:`\\eta`, :math:`\\lambda` and :math:`\\epsilon`.
    maximize : bool
        Ascend instead of descend.

    Examples
    --------
    >>> import torch
    >>> p, g, G = torch.tensor([1.0, 2.0]), torch.tensor([0.5, -0.5]), torch.zeros(2)
    >>> adagrad_update(p, g, G, 1, lr=0.1, lr_decay=0.0, weight_decay=0.0, eps=1e-10, maximize=False)
    >>> p, G  # the first step moves each coordinate by lr, whatever its gradient's size
    (tensor([0.9000, 2.1000]), tensor([0.2500, 0.2500]))
    """
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


# RMSprop.


def rmsprop_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    square_avg: torch.Tensor,
    grad_avg: torch.Tensor | None,
    buf: torch.Tensor | None,
    *,
    lr: float,
    alpha: float,
    eps: float,
    weight_decay: float,
    momentum: float,
    maximize: bool,
) -> None:
    """One RMSprop step on one parameter, in place.

    Arguments are trusted, as in torch's functional optimizers: :class:`~dlnotes.optim.optimizers.RMSprop`
    checks the hyperparameters and creates the state; called directly, pass tensors of `param`'s shape,
    dtype and device.

    Parameters
    ----------
    param : torch.Tensor
        The parameter :math:`\\theta`, updated in place.
    grad : torch.Tensor
        Its gradient.
    square_avg : torch.Tensor
        The moving average of squared gradients :math:`v`, updated in place.
    grad_avg : torch.Tensor or None
        The moving average of gradients :math:`\\bar g` (centered RMSprop), else None.
    buf : torch.Tensor or None
        The momentum buffer if ``momentum > 0``, else None.
    lr, alpha, eps, weight_decay, momentum : float
        :math:`\\gamma`, :math:`\\alpha`, :math:`\\epsilon`, :math:`\\lambda` and :math:`\\mu`.
    maximize : bool
        Ascend instead of descend.

    Examples
    --------
    >>> import torch
    >>> p, g, v = torch.tensor([1.0, 2.0]), torch.tensor([0.5, -0.5]), torch.zeros(2)
    >>> rmsprop_update(p, g, v, None, None, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
    ...                maximize=False)
    >>> p, v  # v = 0.01 g², so the first step is lr / √0.01 = 10 lr
    (tensor([0.9000, 2.1000]), tensor([0.0025, 0.0025]))
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


# Adadelta.


def adadelta_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    square_avg: torch.Tensor,
    acc_delta: torch.Tensor,
    *,
    lr: float,
    rho: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    """One Adadelta step on one parameter, in place.

    Arguments are trusted, as in torch's functional optimizers: :class:`~dlnotes.optim.optimizers.Adadelta`
    checks the hyperparameters and creates the state; called directly, pass tensors of `param`'s shape,
    dtype and device.

    Parameters
    ----------
    param : torch.Tensor
        The parameter :math:`\\theta`, updated in place.
    grad : torch.Tensor
        Its gradient.
    square_avg, acc_delta : torch.Tensor
        The moving averages of squared gradients :math:`v` and of squared steps :math:`u`, updated in place.
    lr, rho, eps, weight_decay : float
        :math:`\\gamma`, :math:`\\rho`, :math:`\\epsilon` and :math:`\\lambda`.
    maximize : bool
        Ascend instead of descend.

    Examples
    --------
    >>> import torch
    >>> p, g, v, u = torch.tensor([1.0, 2.0]), torch.tensor([0.5, -0.5]), torch.zeros(2), torch.zeros(2)
    >>> adadelta_update(p, g, v, u, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False)
    >>> p  # the first step is tiny: √ε / √(v + ε) · g
    tensor([0.9968, 2.0032])
    """
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


# Adam, AMSGrad and AdamW.


def adam_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    m: torch.Tensor,
    v: torch.Tensor,
    v_max: torch.Tensor | None,
    t: int,
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    decoupled: bool,
    maximize: bool,
) -> None:
    """One Adam/AdamW step on one parameter at step `t` (1, 2, ...), in place.

    Arguments are trusted, as in torch's functional optimizers: :class:`~dlnotes.optim.optimizers.Adam`
    checks the hyperparameters and creates the state; called directly, pass tensors of `param`'s shape,
    dtype and device.

    Parameters
    ----------
    param : torch.Tensor
        The parameter :math:`\\theta`, updated in place.
    grad : torch.Tensor
        Its gradient.
    m, v : torch.Tensor
        The first and second moments, updated in place (zeros before the first step).
    v_max : torch.Tensor or None
        The running maximum of `v` for AMSGrad, updated in place; None without AMSGrad.
    t : int
        The step number, from 1 (for the bias correction).
    lr, beta1, beta2, eps, weight_decay : float
        :math:`\\gamma`, :math:`\\beta_1`, :math:`\\beta_2`, :math:`\\epsilon` and :math:`\\lambda`.
    decoupled : bool
        AdamW's weight decay (the weight itself decays) instead of Adam's L2 penalty in the gradient.
    maximize : bool
        Ascend instead of descend.

    Examples
    --------
    >>> import torch
    >>> p, g, m, v = torch.tensor([1.0, 2.0]), torch.tensor([0.5, -0.5]), torch.zeros(2), torch.zeros(2)
    >>> adam_update(p, g, m, v, None, 1, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
    ...             decoupled=False, maximize=False)
    >>> p  # after bias correction the first step is lr · sign(g)
    tensor([0.9000, 2.1000])
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
