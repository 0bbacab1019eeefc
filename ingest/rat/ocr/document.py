"""A scanned RAT document read page by page, the pages spread over the cores."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pypdfium2

from ingest.rat.errors import OcrConfidenceTooLowError, OcrUncertainError
from ingest.rat.layout import Grid, page_grids
from ingest.rat.ocr.checks import doubtful_pagu_cells
from ingest.rat.ocr.page import OcrPage, read_page
from ingest.rat.ocr.raster import scan_resolution
from ingest.rat.page_text import PageText, page_text_from_words
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings
from store.errors import OverBudgetError


@dataclass
class ScanReading:
    pages: list[OcrPage]
    grids: list[Grid]
    heights: list[float] = field(default_factory=list)  # each page's height in points

    def page_texts(self) -> list[PageText]:
        """The words OCR read outside the tables, page by page: where titles and signature lines are."""
        return [
            page_text_from_words(
                page.words, [g.bbox for g in self.grids if g.page == page.number], page.number, height
            )
            for page, height in zip(self.pages, self.heights, strict=True)
        ]

    @property
    def confidences(self) -> list[float]:
        return [word["conf"] for page in self.pages for word in page.words]

    @property
    def mean_confidence(self) -> float | None:
        values = self.confidences
        return sum(values) / len(values) if values else None

    @property
    def summary(self) -> str:
        dpis = "/".join(str(d) for d in sorted({round(p.dpi) for p in self.pages}))
        return f"{dpis} dpi, mean word confidence {self.mean_confidence or 0:.0f}"

    def check(self, document, matrix, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> None:
        """Refuse the document if any budget amount is not certain, naming the cells to check."""
        pages = {page.number: page for page in self.pages}
        doubts = doubtful_pagu_cells(matrix.rows, document.rows, pages, settings=settings)
        if doubts:
            raise OcrUncertainError(
                document.path,
                f"OCR uncertain: {len(doubts)} budget amount(s) to check by hand: "
                + "; ".join(str(d) for d in doubts),
                document=document,
                cells=doubts,
            )


def _align_pages(pages: list[OcrPage], settings: RatSettings) -> None:
    """Line up the tables of pages that lay shifted on the scanner, so one table's pages join up.

    A page whose widest table has as many columns as an earlier page's, at the same widths, but moved
    sideways as a whole (up to `max_page_shift`), is moved back onto it: the matrix continues across
    pages only where its columns line up.
    """
    same = settings.same_edge_points
    first_seen: dict[int, list[float]] = {}
    for page in pages:
        edges = page.column_edges
        if len(edges) < 3:
            continue
        reference = first_seen.setdefault(len(edges), edges)
        offsets = sorted(r - e for r, e in zip(reference, edges, strict=True))
        dx = offsets[len(offsets) // 2]
        consistent = all(abs(o - dx) <= same for o in offsets)
        if consistent and same / 4 < abs(dx) <= settings.max_page_shift:
            page.shift(dx)


def _refuse_if_unreadable(reading: ScanReading, path: Path, settings: RatSettings) -> None:
    confidences = reading.confidences
    mean = reading.mean_confidence
    sizes = sorted(page.text_pixels for page in reading.pages if page.text_pixels)
    size = sizes[len(sizes) // 2] if sizes else None
    dpis = "/".join(str(d) for d in sorted({round(p.dpi) for p in reading.pages}))
    if len(confidences) < settings.min_ocr_words or mean is None or mean < settings.min_mean_confidence:
        shown = (
            "no words"
            if mean is None
            else f"mean word confidence {mean:.0f}/100 over {len(confidences)} words"
        )
        cause = f"{shown} (needs {settings.min_mean_confidence:.0f})"
    elif size is not None and size < settings.min_text_pixels:
        cause = f"the print is {size:.0f} pixels high on the scan (needs {settings.min_text_pixels:.0f})"
    else:
        return
    raise OcrConfidenceTooLowError(
        path, f"OCR confidence too low: {cause} on a scan of {dpis} dpi; rescan the paper at 300 dpi"
    )


def _check_page_pixels(
    path: Path, numbers: range, pages: list, resolutions: list[float], max_pixels: int
) -> None:
    for number, page, dpi in zip(numbers, pages, resolutions, strict=True):
        width, height = float(page.width) * dpi / 72.0, float(page.height) * dpi / 72.0
        if width * height > max_pixels:
            raise OverBudgetError(
                path,
                f"page {number} would render for OCR at {width:,.0f} x {height:,.0f} pixels ({dpi:.0f} dpi), "
                f"over the {max_pixels:,}-pixel budget: not rendered",
            )


def _workers(requested: int | None, pages: int) -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(requested or available, pages))


def read_scan(
    pdf: pdfplumber.PDF,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
    max_page_pixels: int | None = None,
) -> ScanReading:
    """OCR every page of an image-only PDF into table grids; refuses a scan too poor to read, and one with
    a page that would render to more than `max_page_pixels` (OverBudgetError, before any is rendered)."""
    numbers = range(1, len(pdf.pages) + 1)
    read = read_scan_pages(
        pdf, path, numbers, progress, workers, settings=settings, max_page_pixels=max_page_pixels
    )
    return scan_reading(pdf, path, read, settings=settings)


def read_scan_pages(
    pdf: pdfplumber.PDF,
    path: Path,
    numbers: range,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
    max_page_pixels: int | None = None,
) -> list[OcrPage]:
    """What OCR reads on the pages `numbers` (1-based), each page on its own: the words and rules found,
    before the pages of the document are lined up with each other (`scan_reading`); refuses a page that
    would render to more than `max_page_pixels` (OverBudgetError, before any is rendered)."""
    pages = [pdf.pages[number - 1] for number in numbers]
    # parses each page, so before the threads
    resolutions = [scan_resolution(page, settings=settings) for page in pages]
    if max_page_pixels is not None:
        _check_page_pixels(path, numbers, pages, resolutions, max_page_pixels)
    lock = threading.Lock()
    document = pypdfium2.PdfDocument(path)
    try:
        with ThreadPoolExecutor(max_workers=_workers(workers, len(pages))) as pool:
            futures = [
                pool.submit(read_page, document, page, number, dpi, lock, settings=settings)
                for number, page, dpi in zip(numbers, pages, resolutions, strict=True)
            ]
            read: list[OcrPage] = []
            for done, future in enumerate(futures, start=1):
                read.append(future.result())
                if progress:
                    progress(done, len(pages))
    finally:
        document.close()
    return read


def scan_reading(
    pdf: pdfplumber.PDF, path: Path, read: list[OcrPage], *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> ScanReading:
    """The document OCR read, from every page's reading in order: refused if too poor to read, its pages
    lined up, and its tables' grids."""
    pages = list(pdf.pages)
    reading = ScanReading(read, [], [float(page.height) for page in pages])
    _refuse_if_unreadable(reading, path, settings)
    _align_pages(read, settings)
    for page, ocr_page in zip(pages, read, strict=True):
        table_settings = ocr_page.table_settings
        if table_settings is not None:
            reading.grids.extend(
                page_grids(
                    page,
                    ocr_page.number,
                    words=ocr_page.words,
                    table_settings=table_settings,
                    settings=settings,
                )
            )
    return reading
