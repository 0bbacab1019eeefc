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
    CORE_LABELS,
    column_names,
    is_column_number_row,
    is_header_like,
    is_matrix_header,
    missing_core_columns,
    squeezed,
    year_from_header,
)
from ingest.rat.layout import BBox, Cell, Grid, Line
from ingest.rat.numbers import parse_rupiah
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings
from ingest.rat.text_repair import Vocabulary, break_reading


@dataclass
class MatrixRow:
    cells: list[Cell | None]  # per canonical column: the cell holding the value (None: horizontally merged)
    covered: list[bool]  # per canonical column: value comes from a merged cell of an earlier row
    page_first: int
    page_last: int
    uncertain: set[str] = field(default_factory=set)  # columns whose reading the layout cannot decide
    bands: list[tuple[int, BBox]] = field(default_factory=list)  # (page, box) of each grid row it spans


@dataclass
class Matrix:
    year: int | None
    printed_total: int | None = None  # the amount of the matrix's own total row ("Jumlah", "TOTAL PAGU")
    columns_found: list[str] = field(default_factory=list)  # canonical names, left to right as printed
    rows: list[MatrixRow] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary([]))
    # Where it was found: each matrix page's grid and its first data row; the grid column index of each
    # canonical column (None: the matrix lacks it).
    grids: list[tuple[Grid, int]] = field(default_factory=list)
    order: list[int | None] = field(default_factory=list)
    # Joins made across page breaks: rows whose text goes on at the top of the next page, and page-top
    # cells read as the rest of a cell from the page before (a row's overflow, a merged cell's blank).
    rows_joined_across_pages: int = 0
    cells_joined_across_pages: int = 0


def _header_texts(grid: Grid, last_header_row: int) -> list[str]:
    texts = []
    for c in range(grid.n_columns):
        parts = [grid.row_text(r)[c] for r in range(last_header_row + 1) if not grid.covered_from_left[r][c]]
        texts.append(" ".join(p for p in parts if p))
    return texts


def _completed_header(grid: Grid, last: int, texts: list[str], settings: RatSettings) -> list[str]:
    """Header texts with a label's overflow taken back from the row below ("Sumber Pendanaa" + "n").

    A word processor can draw the end of a wrapped label over the next row (the column-number row or
    the first data row); a label that names no column may be completed by that row's first word.
    """
    if last + 1 >= len(grid.own):
        return texts
    completed = list(texts)
    for c, text in enumerate(texts):
        cell = grid.own[last + 1][c]
        named = column_names([text], settings=settings)[0]
        if named or cell is None or not cell.lines or not cell.lines[0].words:
            continue
        fragment = re.sub(r"[\d\s]", "", cell.lines[0].words[0])
        if fragment and column_names([text + fragment], settings=settings)[0]:
            completed[c] = text + fragment
    return completed


def _find_header(grid: Grid, settings: RatSettings) -> tuple[list[str | None], int, list[str]] | None:
    """The canonical names of the grid's columns, the first data row and the whole labels (squeezed),
    if the grid starts the matrix."""
    for last in range(min(settings.max_header_rows, len(grid.own))):
        texts = _header_texts(grid, last)
        names = column_names(texts, settings=settings)
        if not is_matrix_header(names):
            texts = _completed_header(grid, last, texts, settings)
            names = column_names(texts, settings=settings)
        if is_matrix_header(names):
            # Further header rows (sub-headings under a group such as "Target Tahun 2023") belong to it.
            while last + 1 < len(grid.own) and is_header_like(grid.row_text(last + 1), settings=settings):
                last += 1
                names = column_names(_header_texts(grid, last), settings=settings)
            first_data = last + 1
            while first_data < len(grid.own) and is_column_number_row(
                grid.row_text(first_data), settings=settings
            ):
                first_data += 1
            shown = _page_header(grid, first_data, settings)
            whole = [max(squeezed(text), seen, key=len) for text, seen in zip(texts, shown, strict=True)]
            return names, first_data, whole
    return None


