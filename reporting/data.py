"""What the report shows, read from the marts of a warehouse file (read-only).

The report reads the marts and dimensions (schema `main`) and the refresh records (`provenance`, or where
older files keep them, `main.load_log` and `raw.quarantine`), never raw or staging tables. Indicators the
warehouse may not carry yet (extreme poverty) are read when they are there and left out when they are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

ENGLISH_INDICATOR_NAMES = {
    "P0_EXTREME": "Extreme poverty rate",
    "POOR_EXTREME_COUNT": "People in extreme poverty",
}


@dataclass(frozen=True)
class ReportData:
    profile: pd.DataFrame  # area x year: p0, poor, rank, change, gap, poverty line
    budget: pd.DataFrame  # regency x RAT year: mart_budget_vs_poverty
    programs: pd.DataFrame  # regency x RAT year x program reaching it, with its rupiah
    extreme: pd.DataFrame  # regency x year: p0_extreme, poor_extreme_count_thousand, producer (may be empty)
    targets: pd.DataFrame  # mart_rat_targets_vs_outcomes (may be empty)
    quality: pd.DataFrame  # load_log rows of the last run
    quarantine: pd.DataFrame  # files set aside, and rows held back from loaded files


def _columns(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?"
            " order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def _first_relation(connection: duckdb.DuckDBPyConnection, *candidates: str) -> str | None:
    for qualified in candidates:
        schema, table = qualified.split(".")
        if _columns(connection, schema, table):
            return qualified
    return None


def _profile(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return connection.execute(
        "select regency_name, bps_code, is_province, year, p0, poor_count_thousand, p0_rank, p0_change,"
        " p0_gap_to_province, poverty_line"
        " from main.mart_regency_poverty_profile where p0 is not null order by bps_code, year"
    ).df()


def _extreme(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Extreme poverty by regency and year, from the profile mart or else the fact table, if either has it."""
    columns = set(_columns(connection, "main", "mart_regency_poverty_profile"))
    if "p0_extreme" in columns:
        count = "poor_extreme_count_thousand" if "poor_extreme_count_thousand" in columns else "null"
        producer = "extreme_poverty_producer" if "extreme_poverty_producer" in columns else "null"
        return connection.execute(
            f"select bps_code, regency_name, year, p0_extreme, {count} as poor_extreme_count_thousand,"
            f" {producer} as extreme_poverty_producer"
            " from main.mart_regency_poverty_profile"
            " where p0_extreme is not null and not is_province order by bps_code, year"
        ).df()
    # The indicator codes the fact table uses for it; annual figures, else the March round.
    return connection.execute(
        """
        with values as (
            select r.bps_code, r.name as regency_name, p.year, i.indicator_code, f.value, f.source_file
            from main.fct_poverty_indicator f
            join main.dim_indicator i using (indicator_key)
            join main.dim_period p using (period_key)
            join main.dim_regency r using (regency_key)
            where i.indicator_code in ('P0_EXTREME', 'POOR_EXTREME_COUNT') and not r.is_province
            qualify row_number() over (
                partition by r.bps_code, p.year, i.indicator_code order by p.semester nulls first) = 1
        )
        select bps_code, regency_name, year,
               max(value) filter (where indicator_code = 'P0_EXTREME') as p0_extreme,
               max(value) filter (where indicator_code = 'POOR_EXTREME_COUNT') as poor_extreme_count_thousand,
               cast(null as varchar) as extreme_poverty_producer
        from values group by all having p0_extreme is not null order by bps_code, year
        """
    ).df()


def _programs(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The programs whose budget lines name each regency (province-wide money excluded), largest first."""
    return connection.execute(
        """
        select r.bps_code, rp.year,
               coalesce(nullif(trim(p.program), ''), nullif(trim(p.kegiatan), ''), p.sektor) as program,
               sum(rp.allocated_pagu) as allocated_pagu
        from main.fct_regency_program rp
        join main.dim_regency r using (regency_key)
        join main.dim_program p using (program_key)
        where not r.is_province and not rp.is_province_wide
        group by all
        order by r.bps_code, rp.year, allocated_pagu desc, program
        """
    ).df()


def _targets(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    if not _columns(connection, "main", "mart_rat_targets_vs_outcomes"):
        return pd.DataFrame()
    targets = connection.execute(
        "select t.*, i.indicator_name from main.mart_rat_targets_vs_outcomes t"
        " left join main.dim_indicator i on i.indicator_code = t.indicator_code and i.source = 'BPS'"
        " order by t.year, t.row_number, t.indicator_code, t.bps_code"
    ).df()
    # English names of indicators the warehouse does not carry yet (dim_indicator has the others).
    fallback = targets["indicator_code"].map(ENGLISH_INDICATOR_NAMES)
    targets["indicator_name"] = targets["indicator_name"].fillna(fallback).fillna(targets["indicator_code"])
    return targets


def _quality(connection: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    load_log = _first_relation(connection, "provenance.load_log", "main.load_log")
    quality = pd.DataFrame()
    if load_log is not None:
        quality = connection.execute(
            "select asset, status, rows_out, rows_rejected, checks_passed, checks_failed, check_summary"
            f" from {load_log}"
            f" where run_id = (select run_id from {load_log} order by logged_at desc limit 1) order by asset"
        ).df()
    quarantined = _first_relation(connection, "provenance.quarantine", "raw.quarantine")
    quarantine = pd.DataFrame(columns=["source", "source_file", "reason"])
    if quarantined is not None:
        quarantine = connection.execute(
            f"select source, source_file, reason from {quarantined} order by source_file"
        ).df()
    held_back = _first_relation(connection, "provenance.held_back_rows", "raw.held_back_rows")
    if held_back is not None:
        row = "source_row" if held_back.startswith("provenance.") else '"row"'
        held = connection.execute(
            f"select source, source_file, 'row ' || {row} || ': ' || reason || ' (held back)' as reason"
            f" from {held_back} order by source_file, {row}"
        ).df()
        quarantine = pd.concat([quarantine, held], ignore_index=True) if not held.empty else quarantine
    return quality, quarantine


def read_report_data(database: Path) -> ReportData:
    """Everything the report draws, from one read-only connection to the warehouse file."""
    with duckdb.connect(str(database), read_only=True) as connection:
        quality, quarantine = _quality(connection)
        return ReportData(
            profile=_profile(connection),
            budget=connection.execute(
                "select * from main.mart_budget_vs_poverty order by year, bps_code"
            ).df(),
            programs=_programs(connection),
            extreme=_extreme(connection),
            targets=_targets(connection),
            quality=quality,
            quarantine=quarantine,
        )
