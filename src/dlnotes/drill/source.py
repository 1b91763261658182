r"""The ``{source}`` directive: show a function or class of the package by its import name.

A chapter shows the code it explains with

````md
```{source} dlnotes.optim.schedules.warmup_cosine
:hide-checks:
:caption: "`warmup_cosine` in `src/dlnotes/optim/schedules.py`, without its input checks"
```
````

The argument is the dotted name of a public object; the directive imports it and shows its source
(decorators, signature and body) as a Python literal block, like ``literalinclude`` with ``:pyobject:``, but
found by import and cut by the syntax tree instead of by text anchors:

``:docstring:`` (flag)
    Keep the docstring; by default it is left out (the API reference shows it).
``:hide-checks:`` (flag)
    Leave out the leading input checks too: the statements at the start of the body that call a
    ``check_*``/``_check_*`` function (alone or to assign its result), the ``if ...: raise ...`` blocks and
    loops over such checks, in any order (see :func:`is_check`). It is an error if the body starts with none.
``:caption:`` (text)
    The caption, parsed like the page (MyST Markdown in the book). Default: "``name`` in
    ``src/dlnotes/<path>.py``", the path of the file that defines the object, relative to the book's root.
``:name:`` (text)
    A label for ``{ref}``/``{numref}``.

A name that does not resolve, names a private object (a component starting with ``_``, dunder methods
excepted) or leaves nothing to show is a warning naming the chapter and line (an error under ``-W``). The
file shown becomes a dependency of the page, so editing it rebuilds the page. :func:`source_of` does the
work without Sphinx, so tests can resolve every ``{source}`` of the book in milliseconds.

Load it with ``sphinx: extra_extensions: [dlnotes.drill.sphinxext]`` (which sets it up) or on its own as
``dlnotes.drill.source``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import re
import textwrap
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import container_wrapper
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = [
    "SourceDirective",
    "SourceError",
    "is_check",
    "leading_checks",
    "resolve",
    "setup",
    "source_of",
]

logger = logging.getLogger(__name__)

#: A check function's name: ``check``, ``check_int``, ``_check``, ``_check_conv`` ...
_CHECK_NAME = re.compile(r"^_?check(_\w*)?$")


class SourceError(ValueError):
    """A ``{source}`` name that cannot be shown: it does not import, is private, or leaves nothing to show."""


def _is_private(component: str) -> bool:
    return component.startswith("_") and not (component.startswith("__") and component.endswith("__"))


def resolve(dotted_name: str) -> tuple[object, str, str]:
    """Import the object named `dotted_name`; return it with its module's name and its qualified name.

    The longest prefix of `dotted_name` that imports as a module is the module; the rest is looked up with
    ``getattr``, so methods (``dlnotes.optim.optimizers.Adam.step``) resolve too.

    Parameters
    ----------
    dotted_name : str
        Dotted path of a public function or class, e.g. ``"dlnotes.optim.functional.adam_update"``.

    Returns
    -------
    obj : object
        The object, as the module holds it (decorators not unwrapped).
    module : str
        The name of the module it was found in, e.g. ``"dlnotes.optim.functional"``.
    qualname : str
        The rest of the name, e.g. ``"adam_update"`` or ``"Adam.step"``.

    Raises
    ------
    TypeError
        If `dotted_name` is not a string.
    SourceError
        If it is not a dotted name, names a private component, or does not resolve.

    Examples
    --------
    >>> obj, module, qualname = resolve("dlnotes.optim.functional.adam_update")
    >>> obj.__name__, module, qualname
    ('adam_update', 'dlnotes.optim.functional', 'adam_update')
    >>> resolve("dlnotes.optim.functional._adam_update")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dlnotes.drill.source.SourceError: 'dlnotes.optim.functional._adam_update' names a private object ...
    """
    if not isinstance(dotted_name, str):
        raise TypeError(f"the name must be a str, got {type(dotted_name).__name__}")
    parts = dotted_name.split(".")
    if len(parts) < 2 or not all(part.isidentifier() for part in parts):
        raise SourceError(
            f"expected the dotted name of an object in a module, such as "
            f"'dlnotes.optim.functional.adam_update', got {dotted_name!r}"
        )
    private = [part for part in parts if _is_private(part)]
    if private:
        raise SourceError(
            f"{dotted_name!r} names a private object ({', '.join(repr(p) for p in private)}): the book shows "
            "public API only; make the function public (and document it) or show its public caller"
        )
    module = None
    for end in range(len(parts) - 1, 0, -1):
        name = ".".join(parts[:end])
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # Only "this module does not exist" means: try a shorter prefix. A module that exists but fails
            # to import one of its own dependencies is a real error.
            if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
                raise
            continue
        break
    if module is None:
        raise SourceError(f"{dotted_name!r}: no module {parts[0]!r} to import")
    obj = module
    for i in range(end, len(parts)):
        try:
            obj = getattr(obj, parts[i])
        except AttributeError:
            where = ".".join(parts[:i])
            raise SourceError(
                f"{dotted_name!r} does not resolve: {where!r} has no attribute {parts[i]!r}"
            ) from None
    return obj, name, ".".join(parts[end:])


def is_check(statement: ast.stmt) -> bool:
    """Whether `statement` is an input check, decided from its syntax alone.

    A check is one of:

    - a call to a check function, ``check_x(...)`` or ``_check_x(...)`` (also as an attribute,
      ``_validation.check_x(...)``), alone or assigned (``x = _check_x(x)``, ``a, b = _check(a), _check(b)``);
    - ``raise`` and ``assert``;
    - ``if ...:`` whose branches hold checks only (``if bad: raise ...``, ``if x is not None: check(x)``);
    - ``for ...:`` whose body holds checks only (``continue`` and ``if ...: continue`` allowed);
    - ``try:`` that only evaluates expressions, whose handlers hold checks only (``except E: raise ...``).

    Examples
    --------
    >>> import ast
    >>> [is_check(s) for s in ast.parse(
    ...     "step = _check_int(step, 'step')\\n"
    ...     "if gamma <= 0:\\n    raise ValueError(gamma)\\n"
    ...     "check_tensor(x)\\n"
    ...     "y = x + 1\\n"
    ...     "if x:\\n    y = 2\\n"
    ... ).body]
    [True, True, True, False, False]
    """
    if isinstance(statement, ast.Raise | ast.Assert):
        return True
    if isinstance(statement, ast.Expr):
        return _is_check_call(statement.value)
    if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
        value = statement.value
        if isinstance(value, ast.Tuple):
            return bool(value.elts) and all(_is_check_call(v) for v in value.elts)
        return _is_check_call(value)
    if isinstance(statement, ast.If):
        return _all_checks(statement.body) and (not statement.orelse or _all_checks(statement.orelse))
    if isinstance(statement, ast.For):
        return not statement.orelse and all(
            is_check(s) or isinstance(s, ast.Continue) or _is_skip(s) for s in statement.body
        )
    if isinstance(statement, ast.Try):
        return (
            not statement.orelse
            and not statement.finalbody
            and all(isinstance(s, ast.Expr) for s in statement.body)
            and all(_all_checks(handler.body) for handler in statement.handlers)
        )
    return False


def _all_checks(block: list[ast.stmt]) -> bool:
    return bool(block) and all(is_check(s) for s in block)


def _is_check_call(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return bool(_CHECK_NAME.match(name))


def _is_skip(statement: ast.stmt) -> bool:
    """``if ...: continue`` inside a checking loop."""
    return (
        isinstance(statement, ast.If)
        and not statement.orelse
        and all(isinstance(s, ast.Continue) for s in statement.body)
    )


def leading_checks(body: list[ast.stmt]) -> int:
    """Return how many statements at the start of `body` are input checks (see :func:`is_check`).

    Examples
    --------
    >>> import ast
    >>> body = ast.parse("x = _check_int(x, 'x')\\nif x > 9:\\n    raise ValueError(x)\\nreturn x\\n").body
    >>> leading_checks(body)
    2
    """
    n = 0
    while n < len(body) and is_check(body[n]):
        n += 1
    return n


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def source_of(
    dotted_name: str, *, docstring: bool = False, hide_checks: bool = False
) -> tuple[str, pathlib.Path]:
    """Return the source of a public function or class, as ``{source}`` shows it, and the file it is in.

    The code is the object's decorators, signature and body, dedented, with the docstring left out unless
    `docstring`, and with the leading input checks (:func:`leading_checks`) left out if `hide_checks`.
    Decorated functions (``@torch.no_grad()``) are unwrapped with :func:`inspect.unwrap`.

    Parameters
    ----------
    dotted_name : str
        Dotted path of the object, e.g. ``"dlnotes.optim.functional.adam_update"`` (see :func:`resolve`).
    docstring : bool, default False
        Keep the docstring.
    hide_checks : bool, default False
        Leave out the input checks at the start of the body (after the docstring). Functions only.

    Returns
    -------
    code : str
        The code to show, ending in a newline.
    path : pathlib.Path
        The absolute path of the file that defines the object.

    Raises
    ------
    TypeError
        If `dotted_name` is not a string.
    SourceError
        If the name does not resolve or is private (:func:`resolve`); if the object is not a function or a
        class or its source is not available; if `hide_checks` is given for a class, or for a function whose
        body starts with no input check; if nothing is left to show.

    Examples
    --------
    >>> code, path = source_of("dlnotes.optim.schedules.step_lr", hide_checks=True)
    >>> print(code)
    def step_lr(step: int, *, base_lr: float, step_size: int, gamma: float = 0.1) -> float:
        # η_t = η_0 γ^⌊t/s⌋
        return base_lr * gamma ** (step // step_size)
    <BLANKLINE>
    >>> path.relative_to(path.parents[2]).as_posix()
    'dlnotes/optim/schedules.py'
    """
    obj, _, _ = resolve(dotted_name)
    target = inspect.unwrap(obj)
    if not (inspect.isfunction(target) or inspect.isclass(target)):
        raise SourceError(
            f"{dotted_name!r} is a {type(target).__name__}, not a function or class: nothing to show"
        )
    try:
        path = pathlib.Path(inspect.getsourcefile(target) or "")
        lines, _ = inspect.getsourcelines(target)
    except (OSError, TypeError) as exc:
        raise SourceError(f"{dotted_name!r}: its source is not available ({exc})") from None
    source = textwrap.dedent("".join(lines))
    lines = source.splitlines()
    tree = ast.parse(source)
    node = tree.body[0]
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        raise SourceError(f"{dotted_name!r}: its source does not start with a def or class")
    body = node.body
    doc = 1 if _is_docstring(body[0]) else 0
    checks = 0
    if hide_checks:
        if isinstance(node, ast.ClassDef):
            raise SourceError(f"{dotted_name!r} is a class: :hide-checks: applies to functions only")
        checks = leading_checks(body[doc:])
        if checks == 0:
            raise SourceError(
                f"{dotted_name!r} starts with no input checks (calls to check_*/_check_* functions, "
                "`if ...: raise` blocks): drop :hide-checks:"
            )
    keep_doc = bool(doc) and docstring
    if not checks and (keep_doc or not doc):
        return source.rstrip("\n") + "\n", path.resolve()
    if doc + checks == len(body):
        left_out = "input checks" if keep_doc else "docstring and input checks" if checks else "docstring"
        raise SourceError(f"{dotted_name!r} has nothing left to show without its {left_out}")
    first = body[0]
    if lines[first.lineno - 1][: first.col_offset].strip():
        raise SourceError(
            f"{dotted_name!r}: its body starts on the line of its signature, nothing can be cut"
        )
    # The header: decorators and signature (and the docstring if kept). The rest starts on the line after the
    # last statement left out, so that comments just above the first statement shown stay with it.
    header = lines[: body[0].end_lineno] if keep_doc else lines[: first.lineno - 1]
    rest = lines[body[doc + checks - 1].end_lineno : node.end_lineno]
    while rest and not rest[0].strip():
        rest.pop(0)
    return "\n".join(header + rest) + "\n", path.resolve()


def _display_path(path: pathlib.Path, root: pathlib.Path) -> str:
    """`path` relative to the book's `root` (``src/dlnotes/...``), else from the top-level package on."""
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        parts = path.parts
        return "/".join(parts[parts.index("dlnotes") :]) if "dlnotes" in parts else path.as_posix()


class SourceDirective(SphinxDirective):
    """``{source} dotted.name``: the source of a public function or class of the package (see the module)."""

    has_content = False
    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = False
    option_spec: ClassVar[dict] = {
        "docstring": directives.flag,
        "hide-checks": directives.flag,
        "caption": directives.unchanged_required,
        "name": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        try:
            code, path = source_of(
                name, docstring="docstring" in self.options, hide_checks="hide-checks" in self.options
            )
        except (SourceError, ImportError) as exc:  # ImportError: a module that exists but fails to import
            logger.warning("{source} %s", exc, location=self.get_location(), type="dlnotes", subtype="source")
            return []
        # Editing the file shown rebuilds the page (Sphinx compares its modification time).
        self.env.note_dependency(str(path))
        block = nodes.literal_block(code, code, source=str(path))
        block["language"] = "python"
        block["classes"] += self.options.get("class", [])
        self.set_source_info(block)
        caption = self.options.get("caption")
        if caption is None:
            _, _, qualname = resolve(name)
            shown = _display_path(path, pathlib.Path(self.env.srcdir))
            caption = f"``{qualname}`` in ``{shown}``"  # inline code in MyST and in reStructuredText
        try:
            node = container_wrapper(self, block, caption)
        except ValueError as exc:
            logger.warning("{source} %s", exc, location=self.get_location(), type="dlnotes", subtype="source")
            return []
        self.add_name(node)
        return [node]


def setup(app: Sphinx) -> dict:
    """Register the ``source`` directive (called by Sphinx, or by :mod:`dlnotes.drill.sphinxext`)."""
    from dlnotes import __version__

    app.add_directive("source", SourceDirective)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
