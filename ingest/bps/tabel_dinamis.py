"""The old bps.go.id "tabel dinamis" Excel exports, which are HTML pages with three tables:

- `tableLeftBottom`: one cell per region, in BPS order (province rows in upper case);
- `tableRightUp`: the title (spanning every year), then the years, newest first;
- `tableRightBottom`: one row of values per region, in the years' order.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from ingest.bps.areas import AreaPlacer
from ingest.bps.observations import ObservationTable
from ingest.bps.reading import read_text
from ingest.bps.titles import indicator_from_title, is_year, semester_of
from store.errors import SourceFileError

LAYOUT = "tabel_dinamis"
_TABLES = ("tableLeftBottom", "tableRightUp", "tableRightBottom")


_ROW = re.compile(r"<tr\b", re.I)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_COLSPAN = re.compile(r"colspan\s*=\s*[\"']?(\d+)", re.I)


def _table_rows(text: str, table_id: str) -> list[list[str]]:
    """Rows of cell texts of the table with that id; a cell spanning columns stands over each of them.

    BPS generates these three tables flat (no table inside them), so a table ends at its first </table>.
    """
    start = text.find(f'id="{table_id}"')
    if start < 0:
        return []
    end = text.lower().find("</table", start)
    body = text[start : end if end >= 0 else len(text)]
    rows = []
    for chunk in _ROW.split(body)[1:]:
        cells = []
        for match in _CELL.finditer(chunk):
            content = " ".join(html.unescape(_TAG.sub(" ", match.group(3))).split())
            span = _COLSPAN.search(match.group(2))
            cells.extend([content] * (int(span.group(1)) if span else 1))
        rows.append(cells)
    return rows


def matches_text(text: str) -> bool:
    return "<html" in text[:2000].lower() and all(f'id="{name}"' in text for name in _TABLES)


def parse(path: Path) -> pd.DataFrame:
    text = read_text(path)
    if not matches_text(text):
        raise SourceFileError(path, "not a BPS 'tabel dinamis' export (no tableLeftBottom/tableRightUp)")
    regions = [row[0] if row else "" for row in _table_rows(text, "tableLeftBottom")]
    header = [row for row in _table_rows(text, "tableRightUp") if row]
    values = _table_rows(text, "tableRightBottom")
    if len(header) < 2 or not header[0]:
        raise SourceFileError(path, "the header table has no title and year rows")
    title = header[0][0]
    indicator = indicator_from_title(title)
    if indicator is None:
        raise SourceFileError(path, f"title {title!r} names no known poverty indicator")
    years = header[1]
    if not years or not all(is_year(y) for y in years):
        raise SourceFileError(path, f"header row 2: expected years, found {years[:3]!r}")
    periods = header[2] if len(header) > 2 else [""] * len(years)
    if len(periods) != len(years):
        problem = f"header row 3: {len(periods)} survey rounds under {len(years)} year columns"
        raise SourceFileError(path, problem)
    try:
        semesters = [semester_of(label) if label else None for label in periods]
    except ValueError as exc:
        raise SourceFileError(path, f"header row 3: expected survey rounds, found {exc.args[0]!r}") from None
    if len(values) != len(regions):
        raise SourceFileError(path, f"{len(regions)} regions but {len(values)} rows of values")
    table = ObservationTable(path, LAYOUT)
    placer = AreaPlacer(path)
    # Line numbers count regions (1 = first region): the tables hold no other row numbering.
    for line, (name, row) in enumerate(zip(regions, values, strict=True), start=1):
        if not name and not any(row):
            continue
        if len(row) != len(years):
            raise SourceFileError(path, f"{len(row)} values for {len(years)} year columns", row=line)
        area = placer.place(line, name)
        for year, semester, cell in zip(years, semesters, row, strict=True):
            table.add(line, area, int(year), semester, "total", indicator, cell)
    return table.frame()
