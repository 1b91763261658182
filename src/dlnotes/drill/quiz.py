"""Leitner boxes for drilling the book's interview questions (``dlnotes quiz``).

Every question sits in one of five boxes. A question you knew moves up one box, one you did not goes back
to box 1, and the box decides when you see it again:

====  ===================
box   next review after
====  ===================
1     1 day
2     2 days
3     4 days
4     8 days
5     16 days (it stays in box 5 while you keep knowing it)
====  ===================

A question never answered is *new* (box 1, due at once). A session asks the questions that are due (most
overdue first), then new ones. The progress is a small JSON file, ``progress.json`` in the user's data
directory (``platformdirs.user_data_path("dlnotes")``, or the folder named by the environment variable
``DLNOTES_DATA_DIR``), written atomically after each answer so that an interrupted session loses nothing
(and once before the first question, so that a folder that cannot be written is reported at once).

This module holds the scheduling, the file and :func:`answer_text`, which turns an answer's MyST Markdown
into plain text for the terminal; the dialogue itself is in :mod:`dlnotes.cli`.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import pathlib
import random
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from dlnotes.drill.questions import (
    _CODE_DIRECTIVES,
    DEFAULT_EXTENSIONS,
    Question,
    _directive,
    _parser,
    _split_options,
    role_text,
)
from dlnotes.drill.render import References, math_text
from dlnotes.drill.store import DATA_ENV_VAR, ProgressError, backup_corrupt, data_dir, read_json, write_json

__all__ = [
    "BOX_INTERVALS",
    "DATA_ENV_VAR",
    "Card",
    "ProgressError",
    "answer_text",
    "backup_corrupt",
    "data_dir",
    "load_progress",
    "progress_path",
    "reset_progress",
    "review",
    "save_progress",
    "session",
]

#: Days until the next review for each Leitner box.
BOX_INTERVALS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}

_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Card:
    """The Leitner state of one question.

    Attributes
    ----------
    box : int
        The box, 1 to 5 (see :data:`BOX_INTERVALS`).
    due : datetime.date
        The first day the question is asked again.
    reviews : int
        How many times it was answered.
    lapses : int
        How many of those answers were "no".
    last : datetime.date or None
        The day of the last answer.
    """

    box: int = 1
    due: dt.date | None = None
    reviews: int = 0
    lapses: int = 0
    last: dt.date | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data["due"] = self.due.isoformat() if self.due else None
        data["last"] = self.last.isoformat() if self.last else None
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Card:
        box = data["box"]
        if isinstance(box, bool) or not isinstance(box, int) or box not in BOX_INTERVALS:
            raise ValueError(f"box must be an int in 1..{max(BOX_INTERVALS)}, got {box!r}")
        reviews, lapses = data.get("reviews", 0), data.get("lapses", 0)
        for name, count in (("reviews", reviews), ("lapses", lapses)):
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"{name} must be an int >= 0, got {count!r}")

        def day(value):
            return None if value is None else dt.date.fromisoformat(value)

        return cls(box, day(data.get("due")), reviews, lapses, day(data.get("last")))


def review(card: Card | None, knew: bool, today: dt.date) -> Card:
    """Return the card after one answer: up one box if `knew`, else back to box 1; due after its interval.

    Parameters
    ----------
    card : Card or None
        The state before the answer; None for a new question (box 1).
    knew : bool
        Whether the reader knew the answer.
    today : datetime.date
        The day of the answer.

    Returns
    -------
    Card

    Examples
    --------
    >>> day = dt.date(2026, 1, 1)
    >>> c = review(None, True, day)
    >>> c.box, c.due.isoformat()
    (2, '2026-01-03')
    >>> c = review(c, False, day)
    >>> c.box, c.due.isoformat(), c.lapses
    (1, '2026-01-02', 1)
    """
    card = card or Card()
    box = min(card.box + 1, max(BOX_INTERVALS)) if knew else 1
    return Card(
        box=box,
        due=today + dt.timedelta(days=BOX_INTERVALS[box]),
        reviews=card.reviews + 1,
        lapses=card.lapses + (not knew),
        last=today,
    )


def progress_path() -> pathlib.Path:
    """The path of ``progress.json`` (see :func:`data_dir`)."""
    return data_dir() / "progress.json"


def load_progress(path: str | os.PathLike) -> dict[str, Card]:
    """Read the progress file: label -> :class:`Card`; an empty dict if the file does not exist.

    Raises
    ------
    ProgressError
        If the file is not JSON or not of the shape ``{"version": 1, "cards": {label: {...}}}``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "progress.json")
    ...     save_progress(path, {"q-a": review(None, True, dt.date(2026, 1, 1))})
    ...     load_progress(path)["q-a"].box
    2
    """
    path = pathlib.Path(path)
    data = read_json(path)
    if data is None:
        return {}
    try:
        if (
            not isinstance(data, dict)
            or type(data.get("version")) is not int
            or data["version"] != _FORMAT_VERSION
        ):
            raise ValueError(f'expected an object with "version": {_FORMAT_VERSION}')
        cards = data.get("cards")
        if not isinstance(cards, dict):
            raise ValueError('expected "cards" to be an object')
        return {str(label): Card.from_json(card) for label, card in cards.items()}
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise ProgressError(f"the progress file {path} does not hold dlnotes progress ({err})") from err


def save_progress(path: str | os.PathLike, cards: Mapping[str, Card]) -> None:
    """Write the progress file atomically (a temporary file in the same folder, then ``os.replace``).

    Raises
    ------
    OSError
        If the folder cannot be created or written; the message names it and the way out
        (``DLNOTES_DATA_DIR``). The file already there is left as it was.
    """
    data = {"version": _FORMAT_VERSION, "cards": {k: cards[k].to_json() for k in sorted(cards)}}
    write_json(path, data, what="quiz progress")


def reset_progress(path: str | os.PathLike, labels: Sequence[str] | None = None) -> int:
    """Forget the progress of some questions, or of all; return how many cards were forgotten.

    Parameters
    ----------
    path : path-like
        The progress file.
    labels : sequence of str, optional
        Forget only these questions (the others keep their boxes); the whole file is deleted when omitted.

    Returns
    -------
    int
        The number of cards removed (0 when there was nothing to forget).

    Raises
    ------
    ProgressError
        If `labels` is given and the file cannot be read (see :func:`load_progress`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "progress.json")
    ...     save_progress(path, {"q-a": Card(), "q-b": Card()})
    ...     reset_progress(path, ["q-a", "q-z"]), sorted(load_progress(path)), reset_progress(path)
    (1, ['q-b'], 1)
    """
    path = pathlib.Path(path)
    if labels is None:
        try:
            count = len(load_progress(path))
        except ProgressError:
            count = 1  # unreadable, but there was something to forget
        path.unlink(missing_ok=True)
        return count
    cards = load_progress(path)
    forgotten = [label for label in dict.fromkeys(labels) if label in cards]
    if forgotten:
        save_progress(path, {k: v for k, v in cards.items() if k not in forgotten})
    return len(forgotten)


def session(
    questions: Sequence[Question],
    cards: Mapping[str, Card],
    today: dt.date,
    *,
    n: int | None = None,
    seed: int | None = None,
    include_all: bool = False,
) -> list[Question]:
    """Choose the questions of one session: due ones (most overdue first), then new ones, at most `n`.

    Parameters
    ----------
    questions : sequence of Question
        The bank to draw from.
    cards : mapping of str to Card
        The progress, by label.
    today : datetime.date
    n : int, optional
        At most this many questions; all when omitted.
    seed : int, optional
        Seed of the shuffle that orders questions due on the same day, and the new ones.
    include_all : bool, optional
        Also ask questions not yet due, soonest first, after the due and new ones.

    Returns
    -------
    list of Question

    Examples
    --------
    >>> qs = [Question(f"q-{i}", "甲", "A", "", "C", "", "P", "c", i) for i in range(3)]
    >>> cards = {"q-0": Card(2, dt.date(2026, 1, 9)), "q-1": Card(1, dt.date(2026, 1, 1))}
    >>> [q.label for q in session(qs, cards, dt.date(2026, 1, 2))]
    ['q-1', 'q-2']
    """
    if n is not None and n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rng = random.Random(seed)
    due, new, later = [], [], []
    for q in questions:
        card = cards.get(q.label)
        if card is None or card.due is None:
            new.append(q)
        elif card.due <= today:
            due.append(q)
        else:
            later.append(q)
    rng.shuffle(due)
    rng.shuffle(new)
    due.sort(key=lambda q: (cards[q.label].due, cards[q.label].box))  # stable: shuffled within a day
    chosen = due + new
    if include_all:
        chosen += sorted(later, key=lambda q: (cards[q.label].due, cards[q.label].box))
    return chosen if n is None else chosen[:n]


#: A MyST role in the source: ``{name}`` and a code span (any number of backticks).
_ROLE = re.compile(r"\{([\w+:-]+)\}(`+)(.+?)(?<!`)\2(?!`)", re.S)
#: Inline math as dollarmath reads it: ``$$...$$`` or ``$...$`` (no space inside the dollars).
_MATH = re.compile(r"(?<![\\$])\$\$(.+?)\$\$|(?<![\\$])\$(?![\s$])(.+?)(?<![\s\\])\$(?!\d)", re.S)
_MATH_BLOCKS = ("math_block", "math_block_label", "amsmath")


def _escape(text: str) -> str:
    """Text that Markdown shows as it is (for what a role or a formula stands for)."""
    return re.sub(r"([\\`*_\[\]<>|~#$])", r"\\\1", text)


def _prose(text: str, glue: Mapping[str, str] | None, refs: References | None) -> str:
    """Resolve the roles and the inline math of Markdown outside code."""

    def role(match: re.Match) -> str:
        if match[1] == "math":
            return _escape(math_text(match[3]))
        return _escape(role_text(match[1], match[3], glue, refs))

    def math(match: re.Match) -> str:
        return _escape(math_text(match[1] or match[2]))

    parts = re.split(r"(`+[^`]*?`+)", _ROLE.sub(role, text))  # inline code keeps its dollars
    return "".join(part if i % 2 else _MATH.sub(math, part) for i, part in enumerate(parts))


def _answer_markdown(
    markdown: str,
    glue: Mapping[str, str] | None,
    extensions: Sequence[str],
    refs: References | None,
) -> str:
    """An answer's MyST as CommonMark: roles and math resolved, directives replaced by their bodies."""
    lines = markdown.splitlines()
    code: set[int] = set()  # lines shown as typed
    replaced: dict[int, list[str]] = {}  # line -> what stands for it (nothing for a line dropped)
    for token in _parser(tuple(sorted(extensions))).parse(markdown):
        if token.map is None or token.map[0] in replaced:
            continue
        start, end = token.map
        indent = re.match(r"\s*", lines[start])[0]
        if token.type in ("myst_target", "myst_line_comment"):
            replaced.update((i, []) for i in range(start, end))
            continue
        if token.type in _MATH_BLOCKS:
            text = f"```text\n{math_text(token.content)}\n```"
        elif token.type in ("fence", "colon_fence", "code_block"):
            directive = _directive(token)
            if directive is None:
                code.update(range(start, end))
                continue
            (name, argument), (_, body) = directive, _split_options(token.content)
            if name in _CODE_DIRECTIVES:
                text = f"```{argument}\n{body}\n```"
            elif name == "math":
                text = f"```text\n{math_text(body)}\n```"
            else:  # an admonition's argument is its title (a note's, its first line)
                inner = _answer_markdown(body, glue, extensions, refs)
                title = _prose(argument, glue, refs)
                text = f"**{title}**\n\n{inner}" if argument else inner
                replaced.update((i, []) for i in range(start, end))
                replaced[start] = [f"\x00{indent}{line}" if line else line for line in text.splitlines()]
                continue
        else:
            continue
        replaced.update((i, []) for i in range(start, end))
        replaced[start] = [f"\x00{indent}{line}" if line else line for line in text.splitlines()]
    shown = [
        (i in code or piece.startswith("\x00"), piece.removeprefix("\x00"))
        for i, line in enumerate(lines)
        for piece in replaced.get(i, [line])
    ]
    out = []
    for is_done, group in itertools.groupby(shown, key=lambda pair: pair[0]):
        text = "\n".join(piece for _, piece in group)
        if not is_done:  # resolve the roles and the math; a dropped line leaves one blank line, not two
            text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", _prose(text, glue, refs))
        out.append(text)
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", "\n".join(out)).strip("\n")


