"""`dlnotes.drill.questions`: the question bank of the real book, and every error on small synthetic books."""

import collections
import re

import pytest

from dlnotes.drill.questions import (
    BOOK_ENV_VAR,
    Question,
    QuestionError,
    find_book_root,
    load_questions,
    parse_chapter,
    toc_chapters,
)
from tools import notebooks

ROOT = notebooks.ROOT
CURRICULUM = ROOT.parent / "shared" / "CURRICULUM.md"
CHAPTERS = [
    p for p in notebooks.toc_files() if p.exists() and p.parent.name != "appendix" and p.name != "intro.md"
]


@pytest.fixture(scope="module")
def bank():
    return load_questions(ROOT)


# ---------------------------------------------------------------------------------------------- the real book


def test_the_bank_is_large_and_every_chapter_has_five(bank):
    assert len(bank) >= 80
    per_chapter = collections.Counter(q.docname for q in bank)
    for path in CHAPTERS:
        docname = path.relative_to(ROOT).with_suffix("").as_posix()
        assert per_chapter[docname] >= 5, f"{docname} has {per_chapter[docname]} interview questions"


def test_the_bank_agrees_with_a_plain_count_of_the_sources(bank):
    # An independent count: exercise directives with class interview, outside the parser.
    expected = sum(
        len(
            re.findall(
                r"^````\{exercise\}.*\n:label: .*\n:class: interview$", p.read_text(encoding="utf-8"), re.M
            )
        )
        for p in CHAPTERS
    )
    assert len(bank) == expected


def test_every_question_is_complete(bank):
    labels = [q.label for q in bank]
    assert len(labels) == len(set(labels))
    toc_parts = {docname: part for docname, part, _ in toc_chapters(ROOT)}
    for q in bank:
        assert q.label.startswith("q-")
        assert re.search(r"[\u4e00-\u9fff]", q.title_zh) and re.search(r"[A-Za-z]", q.title_en), q.label
        assert q.answer.strip() and not q.answer.startswith(":class:"), q.label
        assert q.chapter and q.chapter_label.startswith("chapter-"), q.label
        assert q.part == toc_parts[q.docname]
        assert q.url == f"{q.docname}.html#{q.label}"
        source = (ROOT / q.docname).with_suffix(".md").read_text(encoding="utf-8").splitlines()
        assert source[q.line - 1].startswith("````{exercise}") and q.title_en in source[q.line - 1]
        assert source[q.line].strip() == f":label: {q.label}"


def _curriculum_rows():
    """(label, chapter stem) rows of the curriculum's question table (same reading as tests/test_book.py)."""
    text = CURRICULUM.read_text(encoding="utf-8").split("## Interview questions", 1)[1]
    rows = re.findall(r"^\| (q-[\w-]+) \| ([\w-]+) \|", text, re.M)
    assert rows, "the curriculum's question table was not found"
    return rows


@pytest.mark.skipif(
    not CURRICULUM.exists(), reason="the curriculum (../shared/CURRICULUM.md) is not beside the repo"
)
def test_every_curriculum_question_is_in_its_chapter(bank):
    by_label = {q.label: q for q in bank}
    in_toc = {p.stem for p in CHAPTERS}
    checked, problems = 0, []
    for label, stem in _curriculum_rows():
        if stem not in in_toc:
            continue
        checked += 1
        q = by_label.get(label)
        if q is None:
            problems.append(f"{label} missing from {stem}")
        elif q.stem != stem:
            problems.append(f"{label} is in {q.stem}, the curriculum puts it in {stem}")
        elif not (q.title_zh and q.title_en and q.answer.strip()):
            problems.append(f"{label} lacks a title or its solution")
    assert not problems, problems
    assert checked >= 50


def test_filters(bank):
    gradients = load_questions(ROOT, chapters=["gradients"])
    assert gradients and {q.stem for q in gradients} == {"gradients"}
    assert load_questions(ROOT, chapters=["chapter-gradients"]) == gradients
    evaluation = load_questions(ROOT, parts=["evaluation"])
    assert evaluation == [q for q in bank if q.part == "Evaluation"]
    both = load_questions(ROOT, chapters=["gradients", "kmeans"], parts=["Training dynamics"])
    assert both == gradients
    with pytest.raises(QuestionError, match="no chapter 'nope'"):
        load_questions(ROOT, chapters=["nope"])
    with pytest.raises(QuestionError, match="no part 'Cooking'"):
        load_questions(ROOT, parts=["Cooking"])


# ------------------------------------------------------------------------------------------ synthetic books


