"""The marts as files people open without SQL: an Excel workbook, or CSV / Parquet files.

The workbook has one sheet per mart and a `Keterangan` sheet describing every column, from the dbt
documentation (the manifest when dbt has parsed the project, else the model yml files). Numbers are stored
as numbers, header rows are frozen and filters are on. The warehouse is opened read-only.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import yaml
from duckdb.sqltypes import VARCHAR
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from ingest.spreadsheet_safe import spreadsheet_safe
from store.paths import REPO_ROOT

DESCRIPTION_SHEET = "Keterangan"
DBT_DIR = REPO_ROOT / "dbt"
# Kupang's time zone: a refresh at 02:00 WITA is dated that day, not the day before (UTC).
LOCAL_ZONE = ZoneInfo("Asia/Makassar")

_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER")
_AMOUNT_WORDS = ("pagu", "rupiah", "count", "rows", "lines", "programs", "sources", "documents")
_HEADER = {"bold": True, "bg_color": "#DDE4EE", "valign": "top", "text_wrap": True}
# Text stays text: a formula-looking string, a URL or a number-looking code is written as it is.
_WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
# libyaml's safe loader when PyYAML has it: the pure-Python one takes a second for the models' yml files.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class Mart:
    name: str
    description: str
    columns: list[Column]


def export_file_name(day: date, extension: str) -> str:
    return f"ntt_poverty_{day:%Y-%m-%d}.{extension}"


def _yml_descriptions(dbt_dir: Path) -> dict[str, tuple[str, dict[str, str]]]:
    found = {}
    for path in sorted((dbt_dir / "models").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        for model in (yaml.load(text, Loader=_YAML_LOADER) or {}).get("models", []) or []:
            columns = {
                c["name"]: " ".join(str(c.get("description", "")).split()) for c in model.get("columns", [])
            }
            found[model["name"]] = (" ".join(str(model.get("description", "")).split()), columns)
    return found


def _manifest_descriptions(dbt_dir: Path) -> dict[str, tuple[str, dict[str, str]]]:
    manifest = dbt_dir / "target" / "manifest.json"
    if not manifest.exists():
        return {}
    found = {}
    for node in json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values():
        if node.get("resource_type") == "model":
            columns = {
                name: " ".join(c.get("description", "").split()) for name, c in node["columns"].items()
            }
            found[node["name"]] = (" ".join(node.get("description", "").split()), columns)
    return found


def dbt_descriptions(dbt_dir: Path = DBT_DIR) -> dict[str, tuple[str, dict[str, str]]]:
    """model -> (description, {column: description}), from the dbt manifest, completed from the yml files."""
    descriptions = _yml_descriptions(dbt_dir)
    for model, (description, columns) in _manifest_descriptions(dbt_dir).items():
        _, yml_columns = descriptions.get(model, ("", {}))
        descriptions[model] = (description, {**yml_columns, **{k: v for k, v in columns.items() if v}})
    return descriptions


def marts(connection: duckdb.DuckDBPyConnection, dbt_dir: Path = DBT_DIR) -> list[Mart]:
    """The mart tables of schema `main` with their columns, types and dbt descriptions."""
    descriptions = dbt_descriptions(dbt_dir)
    names = [
        name
        for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
            " and table_name like 'mart\\_%' escape '\\' order by table_name"
        ).fetchall()
    ]
    found = []
    for name in names:
        description, column_descriptions = descriptions.get(name, ("", {}))
        columns = [
            Column(column, data_type, column_descriptions.get(column, ""))
            for column, data_type in connection.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'main' and table_name = ? order by ordinal_position",
                [name],
            ).fetchall()
        ]
        found.append(Mart(name, description, columns))
    return found


def _cell_value(value: object) -> object:
    """A value Excel stores natively: numbers stay numbers, lists become text, times lose their zone."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(LOCAL_ZONE).replace(tzinfo=None)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return str(value)  # beyond what Excel's doubles hold exactly
    return value


def _number_format(column: Column) -> str | None:
    upper = column.data_type.upper()
    if upper.startswith(_INTEGER_TYPES):
        # Thousands separators for amounts only: a year or a BPS code reads 2023 / 5316, not 2.023 / 5.316.
        return "#,##0" if any(word in column.name for word in _AMOUNT_WORDS) else "0"
    if upper.startswith(("DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC")):
        return "#,##0.00"
    if upper == "DATE":
        return "yyyy-mm-dd"
    if upper.startswith("TIMESTAMP"):
        return "yyyy-mm-dd hh:mm"
    return None


def _width(width: int) -> int:
    return max(8, min(width + 2, 60))


def _start_sheet(workbook: Workbook, sheet: Worksheet, header: list[str], rows: int) -> None:
    """Header row in bold on a tint, frozen, with filters over every row that follows."""
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, rows, max(len(header) - 1, 0))
    sheet.write_row(0, 0, header, workbook.add_format(_HEADER))


