"""`ntt-warehouse`: the command line for data teams and analysts."""

import argparse
import atexit
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from store.paths import printable

if TYPE_CHECKING:
    from dagster_project.settings import Settings

EX_USAGE = 64  # sysexits.h: a setting cannot be used
EX_CANTCREAT = 73  # sysexits.h: a file of the warehouse's folders cannot be made (read-only, full, a link)
EX_TEMPFAIL = 75  # sysexits.h: try again later (another refresh holds the warehouse)
EX_UNAVAILABLE = 69  # sysexits.h: a service is unavailable (the Dask cluster set to read on)
EX_SOFTWARE = 70  # sysexits.h: an error the command did not expect (a bug): one line, no traceback


def _settings(args: argparse.Namespace, **given: object) -> "Settings":
    """The settings of this command: its flags over the environment over the defaults."""
    from dagster_project.settings import Settings

    return Settings.from_environment(warehouse_path=args.warehouse, **given)


def _refresh(args: argparse.Namespace) -> int:
    from dagster_project.refresh import refresh
    from dagster_project.settings import SettingsError
    from store.build_lock import RefreshBusyError
    from store.errors import ReadEngineError, WarehouseFolderError

    def waiting(holder: object) -> None:
        who = holder.describe() if holder else "another refresh"
        print(f"waiting for {who} (up to {args.wait:g} s)", file=sys.stderr, flush=True)

    try:
        settings = _settings(args, rebuild_raw=args.rebuild, lock_wait_seconds=args.wait)
        outcome = refresh(settings, log_level=args.log_level, force=args.force, on_wait=waiting)
    except RefreshBusyError as busy:
        print(f"error: {busy}; try again later, or wait longer with --wait SECONDS", file=sys.stderr)
        return EX_TEMPFAIL
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EX_USAGE
    except WarehouseFolderError as error:
        print(f"error: cannot write the warehouse: {error}; nothing was done", file=sys.stderr)
        return EX_CANTCREAT
    except ReadEngineError as error:
        print(f"error: {error}; nothing was read or published", file=sys.stderr)
        return EX_UNAVAILABLE
    print(outcome.report(), file=sys.stdout if outcome.success else sys.stderr)
    return 0 if outcome.success else 1


