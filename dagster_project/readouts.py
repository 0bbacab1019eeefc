"""What `ntt-warehouse query` and `status` show: read-only looks at the warehouse files."""

from pathlib import Path

import duckdb

from store.paths import printable
from store.publish_state import build_path_for

STATUS_RUNS_SQL = """
    select
        run_id,
        min(run_started_at) as started,
        case when bool_or(status = 'failed') then 'FAILED' else 'succeeded' end as result,
        count(*) as assets,
        sum(rows_rejected) as rows_rejected,
        sum(checks_failed) as checks_failed
    from provenance.load_log
    group by run_id
    order by started desc nulls last
    limit ?
"""


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist yet: run `ntt-warehouse refresh` first")
    return duckdb.connect(str(path), read_only=True)


# An analyst's SQL sees the warehouse and nothing else: no file read or written outside it (`copy ... to`,
# `read_csv('/etc/shadow')`, `attach`, extensions), and no setting can undo that.
LOCKED_DOWN = {"enable_external_access": False, "lock_configuration": True}


def run_query(warehouse: Path, sql: str) -> str:
    """The query's result as a printable table, run read-only with DuckDB's external access disabled and
    its configuration locked (duckdb.Error: one line, from the CLI, naming what was refused)."""
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse} does not exist yet: run `ntt-warehouse refresh` first")
    with duckdb.connect(str(warehouse), read_only=True, config=LOCKED_DOWN) as connection:
        relation = connection.sql(sql)
        return str(relation) if relation is not None else "(no result)"


def _ledger_table(tables: set[str]) -> str | None:
    """The ledger as the file holds it: raw in the build file (current even after a failed run), else the
    published copy."""
    return next((name for name in ("raw.source_files", "provenance.source_files") if name in tables), None)


def status_report(warehouse: Path, runs: int = 5) -> str:
    """Last runs, source files by status, quarantined files and the RAT plans' versions, for a person."""
    build = build_path_for(warehouse)
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
        if "provenance.load_log" in tables:
            lines += [
                "",
                "Last runs:",
                str(connection.execute(STATUS_RUNS_SQL, [runs]).df().to_string(index=False)),
            ]
            # 'running' is the publish step's own row, written while it publishes: not a failure.
            failed = connection.execute(
                "select asset, status, check_summary from provenance.load_log"
                " where run_id = (select run_id from provenance.load_log order by logged_at desc limit 1)"
                " and (status not in ('succeeded', 'running') or checks_failed > 0) order by asset"
            ).fetchall()
            if failed:
                lines += ["", "Last run, what did not pass:"]
                lines += [
                    f"  {asset}: {status}" + (f"\n    {printable(summary)}" if summary else "")
                    for asset, status, summary in failed
                ]
        else:
            lines += ["", "No refresh recorded yet."]
        ledger = _ledger_table(tables)
        if ledger:
            path = "path" if ledger.startswith("raw.") else "source_file"
            counts = connection.execute(
                f"select source, status, count(*) from {ledger} group by all order by all"
            ).fetchall()
            lines += ["", "Source files:"]
            lines += [f"  {source_name}: {count} {status}" for source_name, status, count in counts]
            flagged = connection.execute(
                f"select {path}, status, reason from {ledger}"
                " where status in ('quarantined', 'duplicate', 'superseded', 'ignored') order by status, 1"
            ).fetchall()
            # Names and reasons hold text from files: escaped, so a name with a newline stays on its line.
            flagged = [(printable(p), status, printable(r or "")) for p, status, r in flagged]
            quarantined = [(p, r) for p, status, r in flagged if status == "quarantined"]
            lines += ["", f"Quarantined files: {len(quarantined)}"]
            lines += [f"  {p}: {reason}" for p, reason in quarantined]
            lines += [
                f"  {status}: {p}: {reason}"
                for p, status, reason in flagged
                if status not in ("quarantined", "ignored")
            ]
            ignored = [(p, r) for p, status, r in flagged if status == "ignored"]
            if ignored:
                lines += ["", f"Ignored files (not read, on purpose): {len(ignored)}"]
                lines += [f"  {reason}" for p, reason in ignored]
        held_back = next(
            (t for t in ("raw.held_back_rows", "provenance.held_back_rows") if t in tables), None
        )
        if held_back:
            row = '"row"' if held_back.startswith("raw.") else "source_row"
            held = connection.execute(
                f"select source_file, {row}, reason from {held_back} order by all"
            ).fetchall()
            lines += [
                "",
                f"Rows held back (a value that cannot be true; the rest of the file is loaded): {len(held)}",
            ]
            lines += [
                f"  {printable(file)} row {number}: {printable(reason)}" for file, number, reason in held
            ]
        lines += _generic_indicator_lines(connection, tables)
        if "main.dim_document" in tables:
            # The parsing report: a warehouse built before it was kept has no such column.
            has_report = connection.execute(
                "select count(*) from information_schema.columns where table_schema = 'main'"
                " and table_name = 'dim_document' and column_name = 'parsing_report'"
            ).fetchall()[0][0]
            report = "parsing_report" if has_report else "null"
            documents = connection.execute(
                "select year, issuer_name, is_current, source_file, superseded_reason, "
                f"{report} from main.dim_document order by year, issuer_bps_code, version_rank"
            ).fetchall()
            lines += ["", "RAT plans:"]
            lines += [
                f"  {year} {printable(issuer or '?')}: {printable(file)}"
                + (" (current)" if current else f" (superseded: {printable(reason or '')})")
                + (f"\n    {printable(parsed)}" if parsed else "")
                for year, issuer, current, file, reason, parsed in documents
            ]
    return "\n".join(lines)


def _generic_indicator_lines(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> list[str]:
    """The BPS indicators with no bounds of their own, only the generic checks (dim_indicator.checks)."""
    if "main.dim_indicator" not in tables:
        return []
    columns = {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'main' and table_name = 'dim_indicator'"
        ).fetchall()
    }
    if "checks" not in columns:
        return []
    generic = connection.execute(
        "select indicator_code, unit, indicator_name_id from main.dim_indicator"
        " where source = 'BPS' and checks = 'generic' order by indicator_code"
    ).fetchall()
    return [
        "",
        "Indicators with only the generic checks (a number, one value per key, 0-100 when percent): "
        f"{len(generic)}",
        *(f"  {code} ({printable(str(unit))}): {printable(name)}" for code, unit, name in generic),
    ]
