"""The package's layout: one room per topic, small modules, reference code apart from the drill machinery."""

import ast
import importlib
import inspect
import pathlib
import pkgutil
import re

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


def test_the_map_in_contributing_points_at_real_files():
    """CONTRIBUTING.md's "Where things are" table names chapters, modules and tests that exist."""
    root = PACKAGE.parents[1]
    text = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("## Where things are", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) >= 20, "the map lost its rows"
    missing = []
    for row in rows:
        chapters, code, tests = (cell.strip() for cell in row.strip("|").split("|"))
        for folder, cell in (("book", chapters), ("src/dlnotes", code), ("tests", tests)):
            for name in re.findall(r"`([\w/.-]+\.(?:md|py))`", cell):
                if not (root / folder / name).exists():
                    missing.append(f"{folder}/{name}")
    assert not missing, f"CONTRIBUTING.md's map names files that do not exist: {missing}"


def _unannotated(fn):
    """The parameters of `fn` without an annotation, and ``"return"`` if its return has none."""
    sig = inspect.signature(fn)
    missing = [name for name, p in sig.parameters.items() if p.annotation is inspect.Parameter.empty]
    if sig.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def test_public_functions_have_type_hints():
    """Every function that a module lists in its ``__all__`` and defines itself is fully annotated."""
    missing = {}
    for info in pkgutil.walk_packages(dlnotes.__path__, "dlnotes."):
        if info.name.endswith("__main__"):  # importing it runs the command
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                params = _unannotated(obj)
                if params:
                    missing[f"{module.__name__}.{name}"] = params
    listing = "\n".join(f"{name}: {params}" for name, params in sorted(missing.items()))
    assert not missing, f"public functions without type hints on some parameters or the return:\n{listing}"
