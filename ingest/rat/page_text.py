"""The running text of a page outside its tables: the title page, running headers, the signature line.

The document's metadata (title, issuer, plan year, revision, date) is printed there, never in the matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pdfplumber.page import Page
from pdfplumber.utils import extract_words

from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class TextLine:
    text: str
    top: float
    bottom: float
    size: float  # the largest font size on the line, to tell headings from body text


@dataclass(frozen=True)
class PageText:
    number: int
    height: float
    lines: list[TextLine]
    has_table: bool = False

    @property
    def word_count(self) -> int:
        return sum(len(line.text.split()) for line in self.lines)


def _inside(obj: dict, boxes: Iterable[BBox]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def page_text(
    page: Page, table_boxes: list[BBox], number: int, *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> PageText:
    """The page's text lines that lie outside `table_boxes`, top to bottom."""
    boxes = list(table_boxes)
    chars = [char for char in page.chars if not _inside(char, boxes)]
    words = extract_words(chars, extra_attrs=["size"]) if chars else []
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        height = word["bottom"] - word["top"]
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= height * settings.same_line_fraction:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = [
        TextLine(
            " ".join(w["text"] for w in sorted(row, key=lambda w: w["x0"])),
            min(w["top"] for w in row),
            max(w["bottom"] for w in row),
            round(max(w["size"] for w in row), 1),
        )
        for row in rows
    ]
    return PageText(number, float(page.height), lines, has_table=bool(boxes))


def page_text_from_words(words: list[dict], table_boxes: list[BBox], number: int, height: float) -> PageText:
    """The same from words OCR read off a scanned page: words outside the tables, gathered into lines."""
    free = sorted((w for w in words if not _inside(w, table_boxes)), key=lambda w: (w["top"], w["x0"]))
    lines: list[list[dict]] = []
    for word in free:
        line = lines[-1] if lines else None
        middle = (word["top"] + word["bottom"]) / 2
        if line and line[0]["top"] <= middle <= line[0]["bottom"]:
            line.append(word)
        else:
            lines.append([word])
    text_lines = [
        TextLine(
            " ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])),
            min(w["top"] for w in line),
            max(w["bottom"] for w in line),
            round(max(w["bottom"] - w["top"] for w in line), 1),
        )
        for line in lines
    ]
    return PageText(number, height, text_lines, has_table=bool(table_boxes))
