"""Landed files through the real job, night after night, on one copy of the built warehouse: the BPS side of
the season of nights in tests/season.py, whose refreshes the plans' story (tests/test_plan_versions.py)
shares.

Night 1 lands a newer kab/kota P0 table, a revised copy of a loaded table that disagrees on one figure, and
fetches the WebAPI with a key (its first answer an HTTP 500). Night 2 has no key and lands bad files: the
P0 table again with a comma decimal, a Latin-1 export, a CSV that is no BPS table and a damaged plan; a
refresh of it is killed while dbt builds. The one that completes is the night data teams schedule: a reader
holds the published file open throughout, a refresh started with `--wait 0` while it runs exits 75 at once,
and one started without it waits, then finds nothing changed. Night 3 changes nothing. A refresh costs half
a minute, so each night lands everything it can show at once; each test reads the night it is about. (A
damaged plan replaced by another damaged copy is judged again: tests/test_plan_versions.py, night 3.)
"""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import (
    Warehouse,
)
from tests.season import DAMAGED_PLAN_SHA, FACT, BpsStory, Season

# The files the plans' side of the season has quarantined by night 2 (tests/test_plan_versions.py).
PLANS_QUARANTINED_BY_NIGHT_2 = {"RAT_tanpa_tahun.pdf", "RAT_2025_damaged.pdf", "RAT_2024_legal.pdf"}


@pytest.fixture(scope="module")
def story(season: Season) -> BpsStory:
    return season.bps


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
        *PLANS_QUARANTINED_BY_NIGHT_2,
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
    assert len(second.outcome.quarantined) == len(by_file)
    assert any("JumlahMiskin_latin1.csv, row 4" in line for line in second.outcome.quarantined)
    # One note per file and content beside the warehouse.
    notes = story.quarantine_notes
    assert {note.split("-", 1)[1].removesuffix(".reason.txt") for note in notes} == set(by_file)
    [(runs, rejecting)] = second.rows["load_log"]
    assert runs == 3 and rejecting >= 2  # the build, night 1, night 2 (the killed refreshes wrote nothing)


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
