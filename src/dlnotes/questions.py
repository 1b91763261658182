"""Moved to :mod:`dlnotes.drill.questions`; this path re-exports its public names, so old imports keep working."""

from dlnotes.drill.questions import *  # noqa: F403
from dlnotes.drill.questions import __all__ as __all__
