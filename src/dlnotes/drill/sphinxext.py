"""A Sphinx extension that lists every interview question of the book on one page.

``question-bank`` is a directive without arguments or content. At build time it reads the chapters listed in
``_toc.yml`` with :func:`dlnotes.drill.questions.load_questions`, the same parser that ``dlnotes quiz`` and
``dlnotes anki`` use, and writes the questions grouped by part and chapter, each one a link to its place in
the chapter. The page is generated, so it cannot go stale: the directive makes every page of the book a
dependency of the page that holds it, and Sphinx rebuilds that page whenever a chapter changes.

Enable it with ``sphinx: extra_extensions: [dlnotes.drill.sphinxext]`` in ``_config.yml`` and write, in a
MyST page:

````md
```{question-bank}
```
````

A chapter whose questions break the pattern (an interview exercise with no solution right after it, a title
without both languages, a missing label, a label used twice) stops the build with the file, the line and what
is wrong.

The extension also shows bilingual glossary terms. In a ``glossary``, the term line
``batch normalization : 批归一化`` is, for Sphinx, the term ``batch normalization`` with the classifier
``批归一化``: chapters link it with ``{term}`batch normalization``` (the match ignores case), and Sphinx would
not display the classifier. The transform :class:`BilingualGlossaryTerms` displays it after the term, as
``batch normalization — 批归一化``.

Loading the extension also loads :mod:`dlnotes.drill.source`, the ``{source}`` directive with which the
chapters show the package's code by import name, and :mod:`dlnotes.drill.offline`, which serves MathJax from
the book and keeps every page from loading anything from another host.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["BilingualGlossaryTerms", "QuestionBankDirective", "group_questions", "setup", "summary_sentence"]

#: How Sphinx splits a glossary term line into the term and its classifiers (sphinx.domains.std).
_CLASSIFIER = re.compile(r" +: +")


def summary_sentence(n_questions: int, n_chapters: int) -> str:
    """Return the sentence that opens the bank: how many questions in how many chapters.

    Parameters
    ----------
    n_questions : int
        Number of interview questions in the book (0 or more).
    n_chapters : int
        Number of chapters that hold them (0 or more, at most `n_questions`).

    Returns
    -------
    str
        One sentence, with singular and plural right.

    Raises
    ------
    ValueError
        If a count is negative, or if there are more chapters with questions than questions.

    Examples
    --------
    >>> summary_sentence(96, 17)
    'The book asks 96 interview questions in 17 chapters.'
    >>> summary_sentence(1, 1)
    'The book asks 1 interview question in 1 chapter.'
    """
    if n_questions < 0 or n_chapters < 0:
        raise ValueError(f"counts must be >= 0, got {n_questions} questions and {n_chapters} chapters")
    if n_chapters > n_questions:
        raise ValueError(
            f"every chapter counted holds at least one question, got {n_chapters} chapters "
            f"for {n_questions} questions"
        )
    questions = "question" if n_questions == 1 else "questions"
    chapters = "chapter" if n_chapters == 1 else "chapters"
    return f"The book asks {n_questions} interview {questions} in {n_chapters} {chapters}."


def group_questions(questions: Iterable) -> list[tuple[str, list[tuple[str, list]]]]:
    """Group questions by part, then by chapter, keeping the reading order of the book.

    Parameters
    ----------
    questions : iterable of Question
        Questions as :func:`dlnotes.drill.questions.load_questions` returns them (anything with ``part`` and
        ``docname`` attributes), in reading order.

    Returns
    -------
    list of (part, [(docname, [Question, ...]), ...])
        Parts in order of first appearance, and in each part its chapters in order of first appearance.

    Examples
    --------
    >>> from types import SimpleNamespace as Q
    >>> qs = [Q(part="A", docname="a/x", label="q1"), Q(part="A", docname="a/y", label="q2"),
    ...       Q(part="B", docname="b/z", label="q3"), Q(part="A", docname="a/x", label="q4")]
    >>> [(part, [(doc, [q.label for q in chapter]) for doc, chapter in chapters])
    ...  for part, chapters in group_questions(qs)]
    [('A', [('a/x', ['q1', 'q4']), ('a/y', ['q2'])]), ('B', [('b/z', ['q3'])])]
    """
    parts: dict[str, dict[str, list]] = {}
    for question in questions:
        parts.setdefault(question.part, {}).setdefault(question.docname, []).append(question)
    return [(part, list(chapters.items())) for part, chapters in parts.items()]


class BookListDirective(SphinxDirective):
    """The links a generated list of the book needs (the question bank, the list of coding drills)."""

    def note_every_page(self) -> str:
        """Make every page of the book and the table of contents a dependency; return the toc's path."""
        # The table of contents decides the chapters and parts: the one this build follows
        # (`jupyter-book build --toc PATH` sets external_toc_path).
        toc = getattr(self.config, "external_toc_path", None) or "_toc.yml"
        self.env.note_dependency(toc)
        for docname in sorted(self.env.found_docs - {self.env.docname}):
            self.env.note_dependency(self.env.doc2path(docname))
        return toc

    def _xref(self, reftype: str, target: str, title: str | None) -> addnodes.pending_xref:
        """A cross-reference resolved by Sphinx's std domain, warning (under -n) if its target is missing."""
        ref = addnodes.pending_xref(
            "",
            refdomain="std",
            reftype=reftype,
            reftarget=target,
            refexplicit=title is not None,
            refwarn=True,
            refdoc=self.env.docname,
        )
        self.set_source_info(ref)
        ref += nodes.inline(title or "", title or "", classes=["xref", "std", f"std-{reftype}"])
        return ref

    def _chapter_heading(self, docname: str, count: int, noun: str = "question") -> nodes.paragraph:
        """``<chapter title as a link> (n questions)``, the chapter title taken from the page itself."""
        paragraph = nodes.paragraph(classes=["question-bank-chapter"])
        strong = nodes.strong()
        strong += self._xref("doc", f"/{docname}", None)
        paragraph += strong
        paragraph += nodes.Text(f" ({count} {noun}{'s' if count != 1 else ''})")
        return paragraph


