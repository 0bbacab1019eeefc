"""dbt parses a warehouse's project while the run reads its sources, so the build step finds the parse done.

dbt re-parses the whole project whenever its profile's values change, and the profile names the build file:
every new warehouse (the first refresh, a test's copy) paid a full parse, about 3 s, inside the dbt step.
The run's steps are sequential Python on one core; a `dbt parse` started when the run begins uses the other
core and leaves its state (`partial_parse.msgpack`) in the warehouse's dbt target folder, where the build
picks it up. `dbt parse` never opens the DuckDB file, so it does not contend with the loaders writing it.

Only when the build would parse from scratch: a warehouse whose dbt folder holds a parse made for its own
build file (every night after the first) parses just what changed, in a second, and needs no second process.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from store.paths import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt"
# The dbt installed beside this interpreter: `.venv/bin` is often not on PATH (console scripts, CI).
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
# dbt's own log file at warning level: at debug it writes every query's SQL, half a second per build.
DBT_GLOBAL_FLAGS = ("--log-level-file", "warn")
DBT_PARSE_STATE = "partial_parse.msgpack"  # kept in a warehouse's dbt target folder between runs
# Beside the parse state: the build file it was made for (a copied or moved warehouse carries another's).
PARSED_FOR = "parsed_for.txt"


def dbt_target_for(build_path: Path) -> Path:
    """The warehouse's own dbt target folder, beside its build file."""
    return build_path.parent / "dbt-target"


def fresh_dbt_target(build_path: Path) -> Path:
    """The warehouse's dbt target folder, emptied but for the partial-parse state of its last parse.

    One folder per warehouse, replaced each run: dbt's artifacts do not pile up (a folder per run would
    grow by megabytes a night), and the next run of the same warehouse parses only what changed.
    """
    target = dbt_target_for(build_path)
    if target.exists():
        for item in target.iterdir():
            if item.name in (DBT_PARSE_STATE, PARSED_FOR):
                continue
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    target.mkdir(parents=True, exist_ok=True)
    return target


def has_parse_state(build_path: Path) -> bool:
    """Whether the warehouse's dbt folder holds a parse made for this build file."""
    target = dbt_target_for(build_path)
    marker = target / PARSED_FOR
    return (
        (target / DBT_PARSE_STATE).exists()
        and marker.exists()
        and marker.read_text(encoding="utf-8") == str(build_path)
    )


def record_parse_state(build_path: Path) -> None:
    """Note that the parse state in the warehouse's dbt folder is (or is about to be) for this build file."""
    (dbt_target_for(build_path) / PARSED_FOR).write_text(str(build_path), encoding="utf-8")


def start_dbt_parse(build_path: Path, dbt_args: Sequence[str]) -> subprocess.Popen | None:
    """`dbt parse` for the warehouse of `build_path`, running in the background, given the arguments its
    build will be given (settings.dbt_args: a parse for other variables is not reused). None when the
    warehouse has a parse state of its own already, or when dbt cannot start (the dbt step then fails with
    dbt's message)."""
    if has_parse_state(build_path):
        return None
    target = fresh_dbt_target(build_path)
    try:
        parse = subprocess.Popen(
            [DBT_EXECUTABLE, *DBT_GLOBAL_FLAGS, "parse", "--quiet", *dbt_args, "--target-path", str(target)],
            cwd=DBT_PROJECT_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None
    record_parse_state(build_path)
    return parse


def finish_dbt_parse(parse: subprocess.Popen | None, timeout: float = 600) -> None:
    """Wait for a parse started ahead. Its outcome does not matter: a failed parse leaves the build to parse
    (and to report the project's error where a person reads it)."""
    if parse is None:
        return
    try:
        parse.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_dbt_parse(parse)


def stop_dbt_parse(parse: subprocess.Popen | None) -> None:
    """End a parse the run no longer needs (a run that failed before its dbt step)."""
    if parse is not None and parse.poll() is None:
        parse.terminate()
        parse.wait()


@dataclass
class ParseAhead:
    """A run's parse started ahead (the `dbt_parse_ahead` resource): the dbt step waits for it, and the run
    stops it at its end if no step did."""

    process: subprocess.Popen | None

    def finish(self) -> None:
        finish_dbt_parse(self.process)
        self.process = None

    def stop(self) -> None:
        stop_dbt_parse(self.process)
