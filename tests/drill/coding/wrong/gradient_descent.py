"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.gradient_descent."""

import torch

from tests.drill.coding.wrong import wrong

# --- numerical-gradient -----------------------------------------------------------------------------------


@wrong("numerical-gradient", fails="vector input")
def forward_difference(f, x, h):
    """(f(x + h e_i) − f(x)) / h: an error of order h, not h²."""
    grad = torch.zeros_like(x)
    point, fx = x.clone(), float(f(x))
    for i in range(point.numel()):
        point.view(-1)[i] += h
        grad.view(-1)[i] = (float(f(point)) - fx) / h
        point.view(-1)[i] -= h
    return grad


@wrong("numerical-gradient", fails="vector input")
def central_difference_over_h(f, x, h):
    """The two points are 2h apart, but the difference is divided by h: twice the gradient."""
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        e = torch.zeros_like(x)
        e.view(-1)[i] = h
        grad.view(-1)[i] = (f(x + e) - f(x - e)) / h
    return grad


@wrong("numerical-gradient", fails="vector input")
def central_difference_without_restoring(f, x, h):
    """Perturbs x in place and never puts the entry back: later entries are taken at a moved point."""
    x = x.clone()
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        x.view(-1)[i] += h
        f_plus = float(f(x))
        x.view(-1)[i] -= 2 * h
        grad.view(-1)[i] = (f_plus - float(f(x))) / (2 * h)
    return grad


@wrong("numerical-gradient", fails="scalar input")
def central_difference_by_len(f, x, h):
    """Loops over range(len(x)) and x[i]: fine for a vector, no len() for a 0-d tensor."""
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        e = torch.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


@wrong("numerical-gradient", fails="vector input")
def central_difference_in_a_list(f, x, h):
    """Collects Python floats and rebuilds with torch.tensor: float32 by default, seven digits."""
    values = []
    for i in range(x.numel()):
        e = torch.zeros_like(x)
        e.view(-1)[i] = h
        values.append(float((f(x + e) - f(x - e)) / (2 * h)))
    return torch.tensor(values).reshape(x.shape)


# --- minibatch-sgd-epoch ----------------------------------------------------------------------------------


@wrong("minibatch-sgd-epoch", fails="even batches")
def epoch_ignoring_order(X, y, w, order, lr, batch_size):
    """Slices X in its stored order: the permutation is never used."""
    for start in range(0, len(X), batch_size):
        Xb, yb = X[start : start + batch_size], y[start : start + batch_size]
        w = w - lr * Xb.T @ (Xb @ w - yb) / len(yb)
    return w


@wrong("minibatch-sgd-epoch", fails="even batches")
def epoch_with_a_stale_w(X, y, w, order, lr, batch_size):
    """Computes every batch's gradient at the epoch's starting w, then applies them all."""
    start_w = w.clone()
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        w = w - lr * X[idx].T @ (X[idx] @ start_w - y[idx]) / len(idx)
    return w


@wrong("minibatch-sgd-epoch", fails="last batch smaller")
def epoch_dividing_by_batch_size(X, y, w, order, lr, batch_size):
    """Averages over batch_size, which is wrong for a smaller last batch."""
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        w = w - lr * X[idx].T @ (X[idx] @ w - y[idx]) / batch_size
    return w


@wrong("minibatch-sgd-epoch", fails="last batch smaller")
def epoch_dropping_the_last_batch(X, y, w, order, lr, batch_size):
    """range(N // B) batches: the examples of a partial last batch are never seen."""
    for k in range(len(order) // batch_size):
        idx = order[k * batch_size : (k + 1) * batch_size]
        w = w - lr * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
    return w
