"""Find the book's chapters in `_toc.yml` and write them out as plain `.ipynb` notebooks.

The chapters are MyST Markdown notebooks (jupytext). nbval only collects `.ipynb`, and some readers prefer
plain notebooks, so `python -m tools.notebooks` converts every chapter listed in `_toc.yml` into
`_build/notebooks/<same path>.ipynb` (outputs empty: run them yourself). `make notebooks` calls it.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import jupytext
import yaml

from dlnotes.drill.questions import toc_chapters

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "_build" / "notebooks"


def toc_files(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """Return the source file of every page in `_toc.yml`, in reading order (root page first).

    The pages after the root are walked by :func:`dlnotes.drill.questions.toc_chapters`, the book's one
    reader of the table of contents.
    """
    first = root / yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"]
    return [first if first.suffix else first.with_suffix(".md"), *(src for _, _, src in toc_chapters(root))]


def is_notebook(path: pathlib.Path) -> bool:
    """True for a MyST Markdown notebook: a jupytext header and at least one code cell."""
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and "jupytext:" in text.split("\n---", 1)[0] and "{code-cell}" in text


def notebook_files(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """Return the chapters in `_toc.yml` that are notebooks (pages of prose only are left out)."""
    return [p for p in toc_files(root) if p.exists() and is_notebook(p)]


def convert(
    out: pathlib.Path = DEFAULT_OUT, root: pathlib.Path = ROOT, only: pathlib.Path | None = None
) -> list[pathlib.Path]:
    """Write every notebook chapter (or `only` that one) as `.ipynb` under `out`, mirroring its path.

    Writing them all also removes stale notebooks (of chapters no longer in the toc).
    """
    chapters = notebook_files(root)
    if only is not None:
        only = (root / only).resolve()
        if only not in chapters:
            raise SystemExit(f"{only} is not a notebook chapter listed in _toc.yml")
        chapters = [only]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for src in chapters:
        dest = out / src.relative_to(root).with_suffix(".ipynb")
        dest.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(jupytext.read(src), dest, fmt="ipynb")
        written.append(dest)
    if only is None:
        for stale in set(out.rglob("*.ipynb")) - set(written):
            stale.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT, help="folder for the .ipynb files")
    parser.add_argument("--list", action="store_true", help="only list the notebook chapters")
    parser.add_argument("--only", type=pathlib.Path, help="convert this one chapter (a path under the root)")
    args = parser.parse_args(argv)
    paths = notebook_files() if args.list else convert(args.out.resolve(), only=args.only)
    for path in paths:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
