"""The whole job, materialized for real into temporary warehouses: extract, gate, dbt build, publish."""

import os
from pathlib import Path

import pytest

from dagster_project.refresh import run_refresh
from tests.conftest import P0_FILE, query, refreshed_warehouse, run_cli, sha256_of

FACT_BY_NAME = """
    select f.value
    from main.fct_poverty_indicator f
    join main.dim_regency r using (regency_key)
    join main.dim_period p using (period_key)
    join main.dim_indicator i using (indicator_key)
    where r.name = ? and p.year = ? and p.semester is null and i.indicator_code = ?
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return refreshed_warehouse(tmp_path_factory, "published")


def test_refresh_publishes_real_bps_figures(published: Path):
    assert query(published, FACT_BY_NAME, "Nusa Tenggara Timur", 2022, "P0") == [(20.05,)]
    assert query(published, FACT_BY_NAME, "Sumba Tengah", 2023, "P0") == [(31.78,)]
    assert query(published, FACT_BY_NAME, "Nusa Tenggara Timur", 2022, "POOR_COUNT") == [(1131.62,)]


def test_malaka_has_no_row_before_it_existed(published: Path):
    rows = query(
        published,
        """select count(*) from main.fct_poverty_indicator f join main.dim_regency r using (regency_key)
           join main.dim_period p using (period_key) where r.name = 'Malaka' and p.year = 2014""",
    )
    assert rows == [(0,)]


def test_dim_regency_keeps_both_code_systems(published: Path):
    rows = query(
        published, "select bps_code, kemendagri_code, name, type from main.dim_regency order by bps_code"
    )
    assert len(rows) == 23
    assert rows[0] == (5300, "53", "Nusa Tenggara Timur", "Provinsi")
    assert (5303, "53.01", "Kupang", "Kabupaten") in rows
    assert (5371, "53.71", "Kota Kupang", "Kota") in rows


def test_dim_period_semesters(published: Path):
    rows = query(
        published,
        "select semester, survey_month, label from main.dim_period where year = 2023 order by semester",
    )
    assert rows == [(1, 3, "2023 S1 (Maret)"), (2, 9, "2023 S2 (September)"), (None, None, "2023")]


def test_raw_table_carries_provenance(published: Path):
    [(files, missing_loaded_at)] = query(
        published,
        "select count(distinct _source_file), count(*) - count(_loaded_at) from raw.bps_multi_year_table",
    )
    assert files == 2
    assert missing_loaded_at == 0


def test_published_file_opens_in_duckdb_1x_storage_format(published: Path):
    [(tags,)] = query(
        published, "select tags from duckdb_databases() where database_name = current_database()"
    )
    assert tags["storage_version"].startswith("v1.0.0")


def test_bad_p0_is_stopped_by_the_gate_and_nothing_is_published(
    published: Path, data_copy: Path, isolated_env: Path, tmp_path: Path
):
    warehouse = tmp_path / "warehouse" / "ntt_poverty.duckdb"
    warehouse.parent.mkdir()
    warehouse.write_bytes(published.read_bytes())
    before = sha256_of(warehouse)

    p0 = data_copy / P0_FILE
    p0.write_text(p0.read_text().replace("Sumba Barat,42.04,", "Sumba Barat,250,", 1))

    env = {**os.environ, "NTT_DATA_DIR": str(data_copy)}
    completed = run_cli("refresh", "--warehouse", str(warehouse), "--log-level", "ERROR", env=env)

    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "Refresh FAILED" in completed.stderr and "is unchanged" in completed.stderr
    assert "P0 between 0 and 100" in completed.stderr
    assert "P0_kabkota_NTT_2004-2025.csv row 4 (Sumba Barat 2004 P0 = 250.0)" in completed.stderr
    assert "not built:" in completed.stderr and "published_warehouse" in completed.stderr
    assert sha256_of(warehouse) == before
    assert query(warehouse, FACT_BY_NAME, "Sumba Barat", 2004, "P0") == [(42.04,)]


def test_gate_outcome_lists_skipped_models(data_copy: Path, isolated_env: Path, tmp_path: Path, monkeypatch):
    p0 = data_copy / P0_FILE
    p0.write_text(p0.read_text().replace("Sumba Barat,42.04,", "Sumba Barat,250,", 1))
    monkeypatch.setenv("NTT_DATA_DIR", str(data_copy))
    warehouse = tmp_path / "fresh" / "ntt_poverty.duckdb"

    outcome = run_refresh(warehouse=warehouse, log_level="ERROR")

    assert not outcome.success
    assert not warehouse.exists()
    assert "raw/bps_multi_year_table" in outcome.materialized
    assert {"main/fct_poverty_indicator", "published_warehouse"} <= set(outcome.not_materialized)
    assert any("gx_bps_multi_year_table" in text for text in outcome.failed_checks)
