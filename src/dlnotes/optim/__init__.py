r"""Optimizers, gradient clipping and learning-rate schedules written out step by step, mirroring torch.

- :mod:`dlnotes.optim.optimizers`: ``SGD``, ``Adagrad``, ``RMSprop``, ``Adadelta``, ``Adam`` and ``AdamW``,
  subclasses of :class:`torch.optim.Optimizer` with torch's arguments, checks, state keys and numbers;
- :mod:`dlnotes.optim.functional`: the per-parameter step of each (``sgd_update`` ... ``adam_update``), the
  code the book shows;
- :mod:`dlnotes.optim.clip`: ``clip_grad_norm_`` (``torch.nn.utils.clip_grad_norm_``);
- :mod:`dlnotes.optim.schedules`: ``step_lr``, ``cosine_annealing``, ``linear_warmup``, ``warmup_cosine``.

Every name is re-exported here: ``from dlnotes.optim import AdamW, warmup_cosine``.
"""

from dlnotes.optim.clip import clip_grad_norm_
from dlnotes.optim.functional import (
    adadelta_update,
    adagrad_update,
    adam_update,
    rmsprop_update,
    sgd_update,
)
from dlnotes.optim.optimizers import SGD, Adadelta, Adagrad, Adam, AdamW, RMSprop
from dlnotes.optim.schedules import cosine_annealing, linear_warmup, step_lr, warmup_cosine

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "RMSprop",
    "adadelta_update",
    "adagrad_update",
    "adam_update",
    "clip_grad_norm_",
    "cosine_annealing",
    "linear_warmup",
    "rmsprop_update",
    "sgd_update",
    "step_lr",
    "warmup_cosine",
]
