"""The NTT part of a BPS table: the province row and the kabupaten/kota rows that follow it.

National tables list every province in upper case, each followed by its own areas. Areas inside the NTT
block must be known to the regency reference; an unknown name means the file is not what it claims to be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from ingest.bps import LONG_TABLE_COLUMNS
from ingest.bps.titles import IndicatorTitle
from ingest.errors import SourceFileError
from ingest.paths import display_path
from ingest.regions import bps_code_for_area, is_ntt_province_name

MISSING_MARKERS = {"-", "", "…", "...", "NA", "n.a."}
# BPS tables end with footnote rows ("Catatan", "Sumber") whose first cell is not an area.
_FOOTNOTE = re.compile(r"^(catatan|sumber|keterangan|note)\b", re.IGNORECASE)


def is_province_row(area_name: str) -> bool:
    letters = [c for c in area_name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def ntt_rows(path: Path, named_rows: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str, int]]:
    """(line, area name, BPS code) for the rows of the NTT block, in file order."""
    in_block = False
    for line, area_name in named_rows:
        if _FOOTNOTE.match(area_name):
            break
        if not area_name:
            continue
        if is_province_row(area_name):
            in_block = is_ntt_province_name(area_name)
        if not in_block:
            continue
        code = bps_code_for_area(area_name)
        if code is None:
            raise SourceFileError(
                path, f"area {area_name!r} is not an NTT regency in the reference", row=line
            )
        yield line, area_name, code


def parse_value(text: str, path: Path, line: int) -> float | None:
    cleaned = text.strip()
    if cleaned in MISSING_MARKERS:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise SourceFileError(path, f"value {cleaned!r} is not a number", row=line) from None


class LongTable:
    """Collects values into the long table every BPS parser returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source_file = display_path(path)
        self.records: list[tuple] = []

    def add(
        self,
        line: int,
        area_name: str,
        code: int,
        year: int,
        semester: int | None,
        indicator: IndicatorTitle,
        text: str,
    ) -> None:
        value = parse_value(text, self.path, line)
        if value is not None:
            value *= indicator.scale
            self.records.append(
                (
                    code,
                    area_name,
                    year,
                    semester,
                    indicator.indicator,
                    value,
                    indicator.unit,
                    self.source_file,
                    line,
                )
            )

    def frame(self) -> pd.DataFrame:
        if not self.records:
            raise SourceFileError(self.path, "no values for Nusa Tenggara Timur")
        table = pd.DataFrame.from_records(self.records, columns=LONG_TABLE_COLUMNS)
        return table.astype(
            {"bps_code": "Int64", "semester": "Int64", "year": "int64", "_source_row": "int64"}
        )
