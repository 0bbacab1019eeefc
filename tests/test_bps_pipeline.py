"""Landed files through the real job, night after night, on one copy of the built warehouse.

Night 1 lands a newer kab/kota P0 table, a revised copy of a loaded table that disagrees on one figure, and
fetches the WebAPI with a key (its first answer an HTTP 500). Night 2 has no key and lands bad files: the
P0 table again with a comma decimal, a Latin-1 export, a CSV that is no BPS table and a damaged plan; its
first refresh is killed while dbt builds. The one that completes is the night data teams schedule: a reader
holds the published file open throughout, a refresh started with `--wait 0` while it runs exits 75 at once,
and one started without it waits, then finds nothing changed. Night 3 changes nothing. A refresh costs half
a minute, so each night lands everything it can show at once; each test reads the night it is about. (A
damaged plan replaced by another damaged copy is judged again: tests/test_plan_versions.py, night 3.)
"""

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from store.build_lock import current_holder, lock_path_for
from store.paths import BUNDLED_DATA_DIR
from tests.bps_files import p0_table_with_2026
from tests.conftest import (
    POOR_COUNT_FILE,
    Night,
    Query,
    Warehouse,
    kill_refresh_when,
    private_copy,
    sha256_of,
    start_cli_refresh,
)
from tests.pdf_fixtures import truncated_copy

LONG_EXPORT = BUNDLED_DATA_DIR / "bps" / "bps-kabkota-p1-p2-febroherdyanto" / "Index Kedalaman 2022-2023.csv"
FACT = """
    select f.value, f.source_layout from main.fct_poverty_indicator f
    join main.dim_regency r using (regency_key) join main.dim_period p using (period_key)
    join main.dim_indicator i using (indicator_key)
    where r.bps_code = ? and p.year = ? and p.semester is null and i.indicator_code = ?
"""
QUERIES = {
    "facts": "select md5(string_agg(cast(f as varchar), ',' order by f)) from main.fct_poverty_indicator f",
    "p0_sumba_barat_2026": (FACT, 5301, 2026, "P0"),
    "p0_sumba_tengah_2023": (FACT, 5316, 2023, "P0"),
    "p0_sumba_tengah_2021": (FACT, 5316, 2021, "P0"),
    "p1_ntt_2023": (FACT, 5300, 2023, "P1"),
    "p1_ntt_2023_conflict": """
        select winning_value, winning_layout, lowest_value, highest_value
        from provenance.bps_value_conflicts
        where bps_code = 5300 and year = 2023 and indicator_code = 'P1'""",
    "quarantine": """
        select source, source_file, source_row, reason, sha256 from provenance.quarantine
        order by source_file""",
}
BUILD_QUERIES = {
    "load_log": """
        select count(distinct run_id), count(*) filter (where rows_rejected > 0) from provenance.load_log"""
}


# What the reader watches on night 2: the quarantined plan's content, which the night adds.
DAMAGED_PLAN_SHA = "select sha256 from provenance.quarantine where source_file like '%RAT_2024_rusak.pdf'"
READER = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
seen = set()
deadline = time.time() + 900
print("ready", flush=True)
while time.time() < deadline and not __import__("os").path.exists(sys.argv[2]):
    seen.add(tuple(connection.execute(sys.argv[3]).fetchall()))
    time.sleep(0.05)
print(sorted(seen), flush=True)
"""


@dataclass
class Overlap:
    """Night 2's neighbours: a reader of the published file and two CLI refreshes started while it ran."""

    impatient: subprocess.CompletedProcess
    second: subprocess.CompletedProcess
    reader_seen: str
    reader_returncode: int
    state_before: list[tuple]


def _wait_for_holder(warehouse: Warehouse, pid: int, timeout: float = 120) -> None:
    """Until the refresh of `pid` holds the warehouse's lock (an event, not a fixed sleep)."""
    lock = lock_path_for(warehouse.build.parent)
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        holder = current_holder(lock)
        if holder is not None and holder.pid == pid:
            return
        time.sleep(0.05)
    raise AssertionError(f"refresh {pid} never took the lock")


