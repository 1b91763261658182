"""dlnotes.nn.losses: cross entropy against torch.nn.functional, segmentation losses against their formulas.

Cross entropy and NLL: every combination of input shape ((C,), (N, C), (N, C, H, W)), target kind (class
indices or class probabilities), class weights, ignored targets, reduction and label smoothing is compared
with ``F.cross_entropy`` on the same inputs, and so are the gradients with respect to the logits and to
probability targets (a random upstream gradient pulled through both with ``torch.autograd.grad``, by
``tests.helpers.assert_same_values_and_grads``). Then the edge cases: every target ignored (torch's mean
is NaN), an empty batch, logits of size 1e4; an invariant under hypothesis; and every documented error.

Segmentation losses: each soft loss is recomputed here with plain NumPy loops over classes from the softmax
probabilities and the one-hot target (independently of the module), then checked on the known cases: a
confident, correct prediction gives loss 0; Tversky with alpha = beta = 0.5 is Dice; J = D / (2 - D) class
by class; focal loss with gamma = 0 is ``F.cross_entropy`` (with ignore_index and class weights); mean IoU
equals sklearn's ``jaccard_score(average="macro")`` and a confusion matrix from ``dlnotes.metrics``. The
losses pass ``torch.autograd.gradcheck``. Every documented error has a test. Runs on CUDA too when
available.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import jaccard_score

from dlnotes import nn
from dlnotes.metrics import confusion_matrix
from dlnotes.nn import losses
from tests.helpers import DEVICES, assert_same_values_and_grads

f64 = torch.float64
C = 5
SHAPES = {"C": (C,), "NC": (7, C), "NCHW": (3, C, 4, 2)}
RTOL = 1e-12

# ---------------------------------------------------------------------------------------------------------
# Cross entropy and NLL loss against torch.


def generator(seed):
    return torch.Generator().manual_seed(seed)


def make_input(shape, device, seed=0, scale=3.0):
    return (scale * torch.randn(shape, generator=generator(seed), dtype=f64)).to(device)


def make_target(shape, kind, device, seed=1, ignore_index=None):
    """Class indices of `shape` without the class axis (a few set to ignore_index), or probabilities."""
    class_dim = 0 if len(shape) == 1 else 1
    if kind == "probs":
        logits = torch.randn(shape, generator=generator(seed), dtype=f64)
        return torch.softmax(logits, dim=class_dim).to(device)
    index_shape = shape[:class_dim] + shape[class_dim + 1 :]
    target = torch.randint(0, C, index_shape, generator=generator(seed))
    if ignore_index is not None:
        # ignore about a third of the positions, but keep at least one (all ignored is tested apart)
        drop = torch.rand(index_shape, generator=generator(seed + 1)) < 1 / 3
        if drop.all():
            drop.view(-1)[0] = False
        target = torch.where(drop, torch.full_like(target, ignore_index), target)
    return target.to(device)


def make_weight(weighted, device, seed=2):
    if not weighted:
        return None
    return (0.1 + torch.rand(C, generator=generator(seed), dtype=f64)).to(device)


def assert_matches_torch(logits, target, **kwargs):
    """cross_entropy's values and gradients (logits, and probability targets) equal torch's to 1e-10."""
    assert_same_values_and_grads(
        lambda x, t: nn.cross_entropy(x, t, **kwargs),
        lambda x, t: F.cross_entropy(x, t, **kwargs),
        [logits, target],
        rtol=1e-10,
        atol=1e-12,
    )


def cases():
    for shape in SHAPES:
        for kind in ("index", "probs"):
            ignores = [None, -100, 2] if kind == "index" else [None]
            for ignore_index in ignores:
                yield pytest.param(shape, kind, ignore_index, id=f"{shape}-{kind}-ignore{ignore_index}")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("shape", "kind", "ignore_index"), list(cases()))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.5])
def test_cross_entropy_matches_torch(device, shape, kind, ignore_index, weighted, reduction, label_smoothing):
    logits = make_input(SHAPES[shape], device)
    target = make_target(SHAPES[shape], kind, device, ignore_index=ignore_index)
    kwargs = {
        "weight": make_weight(weighted, device),
        "reduction": reduction,
        "label_smoothing": label_smoothing,
    }
    if ignore_index is not None:
        kwargs["ignore_index"] = ignore_index
    assert_matches_torch(logits, target, **kwargs)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ignore_index", [-100, 2])
def test_nll_loss_matches_torch(device, shape, weighted, reduction, ignore_index):
    log_probs = torch.log_softmax(make_input(SHAPES[shape], device), dim=0 if shape == "C" else 1)
    target = make_target(SHAPES[shape], "index", device, ignore_index=ignore_index)
    kwargs = {"weight": make_weight(weighted, device), "reduction": reduction, "ignore_index": ignore_index}
    assert_same_values_and_grads(
        lambda x, t: nn.nll_loss(x, t, **kwargs),
        lambda x, t: F.nll_loss(x, t, **kwargs),
        [log_probs, target],
        rtol=1e-10,
        atol=1e-12,
    )


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_all_targets_ignored(device, shape, weighted, reduction, label_smoothing):
    """torch's mean is 0/0 = NaN, its sum 0, and 'none' all zeros: ours too."""
    logits = make_input(SHAPES[shape], device)
    target = make_target(SHAPES[shape], "index", device).fill_(-100)
    kwargs = {
        "weight": make_weight(weighted, device),
        "reduction": reduction,
        "label_smoothing": label_smoothing,
    }
    ours = nn.cross_entropy(logits, target, **kwargs)
    theirs = F.cross_entropy(logits, target, **kwargs)
    assert ours.isnan().all() == (reduction == "mean")
    torch.testing.assert_close(ours, theirs, equal_nan=True)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", ["index", "probs"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_empty_batch(device, kind, reduction):
    logits = make_input((0, C), device)
    target = make_target((0, C), kind, device)
    ours = nn.cross_entropy(logits, target, reduction=reduction)
    theirs = F.cross_entropy(logits, target, reduction=reduction)
    torch.testing.assert_close(ours, theirs, equal_nan=True)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", ["index", "probs"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.5])
