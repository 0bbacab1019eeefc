import dagster as dg

# One process: DuckDB allows a single writer, and every step here writes the same build file.
refresh_warehouse = dg.define_asset_job(
    name="refresh_warehouse",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Full refresh: extract every source, gate it, build the dbt models, publish the warehouse.",
)
