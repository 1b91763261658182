"""``dlnotes drill``, end to end: list, show, check (in a child process) and the progress it keeps."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest

from dlnotes.cli import main
from dlnotes.drill.coding import runner
from dlnotes.drill.coding.progress import Record, load_records, save_records

DAY = dt.date(2026, 12, 1)

GOOD = """
import torch


def softmax(x, dim=-1):
    z = x - x.amax(dim, keepdim=True)
    e = torch.exp(z)
    return e / e.sum(dim, keepdim=True)
"""
WRONG = """
import torch


def softmax(x, dim=-1):
    e = torch.exp(x)
    return e / e.sum(dim, keepdim=True)
"""
RAISES = """
def softmax(x, dim=-1):
    return 1 / 0
"""
LOOPS = """
def softmax(x, dim=-1):
    while True:
        pass
"""
SYNTAX = """
def softmax(x, dim=-1)
    return x
"""
LOOPS_AT_IMPORT = """
while True:
    pass
"""
EXITS = """
import os

os._exit(3)
"""


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("DLNOTES_DATA_DIR", str(folder))
    return folder


def _solution(tmp_path, text, name="softmax.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def _run(capsys, *argv):
    status = main(["drill", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_check_pass_fail_and_progress(tmp_path, data, capsys):
    status, out, _ = _run(capsys, "check", "softmax", _solution(tmp_path, GOOD), "--today", "2026-12-01")
    assert status == 0 and "(all passed)" in out and "solved on 2026-12-01" in out
    status, out, _ = _run(capsys, "check", "softmax", _solution(tmp_path, WRONG), "--today", "2026-12-02")
    assert status == 1 and "✗ large logits" in out and "hint:" in out
    assert "solved on 2026-12-01, but this check failed" in out
    record = load_records(data / "drills.json")["softmax"]
    assert (record.checks, record.passes, record.solved.isoformat()) == (2, 1, "2026-12-01")
    status, out, _ = _run(capsys, "list", "--format", "json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert status == 0 and rows["softmax"]["solved"] and len(rows) >= 30
    status, out, _ = _run(capsys, "list")
    assert "✓ softmax" in out and "drills solved" in out


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        (RAISES, [], "raised ZeroDivisionError: division by zero (softmax.py, line 3)"),
        (LOOPS, ["--time-limit", "0.5"], "time limit: still running after 0.5 s"),
        (SYNTAX, [], "could not run the solution: softmax.py, line 2: syntax error"),
        (EXITS, [], "ended (status 3) before it reported a result"),
        ("import torch\n", [], "defines no function 'softmax'"),
    ],
    ids=["raises", "loops", "syntax-error", "exits", "no-function"],
)
def test_broken_solutions_fail_clearly_and_keep_the_progress(tmp_path, data, capsys, text, options, message):
    save_records(data / "drills.json", {"softmax": Record(1, 1, DAY, DAY)})
    status, out, err = _run(capsys, "check", "softmax", _solution(tmp_path, text), *options)
    assert status == 1 and message in out, out
    assert "Traceback" not in out + err
    assert load_records(data / "drills.json")["softmax"] == Record(2, 1, DAY, dt.date.today())


def test_a_loop_at_import_is_stopped_by_the_parent(tmp_path, data, capsys, monkeypatch):
    monkeypatch.setattr(runner, "STARTUP_SECONDS", 1.0)
    status, out, _ = _run(
        capsys, "check", "softmax", _solution(tmp_path, LOOPS_AT_IMPORT), "--time-limit", "0.5"
    )
    assert status == 1 and "did not finish in 1.5 s and was stopped" in out


def test_show_and_the_starter_file(tmp_path, data, capsys):
    status, out, _ = _run(capsys, "show", "softmax")
    assert status == 0 and "Coding drill: Softmax" in out and "def softmax(" in out and "$" not in out
    status, out, _ = _run(capsys, "show", "softmax", "--starter")
    path = _solution(tmp_path, out)
    status, out, _ = _run(capsys, "check", "softmax", path, "--no-save")
    assert status == 1 and "no body yet" in out and not (data / "drills.json").exists()


def test_errors_are_one_line(tmp_path, data, capsys):
    status, _, err = _run(capsys, "check", "softmx", _solution(tmp_path, GOOD))
    assert (
        status == 1
        and err.strip() == "dlnotes: error: there is no drill called 'softmx'; did you mean softmax?"
    )
    status, _, err = _run(capsys, "check", "softmax", str(tmp_path / "missing.py"))
    assert status == 1 and "no solution file at" in err
    status, _, err = _run(capsys, "list", "--chapter", "nowhere")
    assert status == 1 and "no drills in the chapters nowhere" in err
    with pytest.raises(SystemExit):
        main(["drill", "check", "softmax", "x.py", "--time-limit", "-1"])


def test_a_corrupt_progress_file_is_moved_aside(tmp_path, data, capsys):
    data.mkdir()
    (data / "drills.json").write_text("{not json", encoding="utf-8")
    status, _, err = _run(capsys, "check", "softmax", _solution(tmp_path, GOOD))
    assert status == 0 and "moved it to" in err and "starting afresh" in err
    assert len(list(data.glob("drills.json.corrupt-*"))) == 1
    assert load_records(data / "drills.json")["softmax"].passes == 1


def test_an_unwritable_data_folder_is_an_error_not_a_traceback(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("DLNOTES_DATA_DIR", str(blocker / "sub"))
    status, out, err = _run(capsys, "check", "softmax", _solution(tmp_path, GOOD))
    assert status == 1 and "(all passed)" in out and "cannot save the drill progress" in err


def test_reset(data, capsys):
    save_records(data / "drills.json", {"softmax": Record(1, 1, DAY, DAY), "conv2d": Record(1, 0, None, DAY)})
    status, out, _ = _run(capsys, "reset", "softmax")
    assert status == 0 and "forgot 1 drill" in out and list(load_records(data / "drills.json")) == ["conv2d"]
    status, out, _ = _run(capsys, "reset")
    assert status == 0 and not (data / "drills.json").exists()
