"""Layout `area_by_year`: areas in rows, one value column per year (bps.go.id statistics-table downloads).

    Nama Wilayah,                                                       <- area column header (any text)
    ,Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Persen)    <- title: indicator and unit
    ,2022                                                               <- one year, or several
    ACEH,14.64                                                          <- province rows in upper case,
    Simeulue,18.37                                                         each followed by its kab/kota

The title may share the first row with the area header (`Provinsi/Kabupaten/Kota,<title>,,,`) and the
year row may list many years. Values are annual: the kab/kota series (see BPS_FORMATS.md).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.bps.areas import AreaPlacer
from ingest.bps.grid import Verdict, data_rows, header_verdict
from ingest.bps.header import TITLE, YEARS
from ingest.bps.observations import ObservationTable
from ingest.bps.reading import Grid
from ingest.bps.titles import indicator_from_title, is_year
from store.errors import SourceFileError

LAYOUT = "area_by_year"
EXPECTED = [TITLE, YEARS]


def recognise(grid: Grid) -> Verdict:
    return header_verdict(grid, LAYOUT, EXPECTED, "an area name followed by numbers")


def parse(grid: Grid, path: Path) -> pd.DataFrame:
    verdict = recognise(grid)
    if verdict.problem:
        raise SourceFileError(path, f"not an area-by-year BPS table: {verdict.problem}")
    block = grid.header
    indicator = indicator_from_title(block.title())
    year_row = block.row_of(YEARS).cells
    years = {i: int(cell) for i, cell in enumerate(year_row) if i > 0 and is_year(cell)}
    table = ObservationTable(path, LAYOUT, grid.decimal_comma)
    placer = AreaPlacer(path)
    for line, row in data_rows(grid, block.first_data_row):
        if not row[0]:
            raise SourceFileError(path, "a row of values without an area name (a shifted row?)", row=line)
        extra = [cell for i, cell in enumerate(row[1:], start=1) if cell and i not in years]
        if extra:
            raise SourceFileError(
                path,
                f"row has {len(extra)} value(s) more than the {len(years)} year column(s) "
                "(a shifted row, or a comma inside a value?)",
                row=line,
            )
        area = placer.place(line, row[0])
        for column, year in years.items():
            text = row[column] if column < len(row) else ""
            table.add(line, area, year, None, "total", indicator, text)
    return table.frame()
