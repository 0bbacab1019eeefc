"""Extract the RAT matrix of one PDF into logical rows, each traceable to its file and pages.

`extract_rat` gives the document or raises why not; `read_rat` gives everything the extractor saw on the
way (every table found, the OCR reading of a scan, the matrix) even when no matrix is found, for
`ntt-warehouse extract-rat --debug-pages` (ingest.rat.debug_pages). Both take one `RatSettings`.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ingest.rat.errors import (
    EncryptedPdfError,
    NoMatrixError,
    NotAPdfError,
    OcrUncertainError,
    RatDocumentError,
    ScannedPdfError,
)
from ingest.rat.funding import funding_source_codes
from ingest.rat.header import COLUMNS
from ingest.rat.layout import Grid, lowest_confidence, page_grids
from ingest.rat.locations import resolve_location
from ingest.rat.matrix import Matrix, assemble, header_diagnosis
from ingest.rat.metadata import document_metadata
from ingest.rat.numbers import parse_rupiah, parse_target
from ingest.rat.page_text import PageText, page_text
from ingest.rat.pdf_budget import check_pdf_budget
from ingest.rat.report import ParsingReport
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings
from ingest.rat.text_repair import CellReading, cell_reading
from ingest.spreadsheet_safe import spreadsheet_safe
from store.budgets import DEFAULT_BUDGETS, FileBudgets
from store.fingerprint import file_sha256
from store.paths import display_path

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
    # Columns some matrices add (regencies' plans); '' when the matrix has no such column.
    perangkat_daerah: str  # the responsible agency (Perangkat Daerah, OPD)
    sub_kegiatan: str
    indikator_sub_kegiatan: str
    realisasi: str  # budget spent, as printed
    year: int | None
    page_first: int
    page_last: int
    lokasi_scope: str
    lokasi_bps_codes: str
    pagu_rupiah: int | None
    realisasi_rupiah: int | None
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
    """One RAT PDF: its matrix rows and what the document says about itself.

    - `year`: the plan year; `year_source` says where it was read: `matrix_header` ("Target Tahun 2023"),
      `title_page`, `running_header` or `file_name`; both None when the document names no year.
    - `issuer_bps_code`, `issuer_name`: who wrote the plan (5300 "Provinsi Nusa Tenggara Timur", or a
      kabupaten/kota such as 5302 "Kabupaten Sumba Timur"), BPS codes; `issuer_source` is `title_page` or
      `running_header`; all None when neither names an NTT area.
    - `revision_marker`: the words by which the cover, title or running header declares the document a
      revision ("Perubahan", "Perubahan Kedua", "Revisi"); None for an original plan.
    - `printed_date`: the document's own date (signature line "Kupang, Desember 2022" -> 2022-12-01).
    - `printed_total`: the amount of the matrix's own total row ("Jumlah", "TOTAL PAGU"); None when the
      matrix prints none. That row is not a data row.
    - `title`: the title as printed on the first page (a cover's title block, or the plan's name in the
      first page's text).
    - `columns_found`: the matrix's columns, canonical names (see `ingest.rat.header.COLUMNS`) left to
      right as printed; the rows' other text columns are ''.
    """

    path: Path
    sha256: str
    year: int | None
    page_count: int
    matrix_pages: list[int]
    rows: list[RatRow]
    year_source: str | None = None
    issuer_bps_code: int | None = None
    issuer_name: str | None = None
    issuer_source: str | None = None
    revision_marker: str | None = None
    printed_date: datetime.date | None = None
    printed_total: int | None = None
    title: str | None = None
    columns_found: list[str] = field(default_factory=list)
    ocr: bool = False
    ocr_confidence: float | None = None  # OCR: the mean word confidence (0-100) over the document
    report: ParsingReport | None = None  # what the extractor made of it, in counts

    @property
    def budget_total(self) -> int:
        amounts = {row.budget_line: row.pagu_rupiah for row in self.rows if row.budget_line is not None}
        return sum(amount or 0 for amount in amounts.values())

    def records(self) -> list[dict]:
        return [asdict(row) for row in self.rows]


def open_pdf(path: Path) -> pdfplumber.PDF:
    """The PDF opened with pdfplumber; a file that is none, or is damaged or encrypted, raises why."""
    try:
        with path.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF"):
                raise NotAPdfError(path, "not a PDF file (it does not start with %PDF)")
        return pdfplumber.open(path)
    except OSError as exc:
        raise NotAPdfError(path, f"cannot be read ({exc.strerror})") from exc
    except PdfminerException as exc:
        raise _classified(path, exc) from exc


def starts_like_a_pdf(path: Path) -> bool:
    """Whether the file begins as a PDF does (the budget check applies to PDFs; open_pdf says why not)."""
    try:
        with path.open("rb") as handle:
            return handle.read(1024).lstrip().startswith(b"%PDF")
    except OSError:
        return False  # open_pdf says why


def _classified(path: Path, exc: Exception) -> RatDocumentError:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return EncryptedPdfError(path, "the PDF is encrypted with a password; save an unprotected copy")
    return NotAPdfError(path, f"the PDF is damaged or truncated ({type(cause).__name__}: {cause})")


@contextmanager
def page_errors(path: Path, number: int) -> Iterator[None]:
    """Reading page `number` of `path`: what goes wrong is said as a RatDocumentError naming the page."""
    try:
        yield
    except PdfminerException as exc:
        raise _classified(path, exc) from exc
    except Exception as exc:  # pdfminer raises many kinds of errors on broken content streams
        raise NotAPdfError(path, f"page {number} cannot be read ({type(exc).__name__}: {exc})") from exc


def document_grids(
    pdf: pdfplumber.PDF,
    path: Path,
    progress: ProgressCallback | None,
    settings: RatSettings,
    numbers: range | None = None,
) -> tuple[list[Grid], list[PageText], bool]:
    """The tables and running text of the pages `numbers` (1-based; all by default), and whether any page
    has a text layer."""
    grids: list[Grid] = []
    texts: list[PageText] = []
    has_text = False
    numbers = numbers or range(1, len(pdf.pages) + 1)
    for done, number in enumerate(numbers, start=1):
        page = pdf.pages[number - 1]
        try:
            with page_errors(path, number):
                has_text = has_text or bool(page.chars)
                on_page = page_grids(page, number, settings=settings)
                grids.extend(on_page)
                texts.append(page_text(page, [grid.bbox for grid in on_page], number, settings=settings))
        finally:
            page.close()
        if progress:
            progress(done, len(numbers))
    return grids, texts, has_text


_NO_READING = CellReading("", False, 0)


def _cell_readings(matrix: Matrix, settings: RatSettings) -> dict[int, CellReading]:
    """Each distinct cell's text, read once however many rows a merged cell covers (by id)."""
    cells = {id(cell): cell for row in matrix.rows for cell in row.cells if cell is not None}
    return {
        key: cell_reading(cell.all_lines(), matrix.vocabulary, settings=settings)
        for key, cell in cells.items()
    }


def _rows(
    matrix: Matrix,
    readings_of: dict[int, CellReading],
    year: int | None,
    source_file: str,
    sha256: str,
    ocr: bool = False,
) -> list[RatRow]:
    rows: list[RatRow] = []
    budget_lines: dict[int, int] = {}
    pagu_index = COLUMNS.index("pagu")
    for index, matrix_row in enumerate(matrix.rows, start=1):
        readings = [readings_of[id(cell)] if cell else _NO_READING for cell in matrix_row.cells]
        values = {column: reading.text for column, reading in zip(COLUMNS, readings, strict=True)}
        guessed = {column for column, reading in zip(COLUMNS, readings, strict=True) if reading.guessed}
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
                year=year,
                page_first=matrix_row.page_first,
                page_last=matrix_row.page_last,
                lokasi_scope=location.scope,
                lokasi_bps_codes=" ".join(str(code) for code in location.bps_codes),
                pagu_rupiah=parse_rupiah(values["pagu"]),
                realisasi_rupiah=parse_rupiah(values["realisasi"]),
                target_value=target.value,
                target_unit=target.unit,
                funding_source_codes=" ".join(funding_source_codes(values["sumber_pendanaan"])),
                covered_columns=" ".join(
                    c for c, cov in zip(COLUMNS, matrix_row.covered, strict=True) if cov
                ),
                uncertain_columns=" ".join(c for c in COLUMNS if c in matrix_row.uncertain or c in guessed),
                source_file=source_file,
                source_sha256=sha256,
                ocr=ocr,
                ocr_confidence=lowest_confidence(matrix_row.cells) if ocr else None,
            )
        )
    return rows


