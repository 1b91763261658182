"""Moved to :mod:`dlnotes.drill.questions`; this path re-exports its public names."""

from dlnotes.drill.questions import *  # noqa: F403
from dlnotes.drill.questions import __all__ as __all__
