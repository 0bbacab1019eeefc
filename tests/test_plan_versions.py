"""RAT plans as documents with identity and versions, through the real refresh of a copy of the warehouse.

Each test lands files the way users do (copies, revisions, damaged replacements, plans without a year) and
checks what the published warehouse says: totals, dim_document, the ledger, the change view.
"""

import shutil
from pathlib import Path

from tests.conftest import P0_OF, RAT_2023_PDF, RAT_2023_TOTAL, Warehouse, p0_table_with_2026, sha256_of
from tests.pdf_fixtures import truncated_copy
from tests.plans import budget_cells, render_plan

TOTAL_BY_YEAR = "select year, sum(pagu) from main.fct_program_budget group by year order by year"
DOCUMENTS = """
    select year, is_current, file_count, revision_marker, superseded_reason, file_names
    from main.dim_document order by year, version_rank
"""
LEDGER = (
    "select source_file, status, reason from provenance.source_files where source = 'rat_plans' order by 1"
)


def names(ledger: list[tuple]) -> dict[str, str]:
    return {Path(path).name: status for path, status, _ in ledger}


def test_a_copy_of_a_loaded_plan_is_loaded_once_and_lists_both_names(warehouse: Warehouse):
    copy = warehouse.landing / "RAT NTT 2023 (salinan).pdf"
    shutil.copy(RAT_2023_PDF, copy)

    landed = warehouse.refresh()

    assert landed.success, landed.report()
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, RAT_2023_TOTAL)]
    [(year, current, file_count, _, _, file_names)] = warehouse.query(DOCUMENTS)
    assert (year, current, file_count) == (2023, True, 2)
    assert RAT_2023_PDF.name in file_names and copy.name in file_names
    assert names(warehouse.query(LEDGER)) == {RAT_2023_PDF.name: "unchanged", copy.name: "duplicate"}

    copy.unlink()
    removed = warehouse.refresh()

    assert removed.success, removed.report()
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, RAT_2023_TOTAL)]
    assert [row[2] for row in warehouse.query(DOCUMENTS)] == [1]
    assert names(warehouse.query(LEDGER)) == {RAT_2023_PDF.name: "unchanged", copy.name: "removed"}


def test_a_forced_bad_state_heals_itself_on_the_next_refresh(warehouse: Warehouse):
    # The state the first round's bug left behind: a document's rows loaded twice into the build file.
    import duckdb

    with duckdb.connect(str(warehouse.build)) as connection:
        connection.execute("insert into raw.rat_matrix_rows select * from raw.rat_matrix_rows")
        connection.execute("insert into raw.rat_documents select * from raw.rat_documents")
    shutil.copy(RAT_2023_PDF, warehouse.landing / "RAT_2023_copy.pdf")  # something to refresh for

    outcome = warehouse.refresh()

    assert outcome.success, outcome.report()
    assert any("held 68 rows" in line for line in outcome.repaired), outcome.report()
    assert "repaired:" in outcome.report()
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, RAT_2023_TOTAL)]
    assert warehouse.query_build("select count(*) from raw.rat_matrix_rows") == [(34,)]


def test_a_revised_plan_becomes_current_and_its_changes_are_listed(warehouse: Warehouse):
    old, new = budget_cells()[3], "2,000,000,000"
    revision = render_plan(
        warehouse.landing / "RAT_NTT_2023_perubahan.pdf",
        revision="Perubahan",
        signed="Kupang, 15 Maret 2023",
        pagu={old: new},
    )

    revised = warehouse.refresh()

    assert revised.success, revised.report()
    revised_total = RAT_2023_TOTAL - 37_829_800 + 2_000_000_000
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, revised_total)]
    [current, superseded] = warehouse.query(DOCUMENTS)
    assert current[:2] == (2023, True) and current[3] == "PERUBAHAN"
    assert superseded[:2] == (2023, False) and "revision" in superseded[4]
    assert revision.name in current[5] and RAT_2023_PDF.name in superseded[5]
    changes = warehouse.query(
        "select change_level, change, budget_line, superseded_pagu_rupiah, current_pagu_rupiah"
        " from provenance.rat_document_changes"
    )
    assert changes == [("budget_line", "changed", 4, 37_829_800, 2_000_000_000)]
    # Marts follow the current version only.
    [(allocated_and_wide,)] = warehouse.query(
        "select round(sum(allocated_pagu) + any_value(province_wide_pagu)) from main.mart_budget_vs_poverty"
        " where year = 2023"
    )
    assert allocated_and_wide == revised_total

    revision.unlink()
    restored = warehouse.refresh()

    assert restored.success, restored.report()
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, RAT_2023_TOTAL)]
    assert [row[:2] for row in warehouse.query(DOCUMENTS)] == [(2023, True)]
    assert warehouse.query("select count(*) from provenance.rat_document_changes") == [(0,)]


def test_a_plan_without_a_readable_year_is_quarantined_and_the_rest_publishes(warehouse: Warehouse):
    render_plan(warehouse.landing / "RAT_tanpa_tahun.pdf", year_in_header=False)
    (warehouse.landing / "P0_kabkota_2026.csv").write_text(p0_table_with_2026("Sumba Barat", "25.9"))

    outcome = warehouse.refresh()

    assert outcome.success, outcome.report()
    [line] = [line for line in outcome.quarantined if "RAT_tanpa_tahun.pdf" in line]
    assert "the plan year was read" in line and "row 1 (page" in line
    assert names(warehouse.query(LEDGER))["RAT_tanpa_tahun.pdf"] == "quarantined"
    [(row, page)] = warehouse.query(
        "select source_row, page from provenance.quarantine"
        " where source_file like '%tanpa_tahun%' and check_name like '%year was read%' and page is not null"
    )
    assert row == 1 and page >= 1
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, RAT_2023_TOTAL)]
    assert warehouse.query(P0_OF, 5301, 2026) == [(25.9,)]  # the night's new BPS figure is published


def test_a_damaged_replacement_keeps_the_last_good_budget_lines(warehouse: Warehouse):
    plan = render_plan(warehouse.landing / "RAT_NTT_2024.pdf", year=2024, signed="Kupang, Desember 2023")
    first = warehouse.refresh()
    assert first.success, first.report()
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, RAT_2023_TOTAL), (2024, RAT_2023_TOTAL)]
    good = sha256_of(plan)

    truncated_copy(plan)  # replaced by a damaged copy under the same name
    damaged = warehouse.refresh()

    assert damaged.success, damaged.report()
    [line] = damaged.quarantined
    assert "RAT_NTT_2024.pdf" in line and "damaged or truncated" in line and "stay published" in line
    assert warehouse.query(TOTAL_BY_YEAR) == [(2023, RAT_2023_TOTAL), (2024, RAT_2023_TOTAL)]
    [(status, published_sha256)] = warehouse.query(
        "select status, published_sha256 from provenance.source_files"
        " where source_file like '%RAT_NTT_2024.pdf'"
    )
    assert (status, published_sha256) == ("quarantined", good)
    status = warehouse.cli("status")
    assert status.returncode == 0, status.stderr
    assert "RAT_NTT_2024.pdf" in status.stdout and "stay published" in status.stdout
