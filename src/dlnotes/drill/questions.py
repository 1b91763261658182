"""The book's interview questions, read from the chapters with the MyST parser the book itself uses.

Every chapter ends with ``## Interview questions``: sphinx-exercise ``exercise`` directives of class
``interview`` with a bilingual title (``中文 · English``), each followed by its ``solution`` (see
CONTRIBUTING.md). :func:`load_questions` walks the chapters of ``_toc.yml`` in reading order and returns one
:class:`Question` per exercise; the quiz (``dlnotes quiz``), the Anki deck (``dlnotes anki``) and the book's
question index are all built from it.

The chapters are parsed with ``myst_parser``'s own markdown-it parser (not regular expressions), so a
directive inside a code block or a solution that contains fenced code is read exactly as Sphinx reads it.
A malformed question raises :class:`QuestionError` naming the file and line.

An answer shown outside the book (the quiz in the terminal, the Anki deck) has no Sphinx project to resolve
its roles: :func:`role_text` is the one place that says what stands for each (a glued number read by
:func:`glue_values` from the book's last build, a reference's text, a citation's keys).
"""

from __future__ import annotations

import ast
import functools
import json
import os
import pathlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dlnotes.drill.render import References, citation_text, reference_text

__all__ = [
    "BOOK_ENV_VAR",
    "DEFAULT_EXTENSIONS",
    "Question",
    "QuestionError",
    "book_extensions",
    "find_book_root",
    "glue_outputs",
    "glue_values",
    "load_questions",
    "parse_chapter",
    "role_text",
    "toc_chapters",
]

#: Environment variable naming the book's root folder (the one holding ``_toc.yml``).
BOOK_ENV_VAR = "DLNOTES_BOOK"

#: MyST extensions used when the book's ``_config.yml`` does not list any (the book's own list).
DEFAULT_EXTENSIONS = ("amsmath", "colon_fence", "dollarmath", "deflist", "linkify", "substitution")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_TITLE_SEPARATOR = " · "
_OPTION = re.compile(r"^:(?P<key>[\w-]+):(?:\s+(?P<value>.*))?$")
#: Directives whose body is code: an answer shown outside the book (quiz, Anki deck) shows it as code.
_CODE_DIRECTIVES = frozenset({"code", "code-block", "code-cell", "sourcecode"})


@dataclass(frozen=True)
class Question:
    """One interview question of the book and its answer.

    Attributes
    ----------
    label : str
        The exercise's label, unique across the book, e.g. ``"q-vanishing-mitigation"``.
    title_zh, title_en : str
        The two halves of the bilingual title ``中文 · English``.
    answer : str
        The solution's body in MyST Markdown, math kept as ``$...$`` / ``$$...$$``.
    chapter : str
        The chapter's title (its first ``# `` heading).
    chapter_label : str
        The label that opens the chapter, e.g. ``"chapter-gradients"`` (empty if it has none).
    part : str
        The caption of the chapter's part in ``_toc.yml`` (empty outside parts).
    docname : str
        The chapter's path in the book without suffix, e.g. ``"book/training/gradients"``.
    line : int
        The 1-based line of the ``exercise`` in the chapter's source file.

    Examples
    --------
    >>> q = Question("q-a", "甲?", "A?", "Yes.", "Title", "chapter-t", "Part", "book/p/t", 10)
    >>> q.url
    'book/p/t.html#q-a'
    >>> q.stem
    't'
    """

    label: str
    title_zh: str
    title_en: str
    answer: str
    chapter: str
    chapter_label: str
    part: str
    docname: str
    line: int

    @property
    def url(self) -> str:
        """The question's place in the built HTML book, relative to the book's root."""
        return f"{self.docname}.html#{self.label}"

    @property
    def stem(self) -> str:
        """The chapter's file name without suffix, e.g. ``"gradients"``."""
        return self.docname.rsplit("/", 1)[-1]


class QuestionError(ValueError):
    """A question in the book is malformed; the message names ``file:line`` and what is wrong."""


