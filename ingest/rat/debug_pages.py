"""What the extractor saw, drawn over the page (pdfplumber's visual debugging, `page.to_image()`).

One PNG per page that holds a table: every ruled table found (thin blue cell edges), and on the matrix's
pages its header rows (grey), its columns (alternately tinted, each named as the extractor read it), its
logical rows (green boxes, numbered as in the CSV; "+" when the row goes on overleaf, "cont." where it
does), and the values the layout left in doubt (red); over any other table, why it is not the matrix.
A scanned page is drawn over the image OCR read: rendered at the scan's resolution, straightened and
moved as the reading was. When no matrix is found, the tables that were found are still drawn: that is
where a new layout shows why it was not recognised.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfplumber.display import PageImage
from PIL import Image, ImageFont

from ingest.rat.extract import Extraction
from ingest.rat.header import COLUMNS
from ingest.rat.layout import BBox, Grid
from ingest.rat.matrix import Matrix, header_diagnosis
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings

RESOLUTION = 100  # pixels per inch of a text PDF's page drawings: every label legible, a page ~1 MB
_CELL = (0, 90, 200, 170)
_HEADER = (120, 120, 120, 60)
_COLUMN_TINT = (0, 120, 255, 22)
_COLUMN_NAME = (0, 60, 170, 255)
_ROW = (0, 150, 0, 230)
_UNCERTAIN = (230, 0, 0, 80)
_NOT_MATRIX = (200, 90, 0, 255)
_LEGEND = (
    "blue: table cells found | grey: matrix header | tint: columns, named as read | "
    "green: logical rows (+ goes on overleaf) | red: values in doubt"
)


def debug_page_name(page: int) -> str:
    return f"page-{page:03d}.png"


def _pages_to_draw(extraction: Extraction) -> list[int]:
    pages = {grid.page for grid in extraction.grids}
    if extraction.matrix is not None:
        pages |= set(extraction.matrix.pages)
    return sorted(pages)


class _Canvas:
    """A PageImage with the few drawing helpers the debug page needs, in page coordinates (points)."""

    def __init__(self, image: PageImage) -> None:
        self.image = image
        self.font = ImageFont.load_default(size=max(9, round(7 * image.scale)))
        self.small = ImageFont.load_default(size=max(8, round(5.5 * image.scale)))

    def _point(self, x: float, y: float) -> tuple[float, float]:
        bbox = self.image.bbox
        return (x - bbox[0]) * self.image.scale, (y - bbox[1]) * self.image.scale

    def rect(self, box: BBox, fill=(0, 0, 0, 0), stroke=(0, 0, 0, 0), width: int = 0) -> None:
        self.image.draw_rect(box, fill=fill, stroke=stroke, stroke_width=width)

    def text(self, x: float, y: float, text: str, colour, small: bool = False, anchor: str = "la") -> None:
        font = self.small if small else self.font
        point = self._point(x, y)
        left, top, right, bottom = self.image.draw.textbbox(point, text, font=font, anchor=anchor)
        self.image.draw.rectangle((left - 1, top - 1, right + 1, bottom + 1), fill=(255, 255, 255, 200))
        self.image.draw.text(point, text, fill=colour, font=font, anchor=anchor)


def _draw_grid(canvas: _Canvas, grid: Grid) -> None:
    for row in grid.own:
        for cell in row:
            if cell is not None:
                canvas.rect(cell.bbox, stroke=_CELL, width=1)


def _draw_matrix_page(canvas: _Canvas, matrix: Matrix, grid: Grid, first: int) -> None:
    x0, top, x1, _ = grid.bbox
    if first > 0:
        canvas.rect((x0, top, x1, grid.row_bounds[first - 1][1]), fill=_HEADER)
    names = {c: name for name, c in zip(COLUMNS, matrix.order, strict=True) if c is not None}
    for c, (left, right) in enumerate(grid.column_bounds):
        if c % 2 == 0:
            canvas.rect((left, top, right, grid.bbox[3]), fill=_COLUMN_TINT)
        canvas.text((left + right) / 2, top - 1, names.get(c, "?"), _COLUMN_NAME, small=True, anchor="md")
    for number, row in enumerate(matrix.rows, start=1):
        bands = [band for page, band in row.bands if page == grid.page]
        for band in bands:
            canvas.rect(band, stroke=_ROW, width=2)
            continued = row.page_first < grid.page
            goes_on = row.page_last > grid.page
            label = f"{number}" + (" cont." if continued else "") + ("+" if goes_on else "")
            canvas.text(band[0] - 2, (band[1] + band[3]) / 2, label, _ROW, anchor="rm")
        for name, cell in zip(COLUMNS, row.cells, strict=True):
            if name in row.uncertain and cell is not None:
                for part in [cell, *cell.continued_in]:
                    if part.page == grid.page:
                        canvas.rect(part.bbox, fill=_UNCERTAIN)


def _why_not_the_matrix(grid: Grid, matrix: Matrix | None, settings: RatSettings) -> str:
    if matrix is not None and matrix.grids:
        reference = matrix.grids[0][0]
        if grid.n_columns == reference.n_columns:
            off = max(
                abs(a[0] - b[0]) for a, b in zip(grid.column_bounds, reference.column_bounds, strict=True)
            )
            return (
                f"not joined to the matrix: its column edges lie up to {off:.1f} pt from page "
                f"{reference.page}'s (column_tolerance {settings.column_tolerance:g})"
            )
        return f"not the matrix: {grid.n_columns} columns, the matrix has {reference.n_columns}"
    why = header_diagnosis([grid], settings=settings)
    return f"not the matrix: {why.replace('no table has', 'it lacks')}"


def ocr_page_image(extraction: Extraction, number: int) -> Image.Image:
    """The image OCR read of page `number`: rendered at the scan's resolution, straightened, moved."""
    import pypdfium2

    from ingest.rat.ocr.deskew import turned_upright
    from ingest.rat.ocr.raster import rendered_page

    ocr_page = extraction.scan.pages[number - 1]
    document = pypdfium2.PdfDocument(extraction.path)
    try:
        image = turned_upright(rendered_page(document, number - 1, ocr_page.dpi), ocr_page.skew_degrees)
    finally:
        document.close()
    if ocr_page.shifted:
        moved = Image.new("L", image.size, 255)
        moved.paste(image, (round(ocr_page.shifted * ocr_page.dpi / 72.0), 0))
        image = moved
    return image.convert("RGB")


