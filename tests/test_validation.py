"""The input-check contract: a wrong type raises ``TypeError``, a wrong value ``ValueError``.

Two parts: the primitives of :mod:`dlnotes._validation`, each error type and message; then a table over the
public API, one row per (function, bad argument), that pins the exception every option raises, bool passed
as a number, NaN and infinities included. The rows marked "mirrors torch" are the documented exceptions to
the contract, where a function keeps the behaviour of the torch function it mirrors.
"""

import math
import re

import numpy as np
import pytest
import torch

from dlnotes import _validation as v
from dlnotes import cluster, init, metrics, models, nn, optim, utils
from dlnotes.memory import estimate_mlp, format_bytes, kv_cache_bytes
from dlnotes.nn import losses

NAN, INF = math.nan, math.inf


def exact(message):
    """A `match` pattern for exactly `message`."""
    return f"^{re.escape(message)}$"


# ---------------------------------------------------------------------------------------------------------
# The primitives.


@pytest.mark.parametrize(
    ("value", "is_int", "is_real"),
    [
        (3, True, True),
        (np.int64(3), True, True),
        (np.uint8(3), True, True),
        (2.0, False, True),
        (np.float32(0.5), False, True),
        (NAN, False, True),
        (INF, False, True),
        (True, False, False),
        (np.bool_(True), False, False),
        ("1", False, False),
        (None, False, False),
        (torch.tensor(1.0), False, False),
    ],
    ids=repr,
)
def test_predicates(value, is_int, is_real):
    assert v.is_int(value) is is_int
    assert v.is_real(value) is is_real


def test_check_tensor():
    assert v.check_tensor(torch.zeros(2), "x") is None
    with pytest.raises(TypeError, match=exact("x must be a torch.Tensor, got list")):
        v.check_tensor([1.0], "x")
    with pytest.raises(TypeError, match=exact("weight must be a torch.Tensor, got ndarray")):
        v.check_tensor(np.zeros(2), "weight")


def test_check_float():
    assert v.check_float(torch.zeros(2, dtype=torch.float16), "input") is None
    with pytest.raises(
        TypeError, match=exact("input must be a floating-point tensor, got dtype torch.int64")
    ):
        v.check_float(torch.zeros(2, dtype=torch.long), "input")
    with pytest.raises(TypeError, match=exact("input must be a floating-point tensor, got dtype torch.bool")):
        v.check_float(torch.zeros(2, dtype=torch.bool), "input")
    with pytest.raises(TypeError, match=exact("input must be a torch.Tensor, got float")):
        v.check_float(1.0, "input")


def test_check_dim():
    x = torch.zeros(2, 3)
    assert v.check_dim(x, -1) == 1 and v.check_dim(x, np.int64(0)) == 0
    assert v.check_dim(torch.tensor(1.0), -1) == 0  # a 0-d tensor has the one axis 0
    with pytest.raises(TypeError, match=exact("dim must be an int, got bool")):
        v.check_dim(x, True)
    with pytest.raises(TypeError, match=exact("dim must be an int, got float")):
        v.check_dim(x, 1.0)
    with pytest.raises(
        ValueError, match=exact("dim must be in [-2, 1] for an input with 2 dimensions, got -3")
    ):
        v.check_dim(x, -3)


def test_check_finite():
    for ok in (np.array([1.0, 2.0]), np.array([1, 2]), np.array(["a"]), torch.tensor([1, 2]), [0.5]):
        assert v.check_finite(ok, "y") is None
    with pytest.raises(ValueError, match=exact("Input y contains NaN.")):
        v.check_finite(np.array([1.0, np.nan, np.inf]), "y")  # NaN is named first
    with pytest.raises(ValueError, match=exact("Input y contains infinity.")):
        v.check_finite([1.0, -np.inf], "y")
    with pytest.raises(ValueError, match=exact("Input X contains NaN.")):
        v.check_finite(torch.tensor([[0.0, NAN]], dtype=torch.float64), "X")
    with pytest.raises(ValueError, match=exact("Input X contains infinity.")):
        v.check_finite(torch.tensor([INF]), "X")


def test_to_numpy():
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    np.testing.assert_array_equal(v.to_numpy(t, "y"), [1.0, 2.0])
    np.testing.assert_array_equal(v.to_numpy([[1, 2]], "y"), [[1, 2]])
    with pytest.raises(ValueError, match="priors must be a rectangular array of probabilities: "):
        v.to_numpy([[0.5, 0.5], [1.0]], "priors", "array of probabilities")