def find_book_root(start: str | os.PathLike | None = None) -> pathlib.Path:
    """Return the book's root: the nearest folder holding ``_toc.yml``.

    Parameters
    ----------
    start : path-like, optional
        Where to look first; the environment variable ``DLNOTES_BOOK`` when omitted, else the current
        directory. The folder and then each of its parents is searched.

    Returns
    -------
    pathlib.Path
        The absolute folder that contains ``_toc.yml``.

    Raises
    ------
    QuestionError
        If neither the folder nor any of its parents holds a ``_toc.yml``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book = pathlib.Path(tmp)
    ...     _ = (book / "_toc.yml").write_text("root: intro\\n")
    ...     (book / "a" / "b").mkdir(parents=True)
    ...     find_book_root(book / "a" / "b") == book.resolve()
    True
    """
    if start is None:
        start = os.environ.get(BOOK_ENV_VAR) or os.getcwd()
    folder = pathlib.Path(start).expanduser().resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "_toc.yml").is_file():
            return candidate
    raise QuestionError(f"no _toc.yml found in {folder} or its parents; pass --book PATH")


def _yaml():
    try:
        import yaml
    except ImportError as err:  # pragma: no cover - pyyaml comes with jupyter-book and genanki
        raise QuestionError("reading _toc.yml needs PyYAML: pip install 'dlnotes[drill]'") from err
    return yaml


@functools.lru_cache(maxsize=8)
def _parser(extensions: tuple[str, ...]):
    """The book's markdown-it parser: myst_parser's ``create_md_parser`` with the given extensions."""
    try:
        from markdown_it.renderer import RendererHTML
        from myst_parser.config.main import MdParserConfig
        from myst_parser.parsers.mdit import create_md_parser
    except ImportError as err:
        raise QuestionError("reading the questions needs myst-parser: pip install 'dlnotes[drill]'") from err
    # As in the book (_config.yml): linkify links only URLs with a scheme, not "CONTRIBUTING.md".
    config = MdParserConfig(enable_extensions=set(extensions), linkify_fuzzy_links=False)
    return create_md_parser(config, RendererHTML)


def book_extensions(root: str | os.PathLike) -> tuple[str, ...]:
    """The MyST extensions enabled in the book's ``_config.yml`` (the default list if it names none)."""
    config_path = pathlib.Path(root) / "_config.yml"
    if not config_path.is_file():
        return DEFAULT_EXTENSIONS
    config = _yaml().safe_load(config_path.read_text(encoding="utf-8")) or {}
    extensions = (config.get("parse") or {}).get("myst_enable_extensions")
    return tuple(sorted(extensions)) if extensions else DEFAULT_EXTENSIONS


def glue_outputs(build: str | os.PathLike, docname: str) -> dict[str, dict[str, str]] | None:
    """The outputs a chapter glued (name -> {mime type: text}) in a build folder; None without its file.

    The build writes them to ``<build>/jupyter_execute/<docname>.glue.json`` (``<build>`` is ``_build`` under
    the book's root). The notebook export (``tools/notebooks.py``) reads every mime type; the quiz and the
    deck only the plain text (:func:`glue_values`).
    """
    path = pathlib.Path(build) / "jupyter_execute" / f"{docname}.glue.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {
        name: {k: "".join(v) if isinstance(v, list) else str(v) for k, v in (out.get("data") or {}).items()}
        for name, out in (data.items() if isinstance(data, dict) else ())
        if isinstance(out, dict)
    }


def glue_values(root: str | os.PathLike, docname: str) -> dict[str, str]:
    """The values a chapter glued (name -> ``text/plain``), read from the book's last build; {} without one.

    The build writes them to ``_build/jupyter_execute/<docname>.glue.json`` under the book's root.
    """
    outputs = glue_outputs(pathlib.Path(root) / "_build", docname) or {}
    return {name: data["text/plain"] for name, data in outputs.items() if "text/plain" in data}


def _glue_text(content: str, glue: Mapping[str, str]) -> str:
    name, _, spec = content.partition(":")
    if name not in glue:
        return f"[{name}]"
    plain = glue[name]
    if not spec:
        return plain
    try:
        return format(ast.literal_eval(plain), spec)
    except (ValueError, TypeError, SyntaxError):
        return plain


