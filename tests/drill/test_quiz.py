"""`dlnotes.quiz` (Leitner boxes, the progress file) and `dlnotes quiz` end to end, with scripted answers."""

import ast
import datetime as dt
import html
import io
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import pytest

from dlnotes.cli import main
from dlnotes.drill import quiz
from dlnotes.drill.anki import answer_html
from dlnotes.drill.questions import Question, glue_values, load_questions
from dlnotes.drill.quiz import (
    BOX_INTERVALS,
    Card,
    ProgressError,
    load_progress,
    review,
    save_progress,
    session,
)

DAY = dt.date(2026, 3, 1)
REPO = pathlib.Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------------------------------ a tiny book


def _exercise(label):
    name = label.removeprefix("q-")
    return (
        f"````{{exercise}} 问题 {name}? · Question {name}?\n:label: {label}\n:class: interview\n````\n\n"
        f"````{{solution}} {label}\n:class: dropdown\n\nAnswer {name}: $x_{{{name}}}^2$.\n````\n\n"
    )


@pytest.fixture
def book(tmp_path):
    """Three questions in two chapters; returns the book's root."""
    root = tmp_path / "book-root"
    pages = {"book/one": ["q-a", "q-b"], "book/two": ["q-c"]}
    toc = "format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n    chapters:\n"
    toc += "".join(f"      - file: {page}\n" for page in pages)
    (root / "book").mkdir(parents=True)
    (root / "_toc.yml").write_text(toc, encoding="utf-8")
    (root / "book" / "intro.md").write_text("# Intro\n", encoding="utf-8")
    for page, labels in pages.items():
        text = f"(chapter-{page[5:]})=\n# Chapter {page[5:]}\n\n" + "".join(map(_exercise, labels))
        (root / f"{page}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv(quiz.DATA_ENV_VAR, str(folder))
    return folder


def run_quiz(monkeypatch, capsys, book, answers, *args, today=DAY):
    """Run `dlnotes quiz` in-process, `answers` on a piped stdin; return (status, out, err, labels asked)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    status = main(
        ["quiz", "--book", str(book), "--lang", "en", "--seed", "0", "--today", today.isoformat(), *args]
    )
    out, err = capsys.readouterr()
    asked = ["q-" + name for name in re.findall(r"^  Question (\w+)\?$", out, re.M)]
    return status, out, err, asked


def progress(data):
    return load_progress(data / "progress.json")


# --------------------------------------------------------------------------------------------- the boxes


def test_box_intervals_double():
    assert {box: 2 ** (box - 1) for box in range(1, 6)} == BOX_INTERVALS


@pytest.mark.parametrize("box", range(1, 6))
@pytest.mark.parametrize("knew", [True, False])
def test_review_moves_the_box_and_sets_the_due_date(box, knew):
    before = Card(box=box, due=DAY, reviews=3, lapses=1, last=DAY - dt.timedelta(days=4))
    after = review(before, knew, DAY)
    expected_box = min(box + 1, 5) if knew else 1
    assert after.box == expected_box
    assert after.due == DAY + dt.timedelta(days=2 ** (expected_box - 1))
    assert (after.reviews, after.lapses, after.last) == (4, 1 + (not knew), DAY)


def test_a_new_question_starts_in_box_one():
    assert review(None, True, DAY) == Card(2, DAY + dt.timedelta(days=2), 1, 0, DAY)
    assert review(None, False, DAY) == Card(1, DAY + dt.timedelta(days=1), 1, 1, DAY)


def _questions(n):
    return [Question(f"q-{i}", "问", f"Q{i}", "A", "C", "chapter-c", "P", "book/c", i + 1) for i in range(n)]


def test_session_asks_due_then_new_and_skips_later():
    qs = _questions(6)
    cards = {
        "q-0": Card(3, DAY + dt.timedelta(days=1)),  # later
        "q-1": Card(1, DAY),  # due today
        "q-2": Card(2, DAY - dt.timedelta(days=3)),  # overdue
        "q-3": Card(4, DAY - dt.timedelta(days=1)),  # overdue, less
    }
    chosen = [q.label for q in session(qs, cards, DAY, seed=1)]
    assert chosen[:3] == ["q-2", "q-3", "q-1"]
    assert sorted(chosen[3:]) == ["q-4", "q-5"]
    assert [q.label for q in session(qs, cards, DAY, seed=1, include_all=True)][-1] == "q-0"
    assert [q.label for q in session(qs, cards, DAY, n=2, seed=1)] == ["q-2", "q-3"]
    with pytest.raises(ValueError, match="n must be at least 1, got 0"):
        session(qs, cards, DAY, n=0)


def test_the_seed_orders_new_questions():
    qs = _questions(30)
    first = [q.label for q in session(qs, {}, DAY, seed=3)]
    assert first == [q.label for q in session(qs, {}, DAY, seed=3)]
    assert sorted(first) == sorted(q.label for q in qs)
    assert first != [q.label for q in session(qs, {}, DAY, seed=4)]


# ------------------------------------------------------------------------------------------ the progress file


def test_progress_round_trip(tmp_path):
    path = tmp_path / "deep" / "progress.json"
    assert load_progress(path) == {}
    cards = {"q-a": review(None, True, DAY), "q-b": Card()}
    save_progress(path, cards)
    assert load_progress(path) == cards
    assert json.loads(path.read_text())["version"] == 1
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.json"], "no temporary file left"


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    save_progress(path, {"q-a": Card(3, DAY)})
    before = path.read_bytes()

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        save_progress(path, {"q-a": Card(1, DAY)})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "does not hold dlnotes progress"),
        ('{"version": 2, "cards": {}}', "does not hold dlnotes progress"),
        ('{"version": 1, "cards": []}', '"cards" to be an object'),
        (
            '{"version": 1, "cards": {"q-a": {"box": 9, "due": "2026-01-01"}}}',
            "box must be an int in 1..5, got 9",
        ),
        ('{"version": 1, "cards": {"q-a": {"box": 2, "due": "soon"}}}', "does not hold dlnotes progress"),
        ('{"version": 1, "cards": {"q-a": 3}}', "does not hold dlnotes progress"),
        ('{"version": true, "cards": {}}', '"version": 1'),
        (
            '{"version": 1, "cards": {"q-a": {"box": 2, "reviews": 1e400}}}',
            "reviews must be an int >= 0, got inf",
        ),
        (
            '{"version": 1, "cards": {"q-a": {"box": 2, "reviews": -3}}}',
            "reviews must be an int >= 0, got -3",
        ),
        (
            '{"version": 1, "cards": {"q-a": {"box": 2, "lapses": 1.5}}}',
            "lapses must be an int >= 0, got 1.5",
        ),
        (
            '{"version": 1, "cards": {"q-a": {"box": 2, "lapses": true}}}',
            "lapses must be an int >= 0, got True",
        ),
        ("[" * 100_000 + "]" * 100_000, "is not valid JSON"),
    ],
)
def test_corrupt_progress_is_a_progress_error(tmp_path, text, message):
    path = tmp_path / "progress.json"
    path.write_text(text)
    with pytest.raises(ProgressError, match=re.escape(message)):
        load_progress(path)


def test_backup_and_reset(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("junk")
    first = quiz.backup_corrupt(path)
    path.write_text("junk 2")
    second = quiz.backup_corrupt(path)
    assert first != second and first.read_text() == "junk" and second.read_text() == "junk 2"
    assert first.name.startswith("progress.json.corrupt-") and not path.exists()
    assert quiz.reset_progress(path) == 0
    save_progress(path, {"q-a": Card(), "q-b": Card()})
    assert quiz.reset_progress(path) == 2 and not path.exists()


def test_reset_some_labels_keeps_the_others(tmp_path):
    path = tmp_path / "progress.json"
    cards = {"q-a": Card(3, DAY), "q-b": Card(2, DAY), "q-c": Card(5, DAY)}
    save_progress(path, cards)
    assert quiz.reset_progress(path, ["q-b", "q-c", "q-unknown"]) == 2
    assert load_progress(path) == {"q-a": cards["q-a"]}
    assert quiz.reset_progress(path, ["q-b"]) == 0 and load_progress(path) == {"q-a": cards["q-a"]}


def test_data_dir(monkeypatch, tmp_path):
    platformdirs = pytest.importorskip("platformdirs")
    monkeypatch.setenv(quiz.DATA_ENV_VAR, str(tmp_path))
    assert quiz.progress_path() == tmp_path / "progress.json"
    monkeypatch.delenv(quiz.DATA_ENV_VAR)
    assert quiz.data_dir() == platformdirs.user_data_path("dlnotes")


# ------------------------------------------------------------------------------ `dlnotes quiz`, in-process


def test_yes_moves_up_no_goes_back(book, data, monkeypatch, capsys):
    status, out, err, asked = run_quiz(monkeypatch, capsys, book, "y\nn\nyes\n")
    assert status == 0 and err == ""
    assert sorted(asked) == ["q-a", "q-b", "q-c"]
    cards = progress(data)
    for label, answer in zip(asked, ["y", "n", "y"]):
        box = 2 if answer == "y" else 1
        assert cards[label].box == box
        assert cards[label].due == DAY + dt.timedelta(days=BOX_INTERVALS[box]), label
    assert "3 answered (2 known, 1 to review again)" in out

    # The next day only the question answered "no" is due; the day after, all three.
    status, out, err, asked_next = run_quiz(
        monkeypatch, capsys, book, "n\n", today=DAY + dt.timedelta(days=1)
    )
    assert asked_next == [asked[1]]
    status, out, err, asked_same = run_quiz(monkeypatch, capsys, book, "", today=DAY + dt.timedelta(days=1))
    assert asked_same == [] and "nothing due on 2026-03-02; next review on 2026-03-03" in out


def test_due_dates_follow_the_boxes_up_to_box_five(book, data, monkeypatch, capsys):
    today, expected_box = DAY, 1
    for _ in range(7):
        run_quiz(monkeypatch, capsys, book, "y\n", "--chapter", "two", today=today)
        card = progress(data)["q-c"]
        expected_box = min(expected_box + 1, 5)
        assert card.box == expected_box
        assert card.due == today + dt.timedelta(days=2 ** (expected_box - 1))
        # One day before it is due, the question is not asked.
        eve = card.due - dt.timedelta(days=1)
        _, _, _, asked = run_quiz(monkeypatch, capsys, book, "y\n", "--chapter", "two", today=eve)
        assert asked == []
        today = card.due
    assert progress(data)["q-c"].reviews == 7


def test_end_of_input_keeps_the_answers_given(book, data, monkeypatch, capsys):
    status, out, err, asked = run_quiz(monkeypatch, capsys, book, "y\n")
    assert status == 0 and "Traceback" not in err
    assert len(asked) == 2, "the second question was shown, then the input ended"
    assert list(progress(data)) == [asked[0]] and progress(data)[asked[0]].box == 2
    assert "1 answered" in out


def test_q_quits_and_other_lines_are_asked_again(book, data, monkeypatch, capsys):
    status, out, _err, asked = run_quiz(monkeypatch, capsys, book, "maybe\n\nY\nq\n")
    assert status == 0
    assert out.count("Please answer y (yes), n (no) or q (quit)") == 2
    assert {label: card.box for label, card in progress(data).items()} == {asked[0]: 2}


def test_n_limits_the_session(book, data, monkeypatch, capsys):
    _, _out, _, asked = run_quiz(monkeypatch, capsys, book, "y\ny\ny\n", "--n", "2")
    assert len(asked) == 2 and len(progress(data)) == 2


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [("en", "Question a?", "问题"), ("zh", "问题 a?", "Question"), ("both", "问题 a?", "")],
)
def test_lang(book, data, monkeypatch, capsys, lang, shown, hidden):
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    assert (
        main(["quiz", "--book", str(book), "--chapter", "one", "--n", "1", "--seed", "1", "--lang", lang])
        == 0
    )
    out = capsys.readouterr().out
    title = out.split("\n  ", 1)[1].split("--- answer ---")[0]
    assert shown.split()[0] in title and (not hidden or hidden not in title)
    if lang == "both":
        assert "问题" in title and "Question" in title
    assert "²" in out and "$" not in out, "the answer's math is shown as Unicode"


def test_corrupt_progress_is_backed_up_and_restarted(book, data, monkeypatch, capsys):
    data.mkdir()
    (data / "progress.json").write_text('{"version": 1, "cards": {"q-a": {"box": 2', encoding="utf-8")
    status, _out, err, asked = run_quiz(monkeypatch, capsys, book, "y\n", "--n", "1")
    assert status == 0
    assert (
        err.startswith("dlnotes: warning: the progress file")
        and "not valid JSON" in err
        and "Traceback" not in err
    )
    [backup] = data.glob("progress.json.corrupt-*")
    assert backup.read_text().startswith('{"version": 1, "cards": {"q-a": {"box": 2')
    assert str(backup) in err
    assert {label: c.box for label, c in progress(data).items()} == {asked[0]: 2}


def test_unreadable_progress_is_backed_up_too(book, data, monkeypatch, capsys):
    data.mkdir()
    (data / "progress.json").write_bytes(b"\xff\xfe garbage")
    status, _out, err, _asked = run_quiz(monkeypatch, capsys, book, "n\n", "--n", "1")
    assert status == 0 and "Traceback" not in err
    assert err.startswith("dlnotes: warning: cannot read the progress file")
    assert len(list(data.glob("progress.json.corrupt-*"))) == 1
    assert [c.box for c in progress(data).values()] == [1]


def test_reset_clears(book, data, monkeypatch, capsys):
    run_quiz(monkeypatch, capsys, book, "y\ny\ny\n")
    assert len(progress(data)) == 3
    assert main(["quiz", "--reset"]) == 0
    assert "progress reset: removed" in capsys.readouterr().out
    assert not (data / "progress.json").exists()
    assert main(["quiz", "--reset"]) == 0
    assert "no progress to reset" in capsys.readouterr().out
    _, _, _, asked = run_quiz(monkeypatch, capsys, book, "")
    assert len(asked) == 1, "everything is new again"


class _InterruptedStdin(io.StringIO):
    """Gives its lines, then raises KeyboardInterrupt as Ctrl-C would."""

    def readline(self, *args):
        line = super().readline(*args)
        if not line:
            raise KeyboardInterrupt
        return line


def test_ctrl_c_saves_and_exits_130(book, data, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _InterruptedStdin("n\n"))
    status = main(["quiz", "--book", str(book), "--seed", "0", "--today", DAY.isoformat()])
    err = capsys.readouterr().err
    assert status == 130
    assert err.count("\n") == 1 and err.startswith("dlnotes: interrupted; 1 answer saved in")
    assert [c.box for c in progress(data).values()] == [1]


def test_bad_arguments(book, data, capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["quiz", "--today", "yesterday"])
    assert info.value.code == 2 and "expected a date YYYY-MM-DD, got 'yesterday'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["quiz", "--n", "0"])
    assert "expected at least 1, got 0" in capsys.readouterr().err
    assert main(["quiz", "--book", str(book), "--chapter", "three"]) == 1
    assert "dlnotes: error: no chapter 'three'" in capsys.readouterr().err


# ------------------------------------------------------------------------- the answer, as plain text

ROLES_ANSWER = """\
**Yes**: {glue:text}`acc:.1%` of {glue:text}`n:,` (raw {glue:text}`acc`, unknown {glue:text}`nope:.3f`).

(some-target)=
% a comment for the authors

- *See* {ref}`the cell <sec-cell>`, {ref}`sec-plain`, {numref}`fig-loss` and {numref}`Fig. %s <fig-b>`.
- Papers: {cite}`he2016,wu2018` and {cite:t}`guo2017`; {term}`BN <batch normalization>`, {term}`dropout`.
- Math: {math}`x^2`, $a < b$ and {eq}`eq-loss`.

```python
s = "{ref}`not-a-role`"
```

```{note}
:class: tip
A *note* with {glue:text}`n`.
```

$$
\\sum_i p_i = 1
$$"""

ROLES_SHOWN = """\
Yes: 98.8% of 12,345 (raw 0.98765, unknown [nope]).

 • See the cell, the section 'plain', the figure 'loss' and Fig. 'b'.
 • Papers: he2016; wu2018 and guo2017; BN, dropout.
 • Math: x², a < b and the equation 'loss'.

 s = "{ref}`not-a-role`"

A note with 12345.

 ∑ᵢ pᵢ = 1"""


def _shown_answers(out):
    return re.findall(r"(?s)--- answer ---\n(.*?)\n---\n", out)


@pytest.fixture
def roles_book(tmp_path):
    """One question whose answer uses every role, with the glued values of a fake build; returns the root."""
    root = tmp_path / "roles-book"
    (root / "book").mkdir(parents=True)
    toc = (
        "format: jb-book\nroot: book/intro\nparts:\n"
        "  - caption: Part\n    chapters:\n      - file: book/roles\n"
    )
    (root / "_toc.yml").write_text(toc, encoding="utf-8")
    (root / "book" / "intro.md").write_text("# Intro\n", encoding="utf-8")
    chapter = (
        "# Roles\n\n````{exercise} 角色? · Roles?\n:label: q-roles\n:class: interview\n````\n\n"
        f"````{{solution}} q-roles\n:class: dropdown\n\n{ROLES_ANSWER}\n````\n"
    )
    (root / "book" / "roles.md").write_text(chapter, encoding="utf-8")
    build = root / "_build" / "jupyter_execute" / "book"
    build.mkdir(parents=True)
    glue = {name: {"data": {"text/plain": value}} for name, value in {"acc": "0.98765", "n": "12345"}.items()}
    (build / "roles.glue.json").write_text(json.dumps(glue), encoding="utf-8")
    return root


def test_the_quiz_shows_roles_resolved(roles_book, data, monkeypatch, capsys):
    status, out, err, _ = run_quiz(monkeypatch, capsys, roles_book, "y\n")
    assert status == 0 and err == ""
    [shown] = _shown_answers(out)
    assert shown == ROLES_SHOWN

    # Without a build the glued numbers show as [name], as on the cards.
    build = roles_book / "_build"
    (build / "jupyter_execute" / "book" / "roles.glue.json").unlink()
    _, out, _, _ = run_quiz(monkeypatch, capsys, roles_book, "y\n", "--all")
    [shown] = _shown_answers(out)
    assert "[acc] of [n] (raw [acc]" in shown and "A note with [n]." in shown


def test_the_terminal_and_the_deck_resolve_roles_alike(roles_book):
    [q] = load_questions(roles_book)
    glue = glue_values(roles_book, q.docname)
    assert glue == {"acc": "0.98765", "n": "12345"}
    deck = answer_html(q.answer, glue=glue)
    spans = [html.unescape(text) for text in re.findall(r'<span class="role-[\w-]+">(.*?)</span>', deck)]
    assert len(spans) == ROLES_ANSWER.count("}`") - 2, "every role but {math} and the one in code is a span"
    text = quiz.answer_text(q.answer, glue=glue)
    for span in spans:
        assert span in text, span
    assert "\\(x^2\\)" in deck and "x²" in text and "$" not in text


def test_a_real_question_with_glued_numbers(data):
    """The overfitting chapter's question on smaller models quotes glued losses: the quiz prints numbers."""
    docname = "book/generalization/overfitting"
    [q] = [q for q in load_questions(REPO, chapters=["overfitting"]) if q.label == "q-smaller-model"]
    assert "{glue:text}`best_w16:.3f`" in q.answer and "{ref}`" in q.answer
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dlnotes",
            "quiz",
            "--chapter",
            "overfitting",
            "--all",
            "--n",
            "50",
            "--lang",
            "en",
        ],
        input="y\n" * 50,
        capture_output=True,
        text=True,
        env=_env(data),
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    shown = _shown_answers(done.stdout)
    assert len(shown) == len(load_questions(REPO, chapters=["overfitting"]))
    for role in ["{glue", "{ref", "{numref", "{cite", "{term", "{eq", "{math", "{prf:"]:
        assert role not in done.stdout, role
    glue = glue_values(REPO, docname)
    expected = format(ast.literal_eval(glue["best_w16"]), ".3f") if "best_w16" in glue else "[best_w16]"
    [smaller] = [text for text in shown if "at width 16" in text]
    assert f"best {expected} at width 16" in " ".join(smaller.split())


