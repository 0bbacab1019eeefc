"""`make bench`: how fast, how big, and how the cost grows. Prints a table, writes bench/results.json.

Every figure is measured on real runs: refreshes are `ntt-warehouse refresh` in a subprocess on a fresh
warehouse, memory is the peak of the whole process tree (refresh, dbt, extraction workers) sampled from
/proc, queries run on a read-only connection to the published file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

import duckdb

from bench.generate import rat_documents
from bench.phases import breakdown, measured_refresh, print_breakdown
from bench.rat_extraction import REPORT, fuzz_figures, measure
from bench.rat_ocr import ocr_speed
from ingest.bps import read_bps_table
from ingest.bps.formats import candidate_files
from ingest.rat.tables import read_rat_plan
from store.paths import BUNDLED_DATA_DIR, REPO_ROOT
from tests.documented_examples import documented_queries
from tests.scans import clean_scan

RESULTS = Path(__file__).parent / "results.json"
PACKAGES = [
    "dagster",
    "dagster-dbt",
    "dbt-core",
    "dbt-duckdb",
    "duckdb",
    "pandas",
    "great-expectations",
    "pdfplumber",
]


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) if "VmRSS" in status else 0
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def timed_run(args: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(seconds, peak MB of the process tree, result) of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    return seconds, peak, subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def refresh(warehouse: Path, landing: Path, force: bool = False) -> tuple[float, float]:
    env = {**os.environ, "LANDING_DIR": str(landing)}
    env.pop("BPS_API_KEY", None)
    args = [
        sys.executable,
        "-m",
        "dagster_project.cli",
        "refresh",
        "--warehouse",
        str(warehouse),
        "--log-level",
        "WARNING",
        *(["--force"] if force else []),
    ]
    seconds, peak, result = timed_run(args, env)
    if result.returncode != 0:
        raise RuntimeError(f"refresh failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return seconds, peak


def query_latency(warehouse: Path, runs: int = 50) -> dict[str, float]:
    queries = documented_queries() + [
        f"select * from main.{m}"
        for m in ("mart_regency_poverty_profile", "mart_budget_vs_poverty", "mart_program_convergence")
    ]
    timings = []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for sql in queries:
            connection.execute(sql).fetchall()  # warm
            for _ in range(runs):
                started = time.perf_counter()
                connection.execute(sql).fetchall()
                timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "query_median_ms": statistics.median(timings),
        "query_p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "query_count": len(queries),
        "query_runs_each": runs,
    }


def long_report_pages_per_second() -> tuple[float, int]:
    from tests.rat_gold import GOLD_DIR
    from tests.rat_render import Layout, load_gold_cells, render_matrix

    path = Path(__file__).parent / ".cache" / "rat_long_a4.pdf"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        render_matrix(
            load_gold_cells(GOLD_DIR / "rat_ntt_2023_cells.json") * 40, path, Layout("long", (595.3, 841.9))
        )
    figures = measure(path, repeat=1)
    return figures["pages_per_second"], int(figures["pages"])


def parallel_speedup(documents: list[Path]) -> dict[str, float]:
    seconds = {}
    for workers in (1, 2):
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            readings = list(pool.map(read_rat_plan, documents))
        seconds[workers] = time.perf_counter() - started
        assert len(readings) == len(documents)
    return {
        "extract_1_worker_seconds": seconds[1],
        "extract_2_workers_seconds": seconds[2],
        "parallel_speedup_2_cores": seconds[1] / seconds[2],
    }


def machine() -> dict[str, object]:
    meminfo = Path("/proc/meminfo").read_text()
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(total_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": {p: version(p) for p in PACKAGES},
    }


def scaled_refresh(
    documents: list[Path], bps_files: list[Path], work: Path, name: str
) -> tuple[float, float]:
    landing = work / f"landing_{name}"
    landing.mkdir()
    for source in [*documents, *bps_files]:
        (landing / source.name).symlink_to(source)
    return refresh(work / name / "ntt_poverty.duckdb", landing)


def ntt_only_data(destination: Path) -> Path:
    """The bundled data without the national tables: the NTT files the project started from."""
    national = {
        "bps-webtable-exports-ardwind",
        "bps-provinsi-semester-akbaralqahri",
        "bps-xlsx-exports-kasulampua",
    }
    shutil.copytree(
        BUNDLED_DATA_DIR,
        destination,
        ignore=lambda folder, names: [n for n in names if n in national or n == "landing"],
    )
    (destination / "landing").mkdir()
    return destination


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--skip-national", action="store_true", help="leave out the 200-document national run"
    )
    parser.add_argument("--skip-ocr", action="store_true", help="leave out the OCR speeds (a few minutes)")
    options = parser.parse_args()
    results: dict[str, object] = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **machine(),
    }

    def report(label: str, value: str) -> None:
        print(f"  {label:<56} {value}", flush=True)

    print("NTT poverty warehouse benchmark")
    bundled = measure(REPORT, repeat=5)
    results["rat_pages_per_second"] = bundled["pages_per_second"]
    report(
        "RAT extraction, bundled report (22 pages), one core", f"{bundled['pages_per_second']:.1f} pages/s"
    )
    long_rate, long_pages = long_report_pages_per_second()
    results["rat_long_pages_per_second"], results["rat_long_pages"] = long_rate, long_pages
    report(f"RAT extraction, generated report ({long_pages} pages)", f"{long_rate:.1f} pages/s")
    fuzz = fuzz_figures(40)
    results["rat_fuzz"] = fuzz
    report(
        f"RAT fuzz corpus ({fuzz['layouts']} layouts, {fuzz['pages']} pages)",
        f"{fuzz['pages_per_second']:.1f} pages/s; cells right {fuzz['right']}/{fuzz['cells']}, "
        f"flagged {fuzz['flagged']}, wrong {fuzz['wrong']}",
    )
    if not options.skip_ocr:
        ocr = {}
        for dpi in (300, 200):
            for workers in (1, os.cpu_count() or 1):
                figures = ocr_speed(clean_scan(dpi), workers)
                ocr[f"{dpi}dpi_{workers}_workers"] = figures
                report(
                    f"OCR, {dpi} dpi matrix pages, {workers} worker(s)",
                    f"{figures['pages_per_second']:.2f} pages/s "
                    f"({figures['cpu_seconds_per_page']:.1f} CPU s/page)",
                )
        results["ocr"] = ocr
    files = candidate_files(BUNDLED_DATA_DIR / "bps")
    started = time.perf_counter()
    rows = sum(len(read_bps_table(path)) for path in files)
    bps_seconds = time.perf_counter() - started
    results["bps_readers"] = {"files": len(files), "rows": rows, "seconds": bps_seconds}
    report(f"BPS readers, every bundled file ({len(files)} files, {rows} rows)", f"{bps_seconds:.1f} s")

    with tempfile.TemporaryDirectory(prefix="ntt-bench-") as temp:
        work = Path(temp)
        (work / "empty").mkdir()
        ntt_data = ntt_only_data(work / "ntt-data")
        ntt = measured_refresh(work / "ntt" / "ntt_poverty.duckdb", ntt_data / "landing", data_dir=ntt_data)
        results["refresh_cold_ntt_seconds"], results["refresh_cold_ntt_phases"] = ntt.wall_seconds, ntt.phases
        report("full refresh, cold, NTT data only", f"{ntt.wall_seconds:.1f} s")
        figures = breakdown(work / "bundled")
        results.update(figures)
        report(
            "full refresh, cold, bundled data (national tables), make run",
            f"{figures['cold_refresh_seconds']:.1f} s",
        )
        report(
            "the same with a persistent Dagster instance (DAGSTER_HOME)",
            f"{figures['cold_refresh_persistent_instance_seconds']:.1f} s",
        )
        report("refresh with nothing changed", f"{figures['no_change_refresh_seconds']:.2f} s")
        report("refresh with one new BPS table landed", f"{figures['one_new_file_refresh_seconds']:.1f} s")
        print_breakdown(figures)
        warehouse = work / "bundled" / "warehouse" / "ntt_poverty.duckdb"
        seconds, peak = refresh(work / "peak" / "ntt_poverty.duckdb", work / "empty")
        results["refresh_cold_seconds"], results["refresh_peak_mb"] = seconds, peak
        report("full refresh, cold, bundled data, peak memory", f"{seconds:.1f} s, peak {peak:.0f} MB")
        latency = query_latency(warehouse)
        results.update(latency)
        report(
            f"analyst queries ({latency['query_count']} x {latency['query_runs_each']} runs)",
            f"median {latency['query_median_ms']:.1f} ms, p95 {latency['query_p95_ms']:.1f} ms",
        )

        growth = {}
        for scale in (1, 4, 16):
            documents = rat_documents(scale - 1, min_pages=20, max_pages=24, seed=scale) if scale > 1 else []
            seconds, peak = scaled_refresh(documents, [], work, f"scale{scale}")
            growth[f"{scale}x"] = {"rat_documents": scale, "seconds": seconds, "peak_mb": peak}
            report(f"{scale}x NTT load ({scale} RAT documents)", f"{seconds:.1f} s, peak {peak:.0f} MB")
        results["growth"] = growth
        results.update(parallel_speedup(rat_documents(8, min_pages=20, max_pages=24, seed=4)))
        report(
            "RAT extraction of 8 documents, 1 vs 2 workers",
            f"{results['extract_1_worker_seconds']:.1f} s vs {results['extract_2_workers_seconds']:.1f} s "
            f"(x{results['parallel_speedup_2_cores']:.2f})",
        )

        if not options.skip_national:
            started = time.perf_counter()
            documents = rat_documents(200)
            results["national_generate_seconds"] = time.perf_counter() - started
            pages = sum(len(__import__("pdfplumber").open(p).pages) for p in documents)
            seconds, peak = scaled_refresh(documents, [], work, "national")
            results.update(
                {
                    "national_seconds": seconds,
                    "national_peak_mb": peak,
                    "national_rat_documents": 200,
                    "national_rat_pages": pages,
                }
            )
            report(
                f"bundled national tables and 200 RAT documents ({pages} pages)",
                f"{seconds:.0f} s, peak {peak:.0f} MB",
            )

    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"  written to {RESULTS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