def role_text(
    name: str, content: str, glue: Mapping[str, str] | None = None, refs: References | None = None
) -> str:
    """The plain text that stands for a MyST role in an answer shown outside the book.

    Parameters
    ----------
    name : str
        The role's name, e.g. ``"ref"`` for ``{ref}`text <label>```.
    content : str
        What stands between its backticks.
    glue : mapping of str to str, optional
        Glued values by name (see :func:`glue_values`).
    refs : References, optional
        Numbers, titles and citations of the book's last build
        (:func:`~dlnotes.drill.render.book_references`).

    Returns
    -------
    str
        A glued value formatted as the book formats it (``[name]`` if it was not glued); the explicit
        text of a reference or term (``{ref}`text <label>``` gives ``text``); a ``{numref}``, ``{eq}`` or
        ``{ref}`` by the number and title of the last build, else readably by its label (see
        :func:`~dlnotes.drill.render.reference_text`); citations as ``Author (year)``; math as ``$...$``;
        any other role's content as it is.

    Examples
    --------
    >>> role_text("glue:text", "acc:.1%", {"acc": "0.98765"}), role_text("glue:text", "acc:.1%")
    ('98.8%', '[acc]')
    >>> role_text("ref", "the cell <sec-cell>"), role_text("ref", "sec-cell"), role_text("numref", "fig-loss")
    ('the cell', "the section 'cell'", "the figure 'loss'")
    >>> role_text("cite", "he2016", refs=References(citations={"he2016": "He et al. (2016)"}))
    'He et al. (2016)'
    >>> role_text("term", "BN <batch normalization>"), role_text("math", "x^2"), role_text("eq", "eq-a")
    ('BN', '$x^2$', "the equation 'a'")
    """
    if name in ("glue", "glue:text", "glue:any"):
        return _glue_text(content.strip(), glue or {})
    if name == "math":
        return f"${content}$"
    if name == "cite" or name.startswith("cite:"):
        return citation_text(name, content, refs)
    if name in ("numref", "ref", "eq", "prf:ref"):
        return reference_text("ref" if name == "prf:ref" else name, content, refs)
    explicit = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", content)
    return explicit[1] if explicit else content


def _directive(token) -> tuple[str, str] | None:
    """``(name, argument)`` of a directive fence token (``{name} argument``), else None."""
    if token.type not in ("fence", "colon_fence"):
        return None
    match = re.match(r"^\{([\w:-]+)\}\s*(.*)$", token.info.strip())
    return (match[1], match[2].strip()) if match else None


def _split_options(content: str) -> tuple[dict[str, str], str]:
    """Split a directive's body into its options (``:key: value`` lines or a ``---`` YAML block) and text."""
    lines = content.splitlines()
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            return options, content
        yaml = _yaml()
        try:
            block = yaml.safe_load("\n".join(lines[1:end])) or {}
        except yaml.YAMLError:  # myst-parser warns and ignores such a block: so do we
            block = {}
        if isinstance(block, dict):
            options = {str(k): "" if v is None else str(v) for k, v in block.items()}
        lines = lines[end + 1 :]
    else:
        while lines and (match := _OPTION.match(lines[0].strip())):
            options[match["key"]] = (match["value"] or "").strip()
            lines = lines[1:]
    return options, "\n".join(lines).strip("\n")


def _display(path: pathlib.Path) -> str:
    try:
        return str(path.resolve().relative_to(pathlib.Path.cwd()))
    except ValueError:
        return str(path)


