"""The one loader: every file source (BPS downloads, saved WebAPI responses, release figures, RAT plans)
goes into its raw tables by the same rules.

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
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from store.contract import FileCheck, Problem, Reading, Source, SourceFile
from store.errors import SourceFileError
from store.fingerprint import file_sha256
from store.ledger import (
    DUPLICATE,
    LOADED,
    QUARANTINED,
    REMOVED,
    SUPERSEDED,
    UNCHANGED,
    FileRecord,
    HeldBackRecord,
    QuarantineRecord,
    ensure_tables,
    file_records,
    held_back_records,
    quarantine_records,
    write_source_state,
)
from store.paths import REPO_ROOT, display_path


@dataclass
class LoadResult:
    """What one load did: the ledger rows it wrote, the quarantine, and why anything was re-read."""

    source: str
    primary_table: str | None
    records: list[FileRecord]
    quarantine: list[QuarantineRecord]
    held_back: list[HeldBackRecord] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    rows_read: int = 0
    repaired: list[str] = field(default_factory=list)  # integrity problems found and mended
    table_rows: dict[str, int] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for r in self.records if r.status == status)

    def present(self) -> list[FileRecord]:
        return [r for r in self.records if r.status != REMOVED]

    def quarantine_lines(self) -> list[str]:
        """One line per quarantined file (its reason names it), as the refresh summary prints them."""
        return [str(r.reason) for r in self.records if r.status == QUARANTINED]

    def held_back_lines(self) -> list[str]:
        """One line per held-back row, naming its file and row."""
        return [held_back_line(r) for r in self.held_back]

    def summary(self) -> dict[str, object]:
        return {
            "files": len(self.present()),
            **{status: self.count(status) for status in (LOADED, UNCHANGED, QUARANTINED, DUPLICATE)},
            "superseded": self.count(SUPERSEDED),
            "removed_now": sum(1 for r in self.records if r.status == REMOVED and r.reason == _GONE),
            "rows_in": self.rows_read,
            "rows": self.table_rows.get(self.primary_table, 0),
            "rows_rejected": self.count(QUARANTINED) + len(self.held_back),
            "held_back": len(self.held_back),
            "repaired": len(self.repaired),
        }


_GONE = "the file is no longer there; its rows were removed"
# A file with more rows held back than this share is wrong as a whole (a unit, a shifted column): quarantined.
MOST_HELD_BACK = 0.05


def held_back_line(record: HeldBackRecord) -> str:
    return f"{record.source_file} row {record.row}: {record.reason}; held back, the rest of the file loads"


def _screened(source: Source, reading: Reading) -> tuple[Reading, list[tuple[int | None, str]]]:
    """The reading without the rows `source.screen` holds back, and those rows' (row, reason)."""
    table = source.primary_table
    if source.screen is None or table not in reading or reading[table].empty:
        return reading, []
    frame = reading[table]
    reasons = source.screen(frame)
    held = reasons.notna()
    if not held.any():
        return reading, []
    rows = frame["_source_row"] if "_source_row" in frame else pd.Series(pd.NA, index=frame.index)
    found = [
        (None if pd.isna(row) else int(row), str(reason))
        for row, reason in zip(rows[held], reasons[held], strict=True)
    ]
    return {**reading, table: frame[~held].reset_index(drop=True)}, found


def _problems_of(error: SourceFileError) -> list[Problem]:
    return [Problem(getattr(error, "kind", "parse"), str(error), error.row, getattr(error, "page", None))]


def _read_one(read: Callable[[Path], Reading], path: Path) -> Reading | list[Problem]:
    try:
        return read(path)
    except SourceFileError as error:
        return _problems_of(error)


def _readings(source: Source, paths: list[Path], workers: int | None) -> Iterator[Reading | list[Problem]]:
    if not source.parallel or len(paths) < 2:
        yield from (_read_one(source.read, path) for path in paths)
        return
    count = max(1, min(workers or multiprocessing.cpu_count(), len(paths)))
    # forkserver: the parent holds an open DuckDB connection, which a forked child must not inherit.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield from pool.map(_read_one, [source.read] * len(paths), paths)


def _said_of(problem: Problem, found_in: set[str], name: str) -> Problem:
    """A problem found in some file's bytes, told of `name`, another file with the same bytes: a reader's
    message names the file it read, and a user looking at `name` must not be sent to the other one."""
    reason = problem.reason
    for other in found_in - {name}:
        for spelling in {other, (REPO_ROOT / other).as_posix()}:
            reason = reason.replace(spelling, name)
    return Problem(problem.check_name, reason, problem.row, problem.page)


def _table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()[0][0]
    )


