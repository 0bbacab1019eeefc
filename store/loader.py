"""The one loader: every file source (BPS downloads, saved WebAPI responses, release figures, RAT plans)
goes into its raw tables by the same rules.

- A file is taken as it is found (`store.folder_scan`): a symbolic link, a hidden name or anything but a
  regular file is never opened; a file over the size budget is never read or hashed, and anything that
  goes wrong checking or hashing one file quarantines that file, with its name and the cause in one line,
  and the rest loads.
- A file is read once per content (SHA-256). Its rows carry `_source_file`, `_source_sha256`, `_loaded_at`
  and the row or page the reader gives.
- The same bytes under several names are read once; the rows name the first of them, the others are
  `duplicate` in the ledger (`raw.source_files`).
- A file whose new content cannot be read, or fails its per-file checks, is `quarantined` with the problem,
  row and page, and the rows of its last good content stay.
- A row whose value cannot be true (a source's `screen`) is held back with its file, row and reason
  (`raw.held_back_rows`); the rest of its file loads.
- A file that is gone takes its rows with it (`removed`); a newer version of the same file identity (a later
  saved WebAPI response) makes the older one `superseded`.
- A change in the reader's code re-reads every file of the source.
- The raw state is checked before it is trusted (rows of files no longer present, a file's rows loaded twice,
  duplicate keys, rows the ledger does not account for); what fails is re-read from its file.
- The raw tables, the quarantine and held-back rows and the ledger change in one DuckDB transaction per
  source, so a crash leaves the state before or after the load, never half of it.

The decisions are `store.plan`'s, on plain values; this module is the executor around them: it finds out
what the build file holds (`store.raw_tables`) and what the files present are (hashed), has the files read
(`store.read_files`, on an executor), asks the plan, and writes everything in one transaction.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import duckdb

from store.contract import FileCheck, Problem, Reading, Source, SourceFile
from store.errors import OverBudgetError
from store.fingerprint import source_file_sha256
from store.folder_scan import LINK
from store.paths import display_path, printable
from store.plan import LoadResult, Present, ReadPlan, plan_load, plan_reads
from store.raw_tables import stored_state, write_load
from store.read_engines import EmbeddedPool, InlineEngine, ReadEngine
from store.read_files import DEFAULT_BUDGET, ReadBudget, read_files

__all__ = ["LoadResult", "load_source", "present_files"]


def load_source(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    files: list[SourceFile],
    *,
    reader_version: str,
    now: datetime,
    check: FileCheck | None = None,
    rebuild: bool = False,
    log: Callable[[str], None] = lambda message: None,
    engine: ReadEngine | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
    max_file_bytes: int | None = None,
) -> LoadResult:
    """Load `files` (every file of the source present now) into the source's raw tables and the ledger.

    A source marked `parallel` reads its files on `engine` when given (a Dask cluster), else on a local
    process pool made for this load; the others read in this process. `budget` is what one file may
    cost there (store.read_files); a file larger than `max_file_bytes` is quarantined unread.
    """
    stored = stored_state(connection, source)
    present = present_files(source, files, max_file_bytes)
    reads = plan_reads(source, stored, present, reader_version, rebuild)
    for line in reads.repaired:
        log(line)
    outcomes, read_by = _read(source, reads, engine, budget, log)
    if check:
        _check(check, reads, outcomes, log)
    plan = plan_load(source, stored, present, reads, outcomes, reader_version, now)
    plan.result.read_by = read_by
    plan.result.reports = reports_of(source, reads, outcomes)
    for line in plan.notes:
        log(line)
    live = {r.rows_sha256 for r in plan.result.records if r.rows_sha256}
    log(f"{source.name}: writing raw tables ({len(plan.result.files_read)} file(s) read, {len(live)} live)")
    plan.result.table_rows = write_load(connection, source, plan, stored, now)
    return plan.result


def reports_of(
    source: Source, reads: ReadPlan, outcomes: dict[str, Reading | list[Problem]]
) -> dict[str, str]:
    """File read -> what its reader made of it, for a source that reports (Source.report_of)."""
    if source.report_of is None:
        return {}
    reports = {
        reads.named[sha].name: source.report_of(outcome)
        for sha, outcome in outcomes.items()
        if not isinstance(outcome, list)
    }
    return {name: line for name, line in sorted(reports.items()) if line}


def present_files(
    source: Source, files: list[SourceFile], max_file_bytes: int | None = None
) -> list[Present]:
    """The files present, once per name, with their content's digest, size and version, by name; or why
    a file is not read (refused, ignored)."""
    named = {display_path(f.path): f for f in files}
    return [_present(source, name, named[name], max_file_bytes) for name in sorted(named)]


def _present(source: Source, name: str, file: SourceFile, max_file_bytes: int | None) -> Present:
    """One file as the plan sees it. Hashing opens it without following a link at its name, and only when
    it is a regular file within the size budget; whatever fails refuses this file alone."""
    if file.refused is not None or file.ignored is not None:
        return Present(
            name, file.path, file.origin, None, _size(file), refused=file.refused, ignored=file.ignored
        )
    try:
        sha256, size = source_file_sha256(file.path, max_file_bytes)
        version = source.version_of(file.path) if source.version_of else None
    except OverBudgetError as error:
        refused = error.cause
    except OSError as error:
        refused = LINK if error.errno == errno.ELOOP else f"cannot be read ({error.strerror or error})"
    except Exception as error:  # a file that breaks the check stops only itself
        refused = f"cannot be checked ({type(error).__name__}: {error})"
    else:
        return Present(name, file.path, file.origin, sha256, size, version)
    return Present(name, file.path, file.origin, None, _size(file), refused=printable(refused))


def _size(file: SourceFile) -> int | None:
    try:
        return file.path.lstat().st_size
    except OSError:
        return None


def _read(
    source: Source,
    reads: ReadPlan,
    engine: ReadEngine | None,
    budget: ReadBudget,
    log: Callable[[str], None],
) -> tuple[dict[str, Reading | list[Problem]], dict[str, list[str]]]:
    """Each content to read: its reading or its problems, and who read it, logged as they come."""
    outcomes: dict[str, Reading | list[Problem]] = {}
    read_by: dict[str, list[str]] = {}
    total = len(reads.to_read)
    with _engine_for(source, total, engine, budget) as chosen:
        for done, (index, read) in enumerate(read_files(chosen, source, reads.paths(), budget), start=1):
            sha = reads.to_read[index]
            name = reads.named[sha].name
            outcomes[sha] = read.outcome
            read_by[name] = read.workers
            failed = isinstance(read.outcome, list)
            said = f"quarantined: {printable(read.outcome[0].reason)}" if failed else "read"
            by = f" (by {', '.join(read.workers)})" if source.parallel else ""
            log(f"[{done}/{total}] {name}: {said}{by}")
    return outcomes, read_by


@contextmanager
def _engine_for(
    source: Source, files: int, given: ReadEngine | None, budget: ReadBudget
) -> Iterator[ReadEngine]:
    """Where this load reads: the engine given or a local pool for a parallel source (one file too: a
    reader that crashes takes a pool process with it, never the refresh), else this process."""
    if not (source.parallel and files):
        yield InlineEngine()
    elif given is not None:
        yield given
    else:
        pool = EmbeddedPool(memory_mb=budget.memory_mb)
        try:
            yield pool
        finally:
            pool.close()


def _check(
    check: FileCheck,
    reads: ReadPlan,
    outcomes: dict[str, Reading | list[Problem]],
    log: Callable[[str], None],
) -> None:
    """The per-file gate over the files read: a content that fails it gets its problems instead."""
    readings = {sha: (reads.named[sha].path, r) for sha, r in outcomes.items() if not isinstance(r, list)}
    if not readings:
        return
    try:
        found_by_content = check(readings)
    except Exception:  # the check broke on some file: check them one by one, to find which
        found_by_content = {}
        for sha, reading in readings.items():
            try:
                found_by_content |= check({sha: reading})
            except Exception as error:
                cause = f"the per-file check cannot be run on it ({type(error).__name__}: {error})"
                found_by_content[sha] = [Problem("check", f"{reads.named[sha].name}: {printable(cause)}")]
    for sha, found in found_by_content.items():
        if found:
            outcomes[sha] = found
            log(f"{reads.named[sha].name}: quarantined: {found[0].reason}")