def test_extreme_logits_stay_finite(device, kind, label_smoothing):
    """Logits of size 1e4: softmax underflows to exact zeros, the loss does not."""
    logits = make_input((6, C), device, scale=1e4)
    target = make_target((6, C), kind, device)
    weight = make_weight(True, device)
    naive = -torch.log(torch.softmax(logits, dim=1))
    assert torch.isinf(naive).any()  # the test would be vacuous without underflow
    for reduction in ("mean", "none"):
        out = nn.cross_entropy(logits, target, weight, reduction=reduction, label_smoothing=label_smoothing)
        assert torch.isfinite(out).all()
        assert_matches_torch(
            logits, target, weight=weight, reduction=reduction, label_smoothing=label_smoothing
        )


@settings(max_examples=40, deadline=None)
@given(
    shift=st.floats(-1e3, 1e3),
    seed=st.integers(0, 2**16),
    label_smoothing=st.sampled_from([0.0, 0.1, 0.5]),
    kind=st.sampled_from(["index", "probs"]),
)
def test_shifting_a_row_of_logits_changes_nothing(shift, seed, label_smoothing, kind):
    """softmax(x + c) = softmax(x): adding a constant to every logit of one position leaves its loss."""
    logits = make_input((4, C, 3), "cpu", seed=seed)
    target = make_target((4, C, 3), kind, "cpu", seed=seed + 1)
    weight = make_weight(True, "cpu", seed=seed + 2)
    shifted = logits.clone()
    shifted[1, :, 2] += shift
    kwargs = {"weight": weight, "reduction": "none", "label_smoothing": label_smoothing}
    torch.testing.assert_close(
        nn.cross_entropy(shifted, target, **kwargs),
        nn.cross_entropy(logits, target, **kwargs),
        rtol=1e-9,
        atol=1e-9,
    )


def test_uint8_targets_are_class_indices():
    logits = make_input((7, C), "cpu")
    target = make_target((7, C), "index", "cpu").to(torch.uint8)
    torch.testing.assert_close(nn.cross_entropy(logits, target), F.cross_entropy(logits, target))


# ---------------------------------------------------------------------------------------------------------
# Cross entropy and NLL loss errors: one per documented case, with torch raising for the same input where
# it does.

