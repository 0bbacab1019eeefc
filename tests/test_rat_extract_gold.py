"""The real RAT NTT 2023 PDF against its ground truth: every cell of every row, every rupiah."""

import pytest

from ingest.rat.extract import extract_rat
from tests.pdf_fixtures import RAT_2023_PDF
from tests.rat_gold import differences, gold_locations, gold_rows


@pytest.fixture(scope="module")
def document():
    return extract_rat(RAT_2023_PDF)


def test_every_cell_matches_the_gold(document):
    assert differences(document.rows) == []


def test_no_reading_is_uncertain_in_the_real_report(document):
    assert [row.uncertain_columns for row in document.rows if row.uncertain_columns] == []


def test_budget_lines_are_counted_once(document):
    lines = {row.budget_line: row.pagu_rupiah for row in document.rows if row.budget_line is not None}
    assert len(lines) == 25
    assert sum(lines.values()) == 164_734_762_202
    assert document.budget_total == 164_734_762_202
    # Summing rows instead of budget lines would count shared Pagu cells several times.
    assert sum(row.pagu_rupiah or 0 for row in document.rows) > 164_734_762_202


def test_year_pages_and_provenance(document):
    assert document.year == 2023
    assert document.matrix_pages == list(range(13, 22))
    assert {row.year for row in document.rows} == {2023}
    assert document.rows[0].page_first == 13
    assert [(r.page_first, r.page_last) for r in document.rows if r.page_first != r.page_last] == [
        (13, 14),
        (14, 15),
        (15, 16),
        (16, 17),
        (17, 18),
        (18, 19),
        (19, 20),
        (20, 21),
    ]
    assert len(document.sha256) == 64
    assert {row.source_sha256 for row in document.rows} == {document.sha256}
    assert {row.source_file for row in document.rows} == {
        "data/rat/RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf"
    }


def test_every_location_resolves_as_the_gold_says(document):
    got = [(str(r.row), r.lokasi, r.lokasi_scope, r.lokasi_bps_codes) for r in document.rows]
    expected = [(g["row"], g["lokasi"], g["scope"], g["bps_codes"]) for g in gold_locations()]
    assert got == expected


def test_numbers_are_parsed_both_ways(document):
    by_row = {row.row: row for row in document.rows}
    assert by_row[1].pagu_rupiah == 113_455_810_589
    assert (by_row[7].target_value, by_row[7].target_unit, by_row[7].target_kinerja) == (14.2, "%", "14,2%")
    assert (by_row[20].target_value, by_row[20].target_unit) == (2800.0, "KUBE")
    assert (by_row[33].target_value, by_row[33].target_unit, by_row[33].target_kinerja) == (
        20.33,
        "%",
        "20,33% (21 kW)",
    )
    assert by_row[13].target_value is None  # a text target stays text
    assert by_row[13].target_kinerja == "Terselenggaranya penyaluran rumah khusus beserta PSU"


def test_funding_sources_are_normalized_and_raw_text_kept(document):
    by_row = {row.row: row for row in document.rows}
    assert (by_row[14].funding_source_codes, by_row[14].sumber_pendanaan) == (
        "PAD",
        "Pendapatan Asli Daerah (PAD)",
    )
    assert by_row[1].funding_source_codes == "APBD"
    assert by_row[27].funding_source_codes == "DAU"
    assert by_row[21].funding_source_codes == ""  # really empty in the report


def test_gold_has_34_rows():
    assert len(gold_rows()) == 34
