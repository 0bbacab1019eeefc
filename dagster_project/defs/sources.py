"""One asset per source, each loaded by the one loader (store.loader) into its raw tables and the ledger.

Whole-table Great Expectations suites on the BPS tables are blocking checks; RAT plans pass a gate of their
own, per document, inside the load (a failing plan is quarantined, the rest publishes).
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.gx_checks import gx_blocking_check
from dagster_project.resources import POOL, WarehouseResource
from expectations.raw_bps import raw_bps_suites, raw_poverty_release_suites
from expectations.raw_rat import rat_plan_problems
from ingest.bps.webapi import API_BASE, BpsWebApiClient, WebApiError, parse_variable_spec
from ingest.sources import (
    BPS_DOWNLOADS,
    BPS_WEBAPI,
    POVERTY_RELEASES,
    RAT_PLANS,
    UNRECOGNISED,
    WEBAPI_FOLDER,
    discover,
    reader_version,
    with_budgets,
)
from store.contract import FileCheck, Source
from store.ledger import LEDGER_TABLE, QUARANTINE_TABLE
from store.loader import LoadResult, load_source
from store.paths import display_path
from store.quarantine_folder import copy_name, copy_to_quarantine_folder, prune_quarantine_folder
from store.read_engines import ReadEngine


def load(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    duckdb: DuckDBResource,
    source: Source,
    check: FileCheck | None = None,
    engine: ReadEngine | None = None,
) -> LoadResult:
    """Load every file of `source` present now; log what happened to each file a person must know about.

    A parallel source's files are read on `engine` (a Dask cluster) when given, else on a local pool. The
    reader gets the per-file budgets as an argument (ingest.sources.with_budgets); a file over the size
    budget is quarantined unread, and its quarantine copy is never made."""
    settings = warehouse.settings
    files = discover(settings.data_dir, settings.landing_dir)[source.name]
    source = with_budgets(source, settings.budgets)
    with duckdb.get_connection() as connection:
        result = load_source(
            connection,
            source,
            files,
            reader_version=reader_version(source, check),
            now=datetime.now(UTC),
            check=check,
            rebuild=settings.rebuild_raw,
            log=context.log.info,
            engine=engine,
            budget=settings.read_budget(),
            max_file_bytes=settings.budgets.file_bytes,
        )
    copy_to_quarantine_folder(
        result.quarantine,
        settings.quarantine_dir,
        result.hashed,
        max_bytes=settings.budgets.file_bytes,
        log=context.log.warning,
    )
    for line in result.repaired:
        context.log.warning(f"{source.name}: {line}")
    for line in result.quarantine_lines():
        context.log.warning(f"quarantined {line}")
    for line in result.ignored_lines():
        context.log.info(f"ignored {line}")
    for line in result.held_back_lines():
        context.log.warning(f"held back {line}")
    return result


def load_metadata(result: LoadResult) -> dict[str, object]:
    """What the asset reports: counts by status, and the lines the refresh summary prints."""
    present = result.present()
    return {
        **result.summary(),
        "quarantined_files": dg.MetadataValue.json(result.quarantine_lines()),
        "ignored_files": dg.MetadataValue.json(result.ignored_lines()),
        "held_back_rows": dg.MetadataValue.json(result.held_back_lines()),
        "repaired": dg.MetadataValue.json(result.repaired),
        "source_hashes": dg.MetadataValue.json(sorted({r.sha256 for r in present if r.rows_sha256})),
        "read_by": dg.MetadataValue.json(result.read_by),
        "parsing_reports": dg.MetadataValue.json(result.reports),
    }


@dg.asset(
    key=["raw", "bps_downloads"],
    group_name="bps",
    kinds={"python", "duckdb"},
    pool=POOL,
    description="BPS table downloads (CSV, XLSX, 'tabel dinamis' .xls), bundled and landed: one row a value.",
)
def bps_downloads(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, duckdb: dg.ResourceParam[DuckDBResource]
) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata=load_metadata(load(context, warehouse, duckdb, BPS_DOWNLOADS)))


def fetch_webapi_responses(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> list[str]:
    """Fetch the resource's WebAPI variables and save each raw response in the landing folder."""
    settings = warehouse.settings
    client = BpsWebApiClient(
        warehouse.bps_api_key.strip(),  # from the resource's dg.EnvVar, never from run config
        save_dir=settings.landing_dir / WEBAPI_FOLDER,
        base_url=settings.bps_api_base or API_BASE,
        log=context.log.warning,
    )
    failures = []
    for spec in warehouse.bps_webapi_variables:
        try:
            saved = client.fetch(parse_variable_spec(spec))
            context.log.info(f"saved {display_path(saved)}")
        except (WebApiError, ValueError) as error:
            failures.append(str(error))
            context.log.warning(f"{error}; the last saved response is used instead")
    return failures


