"""BPS statistics: every bundled or landed download, one raw table per layout, and the WebAPI."""

import os
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pandas as pd

from dagster_project.gx_checks import gx_blocking_check
from dagster_project.resources import WarehouseResource
from dagster_project.settings import bundled_data_dir, landing_dir
from expectations.raw_bps import raw_bps_suites
from ingest.bps import empty_long_table
from ingest.bps.formats import FORMATS, BpsFormat, candidate_files, format_of
from ingest.bps.webapi import (
    API_BASE,
    POVERTY_VARIABLES,
    BpsWebApiClient,
    WebApiError,
    WebApiRequest,
    latest_saved_responses,
    parse_response,
)
from ingest.fingerprint import file_sha256
from ingest.incremental import QUARANTINE_COLUMNS, FileLoad, copy_to_quarantine_folder, load_files
from ingest.paths import display_path

FILES_TABLE = "bps_files"
WEBAPI_TABLE = "bps_webapi"
WEBAPI_FOLDER = "bps-webapi"


BUNDLED, LANDED = "bundled", "landed"


def bps_candidate_files() -> list[tuple[Path, str]]:
    """Every file that may be a BPS download, with where it came from (bundled or landed)."""
    return [(p, BUNDLED) for p in candidate_files(bundled_data_dir() / "bps")] + [
        (p, LANDED) for p in candidate_files(landing_dir())
    ]