def refresh_overlapped(
    warehouse: Warehouse, workdir: Path, published: dict[str, Query], build: dict[str, Query]
) -> tuple[Night, Overlap]:
    """A night in this process, with a reader holding the published file open throughout; once the night
    holds the warehouse, `refresh --wait 0` is run and a `refresh` (which waits) started beside it. The
    night's rows are read once both are done (the waiting one takes the build file after the night)."""
    stop = workdir / "stop-reading"
    state_before = warehouse.query(DAMAGED_PLAN_SHA)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse.published), str(stop), DAMAGED_PLAN_SHA],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "ready"  # holds the published file open from now on
    started: dict[str, object] = {}

    def neighbours() -> None:
        try:
            _wait_for_holder(warehouse, os.getpid())
            started["impatient"] = warehouse.cli("refresh", "--wait", "0")
            started["second"] = start_cli_refresh(warehouse)
        except BaseException as error:  # said in the test's own thread, below
            started["error"] = error

    beside = threading.Thread(target=neighbours)
    beside.start()
    outcome = warehouse.refresh()
    beside.join(timeout=300)
    if "second" not in started:
        stop.touch()
        reader.kill()
        raise AssertionError(f"the refreshes beside the night did not start: {started.get('error')!r}")
    second = started["second"]
    out, err = second.communicate(timeout=600)
    stop.touch()
    seen, _ = reader.communicate(timeout=60)
    waited = subprocess.CompletedProcess(second.args, second.returncode, out, err)
    night = Night.with_rows(warehouse, outcome, published, build)
    return night, Overlap(started["impatient"], waited, seen, reader.returncode, state_before)


@dataclass
class BpsStory:
    warehouse: Warehouse
    nights: list[Night]
    published_sha256: list[str]
    webapi_requests: list[str]
    damaged_sha256: str
    killed_log: str
    after_kill: tuple
    overlap: Overlap


