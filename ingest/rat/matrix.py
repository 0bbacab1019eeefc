"""Assemble the matrix's logical rows from per-page grids.

Three things make this more than reading table rows:
- a cell covered by a vertical merge takes the value of the cell above; one that is really empty stays '';
- a row can break across a page: the top row of the next page then only carries the overflow of the
  cells that did not fit, and is joined back into the row it continues;
- header rows and the column-number row repeat on every page and are not data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.rat.header import (
    COLUMNS,
    CORE_COLUMNS,
    CORE_LABELS,
    column_names,
    is_column_number_row,
    is_header_like,
    is_matrix_header,
    missing_core_columns,
    squeezed,
    year_from_header,
)
from ingest.rat.layout import Cell, Grid, Line
from ingest.rat.numbers import parse_rupiah
from ingest.rat.text_repair import Vocabulary, joined_text

_COLUMN_TOLERANCE = 3.0  # points; the same matrix keeps its column edges from page to page
_MAX_HEADER_ROWS = 5


@dataclass
class MatrixRow:
    cells: list[Cell | None]  # per canonical column: the cell holding the value (None: horizontally merged)
    covered: list[bool]  # per canonical column: value comes from a merged cell of an earlier row
    page_first: int
    page_last: int
    uncertain: set[str] = field(default_factory=set)  # columns whose reading the layout cannot decide

    def values(self, vocabulary: Vocabulary) -> list[str]:
        return [joined_text(cell.all_lines(), vocabulary) if cell else "" for cell in self.cells]


@dataclass
class Matrix:
    year: int | None
    printed_total: int | None = None  # the amount of the matrix's own total row ("Jumlah", "TOTAL PAGU")
    columns_found: list[str] = field(default_factory=list)  # canonical names, left to right as printed
    rows: list[MatrixRow] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary([]))


def _header_texts(grid: Grid, last_header_row: int) -> list[str]:
    texts = []
    for c in range(grid.n_columns):
        parts = [grid.row_text(r)[c] for r in range(last_header_row + 1) if not grid.covered_from_left[r][c]]
        texts.append(" ".join(p for p in parts if p))
    return texts


def _find_header(grid: Grid) -> tuple[list[str | None], int] | None:
    """The canonical names of the grid's columns and the first data row, if the grid starts the matrix."""
    for last in range(min(_MAX_HEADER_ROWS, len(grid.own))):
        names = column_names(_header_texts(grid, last))
        if is_matrix_header(names):
            # Further header rows (sub-headings under a group such as "Target Tahun 2023") belong to it.
            while last + 1 < len(grid.own) and is_header_like(grid.row_text(last + 1)):
                last += 1
                names = column_names(_header_texts(grid, last))
            first_data = last + 1
            while first_data < len(grid.own) and is_column_number_row(grid.row_text(first_data)):
                first_data += 1
            return names, first_data
    return None


def header_diagnosis(grids: Iterable[Grid]) -> str:
    """Why no table is the matrix: the table that comes closest, the core columns it has and lacks."""
    best: tuple[int, int, list[str], list[str]] | None = None
    for grid in grids:
        for last in range(min(_MAX_HEADER_ROWS, len(grid.own))):
            names = column_names(_header_texts(grid, last))
            missing = missing_core_columns(names)
            found = [c for c in [*CORE_COLUMNS[:2], "indikator", *CORE_COLUMNS[2:]] if c not in missing]
            if best is None or len(found) > len(best[2]):
                best = (grid.page, last, found, missing)
    if best is None or len(best[2]) < 2:
        wanted = ", ".join(CORE_LABELS.values())
        return f"no table has the core RAT columns ({wanted})"
    page, _, found, missing = best
    return (
        f"the table on page {page} has {', '.join(CORE_LABELS[c] for c in found)} "
        f"but no {', '.join(CORE_LABELS[c] for c in missing)} column"
    )


def _same_columns(grid: Grid, bounds: list[tuple[float, float]]) -> bool:
    # Left edges only: pdfplumber stretches a column's right edge over any cell merged across it
    # (a "Jumlah" label spanning ten columns), while the left edges stay where the rules are.
    return grid.n_columns == len(bounds) and all(
        abs(a0 - b0) <= _COLUMN_TOLERANCE for (a0, _), (b0, _) in zip(grid.column_bounds, bounds, strict=True)
    )


