"""OCR of scanned RAT plans: pages per second (one worker, all cores) and the cells and pagu read right.

Run: .venv/bin/python -m bench.rat_ocr [--calibrate] [--skip-whole]

The scans are made from the bundled report (tests/scans.py, cached in .cache/rat-scans/). Speeds are
wall-clock pages per second of the OCR itself (rendering, deskew, rules, Tesseract), and CPU seconds per
page (this process and the Tesseract processes), which do not depend on what else the machine runs.
`--calibrate` prints what the OCR thresholds of ingest/rat/settings.py are set from: every pagu read, with its
confidence and whether it is right, on scans from 100 to 300 dpi, and the mean word confidence and cell
score of each.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import time
from pathlib import Path

import pdfplumber

from ingest.rat.ocr import checks
from ingest.rat.ocr.document import read_scan
from ingest.rat.settings import DEFAULT_RAT_SETTINGS
from tests.rat_gold import gold_rows
from tests.scans import (
    ALL_PAGES,
    bad_scan,
    cell_score,
    clean_scan,
    ocr_outcome,
    pagu_score,
    skewed_noisy_scan,
)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ocr_speed(scan: Path, workers: int) -> dict[str, float]:
    """Pages per second of reading every page of the scan (no matrix assembly, no checks)."""
    with pdfplumber.open(scan) as pdf:
        pages = len(pdf.pages)
        cpu, started = _cpu_seconds(), time.perf_counter()
        reading = read_scan(pdf, scan, workers=workers)
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu
    return {
        "pages": pages,
        "seconds": seconds,
        "pages_per_second": pages / seconds,
        "cpu_seconds_per_page": cpu / pages,
        "mean_confidence": reading.mean_confidence or 0.0,
    }


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def speeds(skip_whole: bool) -> None:
    cores = _cores()
    cases = [("300 dpi, matrix pages", clean_scan(300)), ("200 dpi, matrix pages", clean_scan(200))]
    if not skip_whole:
        cases += [
            ("300 dpi, whole report", clean_scan(300, ALL_PAGES)),
            ("200 dpi, whole report", clean_scan(200, ALL_PAGES)),
        ]
    print(f"OCR speed ({cores} cores available)")
    print(f"  {'scan':<24} {'pages':>5} {'workers':>7} {'seconds':>8} {'pages/s':>8} {'CPU s/page':>10}")
    for name, scan in cases:
        for workers in sorted({1, cores}):
            figures = ocr_speed(scan, workers)
            print(
                f"  {name:<24} {figures['pages']:>5.0f} {workers:>7} {figures['seconds']:>8.1f} "
                f"{figures['pages_per_second']:>8.2f} {figures['cpu_seconds_per_page']:>10.2f}"
            )


def scores() -> None:
    print("Cells and budget lines against the gold (extract_rat on each scan, all cores)")
    cases = [
        ("300 dpi", clean_scan(300)),
        ("200 dpi", clean_scan(200)),
        ("300 dpi skewed + noisy", skewed_noisy_scan()),
        ("75 dpi blurred", bad_scan()),
    ]
    for name, scan in cases:
        outcome = ocr_outcome(scan)
        right, total = cell_score(outcome.rows)
        kind = outcome.error.kind if outcome.error else "extracted"
        confidence = outcome.document.ocr_confidence if outcome.document else None
        shown = f"{confidence:.1f}" if confidence is not None else "-"
        print(f"  {name:<24} cells {right}/{total} ({100 * right / total:.1f} %), {pagu_score(outcome)}")
        print(f"  {'':<24} {kind}, mean word confidence {shown}, {outcome.seconds:.1f} s")


def calibrate() -> None:
    """Every pagu read, with its confidence, on scans of several resolutions: where the threshold goes."""
    expected = {int(r["row"]): r["pagu"] for r in gold_rows() if r["pagu"]}
    # Every pagu is reported with its confidence.
    reporting_all = dataclasses.replace(DEFAULT_RAT_SETTINGS, pagu_min_confidence=101.0)
    cases = [(f"{dpi} dpi", clean_scan(dpi)) for dpi in (300, 200, 150, 100)]
    cases.append(("300 dpi skewed + noisy", skewed_noisy_scan()))
    cases.append(("200 dpi skewed + noisy", skewed_noisy_scan(dpi=200)))
    wrong_confidences: list[float] = []
    right_confidences: list[float] = []
    for name, scan in cases:
        outcome = ocr_outcome(scan, settings=reporting_all)
        right, total = cell_score(outcome.rows)
        confidence = outcome.document.ocr_confidence if outcome.document else None
        kind = outcome.error.kind if outcome.error else "extracted"
        print(f"{name}: cells {right}/{total}, mean word confidence {confidence}, {kind}")
        for cell in getattr(outcome.error, "cells", []):
            ok = cell.text == expected.get(cell.row)
            well_formed = checks.is_amount(cell.text) and cell.why.startswith("below")
            if well_formed and cell.confidence is not None:
                (right_confidences if ok else wrong_confidences).append(cell.confidence)
            mark = "right" if ok else f"WRONG (gold {expected.get(cell.row)!r})"
            shown = "-" if cell.confidence is None else f"{cell.confidence:.0f}"
            print(f"    row {cell.row:>2} {cell.text!r:<22} {shown:>3} {cell.why:<40} {mark}")
    print(f"well-formed, undisputed pagu: right ones' confidences {sorted(right_confidences)}")
    print(f"well-formed, undisputed pagu: WRONG ones' confidences {sorted(wrong_confidences)}")
    print(
        f"thresholds in use: pagu_min_confidence = {DEFAULT_RAT_SETTINGS.pagu_min_confidence}, "
        f"min_mean_confidence = {DEFAULT_RAT_SETTINGS.min_mean_confidence}"
    )


def bearings() -> None:
    """How far OCR word boxes (after the bearings in page.py) sit from the text layer's, in points."""
    import statistics
    import threading

    import pypdfium2

    from ingest.rat.ocr.page import read_page
    from ingest.rat.ocr.raster import scan_resolution
    from tests.pdf_fixtures import RAT_2023_PDF

    with pdfplumber.open(RAT_2023_PDF) as text_pdf:
        truth = [text_pdf.pages[12 + i].extract_words() for i in range(3)]
    for dpi in (300, 200):
        scan = clean_scan(dpi)
        left, right = [], []
        with pdfplumber.open(scan) as pdf:
            document = pypdfium2.PdfDocument(scan)
            for i in range(3):
                page = pdf.pages[i]
                read = read_page(document, page, i + 1, scan_resolution(page), threading.Lock())
                for word in read.words:
                    same = [
                        t
                        for t in truth[i]
                        if t["text"] == word["text"]
                        and abs(t["x0"] - word["x0"]) < 3
                        and abs(t["top"] - word["top"]) < 4
                    ]
                    if len(same) == 1:
                        left.append(word["x0"] - same[0]["x0"])
                        right.append(word["x1"] - same[0]["x1"])
        print(
            f"{dpi} dpi, {len(left)} words matched: x0 off by median {statistics.median(left):+.2f} pt, "
            f"x1 by {statistics.median(right):+.2f} pt (OCR minus text layer)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calibrate", action="store_true", help="print the data the thresholds come from")
    parser.add_argument("--skip-whole", action="store_true", help="time the matrix pages only")
    parser.add_argument("--bearings", action="store_true", help="OCR word boxes against the text layer's")
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
        return
    if args.bearings:
        bearings()
        return
    speeds(args.skip_whole)
    scores()


if __name__ == "__main__":
    main()
