"""What the grid layouts share: the data rows under a header block, and a recognition verdict."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ingest.bps.areas import is_footnote
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
