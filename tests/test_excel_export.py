"""The Excel workbook (and CSV / Parquet) of the marts, opened as their users open them."""

import csv
import hashlib
import math
from datetime import date
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from reporting.excel_export import DESCRIPTION_SHEET, write_excel_export
from tests.conftest import Warehouse, query, run_cli


@pytest.fixture(scope="module")
def warehouse(built_warehouse: Warehouse) -> Path:
    return built_warehouse.published


@pytest.fixture(scope="module")
def workbook_path(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_excel_export(warehouse, tmp_path_factory.mktemp("exports"), day=date(2026, 3, 1))


@pytest.fixture(scope="module")
def book(workbook_path: Path) -> Workbook:
    """The workbook as openpyxl reads it, once for the file's tests (3-4 CPU-s a reading); they only read."""
    return load_workbook(workbook_path)


def mart_names(warehouse: Path) -> list[str]:
    rows = query(
        warehouse,
        "select table_name from information_schema.tables where table_schema = 'main'"
        " and table_name like 'mart%' order by 1",
    )
    return [name for (name,) in rows]


def same(cell: object, value: object) -> bool:
    if isinstance(value, float):
        return isinstance(cell, float | int) and math.isclose(cell, value, rel_tol=1e-12, abs_tol=1e-9)
    if isinstance(value, list):
        return cell == ", ".join(str(item) for item in value)
    return cell == value


def test_one_sheet_per_mart_frozen_filtered_and_named_by_date(
    warehouse: Path, workbook_path: Path, book: Workbook
):
    assert workbook_path.name == "ntt_poverty_2026-03-01.xlsx"
    marts = mart_names(warehouse)
    assert len(marts) >= 4 and "mart_rat_targets_vs_outcomes" in marts
    assert book.sheetnames == [*marts, DESCRIPTION_SHEET]
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"


def test_every_number_is_a_number_equal_to_the_warehouse(warehouse: Path, book: Workbook):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for name in mart_names(warehouse):
            cursor = connection.execute(f"select * from main.{name}")
            columns = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
            sheet = book[name]
            assert [cell.value for cell in sheet[1]] == columns
            cells = list(sheet.iter_rows(min_row=2, values_only=False))
            assert len(cells) == len(rows), name
            for row, excel_row in zip(rows, cells, strict=True):
                for column, value, cell in zip(columns, row, excel_row, strict=True):
                    if value is None:
                        assert cell.value is None, (name, column)
                        continue
                    assert same(cell.value, value), (name, column, cell.value, value)
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        assert cell.data_type == "n", (name, column)  # a number, not text
    budget = book["mart_budget_vs_poverty"]
    header = [cell.value for cell in budget[1]]
    total = budget.cell(2, header.index("total_pagu") + 1)
    assert total.value == 164_734_762_202 and total.number_format == "#,##0"
    assert budget.cell(2, header.index("year") + 1).number_format == "0"  # 2023, not 2.023


def test_keterangan_describes_every_column_from_the_dbt_docs(warehouse: Path, book: Workbook):
    sheet = book[DESCRIPTION_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    marts = mart_names(warehouse)
    described = {(table, column): text for table, column, _, text in rows if column and table in marts}
    columns = query(
        warehouse,
        "select table_name, column_name from information_schema.columns where table_schema = 'main'",
    )
    for name, column in columns:
        if name in marts:
            assert (described.get((name, column)) or "").strip(), f"{name}.{column} has no description"
    assert described[("mart_budget_vs_poverty", "rupiah_per_poor_person")].startswith("allocated_pagu /")
    table_rows = {table: text for table, column, _, text in rows if table and not column}
    assert "Targets against outcomes" in table_rows["mart_rat_targets_vs_outcomes"]


def test_export_command_writes_every_format_without_touching_the_warehouse(warehouse: Path, tmp_path: Path):
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    for file_format in ("xlsx", "csv", "parquet"):
        out = tmp_path / file_format
        done = run_cli("export", "--format", file_format, "--out", str(out), "--warehouse", str(warehouse))
        assert done.returncode == 0, done.stderr
        assert done.stdout.count("wrote ") == len(list(out.iterdir()))
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    assert len(list((tmp_path / "xlsx").glob("ntt_poverty_????-??-??.xlsx"))) == 1
    for name in mart_names(warehouse):
        [(count,)] = query(warehouse, f"select count(*) from main.{name}")
        with (tmp_path / "csv" / f"{name}.csv").open(newline="") as handle:
            assert sum(1 for _ in csv.DictReader(handle)) == count
        parquet = tmp_path / "parquet" / f"{name}.parquet"
        assert duckdb.sql(f"select count(*) from '{parquet}'").fetchall() == [(count,)]
    with (tmp_path / "csv" / "keterangan.csv").open(newline="") as handle:
        assert {"lembar", "kolom", "tipe_data", "keterangan"} == set(next(csv.reader(handle)))
    missing = run_cli("export", "--out", str(tmp_path / "x"), "--warehouse", str(tmp_path / "none.duckdb"))
    assert (
        missing.returncode == 2 and missing.stderr.startswith("error:") and "Traceback" not in missing.stderr
    )
