"""Layout `province_semester_columns`: one header row naming indicator and survey month per column.

    Provinsi,Garis Kemiskinan - Maret (Rp),Garis Kemiskinan - September (Rp),Jumlah Penduduk ...
    Aceh,435454,...,872.61,829.8,16.89,15.92
    ...
    Indonesia,385621,...,27771.22,26582.99,10.12,10.12

("Jumlah dan Persentase Penduduk Miskin Menurut Provinsi".) Province names are in title case. The content
carries no year: bps.go.id names the download "<title>, <year>.csv", so the year comes from the file name
unless a column header carries one. Some years have 4 value columns (no poverty line), some 6.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ingest.bps.areas import AreaPlacer
from ingest.bps.grid import Verdict, data_rows
from ingest.bps.header import TITLE
from ingest.bps.observations import ObservationTable
from ingest.bps.reading import Grid
from ingest.bps.titles import IndicatorTitle, indicator_from_title, semester_of
from store.errors import SourceFileError

LAYOUT = "province_semester_columns"
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MONTH = re.compile(r"\b(maret|march|september)\b", re.I)


def _column_headers(grid: Grid) -> list[tuple[int, str]]:
    return [(i, cell) for i, cell in enumerate(grid.rows[0][1:], start=1) if cell] if grid.rows else []


def _column_problem(cell: str) -> str | None:
    if indicator_from_title(cell) is None:
        return "expected an indicator (Persentase / Jumlah Penduduk Miskin, Garis Kemiskinan...)"
    if not _MONTH.search(cell):
        return "expected a survey month (Maret or September)"
    return None


def recognise(grid: Grid) -> Verdict:
    block = grid.header
    headers = _column_headers(grid)
    if not headers or [row.kind for row in block.meaningful()] != [TITLE] or block.first_data_row != 1:
        found = len(block.meaningful())
        problem = f"expected one header row naming indicator and month per column, found {found}"
        return Verdict(LAYOUT, 0.0, problem)
    problems = [(i, cell, _column_problem(cell)) for i, cell in headers]
    bad = [(i, cell, problem) for i, cell, problem in problems if problem]
    score = 1 + 2 * (len(headers) - len(bad)) / len(headers)
    if bad:
        column, cell, problem = bad[0]
        where = f"header row {grid.lines[0]}, column {column + 1}"
        return Verdict(LAYOUT, score, f"{where}: {problem}, found {cell!r}")
    return Verdict(LAYOUT, score, None)


def _area_type(cell: str) -> str:
    text = cell.lower()
    if "perkotaan" in text and "perdesaan" not in text:
        return "urban"
    if ("perdesaan" in text or "pedesaan" in text) and "perkotaan" not in text:
        return "rural"
    return "total"


def year_of(path: Path, headers: list[str]) -> int:
    """The year a column header names, else the year in the download's name ('..., 2021.csv')."""
    in_headers = {match for cell in headers for match in _YEAR_IN_TEXT.findall(cell)}
    if len(in_headers) == 1:
        return int(in_headers.pop())
    in_name = _YEAR_IN_TEXT.findall(path.stem)
    if not in_headers and in_name:
        return int(in_name[-1])
    raise SourceFileError(
        path,
        "no year: this table carries none, and bps.go.id names the download '<title>, <year>.csv'; "
        "keep the year in the file name",
    )


def parse(grid: Grid, path: Path) -> pd.DataFrame:
    verdict = recognise(grid)
    if verdict.problem:
        raise SourceFileError(path, f"not a BPS province table with a column per round: {verdict.problem}")
    headers = _column_headers(grid)
    year = year_of(path, [cell for _, cell in headers])
    columns: list[tuple[int, int | None, str, IndicatorTitle]] = [
        (i, semester_of(_MONTH.search(cell).group(1)), _area_type(cell), indicator_from_title(cell))
        for i, cell in headers
    ]
    width = max(i for i, *_ in columns)
    table = ObservationTable(path, LAYOUT, grid.decimal_comma)
    placer = AreaPlacer(path, kabkota_allowed=False)
    for line, row in data_rows(grid, 1):
        if not row[0]:
            raise SourceFileError(path, "a row of values without a province name (a shifted row?)", row=line)
        extra = [cell for cell in row[width + 1 :] if cell]
        if extra:
            raise SourceFileError(
                path, f"row has {len(extra)} value(s) beyond the {len(columns)} labelled columns", row=line
            )
        area = placer.place(line, row[0])
        for column, semester, area_type, indicator in columns:
            text = row[column] if column < len(row) else ""
            table.add(line, area, year, semester, area_type, indicator, text)
    placer.check_every_province_listed(year)
    return table.frame()
