"""The raw tables of a source in the build file: what they hold before a load, and a load's one write.

`stored_state` reads what the load plan (`store.plan`) needs to know; `write_load` writes the plan's rows,
ledger records, quarantine and held-back rows in one transaction, so a crash leaves the state before or
after the load, never half of it.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from store.contract import Source
from store.ledger import (
    ensure_tables,
    file_records,
    held_back_records,
    quarantine_records,
    write_source_state,
)
from store.plan import LoadPlan, Stored


def stored_state(connection: duckdb.DuckDBPyConnection, source: Source) -> Stored:
    """What the build file holds of `source`: its ledger, quarantine, held-back rows and raw rows."""
    ensure_tables(connection)
    return Stored(
        ledger=file_records(connection, source.name),
        quarantine=quarantine_records(connection, source.name),
        held_back=held_back_records(connection, source.name),
        rows={table: _rows_by_content(connection, table) for table in source.tables},
        doubled={table: _doubled_keys(connection, table, key) for table, key in source.keys.items()},
        row_names=_row_names(connection, source.primary_table),
    )


def write_load(
    connection: duckdb.DuckDBPyConnection, source: Source, plan: LoadPlan, stored: Stored, now: datetime
) -> dict[str, int]:
    """Write the plan in one transaction; the rows of each raw table after it."""
    for table, frame in plan.incoming.items():
        connection.register(f"loader_incoming_{table}", frame)
    names = pd.DataFrame({"sha256": list(plan.names), "name": list(plan.names.values())}, dtype="string")
    connection.register("loader_names", names)
    result = plan.result
    try:
        connection.begin()
        try:
            rows = {table: _replace_rows(connection, table, plan.keep) for table in source.tables}
            write_source_state(
                connection,
                source.name,
                result.records,
                result.quarantine,
                result.held_back,
                stored.ledger,
                now,
            )
            connection.commit()
        except BaseException as error:
            _roll_back(connection, error)
            raise
    finally:
        for table in plan.incoming:
            connection.unregister(f"loader_incoming_{table}")
        connection.unregister("loader_names")
    return rows


def _roll_back(connection: duckdb.DuckDBPyConnection, error: BaseException) -> None:
    """Roll back after `error`, which stays the error raised: a commit that failed (a full disk) has
    ended the transaction already, and DuckDB's "cannot rollback - no transaction is active" would hide
    the cause."""
    try:
        connection.rollback()
    except duckdb.Error as rollback_error:
        error.add_note(f"(the rollback after it failed too: {rollback_error})")


def table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()[0][0]
    )


def _rows_by_content(connection: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    if not table_exists(connection, table):
        return {}
    rows = connection.execute(f"select _source_sha256, count(*) from raw.{table} group by 1").fetchall()
    return dict(rows)


def _doubled_keys(connection: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> set[str]:
    """Contents with more rows than distinct keys in `table` (an empty key: one row per content)."""
    if not table_exists(connection, table):
        return set()
    columns = ", ".join(f'"{column}"' for column in key)
    distinct = f"count(distinct ({columns}))" if key else "1"
    rows = connection.execute(
        f"select _source_sha256 from raw.{table} group by 1 having count(*) > {distinct}"
    ).fetchall()
    return {sha for (sha,) in rows}


def _row_names(connection: duckdb.DuckDBPyConnection, table: str | None) -> dict[str, str]:
    if table is None or not table_exists(connection, table):
        return {}
    rows = connection.execute(
        f"select _source_sha256, any_value(_source_file) from raw.{table} group by 1"
    ).fetchall()
    return dict(rows)


def _replace_rows(connection: duckdb.DuckDBPyConnection, table: str, kept: set[str]) -> int:
    """raw.<table> := the kept contents' rows plus the new rows, named after their files."""
    qualified, incoming = f"raw.{table}", f"loader_incoming_{table}"
    if table_exists(connection, table) and kept:
        keep = ", ".join(f"'{sha}'" for sha in sorted(kept))  # hexadecimal digests
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
