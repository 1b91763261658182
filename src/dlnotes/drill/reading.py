r"""How long a chapter takes to read: the visible prose and code of a MyST notebook, in minutes.

A reader of the built page sees the prose, the visible code cells and the code that ``{source}`` shows; the
interview answers (solutions with ``:class: dropdown``), dropdown admonitions and the input of cells tagged
``hide-input`` sit collapsed until the reader opens them, and ``remove-*`` cells are not on the page at all.
:func:`reading_time` counts what is visible at

- :data:`WORDS_PER_MINUTE` (200) words of prose per minute, where a word is a run of letters or digits and
  one CJK character counts as one word (the bilingual question titles); inline and display math count
  one word per symbol group (``\frac{a}{b}`` is one, ``x_t`` is one), and
- :data:`CODE_LINES_PER_MINUTE` (15) non-blank lines of visible code per minute, comments included (four
  seconds a line: code that proves a claim is read, not skimmed).

The collapsed parts are counted too, so that a chapter's full length is on record, but only the visible
time is held to the 40-minute budget of the book (``tests/test_book.py``).

>>> text = "# Title\n\nOne two three.\n\n```{code-cell} ipython3\nx = 1\ny = 2\n```\n"
>>> t = reading_time(text)
>>> (t.prose_words, t.code_lines, t.hidden_words, t.hidden_code_lines)
(4, 2, 0, 0)
"""

from __future__ import annotations

import dataclasses
import pathlib
import re

__all__ = ["BUDGET_MINUTES", "CODE_LINES_PER_MINUTE", "WORDS_PER_MINUTE", "ReadingTime", "reading_time"]

WORDS_PER_MINUTE = 200
# The longest visible reading time a chapter may have (the book aims at 20 to 40 minutes a chapter).
BUDGET_MINUTES = 40
CODE_LINES_PER_MINUTE = 15

_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\s*(?P<info>.*)$")
_WORD = re.compile(r"[\u4e00-\u9fff]|[^\W\u4e00-\u9fff]+")
_MATH_GROUP = re.compile(r"\\[A-Za-z]+|[A-Za-z0-9]+")
_INLINE_MATH = re.compile(r"\$\$?([^$]+)\$\$?")
# A role's target is not read: {ref}`text <label>` reads as "text", {glue:text}`name:.2f` as one number.
_ROLE = re.compile(r"\{[\w:.-]+\}`([^`<]*)(?:<[^`]*>)?`")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LABEL = re.compile(r"^\([\w.-]+\)=\s*$")
_OPTION = re.compile(r"^:[\w-]+:")


@dataclasses.dataclass(frozen=True)
class ReadingTime:
    """Counts of one chapter: visible prose words and code lines, and the same for its collapsed parts."""

    prose_words: int
    code_lines: int
    hidden_words: int
    hidden_code_lines: int

    @property
    def minutes(self) -> float:
        """Visible reading time: prose at 200 words and code at 15 lines per minute."""
        return self.prose_words / WORDS_PER_MINUTE + self.code_lines / CODE_LINES_PER_MINUTE

    @property
    def hidden_minutes(self) -> float:
        """Time to read what is collapsed (interview answers, hidden inputs, dropdowns) at the same rates."""
        return self.hidden_words / WORDS_PER_MINUTE + self.hidden_code_lines / CODE_LINES_PER_MINUTE


def _words(line: str) -> int:
    line = _ROLE.sub(lambda m: m.group(1) or "x", line)
    line = _LINK.sub(r"\1", line)
    n = 0

    def math(m: re.Match) -> str:
        nonlocal n
        n += len(_MATH_GROUP.findall(m.group(1)))
        return " "

    line = _INLINE_MATH.sub(math, line)
    return n + len(_WORD.findall(line))


