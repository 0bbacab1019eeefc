"""BPS statistics-table CSV downloads that hold several years, one column per year.

Layout (bps.go.id "Unduh CSV", national or one-province extract):

    Provinsi/Kabupaten/Kota,<title (unit)>,,,,
    ,2004,2005,...
    NUSA TENGGARA TIMUR,27.86,28.19,...     <- province rows are upper case
    Sumba Barat,42.04,42.77,...             <- its kabupaten/kota follow it
    ...

'-' marks a value BPS does not have (an area not yet formed); such cells produce no row.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ingest.bps import LONG_TABLE_COLUMNS
from ingest.bps.titles import indicator_from_title
from ingest.errors import SourceFileError
from ingest.paths import display_path
from ingest.regions import bps_code_for_area, is_ntt_province_name

_AREA_HEADER = "provinsi/kabupaten/kota"
_YEAR = re.compile(r"^(19|20)\d\d$")
MISSING_MARKERS = {"-", "", "…", "..."}


def read_csv_rows(path: Path) -> list[list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise SourceFileError(path, f"cannot be read ({exc.strerror})") from exc
    return list(csv.reader(io.StringIO(text)))


def is_multi_year_csv(rows: list[list[str]]) -> bool:
    """True when the first two rows are the area header and a row of years."""
    if len(rows) < 3 or not rows[0] or rows[0][0].strip().lower() != _AREA_HEADER:
        return False
    years = [cell.strip() for cell in rows[1][1:] if cell.strip()]
    return len(years) > 1 and all(_YEAR.match(cell) for cell in years)


def _is_province_row(area_name: str) -> bool:
    letters = [c for c in area_name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def parse_value(text: str, path: Path, row_number: int) -> float | None:
    cleaned = text.strip()
    if cleaned in MISSING_MARKERS:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise SourceFileError(path, f"value {cleaned!r} is not a number", row=row_number) from None


def parse_multi_year_csv(path: Path) -> pd.DataFrame:
    """The NTT rows (province 5300 and its 22 areas) of a multi-year BPS CSV, as a long table.

    Area names that are not in the regency reference keep a null bps_code, so the data
    quality gate can reject them with the file and row.
    """
    rows = read_csv_rows(path)
    if not is_multi_year_csv(rows):
        raise SourceFileError(
            path, "not a BPS multi-year table (expected 'Provinsi/Kabupaten/Kota' then a year row)"
        )
    title = next((cell for cell in rows[0][1:] if cell.strip()), "")
    indicator = indicator_from_title(title)
    if indicator is None:
        raise SourceFileError(path, f"title {title!r} names no known poverty indicator", row=1)
    year_by_column = {i: int(cell) for i, cell in enumerate(rows[1]) if i > 0 and _YEAR.match(cell.strip())}

    records = []
    in_ntt_block = False
    source_file = display_path(path)
    for line_number, row in enumerate(rows[2:], start=3):
        area_name = row[0].strip() if row else ""
        if not area_name:
            continue
        if _is_province_row(area_name):
            in_ntt_block = is_ntt_province_name(area_name)
        if not in_ntt_block:
            continue
        extra = [cell for cell in row[max(year_by_column) + 1 :] if cell.strip()]
        if extra:
            raise SourceFileError(
                path,
                f"row has {len(extra)} value(s) more than the {len(year_by_column)} year columns "
                "(a shifted row, or a comma inside a value?)",
                row=line_number,
            )
        for column, year in year_by_column.items():
            cell = row[column] if column < len(row) else ""
            value = parse_value(cell, path, line_number)
            if value is None:
                continue
            records.append(
                (
                    bps_code_for_area(area_name),
                    area_name,
                    year,
                    None,
                    indicator.indicator,
                    value,
                    indicator.unit,
                    source_file,
                    line_number,
                )
            )
    if not records:
        raise SourceFileError(path, "no rows for Nusa Tenggara Timur")
    table = pd.DataFrame.from_records(records, columns=LONG_TABLE_COLUMNS)
    return table.astype({"bps_code": "Int64", "semester": "Int64", "year": "int64", "_source_row": "int64"})
