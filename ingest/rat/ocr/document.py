"""A scanned RAT document read page by page, the pages spread over the cores."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2

from ingest.rat.errors import OcrConfidenceTooLowError, OcrUncertainError
from ingest.rat.layout import Grid, page_grids
from ingest.rat.ocr.checks import doubtful_pagu_cells
from ingest.rat.ocr.page import OcrPage, read_page
from ingest.rat.ocr.raster import scan_resolution

# Mean Tesseract word confidence (0-100) below which a scan is refused as unreadable; see README.
MIN_MEAN_CONFIDENCE = 60.0
_MIN_WORDS = 20


@dataclass
class ScanReading:
    pages: list[OcrPage]
    grids: list[Grid]

    @property
    def confidences(self) -> list[float]:
        return [word["conf"] for page in self.pages for word in page.words]

    @property
    def mean_confidence(self) -> float | None:
        values = self.confidences
        return sum(values) / len(values) if values else None

    def check(self, document, matrix) -> None:
        """Refuse the document if any budget amount is not certain, naming the cells to check."""
        doubts = doubtful_pagu_cells(matrix.rows, document.rows, {page.number: page for page in self.pages})
        if doubts:
            raise OcrUncertainError(
                document.path,
                f"OCR uncertain: {len(doubts)} budget amount(s) to check by hand: "
                + "; ".join(str(d) for d in doubts),
                document=document,
                cells=doubts,
            )


def _workers(requested: int | None, pages: int) -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(requested or available, pages))


def read_scan(
    pdf: pdfplumber.PDF,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> ScanReading:
    """OCR every page of an image-only PDF into table grids; refuses a scan too poor to read."""
    pages = list(pdf.pages)
    resolutions = [scan_resolution(page) for page in pages]  # parses each page, so before the threads
    lock = threading.Lock()
    document = pypdfium2.PdfDocument(path)
    try:
        with ThreadPoolExecutor(max_workers=_workers(workers, len(pages))) as pool:
            futures = [
                pool.submit(read_page, document, page, number, dpi, lock)
                for number, (page, dpi) in enumerate(zip(pages, resolutions, strict=True), start=1)
            ]
            read: list[OcrPage] = []
            for done, future in enumerate(futures, start=1):
                read.append(future.result())
                if progress:
                    progress(done, len(pages))
    finally:
        document.close()
    reading = ScanReading(read, [])
    confidences = reading.confidences
    mean = reading.mean_confidence
    if len(confidences) < _MIN_WORDS or mean is None or mean < MIN_MEAN_CONFIDENCE:
        shown = (
            "no words"
            if mean is None
            else f"mean word confidence {mean:.0f}/100 over {len(confidences)} words"
        )
        dpis = sorted({round(p.dpi) for p in read})
        raise OcrConfidenceTooLowError(
            path,
            f"OCR confidence too low: {shown} (needs {MIN_MEAN_CONFIDENCE:.0f}) on a scan of "
            f"{'/'.join(str(d) for d in dpis)} dpi; rescan the paper at 300 dpi",
        )
    for page, ocr_page in zip(pages, read, strict=True):
        settings = ocr_page.table_settings
        if settings is not None:
            reading.grids.extend(
                page_grids(page, ocr_page.number, words=ocr_page.words, table_settings=settings)
            )
    return reading
