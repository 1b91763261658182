"""pytest plugin: fail the run when a notebook takes longer than its time budget.

nbval runs a notebook as one test per cell; this plugin adds up the cells' times per notebook (kernel start
included) and turns a notebook over ``BUDGET_S`` into a failed run. Load it with ``-p tools.nbtiming``.
"""

from __future__ import annotations

import collections

import pytest

from dlnotes.drill.execution import DEFAULT_BUDGET_S

#: Seconds one notebook may take on the CI machine (2 CPU cores): the same budget as the book build's.
BUDGET_S = DEFAULT_BUDGET_S

_seconds: dict[str, float] = collections.defaultdict(float)
_over: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds[path] += report.duration


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _over.update({path: s for path, s in _seconds.items() if s > BUDGET_S})
    if _over and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not _seconds:
        return
    terminalreporter.section("notebook times")
    for path, seconds in sorted(_seconds.items(), key=lambda item: -item[1]):
        flag = f"  OVER THE {BUDGET_S:.0f} s BUDGET" if path in _over else ""
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}{flag}")
    if _over:
        terminalreporter.write_line(
            f"{len(_over)} notebook(s) over the {BUDGET_S:.0f} s budget: the run fails; "
            "shrink the demo, never skip it",
            red=True,
        )
