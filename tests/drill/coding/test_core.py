"""The checker itself: comparison, exceptions, time limits, copies of the inputs, the report."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import torch

from dlnotes.drill.coding import Case, CheckResult, Drill, DrillError, check, get_drill, randn, show
from dlnotes.drill.coding.core import compare, describe, result_of


def _toy(cases, **fields):
    """A drill outside the catalogue: the reference doubles its input."""
    defaults = dict(
        name="double",
        title="Double it",
        chapter="book/x",
        difficulty="easy",
        minutes=1,
        statement="Return $2x$.",
        starter="def double(x: torch.Tensor) -> torch.Tensor:",
        reference=lambda x: 2 * x,
        solution="dlnotes.nn.relu",
        cases=cases,
        rtol=0.0,
        atol=1e-12,
    )
    return Drill(**{**defaults, **fields})


def _two_cases(g):
    yield Case("small", "x: 3 float64", args=(randn(g, 3),))
    yield Case("matrix", "x: 2×2 float64", args=(randn(g, 2, 2),), hint="keep the shape")


@pytest.mark.parametrize(
    ("expected", "got", "message"),
    [
        (torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0]), None),
        (torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5]), "at [1]: got 2.5, expected 2 (difference 0.5)"),
        (torch.tensor([1.0, float("nan")]), torch.tensor([1.0, float("nan")]), None),
        (torch.tensor([1.0, 2.0]), torch.tensor([1.0, float("nan")]), "at [1]: got nan, expected 2"),
        (torch.tensor([float("inf")]), torch.tensor([float("inf")]), None),
        (torch.tensor([float("inf")]), torch.tensor([-float("inf")]), "got -inf, expected inf"),
        (torch.zeros(2, 3), torch.zeros(3, 2), "the shapes differ"),
        (torch.zeros(2, dtype=torch.float64), torch.zeros(2), None),  # values equal: float32 accepted
        (torch.ones(2, dtype=torch.float64), torch.ones(2) * 1.1, "got tensor (2,) float32, expected"),
        (0.5, torch.tensor(0.5), None),
        (0.5, np.float64(0.25), "got 0.25, expected 0.5"),
        (3, 3, None),
        ((1.0, torch.ones(2)), (1.0, torch.ones(2)), None),
        ((1.0, torch.ones(2)), [1.0], "got list of 1, expected tuple of 2"),
        ({"a": 1.0}, {"a": 1.0}, None),
        ({"a": 1.0}, {"b": 1.0}, "expected a dict with keys ['a']"),
        ("macro", "micro", "got 'micro', expected 'macro'"),
        (torch.ones(2), "no", "got str, expected tensor (2,) float32"),
        (torch.ones(2), None, "got None"),
    ],
)
def test_compare(expected, got, message):
    found = compare(expected, got, rtol=1e-9, atol=1e-12)
    if message is None:
        assert found is None
    else:
        assert found is not None and message in found.message, found


def test_compare_shows_enough_digits_to_tell_the_numbers_apart():
    found = compare(
        torch.tensor([0.123456789]), torch.tensor([0.123456788], dtype=torch.float64), rtol=0, atol=0
    )
    got, expected = re.findall(r"(?:got|expected) ([\d.]+)", found.message)
    assert got != expected


def test_compare_reports_where_inside_a_tuple():
    found = compare((torch.ones(2), torch.ones(2)), (torch.ones(2), torch.zeros(2)), rtol=0, atol=0)
    assert found.where == "[1]" and "2 of 2 entries" in found.message


def test_describe():
    assert describe(np.zeros((2, 1), dtype=np.int64)) == "ndarray (2, 1) int64"


def test_passing_and_failing_functions():
    drill = _toy(_two_cases)
    assert result_of(drill, lambda x: x + x).passed
    result = result_of(drill, lambda x: x.flatten() * 2)
    assert not result.passed and result.first_failure.name == "matrix"
    assert result.n_passed == 1 and "shapes differ" in result.first_failure.message
    assert result.first_failure.hint == "keep the shape"


def test_an_exception_fails_the_case_with_its_last_line_and_the_checker_goes_on():
    def broken(x):
        if x.dim() == 1:
            raise IndexError("dimension out of range")
        return 2 * x

    result = result_of(_toy(_two_cases), broken)
    first, second = result.cases
    assert not first.passed and first.message.startswith("raised IndexError: dimension out of range")
    assert "line" in first.message and second.passed


def test_system_exit_in_the_readers_code_is_a_failed_case():
    result = result_of(_toy(_two_cases), lambda x: exit(3))
    assert not result.passed and "SystemExit" in result.cases[0].message


def test_an_endless_loop_fails_on_the_time_limit_and_the_rest_is_not_run():
    def endless(x):
        while True:
            pass

    result = result_of(_toy(_two_cases), endless, time_limit=0.2)
    assert result.cases[0].message.startswith("time limit")
    assert result.cases[1].message.startswith("not run")


def test_each_function_gets_its_own_copy_of_the_inputs():
    def in_place(x):
        x.mul_(2)
        return x

    drill = _toy(_two_cases)
    assert result_of(drill, in_place).passed  # the reference saw the original inputs, not the doubled ones
    assert result_of(drill, in_place).passed  # and the cases are drawn afresh for each check


def test_run_and_verify_cases():
    def cases(g):
        yield Case("twice", "x: 3 float64, doubled twice", args=(randn(g, 3),), run=lambda fn, x: fn(fn(x)))
        yield Case(
            "positive",
            "x: ones",
            args=(torch.ones(3),),
            verify=lambda y: None if (y > 0).all() else "not > 0",
        )

    drill = _toy(cases)
    assert result_of(drill, lambda x: 2 * x).passed
    result = result_of(drill, lambda x: -x)
    assert [c.passed for c in result.cases] == [False, False] and result.cases[1].message == "not > 0"


def test_cases_are_seeded_by_name_and_differ_between_drills():
    a = _toy(_two_cases).make_cases()[0].args[0]
    b = _toy(_two_cases).make_cases()[0].args[0]
    c = _toy(_two_cases, name="triple").make_cases()[0].args[0]
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_drill_definition_errors():
    with pytest.raises(DrillError, match="difficulty must be one of"):
        _toy(_two_cases, difficulty="trivial")
    with pytest.raises(DrillError, match="must define a function"):
        _toy(_two_cases, starter="x = 1")

    def twice(g):
        yield Case("a", "x", args=(1.0,))
        yield Case("a", "y", args=(2.0,))

    with pytest.raises(DrillError, match="share a name"):
        _toy(twice).make_cases()


def test_check_errors():
    with pytest.raises(DrillError, match="did you mean softmax"):
        check("softmx", lambda x: x)
    with pytest.raises(TypeError, match="needs a function, got int"):
        check("softmax", 3)
    with pytest.raises(TypeError, match="must be a str, got int"):
        get_drill(3)


def test_report_in_the_terminal_markdown_and_html():
    def softmax(x, dim=-1):
        e = torch.exp(x)
        return e / e.sum(dim, keepdim=True)

    result = check("softmax", softmax)
    text = str(result)
    assert text.splitlines()[0].endswith("(FAILED)") and "✗ large logits" in text
    first = result.first_failure
    assert first.description in text and first.hint in text and "got nan" in text
    assert "tolerance: rtol" in text
    markdown = result._repr_markdown_()
    assert markdown.startswith("**softmax:") and first.hint in markdown
    page = result._repr_html_()
    assert "<li>" in page and "&lt;" not in first.name and "drill-failure" in page
    assert not bool(result)


def test_html_escapes_the_readers_messages():
    result = result_of(_toy(_two_cases), lambda x: (_ for _ in ()).throw(ValueError("<script>")))
    assert "<script>" not in result._repr_html_() and "&lt;script&gt;" in result._repr_html_()


def test_result_survives_json():
    result = check("softmax", lambda x, dim=-1: torch.softmax(x, dim))
    again = CheckResult.from_json(json.loads(json.dumps(result.to_json())))
    assert again == result and str(again) == str(result)


def test_starter_file_and_statement():
    drill = get_drill("softmax")
    text = drill.starter_file()
    assert "dlnotes drill check softmax softmax.py" in text and "raise NotImplementedError" in text
    compile(text, "softmax.py", "exec")
    statement = show("softmax")._repr_markdown_()
    assert drill.statement.strip() in statement and drill.starter.strip() in statement


def test_the_readers_warnings_go_in_the_report_not_to_stderr(recwarn):
    import warnings

    def noisy(x):
        warnings.warn("invalid value encountered in divide", RuntimeWarning, stacklevel=1)
        return x

    result = result_of(_toy(_two_cases), noisy)
    assert "(it warned: RuntimeWarning: invalid value encountered in divide)" in result.cases[0].message
    assert len(recwarn) == 0
