"""`extract-rat --debug-pages`, the parsing report and the settings object, on the real RAT 2023 PDF, a
copy of it without its matrix, and a skewed, shifted scan of it.

The report's counts are checked against the gold, not against the extractor: cells read are the gold's
cells with text, values from merged cells its covered cells, wrap repairs the line breaks inside the
gold's cell texts (each cell's printed lines laid over its gold text).
"""

import dataclasses
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from PIL import Image

from ingest.rat.debug_pages import debug_page_name, ocr_page_image, write_debug_pages
from ingest.rat.extract import Extraction, read_rat
from ingest.rat.header import COLUMNS, STANDARD_COLUMNS
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings
from tests.conftest import run_cli
from tests.pdf_fixtures import RAT_2023_PDF, page_subset
from tests.rat_gold import gold_cells, gold_rows
from tests.scans import cached_extraction, skewed_noisy_scan

MATRIX_PAGES = range(13, 22)  # the README of shared/data/rat: the matrix (Tabel 3.1) is on pages 13-21
RESOLUTION = 100


def _greenish(path: Path) -> int:
    """Pixels of the row boxes' green."""
    pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((g > 110) & (r < 90) & (b < 90)).sum())


def _pages_with_tables(pdf: Path) -> set[int]:
    with pdfplumber.open(pdf) as document:
        return {page.page_number for page in document.pages if page.find_tables()}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("debug-pages")
    out = folder / "rows.csv"
    completed = run_cli(
        "extract-rat", str(RAT_2023_PDF), "--debug-pages", str(folder / "pages"), "--out", str(out)
    )
    return completed, folder / "pages", out


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    """`read_rat` of the RAT 2023 report with the default settings, read once for the file's tests."""
    return read_rat(RAT_2023_PDF)


def test_every_matrix_page_is_drawn_at_its_size(drawn):
    completed, pages, out = drawn
    assert completed.returncode == 0, completed.stderr
    assert out.exists()
    names = sorted(path.name for path in pages.iterdir())
    # Each matrix page, and each page with another table (the membership tables 2.1 and 2.2).
    assert names == [debug_page_name(n) for n in sorted(_pages_with_tables(RAT_2023_PDF))]
    assert {debug_page_name(n) for n in MATRIX_PAGES} <= set(names)
    with pdfplumber.open(RAT_2023_PDF) as pdf:
        for name in names:
            number = int(name[5:8])
            page = pdf.pages[number - 1]
            image = Image.open(pages / name)
            assert image.format == "PNG" and (pages / name).stat().st_size > 5000
            expected = (page.width * RESOLUTION / 72, page.height * RESOLUTION / 72)
            assert image.size == pytest.approx(expected, abs=1), name
            # Rows are drawn on the matrix's pages only.
            assert (_greenish(pages / name) > 2000) == (number in MATRIX_PAGES), name
    assert f"{len(names)} pages drawn as the extractor saw them" in completed.stderr


def test_the_parsing_report_counts_what_the_gold_says(drawn, extraction: Extraction):
    completed, _, _ = drawn
    report = extraction.document.report
    assert f"parsing report: {report.line()}" in completed.stderr

    cells = gold_cells()
    assert report.pages == 22
    assert report.matrix_pages == len(MATRIX_PAGES)
    assert report.rows == len(gold_rows()) == 34
    assert report.cells_read == sum(1 for row in cells for cell in row if cell) == 271
    assert report.cells_from_merges == sum(1 for row in cells for cell in row if cell is None) == 119
    assert report.cells_uncertain == 0
    # The rows that break across a page (tests/test_rat_extract_gold.py lists all eight).
    assert report.rows_joined_across_pages == 8
    assert report.cells_joined_across_pages == 8 * len(STANDARD_COLUMNS)

    repairs = 0
    for row, gold in zip(extraction.matrix.rows, cells, strict=True):
        for column, text in zip(STANDARD_COLUMNS, gold, strict=True):
            if not text:
                continue
            lines = [line.text for line in row.cells[COLUMNS.index(column)].all_lines() if line.words]
            at = 0
            for index, line in enumerate(lines):
                assert text.startswith(line, at), (column, text, line)
                at += len(line)
                if index + 1 < len(lines):
                    if text[at] == " ":
                        at += 1
                    else:
                        repairs += 1  # the gold joins these two printed lines inside a word
            assert at == len(text)
    assert report.wrap_repairs == repairs == 105
    assert (report.ocr, report.ocr_cells, report.ocr_lowest_confidence) == (False, 0, None)