def _write_mart(workbook: Workbook, connection: duckdb.DuckDBPyConnection, mart: Mart) -> None:
    sheet = workbook.add_worksheet(mart.name[:31])
    rows = [
        [_cell_value(value) for value in row]
        for row in connection.execute(f'select * from main."{mart.name}"').fetchall()
    ]
    widths = [len(column.name) for column in mart.columns]
    for values in rows:
        for index, value in enumerate(values):
            widths[index] = max(widths[index], min(len(str(value)) if value is not None else 0, 60))
    # A column's number format applies to every cell written without one of its own.
    for index, column in enumerate(mart.columns):
        number_format = _number_format(column)
        cell_format = workbook.add_format({"num_format": number_format}) if number_format else None
        sheet.set_column(index, index, _width(widths[index]), cell_format)
    _start_sheet(workbook, sheet, [column.name for column in mart.columns], len(rows))
    for number, values in enumerate(rows, start=1):
        sheet.write_row(number, 0, values)


def _description_rows(found: Iterable[Mart], source: Path) -> list[list[str]]:
    rows = []
    for mart in found:
        rows.append([mart.name, "", "", mart.description])
        rows += [[mart.name, column.name, column.data_type, column.description] for column in mart.columns]
    rows.append(["", "", "", ""])
    rows.append(["(berkas)", str(source.name), "", "Gudang data asal ekspor ini (dibuka hanya-baca)."])
    return rows


def _write_descriptions(workbook: Workbook, found: list[Mart], source: Path) -> None:
    sheet = workbook.add_worksheet(DESCRIPTION_SHEET)
    rows = _description_rows(found, source)
    for index, width in enumerate([30, 28, 14, 90]):
        sheet.set_column(index, index, _width(width))
    _start_sheet(
        workbook, sheet, ["Lembar (tabel)", "Kolom", "Tipe data", "Keterangan (dokumentasi dbt)"], len(rows)
    )
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold = workbook.add_format({"bold": True})
    bold_wrapped = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    for number, row in enumerate(rows, start=1):
        mart_row = not row[1]  # a mart's own line, above its columns
        sheet.write_row(number, 0, row[:3], bold if mart_row else None)
        sheet.write(number, 3, row[3], bold_wrapped if mart_row else wrapped)


def _exported(column: Column, file_format: str) -> str:
    """The select expression of a column in an export: CSV text through spreadsheet_safe."""
    name = '"' + column.name.replace('"', '""') + '"'
    if file_format == "csv" and column.data_type.upper() == "VARCHAR":
        return f"spreadsheet_safe({name}) as {name}"
    return name


def _replace(partial: Path, final: Path) -> Path:
    os.replace(partial, final)
    return final


def write_excel_export(database: Path, out_dir: Path, day: date | None = None) -> Path:
    """Write out_dir/ntt_poverty_<YYYY-MM-DD>.xlsx (date in Kupang) from the warehouse; returns its path."""
    day = day or datetime.now(LOCAL_ZONE).date()
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / export_file_name(day, "xlsx")
    partial = out_dir / f".{final.name}.partial"
    workbook = Workbook(str(partial), _WORKBOOK_OPTIONS)
    with duckdb.connect(str(database), read_only=True) as connection:
        found = marts(connection)
        for mart in found:
            _write_mart(workbook, connection, mart)
    _write_descriptions(workbook, found, database)
    workbook.close()
    return _replace(partial, final)


def write_table_export(database: Path, out_dir: Path, file_format: str) -> list[Path]:
    """One CSV or Parquet file per mart, plus keterangan.<format> describing every column.

    In CSV, text a spreadsheet would take for a formula is written as text (ingest.spreadsheet_safe).
    """
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"unknown format {file_format!r}: choose csv or parquet")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    options = "(format csv, header true)" if file_format == "csv" else "(format parquet)"
    with duckdb.connect(str(database), read_only=True) as connection:
        connection.create_function("spreadsheet_safe", spreadsheet_safe, [VARCHAR], VARCHAR)
        found = marts(connection)
        for mart in found:
            final = out_dir / f"{mart.name}.{file_format}"
            partial = out_dir / f".{final.name}.partial"
            columns = ", ".join(_exported(column, file_format) for column in mart.columns)
            connection.execute(
                f'copy (select {columns} from main."{mart.name}") to ? {options}', [str(partial)]
            )
            written.append(_replace(partial, final))
        final = out_dir / f"keterangan.{file_format}"
        partial = out_dir / f".{final.name}.partial"
        header = ["lembar", "kolom", "tipe_data", "keterangan"]
        rows = _description_rows(found, database)
        if file_format == "csv":
            with partial.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
        else:
            connection.execute(
                "create temp table keterangan"
                " (lembar varchar, kolom varchar, tipe_data varchar, keterangan varchar)"
            )
            connection.executemany("insert into keterangan values (?, ?, ?, ?)", rows)
            connection.execute("copy keterangan to ? (format parquet)", [str(partial)])
        written.append(_replace(partial, final))
    return written


def export_warehouse(database: Path, out_dir: Path, file_format: str) -> list[Path]:
    """`ntt-warehouse export`: the workbook, or one file per mart, in out_dir."""
    if file_format == "xlsx":
        return [write_excel_export(database, out_dir)]
    return write_table_export(database, out_dir, file_format)
