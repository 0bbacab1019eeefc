"""Where a refresh's seconds go, and how close each phase is to its floor, measured in one run.

The cold refresh is timed twice. First as `make run` runs it: `ntt-warehouse refresh` with no DAGSTER_HOME,
so Dagster keeps the run's events in memory; that is the figure bench/README.md and the 30 s target mean. Then
with its own DAGSTER_HOME, as under the daemon, where every event is written to SQLite (seconds more), so
the run's events stay readable afterwards: each step's start and end come from Dagster's event log (the
same reader the publish step uses, dagster_project.run_outcome), the dbt build proper from dbt's
run_results.json, and the time before the run starts (Python, imports, definitions) from the process's own
start.

Floors are measured on the same inputs right after: pdfplumber reading the RAT PDF's pages with no logic,
Python's csv module reading every BPS file, one Great Expectations validation with a single expectation,
`dbt build` alone on the same raw state (twice: the second parses partially), DuckDB copying the build file
into a new file, and importing Dagster.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.dbt_parse_ahead import DBT_GLOBAL_FLAGS
from dagster_project.settings import DBT_BUILD_ARGS, dbt_args
from store.paths import BUNDLED_DATA_DIR, REPO_ROOT
from tests.bps_files import p0_table_with_2026

REFRESH = [sys.executable, "-m", "dagster_project.cli", "refresh", "--log-level", "WARNING"]
# Steps by the phase they belong to; the checks' steps end in their check's name.
SOURCE_STEPS = {
    "raw__bps_downloads": "extract: BPS downloads",
    "raw__bps_webapi": "extract: BPS WebAPI",
    "raw__poverty_releases": "extract: release figures",
    "rat_plans": "extract: RAT plans",
    "source_ledger": "extract: ledger",
}


@dataclass
class RefreshPhases:
    wall_seconds: float
    phases: dict[str, float] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, float]]:
        return list(self.phases.items())


def _latest_run(dagster_home: Path):
    import dagster as dg

    from dagster_project.run_outcome import read_run

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        [record] = instance.get_run_records(limit=1)
        return read_run(instance, record.dagster_run.run_id)


def _dbt_build_seconds(build_folder: Path) -> float | None:
    """dbt's own elapsed time for the warehouse's last build (its run_results.json)."""
    results = build_folder / "dbt-target" / "run_results.json"
    return float(json.loads(results.read_text())["elapsed_time"]) if results.exists() else None


def plain_refresh(warehouse: Path, landing: Path) -> float:
    """Seconds of one CLI refresh exactly as `make run` runs it (no DAGSTER_HOME: events kept in memory)."""
    env = {**os.environ, "LANDING_DIR": str(landing)}
    for name in ("DAGSTER_HOME", "BPS_API_KEY"):
        env.pop(name, None)
    started = time.perf_counter()
    result = subprocess.run(
        [*REFRESH, "--warehouse", str(warehouse)], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"refresh failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def measured_refresh(
    warehouse: Path, landing: Path, force: bool = False, data_dir: Path | None = None
) -> RefreshPhases:
    """One CLI refresh, timed as a whole and phase by phase."""
    home = Path(tempfile.mkdtemp(prefix="bench-dagster-home-"))
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {**os.environ, "LANDING_DIR": str(landing), "DAGSTER_HOME": str(home)}
    if data_dir is not None:
        env["NTT_DATA_DIR"] = str(data_dir)
    env.pop("BPS_API_KEY", None)
    args = [*REFRESH, "--warehouse", str(warehouse), *(["--force"] if force else [])]
    wall_clock_start = time.time()
    started = time.perf_counter()
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"refresh failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    if "Nothing changed" in result.stdout:
        shutil.rmtree(home, ignore_errors=True)
        return RefreshPhases(wall, {"start and no-change check (whole command)": wall})
    run = _latest_run(home)
    shutil.rmtree(home, ignore_errors=True)
    phases: dict[str, float] = {}
    steps = {key: step for key, step in run.steps.items() if step.seconds is not None}
    first_start = min(step.started for step in steps.values())
    last_end = max(step.ended for step in steps.values())
    phases["Python, imports, definitions, no-change check"] = first_start - wall_clock_start
    for key, label in SOURCE_STEPS.items():
        if key in steps:
            phases[label] = steps[key].seconds
    phases["GX checks (whole tables)"] = sum(s.seconds for k, s in steps.items() if "_gx_" in k)
    dbt = steps["ntt_dbt_models"].seconds
    build = _dbt_build_seconds(warehouse.parent / ".build")
    if build is not None:
        phases["dbt: start, partial parse, Dagster events"] = dbt - build
        phases["dbt: build (models and tests)"] = build
    else:
        phases["dbt: whole step"] = dbt
    phases["publish (copy, Parquet, Data Docs)"] = steps["published_warehouse"].seconds
    phases["report, and the Excel workbook beside it"] = steps["warehouse_report"].seconds
    between = (last_end - first_start) - sum(s.seconds for s in steps.values())
    phases["Dagster between steps"] = max(between, 0.0)
    phases["after the run (outcome, exit)"] = wall - (last_end - wall_clock_start)
    return RefreshPhases(wall, phases)


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def _pdfplumber_pages(pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            page.find_tables()
            page.extract_words()
            page.close()


def _csv_rows(folder: Path) -> None:
    for path in sorted(folder.rglob("*.csv")):
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            for _ in csv.reader(handle):
                pass


def _one_expectation(build: Path) -> float:
    """Seconds of one validation of one expectation, GX imported and its context warm."""
    import duckdb

    from expectations.runner import SuiteSpec, gx, validate_dataframe

    frame = duckdb.connect(str(build), read_only=True).execute("select * from raw.bps_downloads").df()

    def spec() -> SuiteSpec:
        return SuiteSpec("floor", [gx.expectations.ExpectColumnValuesToNotBeNull(column="value")])

    validate_dataframe(frame, spec())
    return _timed(validate_dataframe, frame, spec())


def _dbt_build(database: Path, target: Path) -> None:
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run(
        [
            str(dbt),
            *DBT_GLOBAL_FLAGS,
            *DBT_BUILD_ARGS,
            *dbt_args(database),
            "--quiet",
            "--target-path",
            str(target),
        ],
        cwd=REPO_ROOT / "dbt",
        check=True,
        capture_output=True,
    )


def _duckdb_copy(build: Path, destination: Path) -> None:
    import duckdb

    connection = duckdb.connect()
    connection.execute("attach ? as source (read_only)", [str(build)])
    connection.execute("attach ? as copy (storage_version 'v1.0.0')", [str(destination)])
    connection.execute("copy from database source to copy")
    connection.close()


def floors(build: Path) -> dict[str, float]:
    """The least each phase could cost on this machine, measured on the inputs the refresh had."""
    work = Path(tempfile.mkdtemp(prefix="bench-floors-"))
    try:
        database = work / "dbt.duckdb"
        shutil.copy(build, database)
        target = work / "target"
        results = {
            "import dagster and dagster-dbt": _timed(
                subprocess.run, [sys.executable, "-c", "import dagster, dagster_dbt"]
            ),
            "pdfplumber: the RAT PDF's tables and words, no logic": _timed(
                _pdfplumber_pages, BUNDLED_DATA_DIR / "rat" / "RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf"
            ),
            "csv module: every bundled BPS file, no logic": _timed(_csv_rows, BUNDLED_DATA_DIR / "bps"),
            "GX: one validation of one expectation on raw.bps_downloads": _one_expectation(build),
            "dbt build alone (the refresh's command), full parse": _timed(_dbt_build, database, target),
            "dbt build alone (the refresh's command), partial parse": _timed(_dbt_build, database, target),
            "DuckDB: copy the build file into a new file": _timed(_duckdb_copy, build, work / "copy.duckdb"),
        }
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def breakdown(workdir: Path) -> dict[str, object]:
    """A cold refresh of the bundled data, a no-change refresh, their phases, and the floors."""
    landing = workdir / "landing"
    landing.mkdir(parents=True, exist_ok=True)
    warehouse = workdir / "warehouse" / "ntt_poverty.duckdb"
    plain = plain_refresh(workdir / "plain" / "ntt_poverty.duckdb", landing)
    cold = measured_refresh(warehouse, landing)
    unchanged = measured_refresh(warehouse, landing)
    _land_a_newer_p0_table(landing)
    one_file = measured_refresh(warehouse, landing)
    measured_floors = floors(warehouse.parent / ".build" / warehouse.name)
    return {
        "cold_refresh_seconds": plain,
        "cold_refresh_persistent_instance_seconds": cold.wall_seconds,
        "cold_refresh_phases": cold.phases,
        "no_change_refresh_seconds": unchanged.wall_seconds,
        "one_new_file_refresh_seconds": one_file.wall_seconds,
        "one_new_file_refresh_phases": one_file.phases,
        "floors": measured_floors,
    }


def _land_a_newer_p0_table(landing: Path) -> None:
    """The bundled kab/kota P0 table as next year's download would be: a 2026 column (2025's values)."""
    (landing / "P0_kabkota_2026.csv").write_text(p0_table_with_2026())


def print_breakdown(figures: dict[str, object]) -> None:
    print(f"\ncold refresh of the bundled data (make run): {figures['cold_refresh_seconds']:.1f} s")
    print(
        "cold refresh with a persistent Dagster instance (DAGSTER_HOME, as under the daemon): "
        f"{figures['cold_refresh_persistent_instance_seconds']:.1f} s"
    )
    for name, seconds in figures["cold_refresh_phases"].items():
        print(f"  {name:<52} {seconds:7.2f} s")
    print(f"refresh with nothing changed: {figures['no_change_refresh_seconds']:.2f} s (the whole command)")
    print(f"refresh with one new BPS table landed: {figures['one_new_file_refresh_seconds']:.1f} s")
    for name, seconds in figures["one_new_file_refresh_phases"].items():
        print(f"  {name:<52} {seconds:7.2f} s")
    print("floors, measured in the same run:")
    for name, seconds in figures["floors"].items():
        print(f"  {name:<60} {seconds:7.2f} s")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        print_breakdown(breakdown(Path(folder)))
