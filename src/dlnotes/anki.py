"""Moved to :mod:`dlnotes.drill.anki`; this path re-exports its public names."""

from dlnotes.drill.anki import *  # noqa: F403
from dlnotes.drill.anki import __all__ as __all__