def _rows_by_sha(connection: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    if not _table_exists(connection, table):
        return {}
    rows = connection.execute(f"select _source_sha256, count(*) from raw.{table} group by 1").fetchall()
    return dict(rows)


def _shas_with_duplicate_keys(
    connection: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]
) -> set[str]:
    if not _table_exists(connection, table):
        return set()
    columns = ", ".join(f'"{column}"' for column in key)
    distinct = f"count(distinct ({columns}))" if key else "1"
    rows = connection.execute(
        f"select _source_sha256 from raw.{table} group by 1 having count(*) > {distinct}"
    ).fetchall()
    return {sha for (sha,) in rows}


def _trusted_contents(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    previous: dict[str, FileRecord],
    reader_version: str,
) -> tuple[dict[str, int], list[str]]:
    """Contents whose stored rows can be reused (sha -> rows in the primary table), and what was wrong."""
    stored = {table: _rows_by_sha(connection, table) for table in source.tables}
    primary = stored.get(source.primary_table, {})
    expected: dict[str, int] = {}
    for record in previous.values():
        if record.rows_sha256 and record.status != REMOVED:  # a duplicate's rows are its original's
            expected[record.rows_sha256] = max(expected.get(record.rows_sha256, 0), int(record.rows or 0))
    problems: list[str] = []
    untrusted: set[str] = set()
    stale = {r.reader_version for r in previous.values() if r.status != REMOVED} - {reader_version}
    if stale:
        problems.append(f"the {source.name} reader changed since the last load: every file is read again")
        untrusted |= set(expected)
    for table, counts in stored.items():
        orphans = set(counts) - set(expected)
        if orphans:
            problems.append(
                f"raw.{table} held rows of {len(orphans)} file content(s) the ledger does not account for "
                "(files no longer present): removed"
            )
    for sha, rows in expected.items():
        if primary.get(sha, 0) != rows:
            untrusted.add(sha)
            problems.append(
                f"raw.{source.primary_table} held {primary.get(sha, 0)} rows of content {sha[:12]} where "
                f"{rows} were loaded: read again"
            )
    for table, key in source.keys.items():
        doubled = _shas_with_duplicate_keys(connection, table, key) & set(expected)
        for sha in sorted(doubled - untrusted):
            problems.append(f"raw.{table} has duplicate keys {key or '(one row per file)'} for {sha[:12]}")
        untrusted |= doubled
    return {sha: rows for sha, rows in expected.items() if sha not in untrusted}, problems


@dataclass
class _Present:
    display: str
    file: SourceFile
    sha256: str
    size: int


