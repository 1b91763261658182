"""Find the book's chapters in `_toc.yml` and write them out as plain `.ipynb` notebooks.

The chapters are MyST Markdown notebooks (jupytext). nbval only collects `.ipynb`, and some readers prefer
plain notebooks, so `python -m tools.notebooks` converts every chapter listed in `_toc.yml` into
`_build/notebooks/<same path>.ipynb` (outputs empty: run them yourself). `make notebooks` calls it.

By default the markdown cells are made to read well in plain Jupyter (:func:`to_markdown`): MyST roles and
directives become Markdown (a glued value, a reference's number and title, a citation's authors and year,
the ``{source}`` listing as a ``python`` block, a solution as a collapsed ``<details>``). Numbers and values
come from the book's last build (`--build`, default `_build`): the Sphinx environment in `.doctrees` and the
glued values in `jupyter_execute/*.glue.json` (or the jupyter cache); without one, readable stand-ins.
`--no-resolve` writes the chapters as jupytext reads them. The code cells are the chapter's either way.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import pathlib
import pickle
import re
import sys
import warnings

import jupytext
import yaml

from dlnotes.drill import render
from dlnotes.drill.questions import _parser, _split_options, book_extensions, role_text, toc_chapters
from dlnotes.drill.questions import glue_outputs as glue_outputs_of_build

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "_build" / "notebooks"
DEFAULT_BUILD = ROOT / "_build"
BIB = ROOT / "book" / "references.bib"


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


# ---------------------------------------------------------------------------------------------------------
# What the book's last build knows: numbers, titles and glued values.


@dataclasses.dataclass
class Build:
    """The parts of a Sphinx environment (``_build/.doctrees/environment.pickle``) the exporter uses.

    ``labels`` maps a label to ``(docname, anchor, title)``; ``fignumbers`` maps a docname to
    ``{figtype: {anchor: (13, 1)}}``; ``secnumbers`` a docname to ``{"#anchor": (13, 1)}``; ``titles`` a
    docname to its title; ``formats`` a figtype to Sphinx's ``numfig_format`` (``"Fig. %s"``).
    """

    labels: dict[str, tuple[str, str, str]] = dataclasses.field(default_factory=dict)
    fignumbers: dict[str, dict[str, dict[str, tuple[int, ...]]]] = dataclasses.field(default_factory=dict)
    secnumbers: dict[str, dict[str, tuple[int, ...]]] = dataclasses.field(default_factory=dict)
    titles: dict[str, str] = dataclasses.field(default_factory=dict)
    formats: dict[str, str] = dataclasses.field(default_factory=dict)
    folder: pathlib.Path | None = None

    def number(self, docname: str, anchor: str) -> tuple[str, str] | None:
        """``(figtype, "13.1")`` of a numbered element (figure, equation, theorem ...), else None."""
        for figtype, numbers in self.fignumbers.get(docname, {}).items():
            for key in (anchor, f"equation-{anchor}"):
                if key in numbers:
                    return figtype, ".".join(map(str, numbers[key]))
        return None


def load_build(folder: pathlib.Path | None) -> Build | None:
    """Read the Sphinx environment of a build folder (``_build``); None when there is none to read."""
    if folder is None:
        return None
    path = pathlib.Path(folder) / ".doctrees" / "environment.pickle"
    if not path.is_file():
        return None
    try:
        with path.open("rb") as file, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            env = pickle.load(file)  # our own build's environment
    except Exception as exc:  # an unreadable or incompatible build: use the fallbacks
        print(f"tools.notebooks: ignoring {path} ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None
    std = env.domaindata.get("std", {})
    labels = {k: (v[0], v[1], v[2]) for k, v in std.get("labels", {}).items()}
    for label, (docname, anchor) in std.get("anonlabels", {}).items():
        labels.setdefault(label, (docname, anchor, ""))
    for label, (docname, _) in env.domaindata.get("math", {}).get("objects", {}).items():
        labels.setdefault(label, (docname, f"equation-{label}", ""))
    prf = env.domaindata.get("prf", {})
    for obj in prf.get("objects", []) if isinstance(prf.get("objects"), list) else []:
        if isinstance(obj, tuple) and len(obj) >= 4:  # (name, dispname, type, docname, anchor, priority)
            labels.setdefault(obj[0], (obj[3], obj[4] if len(obj) > 4 else obj[0], ""))
    return Build(
        labels=labels,
        fignumbers=dict(getattr(env, "toc_fignumbers", {})),
        secnumbers=dict(getattr(env, "toc_secnumbers", {})),
        titles={doc: node.astext() for doc, node in env.titles.items()},
        formats=dict(env.config.numfig_format or {}),
        folder=pathlib.Path(folder),
    )


def glue_outputs(build: pathlib.Path | None, docname: str, chapter: pathlib.Path | None = None) -> dict:
    """The values a chapter glued, name -> ``{mime type: text}``, from a build folder; {} without one.

    The book's extension writes them to ``jupyter_execute/<docname>.glue.json``; failing that the executed
    notebook is looked up in the jupyter cache (``.jupyter_cache``) and its display outputs that carry
    scrapbook metadata are read.
    """
    if build is None:
        return {}
    found = glue_outputs_of_build(build, docname)
    if found is not None:
        return found
    return _cached_glue(pathlib.Path(build) / ".jupyter_cache", chapter) if chapter is not None else {}


def _cached_glue(cache_dir: pathlib.Path, chapter: pathlib.Path) -> dict:
    if not cache_dir.is_dir():
        return {}
    try:
        from jupyter_cache import get_cache

        cache = get_cache(cache_dir)
        record = cache.match_cache_notebook(jupytext.read(chapter))
        executed = cache.get_cache_bundle(record.pk).nb
    except Exception:  # not cached (its code changed) or no usable cache: no values
        return {}
    found = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            name = (output.get("metadata") or {}).get("scrapbook", {}).get("name")
            if name:
                data = output.get("data") or {}
                found[name] = {k: "".join(v) if isinstance(v, list) else str(v) for k, v in data.items()}
    return found


def bibliography(path: pathlib.Path = BIB) -> dict[str, tuple[str, str]]:
    """``key -> (authors, year)`` of the book's BibTeX file (:func:`dlnotes.drill.render.bibliography`)."""
    return render.bibliography(path)


