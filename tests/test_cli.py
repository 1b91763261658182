"""The `dlnotes` command: `info`, `--version`, usage errors, and the installed console script."""

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

import dlnotes
from dlnotes.cli import main
from dlnotes.utils import DEVICE_ENV_VAR


def test_info_reports_versions_and_device(capsys, monkeypatch):
    monkeypatch.setenv(DEVICE_ENV_VAR, "cpu")
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert f"dlnotes         {dlnotes.__version__}" in out
    assert "device          cpu" in out


def test_no_command_prints_usage_and_returns_2(capsys):
    assert main([]) == 2
    assert "usage: dlnotes" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"dlnotes {dlnotes.__version__}"


def test_bad_device_is_a_clean_error(capsys, monkeypatch):
    monkeypatch.setenv(DEVICE_ENV_VAR, "tpu")
    assert main(["info"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dlnotes: error: DLNOTES_DEVICE must be") and "Traceback" not in err


def test_unknown_command_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["nope"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    "command",
    [
        [str(pathlib.Path(sys.executable).with_name("dlnotes")), "info"],
        [sys.executable, "-m", "dlnotes", "info"],
    ],
    ids=["console-script", "python-m"],
)
def test_installed_entry_points(command):
    env = {**os.environ, DEVICE_ENV_VAR: "cpu"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "device" in done.stdout and "cpu" in done.stdout


# ------------------------------------------------------------------------ questions, quiz and anki commands

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bank():
    from dlnotes.drill.questions import load_questions

    return load_questions(ROOT)


def test_questions_json_has_every_field_and_the_url(bank, capsys):
    assert main(["questions", "--book", str(ROOT), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(bank) >= 80
    fields = {
        "label",
        "title_zh",
        "title_en",
        "answer",
        "chapter",
        "chapter_label",
        "part",
        "docname",
        "line",
        "url",
    }
    assert all(set(row) == fields for row in rows)
    assert [(r["label"], r["url"], r["line"]) for r in rows] == [(q.label, q.url, q.line) for q in bank]


def test_questions_text_filtered_by_part(bank, capsys):
    assert main(["questions", "--book", str(ROOT), "--part", "Evaluation"]) == 0
    out = capsys.readouterr().out
    evaluation = [q for q in bank if q.part == "Evaluation"]
    assert out.startswith("Evaluation\n")
    assert out.count("\n    q-") == len(evaluation)
    assert f"\n{len(evaluation)} questions in {len({q.docname for q in evaluation})} chapters\n" in out
    for q in evaluation:
        assert f"    {q.label}: {q.title_zh} · {q.title_en}\n" in out


def test_questions_markdown_by_chapter(bank, capsys):
    assert main(["questions", "--book", str(ROOT), "--chapter", "gradients", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    gradients = [q for q in bank if q.stem == "gradients"]
    assert out.startswith(f"## {gradients[0].part}\n\n### {gradients[0].chapter}\n\n")
    assert [line for line in out.splitlines() if line.startswith("- ")] == [
        f"- [{q.title_zh} · {q.title_en}]({q.url}) `{q.label}`" for q in gradients
    ]


def test_the_book_is_found_from_env_or_cwd(bank, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("DLNOTES_BOOK", str(ROOT / "book"))
    monkeypatch.chdir(tmp_path)
    assert main(["questions", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(bank)
    monkeypatch.delenv("DLNOTES_BOOK")
    monkeypatch.chdir(ROOT / "book" / "training")
    assert main(["questions", "--format", "json", "--chapter", "chapter-gradients"]) == 0
    assert {r["docname"] for r in json.loads(capsys.readouterr().out)} == {"book/training/gradients"}


def test_no_book_is_a_clean_error(capsys, tmp_path):
    assert main(["questions", "--book", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dlnotes: error: no _toc.yml found in") and "pass --book PATH" in err


def test_a_malformed_question_is_a_clean_error(capsys, tmp_path):
    (tmp_path / "_toc.yml").write_text("root: intro\nchapters:\n  - file: c\n")
    (tmp_path / "c.md").write_text("# C\n\n````{exercise} 问? · Q?\n:label: q-c\n:class: interview\n````\n")
    assert main(["questions", "--book", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(r"dlnotes: error: .*c\.md:3: interview exercise 'q-c' has no solution.*\n", err)


def test_info_imports_none_of_the_drill_packages():
    code = (
        "import sys; from dlnotes.cli import main; main(['info']);"
        "drill = ('myst_parser', 'genanki', 'platformdirs', 'markdown_it');"
        "print(sorted(m for m in drill if m in sys.modules))"
    )
    env = {**os.environ, DEVICE_ENV_VAR: "cpu"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("module", "argv", "message"),
    [
        ("genanki", ["anki", "x.apkg"], "building an Anki deck needs genanki"),
        ("myst_parser.parsers.mdit", ["questions"], "reading the questions needs myst-parser"),
        (
            "platformdirs",
            ["quiz", "--reset"],
            "needs platformdirs (pip install 'dlnotes[drill]'), or set DLNOTES_DATA",
        ),
    ],
)
def test_a_missing_package_is_a_clear_error(module, argv, message, capsys, monkeypatch, tmp_path):
    from dlnotes.drill.questions import _parse_cached, _parser

    monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    monkeypatch.delenv("DLNOTES_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    _parser.cache_clear()
    _parse_cached.cache_clear()
    try:
        assert main([*argv[:1], *argv[1:], *([] if argv[0] == "quiz" else ["--book", str(ROOT)])]) == 1
    finally:
        _parser.cache_clear()
        _parse_cached.cache_clear()
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.apkg").exists()


class _ClosedPipe:
    """A stdout whose reader has gone: writes raise BrokenPipeError."""

    def __init__(self, handle):
        self.handle = handle

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        pass

    def fileno(self):
        return self.handle.fileno()


def test_a_closed_pipe_is_not_an_error(monkeypatch, tmp_path, capsys):
    with open(tmp_path / "stdout", "w") as handle:
        monkeypatch.setattr(sys, "stdout", _ClosedPipe(handle))
        assert main(["questions", "--book", str(ROOT), "--format", "json"]) == 141
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv", [["--help"], ["quiz", "--help"], ["anki", "--help"]])
def test_help_imports_neither_torch_nor_numpy(argv):
    """`dlnotes --help` answers at once: torch and numpy are imported only by the commands that need them."""
    code = (
        "import sys\nfrom dlnotes.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('torch', 'numpy', 'rich', 'myst_parser') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
