"""Read a BPS download into rows of text, whether it was saved as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.errors import SourceFileError


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise SourceFileError(path, f"cannot be read ({exc.strerror})") from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # only XLSX needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors on bad files
        raise SourceFileError(path, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(path: Path) -> list[list[str]]:
    """The file's cells as text, row by row: CSV (comma or semicolon) or the first sheet of an XLSX."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    return csv_rows(read_text(path))


def csv_rows(text: str) -> list[list[str]]:
    """CSV text as rows of stripped cells, comma or semicolon separated (whichever the first line uses)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # Some exports carry a second byte-order mark inside the first cell.
    return [
        [cell.replace("\ufeff", "").strip() for cell in row]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]