def _superseded(source: Source, present: list[_Present]) -> dict[str, str]:
    """Path -> the newer path that supersedes it (same identity, later version)."""
    if source.version_of is None:
        return {}
    newest: dict[str, tuple[str, str]] = {}
    versions: dict[str, tuple[str, str]] = {}
    for item in present:
        found = source.version_of(item.file.path)
        if found is None:
            continue
        identity, version = found
        versions[item.display] = (identity, version)
        if identity not in newest or newest[identity][0] < version:
            newest[identity] = (version, item.display)
    return {
        display: newest[identity][1]
        for display, (identity, version) in versions.items()
        if newest[identity][1] != display
    }


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
    workers: int | None = None,
) -> LoadResult:
    """Load `files` (every file of the source present now) into the source's raw tables and the ledger."""
    ensure_tables(connection)
    previous = file_records(connection, source.name)
    known_problems: dict[str, list[QuarantineRecord]] = {}
    for record in quarantine_records(connection, source.name):
        known_problems.setdefault(record.sha256, []).append(record)
    trusted, repaired = _trusted_contents(connection, source, previous, reader_version)
    held_before: dict[str, list[HeldBackRecord]] = {}
    for held in held_back_records(connection, source.name):
        held_before.setdefault(held.sha256, []).append(held)
    if rebuild:
        repaired = [f"--rebuild: every {source.name} file is read again"]
        trusted = {}
    if rebuild or any(r.reader_version != reader_version for r in previous.values()):
        known_problems = {}  # judged by an earlier reader: judge again
    for problem in repaired:
        log(problem)

    present: list[_Present] = []
    for item in {display_path(f.path): f for f in files}.items():
        display, file = item
        present.append(_Present(display, file, file_sha256(file.path), file.path.stat().st_size))
    present.sort(key=lambda p: p.display)
    superseded_by = _superseded(source, present)

    paths_by_sha: dict[str, list[_Present]] = {}
    for item in present:
        if item.display not in superseded_by:
            paths_by_sha.setdefault(item.sha256, []).append(item)
    stored_names = _stored_names(connection, source) if trusted else {}
    canonical = {
        sha: _canonical(items, previous, stored_names.get(sha)) for sha, items in paths_by_sha.items()
    }

    to_read = [sha for sha in paths_by_sha if sha not in trusted and sha not in known_problems]
    readings: dict[str, Reading] = {}
    problems: dict[str, list[Problem]] = {}
    paths = [canonical[sha].file.path for sha in to_read]
    for index, (sha, outcome) in enumerate(
        zip(to_read, _readings(source, paths, workers), strict=True), start=1
    ):
        name = canonical[sha].display
        if isinstance(outcome, list):
            problems[sha] = outcome
            log(f"[{index}/{len(to_read)}] {name}: quarantined: {outcome[0].reason}")
        else:
            readings[sha] = outcome
            log(f"[{index}/{len(to_read)}] {name}: read")
    if check and readings:
        failed = check({sha: (canonical[sha].file.path, reading) for sha, reading in readings.items()})
        for sha, found in failed.items():
            if found:
                problems[sha] = found
                del readings[sha]
                log(f"{canonical[sha].display}: quarantined: {found[0].reason}")
    held_now: dict[str, list[tuple[int | None, str]]] = {}
    for sha in list(readings):
        name = canonical[sha].display
        screened, held = _screened(source, readings[sha])
        if len(held) > MOST_HELD_BACK * len(readings[sha].get(source.primary_table, [])):
            row, reason = held[0]
            problems[sha] = [
                Problem(
                    "implausible values",
                    f"{name}: {len(held)} of {len(readings[sha][source.primary_table])} values cannot be "
                    f"true, a unit or layout mistake rather than a broken cell (row {row}: {reason})",
                    row,
                )
            ]
            del readings[sha]
            log(f"{name}: quarantined: {problems[sha][0].reason}")
            continue
        readings[sha], held_now[sha] = screened, held
        for row, reason in held:
            log(f"{name} row {row}: {reason}: held back, the rest of the file loads")
    held_of = {sha: [(h.row, h.reason) for h in held] for sha, held in held_before.items() if sha in trusted}
    held_of.update(held_now)

    rows_of = dict(trusted)
    for sha, reading in readings.items():
        rows_of[sha] = len(reading.get(source.primary_table, []))

    records: list[FileRecord] = []
    quarantine: list[QuarantineRecord] = []
    for item in present:
        before = previous.get(item.display)
        sha = item.sha256
        record = FileRecord(
            source=source.name,
            path=item.display,
            origin=item.file.origin,
            sha256=sha,
            size_bytes=item.size,
            first_seen=before.first_seen if before and before.status != REMOVED else now,
            content_since=(
                before.content_since if before and before.sha256 == sha and before.status != REMOVED else now
            ),
            last_seen=now,
            status=UNCHANGED,
            reason=None,
            rows=None,
            rows_sha256=None,
            duplicate_of=None,
            reader_version=reader_version,
        )
        if item.display in superseded_by:
            record.status = SUPERSEDED
            record.reason = f"a newer version of the same file is present: {superseded_by[item.display]}"
        elif sha in problems or sha in known_problems:
            record.status = QUARANTINED
            found = problems.get(sha) or [
                Problem(q.check_name, q.reason, q.row, q.page) for q in known_problems[sha]
            ]
            found_in = {canonical[sha].display} if sha in canonical else set()
            found_in |= {q.source_file for q in known_problems.get(sha, [])}
            found = [_said_of(problem, found_in, item.display) for problem in found]
            kept = before.rows_sha256 if before and before.rows_sha256 in rows_of else None
            record.reason = found[0].reason + (
                f"; the rows of its previous content ({kept[:12]}) stay published" if kept else ""
            )
            record.rows_sha256 = kept
            record.rows = rows_of[kept] if kept else 0
            earlier = {(q.check_name, q.reason): q.quarantined_at for q in known_problems.get(sha, [])}
            quarantine += [
                QuarantineRecord(
                    source.name,
                    item.display,
                    sha,
                    p.row,
                    p.page,
                    p.check_name,
                    p.reason,
                    earlier.get((p.check_name, p.reason), now),
                )
                for p in found
            ]
        else:
            record.rows_sha256 = sha
            record.rows = rows_of[sha]
            if canonical[sha].display != item.display:
                record.rows = 0  # counted once, under its original
                record.status = DUPLICATE
                record.duplicate_of = canonical[sha].display
                record.reason = f"same content as {canonical[sha].display}: read once, counted once"
            else:
                record.status = LOADED if sha in readings else UNCHANGED
                if held_of.get(sha):
                    row, reason = held_of[sha][0]
                    record.reason = (
                        f"{len(held_of[sha])} row(s) held back, the rest loaded; row {row}: {reason}"
                    )
        records.append(record)
    present_names = {item.display for item in present}
    for display, before in previous.items():
        if display in present_names:
            continue
        gone = before.status != REMOVED
        records.append(
            FileRecord(
                **{
                    **before.__dict__,
                    "status": REMOVED,
                    "reason": _GONE if gone else before.reason,
                    "rows": 0,
                    "rows_sha256": None,
                    "duplicate_of": None,
                }
            )
        )
        if gone:
            log(f"{display}: no longer there, its rows are removed")

    live = {r.rows_sha256 for r in records if r.rows_sha256}
    names = {sha: canonical[sha].display for sha in canonical if sha in live}
    for record in records:  # a kept previous content is named after the file it came from
        if record.rows_sha256 and record.rows_sha256 not in names:
            names[record.rows_sha256] = record.path
    for sha, reading in readings.items():
        for table, frame in reading.items():
            reading[table] = frame.assign(_source_file=names[sha], _source_sha256=sha)
    earlier = {(h.sha256, h.row, h.reason): h.held_back_at for held in held_before.values() for h in held}
    held_back = [
        HeldBackRecord(source.name, names[sha], sha, row, reason, earlier.get((sha, row, reason), now))
        for sha in sorted(live & set(held_of))
        for row, reason in held_of[sha]
    ]
    result = LoadResult(
        source.name,
        source.primary_table,
        records,
        quarantine,
        held_back,
        [canonical[s].display for s in readings],
    )
    result.rows_read = sum(rows_of[sha] for sha in readings)
    result.repaired = repaired

    log(f"{source.name}: writing raw tables ({len(readings)} file(s) read, {len(live)} live)")
    incoming = {table: _incoming_rows(source, table, readings, now) for table in source.tables}
    for table, frame in incoming.items():
        connection.register(f"loader_incoming_{table}", frame)
    connection.register(
        "loader_names", pd.DataFrame({"sha256": list(names), "name": list(names.values())}, dtype="string")
    )
    try:
        connection.begin()
        try:
            for table in source.tables:
                result.table_rows[table] = _replace_rows(connection, table, kept=set(trusted) & live)
            write_source_state(connection, source.name, records, quarantine, held_back, previous, now)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
    finally:
        for table in incoming:
            connection.unregister(f"loader_incoming_{table}")
        connection.unregister("loader_names")
    return result


