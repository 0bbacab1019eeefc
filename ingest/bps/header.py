"""The header block of a BPS grid table: which rows hold the title, daerah, years and survey rounds.

BPS grid downloads put a few header rows above the data: a title naming the indicator and unit, and
rows that label the value columns (daerah: Perkotaan/Perdesaan/Jumlah; a year; a survey round). A
header cell that spans several columns is printed once, at its first column. Each header row is
classified by what its cells hold, so the layouts are recognised by structure, not by exact strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.bps.areas import is_footnote
from ingest.bps.observations import MISSING_MARKERS
from ingest.bps.titles import area_type_of, indicator_from_title, is_period_label, is_year

TITLE, DAERAH, YEARS, PERIODS, LABEL, OTHER = "title", "daerah", "years", "periods", "label", "other"
KIND_WORDS = {
    TITLE: "a title naming the indicator",
    DAERAH: "daerah labels (Perkotaan, Perdesaan, Jumlah)",
    YEARS: "a year",
    PERIODS: "survey rounds (Semester 1 (Maret), Semester 2 (September), Tahunan)",
}
_NUMBER = re.compile(r"^-?\d+([.,]\d+)*$")
MAX_HEADER_ROWS = 12


@dataclass(frozen=True)
class HeaderRow:
    index: int  # position in the grid
    kind: str
    cells: list[str]

    def shown(self) -> str:
        found = [cell for cell in self.cells[1:] if cell][:3] or [cell for cell in self.cells if cell][:1]
        return ", ".join(repr(cell) for cell in found) or "an empty row"


def _value_like(cell: str) -> bool:
    return cell in MISSING_MARKERS or bool(_NUMBER.match(cell))


def is_data_row(row: list[str]) -> bool:
    """A name in the first cell and only numbers or missing markers after it (not a row of years)."""
    if not row or not row[0] or is_footnote(row[0]):
        return False
    values = [cell for cell in row[1:] if cell]
    if not values or not all(_value_like(cell) for cell in values):
        return False
    return not all(is_year(cell) for cell in values)


def _kind(row: list[str]) -> str:
    cells = [cell for cell in row[1:] if cell]
    if row and is_year(row[0]):
        return OTHER  # a year where the area names go: the header is shifted
    if any(indicator_from_title(cell) for cell in row if cell):
        return TITLE
    if not cells:
        return LABEL  # only the area column's header ("Nama Wilayah", "38 Provinsi") or nothing
    if all(is_year(cell) for cell in cells):
        return YEARS
    if all(area_type_of(cell) for cell in cells):
        return DAERAH
    if all(is_period_label(cell) for cell in cells):
        return PERIODS
    return OTHER


@dataclass(frozen=True)
class HeaderBlock:
    rows: list[HeaderRow]
    first_data_row: int  # index in the grid; len(grid) when no data row was found

    def meaningful(self) -> list[HeaderRow]:
        return [row for row in self.rows if row.kind != LABEL]

    def title(self) -> str:
        titles = (cell for row in self.rows if row.kind == TITLE for cell in row.cells)
        return next((cell for cell in titles if indicator_from_title(cell)), "")

    def row_of(self, kind: str) -> HeaderRow | None:
        return next((row for row in self.rows if row.kind == kind), None)


def header_block(rows: list[list[str]]) -> HeaderBlock:
    """The rows above the first data row (at most MAX_HEADER_ROWS), classified."""
    first = next((i for i, row in enumerate(rows[: MAX_HEADER_ROWS + 1]) if is_data_row(row)), None)
    end = first if first is not None else min(len(rows), MAX_HEADER_ROWS)
    header = [HeaderRow(i, _kind(rows[i]), rows[i]) for i in range(end) if any(rows[i])]
    return HeaderBlock(header, first if first is not None else len(rows))


def spanning(row: list[str], column: int) -> str:
    """The header text over `column`: a spanning cell is printed once, at its first column."""
    return next((row[i] for i in range(min(column, len(row) - 1), 0, -1) if row[i]), "")


def mismatch(block: HeaderBlock, expected: list[str], lines: list[int]) -> tuple[int, str | None]:
    """How many expected header rows are there in order, and the first difference, for a person."""
    found = block.meaningful()
    for position, kind in enumerate(expected):
        if position >= len(found):
            return position, f"expected {KIND_WORDS[kind]} in the header, found no more header rows"
        row = found[position]
        if row.kind != kind and row.cells and is_year(row.cells[0]):
            shifted = f"a year in the area column ({row.cells[0]!r}): is the header shifted?"
            return position, f"header row {lines[row.index]}: {shifted}"
        if row.kind != kind:
            where = f"header row {lines[row.index]}"
            return position, f"{where}: expected {KIND_WORDS[kind]}, found {row.shown()}"
    if len(found) > len(expected):
        extra = found[len(expected)]
        return len(expected), f"header row {lines[extra.index]}: unexpected header row {extra.shown()}"
    return len(expected), None