class _PageProgress:
    """Page counter on stderr: redrawn in place on a terminal, every tenth page in a log."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.interactive = sys.stderr.isatty()

    def __call__(self, page: int, total: int) -> None:
        if self.interactive:
            end = "\n" if page == total else ""
            print(f"\r{self.label}: page {page}/{total}", end=end, file=sys.stderr, flush=True)
        elif page == total or page % 10 == 0:
            print(f"{self.label}: page {page}/{total}", file=sys.stderr, flush=True)


def _extract_rat(args: argparse.Namespace) -> int:
    from ingest.rat.debug_pages import write_debug_pages
    from ingest.rat.extract import read_rat, write_rows_csv
    from ingest.rat.settings import DEFAULT_RAT_SETTINGS
    from store.errors import SourceFileError

    try:
        if args.out is None and args.debug_pages is None:
            raise ValueError("say where to write: --out CSV, --debug-pages DIR, or both")
        settings = DEFAULT_RAT_SETTINGS.replaced(args.set)
        extraction = read_rat(args.pdf, progress=_PageProgress(args.pdf.name), settings=settings)
    except (ValueError, SourceFileError) as error:  # a RAT document error, a file over a budget
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return 2
    if args.debug_pages is not None:
        drawn = write_debug_pages(extraction, args.debug_pages, settings=settings)
        print(f"{len(drawn)} pages drawn as the extractor saw them -> {args.debug_pages}", file=sys.stderr)
    document = extraction.document
    if document is not None and document.report is not None:
        print(f"parsing report: {document.report.line()}", file=sys.stderr)
    if extraction.error is not None:
        print(f"error: {extraction.error}", file=sys.stderr)
        return 2
    if args.out is not None:
        write_rows_csv(document, args.out)
    budget_lines = len({row.budget_line for row in document.rows if row.budget_line is not None})
    print(
        f"{len(document.rows)} rows, {budget_lines} budget lines, total pagu Rp {document.budget_total:,} "
        f"(RAT {document.year}, matrix on pages {document.matrix_pages[0]}-{document.matrix_pages[-1]})"
        + (f" -> {args.out}" if args.out is not None else ""),
        file=sys.stderr,
    )
    return 0


def _warehouse(args: argparse.Namespace) -> Path:
    return _settings(args).warehouse_path


def _query(args: argparse.Namespace) -> int:
    import duckdb

    from dagster_project.readouts import run_query

    try:
        print(run_query(_warehouse(args), args.sql))
    except duckdb.PermissionException as error:
        first = str(error).splitlines()[0]
        print(
            f"error: {first} (a query reads the warehouse and no other file, and writes none)",
            file=sys.stderr,
        )
        return 2
    except (duckdb.Error, FileNotFoundError) as error:
        print(f"error: {printable(str(error).strip())}", file=sys.stderr)
        return 2
    return 0


def _status(args: argparse.Namespace) -> int:
    from dagster_project.readouts import status_report

    try:
        print(status_report(_warehouse(args), runs=args.runs))
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _docs(args: argparse.Namespace) -> int:
    from dagster_project.docs import generate_docs

    try:
        written = generate_docs(_settings(args))
    except FileNotFoundError as error:
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


def _export(args: argparse.Namespace) -> int:
    import duckdb

    from reporting.excel_export import export_warehouse

    database = _warehouse(args)
    if not database.exists():
        print(f"error: no warehouse at {database}; run `ntt-warehouse refresh` first", file=sys.stderr)
        return 2
    try:
        paths = export_warehouse(database, args.out, args.format)
    except (duckdb.Error, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="ntt-warehouse",
        description="NTT poverty warehouse: BPS statistics and RAT action plans in DuckDB.",
    )
    commands = root.add_subparsers(dest="command", required=True)

    refresh = commands.add_parser(
        "refresh",
        help="extract every source, run the quality gates, build the models and publish the warehouse",
    )
    refresh.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="published DuckDB file (default: $NTT_WAREHOUSE or warehouse/ntt_poverty.duckdb)",
    )
    refresh.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    refresh.add_argument(
        "--force", action="store_true", help="rebuild even when no input changed since the last publish"
    )
    refresh.add_argument(
        "--rebuild",
        action="store_true",
        help="read every source file again instead of trusting what earlier refreshes read (implies --force)",
    )
    refresh.add_argument(
        "--wait",
        type=float,
        default=1800,
        metavar="SECONDS",
        help="how long to wait for another refresh of the same warehouse before giving up (exit 75)",
    )
    refresh.set_defaults(handler=_refresh)

    extract = commands.add_parser(
        "extract-rat", help="extract the matrix of a RAT PDF into a CSV, one line per logical row"
    )
    extract.add_argument("pdf", type=Path, help="the RAT report (PDF)")
    extract.add_argument("--out", type=Path, help="CSV file to write")
    extract.add_argument(
        "--debug-pages",
        type=Path,
        metavar="DIR",
        help="draw each page with a table as the extractor saw it (tables, columns, rows) into DIR as PNG",
    )
    extract.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one of the extractor's tolerances (ingest/rat/settings.py), e.g. column_tolerance=4",
    )
    extract.set_defaults(handler=_extract_rat)

    warehouse_help = "published DuckDB file (default: $NTT_WAREHOUSE or warehouse/ntt_poverty.duckdb)"
    query = commands.add_parser(
        "query", help="run SQL against the published warehouse (read-only) and print it"
    )
    query.add_argument("sql", help='for example "select * from main.mart_budget_vs_poverty limit 5"')
    query.add_argument("--warehouse", type=Path, default=None, help=warehouse_help)
    query.set_defaults(handler=_query)

    status = commands.add_parser(
        "status", help="the last refreshes (from load_log) and the quarantined files"
    )
    status.add_argument("--warehouse", type=Path, default=None, help=warehouse_help)
    status.add_argument("--runs", type=int, default=5, help="how many runs to show")
    status.set_defaults(handler=_status)

    docs = commands.add_parser(
        "docs", help="regenerate docs/: the dbt data dictionary and the star-schema diagram"
    )
    docs.add_argument("--warehouse", type=Path, default=None, help=warehouse_help)
    docs.set_defaults(handler=_docs)

    export = commands.add_parser(
        "export",
        help="the marts as an Excel workbook (one sheet per mart and a Keterangan sheet), or CSV / Parquet",
    )
    export.add_argument("--format", choices=["xlsx", "csv", "parquet"], default="xlsx")
    export.add_argument("--out", type=Path, required=True, help="folder to write into")
    export.add_argument("--warehouse", type=Path, default=None, help=warehouse_help)
    export.set_defaults(handler=_export)
    return root


def main(argv: list[str] | None = None) -> int:
    """Run one command; an error it did not expect is one line on stderr (exit 70), never a traceback in a
    person's terminal or a nightly log (`python -X dev -m dagster_project.cli ...` shows it)."""
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except Exception as error:
        if sys.flags.dev_mode:
            raise
        print(
            f"error: {type(error).__name__}: {printable(str(error))} (not expected: a bug)", file=sys.stderr
        )
        return EX_SOFTWARE


def run() -> None:
    """The `ntt-warehouse` command: main(), then an exit that skips the interpreter's teardown.

    A refresh leaves Dagster, dbt's manifest, Great Expectations and pandas in memory, and Python took 1.3 s
    to tear them down after the summary was printed. By then every file is closed (connections are
    context-managed, the lock released): the exit handlers run (they remove temporary folders), the output
    is flushed, and the process ends.
    """
    code = main()
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
