"""The packages' order, read from the imports statically (store.imports, no module is imported).

engine (store) < readers (ingest) < expectations < dagster_project, reporting < bench, tests, tools: a
package imports only its own level and the levels below, and no module imports itself through others.
The engine and the readers never import Dagster, dbt, Great Expectations, the reports or the benchmarks.
"""

import ast
import subprocess
from pathlib import Path

from store.imports import import_closure, imports_of, module_file, module_name
from store.paths import REPO_ROOT

LEVELS = {
    "store": 0,
    "ingest": 1,
    "expectations": 2,
    "dagster_project": 3,
    "reporting": 3,
    "bench": 4,
    "tests": 4,
    "bi": 4,
    "scripts": 4,  # scripts/fresh_check.py, which `make fresh-check` runs
    "data": 4,  # data/reference/sources/build_bps_areas.py, which rebuilds a reference table
}
PLAIN_PYTHON = ("store", "ingest")
FOREIGN = ("dagster", "dagster_dbt", "dagster_duckdb", "dbt", "great_expectations")
# Import loops another change of this round breaks (helper H3's, issue 22): a loop listed here that no
# longer exists fails the test too, so the list only shrinks.
KNOWN_LOOPS: list[set[str]] = []


def project_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [REPO_ROOT / name for name in listed if (REPO_ROOT / name).is_file()]


def level(module: str) -> int:
    return LEVELS[module.partition(".")[0]]


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in project_files()}


def test_every_package_has_a_level():
    assert {module_name(path).partition(".")[0] for path in project_files()} <= set(LEVELS)


def test_no_package_imports_a_higher_one():
    upward = sorted(
        f"{module} imports {imported}"
        for module, imported_modules in import_graph().items()
        for imported in imported_modules
        if level(imported) > level(module)
    )
    assert upward == []


def test_the_engine_and_the_readers_are_plain_python():
    found = []
    for path in project_files():
        module = module_name(path)
        if not module.startswith(PLAIN_PYTHON):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            )
            found += [f"{module} imports {name}" for name in names if name.partition(".")[0] in FOREIGN]
    assert found == []


def loops(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph.get(module, ()):
                found.append(group)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_through_others():
    found = loops(import_graph())
    assert [group for group in found if group not in KNOWN_LOOPS] == []
    assert [group for group in KNOWN_LOOPS if group not in found] == [], "a known loop is gone: unlist it"


def test_the_loop_finder_finds_a_loop():
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert loops({"a": {"b"}, "b": set()}) == []


def test_the_closure_follows_imports_into_packages():
    closure = import_closure(["store.loader"])
    assert {"store.plan", "store.read_files", "store.raw_tables", "store.contract", "store"} <= closure
    assert not any(module.startswith(("ingest", "dagster_project")) for module in closure)
    assert module_file("store") == REPO_ROOT / "store" / "__init__.py" and module_file("duckdb") is None


def test_no_function_of_the_engine_is_over_60_lines():
    from bench.function_sizes import largest

    assert [str(size) for size in largest(["store"], top=1000) if size.lines > 60] == []