def exercise(label, title="为什么? · Why?", solution=True, body="The answer, $x^2$.", solution_of=None):
    text = f"````{{exercise}} {title}\n:label: {label}\n:class: interview\n````\n\n"
    if solution:
        text += f"````{{solution}} {solution_of or label}\n:class: dropdown\n\n{body}\n````\n\n"
    return text


def chapter(name, *questions, head=""):
    return f"(chapter-{name})=\n# Chapter {name}\n\n{head}## Interview questions\n\n" + "".join(questions)


def make_book(tmp_path, pages, parts=None):
    """Write a tiny book: pages maps 'book/x' to text; parts maps a caption to its list of pages."""
    parts = parts or {"Part one": list(pages)}
    toc = "format: jb-book\nroot: book/intro\nparts:\n"
    for caption, files in parts.items():
        toc += f"  - caption: {caption}\n    chapters:\n" + "".join(f"      - file: {f}\n" for f in files)
    (tmp_path / "_toc.yml").write_text(toc, encoding="utf-8")
    for docname, text in {"book/intro": "# Intro\n", **pages}.items():
        path = tmp_path / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_synthetic_book_is_read_in_toc_order(tmp_path):
    make_book(
        tmp_path,
        {
            "book/b": chapter("b", exercise("q-b1"), exercise("q-b2")),
            "book/a": chapter("a", exercise("q-a1")),
        },
        parts={"First": ["book/b"], "Second": ["book/a"]},
    )
    bank = load_questions(tmp_path)
    assert [(q.label, q.part, q.docname, q.chapter, q.chapter_label) for q in bank] == [
        ("q-b1", "First", "book/b", "Chapter b", "chapter-b"),
        ("q-b2", "First", "book/b", "Chapter b", "chapter-b"),
        ("q-a1", "Second", "book/a", "Chapter a", "chapter-a"),
    ]
    assert bank[0] == Question(
        "q-b1", "为什么?", "Why?", "The answer, $x^2$.", "Chapter b", "chapter-b", "First", "book/b", 6
    )


def test_the_parser_reads_directives_as_sphinx_does(tmp_path):
    # An exercise shown inside a code block is not a question; a solution may hold fenced code and math;
    # exercises without class interview are skipped; colon fences and YAML option blocks work.
    shown = "`````md\n" + exercise("q-shown", solution=False) + "`````\n\n"
    body = "**In 30 seconds.** Yes.\n\n```python\nx = 1\n```\n\n$$\ny = x\n$$"
    plain = "````{exercise} 练习 · Practice\n:label: ex-plain\n````\n\n````{solution} ex-plain\nNo.\n````\n\n"
    colon = ":::{exercise} 冒号? · Colon?\n---\nlabel: q-colon\nclass: interview hard\n---\n:::\n\n"
    colon += ":::{solution} q-colon\nColons work.\n:::\n"
    path = tmp_path / "c.md"
    path.write_text(chapter("c", shown, exercise("q-real", body=body), plain, colon), encoding="utf-8")
    bank = parse_chapter(path, part="P", docname="book/c")
    assert [q.label for q in bank] == ["q-real", "q-colon"]
    assert bank[0].answer == body
    assert bank[1].answer == "Colons work." and bank[1].title_en == "Colon?"