def _first_data_row(grid: Grid) -> int:
    """Skip the repeated header and the column-number row at the top of a continuation page."""
    r = 0
    while r < min(_MAX_HEADER_ROWS, len(grid.own)):
        texts = grid.row_text(r)
        if is_column_number_row(texts) or is_header_like(texts) or not any(texts):
            r += 1
        else:
            break
    return r


def _last_segment(cell: Cell) -> Cell:
    while cell.continued_in:
        cell = cell.continued_in[-1]
    return cell


def _overflows(cell: Cell | None) -> bool:
    """True when the cell's text runs to the bottom of its last segment, so it may continue overleaf."""
    if cell is None:
        return False
    segment = _last_segment(cell)
    if not segment.lines:
        return False
    last: Line = segment.lines[-1]
    line_height = last.bottom - last.top
    return segment.bbox[3] - last.bottom <= 1.6 * line_height + 2.0


def _continues(previous: MatrixRow, grid: Grid, r: int, order: list[int | None]) -> bool:
    """Whether grid row r (at the top of a page) holds the overflow of `previous` from the page before."""
    own = grid.own[r]
    text_columns = [i for i, c in enumerate(order) if c is not None and (cell := own[c]) and cell.has_text]
    if not text_columns:
        return False
    return all(_overflows(previous.cells[i]) for i in text_columns)


def _set_right_limits(grids: list[Grid]) -> None:
    """Where text may start and end in each column: the cell's edges less the column's left padding."""
    padding: dict[int, float] = {}
    for grid in grids:
        for row in grid.own:
            for c, cell in enumerate(row):
                for line in cell.lines if cell else []:
                    padding[c] = min(padding.get(c, 1e9), max(line.x0 - cell.bbox[0], 0.0))
    for grid in grids:
        for row in grid.own:
            for c, cell in enumerate(row):
                for line in cell.lines if cell else []:
                    line.left_limit = cell.bbox[0] + padding.get(c, 0.0)
                    line.right_limit = cell.bbox[2] - padding.get(c, 0.0)


def assemble(grids: Iterable[Grid]) -> Matrix | None:
    """The matrix found among `grids` (in page order), or None if no grid has the RAT header."""
    matrix: Matrix | None = None
    order: list[int | None] = []  # grid column index of each canonical column; None: the matrix lacks it
    bounds: list[tuple[float, float]] = []
    origin: dict[int, int] = {}  # id(cell) -> index of the logical row the cell starts in
    matrix_grids: list[Grid] = []
    pending: list[tuple[Grid, int]] = []

    for grid in grids:
        if matrix is None:
            found = _find_header(grid)
            if found is None:
                continue
            names, first = found
            order = [names.index(column) if column in names else None for column in COLUMNS]
            bounds = grid.column_bounds
            header_rows = _header_texts(grid, first - 1)
            matrix = Matrix(year=year_from_header(header_rows, names))
            matrix.columns_found = [name for name in names if name]
        elif _same_columns(grid, bounds):
            first = _first_data_row(grid)
        else:
            continue
        matrix_grids.append(grid)
        pending.append((grid, first))

    if matrix is None:
        return None
    _set_right_limits(matrix_grids)

    for grid, first in pending:
        matrix.pages.append(grid.page)
        for r in range(first, len(grid.own)):
            total = _total_row(grid, r, order)
            if total is not None:
                is_subtotal, amount = total
                if not is_subtotal:
                    matrix.printed_total = amount
                continue
            previous = matrix.rows[-1] if matrix.rows else None
            at_page_top = r == first and previous is not None and previous.page_last < grid.page
            if at_page_top and _continues(previous, grid, r, order):
                _join_overflow(previous, grid, r, order)
                continue
            uncertain = _inherit_split_merges(previous, grid, r, order) if at_page_top else set()
            matrix.rows.append(_new_row(grid, r, order, origin, len(matrix.rows)))
            matrix.rows[-1].uncertain = uncertain
    # Built from whole cells, so a word's tail at the top of the next page is not mistaken for a word.
    cells = {id(cell): cell for row in matrix.rows for cell in row.cells if cell is not None}
    matrix.vocabulary = Vocabulary(cell.all_lines() for cell in cells.values())
    return matrix