def write_debug_pages(
    extraction: Extraction,
    folder: Path,
    resolution: int = RESOLUTION,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
) -> list[Path]:
    """Draw each page with a table as the extractor saw it into `folder` (page-NNN.png); their paths.

    `settings` are the ones the extraction used (a table's distance from the matrix is told against them).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    matrix = extraction.matrix
    on_matrix = {grid.page: (grid, first) for grid, first in (matrix.grids if matrix else [])}
    written = []
    with pdfplumber.open(extraction.path) as pdf:
        for number in _pages_to_draw(extraction):
            page = pdf.pages[number - 1]
            if extraction.scan is not None:
                dpi = extraction.scan.pages[number - 1].dpi
                image = PageImage(page, original=ocr_page_image(extraction, number), resolution=dpi)
            else:
                image = page.to_image(resolution=resolution)
            canvas = _Canvas(image)
            if number in on_matrix:
                _draw_matrix_page(canvas, matrix, *on_matrix[number])
            for grid in extraction.grids:
                if grid.page == number:
                    _draw_grid(canvas, grid)
                    if on_matrix.get(number, (None,))[0] is not grid:
                        why = _why_not_the_matrix(grid, matrix, settings)
                        canvas.text(grid.bbox[0], grid.bbox[1] - 1, why, _NOT_MATRIX, small=True, anchor="ld")
            canvas.text(page.bbox[0] + 4, page.bbox[1] + 2, _LEGEND, (0, 0, 0, 255), small=True)
            path = folder / debug_page_name(number)
            partial = path.with_name(f".{path.name}.partial")
            # zlib level 1: the 9-page skewed scan's pages took 6.0-6.9 CPU-s in all instead of 7.6-9.5, for
            # files a quarter larger; these pictures are looked at once, not kept.
            image.save(partial, format="PNG", compress_level=1)
            partial.replace(path)
            written.append(path)
            page.close()
    return written
