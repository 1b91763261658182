r"""Neural-network functions written from elementary tensor operations, mirroring ``torch.nn.functional``.

One module per topic, named like the chapter that teaches it; every public name is re-exported here, so
``from dlnotes.nn import conv2d`` works as ``from torch.nn.functional import conv2d`` does:

- :mod:`dlnotes.nn.activations`: ``sigmoid``, ``tanh``, ``relu``, ``leaky_relu``, ``elu``, ``gelu``, their
  closed-form derivatives, ``softmax`` and ``log_softmax``;
- :mod:`dlnotes.nn.losses`: ``nll_loss``, ``cross_entropy`` and the segmentation losses (``dice_loss``,
  ``jaccard_loss``, ``tversky_loss``, ``focal_loss``) with ``mean_iou``;
- :mod:`dlnotes.nn.normalization`: ``batch_norm``, ``layer_norm``;
- :mod:`dlnotes.nn.attention`: ``scaled_dot_product_attention``, ``multi_head_attention``;
- :mod:`dlnotes.nn.dropout`: ``dropout``;
- :mod:`dlnotes.nn.conv`: ``conv2d`` (im2col), ``conv2d_naive``, ``unfold``, ``max_pool2d``, ``avg_pool2d``,
  ``conv_output_size``.

Each function is tested against torch in float64 for values **and** gradients. Input errors are
``TypeError`` (not a tensor, wrong dtype) or ``ValueError`` (shapes, options), with messages that say what
was expected and what came, also where torch raises ``RuntimeError`` or ``IndexError`` for the same input.
Left out on purpose: the ``inplace`` and ``dtype`` arguments of torch's functions.
"""

from dlnotes.nn.activations import (
    GELU_TANH_CUBIC as GELU_TANH_CUBIC,
)
from dlnotes.nn.activations import (
    GELU_TANH_SCALE as GELU_TANH_SCALE,
)
from dlnotes.nn.activations import (
    elu,
    elu_derivative,
    gelu,
    gelu_derivative,
    leaky_relu,
    leaky_relu_derivative,
    log_softmax,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh,
    tanh_derivative,
)
from dlnotes.nn.attention import multi_head_attention, scaled_dot_product_attention
from dlnotes.nn.conv import avg_pool2d, conv2d, conv2d_naive, conv_output_size, max_pool2d, unfold
from dlnotes.nn.dropout import dropout
from dlnotes.nn.losses import cross_entropy, nll_loss
from dlnotes.nn.normalization import batch_norm, layer_norm

__all__ = [
    "avg_pool2d",
    "batch_norm",
    "conv2d",
    "conv2d_naive",
    "conv_output_size",
    "cross_entropy",
    "dropout",
    "elu",
    "elu_derivative",
    "gelu",
    "gelu_derivative",
    "layer_norm",
    "leaky_relu",
    "leaky_relu_derivative",
    "log_softmax",
    "max_pool2d",
    "multi_head_attention",
    "nll_loss",
    "relu",
    "relu_derivative",
    "scaled_dot_product_attention",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "tanh",
    "tanh_derivative",
    "unfold",
]