def _incoming_rows(source: Source, table: str, readings: dict[str, Reading], now: datetime) -> pd.DataFrame:
    """The new rows of `table` from this load's readings, with the loader's provenance columns."""
    frames = [
        reading[table] for reading in readings.values() if table in reading and not reading[table].empty
    ]
    if frames:
        return pd.concat(frames, ignore_index=True).assign(_loaded_at=now)
    return (
        source.empty()[table]
        .iloc[0:0]
        .assign(
            _source_file=pd.Series(dtype="string"),
            _source_sha256=pd.Series(dtype="string"),
            _loaded_at=pd.Series(dtype="datetime64[us, UTC]"),
        )
    )


def _stored_names(connection: duckdb.DuckDBPyConnection, source: Source) -> dict[str, str]:
    if source.primary_table is None or not _table_exists(connection, source.primary_table):
        return {}
    rows = connection.execute(
        f"select _source_sha256, any_value(_source_file) from raw.{source.primary_table} group by 1"
    ).fetchall()
    return dict(rows)


def _canonical(items: list[_Present], previous: dict[str, FileRecord], stored_name: str | None) -> _Present:
    """The name a content's rows carry: the one they carry already, else the file seen first."""
    for item in items:
        if item.display == stored_name:
            return item

    def seen(item: _Present) -> tuple:
        before = previous.get(item.display)
        if before and before.status != REMOVED:
            return (0, before.first_seen, item.display)
        return (1, item.display)

    return min(items, key=seen)


def _replace_rows(connection: duckdb.DuckDBPyConnection, table: str, kept: set[str]) -> int:
    """raw.<table> := the kept contents' rows plus the new rows, named after their files."""
    qualified, incoming = f"raw.{table}", f"loader_incoming_{table}"
    if _table_exists(connection, table) and kept:
        keep = ", ".join(f"'{sha}'" for sha in sorted(kept))
        connection.execute(
            f"create table raw.{table}__next as select * from {qualified} "
            f"where _source_sha256 in ({keep}) union all by name select * from {incoming}"
        )
        connection.execute(f"drop table {qualified}")
        connection.execute(f"alter table raw.{table}__next rename to {table}")
    else:
        connection.execute(f"create or replace table {qualified} as select * from {incoming}")
    connection.execute(
        f"update {qualified} as t set _source_file = n.name from loader_names as n "
        "where t._source_sha256 = n.sha256 and t._source_file is distinct from n.name"
    )
    return connection.execute(f"select count(*) from {qualified}").fetchall()[0][0]
