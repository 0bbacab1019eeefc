"""Tables on a PDF page as grids of cells that know their text lines and geometry.

pdfplumber finds each table's ruled cells; a grid position no cell starts at is covered by a merged
cell, from the left (horizontal merge) or from above (vertical merge). Words are placed into the cell
that contains their centre, and kept as lines so that wrapped words can be repaired later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pdfplumber.page import Page
from pdfplumber.table import Table
from pdfplumber.utils import extract_words

from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings

BBox = tuple[float, float, float, float]


@dataclass
class Line:
    words: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    next_char_width: float  # width of this line's first character, to judge the line above it
    first_word_width: float
    last_word_width: float
    left_limit: float = 0.0  # leftmost x text may start at in its cell
    right_limit: float = 0.0  # rightmost x text may reach in its cell
    confidence: float | None = None  # OCR: the lowest word confidence (0-100); None for a text layer
    fonts: list[str] = field(default_factory=list)  # each word's font, where known

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(eq=False)
class Cell:
    """A ruled cell; after page joining, its text may continue in cells on later pages."""

    page: int
    bbox: BBox
    lines: list[Line] = field(default_factory=list)
    continued_in: list[Cell] = field(default_factory=list)
    alias: Cell | None = None  # this cell is the same table cell as `alias`, split by a page break

    def resolve(self) -> Cell:
        cell = self
        while cell.alias is not None:
            cell = cell.alias
        return cell

    @property
    def has_text(self) -> bool:
        return any(line.words for line in self.lines)

    def all_lines(self) -> list[Line]:
        lines = list(self.lines)
        for part in self.continued_in:
            lines.extend(part.all_lines())
        return lines


@dataclass
class Grid:
    """One table on one page: `own[r][c]` is the cell starting at (r, c), `cover[r][c]` the cell over it."""

    page: int
    bbox: BBox
    column_bounds: list[tuple[float, float]]
    row_bounds: list[tuple[float, float]]
    own: list[list[Cell | None]]
    cover: list[list[Cell]]
    covered_from_left: list[list[bool]]

    @property
    def n_columns(self) -> int:
        return len(self.column_bounds)

    def row_text(self, r: int) -> list[str]:
        """Text of each position in row r; '' where covered."""
        return [" ".join(line.text for line in cell.lines) if cell else "" for cell in self.own[r]]


def lowest_confidence(cells: list[Cell | None]) -> float | None:
    """The lowest OCR word confidence in the cells (and their continuations on later pages)."""
    values = [
        line.confidence for cell in cells if cell for line in cell.all_lines() if line.confidence is not None
    ]
    return min(values) if values else None


def _words_by_cell(page: Page, cells: list[Cell], words: list[dict] | None, settings: RatSettings) -> None:
    words_of: dict[int, list[dict]] = {id(cell): [] for cell in cells}
    for word in _words(page) if words is None else words:
        cx = (word["x0"] + word["x1"]) / 2
        cy = (word["top"] + word["bottom"]) / 2
        for cell in cells:
            x0, top, x1, bottom = cell.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                words_of[id(cell)].append(word)
                break
    for cell in cells:
        cell.lines = _lines_of(words_of[id(cell)], settings)


def _words(page: Page) -> list[dict]:
    """The page's words, each in one font: text set in two fonts on top of each other stays two words.

    Word processors can draw a repeated header's overflowing label (bold) over the first data row
    (regular); read together, their letters would interleave ("Kegiatan" + "peserta" -> "Kpeesgeirattaa").
    """
    options = {"keep_blank_chars": False, "use_text_flow": False, "return_chars": True}
    by_font: dict[str, list[dict]] = {}
    for char in page.chars:
        by_font.setdefault(char.get("fontname", ""), []).append(char)
    if len(by_font) <= 1:
        return page.extract_words(**options)
    return [word for chars in by_font.values() for word in extract_words(chars, **options)]


def _lines_of(words: list[dict], settings: RatSettings) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        height = word["bottom"] - word["top"]
        if lines and abs(word["top"] - lines[-1].top) <= height * settings.same_line_fraction:
            line = lines[-1]
            line.words.append(word["text"])
            line.fonts.append(_font(word))
            line.x0, line.x1 = min(line.x0, word["x0"]), max(line.x1, word["x1"])
            line.bottom = max(line.bottom, word["bottom"])
            line.last_word_width = word["x1"] - word["x0"]
            if word.get("conf") is not None:
                line.confidence = min(line.confidence if line.confidence is not None else 100.0, word["conf"])
        else:
            first = word["chars"][0] if word.get("chars") else None
            width = (
                (first["x1"] - first["x0"])
                if first
                else (word["x1"] - word["x0"]) / max(len(word["text"]), 1)
            )
            word_width = word["x1"] - word["x0"]
            lines.append(
                Line(
                    [word["text"]],
                    word["x0"],
                    word["x1"],
                    word["top"],
                    word["bottom"],
                    width,
                    word_width,
                    word_width,
                    confidence=word.get("conf"),
                    fonts=[_font(word)],
                )
            )
    return lines


def _font(word: dict) -> str:
    return word["chars"][0].get("fontname", "") if word.get("chars") else ""


def grid_of(
    page: Page,
    table: Table,
    page_number: int,
    words: list[dict] | None = None,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
) -> Grid:
    column_bounds = [(c.bbox[0], c.bbox[2]) for c in table.columns]
    row_bounds = [(r.bbox[1], r.bbox[3]) for r in table.rows]
    own: list[list[Cell | None]] = []
    all_cells: list[Cell] = []
    for row in table.rows:
        own_row: list[Cell | None] = []
        for bbox in row.cells:
            if bbox is None:
                own_row.append(None)
            else:
                cell = Cell(page=page_number, bbox=tuple(bbox))
                own_row.append(cell)
                all_cells.append(cell)
        own.append(own_row)
    _words_by_cell(page, all_cells, words, settings)

    cover: list[list[Cell]] = []
    from_left: list[list[bool]] = []
    for r, own_row in enumerate(own):
        cover_row: list[Cell] = []
        left_row: list[bool] = []
        for c, cell in enumerate(own_row):
            if cell is not None:
                cover_row.append(cell)
                left_row.append(False)
                continue
            left = cover_row[c - 1] if c > 0 else None
            if left is not None and left.bbox[2] > column_bounds[c][0] + settings.merge_overlap:
                cover_row.append(left)
                left_row.append(True)
            elif r > 0:
                cover_row.append(cover[r - 1][c])
                left_row.append(False)
            else:  # nothing above or to the left: an empty, unruled corner
                placeholder = Cell(
                    page=page_number,
                    bbox=(column_bounds[c][0], row_bounds[r][0], column_bounds[c][1], row_bounds[r][1]),
                )
                own_row[c] = placeholder
                cover_row.append(placeholder)
                left_row.append(False)
        cover.append(cover_row)
        from_left.append(left_row)
    return Grid(page_number, tuple(table.bbox), column_bounds, row_bounds, own, cover, from_left)


def page_grids(
    page: Page,
    page_number: int,
    words: list[dict] | None = None,
    table_settings: dict | None = None,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
) -> list[Grid]:
    """Every ruled table on the page with at least `min_table_rows` rows and `min_table_columns` columns.

    OCR passes the words it read and the (pdfplumber) table settings locating the rules it found in the
    image instead.
    """
    tables = page.find_tables(table_settings)
    return [
        grid_of(page, t, page_number, words, settings=settings)
        for t in tables
        if len(t.rows) >= settings.min_table_rows and len(t.columns) >= settings.min_table_columns
    ]
