"""Publishing: the one step that touches the file readers open.

It runs last, after every asset of the job (it depends on all of them), and before replacing the published
file it reads this run's own event log: any failed step or failed blocking check, and nothing is published.
Dependencies alone are not enough: a check that fails without failing its step, or an asset the graph does
not connect, would otherwise let a half-good build through.
"""

import dagster as dg

from dagster_project.defs.bps import FORMAT_ASSETS, bps_files, bps_webapi
from dagster_project.defs.dbt_models import ntt_dbt_models
from dagster_project.defs.rat import rat_documents
from dagster_project.resources import WarehouseResource
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
    path = warehouse.publish()
    context.log.info(f"published {display_path(path)}")
    return dg.MaterializeResult(metadata={"path": str(path), "size_bytes": path.stat().st_size})
