"""Scanned RAT plans read by OCR, on scans of the bundled report (tests/scans.py, made once and cached).

Against the gold: at 300 dpi at least 97 % of cells and every pagu right; at 200 dpi at least 90 % of
cells and every wrong pagu named in the quarantine; a copy whose pages are turned 1-2 degrees and moved a
few millimetres, with noise, never publishes a wrong pagu; a scan too poor to read is refused in one line.
"""

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from ingest.rat.errors import OcrConfidenceTooLowError, OcrUncertainError
from ingest.rat.extract import write_rows_csv
from ingest.rat.layout import page_grids
from ingest.rat.ocr.checks import is_amount
from ingest.rat.ocr.deskew import skew_angle
from ingest.rat.ocr.page import explicit_table_settings
from ingest.rat.ocr.raster import scan_resolution
from ingest.rat.ocr.rules import ink, ruling
from ingest.rat.ocr.tesseract import words_of_hocr
from store.paths import display_path
from tests.conftest import run_cli
from tests.pdf_fixtures import RAT_2023_PDF
from tests.scans import (
    bad_scan,
    cached_ocr_outcome,
    cell_score,
    clean_scan,
    copy_to,
    pagu_score,
    skewed_noisy_scan,
)

BUDGET_LINES = 25


@pytest.fixture(scope="module")
def at_300():
    return cached_ocr_outcome(clean_scan(300))


@pytest.fixture(scope="module")
def at_200():
    return cached_ocr_outcome(clean_scan(200))


@pytest.fixture(scope="module")
def skewed():
    return cached_ocr_outcome(skewed_noisy_scan())


def _report(name: str, outcome) -> str:
    right, total = cell_score(outcome.rows)
    return f"{name}: cells {right}/{total}, {pagu_score(outcome)}, {outcome.seconds:.1f} s; {outcome.error}"


def test_300_dpi_reads_97_percent_of_cells_and_every_pagu(at_300):
    right, total = cell_score(at_300.rows)
    print(_report("300 dpi", at_300))
    assert right / total >= 0.97, _report("300 dpi", at_300)
    assert pagu_score(at_300).right == BUDGET_LINES, _report("300 dpi", at_300)
    assert at_300.error is None
    assert at_300.document.budget_total == 164_734_762_202


def test_every_value_read_by_ocr_is_marked(at_300):
    document = at_300.document
    assert document.ocr is True
    assert 0 < document.ocr_confidence <= 100
    assert {row.ocr for row in document.rows} == {True}
    confidences = [row.ocr_confidence for row in document.rows]
    assert all(0 <= c <= 100 for c in confidences)
    # a row's confidence is its weakest word, so it is never above every word's mean by much
    assert min(confidences) < document.ocr_confidence
    assert document.matrix_pages == list(range(1, 10))  # pages of the scan, which holds pages 13-21
    assert document.year == 2023


def test_200_dpi_reads_90_percent_and_names_every_wrong_pagu(at_200):
    right, total = cell_score(at_200.rows)
    print(_report("200 dpi", at_200))
    assert right / total >= 0.90, _report("200 dpi", at_200)
    assert pagu_score(at_200).wrong == 0, _report("200 dpi", at_200)


def test_the_quarantine_lists_each_cell_to_check_in_one_line(at_200):
    error = at_200.error
    if error is None:
        pytest.skip("every pagu of this scan was read with confidence")
    assert isinstance(error, OcrUncertainError)
    assert error.kind == "ocr_uncertain"
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{display_path(error.path)}: OCR uncertain: {len(error.cells)} budget amount")
    for cell in error.cells:
        assert f"page {cell.page} row {cell.row} pagu read {cell.text!r}" in message
    assert error.document is not None and len(error.document.rows) == 34


def test_skewed_noisy_copy_publishes_no_wrong_pagu(skewed):
    right, total = cell_score(skewed.rows)
    print(_report("300 dpi, 1-2 degrees, shifted, noise", skewed))
    assert pagu_score(skewed).wrong == 0, _report("skewed", skewed)
    assert right / total >= 0.90, _report("skewed", skewed)


