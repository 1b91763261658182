"""The checker behind the coding drills: cases, comparison, time limits and the report.

A :class:`Drill` is a task ("write softmax"), a starter signature and a function that yields its
:class:`Case` objects from a seeded generator. :func:`check` runs the reader's function and the drill's
reference on every case (each on its own copy of the inputs), compares the two with the drill's tolerances and
returns a :class:`CheckResult`: passed or failed per case, and for the first failure the input's
description, the expected and the got values (shape, dtype, the largest difference and where) and a hint.

An exception in the reader's code fails that case with the exception's last line; a case that runs past the
drill's time limit fails with "time limit"; neither stops the checker. The cases are drawn from a generator
seeded by the drill's name, so a build shows the same report twice, but their values are not shown: a
function that returns one case's answer fails the others.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import html
import math
import signal
import threading
import time
import traceback
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import torch

__all__ = [
    "DIFFICULTIES",
    "Case",
    "CaseResult",
    "CheckResult",
    "Drill",
    "DrillError",
    "Mismatch",
    "compare",
    "describe",
    "run_checks",
]

#: The difficulty levels, easiest first.
DIFFICULTIES = ("easy", "medium", "hard")


class DrillError(ValueError):
    """A drill name that does not exist, or a drill whose definition is broken."""


class _TimeLimit(BaseException):
    """Raised inside the reader's code when the drill's time is up (BaseException: ``except Exception``
    in the reader's code does not swallow it)."""


@dataclasses.dataclass(frozen=True)
class Case:
    """One input on which the reader's function is run and compared with the reference.

    Attributes
    ----------
    name : str
        A short name shown in the report ("large logits", "ties", "step 1").
    description : str
        What the input is, in words and shapes, shown for a failing case ("x: 3×6 float64 in ±1000").
    args, kwargs : tuple and dict
        The call's arguments; each function gets its own deep copy, so an in-place change cannot leak.
    run : callable, optional
        ``run(fn, *args, **kwargs) -> value``: how to call the function when one call is not the whole
        case (several optimizer steps feeding the state back; a function that works in place, whose
        result is the tensors it changed). Default: ``fn(*args, **kwargs)``.
    verify : callable, optional
        ``verify(got) -> str | None``: a property check for functions whose output is random (dropout):
        a message when the property fails, ``None`` when it holds. The reference is then not compared with,
        only checked to satisfy `verify` too (by the tests).
    hint : str
        What usually goes wrong on this case; shown when it fails.
    rtol, atol : float, optional
        This case's tolerances when they differ from the drill's.
    """

    name: str
    description: str
    args: tuple = ()
    kwargs: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    run: Callable[[Callable], Any] | None = None
    verify: Callable[[Any], str | None] | None = None
    hint: str = ""
    rtol: float | None = None
    atol: float | None = None

    def call(self, fn: Callable) -> Any:
        """Run `fn` on fresh copies of this case's inputs."""
        args, kwargs = copy.deepcopy(self.args), copy.deepcopy(dict(self.kwargs))
        if self.run is not None:
            return self.run(fn, *args, **kwargs)
        return fn(*args, **kwargs)


@dataclasses.dataclass(frozen=True)
class Drill:
    """One coding drill: the task, where it belongs, the reference and the cases.

    Attributes
    ----------
    name : str
        The drill's name (``dlnotes drill check NAME``), lower case with hyphens.
    title : str
        The task in a few words ("Softmax that does not overflow").
    chapter : str
        The chapter's document name, e.g. ``"book/training/activations"``.
    difficulty : str
        One of :data:`DIFFICULTIES`.
    minutes : int
        The time to aim for, as in an interview.
    statement : str
        The task in MyST Markdown (math in ``$...$``).
    starter : str
        The function's signature and docstring, without a body.
    reference : callable
        The drill's answer, built on the package's implementation.
    solution : str
        The dotted name of the package's function the solution shows (``{source}`` in the book).
    cases : callable
        ``cases(generator) -> iterable of Case``, with a ``torch.Generator`` seeded by the drill's name.
    rtol, atol : float
        Tolerances of the comparison (float64 inputs: tight).
    time_limit : float
        Seconds for all the cases together; a case still running then fails.
    imports : str
        The lines a solution file starts with (``import torch``).
    """

    name: str
    title: str
    chapter: str
    difficulty: str
    minutes: int
    statement: str
    starter: str
    reference: Callable
    solution: str
    cases: Callable[[torch.Generator], Iterable[Case]]
    rtol: float = 1e-7
    atol: float = 1e-9
    time_limit: float = 10.0
    imports: str = "import torch"

    def __post_init__(self) -> None:
        if self.difficulty not in DIFFICULTIES:
            raise DrillError(
                f"drill {self.name!r}: difficulty must be one of {DIFFICULTIES}, got {self.difficulty!r}"
            )
        if not self.function_name:
            raise DrillError(f"drill {self.name!r}: its starter must define a function, got {self.starter!r}")

    @property
    def function_name(self) -> str:
        """The name of the function the starter defines (what a solution file must define)."""
        for line in self.starter.strip().splitlines():
            if line.startswith("def "):
                return line[4:].split("(", 1)[0].strip()
        return ""

    @property
    def seed(self) -> int:
        """The cases' seed: a checksum of the name, the same on every machine and every run."""
        return zlib.crc32(self.name.encode())

    def make_cases(self) -> list[Case]:
        """The drill's cases, drawn afresh from the seeded generator (so each check starts identical)."""
        generator = torch.Generator().manual_seed(self.seed)
        cases = list(self.cases(generator))
        if len({case.name for case in cases}) != len(cases):
            raise DrillError(f"drill {self.name!r}: two cases share a name")
        return cases

    def starter_file(self) -> str:
        """A solution file to start from: a header, the imports and the starter with an empty body."""
        header = (
            f'"""Coding drill {self.name}: {self.title} ({self.difficulty}, {self.minutes} min).\n\n'
            f'Check it with: dlnotes drill check {self.name} {self.function_name}.py\n"""\n'
        )
        body = self.starter.strip("\n") + '\n    raise NotImplementedError("write the function here")\n'
        return f"{header}\n{self.imports.strip()}\n\n\n{body}"


# --- comparison -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Mismatch:
    """Why a value differs from the expected one: `where` it is (``"[1]"`` inside a tuple) and a message."""

    where: str
    message: str


def describe(value: Any) -> str:
    """A value in a few words: ``tensor (3, 4) float64``, ``ndarray (5,) int64``, ``float``, ``tuple of 3``.

    Examples
    --------
    >>> describe(torch.zeros(2, 3, dtype=torch.float64)), describe((1, 2.0)), describe(None)
    ('tensor (2, 3) float64', 'tuple of 2', 'None')
    """
    if isinstance(value, torch.Tensor):
        return f"tensor {tuple(value.shape)} {str(value.dtype).removeprefix('torch.')}"
    if isinstance(value, np.ndarray):
        return f"ndarray {value.shape} {value.dtype}"
    if isinstance(value, tuple | list):
        return f"{type(value).__name__} of {len(value)}"
    if value is None:
        return "None"
    return type(value).__name__


def _array(value: Any) -> np.ndarray | None:
    """`value` as a NumPy array of numbers or booleans, or ``None`` if it is not numeric."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        if value.is_complex():
            return None
        return value.numpy() if value.dtype != torch.bfloat16 else value.double().numpy()
    if isinstance(value, bool | int | float | np.number | np.bool_):
        return np.asarray(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value
    return None


def _number(x, digits: int = 6) -> str:
    return f"{float(x):.{digits}g}" if isinstance(x, float | np.floating) else str(x)


def _index(flat: int, shape: tuple[int, ...]) -> str:
    return "" if not shape else " at [" + ", ".join(map(str, np.unravel_index(flat, shape))) + "]"


def _compare_arrays(expected: np.ndarray, got: np.ndarray, rtol: float, atol: float) -> str | None:
    if got.shape != expected.shape:
        return f"shape {got.shape}, expected {expected.shape}"
    if expected.size == 0:
        return None
    e = expected.astype(np.float64)
    g = got.astype(np.float64)
    both_nan = np.isnan(e) & np.isnan(g)
    same_inf = np.isinf(e) & (e == g)
    with np.errstate(invalid="ignore"):
        excess = np.abs(g - e) - (atol + rtol * np.abs(e))
    excess = np.where(both_nan | same_inf, -np.inf, excess)
    excess = np.where(np.isnan(excess), np.inf, excess)  # a NaN or inf where a number was expected
    worst = int(np.argmax(excess))
    if excess.flat[worst] <= 0:
        return None
    bad = int(np.count_nonzero(excess > 0))
    e_w, g_w = expected.flat[worst], got.flat[worst]
    finite = np.isfinite(float(e_w)) and np.isfinite(float(g_w))
    diff = abs(float(g_w) - float(e_w)) if finite else math.inf
    digits = 6  # enough digits that the two numbers shown differ
    if finite and diff > 0 and float(e_w) != 0:
        digits = min(17, max(6, 2 + math.ceil(-math.log10(diff / abs(float(e_w))))))
    where = "" if not expected.shape else "at " + _index(worst, expected.shape).removeprefix(" at ") + ": "
    size = f" (difference {diff:.3g})" if finite else ""
    share = f"; {bad} of {expected.size} entries outside the tolerance" if expected.size > 1 else ""
    return f"{where}got {_number(g_w, digits)}, expected {_number(e_w, digits)}{size}{share}"


def compare(expected: Any, got: Any, *, rtol: float, atol: float, where: str = "") -> Mismatch | None:
    """``None`` when `got` matches `expected` within the tolerances, else the first :class:`Mismatch`.

    Tensors, arrays and numbers compare by value (``|got - expected| <= atol + rtol·|expected|``, NaN equal
    to NaN, the same infinities equal) after a shape check; a Python number matches a 0-d tensor. Tuples,
    lists and dicts compare item by item, strings and ``None`` exactly.

    Examples
    --------
    >>> compare(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5]), rtol=0, atol=1e-6).message
    'at [1]: got 2.5, expected 2 (difference 0.5); 1 of 2 entries outside the tolerance'
    >>> compare((1, torch.ones(2)), (1, torch.ones(3)), rtol=0, atol=0)
    Mismatch(where='[1]', message='got tensor (3,) float32, expected tensor (2,) float32: the shapes differ')
    """
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            return Mismatch(where, f"got {describe(got)}, expected {describe(expected)}")
        for i, (e, g) in enumerate(zip(expected, got)):
            found = compare(e, g, rtol=rtol, atol=atol, where=f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping) or set(got) != set(expected):
            keys = sorted(map(str, expected))
            return Mismatch(where, f"got {describe(got)}, expected a dict with keys {keys}")
        for key in expected:
            found = compare(expected[key], got[key], rtol=rtol, atol=atol, where=f"{where}[{key!r}]")
            if found:
                return found
        return None
    e = _array(expected)
    if e is None:
        return None if got == expected else Mismatch(where, f"got {got!r}, expected {expected!r}")
    g = _array(got)
    if g is None:
        return Mismatch(where, f"got {describe(got)}, expected {describe(expected)}")
    if e.shape != g.shape:
        shapes = f"shape {g.shape}, expected {e.shape}"
        if isinstance(got, torch.Tensor | np.ndarray) and isinstance(expected, torch.Tensor | np.ndarray):
            shapes = f"got {describe(got)}, expected {describe(expected)}: the shapes differ"
        return Mismatch(where, shapes)
    message = _compare_arrays(e, g, rtol, atol)
    if message is None:
        return None
    arrays = (torch.Tensor, np.ndarray)
    if isinstance(got, arrays) and isinstance(expected, arrays) and describe(got) != describe(expected):
        # e.g. float32 where float64 came in: say so (a NumPy scalar for a Python float is no news)
        message = f"{message}; got {describe(got)}, expected {describe(expected)}"
    return Mismatch(where, message)


# --- running ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`_TimeLimit` in this thread after `seconds` (SIGALRM; no limit off the main thread)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _last_line(err: BaseException) -> str:
    """The exception's last line, as Python prints it (``ZeroDivisionError: division by zero``)."""
    lines = traceback.format_exception_only(type(err), err)
    return lines[-1].strip() if lines else type(err).__name__


