"""The book's HTML works offline: MathJax is served from the book, and no page loads from another host.

Sphinx renders the equations with MathJax 3, loaded by default from a CDN; the book instead serves the copy
of MathJax 3 that the PyPI package ``sphinx-mathjax-offline`` ships (pinned in ``requirements.txt``; its
folder ``sphinx-mathjax-offline/static/mathjax`` is data, not an importable package, so
:func:`mathjax_dir` finds it through the distribution's metadata). On ``config-inited``,
:func:`use_local_mathjax` points ``mathjax_path`` at ``_static/mathjax/tex-chtml.js``
(where it named another host), and after a successful build :func:`copy_mathjax` copies what that script
loads into the output's ``_static/mathjax``: the script itself, the TeX extensions it loads on demand, its
CHTML fonts, its menu, and the accessibility modules with their speech rules. ``mathjax3_config`` (the
book's ``\\argmin`` and ``\\argmax`` macros) keeps working: Sphinx writes it into the page before the
script.

Two more things load from other hosts in a plain Jupyter Book and are switched off here:

- sphinx-thebe, which Jupyter Book always loads, declares ``const THEBE_JS_URL`` (an unpkg URL) on every
  page. The book never runs code in the browser (``launch_buttons`` are off in ``_config.yml``), so
  :func:`drop_thebe` disconnects the extension's event handlers and drops its stylesheet before it adds
  anything to a page.
- myst-nb would load require.js and the Jupyter widgets from CDNs on a page whose notebook kept widget
  state; ``nb_ipywidgets_js`` is emptied.

:func:`drop_duplicate_scripts` keeps Sphinx from writing an extension's inline script twice into a page.

The extension also adds a small stylesheet (:data:`STYLESHEET`): long lines in the ``{source}`` listings and
in code cells wrap instead of being cut off at the edge of the page.

:func:`remote_assets` lists what a page would load from another host (scripts, stylesheets, images, fonts,
frames), for the tests and for checking a built site.
"""

from __future__ import annotations

import importlib.metadata
import os
import pathlib
import re
import shutil
from typing import TYPE_CHECKING

from sphinx.errors import ExtensionError
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__all__ = [
    "MATHJAX_DIST",
    "MATHJAX_PATH",
    "MATHJAX_FILES",
    "STYLESHEET",
    "mathjax_dir",
    "mathjax_files",
    "copy_mathjax",
    "remote_assets",
    "use_local_mathjax",
    "drop_thebe",
    "drop_duplicate_scripts",
    "setup",
]

#: The PyPI distribution that ships MathJax 3 (``requirements.txt`` pins it).
MATHJAX_DIST = "sphinx-mathjax-offline"
#: Where MathJax lies inside that distribution.
_MATHJAX_IN_DIST = "sphinx-mathjax-offline/static/mathjax"
#: ``mathjax_path`` for the book: relative to the output's ``_static`` folder.
MATHJAX_PATH = "mathjax/tex-chtml.js"
#: What the page loads, relative to MathJax's folder: the combined component, and what it fetches from
#: its own folder on demand (TeX packages through ``autoload``/``\require``, fonts, the menu and what the
#: menu's accessibility options need).
MATHJAX_FILES = (
    "tex-chtml.js",
    "input/tex/extensions/**/*",
    "output/chtml/fonts/woff-v2/*",
    "ui/*",
    "a11y/*",
    "sre/**/*",
)
#: The stylesheet the extension adds to every page (``_static/dlnotes-offline.css``).
STYLESHEET_NAME = "dlnotes-offline.css"
STYLESHEET = """\
/* dlnotes.drill.offline: long lines in the {source} listings and in code cells wrap at the page's edge
   instead of being cut off (a break falls between words where it can, anywhere in a longer word). */
div.highlight pre,
div.cell_input pre,
div.cell_output pre,
div.output pre {
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
"""

_logger = logging.getLogger(__name__)