def test_check_int():
    assert v.check_int(np.int32(3), "n") == 3 and type(v.check_int(np.int32(3), "n")) is int
    assert v.check_int(-5, "ignore_index") == -5  # unbounded by default
    assert v.check_int(10, "n", minimum=1, maximum=10) == 10  # the bounds are inclusive
    for bad in (2.0, True, "2", None, torch.tensor(2)):
        with pytest.raises(TypeError, match=exact(f"n must be an int, got {type(bad).__name__}")):
            v.check_int(bad, "n", minimum=1)
    with pytest.raises(ValueError, match=exact("n_init must be >= 1, got 0")):
        v.check_int(0, "n_init", minimum=1)
    with pytest.raises(ValueError, match=exact("stage must be <= 3, got 4")):
        v.check_int(4, "stage", maximum=3)
    with pytest.raises(ValueError, match=exact("n_clusters must be in [1, 10], got 11")):
        v.check_int(11, "n_clusters", minimum=1, maximum=10)


def test_check_number():
    assert v.check_number(np.float32(0.5), "p") == 0.5 and type(v.check_number(1, "p")) is float
    assert math.isnan(v.check_number(NAN, "p"))  # the type only
    for bad in (True, "0.5", None, torch.tensor(0.5), 1j):
        with pytest.raises(TypeError, match=exact(f"p must be a real number, got {type(bad).__name__}")):
            v.check_number(bad, "p")


def test_check_real():
    assert v.check_real(2, "gamma", minimum=0) == 2.0
    assert v.check_real(0, "gamma", minimum=0) == 0.0  # a closed end by default
    assert v.check_real(INF, "max_norm", minimum=0, finite=False) == INF
    assert v.check_real(-INF, "norm_type", finite=False) == -INF
    with pytest.raises(TypeError, match=exact("gamma must be a real number, got bool")):
        v.check_real(True, "gamma", minimum=0)
    with pytest.raises(TypeError, match=exact("gamma must be a real number, got str")):
        v.check_real("2", "gamma")
    with pytest.raises(ValueError, match=exact("gamma must be finite, got nan")):
        v.check_real(NAN, "gamma", minimum=0)
    with pytest.raises(ValueError, match=exact("base_lr must be finite, got inf")):
        v.check_real(INF, "base_lr", minimum=0)
    with pytest.raises(ValueError, match=exact("max_norm must be a number, not NaN, got nan")):
        v.check_real(NAN, "max_norm", minimum=0, finite=False)  # NaN is refused even then
    with pytest.raises(ValueError, match=exact("eps must be >= 0, got -1.0")):
        v.check_real(-1, "eps", minimum=0)
    with pytest.raises(ValueError, match=exact("gamma must be > 0, got 0.0")):
        v.check_real(0.0, "gamma", minimum=0, strict_min=True)
    with pytest.raises(ValueError, match=exact("x must be <= 1, got 2.0")):
        v.check_real(2.0, "x", maximum=1)
    with pytest.raises(ValueError, match=exact("x must be < 1, got 1.0")):
        v.check_real(1.0, "x", maximum=1, strict_max=True)
    with pytest.raises(ValueError, match=exact("dropout must be in [0, 1), got 1.0")):
        v.check_real(1.0, "dropout", minimum=0, maximum=1, strict_max=True)
    with pytest.raises(ValueError, match=exact("x must be in (0, 1], got 0.0")):
        v.check_real(0.0, "x", minimum=0, maximum=1, strict_min=True)


def test_check_probability():
    assert v.check_probability(0, "alpha") == 0.0 and v.check_probability(1, "alpha") == 1.0
    with pytest.raises(TypeError, match=exact("alpha must be a real number, got bool")):
        v.check_probability(True, "alpha")
    with pytest.raises(ValueError, match=exact("alpha must be in [0, 1], got 1.5")):
        v.check_probability(1.5, "alpha")
    with pytest.raises(ValueError, match=exact("alpha must be finite, got nan")):
        v.check_probability(NAN, "alpha")


def test_check_bool():
    assert v.check_bool(False, "training") is False
    assert v.check_bool(np.bool_(True), "training") is True
    for bad in (1, 0, "yes", None, torch.tensor(True)):
        with pytest.raises(TypeError, match=exact(f"training must be a bool, got {type(bad).__name__}")):
            v.check_bool(bad, "training")