@pytest.fixture(scope="module")
def story(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> BpsStory:
    from tests.webapi_replay import p0_response, replay_server

    warehouse = private_copy(built_warehouse, tmp_path_factory)
    landing = warehouse.landing
    newer = landing / "P0_kabkota_2026.csv"
    newer.write_text(p0_table_with_2026("Sumba Barat", "25.9"))
    disagreeing = landing / "Index Kedalaman 2022-2023 (revisi).csv"
    shutil.copy(LONG_EXPORT, disagreeing)
    text = disagreeing.read_text(encoding="utf-8-sig")
    disagreeing.write_text(
        text.replace('2023;Tahun;3.33;"NUSA TENGGARA TIMUR"', '2023;Tahun;3.83;"NUSA TENGGARA TIMUR"')
    )
    answers = [("status", 500), ("json", p0_response(with_missing=False))]
    with replay_server(answers) as (base_url, script), pytest.MonkeyPatch.context() as env:
        env.setenv("BPS_API_KEY", "local-test-key")
        env.setenv("BPS_API_BASE", base_url)
        nights = [Night.after_refresh(warehouse, QUERIES, BUILD_QUERIES)]
    published = [warehouse.sha256()]

    newer.write_text(p0_table_with_2026("Sumba Barat", "25,9"))  # a comma decimal
    (landing / "JumlahMiskin_latin1.csv").write_bytes(
        (BUNDLED_DATA_DIR / POOR_COUNT_FILE)
        .read_text()
        .replace("Sumba Barat", "Sumba B\u00e4rat")
        .encode("latin-1")
    )
    (landing / "notes.csv").write_text("what,is,this\n1,2,3\n")
    damaged = truncated_copy(landing / "RAT_2024_rusak.pdf")
    # The night's first refresh is killed while dbt builds; the next one completes.
    killed = kill_refresh_when(warehouse, "Running dbt command")
    after_kill = (warehouse.sha256(), warehouse.query(QUERIES["facts"]))
    second, overlap = refresh_overlapped(warehouse, tmp_path_factory.mktemp("night2"), QUERIES, BUILD_QUERIES)
    nights.append(second)
    published.append(warehouse.sha256())

    nights.append(Night.after_refresh(warehouse, QUERIES))
    published.append(warehouse.sha256())
    return BpsStory(
        warehouse, nights, published, list(script.requests), sha256_of(damaged), killed, after_kill, overlap
    )


def test_every_night_succeeds(story: BpsStory):
    for night in story.nights:
        assert night.outcome.success, night.outcome.report()


def test_the_priority_decides_each_cell_and_survey_rounds_stay_apart(built_warehouse: Warehouse):
    """Every bundled value is counted in the fact once: tests/test_bps_marts.py checks it for every area."""
    warehouse = built_warehouse
    assert warehouse.query(FACT, 5301, 2024, "POVERTY_LINE") == [(441428.0, "area_by_year")]
    assert warehouse.query(FACT, 5316, 2023, "P0") == [(31.78, "area_by_year")]
    # The province's annual figure of 2010 is two measurements, the province table's Tahunan figure and the
    # kab/kota tables' own round; both are kept, each with its round (they were once listed as conflicts).
    two_rounds = FACT.replace("select f.value,", "select f.survey_round, f.value,") + " order by 1"
    assert warehouse.query(two_rounds, 5300, 2010, "P0") == [
        ("annual", 23.03, "area_by_period"),
        ("other", 21.76, "area_by_year"),
    ]
    conflicts = warehouse.query(
        "select distinct bps_code, year, indicator_code from provenance.bps_value_conflicts order by all"
    )
    assert [(code, year) for code, year, _ in conflicts if code == 5300 and 2008 <= year <= 2011] == []
    # The real disagreements stay listed (tests/test_bps_marts.py checks them against the files).
    assert (0, 2017, "P0") in conflicts


def test_a_newer_table_publishes_its_new_year(story: BpsStory):
    assert story.nights[0].rows["p0_sumba_barat_2026"] == [(25.9, "area_by_year")]


def test_a_disagreeing_source_is_reported_and_the_priority_decides(story: BpsStory):
    first = story.nights[0]
    assert any("assert_bps_sources_agree" in warning for warning in first.outcome.warnings)
    assert first.rows["p1_ntt_2023_conflict"] == [(3.33, "tabel_dinamis", 3.33, 3.83)]
    assert first.rows["p1_ntt_2023"] == [(3.33, "tabel_dinamis")]


def test_webapi_is_fetched_with_a_key_saved_and_wins(story: BpsStory):
    first, second = story.nights[:2]
    saved = sorted((story.warehouse.landing / "bps-webapi").glob("bps-webapi_d0000_v621_*.json"))
    assert len(saved) == 1  # saved before parsing; the other variables answered 404 and were skipped
    assert any("/var/619/" in path for path in story.webapi_requests)
    # The WebAPI outranks every download (seed bps_layout_priority); years it does not give keep theirs.
    assert first.rows["p0_sumba_tengah_2023"] == [(31.78, "webapi")]
    assert first.rows["p0_sumba_tengah_2021"] == [(34.27, "area_by_year")]
    # Night 2 has no key and no server: the saved answer is read again.
    assert second.rows["p0_sumba_tengah_2023"] == [(31.78, "webapi")]


def test_bad_files_are_quarantined_with_file_row_and_reason(story: BpsStory):
    second = story.nights[1]
    by_file = {
        Path(file).name: (source, row, reason) for source, file, row, reason, _ in second.rows["quarantine"]
    }
    assert set(by_file) == {
        "P0_kabkota_2026.csv",
        "JumlahMiskin_latin1.csv",
        "notes.csv",
        "RAT_2024_rusak.pdf",
    }
    assert by_file["P0_kabkota_2026.csv"][:2] == ("bps_downloads", 4)
    assert "more than the 23 labelled column" in by_file["P0_kabkota_2026.csv"][2]
    reason = by_file["JumlahMiskin_latin1.csv"][2]
    assert "row 4" in reason and "Sumba B\u00e4rat" in reason
    assert (
        by_file["notes.csv"][0] == "bps_downloads"
        and "matches no BPS table layout" in by_file["notes.csv"][2]
    )
    assert (
        by_file["RAT_2024_rusak.pdf"][0] == "rat_plans"
        and "damaged or truncated" in by_file["RAT_2024_rusak.pdf"][2]
    )
    assert len(second.outcome.quarantined) == 4
    assert any("JumlahMiskin_latin1.csv, row 4" in line for line in second.outcome.quarantined)
    notes = sorted(p.name for p in (story.warehouse.published.parent / "quarantine").glob("*.reason.txt"))
    # One note per file and content beside the warehouse.
    assert {note.split("-", 1)[1].removesuffix(".reason.txt") for note in notes} == set(by_file)
    [(runs, rejecting)] = second.rows["load_log"]
    assert runs == 3 and rejecting >= 2  # the build, night 1, night 2 (the killed refresh wrote nothing)


def test_bad_files_change_nothing_but_the_quarantine_list(story: BpsStory):
    first, second = story.nights[:2]
    # The bad version of the 2026 table did not wipe what the good one gave; nothing else moved either.
    assert second.rows["p0_sumba_barat_2026"] == [(25.9, "area_by_year")]
    assert second.rows["facts"] == first.rows["facts"]


def test_a_night_with_nothing_new_changes_nothing(story: BpsStory):
    third = story.nights[2]
    assert third.outcome.nothing_changed_since, third.outcome.report()
    assert story.published_sha256[2] == story.published_sha256[1]


def test_one_refresh_at_a_time_a_reader_never_blocks_and_an_impatient_one_exits_75(story: BpsStory):
    overlap, second = story.overlap, story.nights[1]
    assert overlap.impatient.returncode == 75
    [line] = overlap.impatient.stderr.strip().splitlines()
    assert line.startswith("error: the refresh started") and f"pid {os.getpid()}" in line
    assert overlap.second.returncode == 0, overlap.second.stderr
    assert "waiting for the refresh started" in overlap.second.stderr
    assert f"by pid {os.getpid()}" in overlap.second.stderr
    assert "Nothing changed" in overlap.second.stdout
    assert second.outcome.success and second.outcome.replaced, second.outcome.report()
    for text in (overlap.second.stderr, overlap.impatient.stderr, second.outcome.report()):
        assert "IOException" not in text and "Could not set lock" not in text and "Traceback" not in text
    # The reader was never blocked, and saw the old warehouse throughout, consistently.
    assert overlap.reader_returncode == 0
    assert overlap.reader_seen.strip() == str([tuple(overlap.state_before)])
    assert story.warehouse.query(DAMAGED_PLAN_SHA) == [(story.damaged_sha256,)] != overlap.state_before


def test_a_refresh_killed_during_dbt_leaves_the_warehouse_intact_and_the_next_one_completes(story: BpsStory):
    assert "Running dbt command" in story.killed_log
    first, second = story.nights[:2]
    assert story.after_kill == (story.published_sha256[0], first.rows["facts"])
    assert second.outcome.success and second.outcome.replaced, second.outcome.report()


def test_the_data_docs_show_the_last_nights_validations_once(story: BpsStory):
    # The worker ran several refreshes in one process; the Data Docs index is of the last run alone.
    index = (story.warehouse.published.parent / "data_docs" / "index.html").read_text()
    suites = [link.split("/")[1] for link in re.findall(r'validations/[^"]+\.html', index)]
    assert "bps_downloads" in suites and "bps_downloads_completeness" in suites
    assert len(suites) == len(set(suites)), sorted(suites)