# ------------------------------------------------------------------------------- `dlnotes quiz`, as a process


def _env(data, **extra):
    return {**os.environ, quiz.DATA_ENV_VAR: str(data), "PYTHONIOENCODING": "utf-8", **extra}


def test_piped_session_on_the_real_book(data):
    done = subprocess.run(
        [sys.executable, "-m", "dlnotes", "quiz", "--n", "2", "--seed", "5", "--today", DAY.isoformat()],
        input="y\nn\n",
        capture_output=True,
        text=True,
        env=_env(data),
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    cards = progress(data)
    bank = {q.label for q in load_questions(REPO)}
    assert len(cards) == 2 and set(cards) <= bank
    assert sorted(c.box for c in cards.values()) == [1, 2]
    assert "2 answered (1 known, 1 to review again)" in done.stdout


def _answers_saved(data):
    """Whether the progress file holds an answer (it is written, empty, before the first question)."""
    try:
        return bool(progress(data))
    except ProgressError:
        return False


def test_sigint_in_a_process_keeps_progress(book, data):
    proc = subprocess.Popen(
        [sys.executable, "-m", "dlnotes", "quiz", "--book", str(book), "--seed", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(data),
    )
    try:
        proc.stdin.write("y\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while not _answers_saved(data) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # let it reach the next question's read
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert err.strip().count("\n") == 0 and "interrupted; 1 answer saved" in err and "Traceback" not in err
    assert [c.box for c in progress(data).values()] == [2]


# ------------------------------------------------------------------------- review fixes, end to end


def test_reset_with_a_chapter_forgets_only_that_chapter(book, data, monkeypatch, capsys):
    run_quiz(monkeypatch, capsys, book, "y\ny\ny\n")
    assert sorted(progress(data)) == ["q-a", "q-b", "q-c"]
    assert main(["quiz", "--book", str(book), "--reset", "--chapter", "two"]) == 0
    assert "progress reset: forgot 1 question in" in capsys.readouterr().out
    assert sorted(progress(data)) == ["q-a", "q-b"], "chapter one keeps its boxes"
    assert main(["quiz", "--book", str(book), "--reset", "--part", "Part"]) == 0
    assert "forgot 2 questions" in capsys.readouterr().out and progress(data) == {}


def test_an_unwritable_data_folder_is_a_clear_error_before_any_question(book, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(quiz.DATA_ENV_VAR, str(blocker / "data"))  # a folder under a file: never writable
    status, _out, err, asked = run_quiz(monkeypatch, capsys, book, "y\n")
    assert status == 1 and asked == [] and "Traceback" not in err
    assert err.startswith(f"dlnotes: error: cannot save the quiz progress in {blocker / 'data'}")
    assert f"set {quiz.DATA_ENV_VAR} to a writable folder" in err


def test_json_of_the_wrong_shape_is_backed_up(book, data, monkeypatch, capsys):
    data.mkdir()
    wrong = '{"version": 1, "cards": {"q-a": {"box": 2, "reviews": 1e400}}}'
    (data / "progress.json").write_text(wrong, encoding="utf-8")
    status, _out, err, asked = run_quiz(monkeypatch, capsys, book, "y\n", "--n", "1")
    assert status == 0 and "Traceback" not in err and "does not hold dlnotes progress" in err
    [backup] = data.glob("progress.json.corrupt-*")
    assert backup.read_text(encoding="utf-8") == wrong
    assert {label: c.box for label, c in progress(data).items()} == {asked[0]: 2}


class _StdoutClosedAfterFirstAnswer(io.StringIO):
    """A stdout whose reader goes away (``| head``) once the first answer has been acknowledged."""

    def write(self, text):
        if "-> box" in self.getvalue():
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)

    def fileno(self):
        return self._fd

    def flush(self):
        if "-> box" in self.getvalue():
            raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_keeps_the_answers_given(book, data, monkeypatch, tmp_path):
    stdout = _StdoutClosedAfterFirstAnswer()
    with open(tmp_path / "sink", "w") as sink:
        stdout._fd = sink.fileno()
        monkeypatch.setattr(sys, "stdout", stdout)
        monkeypatch.setattr(sys, "stdin", io.StringIO("n\ny\ny\n"))
        status = main(["quiz", "--book", str(book), "--seed", "0", "--today", DAY.isoformat()])
    assert status == 141
    assert [c.box for c in progress(data).values()] == [1], "the answer given before the pipe closed is saved"


def test_a_closed_stdout_in_a_process(book, data):
    """`dlnotes quiz | head -n 1`: the quiz stops quietly (status 141, empty stderr) on its next write."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dlnotes", "quiz", "--book", str(book), "--seed", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(data),
    )
    try:
        assert proc.stdout.readline().startswith("3 questions")
        proc.stdout.close()  # the reader goes away, as head does
        _, err = proc.communicate("n\nn\nn\n", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 141 and err == "", err
    assert all(card.box == 1 for card in progress(data).values()), "the file stays readable"


def test_answer_text_keeps_math_directives_and_admonition_titles():
    source = "Before.\n\n```{math}\n:label: eq-x\na < b\n```\n\n:::{admonition} Why {ref}`c <d>`\nBody.\n:::"
    text = quiz.answer_text(source)
    assert text == "Before.\n\n a < b\n\nWhy c\n\nBody."


# ------------------------------------------------------------------ terminal rendering (issue 13)


@pytest.mark.parametrize("width", [80, 60])
def test_every_answer_of_the_book_fits_the_width_and_shows_no_markup(width):
    """The quiz is tested at 80 columns: no line over 80, no raw `$`, `\\(` or role in its output."""
    from rich.cells import cell_len

    from dlnotes.drill.questions import book_extensions
    from dlnotes.drill.render import book_references

    refs, extensions = book_references(REPO), book_extensions(REPO)
    raw = ["$", "\\(", "{numref}", "{ref}", "{cite", "{term}", "{glue:text}", "{eq}", "{math}"]
    bad = []
    for q in load_questions(REPO):
        glue = glue_values(REPO, q.docname)
        text = quiz.answer_text(q.answer, glue=glue, extensions=extensions, refs=refs, width=width)
        long = [line for line in text.splitlines() if cell_len(line) > width]
        found = [] if "```" in q.answer else [m for m in raw if m in text]  # code is shown as typed
        if long or found:
            bad.append((q.label, long[:1], found))
    assert not bad, bad[:5]


def test_math_references_and_citations_on_small_inputs():
    from dlnotes.drill.render import References, math_text

    assert (
        math_text(r"\frac{\partial L}{\partial w} = \sigma(z)(1 - \sigma(z))") == "∂ L/∂ w = σ(z)(1 - σ(z))"
    )
    assert math_text(r"\alpha_t \leftarrow \eta^{2n}") == "αₜ ← η²ⁿ"
    refs = References(
        {
            "fig-lloyd-steps": ("Fig. 7.1", "Lloyd's two steps"),
            "eq-angle": ("(4.2)", ""),
            "sec-x": ("", "Why"),
        },
        {"keskar2017": "Keskar et al. (2017)"},
    )
    source = "See {numref}`fig-lloyd-steps`, {eq}`eq-angle`, {ref}`sec-x` and {cite}`keskar2017`."
    assert quiz.answer_text(source, refs=refs, width=80) == (
        "See Fig. 7.1 “Lloyd's two steps”, (4.2), Why and Keskar et al. (2017)."
    )
    assert quiz.answer_text(source, width=100) == (
        "See the figure 'lloyd steps', the equation 'angle', the section 'x' and keskar2017."
    )
    assert "Keskar et al. (2017)" in answer_html(source, refs=refs)


def test_references_from_a_built_page_and_citations_from_the_bib(tmp_path):
    from dlnotes.drill.render import book_references

    page = tmp_path / "_build" / "html" / "book" / "c.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<section id="title-slug"><span id="sec-why"></span><h2><span class="section-number">3.1. </span>'
        'Why it works<a class="headerlink" href="#x">#</a></h2>'
        '<figure class="align-default" id="fig-steps"><img src="a.png"/><figcaption><p>'
        '<span class="caption-number">Fig. 3.2 </span><span class="caption-text">The two steps.</span>'
        "</p></figcaption></figure>"
        '<div class="math notranslate nohighlight" id="equation-eq-angle"><span class="eqno">(3.1)'
        '<a class="headerlink" href="#eq">#</a></span>\\[x\\]</div></section>',
        encoding="utf-8",
    )
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "references.bib").write_text(
        "@article{a2020, author = {Smith, Ann and Jones, Bob and Li, Chen}, title = {T}, year = {2020}}\n"
        "@article{b2021, author = {Smith, Ann and Jones, Bob}, title = {T}, year = {2021}}\n",
        encoding="utf-8",
    )
    refs = book_references(tmp_path)
    assert refs.targets["fig-steps"] == ("Fig. 3.2", "The two steps.")
    assert refs.targets["eq-angle"][0] == "(3.1)"
    assert refs.targets["sec-why"] == ("3.1", "Why it works")
    assert refs.citations == {"a2020": "Smith et al. (2020)", "b2021": "Smith and Jones (2021)"}
    text = quiz.answer_text("{numref}`fig-steps` and {eq}`eq-angle` {cite}`a2020,b2021`", refs=refs)
    assert text == "Fig. 3.2 “The two steps” and (3.1) Smith et al. (2020); Smith and Jones (2021)"
