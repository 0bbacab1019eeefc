"""A BPS table from a grid of cells (CSV, XLSX, HTML): header rows recognised by what their cells are.

Above the rows of values sit a few header rows, wherever the block starts. Each is recognised by its cells:

- a **title**: one text over the whole row (the variable, its unit in parentheses), possibly beside the row
  dimension's name (`Provinsi/Kabupaten/Kota,<title>`), possibly twice (XLSX: with its years in row 1, then
  beside `Provinsi`);
- **years** (`2022`), **periods** (`Semester 1 (Maret)`, `Februari`, `Tahunan`, `Triwulan I`), or both in
  one cell (`2019 Februari`);
- **breakdown labels** (`Perkotaan`, `Laki-laki`, `Akses pada layanan air minum`), one row per nesting level;
- **variables with their period** (`Garis Kemiskinan - Maret (Rp)`), one per column;
- only the row dimension's name (`38 Provinsi`, `Nama Wilayah`).

A cell spanning columns is printed once at its first column in CSV (filled forward here, within the span
of the row above it) and merged in XLSX and HTML (filled by the readers). Header rows that contradict each
other (two year rows, a period among the breakdown labels, years and periods mixed in one row) are refused
naming the row and what was found. A header repeated under the values starts a second block of rows.
Footnotes (`Catatan`, `Keterangan`, `Sumber`) end the table; empty rows and columns around it are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.bps.areas import FOOTNOTE, is_area_name, is_footnote, placed, provinces_only
from ingest.bps.observations import MISSING_MARKERS
from ingest.bps.reading import Grid
from ingest.bps.table import AREAS, CATEGORIES, DAERAH, Block, BpsTable, Column, Row
from ingest.bps.titles import (
    ANNUAL,
    RURAL,
    TOTAL,
    UNSTATED,
    URBAN,
    UnitContradiction,
    Variable,
    area_type_of,
    combined_breakdown,
    is_month_other_than_rounds,
    is_year,
    names_known_indicator,
    period_of,
    unit_of_breakdown,
    variable_from_title,
    year_and_period_of,
)
from ingest.regions import COUNTRY_BPS_CODE, province_named_in
from store.errors import SourceFileError

TITLE, YEARS, PERIODS, YEAR_PERIODS, BREAKDOWN, VARIABLES, CORNER = (
    "title",
    "years",
    "periods",
    "year_periods",
    "breakdown",
    "variables",
    "corner",
)
DIMENSIONS = (YEARS, PERIODS, YEAR_PERIODS, BREAKDOWN, VARIABLES)
NO_TABLE = "matches no BPS table layout we know (see data/bps/BPS_FORMATS.md)"
_NUMBER = re.compile(r"^-?\d+([.,]\d+)*([eE][-+]?\d+)?$")
_STRONG_TITLE = re.compile(r"\b(menurut|by)\b|\([^()]*\)", re.IGNORECASE)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_KNOWN_BREAKDOWN = re.compile(r"^(laki ?laki|perempuan|male|female|pria|wanita)$")


def _is_number(cell: str) -> bool:
    return cell not in MISSING_MARKERS and bool(_NUMBER.match(cell)) and not is_year(cell)


def _values_only(cells: list[str]) -> bool:
    """Every non-empty cell a number or a missing marker."""
    return all(not cell or cell in MISSING_MARKERS or _NUMBER.match(cell) for cell in cells)


def _is_data_row(row: list[str], in_data: bool) -> bool:
    """A label then only numbers or missing markers (not a row of years: that is a header)."""
    if not row or not row[0] or is_footnote(row[0]):
        return False
    values = row[1:]
    if not any(values):
        return in_data  # a label alone among rows of values: an area with no figure at all
    if not _values_only(values):
        # Among rows of values, a row with numbers and one bad cell is a broken row, not a new header.
        return in_data and any(_is_number(cell) for cell in values if cell)
    return in_data or not all(is_year(cell) for cell in values if cell)


def _is_junk(row: list[str]) -> bool:
    """No label and nothing but missing markers: the empty rows and columns that follow an export's table."""
    return not row[0] and all(cell in MISSING_MARKERS for cell in row[1:])


def _is_footer(row: list[str]) -> bool:
    return is_footnote(row[0]) or (not row[0] and any(is_footnote(cell) for cell in row[1:2]))


@dataclass
class HeaderRow:
    index: int  # position in the grid
    line: int
    kind: str
    cells: list[str]  # the row's cells, spans filled

    def shown(self) -> str:
        found = (
            list(dict.fromkeys(cell for cell in self.cells[1:] if cell))[:3]
            or [cell for cell in self.cells if cell][:1]
        )
        return ", ".join(repr(cell) for cell in found) or "an empty row"


