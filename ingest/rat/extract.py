"""Extract the RAT matrix of one PDF into logical rows, each traceable to its file and pages."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ingest.fingerprint import file_sha256
from ingest.paths import display_path
from ingest.rat.errors import (
    EncryptedPdfError,
    NoMatrixError,
    NotAPdfError,
    RatDocumentError,
    ScannedPdfError,
)
from ingest.rat.funding import funding_source_codes
from ingest.rat.header import COLUMNS
from ingest.rat.layout import Cell, Grid, page_grids
from ingest.rat.locations import resolve_location
from ingest.rat.matrix import Matrix, assemble
from ingest.rat.numbers import parse_rupiah, parse_target

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RatRow:
    row: int
    no: str
    sektor: str
    kebijakan: str
    sasaran: str
    indikator_sasaran: str
    program: str
    indikator_program: str
    kegiatan: str
    indikator_kegiatan: str
    lokasi: str
    target_kinerja: str
    pagu: str
    sumber_pendanaan: str
    budget_line: int | None
    year: int | None
    page_first: int
    page_last: int
    lokasi_scope: str
    lokasi_bps_codes: str
    pagu_rupiah: int | None
    target_value: float | None
    target_unit: str | None
    funding_source_codes: str
    covered_columns: str
    uncertain_columns: str
    source_file: str
    source_sha256: str
    ocr: bool = False  # the values were read from a scan by OCR
    ocr_confidence: float | None = None  # OCR: the lowest word confidence (0-100) in the row's cells


CSV_COLUMNS = list(RatRow.__dataclass_fields__)


@dataclass(frozen=True)
class RatDocument:
    path: Path
    sha256: str
    year: int | None
    page_count: int
    matrix_pages: list[int]
    rows: list[RatRow]
    ocr: bool = False
    ocr_confidence: float | None = None  # OCR: the mean word confidence (0-100) over the document

    @property
    def budget_total(self) -> int:
        amounts = {row.budget_line: row.pagu_rupiah for row in self.rows if row.budget_line is not None}
        return sum(amount or 0 for amount in amounts.values())

    def records(self) -> list[dict]:
        return [asdict(row) for row in self.rows]


def _open(path: Path) -> pdfplumber.PDF:
    try:
        with path.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF"):
                raise NotAPdfError(path, "not a PDF file (it does not start with %PDF)")
        return pdfplumber.open(path)
    except OSError as exc:
        raise NotAPdfError(path, f"cannot be read ({exc.strerror})") from exc
    except PdfminerException as exc:
        raise _classified(path, exc) from exc


def _classified(path: Path, exc: Exception) -> RatDocumentError:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return EncryptedPdfError(path, "the PDF is encrypted with a password; save an unprotected copy")
    return NotAPdfError(path, f"the PDF is damaged or truncated ({type(cause).__name__}: {cause})")


def _document_grids(
    pdf: pdfplumber.PDF, path: Path, progress: ProgressCallback | None
) -> tuple[list[Grid], bool]:
    grids: list[Grid] = []
    has_text = False
    total = len(pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        try:
            has_text = has_text or bool(page.chars)
            grids.extend(page_grids(page, number))
        except PdfminerException as exc:
            raise _classified(path, exc) from exc
        except Exception as exc:  # pdfminer raises many kinds of errors on broken content streams
            raise NotAPdfError(path, f"page {number} cannot be read ({type(exc).__name__}: {exc})") from exc
        finally:
            page.close()
        if progress:
            progress(number, total)
    return grids, has_text


def _rows(matrix: Matrix, source_file: str, sha256: str, ocr: bool = False) -> list[RatRow]:
    rows: list[RatRow] = []
    budget_lines: dict[int, int] = {}
    pagu_index = COLUMNS.index("pagu")
    for index, matrix_row in enumerate(matrix.rows, start=1):
        values = dict(zip(COLUMNS, matrix_row.values(matrix.vocabulary), strict=True))
        pagu_cell = matrix_row.cells[pagu_index]
        budget_line = None
        if pagu_cell is not None and values["pagu"]:
            budget_line = budget_lines.setdefault(id(pagu_cell), len(budget_lines) + 1)
        location = resolve_location(values["lokasi"])
        target = parse_target(values["target_kinerja"])
        rows.append(
            RatRow(
                row=index,
                **values,
                budget_line=budget_line,
                year=matrix.year,
                page_first=matrix_row.page_first,
                page_last=matrix_row.page_last,
                lokasi_scope=location.scope,
                lokasi_bps_codes=" ".join(str(code) for code in location.bps_codes),
                pagu_rupiah=parse_rupiah(values["pagu"]),
                target_value=target.value,
                target_unit=target.unit,
                funding_source_codes=" ".join(funding_source_codes(values["sumber_pendanaan"])),
                covered_columns=" ".join(
                    c for c, cov in zip(COLUMNS, matrix_row.covered, strict=True) if cov
                ),
                uncertain_columns=" ".join(c for c in COLUMNS if c in matrix_row.uncertain),
                source_file=source_file,
                source_sha256=sha256,
                ocr=ocr,
                ocr_confidence=lowest_confidence(matrix_row.cells) if ocr else None,
            )
        )
    return rows


def lowest_confidence(cells: list[Cell | None]) -> float | None:
    """The lowest OCR word confidence in the cells (and their continuations on later pages)."""
    values = [
        line.confidence for cell in cells if cell for line in cell.all_lines() if line.confidence is not None
    ]
    return min(values) if values else None


def extract_rat(path: Path, progress: ProgressCallback | None = None) -> RatDocument:
    """Every logical row of the RAT matrix in `path`; raises a RatDocumentError saying why not."""
    path = Path(path)
    sha256 = file_sha256(path) if path.is_file() else ""
    with _open(path) as pdf:
        page_count = len(pdf.pages)
        grids, has_text = _document_grids(pdf, path, progress)
        scan = None
        if not has_text:
            if not any(page.images for page in pdf.pages):
                raise ScannedPdfError(path, "no text layer and no page images: it has no text")
            from ingest.rat.ocr.document import read_scan  # only scans load the OCR code

            scan = read_scan(pdf, path, progress)
            grids = scan.grids
    matrix = assemble(grids)
    if matrix is None:
        read_by = f" in the text OCR read from the scan ({scan.summary})" if scan else ""
        raise NoMatrixError(
            path, f"no RAT matrix found{read_by}: no table has the 13 RAT columns ({', '.join(COLUMNS)})"
        )
    if not matrix.rows:
        raise NoMatrixError(path, "the RAT matrix header was found but it has no rows")
    document = RatDocument(
        path=path,
        sha256=sha256,
        year=matrix.year,
        page_count=page_count,
        matrix_pages=matrix.pages,
        rows=_rows(matrix, display_path(path), sha256, ocr=scan is not None),
        ocr=scan is not None,
        ocr_confidence=scan.mean_confidence if scan else None,
    )
    if scan is not None:
        scan.check(document, matrix)  # raises OcrUncertainError naming the cells to check
    return document


def write_rows_csv(document: RatDocument, path: Path) -> None:
    """Write the rows to `path` atomically, so a failed run never leaves half a file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for record in document.records():
            writer.writerow({k: "" if v is None else v for k, v in record.items()})
    partial.replace(path)
