"""Plausible wrong solutions of every coding drill, one module per catalogue module (same name).

Each is registered with the case that must be the first to fail::

    @wrong("softmax", fails="large logits")
    def softmax_without_max(x, dim=-1):
        e = torch.exp(x)
        return e / e.sum(dim, keepdim=True)

``tests/drill/coding/test_drills.py`` checks that each one fails, first on that case, and that every drill has
at least two.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable

from dlnotes.drill.coding import CATALOGUE


@dataclasses.dataclass(frozen=True)
class Wrong:
    drill: str
    fails: str
    fn: Callable

    @property
    def id(self) -> str:
        return f"{self.drill}:{self.fn.__name__}"


WRONG: list[Wrong] = []


def wrong(drill: str, *, fails: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as a wrong solution of `drill` whose first failing case is `fails`."""

    def register(fn: Callable) -> Callable:
        WRONG.append(Wrong(drill, fails, fn))
        return fn

    return register


def load() -> list[Wrong]:
    """Every registered wrong solution (importing the modules that exist, in the catalogue's order)."""
    for module in CATALOGUE:
        try:
            importlib.import_module(f"tests.drill.coding.wrong.{module}")
        except ModuleNotFoundError as err:
            if err.name != f"tests.drill.coding.wrong.{module}":
                raise
    return list(WRONG)