X = make_input((3, C), "cpu")
Y = torch.tensor([0, 1, 2])
P = torch.softmax(X, dim=1)

ERRORS = [
    ("input not a tensor", lambda f: f(X.tolist(), Y), TypeError, "input must be a torch.Tensor"),
    ("integer input", lambda f: f(X.long(), Y), TypeError, "input must be a floating-point"),
    ("0-d input", lambda f: f(torch.tensor(1.0, dtype=f64), torch.tensor(0)), ValueError, "got a 0-d tensor"),
    ("target not a tensor", lambda f: f(X, [0, 1, 2]), TypeError, "target must be a torch.Tensor"),
    ("int32 targets", lambda f: f(X, Y.int()), TypeError, "must have dtype torch.int64"),
    ("float class indices", lambda f: f(X, Y.double()), TypeError, "must have dtype torch.int64"),
    ("batch size mismatch", lambda f: f(X, Y[:2]), ValueError, r"without its class axis, \(3,\)"),
    ("extra target axis", lambda f: f(X, Y.view(3, 1)), ValueError, r"got shape \(3, 1\)"),
    (
        "target too large",
        lambda f: f(X, torch.tensor([0, 1, C])),
        ValueError,
        rf"in \[0, {C}\) or ignore_index=-100, got {C}",
    ),
    ("negative target", lambda f: f(X, torch.tensor([0, -1, 2])), ValueError, "got -1"),
    (
        "weight shape",
        lambda f: f(X, Y, torch.ones(C - 1, dtype=f64)),
        ValueError,
        r"weight must have shape \(C,\) = \(5,\)",
    ),
    ("weight dtype", lambda f: f(X, Y, torch.ones(C)), TypeError, "weight must have the input's dtype"),
    (
        "integer weight",
        lambda f: f(X, Y, torch.ones(C, dtype=torch.long)),
        TypeError,
        "weight must be a floating-point",
    ),
    ("bad reduction", lambda f: f(X, Y, reduction="avg"), ValueError, r"reduction must be one of \('none'"),
]

CE_ERRORS = [
    ("integer probabilities", lambda f: f(X, P.long()), TypeError, "holds class probabilities"),
    (
        "ignore_index with probabilities",
        lambda f: f(X, P, ignore_index=1),
        ValueError,
        "class-index targets only",
    ),
    (
        "label_smoothing > 1",
        lambda f: f(X, Y, label_smoothing=1.5),
        ValueError,
        r"label_smoothing must be in \[0, 1\], got 1.5",
    ),
    (
        "label_smoothing > 1 with probabilities",
        lambda f: f(X, P, label_smoothing=1.5),
        ValueError,
        "label_smoothing must be in",
    ),
]


OURS_ONLY = [
    (
        "label_smoothing < 0",
        lambda f: f(X, Y, label_smoothing=-0.1),
        ValueError,
        "label_smoothing must be in",
    ),
    (
        "label_smoothing as a bool",
        lambda f: f(X, Y, label_smoothing=True),
        TypeError,
        "label_smoothing must be a real number, got bool",
    ),
    (
        "ignore_index not an int",
        lambda f: f(X, Y, ignore_index=1.0),
        TypeError,
        "ignore_index must be an int, got float",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "error", "match"), ERRORS + CE_ERRORS, ids=[e[0] for e in ERRORS + CE_ERRORS]
)
def test_cross_entropy_errors(name, call, error, match):
    with pytest.raises(error, match=match):
        call(nn.cross_entropy)
    with pytest.raises(Exception):  # noqa: B017, PT011 (torch raises RuntimeError, IndexError, ...)
        call(F.cross_entropy)


@pytest.mark.parametrize(("name", "call", "error", "match"), OURS_ONLY, ids=[e[0] for e in OURS_ONLY])
def test_cross_entropy_errors_where_torch_is_lenient(name, call, error, match):
    with pytest.raises(error, match=match):
        call(nn.cross_entropy)


@pytest.mark.parametrize(("name", "call", "error", "match"), ERRORS, ids=[e[0] for e in ERRORS])
def test_nll_loss_errors(name, call, error, match):
    with pytest.raises(error, match=match):
        call(nn.nll_loss)


