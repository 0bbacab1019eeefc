"""The largest functions of the code, by lines from `def` to the function's last line.

    python -m bench.function_sizes                 # the 15 largest of the whole project
    python -m bench.function_sizes --top 30 store  # the 30 largest under store/
    python -m bench.function_sizes --over 60 store # exit 1 if a function under store/ has more than 60 lines

Read statically (ast): nothing is imported. A nested function counts in its own right and inside its parent.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class FunctionSize:
    path: str
    line: int
    name: str
    lines: int

    def __str__(self) -> str:
        return f"{self.lines:5d}  {self.path}:{self.line}  {self.name}"


def python_files(under: list[str]) -> list[Path]:
    """The project's tracked and new Python files (git's view: no virtualenv, no build output)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *(under or ["."])],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [REPO_ROOT / name for name in listed if name.endswith(".py") and (REPO_ROOT / name).exists()]


def function_sizes(path: Path) -> list[FunctionSize]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    relative = path.relative_to(REPO_ROOT).as_posix()
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                found.append(FunctionSize(relative, child.lineno, name, child.end_lineno - child.lineno + 1))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def largest(under: list[str], top: int) -> list[FunctionSize]:
    sizes = [size for path in python_files(under) for size in function_sizes(path)]
    return sorted(sizes, key=lambda s: (-s.lines, s.path, s.line))[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.function_sizes", description=__doc__.splitlines()[0]
    )
    parser.add_argument("paths", nargs="*", help="folders or files (default: the whole project)")
    parser.add_argument("--top", type=int, default=15, help="how many to list (default 15)")
    parser.add_argument("--over", type=int, default=None, help="list only longer ones; exit 1 if any")
    args = parser.parse_args(argv)
    sizes = largest(args.paths, top=10**9 if args.over is not None else args.top)
    if args.over is not None:
        sizes = [size for size in sizes if size.lines > args.over]
    for size in sizes:
        print(size)
    return 1 if args.over is not None and sizes else 0


if __name__ == "__main__":
    sys.exit(main())
