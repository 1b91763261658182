"""The glossary (book/appendix/glossary.md): bilingual entries; every {term} link in the book has a target."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "book" / "appendix" / "glossary.md"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
# How Sphinx splits a glossary term line into the term and its classifiers (sphinx.domains.std).
CLASSIFIER = re.compile(r" +: +")
# {term}`text` or {term}`text <target>`; Sphinx matches the target with the term ignoring case.
TERM_ROLE = re.compile(r"\{term\}`(?P<text>[^`]+)`")


def parse_glossary(text):
    """Return [(english, chinese, definition, line)] for the entries of the `{glossary}` block in `text`."""
    block = re.search(r"^```\{glossary\}\n(?P<body>.*?)^```$", text, re.M | re.S)
    assert block, "no ```{glossary} block found"
    first_line = text[: block.start("body")].count("\n") + 1
    entries = []
    for number, line in enumerate(block["body"].splitlines(), first_line):
        if not line.strip() or line.startswith((".. ", ":sorted:")):
            continue
        if not line[0].isspace():
            english, *rest = CLASSIFIER.split(line)
            entries.append([english, rest[0] if rest else "", [], number])
        else:
            assert entries, f"line {number}: a definition before any term"
            entries[-1][2].append(line.strip())
    return [(en, zh, " ".join(definition), number) for en, zh, definition, number in entries]


ENTRIES = parse_glossary(GLOSSARY.read_text(encoding="utf-8"))
TERMS = {en.lower() for en, *_ in ENTRIES}


def term_links(path):
    """(line number, link text, target) of every {term} role in `path`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for match in TERM_ROLE.finditer(line):
            text = match["text"]
            explicit = re.fullmatch(r"(?P<title>.*?)\s*<(?P<target>[^<>]+)>", text, re.S)
            yield number, line, explicit["target"] if explicit else text


BOOK_PAGES = sorted((ROOT / "book").rglob("*.md"))


def test_glossary_opens_with_its_label_and_is_sorted():
    text = GLOSSARY.read_text(encoding="utf-8")
    assert text.startswith("(appendix-glossary)=\n# ")
    assert "```{glossary}\n:sorted:\n" in text


def test_glossary_has_at_least_80_bilingual_terms():
    assert len(ENTRIES) >= 80, f"{len(ENTRIES)} terms"
    for english, chinese, definition, number in ENTRIES:
        where = f"glossary.md:{number} {english!r}"
        assert LATIN.search(english) and not CJK.search(english), f"{where}: the term is the English name"
        assert CJK.search(chinese), f"{where}: no Chinese after ' : '"
        assert len(definition.split()) >= 5, f"{where}: a one-line definition is missing"


def test_glossary_terms_are_unique_ignoring_case():
    names = [en.lower() for en, *_ in ENTRIES]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


@pytest.mark.parametrize("page", BOOK_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_term_link_has_a_target(page):
    missing = [
        f"line {n}: {target!r}" for n, _, target in term_links(page) if target.strip().lower() not in TERMS
    ]
    assert not missing, f"{{term}} targets not in the glossary: {missing}"


@pytest.mark.parametrize("page", BOOK_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_term_links_in_headings_or_exercise_titles(page):
    misplaced = [
        f"line {n}"
        for n, line, _ in term_links(page)
        if line.startswith(("#", "````{exercise}", "```{exercise}", "```{admonition}"))
    ]
    assert not misplaced, f"{{term}} in a heading, an exercise title or an admonition title: {misplaced}"


def test_parser_reads_multi_line_definitions_and_classifiers():
    text = "```{glossary}\n:sorted:\n\n.. a comment\n\nfoo bar : 甲乙\n  One two\n  three four five.\n```\n"
    assert parse_glossary(text) == [("foo bar", "甲乙", "One two three four five.", 6)]
