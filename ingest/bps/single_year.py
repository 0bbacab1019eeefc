"""BPS statistics-table downloads for one year (CSV or XLSX), as the poverty line files:

Provinsi/Kabupaten/Kota,
,Garis Kemiskinan Menurut Kabupaten/Kota (Rupiah/kapita/bulan)
,2024
ACEH,661227
...
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.bps.multi_year import AREA_HEADER, YEAR
from ingest.bps.ntt_block import LongTable, ntt_rows
from ingest.bps.titles import indicator_from_title
from ingest.errors import SourceFileError


def _first_text(row: list[str]) -> str:
    return next((cell.strip() for cell in row[1:] if cell.strip()), "")


def matches(rows: list[list[str]]) -> bool:
    """The area header, a title row, then a single year."""
    if len(rows) < 4 or not rows[0] or rows[0][0].strip().lower() != AREA_HEADER:
        return False
    cells = [c for c in rows[2][1:] if c.strip()]
    return len(cells) == 1 and bool(YEAR.match(cells[0])) and not YEAR.match(_first_text(rows[1]))


def parse(rows: list[list[str]], path: Path) -> pd.DataFrame:
    if not matches(rows):
        raise SourceFileError(path, "not a BPS one-year table (expected area header, title row, year row)")
    title = _first_text(rows[1])
    indicator = indicator_from_title(title)
    if indicator is None:
        raise SourceFileError(path, f"title {title!r} names no known poverty indicator", row=2)
    year = int(_first_text(rows[2]))
    table = LongTable(path)
    named = [(line, row[0].strip() if row else "") for line, row in enumerate(rows, start=1)][3:]
    for line, area_name, code in ntt_rows(path, named):
        row = rows[line - 1]
        values = [cell for cell in row[1:] if cell.strip()]
        if len(values) > 1:
            raise SourceFileError(path, f"row has {len(values)} values where one is expected", row=line)
        table.add(line, area_name, code, year, None, indicator, values[0] if values else "")
    return table.frame()
