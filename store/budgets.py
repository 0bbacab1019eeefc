"""What one source file may cost the refresh, in one frozen value the readers are handed as an argument.

A file over a budget is refused fast, before the costly part (`store.errors.OverBudgetError`, quarantined
with the budget it broke) and the rest of the refresh goes on. The defaults are far above any real BPS
download or RAT plan (the largest bundled PDF has 22 pages and inflates to under 1 MB; the largest XLSX has
1,800 cells) and far below what hurts a 2-core machine with a few GB of memory. The settings
(`dagster_project.settings`) make one from their budget fields; readers run in worker processes, so the
value travels with the read function (functools.partial), never through globals or the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class FileBudgets:
    # Any file: larger is refused before its content is hashed, read or copied (a 2 GB sparse file too).
    file_bytes: int = 100 * MB
    # XLSX: cells counted as the sheet is parsed (never the `dimension` it declares), and its zip's members
    # unpacked together and their packing ratio (a zip bomb), checked before parsing.
    xlsx_cells: int = 2_000_000
    xlsx_unpacked_bytes: int = 100 * MB
    xlsx_packing_ratio: float = 100.0
    # PDF: pages, and the bytes its streams inflate to (counted in small pieces before pdfminer inflates
    # them whole; images are counted by their pixels instead).
    pdf_pages: int = 1000
    pdf_stream_bytes: int = 256 * MB
    # OCR: pixels of one page as rendered (width x height at the scan's resolution), checked before
    # rendering; and of one image a PDF declares. A4 at 600 dpi is 35 million; A3 70 million.
    ocr_page_pixels: int = 150_000_000

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not value > 0:
                raise ValueError(f"the budget {name} must be above 0, not {value!r}")


DEFAULT_BUDGETS = FileBudgets()


def megabytes(size: int) -> str:
    """A size as people read it: '2,048 MB', '1.6 MB', '0.2 MB'."""
    return f"{size / MB:,.0f} MB" if size >= 10 * MB else f"{size / MB:.1f} MB"
