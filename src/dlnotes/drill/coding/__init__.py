"""Coding drills: write softmax, Adam or ROC-AUC yourself and have the book check it.

Each drill is a task an interviewer gives ("implement softmax so that it does not overflow"), a starter
signature and a checker. :func:`check` runs your function on the drill's seeded cases, including the edge
cases interviewers probe (logits of 1000, tied scores, step 1 of Adam, a gradient of norm zero, an empty
cluster), and returns a report that says which case failed, on what input, by how much and why it usually
does:

>>> import torch
>>> from dlnotes.drill.coding import check
>>> def softmax(x, dim=-1):  # the first attempt most people write
...     e = torch.exp(x)
...     return e / e.sum(dim, keepdim=True)
>>> result = check("softmax", softmax)
>>> result.passed, result.first_failure.name
(False, 'large logits')

The same drills run from the command line: ``dlnotes drill list``, ``dlnotes drill show softmax --starter >
softmax.py``, ``dlnotes drill check softmax softmax.py`` (which remembers what you solved). The catalogue is
in :mod:`dlnotes.drill.coding.catalogue`, one module per chapter, named like the chapter's file; the
machinery in :mod:`dlnotes.drill.coding.core`.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from typing import Any

import torch

from dlnotes.drill.coding.core import (
    DIFFICULTIES,
    Case,
    CaseResult,
    CheckResult,
    Drill,
    DrillError,
    result_of,
)

__all__ = [
    "DIFFICULTIES",
    "Case",
    "CaseResult",
    "CheckResult",
    "Drill",
    "DrillError",
    "Statement",
    "check",
    "drill",
    "drills",
    "get_drill",
    "randn",
    "zeros",
    "register",
    "show",
]

#: The catalogue's modules, one per chapter (named like the chapter's file), in the book's order.
CATALOGUE = (
    "probability",
    "gradient_descent",
    "optimizers",
    "weight_decay",
    "lr_schedules",
    "initialization",
    "activations",
    "gradients",
    "normalization",
    "transformer_stability",
    "overfitting",
    "classification_metrics",
    "roc_pr",
    "regression_metrics",
    "convolution_pooling",
    "segmentation",
    "kmeans",
    "training_memory",
)

_REGISTRY: dict[str, Drill] = {}
_LOADED = False


def register(drill: Drill) -> Drill:
    """Add `drill` to the catalogue (the catalogue modules call it); a name used twice is an error."""
    if drill.name in _REGISTRY and _REGISTRY[drill.name] is not drill:
        raise DrillError(f"two drills are named {drill.name!r}")
    _REGISTRY[drill.name] = drill
    return drill


def _load() -> None:
    global _LOADED
    if not _LOADED:
        for module in CATALOGUE:
            importlib.import_module(f"dlnotes.drill.coding.catalogue.{module}")
        _LOADED = True


def drills(chapter: str | None = None) -> list[Drill]:
    """Every drill, in the book's order; only those of `chapter` (a document name) when given."""
    _load()
    return [d for d in _REGISTRY.values() if chapter is None or d.chapter == chapter]


def get_drill(name: str) -> Drill:
    """The drill called `name`.

    Raises
    ------
    DrillError
        If there is none; the message suggests the closest names.
    """
    _load()
    if isinstance(name, Drill):
        return name
    if not isinstance(name, str):
        raise TypeError(f"a drill's name must be a str, got {type(name).__name__}")
    try:
        return _REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, _REGISTRY, n=3, cutoff=0.5)
        maybe = f"; did you mean {', '.join(close)}?" if close else "; `dlnotes drill list` shows them all"
        raise DrillError(f"there is no drill called {name!r}{maybe}") from None


def check(name: str | Drill, fn: Callable, *, time_limit: float | None = None) -> CheckResult:
    """Run your function `fn` on every case of the drill `name` and report what passed.

    Parameters
    ----------
    name : str or Drill
        The drill (``dlnotes drill list`` shows the names).
    fn : callable
        Your function, with the drill's signature.
    time_limit : float, optional
        Seconds for all the cases together (the drill's own limit when omitted); a case still running then
        fails, in the main thread of a process that has ``SIGALRM`` (Linux and macOS terminals, Jupyter).

    Returns
    -------
    CheckResult
        Passed or failed per case; it prints as a report, and renders as one in a notebook.

    Raises
    ------
    DrillError
        If there is no such drill.
    TypeError
        If `fn` is not callable.
    """
    drill = get_drill(name)
    if not callable(fn):
        raise TypeError(f"check({drill.name!r}, fn) needs a function, got {type(fn).__name__}")
    return result_of(drill, fn, time_limit=time_limit)


class Statement:
    """A drill's task as the book shows it: title, difficulty, time target, statement and starter."""

    def __init__(self, drill: Drill) -> None:
        self.drill = drill

    def markdown(self) -> str:
        d = self.drill
        return (
            f"**Coding drill: {d.title}** ({d.difficulty}, {d.minutes} min)\n\n{d.statement.strip()}\n\n"
            f"```python\n{d.starter.strip()}\n```\n\n"
            f'Check it with `check("{d.name}", {d.function_name})`, or from a terminal: '
            f"`dlnotes drill check {d.name} {d.function_name}.py`.\n"
        )

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return self.markdown()


def show(name: str | Drill) -> Statement:
    """The drill's statement, which a notebook renders as Markdown (and ``print`` shows as text)."""
    return Statement(get_drill(name))


def drill(**fields: Any) -> Callable[[Callable], Drill]:
    """Decorator for the catalogue: the decorated function is the drill's `cases`; the rest are fields.

    Examples
    --------
    A catalogue module writes (``reference`` built on the package's function)::

        @drill(name="softmax", title="Softmax that does not overflow", chapter="book/training/activations",
               difficulty="easy", minutes=5, statement="...", starter="def softmax(x, dim=-1):",
               reference=lambda x, dim=-1: nn.softmax(x, dim), solution="dlnotes.nn.softmax")
        def _(g):
            yield Case("small logits", "x: 4×5 float64", args=(randn(g, 4, 5),))
    """

    def register_cases(cases: Callable) -> Drill:
        return register(Drill(cases=cases, **fields))

    return register_cases


def randn(generator: torch.Generator, *shape: int, scale: float = 1.0) -> torch.Tensor:
    """Standard normal float64 numbers (times `scale`) from the case generator: the catalogue's inputs."""
    return scale * torch.randn(shape, generator=generator, dtype=torch.float64)


def zeros(*shape: int) -> torch.Tensor:
    """Float64 zeros: the starting state of an optimizer's moments in the catalogue's cases."""
    return torch.zeros(shape, dtype=torch.float64)
