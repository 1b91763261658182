"""The ``dlnotes`` command line.

``dlnotes info`` reports the versions and the device the book's cells will use, which is the first thing to
check when a notebook behaves differently on your machine. Each subcommand is a function that fills its own
``argparse`` sub-parser and sets ``func``:

- ``dlnotes questions``: list the book's interview questions (``--format text|markdown|json``).
- ``dlnotes quiz``: drill them in the terminal with Leitner boxes (see :mod:`dlnotes.drill.quiz`).
- ``dlnotes anki OUT.apkg``: write them as an Anki deck (see :mod:`dlnotes.drill.anki`).
- ``dlnotes drill list|show|check|reset``: the coding drills (see :mod:`dlnotes.drill.coding`); ``check``
  runs a solution file in a child process with a time limit and remembers what you solved.

The last three read the book found by ``--book PATH``, else the environment variable ``DLNOTES_BOOK``, else
the current directory or one of its parents (the folder holding ``_toc.yml``). They need the ``drill``
extra (``pip install 'dlnotes[drill]'``: myst-parser, genanki, platformdirs), imported only when used.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import pathlib
import platform
import shutil
import sys
from collections.abc import Sequence

import dlnotes

__all__ = ["build_parser", "main"]


def _info(args: argparse.Namespace) -> int:
    import numpy as np
    import torch

    device = dlnotes.get_device()
    lines = {
        "dlnotes": dlnotes.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "cuda available": str(torch.cuda.is_available()),
        "device": str(device),
    }
    if device.type == "cuda":
        lines["gpu"] = torch.cuda.get_device_name(device)
    width = max(map(len, lines))
    for key, value in lines.items():
        print(f"{key:<{width}}  {value}")
    return 0


def _load(args: argparse.Namespace):
    from dlnotes.drill.questions import find_book_root, load_questions

    root = find_book_root(args.book)
    return root, load_questions(root, chapters=args.chapter or (), parts=args.part or ())


def _questions(args: argparse.Namespace) -> int:
    _, questions = _load(args)
    if args.format == "json":
        rows = [{**dataclasses.asdict(q), "url": q.url} for q in questions]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    heading = None
    for q in questions:
        if (q.part, q.chapter) != heading:
            if args.format == "markdown":
                if heading is None or q.part != heading[0]:
                    print(f"{'' if heading is None else chr(10)}## {q.part or 'Chapters'}\n")
                print(f"### {q.chapter}\n")
            else:
                if heading is None or q.part != heading[0]:
                    print(f"{'' if heading is None else chr(10)}{q.part or 'Chapters'}")
                print(f"  {q.chapter} ({q.stem})")
            heading = (q.part, q.chapter)
        if args.format == "markdown":
            print(f"- [{q.title_zh} · {q.title_en}]({q.url}) `{q.label}`")
        else:
            print(f"    {q.label}: {q.title_zh} · {q.title_en}")
    if args.format == "text":
        chapters = len({q.docname for q in questions})
        print(f"\n{_plural(len(questions), 'question')} in {_plural(chapters, 'chapter')}")
    return 0


_YES, _NO, _QUIT = {"y", "yes"}, {"n", "no"}, {"q", "quit"}


def _read(prompt: str, interactive: bool) -> str | None:
    """One line of the reader's input, stripped and lower-cased; None at the end of input."""
    if interactive:
        try:
            return input(prompt).strip().lower()
        except EOFError:
            print()
            return None
    print(prompt.rstrip(), flush=True)  # piped input: no line editing, just read the next line
    line = sys.stdin.readline()
    return None if line == "" else line.strip().lower()


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _title(q, lang: str) -> str:
    return {"zh": q.title_zh, "en": q.title_en}.get(lang, f"{q.title_zh}\n  {q.title_en}")