def test_a_layout_without_a_matrix_still_shows_what_the_extractor_saw(tmp_path: Path):
    pdf = page_subset(tmp_path / "no_matrix.pdf", range(0, 12))
    completed = run_cli("extract-rat", str(pdf), "--debug-pages", str(tmp_path / "pages"))
    assert completed.returncode == 2
    [error] = [line for line in completed.stderr.splitlines() if line.startswith("error:")]
    assert "no RAT matrix found" in error and "Traceback" not in completed.stderr
    drawn = sorted(path.name for path in (tmp_path / "pages").iterdir())
    assert drawn == [debug_page_name(n) for n in sorted(_pages_with_tables(pdf))] and drawn
    assert all(_greenish(tmp_path / "pages" / name) == 0 for name in drawn)  # no row was found


def test_settings_reach_the_extractor_from_the_command_line(tmp_path: Path):
    # No page of the matrix has 100 rows: asked for tables that long, the extractor finds no matrix.
    narrow = run_cli(
        "extract-rat", str(RAT_2023_PDF), "--set", "min_table_rows=100", "--out", str(tmp_path / "a")
    )
    assert narrow.returncode == 2 and "no RAT matrix found" in narrow.stderr
    unknown = run_cli("extract-rat", str(RAT_2023_PDF), "--set", "no_such=1", "--out", str(tmp_path / "b"))
    assert unknown.returncode == 2 and "unknown setting 'no_such'" in unknown.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_the_settings_are_one_frozen_object_with_a_default(extraction: Extraction):
    assert isinstance(DEFAULT_RAT_SETTINGS, RatSettings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_RAT_SETTINGS.column_tolerance = 4.0  # type: ignore[misc]
    changed = DEFAULT_RAT_SETTINGS.replaced(["column_tolerance=4", "max_header_rows=3"])
    assert (changed.column_tolerance, changed.max_header_rows) == (4.0, 3)
    with pytest.raises(ValueError, match="max_header_rows"):
        DEFAULT_RAT_SETTINGS.replaced(["max_header_rows=2.5"])
    # The extraction with the defaults passed explicitly is the extraction.
    assert read_rat(RAT_2023_PDF, settings=RatSettings()).document.rows == extraction.document.rows


def test_a_scanned_page_is_drawn_over_the_image_ocr_read(tmp_path: Path):
    """A scan turned 1-2 degrees and shifted on the glass: the drawing is on the image OCR read, whose
    table rules lie under the column edges the extractor found."""
    scan = skewed_noisy_scan()
    extraction = cached_extraction(scan)  # read_rat(scan), kept for the next run (tests/scans.py)
    assert extraction.document is not None and extraction.document.report.ocr
    assert extraction.document.report.ocr_cells == extraction.document.report.cells_read
    assert extraction.document.report.ocr_lowest_confidence is not None
    drawn = write_debug_pages(extraction, tmp_path)
    assert [path.name for path in drawn] == [debug_page_name(n) for n in extraction.matrix.pages]
    shifted = [page for page in extraction.scan.pages if page.shifted and page.skew_degrees]
    assert shifted  # the story is about moved and turned pages
    for grid, _ in extraction.matrix.grids:
        ocr_page = extraction.scan.pages[grid.page - 1]
        read = np.asarray(ocr_page_image(extraction, grid.page).convert("L"))
        with pdfplumber.open(scan) as pdf:
            page = pdf.pages[grid.page - 1]
            scale = read.shape[1] / float(page.width)
            assert read.shape[1] == pytest.approx(float(page.width) * ocr_page.dpi / 72, abs=1)
        assert Image.open(tmp_path / debug_page_name(grid.page)).size == (read.shape[1], read.shape[0])
        middle = round((grid.bbox[1] + grid.bbox[3]) / 2 * scale)
        for left, _ in grid.column_bounds:
            x = round(left * scale)
            band = read[middle - 20 : middle + 20, max(x - 3, 0) : x + 4]
            # A rule: some pixel column near the edge is dark over most of the band.
            assert (band < 128).mean(axis=0).max() > 0.6, (grid.page, left)
