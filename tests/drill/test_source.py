"""The ``{source}`` directive: each object a chapter shows resolves, ``source_of`` cuts right, Sphinx renders.

The first test reads every chapter of ``_toc.yml`` and resolves each ``{source}`` with the very function the
directive uses, so a renamed or privatised function fails here in milliseconds instead of at the end of the
book build.
"""

import ast
import inspect
import pathlib
import re
import sys
import textwrap

import pytest

from dlnotes.drill.questions import toc_chapters
from dlnotes.drill.source import SourceDirective, SourceError, is_check, leading_checks, resolve, source_of
from tests.helpers import sphinx_build

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: A ``{source}`` fence (backticks or colons), its argument and its ``:option:`` lines.
SOURCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{source\}[ \t]*(?P<name>[^\n]*)\n(?P<options>(?:[ \t]*:[\w-]+:[^\n]*\n)*)"
    r"(?P<after>[^\n]*)",
    re.M,
)
OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$", re.M)


def _shown_objects():
    """(chapter, line, dotted name, {option: value}) of every ``{source}`` in the book, in reading order."""
    found = []
    for _, _, path in toc_chapters(ROOT):
        text = path.read_text(encoding="utf-8")
        for match in SOURCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            where = f"{path.relative_to(ROOT)}:{line}"
            assert match["after"].strip() != "---", f"{where}: give {{source}} options as :key: lines"
            options = {m["key"]: m["value"] for m in OPTION.finditer(match["options"])}
            found.append((where, match["name"].strip(), options))
    return found


SHOWN = _shown_objects()


def test_the_book_shows_code_with_source():
    assert len(SHOWN) >= 50, f"only {len(SHOWN)} {{source}} blocks found: is the pattern still right?"


def test_every_object_a_chapter_shows_resolves_and_is_public():
    """Each ``{source}`` of each chapter: it imports, is public, is named where it is defined, shows code."""
    problems = []
    for where, name, options in SHOWN:
        unknown = set(options) - set(SourceDirective.option_spec)
        if unknown:
            problems.append(f"{where}: unknown options {sorted(unknown)}")
            continue
        try:
            code, path = source_of(
                name, docstring="docstring" in options, hide_checks="hide-checks" in options
            )
            obj, module, _ = resolve(name)
        except SourceError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if not code.strip() or not path.is_file():
            problems.append(f"{where}: {name} shows nothing")
        defined_in = getattr(inspect.unwrap(obj), "__module__", None)
        if defined_in != module:
            problems.append(f"{where}: {name} is defined in {defined_in}; name it there")
        if any(part.startswith("_") for part in name.split(".")):
            problems.append(f"{where}: {name} is private")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------------------
# source_of on a module written for the tests.

DEMO = '''\
"""A module for the tests of dlnotes.drill.source."""

import functools


def _check_positive(x, name):
    if x <= 0:
        raise ValueError(f"{name} must be > 0, got {x}")
    return x


def decorate(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def scaled(x, factor=2.0):
    """Multiply `x` by `factor`.

    More words.
    """
    x = _check_positive(x, "x")
    if not isinstance(factor, float):
        raise TypeError(f"factor must be a float, got {type(factor).__name__}")
    for name, value in (("x", x), ("factor", factor)):
        if value is None:
            continue
        _check_positive(value, name)
    # y = factor · x
    y = factor * x
    return y


@decorate
def twice(x):
    """Twice `x`."""
    return 2 * x


def no_checks(x):
    """Nothing to check."""
    return x + 1


def only_checks(x):
    """Checks and nothing else."""
    _check_positive(x, "x")


def docstring_only():
    """Nothing but a docstring."""


def no_docstring(x):
    return x - 1


class Box:
    """A box."""

    def __init__(self, value):
        self.value = value

    def double(self):
        """Double the value."""
        return 2 * self.value


def _private(x):
    return x


CONSTANT = 3
'''

