"""The DuckDB files: a build file the pipeline writes, and the published file readers open.

Every refresh writes into the build file. Only when everything in it has passed its checks is it
copied into a new file next to the published one and renamed over it, so a reader sees either
the previous warehouse or the new one, never half of either.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

# What analysts and BI tools see: the star schema and marts, and the provenance and data-quality tables.
# Raw, staging, intermediate and reference tables stay in the build file.
PUBLISHED_SCHEMAS = ("main", "provenance")
# DuckDB 2.0 writes a storage format older readers cannot open; most BI drivers still bundle 1.x.
PUBLISHED_STORAGE_VERSION = "v1.0.0"


def base_tables(connection: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables"
        " where table_schema = ? and table_type = 'BASE TABLE' order by 1",
        [schema],
    ).fetchall()
    return [name for (name,) in rows]


def content_digest(
    connection: duckdb.DuckDBPyConnection, skip: tuple[str, ...] = ("provenance.load_log",)
) -> str:
    """Digest of every published table's rows (the run log skipped), whatever the order of the rows."""
    digest = hashlib.sha256()
    for schema in PUBLISHED_SCHEMAS:
        for table in base_tables(connection, schema):
            if f"{schema}.{table}" in skip:
                continue
            [(rows, rows_digest)] = connection.execute(
                f"select count(*), md5(coalesce(string_agg(h, ',' order by h), '')) "
                f"from (select md5(cast(t as varchar)) as h from {schema}.{table} as t)"
            ).fetchall()
            digest.update(f"{schema}.{table}:{rows}:{rows_digest};".encode())
    return digest.hexdigest()


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(path), read_only=read_only)
    try:
        yield connection
    finally:
        connection.close()


def append_rows(connection: duckdb.DuckDBPyConnection, qualified_name: str, rows: pd.DataFrame) -> int:
    """Append `rows` to a table, creating it (and its schema) from their shape the first time."""
    schema = qualified_name.rpartition(".")[0] or "main"
    connection.execute(f"create schema if not exists {schema}")
    connection.register("incoming", rows)
    try:
        connection.execute(f"create table if not exists {qualified_name} as select * from incoming limit 0")
        _add_new_columns(connection, qualified_name)
        connection.execute(f"insert into {qualified_name} by name select * from incoming")
    finally:
        connection.unregister("incoming")
    return len(rows)


def _add_new_columns(connection: duckdb.DuckDBPyConnection, qualified_name: str) -> None:
    """Columns of `incoming` the table lacks (a table made by older code), added to it: null before."""
    have = {row[0] for row in connection.execute(f"describe {qualified_name}").fetchall()}
    for name, kind, *_ in connection.execute("describe incoming").fetchall():
        if name not in have:
            connection.execute(f'alter table {qualified_name} add column "{name}" {kind}')


def relation_row_counts(connection: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> dict[str, int]:
    """Rows of every table and view in `schemas`, keyed schema.name."""
    names = connection.execute(
        "select table_schema || '.' || table_name from information_schema.tables where table_schema in "
        f"({', '.join('?' for _ in schemas)})",
        list(schemas),
    ).fetchall()
    return {name: connection.execute(f"select count(*) from {name}").fetchall()[0][0] for (name,) in names}


def relations(connection: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    """The tables and views of `schema`."""
    rows = connection.execute(
        "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
    ).fetchall()
    return [name for (name,) in rows]


def export_parquet(database: Path, folder: Path) -> list[Path]:
    """Every published table and view as Parquet: `main` in `folder`, `provenance` in `folder/provenance`.

    Views too: dim_regency is a view over dim_area, and readers of the Parquet files had it as a file.
    """
    written = []
    with connect(database, read_only=True) as connection:
        for schema in PUBLISHED_SCHEMAS:
            target = folder if schema == "main" else folder / schema
            target.mkdir(parents=True, exist_ok=True)
            for table in relations(connection, schema):
                partial, final = target / f".{table}.parquet.partial", target / f"{table}.parquet"
                connection.execute(
                    f"copy (select * from {schema}.{table}) to ? (format parquet)", [str(partial)]
                )
                os.replace(partial, final)
                written.append(final)
    for stale in {*folder.glob("*.parquet"), *folder.glob("*/*.parquet")} - set(written):
        stale.unlink()
    return written


def _copy_schema(connection: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Recreate one schema of build_db in publish_db: tables with their constraints, then views."""
    connection.execute(f"create schema if not exists publish_db.{schema}")
    connection.execute(f"use publish_db.{schema}")
    tables = connection.execute(
        "select table_name, sql from duckdb_tables() where database_name = 'build_db' and schema_name = ?"
        " order by table_name",
        [schema],
    ).fetchall()
    for table, create in tables:
        connection.execute(create)
        connection.execute(f"insert into publish_db.{schema}.{table} select * from build_db.{schema}.{table}")
    views = connection.execute(
        "select sql from duckdb_views() where database_name = 'build_db' and schema_name = ? and not internal"
        " order by view_name",
        [schema],
    ).fetchall()
    for (create,) in views:  # view SQL names its tables by schema, which now resolve inside publish_db
        connection.execute(create)


def publish(build_path: Path, published_path: Path) -> Path:
    """Copy the published schemas of the build file into a fresh file in the readers' storage format, then
    rename it into place."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    staging_path = published_path.with_name(f".{published_path.stem}.publishing{published_path.suffix}")
    for leftover in (staging_path, staging_path.with_name(staging_path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    connection = duckdb.connect()
    try:
        # Paths as parameters: a folder may be named o'clock.
        connection.execute("attach ? as build_db (read_only)", [str(build_path)])
        connection.execute(
            f"attach ? as publish_db (storage_version '{PUBLISHED_STORAGE_VERSION}')", [str(staging_path)]
        )
        for schema in PUBLISHED_SCHEMAS:
            _copy_schema(connection, schema)
        connection.execute("use memory")
        connection.execute("detach publish_db")
    finally:
        connection.close()
    os.replace(staging_path, published_path)
    return published_path
