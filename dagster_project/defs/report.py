"""What people open without SQL, rebuilt after every publish: the HTML report and the Excel workbook."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import dagster as dg

from dagster_project.defs.publish import published_warehouse
from dagster_project.resources import POOL, WarehouseResource
from reporting.excel_export import write_excel_export
from reporting.report import build_report
from store.paths import display_path


@dg.asset(
    deps=[published_warehouse],
    group_name="publish",
    kinds={"html", "excel"},
    pool=POOL,
    description=(
        "warehouse/report/index.html (poverty and budget charts, and the last run's data quality) and the "
        "Excel workbook of the published file, warehouse/exports/ntt_poverty_<date>.xlsx."
    ),
)
def warehouse_report(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    refresh_lock: dg.ResourceParam[None],  # reads the build file: held, as by every step of a run
) -> dg.MaterializeResult:
    # The workbook is written by a second process while this one draws the report: both are a second or
    # more of pure Python, and the refresh's other core is idle by now. forkserver: no DuckDB handle or
    # thread of this process is inherited.
    settings = warehouse.settings
    spawner = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawner) as pool:
        workbook = pool.submit(write_excel_export, settings.warehouse_path, settings.exports_dir)
        # The build file has what was published plus this run's load_log and quarantine, even when the
        # published file was left as it was.
        page = build_report(settings.build_path, settings.report_dir)
        excel = workbook.result()
    context.log.info(f"report written to {display_path(page)}, workbook to {display_path(excel)}")
    return dg.MaterializeResult(
        metadata={"path": dg.MetadataValue.path(str(page)), "workbook": dg.MetadataValue.path(str(excel))}
    )
