"""Publishing: the one step that touches the file readers open."""

import dagster as dg

from dagster_project.defs.dbt_models import ntt_dbt_models
from dagster_project.resources import WarehouseResource
from ingest.paths import display_path


@dg.asset(
    deps=list(ntt_dbt_models.keys),
    group_name="publish",
    kinds={"duckdb"},
    description=(
        "The published warehouse file. Runs only after every model is built and every blocking check "
        "passed; replaces the file atomically in a storage format DuckDB 1.x readers can open."
    ),
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    path = warehouse.publish()
    context.log.info(f"published {display_path(path)}")
    return dg.MaterializeResult(metadata={"path": str(path), "size_bytes": path.stat().st_size})
