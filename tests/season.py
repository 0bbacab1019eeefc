"""One season of nights on one copy of the built warehouse: the BPS tables' nights
(tests/test_bps_pipeline.py) and the RAT plans' (tests/test_plan_versions.py) ride on the same refreshes.

A refresh costs half a minute of two cores, most of it the same whatever was landed (dbt builds every
model and runs every test, the run publishes, writes the report and the workbook): each night lands what
both stories show, and the two files read it from this session fixture. `make test` hands the two files to
one worker together (tests/file_order.py, SHARED_UNITS), so the season runs once per session.

Night 1 lands a newer kab/kota P0 table, a revised copy of a loaded table that disagrees on one figure, and
fetches the WebAPI with a key (its first answer an HTTP 500); beside them, what users drop on a first night
of plans: a copy of the loaded 2023 plan, a 2024 plan typeset on Legal paper, a plan without a readable
year and a damaged PDF.
Night 2 has no key and lands bad files: the P0 table again with a comma decimal, a Latin-1 export, a CSV
that is no BPS table and a damaged plan; it removes the copy, adds a revision (Perubahan) of 2023 and a 2025
plan, and replaces the 2024 plan with a damaged copy of it. Its first refresh is killed while writing the
plans' rows, its second while dbt builds. The one that completes is the night data teams schedule: a reader
holds the published file open throughout, a refresh started with `--wait 0` while it runs exits 75 at once,
and one started without it waits, then finds nothing changed. A refresh the next day with nothing new
changes nothing.
Night 3 removes the revision after the build file was left with a plan's rows loaded twice, replaces the
damaged PDF of night 1 with another damaged copy (judged again, nothing of it published), and lands four
plans whose cells are hostile text (issue 23, items 5 and 6; tests/test_plan_versions.py says which).
Each story reads its own rows of each night (its queries), from the same outcomes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from reportlab.lib.pagesizes import LEGAL

from store.build_lock import current_holder, lock_path_for
from store.paths import BUNDLED_DATA_DIR
from tests.bps_files import p0_table_with_2026
from tests.conftest import (
    P0_OF,
    POOR_COUNT_FILE,
    RAT_2023_PDF,
    RAT_2023_TOTAL,
    Night,
    Query,
    Warehouse,
    kill_refresh_when,
    private_copy,
    run_cli,
    sha256_of,
    start_cli_refresh,
)
from tests.pdf_fixtures import truncated_copy
from tests.plans import budget_cells, render_plan
from tests.rat_gold import GOLD_DIR
from tests.rat_render import Layout, load_gold_cells, render_matrix

# The BPS tables' nights (tests/test_bps_pipeline.py).

LONG_EXPORT = BUNDLED_DATA_DIR / "bps" / "bps-kabkota-p1-p2-febroherdyanto" / "Index Kedalaman 2022-2023.csv"
FACT = """
    select f.value, f.source_layout from main.fct_poverty_indicator f
    join main.dim_regency r using (regency_key) join main.dim_period p using (period_key)
    join main.dim_indicator i using (indicator_key)
    where r.bps_code = ? and p.year = ? and p.semester is null and i.indicator_code = ?
