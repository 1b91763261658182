"""Drills of the chapter book/foundations/gradient-descent.md.

The package has no function for these two tasks (its optimizers take gradients from autograd), so the
hand-written answers live here, as public functions that the chapter shows and checks: the drills' references
compute the same things with autograd, independently.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from dlnotes.drill.coding import Case, drill, randn

__all__ = ["minibatch_sgd_epoch", "numerical_gradient"]

GRADIENT_DESCENT = "book/foundations/gradient-descent"


# --- numerical-gradient -----------------------------------------------------------------------------------


def numerical_gradient(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, h: float) -> torch.Tensor:
    r"""Central-difference gradient of a scalar function, one coordinate at a time.

    .. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    The error is :math:`O(h^2)` (the even terms of the Taylor series cancel), against :math:`O(h)` for the
    forward difference :math:`(f(x + h e_i) - f(x)) / h`; it costs :math:`2n` evaluations of `f` for
    :math:`n` entries, where backpropagation costs about one extra pass.

    Parameters
    ----------
    f : callable
        A scalar function of a tensor of `x`'s shape (returns a 0-d tensor or a number).
    x : torch.Tensor
        The point, any shape (0-d included); left as it was.
    h : float
        The step, e.g. 1e-5 in float64.

    Returns
    -------
    torch.Tensor
        The gradient estimate, of `x`'s shape and dtype.

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    >>> f = lambda v: (v**3).sum()  # gradient 3 v²
    >>> torch.allclose(numerical_gradient(f, x, 1e-5), 3 * x**2, rtol=1e-9)
    True
    """
    grad = torch.zeros_like(x)
    point = x.detach().clone()
    flat, grad_flat = point.view(-1), grad.view(-1)  # views: writing flat[i] moves `point`
    for i in range(flat.numel()):
        original = flat[i].item()
        flat[i] = original + h
        f_plus = float(f(point))
        flat[i] = original - h
        f_minus = float(f(point))
        flat[i] = original  # restore the coordinate before the next one
        # ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h
        grad_flat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _autograd_gradient(f, x, h):
    """The exact gradient by backpropagation: what the central difference must approximate."""
    point = x.detach().clone().requires_grad_()
    (grad,) = torch.autograd.grad(f(point), point)
    return grad


@drill(
    name="numerical-gradient",
    title="Gradient check by central differences",
    chapter=GRADIENT_DESCENT,
    difficulty="easy",
    minutes=10,
    statement=r"""
Estimate the gradient of a scalar function `f` at `x` (a float64 tensor of **any shape**, 0-d included)
by central differences, one entry at a time:
$\partial f / \partial x_i \approx (f(x + h e_i) - f(x - h e_i)) / 2h$. Return a tensor of `x`'s shape and
dtype, and leave `x` as it was. The result is compared with the exact gradient from autograd to 1e-8
(relative), which the forward difference $(f(x + h e_i) - f(x))/h$ misses.
""",
    starter='''
def numerical_gradient(f, x: torch.Tensor, h: float) -> torch.Tensor:
    """Central-difference gradient of the scalar function f at x, of x's shape."""
