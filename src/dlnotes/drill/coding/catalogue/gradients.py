"""Drills of the chapter book/training/gradients.md.

Besides the drills, the module holds :func:`mlp_backward`, the hand-written backward pass that the drill
``mlp-backward`` shows as its solution (the package itself leaves backpropagation to autograd).
"""

from __future__ import annotations

import torch

from dlnotes import optim
from dlnotes.drill.coding import Case, drill, randn

__all__ = ["mlp_backward"]

GRADIENTS = "book/training/gradients"


# ---------------------------------------------------------------------------------------------------------
# clip-grad-norm


def _clip_run(fn, grads, max_norm):
    """Give parameters these gradients, call ``fn(parameters, max_norm)``, return the norm and the grads."""
    parameters = []
    for grad in grads:
        p = torch.zeros_like(grad, requires_grad=True)
        p.grad = grad.clone()
        parameters.append(p)
    total_norm = fn(parameters, max_norm)
    return total_norm, [p.grad for p in parameters]


@drill(
    name="clip-grad-norm",
    title="Clip gradients by their global norm",
    chapter=GRADIENTS,
    difficulty="easy",
    minutes=10,
    statement=r"""
Treat the `.grad` of all `parameters` as one vector $g$, compute its 2-norm $\lVert g \rVert$, and scale every
gradient in place by $\min\big(1, \text{max\_norm} / (\lVert g \rVert + 10^{-6})\big)$; return
$\lVert g \rVert$ from before the clipping, as `torch.nn.utils.clip_grad_norm_` does. One global norm, not
one per tensor; gradients already shorter than `max_norm` are left as they are; an all-zero gradient
stays zero, with no NaN. Compared (the norm and every `.grad` after) with torch to 1e-12.
""",
    starter='''
def clip_grad_norm_(parameters: list[torch.Tensor], max_norm: float) -> torch.Tensor:
    """Scale the parameters' .grad in place to a global 2-norm <= max_norm; return the norm before."""
''',
    reference=lambda parameters, max_norm: optim.clip_grad_norm_(parameters, max_norm),
    solution="dlnotes.optim.clip.clip_grad_norm_",
    rtol=1e-12,
    atol=1e-15,
)
def _clip_cases(g):
    yield Case(
        "one tensor, clipped",
        "one parameter, .grad 5×3 float64, N(0, 100); max_norm=1",
        args=([randn(g, 5, 3, scale=10)], 1.0),
        run=_clip_run,
    )
    several = [randn(g, 4, 4), randn(g, 4), randn(g, 2, 3)]
    several = [t * (norm / t.norm()) for t, norm in zip(several, (1.5, 1.2, 1.0))]
    yield Case(
        "several tensors",
        "three parameters, .grad 4×4, 4 and 2×3 float64 of norms 1.5, 1.2 and 1 (2.17 together); max_norm=2",
        args=(several, 2.0),
        run=_clip_run,
        hint="one norm over all gradients together, sqrt(Σ_t ‖g_t‖²), and one factor for all of them",
    )
    yield Case(
        "norm below max_norm",
        "two parameters, .grad 3×2 and 2 float64, N(0, 0.01); max_norm=5",
        args=([randn(g, 3, 2, scale=0.1), randn(g, 2, scale=0.1)], 5.0),
        run=_clip_run,
        hint="clipping only shortens: the factor is min(1, max_norm / (norm + 1e-6)), never above 1",
    )
    yield Case(
        "zero gradient",
        "two parameters, .grad all zeros (3 and 2×2 float64); max_norm=1",
        args=([torch.zeros(3, dtype=torch.float64), torch.zeros(2, 2, dtype=torch.float64)], 1.0),
        run=_clip_run,
        hint="with a norm of 0, g / ‖g‖ is 0/0 = NaN and max_norm / ‖g‖ divides by zero: the 1e-6 and the "
        "min(1, ·) keep the zeros as they are",
    )
    yield Case(
        "many tensors, clipped",
        "four parameters, .grad 8×8, 8, 8×2 and 2 float64, N(0, 1); max_norm=2.5",
        args=([randn(g, 8, 8), randn(g, 8), randn(g, 8, 2), randn(g, 2)], 2.5),
        run=_clip_run,
    )


# ---------------------------------------------------------------------------------------------------------
# mlp-backward


