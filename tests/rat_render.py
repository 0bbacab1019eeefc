"""Render a RAT matrix from gold cells with reportlab, in layouts the real report does not use.

Merged cells are drawn as word processors draw them, by leaving out the rule between the rows they
span (reportlab cannot break a page inside a SPAN); the grid is closed at every page break, header rows
repeat on every page, and a merge that runs over a page break continues blank on the next page.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ingest.rat.numbers import parse_rupiah

F4 = (215 * mm, 330 * mm)
HEADER = [
    "No",
    "Sektor/ Urusan",
    "Kebijakan",
    "Sasaran",
    "Indikator Sasaran",
    "Program",
    "Indikator Program",
    "Kegiatan",
    "Indikator Kegiatan",
    "Lokasi",
    None,
    None,
    "Sumber Pendanaan",
]


@dataclass(frozen=True)
class Layout:
    name: str
    pagesize: tuple[float, float]
    font: str = "Helvetica"
    font_size: float = 7.5
    column_weights: tuple[float, ...] = (1,) * 13
    number_row: bool = True
    year: int = 2023
    header_case: str = "title"  # or "upper"
    target_header: str | None = None  # the header over Kinerja and Pagu; default "Target Tahun {year}"
    cover_title: tuple[str, ...] = ()  # a cover page: title lines in large type ...
    cover_lines: tuple[str, ...] = ()  # ... then smaller lines (office, place and date)
    running_header: str | None = None  # printed at the top of every page
    total_label: str | None = None  # a last row "Jumlah" with the sum of the budget lines
    title: str = "Rencana Aksi Tahunan (test rendering)"


class _ClosedTable(Table):
    """A table whose every page fragment is closed at the bottom, as word processors draw split tables."""

    def draw(self) -> None:
        super().draw()
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 0, self._width, 0)


def load_gold_cells(path: Path) -> list[list[str | None]]:
    return json.loads(path.read_text(encoding="utf-8"))["rows"]


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def render_matrix(rows: list[list[str | None]], destination: Path, layout: Layout) -> Path:
    page = landscape(layout.pagesize)
    margin = 15 * mm
    usable = page[0] - 2 * margin
    total = sum(layout.column_weights)
    widths = [usable * w / total for w in layout.column_weights]
    body = ParagraphStyle(
        "body", fontName=layout.font, fontSize=layout.font_size, leading=layout.font_size * 1.2
    )
    head = ParagraphStyle(
        "head", parent=body, fontName=layout.font + ("-Bold" if layout.font != "Times-Roman" else "")
    )
    if layout.font == "Times-Roman":
        head = ParagraphStyle("head", parent=body, fontName="Times-Bold")

    def label(text: str) -> Paragraph:
        return _paragraph(text.upper() if layout.header_case == "upper" else text, head)

    header_top = [label(h) if h else "" for h in HEADER]
    header_top[10] = label(layout.target_header or f"Target Tahun {layout.year}")
    header_sub = [""] * 13
    header_sub[10], header_sub[11] = label("Kinerja"), label("Pagu")
    data = [header_top, header_sub]
    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (10, 0), (11, 0)),
        ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
        ("INNERGRID", (0, 0), (-1, 1), 0.5, colors.black),
        ("LINEAFTER", (0, 0), (-1, -1), 0.5, colors.black),
    ]
    style += [("SPAN", (c, 0), (c, 1)) for c in (*range(10), 12)]
    if layout.number_row:
        data.append([_paragraph(str(i), body) for i in range(1, 14)])
    header_rows = len(data)
    style.append(("INNERGRID", (0, 0), (-1, header_rows - 1), 0.5, colors.black))
    style.append(("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.5, colors.black))

    for r, row in enumerate(rows):
        table_row = header_rows + r
        data.append(["" if cell is None else _paragraph(cell, body) for cell in row])
        below = rows[r + 1] if r + 1 < len(rows) else [""] * 13
        style += [
            ("LINEBELOW", (c, table_row), (c, table_row), 0.5, colors.black)
            for c in range(13)
            if below[c] is not None
        ]

    if layout.total_label:
        total = sum({id(cell): parse_rupiah(cell) or 0 for row in rows if (cell := row[11])}.values())
        total_row = len(data)
        data.append([_paragraph(layout.total_label, head), *[""] * 10, _paragraph(f"{total:,}", head), ""])
        style += [
            ("SPAN", (0, total_row), (10, total_row)),
            ("LINEABOVE", (0, total_row), (-1, total_row), 0.5, colors.black),
        ]

    table = _ClosedTable(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle(style))
    document = SimpleDocTemplate(
        str(destination),
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=layout.title,
    )
    story: list = []
    if layout.cover_title or layout.cover_lines:
        big = ParagraphStyle("cover", fontName="Helvetica-Bold", fontSize=16, leading=20, alignment=1)
        small = ParagraphStyle("cover-small", fontName="Helvetica", fontSize=11, leading=14, alignment=1)
        story += [Spacer(1, 40 * mm), *(_paragraph(line, big) for line in layout.cover_title)]
        story += [Spacer(1, 20 * mm), *(_paragraph(line, small) for line in layout.cover_lines), PageBreak()]
    story += [_paragraph("Tabel 3.1 Matriks Rencana Aksi Tahunan", body), Spacer(1, 4 * mm), table]

    def running_header(canvas, doc) -> None:
        if layout.running_header:
            canvas.saveState()
            canvas.setFont("Helvetica", 8)
            canvas.drawString(margin, page[1] - margin / 2, layout.running_header)
            canvas.restoreState()

    document.build(story, onFirstPage=running_header, onLaterPages=running_header)
    return destination