def test_out_of_range_target_on_the_device_raises_before_indexing():
    """On CUDA torch's kernel asserts on the device; our check runs first and raises a ValueError."""
    for device in DEVICES:
        with pytest.raises(ValueError, match="got 7"):
            nn.cross_entropy(X.to(device), torch.tensor([0, 7, 1], device=device))


# ---------------------------------------------------------------------------------------------------------
# Segmentation losses: soft Dice, Jaccard and Tversky, focal loss; mean IoU.


def make(seed, n=2, c=3, h=4, w=5, device="cpu", scale=2.0):
    gen = torch.Generator().manual_seed(seed)
    logits = scale * torch.randn(n, c, h, w, generator=gen, dtype=torch.float64)
    target = torch.randint(0, c, (n, h, w), generator=gen)
    return logits.to(device), target.to(device)


def softmax_np(logits):
    z = logits - logits.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def soft_sums_np(logits, target):
    """I_c, P_c, G_c by a loop over classes, summed over images and pixels."""
    logits, target = logits.cpu().numpy(), target.cpu().numpy()
    p = softmax_np(logits)
    c = logits.shape[1]
    inter, psum, gsum = np.zeros(c), np.zeros(c), np.zeros(c)
    for k in range(c):
        g = (target == k).astype(float)
        inter[k] = (p[:, k] * g).sum()
        psum[k] = p[:, k].sum()
        gsum[k] = g.sum()
    return inter, psum, gsum


def dice_np(logits, target, eps):
    i, p, g = soft_sums_np(logits, target)
    return 1 - (2 * i + eps) / (p + g + eps)


def jaccard_np(logits, target, eps):
    i, p, g = soft_sums_np(logits, target)
    return 1 - (i + eps) / (p + g - i + eps)


def tversky_np(logits, target, alpha, beta, eps):
    logits_np, target_np = logits.cpu().numpy(), target.cpu().numpy()
    p = softmax_np(logits_np)
    out = []
    for k in range(logits_np.shape[1]):
        g = (target_np == k).astype(float)
        tp, fp, fn = (p[:, k] * g).sum(), (p[:, k] * (1 - g)).sum(), ((1 - p[:, k]) * g).sum()
        out.append(1 - (tp + eps) / (tp + alpha * fp + beta * fn + eps))
    return np.array(out)


def focal_np(logits, target, gamma, alpha, ignore_index):
    """Loop over pixels: -alpha_t (1 - p_t)^gamma log p_t, mean (weighted by alpha_t for a tensor)."""
    logits_np, target_np = logits.cpu().numpy(), target.cpu().numpy()
    p = softmax_np(logits_np)
    total, norm = 0.0, 0.0
    n, _, h, w = logits_np.shape
    for i in range(n):
        for y in range(h):
            for x in range(w):
                t = target_np[i, y, x]
                if t == ignore_index:
                    continue
                if alpha is None:
                    a = 1.0
                elif isinstance(alpha, float):
                    a = alpha if t != 0 else 1 - alpha
                else:
                    a = float(alpha[t])
                pt = p[i, t, y, x]
                total += -a * (1 - pt) ** gamma * np.log(pt)
                norm += a if isinstance(alpha, torch.Tensor) else 1.0
    return total / norm


def close(ours, expected, rtol=RTOL):
    np.testing.assert_allclose(ours.detach().cpu().numpy(), expected, rtol=rtol, atol=1e-14)


# ---------------------------------------------------------------------------------------------------------
# Segmentation losses: the formulas, evaluated independently.


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("eps", [0.0, 1e-3, 1.0])
def test_soft_losses_match_formulas(seed, eps, device):
    logits, target = make(seed, c=2 + seed, device=device)
    per_dice, per_jac = dice_np(logits, target, eps), jaccard_np(logits, target, eps)
    close(losses.dice_loss(logits, target, eps=eps), per_dice.mean())
    close(losses.dice_loss(logits, target, eps=eps, per_class=True), per_dice)
    close(losses.jaccard_loss(logits, target, eps=eps), per_jac.mean())
    close(losses.jaccard_loss(logits, target, eps=eps, per_class=True), per_jac)
    for alpha, beta in [(0.5, 0.5), (0.3, 0.7), (0.9, 0.1), (1.0, 1.0)]:
        expected = tversky_np(logits, target, alpha, beta, eps)
        close(losses.tversky_loss(logits, target, alpha=alpha, beta=beta, eps=eps), expected.mean())
        close(losses.tversky_loss(logits, target, alpha=alpha, beta=beta, eps=eps, per_class=True), expected)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("alpha", [None, 0.25, 0.3, "tensor"])
