"""A RAT plan read in page ranges, so the pages of one long plan are spread over several workers.

The loader's read phase (store.read_files) runs these in worker processes, for RAT_PLANS
(ingest.sources), each a module-level function of the file's path:

- `plan_reading(path, chunk_pages)`: a plan of at most `chunk_pages` pages is read whole, here (its
  tables); a longer one gives its PagePlan: the page count, and whether its pages are read from their
  text layer or by OCR (a PDF with text on no page is a scan, as `extract.read_rat` decides). A scan's
  pages cost ten times as much, so it is read in ranges a tenth as long (one page at the default 10);
- `read_page_range(path, plan, first, last)`: the tables and running text of those pages, or what OCR
  read on them, one page after the other (one Tesseract at a time: the workers are the parallelism);
- `joined_reading(path, plan, parts)`: the plan's tables from every part, in page order. All that looks
  across pages runs here over every page, as in a whole reading: the matrix assembled from every page's
  grids (a row continued overleaf is joined wherever the ranges were cut), a scan's pages lined up and
  its confidence judged, the metadata from the running text. The rows are those of `extract_rat`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from ingest.rat.extract import (
    document_grids,
    extraction_of,
    open_pdf,
    page_errors,
    refuse_without_images,
    starts_like_a_pdf,
)
from ingest.rat.layout import Grid
from ingest.rat.page_text import PageText
from ingest.rat.pdf_budget import check_pdf_budget
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings
from ingest.rat.tables import rat_plan_tables
from store.budgets import DEFAULT_BUDGETS, FileBudgets
from store.contract import PagePlan, Reading

TEXT, SCAN = "text", "scan"
# A page read by OCR costs about as much as this many pages read from their text layer (2.5 CPU-seconds
# against 0.08 here): a scan's ranges are this much shorter, so its pages spread over the workers too.
OCR_PAGE_WEIGHT = 10


@dataclass
class TextPages:
    """What a range of a text PDF's pages holds: its tables (as grids) and its running text."""

    grids: list[Grid]
    texts: list[PageText]


def plan_reading(
    path: Path,
    chunk_pages: int,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
    budgets: FileBudgets = DEFAULT_BUDGETS,
) -> Reading | PagePlan:
    """The plan's tables when it has at most `chunk_pages` pages, else how to read it in ranges.

    A PDF over the `budgets` (pages, inflated streams, image pixels) is refused here, before pdfminer or
    pdfium open it (OverBudgetError); a scan's pages are checked against the OCR pixel budget as they are
    read."""
    path = Path(path)
    if starts_like_a_pdf(path):
        check_pdf_budget(path, budgets)
    with open_pdf(path) as pdf:
        plan = PagePlan(len(pdf.pages), TEXT if _has_text(pdf, path) else SCAN)
        if plan.kind == SCAN:
            refuse_without_images(pdf, path)
            plan = PagePlan(plan.pages, SCAN, max(1, chunk_pages // OCR_PAGE_WEIGHT))
        if plan.pages > (plan.range_pages or chunk_pages):
            return plan
        part = _read_range(pdf, path, plan, range(1, plan.pages + 1), settings, budgets)
        return _joined(pdf, path, plan, [part], settings)


def read_page_range(
    path: Path,
    plan: PagePlan,
    first: int,
    last: int,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
    budgets: FileBudgets = DEFAULT_BUDGETS,
) -> TextPages | list:
    """Pages `first`..`last` (1-based) of the plan: TextPages, or a scan's OcrPages."""
    path = Path(path)
    with open_pdf(path) as pdf:
        return _read_range(pdf, path, plan, range(first, last + 1), settings, budgets)


def joined_reading(
    path: Path, plan: PagePlan, parts: list, *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> Reading:
    """The plan's tables from the parts of every page, in page order."""
    path = Path(path)
    if plan.kind == TEXT:
        return _joined(None, path, plan, parts, settings)
    with open_pdf(path) as pdf:  # a scan's tables are found on its pages with the rules OCR saw
        return _joined(pdf, path, plan, parts, settings)


def _has_text(pdf: pdfplumber.PDF, path: Path) -> bool:
    """Whether any page has a text layer (looked for page by page: a text PDF says so on its first)."""
    for number, page in enumerate(pdf.pages, start=1):
        with page_errors(path, number):
            if page.chars:
                return True
    return False


def _read_range(
    pdf: pdfplumber.PDF,
    path: Path,
    plan: PagePlan,
    numbers: range,
    settings: RatSettings,
    budgets: FileBudgets,
) -> TextPages | list:
    if plan.kind == TEXT:
        grids, texts, _ = document_grids(pdf, path, None, settings, numbers)
        return TextPages(grids, texts)
    from ingest.rat.ocr.document import read_scan_pages  # only scans load the OCR code

    return read_scan_pages(
        pdf, path, numbers, workers=1, settings=settings, max_page_pixels=budgets.ocr_page_pixels
    )


def _joined(
    pdf: pdfplumber.PDF | None, path: Path, plan: PagePlan, parts: list, settings: RatSettings
) -> Reading:
    if plan.kind == TEXT:
        grids = [grid for part in parts for grid in part.grids]
        texts = [text for part in parts for text in part.texts]
        extraction = extraction_of(path, plan.pages, grids, texts, None, settings)
    else:
        from ingest.rat.ocr.document import scan_reading

        scan = scan_reading(pdf, path, [page for part in parts for page in part], settings=settings)
        extraction = extraction_of(path, plan.pages, scan.grids, scan.page_texts(), scan, settings)
    if extraction.error is not None:
        raise extraction.error
    return rat_plan_tables(extraction.document)
