"""BPS sources through the real job: bad files quarantined while the rest publishes, conflicts reported."""

import shutil
from pathlib import Path

from ingest.paths import BUNDLED_DATA_DIR
from tests.conftest import P0_FILE, Warehouse, p0_table_with_2026

LONG_EXPORT = BUNDLED_DATA_DIR / "bps" / "bps-kabkota-p1-p2-febroherdyanto" / "Index Kedalaman 2022-2023.csv"
FACT = """
    select f.value, f.source_layout from main.fct_poverty_indicator f
    join main.dim_regency r using (regency_key) join main.dim_period p using (period_key)
    join main.dim_indicator i using (indicator_key)
    where r.bps_code = ? and p.year = ? and p.semester is null and i.indicator_code = ?
"""


def test_the_priority_decides_each_cell_and_survey_rounds_stay_apart(built_warehouse: Warehouse):
    """Every bundled value is counted in the fact once: tests/test_bps_marts.py checks it for every area."""
    warehouse = built_warehouse
    assert warehouse.query(FACT, 5301, 2024, "POVERTY_LINE") == [(441428.0, "area_by_year")]
    assert warehouse.query(FACT, 5316, 2023, "P0") == [(31.78, "area_by_year")]
    # The province's annual figure of 2010 is two measurements, the province table's Tahunan figure and the
    # kab/kota tables' own round; both are kept, each with its round (they were once listed as conflicts).
    two_rounds = FACT.replace("select f.value,", "select f.survey_round, f.value,") + " order by 1"
    assert warehouse.query(two_rounds, 5300, 2010, "P0") == [
        ("annual", 23.03, "province_daerah_semester"),
        ("other", 21.76, "area_by_year"),
    ]
    conflicts = warehouse.query(
        "select distinct bps_code, year, indicator_code from provenance.bps_value_conflicts order by all"
    )
    assert [(code, year) for code, year, _ in conflicts if code == 5300 and 2008 <= year <= 2011] == []
    # The real disagreements stay listed (tests/test_bps_marts.py checks them against the files).
    assert (0, 2017, "P0") in conflicts


def test_bad_landed_files_are_quarantined_their_previous_values_kept_and_conflicts_reported(
    warehouse: Warehouse,
):
    landing = warehouse.landing
    newer = landing / "P0_kabkota_2026.csv"
    newer.write_text(p0_table_with_2026("Sumba Barat", "25.9"))
    # A revised copy of a loaded table that disagrees on one figure: listed, and the priority decides.
    disagreeing = landing / "Index Kedalaman 2022-2023 (revisi).csv"
    shutil.copy(LONG_EXPORT, disagreeing)
    text = disagreeing.read_text(encoding="utf-8-sig")
    disagreeing.write_text(
        text.replace('2023;Tahun;3.33;"NUSA TENGGARA TIMUR"', '2023;Tahun;3.83;"NUSA TENGGARA TIMUR"')
    )
    first = warehouse.refresh()

    assert first.success, first.report()
    assert warehouse.query(FACT, 5301, 2026, "P0") == [(25.9, "area_by_year")]
    assert any("assert_bps_sources_agree" in warning for warning in first.warnings)
    conflict = warehouse.query(
        """select winning_value, winning_layout, lowest_value, highest_value
           from provenance.bps_value_conflicts
           where bps_code = 5300 and year = 2023 and indicator_code = 'P1'"""
    )
    assert conflict == [(3.33, "tabel_dinamis", 3.33, 3.83)]
    assert warehouse.query(FACT, 5300, 2023, "P1") == [(3.33, "tabel_dinamis")]

    newer.write_text(p0_table_with_2026("Sumba Barat", "25,9"))  # a comma decimal
    (landing / "JumlahMiskin_latin1.csv").write_bytes(
        (BUNDLED_DATA_DIR / P0_FILE).read_text().replace("Sumba Barat", "Sumba B\u00e4rat").encode("latin-1")
    )
    (landing / "notes.csv").write_text("what,is,this\n1,2,3\n")
    second = warehouse.refresh()

    assert second.success, second.report()
    quarantine = warehouse.query(
        "select source, source_file, source_row, reason from provenance.quarantine order by source_file"
    )
    by_file = {Path(file).name: (source, row, reason) for source, file, row, reason in quarantine}
    assert set(by_file) == {"P0_kabkota_2026.csv", "JumlahMiskin_latin1.csv", "notes.csv"}
    assert by_file["P0_kabkota_2026.csv"][:2] == ("bps_downloads", 4)
    assert "more than the 23 year column" in by_file["P0_kabkota_2026.csv"][2]
    assert (
        "row 4" in by_file["JumlahMiskin_latin1.csv"][2]
        and "Sumba B\u00e4rat" in by_file["JumlahMiskin_latin1.csv"][2]
    )
    assert (
        by_file["notes.csv"][0] == "bps_downloads"
        and "matches no BPS table layout" in by_file["notes.csv"][2]
    )
    # The bad version did not wipe what the good one gave; the rest of the refresh went on.
    assert warehouse.query(FACT, 5301, 2026, "P0") == [(25.9, "area_by_year")]
    assert warehouse.query(FACT, 5316, 2023, "P0") == [(31.78, "area_by_year")]
    assert len(second.quarantined) == 3


def test_webapi_is_fetched_with_a_key_saved_and_wins(warehouse: Warehouse, monkeypatch):
    from tests.webapi_replay import p0_response, replay_server

    landing = warehouse.landing
    with replay_server([("status", 500), ("json", p0_response(with_missing=False))]) as (base_url, script):
        monkeypatch.setenv("BPS_API_KEY", "local-test-key")
        monkeypatch.setenv("BPS_API_BASE", base_url)
        outcome = warehouse.refresh()

    assert outcome.success, outcome.report()
    saved = sorted((landing / "bps-webapi").glob("bps-webapi_d0000_v621_*.json"))
    assert len(saved) == 1  # saved before parsing; the other variables answered 404 and were skipped
    assert any("/var/619/" in path for path in script.requests)
    # The WebAPI outranks every download (seed bps_layout_priority).
    assert warehouse.query(FACT, 5316, 2023, "P0") == [(31.78, "webapi")]
    assert warehouse.query(FACT, 5316, 2021, "P0") == [(34.27, "area_by_year")]

    monkeypatch.delenv("BPS_API_KEY")
    replay = warehouse.refresh()  # no key, no server: the saved answer
    assert replay.success, replay.report()
    assert warehouse.query(FACT, 5316, 2023, "P0") == [(31.78, "webapi")]