def _quiz(args: argparse.Namespace) -> int:
    from dlnotes.drill import quiz

    path = quiz.progress_path()
    if args.reset:
        if args.chapter or args.part:  # forget only the questions selected, keep the rest
            _, questions = _load(args)
            removed = quiz.reset_progress(path, [q.label for q in questions])
            print(f"progress reset: forgot {_plural(removed, 'question')} in {path}")
        else:
            removed = quiz.reset_progress(path)
            print(f"progress reset: removed {path}" if removed else f"no progress to reset at {path}")
        return 0
    counter = [0]  # answers saved so far, for the message after Ctrl-C
    try:
        return _drill(args, quiz, path, counter)
    except KeyboardInterrupt:
        start = "\n" if sys.stdin.isatty() else ""  # end the line where ^C was echoed
        print(
            f"{start}dlnotes: interrupted; {_plural(counter[0], 'answer')} saved in {path}", file=sys.stderr
        )
        return 130


def _drill(args: argparse.Namespace, quiz, path, counter: list[int]) -> int:
    """The quiz session; ``counter[0]`` counts the answers saved (read by the Ctrl-C handler)."""
    from dlnotes.drill.questions import book_extensions, glue_values
    from dlnotes.drill.render import book_references

    root, questions = _load(args)
    refs = book_references(root)
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    try:
        cards = quiz.load_progress(path)
    except quiz.ProgressError as err:
        backup = quiz.backup_corrupt(path)
        print(f"dlnotes: warning: {err}; moved it to {backup}, starting afresh", file=sys.stderr)
        cards = {}
    today = args.today or dt.date.today()
    chosen = quiz.session(questions, cards, today, n=args.n, seed=args.seed, include_all=args.all)
    if not chosen:
        upcoming = [cards[q.label].due for q in questions if q.label in cards and cards[q.label].due]
        later = f"; next review on {min(upcoming).isoformat()}" if upcoming else ""
        print(f"nothing due on {today.isoformat()}{later} (--all reviews anyway)")
        return 0
    quiz.save_progress(path, cards)  # an unwritable data folder fails now, not after the first answer
    interactive = sys.stdin.isatty()
    extensions = book_extensions(root)
    known = answered = 0
    print(f"{_plural(len(chosen), 'question')}; progress in {path}")
    for number, q in enumerate(chosen, 1):
        card = cards.get(q.label)
        state = "new" if card is None else f"box {card.box}"
        print(f"\n[{number}/{len(chosen)}] {q.part} › {q.chapter} · {state}")
        print(f"  {_title(q, args.lang)}")
        if interactive:
            reply = _read("(Enter shows the answer, q quits) ", interactive)
            if reply is None or reply in _QUIT:
                break
        print("--- answer ---")  # roles resolved as on the Anki cards, glued numbers from the last build
        width = shutil.get_terminal_size((80, 24)).columns
        glue = glue_values(root, q.docname)
        options = {"extensions": extensions, "refs": refs, "width": width, "color": color}
        text = quiz.answer_text(q.answer, glue=glue, **options)
        print(text)
        print("---")
        reply = _read("Did you know it? [y/n/q] ", interactive)
        while reply is not None and reply not in _YES | _NO | _QUIT:
            reply = _read("Please answer y (yes), n (no) or q (quit): ", interactive)
        if reply is None or reply in _QUIT:
            break
        knew = reply in _YES
        cards[q.label] = quiz.review(card, knew, today)
        quiz.save_progress(path, cards)  # after each answer: an interrupted session loses nothing
        answered += 1
        counter[0] = answered
        known += knew
        new = cards[q.label]
        print(f"-> box {new.box}, next review on {new.due.isoformat()}")
    print(
        f"\n{answered} answered ({known} known, {answered - known} to review again); progress saved in {path}"
    )
    return 0


def _anki(args: argparse.Namespace) -> int:
    out = pathlib.Path(args.out).expanduser()
    problem = None
    if out.suffix.lower() != ".apkg":
        problem = f"the deck's file must end in .apkg (Anki imports only those), got {args.out!r}"
    elif not out.resolve().parent.is_dir():
        problem = f"the folder {str(out.parent)!r} does not exist; create it first or choose another path"
    if problem:
        print(f"dlnotes: error: {problem}", file=sys.stderr)
        return 2
    from dlnotes.drill import anki
    from dlnotes.drill.questions import book_extensions

    root, questions = _load(args)
    if not questions:
        raise ValueError("no questions match the filters: an empty deck was not written")
    deck = anki.build_deck(questions, root=root, base_url=args.base_url, extensions=book_extensions(root))
    path = anki.write_deck(deck, args.out)
    print(f"wrote {len(questions)} notes to {path}")
    return 0


