"""`make fresh-check`: the first and the second `make test` of a fresh clone, on this clone.

A fresh clone has none of what the test suite leaves behind, and the first `make test` of a new machine is
the one that used to fail (issue 24: LibreOffice's first start). This removes all of it, runs `make test`
twice and prints one line per run: passed, failed, errors, skipped, pytest's time, the wall time of the
whole `make test` (lint and tool checks included), the CPU seconds it used, and the host probe (a fixed
loop's CPU seconds just before it: a busy host makes the same suite slower). It exits non-zero unless both
runs are green.

Removed: `.cache/` (the fuzz renderings, the scans and their OCR readings, the test warehouse, the
LibreOffice and Chromium profiles in .cache/tool-profiles/), `test-output/`, dbt's `dbt/target/` and
`dbt/logs/`, and the pytest and ruff caches. Kept: the installed environments (.venv, .venv-compat) and
the home folder, which the suite leaves alone (tests/tool_profiles.py). The logs and JUnit files of both
runs are kept in test-output/fresh-check/.

Standard library only: it runs before `make test` has built the environment. Run it niced on a shared
machine: `nice -n 10 make fresh-check`.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEFT_BY_TESTS = [".cache", "test-output", "dbt/target", "dbt/logs", ".pytest_cache", ".ruff_cache"]
JUNIT = REPO / "test-output" / "junit.xml"
KEPT = REPO / "test-output" / "fresh-check"


def remove_what_the_suite_left() -> None:
    for name in LEFT_BY_TESTS:
        shutil.rmtree(REPO / name, ignore_errors=True)
    # A fresh clone has no compiled modules of its own (the installed packages' come with the environment).
    for top in REPO.iterdir():
        if top.is_dir() and not top.name.startswith((".venv", ".git")):
            for cache in top.glob("**/__pycache__"):
                shutil.rmtree(cache, ignore_errors=True)


def minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60} s"


def children_cpu_seconds() -> float:
    """User and system CPU of every finished child process and their descendants so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def host_probe_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop (30 million additions): the same work takes longer on a
    busy host, and the loop's times mean little without it (the same suite used 530 to 604 CPU-s on one
    2-core VM within an hour, 2026-12-06)."""
    started = time.process_time()
    total = 0
    for number in range(30_000_000):
        total += number
    return time.process_time() - started


def run_make_test(n: int) -> tuple[str, bool]:
    """Run `make test` once, keep its log and JUnit file; the line to print, and whether it was green."""
    KEPT.mkdir(parents=True, exist_ok=True)
    log = KEPT / f"run{n}.log"
    JUNIT.unlink(missing_ok=True)
    probe = host_probe_seconds()
    started, cpu_before = time.monotonic(), children_cpu_seconds()
    with log.open("w") as out:
        code = subprocess.run(
            [os.environ.get("MAKE", "make"), "test"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        ).returncode
    wall, cpu = time.monotonic() - started, children_cpu_seconds() - cpu_before
    label = "first make test (fresh)" if n == 1 else "second make test"
    if not JUNIT.exists():
        return f"{label}: make test exited {code} before the tests ran, wall {wall:.1f} s; see {log}", False
    shutil.copyfile(JUNIT, KEPT / f"junit-run{n}.xml")
    suite = ET.parse(JUNIT).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    counts = (int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped"))
    tests, failed, errors, skipped = counts
    passed = tests - failed - errors - skipped
    green = code == 0 and failed == 0 and errors == 0
    line = (
        f"{label}: {passed} passed, {failed} failed, {errors} errors, {skipped} skipped; "
        f"pytest {float(suite.get('time', 0)):.1f} s, wall {wall:.1f} s ({minutes(wall)}), "
        f"CPU {cpu:.0f} s; host probe {probe:.2f} s; "
        f"{'green' if green else f'NOT GREEN (make exited {code})'}"
    )
    return line, green


def main() -> int:
    remove_what_the_suite_left()
    removed = ", ".join([*LEFT_BY_TESTS, "__pycache__/"])
    print(f"fresh-check: removed {removed}; running make test twice", flush=True)
    results = []
    for n in (1, 2):
        line, green = run_make_test(n)
        print(line, flush=True)
        results.append(green)
    print(f"fresh-check: logs and JUnit files in {KEPT.relative_to(REPO)}/")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
