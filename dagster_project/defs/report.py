"""The HTML report people open first, rebuilt after every publish."""

import dagster as dg

from dagster_project.defs.publish import published_warehouse
from dagster_project.resources import POOL, WarehouseResource
from ingest.paths import display_path
from reporting.report import build_report


@dg.asset(
    deps=[published_warehouse],
    group_name="publish",
    kinds={"html"},
    pool=POOL,
    description="warehouse/report/index.html: poverty and budget charts, and the last run's data quality.",
)
def warehouse_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    # The build file has what was published plus this run's load_log and quarantine, even when the
    # published file was left as it was.
    page = build_report(warehouse.build_path, warehouse.published_path.parent / "report")
    context.log.info(f"report written to {display_path(page)}")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(page))})
