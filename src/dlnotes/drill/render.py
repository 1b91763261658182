"""What an answer's math, cross-references and citations read as outside the book (quiz and Anki deck).

- :func:`math_text` turns LaTeX into readable Unicode with ``pylatexenc`` (``\\frac{a}{b} \\le x^2`` gives
  ``a/b ≤ x²``);
- :func:`book_references` reads what Sphinx would print for each label from the last HTML build
  (``_build/html``: a figure's ``Fig. 3.2`` and caption, a section's number and title, an equation's
  ``(3.1)``) and the citations of ``book/references.bib`` (with ``pybtex``) as ``Author (year)``;
- :func:`reference_text` and :func:`citation_text` give the text of a ``{numref}``, ``{ref}``, ``{eq}`` or
  ``{cite}`` role from them; without a build a reference reads ``the figure 'lloyd steps'``, never a raw id.
"""

from __future__ import annotations

import functools
import html.parser
import os
import pathlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["References", "bibliography", "book_references", "citation_text", "math_text", "reference_text"]

_SUPERSCRIPTS = dict(zip("0123456789+-=()nijkTt", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗ"))
_SUBSCRIPTS = dict(zip("0123456789+-=()aeijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
#: ``^2``, ``_i``, ``^{2n}``, ``_{t-1}``: a script that Unicode can write with small characters.
_SCRIPT = re.compile(r"([\^_])(?:\{\s*([\w+\-=() ]+?)\s*\}|([0-9a-zA-Z]))")


def _scripts(latex: str) -> str:
    def small(match: re.Match) -> str:
        table = _SUPERSCRIPTS if match[1] == "^" else _SUBSCRIPTS
        text = (match[2] or match[3]).replace(" ", "")
        if not all(c in table for c in text):
            return match[0]
        return "{}" + "".join(table[c] for c in text)  # {}: not part of a macro's name (\\sum_i)

    return _SCRIPT.sub(small, re.sub(r"\^\{?\\top\}?", "{}ᵀ", latex))


@functools.lru_cache(maxsize=1)
def _latex_converter():
    try:
        from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
    except ImportError as err:
        raise RuntimeError("showing math needs pylatexenc: pip install 'dlnotes[drill]'") from err
    db = get_default_latex_context_db()
    extra = {"|": "‖", "lVert": "‖", "rVert": "‖", "lvert": "|", "rvert": "|", "ell": "ℓ"}
    extra |= {"mid": " | ", "odot": "⊙", "propto": "∝", "coloneqq": "≔", "quad": "  ", "qquad": "    "}
    macros = [MacroTextSpec(name, simplify_repl=text) for name, text in extra.items()]
    db.add_context_category("dlnotes", macros=macros, prepend=True)
    return LatexNodes2Text(math_mode="text", latex_context=db, strict_latex_spaces="based-on-source")


@functools.lru_cache(maxsize=4096)
def math_text(latex: str) -> str:
    """LaTeX math as readable Unicode, for a terminal (``pylatexenc``, small digits for simple scripts).

    Examples
    --------
    >>> math_text(r"\\frac{a}{b} \\le x^2 + \\sum_i \\theta_{t-1}")
    'a/b ≤ x² + ∑ᵢ θₜ₋₁'
    >>> math_text(r"\\|g\\|_2 \\cdot \\mathbf{W}^\\top")
    '‖g‖₂ · 𝐖ᵀ'
    """
    text = _latex_converter().latex_to_text(_scripts(latex.strip()))
    text = re.sub(r"[ \t]*([≤≥≠≈≡←→⇒⇔↦∝±×·∈∉⊂⊆])[ \t]*", r" \1 ", text)  # relations: a space each side
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------- the last HTML build


@dataclass(frozen=True)
class References:
    """What the book's last build calls each label, and its citations.

    Attributes
    ----------
    targets : mapping of str to (str, str)
        Label -> (number as Sphinx prints it, e.g. ``"Fig. 3.2"``, ``"(3.1)"``, ``"3.1"``; title or caption).
    citations : mapping of str to str
        Bibliography key -> ``"Author (year)"``.
    """

    targets: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    citations: Mapping[str, str] = field(default_factory=dict)


class _Targets(html.parser.HTMLParser):
    """Collect, for each ``id`` of a built page, the number and title of the element it names."""

    _VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.found: dict[str, tuple[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._VOID:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        node = {"tag": tag, "ids": [], "classes": classes, "number": "", "title": "", "into": None}
        ident = attributes.get("id")
        if ident and tag == "span" and self.stack:  # <span id="label"></span>: a further id of its parent
            self.stack[-1]["ids"].append(ident)
        elif ident:
            node["ids"].append(ident.removeprefix("equation-"))
        owner = next((n for n in reversed(self.stack) if n["ids"] or n["tag"] == "section"), None)
        if owner is not None and not owner.get("done"):
            if not owner["number"] and {"caption-number", "eqno", "section-number"} & set(classes):
                node["into"] = (owner, "number")
            elif (owner["tag"] == "section" and re.fullmatch(r"h[1-6]", tag)) or (
                owner["tag"] != "section" and ("caption-text" in classes or tag == "caption")
            ):
                node["into"] = (owner, "title")
        self.stack.append(node)

    def handle_data(self, data: str) -> None:
        if any("headerlink" in node["classes"] for node in self.stack):  # the "#" or "¶" after a title
            return
        for node in reversed(self.stack):
            if node["into"] is not None:
                owner, key = node["into"]
                owner[key] += data
                return

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID or not any(n["tag"] == tag for n in self.stack):
            return
        while self.stack:
            node = self.stack.pop()
            if node["into"] is not None and node["into"][1] == "title":
                node["into"][0]["done"] = True  # the title is complete
            for ident in node["ids"]:
                number = " ".join(node["number"].replace("¶", "").split()).rstrip(".")
                title = " ".join(node["title"].replace("¶", "").split())
                if number or title:
                    self.found.setdefault(ident, (number, title))
            if node["tag"] == tag:
                return


def _html_targets(folder: pathlib.Path) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for page in sorted(folder.rglob("*.html")):
        if "_static" in page.parts or "_sources" in page.parts:
            continue
        parser = _Targets()
        try:
            parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        except (OSError, AssertionError):
            continue
        for label, value in parser.found.items():
            found.setdefault(label, value)
    return found


def _person(person) -> str:
    return math_text(" ".join(person.prelast_names + person.last_names)).replace("{", "").replace("}", "")


def bibliography(path: str | os.PathLike) -> dict[str, tuple[str, str]]:
    """Read a BibTeX file as ``key -> (authors, year)``, authors as ``He``, ``He and Sun`` or ``He et al.``.

    The one reader of ``book/references.bib`` outside Sphinx: the quiz, the Anki deck and the notebook export
    (``tools/notebooks.py``) all cite through it. Names keep their particles (``van der Maaten``) and their
    accents (LaTeX ``{\\"o}`` reads ``ö``); an entry without authors is named by its title. A file that is
    missing or that pybtex cannot read gives ``{}`` (citations then keep their keys).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".bib", delete=False) as f:
    ...     _ = f.write("@article{a1, author={He, Kaiming and Sun, Jian}, title={T}, year={2016}}")
    >>> bibliography(f.name)
    {'a1': ('He and Sun', '2016')}
    """
    path = pathlib.Path(path)
    return dict(_bibliography(str(path), _stamp(path)))


@functools.lru_cache(maxsize=4)
def _bibliography(path: str, stamp: float) -> tuple[tuple[str, tuple[str, str]], ...]:
    if not stamp:
        return ()
    try:
        from pybtex.database import parse_file

        entries = parse_file(path, bib_format="bibtex").entries
    except Exception:  # a bibliography pybtex cannot read: citations keep their keys
        return ()
    found = []
    for key, entry in entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_person(p) for p in people]
        if not names:
            authors = re.sub(r"[{}]", "", entry.fields.get("title", key))
        elif len(names) <= 2:
            authors = " and ".join(names)
        else:
            authors = f"{names[0]} et al."
        found.append((key, (authors, entry.fields.get("year", "n.d."))))
    return tuple(found)


@functools.lru_cache(maxsize=4)
def _load(root: str, html_stamp: float, bib_stamp: float) -> References:
    base = pathlib.Path(root)
    html_dir = base / "_build" / "html"
    targets = _html_targets(html_dir) if html_stamp else {}
    bib = bibliography(base / "book" / "references.bib") if bib_stamp else {}
    return References(targets, {key: f"{authors} ({year})" for key, (authors, year) in bib.items()})


def _stamp(path: pathlib.Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def book_references(root: str | os.PathLike) -> References:
    """The numbers and titles of the book's last HTML build and the citations of ``book/references.bib``.

    Either part is empty when its file is missing (no build yet: references read as their labels).
    """
    base = pathlib.Path(root).resolve()
    index = base / "_build" / "html" / "index.html"
    html_dir = base / "_build" / "html"
    stamp = max(_stamp(index), _stamp(html_dir)) if html_dir.is_dir() else 0.0
    return _load(str(base), stamp, _stamp(base / "book" / "references.bib"))


# ---------------------------------------------------------------------------------- the role's text

#: What a label with this prefix names, when the build does not say.
_KINDS = {
    "fig": "figure",
    "tbl": "table",
    "table": "table",
    "code": "listing",
    "eq": "equation",
    "sec": "section",
    "chapter": "chapter",
    "q": "question",
    "def": "definition",
    "thm": "theorem",
}


def _readable(label: str, default: str = "section") -> str:
    """``fig-lloyd-steps`` -> ``the figure 'lloyd steps'``."""
    prefix, _, rest = label.partition("-")
    if prefix in _KINDS and rest:
        return f"the {_KINDS[prefix]} '{rest.replace('-', ' ')}'"
    return f"the {default} '{label.replace('-', ' ')}'"


def _short(title: str, limit: int = 60) -> str:
    r"""The first sentence of a title, its math as text (``\(g = 1\)`` -> ``g = 1``), cut at `limit`.

    >>> _short(r"Adam under a constant gradient \(g = 1\). Then more.")
    'Adam under a constant gradient g = 1'
    """
    title = re.sub(r"\\\((.+?)\\\)", lambda m: math_text(m[1]), title)
    title = re.split(r"(?<=[.:;])\s", title, maxsplit=1)[0].rstrip(".:;")
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def reference_text(name: str, content: str, refs: References | None = None) -> str:
    """The text of a ``{numref}``, ``{ref}`` or ``{eq}`` role: by number and title from the last build.

    Examples
    --------
    >>> refs = References({"fig-a": ("Fig. 3.2", "Lloyd's two steps. Then more."), "eq-b": ("(3.1)", "")})
    >>> reference_text("numref", "fig-a", refs), reference_text("eq", "eq-b", refs)
    ("Fig. 3.2 “Lloyd's two steps”", '(3.1)')
    >>> reference_text("numref", "See %s <fig-a>", refs), reference_text("ref", "fig-a", refs)
    ('See 3.2', "Lloyd's two steps")
    >>> reference_text("numref", "fig-lloyd-steps"), reference_text("eq", "eq-x")
    ("the figure 'lloyd steps'", "the equation 'x'")
    """
    targets = (refs or References()).targets
    explicit = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", content)
    label = (explicit[2] if explicit else content).strip()
    number, title = targets.get(label, ("", ""))
    bare = number.split()[-1] if number else ""  # "Fig. 3.2" -> "3.2" for an explicit "%s"
    if explicit and name == "numref":
        text = explicit[1]
        if number:
            return text.replace("%s", bare).replace("{number}", bare).replace("{name}", _short(title))
        word = f"'{(label.partition('-')[2] or label).replace('-', ' ')}'"
        return text.replace("%s", word).replace("{number}", word).replace("{name}", word)
    if explicit:
        return explicit[1]
    if name == "eq":
        return number if number else _readable(label, "equation")
    if name == "numref" and number:
        return f"{number} “{_short(title)}”" if title else number
    if name == "ref" and title:
        return _short(title, 80)
    return _readable(label)


def citation_text(name: str, content: str, refs: References | None = None) -> str:
    """The text of a ``{cite}`` role: ``Author (year)`` for each key (``; `` between them).

    Examples
    --------
    >>> refs = References(citations={"he2016": "He et al. (2016)"})
    >>> citation_text("cite", "he2016,wu2018", refs)
    'He et al. (2016); wu2018'
    """
    citations = (refs or References()).citations
    keys = [key.strip() for key in content.split(",") if key.strip()]
    return "; ".join(citations.get(key, key) for key in keys)
