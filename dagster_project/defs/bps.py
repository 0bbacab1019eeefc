"""BPS statistics tables: bundled downloads plus whatever lands in LANDING_DIR."""

from pathlib import Path

import dagster as dg
import pandas as pd

from dagster_project.gx_checks import gx_blocking_check
from dagster_project.resources import WarehouseResource
from dagster_project.settings import bundled_data_dir, landing_dir
from expectations.raw_bps import raw_bps_suite
from ingest.bps.multi_year_csv import is_multi_year_csv, parse_multi_year_csv, read_csv_rows
from ingest.duckdb_warehouse import with_load_time
from ingest.errors import SourceFileError
from ingest.paths import display_path

MULTI_YEAR_TABLE = "bps_multi_year_csv"


def multi_year_csv_files() -> list[Path]:
    """Bundled and landed CSVs laid out as BPS multi-year tables, in a stable order."""
    candidates = sorted((bundled_data_dir() / "bps").rglob("*.csv")) + sorted(landing_dir().rglob("*.csv"))
    found = []
    for path in candidates:
        try:
            if is_multi_year_csv(read_csv_rows(path)):
                found.append(path)
        except SourceFileError:
            continue  # not ours to judge here; the parser for its format reports it
    return found


@dg.asset(
    key=["raw", MULTI_YEAR_TABLE],
    group_name="bps",
    kinds={"python", "duckdb"},
    description="BPS multi-year CSV downloads (P0, number of poor by kabupaten/kota), one row per value.",
)
def bps_multi_year_csv(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    files = multi_year_csv_files()
    frames = []
    for index, path in enumerate(files, start=1):
        context.log.info(f"[{index}/{len(files)}] reading {display_path(path)}")
        try:
            frames.append(parse_multi_year_csv(path))
        except SourceFileError as error:
            raise dg.Failure(description=str(error)) from None
    table = with_load_time(pd.concat(frames, ignore_index=True))
    rows = warehouse.replace_raw_table(MULTI_YEAR_TABLE, table)
    return dg.MaterializeResult(
        metadata={
            "rows": rows,
            "files": dg.MetadataValue.json([display_path(p) for p in files]),
            "indicators": dg.MetadataValue.json(sorted(table["indicator"].unique().tolist())),
        }
    )


gx_raw_bps_multi_year_csv = gx_blocking_check(
    bps_multi_year_csv, f"raw.{MULTI_YEAR_TABLE}", lambda: raw_bps_suite("raw_bps_multi_year_csv")
)
