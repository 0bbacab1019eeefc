"""The read phase (store.read_files) on the local pool: real forkserver processes, real PDFs.

A long plan is read in page ranges by several processes and joined exactly as a whole reading; whatever one
file does to the process reading it (an unexpected error, a crash, a hang) is that file's problem in one
line, after the tries, and every other file is read. Memory past the limit is shown through a refresh on
both engines, in tests/test_dask_cluster.py.
"""

import types
from pathlib import Path

import pandas as pd
import pytest

from ingest.rat.pages import joined_reading, plan_reading, read_page_range
from ingest.rat.tables import ROWS_TABLE
from ingest.sources import RAT_PLANS
from store.contract import PagePlan, Problem, Source
from store.read_engines import EmbeddedPool, InlineEngine
from store.read_files import ReadBudget, read_files
from tests.hostile_pdfs import read_or_misbehave
from tests.pdf_fixtures import RAT_2023_PDF
from tests.rat_gold import differences
from tests.scans import cached_plan_reading, clean_scan

# Tables 3.1 of the report runs over pages 13-21: these ranges cut it between every pair of its pages.
CUTTING_CHUNKS = (1, 2, 3, 4, 7)
HOSTILE = Source(
    name="hostile",
    tables=("lines",),
    claims=lambda path: True,
    read=read_or_misbehave,
    empty=lambda: {"lines": pd.DataFrame({"text": []})},
    parallel=True,
)


def as_rows(frame: pd.DataFrame) -> list[types.SimpleNamespace]:
    records = frame.sort_values("row").to_dict("records")
    return [types.SimpleNamespace(**{k: None if v is pd.NA else v for k, v in r.items()}) for r in records]


def read_all(engine, source: Source, paths: list[Path], budget: ReadBudget) -> dict[str, object]:
    return {paths[index].name: read for index, read in read_files(engine, source, paths, budget)}


@pytest.fixture(scope="module")
def whole() -> dict[str, pd.DataFrame]:
    """The reference: read_rat_plan of the whole report, kept for the next run under the reader code's
    digest (tests/scans.py), as the scans' readings are."""
    return cached_plan_reading(RAT_2023_PDF)


@pytest.mark.parametrize("chunk_pages", CUTTING_CHUNKS)
def test_the_report_read_in_page_ranges_joins_into_the_gold_rows(chunk_pages: int, whole):
    plan = plan_reading(RAT_2023_PDF, chunk_pages)
    assert plan.pages == 22 and plan.kind == "text"
    firsts = range(1, plan.pages + 1, chunk_pages)
    parts = [read_page_range(RAT_2023_PDF, plan, first, min(first + chunk_pages - 1, 22)) for first in firsts]
    joined = joined_reading(RAT_2023_PDF, plan, parts)
    assert differences(as_rows(joined[ROWS_TABLE])) == []
    for table, frame in whole.items():
        pd.testing.assert_frame_equal(joined[table], frame)


def test_the_local_pool_spreads_one_long_plan_over_its_processes_and_reads_it_whole(whole):
    pool = EmbeddedPool(workers=2)
    try:
        [(index, read)] = list(read_files(pool, RAT_PLANS, [RAT_2023_PDF], ReadBudget(chunk_pages=3)))
    finally:
        pool.close()
    assert index == 0 and not isinstance(read.outcome, list)
    for table, frame in whole.items():
        pd.testing.assert_frame_equal(read.outcome[table], frame)
    assert len(read.workers) == 2, "ten calls (a plan, 8 ranges, a join) on two processes use both"
    assert read.cpu_seconds > 0 and read.wall_seconds >= read.cpu_seconds / 4


def test_a_plan_short_enough_is_read_in_one_call(whole):
    assert plan_reading(RAT_2023_PDF, 22).keys() == whole.keys()


def lines(folder: Path, **files: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text)
    return [folder / f"{name}.txt" for name in files]


def problem(read) -> Problem:
    assert isinstance(read.outcome, list), read.outcome
    [found] = read.outcome
    return found


def test_an_error_a_reader_never_expected_is_its_file_problem_in_one_line(tmp_path: Path):
    paths = lines(tmp_path, good="ok", bad="keyerror")
    for engine in (InlineEngine(), EmbeddedPool(workers=2)):
        try:
            read = read_all(engine, HOSTILE, paths, ReadBudget())
        finally:
            engine.close()
        assert read["good.txt"].outcome["lines"]["text"].tolist() == ["ok"]
        found = problem(read["bad.txt"])
        assert found.check_name == "reader_error"
        assert found.reason == f"{paths[1]}: KeyError: \"column 'kabupaten' not found\""


def test_a_reader_that_crashes_its_process_is_found_and_quarantined_and_the_rest_is_read(tmp_path: Path):
    paths = lines(tmp_path, a="one", b="two", crash="segfault", c="three", d="four")
    pool = EmbeddedPool(workers=2)
    try:
        read = read_all(pool, HOSTILE, paths, ReadBudget(attempts=2))
    finally:
        pool.close()
    assert {name: r.outcome["lines"]["text"][0] for name, r in read.items() if name != "crash.txt"} == {
        "a.txt": "one",
        "b.txt": "two",
        "c.txt": "three",
        "d.txt": "four",
    }
    found = problem(read["crash.txt"])
    assert found.check_name == "worker_died"
    assert found.reason == f"{paths[2]}: the process reading it died (SIGSEGV: a crash); 2 tries"


def test_a_reader_that_hangs_is_stopped_at_its_budget_and_the_rest_is_read(tmp_path: Path):
    paths = lines(tmp_path, a="one", stuck="hang", b="two")
    budget = ReadBudget(seconds_per_page=2, grace_seconds=1, attempts=2)
    pool = EmbeddedPool(workers=2)
    try:
        read = read_all(pool, HOSTILE, paths, budget)
    finally:
        pool.close()
    assert read["a.txt"].outcome["lines"]["text"][0] == "one"
    assert read["b.txt"].outcome["lines"]["text"][0] == "two"
    found = problem(read["stuck.txt"])
    assert found.check_name == "timed_out"
    assert found.reason == (
        f"{paths[1]}: reading it took longer than 3 s (2 s a file, NTT_READ_SECONDS_PER_PAGE); 2 tries"
    )


def test_the_largest_files_are_read_first(tmp_path: Path):
    sizes = {"small": 1, "large": 300, "middle": 30}
    paths = lines(tmp_path, **{name: "x" * size for name, size in sizes.items()})
    order = [paths[index].stem for index, _ in read_files(InlineEngine(), HOSTILE, paths, ReadBudget())]
    assert order == ["large", "middle", "small"]


def test_a_scan_is_read_a_page_a_call_and_joins_into_its_whole_reading():
    scan = clean_scan(300, range(13, 15))  # two matrix pages, read by OCR
    assert plan_reading(scan, 10) == PagePlan(2, "scan", 1)
    pool = EmbeddedPool(workers=2)
    try:
        [(_, read)] = list(read_files(pool, RAT_PLANS, [scan], ReadBudget(chunk_pages=10)))
    finally:
        pool.close()
    assert len(read.workers) == 2
    whole = cached_plan_reading(scan)  # read_rat_plan(scan), kept for the next run (tests/scans.py)
    if isinstance(whole, str):  # a scan OCR reads with doubt is refused the same way
        assert [p.reason for p in read.outcome] == [whole]
    else:
        for table, frame in whole.items():
            pd.testing.assert_frame_equal(read.outcome[table], frame)