def mlp_backward(
    x: torch.Tensor,
    y: torch.Tensor,
    w1: torch.Tensor,
    b1: torch.Tensor,
    w2: torch.Tensor,
    b2: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""The gradients of a two-layer ReLU network's mean squared error, by hand (no autograd).

    The network and its loss, with weights stored as ``nn.Linear`` stores them (out, in):

    .. math::

        h = x W_1^\top + b_1, \quad a = \max(h, 0), \quad z = a W_2^\top + b_2, \quad
        L = \frac{1}{N k} \sum_{i, j} (z_{ij} - y_{ij})^2 .

    The chain rule, layer by layer from the loss back (:math:`\odot` the elementwise product):

    .. math::

        \frac{\partial L}{\partial z} = \frac{2 (z - y)}{N k}, \quad
        \frac{\partial L}{\partial W_2} = \Big(\frac{\partial L}{\partial z}\Big)^{\!\top} a, \quad
        \frac{\partial L}{\partial b_2} = \sum_i \frac{\partial L}{\partial z_i}, \quad
        \frac{\partial L}{\partial h} = \frac{\partial L}{\partial z} W_2 \odot \mathbb{1}[h > 0],

    and the same two products for :math:`W_1` and :math:`b_1` with :math:`\partial L / \partial h` and
    :math:`x`. The ReLU's derivative at exactly 0 is taken as 0, autograd's convention.

    Parameters
    ----------
    x : torch.Tensor
        Inputs, shape :math:`(N, d)`.
    y : torch.Tensor
        Targets, shape :math:`(N, k)`.
    w1, b1 : torch.Tensor
        First layer, shapes :math:`(H, d)` and :math:`(H,)`.
    w2, b2 : torch.Tensor
        Second layer, shapes :math:`(k, H)` and :math:`(k,)`.

    Returns
    -------
    tuple of torch.Tensor
        ``(dw1, db1, dw2, db2)``, the gradients of :math:`L`, each of its parameter's shape.

    Examples
    --------
    >>> import torch
    >>> x, y = torch.tensor([[1.0, -2.0]]), torch.tensor([[0.5]])
    >>> w1, b1 = torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.zeros(2)
    >>> w2, b2 = torch.tensor([[2.0, 3.0]]), torch.zeros(1)
    >>> dw1, db1, dw2, db2 = mlp_backward(x, y, w1, b1, w2, b2)  # h = (1, -2): unit 2 is off
    >>> dw2, db2  # dL/dz = 2 (2 - 0.5) = 3, times a = (1, 0)
    (tensor([[3., 0.]]), tensor([3.]))
    >>> db1  # 3 · W_2, masked by h > 0
    tensor([6., 0.])
    """
    n, k = y.shape
    # forward: h = x W₁ᵀ + b₁, a = max(h, 0), z = a W₂ᵀ + b₂
    h = x @ w1.T + b1  # (N, H)
    a = h.clamp(min=0)  # (N, H)
    z = a @ w2.T + b2  # (N, k)
    # ∂L/∂z = 2 (z − y) / (N k)   (the mean runs over all N·k entries)
    dz = 2 * (z - y) / (n * k)  # (N, k)
    # ∂L/∂W₂ = (∂L/∂z)ᵀ a,  ∂L/∂b₂ = Σ_i ∂L/∂z_i
    dw2 = dz.T @ a  # (k, H)
    db2 = dz.sum(0)  # (k,)
    # ∂L/∂h = (∂L/∂z) W₂ ⊙ 1[h > 0]   (relu'(0) = 0, as autograd takes it)
    dh = (dz @ w2) * (h > 0)  # (N, H)
    # ∂L/∂W₁ = (∂L/∂h)ᵀ x,  ∂L/∂b₁ = Σ_i ∂L/∂h_i
    dw1 = dh.T @ x  # (H, d)
    db1 = dh.sum(0)  # (H,)
    return dw1, db1, dw2, db2


def _mlp_backward_autograd(x, y, w1, b1, w2, b2):
    """The drill's reference: the same network's loss differentiated by autograd."""
    with torch.enable_grad():
        params = [p.detach().clone().requires_grad_(True) for p in (w1, b1, w2, b2)]
        w1_, b1_, w2_, b2_ = params
        z = torch.relu(x @ w1_.T + b1_) @ w2_.T + b2_
        loss = torch.nn.functional.mse_loss(z, y)
        return tuple(torch.autograd.grad(loss, params))


def _without_autograd(fn, *args):
    """Call `fn` under ``torch.no_grad()``: a backward pass written by hand does not need autograd."""
    with torch.no_grad():
        try:
            return fn(*args)
        except RuntimeError as err:
            if "does not require grad" not in str(err):
                raise
            raise RuntimeError(
                "autograd is off in this drill (the checker runs under torch.no_grad()): write the "
                "backward pass with the chain rule"
            ) from err


def _mlp_args(g, n, d, hidden, k, *, zero_row=False):
    x = randn(g, n, d)
    y = randn(g, n, k)
    w1 = randn(g, hidden, d, scale=(2 / d) ** 0.5)
    b1 = 0.1 * randn(g, hidden)
    w2 = randn(g, k, hidden, scale=(1 / hidden) ** 0.5)
    b2 = 0.1 * randn(g, k)
    if zero_row:  # zero-initialized first-layer biases and an all-zero input row: h[0] is exactly 0
        x[0] = 0.0
        b1 = torch.zeros(hidden, dtype=torch.float64)
    return x, y, w1, b1, w2, b2


@drill(
    name="mlp-backward",
    title="Backpropagation through a two-layer MLP by hand",
    chapter=GRADIENTS,
    difficulty="medium",
    minutes=20,
    statement=r"""
For $h = x W_1^\top + b_1$, $a = \operatorname{relu}(h)$, $z = a W_2^\top + b_2$ and the mean squared error
$L = \frac{1}{Nk} \sum_{i,j} (z_{ij} - y_{ij})^2$ ($x$ of shape $(N, d)$, $y$ of $(N, k)$, weights stored
$(\text{out}, \text{in})$ as in `nn.Linear`), return $(\partial L/\partial W_1, \partial L/\partial b_1,
\partial L/\partial W_2, \partial L/\partial b_2)$, each of its parameter's shape, written with the chain
rule: the checker runs it under `torch.no_grad()`. Take $\operatorname{relu}'(0) = 0$, as autograd does;
batch size 1 must work. Compared with autograd to 1e-10.
""",
    starter='''
def mlp_backward(x, y, w1, b1, w2, b2):
    """(dL/dw1, dL/db1, dL/dw2, dL/db2) of the MSE of relu(x @ w1.T + b1) @ w2.T + b2 against y."""
''',
    reference=_mlp_backward_autograd,
    solution="dlnotes.drill.coding.catalogue.gradients.mlp_backward",
    rtol=1e-10,
    atol=1e-13,
)
def _mlp_cases(g):
    yield Case(
        "small batch",
        "x: 8×5, y: 8×3, w1: 6×5, b1: 6, w2: 3×6, b2: 3, float64",
        args=_mlp_args(g, 8, 5, 6, 3),
        run=_without_autograd,
        hint="dL/dz = 2 (z - y) / (N·k): the factor 2 of the square, and the mean over all N·k entries",
    )
    yield Case(
        "batch of one",
        "x: 1×4, y: 1×3, w1: 5×4, b1: 5, w2: 3×5, b2: 3, float64",
        args=_mlp_args(g, 1, 4, 5, 3),
        run=_without_autograd,
        hint="keep the batch axis (no squeeze()): the bias gradients sum over axis 0 and keep the "
        "shapes (H,) and (k,)",
    )
    yield Case(
        "ReLU input exactly 0",
        "x: 6×3 with row 0 all zeros, b1 = 0, so h[0] = 0 exactly; y: 6×2; w1: 5×3, w2: 2×5, float64",
        args=_mlp_args(g, 6, 3, 5, 2, zero_row=True),
        run=_without_autograd,
        hint="autograd takes relu'(0) = 0: mask with h > 0, not h >= 0",
    )
    yield Case(
        "one output",
        "x: 10×4, y: 10×1, w1: 7×4, b1: 7, w2: 1×7, b2: 1, float64",
        args=_mlp_args(g, 10, 4, 7, 1),
        run=_without_autograd,
    )
    yield Case(
        "wide hidden layer",
        "x: 16×4, y: 16×2, w1: 32×4, b1: 32, w2: 2×32, b2: 2, float64",
        args=_mlp_args(g, 16, 4, 32, 2),
        run=_without_autograd,
    )
