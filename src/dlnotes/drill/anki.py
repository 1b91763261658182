"""An Anki deck of the book's interview questions (``dlnotes anki OUT.apkg``), built with ``genanki``.

One note per question: the front shows the bilingual title, the back the answer rendered from its MyST
Markdown to HTML by the book's own markdown-it parser, with math handed to Anki's MathJax (``$...$``
becomes ``\\(...\\)`` and ``$$...$$`` becomes ``\\[...\\]``). Notes are tagged ``dlnotes``,
``part::<caption>`` and ``chapter::<file stem>`` (spaces become ``_``: Anki tags have none).

The deck id, the model id and each note's GUID (``genanki.guid_for(label)``) are fixed, so importing a
newer deck updates the cards already in Anki instead of adding copies, and keeps their review history.

Numbers that the chapters compute and glue into the prose (``{glue:text}`name:.3f```) are read from the
last build of the book (``_build/jupyter_execute/<chapter>.glue.json``); without a build they show as
``[name]``.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import pathlib
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from dlnotes.drill.questions import (
    _CODE_DIRECTIVES,
    DEFAULT_EXTENSIONS,
    Question,
    _directive,
    _split_options,
    glue_values,
    role_text,
)
from dlnotes.drill.render import References, book_references

if TYPE_CHECKING:
    import genanki
    from markdown_it import MarkdownIt

__all__ = [
    "DECK_ID",
    "DECK_NAME",
    "MODEL_ID",
    "answer_html",
    "build_deck",
    "note_tags",
    "write_deck",
]

DECK_NAME = "dlnotes: deep-learning interview questions"


def _stable_id(name: str) -> int:
    """A fixed id in [2**30, 2**31) from a name (genanki wants a 31-bit-safe positive integer)."""
    return 2**30 + int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % 2**30


#: The deck's id: the same in every build, so a new deck replaces the old one in Anki.
DECK_ID = _stable_id("dlnotes interview deck")
#: The note type's id (fields and card template); change its name when the fields change.
MODEL_ID = _stable_id("dlnotes interview model v1")

_FIELDS = ["Label", "Chinese", "English", "Answer", "Chapter", "Part", "Link"]
_FRONT = '<div class="zh">{{Chinese}}</div>\n<div class="en">{{English}}</div>'
_BACK = (
    '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>\n'
    '<div class="source">{{Part}} › {{Chapter}} · {{Link}}</div>'
)
_CSS = """.card {
  font-family: sans-serif; font-size: 18px; text-align: left; color: black; background: white;
}
.zh { font-size: 22px; margin-bottom: 0.3em; }
.en { font-size: 20px; color: #333; }
.answer { margin-top: 0.5em; }
.source { margin-top: 1em; font-size: 14px; color: #777; }
pre { background: #f5f5f5; padding: 0.5em; overflow-x: auto; }
"""


def _genanki():
    try:
        import genanki
    except ImportError as err:
        raise RuntimeError("building an Anki deck needs genanki: pip install 'dlnotes[drill]'") from err
    return genanki


def note_tags(question: Question) -> list[str]:
    """The Anki tags of a question: ``dlnotes``, ``part::<caption>``, ``chapter::<file stem>``, no spaces.

    Examples
    --------
    >>> q = Question("q-a", "甲", "A", "", "Gradients", "", "Training dynamics", "book/training/gradients", 1)
    >>> note_tags(q)
    ['dlnotes', 'part::Training_dynamics', 'chapter::gradients']
    """

    def clean(text: str) -> str:
        return re.sub(r"\s+", "_", text.strip())

    tags = ["dlnotes"]
    if question.part:
        tags.append(f"part::{clean(question.part)}")
    tags.append(f"chapter::{clean(question.stem)}")
    return tags


def _role(self, tokens, idx, options, env):
    """Render a MyST role as :func:`~dlnotes.drill.questions.role_text` does: links need all of Sphinx."""
    token = tokens[idx]
    name = token.meta.get("name", "")
    if name == "math":
        return f"\\({html.escape(token.content)}\\)"
    css = re.sub(r"[^\w-]", "-", name)
    text = role_text(name, token.content, env.get("glue"), env.get("refs"))
    return f'<span class="role-{css}">{html.escape(text)}</span>'


def _math_inline(self, tokens, idx, options, env):
    return f"\\({html.escape(tokens[idx].content)}\\)"


def _math_display(self, tokens, idx, options, env):
    return f'<div class="math">\\[{html.escape(tokens[idx].content.strip())}\\]</div>\n'


def _amsmath(self, tokens, idx, options, env):
    # Anki's MathJax only reads \( \) and \[ \]: put the environment in display math, as its aligned form.
    body = re.sub(r"\\(begin|end)\{(align|gather)\*?\}", r"\\\1{\2ed}", tokens[idx].content.strip())
    body = re.sub(r"\\(begin|end)\{(equation|multline)\*?\}", "", body).strip()
    return f'<div class="math">\\[{html.escape(body)}\\]</div>\n'


def _raw_html(self, tokens, idx, options, env):
    # Raw HTML in an answer is shown as text: a card should not run or hide what the author typed.
    return html.escape(tokens[idx].content)


def _nothing(self, tokens, idx, options, env):
    return ""


def _render_directive(self, tokens, idx, options, env):
    """A directive inside an answer: its body as Markdown (code directives as code)."""
    token = tokens[idx]
    directive = _directive(token)
    if directive is None:  # a plain colon fence: show it as it is
        return f"<pre><code>{html.escape(token.content)}</code></pre>\n"
    name, argument = directive
    _, body = _split_options(token.content)
    if name in _CODE_DIRECTIVES:
        return f"<pre><code>{html.escape(body)}</code></pre>\n"
    if name == "math":  # display math, for MathJax like $$...$$
        return f'<div class="math">\\[{html.escape(body.strip())}\\]</div>\n'
    # An admonition's argument is its title; for a note or a tip it is the first line of the text.
    title = f'<p class="title">{env["_md"].renderInline(argument, env)}</p>\n' if argument else ""
    inner = env["_md"].render(body, env)
    css = re.sub(r"[^\w-]", "-", name)
    return f'<div class="{css}">{title}{inner}</div>\n'


def _renderer(extensions: Sequence[str]):
    try:
        from markdown_it.renderer import RendererHTML
        from myst_parser.config.main import MdParserConfig
        from myst_parser.parsers.mdit import create_md_parser
    except ImportError as err:
        raise RuntimeError("rendering the answers needs myst-parser: pip install 'dlnotes[drill]'") from err
    # As in the book (_config.yml): linkify links only URLs with a scheme, not "CONTRIBUTING.md".
    config = MdParserConfig(enable_extensions=set(extensions), linkify_fuzzy_links=False)
    md = create_md_parser(config, RendererHTML)
    default_fence = md.renderer.rules["fence"]

    def fence(self, tokens, idx, options, env):
        if tokens[idx].info.strip().startswith("{"):
            return _render_directive(self, tokens, idx, options, env)
        return default_fence(tokens, idx, options, env)

    for name, rule in {
        "math_inline": _math_inline,
        "math_inline_double": _math_display,
        "math_block": _math_display,
        "math_block_label": _math_display,
        "amsmath": _amsmath,
        "myst_role": _role,
        "html_block": _raw_html,
        "html_inline": _raw_html,
        "myst_target": _nothing,
        "myst_line_comment": _nothing,
        "fence": fence,
        "colon_fence": _render_directive,
    }.items():
        md.add_render_rule(name, rule)
    return md


def answer_html(
    markdown: str,
    *,
    glue: Mapping[str, str] | None = None,
    extensions: Sequence[str] = DEFAULT_EXTENSIONS,
    refs: References | None = None,
    _md: MarkdownIt | None = None,
) -> str:
    """Render an answer's MyST Markdown to HTML for Anki, math delimited for MathJax.

    Parameters
    ----------
    markdown : str
        The answer (a :attr:`Question.answer`).
    glue : mapping of str to str, optional
        Glued values by name (see :func:`~dlnotes.drill.questions.glue_values`), for ``{glue:text}`` roles.
    extensions : sequence of str, optional
        The MyST extensions to parse with (the book's by default).
    refs : References, optional
        Numbers, titles and citations for the references (see
        :func:`~dlnotes.drill.render.book_references`); labels are shown readably without them.

    Returns
    -------
    str

    Examples
    --------
    >>> print(answer_html("**Yes**: $a < b$ and {glue:text}`x:.2f`.", glue={"x": "0.123"}))
    <p><strong>Yes</strong>: \\(a &lt; b\\) and <span class="role-glue-text">0.12</span>.</p>
    >>> print(answer_html("$$\\nE = mc^2\\n$$"))
    <div class="math">\\[E = mc^2\\]</div>
    """
    md = _md or _renderer(tuple(extensions))
    env = {"glue": dict(glue or {}), "refs": refs, "_md": md}
    return md.render(markdown, env).strip()


def build_deck(
    questions: Sequence[Question],
    *,
    root: str | os.PathLike | None = None,
    base_url: str = "",
    extensions: Sequence[str] = DEFAULT_EXTENSIONS,
) -> genanki.Deck:
    """Return a ``genanki.Deck`` with one note per question.

    Parameters
    ----------
    questions : sequence of Question
    root : path-like, optional
        The book's root, to read glued numbers, reference numbers and titles from its last build (see
        :func:`~dlnotes.drill.questions.glue_values`) and the citations from its bibliography.
    base_url : str, optional
        Where the HTML book is published; the Link field becomes a link there. Without it the Link field
        holds the question's path in the built book.
    extensions : sequence of str, optional
        The MyST extensions to parse the answers with.

    Returns
    -------
    genanki.Deck

    Raises
    ------
    ValueError
        If two questions share a label (their notes would share a GUID).

    Examples
    --------
    >>> q = Question("q-a", "甲?", "A?", "$x$", "Chapter", "chapter-c", "Part one", "book/c", 3)
    >>> deck = build_deck([q])
    >>> [note.fields[:4] for note in deck.notes]
    [['q-a', '甲?', 'A?', '<p>\\\\(x\\\\)</p>']]
    >>> list(deck.notes[0].tags)
    ['dlnotes', 'part::Part_one', 'chapter::c']
    """
    genanki = _genanki()
    labels = [q.label for q in questions]
    duplicates = sorted({x for x in labels if labels.count(x) > 1})
    if duplicates:
        raise ValueError(
            f"question labels must be unique (they give the notes' GUIDs), got {duplicates} twice"
        )
    model = genanki.Model(
        MODEL_ID,
        "dlnotes interview question",
        fields=[{"name": name} for name in _FIELDS],
        templates=[{"name": "Question → answer", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    md = _renderer(tuple(extensions))
    refs = book_references(root) if root is not None else None
    glue_cache: dict[str, dict[str, str]] = {}
    for q in questions:
        if root is not None and q.docname not in glue_cache:
            glue_cache[q.docname] = glue_values(root, q.docname)
        answer = answer_html(q.answer, glue=glue_cache.get(q.docname, {}), refs=refs, _md=md)
        if base_url:
            href = html.escape(f"{base_url.rstrip('/')}/{q.url}", quote=True)
            link = f'<a href="{href}">{html.escape(q.label)}</a>'
        else:
            link = html.escape(q.url)
        fields = [q.label, html.escape(q.title_zh), html.escape(q.title_en), answer]
        fields += [html.escape(q.chapter), html.escape(q.part), link]
        deck.add_note(
            genanki.Note(model=model, fields=fields, tags=note_tags(q), guid=genanki.guid_for(q.label))
        )
    return deck


def write_deck(
    deck: genanki.Deck, path: str | os.PathLike, *, timestamp: float | None = None
) -> pathlib.Path:
    """Write a deck to an ``.apkg`` file (a zip holding the SQLite collection ``collection.anki2``).

    Like ``genanki.Package.write_to_file``, but the temporary database is removed afterwards and the
    file appears atomically (written beside its destination, then renamed).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    genanki = _genanki()
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    package = genanki.Package(deck)
    timestamp = time.time() if timestamp is None else timestamp
    with tempfile.TemporaryDirectory() as tmp:
        db_path = pathlib.Path(tmp, "collection.anki2")
        conn = sqlite3.connect(db_path)
        try:
            package.write_to_db(conn.cursor(), timestamp, iter(range(int(timestamp * 1000), 2**62)))
            conn.commit()
        finally:
            conn.close()
        partial = pathlib.Path(tmp, path.name)
        with zipfile.ZipFile(partial, "w") as archive:
            archive.write(db_path, "collection.anki2")
            archive.writestr("media", json.dumps({}))
        staged = path.with_name(f".{path.name}.{os.getpid()}.partial")  # the umask's permissions
        try:
            staged.write_bytes(partial.read_bytes())
            os.replace(staged, path)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
    return path
