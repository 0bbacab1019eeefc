"""The refresh as data teams schedule it: bad input never published, readers never blocked, kills survived,
one refresh at a time. Each test works on its own copy of the built warehouse; a refresh costs half a
minute, so a test that needs a refresh to finish uses it for everything that refresh can show."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.build_lock import current_holder, lock_path_for
from ingest.paths import BUNDLED_DATA_DIR
from tests.conftest import (
    P0_OF,
    POOR_COUNT_FILE,
    RAT_2023_TOTAL,
    Warehouse,
    p0_table_with_2026,
    query,
    sha256_of,
)
from tests.pdf_fixtures import truncated_copy
from tests.plans import render_plan

TOTAL_BY_YEAR = "select year, sum(pagu) from main.fct_program_budget group by year order by year"


FACTS = "select md5(string_agg(cast(f as varchar), ',' order by f)) from main.fct_poverty_indicator as f"


def test_bad_files_are_quarantined_and_change_nothing_but_the_quarantine_list(warehouse: Warehouse):
    facts = warehouse.query(FACTS)
    truncated_copy(warehouse.landing / "RAT_2024_rusak.pdf")
    (warehouse.landing / "JumlahMiskin_latin1.csv").write_bytes(
        (BUNDLED_DATA_DIR / POOR_COUNT_FILE)
        .read_text()
        .replace("Sumba Barat", "Sumba B\u00e4rat")
        .encode("latin-1")
    )

    outcome = warehouse.refresh()

    assert outcome.success, outcome.report()
    [bps, rat] = sorted(outcome.quarantined)
    assert "JumlahMiskin_latin1.csv, row 4" in bps and "RAT_2024_rusak.pdf" in rat
    # The two bad files changed nothing analysts read but the list of what was set aside.
    assert warehouse.query("select count(*) from provenance.quarantine") == [(2,)]
    notes = sorted(p.name for p in (warehouse.published.parent / "quarantine").glob("*.reason.txt"))
    assert len(notes) == 2 and any("RAT_2024_rusak.pdf" in n for n in notes)
    runs = warehouse.query_build(
        "select count(distinct run_id), count(*) filter (where rows_rejected > 0) from provenance.load_log"
    )
    assert runs[0][0] == 2 and runs[0][1] >= 2
    assert warehouse.query(FACTS) == facts
    quarantined_state = warehouse.sha256()

    again = warehouse.refresh()
    assert again.success and again.nothing_changed_since, again.report()
    assert warehouse.sha256() == quarantined_state

    damaged = truncated_copy(warehouse.landing / "RAT_2024_rusak.pdf", fraction=0.5)  # changed, still broken
    retried = warehouse.refresh()
    assert retried.success and not retried.nothing_changed_since
    assert warehouse.query(FACTS) == facts
    assert warehouse.query(
        "select sha256 from provenance.quarantine where source_file like '%RAT_2024_rusak.pdf'"
    ) == [(sha256_of(damaged),)]


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


def _start_refresh(warehouse: Warehouse, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dagster_project.cli",
            "refresh",
            "--warehouse",
            str(warehouse.published),
            *args,
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=warehouse.env(),
    )


def _read_until(process: subprocess.Popen, wanted: str, deadline: float = 300) -> list[str]:
    lines = []
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if wanted in line:
            return lines
    raise AssertionError(f"never saw {wanted!r}:\n{''.join(lines)}")


@pytest.mark.parametrize(
    "moment",
    ["rat_plans: writing raw tables", "Running dbt command"],
    ids=["writing-a-plans-rows", "dbt"],
)
def test_a_killed_refresh_leaves_the_warehouse_intact_and_the_next_one_completes(
    warehouse: Warehouse, moment: str
):
    before = warehouse.sha256()
    (warehouse.landing / "P0_2026.csv").write_text(p0_table_with_2026("Sumba Barat", "25.9"))
    render_plan(warehouse.landing / "RAT_NTT_2024.pdf", year=2024, signed="Kupang, Desember 2023")
    refresh = _start_refresh(warehouse)
    _read_until(refresh, moment)
    os.killpg(refresh.pid, signal.SIGKILL)  # the refresh and its dbt child, mid-work
    refresh.wait(timeout=30)
    assert refresh.returncode == -signal.SIGKILL

    assert warehouse.sha256() == before
    assert warehouse.query(P0_OF, 5301, 2026) == []
    outcome = warehouse.refresh()
    assert outcome.success and outcome.replaced, outcome.report()
    assert warehouse.query(P0_OF, 5301, 2026) == [(25.9,)]
    # No half plan: the 2024 plan's rows are there once, beside the 2023 plan's.
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, RAT_2023_TOTAL), (2024, RAT_2023_TOTAL)]
    assert warehouse.query_build("select count(*) from raw.rat_matrix_rows") == [(68,)]


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
    first = _start_refresh(warehouse)
    _wait_for_holder(warehouse, first.pid)

    impatient = warehouse.cli("refresh", "--wait", "0")
    second = _start_refresh(warehouse)  # started while the first still holds the warehouse
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
