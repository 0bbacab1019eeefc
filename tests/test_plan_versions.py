"""RAT plans as documents with identity and versions, through three real refreshes of one warehouse copy.

Night 1 lands what users drop on a first night: a copy of the loaded 2023 plan, a 2024 plan typeset on
Legal paper, a plan without a readable year, a damaged PDF and a newer BPS table. Night 2 removes the copy,
adds a revision (Perubahan) of 2023 and a 2025 plan, and replaces the 2024 plan with a damaged copy of it;
its first refresh is killed while writing the plans' rows.
Night 3 removes the revision after the build file was left with a plan's rows loaded twice. Each test reads
the night it is about: totals, dim_document, the ledger, the quarantine and the change view.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from reportlab.lib.pagesizes import LEGAL

from tests.bps_files import p0_table_with_2026
from tests.conftest import (
    P0_OF,
    RAT_2023_PDF,
    RAT_2023_TOTAL,
    Night,
    Warehouse,
    kill_refresh_when,
    private_copy,
    sha256_of,
)
from tests.pdf_fixtures import truncated_copy
from tests.plans import budget_cells, render_plan
from tests.rat_gold import GOLD_DIR
from tests.rat_render import Layout, load_gold_cells, render_matrix

COPY = "RAT NTT 2023 (salinan).pdf"
PLAN_2024 = "RAT_2024_legal.pdf"
REVISION = "RAT_NTT_2023_perubahan.pdf"
OLD_PAGU, NEW_PAGU = 37_829_800, 2_000_000_000
REVISED_TOTAL = RAT_2023_TOTAL - OLD_PAGU + NEW_PAGU

QUERIES = {
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
}
ROWS_PER_FILE = "select _source_file, count(*) from raw.rat_matrix_rows group by 1 order by 1"
ORIGINAL_ROWS = "select count(*) from raw.rat_matrix_rows where _source_file like '%Penanggulangan%'"


@dataclass
class PlanStory:
    warehouse: Warehouse
    nights: list[Night]
    good_2024_sha256: str
    before_kill: tuple
    after_kill: tuple


def _double_the_original_plan(build: Path) -> None:
    """The state the first round's bug left behind: a document's rows loaded twice into the build file."""
    with duckdb.connect(str(build)) as connection:
        for table in ("raw.rat_matrix_rows", "raw.rat_documents"):
            connection.execute(
                f"insert into {table} select * from {table} where _source_file like '%Penanggulangan%'"
            )


@pytest.fixture(scope="module")
def story(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> PlanStory:
    warehouse = private_copy(built_warehouse, tmp_path_factory)
    landing = warehouse.landing

    shutil.copy(RAT_2023_PDF, landing / COPY)
    cover = ("RENCANA AKSI TAHUNAN", "PENANGGULANGAN KEMISKINAN", "PROVINSI NUSA TENGGARA TIMUR")
    render_matrix(
        load_gold_cells(GOLD_DIR / "rat_ntt_2023_cells.json"),
        landing / PLAN_2024,
        Layout("legal", LEGAL, font="Times-Roman", year=2024, cover_title=(*cover, "TAHUN 2024")),
    )
    good_2024 = sha256_of(landing / PLAN_2024)
    render_plan(landing / "RAT_tanpa_tahun.pdf", year_in_header=False)
    truncated_copy(landing / "RAT_2025_damaged.pdf")
    (landing / "P0_kabkota_2026.csv").write_text(p0_table_with_2026("Sumba Barat", "25.9"))
    first = Night.after_refresh(warehouse, QUERIES)

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
    # The night's first refresh is killed while it writes the plans' rows; the next one completes.
    before_kill = (warehouse.sha256(), warehouse.query_build(ROWS_PER_FILE))
    kill_refresh_when(warehouse, "rat_plans: writing raw tables")
    after_kill = (warehouse.sha256(), warehouse.query_build(ROWS_PER_FILE))
    second = Night.after_refresh(warehouse, QUERIES, build={"rows_per_file": ROWS_PER_FILE})

    _double_the_original_plan(warehouse.build)
    (landing / REVISION).unlink()
    third = Night.after_refresh(warehouse, QUERIES, build={"original_rows": ORIGINAL_ROWS})
    return PlanStory(warehouse, [first, second, third], good_2024, before_kill, after_kill)


def current_loaded_at(night: Night) -> dict[int, object]:
    return {year: loaded_at for year, is_current, *_, loaded_at in night.rows["documents"] if is_current}


def ledger(night: Night) -> dict[str, str]:
    return {Path(path).name: status for path, status, *_ in night.rows["ledger"]}


def test_every_night_publishes(story: PlanStory):
    for night in story.nights:
        assert night.outcome.success, night.outcome.report()
        assert night.outcome.replaced, night.outcome.report()


def test_a_copy_of_a_loaded_plan_is_loaded_once_and_lists_both_names(story: PlanStory):
    first, second, _ = story.nights
    assert first.rows["totals"] == [(2023, RAT_2023_TOTAL), (2024, RAT_2023_TOTAL)]
    [plan_2023] = [row for row in first.rows["documents"] if row[0] == 2023]
    assert plan_2023[:3] == (2023, True, 2)
    assert RAT_2023_PDF.name in plan_2023[5] and COPY in plan_2023[5]
    assert ledger(first)[RAT_2023_PDF.name] == "unchanged" and ledger(first)[COPY] == "duplicate"

    # The copy removed: the plan stays, under one name.
    assert ledger(second)[COPY] == "removed"
    [original] = [row for row in second.rows["documents"] if row[0] == 2023 and not row[1]]
    assert original[2] == 1 and COPY not in original[5]


def test_a_plan_typeset_on_legal_paper_and_landed_is_extracted_once(story: PlanStory):
    first, second, _ = story.nights
    before, after = current_loaded_at(first), current_loaded_at(second)
    assert sorted(before) == [2023, 2024] and sorted(after) == [2023, 2024, 2025]
    # A document nobody changed is not extracted again: its load time is the night it first came.
    assert after[2024] == before[2024]
    assert after[2025] > before[2024]
    # Loaded by night 2, or already by the refresh killed before it when the kill came after its commit.
    assert ledger(second)["RAT_2025_a4.pdf"] in {"loaded", "unchanged"}


def test_a_damaged_pdf_is_quarantined_by_name_and_cause(story: PlanStory):
    first = story.nights[0]
    [(check, reason)] = [
        (check, reason) for file, check, _, _, reason in first.rows["quarantine"] if "2025_damaged" in file
    ]
    assert check == "not_a_pdf" and "damaged or truncated" in reason
    assert any("RAT_2025_damaged.pdf" in text for text in first.outcome.quarantined)


def test_a_plan_without_a_readable_year_is_quarantined_and_the_rest_publishes(story: PlanStory):
    first = story.nights[0]
    [line] = [line for line in first.outcome.quarantined if "RAT_tanpa_tahun.pdf" in line]
    assert "the plan year was read" in line and "row 1 (page" in line
    assert ledger(first)["RAT_tanpa_tahun.pdf"] == "quarantined"
    [(row, page)] = [
        (row, page)
        for file, check, row, page, _ in first.rows["quarantine"]
        if "tanpa_tahun" in file and "year was read" in check and page is not None
    ]
    assert row == 1 and page >= 1
    assert first.rows["p0_sumba_barat_2026"] == [(25.9,)]  # the night's new BPS figure is published


def test_a_revised_plan_becomes_current_and_its_changes_are_listed(story: PlanStory):
    second = story.nights[1]
    assert second.rows["totals"][0] == (2023, REVISED_TOTAL)
    [current, superseded] = [row for row in second.rows["documents"] if row[0] == 2023]
    assert current[:2] == (2023, True) and current[3] == "PERUBAHAN"
    assert superseded[:2] == (2023, False) and "revision" in superseded[4]
    assert REVISION in current[5] and RAT_2023_PDF.name in superseded[5]
    assert second.rows["changes"] == [("budget_line", "changed", 4, OLD_PAGU, NEW_PAGU)]
    assert second.rows["mart_2023"] == [(REVISED_TOTAL,)]  # marts follow the current version only


def test_a_damaged_replacement_keeps_the_last_good_budget_lines(story: PlanStory):
    second = story.nights[1]
    [line] = [line for line in second.outcome.quarantined if PLAN_2024 in line]
    assert "damaged or truncated" in line and "stay published" in line
    assert second.rows["totals"][1:] == [(2024, RAT_2023_TOTAL), (2025, RAT_2023_TOTAL)]
    [(status, published_sha256)] = [
        (status, sha) for file, status, _, sha in second.rows["ledger"] if file.endswith(PLAN_2024)
    ]
    assert (status, published_sha256) == ("quarantined", story.good_2024_sha256)
    status = story.warehouse.cli("status")
    assert status.returncode == 0, status.stderr
    assert PLAN_2024 in status.stdout and "stay published" in status.stdout


def test_removing_the_revision_restores_the_plan_and_a_forced_bad_state_heals(story: PlanStory):
    third = story.nights[2]
    assert third.rows["totals"][0] == (2023, RAT_2023_TOTAL)
    assert [row[:2] for row in third.rows["documents"] if row[0] == 2023] == [(2023, True)]
    assert third.rows["changes"] == []
    assert any("held 68 rows" in line for line in third.outcome.repaired), third.outcome.report()
    assert "repaired:" in third.outcome.report()
    assert third.rows["original_rows"] == [(34,)]


def test_a_refresh_killed_while_writing_a_plans_rows_leaves_no_half_plan(story: PlanStory):
    # The kill lands while the plans' rows are written: their transaction either never committed or
    # committed whole (the refresh can finish it between its log line and the signal). Never half a plan,
    # and never a published change: publishing comes after dbt.
    assert story.after_kill[0] == story.before_kill[0]
    assert {rows for _, rows in story.after_kill[1]} == {34}
    second = story.nights[1]
    # The refresh after the kill wrote every plan once: 34 rows each, the damaged 2024 file's last good
    # content included, under its name.
    rows = dict(second.rows["rows_per_file"])
    assert sorted(Path(file).name for file in rows) == sorted(
        [RAT_2023_PDF.name, REVISION, PLAN_2024, "RAT_2025_a4.pdf"]
    )
    assert set(rows.values()) == {34}
