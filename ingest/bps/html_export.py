"""An HTML export of a BPS table as a grid of text: the old "tabel dinamis" .xls, or any HTML table.

The "tabel dinamis" export is an HTML page (`<html xmlns:x="urn:schemas-microsoft-com:office:excel">`) that
draws one table as four: `tableLeftUp` (the row dimension's name, "Nama Wilayah"), `tableLeftBottom` (one
cell per area, in BPS order), `tableRightUp` (the title over every column, then the years, newest first,
and optionally the periods) and `tableRightBottom` (one row of values per area). They are put back together
into one grid. Any other HTML page gives its largest table. A cell spanning columns or rows stands in each
of them. Text is unescaped and markup dropped; the page is read in one linear pass over its tags, never run.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ingest.bps.cells import Grid, read_text
from store.errors import SourceFileError

TABEL_DINAMIS_TABLES = ("tableLeftBottom", "tableRightUp", "tableRightBottom")
MAX_SPAN = 1000  # a colspan or rowspan beyond this is not a statistics table's


class _Table:
    def __init__(self, table_id: str | None) -> None:
        self.id = table_id
        self.rows: list[list[tuple[str, int, int]]] = []  # (text, colspan, rowspan) per cell


# The tags that shape a table, found in one linear pass (no backtracking over the text between them).
_TAG = re.compile(r"<(/?)(table|tr|td|th|br)\b([^>]*)>", re.IGNORECASE)
_MARKUP = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r"""\b(id|colspan|rowspan)\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)


def _tables(text: str) -> list[_Table]:
    """Every <table> of a page, each with its own rows and cells (cells of nested tables stay theirs).

    Text between tags is unescaped and its other markup dropped; a page is data, never run."""
    tables: list[_Table] = []
    open_tables: list[_Table] = []
    cell: tuple[int, int, int] | None = None  # (start of its text, colspan, rowspan)

    def close_cell(at: int) -> None:
        nonlocal cell
        if cell is not None and open_tables:
            start, colspan, rowspan = cell
            content = " ".join(html.unescape(_MARKUP.sub(" ", text[start:at])).split())
            table = open_tables[-1]
            if not table.rows:
                table.rows.append([])
            table.rows[-1].append((content, colspan, rowspan))
        cell = None

    for match in _TAG.finditer(text):
        closing, tag, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if tag == "br":
            continue
        close_cell(match.start())
        if closing:
            if tag == "table" and open_tables:
                open_tables.pop()
            continue
        # Only a table's id and a cell's spans matter: the long style attributes of other tags are skipped.
        wanted = tag == "table" or (tag != "tr" and "span" in attributes.lower())
        found = {name.lower(): value for name, value in _ATTRIBUTE.findall(attributes)} if wanted else {}
        if tag == "table":
            table = _Table(found.get("id"))
            tables.append(table)
            open_tables.append(table)
        elif tag == "tr" and open_tables:
            open_tables[-1].rows.append([])
        elif open_tables:
            cell = (match.end(), _span(found.get("colspan")), _span(found.get("rowspan")))
    close_cell(len(text))
    return tables


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_SPAN))
    except ValueError:
        return 1


def _laid_out(table: _Table) -> list[list[str]]:
    """The table's rows with each spanning cell standing in every column and row it covers."""
    grid: list[list[str]] = []
    taken: dict[tuple[int, int], str] = {}  # cells covered by a rowspan from a row above
    for index, cells in enumerate(table.rows):
        row: list[str] = []
        column = 0
        for text, colspan, rowspan in cells:
            while (index, column) in taken:
                row.append(taken.pop((index, column)))
                column += 1
            for offset in range(colspan):
                row.append(text)
                for below in range(1, rowspan):
                    taken[(index + below, column + offset)] = text
            column += colspan
        while (index, column) in taken:
            row.append(taken.pop((index, column)))
            column += 1
        grid.append(row)
    return grid


def read_html_grid(path: Path) -> Grid:
    tables = _tables(read_text(path))
    by_id = {table.id: table for table in tables if table.id}
    if all(name in by_id for name in TABEL_DINAMIS_TABLES):
        return _tabel_dinamis(path, by_id)
    tables = [table for table in tables if table.rows]
    if not tables:
        raise SourceFileError(path, "an HTML page without a table")
    largest = max(tables, key=lambda table: sum(len(row) for row in table.rows))
    rows = _laid_out(largest)
    return Grid(rows, list(range(1, len(rows) + 1)), spans_filled=True)


def _tabel_dinamis(path: Path, by_id: dict[str, _Table]) -> Grid:
    """The four tables of a "tabel dinamis" export as one grid: header rows, then one row per area.

    Rows of values count areas (1 = the first area), as the page numbers nothing else; header rows are
    numbered from 1 in the header table.
    """
    corner = (
        next((cell[0] for row in by_id["tableLeftUp"].rows for cell in row), "")
        if "tableLeftUp" in by_id
        else ""
    )
    header = [row for row in _laid_out(by_id["tableRightUp"]) if row]
    regions = [row[0] if row else "" for row in _laid_out(by_id["tableLeftBottom"])]
    values = _laid_out(by_id["tableRightBottom"])
    if len(values) != len(regions):
        raise SourceFileError(path, f"{len(regions)} areas but {len(values)} rows of values")
    rows = [[corner if index == 0 else "", *cells] for index, cells in enumerate(header)]
    rows += [[region, *cells] for region, cells in zip(regions, values, strict=True)]
    lines = list(range(1, len(header) + 1)) + list(range(1, len(regions) + 1))
    return Grid(rows, lines, spans_filled=True, export="tabel_dinamis")
