"""When refreshes run (nightly, on landing-folder changes), and what a failed run leaves behind."""

import hashlib

import dagster as dg

from dagster_project.defs.jobs import refresh_warehouse
from dagster_project.load_log import LOAD_LOG_TABLE, load_log_rows
from dagster_project.resources import WarehouseResource
from dagster_project.settings import landing_dir
from ingest.bps.formats import CANDIDATE_SUFFIXES
from ingest.fingerprint import files_under

WATCHED_SUFFIXES = {".pdf", *CANDIDATE_SUFFIXES}

nightly_refresh = dg.ScheduleDefinition(
    name="nightly_refresh",
    job=refresh_warehouse,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Makassar",  # WITA, NTT's time zone
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Full refresh every night at 02:00 WITA (Asia/Makassar).",
)


def landing_fingerprint() -> str:
    """Digest of the names and contents of the RAT PDFs and BPS downloads in the landing folder."""
    digest = hashlib.sha256()
    for path in files_under([landing_dir()]):
        if path.suffix.lower() in WATCHED_SUFFIXES:
            digest.update(str(path).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dg.sensor(
    job=refresh_warehouse,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh when a new or changed PDF or BPS file appears in LANDING_DIR.",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    current = landing_fingerprint()
    if current == context.cursor:
        return dg.SkipReason("no new or changed file in the landing folder")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=current, tags={"trigger": "landing"})], cursor=current
    )


@dg.run_failure_sensor(
    monitored_jobs=[refresh_warehouse],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes a failed run's load_log rows to the build file (`ntt-warehouse status` reads them).",
)
def record_failed_refresh(context: dg.RunFailureSensorContext, warehouse: WarehouseResource) -> None:
    rows = load_log_rows(context.instance, context.dagster_run.run_id, {})
    if warehouse.build_path.exists() and not rows.empty:
        warehouse.append_rows(LOAD_LOG_TABLE, rows)
