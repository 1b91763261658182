"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.activations."""

import torch

from tests.drill.coding.wrong import wrong


@wrong("softmax", fails="large logits")
def softmax_without_max(x, dim=-1):
    """The textbook formula as written: exp overflows for logits near 1000."""
    e = torch.exp(x)
    return e / e.sum(dim, keepdim=True)


@wrong("softmax", fails="another axis")
def softmax_last_axis_only(x, dim=-1):
    """Ignores `dim`: normalizes over the last axis whatever was asked."""
    z = x - x.max(-1, keepdim=True).values
    e = torch.exp(z)
    return e / e.sum(-1, keepdim=True)


@wrong("softmax", fails="small logits")
def softmax_in_float32(x, dim=-1):
    """Right formula, computed in float32: seven digits, not the twelve asked for."""
    return torch.softmax(x.float(), dim).to(x.dtype)


@wrong("softmax", fails="rows far apart")
def softmax_global_max(x, dim=-1):
    """Subtracts the max of the whole tensor: a row 2000 below the top one underflows to 0/0."""
    e = torch.exp(x - x.max())
    return e / e.sum(dim, keepdim=True)


# --- log-softmax-cross-entropy ------------------------------------------------------------------------------


@wrong("log-softmax-cross-entropy", fails="large logits")
def cross_entropy_naive(logits, targets):
    """The formula as written: exp(1000) is inf, and inf / inf is NaN."""
    p = torch.exp(logits) / torch.exp(logits).sum(1, keepdim=True)
    return -torch.log(p[torch.arange(len(targets)), targets]).mean()


@wrong("log-softmax-cross-entropy", fails="target logit 1000 below")
def cross_entropy_log_of_softmax(logits, targets):
    """A stable softmax, then its log: a target probability of e^-1000 is 0, and log(0) = -inf."""
    p = torch.softmax(logits, dim=1)
    return -torch.log(p[torch.arange(len(targets)), targets]).mean()


@wrong("log-softmax-cross-entropy", fails="small logits")
def cross_entropy_sum(logits, targets):
    """Sums the per-sample losses instead of averaging them."""
    log_p = torch.log_softmax(logits, dim=1)
    return -log_p[torch.arange(len(targets)), targets].sum()


@wrong("log-softmax-cross-entropy", fails="small logits")
def cross_entropy_over_the_batch_axis(logits, targets):
    """Normalizes over dim 0, the samples, instead of the classes."""
    log_p = torch.log_softmax(logits, dim=0)
    return -log_p[torch.arange(len(targets)), targets].mean()


@wrong("log-softmax-cross-entropy", fails="small logits")
def cross_entropy_mean_over_all_entries(logits, targets):
    """One-hot times log-probabilities, then .mean() over all N·C entries: divides by N·C, not N."""
    one_hot = torch.nn.functional.one_hot(targets, logits.shape[1]).to(logits.dtype)
    return -(one_hot * torch.log_softmax(logits, dim=1)).mean()


# --- sigmoid ------------------------------------------------------------------------------------------------


@wrong("sigmoid", fails="x = ±1000")
def sigmoid_exp_over_one_plus_exp(x):
    """exp(x) / (1 + exp(x)): inf / inf = NaN at x = 1000."""
    e = torch.exp(x)
    return e / (1 + e)


@wrong("sigmoid", fails="gradient in the tails")
def sigmoid_textbook(x):
    """1 / (1 + exp(-x)): the value at -1000 is right (1/inf = 0) but the gradient is 0 · inf = NaN."""
    return 1 / (1 + torch.exp(-x))


@wrong("sigmoid", fails="gradient in the tails")
def sigmoid_where_without_clamps(x):
    """Picks the safe formula per sign with torch.where, but both branches are computed everywhere: the
    discarded one overflows, and its NaN gradient leaks through where's backward (0 · inf)."""
    return torch.where(x >= 0, 1 / (1 + torch.exp(-x)), torch.exp(x) / (1 + torch.exp(x)))


@wrong("sigmoid", fails="moderate inputs")
def sigmoid_in_float32(x):
    """Right formula, computed in float32: seven digits, not the twelve asked for."""
    return torch.sigmoid(x.float()).to(x.dtype)


# --- sigmoid-derivative -------------------------------------------------------------------------------------


@wrong("sigmoid-derivative", fails="x = ±1000")
def sigmoid_derivative_quotient_rule(x):
    """e^{-x} / (1 + e^{-x})², straight from the quotient rule: inf / inf = NaN at x = -1000."""
    e = torch.exp(-x)
    return e / (1 + e) ** 2


@wrong("sigmoid-derivative", fails="x = ±1000")
def sigmoid_derivative_unstable_sigmoid(x):
    """σ(1 - σ) with σ = e^x / (1 + e^x): NaN at x = 1000."""
    s = torch.exp(x) / (1 + torch.exp(x))
    return s * (1 - s)


@wrong("sigmoid-derivative", fails="moderate inputs")
def sigmoid_derivative_of_tanh(x):
    """1 - σ², the derivative of tanh written with σ."""
    s = torch.sigmoid(x)
    return 1 - s**2