def _parsing_report(
    matrix: Matrix,
    readings_of: dict[int, CellReading],
    rows: list[RatRow],
    page_count: int,
    tables_found: int,
    ocr: bool,
) -> ParsingReport:
    cells = {id(cell): cell for row in matrix.rows for cell in row.cells if cell is not None}
    read = [key for key, reading in readings_of.items() if reading.text]
    return ParsingReport(
        pages=page_count,
        matrix_pages=len(matrix.pages),
        tables_found=tables_found,
        rows=len(rows),
        cells_read=len(read),
        cells_from_merges=sum(sum(row.covered) for row in matrix.rows),
        cells_uncertain=sum(len(row.uncertain_columns.split()) for row in rows),
        rows_joined_across_pages=matrix.rows_joined_across_pages,
        cells_joined_across_pages=matrix.cells_joined_across_pages,
        wrap_repairs=sum(reading.repairs for reading in readings_of.values()),
        ocr=ocr,
        ocr_cells=len(read) if ocr else 0,
        ocr_lowest_confidence=lowest_confidence([cells[key] for key in read]) if ocr else None,
    )


@dataclass
class Extraction:
    """What the extractor saw in one PDF and made of it.

    `grids`: every ruled table found, page by page (from the text layer, or the rules OCR found in a
    scan's images); `scan`: the OCR reading of a scan (None for a text PDF); `matrix`: the matrix
    assembled from the grids (None when no table is the matrix); `document` the result, or `error` why
    there is none (an OcrUncertainError keeps its document too).
    """

    path: Path
    page_count: int
    grids: list[Grid]
    scan: object | None = None  # ingest.rat.ocr.document.ScanReading, imported only for scans
    matrix: Matrix | None = None
    document: RatDocument | None = None
    error: RatDocumentError | None = None