def _blocks(grid: Grid, path: Path) -> list[tuple[list[int], list[int]]]:
    """(header row indexes, data row indexes) of each block of the grid."""
    blocks: list[tuple[list[int], list[int]]] = []
    header: list[int] = []
    data: list[int] = []
    for index, row in enumerate(grid.rows):
        if not any(row):
            continue
        first = row[0]
        if data and first and not FOOTNOTE.match(first) and _values_only(row[1:]):
            data.append(index)  # the common row, checked once: a name and its values
            continue
        if _is_footer(row):
            if data:
                break  # the table ends at its notes
            continue  # a note above the table
        if data:
            if _is_data_row(row, in_data=True):
                data.append(index)
            elif _is_junk(row):
                continue
            elif not row[0] and any(_is_number(cell) for cell in row[1:]):
                data.append(index)  # values without a label: refused as a shifted row when placed
            else:
                blocks.append((header, data))
                header, data = [index], []
        elif _is_data_row(row, in_data=False):
            data.append(index)
        elif not _is_junk(row) or header:
            header.append(index)
    if data:
        blocks.append((header, data))
    elif header and blocks:
        # Text under the values that is no note: a stray quote that swallowed the rest, or a table cut short.
        row = grid.rows[header[0]]
        shown = ", ".join(repr(cell[:60]) for cell in row if cell)
        raise SourceFileError(
            path, f"a header with no values under it, after the table: {shown}", row=grid.lines[header[0]]
        )
    if not blocks:
        found = "no rows of values (a name followed by numbers) under a header"
        raise SourceFileError(path, f"{NO_TABLE}: {found}")
    return blocks


def _filled(rows: list[list[str]], fill: bool) -> list[list[str]]:
    """Header rows with a cell spanning columns standing in each of them.

    CSV prints a spanning cell once, at its first column: it is carried right until the next cell, but not
    across the start of a span in a row above (a nested breakdown stays within its parent).
    """
    if not fill:
        return rows
    width = max((len(row) for row in rows), default=0)
    starts: set[int] = set()
    out = []
    for row in rows:
        filled = list(row) + [""] * (width - len(row))
        for column in range(2, width):
            if not filled[column] and column not in starts and filled[column - 1]:
                filled[column] = filled[column - 1]
        starts |= {column for column, cell in enumerate(row) if cell and column > 0}
        out.append(filled)
    return out


def _cell_kind(cell: str, monthly: bool) -> str:
    if is_year(cell):
        return YEARS
    if period_of(cell, monthly) is not None:
        return PERIODS
    if year_and_period_of(cell, monthly) is not None:
        return YEAR_PERIODS
    if names_known_indicator(cell) and _period_in_text(cell, monthly) is not None:
        return VARIABLES
    return BREAKDOWN


def _period_in_text(text: str, monthly: bool) -> str | None:
    """The period a variable's column header names ("Garis Kemiskinan - Maret (Rp)" -> S1), or None."""
    for word in re.split(r"[^A-Za-z0-9]+", text):
        period = period_of(word, monthly) if word else None
        if period is not None and period != ANNUAL:
            return period
    return None


def _contradiction(row: HeaderRow, kinds: dict[str, int]) -> str:
    where = f"header row {row.line}"
    if YEARS in kinds and (PERIODS in kinds or YEAR_PERIODS in kinds):
        if kinds[YEARS] >= kinds.get(PERIODS, 0):
            return f"{where}: expected a year, found {row.shown()}"
        return f"{where}: a year among the periods ({row.shown()})"
    if BREAKDOWN in kinds and (PERIODS in kinds or YEAR_PERIODS in kinds):
        return f"{where}: a period in the breakdown row ({row.shown()})"
    if BREAKDOWN in kinds and YEARS in kinds:
        return f"{where}: a year among the breakdown labels ({row.shown()})"
    if VARIABLES in kinds:
        return f"{where}: variables and other labels mixed in one row ({row.shown()})"
    return f"{where}: cells of different kinds in one row ({row.shown()})"


