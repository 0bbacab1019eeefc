"""How fast the BPS readers read every bundled download: plain function calls, no pipeline.

    .venv/bin/python -m bench.bps_readers [--repeat 5]

Prints, per layout and in total, files, observation rows, seconds, files/s and rows/s. The first pass is
cold (it loads the area reference and the readers' imports); the figures of the later passes are the median.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from store.paths import BUNDLED_DATA_DIR


def read_everything(files: list[Path]) -> tuple[dict[str, list[float]], dict[str, int], dict[str, int]]:
    from ingest.bps import read_bps_table

    seconds: dict[str, list[float]] = defaultdict(list)
    rows: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for path in files:
        start = time.perf_counter()
        table = read_bps_table(path)
        seconds[table.layout.iloc[0]].append(time.perf_counter() - start)
        rows[table.layout.iloc[0]] += len(table)
        count[table.layout.iloc[0]] += 1
    return seconds, rows, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm passes after the cold one")
    args = parser.parse_args()

    start = time.perf_counter()
    from ingest.bps.formats import candidate_files

    files = candidate_files(BUNDLED_DATA_DIR / "bps")
    _, rows, count = read_everything(files)
    cold_total = time.perf_counter() - start

    passes = [read_everything(files)[0] for _ in range(args.repeat)]
    layouts = sorted(count)
    per_layout = {layout: statistics.median(sum(p[layout]) for p in passes) for layout in layouts}
    total = statistics.median(sum(sum(values) for values in p.values()) for p in passes)

    print(f"{'layout':<28}{'files':>7}{'rows':>9}{'seconds':>10}{'files/s':>10}{'rows/s':>11}")
    for layout in layouts:
        seconds = per_layout[layout]
        print(
            f"{layout:<28}{count[layout]:>7}{rows[layout]:>9}{seconds:>10.3f}"
            f"{count[layout] / seconds:>10.0f}{rows[layout] / seconds:>11.0f}"
        )
    files_n, rows_n = sum(count.values()), sum(rows.values())
    print(
        f"{'all (warm, median)':<28}{files_n:>7}{rows_n:>9}{total:>10.3f}"
        f"{files_n / total:>10.0f}{rows_n / total:>11.0f}"
    )
    print(
        f"{'all (cold, first pass)':<28}{files_n:>7}{rows_n:>9}{cold_total:>10.3f}"
        f"{files_n / cold_total:>10.0f}{rows_n / cold_total:>11.0f}"
    )
    print(f"(cold includes importing the readers and loading the area reference; {args.repeat} warm passes)")


if __name__ == "__main__":
    main()
