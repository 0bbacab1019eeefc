"""Read a BPS download into rows of text, whether it was saved as CSV (comma or semicolon) or XLSX.

Each row keeps the line a person sees it on in the file, so errors and values point at the right line
even when a quoted cell spans lines.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import SourceFileError

if TYPE_CHECKING:
    from ingest.bps.header import HeaderBlock


@dataclass(frozen=True)
class Grid:
    rows: list[list[str]]
    lines: list[int]  # the 1-based line (CSV) or row (XLSX) each row starts on
    decimal_comma: bool = False  # values written "20,05" (Indonesian-locale Excel)

    @cached_property
    def header(self) -> HeaderBlock:
        """The classified header rows, worked out once for every layout that looks at this grid."""
        from ingest.bps.header import header_block

        return header_block(self.rows)


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without a byte-order mark), or Windows-1252 as Excel saves CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceFileError(path, f"cannot be read ({exc.strerror})") from exc
    if b"\x00" in data[:4096]:
        raise SourceFileError(path, "not UTF-8 text (NUL bytes: UTF-16 or a binary file?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp1252")  # Excel's "CSV" on a Windows machine; BPS text is ASCII anyway
        except UnicodeDecodeError:
            raise SourceFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_grid(path: Path) -> Grid:
    from openpyxl import load_workbook  # only XLSX needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors on bad files
        raise SourceFileError(path, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return Grid(rows, list(range(1, len(rows) + 1)))


def delimiter_of(text: str) -> str:
    """';' when the first non-blank line has more semicolons than commas (Indonesian Excel), else ','."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first_line.count(";") > first_line.count(",") else ","


def csv_rows(text: str) -> list[list[str]]:
    """CSV text as rows of stripped cells, comma or semicolon separated (whichever the first line uses)."""
    return _csv_grid(text).rows


_COMMA_DECIMAL = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+),\d+$")
_DOTTED = re.compile(r"^-?\d+(\.\d+)+$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def _csv_grid(text: str) -> Grid:
    delimiter = delimiter_of(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, lines = [], []
    start = 1
    for row in reader:
        # Some exports carry a second byte-order mark inside the first cell.
        rows.append([cell.replace("\ufeff", "").strip() for cell in row])
        lines.append(start)
        start = reader.line_num + 1
    return Grid(rows, lines, delimiter == ";" and _writes_decimal_comma(rows))


def _writes_decimal_comma(rows: list[list[str]]) -> bool:
    """Whether a semicolon file writes numbers the Indonesian way: 20,05 and 1.131,62 (or 661.227).

    BPS's own semicolon export writes 2.76; a file whose every dotted number groups thousands (661.227)
    can only be Indonesian-locale Excel's, since BPS rates carry two decimals.
    """
    cells = [cell for row in rows for cell in row[1:] if cell]
    if any(_COMMA_DECIMAL.match(cell) for cell in cells if "," in cell):
        return True
    dotted = [cell for cell in cells if _DOTTED.match(cell)]
    return bool(dotted) and all(_THOUSANDS.match(cell) for cell in dotted)


def _without_empty_leading_columns(grid: Grid) -> Grid:
    """Spreadsheets saved by hand often start the table in column B: drop columns empty in every row."""
    filled = [next((i for i, cell in enumerate(row) if cell), None) for row in grid.rows]
    first = min((i for i in filled if i is not None), default=0)
    if first == 0:
        return grid
    return Grid([row[first:] for row in grid.rows], grid.lines, grid.decimal_comma)


def read_grid(path: Path) -> Grid:
    """The file's cells as text with their line numbers: CSV, or the first sheet of an XLSX workbook."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _without_empty_leading_columns(_xlsx_grid(path))
    if path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SourceFileError(path, "a binary Excel 97-2003 workbook: save it as XLSX or CSV, then drop it")
    return _without_empty_leading_columns(_csv_grid(read_text(path)))


def read_rows(path: Path) -> list[list[str]]:
    """The file's cells as text, row by row (see read_grid)."""
    return read_grid(path).rows
