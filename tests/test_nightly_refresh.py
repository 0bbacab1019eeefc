"""The refresh as data teams schedule it: a failed gate never published, readers never blocked, kills
survived, one refresh at a time. Each test works on its own copy of the built warehouse; a refresh costs
half a minute, so a test that needs a refresh to finish uses it for everything that refresh can show.
Bad files night after night: tests/test_bps_pipeline.py."""

import subprocess
import sys
import time
from pathlib import Path

from store.build_lock import current_holder, lock_path_for
from store.paths import BUNDLED_DATA_DIR
from tests.bps_files import p0_table_with_2026
from tests.conftest import (
    P0_OF,
    POOR_COUNT_FILE,
    Warehouse,
    query,
    start_cli_refresh,
)

TOTAL_BY_YEAR = "select year, sum(pagu) from main.fct_program_budget group by year order by year"


def test_a_failing_dbt_test_stops_the_publish_and_fails_the_run(warehouse: Warehouse):
    before = warehouse.sha256()
    # Sumba Barat's poor in 2023 ten thousand higher: plausible alone (GX passes), but the 22 areas no
    # longer add up to the province, which the dbt test assert_regencies_add_up_to_the_province refuses.
    text = (BUNDLED_DATA_DIR / POOR_COUNT_FILE).read_text().replace(",37.15,", ",47.15,", 1)
    (warehouse.landing / "JumlahMiskin_revisi.csv").write_text(text)

    outcome = warehouse.refresh(log_level="ERROR")

    assert not outcome.success
    assert any("assert_regencies_add_up_to_the_province" in text for text in outcome.failed_checks)
    assert not outcome.published and "published_warehouse" in outcome.not_materialized
    assert warehouse.sha256() == before
    failed = warehouse.query_build("select count(*) from provenance.load_log where status = 'failed'")
    assert failed[0][0] >= 1


READER_QUERY = (
    "select count(*), sum(value) from main.fct_poverty_indicator join main.dim_period using (period_key)"
    " where year = 2026"
)
READER = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
seen = set()
deadline = time.time() + 900
print("ready", flush=True)
while time.time() < deadline and not __import__("os").path.exists(sys.argv[2]):
    seen.add(connection.execute(sys.argv[3]).fetchone())
    time.sleep(0.05)
print(sorted(seen), flush=True)
"""


def _wait_for_holder(warehouse: Warehouse, pid: int, timeout: float = 120) -> None:
    """Until the refresh `pid` holds the warehouse's lock (an event, not a fixed sleep)."""
    lock = lock_path_for(warehouse.build.parent)
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        holder = current_holder(lock)
        if holder is not None and holder.pid == pid:
            return
        time.sleep(0.05)
    raise AssertionError(f"refresh {pid} never took the lock")


def test_one_refresh_at_a_time_a_reader_never_blocks_and_an_impatient_one_exits_75(
    warehouse: Warehouse, tmp_path: Path
):
    stop = tmp_path / "stop"
    old_state = warehouse.query(READER_QUERY)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse.published), str(stop), READER_QUERY],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "ready"  # holds the published file open from now on
    (warehouse.landing / "P0_2026.csv").write_text(p0_table_with_2026("Sumba Barat", "25.9"))
    first = start_cli_refresh(warehouse)
    _wait_for_holder(warehouse, first.pid)

    impatient = warehouse.cli("refresh", "--wait", "0")
    second = start_cli_refresh(warehouse)  # started while the first still holds the warehouse
    first_out, first_err = first.communicate(timeout=600)
    second_out, second_err = second.communicate(timeout=600)
    stop.touch()
    seen, _ = reader.communicate(timeout=60)

    assert impatient.returncode == 75
    [line] = impatient.stderr.strip().splitlines()
    assert line.startswith("error: the refresh started") and f"pid {first.pid}" in line
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert "waiting for the refresh started" in second_err and f"by pid {first.pid}" in second_err
    assert "Published" in first_out and "Nothing changed" in second_out
    for text in (first_err, second_err, impatient.stderr):
        assert "IOException" not in text and "Could not set lock" not in text and "Traceback" not in text
    # The reader was never blocked, and saw the old warehouse throughout, consistently.
    assert reader.returncode == 0
    assert seen.strip() == str(old_state)
    assert warehouse.query(READER_QUERY) != old_state
    assert query(warehouse.published, P0_OF, 5301, 2026) == [(25.9,)]
