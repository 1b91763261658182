"""The book's structure: the table of contents, the chapter pattern, interview questions and notebook export.

These checks keep every chapter to the pattern in CONTRIBUTING.md; the book build (see the Makefile) then
executes the chapters (each once, with its time budget).
"""

import json
import re

import pytest
import yaml

from dlnotes.drill.reading import BUDGET_MINUTES, reading_time
from tools import notebooks

ROOT = notebooks.ROOT
CURRICULUM = ROOT.parent / "shared" / "CURRICULUM.md"
# The curriculum's question table, kept in the repository so that every clone checks it.
CURRICULUM_TABLE = ROOT / "book" / "_curriculum.yml"

TOC = notebooks.toc_files()
CHAPTERS = [p for p in TOC if p.exists() and p.parent.name != "appendix" and p.name != "intro.md"]

# An interview question: an `exercise` with a label and class `interview`, then its `solution` right after.
EXERCISE = re.compile(
    r"^````\{exercise\} (?P<title>.+)\n:label: (?P<label>\S+)\n:class: interview\n````\n\n"
    r"````\{solution\} (?P<solution_of>\S+)\n:class: dropdown\n",
    re.M,
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _rel(path):
    return str(path.relative_to(ROOT))


def test_toc_lists_existing_files_in_parts():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    assert toc["format"] == "jb-book"
    assert all("caption" in part for part in toc["parts"])
    missing = [_rel(p) for p in TOC if not p.exists()]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_every_page_under_book_is_in_the_toc():
    pages = set(ROOT.joinpath("book").rglob("*.md"))
    orphans = sorted(_rel(p) for p in pages - set(TOC))
    assert not orphans, f"pages not listed in _toc.yml (they would not be built): {orphans}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=_rel)
def test_chapter_follows_the_pattern(chapter):
    text = chapter.read_text(encoding="utf-8")
    assert notebooks.is_notebook(chapter), (
        "a chapter is a MyST notebook with a jupytext header and code cells"
    )
    body = text.split("\n---\n", 1)[1].lstrip()
    assert re.match(r"\(chapter-[\w-]+\)=\n# ", body), (
        "a chapter opens with a `(chapter-...)=` label and a title"
    )
    first_cell = body.split("```{code-cell} ipython3\n", 1)[1].split("\n```", 1)[0]
    assert "set_seed(" in first_cell and "get_device()" in first_cell, (
        "the imports cell sets the seed and device"
    )
    assert "assert" in text, "a chapter checks its claims with assert"
    assert text.count("\n## Summary\n") == 1 and text.count("\n## Interview questions\n") == 1
    assert text.index("## Summary") < text.index("## Interview questions")
    if "\n## Coding drills\n" in text:  # the drills close the chapter, after the interview questions
        assert (
            text.count("\n## Coding drills\n") == 1 and "\n## " not in text.split("\n## Coding drills\n")[1]
        )
        assert text.index("## Interview questions") < text.index("## Coding drills")
    figures = re.findall(r"^ +name: (fig-[\w-]+)$", text, re.M)  # mystnb figure options
    assert len(figures) >= 3, f"at least three named figures, found {figures}"
    assert "```{admonition} Common misconception" in text


@pytest.mark.parametrize("chapter", CHAPTERS, ids=_rel)
def test_interview_questions_are_bilingual_exercises_with_hidden_solutions(chapter):
    text = chapter.read_text(encoding="utf-8")
    questions = text.split("\n## Interview questions\n", 1)[1]
    found = list(EXERCISE.finditer(questions))
    assert len(found) == questions.count("{exercise}"), (
        "every exercise needs :label:, :class: interview, a solution"
    )
    assert len(found) >= 5, f"at least five interview questions, found {len(found)}"
    for q in found:
        assert q["solution_of"] == q["label"], (
            f"the solution after {q['label']} belongs to {q['solution_of']}"
        )
        chinese, _, english = q["title"].partition(" · ")
        assert CJK.search(chinese) and english and not CJK.search(english), f"bilingual title: {q['title']}"
        assert q["label"].startswith("q-")


def test_question_labels_are_unique_across_the_book():
    labels = [q["label"] for p in CHAPTERS for q in EXERCISE.finditer(p.read_text(encoding="utf-8"))]
    assert len(labels) == len(set(labels)), sorted({x for x in labels if labels.count(x) > 1})


def _required_questions():
    """(label, chapter stem) of every question in book/_curriculum.yml."""
    table = yaml.safe_load(CURRICULUM_TABLE.read_text(encoding="utf-8"))["questions"]
    assert table, f"{_rel(CURRICULUM_TABLE)} lists no questions"
    return [(q["label"], q["chapter"]) for q in table]


def test_curriculum_questions_are_in_their_chapters():
    by_stem = {p.stem: p.read_text(encoding="utf-8") for p in CHAPTERS}
    missing = [
        f"{label} in {stem}"
        for label, stem in _required_questions()
        if stem in by_stem and f":label: {label}\n:class: interview" not in by_stem[stem]
    ]
    assert not missing, f"curriculum questions missing from existing chapters: {missing}"


@pytest.mark.skipif(
    not CURRICULUM.exists(), reason="the curriculum (../shared/CURRICULUM.md) is not beside the repo"
)
def test_the_curriculum_table_matches_the_spec():
    """book/_curriculum.yml holds exactly the rows of the spec's question table, in its order."""
    text = CURRICULUM.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (q-[\w-]+) \| ([\w-]+) \| (.+?) \| (.+?) \|$", text, re.M)
    assert rows, "the curriculum's question table was not found"
    spec = [(a, b, c.replace("\\|", "|"), d.replace("\\|", "|")) for a, b, c, d in rows]
    table = yaml.safe_load(CURRICULUM_TABLE.read_text(encoding="utf-8"))["questions"]
    assert [(q["label"], q["chapter"], q["zh"], q["en"]) for q in table] == spec


def test_notebook_export_writes_every_chapter(tmp_path):
    written = notebooks.convert(out=tmp_path)
    assert [p.relative_to(tmp_path).with_suffix(".md") for p in written] == [
        p.relative_to(ROOT) for p in notebooks.notebook_files()
    ]
    for path in written:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        assert any(cell["cell_type"] == "code" for cell in nb["cells"])
    stale = tmp_path / "old.ipynb"
    stale.write_text("{}")
    notebooks.convert(out=tmp_path)
    assert not stale.exists(), "a chapter removed from the toc leaves no notebook behind"


def test_config_fails_on_errors_and_slow_cells():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    execute = config["execute"]
    assert execute["execute_notebooks"] == "cache" and execute["raise_on_error"] is True
    assert execute["allow_errors"] is False and 0 < execute["timeout"] <= 60
    assert config["only_build_toc_files"] is True
    assert {"_build", ".venv", "src", "tests"} <= set(config["exclude_patterns"])
    # The extension checks each chapter's execution time (dlnotes.drill.execution) within the same budget.
    assert "dlnotes.drill.sphinxext" in config["sphinx"]["extra_extensions"]
    assert 0 < config["sphinx"]["config"]["dlnotes_notebook_budget_s"] <= 60


#: The page shows about this many characters of a code line before it cuts the rest off.
MAX_CODE_LINE = 88


@pytest.mark.parametrize("chapter", CHAPTERS, ids=_rel)
def test_code_cells_fit_the_page(chapter):
    long_lines, in_cell, in_options = [], False, False
    for number, line in enumerate(chapter.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```{code-cell}"):
            in_cell, in_options = True, False
            first = True
            continue
        if in_cell and line == "---":  # the cell's YAML options (tags, figure caption) are not code
            in_options = first or not in_options
        elif line == "```":
            in_cell = False
        elif in_cell and not in_options and len(line) > MAX_CODE_LINE:
            long_lines.append(f"line {number}: {len(line)} characters")
        first = False
    assert not long_lines, f"code lines longer than {MAX_CODE_LINE} characters: {long_lines}"


def test_labels_are_unique_across_the_book():
    """Sphinx labels share one namespace: a figure, equation or section label may be defined once only."""
    patterns = [
        r"^\((?P<x>[\w-]+)\)=$",  # section targets
        r"^:label: (?P<x>\S+)$",  # exercises, prf boxes
        r"^ +name: (?P<x>fig-[\w-]+)$",  # mystnb figures
        r"^\$\$ \((?P<x>[\w-]+)\)$",  # labelled equations
    ]
    seen = {}
    duplicates = []
    for page in [p for p in TOC if p.exists()]:
        text = page.read_text(encoding="utf-8")
        for pattern in patterns:
            for match in re.finditer(pattern, text, re.M):
                label = match["x"]
                if label in seen and seen[label] != page:
                    duplicates.append(f"{label} in {_rel(seen[label])} and {_rel(page)}")
                seen.setdefault(label, page)
    assert not duplicates, duplicates


def test_chapters_show_package_code_with_source_not_literalinclude():
    """Code from src is shown by import name (``{source}``, tests/test_source.py), not welded to its text."""
    welded = []
    for page in [p for p in TOC if p.exists()]:
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"^[`:]{3,}\{literalinclude\}[ \t]+\S*\bsrc/\S*", text, re.M):
            welded.append(f"{_rel(page)}:{text.count(chr(10), 0, m.start()) + 1}: {m[0]}")
    assert not welded, (
        f"show package code with {{source}} dlnotes.<module>.<name>, not literalinclude: {welded}"
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=_rel)
def test_visible_reading_time_within_budget(chapter, record_property):
    # Visible prose at 200 words and visible code at 15 lines per minute (dlnotes.drill.reading); interview
    # answers, hide-input cells and dropdowns are collapsed and do not count. The table is printed at the end.
    t = reading_time(chapter)
    record_property("reading_minutes", round(t.minutes, 1))
    record_property("collapsed_minutes", round(t.hidden_minutes, 1))
    assert t.minutes <= BUDGET_MINUTES, (
        f"{_rel(chapter)} reads in {t.minutes:.1f} min ({t.prose_words} words, {t.code_lines} visible code "
        f"lines), over the {BUDGET_MINUTES}-minute budget: collapse checks and harnesses (hide-input), "
        "move niche derivations into a dropdown or cut"
    )