def _classify(
    path: Path, index: int, line: int, cells: list[str], monthly: bool, titles: set[str]
) -> HeaderRow:
    """The kind of one header row; `titles` are the codes of the variables the rows above named."""
    values = [cell for cell in cells[1:] if cell]
    row = HeaderRow(index, line, CORNER, cells)
    if cells and cells[0] and is_year(cells[0]):
        shifted = f"a year in the area column ({cells[0]!r}): is the header shifted?"
        raise SourceFileError(path, f"header row {line}: {shifted}")
    if not values:
        if cells and cells[0] and _is_title(cells[0], titles, strong_only=True):
            row.kind = TITLE  # a title alone in the first column (an XLSX title row without its merge)
        return row
    distinct = list(dict.fromkeys(values))
    kinds: dict[str, int] = {}
    for cell in distinct:
        kind = _cell_kind(cell, monthly)
        kinds[kind] = kinds.get(kind, 0) + 1
    if len(distinct) == 1 and BREAKDOWN in kinds and _is_title(distinct[0], titles):
        row.kind = TITLE
        return row
    if VARIABLES in kinds and BREAKDOWN in kinds:
        # A column of a variables row without its period: name the first one.
        column, cell = next(
            (i, c) for i, c in enumerate(cells) if i > 0 and c and _cell_kind(c, monthly) == BREAKDOWN
        )
        if names_known_indicator(cell):
            raise SourceFileError(
                path,
                f"header row {line}, column {column + 1}: expected a survey month (Maret or September), "
                f"found {cell!r}",
            )
    if len(kinds) > 1:
        raise SourceFileError(path, _contradiction(row, kinds))
    [row.kind] = kinds
    if row.kind == BREAKDOWN:
        daerah = [cell for cell in distinct if area_type_of(cell) is not None]
        if daerah and len(daerah) < len(distinct):
            expected = "expected daerah labels (Perkotaan, Perdesaan, Jumlah)"
            raise SourceFileError(path, f"header row {line}: {expected}, found {row.shown()}")
    return row


def _is_title(text: str, titles: set[str], strong_only: bool = False) -> bool:
    """Whether a lone text over a header row is the table's title rather than one breakdown label (or, in
    the first column alone, the row dimension's name: only a title that says so counts there).

    Under a title, a lone text is a breakdown label unless it names the same variable again (the XLSX
    exports repeat the title beside "Provinsi"): a single sub-indicator "Akses ... (layak)" is no title.
    """
    plain = " ".join(re.sub(r"[^a-z]+", " ", text.lower()).split())
    if area_type_of(text) is not None or _KNOWN_BREAKDOWN.match(plain):
        return False
    if names_known_indicator(text) or _STRONG_TITLE.search(text):
        if not titles:
            return True
        try:
            variable = variable_from_title(text)
        except UnitContradiction:
            return True  # a title, whose unit _variable refuses with the row
        return variable is not None and variable.code in titles
    return not titles and not strong_only and len(text) > 3 and not text.strip().isdigit()


def _title_text(row: HeaderRow) -> str:
    return next(cell for cell in (row.cells[1:] + row.cells[:1]) if cell)


def _variable(path: Path, titles: list[HeaderRow], inherited: Variable | None) -> Variable | None:
    """The variable the title rows name; rows that name two different variables contradict each other.

    A title that says it is one (a known indicator, "Menurut ...", a unit) outweighs a lone text above the
    table; of two that agree, the one that prints a unit is taken.
    """
    found: list[tuple[HeaderRow, Variable, bool]] = []
    for row in titles:
        text = _title_text(row)
        try:
            variable = variable_from_title(text)
        except UnitContradiction as exc:
            raise SourceFileError(path, f"header row {row.line}: {exc}") from None
        if variable is not None:
            found.append((row, variable, variable.known or bool(_STRONG_TITLE.search(text))))
    chosen = [(row, variable) for row, variable, strong in found if strong] or [
        item[:2] for item in found[:1]
    ]
    if not chosen:
        return inherited
    first_row, first = chosen[0]
    other = next(((row, variable) for row, variable in chosen if variable.code != first.code), None)
    if other is not None:
        second_row, second = other
        raise SourceFileError(
            path,
            f"header rows {first_row.line} and {second_row.line} name two variables: {first.name!r} and "
            f"{second.name!r}",
        )
    return next((variable for _, variable in chosen if variable.unit != UNSTATED), first)


