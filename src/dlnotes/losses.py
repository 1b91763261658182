r"""Segmentation losses and the mean IoU metric, written with torch for logits of shape (N, C, H, W).

Every function takes raw scores ``logits`` of shape (N, C, H, W) (N images, C classes) and an integer
label map ``target`` of shape (N, H, W) with values in ``[0, C)``:

- :func:`dice_loss` (Milletari et al. 2016), :func:`jaccard_loss` and :func:`tversky_loss` (Salehi et
  al. 2017) are *soft* overlap losses. With :math:`p_{nchw}` the softmax probability of class :math:`c`
  and :math:`g_{nchw} = [\text{target}_{nhw} = c]` the one-hot target, each class gets the sums over all
  images and pixels (N, H and W together, the "batch" or global form)

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
  using 3D fully convolutional deep networks. *MLMI (MICCAI workshop)*.
- Everingham, M., Van Gool, L., Williams, C. K. I., Winn, J., Zisserman, A. (2010). The PASCAL Visual
  Object Classes (VOC) challenge. *IJCV* 88(2), 303-338.
"""

from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F

from dlnotes.nn import _check_float, _check_tensor

__all__ = ["dice_loss", "jaccard_loss", "tversky_loss", "focal_loss", "mean_iou"]


# ---------------------------------------------------------------------------------------------------------
# Input checks.


def _check_target(target, shape, num_classes: int, ignore_index, name: str = "target") -> None:
    """Raise if `target` is not an integer tensor of `shape` with values in [0, num_classes) (or
    `ignore_index`)."""
    _check_tensor(target, name)
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
    _check_float(logits, "logits")
    if logits.dim() != 4:
        raise ValueError(f"logits must be 4-D (N, C, H, W), got shape {tuple(logits.shape)}")
    n, c, h, w = logits.shape
    if c < 1:
        raise ValueError("logits must have at least one class (C >= 1)")
    _check_target(target, (n, h, w), c, ignore_index)


def _soft_counts(logits, target):
    """Per-class sums over (N, H, W) of p*g, p and g, with p = softmax(logits, 1), g = one-hot(target)."""
    _check_logits(logits, target)
    p = torch.softmax(logits, dim=1)
    g = F.one_hot(target.long(), logits.shape[1]).permute(0, 3, 1, 2).to(p.dtype)
    dims = (0, 2, 3)
    return (p * g).sum(dims), p.sum(dims), g.sum(dims)


def _reduce(score: torch.Tensor, per_class: bool) -> torch.Tensor:
    # loss = 1 - (1/C) sum_c s_c, or the C values 1 - s_c
    return 1.0 - score if per_class else 1.0 - score.mean()


# ---------------------------------------------------------------------------------------------------------
# Soft overlap losses.


def dice_loss(logits, target, *, eps: float = 1.0, per_class: bool = False) -> torch.Tensor:
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

    Examples
    --------
    >>> logits = torch.tensor([[[[9.0, -9.0]], [[-9.0, 9.0]]]])  # (1, 2, 1, 2), confident
    >>> target = torch.tensor([[[0, 1]]])
    >>> round(dice_loss(logits, target).item(), 6)
    0.0
    >>> round(dice_loss(logits, 1 - target, eps=0.0).item(), 4)  # everything wrong
    1.0
    """
    inter, psum, gsum = _soft_counts(logits, target)
    # D_c = (2 I_c + eps) / (P_c + G_c + eps)
    score = (2.0 * inter + eps) / (psum + gsum + eps)
    return _reduce(score, per_class)


def jaccard_loss(logits, target, *, eps: float = 1.0, per_class: bool = False) -> torch.Tensor:
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

    Examples
    --------
    >>> logits = torch.tensor([[[[9.0, -9.0]], [[-9.0, 9.0]]]])
    >>> round(jaccard_loss(logits, torch.tensor([[[0, 1]]])).item(), 6)
    0.0
    """
    inter, psum, gsum = _soft_counts(logits, target)
    # J_c = (I_c + eps) / (P_c + G_c - I_c + eps)
    score = (inter + eps) / (psum + gsum - inter + eps)
    return _reduce(score, per_class)


def tversky_loss(logits, target, *, alpha: float = 0.5, beta: float = 0.5, eps: float = 1.0,
                 per_class: bool = False) -> torch.Tensor:
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

    Examples
    --------
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> logits, target = torch.randn(2, 3, 4, 4), torch.randint(0, 3, (2, 4, 4))
    >>> bool(torch.isclose(tversky_loss(logits, target, eps=0.0), dice_loss(logits, target, eps=0.0)))
    True
    """
    for name, value in (("alpha", alpha), ("beta", beta)):
        if not isinstance(value, numbers.Real) or value < 0:
            raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    inter, psum, gsum = _soft_counts(logits, target)
    fp = psum - inter  # sum p (1 - g)
    fn = gsum - inter  # sum (1 - p) g
    # T_c = (TP_c + eps) / (TP_c + alpha FP_c + beta FN_c + eps)
    score = (inter + eps) / (inter + alpha * fp + beta * fn + eps)
    return _reduce(score, per_class)


# ---------------------------------------------------------------------------------------------------------
# Focal loss.


def focal_loss(logits, target, *, gamma: float = 2.0, alpha=None, ignore_index: int = -100) -> torch.Tensor:
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
    if not isinstance(gamma, numbers.Real) or gamma < 0:
        raise ValueError(f"gamma must be a non-negative number, got {gamma!r}")
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
            raise ValueError(
                f"alpha as a tensor must have shape ({num_classes},), got {tuple(alpha.shape)}"
            )
        at = alpha.to(device=logits.device, dtype=logits.dtype)[t]
    elif isinstance(alpha, numbers.Real) and 0 <= alpha <= 1:
        fg = torch.tensor(float(alpha), dtype=logits.dtype, device=logits.device)
        at = torch.where(t >= 1, fg, 1.0 - fg)
    else:
        raise ValueError(
            f"alpha must be None, a float in [0, 1] or a ({num_classes},) tensor, got {alpha!r}"
        )
    keep_f = keep.to(logits.dtype)
    # l = -alpha_t (1 - p_t)^gamma log p_t, zero on ignored pixels
    loss = -at * (1.0 - pt).pow(gamma) * logpt * keep_f
    # weighted mean sum(l) / sum(alpha_t) for class weights, else mean over kept pixels
    denom = (at * keep_f).sum() if isinstance(alpha, torch.Tensor) else keep_f.sum()
    return loss.sum() / denom


# ---------------------------------------------------------------------------------------------------------
# Mean IoU.


def mean_iou(pred, target, *, num_classes: int, ignore_index=None, per_class: bool = False) -> torch.Tensor:
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

    Examples
    --------
    >>> pred = torch.tensor([[[0, 0, 1, 1]]])
    >>> target = torch.tensor([[[0, 1, 1, 1]]])
    >>> mean_iou(pred, target, num_classes=3, per_class=True)  # class 2 is absent
    tensor([0.5000, 0.6667,    nan], dtype=torch.float64)
    >>> round(mean_iou(pred, target, num_classes=3).item(), 4)  # (1/2 + 2/3) / 2
    0.5833
    """
    if not isinstance(num_classes, numbers.Integral) or isinstance(num_classes, bool) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
    _check_tensor(pred, "pred")
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
