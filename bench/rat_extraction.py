"""RAT extraction speed on the bundled report: pages per second on one core.

Run: .venv/bin/python -m bench.rat_extraction [--repeat N]
"""

import argparse
import os
import statistics
import time
from pathlib import Path

from ingest.paths import BUNDLED_DATA_DIR
from ingest.rat.extract import extract_rat

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("pdf", nargs="?", type=Path, default=REPORT)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target is stated
    figures = measure(args.pdf, args.repeat)
    print(f"RAT extraction, {args.pdf.name}, one core, {args.repeat} runs")
    print(f"  pages             {figures['pages']:.0f}")
    print(f"  rows              {figures['rows']:.0f}")
    print(f"  median seconds    {figures['median_seconds']:.3f}")
    print(f"  best seconds      {figures['best_seconds']:.3f}")
    print(f"  pages per second  {figures['pages_per_second']:.1f}")


if __name__ == "__main__":
    main()
