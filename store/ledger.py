"""The ledger of source files: what every file of every source is, was, and contributes.

`raw.source_files` has one row per source and path: the file's current content (SHA-256, size), when the
path and its current content were first seen, its status, why, and which content's rows are published for it
(`rows_sha256`: the current content, or the last good one when the current content cannot be read).
`raw.source_file_history` keeps every change of a file's content or status, so a file's story can be told.
`raw.quarantine` lists the problems of the files that cannot be published now, one row per problem.
`raw.held_back_rows` lists the rows of loaded files that were held back (a value that cannot be true), one
row each: the rest of their file is published.

The loader writes all four, with the raw rows, in one transaction per source.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # the records are plain values (store.plan uses them); only the functions below use DuckDB
    import duckdb

LEDGER_TABLE = "raw.source_files"
HISTORY_TABLE = "raw.source_file_history"
QUARANTINE_TABLE = "raw.quarantine"
HELD_BACK_TABLE = "raw.held_back_rows"

LOADED, UNCHANGED, QUARANTINED = "loaded", "unchanged", "quarantined"
SUPERSEDED, DUPLICATE, REMOVED = "superseded", "duplicate", "removed"
IGNORED = "ignored"  # present but not read on purpose (a hidden name), listed with the reason

_DDL = [
    "create schema if not exists raw",
    f"""create table if not exists {LEDGER_TABLE} (
        source varchar not null,
        path varchar not null,
        origin varchar,
        sha256 varchar,
        size_bytes bigint,
        first_seen timestamp with time zone,
        content_since timestamp with time zone,
        last_seen timestamp with time zone,
        status varchar not null,
        reason varchar,
        rows bigint,
        rows_sha256 varchar,
        duplicate_of varchar,
        reader_version varchar,
        primary key (source, path)
    )""",
    f"""create table if not exists {HISTORY_TABLE} (
        changed_at timestamp with time zone,
        source varchar,
        path varchar,
        sha256 varchar,
        status varchar,
        reason varchar,
        rows bigint
    )""",
    f"""create table if not exists {QUARANTINE_TABLE} (
        source varchar,
        source_file varchar,
        sha256 varchar,
        "row" integer,
        page integer,
        check_name varchar,
        reason varchar,
        quarantined_at timestamp with time zone
    )""",
    f"""create table if not exists {HELD_BACK_TABLE} (
        source varchar,
        source_file varchar,
        sha256 varchar,
        "row" integer,
        reason varchar,
        held_back_at timestamp with time zone
    )""",
]


@dataclass
class FileRecord:
    """One row of the ledger."""

    source: str
    path: str
    origin: str
    sha256: str | None
    size_bytes: int | None
    first_seen: datetime
    content_since: datetime
    last_seen: datetime
    status: str
    reason: str | None
    rows: int | None
    rows_sha256: str | None
    duplicate_of: str | None
    reader_version: str

    @property
    def is_present(self) -> bool:
        """Whether the file is there now (every status but removed)."""
        return self.status != REMOVED


@dataclass(frozen=True)
class QuarantineRecord:
    source: str
    source_file: str
    sha256: str | None  # None: refused unread (store.plan.REFUSED)
    row: int | None
    page: int | None
    check_name: str
    reason: str
    quarantined_at: datetime


@dataclass(frozen=True)
class HeldBackRecord:
    """A row of a loaded file that is not published: `reason` names the file, row and value."""

    source: str
    source_file: str
    sha256: str
    row: int | None
    reason: str
    held_back_at: datetime


def ensure_tables(connection: duckdb.DuckDBPyConnection) -> None:
    for statement in _DDL:
        connection.execute(statement)


def _none_if_missing(value: object) -> object:
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


def file_records(connection: duckdb.DuckDBPyConnection, source: str) -> dict[str, FileRecord]:
    """The ledger rows of one source, by path."""
    names = [f.name for f in fields(FileRecord)]
    rows = connection.execute(
        f"select {', '.join(names)} from {LEDGER_TABLE} where source = ?", [source]
    ).fetchall()
    return {row[1]: FileRecord(*(_none_if_missing(v) for v in row)) for row in rows}


def _records(connection: duckdb.DuckDBPyConnection, table: str, record_type: type, source: str) -> list:
    names = [f.name for f in fields(record_type)]
    columns = ", ".join('"row"' if n == "row" else n for n in names)
    rows = connection.execute(f"select {columns} from {table} where source = ?", [source]).fetchall()
    return [record_type(*(_none_if_missing(v) for v in row)) for row in rows]


def quarantine_records(connection: duckdb.DuckDBPyConnection, source: str) -> list[QuarantineRecord]:
    return _records(connection, QUARANTINE_TABLE, QuarantineRecord, source)


def held_back_records(connection: duckdb.DuckDBPyConnection, source: str) -> list[HeldBackRecord]:
    return _records(connection, HELD_BACK_TABLE, HeldBackRecord, source)


def write_source_state(
    connection: duckdb.DuckDBPyConnection,
    source: str,
    records: list[FileRecord],
    quarantine: list[QuarantineRecord],
    held_back: list[HeldBackRecord],
    previous: dict[str, FileRecord],
    changed_at: datetime,
) -> None:
    """Replace one source's ledger, quarantine and held-back rows; append a history row for every file that
    changed.

    Runs inside the caller's transaction.
    """
    connection.execute(f"delete from {LEDGER_TABLE} where source = ?", [source])
    if records:
        _insert(connection, LEDGER_TABLE, pd.DataFrame([asdict(r) for r in records]))
    for table, rows in ((QUARANTINE_TABLE, quarantine), (HELD_BACK_TABLE, held_back)):
        connection.execute(f"delete from {table} where source = ?", [source])
        if rows:
            _insert(connection, table, pd.DataFrame([asdict(r) for r in rows]))
    changes = [
        {
            "changed_at": changed_at,
            "source": r.source,
            "path": r.path,
            "sha256": r.sha256,
            "status": r.status,
            "reason": r.reason,
            "rows": r.rows,
        }
        for r in records
        if r.path not in previous
        or (previous[r.path].sha256, previous[r.path].status, previous[r.path].rows_sha256)
        != (r.sha256, r.status, r.rows_sha256)
    ]
    if changes:
        _insert(connection, HISTORY_TABLE, pd.DataFrame(changes))


def _insert(connection: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    connection.register("ledger_incoming", frame)
    try:
        connection.execute(f"insert into {table} by name select * from ledger_incoming")
    finally:
        connection.unregister("ledger_incoming")