def _drill_list(args: argparse.Namespace) -> int:
    from dlnotes.drill.coding import drills
    from dlnotes.drill.coding.progress import progress_path

    path = progress_path()
    records = _drill_records(path)
    chosen = [d for d in drills() if not args.chapter or d.chapter.rsplit("/", 1)[-1] in args.chapter]
    if args.chapter and not chosen:
        raise ValueError(
            f"no drills in the chapters {', '.join(args.chapter)} (names are file stems: roc-pr)"
        )
    if args.format == "json":
        rows = [
            {
                "name": d.name,
                "title": d.title,
                "chapter": d.chapter,
                "difficulty": d.difficulty,
                "minutes": d.minutes,
                "solved": bool(records.get(d.name) and records[d.name].solved),
            }
            for d in chosen
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max(len(d.name) for d in chosen)
    chapter = None
    for d in chosen:
        if d.chapter != chapter:
            chapter = d.chapter
            print(f"{'' if d is chosen[0] else chr(10)}{chapter.rsplit('/', 1)[-1]}")
        record = records.get(d.name)
        mark = "✓" if record and record.solved else ("✗" if record else " ")
        print(f"  {mark} {d.name:<{width}}  {d.difficulty:<6}  {d.minutes:>2} min  {d.title}")
    solved = sum(1 for d in chosen if records.get(d.name) and records[d.name].solved)
    print(f"\n{solved} of {_plural(len(chosen), 'drill')} solved (✓ solved, ✗ tried); progress in {path}")
    return 0


def _drill_records(path) -> dict:
    """The drill progress; an unreadable file is moved aside with a warning (and an empty record returned)."""
    from dlnotes.drill.coding.progress import load_records
    from dlnotes.drill.store import ProgressError, backup_corrupt

    try:
        return load_records(path)
    except ProgressError as err:
        backup = backup_corrupt(path)
        print(f"dlnotes: warning: {err}; moved it to {backup}, starting afresh", file=sys.stderr)
        return {}


def _drill_show(args: argparse.Namespace) -> int:
    from dlnotes.drill.coding import get_drill, show

    drill = get_drill(args.name)
    if args.starter:
        print(drill.starter_file(), end="")
        return 0
    from dlnotes.drill.quiz import answer_text

    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    print(answer_text(show(drill).markdown(), color=color))
    return 0


def _drill_check(args: argparse.Namespace) -> int:
    from dlnotes.drill.coding import get_drill
    from dlnotes.drill.coding.progress import progress_path, record_check, save_records
    from dlnotes.drill.coding.runner import check_file

    drill = get_drill(args.name)
    result = check_file(drill, args.file, time_limit=args.time_limit)
    print(result)
    if not args.no_save:
        path = progress_path()
        records = record_check(_drill_records(path), drill.name, result.passed, args.today or dt.date.today())
        save_records(path, records)
        solved = records[drill.name].solved
        state = "not solved yet"
        if solved:
            state = f"solved on {solved.isoformat()}" + ("" if result.passed else ", but this check failed")
        print(f"{drill.name}: {state}; progress saved in {path}")
    return 0 if result.passed else 1


def _drill_reset(args: argparse.Namespace) -> int:
    from dlnotes.drill.coding import get_drill
    from dlnotes.drill.coding.progress import progress_path, reset_records

    path = progress_path()
    names = [get_drill(name).name for name in args.names] or None
    removed = reset_records(path, names)
    print(f"drill progress reset: forgot {_plural(removed, 'drill')} in {path}")
    return 0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds in (0, 3600], got {text}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _book_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--book",
        metavar="PATH",
        help="the book's folder (default: $DLNOTES_BOOK, else the current folder or a parent)",
    )
    parser.add_argument(
        "--chapter",
        action="append",
        metavar="NAME",
        help="only this chapter (file stem or label; repeatable)",
    )
    parser.add_argument("--part", action="append", metavar="CAPTION", help="only this part (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``dlnotes`` command with all its subcommands.

    Examples
    --------
    >>> build_parser().parse_args(["info"]).command
    'info'
    """
    parser = argparse.ArgumentParser(
        prog="dlnotes", description="Companion tools for the dlnotes deep-learning interview book."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {dlnotes.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    info = sub.add_parser("info", help="show versions and the device the notebooks will use")
    info.set_defaults(func=_info)

    questions = sub.add_parser("questions", help="list the book's interview questions")
    _book_options(questions)
    questions.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    questions.set_defaults(func=_questions)

    drill = sub.add_parser(
        "quiz",
        help="drill the interview questions with Leitner boxes",
        description="Ask due and new questions, show the answer, and schedule the next review: a question "
        "you knew moves up a box (1, 2, 4, 8, 16 days), one you did not goes back to box 1. Answer each "
        "with y, n or q (quit). Progress is saved after every answer in progress.json in the user's data "
        "folder ($DLNOTES_DATA_DIR overrides it). Exit status: 0, or 130 after Ctrl-C.",
    )
    _book_options(drill)
    drill.add_argument(
        "--lang", choices=["zh", "en", "both"], default="both", help="language of the questions"
    )
    drill.add_argument("--n", type=_positive, default=10, help="at most this many questions (default 10)")
    drill.add_argument("--seed", type=int, help="seed for the order of the questions")
    drill.add_argument("--all", action="store_true", help="also ask questions that are not due yet")
    drill.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="pretend today is this date")
    drill.add_argument(
        "--reset",
        action="store_true",
        help="forget the saved progress and exit (with --chapter or --part, only those questions)",
    )
    drill.set_defaults(func=_quiz)

    deck = sub.add_parser("anki", help="write the interview questions as an Anki deck (.apkg)")
    deck.add_argument("out", metavar="OUT.apkg", help="the file to write")
    _book_options(deck)
    deck.add_argument(
        "--base-url", default="", help="where the HTML book is published, for links on the cards"
    )
    deck.set_defaults(func=_anki)
    _drill_parser(sub)
    return parser


def _drill_parser(sub) -> None:
    drill = sub.add_parser(
        "drill",
        help="coding drills: write softmax, Adam, ROC-AUC... and have them checked",
        description="Interview coding drills with an automatic checker. `list` shows them, `show NAME` the "
        "task (`--starter > FILE.py` a file to start from), `check NAME FILE.py` runs your function on the "
        "drill's hidden cases in a separate process with a time limit (exit status 0 only when every case "
        "passes) and saves what you solved in drills.json in the user's data folder ($DLNOTES_DATA_DIR "
        "overrides it).",
    )
    actions = drill.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every drill: chapter, difficulty, time, solved or not")
    listing.add_argument("--chapter", action="append", metavar="NAME", help="only this chapter (repeatable)")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(func=_drill_list)
    show = actions.add_parser("show", help="the drill's statement and starter signature")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--starter", action="store_true", help="print a solution file to start from")
    show.set_defaults(func=_drill_show)
    check = actions.add_parser("check", help="check the function in a solution file")
    check.add_argument("name", metavar="NAME")
    check.add_argument("file", metavar="FILE.py")
    check.add_argument("--no-save", action="store_true", help="do not record the result")
    check.add_argument(
        "--time-limit",
        type=_seconds,
        metavar="SECONDS",
        help="seconds for all the cases together (default: the drill's own, usually 10)",
    )
    check.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="pretend today is this date")
    check.set_defaults(func=_drill_check)
    reset = actions.add_parser("reset", help="forget what you solved (all drills, or those named)")
    reset.add_argument("names", nargs="*", metavar="NAME")
    reset.set_defaults(func=_drill_reset)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dlnotes`` command and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 on success; 1 on an error (one line on standard error, no traceback) or a drill that did not pass
        every case; 2 when no subcommand was given (the usage is printed to standard error) or
        ``dlnotes anki`` was given a path it refuses;
        130 when a quiz is interrupted with Ctrl-C (its answers are saved); 141 when standard output is
        closed early (``dlnotes questions | head``).

    Examples
    --------
    >>> main(["info"])  # doctest: +ELLIPSIS
    dlnotes ...
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    try:
        return args.func(args)
    except BrokenPipeError:  # `dlnotes questions | head`: the reader stopped reading, not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout at exit
        return 141
    except (ValueError, RuntimeError, OSError) as err:  # e.g. a bad DLNOTES_DEVICE: say why, no traceback
        print(f"dlnotes: error: {err}", file=sys.stderr)
        return 1
