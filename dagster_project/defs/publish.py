"""Publishing: the one step that touches the file readers open.

It runs last, after every asset of the job (it depends on all of them), and before replacing the published
file it reads this run's own outcome: any failed step or failed blocking check, and nothing is published.
Dependencies alone are not enough: a check that fails without failing its step, or an asset the graph does
not connect, would otherwise let a half-good build through.
"""

from datetime import UTC, datetime

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.dbt_models import ntt_dbt_models
from dagster_project.defs.sources import SOURCE_ASSETS, source_ledger
from dagster_project.load_log import LOAD_LOG_TABLE, load_log_rows
from dagster_project.resources import POOL, WarehouseResource
from dagster_project.run_outcome import read_run
from dagster_project.settings import refresh_inputs
from expectations.runner import write_data_docs
from store import duckdb_warehouse
from store.fingerprint import fingerprint
from store.paths import display_path
from store.publish_state import last_publish_state, published_content_digest, write_publish_state

UPSTREAM = [*SOURCE_ASSETS, source_ledger, ntt_dbt_models]
# The row counts load_log gives: the build file's schemas (published or not).
BUILD_SCHEMAS = ("raw", "staging", "intermediate", "main", "provenance")


@dg.asset(
    deps=[key for assets in UPSTREAM for key in assets.keys],
    group_name="publish",
    kinds={"duckdb"},
    pool=POOL,
    description=(
        "The published warehouse file: the `main` and `provenance` schemas of the build. Built only when "
        "every asset of the run succeeded and every blocking check passed; replaced atomically, in a "
        "storage format DuckDB 1.x readers can open."
    ),
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, duckdb: dg.ResourceParam[DuckDBResource]
) -> dg.MaterializeResult:
    outcome = read_run(context.instance, context.run_id)
    if outcome.problems():
        raise dg.Failure(description="not publishing: " + "; ".join(outcome.problems()))
    settings = warehouse.settings
    write_data_docs(settings.docs_dir, context.run_id)  # every validation of this run, in one rendering
    # Before publishing: what this build was made from (equal digests build equal warehouses).
    inputs, files = fingerprint(
        refresh_inputs(settings.data_dir, settings.landing_dir), settings.budgets.file_bytes
    )
    with duckdb.get_connection() as connection:
        log = load_log_rows(outcome, duckdb_warehouse.relation_row_counts(connection, BUILD_SCHEMAS))
        duckdb_warehouse.append_rows(connection, LOAD_LOG_TABLE, log)
        content = duckdb_warehouse.content_digest(connection)
    state = {"fingerprint": inputs, "input_files": files, "run_id": context.run_id}
    path = settings.warehouse_path
    if content == published_content_digest(path):
        # Same tables as readers already have (a quarantined file, say): leave their file as it is.
        context.log.info(f"content unchanged: {display_path(path)} left as it was")
        previous = last_publish_state(path) or {}
        write_publish_state(path, {**previous, **state})
        return dg.MaterializeResult(
            metadata={"path": str(path), "replaced": False, "load_log_rows": len(log)}
        )
    duckdb_warehouse.publish(settings.build_path, path)
    exports = duckdb_warehouse.export_parquet(path, settings.parquet_dir)
    write_publish_state(
        path, {**state, "published_at": datetime.now(UTC).isoformat(), "content_digest": content}
    )
    context.log.info(f"published {display_path(path)} and {len(exports)} Parquet files")
    return dg.MaterializeResult(
        metadata={
            "path": str(path),
            "replaced": True,
            "size_bytes": path.stat().st_size,
            "load_log_rows": len(log),
        }
    )
