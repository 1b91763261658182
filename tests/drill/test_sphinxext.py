"""The Sphinx extension: the question bank and the bilingual glossary terms, built in a tiny made-up book."""

import io
import logging
import re
import textwrap

import pytest
from sphinx.errors import ExtensionError

from dlnotes.drill.questions import load_questions
from dlnotes.drill.sphinxext import group_questions, quiet_config_dumps, summary_sentence
from tests.helpers import sphinx_build

TOC = """\
format: jb-book
root: index
parts:
  - caption: First part
    chapters:
      - file: part1/alpha
      - file: part1/beta
  - caption: Second part
    chapters:
      - file: gamma
  - caption: Appendix
    chapters:
      - file: bank
      - file: glossary
"""

INDEX = """\
# Tiny book

```{toctree}
:hidden:
part1/alpha
part1/beta
gamma
bank
glossary
```
"""

QUESTION = """\
````{{exercise}} {zh} · {en}
:label: {label}
:class: interview
````

````{{solution}} {label}
:class: dropdown

**In 30 seconds.** An answer with math, $x^2$.
````
"""


def chapter(label, title, questions, prose=""):
    """A chapter page: opening label, title, prose, then its interview questions."""
    body = "".join(QUESTION.format(zh=zh, en=en, label=q) + "\n" for q, zh, en in questions)
    return f"({label})=\n# {title}\n\n{prose}\n\n## Interview questions\n\n{body}"


CHAPTERS = {
    "part1/alpha.md": chapter(
        "chapter-alpha",
        "Alpha things",
        [("q-alpha-one", "什么是阿尔法?", "What is alpha?"), ("q-alpha-two", "为什么?", "Why alpha?")],
        prose="Alpha uses the {term}`gradient` and {term}`BN <Batch Normalization>`.",
    ),
    "part1/beta.md": chapter("chapter-beta", "Beta things", [("q-beta", "贝塔?", "What is beta?")]),
    "gamma.md": chapter("chapter-gamma", "Gamma things", [("q-gamma", "伽马?", "What is gamma?")]),
    "bank.md": "(bank)=\n# Question bank\n\nAll of them.\n\n```{question-bank}\n```\n",
    "glossary.md": textwrap.dedent(
        """\
        # Glossary

        ```{glossary}
        :sorted:

        gradient : 梯度
          The vector of partial derivatives of the loss.

        batch normalization : 批归一化
          Normalizes each feature over the mini-batch.
        ```
        """
    ),
}


def write_book(root, chapters=CHAPTERS):
    (root / "_toc.yml").write_text(TOC, encoding="utf-8")
    (root / "index.md").write_text(INDEX, encoding="utf-8")
    for name, text in chapters.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def build(root, *, fresh=True, extensions=(), **overrides):
    """Build the book at `root` to HTML; return (warnings, {docname: html})."""
    _, warnings = sphinx_build(
        root,
        extensions=["sphinx_exercise", "dlnotes.sphinxext", *extensions],
        fresh=fresh,
        myst_enable_extensions=["colon_fence", "dollarmath"],
        **overrides,
    )
    html = {
        name.removesuffix(".md"): (root / "_build" / "html" / name.replace(".md", ".html")).read_text(
            encoding="utf-8"
        )
        for name in CHAPTERS
    }
    return warnings, html


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    write_book(root)
    return root, *build(root)


def test_build_has_no_warnings(built):
    _, warnings, _ = built
    assert warnings == ""


def test_bank_links_every_question_once_to_its_anchor(built):
    root, _, html = built
    bank = html["bank"]
    questions = load_questions(root)
    assert len(questions) == 4
    for q in questions:
        links = re.findall(rf'href="(?:\./)?{re.escape(q.docname)}\.html#{q.label}"', bank)
        assert len(links) == 1, f"{q.label}: {links}"
        assert q.title_en in bank and q.title_zh in bank
        # The anchor really exists in the chapter page.
        assert f'id="{q.label}"' in html[q.docname]
    assert summary_sentence(4, 3) in bank


def test_bank_groups_by_part_and_chapter_in_reading_order(built):
    _, _, html = built
    bank = html["bank"].split(summary_sentence(4, 3), 1)[1]  # the page body, not the side bar
    order = [
        "First part",
        "Alpha things",
        "What is alpha?",
        "Why alpha?",
        "Beta things",
        "What is beta?",
        "Second part",
        "Gamma things",
        "What is gamma?",
    ]
    positions = [bank.index(text) for text in order]
    assert positions == sorted(positions)
    # Chapter titles link to their pages.
    assert re.search(r'href="(?:\./)?part1/alpha\.html"', bank)
    assert "(2 questions)" in bank and "(1 question)" in bank