BROKEN = "import a_module_that_does_not_exist_anywhere\n\n\ndef f():\n    return 1\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The name of an importable module holding DEMO (and of one that fails to import), on sys.path."""
    folder = tmp_path_factory.mktemp("demo")
    (folder / "source_demo.py").write_text(DEMO, encoding="utf-8")
    (folder / "source_demo_broken.py").write_text(BROKEN, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(folder))
        yield folder
    for name in ("source_demo", "source_demo_broken"):
        sys.modules.pop(name, None)


def test_default_leaves_out_the_docstring(demo):
    code, path = source_of("source_demo.scaled")
    assert path == (demo / "source_demo.py").resolve()
    assert code.startswith('def scaled(x, factor=2.0):\n    x = _check_positive(x, "x")\n')
    assert "Multiply" not in code and "More words" not in code
    assert code.endswith("    return y\n")


def test_docstring_keeps_the_whole_source(demo):
    code, _ = source_of("source_demo.scaled", docstring=True)
    import source_demo

    assert code == inspect.getsource(source_demo.scaled)


def test_hide_checks_leaves_out_the_leading_checks(demo):
    code, _ = source_of("source_demo.scaled", hide_checks=True)
    assert code == "def scaled(x, factor=2.0):\n    # y = factor · x\n    y = factor * x\n    return y\n"
    with_docstring, _ = source_of("source_demo.scaled", hide_checks=True, docstring=True)
    assert with_docstring.startswith('def scaled(x, factor=2.0):\n    """Multiply `x` by `factor`.')
    assert with_docstring.endswith('    """\n    # y = factor · x\n    y = factor * x\n    return y\n')


def test_decorated_functions_show_the_function_with_its_decorator(demo):
    code, _ = source_of("source_demo.twice")
    assert code == "@decorate\ndef twice(x):\n    return 2 * x\n"
    real, path = source_of("dlnotes.optim.clip.clip_grad_norm_")  # @torch.no_grad()
    assert real.startswith("@torch.no_grad()\ndef clip_grad_norm_(")
    assert path.name == "clip.py" and '"""' not in real


def test_methods_and_classes(demo):
    assert source_of("source_demo.Box.double")[0] == "def double(self):\n    return 2 * self.value\n"
    assert source_of("source_demo.Box.__init__")[0].startswith("def __init__(self, value):")
    code, _ = source_of("source_demo.Box")
    assert code.startswith("class Box:\n    def __init__") and "A box." not in code
    with pytest.raises(SourceError, match="is a class: :hide-checks: applies to functions only"):
        source_of("source_demo.Box", hide_checks=True)


def test_a_function_without_docstring_is_shown_whole(demo):
    assert source_of("source_demo.no_docstring")[0] == "def no_docstring(x):\n    return x - 1\n"


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("source_demo.nope", {}, "'source_demo' has no attribute 'nope'"),
        ("source_demo.Box.nope", {}, "'source_demo.Box' has no attribute 'nope'"),
        ("no_such_package_here.f", {}, "no module 'no_such_package_here'"),
        ("source_demo._private", {}, r"names a private object \('_private'\)"),
        ("dlnotes.optim.functional._adam_update", {}, "private"),
        ("scaled", {}, "expected the dotted name"),
        ("source_demo.scaled x", {}, "expected the dotted name"),
        ("source_demo.CONSTANT", {}, "is a int, not a function or class"),
        ("source_demo.no_checks", {"hide_checks": True}, "starts with no input checks"),
        ("source_demo.only_checks", {"hide_checks": True}, "nothing left to show without its docstring and"),
        ("source_demo.docstring_only", {}, "nothing left to show without its docstring"),
    ],
)
def test_names_that_cannot_be_shown_raise(demo, name, options, message):
    with pytest.raises(SourceError, match=message):
        source_of(name, **options)


def test_a_module_that_fails_to_import_is_not_a_missing_name(demo):
    with pytest.raises(ModuleNotFoundError, match="a_module_that_does_not_exist_anywhere"):
        source_of("source_demo_broken.f")