def _reader_frame(err: BaseException) -> str:
    """Where in the reader's code the exception came from: `` (solution.py, line 8)``, or the cell's line."""
    frames = traceback.extract_tb(err.__traceback__)
    for frame in reversed(frames):
        path = frame.filename.replace("\\", "/")
        if "dlnotes/drill/coding" not in path and "/torch/" not in path and "/numpy/" not in path:
            name = path.rsplit("/", 1)[-1]
            if "ipykernel_" in path or not name.endswith(".py"):  # a notebook cell
                return f" (line {frame.lineno} of the cell)"
            return f" ({name}, line {frame.lineno})"
    return ""


def _warned(caught: list) -> str:
    """`` (it warned: RuntimeWarning: invalid value encountered in divide)`` for the first warning, if any."""
    if not caught:
        return ""
    first = caught[0]
    return f" (it warned: {first.category.__name__}: {first.message})"


@dataclasses.dataclass(frozen=True)
class CaseResult:
    """The outcome of one case: `passed`, and for a failure what went wrong (`message`) and a `hint`."""

    name: str
    description: str
    passed: bool
    message: str = ""
    hint: str = ""
    seconds: float = 0.0


def run_checks(drill: Drill, fn: Callable, *, time_limit: float | None = None) -> list[CaseResult]:
    """Run `fn` on every case of `drill`; see :func:`dlnotes.drill.coding.check`."""
    limit = drill.time_limit if time_limit is None else time_limit
    results = []
    start = time.perf_counter()
    for case in drill.make_cases():
        rtol = drill.rtol if case.rtol is None else case.rtol
        atol = drill.atol if case.atol is None else case.atol
        left = limit - (time.perf_counter() - start)
        if left <= 0:
            results.append(
                CaseResult(case.name, case.description, False, "not run: the time limit was spent")
            )
            continue
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:  # the reader's warnings go in the report
            warnings.simplefilter("always")
            try:
                with _deadline(left):
                    got = case.call(fn)
            except _TimeLimit:
                message = f"time limit: still running after {limit:g} s (an endless loop, or far too slow?)"
                results.append(CaseResult(case.name, case.description, False, message, case.hint, limit))
                continue
            except (Exception, SystemExit) as err:  # the reader's bug fails the case, never the checker
                message = f"raised {_last_line(err)}{_reader_frame(err)}"
                if isinstance(err, NotImplementedError):
                    message = "raised NotImplementedError: the function has no body yet"
                seconds = time.perf_counter() - t0
                message += _warned(caught)
                results.append(CaseResult(case.name, case.description, False, message, case.hint, seconds))
                continue
        seconds = time.perf_counter() - t0
        if case.verify is not None:
            problem = case.verify(got)
        else:
            expected = case.call(drill.reference)
            found = compare(expected, got, rtol=rtol, atol=atol)
            problem = None if found is None else (f"{found.where}: " if found.where else "") + found.message
        if problem:
            problem += _warned(caught)
        results.append(
            CaseResult(
                case.name,
                case.description,
                problem is None,
                problem or "",
                case.hint if problem else "",
                seconds,
            )
        )
    return results