''',
    reference=_autograd_gradient,
    solution="dlnotes.drill.coding.catalogue.gradient_descent.numerical_gradient",
    rtol=1e-8,
    atol=1e-10,
)
def _numerical_gradient(g):
    A = randn(g, 7, 5)
    yield Case(
        "vector input",
        "f(x) = logsumexp(A x) for a fixed 7×5 matrix A; x: 5 float64 N(0, 1); h = 1e-5",
        args=(lambda x: torch.logsumexp(A @ x, 0), randn(g, 5), 1e-5),
        hint="the forward difference is off by about h·f''/2 (1e-5 relative here): subtract f(x − h e_i)",
    )
    yield Case(
        "scalar input",
        "f(x) = exp(x) cos(3x); x: a 0-d float64 tensor, N(0, 1); h = 1e-5",
        args=(lambda x: torch.exp(x) * torch.cos(3 * x), randn(g, 1).reshape(()), 1e-5),
        hint="a 0-d tensor has no len() and no x[0]: loop over x.view(-1) (or x.reshape(-1)) instead",
    )
    inputs, labels = randn(g, 8, 3), torch.randint(0, 4, (8,), generator=g)
    yield Case(
        "matrix input",
        "f(W) = mean cross-entropy of softmax(X W) for fixed X (8×3) and labels; W: 3×4 float64; h = 1e-5",
        args=(lambda W: torch.nn.functional.cross_entropy(inputs @ W, labels), randn(g, 3, 4), 1e-5),
        hint="perturb one entry at a time, every entry of the matrix, and return the gradient in W's shape",
    )
    B = randn(g, 6, 6)
    H = B @ B.T / 6 + torch.eye(6, dtype=torch.float64)
    yield Case(
        "quadratic, h = 1e-4",
        "f(x) = x·H x / 2 + sum(x) for a fixed positive-definite 6×6 H; x: 6 float64 N(0, 4); h = 1e-4",
        args=(lambda x: x @ H @ x / 2 + x.sum(), randn(g, 6, scale=2), 1e-4),
        hint="use the h you are given, and divide by 2h: the two points are 2h apart",
    )


# --- minibatch-sgd-epoch ----------------------------------------------------------------------------------


def minibatch_sgd_epoch(
    X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, order: torch.Tensor, lr: float, batch_size: int
) -> torch.Tensor:
    r"""One epoch of mini-batch SGD on the least-squares loss, with the gradient written by hand.

    The batches are consecutive slices of `order` (the last one may be smaller); on each batch
    :math:`\mathcal{B}` the step is

    .. math::

        \nabla f_{\mathcal{B}}(w) = \frac{1}{\lvert\mathcal{B}\rvert} X_{\mathcal{B}}^\top
        (X_{\mathcal{B}} w - y_{\mathcal{B}}), \qquad w \leftarrow w - \eta\, \nabla f_{\mathcal{B}}(w),

    the gradient of :math:`f_{\mathcal{B}}(w) = \lVert X_{\mathcal{B}} w - y_{\mathcal{B}} \rVert^2 /
    (2\lvert\mathcal{B}\rvert)`. With ``batch_size >= N`` it is one step of full-batch gradient descent.

    Parameters
    ----------
    X, y : torch.Tensor
        The inputs (N, D) and targets (N,).
    w : torch.Tensor
        The weights (D,) at the start of the epoch; not modified.
    order : torch.Tensor
        A permutation of ``range(N)``: the order in which the examples are visited.
    lr : float
        The step size :math:`\eta`.
    batch_size : int
        The number of examples per batch.

    Returns
    -------
    torch.Tensor
        The weights (D,) after the epoch.

    Examples
    --------
    Two examples, one batch: a single gradient-descent step from w = 0.

    >>> import torch
    >>> X, y = torch.tensor([[1.0, 0.0], [0.0, 2.0]]), torch.tensor([1.0, 1.0])
    >>> minibatch_sgd_epoch(X, y, torch.zeros(2), torch.tensor([0, 1]), lr=1.0, batch_size=2)
    tensor([0.5000, 1.0000])
    """
    w = w.clone()
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]  # the last batch may be smaller
        Xb, yb = X[idx], y[idx]
        # ∇f_B(w) = X_Bᵀ (X_B w − y_B) / |B|
        grad = Xb.T @ (Xb @ w - yb) / len(idx)
        # w ← w − η ∇f_B(w)
        w = w - lr * grad
    return w


def _autograd_epoch(X, y, w, order, lr, batch_size):
    """The same epoch with the gradient of each batch's loss from autograd."""
    w = w.detach().clone()
    for batch in torch.split(order, batch_size):
        w.requires_grad_()
        loss = ((X[batch] @ w - y[batch]) ** 2).mean() / 2
        (grad,) = torch.autograd.grad(loss, w)
        w = (w - lr * grad).detach()
    return w


@drill(
    name="minibatch-sgd-epoch",
    title="One epoch of mini-batch SGD on least squares",
    chapter=GRADIENT_DESCENT,
    difficulty="medium",
    minutes=12,
    statement=r"""
Run one epoch of mini-batch SGD on $f_{\mathcal B}(w) = \lVert X_{\mathcal B} w - y_{\mathcal B} \rVert^2 /
(2\lvert\mathcal B\rvert)$, writing the gradient by hand. The batches are consecutive slices of `order`
(`order[0:B]`, `order[B:2B]`, ...), each followed by one step
$w \leftarrow w - \eta \nabla f_{\mathcal B}(w)$. If $N$ is not a multiple of $B$ the last batch is smaller,
and it still counts; $B \ge N$ is one full-batch step. Return the final $w$; compared with autograd's
gradients to 1e-10.
""",
    starter='''
def minibatch_sgd_epoch(
    X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, order: torch.Tensor,
    lr: float, batch_size: int,
) -> torch.Tensor:
    """w (D,) after one epoch of SGD on X (N, D), y (N,), batches sliced from order."""
''',
    reference=_autograd_epoch,
    solution="dlnotes.drill.coding.catalogue.gradient_descent.minibatch_sgd_epoch",
    rtol=1e-10,
    atol=1e-12,
)
def _minibatch_sgd_epoch(g):
    def case(name, description, n, d, lr, batch_size, hint=""):
        X, y, w = randn(g, n, d), randn(g, n), randn(g, d)
        order = torch.randperm(n, generator=g)
        return Case(name, description, args=(X, y, w, order, lr, batch_size), hint=hint)

    yield case(
        "even batches",
        "X: 12×3, y: 12, w: 3 float64 N(0, 1); order: a permutation of 0..11; lr 0.1, batch_size 4",
        12,
        3,
        0.1,
        4,
        hint="batch k is X[order[kB:(k+1)B]], and each step uses the w left by the previous one",
    )
    yield case(
        "last batch smaller",
        "X: 10×3 float64; order: a permutation of 0..9; lr 0.1, batch_size 4 (batches of 4, 4 and 2)",
        10,
        3,
        0.1,
        4,
        hint="the last batch has 2 examples: keep it, and average over its own size, not over batch_size",
    )
    yield case(
        "full batch",
        "X: 8×4 float64; lr 0.3, batch_size 8: one step of full-batch gradient descent",
        8,
        4,
        0.3,
        8,
    )
    yield case(
        "batch size 1",
        "X: 6×2 float64; lr 0.05, batch_size 1: six steps, one example each",
        6,
        2,
        0.05,
        1,
        hint="with one example the gradient is x (x·w − y): no mean over a batch axis to lose",
    )
    yield case(
        "batch larger than the data",
        "X: 5×3 float64; lr 0.2, batch_size 8: one batch of all 5 examples",
        5,
        3,
        0.2,
        8,
        hint="the slice order[0:8] holds 5 examples: divide by 5, the batch's real size",
    )