@functools.lru_cache(maxsize=4)
def source_labels(root: pathlib.Path = ROOT) -> dict[str, tuple[str, str]]:
    """``label -> (kind, title)`` read from the chapters' sources, the stand-in for a build's titles.

    Kinds: ``section`` (a ``(label)=`` before a heading), ``exercise`` and the ``prf`` kinds (a
    ``:label:`` option; the title is the directive's argument), ``figure`` (a figure's ``name:``).
    """
    found: dict[str, tuple[str, str]] = {}
    for path in toc_files(root):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^\(([^()\s]+)\)=\s*\n(?:\s*\n)*#+ +(.+)$", text, re.M):
            found[m[1]] = ("section", m[2].strip())
        for m in re.finditer(r"^[`:]{3,}\{(?:prf:)?([\w-]+)\} *(.*)\n:label: *(\S+)", text, re.M):
            found[m[3]] = (m[1], m[2].strip())
        for m in re.finditer(r"^ +name: (fig-[\w-]+)$", text, re.M):
            found.setdefault(m[1], ("figure", ""))
    return found


# ---------------------------------------------------------------------------------------------------------
# The Markdown transform.

#: A role, or an inline code span (skipped: a role in code is code).
_INLINE = re.compile(
    r"\{(?P<name>[\w:+-]+)\}`(?P<content>[^`]*)`|(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`)", re.S
)
_EXPLICIT = re.compile(r"(?s)(.*?)\s*<([^<>]+)>")
#: What stands for a reference to a label with this prefix when no build gives its number.
_KIND_WORDS = {
    "fig": "the figure",
    "figure": "the figure",
    "tbl": "the table",
    "table": "the table",
    "eq": "the equation",
    "displaymath": "the equation",
    "code": "the listing",
    "code-block": "the listing",
    "thm": "the theorem",
    "theorem": "the theorem",
    "def": "the definition",
    "definition": "the definition",
    "lem": "the lemma",
    "q": "the question",
    "exercise": "the question",
    "chapter": "the chapter",
}
_ADMONITIONS = {
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "seealso",
}


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip("\n").splitlines())