def answer_text(
    markdown: str,
    *,
    glue: Mapping[str, str] | None = None,
    extensions: Sequence[str] = DEFAULT_EXTENSIONS,
    refs: References | None = None,
    width: int | None = None,
    color: bool = False,
) -> str:
    """An answer's MyST Markdown rendered for the terminal with Rich, wrapped to `width` columns.

    Roles become the text :func:`~dlnotes.drill.questions.role_text` gives (the one the deck shows:
    references by number and title, citations as ``Author (year)``), math readable Unicode
    (:func:`~dlnotes.drill.render.math_text`), a directive its body (a code directive a code block);
    targets and ``%`` comments disappear; emphasis, lists and code are rendered by ``rich.markdown``.

    Parameters
    ----------
    markdown : str
        A question's answer, as :attr:`Question.answer` holds it.
    glue : mapping of str to str, optional
        The chapter's glued values (:func:`~dlnotes.drill.questions.glue_values`); a missing one shows
        as ``[name]``.
    extensions : sequence of str, optional
        MyST extensions of the parser; :data:`~dlnotes.drill.questions.DEFAULT_EXTENSIONS` when omitted.
    refs : References, optional
        The last build's numbers and titles and the book's citations
        (:func:`~dlnotes.drill.render.book_references`); references read as their labels without it.
    width : int, optional
        The width to wrap to; the terminal's (``shutil.get_terminal_size``, 80 when unknown) when omitted.
    color : bool, optional
        Style emphasis and code with ANSI escapes (for a terminal) instead of plain text.

    Returns
    -------
    str
        The rendered text, no line longer than `width`, no trailing spaces.

    Examples
    --------
    >>> text = "**Yes**: {glue:text}`x:.2f` ({numref}`fig-a-b`), $x^2 \\\\le \\\\alpha$."
    >>> print(answer_text(text, glue={"x": "0.123"}, width=40))
    Yes: 0.12 (the figure 'a b'), x² ≤ α.
    >>> print(answer_text("- one\\n- two, a longer item that wraps", width=20))
     • one
     • two, a longer
       item that wraps
    """
    try:
        from rich.console import Console
        from rich.markdown import Markdown
    except ImportError as err:
        raise RuntimeError("showing the answers needs rich: pip install 'dlnotes[drill]'") from err
    if width is None:
        width = shutil.get_terminal_size((80, 24)).columns
    source = _answer_markdown(markdown, glue, extensions, refs)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(width, 20),
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(Markdown(source, hyperlinks=False, code_theme="ansi_dark"))
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