_TOTAL_LABEL = re.compile(
    r"(sub)?(jumlah|total)(total|jumlah|pagu|anggaran|keseluruhan|seluruhnya|rp|rupiah)*"
)
_AMOUNT_COLUMNS = ("pagu", "realisasi", "sumber_pendanaan")


def _total_row(grid: Grid, r: int, order: list[int | None]) -> tuple[bool, int | None] | None:
    """(is a subtotal, amount) when grid row r is a total row ("Jumlah", "TOTAL PAGU"), not a data row."""
    columns = {name: c for name, c in zip(COLUMNS, order, strict=True) if c is not None}
    amount_columns = {columns[name] for name in _AMOUNT_COLUMNS if name in columns}
    labels = [
        " ".join(line.text for line in cell.lines)
        for c, cell in enumerate(grid.own[r])
        if cell is not None and c not in amount_columns and cell.has_text
    ]
    if len(labels) != 1:
        return None
    match = _TOTAL_LABEL.fullmatch(squeezed(labels[0]))
    if not match:
        return None
    pagu = grid.own[r][columns["pagu"]]
    amount = parse_rupiah("".join(line.text for line in pagu.lines)) if pagu is not None else None
    return bool(match.group(1)), amount


def _join_overflow(previous: MatrixRow, grid: Grid, r: int, order: list[int | None]) -> None:
    for i, c in enumerate(order):
        if c is None:
            continue
        part = grid.own[r][c]
        target = previous.cells[i]
        if part is None or target is None:
            continue
        if part.has_text:
            _last_segment(target).continued_in.append(part)
        part.alias = target
    previous.page_last = grid.page


def _inherit_split_merges(previous: MatrixRow, grid: Grid, r: int, order: list[int | None]) -> set[str]:
    """A merged cell cut by the page break shows up blank at the top of the next page: keep its value.

    Geometry cannot tell that blank from a really empty cell, so the reading follows the matrix's logic:
    - blanks that lead the row (No, Sektor, ...) continue merges: a new row never starts with an empty No;
    - a blank that spans further rows down the page is a merged cell;
    - a blank Pagu in a row with its own target shares the budget line above (one Pagu, many indicators),
      and a blank Sumber Pendanaan in a row with a budget continues the source above. That last reading
      is a judgement (the same blank can be a source the author left out), so it is reported as uncertain.

    Returns the columns whose reading is uncertain.
    """
    present = sorted(
        ((c, i, name) for i, (name, c) in enumerate(zip(COLUMNS, order, strict=True)) if c is not None),
    )
    position = {name: grid.own[r][c] for c, _, name in present}

    def has_text(name: str) -> bool:
        cell = position.get(name)
        return cell is not None and cell.resolve().has_text

    uncertain: set[str] = set()
    shared: set[str] = set()
    leading = True
    for c, i, name in present:  # left to right as printed
        part = grid.own[r][c]
        if part is None or part.has_text:
            leading = False
            continue
        above = previous.cells[i]
        spans_down = part.bbox[3] > grid.row_bounds[r][1] + 1.0
        # The budget spent is merged with the budget it belongs to.
        budget_continues = (
            (name == "pagu" and has_text("target_kinerja"))
            or (name == "realisasi" and "pagu" in shared)
            or (
                name == "sumber_pendanaan"
                and has_text("pagu")
                and above is not None
                and above.resolve().has_text
            )
        )
        if above is not None and (leading or spans_down or budget_continues):
            shared.add(name)
            part.alias = above.resolve()
            if name == "sumber_pendanaan" and not (leading or spans_down):
                uncertain.add(name)
        else:
            leading = False
    return uncertain


def _new_row(grid: Grid, r: int, order: list[int | None], origin: dict[int, int], index: int) -> MatrixRow:
    cells: list[Cell | None] = []
    covered: list[bool] = []
    for c in order:
        if c is None or grid.covered_from_left[r][c]:
            cells.append(None)
            covered.append(False)
            continue
        cell = grid.cover[r][c].resolve()
        origin.setdefault(id(cell), index)
        cells.append(cell)
        covered.append(origin[id(cell)] != index)
    return MatrixRow(cells=cells, covered=covered, page_first=grid.page, page_last=grid.page)
