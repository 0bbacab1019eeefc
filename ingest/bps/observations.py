"""The observation table every BPS export is turned into: one row per value, with the line it came from."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ingest.bps.areas import PlacedArea
from ingest.bps.titles import ANNUAL, S1, S2, Variable
from store.errors import SourceFileError
from store.paths import display_path

OBSERVATION_DTYPES: dict[str, str] = {
    "bps_code": "Int64",
    "area_name": "string",
    "area_level": "string",  # country | province | kabkota
    "province_bps_code": "Int64",
    "year": "Int64",
    # annual | S1 (Susenas March) | S2 (Susenas September) | M01..M12 (a month: Sakernas Februari = M02,
    # Agustus = M08) | Q1..Q4 (a quarter): ingest.bps.titles.PERIODS
    "period": "string",
    # total | urban | rural (daerah) | another breakdown's label as printed (Laki-laki, Akses pada ...)
    "breakdown": "string",
    "indicator": "string",  # the code: P0, TPT... for known indicators, else derived (ingest.bps.titles)
    "indicator_name": "string",  # the variable's name as the title prints it
    "value": "Float64",
    "unit": "string",
    "layout": "string",  # the case of the table model the export was (data/bps/BPS_FORMATS.md)
    "_source_file": "string",
    "_source_row": "Int64",
}
OBSERVATION_COLUMNS = list(OBSERVATION_DTYPES)

MISSING_MARKERS = frozenset({"", "-", "\u2013", "\u2014", "...", "\u2026", "..", "NA", "n.a.", "N/A"})
_DOT_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_COMMA_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PERIOD_WORDS = {ANNUAL: "", S1: " March", S2: " September"}


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


def period_words(period: str) -> str:
    """How a person names a period after its year: "" (annual), " March", " February", " Q1"."""
    if period in _PERIOD_WORDS:
        return _PERIOD_WORDS[period]
    if period.startswith("M"):
        import calendar

        return " " + calendar.month_name[int(period[1:])]
    return f" {period}"


def _scaled(value: float, scale: float) -> float:
    # Divide rather than multiply by 0.001, so 45550 people are 45.55 thousand, not 45.550000000000004.
    return value / round(1 / scale) if 0 < scale < 1 else value * scale


class ObservationTable:
    """Collects the values of one file, refusing a second value for the same area, period and breakdown."""

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
        period: str,
        breakdown: str,
        variable: Variable,
        text: str,
        unit: str | None = None,
    ) -> None:
        # The common cell, a plain number, without the general parse (one regex, no strip); in a file that
        # writes decimal commas, 661.227 is thousands, so every cell takes the general parse there.
        if not self.decimal_comma and _DOT_NUMBER.match(text):
            value: float | None = float(text)
        else:
            value = parse_value(text, self.path, line, self.decimal_comma)
        key = (area.bps_code, year, period, breakdown, variable.code)
        first = self._seen.get(key)
        if first is not None:
            where = f"rows {first} and {line}" if first != line else "two columns of the row"
            raise SourceFileError(
                self.path,
                f"{area.name!r} appears twice for {variable.code} {year}{_legacy_period(period)} {breakdown} "
                f"({where})",
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
                period,
                breakdown,
                variable.code,
                variable.name,
                value if variable.scale == 1.0 else _scaled(value, variable.scale),
                unit or variable.unit,
                self.layout,
                self.source_file,
                line,
            )
        )

    def frame(self, allow_empty: bool = False) -> pd.DataFrame:
        if not self.records:
            if allow_empty:
                return empty_observations()
            raise SourceFileError(self.path, "the table holds no values (every cell is '-' or empty)")
        columns = zip(*self.records, strict=True)
        return pd.DataFrame(
            {
                name: _typed_array(values, dtype)
                for (name, dtype), values in zip(OBSERVATION_DTYPES.items(), columns, strict=True)
            }
        )


def _typed_array(values: tuple, dtype: str) -> pd.api.extensions.ExtensionArray:
    """A column of the observation table, built from NumPy arrays: a file's frame is made for every file
    read, and pd.array's inference cost more than the reading of a small table."""
    if dtype == "string":
        return pd.arrays.StringArray(np.array(values, dtype=object))
    missing = np.array([value is None for value in values], dtype=bool)
    if dtype == "Float64":
        return pd.arrays.FloatingArray(np.array(values, dtype="float64"), missing)
    data = np.array([0 if value is None else value for value in values], dtype="int64")
    return pd.arrays.IntegerArray(data, missing)


def _legacy_period(period: str) -> str:
    """The period as error messages have always named it ("2022 semester 1")."""
    return {ANNUAL: "", S1: " semester 1", S2: " semester 2"}.get(period, f" {period}")
