"""BPS dynamic-table CSV exports in long form (semicolon separated):

nama_variabel;nama_variabel_turunan;nama_tahun;nama_turunan_tahun;data_content;nama_item_vertical_variabel
"Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten/Kota";"Tidak Ada";2023;Tahun;3.33;"NUSA TENGGARA TIMUR"
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import pandas as pd

from ingest.bps.multi_year import YEAR
from ingest.bps.ntt_block import LongTable, ntt_rows
from ingest.bps.province_semester import semester_of
from ingest.bps.titles import indicator_from_title
from ingest.errors import SourceFileError

COLUMNS = ["nama_variabel", "nama_tahun", "nama_turunan_tahun", "data_content", "nama_item_vertical_variabel"]


def matches(rows: list[list[str]]) -> bool:
    return bool(rows) and all(column in [c.strip().lower() for c in rows[0]] for column in COLUMNS)


def parse(rows: list[list[str]], path: Path) -> pd.DataFrame:
    if not matches(rows):
        raise SourceFileError(path, f"not a BPS long export (expected columns {', '.join(COLUMNS)})")
    index = {name: [c.strip().lower() for c in rows[0]].index(name) for name in COLUMNS}
    records = [(line, row) for line, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    table = LongTable(path)

    def key(item: tuple[int, list[str]]) -> tuple[str, str, str]:
        row = item[1]
        return row[index["nama_variabel"]], row[index["nama_tahun"]], row[index["nama_turunan_tahun"]]

    # Each variable x year x period is one table of regions in BPS order, so the NTT block is found per group.
    for (variable, year, period), group in groupby(records, key=key):
        indicator = indicator_from_title(variable)
        semester = semester_of(period)
        group_rows = dict(group)
        first_line = next(iter(group_rows))
        if indicator is None:
            raise SourceFileError(
                path, f"variable {variable!r} names no known poverty indicator", row=first_line
            )
        if not YEAR.match(year.strip()) or isinstance(semester, str):
            raise SourceFileError(path, f"cannot read year {year!r} / period {period!r}", row=first_line)
        named = [
            (line, row[index["nama_item_vertical_variabel"]].strip()) for line, row in group_rows.items()
        ]
        for line, area_name, code in ntt_rows(path, named):
            value = group_rows[line][index["data_content"]]
            table.add(line, area_name, code, int(year), semester, indicator, value)
    return table.frame()