def header_diagnosis(grids: Iterable[Grid], *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> str:
    """Why no table is the matrix: the table that comes closest, the core columns it has and lacks."""
    best: tuple[int, int, list[str], list[str]] | None = None
    for grid in grids:
        for last in range(min(settings.max_header_rows, len(grid.own))):
            names = column_names(_header_texts(grid, last), settings=settings)
            missing = missing_core_columns(names)
            found = [c for c in CORE_LABELS if c not in missing]
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


def _same_columns(grid: Grid, bounds: list[tuple[float, float]], settings: RatSettings) -> bool:
    # Left edges only: pdfplumber stretches a column's right edge over any cell merged across it
    # (a "Jumlah" label spanning ten columns), while the left edges stay where the rules are.
    return grid.n_columns == len(bounds) and all(
        abs(a0 - b0) <= settings.column_tolerance
        for (a0, _), (b0, _) in zip(grid.column_bounds, bounds, strict=True)
    )


def _first_data_row(grid: Grid, header_rows: int, settings: RatSettings) -> int:
    """Skip the repeated header and the column-number row at the top of a continuation page.

    The header repeats with as many rows as on the matrix's first page: a row below them that names
    columns holds a label's overflow over data (LibreOffice), not another header row to skip whole.
    """
    r = 0
    while r < min(header_rows, len(grid.own)):
        texts = grid.row_text(r)
        number_row = is_column_number_row(texts, settings=settings)
        if number_row or is_header_like(texts, settings=settings) or not any(texts):
            r += 1
        else:
            break
    while r < len(grid.own) and is_column_number_row(grid.row_text(r), settings=settings):
        r += 1
    return r


def _page_header(grid: Grid, first: int, settings: RatSettings) -> list[str]:
    """Each column's header text on this page (rows above `first`, column numbers left out), squeezed."""
    texts = [grid.row_text(r) for r in range(first)]
    # The column-number row can carry a label's overflow too ("n 13"): its letters count, its digits not.
    texts = [
        [re.sub(r"\d", "", t) for t in row] if is_column_number_row(row, settings=settings) else row
        for row in texts
    ]
    return [
        squeezed(" ".join(texts[r][c] for r in range(first) if not grid.covered_from_left[r][c]))
        for c in range(grid.n_columns)
    ]


def _header_fonts(grid: Grid, first: int) -> tuple[set[str], set[str]]:
    """(fonts of the header rows' words, fonts of the data rows' words) on this page."""
    header, data = set(), set()
    for r, row in enumerate(grid.own):
        for cell in row:
            for line in cell.lines if cell else []:
                (header if r < first else data).update(f for f in line.fonts if f)
    return header, data


def _drop_header_overflow(grid: Grid, first: int, reference: list[str], settings: RatSettings) -> None:
    """Remove from the first data row the end of a header word that overflowed a repeated header.

    A header cell whose words wrap ("Sumber Pendanaa|n") can overflow its repeated copy on later pages;
    the overflow lands in the first data row. The first page's header says what the whole label is;
    the overflow is set in the header's type (bold) where the data is not, or starts above the row's
    rule where both share a type, so a data word that happens to spell the label's end stays.
    """
    if first >= len(grid.own):
        return
    here = _page_header(grid, first, settings)
    header_fonts, data_fonts = _header_fonts(grid, first)
    header_only = header_fonts - data_fonts

    def from_header(line: Line, index: int) -> bool:
        font = line.fonts[index] if index < len(line.fonts) else ""
        if header_only and font:
            return font in header_only
        return line.top < cell.bbox[1] + settings.header_overflow_slack

    for c, (whole, shown) in enumerate(zip(reference, here, strict=True)):
        cell = grid.own[first][c]
        if cell is None or not whole.startswith(shown):
            continue
        missing = whole[len(shown) :]
        found: list[tuple[Line, int]] = []
        words = [
            (line, k) for line in cell.lines[: settings.header_overflow_lines] for k in range(len(line.words))
        ]
        for line, k in words:  # from the cell's first word on, as long as the label goes on
            word = line.words[k]
            key = squeezed(word)
            if word == "." and not found and from_header(line, k):
                found.append((line, k))  # a label's stray full stop ("No" / ".")
                continue
            if not (missing and key and missing.startswith(key) and from_header(line, k)):
                break
            found.append((line, k))
            missing = missing[len(key) :]
        if not found:
            continue
        for line, k in sorted(found, key=lambda item: -item[1]):
            del line.words[k]
            if k < len(line.fonts):
                del line.fonts[k]
        cell.lines = [line for line in cell.lines if line.words]


def _last_segment(cell: Cell) -> Cell:
    while cell.continued_in:
        cell = cell.continued_in[-1]
    return cell


def _overflows(cell: Cell | None, settings: RatSettings) -> bool:
    """True when the cell's text runs to the bottom of its last segment, so it may continue overleaf."""
    if cell is None:
        return False
    segment = _last_segment(cell)
    if not segment.lines:
        return False
    last: Line = segment.lines[-1]
    line_height = last.bottom - last.top
    reach = settings.overflow_line_heights * line_height + settings.overflow_slack
    return segment.bbox[3] - last.bottom <= reach


def _continues(
    previous: MatrixRow, grid: Grid, r: int, order: list[int | None], settings: RatSettings
) -> bool:
    """Whether grid row r (at the top of a page) holds the overflow of `previous` from the page before."""
    own = grid.own[r]
    text_columns = [i for i, c in enumerate(order) if c is not None and (cell := own[c]) and cell.has_text]
    if not text_columns:
        return False
    return all(_overflows(previous.cells[i], settings) for i in text_columns)


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


def assemble(grids: Iterable[Grid], *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> Matrix | None:
    """The matrix found among `grids` (in page order), or None if no grid has the RAT header."""
    matrix: Matrix | None = None
    order: list[int | None] = []  # grid column index of each canonical column; None: the matrix lacks it
    reference_header: list[str] = []
    bounds: list[tuple[float, float]] = []
    origin: dict[int, int] = {}  # id(cell) -> index of the logical row the cell starts in
    matrix_grids: list[Grid] = []
    pending: list[tuple[Grid, int]] = []
    open_total: tuple[bool, str] | None = None  # a total row that ended its page, and its printed amount
    doubtful: set[int] = set()  # ids of page-top cells whose reading is uncertain

    for grid in grids:
        if matrix is None:
            found = _find_header(grid, settings)
            if found is None:
                continue
            names, first, reference_header = found
            header_row_count = first
            order = [names.index(column) if column in names else None for column in COLUMNS]
            bounds = grid.column_bounds
            header_rows = _header_texts(grid, first - 1)
            matrix = Matrix(year=year_from_header(header_rows, names))
            matrix.columns_found = [name for name in names if name]
            matrix.order = order
            _drop_header_overflow(grid, first, reference_header, settings)
        elif _same_columns(grid, bounds, settings):
            first = _first_data_row(grid, header_row_count, settings)
            _drop_header_overflow(grid, first, reference_header, settings)
        else:
            continue
        matrix_grids.append(grid)
        pending.append((grid, first))

    if matrix is None:
        return None
    matrix.grids = pending
    _set_right_limits(matrix_grids)
    merging, merged_columns = _merging_columns(pending, order)

    for grid, first in pending:
        matrix.pages.append(grid.page)
        for r in range(first, len(grid.own)):
            if r == first and open_total is not None and _amount_overflow(grid, r, order) is not None:
                # The total row broke across the page: its amount continues here.
                is_subtotal, printed = open_total
                printed += _amount_overflow(grid, r, order) or ""
                if not is_subtotal:
                    matrix.printed_total = parse_rupiah(printed)
                open_total = None
                continue
            open_total = None
            total = _total_row(grid, r, order)
            if total is not None:
                is_subtotal, printed = total
                if not is_subtotal:
                    matrix.printed_total = parse_rupiah(printed)
                if r == len(grid.own) - 1:
                    open_total = total
                continue
            previous = matrix.rows[-1] if matrix.rows else None
            at_page_top = r == first and previous is not None and previous.page_last < grid.page
            if at_page_top and _continues(previous, grid, r, order, settings):
                _join_overflow(previous, grid, r, order)
                matrix.rows_joined_across_pages += 1
                continue
            uncertain = set()
            if at_page_top and not _starts_group(grid, r, order):
                uncertain = _inherit_split_merges(
                    previous, grid, r, order, merged_columns, doubtful, settings
                )
                cut_merges = _possible_cut_merges(previous, grid, r, order, merging, settings)
                uncertain |= cut_merges
                previous.uncertain |= cut_merges
                # Rows further down that a doubtful blank covers share its doubt.
                doubtful |= {
                    id(grid.own[r][c])
                    for name, c in zip(COLUMNS, order, strict=True)
                    if name in uncertain and c is not None and grid.own[r][c] is not None
                }
            row = _new_row(grid, r, order, origin, len(matrix.rows))
            row.uncertain = uncertain | {
                name
                for name, c in zip(COLUMNS, order, strict=True)
                if c is not None and {id(grid.cover[r][c]), id(grid.cover[r][c].resolve())} & doubtful
            }
            matrix.rows.append(row)
    # Built from whole cells, so a word's tail at the top of the next page is not mistaken for a word.
    cells = {id(cell): cell for row in matrix.rows for cell in row.cells if cell is not None}
    matrix.vocabulary = Vocabulary((cell.all_lines() for cell in cells.values()), settings=settings)
    matrix.cells_joined_across_pages = sum(
        1 for grid, _ in pending for row in grid.own for cell in row if cell is not None and cell.alias
    )
    return matrix


_TOTAL_LABEL = re.compile(
    r"(sub)?(jumlah|total)(total|jumlah|pagu|anggaran|keseluruhan|seluruhnya|rp|rupiah)*"
)
_AMOUNT_COLUMNS = ("pagu", "realisasi", "sumber_pendanaan")


def _amount_overflow(grid: Grid, r: int, order: list[int | None]) -> str | None:
    """The Pagu text of grid row r when the row holds nothing else (the rest of a total row's amount)."""
    columns = {name: c for name, c in zip(COLUMNS, order, strict=True) if c is not None}
    texted = {c for c, cell in enumerate(grid.own[r]) if cell is not None and cell.has_text}
    amount_columns = {columns[name] for name in _AMOUNT_COLUMNS if name in columns}
    if not texted or not texted <= amount_columns or columns["pagu"] not in texted:
        return None
    return "".join(line.text for line in grid.own[r][columns["pagu"]].lines)


def _total_row(grid: Grid, r: int, order: list[int | None]) -> tuple[bool, str] | None:
    """(is a subtotal, printed amount) when grid row r is a total row ("Jumlah", "TOTAL PAGU")."""
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
    return bool(match.group(1)), "".join(line.text for line in pagu.lines) if pagu is not None else ""


def _row_band(grid: Grid, r: int) -> tuple[int, BBox]:
    """Grid row r's box on its page (pdfplumber's row box stretches over cells merged down from it:
    the row ends where the next one starts)."""
    top, bottom = grid.row_bounds[r]
    if r + 1 < len(grid.row_bounds):
        bottom = grid.row_bounds[r + 1][0]
    return grid.page, (grid.bbox[0], top, grid.bbox[2], bottom)


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
    previous.bands.append(_row_band(grid, r))


def _merging_columns(pending: list[tuple[Grid, int]], order: list[int | None]) -> tuple[set[str], set[str]]:
    """(columns with vertical merges, those whose groups the author always merges).

    Always merged: within a group (the No cell merged from above), a blank under text is never a
    separate empty cell on the same page. At a page top their blanks continue the merge; in other
    columns ("text on the group's first row only") a blank may be empty."""
    no = order[COLUMNS.index("no")]
    merged, split = set(), set()
    for grid, first in pending:
        for r in range(first + 1, len(grid.own)):
            within_group = no is None or (grid.own[r][no] is None and not grid.covered_from_left[r][no])
            for name, c in zip(COLUMNS, order, strict=True):
                if c is None or grid.covered_from_left[r][c]:
                    continue
                cell, above = grid.own[r][c], grid.cover[r - 1][c]
                if cell is None:
                    merged.add(name)
                elif within_group and not cell.has_text and above.resolve().has_text:
                    split.add(name)
    return merged, merged - split


def _inherit_split_merges(
    previous: MatrixRow,
    grid: Grid,
    r: int,
    order: list[int | None],
    merged_columns: set[str],
    doubtful: set[int],
    settings: RatSettings,
) -> set[str]:
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
    for position_index, (c, i, name) in enumerate(present):  # left to right as printed
        part = grid.own[r][c]
        if part is None or part.has_text:
            leading = False
            continue
        above = previous.cells[i]
        # pdfplumber's row box stretches over merged cells: the next row's top is where this row ends.
        spans_down = r + 1 < len(grid.own) and part.bbox[3] > grid.row_bounds[r + 1][0] + settings.span_slack
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
        # A blank under a doubtful blank from the page before goes on with it, doubt included.
        after_doubt = above is not None and id(above) in doubtful
        inherits = above is not None and (leading or spans_down or budget_continues or after_doubt)
        if inherits:
            shared.add(name)
            part.alias = above.resolve()
        else:
            leading = False
        # Certain: the matrix's first column (a new row never starts with an empty No), and a leading
        # blank in a column whose groups are always merged. Any other blank under text may be either
        # reading, even one that spans rows down this page (an empty merged cell looks the same).
        sure = position_index == 0 or (leading and inherits and name in merged_columns)
        if (after_doubt or (above is not None and above.resolve().has_text)) and not sure:
            uncertain.add(name)
    return uncertain


def _starts_group(grid: Grid, r: int, order: list[int | None]) -> bool:
    """A row with its own number starts a group: no merge from the rows above runs into it."""
    no = order[COLUMNS.index("no")]
    cell = grid.own[r][no] if no is not None else None
    return cell is not None and cell.has_text


def _possible_cut_merges(
    previous: MatrixRow,
    grid: Grid,
    r: int,
    order: list[int | None],
    merged_columns: set[str],
    settings: RatSettings,
) -> set[str]:
    """Columns whose text at the top of a new page may be the rest of a merged cell from the page before.

    A cell merged down over the next row, cut by the page break, shows its first lines down to where the
    row's tallest cell ends and goes on in the next row overleaf: the same picture as a full one-row cell
    beside a new cell. Only the row's single tallest cell is sure to be complete, and only a column the
    author merges anywhere can hold such a cell.
    """
    bottoms: dict[int, float] = {}
    for i, cell in enumerate(previous.cells):
        segment = _last_segment(cell) if cell is not None else None
        if segment is not None and segment.lines and segment.page == previous.page_last:
            bottoms[i] = segment.lines[-1].bottom
    found = set()
    for i, (name, c) in enumerate(zip(COLUMNS, order, strict=True)):
        part = grid.own[r][c] if c is not None else None
        if part is None or not part.has_text or i not in bottoms:
            continue
        if not _overflows(previous.cells[i], settings):
            continue
        if name not in merged_columns:
            continue
        above = previous.cells[i]
        lines = [line for line in _last_segment(above).lines if line.words]
        first_line = next(line for line in part.lines if line.words)
        if " ".join(line.text for line in part.lines) == " ".join(line.text for line in above.all_lines()):
            continue  # the same text again: a cell of its own (authors repeat values instead of merging)
        # Common words and place names only: the document's own words are not known yet.
        cut, guess = break_reading(lines[-1], first_line, _bare_vocabulary(settings), settings=settings)
        if cut and not guess:
            # A word cut by the page break ("Pendapata|n Asli Daerah"): the merged cell goes on here.
            _last_segment(above).continued_in.append(part)
            part.alias = above
            continue
        height = max(line.bottom - line.top for line in lines)
        if cut or any(abs(bottom - bottoms[i]) <= height for j, bottom in bottoms.items() if j != i):
            found.add(name)
    return found


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
    return MatrixRow(
        cells=cells, covered=covered, page_first=grid.page, page_last=grid.page, bands=[_row_band(grid, r)]
    )


_BARE_VOCABULARIES: dict[RatSettings, Vocabulary] = {}


def _bare_vocabulary(settings: RatSettings) -> Vocabulary:
    """Common words and place names, before the document's own are known (built once per settings)."""
    if settings not in _BARE_VOCABULARIES:
        _BARE_VOCABULARIES[settings] = Vocabulary([], settings=settings)
    return _BARE_VOCABULARIES[settings]
