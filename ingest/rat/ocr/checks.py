"""Rupiah are never guessed: every budget amount read by OCR must be well-formed and read with confidence.

A pagu cell is one a person must check before the budget is published when the scan shows ink there
that OCR read nothing in, when its readings all differ, when its text is not an amount as RAT matrices
print them, when its digits are too small on the scan to be trusted (`min_digit_pixels`), or when its
lowest word confidence is under `pagu_min_confidence` (both in `ingest.rat.settings`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.rat.header import COLUMNS
from ingest.rat.layout import BBox, Cell, lowest_confidence
from ingest.rat.ocr.page import OcrPage
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings

_AMOUNT = re.compile(
    r"(Rp\.?\s?)?"
    r"(\d{1,3}(,\d{3})+(\.\d{2})?|\d{1,3}(\.\d{3})+(,\d{2})?|\d+)"
    r"(,-|,00|\.00|\.-)?"
)


def is_amount(text: str) -> bool:
    """A rupiah amount with consistent thousands groups: "113,455,810,589", "Rp 1.900.029.860,00"."""
    return bool(_AMOUNT.fullmatch(" ".join(text.split())))


@dataclass(frozen=True)
class DoubtfulCell:
    page: int
    row: int
    column: str
    text: str
    confidence: float | None
    why: str

    def __str__(self) -> str:
        confidence = "" if self.confidence is None else f", confidence {self.confidence:.0f}"
        return f"page {self.page} row {self.row} {self.column} read {self.text!r} ({self.why}{confidence})"


def _parts(cell: Cell) -> list[Cell]:
    return [cell] + [p for part in cell.continued_in for p in _parts(part)]


def _inside(box: BBox, cell: Cell) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell.bbox[0] <= cx <= cell.bbox[2] and cell.bbox[1] <= cy <= cell.bbox[3]


def doubtful_pagu_cells(
    matrix_rows, rows, pages: dict[int, OcrPage], *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> list[DoubtfulCell]:
    """Each budget line's pagu that is not a well-formed amount, read alike by a majority of readings,
    large enough on the scan and with enough confidence.

    A page's `unread` cells show ink but OCR read no word there (in a Pagu column, an amount nobody
    read); its `disputed` cells were read differently by every reading.
    """
    pagu = COLUMNS.index("pagu")
    doubts: list[DoubtfulCell] = []
    seen: set[int] = set()
    for matrix_row, row in zip(matrix_rows, rows, strict=True):
        cell = matrix_row.cells[pagu]
        if cell is None or id(cell) in seen:
            continue
        seen.add(id(cell))
        confidence = lowest_confidence([cell])
        parts = [(part, pages[part.page]) for part in _parts(cell) if part.page in pages]
        readings = [(a, b) for part, page in parts for box, a, b in page.disputed if _inside(box, part)]
        smallest = min((page.text_pixels for _, page in parts if page.text_pixels), default=0.0)
        if any(_inside(box, part) for part, page in parts for box in page.unread):
            why = "ink OCR could not read"
        elif readings:
            why = "also read as " + " / ".join(repr(b) for _, b in readings)
        elif not row.pagu:
            continue
        elif not is_amount(row.pagu):
            why = "not an amount"
        elif smallest < settings.min_digit_pixels:
            why = f"digits {smallest:.0f} pixels high on the scan, under {settings.min_digit_pixels:.0f}"
        elif confidence is None or confidence < settings.pagu_min_confidence:
            why = f"below {settings.pagu_min_confidence:.0f}"
        else:
            continue
        doubts.append(DoubtfulCell(cell.page, row.row, "pagu", row.pagu, confidence, why))
    return doubts
