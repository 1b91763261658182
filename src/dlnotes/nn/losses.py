r"""Classification and segmentation losses: NLL, cross-entropy, Dice, Jaccard, Tversky, focal, and mean IoU.

- ``nll_loss`` and ``cross_entropy`` mirror ``torch.nn.functional`` (built on our ``log_softmax``):
  class-index or class-probability targets, per-class ``weight``, ``ignore_index``, label smoothing
  (Szegedy et al. 2016) and torch's weighted mean; tested against torch in float64, values and gradients.

Every function takes raw scores ``logits`` of shape (N, C, H, W) (N images, C classes) and an integer
label map ``target`` of shape (N, H, W) with values in ``[0, C)``:

- :func:`dice_loss` (Milletari et al. 2016), :func:`jaccard_loss` and :func:`tversky_loss` (Salehi et
  al. 2017) are *soft* overlap losses. With :math:`p_{nchw}` the softmax probability of class :math:`c`
  and :math:`g_{nchw} = [\text{target}_{nhw} = c]` the one-hot target, each class gets the sums over all
  images and pixels (N, H and W together, the "batch" or global form; :func:`soft_counts`)

  .. math:: I_c = \sum_{n,h,w} p\,g, \quad P_c = \sum_{n,h,w} p, \quad G_c = \sum_{n,h,w} g,

  a per-class score :math:`s_c` (Dice, Jaccard or Tversky index, smoothed by ``eps`` in the numerator
  and the denominator), and the loss is :math:`1 - \frac{1}{C}\sum_c s_c`: an unweighted mean over all C
  classes, absent ones included (``eps`` makes a class absent from target and prediction score about 1).
  ``per_class=True`` returns the C values :math:`1 - s_c` instead.
- :func:`focal_loss` (Lin et al. 2017) is a per-pixel loss, :math:`-\alpha_t (1-p_t)^\gamma \log p_t`,
  averaged over the pixels whose target is not ``ignore_index``. With ``gamma=0`` and no ``alpha`` it
  equals :func:`torch.nn.functional.cross_entropy`; with a (C,) tensor ``alpha`` and ``gamma=0`` it
  equals the class-weighted cross-entropy (``weight=alpha``), a weighted mean.
- :func:`mean_iou` (the PASCAL VOC measure, Everingham et al. 2010) compares hard label maps (for
  example ``logits.argmax(1)``): per class :math:`\mathrm{IoU}_c = TP_c / (TP_c + FP_c + FN_c)` from
  the confusion matrix of all pixels, averaged over the classes present in the prediction or the target.

The losses are differentiable with respect to ``logits`` (checked with :func:`torch.autograd.gradcheck`
in the tests); :func:`mean_iou` works on integer maps and is a metric, not a loss. Bad shapes, a
non-integer target or target values outside ``[0, C)`` raise ``ValueError`` (``TypeError`` for dtypes).

References
----------
- Milletari, F., Navab, N., Ahmadi, S.-A. (2016). V-Net: fully convolutional neural networks for
  volumetric medical image segmentation. *3DV*.
- Lin, T.-Y., Goyal, P., Girshick, R., He, K., Dollar, P. (2017). Focal loss for dense object
  detection. *ICCV*.
- Salehi, S. S. M., Erdogmus, D., Gholipour, A. (2017). Tversky loss function for image segmentation
- Szegedy, C., Vanhoucke, V., Ioffe, S., Shlens, J., Wojna, Z. (2016). Rethinking the Inception
  architecture for computer vision. *CVPR*, arXiv:1512.00567 (label smoothing).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from dlnotes._validation import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_probability,
    check_real,
    check_tensor,
    is_real,
)
from dlnotes.nn.activations import log_softmax

__all__ = [
    "cross_entropy",
    "dice_loss",
    "focal_loss",
    "jaccard_loss",
    "mean_iou",
    "nll_loss",
    "soft_counts",
    "tversky_loss",
]


# ---------------------------------------------------------------------------------------------------------
# Losses.


def _check_class_weight(weight, input: torch.Tensor, classes: int) -> None:
    if weight is None:
        return
    check_float(weight, "weight")
    if tuple(weight.shape) != (classes,):
        raise ValueError(
            f"weight must have shape (C,) = ({classes},), one entry per class of the input of shape "
            f"{tuple(input.shape)}, got shape {tuple(weight.shape)}"
        )
    if weight.dtype != input.dtype:
        raise TypeError(f"weight must have the input's dtype {input.dtype}, got {weight.dtype}")


def _check_loss_input(input, weight, reduction) -> tuple[int, int]:
    """Checks the (C,), (N, C) or (N, C, d1, ...) input of a loss; returns (class axis, C)."""
    check_float(input, "input")
    if input.dim() == 0:
        raise ValueError("input must have shape (C,), (N, C) or (N, C, d1, ...), got a 0-d tensor")
    check_choice(reduction, "reduction", ("none", "mean", "sum"))
    class_dim = 0 if input.dim() == 1 else 1
    classes = input.shape[class_dim]
    _check_class_weight(weight, input, classes)
    return class_dim, classes


def _check_index_target(target, input: torch.Tensor, class_dim: int, classes: int, ignore_index) -> None:
    """Class-index targets: integer dtype, the input's shape without the class axis, values in [0, C)."""
    check_int(ignore_index, "ignore_index")
    if target.dtype not in (torch.int64, torch.uint8):
        raise TypeError(
            f"class-index targets must have dtype torch.int64 (or torch.uint8), got {target.dtype}; "
            f"class probabilities must be floating point with the input's shape {tuple(input.shape)}"
        )
    expected = input.shape[:class_dim] + input.shape[class_dim + 1 :]
    if target.shape != expected:
        raise ValueError(
            f"class-index targets must have the input's shape without its class axis, "
            f"{tuple(expected)} for an input of shape {tuple(input.shape)}, got shape {tuple(target.shape)}"
        )
    bad = ((target < 0) | (target >= classes)) & (target != ignore_index)
    if bad.any():
        value = int(target[bad].flatten()[0])
        raise ValueError(
            f"targets must be class indices in [0, {classes}) or ignore_index={ignore_index}, got {value}"
        )