def parse_chapter(
    path: str | os.PathLike,
    *,
    part: str = "",
    docname: str | None = None,
    extensions: Iterable[str] | None = None,
) -> list[Question]:
    """Read the interview questions of one MyST chapter.

    Parameters
    ----------
    path : path-like
        The chapter's Markdown file.
    part : str, optional
        The caption of the chapter's part, stored in each question.
    docname : str, optional
        The chapter's path in the book without suffix; the file's path without suffix when omitted.
    extensions : iterable of str, optional
        MyST extensions to parse with; the book's list (:data:`DEFAULT_EXTENSIONS`) when omitted.

    Returns
    -------
    list of Question
        The exercises of class ``interview``, in the order they appear.

    Raises
    ------
    QuestionError
        For an interview exercise without a ``:label:``, with a title that lacks either language
        (``中文 · English``), without a ``solution`` as the next directive referencing its label, with an
        empty solution, or with a label used twice in the file. The message starts with ``file:line``.

    Examples
    --------
    >>> import tempfile
    >>> text = '''(chapter-t)=
    ... # Tea
    ...
    ... ````{exercise} 为什么? · Why?
    ... :label: q-why
    ... :class: interview
    ... ````
    ...
    ... ````{solution} q-why
    ... :class: dropdown
    ...
    ... Because $x^2 \\\\ge 0$.
    ... ````
    ... '''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     chapter = pathlib.Path(tmp, "tea.md")
    ...     _ = chapter.write_text(text, encoding="utf-8")
    ...     [q] = parse_chapter(chapter, part="Drinks", docname="book/tea")
    >>> q.label, q.title_zh, q.title_en, q.chapter, q.chapter_label, q.line
    ('q-why', '为什么?', 'Why?', 'Tea', 'chapter-t', 4)
    >>> q.answer
    'Because $x^2 \\\\ge 0$.'
    """
    path = pathlib.Path(path)
    where = _display(path)
    text = path.read_text(encoding="utf-8")
    tokens = _parser(tuple(sorted(extensions or DEFAULT_EXTENSIONS))).parse(text)
    if docname is None:
        docname = path.with_suffix("").as_posix()

    chapter, chapter_label, pending_target = "", "", ""
    for i, token in enumerate(tokens):
        if token.type == "myst_target":
            pending_target = token.content.strip()
        elif token.type == "heading_open" and token.tag == "h1":
            chapter = tokens[i + 1].content.strip()
            chapter_label = pending_target
            break
        elif token.type not in ("front_matter", "myst_line_comment"):
            pending_target = ""
    if not chapter:
        chapter = path.stem

    directives = [(t, d) for t in tokens if (d := _directive(t)) is not None]
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for k, (token, (name, argument)) in enumerate(directives):
        if name != "exercise":
            continue
        options, _ = _split_options(token.content)
        if "interview" not in options.get("class", "").split():
            continue
        line = token.map[0] + 1
        at = f"{where}:{line}"
        label = options.get("label", "")
        if not label:
            raise QuestionError(f"{at}: interview exercise {argument!r} has no :label:")
        if label in seen:
            raise QuestionError(f"{at}: label {label!r} is already used at {where}:{seen[label]}")
        seen[label] = line
        chinese, separator, english = argument.partition(_TITLE_SEPARATOR)
        chinese, english = chinese.strip(), english.strip()
        if not (separator and _CJK.search(chinese) and _LATIN.search(english) and not _CJK.search(english)):
            raise QuestionError(
                f"{at}: the title of {label!r} must be bilingual, '中文 · English' "
                f"(Chinese, then ' · ', then English), got {argument!r}"
            )
        following = directives[k + 1] if k + 1 < len(directives) else None
        if following is None or following[1][0] != "solution":
            found = (
                "nothing" if following is None else f"{{{following[1][0]}}} at line {following[0].map[0] + 1}"
            )
            raise QuestionError(
                f"{at}: interview exercise {label!r} has no solution: the next directive must be "
                f"{{solution}} {label}, found {found}"
            )
        solution, (_, solution_of) = following
        if solution_of != label:
            raise QuestionError(
                f"{at}: the solution after {label!r} (line {solution.map[0] + 1}) belongs to "
                f"{solution_of!r}; each interview exercise needs its own solution right after it"
            )
        _, answer = _split_options(solution.content)
        if not answer.strip():
            raise QuestionError(f"{at}: the solution of {label!r} (line {solution.map[0] + 1}) is empty")
        questions.append(
            Question(label, chinese, english, answer, chapter, chapter_label, part, docname, line)
        )
    return questions


@functools.lru_cache(maxsize=256)
def _parse_cached(key: tuple[str, int, int], part: str, docname: str, extensions: tuple[str, ...]):
    """:func:`parse_chapter`, remembered while the file keeps its modification time and size."""
    return tuple(parse_chapter(key[0], part=part, docname=docname, extensions=extensions))


def _toc_entries(node: dict, part: str):
    """Yield ``(file, part caption)`` for every page of a ``_toc.yml`` node, depth first."""
    if "file" in node:
        yield node["file"], part
    for sub in node.get("parts", []) or []:
        yield from _toc_entries(sub, str(sub.get("caption", "")))
    for key in ("chapters", "sections"):
        for child in node.get(key, []) or []:
            yield from _toc_entries(child, part)


