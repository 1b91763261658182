"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.gradients."""

import torch

from tests.drill.coding.wrong import wrong

# --- clip-grad-norm -----------------------------------------------------------------------------------------


@wrong("clip-grad-norm", fails="several tensors")
def clip_each_tensor_separately(parameters, max_norm):
    """Clips every tensor to its own norm (and returns the largest one): the direction of the whole
    update changes, and tensors shorter than max_norm are never clipped."""
    norms = []
    for p in parameters:
        norm = p.grad.norm()
        p.grad.mul_(torch.clamp(max_norm / (norm + 1e-6), max=1.0))
        norms.append(norm)
    return torch.stack(norms).max()


@wrong("clip-grad-norm", fails="several tensors")
def clip_by_the_sum_of_norms(parameters, max_norm):
    """Adds the tensors' norms instead of their squares: Σ_t ‖g_t‖ is not the norm of the whole vector."""
    total = sum(p.grad.norm() for p in parameters)
    for p in parameters:
        p.grad.mul_(torch.clamp(max_norm / (total + 1e-6), max=1.0))
    return total


@wrong("clip-grad-norm", fails="norm below max_norm")
def clip_always_rescales(parameters, max_norm):
    """Scales by max_norm / norm without the min(1, ·): short gradients are stretched to max_norm."""
    total = torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in parameters]))
    for p in parameters:
        p.grad.mul_(max_norm / (total + 1e-6))
    return total


@wrong("clip-grad-norm", fails="one tensor, clipped")
def clip_returns_the_norm_after(parameters, max_norm):
    """Clips correctly but returns the norm after clipping (about max_norm), not the one before."""
    total = torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in parameters]))
    for p in parameters:
        p.grad.mul_(torch.clamp(max_norm / (total + 1e-6), max=1.0))
    return torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in parameters]))


# --- mlp-backward -------------------------------------------------------------------------------------------


def _forward(x, w1, b1, w2, b2):
    h = x @ w1.T + b1
    a = h.clamp(min=0)
    return h, a, a @ w2.T + b2


@wrong("mlp-backward", fails="small batch")
def mlp_backward_without_the_factor_2(x, y, w1, b1, w2, b2):
    """dL/dz = (z - y) / (N k): the derivative of the square loses its 2."""
    h, a, z = _forward(x, w1, b1, w2, b2)
    dz = (z - y) / y.numel()
    dh = (dz @ w2) * (h > 0)
    return dh.T @ x, dh.sum(0), dz.T @ a, dz.sum(0)


@wrong("mlp-backward", fails="small batch")
def mlp_backward_mean_over_the_batch_only(x, y, w1, b1, w2, b2):
    """Divides by N, the batch size, where the mean runs over all N·k entries."""
    h, a, z = _forward(x, w1, b1, w2, b2)
    dz = 2 * (z - y) / len(x)
    dh = (dz @ w2) * (h > 0)
    return dh.T @ x, dh.sum(0), dz.T @ a, dz.sum(0)


@wrong("mlp-backward", fails="small batch")
def mlp_backward_without_the_relu_mask(x, y, w1, b1, w2, b2):
    """Backpropagates through the ReLU as if it were the identity."""
    _, a, z = _forward(x, w1, b1, w2, b2)
    dz = 2 * (z - y) / y.numel()
    dh = dz @ w2
    return dh.T @ x, dh.sum(0), dz.T @ a, dz.sum(0)


@wrong("mlp-backward", fails="ReLU input exactly 0")
def mlp_backward_relu_derivative_1_at_0(x, y, w1, b1, w2, b2):
    """Masks with h >= 0: relu'(0) = 1, where autograd takes 0."""
    h, a, z = _forward(x, w1, b1, w2, b2)
    dz = 2 * (z - y) / y.numel()
    dh = (dz @ w2) * (h >= 0)
    return dh.T @ x, dh.sum(0), dz.T @ a, dz.sum(0)


@wrong("mlp-backward", fails="batch of one")
def mlp_backward_squeezed(x, y, w1, b1, w2, b2):
    """Squeezes the upstream gradients before summing them for the biases: squeeze() drops every axis of
    size 1, the batch axis too when N = 1, and the bias gradients come out as single numbers."""
    h, a, z = _forward(x, w1, b1, w2, b2)
    dz = 2 * (z - y) / y.numel()
    dh = (dz @ w2) * (h > 0)
    return dh.T @ x, dh.squeeze().sum(0), dz.T @ a, dz.squeeze().sum(0)


@wrong("mlp-backward", fails="small batch")
def mlp_backward_by_autograd(x, y, w1, b1, w2, b2):
    """Lets autograd do it: the drill asks for the chain rule, and runs the function under no_grad."""
    params = [p.clone().requires_grad_(True) for p in (w1, b1, w2, b2)]
    _, _, z = _forward(x, *params)
    ((z - y) ** 2).mean().backward()
    return tuple(p.grad for p in params)
