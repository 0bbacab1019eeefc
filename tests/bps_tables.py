"""BPS tables written the ways bps.go.id exports them, from a spec: CSV, XLSX and HTML of the same table.

A `TableSpec` is one variable over rows and column dimensions (breakdown, year, period), the model the
readers parse every export into. The writers render it as BPS does (data/bps/BPS_FORMATS.md): the CSV with
each spanning header printed once at its first column, the XLSX with the title and its years in row 1, the
header block below it with merged cells and numbers stored as text, the HTML with colspans. The expected
observations come from the spec itself, never from a reader.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

MISSING = {"", "-", "..."}


@dataclass(frozen=True)
class TableSpec:
    title: str  # with its unit in parentheses, as BPS prints it
    corner: str  # the row dimension's header: "38 Provinsi", "Provinsi", "Wilayah"
    rows: list[tuple[str, list[str]]]  # (label, one cell per column, in column order)
    years: list[int]
    breakdowns: list[str] = field(default_factory=list)  # outermost dimension; [] for none
    periods: list[str] = field(default_factory=list)  # innermost; [] for annual tables

    def columns(self) -> list[tuple[str, int, str]]:
        """(breakdown, year, period) of every value column, in BPS's order: breakdown, year, period."""
        return [
            (breakdown, year, period)
            for breakdown in self.breakdowns or [""]
            for year in self.years
            for period in self.periods or [""]
        ]

    def header(self, spans: str = "first") -> list[list[str]]:
        """The header rows under the title: breakdown, year, period. `spans` "first" prints a spanning cell
        once at its first column (CSV); "all" repeats it in every column it covers."""
        columns = self.columns()
        rows = []
        for level, values in (
            (0, [c[0] for c in columns] if self.breakdowns else None),
            (1, [str(c[1]) for c in columns]),
            (2, [c[2] for c in columns] if self.periods else None),
        ):
            if values is None:
                continue
            printed = []
            for index, value in enumerate(values):
                key = columns[index][: level + 1]
                first = index == 0 or columns[index - 1][: level + 1] != key
                printed.append(value if spans == "all" or first else "")
            rows.append(printed)
        return rows

    def subset(self, labels: set[str]) -> TableSpec:
        return replace(self, rows=[row for row in self.rows if row[0] in labels])


def grid(spec: TableSpec, title_beside_corner: bool = False) -> list[list[str]]:
    """The table as a CSV export's grid: the corner row, the title, the header rows, the values."""
    width = len(spec.columns())
    header = spec.header("first")
    if title_beside_corner:
        top = [[spec.corner, spec.title, *[""] * (width - 1)]]
    else:
        top = [[spec.corner, *[""] * width], ["", spec.title, *[""] * (width - 1)]]
    return [*top, *(["", *row] for row in header), *([label, *cells] for label, cells in spec.rows)]


def write_csv(
    path: Path,
    spec: TableSpec,
    *,
    bom: bool = True,
    footer: bool = False,
    shift: int = 0,
    title_beside_corner: bool = False,
) -> Path:
    """The CSV export: BOM and no final newline as bps.go.id writes it; `shift` empty rows above."""
    rows = [[]] * shift + grid(spec, title_beside_corner)
    if footer:
        rows += [[], ["Catatan", "<br /><ul><li>Sumber: Badan Pusat Statistik</li></ul>"]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes((("\ufeff" if bom else "") + buffer.getvalue().rstrip("\n")).encode("utf-8"))
    return path


def write_xlsx(path: Path, spec: TableSpec, *, shift: int = 0) -> Path:
    """The XLSX export: title and years in row 1 (merged across), row 2 empty, then the row dimension's
    name beside the title again, one merged header row per column dimension, numbers stored as text."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    width = len(spec.columns()) + 1
    last = get_column_letter(width)
    top = 1 + shift
    years = f"{min(spec.years)}-{max(spec.years)}" if len(spec.years) > 1 else str(spec.years[0])
    sheet.cell(top, 1, f"{spec.title} {years}")
    sheet.merge_cells(f"A{top}:{last}{top}")
    first_header = top + 2
    sheet.cell(first_header, 1, "Provinsi" if "Provinsi" in spec.corner else spec.corner)
    sheet.cell(first_header, 2, spec.title)
    sheet.merge_cells(f"B{first_header}:{last}{first_header}")
    header = spec.header("first")
    full = spec.header("all")
    for offset, (printed, values) in enumerate(zip(header, full, strict=True), start=1):
        row = first_header + offset
        for index, value in enumerate(printed):
            if not value:
                continue
            sheet.cell(row, index + 2, value)
            end = index
            while end + 1 < len(values) and not printed[end + 1] and values[end + 1] == value:
                end += 1
            if end > index:
                sheet.merge_cells(f"{get_column_letter(index + 2)}{row}:{get_column_letter(end + 2)}{row}")
    sheet.merge_cells(f"A{first_header}:A{first_header + len(header)}")
    for number, (label, cells) in enumerate(spec.rows, start=first_header + len(header) + 1):
        sheet.cell(number, 1, label)
        for index, value in enumerate(cells):
            sheet.cell(number, index + 2, value)  # text, as BPS stores its numbers
    workbook.save(path)
    return path


def write_html(path: Path, spec: TableSpec) -> Path:
    """An HTML export of the table: one <table>, spanning header cells with colspan, text escaped."""
    width = len(spec.columns())
    full = spec.header("all")
    out = ["<html><body><table>"]
    out.append(
        f"<tr><th rowspan='{len(full) + 1}'>{html.escape(spec.corner)}</th>"
        f"<th colspan='{width}'>{html.escape(spec.title)}</th></tr>"
    )
    for level, values in enumerate(full):
        cells, index = [], 0
        while index < len(values):
            end = index
            while end + 1 < len(values) and all(
                full[up][end + 1] == full[up][index] for up in range(level + 1)
            ):
                end += 1
            cells.append(f"<th colspan='{end - index + 1}'>{html.escape(values[index])}</th>")
            index = end + 1
        out.append("<tr>" + "".join(cells) + "</tr>")
    for label, row in spec.rows:
        values = "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
        out.append(f"<tr><td>{html.escape(label)}</td>{values}</tr>")
    out.append("</table></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def expected(spec: TableSpec, codes: dict[str, int], indicator: str, breakdowns: dict[str, str] | None = None,
             periods: dict[str, str] | None = None) -> set[tuple]:  # fmt: skip
    """(bps_code, year, period, breakdown, indicator, value) of every figure the spec holds."""
    found = set()
    for label, cells in spec.rows:
        for (breakdown, year, period), cell in zip(spec.columns(), cells, strict=True):
            if cell.strip() in MISSING:
                continue
            found.add(
                (
                    codes[label],
                    year,
                    (periods or {}).get(period, "annual"),
                    (breakdowns or {}).get(breakdown, "total"),
                    indicator,
                    float(cell),
                )
            )
    return found


def observed(table) -> set[tuple]:
    """The same tuple for every observation a reader returned."""
    return set(
        zip(
            table.bps_code.astype(int),
            table.year.astype(int),
            table.period,
            table.breakdown,
            table.indicator,
            table.value.astype(float),
            strict=True,
        )
    )