def test_a_name_must_be_a_string():
    with pytest.raises(TypeError, match="must be a str, got int"):
        source_of(3)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("step = _check_int(step, 'step', minimum=0)", True),
        ("check_tensor(x)", True),
        ("base_lr, eta_min = _check_real(a, 'a'), _check_real(b, 'b')", True),
        ("x = _validation.check_float(x, 'x')", True),
        ("if gamma <= 0:\n    raise ValueError(gamma)", True),
        ("if a:\n    if b:\n        raise ValueError\n    raise TypeError", True),
        ("if w is not None:\n    check_float(w, 'w')", True),
        ("for t in ts:\n    if t is None:\n        continue\n    _check_per_channel(t)", True),
        (
            "try:\n    torch.broadcast_shapes(a, b)\nexcept RuntimeError:\n    raise ValueError from None",
            True,
        ),
        ("assert x > 0", True),
        ("y = x + 1", False),
        ("x = check(x) + 1", False),
        ("x = checked(x)", False),
        ("if x:\n    y = 2", False),
        ("if x:\n    raise ValueError\nelse:\n    y = 2", False),
        ("if not training:\n    return x", False),
        ("try:\n    y = f(x)\nexcept E:\n    raise ValueError", False),
        ("for t in ts:\n    t.add_(1)", False),
    ],
)
def test_is_check(statement, expected):
    assert is_check(ast.parse(statement).body[0]) is expected


def test_leading_checks_stop_at_the_first_other_statement():
    body = ast.parse(
        textwrap.dedent(
            """\
            check_tensor(x)
            n = x.shape[0]
            if n == 0:
                raise ValueError(n)
            """
        )
    ).body
    assert leading_checks(body) == 1


# ---------------------------------------------------------------------------------------------------------
# The directive in a tiny Sphinx project.

PAGE = """\
# Demo

```{source} source_demo.scaled
:hide-checks:
:name: code-scaled
```

```{source} source_demo.twice
:docstring:
:caption: "A *custom* caption for `twice`"
```

See {ref}`code-scaled`.
"""

BROKEN_PAGE = """\
# Broken

```{source} source_demo._private
```

```{source} source_demo.nope
```

```{source} source_demo_broken.f
```
"""


def _build(root, page):
    (root / "index.md").write_text(page, encoding="utf-8")
    app, warnings = sphinx_build(
        root, extensions=["dlnotes.drill.sphinxext"], exclude_patterns=["_build", "*.py"]
    )
    html = (root / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    return app, warnings, html


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def project(tmp_path, demo):
    """A Sphinx project whose root holds the demo module, so that captions show its path from the root."""
    (tmp_path / "source_demo.py").write_text(DEMO, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(tmp_path))
        sys.modules.pop("source_demo", None)
        yield tmp_path
    sys.modules.pop("source_demo", None)


def test_the_directive_renders_a_captioned_python_block(project):
    app, warnings, html = _build(project, PAGE)
    assert warnings == ""
    blocks = re.findall(
        r'<div class="literal-block-wrapper docutils container" id="([\w-]+)">(.*?)</pre>', html, re.S
    )
    assert len(blocks) == 2
    (first_id, first), (_, second) = blocks
    assert first_id == "code-scaled"
    assert 'class="highlight-python notranslate"' in first and "linenos" not in first
    assert "scaled in source_demo.py" in _text(first.split("</div>", 1)[0])  # the default caption
    assert "factor" in _text(first) and "_check_positive" not in first and "Multiply" not in first
    caption = _text(second.split('<div class="highlight', 1)[0])
    assert "A custom caption for twice" in caption and "<em>custom</em>" in second
    assert "Twice" in _text(second)  # :docstring: kept it
    assert 'href="#code-scaled"' in html
    # Editing the file shown rebuilds the page.
    assert str((project / "source_demo.py").resolve()) in app.env.dependencies["index"]


def test_a_name_that_does_not_resolve_is_a_warning_with_its_line(project):
    _, warnings, html = _build(project, BROKEN_PAGE)
    assert re.search(r"index\.md:3: WARNING: \{source\} 'source_demo\._private' names a private", warnings)
    assert re.search(r"index\.md:6: WARNING: \{source\} 'source_demo\.nope' does not resolve", warnings)
    assert re.search(r"index\.md:9: WARNING: \{source\} No module named 'a_module_that_does_not", warnings)
    assert "literal-block-wrapper" not in html
