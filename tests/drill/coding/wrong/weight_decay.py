"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.weight_decay."""

from tests.drill.coding.wrong import wrong


def _adam(param, grad, m, v, step, lr, beta1, beta2, eps):
    t = step + 1
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return param - lr * m_hat / (v_hat.sqrt() + eps), m, v


@wrong("adamw-step", fails="zero gradient")
def adamw_as_l2_penalty(param, grad, m, v, step, *, lr, beta1, beta2, eps, weight_decay):
    """Adds λθ to the gradient (Adam's weight_decay, an L2 penalty), where √v̂ then rescales it."""
    return _adam(param, grad + weight_decay * param, m, v, step, lr, beta1, beta2, eps)


@wrong("adamw-step", fails="zero gradient")
def adamw_decay_without_lr(param, grad, m, v, step, *, lr, beta1, beta2, eps, weight_decay):
    """Shrinks by 1 − λ, the paper's λ, where torch's weight_decay is multiplied by the learning rate."""
    return _adam(param * (1 - weight_decay), grad, m, v, step, lr, beta1, beta2, eps)


@wrong("adamw-step", fails="five steps")
def adamw_decay_after_step(param, grad, m, v, step, *, lr, beta1, beta2, eps, weight_decay):
    """Decays the weight after the Adam step instead of before it (a difference of η²λ per step)."""
    param, m, v = _adam(param, grad, m, v, step, lr, beta1, beta2, eps)
    return param * (1 - lr * weight_decay), m, v


@wrong("adamw-step", fails="no decay")
def adamw_without_bias_correction(param, grad, m, v, step, *, lr, beta1, beta2, eps, weight_decay):
    """Right decay, but Adam's moments used without bias correction."""
    param = param * (1 - lr * weight_decay)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    return param - lr * m / (v.sqrt() + eps), m, v
