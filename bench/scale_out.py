"""The read phase's scale-out curve: RAT plans read by the local pool and by a loopback Dask cluster of 1
and of 2 workers, alternated round by round, each run measured honestly.

Beside each run's wall time it prints what says whether the pool or the machine is at fault: the CPU seconds
each worker spent (its calls' CPU, Tesseract included) and the parent (this process: scheduling, pickling,
receiving), the load average, the CPU steal and the CPU other processes used meanwhile (both from
/proc/stat). Efficiency is T1 / (W x TW) against the cluster of one worker.

    python -m bench.scale_out            # the national corpus (200 plans, 8,400 pages, and 49 scanned)
    python -m bench.scale_out --quick    # 8 plans and a scan, 2 rounds: a check in a few minutes

`make bench` runs the national curve (bench.run); it writes bench/scale_out.json when run alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber

from bench.generate import national_corpus, quick_corpus
from ingest.sources import RAT_PLANS, readers_version
from store.dask_cluster import ClusterEngine
from store.read_engines import EmbeddedPool, ReadEngine
from store.read_files import ReadBudget, read_files
from tests.dask_processes import local_cluster

RESULTS = Path(__file__).parent / "scale_out.json"
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_jiffies() -> dict[str, int]:
    """The machine's CPU time so far (/proc/stat, all cores): busy, steal and total, in clock ticks."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return {"busy": user + nice + system + irq + softirq, "steal": steal, "total": sum(fields[:8])}


def measured_read(engine: ReadEngine, paths: list[Path], budget: ReadBudget) -> dict[str, object]:
    """Read every path on `engine`; the wall time, and who spent what CPU meanwhile."""
    machine, load, parent = cpu_jiffies(), os.getloadavg()[0], time.process_time()
    started = time.perf_counter()
    by_worker: dict[str, float] = {}
    quarantined = 0
    for _, read in read_files(engine, RAT_PLANS, paths, budget):
        quarantined += isinstance(read.outcome, list)
        for worker, seconds in read.cpu_by_worker.items():
            by_worker[worker] = by_worker.get(worker, 0.0) + seconds
    wall = time.perf_counter() - started
    parent = time.process_time() - parent
    after = cpu_jiffies()
    busy = (after["busy"] - machine["busy"]) / _TICKS
    return {
        "wall_seconds": wall,
        "parent_cpu_seconds": parent,
        "worker_cpu_seconds": sorted(by_worker.values(), reverse=True),
        "others_cpu_seconds": max(0.0, busy - parent - sum(by_worker.values())),
        "load_average": [load, os.getloadavg()[0]],
        "steal_percent": 100
        * (after["steal"] - machine["steal"])
        / max(1, after["total"] - machine["total"]),
        "quarantined": quarantined,
    }


@contextmanager
def engines(folder: Path) -> Iterator[dict[str, Callable[[], ReadEngine]]]:
    """How to make each engine: the local pool (a process per core), a cluster of 1 and of 2 workers."""
    with (
        local_cluster(folder / "one", workers=1, memory_limit="2GiB") as one,
        local_cluster(folder / "two", workers=2, memory_limit="2GiB") as two,
    ):
        yield {
            "local pool (2 processes)": lambda: EmbeddedPool(workers=2),
            "Dask, 1 worker": lambda: ClusterEngine(one.address, 30, readers_version),
            "Dask, 2 workers": lambda: ClusterEngine(two.address, 30, readers_version),
        }


def curve(paths: list[Path], rounds: int, chunk_pages: int = 10, report=print) -> dict[str, object]:
    """Each engine once per round, the order turned each round (so drift of the machine's speed is shared)."""
    budget = ReadBudget(chunk_pages=chunk_pages, seconds_per_page=600)
    runs: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="ntt-scale-out-") as temp, engines(Path(temp)) as made:
        names = list(made)
        for round_ in range(rounds):
            for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
                engine = made[name]()
                try:
                    run = measured_read(engine, paths, budget)
                finally:
                    engine.close()
                runs.setdefault(name, []).append(run)
                report(f"  round {round_ + 1}, {name}: {run_line(run)}")
    return summary(runs, paths)


def run_line(run: dict) -> str:
    workers = " + ".join(f"{s:.0f}" for s in run["worker_cpu_seconds"])
    return (
        f"{run['wall_seconds']:.1f} s; CPU s workers {workers}, parent {run['parent_cpu_seconds']:.1f}, "
        f"others {run['others_cpu_seconds']:.0f}; load {run['load_average'][0]:.1f}->"
        f"{run['load_average'][1]:.1f}; steal {run['steal_percent']:.1f} %"
    )


def summary(runs: dict[str, list[dict]], paths: list[Path]) -> dict[str, object]:
    times = {name: [r["wall_seconds"] for r in found] for name, found in runs.items()}
    median = {name: statistics.median(found) for name, found in times.items()}
    one, two, local = median["Dask, 1 worker"], median["Dask, 2 workers"], median["local pool (2 processes)"]
    return {
        "documents": len(paths),
        "pages": sum(len(pdfplumber.open(p).pages) for p in paths),
        "runs": runs,
        "median_seconds": median,
        "min_seconds": {name: min(found) for name, found in times.items()},
        "speedup_2_over_1": one / two,
        "efficiency": {"1": 1.0, "2": one / (2 * two)},
        "cluster_overhead_vs_local": two / local - 1,
    }


def print_summary(result: dict, report=print) -> None:
    report(
        f"  read phase, {result['documents']} plans ({result['pages']} pages): median / min of each engine"
    )
    for name, seconds in result["median_seconds"].items():
        report(f"    {name:<26} {seconds:8.1f} s / {result['min_seconds'][name]:.1f} s")
    speedup, overhead = result["speedup_2_over_1"], result["cluster_overhead_vs_local"]
    report(
        f"    2 workers over 1: x{speedup:.2f}, efficiency {result['efficiency']['2']:.2f} "
        f"(target x1.7: {'met' if speedup >= 1.7 else 'missed'})"
    )
    report(
        f"    cluster of 2 against the local pool: {overhead:+.1%} "
        f"(target under +10 %: {'met' if overhead < 0.10 else 'missed'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="8 plans and a scan, 2 rounds")
    parser.add_argument("--rounds", type=int, help="rounds of the three engines (default 5; 2 with --quick)")
    parser.add_argument(
        "--chunk-pages", type=int, default=10, help="pages a call reads (NTT_READ_CHUNK_PAGES)"
    )
    options = parser.parse_args()
    paths = quick_corpus() if options.quick else national_corpus()
    rounds = options.rounds or (2 if options.quick else 5)
    print(f"scale-out of the read phase: {len(paths)} plans, {rounds} rounds, {os.cpu_count()} cores")
    result = curve(paths, rounds, options.chunk_pages)
    print_summary(result)
    RESULTS.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    print(f"  written to {RESULTS}")


if __name__ == "__main__":
    main()