def test_glossary_terms_show_both_languages_and_link_by_english_name(built):
    _, _, html = built
    glossary = html["glossary"]
    assert re.search(r'id="term-gradient".*?gradient.*? — 梯度', glossary, re.S)
    # Sorted by the English term: batch normalization before gradient.
    assert glossary.index("批归一化") < glossary.index("梯度")
    alpha = html["part1/alpha"]
    assert re.search(r'href="\.\./glossary\.html#term-gradient"', alpha)
    assert re.search(r'href="\.\./glossary\.html#term-batch-normalization"[^>]*>.*?BN', alpha, re.S)


def test_editing_a_chapter_rebuilds_the_bank(tmp_path):
    write_book(tmp_path)
    build(tmp_path)
    beta = tmp_path / "part1" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("What is beta?", "Why beta?"), encoding="utf-8")
    warnings, html = build(tmp_path, fresh=False)
    assert warnings == ""
    assert "Why beta?" in html["bank"] and "What is beta?" not in html["bank"]


def test_a_question_without_solution_fails_the_build(tmp_path):
    broken = dict(CHAPTERS)
    broken["gamma.md"] = broken["gamma.md"].split("````{solution}")[0]
    write_book(tmp_path, broken)
    with pytest.raises(ExtensionError, match=r"gamma\.md"):
        build(tmp_path)


def test_group_questions_keeps_reading_order(built):
    root, _, _ = built
    grouped = group_questions(load_questions(root))
    assert [(part, [doc for doc, _ in chapters]) for part, chapters in grouped] == [
        ("First part", ["part1/alpha", "part1/beta"]),
        ("Second part", ["gamma"]),
    ]


@pytest.mark.parametrize(("questions", "chapters"), [(-1, 0), (1, -1), (1, 2)])
def test_summary_sentence_rejects_impossible_counts(questions, chapters):
    with pytest.raises(ValueError, match="got"):
        summary_sentence(questions, chapters)


def test_the_bank_follows_the_toc_of_the_build(tmp_path, monkeypatch):
    """`jupyter-book build --toc OTHER` (sphinx-external-toc's external_toc_path): the bank follows it."""
    write_book(tmp_path)
    other = TOC.replace("      - file: part1/beta\n", "")
    other = other.replace("  - caption: Second part\n    chapters:\n      - file: gamma\n", "")
    (tmp_path / "other_toc.yml").write_text(other, encoding="utf-8")
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "fake_etoc.py").write_text(
        "def setup(app):\n    app.add_config_value('external_toc_path', '_toc.yml', 'env')\n"
        "    return {'parallel_read_safe': True}\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(plugin))
    warnings, html = build(tmp_path, extensions=["fake_etoc"], external_toc_path="other_toc.yml")
    assert warnings == ""
    bank = html["bank"]
    assert summary_sentence(2, 1) in bank and "What is alpha?" in bank
    assert "What is beta?" not in bank and "What is gamma?" not in bank


def test_the_parser_config_dumps_stay_out_of_the_log(tmp_path, monkeypatch):
    """myst-parser logs its whole configuration on every build; the extension drops that one record."""
    write_book(tmp_path)
    logger = logging.getLogger("sphinx.myst_parser.sphinx_ext.main")
    monkeypatch.setattr(logger, "filters", [])
    status = io.StringIO()
    sphinx_build(tmp_path, extensions=["sphinx_exercise"], status=status)
    assert "MdParserConfig" in status.getvalue(), "without the filter, myst-parser dumps its configuration"
    quiet_config_dumps()
    quiet_config_dumps()  # idempotent: one filter per logger
    assert len(logger.filters) == 1
    warning = logging.LogRecord(logger.name, logging.WARNING, __file__, 1, "myst v%s: %s", ("3", "x"), None)
    assert logger.filters[0].filter(warning), "other records pass"
    status = io.StringIO()
    sphinx_build(tmp_path, extensions=["sphinx_exercise", "dlnotes.sphinxext"], status=status)
    assert "build succeeded" in status.getvalue()
    assert "MdParserConfig" not in status.getvalue()
