"""Every coding drill's checker, run on its reference (all cases pass) and on wrong solutions (each fails).

A checker that cannot fail is a defect: each drill needs at least two wrong solutions in
``tests/drill/coding/wrong`` that fail on a named case, and a function that returns the first case's answer
whatever it is given must fail another case.
"""

from __future__ import annotations

import collections
import re
import time

import pytest

from dlnotes.drill import coding
from dlnotes.drill.coding import check, drills
from dlnotes.drill.source import source_of
from tests.drill.coding.wrong import load
from tools.notebooks import ROOT

DRILLS = drills()
WRONG = load()


def _ids(items):
    return [item.name for item in items]


def test_catalogue_has_at_least_thirty_drills():
    assert len(DRILLS) >= 30, f"{len(DRILLS)} drills: the issue asks for at least 30"


@pytest.mark.parametrize("drill", DRILLS, ids=_ids(DRILLS))
def test_reference_passes_every_case(drill):
    start = time.perf_counter()
    result = check(drill.name, drill.reference)
    seconds = time.perf_counter() - start
    assert result.passed, str(result)
    assert len(result.cases) >= 3, f"{drill.name}: {len(result.cases)} cases; at least 3 probe it"
    assert seconds < 0.5 * drill.time_limit, f"{drill.name}: the reference took {seconds:.2f} s"


@pytest.mark.parametrize("drill", DRILLS, ids=_ids(DRILLS))
def test_checks_are_reproducible(drill):
    assert str(check(drill.name, drill.reference)) == str(check(drill.name, drill.reference))


@pytest.mark.parametrize("drill", DRILLS, ids=_ids(DRILLS))
def test_at_least_two_wrong_solutions(drill):
    count = collections.Counter(w.drill for w in WRONG)[drill.name]
    assert count >= 2, f"{drill.name}: {count} wrong solutions in tests/drill/coding/wrong, at least 2 needed"


def test_wrong_solutions_name_existing_drills_and_cases():
    names = {d.name: {c.name for c in d.make_cases()} for d in DRILLS}
    for w in WRONG:
        assert w.drill in names, f"{w.id}: no such drill"
        assert w.fails in names[w.drill], (
            f"{w.id}: the drill has no case {w.fails!r} ({sorted(names[w.drill])})"
        )


@pytest.mark.parametrize("bad", WRONG, ids=[w.id for w in WRONG])
def test_wrong_solution_fails_on_the_named_case(bad):
    result = check(bad.drill, bad.fn)
    assert not result.passed, f"{bad.id} passed every case: the checker cannot catch it"
    assert result.first_failure.name == bad.fails, str(result)
    assert result.first_failure.message, str(result)


@pytest.mark.parametrize("drill", DRILLS, ids=_ids(DRILLS))
def test_hard_coded_answer_fails(drill):
    first = drill.make_cases()[0]
    answer = first.call(drill.reference)
    result = check(drill.name, lambda *args, **kwargs: answer)
    assert not result.passed, f"{drill.name}: returning the first case's answer passes every case"


@pytest.mark.parametrize("drill", DRILLS, ids=_ids(DRILLS))
def test_starter_fails_every_case_with_a_clear_message(drill):
    namespace: dict = {}
    exec(compile(drill.starter_file(), f"{drill.name}.py", "exec"), namespace)
    result = check(drill.name, namespace[drill.function_name])
    assert result.n_passed == 0
    assert all("no body yet" in c.message for c in result.cases), str(result)


@pytest.mark.parametrize("drill", DRILLS, ids=_ids(DRILLS))
def test_drill_is_complete_and_shown_in_its_chapter(drill):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", drill.name), drill.name
    assert drill.statement.strip() and drill.title and 1 <= drill.minutes <= 45
    assert source_of(drill.solution), drill.solution
    case_names = [c.name for c in drill.make_cases()]
    assert all(c.description for c in drill.make_cases()), case_names
    text = (ROOT / f"{drill.chapter}.md").read_text(encoding="utf-8")
    assert f"```{{drill}} {drill.name}\n" in text, f"{drill.chapter}.md does not show the drill {drill.name}"
    assert f'check("{drill.name}",' in text, f"{drill.chapter}.md does not call check on {drill.name}"


def test_each_catalogue_module_is_listed():
    folder = ROOT / "src/dlnotes/drill/coding/catalogue"
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    assert modules == set(coding.CATALOGUE)
