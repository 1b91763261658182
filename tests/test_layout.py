"""The package's layout: one room per topic, small modules, reference code apart from the drill machinery."""

import ast
import pathlib

import pytest

import dlnotes

PACKAGE = pathlib.Path(dlnotes.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 800
# Book and drill machinery: everything else in the package is a reference implementation (or a shim).
MACHINERY = ("drill", "cli.py", "__main__.py")


def _rel(path):
    return str(path.relative_to(PACKAGE))


def _is_machinery(path):
    return _rel(path).split("/")[0] in MACHINERY


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_no_module_is_over_the_limit(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_rel(path)} has {lines} lines; split it by topic (limit {MAX_LINES})"


@pytest.mark.parametrize("path", [p for p in MODULES if not _is_machinery(p)], ids=_rel)
def test_reference_code_does_not_import_the_drill(path):
    drill = [m for m in _imports(path) if m == "dlnotes.drill" or m.startswith("dlnotes.drill.")]
    shim = path.parent == PACKAGE and path.stem in ("questions", "quiz", "anki", "sphinxext")
    assert shim or not drill, f"{_rel(path)} imports {drill}: reference code must not need the drill"


def test_the_drill_holds_the_machinery():
    drill = {p.stem for p in (PACKAGE / "drill").glob("*.py")}
    assert {"questions", "quiz", "anki", "sphinxext"} <= drill