"""
BPS_QUERIES = {
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
BPS_BUILD_QUERIES = {
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
    quarantine_notes: list[str]  # the quarantine folder's notes after night 2 (night 3 adds the plans')


# The RAT plans' nights (tests/test_plan_versions.py).

COPY = "RAT NTT 2023 (salinan).pdf"
PLAN_2024 = "RAT_2024_legal.pdf"
DAMAGED = "RAT_2025_damaged.pdf"
REVISION = "RAT_NTT_2023_perubahan.pdf"
OLD_PAGU, NEW_PAGU = 37_829_800, 2_000_000_000
REVISED_TOTAL = RAT_2023_TOTAL - OLD_PAGU + NEW_PAGU

PLAN_QUERIES = {
    "totals": "select year, sum(pagu) from main.fct_program_budget group by year order by year",
    "documents": """
        select year, is_current, file_count, revision_marker, superseded_reason, file_names, loaded_at
        from main.dim_document order by year, version_rank""",
    "ledger": """
        select source_file, status, reason, published_sha256 from provenance.source_files
        where source = 'rat_plans' order by 1""",
    "quarantine": """
        select source_file, check_name, source_row, page, reason from provenance.quarantine
        where source = 'rat_plans' order by 1, 2""",
    "changes": """
        select change_level, change, budget_line, superseded_pagu_rupiah, current_pagu_rupiah
        from provenance.rat_document_changes""",
    "mart_2023": """
        select round(sum(allocated_pagu) + any_value(province_wide_pagu)) from main.mart_budget_vs_poverty
        where year = 2023""",
    "p0_sumba_barat_2026": (P0_OF, 5301, 2026),
    "damaged_2025_sha256": f"select sha256 from provenance.quarantine where source_file like '%{DAMAGED}'",
}
ROWS_PER_FILE = "select _source_file, count(*) from raw.rat_matrix_rows group by 1 order by 1"
ORIGINAL_ROWS = "select count(*) from raw.rat_matrix_rows where _source_file like '%Penanggulangan%'"

SCRIPT, COLON, WORDS, FORMULAS = (
    "RAT_2026_script.pdf",
    "RAT_2027_tahun_di_pagu.pdf",
    "RAT_2028_dalam_kata.pdf",
    "RAT_2029_rumus.pdf",
)
HYPERLINK = '=HYPERLINK("http://evil.example","click")'
COMMAND = "+cmd|' /C calc'!A0"
CELLS_QUERIES = {
    "reports_published": "select year, source_file, parsing_report from main.dim_document order by year",
    "budget_lines": "select year, pagu from main.fct_program_budget where year >= 2026 order by year, pagu",
}
# The plans of 2028 and 2029 come after the last number poor (2025), and night 1 landed a 2026 table that
# gives P0 alone: rupiah per poor person divides by the 2025 number poor, and the report draws it.
PER_POOR_AFTER_THE_LAST_COUNT = """
    select year, count(*), count(rupiah_per_poor_person), min(poverty_year), max(poverty_year)
    from main.mart_budget_vs_poverty where year >= 2028 group by year order by year"""
CELLS_QUERIES["per_poor_after_the_last_count"] = PER_POOR_AFTER_THE_LAST_COUNT
CELLS_BUILD = {
    "rows_per_file": ROWS_PER_FILE,
    "reports": """
        select _source_file, cells_read, cells_from_merges, cells_uncertain, rows_joined_across_pages,
            wrap_repairs, ocr, parsing_report
        from raw.rat_documents""",
    "load_log_reports": """
        select parsing_reports from provenance.load_log where asset = 'raw/rat_matrix_rows'
        order by logged_at desc limit 1""",
}


@dataclass
class PlanStory:
    warehouse: Warehouse
    nights: list[Night]
    good_2024_sha256: str
    changed_damage_sha256: str
    before_kill: tuple
    after_kill: tuple
    csv_export: Path
    xlsx_export: Path
    extracted: Path
    status: str
    sigterm: tuple  # SIGTERM's handling before the first night and after the last


def _double_the_original_plan(build: Path) -> None:
    """The state the first round's bug left behind: a document's rows loaded twice into the build file."""
    with duckdb.connect(str(build)) as connection:
        for table in ("raw.rat_matrix_rows", "raw.rat_documents"):
            connection.execute(
                f"insert into {table} select * from {table} where _source_file like '%Penanggulangan%'"
            )


def _land_plans_with_hostile_cells(landing: Path) -> None:
    cells = budget_cells()
    render_plan(landing / SCRIPT, year=2026, pagu={cells[2]: "<script>alert(6)</script>"})
    render_plan(landing / COLON, year=2027, pagu={cells[5]: "2023: 1.000.000"})
    render_plan(landing / WORDS, year=2028, pagu={cells[0]: "Rp 2,5 Miliar", cells[1]: "Rp 350 juta"})
    # Rows 13 and 21 name regencies, so their targets reach mart_rat_targets_vs_outcomes.
    targets = {"Terselenggaranya penyaluran rumah khusus beserta PSU": HYPERLINK, "2 Kab": COMMAND}
    render_plan(landing / FORMULAS, year=2029, texts={**targets, "100%": HYPERLINK, "22 kab/kota": COMMAND})


@dataclass
class Season:
    bps: BpsStory
    plans: PlanStory


@pytest.fixture(scope="session")
def season(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Season:
    from tests.webapi_replay import p0_response, replay_server

    warehouse = private_copy(built_warehouse, tmp_path_factory)
    landing = warehouse.landing

    # Night 1.
    newer = landing / "P0_kabkota_2026.csv"
    newer.write_text(p0_table_with_2026("Sumba Barat", "25.9"))
    disagreeing = landing / "Index Kedalaman 2022-2023 (revisi).csv"
    shutil.copy(LONG_EXPORT, disagreeing)
    text = disagreeing.read_text(encoding="utf-8-sig")
    disagreeing.write_text(
        text.replace('2023;Tahun;3.33;"NUSA TENGGARA TIMUR"', '2023;Tahun;3.83;"NUSA TENGGARA TIMUR"')
    )
    shutil.copy(RAT_2023_PDF, landing / COPY)
    cover = ("RENCANA AKSI TAHUNAN", "PENANGGULANGAN KEMISKINAN", "PROVINSI NUSA TENGGARA TIMUR")
    render_matrix(
        load_gold_cells(GOLD_DIR / "rat_ntt_2023_cells.json"),
        landing / PLAN_2024,
        Layout("legal", LEGAL, font="Times-Roman", year=2024, cover_title=(*cover, "TAHUN 2024")),
    )
    good_2024 = sha256_of(landing / PLAN_2024)
    sigterm_before = signal.getsignal(signal.SIGTERM)
    render_plan(landing / "RAT_tanpa_tahun.pdf", year_in_header=False)
    truncated_copy(landing / DAMAGED)
    answers = [("status", 500), ("json", p0_response(with_missing=False))]
    with replay_server(answers) as (base_url, script), pytest.MonkeyPatch.context() as env:
        env.setenv("BPS_API_KEY", "local-test-key")
        env.setenv("BPS_API_BASE", base_url)
        outcome = warehouse.refresh()
    bps_nights = [Night.with_rows(warehouse, outcome, BPS_QUERIES, BPS_BUILD_QUERIES)]
    plan_nights = [Night.with_rows(warehouse, outcome, PLAN_QUERIES)]
    published = [warehouse.sha256()]

    # Night 2.
    newer.write_text(p0_table_with_2026("Sumba Barat", "25,9"))  # a comma decimal
    (landing / "JumlahMiskin_latin1.csv").write_bytes(
        (BUNDLED_DATA_DIR / POOR_COUNT_FILE)
        .read_text()
        .replace("Sumba Barat", "Sumba B\u00e4rat")
        .encode("latin-1")
    )
    (landing / "notes.csv").write_text("what,is,this\n1,2,3\n")
    damaged = truncated_copy(landing / "RAT_2024_rusak.pdf")
    (landing / COPY).unlink()
    render_plan(
        landing / REVISION,
        revision="Perubahan",
        signed="Kupang, 15 Maret 2023",
        pagu={budget_cells()[3]: "2,000,000,000"},
    )
    # Replaced by a damaged copy under the same name, byte for byte the damaged 2025 file of night 1.
    truncated_copy(landing / PLAN_2024)
    render_plan(landing / "RAT_2025_a4.pdf", year=2025, signed="Kupang, Desember 2024")
    # The night's first refresh is killed while it writes the plans' rows, its second while dbt builds;
    # the next one completes.
    before_kill = (warehouse.sha256(), warehouse.query_build(ROWS_PER_FILE))
    kill_refresh_when(warehouse, "rat_plans: writing raw tables")
    after_plan_kill = (warehouse.sha256(), warehouse.query_build(ROWS_PER_FILE))
    killed = kill_refresh_when(warehouse, "Running dbt command")
    after_dbt_kill = (warehouse.sha256(), warehouse.query(BPS_QUERIES["facts"]))
    second, overlap = refresh_overlapped(
        warehouse, tmp_path_factory.mktemp("night2"), BPS_QUERIES, BPS_BUILD_QUERIES
    )
    bps_nights.append(second)
    plan_nights.append(
        Night.with_rows(warehouse, second.outcome, PLAN_QUERIES, {"rows_per_file": ROWS_PER_FILE})
    )
    published.append(warehouse.sha256())
    notes = sorted(p.name for p in (warehouse.published.parent / "quarantine").glob("*.reason.txt"))
    # The next day, nothing new.
    bps_nights.append(Night.after_refresh(warehouse, BPS_QUERIES))
    published.append(warehouse.sha256())

    # Night 3.
    _double_the_original_plan(warehouse.build)
    (landing / REVISION).unlink()
    changed_damage = truncated_copy(landing / DAMAGED, fraction=0.5)  # changed, still broken
    _land_plans_with_hostile_cells(landing)
    plan_nights.append(
        Night.after_refresh(
            warehouse, PLAN_QUERIES | CELLS_QUERIES, build={"original_rows": ORIGINAL_ROWS} | CELLS_BUILD
        )
    )

    sigterm = (sigterm_before, signal.getsignal(signal.SIGTERM))
    out = tmp_path_factory.mktemp("exports")
    for file_format in ("csv", "xlsx"):
        done = warehouse.cli("export", "--format", file_format, "--out", str(out / file_format))
        assert done.returncode == 0, done.stderr
    extracted = out / "extracted.csv"
    done = run_cli("extract-rat", str(landing / FORMULAS), "--out", str(extracted))
    assert done.returncode == 0, done.stderr
    status = warehouse.cli("status")
    assert status.returncode == 0, status.stderr
    bps = BpsStory(
        warehouse,
        bps_nights,
        published,
        list(script.requests),
        sha256_of(damaged),
        killed,
        after_dbt_kill,
        overlap,
        notes,
    )
    plans = PlanStory(
        warehouse,
        plan_nights,
        good_2024,
        sha256_of(changed_damage),
        before_kill,
        after_plan_kill,
        out / "csv",
        next((out / "xlsx").glob("*.xlsx")),
        extracted,
        status.stdout,
        sigterm,
    )
    return Season(bps, plans)