def _index_target_loss(
    log_probs: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None,
    ignore_index: int,
    reduction: str,
    label_smoothing: float,
) -> torch.Tensor:
    """The (smoothed) negative log-likelihood of class-index targets, torch's weighting and reduction."""
    class_dim = 0 if log_probs.dim() == 1 else 1
    classes = log_probs.shape[class_dim]
    kept = target != ignore_index  # (N, d1, ...)
    safe = torch.where(kept, target, torch.zeros_like(target)).long()  # a valid index everywhere
    # −log p_y: the log-probability of the target class, gathered along the class axis
    nll = -log_probs.gather(class_dim, safe.unsqueeze(class_dim)).squeeze(class_dim)  # (N, d1, ...)
    # w_y: the weight of the target class (1 without weights), 0 where the target is ignored
    w_y = torch.ones_like(nll) if weight is None else weight[safe]  # (N, d1, ...)
    w_y = torch.where(kept, w_y, torch.zeros_like(w_y))
    # ℓ = (1 − ε) w_y (−log p_y)
    loss = (1 - label_smoothing) * torch.where(kept, w_y * nll, torch.zeros_like(nll))
    if label_smoothing > 0:
        shape = [1] * log_probs.dim()
        shape[class_dim] = classes
        w = 1.0 if weight is None else weight.view(shape)
        # ... + ε/C Σ_c w_c (−log p_c): the uniform part of the smoothed target, weighted per class
        smooth = -(w * log_probs).sum(class_dim)  # (N, d1, ...)
        loss = loss + label_smoothing / classes * torch.where(kept, smooth, torch.zeros_like(smooth))
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    # mean: Σ ℓ / Σ w_y over the targets not ignored (0/0 = NaN when all are ignored, as in torch)
    return loss.sum() / w_y.sum()


