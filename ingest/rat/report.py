"""What the extractor made of one document, in counts (camelot's parsing report, per document).

A person opening a plan that reads oddly looks here first: how many cells were read, how many the layout
left in doubt, how many rows and merged cells were joined across page breaks, how many line breaks were
read as inside a word, and, for a scan, how sure OCR was. `ntt-warehouse extract-rat` prints it, the
loader keeps it in `raw.rat_documents` (and `dim_document.parsing_report`), `ntt-warehouse status` shows
it beside each plan.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ParsingReport:
    pages: int  # pages of the document
    matrix_pages: int  # pages the matrix is on
    tables_found: int  # ruled tables found on all pages, the matrix's pages included
    rows: int  # logical rows of the matrix
    cells_read: int  # distinct cells with text (a merged cell counts once, however many rows it covers)
    cells_from_merges: int  # row values taken from a cell merged down from an earlier row
    cells_uncertain: int  # row values the layout could not decide (`RatRow.uncertain_columns`)
    rows_joined_across_pages: int  # rows whose text went on at the top of the next page
    cells_joined_across_pages: int  # page-top cells read as the rest of a cell from the page before
    wrap_repairs: int  # line breaks read as inside a word ("Meningkatny|a"), over distinct cells
    ocr: bool = False  # read from a scan by OCR
    ocr_cells: int = 0  # distinct cells whose text OCR read
    ocr_lowest_confidence: float | None = None  # the lowest word confidence (0-100) in those cells

    def line(self) -> str:
        """The report in one line, as `extract-rat` and `status` print it."""
        parts = [
            f"{self.matrix_pages} of {self.pages} pages hold the matrix ({self.tables_found} tables found)",
            f"{self.rows} rows",
            f"{self.cells_read} cells read",
            f"{self.cells_from_merges} values from merged cells",
            f"{self.cells_uncertain} flagged uncertain",
            f"{self.rows_joined_across_pages} rows and {self.cells_joined_across_pages} cells joined "
            "across pages",
            f"{self.wrap_repairs} wrap repairs",
        ]
        if self.ocr:
            lowest = "-" if self.ocr_lowest_confidence is None else f"{self.ocr_lowest_confidence:.0f}"
            parts.append(f"OCR: {self.ocr_cells} cells, lowest word confidence {lowest}")
        return "; ".join(parts)

    def record(self) -> dict[str, object]:
        return asdict(self)
