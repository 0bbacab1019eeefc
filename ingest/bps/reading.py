"""Read a BPS download into rows of text: CSV (comma or semicolon), XLSX, or an HTML export.

Each row keeps the line a person sees it on in the file, so errors and values point at the right line
even when a quoted cell spans lines. What the cells mean is worked out from the grid (ingest.bps.grid),
whichever format it came in.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ingest.bps.cells import Grid, read_text
from store.budgets import DEFAULT_BUDGETS, FileBudgets
from store.errors import SourceFileError

__all__ = ["Grid", "read_grid", "read_rows", "read_text"]

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
HTML_SUFFIXES = {".xls", ".html", ".htm"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def delimiter_of(text: str) -> str:
    """';' when the first non-blank line has more semicolons than commas (Indonesian Excel), else ','."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first_line.count(";") > first_line.count(",") else ","


def csv_rows(text: str, path: Path | None = None) -> list[list[str]]:
    """CSV text as rows of stripped cells, comma or semicolon separated (whichever the first line uses)."""
    return _csv_grid(text, path or Path("<text>")).rows


_COMMA_DECIMAL = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+),\d+$")
_DOTTED = re.compile(r"^-?\d+(\.\d+)+$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def _csv_grid(text: str, path: Path) -> Grid:
    delimiter = delimiter_of(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, lines = [], []
    start = 1
    try:
        for row in reader:
            # Some exports carry a second byte-order mark inside the first cell.
            rows.append([cell.replace("\ufeff", "").strip() for cell in row])
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problem = (
            f"not readable as CSV ({exc}): a cell over {csv.field_size_limit():,} characters, "
            "or a stray quote that opens a cell and never closes it"
        )
        raise SourceFileError(path, problem, row=start) from None
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


def without_empty_leading_columns(grid: Grid) -> Grid:
    """Spreadsheets saved by hand often start the table in column B: drop columns empty in every row."""
    filled = [next((i for i, cell in enumerate(row) if cell), None) for row in grid.rows]
    first = min((i for i in filled if i is not None), default=0)
    if first == 0:
        return grid
    return Grid(
        [row[first:] for row in grid.rows],
        grid.lines,
        grid.decimal_comma,
        grid.spans_filled,
        grid.export,
    )


def head_bytes(path: Path, size: int = 4096) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def is_html(head: bytes) -> bool:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t").lower()
    return text.startswith(("<html", "<!doctype html", "<table", "<?xml")) or "<html" in text[:2000]


def read_grid(path: Path, budgets: FileBudgets = DEFAULT_BUDGETS) -> Grid:
    """The file's cells as text with their line numbers: CSV, the first sheet of an XLSX workbook (within
    `budgets`), or the table of an HTML export (the old "tabel dinamis" .xls is HTML)."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        from ingest.bps.xlsx import read_xlsx_grid  # only XLSX needs openpyxl

        grid = read_xlsx_grid(
            path,
            max_cells=budgets.xlsx_cells,
            max_unpacked_bytes=budgets.xlsx_unpacked_bytes,
            max_ratio=budgets.xlsx_packing_ratio,
        )
        return without_empty_leading_columns(grid)
    head = head_bytes(path)
    if head[:8] == _OLE2:
        raise SourceFileError(path, "a binary Excel 97-2003 workbook: save it as XLSX or CSV, then drop it")
    if suffix in HTML_SUFFIXES and is_html(head):
        from ingest.bps.html_export import read_html_grid

        return read_html_grid(path)
    return without_empty_leading_columns(_csv_grid(read_text(path), path))


def read_rows(path: Path) -> list[list[str]]:
    """The file's cells as text, row by row (see read_grid)."""
    return read_grid(path).rows