def _fence(code: str, language: str = "") -> str:
    ticks = "`" * max([3, *(len(m) + 1 for m in re.findall(r"`{3,}", code))])
    return f"{ticks}{language}\n{code.rstrip()}\n{ticks}"


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        try:
            return str(yaml.safe_load(value))
        except yaml.YAMLError:
            return value[1:-1]
    return value


@dataclasses.dataclass
class Resolver:
    """Turns the MyST of one chapter (`docname`) into plain Markdown; see :func:`to_markdown`.

    `build` gives numbers and titles, `glue` the chapter's glued values (name -> ``{mime: text}``), `bib`
    the citations (key -> ``(authors, year)``), `labels` the stand-ins read from the sources.
    """

    docname: str = ""
    build: Build | None = None
    glue: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    bib: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    extensions: tuple[str, ...] = ()

    # Blocks ------------------------------------------------------------------------------------------
    def markdown(self, text: str) -> str:
        """The Markdown of a cell: directives and label lines by block (markdown-it), roles inline."""
        from dlnotes.drill.questions import DEFAULT_EXTENSIONS

        tokens = _parser(tuple(sorted(self.extensions or DEFAULT_EXTENSIONS))).parse(text)
        lines = text.splitlines()
        out: list[str] = []
        pos = 0
        for token in tokens:
            if token.level != 0 or token.map is None or token.nesting < 0:
                continue
            start, end = token.map
            if start < pos:
                continue
            out.extend(lines[pos:start])
            out.append(self.block(token, "\n".join(lines[start:end])))
            pos = end
        out.extend(lines[pos:])
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")

    def block(self, token, source: str) -> str:
        if token.type in ("fence", "colon_fence"):
            match = re.match(r"^\{([\w:-]+)\}\s*(.*)$", token.info.strip())
            return self.directive(match[1], match[2].strip(), token.content) if match else source
        if token.type in ("myst_target", "myst_line_comment", "front_matter"):
            return ""
        if token.type in ("code_block", "html_block"):
            return source
        if token.type == "math_block_label":
            number = self.build.number(self.docname, token.info) if self.build else None
            tag = f"\n\\tag{{{number[1]}}}" if number else ""
            return f"$$\n{token.content.strip()}{tag}\n$$"
        return self.inline(source)

    def directive(self, name: str, argument: str, content: str) -> str:
        options, body = _split_options(content)
        label = options.get("label") or options.get("name") or ""
        if name == "source":
            return self.source(argument, options)
        if name == "drill":
            from dlnotes.drill.coding import DrillError, show

            try:
                return _quote(self.markdown(show(argument).markdown()))
            except DrillError as exc:
                return f"*(the drill `{argument}` could not be shown: {exc})*"
        if name in ("code", "code-block", "sourcecode", "code-cell"):
            return _fence(body, argument)
        if name == "math":
            return f"$$\n{body.strip()}\n$$"
        if name in ("glue", "glue:md", "glue:any", "glue:text", "glue:figure"):
            data = self.glue.get(argument, {})
            return data.get("text/markdown") or data.get("text/plain") or f"[{argument}]"
        inner = self.markdown(body) if body.strip() else ""
        if name == "solution":
            return f"<details><summary>Answer</summary>\n\n{inner}\n\n</details>"
        if name == "exercise":
            number = self._number(label)
            head = (
                f"**Exercise {number}: {self.inline(argument)}**"
                if number
                else f"**Exercise: {self.inline(argument)}**"
            )
            return f"{head}\n\n{inner}" if inner else head
        if name.startswith("prf:"):
            kind = name[4:].capitalize()
            if kind == "Proof":
                return _quote(f"**Proof.** {inner}")
            number = self._number(label)
            title = f"{kind} {number}" if number else kind
            title += f" ({self.inline(argument)})" if argument else ""
            return _quote(f"**{title}.**\n\n{inner}")
        if name == "admonition":
            return _quote(f"**{self.inline(argument) or 'Note'}**\n\n{inner}")
        if name in _ADMONITIONS:
            title = "See also" if name == "seealso" else name.capitalize()
            if argument:
                inner = f"{self.inline(argument)}\n\n{inner}"
            return _quote(f"**{title}**\n\n{inner}")
        # Anything else (bibliography, glossary, question-bank): its body, under its name.
        title = f"{name}: {self.inline(argument)}" if argument else name
        return _quote(f"**{title}**\n\n{inner}") if inner else f"*({title}: see the book)*"

    def source(self, name: str, options: dict[str, str]) -> str:
        from dlnotes.drill.source import SourceError, resolve, source_of

        try:
            code, path = source_of(
                name, docstring="docstring" in options, hide_checks="hide-checks" in options
            )
        except (SourceError, ImportError) as exc:
            return f"*(the source of `{name}` could not be shown: {exc})*"
        caption = options.get("caption")
        if caption is None:
            try:
                shown = path.relative_to(ROOT).as_posix()
            except ValueError:
                shown = path.name
            caption = f"`{resolve(name)[2]}` in `{shown}`"
        return f"{self.inline(_unquote(caption))}\n\n{_fence(code, 'python')}"

    # Roles -------------------------------------------------------------------------------------------
    def inline(self, text: str) -> str:
        """Replace every role of `text` (outside inline code) by its plain text."""

        def replace(match: re.Match) -> str:
            if match["name"] is None:
                return match[0]
            before = text[: match.start()].rstrip()
            start = not before or before[-1] in ".!?:" or before.endswith("\n")
            result = self.role(match["name"], match["content"])
            reference = match["name"] in ("ref", "numref", "eq", "prf:ref", "doc")
            return result[:1].upper() + result[1:] if start and reference else result

        return _INLINE.sub(replace, text)

    def role(self, name: str, content: str) -> str:
        explicit = _EXPLICIT.fullmatch(content)
        text, target = (explicit[1], explicit[2].strip()) if explicit else ("", content.strip())
        if name in ("glue", "glue:text", "glue:any"):
            plain = {k: v["text/plain"] for k, v in self.glue.items() if "text/plain" in v}
            return role_text("glue:text", content, plain)
        if name == "term":
            return text or target
        if name == "cite" or name.startswith("cite:"):
            return self.cite(name, content)
        if name == "doc":
            return text or self._doc_title(target)
        if name in ("ref", "numref", "eq", "prf:ref", "numref:ref"):
            return self.reference(name, text, target)
        if name == "math":
            return f"${content}$"
        return role_text(name, content)

    def reference(self, name: str, text: str, label: str) -> str:
        where = self.build.labels.get(label) if self.build else None
        number = self._number(label)
        title = where[2] if where and where[2] else self.labels.get(label, ("", ""))[1]
        if not title and where and self.build and where[1] in ("", where[0]):
            title = self.build.titles.get(where[0], "")
        if name == "eq":
            return f"({number})" if number else text or "the equation"
        if name in ("numref", "prf:ref") and text:
            return re.sub(r"%s|\{number\}", number or "", text.replace("{name}", title)).strip()
        if text:
            return text
        if name in ("numref", "prf:ref") and number and self.build:
            figtype = self._figtype(label)
            form = self.build.formats.get(figtype) or f"{figtype.capitalize()} %s".strip()
            return form.replace("%s", number)
        if name == "numref":
            section = self._section_number(label)
            if section:
                return f"Section {section}"
        if title and name != "prf:ref":
            return title
        kind = self.labels.get(label, ("", ""))[0]
        return _KIND_WORDS.get(kind) or _KIND_WORDS.get(label.split("-", 1)[0]) or "the section"

    def cite(self, name: str, content: str) -> str:
        keys = [key.strip() for key in content.split(",") if key.strip()]
        found = [self.bib.get(key, (key, "")) for key in keys]
        if name in ("cite:t", "cite:ts", "cite:ct", "cite:cts"):
            return "; ".join(f"{a} ({y})" if y else a for a, y in found)
        if name == "cite:author":
            return "; ".join(a for a, _ in found)
        if name == "cite:year":
            return "; ".join(y or a for a, y in found)
        return "(" + "; ".join(f"{a}, {y}" if y else a for a, y in found) + ")"

    def _number(self, label: str) -> str:
        if not (self.build and label):
            return ""
        docname, anchor, _ = self.build.labels.get(label, (self.docname, label, ""))
        found = self.build.number(docname, anchor) or self.build.number(self.docname, label)
        return found[1] if found else ""

    def _figtype(self, label: str) -> str:
        docname, anchor, _ = self.build.labels.get(label, (self.docname, label, ""))
        found = self.build.number(docname, anchor) or self.build.number(self.docname, label)
        return found[0] if found else ""

    def _section_number(self, label: str) -> str:
        if not self.build or label not in self.build.labels:
            return ""
        docname, anchor, _ = self.build.labels[label]
        numbers = self.build.secnumbers.get(docname, {})
        found = numbers.get(f"#{anchor}") or (numbers.get("") if anchor == label else None)
        return ".".join(map(str, found)) if found else ""

    def _doc_title(self, target: str) -> str:
        docname = (
            target.lstrip("/")
            if target.startswith("/")
            else str(pathlib.PurePosixPath(self.docname).parent / target)
        )
        docname = re.sub(r"\.(md|ipynb)$", "", docname)
        if self.build and docname in self.build.titles:
            return self.build.titles[docname]
        path = ROOT / f"{docname}.md"
        if path.is_file():
            heading = re.search(r"^# +(.+)$", path.read_text(encoding="utf-8"), re.M)
            if heading:
                return heading[1].strip()
        return pathlib.PurePosixPath(docname).name.replace("-", " ")


