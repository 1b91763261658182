"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.optimizers."""

import torch

from tests.drill.coding.wrong import wrong

# --- sgd-momentum -----------------------------------------------------------------------------------------


@wrong("sgd-momentum", fails="step 1")
def sgd_momentum_as_moving_average(param, grad, buf, *, lr, momentum, dampening, weight_decay):
    """Momentum as an exponential moving average from zeros, b = μ b + (1 − μ) g (Adam's m, not SGD's)."""
    g = grad + weight_decay * param
    buf = torch.zeros_like(param) if buf is None else buf
    buf = momentum * buf + (1 - momentum) * g
    return param - lr * buf, buf


@wrong("sgd-momentum", fails="step 1")
def sgd_momentum_lr_inside_buffer(param, grad, buf, *, lr, momentum, dampening, weight_decay):
    """Sutskever's form v = μ v + η g, θ −= v: torch's iterates at a constant rate, a buffer η times its."""
    g = grad + weight_decay * param
    buf = lr * (1 - dampening) * g if buf is None else momentum * buf + lr * (1 - dampening) * g
    return param - buf, buf


@wrong("sgd-momentum", fails="dampening")
def sgd_momentum_buffer_from_zeros(param, grad, buf, *, lr, momentum, dampening, weight_decay):
    """Starts the buffer at zeros, so the first gradient is damped too (torch copies it undamped)."""
    g = grad + weight_decay * param
    buf = torch.zeros_like(param) if buf is None else buf
    buf = momentum * buf + (1 - dampening) * g
    return param - lr * buf, buf


@wrong("sgd-momentum", fails="weight decay")
def sgd_momentum_decay_outside_buffer(param, grad, buf, *, lr, momentum, dampening, weight_decay):
    """Adds λθ to the step instead of the gradient, so the decay never enters the buffer."""
    buf = grad.clone() if buf is None else momentum * buf + (1 - dampening) * grad
    return param - lr * (buf + weight_decay * param), buf


# --- nesterov ---------------------------------------------------------------------------------------------


@wrong("nesterov", fails="step 1")
def nesterov_steps_along_buffer(param, grad, buf, *, lr, momentum):
    """Updates the buffer and steps along it: that is heavy-ball momentum, not Nesterov's look-ahead."""
    buf = grad.clone() if buf is None else momentum * buf + grad
    return param - lr * buf, buf


@wrong("nesterov", fails="step 1")
def nesterov_old_buffer(param, grad, buf, *, lr, momentum):
    """Looks ahead with the previous buffer (zeros at first), g + μ b_{t-1}, then updates it."""
    old = torch.zeros_like(param) if buf is None else buf
    new = momentum * old + grad
    return param - lr * (grad + momentum * old), new


@wrong("nesterov", fails="five steps")
def nesterov_scaled_buffer(param, grad, buf, *, lr, momentum):
    """Remembers the factor (1 + μ) and steps η (1 + μ) b: right at step 1 only."""
    buf = grad.clone() if buf is None else momentum * buf + grad
    return param - lr * (1 + momentum) * buf, buf


# --- rmsprop ----------------------------------------------------------------------------------------------


@wrong("rmsprop", fails="step 1")
def rmsprop_alpha_swapped(param, grad, square_avg, *, lr, alpha, eps):
    """Weighs the new squared gradient by α and the old average by 1 − α."""
    v = (1 - alpha) * square_avg + alpha * grad**2
    return param - lr * grad / (v.sqrt() + eps), v


@wrong("rmsprop", fails="step 1")
def rmsprop_sum_of_squares(param, grad, square_avg, *, lr, alpha, eps):
    """Leaves out the (1 − α) factor: v = α v + g², a discounted sum instead of an average."""
    v = alpha * square_avg + grad**2
    return param - lr * grad / (v.sqrt() + eps), v


@wrong("rmsprop", fails="alpha 0.9")
def rmsprop_default_alpha_from_memory(param, grad, square_avg, *, lr, alpha, eps):
    """Writes torch's default decay 0.99 from memory instead of using `alpha`."""
    v = 0.99 * square_avg + 0.01 * grad**2
    return param - lr * grad / (v.sqrt() + eps), v


@wrong("rmsprop", fails="step 1")
def rmsprop_eps_inside_sqrt(param, grad, square_avg, *, lr, alpha, eps):
    """Puts ε inside the square root, √(v + ε): off by 1e-6 for gradients near 1, by 1e4 for tiny ones."""
    v = alpha * square_avg + (1 - alpha) * grad**2
    return param - lr * grad / (v + eps).sqrt(), v


# --- adam-step --------------------------------------------------------------------------------------------


@wrong("adam-step", fails="step 1")
def adam_without_bias_correction(param, grad, m, v, step, *, lr, beta1, beta2, eps):
    """Steps along m / (√v + ε) as they are: the first step is (1 − β1)/√(1 − β2) ≈ 3.2 times too large."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    return param - lr * m / (v.sqrt() + eps), m, v


@wrong("adam-step", fails="step 1")
def adam_t_from_zero(param, grad, m, v, step, *, lr, beta1, beta2, eps):
    """Bias-corrects with the count of earlier steps (0 at first), dividing by 1 − β^0 = 0."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**step), v / (1 - beta2**step)
    return param - lr * m_hat / (v_hat.sqrt() + eps), m, v


@wrong("adam-step", fails="step 1")
def adam_corrected_moments_in_state(param, grad, m, v, step, *, lr, beta1, beta2, eps):
    """Stores the bias-corrected moments as the state, so the correction compounds from step 2 on."""
    t = step + 1
    m = (beta1 * m + (1 - beta1) * grad) / (1 - beta1**t)
    v = (beta2 * v + (1 - beta2) * grad**2) / (1 - beta2**t)
    return param - lr * m / (v.sqrt() + eps), m, v


@wrong("adam-step", fails="step 1")
def adam_eps_inside_sqrt(param, grad, m, v, step, *, lr, beta1, beta2, eps):
    """Divides by √(v̂ + ε): off by 1e-6 for gradients near 1, a step 1e4 times too small for tiny ones."""
    t = step + 1
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return param - lr * m_hat / (v_hat + eps).sqrt(), m, v


@wrong("adam-step", fails="step 1")
def adam_eps_on_uncorrected_v(param, grad, m, v, step, *, lr, beta1, beta2, eps):
    """The paper's 'efficient' form: ε added to √v before the correction, i.e. ε/√(1 − β2^t) on √v̂."""
    t = step + 1
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    step_size = lr * (1 - beta2**t) ** 0.5 / (1 - beta1**t)
    return param - step_size * m / (v.sqrt() + eps), m, v


@wrong("adam-step", fails="other betas")
def adam_default_betas_from_memory(param, grad, m, v, step, *, lr, beta1, beta2, eps):
    """Writes the defaults 0.9 and 0.999 from memory instead of using the arguments."""
    t = step + 1
    m = 0.9 * m + 0.1 * grad
    v = 0.999 * v + 0.001 * grad**2
    m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
    return param - lr * m_hat / (v_hat.sqrt() + eps), m, v
