"""The refresh as data teams schedule it: bad input never published, readers never blocked, kills survived."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dagster_project.refresh import run_refresh
from ingest.paths import BUNDLED_DATA_DIR
from tests.conftest import POOR_COUNT_FILE, query, sha256_of
from tests.pdf_fixtures import truncated_copy
from tests.test_bps_pipeline import FACT, _p0_with_2026

P0_CSV = BUNDLED_DATA_DIR / "bps" / "bps-kabkota-p0-jumlah-visdati" / "P0_kabkota_NTT_2004-2025.csv"


@pytest.fixture
def published(isolated_env: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(warehouse, landing folder) after one successful refresh."""
    warehouse = tmp_path / "warehouse" / "ntt_poverty.duckdb"
    outcome = run_refresh(warehouse=warehouse, log_level="WARNING")
    assert outcome.success and outcome.replaced, outcome.report()
    return warehouse, isolated_env


def test_bad_files_are_quarantined_and_the_published_file_stays_byte_for_byte(published):
    warehouse, landing = published
    before = sha256_of(warehouse)
    truncated_copy(landing / "RAT_2024_rusak.pdf")
    (landing / "JumlahMiskin_latin1.csv").write_bytes(
        (BUNDLED_DATA_DIR / POOR_COUNT_FILE)
        .read_text()
        .replace("Sumba Barat", "Sumba B\u00e4rat")
        .encode("latin-1")
    )

    outcome = run_refresh(warehouse=warehouse, log_level="WARNING")

    assert outcome.success, outcome.report()
    assert sorted(Path(r.split(":")[0]).name for r in outcome.quarantined) == [
        "JumlahMiskin_latin1.csv",
        "RAT_2024_rusak.pdf",
    ]
    assert sha256_of(warehouse) == before
    folder = warehouse.parent / "quarantine"
    notes = sorted(p.name for p in folder.glob("*.reason.txt"))
    assert len(notes) == 2 and any("RAT_2024_rusak.pdf" in n for n in notes)
    build = warehouse.parent / ".build" / warehouse.name
    runs = query(
        build, "select count(distinct run_id), count(*) filter (where rows_rejected > 0) from main.load_log"
    )
    assert runs[0][0] == 2 and runs[0][1] >= 2

    again = run_refresh(warehouse=warehouse, log_level="WARNING")
    assert again.success and again.nothing_changed_since, again.report()

    truncated_copy(landing / "RAT_2024_rusak.pdf", fraction=0.5)  # changed, still broken: retried
    retried = run_refresh(warehouse=warehouse, log_level="WARNING")
    assert retried.success and not retried.nothing_changed_since
    assert sha256_of(warehouse) == before
    [(count,)] = query(
        build, "select count(*) from raw.quarantine where source_file like '%RAT_2024_rusak.pdf'"
    )
    assert count == 1


def test_a_failing_dbt_test_stops_the_publish_and_fails_the_run(published):
    warehouse, landing = published
    before = sha256_of(warehouse)
    # Sumba Barat's poor in 2023 ten thousand higher: plausible alone (GX passes), but the 22 areas no
    # longer add up to the province, which the dbt test assert_regencies_add_up_to_the_province refuses.
    text = (BUNDLED_DATA_DIR / POOR_COUNT_FILE).read_text().replace(",37.15,", ",47.15,", 1)
    (landing / "JumlahMiskin_revisi.csv").write_text(text)

    outcome = run_refresh(warehouse=warehouse, log_level="ERROR")

    assert not outcome.success
    assert any("assert_regencies_add_up_to_the_province" in text for text in outcome.failed_checks)
    assert not outcome.published and "published_warehouse" in outcome.not_materialized
    assert sha256_of(warehouse) == before
    assert query(warehouse, FACT, 5301, 2023, "POOR_COUNT") == [(37.15, "bps_multi_year_table")]
    build = warehouse.parent / ".build" / warehouse.name
    failed = query(build, "select count(*) from main.load_log where status = 'failed'")
    assert failed[0][0] >= 1


READER_QUERY = (
    "select count(*), sum(value) from main.fct_poverty_indicator join main.dim_period using (period_key)"
    " where year = 2026"
)
READER = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
seen = set()
deadline = time.time() + 120
print("ready", flush=True)
while time.time() < deadline and not __import__("os").path.exists(sys.argv[2]):
    seen.add(connection.execute(sys.argv[3]).fetchone())
    time.sleep(0.05)
print(sorted(seen), flush=True)
"""


def test_a_reader_holding_the_file_open_neither_blocks_nor_sees_a_half_built_warehouse(published, tmp_path):
    warehouse, landing = published
    stop = tmp_path / "stop"
    old_state = query(warehouse, READER_QUERY)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse), str(stop), READER_QUERY],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "ready"
    (landing / "P0_2026.csv").write_text(_p0_with_2026(P0_CSV.read_text(), "25.9"))

    outcome = run_refresh(warehouse=warehouse, log_level="WARNING")

    stop.touch()
    output, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0
    assert outcome.success and outcome.replaced, outcome.report()
    assert output.strip() == str(old_state)  # the reader saw the old warehouse throughout, consistently
    assert query(warehouse, READER_QUERY) != old_state
    assert query(warehouse, FACT, 5301, 2026, "P0") == [(25.9, "bps_multi_year_table")]


@pytest.mark.parametrize("moment", ["reading", "Running dbt command"], ids=["extracting", "dbt"])
def test_a_killed_refresh_leaves_the_warehouse_intact_and_the_next_one_completes(published, moment):
    warehouse, landing = published
    before = sha256_of(warehouse)
    (landing / "P0_2026.csv").write_text(_p0_with_2026(P0_CSV.read_text(), "25.9"))
    refresh = subprocess.Popen(
        [sys.executable, "-m", "dagster_project.cli", "refresh", "--warehouse", str(warehouse)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        env=os.environ.copy(),
    )
    deadline = time.time() + 300
    while time.time() < deadline:
        line = refresh.stderr.readline()
        if not line or (moment in line and ("dbt" in moment or "P0_2026.csv" in line)):
            break  # killed while reading the landed file, or while dbt builds
    os.killpg(refresh.pid, signal.SIGKILL)  # the refresh and its dbt child, mid-work
    refresh.wait(timeout=30)
    assert refresh.returncode == -signal.SIGKILL

    assert sha256_of(warehouse) == before
    assert query(warehouse, FACT, 5301, 2026, "P0") == []
    outcome = run_refresh(warehouse=warehouse, log_level="WARNING")
    assert outcome.success and outcome.replaced, outcome.report()
    assert query(warehouse, FACT, 5301, 2026, "P0") == [(25.9, "bps_multi_year_table")]


def test_two_refreshes_in_a_row_the_second_says_nothing_changed(published):
    warehouse, _ = published
    before = sha256_of(warehouse)
    outcome = run_refresh(warehouse=warehouse, log_level="WARNING")
    assert outcome.success and outcome.nothing_changed_since
    assert "Nothing changed" in outcome.report()
    assert sha256_of(warehouse) == before