def test_check_choice():
    choices = ("none", "mean", "sum")
    assert v.check_choice("sum", "reduction", choices) == "sum"
    assert v.check_choice(np.str_("sum"), "reduction", choices) == "sum"
    assert v.check_choice(None, "unit", ("B", None)) is None
    with pytest.raises(
        ValueError, match=exact("reduction must be one of ('none', 'mean', 'sum'), got 'avg'")
    ):
        v.check_choice("avg", "reduction", choices)
    with pytest.raises(ValueError, match=r"^reduction must be one of \(.*\), got 'Mean'$"):
        v.check_choice("Mean", "reduction", choices)  # case-sensitive
    with pytest.raises(ValueError, match=r"^reduction must be one of \(.*\), got 1$"):
        v.check_choice(1, "reduction", choices)  # a choice is compared, its type not looked at
    with pytest.raises(ValueError, match=exact("flag must be one of (True, False), got 1")):
        v.check_choice(1, "flag", (True, False))  # 1 == True, but 1 is not the choice True
    with pytest.raises(ValueError, match=r"got array\(\[1, 2\]\)$"):
        v.check_choice(np.array([1, 2]), "unit", ("B", None))  # no elementwise comparison


# ---------------------------------------------------------------------------------------------------------
# The contract over the public API.

