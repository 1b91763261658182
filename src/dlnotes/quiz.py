"""Moved to :mod:`dlnotes.drill.quiz`; this path re-exports its public names."""

from dlnotes.drill.quiz import *  # noqa: F403
from dlnotes.drill.quiz import __all__ as __all__