# --- the report -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """What :func:`~dlnotes.drill.coding.check` found: one :class:`CaseResult` per case.

    ``bool(result)`` is :attr:`passed`. ``str(result)`` is the terminal report; in a notebook the result
    renders as a short HTML table (``_repr_html_``) or Markdown (``_repr_markdown_``). The report lists
    every case and explains the first failure: its input, expected against got, and a hint.
    """

    drill: str
    title: str
    cases: tuple[CaseResult, ...]
    rtol: float
    atol: float
    error: str = ""  # the solution could not be run at all (a syntax error, no such function)

    @property
    def passed(self) -> bool:
        """True when there was at least one case and every case passed."""
        return not self.error and bool(self.cases) and all(c.passed for c in self.cases)

    @property
    def first_failure(self) -> CaseResult | None:
        """The first failing case, or None."""
        return next((c for c in self.cases if not c.passed), None)

    @property
    def n_passed(self) -> int:
        return sum(c.passed for c in self.cases)

    def __bool__(self) -> bool:
        return self.passed

    def summary(self) -> str:
        """One line: ``softmax: 3 of 4 cases passed``."""
        if self.error:
            return f"{self.drill}: could not run the solution: {self.error}"
        verdict = "all passed" if self.passed else "FAILED"
        return f"{self.drill}: {self.n_passed} of {len(self.cases)} cases passed ({verdict})"

    def _detail(self, case: CaseResult) -> list[str]:
        lines = [f"input: {case.description}", case.message]
        if case.hint:
            lines.append(f"hint: {case.hint}")
        return lines

    def __str__(self) -> str:
        lines = [self.summary()]
        first = self.first_failure
        for case in self.cases:
            mark = "✓" if case.passed else "✗"
            lines.append(f"  {mark} {case.name}")
            if case is first:
                lines.extend(f"      {line}" for line in self._detail(case))
            elif not case.passed:
                lines.append(f"      {case.message}")
        if not self.error:
            lines.append(f"  tolerance: rtol {self.rtol:g}, atol {self.atol:g}")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.summary()}**", ""]
        first = self.first_failure
        for case in self.cases:
            mark = "✓" if case.passed else "✗"
            lines.append(f"- {mark} {case.name}")
            if case is first:
                lines.extend(f"  - {line}" for line in self._detail(case))
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#cf222e"
        rows = []
        first = self.first_failure
        for case in self.cases:
            mark = "✓" if case.passed else "✗"
            rows.append(
                f'<li><span style="color:{"#1a7f37" if case.passed else "#cf222e"}">{mark}</span> '
                f"{html.escape(case.name)}"
            )
            if case is first:
                detail = "<br>".join(html.escape(line) for line in self._detail(case))
                rows.append(f'<div class="drill-failure" style="margin-left:1.5em">{detail}</div>')
            rows.append("</li>")
        return (
            f'<div class="drill-report"><p style="color:{colour}"><strong>{html.escape(self.summary())}'
            f'</strong></p><ul style="list-style:none;padding-left:0.5em">{"".join(rows)}</ul></div>'
        )

    def to_json(self) -> dict:
        """A JSON-ready dict (the command line's worker process sends it back this way)."""
        return {**dataclasses.asdict(self), "cases": [dataclasses.asdict(c) for c in self.cases]}

    @classmethod
    def from_json(cls, data: Mapping) -> CheckResult:
        cases = tuple(CaseResult(**c) for c in data["cases"])
        return cls(data["drill"], data["title"], cases, data["rtol"], data["atol"], data.get("error", ""))


def result_of(drill: Drill, fn: Callable, *, time_limit: float | None = None) -> CheckResult:
    """:func:`run_checks` wrapped in a :class:`CheckResult`."""
    cases = tuple(run_checks(drill, fn, time_limit=time_limit))
    return CheckResult(drill.name, drill.title, cases, drill.rtol, drill.atol)


def failed_to_run(drill: Drill, error: str) -> CheckResult:
    """The result for a solution that could not be run at all (`error` says why)."""
    return CheckResult(drill.name, drill.title, (), drill.rtol, drill.atol, error)
