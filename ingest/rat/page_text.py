"""The running text of a page outside its tables: the title page, running headers, the signature line.

The document's metadata (title, issuer, plan year, revision, date) is printed there, never in the matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pdfplumber.page import Page

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


def page_text(page: Page, table_boxes: list[BBox], number: int) -> PageText:
    """The page's text lines that lie outside `table_boxes`, top to bottom."""
    boxes = list(table_boxes)
    free = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    lines = []
    for line in free.extract_text_lines(return_chars=True, strip=True):
        text = " ".join(line["text"].split())
        if text:
            size = max((char.get("size", 0.0) for char in line["chars"]), default=0.0)
            lines.append(TextLine(text, line["top"], line["bottom"], round(size, 1)))
    return PageText(number, float(page.height), lines, has_table=bool(boxes))
