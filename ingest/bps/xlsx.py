"""The first sheet of an XLSX workbook as a grid of text, read as a stream and within a budget.

bps.go.id XLSX exports merge the header cells that span columns (and the row dimension's cell down the
header rows) and store numbers as text. openpyxl's read-only mode streams the cells but does not expose the
merges, which the sheet XML lists after its cells; so the sheet XML is parsed here once, as a stream, with
openpyxl decoding each cell (shared strings, inline strings, numbers), and the merged ranges are filled
from their first cell once every cell is known.

Nothing the file declares is trusted: the zip's total unpacked size and packing ratio are checked before
parsing, cells are counted as they are parsed (not from the sheet's `dimension`), and the grid is built
over the cells that hold something, so a 1.6 KB file claiming `A1:XFD1048576` or a zip bomb fails in one
line with little memory.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.bps.budgets import XLSX_MAX_CELLS, XLSX_MAX_PACKING_RATIO, XLSX_MAX_UNPACKED_BYTES
from ingest.bps.cells import Grid
from store.errors import OverBudgetError, SourceFileError

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL, _ROW, _MERGE = f"{_MAIN}c", f"{_MAIN}row", f"{_MAIN}mergeCell"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _corner(reference: str) -> tuple[int, int] | None:
    match = _REF.match(reference.strip().upper())
    return (int(match.group(2)), _column_number(match.group(1))) if match else None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        return f"{value:.15f}".rstrip("0").rstrip(".") if "e" in text else text
    return str(value).strip()


def check_zip_budget(
    path: Path, max_unpacked_bytes: int = XLSX_MAX_UNPACKED_BYTES, max_ratio: float = XLSX_MAX_PACKING_RATIO
) -> None:
    """Refuse a workbook whose members unpack to more than the budget, or pack too tightly (a zip bomb).

    Python's zipfile never inflates a member past the size its header declares, so the declared sizes bound
    what parsing can cost.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceFileError(path, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > max_unpacked_bytes:
        raise OverBudgetError(
            path,
            f"the workbook unpacks to {unpacked / 2**20:,.0f} MB, over the "
            f"{max_unpacked_bytes / 2**20:,.0f} MB budget for one download (a zip bomb, or no BPS export?)",
        )
    if packed and unpacked / packed > max_ratio:
        raise OverBudgetError(
            path,
            f"the workbook is packed {unpacked / packed:,.0f} times, over the {max_ratio:g}x budget "
            "(a zip bomb?)",
        )


def read_xlsx_grid(
    path: Path,
    *,
    max_cells: int = XLSX_MAX_CELLS,
    max_unpacked_bytes: int = XLSX_MAX_UNPACKED_BYTES,
    max_ratio: float = XLSX_MAX_PACKING_RATIO,
) -> Grid:
    """The first sheet's cells as text, merged ranges filled from their first cell (see the module doc)."""
    check_zip_budget(path, max_unpacked_bytes, max_ratio)
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.functions import iterparse

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML and its own errors on bad files
        raise SourceFileError(path, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    cells: dict[int, dict[int, str]] = {}
    merges: list[tuple[int, int, int, int]] = []
    counted = 0
    try:
        if not workbook.worksheets:
            raise SourceFileError(path, "the workbook has no sheet")
        sheet = workbook.worksheets[0]
        # No date formats: a BPS figure is a number even where a style says date.
        parser = WorkSheetParser(None, sheet._shared_strings, data_only=True)
        with sheet._get_source() as source:  # the sheet's XML, streamed from the archive
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == _ROW:
                        number = element.get("r")
                        parser.row_counter = int(number) if number else parser.row_counter + 1
                        parser.col_counter = 0
                    continue
                if tag == _CELL:
                    counted += 1
                    if counted > max_cells:
                        raise OverBudgetError(
                            path, f"the sheet holds over {max_cells:,} cells, the budget for one download"
                        )
                    cell = parser.parse_cell(element)
                    text = _text(cell["value"])
                    if text:
                        cells.setdefault(cell["row"], {})[cell["column"]] = text
                    element.clear()
                elif tag in (_ROW, _MERGE):
                    counted += 1  # rows and merged ranges cost memory too, even empty ones
                    if counted > max_cells:
                        raise OverBudgetError(
                            path, f"the sheet holds over {max_cells:,} cells, the budget for one download"
                        )
                    if tag == _ROW:
                        element.clear()
                        continue
                    first, _, last = (element.get("ref") or "").partition(":")
                    corners = _corner(first), _corner(last or first)
                    if None not in corners:
                        (top, left), (bottom, right) = corners
                        merges.append((top, left, bottom, right))
    except SourceFileError:
        raise
    except Exception as exc:  # a damaged sheet: XML, shared string index, cell reference
        raise SourceFileError(path, f"not a readable XLSX sheet ({type(exc).__name__}: {exc})") from None
    finally:
        workbook.close()
    return _grid(path, cells, merges, max_cells)


def _grid(
    path: Path, cells: dict[int, dict[int, str]], merges: list[tuple[int, int, int, int]], max_cells: int
) -> Grid:
    if not cells:
        return Grid([], [], spans_filled=bool(merges))
    first_row, last_row = min(cells), max(cells)
    width = max(max(columns) for columns in cells.values())
    if (last_row - first_row + 1) * width > max_cells:
        raise OverBudgetError(
            path,
            f"the sheet's cells span {last_row - first_row + 1:,} rows by {width:,} columns, over the "
            f"{max_cells:,}-cell budget for one download",
        )
    rows = [[""] * width for _ in range(last_row - first_row + 1)]
    for number, columns in cells.items():
        row = rows[number - first_row]
        for column, text in columns.items():
            row[column - 1] = text
    for top, left, bottom, right in merges:
        if not first_row <= top <= last_row or not 1 <= left <= width:
            continue
        value = rows[top - first_row][left - 1]
        if not value:
            continue
        for number in range(top, min(bottom, last_row) + 1):
            row = rows[number - first_row]
            for column in range(left, min(right, width) + 1):
                row[column - 1] = value
    return Grid(rows, list(range(first_row, last_row + 1)), spans_filled=bool(merges))