class QuestionBankDirective(BookListDirective):
    """``question-bank``: every interview question of the book, grouped by part and chapter, linked."""

    has_content = False
    required_arguments = 0
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        # Imported here so that `import dlnotes.drill.sphinxext` stays cheap for Sphinx's extension loading.
        from dlnotes.drill.questions import QuestionError, load_questions

        toc = self.note_every_page()  # every page may gain or lose a question
        try:
            questions = load_questions(self.env.srcdir, toc=toc)
        except QuestionError as exc:
            raise ExtensionError(
                f"question-bank: the book's interview questions do not parse: {exc}"
            ) from exc

        grouped = group_questions(questions)
        n_chapters = sum(len(chapters) for _, chapters in grouped)
        result: list[nodes.Node] = [nodes.paragraph(text=summary_sentence(len(questions), n_chapters))]
        for part, chapters in grouped:
            if part:
                result.append(nodes.rubric(text=part, classes=["question-bank-part"]))
            for docname, chapter_questions in chapters:
                result.append(self._chapter_heading(docname, len(chapter_questions)))
                result.append(self._question_list(chapter_questions))
        return result

    def _question_list(self, questions: Sequence) -> nodes.bullet_list:
        """One item per question: the English title linking to the exercise, then the Chinese title."""
        items = nodes.bullet_list(classes=["question-bank-questions"])
        for question in questions:
            paragraph = nodes.paragraph()
            # Sphinx stores labels lower-cased (docutils normalizes names); so does the {ref} role.
            paragraph += self._xref("ref", question.label.lower(), question.title_en)
            paragraph += nodes.Text(" · ")
            paragraph += nodes.inline(question.title_zh, question.title_zh, classes=["question-bank-zh"])
            item = nodes.list_item()
            item += paragraph
            items += item
        return items


class BilingualGlossaryTerms(SphinxTransform):
    """Show a glossary term's first classifier after it: ``term : 中文`` displays as ``term — 中文``.

    The link target stays the term alone: ``{term}`batch normalization``` finds the line
    ``batch normalization : 批归一化``.
    The classifier is also removed from the term's index entry, where Sphinx would use it as the group heading
    of the general index; the index then files the term under its own first letter.
    """

    # After the glossary directive has built the terms, before SphinxDomains (850) collects the index entries.
    default_priority = 800

    def apply(self, **kwargs) -> None:
        for glossary in self.document.findall(addnodes.glossary):
            for term in glossary.findall(nodes.term):
                parts = _CLASSIFIER.split(term.rawsource)
                if len(parts) < 2 or not parts[1].strip():
                    continue
                translation = parts[1].strip()
                indexes = [child for child in term.children if isinstance(child, addnodes.index)]
                position = term.index(indexes[0]) if indexes else len(term.children)
                term.insert(position, nodes.inline("", f" — {translation}", classes=["glossary-translation"]))
                for index in indexes:
                    index["entries"] = [(*entry[:4], None) for entry in index["entries"]]


#: Loggers that print their whole parser configuration on every build (one line of several hundred
#: characters each); the configuration is in _config.yml already.
_CONFIG_DUMPERS = {
    "sphinx.myst_parser.sphinx_ext.main": "myst v%s:",
    "sphinx.myst_nb.sphinx_ext": "myst-nb v%s:",
}


class _DropConfigDump(logging.Filter):
    """Drop the INFO record that dumps a parser configuration; keep everything else the logger says."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.INFO and self.marker in str(record.msg))


def quiet_config_dumps() -> None:
    """Keep myst-parser's and myst-nb's configuration dumps out of the build log (idempotent)."""
    for name, marker in _CONFIG_DUMPERS.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropConfigDump) for f in logger.filters):
            logger.addFilter(_DropConfigDump(marker))


def setup(app: Sphinx) -> dict:
    """Register the ``question-bank`` directive, the glossary transform and the chapters' time budget.

    It also keeps the parsers' configuration dumps out of the build log, and loads the ``{source}``
    directive and the offline site (:mod:`dlnotes.drill.offline`).

    Sphinx calls it on loading the extension.
    """
    from dlnotes import __version__
    from dlnotes.drill import execution

    app.add_directive("question-bank", QuestionBankDirective)
    quiet_config_dumps()
    execution.setup(app)
    app.add_transform(BilingualGlossaryTerms)
    app.setup_extension("dlnotes.drill.source")  # the {source} directive that shows the package's code
    app.setup_extension("dlnotes.drill.offline")  # MathJax from the book, nothing from other hosts
    app.setup_extension("dlnotes.drill.coding.sphinxext")  # the {drill} and {drill-list} directives
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