def nll_loss(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> torch.Tensor:
    r"""The negative log-likelihood loss, like ``torch.nn.functional.nll_loss``.

    For log-probabilities :math:`\log p` (from :func:`log_softmax`) and a target class :math:`y`,

    .. math::

        \ell = -w_y \log p_y, \qquad
        \text{mean} = \frac{\sum_i \ell_i}{\sum_{i:\, y_i \ne \text{ignore\_index}} w_{y_i}},

    with :math:`\ell_i = 0` where :math:`y_i` is `ignore_index`. The mean is weighted: it divides by the total
    weight of the targets kept, not by their number (the two agree without `weight`).

    Parameters
    ----------
    input : torch.Tensor
        Floating-point log-probabilities of shape :math:`(C,)`, :math:`(N, C)` or :math:`(N, C, d_1, ...)`.
    target : torch.Tensor
        Class indices (``torch.int64``) of shape :math:`()`, :math:`(N,)` or :math:`(N, d_1, ...)`, in
        :math:`[0, C)` or equal to `ignore_index`.
    weight : torch.Tensor, optional
        Per-class weights :math:`w` of shape :math:`(C,)`, the input's dtype; all 1 if None.
    ignore_index : int, default -100
        Target value that contributes neither to the loss nor to the mean's divisor.
    reduction : {"mean", "sum", "none"}, default "mean"
        Weighted mean, sum, or the per-position losses :math:`\ell` (shape of `target`).

    Returns
    -------
    torch.Tensor
        A scalar, or the shape of `target` for ``reduction="none"``.

    Raises
    ------
    TypeError
        If `input` or `weight` is not a floating-point tensor, `weight`'s dtype differs from `input`'s,
        `target` is not an integer tensor, or `ignore_index` is not an int.
    ValueError
        If `input` is 0-d, `target`'s shape is not `input`'s without the class axis, `weight` is not of
        shape :math:`(C,)`, a target is outside :math:`[0, C)` and not `ignore_index`, or `reduction` is
        unknown.

    Examples
    --------
    >>> import torch
    >>> log_p = torch.log(torch.tensor([[0.5, 0.5], [0.25, 0.75]]))
    >>> nll_loss(log_p, torch.tensor([0, 1]))  # (log 2 + log 4/3) / 2
    tensor(0.4904)
    """
    class_dim, classes = _check_loss_input(input, weight, reduction)
    check_tensor(target, "target")
    _check_index_target(target, input, class_dim, classes, ignore_index)
    return _index_target_loss(input, target, weight, ignore_index, reduction, 0.0)


def cross_entropy(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    r"""The cross-entropy of targets and the softmax of logits, like ``torch.nn.functional.cross_entropy``.

    Built on :func:`log_softmax`, so it never forms a probability that could underflow: logits :math:`10^4`
    apart give a finite loss. With label smoothing :math:`\varepsilon` the target distribution :math:`q` is
    mixed with the uniform one, :math:`q' = (1 - \varepsilon)\, q + \varepsilon / C`, and

    .. math::

        \ell = -\sum_{c=1}^{C} w_c\, q'_c \log \operatorname{softmax}(x)_c .

    For a class-index target :math:`y` (:math:`q` one-hot) torch weights the two parts differently, and so
    do we: :math:`\ell = (1 - \varepsilon)\, w_y (-\log p_y) + \frac{\varepsilon}{C} \sum_c w_c (-\log p_c)`,
    0 where :math:`y` is `ignore_index`, and the mean divides by :math:`\sum_i w_{y_i}` over the targets
    kept (NaN if none is kept), as :func:`nll_loss`. For probability targets the mean divides by the number
    of positions :math:`N d_1 \cdots`, whatever the weights.

    Parameters
    ----------
    input : torch.Tensor
        Floating-point logits of shape :math:`(C,)`, :math:`(N, C)` or :math:`(N, C, d_1, ...)`.
    target : torch.Tensor
        Either class indices (``torch.int64``) of shape :math:`()`, :math:`(N,)` or :math:`(N, d_1, ...)`,
        in :math:`[0, C)` or equal to `ignore_index`; or class probabilities, floating point, of the
        input's shape (each slice along the class axis a distribution).
    weight : torch.Tensor, optional
        Per-class weights :math:`w` of shape :math:`(C,)`, the input's dtype; all 1 if None.
    ignore_index : int, default -100
        Class-index target value that contributes neither to the loss nor to the mean's divisor. Must be
        negative with probability targets (torch's rule: it cannot apply to them).
    reduction : {"mean", "sum", "none"}, default "mean"
        Mean (weighted as above), sum, or the per-position losses (the shape without the class axis).
    label_smoothing : float, default 0.0
        :math:`\varepsilon \in [0, 1]`.

    Returns
    -------
    torch.Tensor
        A scalar, or shape :math:`()`, :math:`(N,)` or :math:`(N, d_1, ...)` for ``reduction="none"``.

    Raises
    ------
    TypeError
        If `input`, `weight` or probability targets are not floating point, `weight`'s dtype differs from
        `input`'s, class-index targets are not ``torch.int64``, or `ignore_index` is not an int or
        `label_smoothing` not a real number.
    ValueError
        If `input` is 0-d, `target`'s shape is neither `input`'s nor `input`'s without the class axis,
        `weight` is not of shape :math:`(C,)`, a class index is outside :math:`[0, C)` and not
        `ignore_index`, `ignore_index` is non-negative with probability targets, `label_smoothing` is
        outside :math:`[0, 1]` or NaN, or `reduction` is unknown.

    Examples
    --------
    >>> import torch
    >>> logits = torch.tensor([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0]])
    >>> cross_entropy(logits, torch.tensor([1, 2]), reduction="none")  # 1e4 and log 3
    tensor([1.0000e+04, 1.0986e+00])
    >>> cross_entropy(logits, torch.tensor([-100, 2]))  # the ignored row counts for nothing
    tensor(1.0986)
    """
    class_dim, classes = _check_loss_input(input, weight, reduction)
    check_tensor(target, "target")
    label_smoothing = check_probability(label_smoothing, "label_smoothing")
    # log p_c = log softmax(x)_c, computed without forming p
    log_probs = log_softmax(input, dim=class_dim)
    if target.shape != input.shape:
        _check_index_target(target, input, class_dim, classes, ignore_index)
        # ℓ = (1 − ε) w_y (−log p_y) + ε/C Σ_c w_c (−log p_c)
        return _index_target_loss(log_probs, target, weight, ignore_index, reduction, label_smoothing)
    if not target.is_floating_point():
        raise TypeError(
            f"a target of the input's shape {tuple(input.shape)} holds class probabilities and must be "
            f"floating point, got dtype {target.dtype}"
        )
    check_int(ignore_index, "ignore_index")
    if ignore_index >= 0:
        raise ValueError(
            f"ignore_index applies to class-index targets only and must stay negative with class "
            f"probabilities, got {ignore_index}"
        )
    # q' = (1 − ε) q + ε/C
    q = target * (1 - label_smoothing) + label_smoothing / classes
    shape = [1] * input.dim()
    shape[class_dim] = classes
    w = 1.0 if weight is None else weight.view(shape)
    # ℓ = −Σ_c w_c q'_c log p_c
    loss = -(w * q * log_probs).sum(class_dim)  # (N, d1, ...)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    # mean over the N·d1·... positions (NaN for an empty batch, as in torch)
    return loss.sum() / loss.numel() if loss.numel() else loss.sum() * math.nan


# ---------------------------------------------------------------------------------------------------------

# Input checks.


def _check_target(target, shape, num_classes: int, ignore_index, name: str = "target") -> None:
    """Raise if `target` is not an integer tensor of `shape` with values in [0, num_classes) (or
    `ignore_index`)."""
    check_tensor(target, name)
    if target.dtype.is_floating_point or target.dtype.is_complex or target.dtype == torch.bool:
        raise TypeError(f"{name} must hold integer class indices, got dtype {target.dtype}")
    if tuple(target.shape) != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)} (N, H, W), got {tuple(target.shape)}")
    valid = (target >= 0) & (target < num_classes)
    if ignore_index is not None:
        valid |= target == ignore_index
    if not bool(valid.all()):
        bad = target[~valid][0].item()
        extra = "" if ignore_index is None else f" or ignore_index={ignore_index}"
        raise ValueError(f"{name} values must be in [0, {num_classes}){extra}, found {bad}")


