"""The project's imports, read statically (ast): which of its modules a piece of code can run.

Cache keys derive from it (a source's reader version, what a refresh is built from: see `code_files`), and
tests/test_layering.py checks the packages' order and the absence of import loops with it. Only modules
of this repository count; the standard library and installed packages are left out.
"""

from __future__ import annotations

import ast
import functools
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from types import CodeType

from store.paths import REPO_ROOT


@functools.cache
def module_file(module: str) -> Path | None:
    """The file of a module of this repository (a package's `__init__.py`), else None."""
    base = REPO_ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    """The dotted name of a file of this repository."""
    parts = list(path.resolve().relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> dict[str, str]:
    """Every name a module binds by importing, anywhere in it (functions too): name -> the module of this
    repository it comes from (`from a import b` is `a.b` when that is a module, else `a`)."""
    return dict(_import_table(path, path.stat().st_mtime_ns))


def imports_of(path: Path) -> set[str]:
    """The modules of this repository a module imports, anywhere in it."""
    return set(imported_names(path).values())


@functools.cache
def _import_table(path: Path, _mtime: int) -> tuple[tuple[str, str], ...]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).rpartition(".")[0] if path.name != "__init__.py" else module_name(path)
    found: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if module_file(alias.name):
                    found.append((alias.asname or alias.name.partition(".")[0], alias.name))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                module = f"{base}.{alias.name}" if module_file(f"{base}.{alias.name}") else base
                if module and module_file(module):
                    found.append((alias.asname or alias.name, module))
    return tuple(found)


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def import_closure(modules: Iterable[str]) -> set[str]:
    """`modules` and every module of this repository they import, directly or not."""
    seen: set[str] = set()
    waiting = [m for m in modules if module_file(m)]
    while waiting:
        module = waiting.pop()
        if module in seen:
            continue
        seen.add(module)
        waiting += [m for m in imports_of(module_file(module)) if m not in seen]
        parent = module.rpartition(".")[0]  # importing a.b.c runs a/__init__ and a/b/__init__ first
        if parent and module_file(parent):
            waiting.append(parent)
    return seen


def package_closure(package: str) -> list[Path]:
    """The files of every module of `package` (loaded by name or imported) and of all they import."""
    modules = {module_name(path) for path in REPO_ROOT.joinpath(*package.split(".")).rglob("*.py")}
    return sorted(module_file(m) for m in import_closure(modules))


def code_files(*functions: Callable) -> list[Path]:
    """The files of this repository whose code the functions can run: the modules they are written in, and
    every module the names they use come from, with everything those import.

    The names a function uses are followed into the functions and classes of its own module it calls, so a
    reader written beside others (ingest/sources.py) depends on its own package, not on theirs.
    """
    own: set[str] = set()
    used: set[str] = set()
    for function in functions:
        function = inspect.unwrap(function.func if isinstance(function, functools.partial) else function)
        own.add(function.__module__)
        used |= _modules_used(function, set())
    return sorted(module_file(m) for m in own | import_closure(used) if module_file(m))


def _modules_used(function: Callable, seen: set[int]) -> set[str]:
    if id(function) in seen or not hasattr(function, "__code__"):
        return set()
    seen.add(id(function))
    home = module_file(function.__module__)
    table = imported_names(home) if home else {}
    used = set()
    for name in _names(function.__code__):
        if name in table:
            used.add(table[name])
        value = function.__globals__.get(name)
        if getattr(value, "__module__", None) != function.__module__:
            continue
        if inspect.isclass(value):  # a class of the same module: the methods it runs
            for member in vars(value).values():
                used |= _modules_used(member, seen)
        else:
            used |= _modules_used(value, seen)
    return used


def _names(code: CodeType) -> set[str]:
    """The global and attribute names a code object uses, and the code nested in it (lambdas,
    comprehensions)."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            names |= _names(constant)
    return names
