"""The observation table every BPS reader returns: one row per value, with the line it came from."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ingest.bps.areas import PlacedArea
from ingest.bps.titles import IndicatorTitle
from store.errors import SourceFileError
from store.paths import display_path

OBSERVATION_DTYPES: dict[str, str] = {
    "bps_code": "Int64",
    "area_name": "string",
    "area_level": "string",  # country | province | kabkota
    "province_bps_code": "Int64",
    "year": "Int64",
    "semester": "Int64",  # 1 = March round, 2 = September round, null = annual
    "area_type": "string",  # total | urban | rural
    "indicator": "string",
    "value": "Float64",
    "unit": "string",
    "layout": "string",
    "_source_file": "string",
    "_source_row": "Int64",
}
OBSERVATION_COLUMNS = list(OBSERVATION_DTYPES)

MISSING_MARKERS = frozenset({"", "-", "\u2013", "\u2014", "...", "\u2026", "..", "NA", "n.a.", "N/A"})
_DOT_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_COMMA_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def empty_observations() -> pd.DataFrame:
    """An observation table with no rows but every column typed."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in OBSERVATION_DTYPES.items()})


def parse_value(text: str, path: Path, line: int, decimal_comma: bool = False) -> float | None:
    """The number a cell holds, None for BPS's missing markers, SourceFileError for anything else."""
    cleaned = text.strip()
    if cleaned in MISSING_MARKERS:
        return None
    if decimal_comma and _COMMA_NUMBER.match(cleaned):
        return float(cleaned.replace(".", "").replace(",", "."))
    if _DOT_NUMBER.match(cleaned):
        return float(cleaned)
    problem = f"value {cleaned!r} is not a number (nor '-' or '...' for no figure)"
    raise SourceFileError(path, problem, row=line)


def _scaled(value: float, scale: float) -> float:
    # Divide rather than multiply by 0.001, so 45550 people are 45.55 thousand, not 45.550000000000004.
    return value / round(1 / scale) if 0 < scale < 1 else value * scale


class ObservationTable:
    """Collects the values of one file, refusing a second value for the same area and period."""

    def __init__(self, path: Path, layout: str, decimal_comma: bool = False) -> None:
        self.path = path
        self.layout = layout
        self.decimal_comma = decimal_comma
        self.source_file = display_path(path)
        self.records: list[tuple] = []
        self._seen: dict[tuple, int] = {}

    def add(
        self,
        line: int,
        area: PlacedArea,
        year: int,
        semester: int | None,
        area_type: str,
        indicator: IndicatorTitle,
        text: str,
    ) -> None:
        value = parse_value(text, self.path, line, self.decimal_comma)
        key = (area.bps_code, year, semester, area_type, indicator.indicator)
        if key in self._seen:
            first = self._seen[key]
            where = f"rows {first} and {line}" if first != line else "two columns of the row"
            period = f"{year}" if semester is None else f"{year} semester {semester}"
            raise SourceFileError(
                self.path,
                f"{area.name!r} appears twice for {indicator.indicator} {period} {area_type} ({where})",
                row=line,
            )
        self._seen[key] = line
        if value is None:
            return
        self.records.append(
            (
                area.bps_code,
                area.name,
                area.level,
                area.province_bps_code,
                year,
                semester,
                area_type,
                indicator.indicator,
                _scaled(value, indicator.scale),
                indicator.unit,
                self.layout,
                self.source_file,
                line,
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.records:
            raise SourceFileError(self.path, "the table holds no values (every cell is '-' or empty)")
        columns = zip(*self.records, strict=True)
        return pd.DataFrame(
            {
                name: pd.array(list(values), dtype=dtype)
                for (name, dtype), values in zip(OBSERVATION_DTYPES.items(), columns, strict=True)
            }
        )
