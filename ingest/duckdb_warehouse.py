"""The DuckDB files: a build file the pipeline writes, and the published file readers open.

Every refresh writes into the build file. Only when everything in it has passed its checks is it
copied into a new file next to the published one and renamed over it, so a reader sees either
the previous warehouse or the new one, never half of either.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ingest.paths import REPO_ROOT

DEFAULT_WAREHOUSE_PATH = REPO_ROOT / "warehouse" / "ntt_poverty.duckdb"
RAW_SCHEMA = "raw"
# DuckDB 2.0 writes a storage format older readers cannot open; most BI drivers still bundle 1.x.
PUBLISHED_STORAGE_VERSION = "v1.0.0"


def build_path_for(published_path: Path) -> Path:
    return published_path.parent / ".build" / published_path.name


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(path), read_only=read_only)
    try:
        yield connection
    finally:
        connection.close()


def with_load_time(table: pd.DataFrame, loaded_at: datetime | None = None) -> pd.DataFrame:
    """The table with a `_loaded_at` column (UTC), as every raw table carries."""
    return table.assign(_loaded_at=loaded_at or datetime.now(UTC))


def replace_raw_table(database: Path, table_name: str, table: pd.DataFrame) -> int:
    """Replace raw.<table_name> in `database` with `table`; returns the row count written."""
    with connect(database) as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        connection.register("incoming", table)
        connection.execute(f"create or replace table {RAW_SCHEMA}.{table_name} as select * from incoming")
        connection.unregister("incoming")
        return connection.execute(f"select count(*) from {RAW_SCHEMA}.{table_name}").fetchone()[0]


QUARANTINE_TABLE = f"{RAW_SCHEMA}.quarantine"
_QUARANTINE_DDL = f"""
create table if not exists {QUARANTINE_TABLE} (
    source varchar, source_file varchar, sha256 varchar, "row" integer,
    check_name varchar, reason varchar, quarantined_at timestamp with time zone
)"""


def replace_quarantine(database: Path, source: str, records: pd.DataFrame) -> int:
    """Replace the quarantine entries of one source; other sources' entries stay."""
    with connect(database) as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        connection.execute(_QUARANTINE_DDL)
        connection.execute(f"delete from {QUARANTINE_TABLE} where source = ?", [source])
        if not records.empty:
            connection.register("incoming", records.assign(source=source))
            connection.execute(f"insert into {QUARANTINE_TABLE} by name select * from incoming")
            connection.unregister("incoming")
        return len(records)


def read_quarantine(database: Path, source: str) -> pd.DataFrame | None:
    table = read_table_if_exists(database, QUARANTINE_TABLE)
    return None if table is None else table[table["source"] == source]


def read_table_if_exists(database: Path, qualified_name: str) -> pd.DataFrame | None:
    """The table, or None when the database or the table does not exist yet."""
    if not database.exists():
        return None
    schema, _, table = qualified_name.rpartition(".")
    with connect(database, read_only=True) as connection:
        found = connection.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema or "main", table],
        ).fetchone()[0]
        return connection.execute(f"select * from {qualified_name}").df() if found else None


def read_table(database: Path, qualified_name: str) -> pd.DataFrame:
    with connect(database, read_only=True) as connection:
        return connection.execute(f"select * from {qualified_name}").df()


def publish(build_path: Path, published_path: Path) -> Path:
    """Copy the build file into a fresh file in the readers' storage format, then rename it into place."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    staging_path = published_path.with_name(f".{published_path.stem}.publishing{published_path.suffix}")
    for leftover in (staging_path, staging_path.with_name(staging_path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{build_path}' as build_db (read_only)")
        connection.execute(
            f"attach '{staging_path}' as publish_db (storage_version '{PUBLISHED_STORAGE_VERSION}')"
        )
        connection.execute("copy from database build_db to publish_db")
        connection.execute("detach publish_db")
    finally:
        connection.close()
    os.replace(staging_path, published_path)
    return published_path
