"""The offline site: MathJax served from the book's _static, nothing loaded from another host."""

import importlib.metadata
import re

import pytest
from sphinx.errors import ExtensionError

from dlnotes.drill import offline
from tests.helpers import sphinx_build

PAGE = """\
# Math

Inline $x^2$ and a macro of the book's, $\\argmin_x f(x)$.

$$
\\hat\\theta = \\argmax_\\theta \\, p(x \\mid \\theta)
$$

```python
def f():
    return "a line long enough to need wrapping on a narrow screen, and then some more words after it"
```
"""

MACROS = {"tex": {"macros": {"argmin": "\\operatorname*{arg\\,min}", "argmax": "\\operatorname*{arg\\,max}"}}}


def write(root, text=PAGE):
    (root / "index.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A one-page book with math, built with the extension and sphinx-thebe (as Jupyter Book loads it)."""
    root = tmp_path_factory.mktemp("offline")
    write(root)
    app, warnings = sphinx_build(
        root,
        extensions=["sphinx_thebe", "sphinx_togglebutton", "dlnotes.drill.offline"],
        myst_enable_extensions=["dollarmath"],
        mathjax3_config=MACROS,
    )
    out = root / "_build" / "html"
    return app, warnings, out, (out / "index.html").read_text(encoding="utf-8")


def test_builds_without_warnings(site):
    _, warnings, _, _ = site
    assert warnings == ""


def test_the_page_loads_mathjax_from_static_and_the_file_is_there(site):
    _, _, out, html = site
    scripts = re.findall(r'<script[^>]*\ssrc="([^"?]*mathjax[^"?]*)', html)
    assert scripts == ["_static/mathjax/tex-chtml.js"]
    assert (out / "_static" / "mathjax" / "tex-chtml.js").is_file()


def test_what_mathjax_loads_on_demand_is_copied(site):
    _, _, out, _ = site
    mathjax = out / "_static" / "mathjax"
    for name in (
        "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
        "output/chtml/fonts/woff-v2/MathJax_Math-Italic.woff",
        "input/tex/extensions/boldsymbol.js",  # \boldsymbol, through autoload
        "ui/menu.js",
        "a11y/explorer.js",
        "sre/mathmaps/en.json",
    ):
        assert (mathjax / name).is_file(), name
    # Not the whole distribution: no SVG output, no other combined components.
    assert not (mathjax / "tex-svg.js").exists()
    assert not (mathjax / "output" / "svg").exists()


def test_the_book_macros_are_configured_before_mathjax_loads(site):
    _, _, _, html = site
    config = html.index("window.MathJax")
    assert "argmin" in html[config : html.index("</script>", config)]
    assert config < html.index('src="_static/mathjax/tex-chtml.js')


def test_no_page_or_stylesheet_loads_from_another_host(site):
    _, _, out, _ = site
    for path in [*out.glob("*.html"), *(out / "_static").glob("*.css")]:
        assert offline.remote_assets(path.read_text(encoding="utf-8")) == [], path.name


def test_thebe_is_switched_off(site):
    _, _, out, html = site
    assert "THEBE_JS_URL" not in html
    assert "unpkg.com" not in html
    assert "thebe" not in html.lower()
    assert not (out / "_static" / "sphinx-thebe.js").exists()


def test_every_inline_script_is_written_once(site):
    _, _, _, html = site
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    assert any("togglebuttonSelector" in script for script in scripts)
    assert len(scripts) == len(set(scripts)), scripts


def test_long_code_lines_wrap(site):
    _, _, out, html = site
    assert f'href="_static/{offline.STYLESHEET_NAME}' in html
    css = (out / "_static" / offline.STYLESHEET_NAME).read_text(encoding="utf-8")
    assert re.search(r"div\.highlight pre,[^{]*\{[^}]*white-space: pre-wrap;", css)


def test_a_local_mathjax_path_is_kept(tmp_path):
    write(tmp_path, "# Math\n\n$x$\n")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "mine.js").write_text("// a MathJax of one's own\n", encoding="utf-8")
    app, warnings = sphinx_build(
        tmp_path,
        extensions=["dlnotes.drill.offline"],
        myst_enable_extensions=["dollarmath"],
        mathjax_path="mine.js",
        html_static_path=["_static"],
    )
    assert warnings == ""
    assert app.config.mathjax_path == "mine.js"
    html = (tmp_path / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script[^>]*\ssrc="_static/mine\.js[?"]', html)
    assert not (tmp_path / "_build" / "html" / "_static" / "mathjax").exists()


def test_copy_mathjax_copies_once(tmp_path):
    source = offline.mathjax_dir()
    names = offline.mathjax_files(source)
    assert "tex-chtml.js" in names
    assert offline.copy_mathjax(source, tmp_path) == len(names)
    assert offline.copy_mathjax(source, tmp_path) == 0  # a rebuild copies nothing
    (tmp_path / "tex-chtml.js").write_text("stale", encoding="utf-8")
    assert offline.copy_mathjax(source, tmp_path) == 1
    assert (tmp_path / "tex-chtml.js").read_bytes() == (source / "tex-chtml.js").read_bytes()


def test_mathjax_dir_names_the_missing_package(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    with pytest.raises(ExtensionError, match="sphinx-mathjax-offline"):
        offline.mathjax_dir()


def test_mathjax_files_needs_every_part(tmp_path):
    (tmp_path / "tex-chtml.js").write_text("", encoding="utf-8")
    with pytest.raises(ExtensionError, match="no file matching"):
        offline.mathjax_files(tmp_path)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<img src="https://example.org/a.png">', ["https://example.org/a.png"]),
        ("<iframe src='//example.org/embed'></iframe>", ["//example.org/embed"]),
        ('<link href="https://example.org/f.css" rel="stylesheet">', ["https://example.org/f.css"]),
        (
            '<link rel="preload" as="font" href="https://example.org/f.woff2">',
            ["https://example.org/f.woff2"],
        ),
        ('@font-face { src: url("https://example.org/f.woff2") }', ["https://example.org/f.woff2"]),
        ('@import "https://example.org/f.css";', ["https://example.org/f.css"]),
        ('<link rel="canonical" href="https://book.example/">', []),
        ('<a href="https://example.org/">a link</a> https://example.org/ in text', []),
        ('<script src="_static/doctools.js"></script><img src="_images/x.png">', []),
        (
            '<script src="https://a.example/x.js"></script><script src="https://a.example/x.js">',
            ["https://a.example/x.js"],
        ),
    ],
)
def test_remote_assets(html, expected):
    assert offline.remote_assets(html) == expected


def test_the_book_config_keeps_names_as_text_and_runs_nothing_in_the_browser():
    import pathlib

    import yaml

    config = yaml.safe_load((pathlib.Path(__file__).parents[2] / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["myst_linkify_fuzzy_links"] is False
    assert "dlnotes.drill.sphinxext" in config["sphinx"]["extra_extensions"]
    launch = config["launch_buttons"]
    assert launch["thebe"] is False
    assert not any(launch[key] for key in ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url"))


def test_the_drill_parser_keeps_file_names_as_text():
    from dlnotes.drill.questions import DEFAULT_EXTENSIONS, _parser

    html = _parser(DEFAULT_EXTENSIONS).render("See CONTRIBUTING.md and https://pytorch.org/.")
    assert "http://CONTRIBUTING.md" not in html
    assert '<a href="https://pytorch.org/">' in html