@dg.asset(
    key=["raw", "bps_webapi"],
    group_name="bps",
    kinds={"python", "duckdb"},
    pool=POOL,
    description=(
        "BPS WebAPI variables (the warehouse resource's list, the kab/kota poverty variables by default). "
        "With BPS_API_KEY set, fresh responses are fetched (the client retries with backoff) and saved under "
        "the landing folder first; the newest saved response of each variable is loaded, so a failed fetch "
        "falls back to the last good one."
    ),
)
def bps_webapi(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, duckdb: dg.ResourceParam[DuckDBResource]
) -> dg.MaterializeResult:
    fetching = warehouse.settings.fetch_webapi
    failures = fetch_webapi_responses(context, warehouse) if fetching else []
    if not fetching:
        context.log.info("BPS_API_KEY is not set: the saved WebAPI responses are replayed")
    result = load(context, warehouse, duckdb, BPS_WEBAPI)
    metadata = {"mode": "fetched" if fetching else "replayed", "fetch_failures": len(failures)}
    return dg.MaterializeResult(metadata={**load_metadata(result), **metadata})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "rat_documents"], description="RAT plans loaded: one row per document content."),
        dg.AssetSpec(
            ["raw", "rat_matrix_rows"], description="RAT matrix rows, one per logical row, with provenance."
        ),
    ],
    group_name="rat",
    pool=POOL,
    can_subset=False,
)
def rat_plans(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    duckdb: dg.ResourceParam[DuckDBResource],
    read_engine: dg.ResourceParam[ReadEngine | None],
) -> Iterator[dg.MaterializeResult]:
    result = load(
        context,
        warehouse,
        duckdb,
        RAT_PLANS,
        check=partial(rat_plan_problems, docs_dir=warehouse.settings.docs_dir, run=context.run_id),
        engine=read_engine,
    )
    metadata = load_metadata(result)
    yield dg.MaterializeResult(asset_key=["raw", "rat_matrix_rows"], metadata=metadata)
    yield dg.MaterializeResult(
        asset_key=["raw", "rat_documents"], metadata={"documents": result.table_rows.get("rat_documents", 0)}
    )


@dg.asset(
    key=["raw", "poverty_releases"],
    group_name="releases",
    kinds={"python", "duckdb"},
    pool=POOL,
    description=(
        "Poverty figures from releases and the press (extreme poverty): one row per figure, with its "
        "producer (BPS or a Kemenko PMK estimate), page and caveats."
    ),
)
def poverty_releases(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, duckdb: dg.ResourceParam[DuckDBResource]
) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata=load_metadata(load(context, warehouse, duckdb, POVERTY_RELEASES)))


SOURCE_ASSETS = [bps_downloads, bps_webapi, poverty_releases, rat_plans]
# The ledger is summed up once every source has written its part.
_LOADED_SOURCES = [key for assets in SOURCE_ASSETS for key in assets.keys]
_LEDGER_TABLES = {
    "source_files": "The ledger: one row per source file, its content, status, why, and its rows.",
    "source_file_history": "Every change of a source file's content or status.",
    "quarantine": "The problems of the files that cannot be published now, one row per problem.",
    "held_back_rows": "Rows of loaded files held back (a value that cannot be true), one row each.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", table], deps=_LOADED_SOURCES, description=description)
        for table, description in _LEDGER_TABLES.items()
    ],
    group_name="sources",
    pool=POOL,
    can_subset=False,
)
def source_ledger(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, duckdb: dg.ResourceParam[DuckDBResource]
) -> Iterator[dg.MaterializeResult]:
    """After every source has loaded: record the landed files no source reads, and sum the ledger up."""
    result = load(context, warehouse, duckdb, UNRECOGNISED)
    with duckdb.get_connection() as connection:
        counts = connection.execute(
            f"select source, status, count(*) from {LEDGER_TABLE} group by all order by all"
        ).fetchall()
        quarantined = connection.execute(
            f"select distinct sha256, source_file from {QUARANTINE_TABLE} where sha256 is not null"
        ).fetchall()
    # The quarantine folder keeps the copies of what is quarantined now, nothing older.
    pruned = prune_quarantine_folder(
        warehouse.settings.quarantine_dir, {copy_name(sha, name) for sha, name in quarantined}
    )
    if pruned:
        context.log.info(f"quarantine folder: {len(pruned)} copies of earlier or fixed files removed")
    by_status: dict[str, dict[str, int]] = {}
    for source, status, count in counts:
        by_status.setdefault(source, {})[status] = count
    yield dg.MaterializeResult(
        asset_key=["raw", "source_files"],
        metadata={
            "files_by_source_and_status": dg.MetadataValue.json(by_status),
            "quarantined_files": dg.MetadataValue.json(result.quarantine_lines()),
            "ignored_files": dg.MetadataValue.json(result.ignored_lines()),
            "rows_rejected": result.count("quarantined"),
        },
    )
    yield dg.MaterializeResult(asset_key=["raw", "source_file_history"])
    yield dg.MaterializeResult(asset_key=["raw", "quarantine"])
    yield dg.MaterializeResult(asset_key=["raw", "held_back_rows"])


GX_CHECKS = [
    *(
        gx_blocking_check(dg.AssetKey(["raw", table]), f"raw.{table}", raw_bps_suites(table))
        for table in ("bps_downloads", "bps_webapi")
    ),
    gx_blocking_check(
        dg.AssetKey(["raw", "poverty_releases"]),
        "raw.poverty_releases",
        raw_poverty_release_suites("poverty_releases"),
    ),
]
