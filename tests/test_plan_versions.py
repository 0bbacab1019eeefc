"""RAT plans as documents with identity and versions, through three real nights of one warehouse copy: the
plans' side of the season of nights in tests/season.py, whose refreshes the BPS story
(tests/test_bps_pipeline.py) shares.

Night 1 lands what users drop on a first night: a copy of the loaded 2023 plan, a 2024 plan typeset on
Legal paper, a plan without a readable year, a damaged PDF and a newer BPS table. Night 2 removes the copy,
adds a revision (Perubahan) of 2023 and a 2025 plan, and replaces the 2024 plan with a damaged copy of it;
a refresh of it is killed while writing the plans' rows.
Night 3 removes the revision after the build file was left with a plan's rows loaded twice, replaces the
damaged PDF of night 1 with another damaged copy (judged again, nothing of it published), and lands four
plans whose cells are hostile text (issue 23, items 5 and 6), generated from the gold matrix:
- 2026: one budget line's Pagu reads `<script>alert(6)</script>`, 2027: `2023: 1.000.000`; neither is an
  amount, so each plan fails the plan gate with the cell, its row and page, and nothing of it publishes;
- 2028: two budget lines written in words, `Rp 2,5 Miliar` and `Rp 350 juta`, published whole;
- 2029: targets `=HYPERLINK("http://evil.example","click")` and `+cmd|' /C calc'!A0` (in rows that reach
  mart_rat_targets_vs_outcomes), published: the CSVs of `export --format csv` and `extract-rat --out` hold
  them as text, never as live formulas, and the Excel workbook keeps them as strings.
The refresh keeps each plan's parsing report (raw.rat_documents, dim_document, `status`). Each test reads
the night it is about: totals, dim_document, the ledger, the quarantine and the change view. A refresh
costs half a minute: the hostile cells ride on night 3 rather than a refresh of their own.
"""

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from ingest.rat.extract import extract_rat
from ingest.spreadsheet_safe import FORMULA_STARTS
from tests.conftest import (
    RAT_2023_PDF,
    RAT_2023_TOTAL,
    Night,
)
from tests.plans import budget_cells
from tests.season import (
    COLON,
    COPY,
    DAMAGED,
    NEW_PAGU,
    OLD_PAGU,
    PLAN_2024,
    REVISED_TOTAL,
    REVISION,
    SCRIPT,
    WORDS,
    PlanStory,
    Season,
)


@pytest.fixture(scope="module")
def story(season: Season) -> PlanStory:
    return season.plans


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
        (check, reason) for file, check, _, _, reason in first.rows["quarantine"] if DAMAGED in file
    ]
    assert check == "not_a_pdf" and "damaged or truncated" in reason
    assert any(DAMAGED in text for text in first.outcome.quarantined)


def test_the_nights_leave_the_process_sigterm_as_they_found_it(story: PlanStory):
    """Dagster re-points SIGTERM when a run ends (tests/test_refresh_signals.py); the refresh puts it back."""
    before, after = story.sigterm
    assert after == before


def test_a_changed_but_still_damaged_pdf_is_judged_again_and_publishes_nothing(story: PlanStory):
    first, third = story.nights[0], story.nights[2]
    assert first.rows["damaged_2025_sha256"] != third.rows["damaged_2025_sha256"]
    assert third.rows["damaged_2025_sha256"] == [(story.changed_damage_sha256,)]
    [line] = [line for line in third.outcome.quarantined if DAMAGED in line]
    assert "damaged or truncated" in line
    assert ledger(third)[DAMAGED] == "quarantined"
    assert all(DAMAGED not in str(file_names) for *_, file_names, _ in third.rows["documents"])


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


# Night 3's plans with hostile cells (issue 23, items 5 and 6).


@pytest.mark.parametrize(
    ("name", "cell"), [(SCRIPT, "<script>alert(6)</script>"), (COLON, "2023: 1.000.000")]
)
def test_a_pagu_that_is_not_a_whole_amount_fails_the_gate_with_cell_row_and_page(
    story: PlanStory, name, cell
):
    # The cell as the extractor read it (a narrow column may wrap it), its row and page.
    text, row, page = next(
        (r.pagu, r.row, r.page_first)
        for r in extract_rat(story.warehouse.landing / name).rows
        if r.pagu.replace(" ", "") == cell.replace(" ", "")
    )
    [line] = [line for line in story.nights[2].outcome.quarantined if name in line]
    assert f"every Pagu cell is a whole amount of rupiah: not an amount in row {row} (page {page}): " in line
    assert f"Pagu {text!r}" in line
    [(check, source_row, source_page)] = [
        (check, source_row, source_page)
        for file, check, source_row, source_page, _ in story.nights[2].rows["quarantine"]
        if file.endswith(name)
    ]
    assert (check, source_row, source_page) == ("every Pagu cell is a whole amount of rupiah", row, page)


