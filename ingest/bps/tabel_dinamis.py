"""The old bps.go.id "tabel dinamis" Excel exports, which are HTML pages with three tables:

- `tableLeftBottom`: one cell per region, in BPS order (province rows in upper case);
- `tableRightUp`: the title (spanning every year), then the years, newest first;
- `tableRightBottom`: one row of values per region, in the years' order.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from ingest.bps.areas import AreaPlacer
from ingest.bps.observations import ObservationTable
from ingest.bps.reading import read_text
from ingest.bps.titles import indicator_from_title, is_year, semester_of
from ingest.errors import SourceFileError

LAYOUT = "tabel_dinamis"
_TABLES = ("tableLeftBottom", "tableRightUp", "tableRightBottom")


class _TableCollector(HTMLParser):
    """Rows of cell texts of the tables whose id we want, however deeply nested."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {name: [] for name in _TABLES}
        self._stack: list[str | None] = []
        self._cell: list[str] | None = None
        self._span = 1

    @property
    def _current(self) -> str | None:
        return next((name for name in reversed(self._stack) if name), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            table_id = dict(attrs).get("id")
            self._stack.append(table_id if table_id in _TABLES else None)
        elif tag == "tr" and self._current:
            self.tables[self._current].append([])
        elif tag in ("td", "th") and self._current:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._stack:
            self._stack.pop()
        elif tag in ("td", "th") and self._cell is not None and self._current:
            rows = self.tables[self._current]
            if rows:
                # A cell spanning several columns stands over each of them (the year over its rounds).
                rows[-1].extend([" ".join("".join(self._cell).split())] * self._span)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def matches_text(text: str) -> bool:
    return "<html" in text[:2000].lower() and all(f'id="{name}"' in text for name in _TABLES)


def parse(path: Path) -> pd.DataFrame:
    text = read_text(path)
    if not matches_text(text):
        raise SourceFileError(path, "not a BPS 'tabel dinamis' export (no tableLeftBottom/tableRightUp)")
    collector = _TableCollector()
    collector.feed(text)
    regions = [row[0] if row else "" for row in collector.tables["tableLeftBottom"]]
    header = [row for row in collector.tables["tableRightUp"] if row]
    values = collector.tables["tableRightBottom"]
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