def test_focal_matches_formula(seed, gamma, alpha, device):
    logits, target = make(seed, device=device)
    target[0, 0, :3] = -100
    if alpha == "tensor":
        alpha = torch.tensor([0.2, 1.0, 3.0], dtype=torch.float64, device=device)
    ours = losses.focal_loss(logits, target, gamma=gamma, alpha=alpha)
    close(ours, focal_np(logits, target, gamma, alpha, -100))


# ---------------------------------------------------------------------------------------------------------
# Segmentation losses: known cases.


@pytest.mark.parametrize("device", DEVICES)
def test_perfect_prediction(device):
    _, target = make(0, c=4, device=device)
    logits = 40.0 * F.one_hot(target, 4).permute(0, 3, 1, 2).to(torch.float64)  # p_t = 1 - 3e^-40
    for fn in (losses.dice_loss, losses.jaccard_loss, losses.tversky_loss):
        assert fn(logits, target).item() == pytest.approx(0.0, abs=1e-12)
        assert fn(logits, target, eps=0.0).item() == pytest.approx(0.0, abs=1e-12)
    assert losses.focal_loss(logits, target).item() == pytest.approx(0.0, abs=1e-12)
    assert losses.mean_iou(logits.argmax(1), target, num_classes=4).item() == 1.0
    # and the opposite: every pixel confidently wrong gives Dice and Jaccard loss 1 (eps = 0)
    wrong = 40.0 * F.one_hot((target + 1) % 4, 4).permute(0, 3, 1, 2).to(torch.float64)
    assert losses.dice_loss(wrong, target, eps=0.0).item() == pytest.approx(1.0, abs=1e-12)
    assert losses.mean_iou(wrong.argmax(1), target, num_classes=4).item() == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_tversky_half_is_dice(seed):
    logits, target = make(seed)
    torch.testing.assert_close(
        losses.tversky_loss(logits, target, eps=0.0),
        losses.dice_loss(logits, target, eps=0.0),
        rtol=RTOL,
        atol=0,
    )
    # with smoothing, (I + eps) / ((P + G) / 2 + eps) is Dice with 2 eps
    torch.testing.assert_close(
        losses.tversky_loss(logits, target, eps=0.5),
        losses.dice_loss(logits, target, eps=1.0),
        rtol=RTOL,
        atol=0,
    )
    torch.testing.assert_close(
        losses.tversky_loss(logits, target, alpha=1.0, beta=1.0, eps=1.0),
        losses.jaccard_loss(logits, target, eps=1.0),
        rtol=RTOL,
        atol=0,
    )


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("hard", [True, False])
def test_jaccard_from_dice(seed, hard):
    logits, target = make(seed, c=4)
    if hard:  # hard predictions: one-hot argmax scaled so that softmax is 0/1 to 1e-17
        logits = 40.0 * F.one_hot(logits.argmax(1), 4).permute(0, 3, 1, 2).to(torch.float64)
    d = 1 - losses.dice_loss(logits, target, eps=0.0, per_class=True)
    j = 1 - losses.jaccard_loss(logits, target, eps=0.0, per_class=True)
    torch.testing.assert_close(j, d / (2 - d), rtol=1e-12, atol=1e-15)
    if hard:  # and the hard Jaccard index is the IoU of the argmax
        iou = losses.mean_iou(logits.argmax(1), target, num_classes=4, per_class=True)
        present = ~torch.isnan(iou)
        torch.testing.assert_close(j[present], iou[present], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("ignore_index", [-100, 1, 255])
def test_focal_gamma0_is_cross_entropy(seed, ignore_index, device):
    logits, target = make(seed, c=3, device=device)
    target[target == 2] = ignore_index if ignore_index != 1 else 2
    if ignore_index != 1:
        target[0, :2] = ignore_index
    ours = losses.focal_loss(logits, target, gamma=0.0, ignore_index=ignore_index)
    ref = F.cross_entropy(logits, target, ignore_index=ignore_index)
    torch.testing.assert_close(ours, ref, rtol=RTOL, atol=0)
    weight = torch.tensor([0.3, 2.0, 1.1], dtype=torch.float64, device=device)
    ours_w = losses.focal_loss(logits, target, gamma=0.0, alpha=weight, ignore_index=ignore_index)
    ref_w = F.cross_entropy(logits, target, weight=weight, ignore_index=ignore_index)
    torch.testing.assert_close(ours_w, ref_w, rtol=RTOL, atol=0)
    # a float alpha is the weight vector (1 - a, a, a) with a plain mean over pixels
    unreduced = F.cross_entropy(
        logits,
        target,
        ignore_index=ignore_index,
        reduction="none",
        weight=torch.tensor([0.75, 0.25, 0.25], dtype=torch.float64, device=device),
    )
    kept = (target != ignore_index).sum()
    ours_a = losses.focal_loss(logits, target, gamma=0.0, alpha=0.25, ignore_index=ignore_index)
    torch.testing.assert_close(ours_a, unreduced.sum() / kept, rtol=RTOL, atol=0)


def test_focal_down_weights_easy_pixels():
    logits, target = make(0)
    values = [losses.focal_loss(logits, target, gamma=g).item() for g in [0.0, 0.5, 1.0, 2.0, 5.0]]
    assert all(a > b for a, b in zip(values, values[1:]))
    everything_ignored = torch.full_like(target, -100)
    assert torch.isnan(losses.focal_loss(logits, everything_ignored))
    assert torch.isnan(F.cross_entropy(logits, everything_ignored))


# ---------------------------------------------------------------------------------------------------------
# Mean IoU.


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ignore_index", [None, 255, 0])
def test_mean_iou_matches_sklearn(seed, ignore_index, device):
    gen = torch.Generator().manual_seed(seed)
    c = 5
    pred = torch.randint(0, c - 1, (2, 6, 7), generator=gen)  # class 4 never predicted
    target = torch.randint(0, c - 2, (2, 6, 7), generator=gen)  # classes 3, 4 never true
    if seed % 2:
        pred[pred == 3] = 0  # class 3 absent from both: left out of the mean
    if ignore_index is not None:
        target[:, :2] = ignore_index
    pred, target = pred.to(device), target.to(device)
    ours = losses.mean_iou(pred, target, num_classes=c, ignore_index=ignore_index)
    t, p = target.cpu().numpy().ravel(), pred.cpu().numpy().ravel()
    keep = t != ignore_index if ignore_index is not None else np.ones_like(t, dtype=bool)
    assert ours.item() == pytest.approx(jaccard_score(t[keep], p[keep], average="macro"), rel=RTOL)
    # per class from a confusion matrix over all C labels
    cm = confusion_matrix(t[keep], p[keep], labels=np.arange(c)).astype(float)
    union = cm.sum(0) + cm.sum(1) - np.diag(cm)
    with np.errstate(invalid="ignore"):
        expected = np.diag(cm) / union
    per_class = losses.mean_iou(pred, target, num_classes=c, ignore_index=ignore_index, per_class=True)
    np.testing.assert_allclose(per_class.cpu().numpy(), expected, rtol=RTOL, equal_nan=True)
    assert np.isnan(per_class[4].item())


def test_mean_iou_ignores_predictions_on_ignored_pixels():
    target = torch.tensor([[[0, 1, 255, 255]]])
    pred_a = torch.tensor([[[0, 1, 0, 0]]])
    pred_b = torch.tensor([[[0, 1, 1, 2]]])
    for pred in (pred_a, pred_b):
        assert losses.mean_iou(pred, target, num_classes=3, ignore_index=255).item() == 1.0
    # counted (as class 1 here), the same pixels lower it to (1 + 2/3 + 0) / 3
    value = losses.mean_iou(pred_b, torch.tensor([[[0, 1, 1, 1]]]), num_classes=3).item()
    assert value == pytest.approx(5 / 9, rel=RTOL)
    assert torch.isnan(losses.mean_iou(pred_a, torch.full_like(target, 255), num_classes=3, ignore_index=255))


# ---------------------------------------------------------------------------------------------------------
# Segmentation losses: gradients.


@pytest.mark.parametrize("name", ["dice_loss", "jaccard_loss", "tversky_loss", "focal_loss"])
def test_gradcheck(name):
    logits, target = make(1, n=1, c=3, h=2, w=3, scale=1.0)
    logits.requires_grad_(True)
    kwargs = {"tversky_loss": {"alpha": 0.3, "beta": 0.7}, "focal_loss": {"gamma": 2.0}}.get(name, {})
    if name == "focal_loss":
        target[0, 0, 0] = -100
        kwargs["alpha"] = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)
    fn = getattr(losses, name)
    assert torch.autograd.gradcheck(lambda x: fn(x, target, **kwargs), (logits,))


