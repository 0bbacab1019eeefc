"""BPS province tables by area type and semester (CSV or XLSX):

    38 Provinsi,<title (unit)>,,,...
    ,Perkotaan,,,...,Perdesaan,,,...,Jumlah,,,...       <- area type, spanning its columns
    ,2007,,,2008,,,...                                   <- year, spanning three columns
    ,Semester 1 (Maret),Semester 2 (September),Tahunan,...
    NUSA TENGGARA TIMUR,-,-,16.41,...
    Catatan,<br /><ul><li>...</li></ul>,...              <- footnote holding HTML

Urban and rural values become their own indicators (P0_URBAN, P0_RURAL, ...); Jumlah is the indicator itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ingest.bps.multi_year import YEAR
from ingest.bps.ntt_block import LongTable, ntt_rows
from ingest.bps.titles import IndicatorTitle, indicator_from_title
from ingest.errors import SourceFileError

_AREA_SUFFIX = {"perkotaan": "_URBAN", "perdesaan": "_RURAL", "jumlah": "", "total": ""}
_PROVINCES_HEADER = re.compile(r"^(\d+\s+)?provinsi$", re.I)


def semester_of(label: str) -> int | str | None:
    """1 for March, 2 for September, None for the annual figure; the label itself if unknown."""
    text = label.lower()
    if "maret" in text or "semester 1" in text:
        return 1
    if "september" in text or "semester 2" in text:
        return 2
    if "tahun" in text:
        return None
    return label


def matches(rows: list[list[str]]) -> bool:
    if len(rows) < 5 or not rows[0] or not _PROVINCES_HEADER.match(rows[0][0].strip()):
        return False
    areas = {cell.strip().lower() for cell in rows[1] if cell.strip()}
    return bool(areas & {"perkotaan", "perdesaan"}) and any("tahun" in c.lower() for c in rows[3])


def _spanning(row: list[str], column: int) -> str:
    """A header cell that spans several columns is printed once, at its first column."""
    return next((row[i].strip() for i in range(column, 0, -1) if i < len(row) and row[i].strip()), "")


def parse(rows: list[list[str]], path: Path) -> pd.DataFrame:
    if not matches(rows):
        raise SourceFileError(path, "not a BPS province table by area and semester (expected 4 header rows)")
    title = next((cell for cell in rows[0][1:] if cell.strip()), "")
    base = indicator_from_title(title)
    if base is None:
        raise SourceFileError(path, f"title {title!r} names no known poverty indicator", row=1)
    columns = []
    for column in range(1, len(rows[3])):
        if not rows[3][column].strip():
            continue
        area, year, period = _spanning(rows[1], column), _spanning(rows[2], column), rows[3][column]
        suffix = _AREA_SUFFIX.get(area.lower())
        semester = semester_of(period)
        if suffix is None or not YEAR.match(year) or isinstance(semester, str):
            raise SourceFileError(
                path, f"column {column + 1}: cannot read header {area!r} / {year!r} / {period!r}"
            )
        indicator = IndicatorTitle(base.indicator + suffix, base.unit, base.scale)
        columns.append((column, int(year), semester, indicator))
    table = LongTable(path)
    named = [(line, row[0].strip() if row else "") for line, row in enumerate(rows, start=1)][4:]
    for line, area_name, code in ntt_rows(path, named):
        row = rows[line - 1]
        for column, year, semester, indicator in columns:
            table.add(
                line, area_name, code, year, semester, indicator, row[column] if column < len(row) else ""
            )
    return table.frame()
