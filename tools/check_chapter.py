"""A writer's quick check of one or more chapters, without building the book.

``python -m tools.check_chapter book/part/chapter.md ...`` executes each chapter once as the book
does (jupytext reads it, nbclient runs it in the chapter's folder, a cell that raises or writes to stderr is
an error), then checks what the Sphinx build would otherwise report only at the end of a full build: every
``{glue:...}`` role and ``{glue:figure}`` names a value the chapter glued (and its format spec applies to
it), every ``{ref}``/``{numref}``/``{eq}`` target is a label somewhere in the book, every ``{cite}`` key is
in ``book/references.bib``. It prints the chapter's execution time, its slowest cells and its visible
reading time, and exits 1 on any problem. The full build (``make test``) stays the judge; this is the inner
loop.
"""

from __future__ import annotations

import argparse
import ast
import os
import pathlib
import re
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

_GLUE_ROLE = re.compile(r"\{glue(?::(?:text|md|math|any))?\}`([^`]+)`")
_GLUE_FIGURE = re.compile(r"^`{3,}\{glue:figure\}\s+(\S+)", re.M)
_GLUE_MATH_DIRECTIVE = re.compile(r"^`{3,}\{glue:math\}\s+(\S+)", re.M)
_REF = re.compile(r"\{(ref|numref|eq)\}`([^`]+)`")
_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
_LABELS = (
    re.compile(r"^\(([\w.:-]+)\)=\s*$", re.M),
    re.compile(r"^\s*:?(?:label|name):\s*(\S+)\s*$", re.M),
    re.compile(r"\$\$\s*\(([\w.:-]+)\)\s*$", re.M),
)


def book_labels() -> set[str]:
    labels: set[str] = set()
    for path in (ROOT / "book").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for pattern in _LABELS:
            labels.update(pattern.findall(text))
        labels.add(path.relative_to(ROOT).with_suffix("").as_posix())
    return labels


def bib_keys() -> set[str]:
    from dlnotes.drill.render import bibliography  # the book's one BibTeX reader outside Sphinx

    return set(bibliography(ROOT / "book" / "references.bib"))


def execute(path: pathlib.Path) -> tuple[dict[str, str], list[tuple[float, int]], float, list[str]]:
    """Run the chapter; return its glued plain-text values, (seconds, cell) per cell, total, problems."""
    import jupytext
    from myst_nb.ext.glue import extract_glue_data_cell
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(path)
    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    problems: list[str] = []
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        problems.append(f"a cell raised:\n{str(exc)[-2000:]}")
    total = time.perf_counter() - start
    glued: dict[str, str] = {}
    times: list[tuple[float, int]] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in meta and "shell.execute_reply" in meta:
            from datetime import datetime

            a = datetime.fromisoformat(meta["iopub.execute_input"].replace("Z", "+00:00"))
            b = datetime.fromisoformat(meta["shell.execute_reply"].replace("Z", "+00:00"))
            times.append(((b - a).total_seconds(), index))
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                problems.append(f"cell {index} wrote to stderr: {out.get('text', '')[:500]}")
        # myst-nb's own reader of glued values (it strips the mime prefix of display=False values)
        for name, out in extract_glue_data_cell(cell):
            glued[name] = "".join(out.get("data", {}).get("text/plain", ""))
    return glued, times, total, problems


def check_references(text: str, glued: dict[str, str] | None, labels: set[str], keys: set[str]) -> list[str]:
    problems = []
    if glued is not None:
        for content in _GLUE_ROLE.findall(text):
            name, _, spec = content.partition(":")
            if name not in glued:
                problems.append(f"glue value {name!r} is used but never glued")
            elif spec:
                try:
                    format(ast.literal_eval(glued[name]), spec)
                except (ValueError, TypeError, SyntaxError):
                    problems.append(
                        f"glue value {name!r} = {glued[name]!r} does not take the format {spec!r}"
                    )
        for name in _GLUE_FIGURE.findall(text) + _GLUE_MATH_DIRECTIVE.findall(text):
            if name not in glued:
                problems.append(f"glue figure {name!r} is used but never glued")
    for role, content in _REF.findall(text):
        target = content.rsplit("<", 1)[1].rstrip(">") if content.endswith(">") else content
        if target not in labels:
            problems.append(f"{{{role}}} target {target!r} is not a label in the book")
    for content in _CITE.findall(text):
        for key in (k.strip() for k in content.split(",")):
            if key not in keys:
                problems.append(f"citation {key!r} is not in book/references.bib")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="+", type=pathlib.Path)
    parser.add_argument("--no-run", action="store_true", help="check references and citations only")
    args = parser.parse_args(argv)
    os.environ.setdefault("IPYTHONDIR", str(ROOT / "_build" / "ipython"))
    from dlnotes.drill.reading import reading_time

    labels, keys = book_labels(), bib_keys()
    failed = False
    for path in args.chapters:
        path = path.resolve()
        text = path.read_text(encoding="utf-8")
        glued = None
        problems: list[str] = []
        if not args.no_run:
            glued, times, total, problems = execute(path)
            slow = ", ".join(f"cell {i}: {s:.1f} s" for s, i in sorted(times, reverse=True)[:3])
            name = path.relative_to(ROOT)
            print(f"{name}: executed in {total:.1f} s (slowest {slow}); {len(glued)} values glued")
        problems += check_references(text, glued, labels, keys)
        t = reading_time(path)
        print(
            f"  visible reading time {t.minutes:.1f} min ({t.prose_words} words, {t.code_lines} code lines)"
        )
        for problem in problems:
            print(f"  PROBLEM: {problem}")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
