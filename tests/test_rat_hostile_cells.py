"""Text in a plan's cells is data: through one real refresh of a warehouse copy (issue 23, items 5 and 6).

Four plans generated from the gold matrix are landed together:
- 2026: one budget line's Pagu reads `<script>alert(6)</script>`, 2027: `2023: 1.000.000`; neither is an
  amount, so each plan fails the plan gate with the cell, its row and page, and nothing of it publishes;
- 2028: two budget lines written in words, `Rp 2,5 Miliar` and `Rp 350 juta`, published whole;
- 2029: targets `=HYPERLINK("http://evil.example","click")` and `+cmd|' /C calc'!A0` (in rows that reach
  mart_rat_targets_vs_outcomes), published: the CSVs of `export --format csv` and `extract-rat --out` hold
  them as text, never as live formulas, and the Excel workbook keeps them as strings.
The refresh also keeps each plan's parsing report (raw.rat_documents, dim_document, `status`).
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from ingest.rat.extract import extract_rat
from ingest.spreadsheet_safe import FORMULA_STARTS
from tests.conftest import RAT_2023_PDF, RAT_2023_TOTAL, Night, Warehouse, private_copy, run_cli
from tests.plans import budget_cells, render_plan

SCRIPT, COLON, WORDS, FORMULAS = (
    "RAT_2026_script.pdf",
    "RAT_2027_tahun_di_pagu.pdf",
    "RAT_2028_dalam_kata.pdf",
    "RAT_2029_rumus.pdf",
)
HYPERLINK = '=HYPERLINK("http://evil.example","click")'
COMMAND = "+cmd|' /C calc'!A0"
QUERIES = {
    "documents": "select year, source_file, parsing_report from main.dim_document order by year",
    "budget_lines": "select year, pagu from main.fct_program_budget where year >= 2026 order by year, pagu",
    "ledger": "select source_file, status from provenance.source_files where source = 'rat_plans'",
    "quarantine": """
        select source_file, check_name, source_row, page, reason from provenance.quarantine
        where source = 'rat_plans' order by 1""",
}
BUILD = {
    "rows_per_file": "select _source_file, count(*) from raw.rat_matrix_rows group by 1",
    "reports": """
        select _source_file, cells_read, cells_from_merges, cells_uncertain, rows_joined_across_pages,
            wrap_repairs, ocr, parsing_report
        from raw.rat_documents""",
    "load_log_reports": """
        select parsing_reports from provenance.load_log where asset = 'raw/rat_matrix_rows'
        order by logged_at desc limit 1""",
}


@dataclass
class Story:
    warehouse: Warehouse
    night: Night
    csv_export: Path
    xlsx_export: Path
    extracted: Path
    status: str


@pytest.fixture(scope="module")
def story(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Story:
    warehouse = private_copy(built_warehouse, tmp_path_factory)
    landing = warehouse.landing
    cells = budget_cells()
    render_plan(landing / SCRIPT, year=2026, pagu={cells[2]: "<script>alert(6)</script>"})
    render_plan(landing / COLON, year=2027, pagu={cells[5]: "2023: 1.000.000"})
    render_plan(landing / WORDS, year=2028, pagu={cells[0]: "Rp 2,5 Miliar", cells[1]: "Rp 350 juta"})
    # Rows 13 and 21 name regencies, so their targets reach mart_rat_targets_vs_outcomes.
    targets = {"Terselenggaranya penyaluran rumah khusus beserta PSU": HYPERLINK, "2 Kab": COMMAND}
    render_plan(landing / FORMULAS, year=2029, texts={**targets, "100%": HYPERLINK, "22 kab/kota": COMMAND})
    night = Night.after_refresh(warehouse, QUERIES, build=BUILD)

    out = tmp_path_factory.mktemp("exports")
    for file_format in ("csv", "xlsx"):
        done = warehouse.cli("export", "--format", file_format, "--out", str(out / file_format))
        assert done.returncode == 0, done.stderr
    extracted = out / "extracted.csv"
    done = run_cli("extract-rat", str(landing / FORMULAS), "--out", str(extracted))
    assert done.returncode == 0, done.stderr
    status = warehouse.cli("status")
    assert status.returncode == 0, status.stderr
    return Story(warehouse, night, out / "csv", next((out / "xlsx").glob("*.xlsx")), extracted, status.stdout)


def test_the_refresh_publishes(story: Story):
    assert story.night.outcome.success, story.night.outcome.report()


@pytest.mark.parametrize(
    ("name", "cell"), [(SCRIPT, "<script>alert(6)</script>"), (COLON, "2023: 1.000.000")]
)
def test_a_pagu_that_is_not_a_whole_amount_fails_the_gate_with_cell_row_and_page(story: Story, name, cell):
    # The cell as the extractor read it (a narrow column may wrap it), its row and page.
    text, row, page = next(
        (r.pagu, r.row, r.page_first)
        for r in extract_rat(story.warehouse.landing / name).rows
        if r.pagu.replace(" ", "") == cell.replace(" ", "")
    )
    [line] = [line for line in story.night.outcome.quarantined if name in line]
    assert f"every Pagu cell is a whole amount of rupiah: not an amount in row {row} (page {page}): " in line
    assert f"Pagu {text!r}" in line
    [(check, source_row, source_page)] = [
        (check, source_row, source_page)
        for file, check, source_row, source_page, _ in story.night.rows["quarantine"]
        if file.endswith(name)
    ]
    assert (check, source_row, source_page) == ("every Pagu cell is a whole amount of rupiah", row, page)


@pytest.mark.parametrize(("name", "year"), [(SCRIPT, 2026), (COLON, 2027)])
def test_nothing_of_a_plan_that_fails_the_gate_publishes(story: Story, name: str, year: int):
    ledger = {Path(file).name: status for file, status in story.night.rows["ledger"]}
    assert ledger[name] == "quarantined"
    assert year not in {row[0] for row in story.night.rows["documents"]}
    assert year not in {row[0] for row in story.night.rows["budget_lines"]}
    assert not [file for file, _ in story.night.rows["rows_per_file"] if file.endswith(name)]


def test_amounts_in_words_are_published_whole(story: Story):
    cells = budget_cells()
    words = {cells[0]: 2_500_000_000, cells[1]: 350_000_000}
    expected = [words.get(cell, int(cell.replace(",", ""))) for cell in cells]
    published = [pagu for year, pagu in story.night.rows["budget_lines"] if year == 2028]
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


def test_csv_exports_hold_no_live_formula(story: Story):
    exported = [cell for path in sorted(story.csv_export.glob("*.csv")) for cell in _cells(path)]
    assert _live_formulas(exported) == []
    # The plan's texts did reach the export, as text.
    assert any(cell.startswith("'=HYPERLINK(") for cell in exported)
    assert any(cell.startswith("'+cmd|") for cell in exported)


def test_extract_rat_csv_holds_no_live_formula_and_numbers_stay_numbers(story: Story):
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


def test_the_workbook_keeps_them_as_strings(story: Story):
    workbook = openpyxl.load_workbook(story.xlsx_export, read_only=True)
    found = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=HYPERLINK(", "+cmd|"))
    ]
    assert found and all(cell.data_type == "s" for cell in found)


def test_each_plan_keeps_its_parsing_report(story: Story):
    reports = {Path(file).name: rest for file, *rest in story.night.rows["reports"]}
    bundled = reports[RAT_2023_PDF.name]
    # The gold's counts (tests/test_rat_debug_pages.py reads them from the gold itself).
    assert bundled[:6] == [271, 119, 0, 8, 105, False]
    assert bundled[6] == extract_rat(RAT_2023_PDF).report.line()
    assert reports[WORDS][0] == 271
    published = {Path(file).name: report for _, file, report in story.night.rows["documents"]}
    assert published[RAT_2023_PDF.name] == bundled[6]
    assert f"    {bundled[6]}" in story.status
    # The load log keeps the report of each plan read this run (the bundled one was read on an earlier night).
    [(logged,)] = story.night.rows["load_log_reports"]
    logged = {Path(file).name: line for file, line in json.loads(logged).items()}
    assert logged[WORDS] == reports[WORDS][6] and RAT_2023_PDF.name not in logged
