"""One scanned page read: its words (with confidence) and its table rules, in PDF points.

The page is rendered at the scan's resolution, straightened, its rules found and erased, and then each
table cell the rules enclose is read by Tesseract as a block of its own, so text never runs from one
column into the next; what lies outside the tables (titles, narrative) is read as a page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import numpy as np
import pypdfium2
from pdfplumber.page import Page
from PIL import Image

from ingest.rat.ocr.deskew import deskewed
from ingest.rat.ocr.raster import rendered_page
from ingest.rat.ocr.rules import Segment, ink, ruling
from ingest.rat.ocr.tesseract import AUTO, BLOCK, SECOND_LANGUAGES, Word, words_in_images
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings


def explicit_table_settings(horizontal: list[dict], vertical: list[dict]) -> dict:
    """pdfplumber table settings that build tables from these rules only."""
    return {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }


@dataclass
class OcrPage:
    number: int
    dpi: float
    skew_degrees: float
    text_pixels: float = 0.0  # the page's typical font size (Tesseract's x_size) in pixels of the scan
    words: list[dict] = field(default_factory=list)  # pdfplumber-style words in points, with "conf"
    horizontal: list[dict] = field(default_factory=list)  # pdfplumber line objects in points
    vertical: list[dict] = field(default_factory=list)
    unread: list[tuple[float, float, float, float]] = field(default_factory=list)  # cells with ink, no word
    disputed: list[tuple[tuple[float, float, float, float], str, str]] = field(default_factory=list)
    column_edges: list[float] = field(default_factory=list)  # x of the column edges of the widest table
    shifted: float = 0.0  # points the page was moved right to line up with its table's first page

    def shift(self, dx: float) -> None:
        """Move everything read on the page right by `dx` points (a page that lay askew on the glass)."""
        for item in [*self.words, *self.horizontal, *self.vertical]:
            item["x0"] += dx
            item["x1"] += dx
        self.unread = [(a + dx, b, c + dx, d) for a, b, c, d in self.unread]
        self.disputed = [((a + dx, b, c + dx, d), x, y) for (a, b, c, d), x, y in self.disputed]
        self.column_edges = [x + dx for x in self.column_edges]
        self.shifted += dx

    @property
    def table_settings(self) -> dict | None:
        if len(self.horizontal) < 2 or len(self.vertical) < 2:
            return None
        return explicit_table_settings(self.horizontal, self.vertical)


@dataclass(frozen=True)
class _Scale:
    """From image pixels to page points."""

    x: float
    y: float
    left: float
    top: float

    def line(self, segment: Segment, doctop_offset: float) -> dict:
        x0, x1 = self.left + segment.x0 * self.x, self.left + segment.x1 * self.x
        top, bottom = self.top + segment.top * self.y, self.top + segment.bottom * self.y
        return {
            "object_type": "line",
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "width": x1 - x0,
            "height": bottom - top,
            "doctop": top + doctop_offset,
        }

    def word(
        self,
        word: Word,
        dx: float,
        dy: float,
        enlarged: float,
        font: tuple[float, float],
        bearings: tuple[float, float],
    ) -> dict:
        """The word as pdfplumber gives a text layer's: box from side bearing to advance, ascent to descent.

        OCR boxes hug the ink; a PDF's glyph boxes are wider by the side bearings and as tall as the font
        (the text repair and row joining measure lines against cell edges with them). The page's median
        font size and descent (in scan pixels) stand for every line, so a line without ascenders is as
        tall as one with. `bearings` are the left and right side bearings as shares of the font size.
        """
        size, descent = font[0] * enlarged, font[1] * enlarged  # in the pixels the word was read in

        def unscaled(v: float) -> float:  # pixel centres of the enlarged crop back onto the page's
            return (v + 0.5) / enlarged - 0.5 if enlarged != 1.0 else v

        return {
            "text": word.text,
            "x0": self.left + (dx + unscaled(word.x0 - bearings[0] * size)) * self.x,
            "x1": self.left + (dx + unscaled(word.x1 + bearings[1] * size)) * self.x,
            "top": self.top + (dy + unscaled(word.baseline - size + descent)) * self.y,
            "bottom": self.top + (dy + unscaled(word.baseline + descent)) * self.y,
            "conf": word.confidence,
        }


def _lowest(words: list[Word]) -> float:
    return min((w.confidence for w in words), default=0.0)


def _typical_font(read: list[tuple[list[Word], float]]) -> tuple[float, float]:
    """Median font size and descent of the lines of words read at an enlargement, in scan pixels."""
    sizes = [w.font_size / enlarged for words, enlarged in read for w in words]
    descents = [w.descent / enlarged for words, enlarged in read for w in words]
    if not sizes:
        return (1.0, 0.2)
    return (float(np.median(sizes)), float(np.median(descents)))


def _padded(image: Image.Image, enlarged: float, margin: int) -> Image.Image:
    if enlarged != 1.0:
        size = (max(round(image.width * enlarged), 1), max(round(image.height * enlarged), 1))
        image = image.resize(size, Image.Resampling.BICUBIC)
    canvas = Image.new("L", (image.width + 2 * margin, image.height + 2 * margin), 255)
    canvas.paste(image, (margin, margin))
    return canvas


@dataclass
class _Cell:
    box: tuple[int, int, int, int]  # pixels: left, upper, right, lower
    words: list[Word]
    enlarged: float
    disputed: tuple[str, str] | None = None


def _cell_boxes(tables, ink_left: np.ndarray, scale: _Scale, inset: int, min_ink: int):
    boxes: list[tuple[int, int, int, int]] = []
    for bbox in {tuple(cell) for table in tables for cell in table.cells}:
        left = round((bbox[0] - scale.left) / scale.x) + inset
        upper = round((bbox[1] - scale.top) / scale.y) + inset
        right = round((bbox[2] - scale.left) / scale.x) - inset
        lower = round((bbox[3] - scale.top) / scale.y) - inset
        if right - left > 2 and lower - upper > 2 and ink_left[upper:lower, left:right].sum() >= min_ink:
            boxes.append((left, upper, right, lower))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _squeezed(words: list[Word]) -> str:
    return "".join(w.text for w in words)


def _read_cells(
    clean: np.ndarray, boxes: list[tuple[int, int, int, int]], dpi: float, settings: RatSettings
) -> list[_Cell]:
    """Each cell read as a block of text; cells with digits read three times and put to the vote.

    The first reading (Indonesian first, enlarged to `ocr_dpi`) suits words. A cell with a digit is read
    again with English first, which reads digits, "%" and "/" better, at that enlargement and at another.
    The reading at least two of the three agree on (letter for letter, spaces aside) is kept, with the
    best confidence among them; with no majority the cell is disputed and its confidence is the lowest
    of all, so no amount is ever taken from one reading against the others. A word cell read with little
    confidence gets a second opinion with English first, and the more confident reading is kept.
    """
    enlarged = max(settings.ocr_dpi / dpi, 1.0)
    other = max(settings.second_scale_dpi / dpi, 1.0)
    if abs(other - enlarged) < settings.distinct_scale_step:
        other = enlarged * settings.fallback_scale
    margin = settings.cell_margin_pixels
    images = [Image.fromarray(clean[b[1] : b[3], b[0] : b[2]]) for b in boxes]
    first = words_in_images([_padded(i, enlarged, margin) for i in images], dpi * enlarged, BLOCK)
    cells = [_Cell(box, words, enlarged) for box, words in zip(boxes, first, strict=True)]

    numeric = [i for i, c in enumerate(cells) if any(ch.isdigit() for w in c.words for ch in w.text)]
    doubt = settings.second_opinion_below
    wordy = [i for i, c in enumerate(cells) if i not in set(numeric) and _lowest(c.words) < doubt]
    again = words_in_images(
        [_padded(images[i], enlarged, margin) for i in numeric + wordy],
        dpi * enlarged,
        BLOCK,
        SECOND_LANGUAGES,
    )
    check = words_in_images(
        [_padded(images[i], other, margin) for i in numeric], dpi * other, BLOCK, SECOND_LANGUAGES
    )
    for i, words in zip(wordy, again[len(numeric) :], strict=True):
        if words and _lowest(words) > _lowest(cells[i].words):
            cells[i].words = words
    for i, second, third in zip(numeric, again, check, strict=False):
        _vote(cells[i], [(cells[i].words, enlarged), (second, enlarged), (third, other)])
    return cells


def _vote(cell: _Cell, readings: list[tuple[list[Word], float]]) -> None:
    texts = [_squeezed(words) for words, _ in readings]
    agreed = [r for r, text in zip(readings, texts, strict=True) if texts.count(text) >= 2]
    if agreed:
        words, cell.enlarged = max(agreed, key=lambda r: _lowest(r[0]))
        cell.words = words
        return
    cell.disputed = (
        " ".join(w.text for w in readings[0][0]),
        " / ".join(" ".join(w.text for w in r) for r, _ in readings[1:]),
    )
    cap = min(_lowest(words) for words, _ in readings)
    cell.words = [replace(w, confidence=min(w.confidence, cap)) for w in readings[0][0]]


def _outside_tables(clean: np.ndarray, ink_left: np.ndarray, tables, scale: _Scale, inset: int):
    """The page and its ink with the tables blanked out: titles, narrative, page numbers."""
    outside = clean.copy()
    ink_left = ink_left.copy()
    for table in tables:
        t0, t1, t2, t3 = table.bbox
        rows = slice(
            max(round((t1 - scale.top) / scale.y) - inset, 0), round((t3 - scale.top) / scale.y) + inset
        )
        columns = slice(
            max(round((t0 - scale.left) / scale.x) - inset, 0), round((t2 - scale.left) / scale.x) + inset
        )
        outside[rows, columns] = 255
        ink_left[rows, columns] = False
    return outside, ink_left


def read_page(
    document: pypdfium2.PdfDocument,
    page: Page,
    number: int,
    dpi: float,
    lock: threading.Lock,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
) -> OcrPage:
    """Words and rules of page `number` (1-based). `lock` guards pdfium and pdfplumber, not thread-safe."""
    with lock:
        image = rendered_page(document, number - 1, dpi)
        x0, top, x1, bottom = page.bbox
        doctop_offset = page.initial_doctop
    gray = np.asarray(image)
    dark = ink(gray)
    image, angle = deskewed(image, dark, settings=settings)
    if angle:
        gray = np.asarray(image)
        dark = ink(gray)
    scale = _Scale((x1 - x0) / image.width, (bottom - top) / image.height, x0, top)
    rules = ruling(dark, dpi, settings=settings)
    result = OcrPage(number, dpi, angle)
    result.horizontal = [scale.line(s, doctop_offset) for s in rules.horizontal]
    result.vertical = [scale.line(s, doctop_offset) for s in rules.vertical]

    clean = rules.erase(gray)
    # Paper made white: a scan's grey, noisy paper around the letters would read as marks, and a cell
    # cut out of it would show Tesseract an edge where the white margin added around it begins.
    clean[~dark] = 255
    ink_left = dark & (clean < 255)  # ink that is not a rule
    min_ink = max(round(settings.min_ink_points2 * (dpi / 72.0) ** 2), 4)
    inset = max(round(settings.cell_inset_points * dpi / 72.0), 1) + 1
    tables = []
    if result.table_settings is not None:
        with lock:
            tables = page.find_tables(result.table_settings)
    if tables:
        widest = max(tables, key=lambda t: t.bbox[2] - t.bbox[0])
        result.column_edges = [c.bbox[0] for c in widest.columns] + [widest.bbox[2]]
    cells = _read_cells(clean, _cell_boxes(tables, ink_left, scale, inset, min_ink), dpi, settings)
    font = _typical_font([(cell.words, cell.enlarged) for cell in cells])
    result.text_pixels = font[0] if any(cell.words for cell in cells) else 0.0
    margin = settings.cell_margin_pixels
    bearings = (settings.left_bearing, settings.right_bearing)
    for cell in cells:
        left, upper, right, lower = cell.box
        box = (x0 + left * scale.x, top + upper * scale.y, x0 + right * scale.x, top + lower * scale.y)
        # the crop's origin on the page
        dx, dy = left - margin / cell.enlarged, upper - margin / cell.enlarged
        result.words.extend(scale.word(w, dx, dy, cell.enlarged, font, bearings) for w in cell.words)
        if not cell.words:
            result.unread.append(box)
        if cell.disputed:
            result.disputed.append((box, *cell.disputed))

    outside, outside_ink = _outside_tables(clean, ink_left, tables, scale, inset)
    if outside_ink.sum() >= min_ink:
        enlarged = max(settings.ocr_dpi / dpi, 1.0)
        outside_image = _padded(Image.fromarray(outside), enlarged, margin)
        for words in words_in_images([outside_image], dpi * enlarged, AUTO):
            dx = dy = -margin / enlarged
            outside_font = _typical_font([(words, enlarged)])
            result.words.extend(scale.word(w, dx, dy, enlarged, outside_font, bearings) for w in words)
    return result