def to_markdown(text: str, resolver: Resolver | None = None) -> str:
    """Plain Markdown for one markdown cell of a chapter (see :class:`Resolver`; the fallbacks without one).

    >>> to_markdown("(sec-a)=\\n## A\\n\\nSee {term}`BN <batch normalization>` and {glue:text}`acc:.2f`.")
    '## A\\n\\nSee BN and [acc].'
    """
    return (resolver or Resolver()).markdown(text)


def resolver_for(
    src: pathlib.Path,
    root: pathlib.Path = ROOT,
    build: Build | None = None,
    build_dir: pathlib.Path | None = None,
) -> Resolver:
    """The :class:`Resolver` of the chapter `src`, with what `build` (and its folder) know."""
    docname = src.relative_to(root).with_suffix("").as_posix()
    folder = build_dir if build_dir is not None else build.folder if build else None
    return Resolver(
        docname=docname,
        build=build,
        glue=glue_outputs(folder, docname, src),
        bib=bibliography(root / "book" / "references.bib"),
        labels=source_labels(root),
        extensions=book_extensions(root),
    )


def readable_notebook(
    src: pathlib.Path, root: pathlib.Path = ROOT, build: Build | None = None, build_dir=None
):
    """The chapter `src` as a notebook whose markdown cells went through :func:`to_markdown`."""
    nb = jupytext.read(src)
    resolver = resolver_for(src, root, build, build_dir)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = resolver.markdown(cell.source)
            if not cell.source.strip():
                continue
        cells.append(cell)
    nb.cells = cells
    return nb