def _dimension_rows(path: Path, rows: list[HeaderRow]) -> dict[str, list[HeaderRow]]:
    """The block's dimension rows by kind; a dimension given twice is a header that contradicts itself."""
    by_kind: dict[str, list[HeaderRow]] = {}
    for row in rows:
        if row.kind in DIMENSIONS:
            by_kind.setdefault(row.kind, []).append(row)
    for kind, name in (
        (YEARS, "year"),
        (PERIODS, "period"),
        (YEAR_PERIODS, "year and period"),
        (VARIABLES, "variable"),
    ):
        if len(by_kind.get(kind, [])) > 1:
            first, second = by_kind[kind][:2]
            problem = f"a second {name} row ({second.shown()}; the first is row {first.line})"
            raise SourceFileError(path, f"header row {second.line}: {problem}")
    for kind, name in ((YEARS, "years"), (PERIODS, "periods")):
        if kind in by_kind and YEAR_PERIODS in by_kind:
            again = by_kind[YEAR_PERIODS][0].line
            raise SourceFileError(
                path, f"header row {by_kind[kind][0].line}: {name} given twice (row {again} too)"
            )
    return by_kind


def _columns(
    path: Path, rows: list[HeaderRow], variable: Variable | None, monthly: bool, file_year: int | None
) -> tuple[list[Column | None], bool]:
    """The block's value columns (None where no header labels a column) and whether it names periods."""
    by_kind = _dimension_rows(path, rows)
    dims = [row for found in by_kind.values() for row in found]
    width = max((len(row.cells) for row in dims), default=0)
    columns = [
        _column(path, index, by_kind, variable, monthly, file_year)
        if any(index < len(row.cells) and row.cells[index] for row in dims)
        else None
        for index in range(1, width)
    ]
    return columns, PERIODS in by_kind or YEAR_PERIODS in by_kind


def _column(
    path: Path,
    index: int,
    by_kind: dict[str, list[HeaderRow]],
    variable: Variable | None,
    monthly: bool,
    file_year: int | None,
) -> Column:
    """One value column: its year, period, breakdown (and variable, for a table naming one per column)."""

    def cell(kind: str) -> str:
        row = by_kind[kind][0]
        return row.cells[index] if index < len(row.cells) else ""

    def nothing_over_it(kind: str, name: str) -> SourceFileError:
        return SourceFileError(
            path, f"column {index + 1}: no {name} over it in header row {by_kind[kind][0].line}"
        )

    year: int | None = None
    period = ANNUAL
    own: Variable | None = None
    labels = [row.cells[index] if index < len(row.cells) else "" for row in by_kind.get(BREAKDOWN, [])]
    if YEARS in by_kind:
        year = int(cell(YEARS)) if cell(YEARS) else None
        if year is None:
            raise nothing_over_it(YEARS, "year")
    if PERIODS in by_kind:
        period = period_of(cell(PERIODS), monthly) or ""
        if not period:
            raise nothing_over_it(PERIODS, "period")
    if YEAR_PERIODS in by_kind:
        found = year_and_period_of(cell(YEAR_PERIODS), monthly)
        if found is None:
            raise nothing_over_it(YEAR_PERIODS, "year and period")
        year, period = found
    if VARIABLES in by_kind:
        text = cell(VARIABLES)
        try:
            own = variable_from_title(text) if text else None
        except UnitContradiction as exc:
            raise SourceFileError(path, f"header row {by_kind[VARIABLES][0].line}: {exc}") from None
        if own is None:
            raise nothing_over_it(VARIABLES, "variable")
        period = _period_in_text(text, monthly) or ANNUAL
        labels.append(_daerah_in_text(text))
        in_cell = {int(found) for found in _YEAR_IN_TEXT.findall(text)}
        year = in_cell.pop() if len(in_cell) == 1 else year
        if year is None and file_year is None:
            raise SourceFileError(
                path,
                "no year: this table carries none, and bps.go.id names the download '<title>, <year>.csv'; "
                "keep the year in the file name",
            )
        year = year or file_year
    if year is None:
        shown = next((row for found in by_kind.values() for row in found if row.kind != BREAKDOWN), None)
        shown = shown or by_kind[BREAKDOWN][0]
        raise SourceFileError(path, f"header row {shown.line}: expected a year, found {shown.shown()}")
    breakdown = combined_breakdown(*labels)
    base = own or variable
    unit = unit_of_breakdown(breakdown) if breakdown not in (TOTAL, URBAN, RURAL) else None
    return Column(year, period, breakdown, own, unit if unit and unit != base.unit else None)


def _daerah_in_text(text: str) -> str:
    lowered = text.lower()
    if "perkotaan" in lowered and "perdesaan" not in lowered:
        return "urban"
    if ("perdesaan" in lowered or "pedesaan" in lowered) and "perkotaan" not in lowered:
        return "rural"
    return ""


def _monthly(rows: list[list[str]]) -> bool:
    """Whether a header names months other than the survey rounds' (a monthly series: Maret is March)."""
    for row in rows:
        for cell in row[1:]:
            for word in re.split(r"[^A-Za-z]+", cell):
                if word and is_month_other_than_rounds(word):
                    return True
    return False