# A URL that leaves the site: a scheme with a host, or a protocol-relative one.
_REMOTE = r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^\"'\s)]+"
_LOADED = (
    # <script src>, <img src>, <iframe src>, <source src>, <audio/video src>, <embed src>.
    re.compile(
        rf"<(?:script|img|iframe|source|audio|video|embed|input|track)\b[^>]*?\ssrc\s*=\s*[\"']?({_REMOTE})"
    ),
    # <link href> for what a browser fetches (stylesheets, icons, preloads, manifests), not rel=canonical.
    re.compile(
        r"<link\b(?=[^>]*\srel\s*=\s*[\"']?[^\"'>]*(?:stylesheet|icon|preload|prefetch|modulepreload|manifest))"
        rf"[^>]*?\shref\s*=\s*[\"']?({_REMOTE})"
    ),
    # CSS in a page or a stylesheet: url(...) and @import "...".
    re.compile(rf"url\(\s*[\"']?({_REMOTE})"),
    re.compile(rf"@import\s+[\"']({_REMOTE})"),
    # <img srcset>, <object data>.
    re.compile(rf"\s(?:srcset|data)\s*=\s*[\"']?({_REMOTE})"),
)


def remote_assets(html: str) -> list[str]:
    """The URLs on another host that a page (or a stylesheet) makes the browser load, in order, once each.

    Scripts, images, frames and media by ``src``, stylesheets, icons and preloads by ``<link href>``, and
    ``url(...)``/``@import`` in CSS count; plain links (``<a href>``) and text do not.

    Parameters
    ----------
    html : str
        The text of an HTML page or a CSS file.

    Returns
    -------
    list of str
        The absolute (``https://...``) or protocol-relative (``//...``) URLs it loads.

    Examples
    --------
    >>> page = '''<script defer src="https://cdn.example.org/mathjax/tex-chtml.js"></script>
    ... <script src="_static/doctools.js"></script>
    ... <link rel="stylesheet" href="//fonts.example.com/css?family=Lato">
    ... <a href="https://pytorch.org/">PyTorch</a> <link rel="canonical" href="https://book.example/">'''
    >>> remote_assets(page)
    ['https://cdn.example.org/mathjax/tex-chtml.js', '//fonts.example.com/css?family=Lato']
    >>> remote_assets('<script src="_static/mathjax/tex-chtml.js"></script>')
    []
    """
    found: dict[tuple[int, str], None] = {}
    for pattern in _LOADED:
        for match in pattern.finditer(html):
            found[(match.start(1), match.group(1))] = None
    urls: list[str] = []
    for _, url in sorted(found):
        if url not in urls:
            urls.append(url)
    return urls


def mathjax_dir() -> pathlib.Path:
    """The folder of MathJax 3 inside the installed ``sphinx-mathjax-offline`` distribution.

    Raises
    ------
    sphinx.errors.ExtensionError
        If the distribution is not installed or does not hold ``tex-chtml.js`` where version 0.0.2 has it.
    """
    try:
        dist = importlib.metadata.distribution(MATHJAX_DIST)
    except importlib.metadata.PackageNotFoundError as err:
        raise ExtensionError(
            f"the book serves MathJax from the PyPI package {MATHJAX_DIST!r}, which is not installed: "
            "pip install -r requirements.txt"
        ) from err
    folder = pathlib.Path(str(dist.locate_file(_MATHJAX_IN_DIST)))
    if not (folder / "tex-chtml.js").is_file():
        raise ExtensionError(
            f"{MATHJAX_DIST} {dist.version} has no {_MATHJAX_IN_DIST}/tex-chtml.js (the book was made with "
            "0.0.2, pinned in requirements.txt)"
        )
    return folder