@dg.asset(
    key=["raw", FILES_TABLE],
    group_name="bps",
    kinds={"python", "duckdb"},
    description="Every BPS download bundled or landed, its SHA-256, and the layout its content shows.",
)
def bps_files(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    now = datetime.now(UTC)
    records, unrecognised = [], []
    for path, origin in bps_candidate_files():
        fmt = format_of(path)
        sha256 = file_sha256(path)
        records.append(
            {
                "source_file": display_path(path),
                "path": str(path),
                "origin": origin,
                "sha256": sha256,
                "format": fmt.name if fmt else None,
                "_loaded_at": now,
            }
        )
        if fmt is None:
            reason = (
                f"{display_path(path)}: matches no BPS table layout we know (see data/bps/BPS_FORMATS.md)"
            )
            context.log.warning(f"quarantined {reason}")
            unrecognised.append(
                {
                    "source_file": display_path(path),
                    "sha256": sha256,
                    "row": None,
                    "check_name": "layout",
                    "reason": reason,
                    "quarantined_at": now,
                }
            )
    inventory = pd.DataFrame.from_records(
        records, columns=["source_file", "path", "origin", "sha256", "format", "_loaded_at"]
    ).astype({"format": "string"})
    warehouse.replace_raw_table(FILES_TABLE, inventory)
    warehouse.replace_quarantine(
        FILES_TABLE, pd.DataFrame.from_records(unrecognised, columns=QUARANTINE_COLUMNS)
    )
    counts = inventory["format"].fillna("unrecognised").value_counts().to_dict()
    return dg.MaterializeResult(
        metadata={
            "files": len(inventory),
            "by_format": dg.MetadataValue.json(counts),
            "reasons": dg.MetadataValue.json([r["reason"] for r in unrecognised]),
        }
    )


def _load_result(load: FileLoad) -> dg.MaterializeResult:
    reasons = list(load.quarantine["reason"]) if not load.quarantine.empty else []
    summary = load.summary()
    summary["source_hashes"] = dg.MetadataValue.json(summary["source_hashes"])
    return dg.MaterializeResult(metadata={**summary, "reasons": dg.MetadataValue.json(reasons)})


def _format_asset(fmt: BpsFormat) -> dg.AssetsDefinition:
    @dg.asset(
        name=fmt.table,
        key_prefix="raw",
        deps=[bps_files],
        group_name="bps",
        kinds={"python", "duckdb"},
        description=f"BPS {fmt.description}: one row per area x year x period x indicator.",
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        inventory = warehouse.read_table(f"raw.{FILES_TABLE}")
        mine = inventory[inventory["format"] == fmt.name]
        origin = dict(zip(mine["path"], mine["origin"], strict=True))
        load = load_files(
            source=fmt.table,
            files=[Path(p) for p in mine["path"]],
            parse=lambda path: fmt.parse(path).assign(_origin=origin[str(path)]),
            previous=warehouse.read_table_if_exists(f"raw.{fmt.table}"),
            previous_quarantine=warehouse.read_quarantine(fmt.table),
            loaded_at=datetime.now(UTC),
            log=context.log.info,
        )
        warehouse.replace_raw_table(fmt.table, load.table if not load.table.empty else empty_long_table())
        warehouse.replace_quarantine(fmt.table, load.quarantine)
        copy_to_quarantine_folder(load.quarantine, warehouse.quarantine_dir)
        return _load_result(load)

    return _asset


FORMAT_ASSETS = [_format_asset(fmt) for fmt in FORMATS]


def _webapi_folders() -> list[Path]:
    return [bundled_data_dir() / "bps" / WEBAPI_FOLDER, landing_dir() / WEBAPI_FOLDER]


@dg.asset(
    key=["raw", WEBAPI_TABLE],
    group_name="bps",
    kinds={"python", "duckdb"},
    retry_policy=dg.RetryPolicy(max_retries=3, delay=30, backoff=dg.Backoff.EXPONENTIAL),
    description=(
        "BPS WebAPI kab/kota poverty variables. With BPS_API_KEY set, fresh responses are fetched and saved "
        "under the landing folder first; without it, the newest saved responses are replayed."
    ),
)
def bps_webapi(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    key = os.environ.get("BPS_API_KEY", "").strip()
    failures = []
    if key:
        client = BpsWebApiClient(
            key,
            save_dir=landing_dir() / WEBAPI_FOLDER,
            base_url=os.environ.get("BPS_API_BASE") or API_BASE,
            log=context.log.warning,
        )
        for variable in POVERTY_VARIABLES:
            try:
                saved = client.fetch(WebApiRequest(domain="0000", variable=variable))
                context.log.info(f"saved {display_path(saved)}")
            except WebApiError as error:
                failures.append(str(error))
                context.log.warning(f"{error}; the last saved response is used instead")
    saved_responses = latest_saved_responses(_webapi_folders())
    if not key:
        context.log.info(f"BPS_API_KEY is not set: replaying {len(saved_responses)} saved WebAPI response(s)")
    landed = landing_dir() / WEBAPI_FOLDER
    load = load_files(
        source=WEBAPI_TABLE,
        files=saved_responses,
        parse=lambda path: parse_response(path).assign(
            _origin=LANDED if path.is_relative_to(landed) else BUNDLED
        ),
        previous=warehouse.read_table_if_exists(f"raw.{WEBAPI_TABLE}"),
        previous_quarantine=warehouse.read_quarantine(WEBAPI_TABLE),
        loaded_at=datetime.now(UTC),
        log=context.log.info,
    )
    warehouse.replace_raw_table(WEBAPI_TABLE, load.table if not load.table.empty else empty_long_table())
    warehouse.replace_quarantine(WEBAPI_TABLE, load.quarantine)
    copy_to_quarantine_folder(load.quarantine, warehouse.quarantine_dir)
    result = _load_result(load)
    return dg.MaterializeResult(
        metadata={
            **result.metadata,
            "mode": "fetched" if key else "replayed",
            "fetch_failures": len(failures),
        }
    )


GX_CHECKS = [
    gx_blocking_check(dg.AssetKey(["raw", table]), f"raw.{table}", suites)
    for table, suites in [(fmt.table, raw_bps_suites(fmt.table)) for fmt in FORMATS]
    + [(WEBAPI_TABLE, raw_bps_suites(WEBAPI_TABLE))]
]