def convert(
    out: pathlib.Path = DEFAULT_OUT,
    root: pathlib.Path = ROOT,
    only: pathlib.Path | None = None,
    *,
    resolve: bool = True,
    build: pathlib.Path | None = DEFAULT_BUILD,
) -> list[pathlib.Path]:
    """Write every notebook chapter (or `only` that one) as `.ipynb` under `out`, mirroring its path.

    With `resolve` the markdown cells are made plain Markdown (:func:`readable_notebook`), with the numbers
    and values of the build in `build` when there is one; without, the chapters are written as jupytext
    reads them. The code cells are the chapter's either way. Writing them all also removes stale notebooks
    (of chapters no longer in the toc).
    """
    chapters = notebook_files(root)
    if only is not None:
        only = (root / only).resolve()
        if only not in chapters:
            raise SystemExit(f"{only} is not a notebook chapter listed in _toc.yml")
        chapters = [only]
    env = load_build(build) if resolve else None
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for src in chapters:
        dest = out / src.relative_to(root).with_suffix(".ipynb")
        dest.parent.mkdir(parents=True, exist_ok=True)
        nb = readable_notebook(src, root, env, build) if resolve else jupytext.read(src)
        jupytext.write(nb, dest, fmt="ipynb")
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
    parser.add_argument(
        "--resolve",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="MyST roles and directives as plain Markdown (default); --no-resolve: as jupytext reads them",
    )
    parser.add_argument(
        "--build",
        type=pathlib.Path,
        default=DEFAULT_BUILD,
        help="the book's build folder, for numbers and glued values (default: _build; stand-ins without one)",
    )
    args = parser.parse_args(argv)
    if args.list:
        paths = notebook_files()
    else:
        paths = convert(args.out.resolve(), only=args.only, resolve=args.resolve, build=args.build.resolve())
    for path in paths:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
