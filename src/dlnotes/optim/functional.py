r"""The per-parameter math of each optimizer: one step on one tensor, in place, like torch's functional optimizers.

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


def sgd_update(param, grad, buf, *, lr, momentum, dampening, weight_decay, nesterov, maximize):
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


# Adagrad.


def adagrad_update(param, grad, state_sum, t, *, lr, lr_decay, weight_decay, eps, maximize):
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


# RMSprop.


def rmsprop_update(
    param, grad, square_avg, grad_avg, buf, *, lr, alpha, eps, weight_decay, momentum, maximize
):
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


# Adadelta.


def adadelta_update(param, grad, square_avg, acc_delta, *, lr, rho, eps, weight_decay, maximize):
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


# Adam, AMSGrad and AdamW.


def adam_update(param, grad, m, v, v_max, t, *, lr, beta1, beta2, eps, weight_decay, decoupled, maximize):
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
