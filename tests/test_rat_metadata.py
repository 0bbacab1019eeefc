"""What a RAT document says about itself: plan year and where it was read, issuer, revision, date, total."""

import datetime
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4, LEGAL

from ingest.rat.extract import extract_rat
from ingest.rat.metadata import printed_date_of, revision_marker_of, year_from_file_name
from ingest.rat.page_text import PageText, TextLine
from tests.pdf_fixtures import RAT_2023_PDF
from tests.rat_gold import gold_cells
from tests.rat_render import F4, Layout, render_matrix

GOLD_TOTAL = 164_734_762_202


def test_the_real_report_describes_itself():
    document = extract_rat(RAT_2023_PDF)

    assert (document.year, document.year_source) == (2023, "matrix_header")
    assert (document.issuer_bps_code, document.issuer_name, document.issuer_source) == (
        5300,
        "Provinsi Nusa Tenggara Timur",
        "title_page",
    )
    assert document.title == (
        "Rencana Aksi Tahunan (RAT) Penanggulangan Kemiskinan Provinsi Nusa Tenggara Timur 2023"
    )
    assert document.printed_date == datetime.date(2022, 12, 1)  # "Kupang, Desember 2022"
    assert document.printed_total is None  # the report prints no total row
    # Its body cites "... tentang Perubahan atas ..." and the "Perubahan APBD": not a revised plan.
    with pdfplumber.open(RAT_2023_PDF) as pdf:
        body = " ".join(pdf.pages[i].extract_text() for i in range(2, 5))
    assert "Perubahan atas" in body.replace("Perubahan Atas", "Perubahan atas")
    assert "Perubahan APBD" in body
    assert document.revision_marker is None


COVER_PERUBAHAN = Layout(
    "perubahan",
    A4,
    cover_title=(
        "RENCANA AKSI TAHUNAN (RAT)",
        "PENANGGULANGAN KEMISKINAN",
        "PROVINSI NUSA TENGGARA TIMUR",
        "TAHUN 2023",
    ),
    cover_lines=("(PERUBAHAN)", "TIM KOORDINASI PENANGGULANGAN KEMISKINAN", "Kupang, 15 Januari 2023"),
)
KABUPATEN_WITH_TOTAL = Layout(
    "sumba_timur_total",
    F4,
    year=2024,
    cover_title=("RENCANA AKSI TAHUNAN", "PENANGGULANGAN KEMISKINAN", "KABUPATEN SUMBA TIMUR TAHUN 2024"),
    cover_lines=("BAPPEDA KABUPATEN SUMBA TIMUR", "Waingapu, Desember 2023"),
    total_label="Jumlah Total",
)
YEAR_ON_COVER_ONLY = Layout(
    "kota_year_on_cover",
    LEGAL,
    target_header="Target",
    cover_title=("Rencana Aksi Tahunan Penanggulangan Kemiskinan Kota Kupang Tahun 2025",),
)
YEAR_IN_RUNNING_HEADER = Layout(
    "running_header",
    A4,
    target_header="Target Kinerja",
    running_header="RAT Perubahan Kedua 2026 - Kabupaten Kupang",
    total_label="TOTAL PAGU",
)
YEAR_IN_FILE_NAME_ONLY = Layout("file_name_only", A4, target_header="Target")


