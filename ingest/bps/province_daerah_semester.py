"""Layout `province_daerah_semester`: provinces by daerah and survey round ("Menurut Provinsi dan Daerah").

    38 Provinsi,,,,,,,,,
    ,Persentase Penduduk Miskin (P0) Menurut Provinsi dan Daerah (Persen),,,...
    ,Perkotaan,,,Perdesaan,,,Jumlah,,                      <- daerah, spanning its columns
    ,2022,,,2022,,,2022,,                                   <- year, spanning its rounds
    ,Semester 1 (Maret),Semester 2 (September),Tahunan,...
    ACEH,10.31,10.35,-,...
    INDONESIA,7.5,7.53,-,...

The title may share the first row with the area header (4 header rows instead of 5). The total daerah is
`Jumlah` in some tables, `Perkotaan+Perdesaan` in others; the poverty line table has no total block.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.bps.areas import AreaPlacer
from ingest.bps.grid import Verdict, data_rows, header_verdict
from ingest.bps.header import DAERAH, PERIODS, TITLE, YEARS, spanning
from ingest.bps.observations import ObservationTable
from ingest.bps.reading import Grid
from ingest.bps.titles import area_type_of, indicator_from_title, is_year, semester_of
from store.errors import SourceFileError

LAYOUT = "province_daerah_semester"
EXPECTED = [TITLE, DAERAH, YEARS, PERIODS]


def recognise(grid: Grid) -> Verdict:
    return header_verdict(grid, LAYOUT, EXPECTED, "a province name followed by numbers")


def parse(grid: Grid, path: Path) -> pd.DataFrame:
    verdict = recognise(grid)
    if verdict.problem:
        raise SourceFileError(path, f"not a BPS table by province, daerah and semester: {verdict.problem}")
    block = grid.header
    indicator = indicator_from_title(block.title())
    daerah, years, periods = (block.row_of(kind) for kind in (DAERAH, YEARS, PERIODS))
    columns = []
    for column in range(1, len(periods.cells)):
        if not periods.cells[column]:
            continue
        area_label, year = spanning(daerah.cells, column), spanning(years.cells, column)
        area_type = area_type_of(area_label)
        if not is_year(year) or area_type is None:
            raise SourceFileError(
                path, f"column {column + 1}: no daerah and year above {periods.cells[column]!r} in the header"
            )
        columns.append((column, int(year), semester_of(periods.cells[column]), area_type))
    table = ObservationTable(path, LAYOUT, grid.decimal_comma)
    placer = AreaPlacer(path, kabkota_allowed=False)
    width = max(column for column, *_ in columns)
    for line, row in data_rows(grid, block.first_data_row):
        if not row[0]:
            raise SourceFileError(path, "a row of values without a province name (a shifted row?)", row=line)
        extra = [cell for cell in row[width + 1 :] if cell]
        if extra:
            problem = f"row has {len(extra)} value(s) beyond the last labelled column (a shifted row?)"
            raise SourceFileError(path, problem, row=line)
        area = placer.place(line, row[0])
        for column, year, semester, area_type in columns:
            text = row[column] if column < len(row) else ""
            table.add(line, area, year, semester, area_type, indicator, text)
    placer.check_every_province_listed(max(year for _, year, *_ in columns))
    return table.frame()