def _rows_are(labels: list[str], corner: str) -> str:
    if labels and all(area_type_of(label) is not None for label in labels):
        return DAERAH
    if re.search(r"provinsi|province|kabupaten|kota|wilayah|region", corner, re.IGNORECASE):
        return AREAS
    if any(is_area_name(label) for label in labels):
        return AREAS
    return CATEGORIES


def _file_year(path: Path) -> int | None:
    found = _YEAR_IN_TEXT.findall(path.stem)
    return int(found[-1]) if found else None


def table_from_grid(grid: Grid, path: Path) -> BpsTable:
    """The BPS table a grid holds (see the module doc), or SourceFileError naming the row and the cause."""
    variable: Variable | None = None
    blocks: list[Block] = []
    has_periods = has_variables = False
    corners: list[str] = []
    labels: list[str] = []
    title_rows: list[HeaderRow] = []
    for header, data in _blocks(grid, path):
        raw = [grid.rows[i] for i in header]
        monthly = _monthly(raw)
        filled = _filled(raw, fill=not grid.spans_filled)
        rows: list[HeaderRow] = []
        titles = {variable.code} if variable is not None else set()
        for index, cells in zip(header, filled, strict=True):
            row = _classify(path, index, grid.lines[index], cells, monthly, titles)
            if row.kind == TITLE:
                try:
                    named = variable_from_title(_title_text(row))
                except UnitContradiction:
                    named = None
                titles.add(named.code if named is not None else "")
            rows.append(row)
        titles = [row for row in rows if row.kind == TITLE]
        title_rows += titles
        variable = _variable(path, titles, variable) if titles else variable
        corners += [row.cells[0] for row in rows if row.kind != TITLE and row.cells and row.cells[0]]
        if variable is None and not any(row.kind == VARIABLES for row in rows):
            first = next((row for row in rows if row.kind != CORNER), rows[0] if rows else None)
            where = f" (header row {first.line}: {first.shown()})" if first else ""
            raise SourceFileError(path, f"{NO_TABLE}: no title naming the variable above the values{where}")
        if not any(row.kind in DIMENSIONS for row in rows):
            if not rows:
                raise SourceFileError(path, f"{NO_TABLE}: rows of values with no header above them")
            last = rows[-1]
            raise SourceFileError(path, f"header row {last.line}: expected a year, found {last.shown()}")
        columns, periods = _columns(path, rows, variable, monthly, _file_year(path))
        has_periods |= periods
        has_variables |= any(row.kind == VARIABLES for row in rows)
        kept = [i for i, column in enumerate(columns) if column is not None]
        gaps = [i for i in range(len(columns)) if columns[i] is None]
        block = Block([columns[i] for i in kept])
        append = block.rows.append
        for index in data:
            cells = grid.rows[index]
            if gaps:
                # A value under no labelled column is kept past the columns: refused as a shifted row.
                values = cells[1:]
                extra = [values[i] for i in gaps if i < len(values) and values[i]]
                extra += [cell for cell in values[len(columns) :] if cell]
                row_cells = [values[i] if i < len(values) else "" for i in kept] + extra
            else:
                row_cells = cells[1:]  # cells past the columns are refused as a shifted row when read
            append(Row(grid.lines[index], cells[0], row_cells))
            labels.append(cells[0])
        blocks.append(block)
    corner = " ".join(corners)
    rows_are = _rows_are([label for label in labels if label], corner)
    only_provinces, announced = provinces_only(corners[0]) if corners else (False, None)
    area = None
    if rows_are != AREAS:
        title_text = " ".join(_title_text(row) for row in title_rows)
        code = province_named_in(title_text)
        area = placed(code if code is not None else COUNTRY_BPS_CODE)
    layout = "area_by_variable" if has_variables else f"{rows_are}_by_{'period' if has_periods else 'year'}"
    if variable is None and not has_variables:
        raise SourceFileError(path, f"{NO_TABLE}: no title naming the variable above the values")
    return BpsTable(
        path=path,
        layout=layout,
        variable=variable,
        blocks=blocks,
        rows_are=rows_are,
        area=area,
        decimal_comma=grid.decimal_comma,
        kabkota_allowed=not only_provinces,
        provinces_announced=announced,
    )


def first_data_row(rows: list[list[str]]) -> int:
    """The index of the first row of values under a header (len(rows) when there is none)."""
    return next((i for i, row in enumerate(rows) if _is_data_row(row, in_data=False)), len(rows))