@pytest.mark.parametrize(("name", "year"), [(SCRIPT, 2026), (COLON, 2027)])
def test_nothing_of_a_plan_that_fails_the_gate_publishes(story: PlanStory, name: str, year: int):
    assert ledger(story.nights[2])[name] == "quarantined"
    assert year not in {row[0] for row in story.nights[2].rows["reports_published"]}
    assert year not in {row[0] for row in story.nights[2].rows["budget_lines"]}
    assert not [file for file, _ in story.nights[2].rows["rows_per_file"] if file.endswith(name)]


def test_plans_after_the_last_number_poor_divide_by_the_latest_one(story: PlanStory):
    """Night 1's 2026 table gives P0 alone; the plans of 2028 and 2029 still get rupiah per poor person,
    from 2025's number poor, and the report (which the run writes after publishing) is written."""
    rows = story.nights[2].rows["per_poor_after_the_last_count"]
    assert rows == [(2028, 22, 22, 2025, 2025), (2029, 22, 22, 2025, 2025)]
    assert story.nights[2].outcome.step_failures == []
    assert (story.warehouse.published.parent / "report" / "index.html").exists()


def test_amounts_in_words_are_published_whole(story: PlanStory):
    cells = budget_cells()
    words = {cells[0]: 2_500_000_000, cells[1]: 350_000_000}
    expected = [words.get(cell, int(cell.replace(",", ""))) for cell in cells]
    published = [pagu for year, pagu in story.nights[2].rows["budget_lines"] if year == 2028]
    assert sorted(published) == sorted(expected)
    assert sum(published) == RAT_2023_TOTAL - sum(int(c.replace(",", "")) for c in words) + 2_850_000_000


def _cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return False
    return True


def _live_formulas(cells: list[str]) -> list[str]:
    """Cells a spreadsheet evaluates: starting with = + - @ (or tab, CR), and not a number."""
    return [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not _is_number(cell)]


def test_csv_exports_hold_no_live_formula(story: PlanStory):
    exported = [cell for path in sorted(story.csv_export.glob("*.csv")) for cell in _cells(path)]
    assert _live_formulas(exported) == []
    # The plan's texts did reach the export, as text.
    assert any(cell.startswith("'=HYPERLINK(") for cell in exported)
    assert any(cell.startswith("'+cmd|") for cell in exported)


def test_extract_rat_csv_holds_no_live_formula_and_numbers_stay_numbers(story: PlanStory):
    cells = _cells(story.extracted)
    assert _live_formulas(cells) == []
    with story.extracted.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # A narrow column may wrap the texts ("evil.exam ple"): they start as they did.
    assert any(row["target_kinerja"].startswith("'=HYPERLINK(") for row in rows)
    assert any(row["target_kinerja"].startswith("'+cmd|") for row in rows)
    assert any(row["lokasi"].startswith("'+cmd|") for row in rows)
    assert all(row["pagu_rupiah"].isdigit() for row in rows if row["pagu_rupiah"])
    assert all(row["budget_line"].isdigit() for row in rows if row["budget_line"])


def test_the_workbook_keeps_them_as_strings(story: PlanStory):
    workbook = openpyxl.load_workbook(story.xlsx_export, read_only=True)
    found = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=HYPERLINK(", "+cmd|"))
    ]
    assert found and all(cell.data_type == "s" for cell in found)


def test_each_plan_keeps_its_parsing_report(story: PlanStory):
    reports = {Path(file).name: rest for file, *rest in story.nights[2].rows["reports"]}
    bundled = reports[RAT_2023_PDF.name]
    # The gold's counts (tests/test_rat_debug_pages.py reads them from the gold itself).
    assert bundled[:6] == [271, 119, 0, 8, 105, False]
    assert bundled[6] == extract_rat(RAT_2023_PDF).report.line()
    assert reports[WORDS][0] == 271
    published = {Path(file).name: report for _, file, report in story.nights[2].rows["reports_published"]}
    assert published[RAT_2023_PDF.name] == bundled[6]
    assert f"    {bundled[6]}" in story.status
    # The load log keeps the report of each plan read this run: the 2025 plan was read on night 2; the
    # bundled one is read again on night 3, whose build held its rows twice.
    [(logged,)] = story.nights[2].rows["load_log_reports"]
    logged = {Path(file).name: line for file, line in json.loads(logged).items()}
    assert logged[WORDS] == reports[WORDS][6] and logged[RAT_2023_PDF.name] == bundled[6]
    assert "RAT_2025_a4.pdf" not in logged