def _check_logits(logits, target, ignore_index=None) -> None:
    check_float(logits, "logits")
    if logits.dim() != 4:
        raise ValueError(f"logits must be 4-D (N, C, H, W), got shape {tuple(logits.shape)}")
    n, c, h, w = logits.shape
    if c < 1:
        raise ValueError("logits must have at least one class (C >= 1)")
    _check_target(target, (n, h, w), c, ignore_index)


def soft_counts(
    logits: torch.Tensor, target: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""The per-class sums behind every soft overlap loss: intersection, predicted and true mass.

    With softmax probabilities :math:`p = \operatorname{softmax}(\text{logits})` over the classes and the
    one-hot target :math:`g`, summed over the N images and all H x W pixels together:

    .. math:: I_c = \sum p_c\, g_c, \qquad P_c = \sum p_c, \qquad G_c = \sum g_c.

    :func:`dice_loss`, :func:`jaccard_loss` and :func:`tversky_loss` are ratios of these.

    Parameters
    ----------
    logits : torch.Tensor of shape (N, C, H, W)
        Raw scores (floating point).
    target : torch.Tensor of shape (N, H, W)
        Integer class indices in ``[0, C)``.

    Returns
    -------
    inter, psum, gsum : torch.Tensor of shape (C,)
        :math:`I_c`, :math:`P_c` and :math:`G_c`, differentiable with respect to `logits` (but `gsum`).

    Raises
    ------
    TypeError
        If `logits` is not a floating-point tensor or `target` not an integer tensor.
    ValueError
        If the shapes do not match or a target is outside ``[0, C)``.

    Examples
    --------
    >>> import torch
    >>> logits = torch.zeros(1, 2, 1, 2)  # p = 1/2 everywhere
    >>> soft_counts(logits, torch.tensor([[[0, 0]]]))
    (tensor([1., 0.]), tensor([1., 1.]), tensor([2., 0.]))
    """
    _check_logits(logits, target)
    p = torch.softmax(logits, dim=1)
    g = F.one_hot(target.long(), logits.shape[1]).permute(0, 3, 1, 2).to(p.dtype)
    dims = (0, 2, 3)
    return (p * g).sum(dims), p.sum(dims), g.sum(dims)


def _check_overlap_options(eps, per_class) -> None:
    """The options every soft overlap loss shares: a finite ``eps >= 0`` and a bool `per_class`."""
    check_real(eps, "eps", minimum=0)
    check_bool(per_class, "per_class")


def _reduce(score: torch.Tensor, per_class: bool) -> torch.Tensor:
    # loss = 1 - (1/C) sum_c s_c, or the C values 1 - s_c
    return 1.0 - score if per_class else 1.0 - score.mean()


# ---------------------------------------------------------------------------------------------------------
# Soft overlap losses.


def dice_loss(
    logits: torch.Tensor, target: torch.Tensor, *, eps: float = 1.0, per_class: bool = False
) -> torch.Tensor:
    r"""Soft Dice loss (Milletari et al. 2016), averaged over classes.

    .. math:: D_c = \frac{2 I_c + \epsilon}{P_c + G_c + \epsilon}, \qquad
              \mathcal{L} = 1 - \frac{1}{C} \sum_{c=0}^{C-1} D_c,

    where :math:`I_c = \sum p g`, :math:`P_c = \sum p`, :math:`G_c = \sum g` are summed over the N images
    and all H x W pixels together (softmax probabilities :math:`p`, one-hot target :math:`g`).

    Parameters
    ----------
    logits : torch.Tensor of shape (N, C, H, W)
        Raw scores (floating point).
    target : torch.Tensor of shape (N, H, W)
        Integer class indices in ``[0, C)``.
    eps : float, default=1.0
        Smoothing added to numerator and denominator; with ``eps=0`` a class with
        :math:`P_c + G_c = 0` gives NaN.
    per_class : bool, default=False
        If True, return the C losses :math:`1 - D_c` instead of their mean.

    Returns
    -------
    torch.Tensor
        A 0-d tensor (or shape (C,) with ``per_class``), differentiable with respect to `logits`.

    Raises
    ------
    TypeError
        If `logits` is not a floating-point tensor, `target` not an integer tensor, `eps` not a real
        number (a bool is refused) or `per_class` not a bool.
    ValueError
        If the shapes do not match, a target is outside ``[0, C)``, or `eps` is negative, NaN or
        infinite. ``eps >= 0`` because :math:`0 \le I_c \le \min(P_c, G_c)`: then :math:`D_c \in [0, 1]`
        and the denominator is positive (0 only for an absent class with ``eps=0``); a negative `eps`
        can make it vanish or change sign and the loss leave [0, 1].

    Examples
    --------
    >>> logits = torch.tensor([[[[9.0, -9.0]], [[-9.0, 9.0]]]])  # (1, 2, 1, 2), confident
    >>> target = torch.tensor([[[0, 1]]])
    >>> round(dice_loss(logits, target).item(), 6)
    0.0
    >>> round(dice_loss(logits, 1 - target, eps=0.0).item(), 4)  # everything wrong
    1.0
    """
    _check_overlap_options(eps, per_class)
    inter, psum, gsum = soft_counts(logits, target)
    # D_c = (2 I_c + eps) / (P_c + G_c + eps)
    score = (2.0 * inter + eps) / (psum + gsum + eps)
    return _reduce(score, per_class)


def jaccard_loss(
    logits: torch.Tensor, target: torch.Tensor, *, eps: float = 1.0, per_class: bool = False
) -> torch.Tensor:
    r"""Soft Jaccard (IoU) loss, averaged over classes.

    .. math:: J_c = \frac{I_c + \epsilon}{P_c + G_c - I_c + \epsilon}, \qquad
              \mathcal{L} = 1 - \frac{1}{C} \sum_{c=0}^{C-1} J_c,

    with the sums :math:`I_c, P_c, G_c` of :func:`dice_loss` (over N, H and W together). With
    ``eps=0``, :math:`J_c = D_c / (2 - D_c)` for every class, soft or hard.

    Parameters
    ----------
    logits : torch.Tensor of shape (N, C, H, W)
        Raw scores (floating point).
    target : torch.Tensor of shape (N, H, W)
        Integer class indices in ``[0, C)``.
    eps : float, default=1.0
        Smoothing added to numerator and denominator.
    per_class : bool, default=False
        If True, return the C losses :math:`1 - J_c` instead of their mean.

    Returns
    -------
    torch.Tensor
        A 0-d tensor (or shape (C,) with ``per_class``), differentiable with respect to `logits`.

    Raises
    ------
    TypeError
        If `logits` is not a floating-point tensor, `target` not an integer tensor, `eps` not a real
        number (a bool is refused) or `per_class` not a bool.
    ValueError
        If the shapes do not match, a target is outside ``[0, C)``, or `eps` is negative, NaN or
        infinite. ``eps >= 0`` because the denominator :math:`P_c + G_c - I_c \ge \max(P_c, G_c) \ge 0`:
        :math:`J_c \in [0, 1]`, and a negative `eps` can make the denominator vanish or change sign.

    Examples
    --------
    >>> logits = torch.tensor([[[[9.0, -9.0]], [[-9.0, 9.0]]]])
    >>> round(jaccard_loss(logits, torch.tensor([[[0, 1]]])).item(), 6)
    0.0
    """
    _check_overlap_options(eps, per_class)
    inter, psum, gsum = soft_counts(logits, target)
    # J_c = (I_c + eps) / (P_c + G_c - I_c + eps)
    score = (inter + eps) / (psum + gsum - inter + eps)
    return _reduce(score, per_class)


def tversky_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    alpha: float = 0.5,
    beta: float = 0.5,
    eps: float = 1.0,
    per_class: bool = False,
) -> torch.Tensor:
    r"""Soft Tversky loss (Salehi et al. 2017), averaged over classes.

    .. math:: T_c = \frac{TP_c + \epsilon}{TP_c + \alpha FP_c + \beta FN_c + \epsilon}, \qquad
              \mathcal{L} = 1 - \frac{1}{C} \sum_{c=0}^{C-1} T_c,

    with :math:`TP_c = \sum p g`, :math:`FP_c = \sum p (1 - g)`, :math:`FN_c = \sum (1 - p) g` over N,
    H and W together. ``alpha`` weighs false positives, ``beta`` false negatives (``beta > alpha``
    favours recall). With ``alpha = beta = 0.5`` it equals :func:`dice_loss` with ``eps`` doubled
    (exactly Dice at ``eps=0``); with ``alpha = beta = 1`` it equals :func:`jaccard_loss`.

    Parameters
    ----------
    logits : torch.Tensor of shape (N, C, H, W)
        Raw scores (floating point).
    target : torch.Tensor of shape (N, H, W)
        Integer class indices in ``[0, C)``.
    alpha, beta : float, default=0.5
        Non-negative weights of false positives and false negatives.
    eps : float, default=1.0
        Smoothing added to numerator and denominator.
    per_class : bool, default=False
        If True, return the C losses :math:`1 - T_c` instead of their mean.

    Returns
    -------
    torch.Tensor
        A 0-d tensor (or shape (C,) with ``per_class``), differentiable with respect to `logits`.

    Raises
    ------
    TypeError
        If `logits` is not a floating-point tensor, `target` not an integer tensor, `eps`, `alpha` or
        `beta` not a real number (a bool is refused), or `per_class` not a bool.
    ValueError
        If the shapes do not match, a target is outside ``[0, C)``, or `eps`, `alpha` or `beta` is
        negative, NaN or infinite. All three are ``>= 0``: `alpha` and `beta` weigh counts of false
        positives and negatives; with all three non-negative :math:`T_c \in [0, 1]` and the denominator
        :math:`TP_c + \alpha FP_c + \beta FN_c + \epsilon` is never negative (0, and the score NaN,
        only with ``eps=0``).

    Examples
    --------
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> logits, target = torch.randn(2, 3, 4, 4), torch.randint(0, 3, (2, 4, 4))
    >>> bool(torch.isclose(tversky_loss(logits, target, eps=0.0), dice_loss(logits, target, eps=0.0)))
    True
    """
    for name, value in (("alpha", alpha), ("beta", beta)):
        check_real(value, name, minimum=0)
    _check_overlap_options(eps, per_class)
    inter, psum, gsum = soft_counts(logits, target)
    fp = psum - inter  # sum p (1 - g)
    fn = gsum - inter  # sum (1 - p) g
    # T_c = (TP_c + eps) / (TP_c + alpha FP_c + beta FN_c + eps)
    score = (inter + eps) / (inter + alpha * fp + beta * fn + eps)
    return _reduce(score, per_class)


# ---------------------------------------------------------------------------------------------------------
# Focal loss.


def focal_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    gamma: float = 2.0,
    alpha: float | torch.Tensor | None = None,
    ignore_index: int = -100,
) -> torch.Tensor:
    r"""Softmax focal loss (Lin et al. 2017), averaged over the pixels that are not ignored.

    For each pixel with target :math:`t \ne` ``ignore_index``, :math:`p_t` is the softmax probability of
    its true class and

    .. math:: \ell = -\alpha_t (1 - p_t)^\gamma \log p_t .

    The reduction depends on `alpha`:

    - ``None``: :math:`\alpha_t = 1`, plain mean of :math:`\ell` over the kept pixels. With
      ``gamma=0`` this is ``F.cross_entropy(logits, target, ignore_index=ignore_index)``.
    - a float :math:`a \in [0, 1]` (binary-style, as in the paper): :math:`\alpha_t = a` for the
      foreground classes :math:`t \ge 1` and :math:`1 - a` for class 0, plain mean over the kept pixels
      (normalised by their number, not by the weights).
    - a (C,) tensor of class weights :math:`w`: :math:`\alpha_t = w_t` and the weighted mean
      :math:`\sum \ell / \sum w_t`, torch's convention for ``F.cross_entropy(..., weight=w)``, which
      it equals at ``gamma=0``.

    If every pixel is ignored the result is NaN (0/0), as with ``F.cross_entropy``.

    Parameters
    ----------
    logits : torch.Tensor of shape (N, C, H, W)
        Raw scores (floating point).
    target : torch.Tensor of shape (N, H, W)
        Integer class indices in ``[0, C)``, or `ignore_index`.
    gamma : float, default=2.0
        Focusing parameter, :math:`\gamma \ge 0`; 0 gives cross-entropy.
    alpha : None, float or torch.Tensor of shape (C,), default=None
        Class weighting, see above.
    ignore_index : int, default=-100
        Target value whose pixels are left out of the loss and of the mean.

    Returns
    -------
    torch.Tensor
        A 0-d tensor, differentiable with respect to `logits`.

    Raises
    ------
    TypeError
        If `logits` is not a floating-point tensor, `target` not an integer tensor, `gamma` not a real
        number, `alpha` neither None, a real number nor a tensor, or `ignore_index` not an int (a bool is
        refused for each of these numbers).
    ValueError
        If the shapes do not match, a target is outside ``[0, C)`` and not `ignore_index`, `gamma` is
        negative, NaN or infinite (:math:`(1 - p_t)^\gamma` must be a finite weight that decreases with
        :math:`p_t`), a float `alpha` is outside [0, 1] or NaN, or a tensor `alpha` is not of shape (C,).

    Examples
    --------
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> logits, target = torch.randn(2, 3, 4, 4), torch.randint(0, 3, (2, 4, 4))
    >>> ce = F.cross_entropy(logits, target)
    >>> bool(torch.isclose(focal_loss(logits, target, gamma=0.0), ce))
    True
    >>> bool(focal_loss(logits, target, gamma=2.0) < ce)  # easy pixels are down-weighted
    True
    """
    check_real(gamma, "gamma", minimum=0)
    check_int(ignore_index, "ignore_index")
    _check_logits(logits, target, ignore_index=ignore_index)
    num_classes = logits.shape[1]
    keep = target != ignore_index
    t = torch.where(keep, target, torch.zeros_like(target)).long()
    logpt = torch.log_softmax(logits, dim=1).gather(1, t.unsqueeze(1)).squeeze(1)
    pt = logpt.exp()
    if alpha is None:
        at = torch.ones_like(logpt)
    elif isinstance(alpha, torch.Tensor):
        if alpha.shape != (num_classes,):
            raise ValueError(f"alpha as a tensor must have shape ({num_classes},), got {tuple(alpha.shape)}")
        at = alpha.to(device=logits.device, dtype=logits.dtype)[t]
    elif is_real(alpha):
        fg = torch.tensor(check_probability(alpha, "alpha"), dtype=logits.dtype, device=logits.device)
        at = torch.where(t >= 1, fg, 1.0 - fg)
    else:
        raise TypeError(
            f"alpha must be None, a float in [0, 1] or a ({num_classes},) tensor, got {type(alpha).__name__}"
        )
    keep_f = keep.to(logits.dtype)
    # l = -alpha_t (1 - p_t)^gamma log p_t, zero on ignored pixels
    loss = -at * (1.0 - pt).pow(gamma) * logpt * keep_f
    # weighted mean sum(l) / sum(alpha_t) for class weights, else mean over kept pixels
    denom = (at * keep_f).sum() if isinstance(alpha, torch.Tensor) else keep_f.sum()
    return loss.sum() / denom


# ---------------------------------------------------------------------------------------------------------
# Mean IoU.


def mean_iou(
    pred: torch.Tensor,
    target: torch.Tensor,
    *,
    num_classes: int,
    ignore_index: int | None = None,
    per_class: bool = False,
) -> torch.Tensor:
    r"""Mean intersection over union of two label maps (the PASCAL VOC measure, Everingham et al. 2010).

    From the confusion matrix :math:`M` of all pixels whose target is not `ignore_index`
    (:math:`M_{ij}` counts pixels of true class :math:`i` predicted as :math:`j`):

    .. math:: \mathrm{IoU}_c = \frac{M_{cc}}{\sum_j M_{cj} + \sum_i M_{ic} - M_{cc}}
              = \frac{TP_c}{TP_c + FP_c + FN_c},

    and the mean is over the classes with a non-empty union, that is present in the prediction or the
    target (a class absent from both has IoU 0/0, reported as NaN and left out). Every pixel of the
    batch counts in one matrix (the dataset-level IoU, not a mean of per-image IoUs).

    Parameters
    ----------
    pred : torch.Tensor of shape (N, H, W)
        Integer predicted classes in ``[0, num_classes)``, e.g. ``logits.argmax(1)``.
    target : torch.Tensor of shape (N, H, W)
        Integer true classes in ``[0, num_classes)`` or `ignore_index`.
    num_classes : int
        The number of classes C.
    ignore_index : int or None, default=None
        Target value whose pixels are left out (their prediction is not looked at).
    per_class : bool, default=False
        If True, return the C values :math:`\mathrm{IoU}_c` (NaN for absent classes) instead.

    Returns
    -------
    torch.Tensor
        A 0-d float64 tensor (NaN if no pixel is kept), or shape (C,) with ``per_class``.

    Raises
    ------
    TypeError
        If `pred` or `target` is not an integer tensor, `num_classes` or a given `ignore_index` not an int
        (a bool is refused), or `per_class` not a bool.
    ValueError
        If `num_classes` is below 1, `pred` is not 3-D, `target` not of `pred`'s shape, or a value is
        outside ``[0, num_classes)`` (and, for `target`, not `ignore_index`).

    Examples
    --------
    >>> pred = torch.tensor([[[0, 0, 1, 1]]])
    >>> target = torch.tensor([[[0, 1, 1, 1]]])
    >>> mean_iou(pred, target, num_classes=3, per_class=True)  # class 2 is absent
    tensor([0.5000, 0.6667,    nan], dtype=torch.float64)
    >>> round(mean_iou(pred, target, num_classes=3).item(), 4)  # (1/2 + 2/3) / 2
    0.5833
    """
    num_classes = check_int(num_classes, "num_classes", minimum=1)
    if ignore_index is not None:
        check_int(ignore_index, "ignore_index")
    check_bool(per_class, "per_class")
    check_tensor(pred, "pred")
    if pred.dim() != 3:
        raise ValueError(f"pred must be 3-D (N, H, W), got shape {tuple(pred.shape)}")
    _check_target(pred, pred.shape, num_classes, None, name="pred")
    _check_target(target, pred.shape, num_classes, ignore_index)
    keep = target != ignore_index if ignore_index is not None else torch.ones_like(target, dtype=torch.bool)
    t, p = target[keep].long(), pred[keep].long()
    # M_ij = #{pixels with target i and prediction j}, one bincount
    cm = torch.bincount(t * num_classes + p, minlength=num_classes**2).reshape(num_classes, num_classes)
    cm = cm.to(torch.float64)
    tp = cm.diagonal()
    # IoU_c = TP_c / (TP_c + FP_c + FN_c) = M_cc / (row_c + col_c - M_cc); 0/0 -> NaN for absent classes
    iou = tp / (cm.sum(1) + cm.sum(0) - tp)
    if per_class:
        return iou
    return iou.nanmean()