X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
LOGITS = torch.randn(2, 3, 4, 5, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
TARGET = torch.randint(0, 3, (2, 4, 5), generator=torch.Generator().manual_seed(1))
PRED = LOGITS.argmax(1)
CE_X = torch.randn(3, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
CE_Y = torch.tensor([0, 1, 2])
ONES = torch.ones(3, dtype=torch.float64)
BN_X = torch.randn(4, 3, generator=torch.Generator().manual_seed(3))
Q = torch.randn(2, 3, 4, generator=torch.Generator().manual_seed(4))
IMG = torch.ones(1, 1, 6, 6)
W = torch.empty(4, 3)


def _grads():
    p = torch.zeros(3, requires_grad=True)
    p.grad = torch.ones(3)
    return [p]


def _sched(fn, step=1, **kwargs):
    defaults = {
        optim.step_lr: {"base_lr": 1.0, "step_size": 2},
        optim.cosine_annealing: {"base_lr": 1.0, "total_steps": 5},
        optim.linear_warmup: {"base_lr": 1.0, "warmup_steps": 3},
        optim.warmup_cosine: {"base_lr": 1.0, "warmup_steps": 2, "total_steps": 5},
    }[fn]
    return lambda: fn(step, **{**defaults, **kwargs})


# (id, call, exception, message regex)
CONTRACT = [
    # the cases
    (
        "kmeans n_clusters=2.0",
        lambda: cluster.kmeans(X, 2.0),
        TypeError,
        "n_clusters must be an int, got float",
    ),
    ("step_lr step=2.0", _sched(optim.step_lr, step=2.0), TypeError, "step must be an int, got float"),
    (
        "focal gamma=True",
        lambda: losses.focal_loss(LOGITS, TARGET, gamma=True),
        TypeError,
        "gamma must be a real",
    ),
    (
        "focal gamma=nan",
        lambda: losses.focal_loss(LOGITS, TARGET, gamma=NAN),
        ValueError,
        "gamma must be finite",
    ),
    (
        "dice eps=-1",
        lambda: losses.dice_loss(LOGITS, TARGET, eps=-1),
        ValueError,
        "eps must be >= 0, got -1.0",
    ),
    # cluster
    (
        "kmeans n_clusters=True",
        lambda: cluster.kmeans(X, True),
        TypeError,
        "n_clusters must be an int, got bool",
    ),
    (
        "kmeans++ n_clusters=2.0",
        lambda: cluster.kmeans_plusplus(X, 2.0),
        TypeError,
        "n_clusters must be an int",
    ),
    (
        "kmeans n_clusters=5",
        lambda: cluster.kmeans(X, 5),
        ValueError,
        r"n_clusters must be in \[1, 4\], got 5",
    ),
    (
        "kmeans n_init=2.0",
        lambda: cluster.kmeans(X, 2, n_init=2.0),
        TypeError,
        "n_init must be an int, got float",
    ),
    (
        "kmeans n_init=True",
        lambda: cluster.kmeans(X, 2, n_init=True),
        TypeError,
        "n_init must be an int, got bool",
    ),
    ("kmeans max_iter=1.5", lambda: cluster.kmeans(X, 2, max_iter=1.5), TypeError, "max_iter must be an int"),
    (
        "kmeans tol=True",
        lambda: cluster.kmeans(X, 2, tol=True),
        TypeError,
        "tol must be a real number, got bool",
    ),
    (
        "kmeans tol='0'",
        lambda: cluster.kmeans(X, 2, tol="0"),
        TypeError,
        "tol must be a real number, got str",
    ),
    ("kmeans tol=nan", lambda: cluster.kmeans(X, 2, tol=NAN), ValueError, "tol must be finite, got nan"),
    ("kmeans tol=inf", lambda: cluster.kmeans(X, 2, tol=INF), ValueError, "tol must be finite, got inf"),
    ("kmeans seed=1.0", lambda: cluster.kmeans(X, 2, seed=1.0), TypeError, "seed must be an int, got float"),
    ("kmeans seed=-1", lambda: cluster.kmeans(X, 2, seed=-1), ValueError, "seed must be >= 0, got -1"),
    # learning-rate schedules
    ("step_lr step=True", _sched(optim.step_lr, step=True), TypeError, "step must be an int, got bool"),
    (
        "step_lr gamma=True",
        _sched(optim.step_lr, gamma=True),
        TypeError,
        "gamma must be a real number, got bool",
    ),
    ("step_lr gamma=nan", _sched(optim.step_lr, gamma=NAN), ValueError, "gamma must be finite"),
    ("step_lr gamma=0", _sched(optim.step_lr, gamma=0), ValueError, "gamma must be > 0, got 0.0"),
    ("step_lr step_size=2.0", _sched(optim.step_lr, step_size=2.0), TypeError, "step_size must be an int"),
    (
        "cosine base_lr=True",
        _sched(optim.cosine_annealing, base_lr=True),
        TypeError,
        "base_lr must be a real",
    ),
    ("cosine eta_min=nan", _sched(optim.cosine_annealing, eta_min=NAN), ValueError, "eta_min must be finite"),
    (
        "cosine total_steps=5.0",
        _sched(optim.cosine_annealing, total_steps=5.0),
        TypeError,
        "total_steps must",
    ),
    (
        "warmup start_factor=True",
        _sched(optim.linear_warmup, start_factor=True),
        TypeError,
        "start_factor must",
    ),
    (
        "warmup end_factor=nan",
        _sched(optim.linear_warmup, end_factor=NAN),
        ValueError,
        "end_factor must be finite",
    ),
    (
        "warmup_cosine warmup_steps=2.0",
        _sched(optim.warmup_cosine, warmup_steps=2.0),
        TypeError,
        "warmup_steps",
    ),
    (
        "warmup_cosine base_lr=inf",
        _sched(optim.warmup_cosine, base_lr=INF),
        ValueError,
        "base_lr must be finite",
    ),
    # segmentation losses
    (
        "focal gamma=inf",
        lambda: losses.focal_loss(LOGITS, TARGET, gamma=INF),
        ValueError,
        "gamma must be finite",
    ),
    ("focal gamma=-1", lambda: losses.focal_loss(LOGITS, TARGET, gamma=-1), ValueError, "gamma must be >= 0"),
    (
        "focal gamma='2'",
        lambda: losses.focal_loss(LOGITS, TARGET, gamma="2"),
        TypeError,
        "gamma must be a real",
    ),
    (
        "focal alpha=True",
        lambda: losses.focal_loss(LOGITS, TARGET, alpha=True),
        TypeError,
        "alpha must be None, a",
    ),
    ("focal alpha='0.25'", lambda: losses.focal_loss(LOGITS, TARGET, alpha="0.25"), TypeError, "got str"),
    (
        "focal alpha=nan",
        lambda: losses.focal_loss(LOGITS, TARGET, alpha=NAN),
        ValueError,
        "alpha must be finite",
    ),
    (
        "focal alpha=1.5",
        lambda: losses.focal_loss(LOGITS, TARGET, alpha=1.5),
        ValueError,
        r"alpha must be in \[0, 1\]",
    ),
    (
        "focal ignore_index=1.5",
        lambda: losses.focal_loss(LOGITS, TARGET, ignore_index=1.5),
        TypeError,
        "ignore_index",
    ),
    ("dice eps=nan", lambda: losses.dice_loss(LOGITS, TARGET, eps=NAN), ValueError, "eps must be finite"),
    ("dice eps=inf", lambda: losses.dice_loss(LOGITS, TARGET, eps=INF), ValueError, "eps must be finite"),
    (
        "dice eps=True",
        lambda: losses.dice_loss(LOGITS, TARGET, eps=True),
        TypeError,
        "eps must be a real number",
    ),
    (
        "dice per_class=1",
        lambda: losses.dice_loss(LOGITS, TARGET, per_class=1),
        TypeError,
        "per_class must be a bool",
    ),
    ("jaccard eps=-1", lambda: losses.jaccard_loss(LOGITS, TARGET, eps=-1), ValueError, "eps must be >= 0"),
    (
        "jaccard eps='1'",
        lambda: losses.jaccard_loss(LOGITS, TARGET, eps="1"),
        TypeError,
        "eps must be a real",
    ),
    ("tversky eps=-1", lambda: losses.tversky_loss(LOGITS, TARGET, eps=-1), ValueError, "eps must be >= 0"),
    (
        "tversky alpha=True",
        lambda: losses.tversky_loss(LOGITS, TARGET, alpha=True),
        TypeError,
        "alpha must be a",
    ),
    (
        "tversky alpha=-0.1",
        lambda: losses.tversky_loss(LOGITS, TARGET, alpha=-0.1),
        ValueError,
        "alpha must be >=",
    ),
    (
        "tversky beta=nan",
        lambda: losses.tversky_loss(LOGITS, TARGET, beta=NAN),
        ValueError,
        "beta must be finite",
    ),
    (
        "tversky beta=inf",
        lambda: losses.tversky_loss(LOGITS, TARGET, beta=INF),
        ValueError,
        "beta must be finite",
    ),
    (
        "mean_iou num_classes=3.0",
        lambda: losses.mean_iou(PRED, TARGET, num_classes=3.0),
        TypeError,
        "num_classes",
    ),
    (
        "mean_iou num_classes=True",
        lambda: losses.mean_iou(PRED, TARGET, num_classes=True),
        TypeError,
        "got bool",
    ),
    (
        "mean_iou ignore_index=1.5",
        lambda: losses.mean_iou(PRED, TARGET, num_classes=3, ignore_index=1.5),
        TypeError,
        "ignore_index must be an int",
    ),
    (
        "mean_iou per_class='yes'",
        lambda: losses.mean_iou(PRED, TARGET, num_classes=3, per_class="yes"),
        TypeError,
        "per_class must be a bool, got str",
    ),
    # cross-entropy and nll
    (
        "ce label_smoothing=nan",
        lambda: nn.cross_entropy(CE_X, CE_Y, label_smoothing=NAN),
        ValueError,
        "label_smoothing must be finite",
    ),
    (
        "ce label_smoothing=True",
        lambda: nn.cross_entropy(CE_X, CE_Y, label_smoothing=True),
        TypeError,
        "label_smoothing must be a real number, got bool",
    ),
    (
        "ce ignore_index=True",
        lambda: nn.cross_entropy(CE_X, CE_Y, ignore_index=True),
        TypeError,
        "ignore_index must be an int, got bool",
    ),
    (
        "nll reduction='avg'",
        lambda: nn.nll_loss(CE_X, CE_Y, reduction="avg"),
        ValueError,
        r"reduction must be one of \('none', 'mean', 'sum'\), got 'avg'",
    ),
    # activations
    (
        "leaky_relu slope=True",
        lambda: nn.leaky_relu(ONES, True),
        TypeError,
        "negative_slope must be a real number",
    ),
    ("leaky_relu slope=nan", lambda: nn.leaky_relu(ONES, NAN), ValueError, "negative_slope must be finite"),
    (
        "leaky_relu' slope=inf",
        lambda: nn.leaky_relu_derivative(ONES, INF),
        ValueError,
        "negative_slope must be",
    ),
    (
        "leaky_relu' slope='0.1'",
        lambda: nn.leaky_relu_derivative(ONES, "0.1"),
        TypeError,
        "negative_slope must be",
    ),
    ("elu alpha=True", lambda: nn.elu(ONES, alpha=True), TypeError, "alpha must be a real number, got bool"),
    ("elu alpha=inf", lambda: nn.elu(ONES, alpha=INF), ValueError, "alpha must be finite, got inf"),
    (
        "elu' alpha=nan",
        lambda: nn.elu_derivative(ONES, alpha=NAN),
        ValueError,
        "alpha must be finite, got nan",
    ),
    (
        "gelu approximate='erf'",
        lambda: nn.gelu(ONES, approximate="erf"),
        ValueError,
        "approximate must be one of",
    ),
    # dropout, normalization, attention
    ("dropout p=True", lambda: nn.dropout(ONES, p=True), TypeError, "p must be a real number, got bool"),
    ("dropout p=nan", lambda: nn.dropout(ONES, p=NAN), ValueError, "between 0 and 1, but got nan"),
    (
        "dropout training=1",
        lambda: nn.dropout(ONES, training=1),
        TypeError,
        "training must be a bool, got int",
    ),
    (
        "batch_norm momentum=True",
        lambda: nn.batch_norm(BN_X, None, None, training=True, momentum=True),
        TypeError,
        "momentum must be a real number, got bool",
    ),
    (
        "batch_norm momentum=nan",
        lambda: nn.batch_norm(BN_X, None, None, training=True, momentum=NAN),
        ValueError,
        "momentum must be finite",
    ),
    (
        "batch_norm momentum=1.5",
        lambda: nn.batch_norm(BN_X, None, None, training=True, momentum=1.5),
        ValueError,
        r"momentum must be in \[0, 1\], got 1.5",
    ),
    (
        "batch_norm eps=-1",
        lambda: nn.batch_norm(BN_X, None, None, training=True, eps=-1e-5),
        ValueError,
        "eps must be >= 0",
    ),
    (
        "batch_norm training=1",
        lambda: nn.batch_norm(BN_X, None, None, training=1),
        TypeError,
        "training must be a bool, got int",
    ),
    ("layer_norm eps=-1", lambda: nn.layer_norm(BN_X, 3, eps=-1.0), ValueError, "eps must be >= 0, got -1.0"),
    ("layer_norm eps=True", lambda: nn.layer_norm(BN_X, 3, eps=True), TypeError, "eps must be a real number"),
    (
        "sdpa dropout_p=True",
        lambda: nn.scaled_dot_product_attention(Q, Q, Q, dropout_p=True),
        TypeError,
        "dropout_p must be a real number, got bool",
    ),
    (
        "sdpa dropout_p=0.1",
        lambda: nn.scaled_dot_product_attention(Q, Q, Q, dropout_p=0.1),
        ValueError,
        "dropout_p must be 0",
    ),
    (
        "sdpa scale=nan",
        lambda: nn.scaled_dot_product_attention(Q, Q, Q, scale=NAN),
        ValueError,
        "scale must be finite",
    ),
    (
        "sdpa is_causal=1",
        lambda: nn.scaled_dot_product_attention(Q, Q, Q, is_causal=1),
        TypeError,
        "is_causal must be a bool, got int",
    ),
    # convolution and pooling
    (
        "conv_output_size ceil_mode=1",
        lambda: nn.conv_output_size(5, 2, ceil_mode=1),
        TypeError,
        "ceil_mode must be a",
    ),
    (
        "conv_output_size stride=True",
        lambda: nn.conv_output_size(5, 2, stride=True),
        TypeError,
        "stride must be an",
    ),
    (
        "max_pool2d ceil_mode=1",
        lambda: nn.max_pool2d(IMG, 2, ceil_mode=1),
        TypeError,
        "ceil_mode must be a bool",
    ),
    (
        "avg_pool2d count_include_pad=0",
        lambda: nn.avg_pool2d(IMG, 2, count_include_pad=0),
        TypeError,
        "count_include_pad must be a bool, got int",
    ),
    (
        "conv2d groups=True",
        lambda: nn.conv2d(IMG, torch.ones(1, 1, 3, 3), groups=True),
        TypeError,
        "groups must be an int, got bool",
    ),
    # initializers
    (
        "xavier_uniform_ gain=True",
        lambda: init.xavier_uniform_(W, gain=True),
        TypeError,
        "gain must be a real",
    ),
    ("xavier_uniform_ gain=-1", lambda: init.xavier_uniform_(W, gain=-1.0), ValueError, "gain must be >= 0"),
    ("xavier_normal_ gain=nan", lambda: init.xavier_normal_(W, gain=NAN), ValueError, "gain must be finite"),
    (
        "orthogonal_ gain=True",
        lambda: init.orthogonal_(W, gain=True),
        TypeError,
        "gain must be a real number",
    ),
    ("orthogonal_ gain=inf", lambda: init.orthogonal_(W, gain=INF), ValueError, "gain must be finite"),
    ("uniform_ a=True", lambda: init.uniform_(W, a=True), TypeError, "a must be a real number, got bool"),
    ("uniform_ b=nan", lambda: init.uniform_(W, b=NAN), ValueError, "b must be finite, got nan"),
    (
        "normal_ mean=True",
        lambda: init.normal_(W, mean=True),
        TypeError,
        "mean must be a real number, got bool",
    ),
    ("normal_ mean=inf", lambda: init.normal_(W, mean=INF), ValueError, "mean must be finite"),
    ("normal_ std=nan", lambda: init.normal_(W, std=NAN), ValueError, "std must be finite, got nan"),
    ("normal_ std='1'", lambda: init.normal_(W, std="1"), TypeError, "std must be a real number, got str"),
    (
        "kaiming_uniform_ a=nan",
        lambda: init.kaiming_uniform_(W, a=NAN),
        ValueError,
        "negative_slope must be finite",
    ),
    (
        "calculate_gain param=inf",
        lambda: init.calculate_gain("leaky_relu", INF),
        ValueError,
        "negative_slope must be finite",
    ),
    (
        "orthogonal_ method='lu'",
        lambda: init.orthogonal_(W, method="lu"),
        ValueError,
        "method must be one of",
    ),
    # gradient clipping
    ("clip max_norm=-1", lambda: optim.clip_grad_norm_(_grads(), -1.0), ValueError, "max_norm must be >= 0"),
    (
        "clip max_norm=nan",
        lambda: optim.clip_grad_norm_(_grads(), NAN),
        ValueError,
        "max_norm must be a number, not",
    ),
    (
        "clip max_norm=True",
        lambda: optim.clip_grad_norm_(_grads(), True),
        TypeError,
        "max_norm must be a real",
    ),
    (
        "clip norm_type=True",
        lambda: optim.clip_grad_norm_(_grads(), 1.0, True),
        TypeError,
        "norm_type must be a real",
    ),
    (
        "clip norm_type=nan",
        lambda: optim.clip_grad_norm_(_grads(), 1.0, NAN),
        ValueError,
        "norm_type must be a num",
    ),
    (
        "clip error_if_nonfinite=1",
        lambda: optim.clip_grad_norm_(_grads(), 1.0, 2.0, 1),
        TypeError,
        "error_if_nonfinite must be a bool",
    ),
    # models, memory, utils
    ("mlp bias=1", lambda: models.mlp([2, 3], bias=1), TypeError, "bias must be a bool, got int"),
    (
        "GPTConfig dropout=True",
        lambda: models.GPTConfig(dropout=True),
        TypeError,
        "dropout must be a real number",
    ),
    (
        "GPTConfig dropout='0.1'",
        lambda: models.GPTConfig(dropout="0.1"),
        TypeError,
        "dropout must be a real number",
    ),
    ("GPTConfig dropout=nan", lambda: models.GPTConfig(dropout=NAN), ValueError, "dropout must be finite"),
    (
        "GPTConfig layers=2.0",
        lambda: models.GPTConfig(layers=2.0),
        TypeError,
        "layers must be an int, got float",
    ),
    (
        "estimate_mlp bias=1",
        lambda: estimate_mlp(4, [2, 3], bias=1),
        TypeError,
        "bias must be a bool, got int",
    ),
    (
        "estimate_mlp batch=True",
        lambda: estimate_mlp(True, [2, 3]),
        TypeError,
        "batch must be an int, got bool",
    ),
    (
        "kv_cache_bytes seq_len=4096.0",
        lambda: kv_cache_bytes(1, 4096.0, 8, 128, 80),
        TypeError,
        "seq_len must be an int, got float",
    ),
    (
        "kv_cache_bytes batch=True",
        lambda: kv_cache_bytes(True, 8, 8, 128, 2),
        TypeError,
        "batch must be an int",
    ),
    ("kv_cache_bytes seq_len=0", lambda: kv_cache_bytes(1, 0, 8, 128, 2), ValueError, "seq_len must be >= 1"),
    ("format_bytes unit='MB'", lambda: format_bytes(5, unit="MB"), ValueError, r"unit must be one of \('B'"),
    ("set_seed seed=True", lambda: utils.set_seed(True), TypeError, "seed must be an int, got bool"),
    ("set_seed seed=2**32", lambda: utils.set_seed(2**32), ValueError, r"seed must be in \[0, 4294967295\]"),
    # metrics
    (
        "accuracy normalize=1",
        lambda: metrics.accuracy_score([0, 1], [0, 1], normalize=1),
        TypeError,
        "normalize must be a bool, got int",
    ),
    (
        "r2 force_finite=1",
        lambda: metrics.r2_score([1.0, 2.0], [1.0, 2.0], force_finite=1),
        TypeError,
        "force_finite must be a bool",
    ),
    (
        "interpolated AP recall_points=11.0",
        lambda: metrics.interpolated_average_precision([0, 1], [0.1, 0.9], recall_points=11.0),
        TypeError,
        "recall_points must be an int or 'all', got float",
    ),
    (
        "interpolated AP recall_points=1",
        lambda: metrics.interpolated_average_precision([0, 1], [0.1, 0.9], recall_points=1),
        ValueError,
        "recall_points must be >= 2, got 1",
    ),
    (
        "interpolated AP recall_points='most'",
        lambda: metrics.interpolated_average_precision([0, 1], [0.1, 0.9], recall_points="most"),
        ValueError,
        "recall_points must be one of",
    ),
    (
        "roc_curve drop_intermediate=1",
        lambda: metrics.roc_curve([0, 1], [0.1, 0.9], drop_intermediate=1),
        TypeError,
        "drop_intermediate must be a bool",
    ),
    (
        "pr_curve drop_intermediate='no'",
        lambda: metrics.precision_recall_curve([0, 1], [0.1, 0.9], drop_intermediate="no"),
        TypeError,
        "drop_intermediate must be a bool, got str",
    ),
    (
        "precision zero_division=True",
        lambda: metrics.precision_score([0, 1], [0, 1], zero_division=True),
        TypeError,
        "zero_division must be 'warn', 0, 1 or np.nan, got True",
    ),
    (
        "precision zero_division=None",
        lambda: metrics.precision_score([0, 1], [0, 1], zero_division=None),
        TypeError,
        "zero_division must be",
    ),
    (
        "precision zero_division='never'",
        lambda: metrics.precision_score([0, 1], [0, 1], zero_division="never"),
        ValueError,
        "zero_division must be",
    ),
    (
        "precision zero_division=2",
        lambda: metrics.precision_score([0, 1], [0, 1], zero_division=2),
        ValueError,
        "zero_division must be",
    ),
    # mirrors torch: the exception torch raises for the same input, not the contract's
    (
        "mirrors torch: SGD lr=-1",
        lambda: optim.SGD([torch.zeros(1, requires_grad=True)], lr=-1.0),
        ValueError,
        "Invalid learning rate: -1.0",
    ),
    (
        "mirrors torch: kaiming a=True",
        lambda: init.kaiming_normal_(W, a=True),
        ValueError,
        "negative_slope True not a valid number",
    ),
]


@pytest.mark.parametrize(("call", "exc", "match"), [c[1:] for c in CONTRACT], ids=[c[0] for c in CONTRACT])
def test_contract(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_the_contract_table_has_unique_ids():
    ids = [c[0] for c in CONTRACT]
    assert len(ids) == len(set(ids))


def test_numpy_scalars_and_bools_are_accepted():
    """The checks take NumPy integers, floats and bools as what they are; the values do not change."""
    assert cluster.kmeans(X, np.int64(2), seed=np.int32(0)).inertia == cluster.kmeans(X, 2, seed=0).inertia
    torch.testing.assert_close(
        losses.focal_loss(LOGITS, TARGET, gamma=np.float32(2.0)), losses.focal_loss(LOGITS, TARGET, gamma=2.0)
    )
    torch.testing.assert_close(
        losses.dice_loss(LOGITS, TARGET, per_class=np.bool_(True)),
        losses.dice_loss(LOGITS, TARGET, per_class=True),
    )
    assert metrics.accuracy_score([0, 1], [0, 0], normalize=np.bool_(False)) == 1.0
    assert optim.step_lr(np.int64(3), base_lr=np.float64(1.0), step_size=2, gamma=np.float32(0.5)) == 0.5


def test_boundary_values_are_accepted():
    """The closed ends of each range are valid: eps=0, gamma=0, alpha in {0, 1}, max_norm=inf, momentum=1."""
    assert torch.isfinite(losses.dice_loss(LOGITS, TARGET, eps=0))
    assert torch.isfinite(losses.tversky_loss(LOGITS, TARGET, alpha=0, beta=0, eps=1.0))
    torch.testing.assert_close(
        losses.focal_loss(LOGITS, TARGET, gamma=0), torch.nn.functional.cross_entropy(LOGITS, TARGET)
    )
    for alpha in (0, 1):
        assert torch.isfinite(losses.focal_loss(LOGITS, TARGET, alpha=alpha))
    assert float(optim.clip_grad_norm_(_grads(), INF)) == pytest.approx(math.sqrt(3))
    assert float(optim.clip_grad_norm_(_grads(), 0.0)) == pytest.approx(math.sqrt(3))
    nn.batch_norm(BN_X, torch.zeros(3), torch.ones(3), training=True, momentum=1.0, eps=0.0)
    assert init.orthogonal_(torch.empty(3, 3), gain=-1.0).shape == (3, 3)  # a negative gain stays allowed