def _error(tmp_path, text, name="bad.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionError) as info:
        parse_chapter(path)
    return str(info.value), path


def _line_of(text, needle):
    return text.splitlines().index(needle) + 1


def test_missing_solution_names_file_and_line(tmp_path):
    text = chapter("x", exercise("q-one"), exercise("q-two", solution=False), exercise("q-three"))
    message, path = _error(tmp_path, text)
    line = _line_of(text, ":label: q-two") - 1  # the exercise's first line
    assert message.startswith(f"{path}:{line}:")
    assert "'q-two' has no solution" in message and "{exercise}" in message


def test_missing_solution_at_the_end(tmp_path):
    message, _ = _error(tmp_path, chapter("x", exercise("q-last", solution=False)))
    assert "'q-last' has no solution" in message and "found nothing" in message


def test_solution_of_another_exercise(tmp_path):
    message, _ = _error(tmp_path, chapter("x", exercise("q-a", solution_of="q-b")))
    assert "belongs to 'q-b'" in message


def test_empty_solution(tmp_path):
    message, _ = _error(tmp_path, chapter("x", exercise("q-a", body="")))
    assert "solution of 'q-a'" in message and "empty" in message


@pytest.mark.parametrize(
    "title",
    ["Why? · Why?", "为什么? · 为什么?", "为什么? · Why 为什么?", "为什么? Why?", "为什么?", "为什么? · "],
    ids=repr,
)
def test_title_missing_a_language(tmp_path, title):
    text = chapter("x", exercise("q-a"), exercise("q-title", title=title))
    message, path = _error(tmp_path, text)
    line = text.splitlines().index(f"````{{exercise}} {title}") + 1
    assert f"{path.name}:{line}:" in message
    assert "'q-title' must be bilingual" in message


def test_missing_label(tmp_path):
    text = chapter("x", "````{exercise} 为什么? · Why?\n:class: interview\n````\n\n")
    message, path = _error(tmp_path, text)
    assert (
        f"{path.name}:{_line_of(text, '````{exercise} 为什么? · Why?')}:" in message
        and "no :label:" in message
    )


def test_duplicate_label_in_one_file(tmp_path):
    text = chapter("x", exercise("q-a"), exercise("q-a"))
    message, path = _error(tmp_path, text)
    first = _line_of(text, "````{exercise} 为什么? · Why?")
    assert f"already used at {path}:{first}" in message or f"already used at {path.name}:{first}" in message


def test_duplicate_label_across_chapters_names_both(tmp_path):
    pages = {
        "book/a": chapter("a", exercise("q-same")),
        "book/b": chapter("b", exercise("q-dup"), exercise("q-same")),
    }
    make_book(tmp_path, pages)
    with pytest.raises(QuestionError) as info:
        load_questions(tmp_path)
    message = str(info.value)
    assert re.search(r"b\.md:\d+: label 'q-same' is already used at .*a\.md:6$", message), message


def test_a_toc_entry_without_a_file(tmp_path):
    make_book(tmp_path, {"book/a": chapter("a", exercise("q-a"))}, parts={"P": ["book/a", "book/gone"]})
    with pytest.raises(QuestionError, match=r"lists 'book/gone' but .*gone\.md does not exist"):
        load_questions(tmp_path)


def test_find_book_root(tmp_path, monkeypatch):
    make_book(tmp_path, {"book/a": chapter("a", exercise("q-a"))})
    deep = tmp_path / "book" / "deeper"
    deep.mkdir()
    assert find_book_root(deep) == tmp_path.resolve()
    assert find_book_root(tmp_path / "book" / "a.md") == tmp_path.resolve()
    monkeypatch.setenv(BOOK_ENV_VAR, str(deep))
    assert find_book_root() == tmp_path.resolve()
    monkeypatch.delenv(BOOK_ENV_VAR)
    monkeypatch.chdir(deep)
    assert find_book_root() == tmp_path.resolve()
    assert [q.label for q in load_questions()] == ["q-a"]


def test_no_book_is_a_clear_error(tmp_path):
    lonely = tmp_path / "nowhere"
    lonely.mkdir()
    if any((p / "_toc.yml").exists() for p in lonely.resolve().parents):
        pytest.skip("a _toc.yml above the temporary folder")
    with pytest.raises(
        QuestionError, match=r"no _toc.yml found in .*nowhere or its parents; pass --book PATH"
    ):
        find_book_root(lonely)


def test_question_is_frozen():
    q = Question("q-a", "甲", "A", "x", "C", "chapter-c", "P", "book/c", 1)
    with pytest.raises(AttributeError):
        q.label = "q-b"
    assert isinstance(QuestionError("x"), ValueError)
    assert q.url == "book/c.html#q-a" and q.stem == "c"


@pytest.mark.parametrize(
    "block", ["- a list", "label: q-a: b", "'unclosed"], ids=["list", "bad-mapping", "bad-quote"]
)
def test_a_malformed_yaml_options_block_is_no_options(tmp_path, block):
    # myst-parser warns and drops such a block; the exercise then has no class and is no interview question.
    text = f":::{{exercise}} 问? · Q?\n---\n{block}\n---\nBody.\n:::\n"
    path = tmp_path / "c.md"
    path.write_text(chapter("c", text), encoding="utf-8")
    assert parse_chapter(path) == []


def test_colon_fences_with_key_options_and_a_nested_fence(tmp_path):
    text = (
        ":::{exercise} 冒号? · Colon?\n:label: q-colon\n:class: interview\n:::\n\n"
        "::::{solution} q-colon\n:class: dropdown\n\nYes.\n\n:::{note}\nNested.\n:::\n::::\n"
    )
    path = tmp_path / "c.md"
    path.write_text(chapter("c", text), encoding="utf-8")
    [q] = parse_chapter(path)
    assert (q.label, q.title_zh, q.title_en) == ("q-colon", "冒号?", "Colon?")
    assert q.answer == "Yes.\n\n:::{note}\nNested.\n:::"