def toc_chapters(
    root: str | os.PathLike, toc: str | os.PathLike | None = None
) -> list[tuple[str, str, pathlib.Path]]:
    """Return ``(docname, part caption, source path)`` for every page of ``_toc.yml`` after the root page.

    `toc` names another table of contents (absolute, or relative to `root`), as ``jupyter-book build
    --toc`` does; the pages' paths stay relative to `root`.

    Examples
    --------
    >>> import tempfile
    >>> toc = "format: jb-book\\nroot: intro\\nparts:\\n  - caption: A\\n    chapters:\\n      - file: a/b\\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "_toc.yml").write_text(toc)
    ...     [(doc, part, src.name) for doc, part, src in toc_chapters(tmp)]
    [('a/b', 'A', 'b.md')]
    """
    root = pathlib.Path(root)
    toc_path = root / (toc or "_toc.yml")
    toc = _yaml().safe_load(toc_path.read_text(encoding="utf-8")) or {}
    if not isinstance(toc, dict):
        raise QuestionError(f"{toc_path}: expected a mapping with 'root' and 'parts' or 'chapters'")
    chapters = []
    for entry, part in _toc_entries({k: v for k, v in toc.items() if k != "root"}, ""):
        source = root / entry
        if source.suffix not in (".md", ".ipynb"):
            source = source.with_name(source.name + ".md")
        docname = re.sub(r"\.(md|ipynb)$", "", str(entry))
        chapters.append((docname, part, source))
    return chapters


def load_questions(
    root: str | os.PathLike | None = None,
    *,
    chapters: Sequence[str] = (),
    parts: Sequence[str] = (),
    toc: str | os.PathLike | None = None,
) -> list[Question]:
    """Return every interview question of the book, in reading order.

    Parameters
    ----------
    root : path-like, optional
        The book's root or a folder inside it (see :func:`find_book_root`).
    chapters : sequence of str, optional
        Keep only these chapters, each given by its file stem (``"gradients"``) or its opening label
        (``"chapter-gradients"``).
    parts : sequence of str, optional
        Keep only these parts, by caption (case-insensitive).
    toc : path-like, optional
        The table of contents to follow instead of the root's ``_toc.yml`` (see :func:`toc_chapters`).

    Returns
    -------
    list of Question

    Raises
    ------
    QuestionError
        For a malformed question (see :func:`parse_chapter`), a label used in two places (both are
        named), a chapter listed in ``_toc.yml`` whose file is missing, or a filter that matches no
        chapter or part of the book.

    Examples
    --------
    >>> import tempfile
    >>> page = "# Tea\\n\\n````{exercise} 茶? · Tea?\\n:label: q-tea\\n:class: interview\\n````\\n\\n"
    >>> page += "````{solution} q-tea\\n:class: dropdown\\nYes.\\n````\\n"
    >>> toc = "root: intro\\nparts:\\n  - caption: Drinks\\n    chapters:\\n      - file: book/tea\\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "_toc.yml").write_text(toc)
    ...     pathlib.Path(tmp, "book").mkdir()
    ...     _ = pathlib.Path(tmp, "book", "tea.md").write_text(page, encoding="utf-8")
    ...     [(q.label, q.part, q.url) for q in load_questions(tmp, parts=["drinks"])]
    [('q-tea', 'Drinks', 'book/tea.html#q-tea')]
    """
    root = find_book_root(root)
    extensions = book_extensions(root)
    toc_path = root / (toc or "_toc.yml")
    entries = toc_chapters(root, toc)
    found: list[Question] = []
    where: dict[str, str] = {}
    for docname, part, source in entries:
        if not source.is_file():
            raise QuestionError(f"{toc_path}: lists {docname!r} but {source} does not exist")
        if source.suffix != ".md":
            continue
        stat = source.stat()
        key = (str(source.resolve()), stat.st_mtime_ns, stat.st_size)
        for q in _parse_cached(key, part, docname, extensions):
            here = f"{_display(source)}:{q.line}"
            if q.label in where:
                raise QuestionError(f"{here}: label {q.label!r} is already used at {where[q.label]}")
            where[q.label] = here
            found.append(q)

    if chapters:
        wanted = set(chapters)
        known = {name for q in found for name in (q.stem, q.chapter_label)} | {
            d.rsplit("/", 1)[-1] for d, _, _ in entries
        }
        unknown = sorted(wanted - known)
        if unknown:
            raise QuestionError(
                f"no chapter {', '.join(map(repr, unknown))} in {toc_path}; "
                f"known: {', '.join(sorted({q.stem for q in found}))}"
            )
        found = [q for q in found if q.stem in wanted or q.chapter_label in wanted]
    if parts:
        wanted_parts = {p.casefold() for p in parts}
        captions = {part.casefold() for _, part, _ in entries}
        unknown = [p for p in parts if p.casefold() not in captions]
        if unknown:
            raise QuestionError(
                f"no part {', '.join(map(repr, unknown))} in {toc_path}; "
                f"known: {', '.join(sorted({part for _, part, _ in entries if part}))}"
            )
        found = [q for q in found if q.part.casefold() in wanted_parts]
    return found