def test_a_scan_too_poor_to_read_is_refused_in_one_line(tmp_path: Path):
    scan = copy_to(bad_scan(), tmp_path / "blurred_75dpi.pdf")
    out = tmp_path / "rows.csv"
    completed = run_cli("extract-rat", str(scan), "--out", str(out))
    assert completed.returncode == 2, completed.stderr
    lines = [line for line in completed.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, completed.stderr
    assert "blurred_75dpi.pdf" in lines[0]
    assert "OCR confidence too low" in lines[0]
    assert "Traceback" not in completed.stderr
    assert not out.exists()


def test_text_pdfs_never_load_the_ocr_code():
    script = (
        "import sys; from ingest.rat.extract import extract_rat; "
        f"document = extract_rat({str(RAT_2023_PDF)!r}); "
        "print(len(document.rows), document.ocr, [m for m in sys.modules if m.startswith('ingest.rat.ocr')])"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert completed.stdout.split() == ["34", "False", "[]"]


def _page_image(page_index: int, dpi: int) -> np.ndarray:
    document = pypdfium2.PdfDocument(RAT_2023_PDF)
    return np.asarray(document[page_index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))


def _as_lines(segments, points_per_pixel: float) -> list[dict]:
    lines = []
    for s in segments:
        x0, x1, top, bottom = (v * points_per_pixel for v in (s.x0, s.x1, s.top, s.bottom))
        lines.append(
            {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top}
            | {"width": x1 - x0, "height": bottom - top}
        )
    return lines


@pytest.mark.parametrize("dpi", [200, 300])
def test_rules_found_in_the_image_give_the_tables_of_the_text_layer(dpi: int):
    """The matrix's first page: same rows, columns and merged cells from the image as from the PDF."""
    with pdfplumber.open(RAT_2023_PDF) as pdf:
        page = pdf.pages[12]
        rules = ruling(ink(_page_image(12, dpi)), dpi)
        settings = explicit_table_settings(
            _as_lines(rules.horizontal, 72 / dpi), _as_lines(rules.vertical, 72 / dpi)
        )
        from_image = page_grids(page, 13, words=[], table_settings=settings)
        from_pdf = page_grids(page, 13)
    assert len(from_image) == len(from_pdf) == 1
    image, vector = from_image[0], from_pdf[0]
    assert np.allclose(image.column_bounds, vector.column_bounds, atol=1.0)
    assert np.allclose(image.row_bounds, vector.row_bounds, atol=1.0)
    merged = [[cell is None for cell in row] for row in vector.own]
    assert [[cell is None for cell in row] for row in image.own] == merged
    assert sum(map(sum, merged)) > 20  # the page has vertically merged cells, and they survived


@pytest.mark.parametrize("degrees", [-1.8, 0.7, 1.3])
def test_skew_is_measured_to_a_tenth_of_a_degree(degrees: float):
    page = Image.fromarray(_page_image(12, 150))
    turned = page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert skew_angle(ink(np.asarray(turned))) == pytest.approx(degrees, abs=0.1)


def test_amounts_must_be_well_formed():
    for good in ["113,455,810,589", "27,000,000", "Rp 1.900.029.860,00", "350000000", "999,999,200"]:
        assert is_amount(good), good
    for bad in ["26,447 843,7 60", "1,312,504090", "5,916,238,74 0", "4000,000,000", "1,9OO,029", "12%", ""]:
        assert not is_amount(bad), bad


def test_hocr_words_share_their_line_and_split_numbers_are_joined():
    hocr = (
        "<div class='ocr_page' id='page_1' title='image \"a.png\"; bbox 0 0 300 100'>"
        "<span class='ocr_line' id='line_1_1' title=\"bbox 10 10 290 40; baseline 0.01 -6; x_size 30; "
        'x_descenders 6; x_ascenders 7">'
        "<span class='ocrx_word' id='word_1_1' title='bbox 10 12 120 40; x_wconf 91'>1,900,029</span> "
        "<span class='ocrx_word' id='word_1_2' title='bbox 126 30 170 38; x_wconf 88'>,86</span> "
        "<span class='ocrx_word' id='word_1_3' title='bbox 200 16 290 34; x_wconf 96'>APBD&amp;</span>"
        "</span></div>"
        "<div class='ocr_page' id='page_2' title='image \"b.png\"; bbox 0 0 300 100'>"
        "<span class='ocr_line' id='line_2_1' title=\"bbox 5 5 50 30; baseline 0 0; x_size 20; "
        'x_descenders 4; x_ascenders 5">'
        "<span class='ocrx_word' id='word_2_1' title='bbox 5 5 50 30; x_wconf 70'>0</span>"
        "</span></div>"
    )
    words = words_of_hocr(hocr)
    assert [(page, w.text, w.confidence) for page, w in words] == [
        (1, "1,900,029,86", 88.0),
        (1, "APBD&", 96.0),
        (2, "0", 70.0),
    ]
    first, second = words[0][1], words[1][1]
    assert (first.x0, first.x1) == (10, 170)
    assert first.baseline == second.baseline == 34  # one baseline per line, as a PDF's text layer has
    assert (first.font_size, first.descent) == (30, 6)


@pytest.mark.parametrize("dpi", [200, 300])
def test_scans_are_read_at_their_own_resolution_even_turned_a_quarter(dpi: int, tmp_path: Path):
    reader = PdfReader(clean_scan(dpi))
    writer = PdfWriter()
    writer.add_page(reader.pages[0])
    writer.add_page(reader.pages[1]).rotate(90)  # a page the PDF turns: its image's long side is upright
    writer.write(tmp_path / "turned.pdf")
    with pdfplumber.open(tmp_path / "turned.pdf") as pdf:
        assert [scan_resolution(page) for page in pdf.pages] == pytest.approx([dpi, dpi], abs=1)


def test_the_csv_carries_the_ocr_marks(at_300, tmp_path: Path):
    write_rows_csv(at_300.document, tmp_path / "rows.csv")
    with (tmp_path / "rows.csv").open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert len(records) == 34
    assert {r["ocr"] for r in records} == {"True"}
    assert all(0 <= float(r["ocr_confidence"]) <= 100 for r in records)


def test_print_too_small_for_ocr_is_refused():
    outcome = cached_ocr_outcome(clean_scan(100, pages=range(13, 14)))
    assert isinstance(outcome.error, OcrConfidenceTooLowError)
    assert "OCR confidence too low: the print is 10 pixels high on the scan" in str(outcome.error)
