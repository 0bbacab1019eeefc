"""Bad documents end with exit status 2 and one line naming the file and the cause, and write nothing."""

from pathlib import Path

import pytest
from pypdf import PdfWriter

from ingest.rat.errors import ScannedPdfError
from ingest.rat.extract import extract_rat
from tests.conftest import run_cli
from tests.pdf_fixtures import RAT_2023_PDF, encrypted_copy, page_subset, truncated_copy
from tests.rat_gold import gold_csv_header
from tests.scans import bad_scan, copy_to


def _not_a_pdf(path: Path) -> Path:
    path.write_text("Provinsi/Kabupaten/Kota,P0\nSumba Barat,26.52\n")
    return path


CASES = {
    "not_a_pdf": (_not_a_pdf, "not a PDF file"),
    "truncated": (truncated_copy, "damaged or truncated"),
    "encrypted": (encrypted_copy, "encrypted with a password"),
    # Scans are read by OCR (tests/test_rat_ocr.py); one too poor to read is refused.
    "scanned": (lambda p: copy_to(bad_scan(), p), "OCR confidence too low"),
    "no_matrix": (lambda p: page_subset(p, range(0, 12)), "no RAT matrix found: no table has the core"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_document_is_refused_in_one_line(case: str, tmp_path: Path):
    make, cause = CASES[case]
    pdf = make(tmp_path / f"{case}.pdf")
    out = tmp_path / "rows.csv"

    completed = run_cli("extract-rat", str(pdf), "--out", str(out))

    assert completed.returncode == 2
    lines = [line for line in completed.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, completed.stderr
    assert str(pdf) in lines[0] or pdf.name in lines[0]
    assert cause in lines[0]
    assert "Traceback" not in completed.stderr
    assert not out.exists()


def test_pdf_with_neither_text_nor_images_says_so(tmp_path: Path):
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    writer.write(tmp_path / "blank.pdf")
    with pytest.raises(ScannedPdfError, match="no text layer"):
        extract_rat(tmp_path / "blank.pdf")


def test_good_document_writes_every_row(tmp_path: Path):
    out = tmp_path / "rows.csv"
    completed = run_cli("extract-rat", str(RAT_2023_PDF), "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    assert "page 22/22" in completed.stderr
    assert "34 rows, 25 budget lines, total pagu Rp 164,734,762,202" in completed.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[: len(gold_csv_header())] == gold_csv_header()
    assert {"year", "page_first", "page_last", "lokasi_scope", "lokasi_bps_codes", "pagu_rupiah"} <= set(
        header
    )
    # The columns other matrices add are there too, empty for this one.
    assert header[len(gold_csv_header()) : len(gold_csv_header()) + 4] == [
        "perangkat_daerah",
        "sub_kegiatan",
        "indikator_sub_kegiatan",
        "realisasi",
    ]
    assert "realisasi_rupiah" in header
    assert len(out.read_text(encoding="utf-8").splitlines()) == 35
