"""Layout `long_export`: the BPS dynamic-table CSV export in long form (one value per line, semicolons).

    nama_variabel;nama_variabel_turunan;nama_tahun;nama_turunan_tahun;data_content;nama_item_vertical_variabel
    "Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten/Kota";"Tidak Ada";2023;Tahun;2.76;ACEH
    "Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten/Kota";"Tidak Ada";2023;Tahun;3.26;Simeulue

Each variable x year x round x turunan is one table of areas in BPS order (province rows in upper case,
each followed by its kab/kota), so areas are placed per group. `nama_variabel_turunan` is the daerah
when the table has one ("Perkotaan"), "Tidak Ada" otherwise.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import pandas as pd

from ingest.bps.areas import AreaPlacer
from ingest.bps.grid import Verdict
from ingest.bps.observations import ObservationTable
from ingest.bps.reading import Grid
from ingest.bps.titles import area_type_of, indicator_from_title, is_year, semester_of
from store.errors import SourceFileError

LAYOUT = "long_export"
COLUMNS = ["nama_variabel", "nama_tahun", "nama_turunan_tahun", "data_content", "nama_item_vertical_variabel"]
TURUNAN = "nama_variabel_turunan"
_NO_TURUNAN = {"", "tidak ada", "tidak ada turunan", "none"}


def _header(grid: Grid) -> list[str]:
    return [cell.strip().lower() for cell in grid.rows[0]] if grid.rows else []


def recognise(grid: Grid) -> Verdict:
    header = _header(grid)
    missing = [column for column in COLUMNS if column not in header]
    problem = f"header row 1: expected columns {', '.join(missing)}" if missing else None
    return Verdict(LAYOUT, 3 * (len(COLUMNS) - len(missing)) / len(COLUMNS), problem)


def parse(grid: Grid, path: Path) -> pd.DataFrame:
    verdict = recognise(grid)
    if verdict.problem:
        raise SourceFileError(path, f"not a BPS long export: {verdict.problem}")
    header = _header(grid)
    index = {name: header.index(name) for name in [*COLUMNS, *([TURUNAN] if TURUNAN in header else [])]}
    width = max(index.values())
    records = []
    for line, row in zip(grid.lines[1:], grid.rows[1:], strict=True):
        if not any(row):
            continue
        if len(row) <= width:
            raise SourceFileError(path, f"{len(row)} columns where the header has {width + 1}", row=line)
        records.append((line, row))
    table = ObservationTable(path, LAYOUT, grid.decimal_comma)

    def group(item: tuple[int, list[str]]) -> tuple[str, ...]:
        row = item[1]
        turunan = row[index[TURUNAN]] if TURUNAN in index else ""
        variable, year, period = (
            row[index[name]] for name in ("nama_variabel", "nama_tahun", "nama_turunan_tahun")
        )
        return variable, turunan, year, period

    for (variable, turunan, year, period), rows in groupby(records, key=group):
        rows = list(rows)
        first_line = rows[0][0]
        indicator = indicator_from_title(variable)
        if indicator is None:
            raise SourceFileError(
                path, f"variable {variable!r} names no known poverty indicator", row=first_line
            )
        if not is_year(year):
            raise SourceFileError(path, f"nama_tahun {year!r} is not a year", row=first_line)
        try:
            semester = semester_of(period)
        except ValueError:
            problem = f"nama_turunan_tahun {period!r} is no survey round"
            raise SourceFileError(path, problem, row=first_line) from None
        area_type = "total" if turunan.strip().lower() in _NO_TURUNAN else area_type_of(turunan)
        if area_type is None:
            raise SourceFileError(path, f"nama_variabel_turunan {turunan!r} is no daerah", row=first_line)
        placer = AreaPlacer(path)
        for line, row in rows:
            area = placer.place(line, row[index["nama_item_vertical_variabel"]])
            table.add(line, area, int(year), semester, area_type, indicator, row[index["data_content"]])
    return table.frame()
