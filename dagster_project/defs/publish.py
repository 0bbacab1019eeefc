"""Publishing: the one step that touches the file readers open.

It runs last, after every asset of the job (it depends on all of them), and before replacing the published
file it reads this run's own event log: any failed step or failed blocking check, and nothing is published.
Dependencies alone are not enough: a check that fails without failing its step, or an asset the graph does
not connect, would otherwise let a half-good build through.
"""

from datetime import UTC, datetime

import dagster as dg

from dagster_project.defs.bps import FORMAT_ASSETS, bps_files, bps_webapi
from dagster_project.defs.dbt_models import ntt_dbt_models
from dagster_project.defs.rat import rat_documents
from dagster_project.load_log import LOAD_LOG_TABLE, load_log_rows
from dagster_project.resources import WarehouseResource
from dagster_project.settings import refresh_inputs
from ingest import duckdb_warehouse
from ingest.duckdb_warehouse import write_publish_state
from ingest.fingerprint import fingerprint
from ingest.paths import display_path

UPSTREAM = [bps_files, bps_webapi, *FORMAT_ASSETS, rat_documents, ntt_dbt_models]


def problems_in_run(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Failed steps and failed error-severity checks recorded so far in the run."""
    problems = []
    records = instance.get_records_for_run(
        run_id, of_type={dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.ASSET_CHECK_EVALUATION}
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            problems.append(f"step {event.step_key} failed")
            continue
        evaluation = event.asset_check_evaluation_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            problems.append(
                f"check {evaluation.check_name} on {evaluation.asset_key.to_user_string()} failed"
            )
    return problems


@dg.asset(
    deps=[key for assets in UPSTREAM for key in assets.keys],
    group_name="publish",
    kinds={"duckdb"},
    description=(
        "The published warehouse file. Built only when every asset of the run succeeded and every blocking "
        "check passed; replaced atomically, in a storage format DuckDB 1.x readers can open."
    ),
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    problems = problems_in_run(context.instance, context.run_id)
    if problems:
        raise dg.Failure(description="not publishing: " + "; ".join(problems))
    inputs, files = fingerprint(refresh_inputs())  # before publishing: what this build was made from
    log = load_log_rows(context.instance, context.run_id, warehouse.row_counts())
    warehouse.append_rows(LOAD_LOG_TABLE, log)
    content = warehouse.content_digest()
    if content == warehouse.published_content_digest():
        # Same tables as readers already have (a quarantined file, say): leave their file as it is.
        path = warehouse.published_path
        context.log.info(f"content unchanged: {display_path(path)} left as it was")
        state = duckdb_warehouse.last_publish_state(path)
        write_publish_state(
            path, {**state, "fingerprint": inputs, "input_files": files, "run_id": context.run_id}
        )
        return dg.MaterializeResult(
            metadata={"path": str(path), "replaced": False, "load_log_rows": len(log)}
        )
    path = warehouse.publish()
    write_publish_state(
        path,
        {
            "fingerprint": inputs,
            "input_files": files,
            "run_id": context.run_id,
            "published_at": datetime.now(UTC).isoformat(),
            "content_digest": content,
        },
    )
    exports = len(list(warehouse.parquet_dir.glob("*.parquet")))
    context.log.info(f"published {display_path(path)} and {exports} Parquet files")
    return dg.MaterializeResult(
        metadata={
            "path": str(path),
            "replaced": True,
            "size_bytes": path.stat().st_size,
            "load_log_rows": len(log),
        }
    )