def mathjax_files(source: str | os.PathLike) -> list[str]:
    """The files of :data:`MATHJAX_FILES` under the MathJax folder `source`, as sorted relative POSIX paths.

    Raises
    ------
    sphinx.errors.ExtensionError
        If a pattern matches nothing (a MathJax release laid out differently).
    """
    root = pathlib.Path(source)
    files: set[str] = set()
    for pattern in MATHJAX_FILES:
        matched = {p.relative_to(root).as_posix() for p in root.glob(pattern) if p.is_file()}
        if not matched:
            raise ExtensionError(f"MathJax in {root} has no file matching {pattern!r}")
        files |= matched
    return sorted(files)


def copy_mathjax(source: str | os.PathLike, destination: str | os.PathLike) -> int:
    """Copy MathJax's :func:`mathjax_files` from `source` into `destination`; return how many were copied.

    A file already there with the same size and a modification time no older than the source's is left
    alone, so a rebuild copies nothing.
    """
    source, destination = pathlib.Path(source), pathlib.Path(destination)
    copied = 0
    for name in mathjax_files(source):
        src, dst = source / name, destination / name
        if dst.is_file():
            have, want = dst.stat(), src.stat()
            if have.st_size == want.st_size and have.st_mtime >= want.st_mtime:
                continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        copied += 1
    return copied


def _is_remote(path: str) -> bool:
    return "://" in path or path.startswith("//")


def use_local_mathjax(app: Sphinx, config: Config) -> None:
    """``config-inited``: load MathJax from ``_static`` unless it is local already; no widgets from CDNs.

    It runs before Sphinx compares the configuration with the saved environment's, so a rebuild does not
    find it changed.
    """
    if _is_remote(config.mathjax_path):
        config.mathjax_path = MATHJAX_PATH
    if "nb_ipywidgets_js" in config:  # myst-nb: require.js and the widgets' manager, from CDNs
        config.nb_ipywidgets_js = {}


def _write_assets(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: copy MathJax and write the stylesheet into the output's ``_static``."""
    if exception is not None or getattr(app.builder, "format", None) != "html":
        return
    static = pathlib.Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / STYLESHEET_NAME).write_text(STYLESHEET, encoding="utf-8")
    if app.config.mathjax_path == MATHJAX_PATH:
        copied = copy_mathjax(mathjax_dir(), static / "mathjax")
        _logger.info(f"MathJax served from _static/mathjax ({copied} files copied)")


def drop_thebe(app: Sphinx, config: Config) -> None:
    """``config-inited``: switch sphinx-thebe off (its handlers, its stylesheet); nothing if it is not loaded.

    Jupyter Book loads sphinx-thebe whatever ``_config.yml`` says; its handlers would put an unpkg URL and
    thebe's loader on every page.
    """
    if "sphinx_thebe" not in app.extensions:
        return
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").split(".")[0] == "sphinx_thebe":
                app.disconnect(listener.id)
    app.registry.css_files = [(name, attrs) for name, attrs in app.registry.css_files if "thebe" not in name]


def drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """``html-page-context``: list each script of a page once.

    Sphinx (7.4) adds an inline script that an extension registered after the builder started
    (``app.add_js_file(None, body=...)`` in ``env-before-read-docs``, as sphinx-togglebutton and
    sphinx-thebe do) a second time when it starts writing, under the file name ``""`` instead of ``None``;
    the page would then run it twice, and a ``const`` in it fails the second time ("Identifier ... has
    already been declared").
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        filename = getattr(script, "filename", script) or ""
        attributes = getattr(script, "attributes", {})
        key = (filename, *sorted((k, str(v)) for k, v in attributes.items() if k != "priority"))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app: Sphinx) -> dict:
    """Connect the handlers (called by :mod:`dlnotes.drill.sphinxext`, or by Sphinx on its own)."""
    from dlnotes import __version__

    app.setup_extension("sphinx.ext.mathjax")
    app.connect("config-inited", drop_thebe)
    app.connect("config-inited", use_local_mathjax)
    app.add_css_file(STYLESHEET_NAME)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)  # after those that add scripts
    app.connect("build-finished", _write_assets)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
