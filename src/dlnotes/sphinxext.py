"""Moved to :mod:`dlnotes.drill.sphinxext`; this path re-exports its public names."""

from dlnotes.drill.sphinxext import *  # noqa: F403
from dlnotes.drill.sphinxext import __all__ as __all__