# ---------------------------------------------------------------------------------------------------------
# Segmentation losses and mean IoU: errors.


@pytest.mark.parametrize("name", ["dice_loss", "jaccard_loss", "tversky_loss", "focal_loss"])
def test_bad_inputs(name):
    fn = getattr(losses, name)
    logits, target = make(0)
    with pytest.raises(ValueError, match=r"logits must be 4-D \(N, C, H, W\)"):
        fn(logits[0], target)
    with pytest.raises(ValueError, match=r"target must have shape \(2, 4, 5\)"):
        fn(logits, target[:, :3])
    with pytest.raises(ValueError, match=r"target must have shape"):
        fn(logits, target[0])
    with pytest.raises(ValueError, match=r"target values must be in \[0, 3\)"):
        fn(logits, torch.where(target == 1, 3, target))
    with pytest.raises(ValueError, match=r"target values must be in \[0, 3\)"):
        fn(logits, torch.where(target == 1, -1, target))
    with pytest.raises(TypeError, match="target must hold integer class indices"):
        fn(logits, target.double())
    with pytest.raises(TypeError, match="logits must be a floating-point tensor"):
        fn(logits.long(), target)
    with pytest.raises(TypeError, match=r"logits must be a torch\.Tensor"):
        fn(logits.numpy(), target)


