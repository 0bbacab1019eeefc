"""What `ntt-warehouse query` and `status` show: read-only looks at the warehouse files."""

from pathlib import Path

import duckdb

from ingest import duckdb_warehouse

STATUS_RUNS_SQL = """
    select
        run_id,
        min(run_started_at) as started,
        case when bool_or(status = 'failed') then 'FAILED' else 'succeeded' end as result,
        count(*) as assets,
        sum(rows_rejected) as rows_rejected,
        sum(checks_failed) as checks_failed
    from main.load_log
    group by run_id
    order by started desc nulls last
    limit ?
"""


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist yet: run `ntt-warehouse refresh` first")
    return duckdb.connect(str(path), read_only=True)


def run_query(warehouse: Path, sql: str) -> str:
    """The query's result as a printable table."""
    with open_read_only(warehouse) as connection:
        relation = connection.sql(sql)
        return str(relation) if relation is not None else "(no result)"


def status_report(warehouse: Path, runs: int = 5) -> str:
    """The last runs from load_log and the files in quarantine, as text for a person."""
    build = duckdb_warehouse.build_path_for(warehouse)
    note = ""
    source = warehouse
    if build.exists():
        try:  # the build file also holds failed runs, which never reach the published file
            duckdb.connect(str(build), read_only=True).close()
            source = build
        except duckdb.IOException:
            note = "(a refresh is running: showing the published warehouse)\n"
    with open_read_only(source) as connection:
        tables = {
            name
            for (name,) in connection.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        lines = [f"Warehouse {warehouse}", note.rstrip()] if note else [f"Warehouse {warehouse}"]
        if "main.load_log" in tables:
            lines += [
                "",
                "Last runs:",
                str(connection.execute(STATUS_RUNS_SQL, [runs]).df().to_string(index=False)),
            ]
            failed = connection.execute(
                "select asset, status, check_summary from main.load_log"
                " where run_id = (select run_id from main.load_log order by logged_at desc limit 1)"
                " and (status != 'succeeded' or checks_failed > 0) order by asset"
            ).fetchall()
            if failed:
                lines += ["", "Last run, what did not pass:"]
                lines += [
                    f"  {asset}: {status}" + (f"\n    {summary}" if summary else "")
                    for asset, status, summary in failed
                ]
        else:
            lines += ["", "No refresh recorded yet."]
        if "raw.quarantine" in tables:
            quarantined = connection.execute(
                "select source_file, reason from raw.quarantine order by 1"
            ).fetchall()
            lines += ["", f"Quarantined files: {len(quarantined)}"]
            lines += [f"  {reason}" for _, reason in quarantined]
    return "\n".join(lines)