@pytest.mark.parametrize(
    ("layout", "file_name", "expected"),
    [
        (
            COVER_PERUBAHAN,
            "rat.pdf",
            dict(
                year=2023,
                year_source="matrix_header",
                issuer_bps_code=5300,
                issuer_source="title_page",
                revision_marker="PERUBAHAN",
                printed_date=datetime.date(2023, 1, 15),
                printed_total=None,
                title="RENCANA AKSI TAHUNAN (RAT) PENANGGULANGAN KEMISKINAN PROVINSI NUSA TENGGARA TIMUR "
                "TAHUN 2023",
            ),
        ),
        (
            KABUPATEN_WITH_TOTAL,
            "plan.pdf",
            dict(
                year=2024,
                year_source="matrix_header",
                issuer_bps_code=5302,
                issuer_name="Kabupaten Sumba Timur",
                revision_marker=None,
                printed_date=datetime.date(2023, 12, 1),
                printed_total=GOLD_TOTAL,
            ),
        ),
        (
            YEAR_ON_COVER_ONLY,
            "RAT_2019.pdf",  # the cover wins over the file name
            dict(year=2025, year_source="title_page", issuer_bps_code=5371, issuer_name="Kota Kupang"),
        ),
        (
            YEAR_IN_RUNNING_HEADER,
            "rat.pdf",
            dict(
                year=2026,
                year_source="running_header",
                issuer_bps_code=5303,
                issuer_source="running_header",
                revision_marker="Perubahan Kedua",
                printed_total=GOLD_TOTAL,
                title=None,
            ),
        ),
        (
            YEAR_IN_FILE_NAME_ONLY,
            "RAT_Kemiskinan_2027_final.pdf",
            dict(year=2027, year_source="file_name", issuer_bps_code=None, issuer_source=None, title=None),
        ),
        (
            YEAR_IN_FILE_NAME_ONLY,
            "rencana_aksi.pdf",
            dict(year=None, year_source=None),
        ),
    ],
    ids=lambda v: v.name if isinstance(v, Layout) else None,
)
def test_rendered_plans_describe_themselves(layout: Layout, file_name: str, expected: dict, tmp_path: Path):
    document = extract_rat(render_matrix(gold_cells(), tmp_path / file_name, layout))

    assert {key: getattr(document, key) for key in expected} == expected
    assert {row.year for row in document.rows} == {expected["year"]}
    # A total row is the matrix's own sum, not a data row: 34 rows, 25 budget lines as in the gold.
    assert len(document.rows) == 34
    assert document.budget_total == GOLD_TOTAL


@pytest.mark.parametrize(
    "text",
    [
        "Peraturan Presiden Nomor 96 Tahun 2015 tentang Perubahan atas Peraturan Presdiden Nomor 15",
        "Peraturan Daerah Provinsi Nusa Tenggara Timur Nomor 1 tahun 2021 tentang Perubahan Atas Peraturan",
        "8. Peraturan Daerah Perubahan APBD Tahun 2022 Nomor 8 Tahun 2022 tanggal 15 November 2022",
        "Perubahan Anggaran Tahun 2023",
        "Rencana Aksi Tahunan Penanggulangan Kemiskinan Tahun 2023",
    ],
)
def test_citing_a_revised_law_is_not_a_revision(text: str):
    assert revision_marker_of([text]) is None


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("RAT Perubahan 2023", "Perubahan"),
        ("RENCANA AKSI TAHUNAN (PERUBAHAN KEDUA)", "PERUBAHAN KEDUA"),
        ("Rencana Aksi Tahunan Revisi ke-2 Tahun 2024", "Revisi ke-2"),
        ("Dokumen Revisi", "Revisi"),
    ],
)
def test_a_declared_revision_is_read(text: str, marker: str):
    assert revision_marker_of([text]) == marker


def _page(*texts: str, number: int = 1, has_table: bool = False) -> PageText:
    lines = [TextLine(text, 100 + 20 * i, 112 + 20 * i, 11.0) for i, text in enumerate(texts)]
    return PageText(number, 842.0, lines, has_table)


@pytest.mark.parametrize(
    ("texts", "date"),
    [
        (["Kupang, Desember 2022"], datetime.date(2022, 12, 1)),
        (["Kupang, 15 Januari 2023"], datetime.date(2023, 1, 15)),
        (["Ditetapkan di Waingapu pada tanggal 2 Pebruari 2024"], datetime.date(2024, 2, 2)),
        (["Kota Kupang, 31 Agustus 2023"], datetime.date(2023, 8, 31)),
        # A chart label or a sentence is not the document's date.
        (["Persentase penduduk miskin Maret 2022", "pada Maret 2022 sebesar 20,05%"], None),
        (["Kupang, 31 Februari 2023"], None),
    ],
)
def test_printed_date(texts: list[str], date: datetime.date | None):
    body = "kata " * 200  # a page of text, not a cover
    assert printed_date_of([_page(body, *texts)]) == date


def test_bare_month_and_year_counts_on_a_cover_only():
    cover = _page("RENCANA AKSI TAHUNAN 2023", "Desember 2022")
    assert printed_date_of([cover]) == datetime.date(2022, 12, 1)
    assert printed_date_of([_page("kata " * 200, "Desember 2022")]) is None


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf", 2023),
        ("rat-2024-perubahan.pdf", 2024),
        ("RAT2025.pdf", 2025),
        ("scan_0001.pdf", None),
        ("rat_20231.pdf", None),
    ],
)
def test_year_from_file_name(name: str, year: int | None):
    assert year_from_file_name(Path(name)) == year
