"""When refreshes run (nightly, on landing-folder changes), and what a failed run leaves behind.

Runs of the refresh job never overlap: every asset is in the `ntt_warehouse` pool, which the repo's
dagster.yaml (dagster_home/) limits to one run at a time, so the schedule, the sensor and a launchpad run
queue instead of colliding; and each run holds the warehouse's refresh lock, which the CLI takes too.
"""

import dagster as dg

from dagster_project.defs.jobs import refresh_warehouse
from dagster_project.load_log import LOAD_LOG_TABLE, load_log_rows
from dagster_project.resources import WarehouseResource
from dagster_project.run_outcome import read_run
from ingest.sources import files_in
from store import duckdb_warehouse
from store.build_lock import refresh_lock
from store.fingerprint import files_fingerprint

nightly_refresh = dg.ScheduleDefinition(
    name="nightly_refresh",
    job=refresh_warehouse,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Makassar",  # WITA, NTT's time zone
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Full refresh every night at 02:00 WITA (Asia/Makassar).",
)


def landing_fingerprint(warehouse: WarehouseResource) -> str:
    """Digest of the names and contents of the files in the landing folder (a link as its target's name, a
    file over the size budget as its size and times: store.fingerprint)."""
    settings = warehouse.settings
    files = [file.path for file in files_in(settings.landing_dir)]  # notes beside the data left out
    return files_fingerprint(files, settings.budgets.file_bytes)


@dg.sensor(
    job=refresh_warehouse,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh when a file appears in, changes in or leaves LANDING_DIR.",
)
def landing_folder_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource
) -> dg.SensorResult | dg.SkipReason:
    current = landing_fingerprint(warehouse)
    if current == context.cursor:
        return dg.SkipReason("no new, changed or removed file in the landing folder")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=current, tags={"trigger": "landing"})], cursor=current
    )


@dg.run_failure_sensor(
    monitored_jobs=[refresh_warehouse],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes a failed run's load_log rows to the build file (`ntt-warehouse status` reads them).",
)
def record_failed_refresh(context: dg.RunFailureSensorContext, warehouse: WarehouseResource) -> None:
    rows = load_log_rows(read_run(context.instance, context.dagster_run.run_id), {})
    build = warehouse.settings.build_path
    if build.exists() and not rows.empty:
        with (
            refresh_lock(build.parent, wait_seconds=600, command="record failed run"),
            duckdb_warehouse.connect(build) as connection,
        ):
            duckdb_warehouse.append_rows(connection, LOAD_LOG_TABLE, rows)
