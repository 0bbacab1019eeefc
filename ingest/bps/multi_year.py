"""BPS statistics-table downloads with one column per year (CSV or XLSX).

Provinsi/Kabupaten/Kota,<title (unit)>,,,,
,2004,2005,...
NUSA TENGGARA TIMUR,27.86,28.19,...     <- province rows are upper case
Sumba Barat,42.04,42.77,...             <- its kabupaten/kota follow it
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ingest.bps.ntt_block import LongTable, ntt_rows
from ingest.bps.titles import indicator_from_title
from ingest.errors import SourceFileError

AREA_HEADER = "provinsi/kabupaten/kota"
YEAR = re.compile(r"^(19|20)\d\d$")


def matches(rows: list[list[str]]) -> bool:
    """The area header, then a row of several years."""
    if len(rows) < 3 or not rows[0] or rows[0][0].strip().lower() != AREA_HEADER:
        return False
    years = [cell.strip() for cell in rows[1][1:] if cell.strip()]
    return len(years) > 1 and all(YEAR.match(cell) for cell in years)


def title_of(rows: list[list[str]], path: Path) -> str:
    return next((cell for row in rows[:2] for cell in row[1:] if cell.strip() and not YEAR.match(cell)), "")


def parse(rows: list[list[str]], path: Path) -> pd.DataFrame:
    if not matches(rows):
        raise SourceFileError(
            path, "not a BPS multi-year table (expected 'Provinsi/Kabupaten/Kota' then a year row)"
        )
    title = title_of(rows, path)
    indicator = indicator_from_title(title)
    if indicator is None:
        raise SourceFileError(path, f"title {title!r} names no known poverty indicator", row=1)
    year_by_column = {i: int(cell) for i, cell in enumerate(rows[1]) if i > 0 and YEAR.match(cell.strip())}
    last_column = max(year_by_column)
    table = LongTable(path)
    named = [(line, row[0].strip() if row else "") for line, row in enumerate(rows, start=1)][2:]
    for line, area_name, code in ntt_rows(path, named):
        row = rows[line - 1]
        extra = [cell for cell in row[last_column + 1 :] if cell.strip()]
        if extra:
            raise SourceFileError(
                path,
                f"row has {len(extra)} value(s) more than the {len(year_by_column)} year columns "
                "(a shifted row, or a comma inside a value?)",
                row=line,
            )
        for column, year in year_by_column.items():
            table.add(line, area_name, code, year, None, indicator, row[column] if column < len(row) else "")
    return table.frame()
