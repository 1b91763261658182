"""The chapters' time budget, checked from myst-nb's own execution records while the book builds.

The book build executes every chapter once (``make test`` starts from an empty cache); myst-nb records how
long each notebook took (``runtime``, in seconds, also for a notebook taken from the cache, where it is the
time of the run that filled the cache). After reading, :func:`check_budget` warns about every notebook over
``dlnotes_notebook_budget_s`` (60 s by default), so ``jupyter-book build -W`` fails on it, and
:func:`write_times` leaves the times in ``_build/execution-times.json``, slowest first.
"""

from __future__ import annotations

import json
import pathlib
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = ["BUDGET_CONFIG", "DEFAULT_BUDGET_S", "check_budget", "execution_times", "write_times"]

#: The Sphinx configuration value (``sphinx: config:`` in ``_config.yml``) that sets the budget.
BUDGET_CONFIG = "dlnotes_notebook_budget_s"
#: Seconds one chapter may take to execute on two CPU cores.
DEFAULT_BUDGET_S = 60.0

_logger = logging.getLogger(__name__)


def execution_times(env: BuildEnvironment) -> dict[str, float]:
    """Return the execution time in seconds of every executed notebook of the build, by document name.

    Parameters
    ----------
    env : sphinx.environment.BuildEnvironment
        The build environment; myst-nb keeps its records in ``env.nb_metadata``.

    Returns
    -------
    dict of str to float
        Seconds per document, for the documents that myst-nb executed or took from its cache.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> env = SimpleNamespace(nb_metadata={"a": {"exec_data": {"runtime": 1.5}}, "b": {}})
    >>> execution_times(env)
    {'a': 1.5}
    """
    times = {}
    for docname, data in getattr(env, "nb_metadata", {}).items():
        runtime = (data.get("exec_data") or {}).get("runtime")
        if runtime is not None:
            times[docname] = float(runtime)
    return times


def check_budget(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn (type ``dlnotes.budget``) for every notebook whose execution took longer than the budget."""
    budget = float(getattr(app.config, BUDGET_CONFIG))
    for docname, seconds in sorted(execution_times(env).items()):
        if seconds > budget:
            _logger.warning(
                f"executing {docname} took {seconds:.1f} s, over the {budget:.0f} s budget of a chapter: "
                "shrink the demo until it fits (never skip it)",
                location=docname,
                type="dlnotes",
                subtype="budget",
            )


def write_times(app: Sphinx, exception: Exception | None) -> None:
    """Write ``execution-times.json`` (seconds per chapter, slowest first) beside the build's outputs."""
    if exception is not None:
        return
    times = execution_times(app.env)
    if not times:
        return
    ordered = dict(sorted(times.items(), key=lambda item: -item[1]))
    path = pathlib.Path(app.doctreedir).parent / "execution-times.json"
    path.write_text(json.dumps({"seconds": ordered, "total": sum(times.values())}, indent=1) + "\n")
    slowest = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in list(ordered.items())[:3])
    _logger.info(f"notebooks executed in {sum(times.values()):.1f} s; slowest: {slowest} ({path})")


def setup(app: Sphinx) -> None:
    """Register the budget's configuration value and the two event handlers."""
    app.add_config_value(BUDGET_CONFIG, DEFAULT_BUDGET_S, "env", [float, int])
    app.connect("env-check-consistency", check_budget)
    app.connect("build-finished", write_times)
