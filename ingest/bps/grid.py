"""What the grid layouts share: the data rows under a header block, and a recognition verdict."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ingest.bps.areas import is_footnote
from ingest.bps.header import mismatch
from ingest.bps.reading import Grid


@dataclass(frozen=True)
class Verdict:
    """How well a grid fits a layout: `problem` is None when it is that layout."""

    layout: str
    score: float
    problem: str | None


def data_rows(grid: Grid, start: int) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of the rows from `start` on, skipping blank rows, up to a footnote row."""
    for index in range(start, len(grid.rows)):
        row = grid.rows[index]
        if not any(row):
            continue
        if is_footnote(row[0]) or (not row[0] and any(is_footnote(cell) for cell in row[:2])):
            return
        yield grid.lines[index], row


def header_verdict(grid: Grid, layout: str, expected: list[str], rows_are: str) -> Verdict:
    """How well `grid`'s header block is `expected` (header row kinds, in order): one point a row in place,
    half a point off a row too many or too few; the problem is the first difference, or no data rows
    (`rows_are`, "an area name followed by numbers", say) under the header."""
    block = grid.header
    score, problem = mismatch(block, expected, grid.lines)
    if problem is None and block.first_data_row >= len(grid.rows):
        problem = f"no data rows ({rows_are}) under the header"
    return Verdict(layout, score - abs(len(block.meaningful()) - len(expected)) * 0.5, problem)