def read_rat(
    path: Path,
    progress: ProgressCallback | None = None,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
    budgets: FileBudgets = DEFAULT_BUDGETS,
) -> Extraction:
    """Everything the extractor saw in `path` and made of it.

    Raises a RatDocumentError when the file cannot be read as a PDF (or a scan cannot be read at all),
    OverBudgetError when it would cost more than `budgets` allow (checked before pdfminer or pdfium opens
    it: ingest.rat.pdf_budget); a PDF whose matrix is not found or not certain comes back with its `error`
    set.
    """
    path = Path(path)
    if starts_like_a_pdf(path):
        check_pdf_budget(path, budgets)
    with open_pdf(path) as pdf:
        page_count = len(pdf.pages)
        grids, texts, has_text = document_grids(pdf, path, progress, settings)
        scan = None
        if not has_text:
            refuse_without_images(pdf, path)
            from ingest.rat.ocr.document import read_scan  # only scans load the OCR code

            scan = read_scan(pdf, path, progress, settings=settings, max_page_pixels=budgets.ocr_page_pixels)
            grids = scan.grids
            texts = scan.page_texts()
    return extraction_of(path, page_count, grids, texts, scan, settings)


def refuse_without_images(pdf: pdfplumber.PDF, path: Path) -> None:
    """A PDF without a text layer is read by OCR, from its page images; one without either is refused."""
    if not any(page.images for page in pdf.pages):
        raise ScannedPdfError(path, "no text layer and no page images: it has no text")


def extraction_of(
    path: Path,
    page_count: int,
    grids: list[Grid],
    texts: list[PageText],
    scan: object | None,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
) -> Extraction:
    """What the extractor makes of every page's tables and text (of the text layer, or of OCR's `scan`):
    the matrix assembled across the pages in order, its rows, the metadata, the parsing report.
    ingest.rat.pages calls it with the pages read in ranges by several workers."""
    sha256 = file_sha256(path) if path.is_file() else ""
    extraction = Extraction(path, page_count, grids, scan)
    matrix = extraction.matrix = assemble(grids, settings=settings)
    if matrix is None:
        read_by = f" in the text OCR read from the scan ({scan.summary})" if scan else ""
        diagnosis = header_diagnosis(grids, settings=settings)
        extraction.error = NoMatrixError(path, f"no RAT matrix found{read_by}: {diagnosis}")
        return extraction
    if not matrix.rows:
        extraction.error = NoMatrixError(path, "the RAT matrix header was found but it has no rows")
        return extraction
    about = document_metadata(texts, matrix.year, path, settings=settings)
    readings_of = _cell_readings(matrix, settings)
    rows = _rows(matrix, readings_of, about.year, display_path(path), sha256, ocr=scan is not None)
    document = extraction.document = RatDocument(
        path=path,
        sha256=sha256,
        year=about.year,
        page_count=page_count,
        matrix_pages=matrix.pages,
        rows=rows,
        year_source=about.year_source,
        issuer_bps_code=about.issuer_bps_code,
        issuer_name=about.issuer_name,
        issuer_source=about.issuer_source,
        revision_marker=about.revision_marker,
        printed_date=about.printed_date,
        printed_total=matrix.printed_total,
        title=about.title,
        columns_found=matrix.columns_found,
        ocr=scan is not None,
        ocr_confidence=scan.mean_confidence if scan else None,
        report=_parsing_report(matrix, readings_of, rows, page_count, len(grids), ocr=scan is not None),
    )
    if scan is not None:
        try:
            scan.check(document, matrix, settings)  # raises OcrUncertainError naming the cells to check
        except OcrUncertainError as uncertain:
            extraction.error = uncertain
    return extraction


def extract_rat(
    path: Path,
    progress: ProgressCallback | None = None,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
    budgets: FileBudgets = DEFAULT_BUDGETS,
) -> RatDocument:
    """Every logical row of the RAT matrix in `path`; raises a RatDocumentError (or OverBudgetError) saying
    why not."""
    extraction = read_rat(path, progress, settings=settings, budgets=budgets)
    if extraction.error is not None:
        raise extraction.error
    assert extraction.document is not None
    return extraction.document


def write_rows_csv(document: RatDocument, path: Path) -> None:
    """Write the rows to `path` atomically, so a failed run never leaves half a file behind; text that a
    spreadsheet would take for a formula is written as text (ingest.spreadsheet_safe)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for record in document.records():
            writer.writerow({k: "" if v is None else spreadsheet_safe(v) for k, v in record.items()})
    partial.replace(path)