def test_bad_options():
    logits, target = make(0)
    with pytest.raises(ValueError, match=r"gamma must be >= 0, got -1\.0"):
        losses.focal_loss(logits, target, gamma=-1.0)
    with pytest.raises(ValueError, match=r"alpha as a tensor must have shape \(3,\)"):
        losses.focal_loss(logits, target, alpha=torch.ones(2))
    with pytest.raises(ValueError, match=r"alpha must be in \[0, 1\], got 1.5"):
        losses.focal_loss(logits, target, alpha=1.5)
    with pytest.raises(ValueError, match=r"alpha must be >= 0, got -0\.1"):
        losses.tversky_loss(logits, target, alpha=-0.1)
    # ignore_index is the only value outside [0, C) that focal_loss accepts
    with pytest.raises(ValueError, match=r"or ignore_index=-100, found 255"):
        losses.focal_loss(logits, torch.where(target == 1, 255, target))
    pred = logits.argmax(1)
    with pytest.raises(ValueError, match="num_classes must be >= 1, got 0"):
        losses.mean_iou(pred, target, num_classes=0)
    with pytest.raises(ValueError, match=r"pred values must be in \[0, 2\)"):
        losses.mean_iou(pred, target.clamp_max(1), num_classes=2)
    with pytest.raises(ValueError, match=r"target values must be in \[0, 3\) or ignore_index=255"):
        losses.mean_iou(pred, torch.where(target == 1, 7, target), num_classes=3, ignore_index=255)
    with pytest.raises(ValueError, match=r"pred must be 3-D"):
        losses.mean_iou(logits, target, num_classes=3)
    with pytest.raises(ValueError, match=r"target must have shape \(2, 4, 5\)"):
        losses.mean_iou(pred, target[:1], num_classes=3)
    with pytest.raises(TypeError, match="pred must hold integer class indices"):
        losses.mean_iou(pred.double(), target, num_classes=3)
