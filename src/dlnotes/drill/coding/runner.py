"""``dlnotes drill check NAME FILE``: run a solution file's function on a drill's cases in a child process.

The child (``python -m dlnotes.drill.coding.runner NAME FILE RESULT``) compiles the file, runs it as a module
named ``__solution__`` (so an ``if __name__ == "__main__":`` block does not run), takes the function the
drill's starter names and writes the :class:`~dlnotes.drill.coding.core.CheckResult` as JSON to RESULT. A
syntax error, an exception while the file runs, a missing function: each becomes a result that says so, with
the line. Each case has the drill's time limit inside the child; the parent kills a child that is still
running after the limit plus :data:`STARTUP_SECONDS` (a loop at import, or inside a C call) and reports
that. The reader's code can therefore neither crash nor hang the command.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable

from dlnotes.drill.coding.core import CheckResult, Drill, failed_to_run, result_of

__all__ = ["STARTUP_SECONDS", "check_file", "load_solution"]

#: Seconds the child may take beyond the drill's time limit (starting Python and importing torch).
STARTUP_SECONDS = 60.0


def load_solution(drill: Drill, path: str | os.PathLike) -> Callable:
    """Run the file at `path` and return its function named like the drill's starter.

    Raises
    ------
    ValueError
        With a one-line reason (and the line number) when the file has a syntax error, raises while it runs,
        or defines no such function.
    """
    path = pathlib.Path(path)
    source = path.read_text(encoding="utf-8")
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as err:
        raise ValueError(f"{path.name}, line {err.lineno}: syntax error: {err.msg}") from None
    namespace = {"__name__": "__solution__", "__file__": str(path)}
    try:
        exec(code, namespace)
    except (Exception, SystemExit) as err:
        frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == str(path)]
        line = f", line {frames[-1].lineno}" if frames else ""
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        raise ValueError(f"{path.name}{line}: raised {last} while the file ran") from None
    fn = namespace.get(drill.function_name)
    if not callable(fn):
        raise ValueError(
            f"{path.name} defines no function {drill.function_name!r}, which the drill checks "
            f"(`dlnotes drill show {drill.name} --starter` writes the signature)"
        )
    return fn


def _child(name: str, solution: str, out: str, time_limit: str) -> int:
    from dlnotes.drill.coding import get_drill

    drill = get_drill(name)
    try:
        fn = load_solution(drill, solution)
    except ValueError as err:
        result = failed_to_run(drill, str(err))
    else:
        result = result_of(drill, fn, time_limit=float(time_limit))
    pathlib.Path(out).write_text(json.dumps(result.to_json()), encoding="utf-8")
    return 0


def check_file(drill: Drill, path: str | os.PathLike, *, time_limit: float | None = None) -> CheckResult:
    """Check the solution file at `path` against `drill` in a child process; see the module's docstring.

    `time_limit` (seconds for all the cases) replaces the drill's own.

    Raises
    ------
    OSError
        If `path` is not a readable file (the message names it).
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no solution file at {str(path)!r}")
    with path.open(encoding="utf-8"):
        pass  # unreadable: fail here, with the path, not in the child
    cases_limit = drill.time_limit if time_limit is None else time_limit
    limit = cases_limit + STARTUP_SECONDS
    with tempfile.TemporaryDirectory(prefix="dlnotes-drill-") as tmp:
        out = pathlib.Path(tmp, "result.json")
        command = [
            sys.executable,
            "-m",
            "dlnotes.drill.coding.runner",
            drill.name,
            str(path.resolve()),
            str(out),
            str(cases_limit),
        ]
        try:
            process = subprocess.run(command, timeout=limit, stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            return failed_to_run(
                drill, f"the check did not finish in {limit:g} s and was stopped (an endless loop?)"
            )
        if not out.exists():
            return failed_to_run(
                drill,
                f"the solution's process ended (status {process.returncode}) before it reported a result",
            )
        return CheckResult.from_json(json.loads(out.read_text(encoding="utf-8")))


if __name__ == "__main__":
    sys.exit(_child(*sys.argv[1:5]))
