"""The BPS dynamic-table export in long form (one value per line, semicolons) as a BPS table.

    nama_variabel;nama_variabel_turunan;nama_tahun;nama_turunan_tahun;data_content;nama_item_vertical_variabel
    "Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten/Kota";"Tidak Ada";2023;Tahun;2.76;ACEH
    "Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten/Kota";"Tidak Ada";2023;Tahun;3.26;Simeulue

The columns are the model's catalogues under other names: `nama_variabel` the variable,
`nama_variabel_turunan` the breakdown ("Tidak Ada" for none), `nama_tahun` the year, `nama_turunan_tahun`
the period and `nama_item_vertical_variabel` the row. Each variable x breakdown x year x period is one block
of rows in BPS order (province rows in upper case, each followed by its kab/kota): areas are placed per block.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from ingest.bps.reading import Grid
from ingest.bps.table import Block, BpsTable, Column, Row
from ingest.bps.titles import (
    TOTAL,
    UnitContradiction,
    Variable,
    breakdown_of,
    is_year,
    period_of,
    variable_from_title,
)
from store.errors import SourceFileError

LAYOUT = "long_export"
COLUMNS = ["nama_variabel", "nama_tahun", "nama_turunan_tahun", "data_content", "nama_item_vertical_variabel"]
TURUNAN = "nama_variabel_turunan"
_NO_TURUNAN = {"", "tidak ada", "tidak ada turunan", "none"}


def header_of(grid: Grid) -> list[str]:
    return [cell.strip().lower() for cell in grid.rows[0]] if grid.rows else []


def is_long_export(grid: Grid) -> bool:
    header = header_of(grid)
    return all(column in header for column in COLUMNS)


def table_from_long_export(grid: Grid, path: Path) -> BpsTable:
    header = header_of(grid)
    index = {name: header.index(name) for name in [*COLUMNS, *([TURUNAN] if TURUNAN in header else [])]}
    width = max(index.values())
    records = []
    for line, row in zip(grid.lines[1:], grid.rows[1:], strict=True):
        if not any(row):
            continue
        if len(row) <= width:
            raise SourceFileError(path, f"{len(row)} columns where the header has {width + 1}", row=line)
        records.append((line, row))

    def group(item: tuple[int, list[str]]) -> tuple[str, ...]:
        row = item[1]
        turunan = row[index[TURUNAN]] if TURUNAN in index else ""
        variable, year, period = (
            row[index[name]] for name in ("nama_variabel", "nama_tahun", "nama_turunan_tahun")
        )
        return variable, turunan, year, period

    variables: dict[str, Variable] = {}
    blocks = []
    for (title, turunan, year, period_label), rows in groupby(records, key=group):
        rows = list(rows)
        first_line = rows[0][0]
        if title not in variables:
            try:
                variable = variable_from_title(title)
            except UnitContradiction as exc:
                raise SourceFileError(path, str(exc), row=first_line) from None
            if variable is None:
                raise SourceFileError(path, f"nama_variabel {title!r} names no variable", row=first_line)
            variables[title] = variable
        if not is_year(year):
            raise SourceFileError(path, f"nama_tahun {year!r} is not a year", row=first_line)
        period = period_of(period_label)
        if period is None:
            problem = f"nama_turunan_tahun {period_label!r} is no period (Tahun, Semester 1 (Maret), ...)"
            raise SourceFileError(path, problem, row=first_line)
        breakdown = TOTAL if turunan.strip().lower() in _NO_TURUNAN else breakdown_of(turunan)
        column = Column(int(year), period, breakdown, variables[title])
        blocks.append(
            Block(
                [column],
                [
                    Row(line, row[index["nama_item_vertical_variabel"]], [row[index["data_content"]]])
                    for line, row in rows
                ],
            )
        )
    return BpsTable(path=path, layout=LAYOUT, variable=None, blocks=blocks, decimal_comma=grid.decimal_comma)
