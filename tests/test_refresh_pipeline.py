"""The whole job, materialized for real into temporary warehouses: extract, gate, dbt build, publish."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.dbt_project import dbt_project
from store.paths import BUNDLED_DATA_DIR
from tests.conftest import P0_FILE, Warehouse, query

FACT_BY_NAME = """
    select f.value
    from main.fct_poverty_indicator f
    join main.dim_regency r using (regency_key)
    join main.dim_period p using (period_key)
    join main.dim_indicator i using (indicator_key)
    where r.name = ? and p.year = ? and p.semester is null and i.indicator_code = ?
"""


def p0_table_with_an_impossible_value() -> str:
    """The bundled kab/kota P0 table with Sumba Barat's 2018 figure at 285.1 percent (28.51 in the file)."""
    return (BUNDLED_DATA_DIR / P0_FILE).read_text().replace(",29.28,28.51,", ",29.28,285.1,", 1)


@pytest.fixture
def published(built_warehouse: Warehouse) -> Path:
    return built_warehouse.published


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
        "select period, semester, survey_month, label from main.dim_period where year = 2023"
        " order by period_date, period_type",
    )
    # The Susenas rounds are semesters; Sakernas Februari and Agustus are months of their own, never merged.
    assert rows == [
        ("annual", None, None, "2023"),
        ("Q1", None, None, "2023 Q1 (Triwulan I)"),
        ("M02", None, 2, "2023 Februari"),
        ("S1", 1, 3, "2023 S1 (Maret)"),
        ("Q2", None, None, "2023 Q2 (Triwulan II)"),
        ("Q3", None, None, "2023 Q3 (Triwulan III)"),
        ("M08", None, 8, "2023 Agustus"),
        ("S2", 2, 9, "2023 S2 (September)"),
        ("Q4", None, None, "2023 Q4 (Triwulan IV)"),
    ]


def test_raw_tables_carry_provenance_and_stay_in_the_build_file(built_warehouse: Warehouse):
    [(files, missing)] = built_warehouse.query_build(
        "select count(distinct _source_file),"
        " 3 * count(*) - count(_loaded_at) - count(_source_sha256) - count(_source_row)"
        " from raw.bps_downloads"
    )
    assert files > 20 and missing == 0
    schemas = {
        s
        for (s,) in query(
            built_warehouse.published, "select distinct table_schema from information_schema.tables"
        )
    }
    assert schemas == {"main", "provenance"}  # raw, staging, intermediate and reference stay in the build


def test_published_file_opens_in_duckdb_1x_storage_format(published: Path):
    [(tags,)] = query(
        published, "select tags from duckdb_databases() where database_name = current_database()"
    )
    assert tags["storage_version"].startswith("v1.0.0")


def _declared_constraints() -> set[tuple[str, str, str]]:
    """(table, column, DuckDB's constraint type) for every column constraint of the main schema's models with
    an enforced dbt contract, as the project's manifest declares them."""
    duckdb_type = {"primary_key": "PRIMARY KEY", "not_null": "NOT NULL", "unique": "UNIQUE"}
    manifest = json.loads(dbt_project.manifest_path.read_text())
    declared = set()
    for node in manifest["nodes"].values():
        published = node["resource_type"] == "model" and node["schema"] == "main"
        if not (published and node["config"]["contract"]["enforced"]):
            continue
        for column in node["columns"].values():
            for constraint in column.get("constraints", []):
                declared.add((node["name"], column["name"], duckdb_type[constraint["type"]]))
    return declared


def test_the_published_tables_declare_their_keys_and_duckdb_enforces_them(published: Path, tmp_path: Path):
    """The contracts' constraints replace not_null and unique data tests: they must reach the published file,
    where BI tools read them from the catalog, and hold there."""
    declared = _declared_constraints()
    expected = {("dim_period", "period_key", "PRIMARY KEY"), ("fct_poverty_indicator", "value", "NOT NULL")}
    assert expected <= declared
    found = {
        (table, column, kind)
        for table, columns, kind in query(
            published,
            "select table_name, constraint_column_names, constraint_type from duckdb_constraints()"
            " where schema_name = 'main'",
        )
        for column in columns
    }
    assert declared <= found
    copy = shutil.copy(published, tmp_path / "copy.duckdb")
    with duckdb.connect(str(copy)) as connection:
        with pytest.raises(duckdb.ConstraintException):
            connection.execute("insert into main.dim_period select * from main.dim_period limit 1")
        with pytest.raises(duckdb.ConstraintException):
            connection.execute(
                "insert into main.fct_poverty_indicator select * replace (null as value)"
                " from main.fct_poverty_indicator limit 1"
            )


def test_bad_p0_is_held_back_the_gate_stops_the_gap_and_nothing_is_published(
    warehouse: Warehouse, data_copy: Path
):
    """An NTT figure that cannot be true is held back; NTT's figures must be complete: nothing publishes."""
    before = warehouse.sha256()
    (data_copy / P0_FILE).write_text(p0_table_with_an_impossible_value())
    warehouse.data_dir = data_copy

    completed = warehouse.cli("refresh", "--log-level", "ERROR")

    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "Refresh FAILED" in completed.stderr and "is unchanged" in completed.stderr
    assert "every regency that existed that year has a value" in completed.stderr
    assert (
        "P0_kabkota_NTT_2004-2025.csv row 4: Sumba Barat 2018 P0 = 285.1 is outside 0 to 100 percent;"
        " held back" in completed.stderr
    )
    assert "not built:" in completed.stderr and "published_warehouse" in completed.stderr
    assert warehouse.sha256() == before
    assert warehouse.query(FACT_BY_NAME, "Sumba Barat", 2018, "P0") == [(28.51,)]


def test_gate_outcome_lists_skipped_models(tmp_path: Path):
    """A new warehouse's first refresh, of the P0 table alone: the gate stops it, nothing is published, and
    the outcome says what was built and what was not (every other bundled file would only add reading)."""
    data = tmp_path / "data"
    p0 = data / P0_FILE
    p0.parent.mkdir(parents=True)
    (data / "landing").mkdir()
    p0.write_text(p0_table_with_an_impossible_value())
    fresh = Warehouse(tmp_path / "fresh" / "ntt_poverty.duckdb", data / "landing", data)

    outcome = fresh.refresh(log_level="ERROR")

    assert not outcome.success
    assert not fresh.published.exists()
    assert "raw/bps_downloads" in outcome.materialized
    assert {"main/fct_poverty_indicator", "published_warehouse"} <= set(outcome.not_materialized)
    assert any("gx_bps_downloads" in text for text in outcome.failed_checks)


def test_the_refresh_writes_the_report_and_the_dated_workbook_beside_the_published_file(published: Path):
    from openpyxl import load_workbook

    assert (published.parent / "report" / "index.html").stat().st_size > 0
    [workbook] = (published.parent / "exports").glob("ntt_poverty_*.xlsx")
    sheets = load_workbook(workbook, read_only=True).sheetnames
    assert "mart_budget_vs_poverty" in sheets and "Keterangan" in sheets