def _code_lines(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip())


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split a directive's body into options (``:key: value`` lines or a ``---`` YAML block) and content."""
    options: dict[str, str] = {}
    i = 0
    if body and body[0].strip() == "---":
        end = next((j for j in range(1, len(body)) if body[j].strip() == "---"), 0)
        for line in body[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        i = end + 1
    while i < len(body) and _OPTION.match(body[i]):
        key, _, value = body[i][1:].partition(":")
        options[key.strip()] = value.strip()
        i += 1
    return options, body[i:]


def _source_lines(info: str, options: dict[str, str]) -> int:
    """Lines that a ``{source}`` directive shows (0 when the name does not resolve: the build warns then)."""
    from dlnotes.drill.source import SourceError, source_of  # imports Sphinx: only when a chapter has one

    name = info.split("}", 1)[1].strip()
    try:
        shown = source_of(name, docstring="docstring" in options, hide_checks="hide-checks" in options)
    except (SourceError, ImportError):
        return 0
    return _code_lines(shown[0].splitlines())


def _drill_lines(info: str) -> list[str]:
    """The Markdown a ``{drill}`` directive shows (statement and starter; nothing for an unknown name)."""
    from dlnotes.drill.coding import DrillError, show

    try:
        return show(info.split("}", 1)[1].strip()).markdown().splitlines()
    except DrillError:
        return []


class _Counter:
    def __init__(self) -> None:
        self.counts = {"prose_words": 0, "code_lines": 0, "hidden_words": 0, "hidden_code_lines": 0}

    def add(self, lines: list[str], hidden: bool) -> None:
        """Count a run of Markdown lines, descending into directives."""
        i = 0
        math_block = False
        while i < len(lines):
            line = lines[i]
            fence = _FENCE.match(line.strip()) if not math_block else None
            if fence:
                marker, info = fence.group("fence"), fence.group("info").strip()
                end = next(
                    (j for j in range(i + 1, len(lines)) if lines[j].strip() == marker[0] * len(marker)),
                    len(lines),
                )
                self.block(info, lines[i + 1 : end], hidden)
                i = end + 1
                continue
            stripped = line.strip()
            if stripped.startswith("$$"):
                math_block = not (math_block or (stripped.endswith("$$") and len(stripped) > 2))
                stripped = stripped.strip("$")
                self.math(stripped, hidden)
            elif math_block:
                self.math(stripped, hidden)
            elif stripped and not _LABEL.match(stripped) and not stripped.startswith("+++"):
                self.counts["hidden_words" if hidden else "prose_words"] += _words(stripped)
            i += 1

    def math(self, text: str, hidden: bool) -> None:
        self.counts["hidden_words" if hidden else "prose_words"] += len(_MATH_GROUP.findall(text))

    def block(self, info: str, body: list[str], hidden: bool) -> None:
        name = info[1 : info.index("}")] if info.startswith("{") and "}" in info else ""
        options, content = _options(body) if name else ({}, body)
        key = "hidden_code_lines" if hidden else "code_lines"
        if name == "code-cell":
            tags = options.get("tags", "")
            if "remove-cell" in tags or "remove-input" in tags:
                return
            self.counts[
                "hidden_code_lines" if hidden or "hide-input" in tags or "hide-cell" in tags else key
            ] += _code_lines(content)
        elif name in ("", "code-block", "code"):
            self.counts[key] += _code_lines(content)
        elif name == "source":
            self.counts[key] += _source_lines(info, options)
        elif name == "drill":
            self.add(_drill_lines(info), hidden)
        elif name == "math":
            for line in content:
                self.math(line, hidden)
        elif name in ("glue:figure", "figure", "image", "bibliography", "glossary-index", "question-bank"):
            self.add([line for line in content if line.strip()], hidden)
        else:
            collapsed = hidden or name == "dropdown" or "dropdown" in options.get("class", "")
            self.add(content, collapsed)


def reading_time(chapter: str | pathlib.Path) -> ReadingTime:
    """Reading time of a MyST Markdown notebook, given as its text or its path.

    The YAML header (jupytext metadata) is skipped; see the module docstring for what is visible and the
    rates.
    """
    if isinstance(chapter, pathlib.Path):
        text = chapter.read_text(encoding="utf-8")
    elif isinstance(chapter, str):
        text = chapter
    else:
        raise TypeError(
            f"expected the chapter's text (str) or path (pathlib.Path), got {type(chapter).__name__}"
        )
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), 0)
        lines = lines[end + 1 :]
    counter = _Counter()
    counter.add(lines, hidden=False)
    return ReadingTime(**counter.counts)


def main(argv: list[str] | None = None) -> int:
    """``python -m dlnotes.drill.reading CHAPTER.md ...``: one line per chapter, longest first."""
    import sys

    paths = [pathlib.Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    rows = sorted(((reading_time(p), p) for p in paths), key=lambda r: -r[0].minutes)
    for t, p in rows:
        flag = "  over budget" if t.minutes > BUDGET_MINUTES else ""
        sys.stdout.write(
            f"{t.minutes:5.1f} min  {p}  ({t.prose_words} words, {t.code_lines} code lines visible; "
            f"{t.hidden_minutes:.1f} min collapsed){flag}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
