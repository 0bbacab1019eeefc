"""RAT extraction speed and the fuzzed cell score, on one core.

Prints the bundled report's pages per second, the layout-fuzz corpus's pages per second (40 layouts
typeset by LibreOffice and reportlab; rendered once and cached in .cache/rat-fuzz/), and the fuzzed
cell score: cells right / cells, cells flagged as uncertain, cells wrong (must be 0).

Run: .venv/bin/python -m bench.rat_extraction [--repeat N] [--fuzz-layouts N]
"""

import argparse
import os
import statistics
import time
from pathlib import Path

from ingest.rat.extract import extract_rat
from store.paths import BUNDLED_DATA_DIR

REPORT = BUNDLED_DATA_DIR / "rat" / "RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf"


def measure(pdf: Path, repeat: int) -> dict[str, float]:
    extract_rat(pdf)  # warm-up: imports, lexicon, font caches
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        document = extract_rat(pdf)
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    return {
        "pages": document.page_count,
        "rows": len(document.rows),
        "median_seconds": median,
        "best_seconds": min(seconds),
        "pages_per_second": document.page_count / median,
    }


def fuzz_figures(layouts: int) -> dict[str, float]:
    """Extract every layout of the fuzz corpus once: pages per second and the cell score."""
    from tests.rat_fuzz.render import rendered_corpus
    from tests.rat_fuzz.score import scored
    from tests.rat_fuzz.spec import layout_specs

    specs = layout_specs(layouts)
    corpus = rendered_corpus(specs)  # may use every core to render, before the one-core timing
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    pages = cells = right = flagged = wrong = 0
    seconds = 0.0
    for spec in specs:
        started = time.perf_counter()
        document = extract_rat(corpus[spec.seed])
        seconds += time.perf_counter() - started
        score = scored(spec, document)
        pages += document.page_count
        cells, right, flagged = cells + score.cells, right + score.right, flagged + score.flagged
        wrong += len(score.wrong)
    return {
        "layouts": len(specs),
        "pages": pages,
        "seconds": seconds,
        "pages_per_second": pages / seconds,
        "cells": cells,
        "right": right,
        "flagged": flagged,
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fuzz-layouts", type=int, default=40)
    parser.add_argument("pdf", nargs="?", type=Path, default=REPORT)
    args = parser.parse_args()
    fuzz = fuzz_figures(args.fuzz_layouts) if args.fuzz_layouts else None
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target is stated
    figures = measure(args.pdf, args.repeat)
    print(f"RAT extraction, {args.pdf.name}, one core, {args.repeat} runs")
    print(f"  pages             {figures['pages']:.0f}")
    print(f"  rows              {figures['rows']:.0f}")
    print(f"  median seconds    {figures['median_seconds']:.3f}")
    print(f"  best seconds      {figures['best_seconds']:.3f}")
    print(f"  pages per second  {figures['pages_per_second']:.1f}")
    if fuzz:
        print(f"RAT layout fuzz corpus, {fuzz['layouts']:.0f} layouts, one core")
        print(f"  pages             {fuzz['pages']:.0f}")
        print(f"  pages per second  {fuzz['pages_per_second']:.1f}")
        print(
            f"  cells right       {fuzz['right']:.0f} / {fuzz['cells']:.0f} "
            f"({100 * fuzz['right'] / fuzz['cells']:.2f} %)"
        )
        print(f"  cells flagged     {fuzz['flagged']:.0f} (listed in uncertain_columns)")
        print(f"  cells wrong       {fuzz['wrong']:.0f}")


if __name__ == "__main__":
    main()
