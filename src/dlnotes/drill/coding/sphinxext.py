"""The coding drills in the book: the ``drill`` directive in a chapter, ``drill-list`` on the appendix page.

````md
```{drill} softmax
```
````

shows the drill ``softmax`` from the catalogue (:mod:`dlnotes.drill.coding`): its title, difficulty, time
target and tolerance, the statement (parsed as the page's MyST Markdown, math included) and the starter
signature, with the label ``drill-softmax`` for links. The statement lives in one place, the catalogue, so the
book, ``dlnotes drill show`` and the checker cannot disagree. A drill shown outside the chapter the catalogue
gives it, or shown twice, is a warning (an error under ``-W``).

````md
```{drill-list}
```
````

lists every drill of the catalogue, grouped by part and chapter in the book's order, each linked to its place
in its chapter, with difficulty and time target. A drill whose chapter is not in the table of contents is a
warning. Both directives make the catalogue's modules dependencies of the page, so editing a drill rebuilds
it.

Loaded by :mod:`dlnotes.drill.sphinxext`.
"""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from dlnotes.drill.sphinxext import BookListDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["DrillDirective", "DrillListDirective", "drill_label", "setup", "totals_sentence"]

logger = logging.getLogger(__name__)


def drill_label(name: str) -> str:
    """The label of a drill's box in its chapter: ``drill-<name>``."""
    return f"drill-{name}"


def _note_catalogue(env) -> None:
    from dlnotes.drill import coding

    for module in coding.CATALOGUE:
        path = getattr(sys.modules.get(f"dlnotes.drill.coding.catalogue.{module}"), "__file__", None)
        if path:
            env.note_dependency(path)
    env.note_dependency(str(pathlib.Path(coding.__file__).with_name("core.py")))


def totals_sentence(drills: Sequence) -> str:
    """``31 drills in 17 chapters (9 easy, 15 medium, 7 hard), about 6 hours at the time targets.``

    Examples
    --------
    >>> from types import SimpleNamespace as D
    >>> drills = [D(chapter="a", difficulty="easy", minutes=9), D(chapter="b", difficulty="hard", minutes=51)]
    >>> totals_sentence(drills)
    '2 drills in 2 chapters (1 easy, 0 medium, 1 hard), about 1 hour at the time targets.'
    """
    from dlnotes.drill.coding import DIFFICULTIES

    chapters = len({d.chapter for d in drills})
    levels = ", ".join(f"{sum(d.difficulty == level for d in drills)} {level}" for level in DIFFICULTIES)
    hours = round(sum(d.minutes for d in drills) / 60)
    duration = f"about {hours} hour{'s' if hours != 1 else ''}" if hours else "under half an hour"
    return (
        f"{len(drills)} drill{'s' if len(drills) != 1 else ''} in {chapters} chapter"
        f"{'s' if chapters != 1 else ''} ({levels}), {duration} at the time targets."
    )


class DrillDirective(SphinxDirective):
    """``drill NAME``: the drill's box (title, level, time, tolerance, statement, starter), labelled."""

    has_content = False
    required_arguments = 1
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        from dlnotes.drill.coding import DrillError, get_drill

        name = self.arguments[0]
        try:
            drill = get_drill(name)
        except DrillError as exc:
            logger.warning("{drill} %s", exc, location=self.get_location(), type="dlnotes", subtype="drill")
            return []
        _note_catalogue(self.env)
        if drill.chapter != self.env.docname:
            logger.warning(
                "{drill} %s belongs to the chapter %s (its catalogue entry says so), not to %s",
                name,
                drill.chapter,
                self.env.docname,
                location=self.get_location(),
                type="dlnotes",
                subtype="drill",
            )
        box = nodes.admonition(classes=["drill", "tip"])
        label = drill_label(name)
        box["ids"].append(nodes.make_id(label))
        box["names"].append(nodes.fully_normalize_name(label))
        self.state.document.note_explicit_target(box)  # a duplicate is docutils' own warning
        title = f"Coding drill: {drill.title}"
        box += nodes.title(title, title)
        facts = nodes.paragraph(classes=["drill-facts"])
        facts += nodes.Text(f"{drill.difficulty.capitalize()} · {drill.minutes} min · ")
        facts += nodes.literal(name, name)
        facts += nodes.Text(f" · tolerance rtol {drill.rtol:g}, atol {drill.atol:g}")
        box += facts
        statement = drill.statement.strip().splitlines()
        self.state.nested_parse(StringList(statement, source=f"drill {name}"), self.content_offset, box)
        starter = drill.starter.strip("\n")
        code = nodes.literal_block(starter, starter, language="python", classes=["drill-starter"])
        box += code
        how = nodes.paragraph()
        how += nodes.Text("Check it with ")
        call = f'check("{name}", {drill.function_name})'
        how += nodes.literal(call, call)
        how += nodes.Text(", or in a terminal: ")
        cli = f"dlnotes drill show {name} --starter > {drill.function_name}.py"
        how += nodes.literal(cli, cli)
        how += nodes.Text(", write it, then ")
        cli = f"dlnotes drill check {name} {drill.function_name}.py"
        how += nodes.literal(cli, cli)
        how += nodes.Text(".")
        box += how
        self.set_source_info(box)
        return [box]


class DrillListDirective(BookListDirective):
    """``drill-list``: every coding drill, by part and chapter, linked, with difficulty and time target."""

    has_content = False
    required_arguments = 0
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        from dlnotes.drill.coding import drills
        from dlnotes.drill.questions import toc_chapters

        toc = self.note_every_page()
        _note_catalogue(self.env)
        catalogue = drills()
        order = {
            docname: (index, part)
            for index, (docname, part, _) in enumerate(toc_chapters(self.env.srcdir, toc))
        }
        for drill in catalogue:
            if drill.chapter not in order:
                logger.warning(
                    "{drill-list} the drill %s belongs to %s, which is not in the table of contents",
                    drill.name,
                    drill.chapter,
                    location=self.get_location(),
                    type="dlnotes",
                    subtype="drill",
                )
        shown = sorted((d for d in catalogue if d.chapter in order), key=lambda d: order[d.chapter][0])
        result: list[nodes.Node] = [nodes.paragraph(text=totals_sentence(shown))]
        part = chapter = None
        items = None
        for drill in shown:
            if order[drill.chapter][1] != part:
                part = order[drill.chapter][1]
                result.append(nodes.rubric(text=part, classes=["question-bank-part"]))
            if drill.chapter != chapter:
                chapter = drill.chapter
                count = sum(d.chapter == chapter for d in shown)
                result.append(self._chapter_heading(chapter, count, "drill"))
                items = nodes.bullet_list(classes=["drill-list"])
                result.append(items)
            paragraph = nodes.paragraph()
            paragraph += self._xref("ref", drill_label(drill.name), drill.title)
            paragraph += nodes.Text(f" · {drill.difficulty} · {drill.minutes} min · ")
            paragraph += nodes.literal(drill.name, drill.name)
            item = nodes.list_item()
            item += paragraph
            items += item
        return result


def setup(app: Sphinx) -> dict:
    """Register ``drill`` and ``drill-list``."""
    from dlnotes import __version__

    app.add_directive("drill", DrillDirective)
    app.add_directive("drill-list", DrillListDirective)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
