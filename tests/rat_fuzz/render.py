"""Typeset layout specs as PDFs, the way plans are made, and keep them in a cache keyed by content.

- docx: a python-docx document (ruled table, vertical merges, header rows repeated on every page,
  rows allowed to break across pages) exported by LibreOffice headless, as most plans are;
- reportlab: merges drawn by leaving out rules, as `tests/rat_render.py` does.

The cache key hashes the spec, the body, the renderer's versions (LibreOffice, python-docx, reportlab)
and this package's source, so a changed generator renders again and an unchanged one never does.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib.metadata import version
from pathlib import Path
from xml.sax.saxutils import escape

from tests.rat_fuzz.bodies import Body
from tests.rat_fuzz.spec import PAPERS_MM, LayoutSpec, column_widths, cover_lines, running_header_text
from tests.tool_profiles import PROFILES_DIR, Slot, first_start, tool_profile

CACHE_DIR = Path(__file__).resolve().parents[2] / ".cache" / "rat-fuzz"
PACKAGE_DIR = Path(__file__).resolve().parent


class RenderError(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def renderer_version() -> str:
    office_version = "none"
    if soffice():
        with tool_profile("libreoffice") as slot:
            office_version = _run_soffice(slot, ["--version"], timeout=120).stdout.strip()
    sources = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        sources.update(path.read_bytes())
    return json.dumps(
        {
            "libreoffice": office_version,
            "python-docx": version("python-docx"),
            "reportlab": version("reportlab"),
            "generator": sources.hexdigest(),
        },
        sort_keys=True,
    )


def cache_key(spec: LayoutSpec, body: Body) -> str:
    payload = json.dumps(
        {"spec": spec.as_dict(), "body": [body.columns, body.rows], "renderer": renderer_version()},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def cached_pdf(spec: LayoutSpec) -> Path:
    return CACHE_DIR / cache_key(spec, spec.body()) / spec.file_name


def _case(spec: LayoutSpec, text: str) -> str:
    return text.upper() if spec.header_case == "upper" else text


def _page_size(spec: LayoutSpec) -> tuple[float, float]:
    """Points, width first."""
    w, h = (v * 72 / 25.4 for v in PAPERS_MM[spec.paper])
    return (h, w) if spec.landscape else (w, h)


def _total(body: Body) -> int:
    from ingest.rat.numbers import parse_rupiah

    pagu = body.columns.index("pagu")
    return sum(parse_rupiah(row[pagu]) or 0 for row in body.rows if row[pagu])


def _header_rows(spec: LayoutSpec) -> tuple[list[str | None], list[str | None]]:
    """The two header rows; None in the top row where a column's label sits in the second row only."""
    top: list[str | None] = []
    sub: list[str | None] = []
    for column, label in zip(spec.columns, spec.labels, strict=True):
        if spec.group_label and column in ("target_kinerja", "pagu"):
            top.append(spec.group_label if column == "target_kinerja" else None)
            sub.append(label)
        else:
            top.append(label)
            sub.append("")
    return top, sub


# --- python-docx ---------------------------------------------------------------------------------


def write_docx(spec: LayoutSpec, body: Body, destination: Path) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = spec.font
    normal.font.size = Pt(spec.font_size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), spec.font)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    def setup(section, landscape: bool) -> None:
        width, height = Mm(PAPERS_MM[spec.paper][0]), Mm(PAPERS_MM[spec.paper][1])
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(spec.margin_mm))

    section = document.sections[0]
    if spec.running_header:
        section.header.paragraphs[0].text = running_header_text(spec)
    if spec.cover:
        setup(section, landscape=False)
        title, small = cover_lines(spec)
        for _ in range(6):
            document.add_paragraph()
        for line in title:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(line)
            run.bold, run.font.size = True, Pt(18)
        document.add_paragraph()
        for line in small:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(line).font.size = Pt(12)
        section = document.add_section(WD_SECTION.NEW_PAGE)
    setup(section, spec.landscape)
    document.add_paragraph("Tabel 3.1 Matriks Rencana Aksi Tahunan Penanggulangan Kemiskinan")

    top, sub = _header_rows(spec)
    two_rows = any(sub)
    header_count = (2 if two_rows else 1) + (1 if spec.number_row else 0)
    n = len(spec.columns)
    total_rows = header_count + len(body.rows) + (1 if spec.total_label else 0)
    table = document.add_table(rows=total_rows, cols=n)
    table.style = "Table Grid"
    table.autofit = False
    usable = section.page_width - section.left_margin - section.right_margin
    widths = [int(Pt(w)) for w in column_widths(spec, usable / 12700)]  # EMU to points
    for i, column in enumerate(table.columns):
        column.width = widths[i]

    def put(r: int, c: int, text: str, bold: bool = False) -> None:
        cell = table.cell(r, c)
        cell.width = widths[c]
        run = cell.paragraphs[0].add_run(text)
        run.bold = bold

    for c in range(n):
        if top[c] is not None:
            put(0, c, _case(spec, top[c]), bold=True)
        if two_rows and sub[c]:
            put(1, c, _case(spec, sub[c]), bold=True)
    if two_rows:
        for c in range(n):
            if top[c] is None:
                continue
            if not sub[c]:
                table.cell(0, c).merge(table.cell(1, c))
        group = [c for c in range(n) if spec.columns[c] in ("target_kinerja", "pagu")]
        if spec.group_label:
            table.cell(0, group[0]).merge(table.cell(0, group[-1]))
    if spec.number_row:
        for c in range(n):
            put(header_count - 1, c, str(c + 1))
    for r in range(header_count):
        row = table.rows[r]
        properties = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)
        if spec.header_min_height and r == 0:
            row.height = Pt(spec.header_min_height)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    for i, cells in enumerate(body.rows):
        for c, text in enumerate(cells):
            if text:
                put(header_count + i, c, text)
    for c in range(n):
        start = None
        for i in range(len(body.rows) + 1):
            covered = i < len(body.rows) and body.rows[i][c] is None
            if covered and start is None:
                start = i - 1
            if not covered and start is not None:
                table.cell(header_count + start, c).merge(table.cell(header_count + i - 1, c))
                start = None
    if spec.total_label:
        r = total_rows - 1
        pagu = spec.columns.index("pagu")
        put(r, 0, spec.total_label, bold=True)
        put(r, pagu, f"{_total(body):,}", bold=True)
        table.cell(r, 0).merge(table.cell(r, pagu - 1))
    document.save(destination)
    return destination


def _run_soffice(slot: Slot, arguments: list[str], timeout: float) -> subprocess.CompletedProcess:
    office = soffice()
    if office is None:
        raise RenderError("LibreOffice (soffice) is not installed: run `make .venv fuzz` or install it")
    return subprocess.run(
        [office, f"-env:UserInstallation={slot.profile.as_uri()}", "--headless", "--norestore", *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=slot.env,
    )


def _start_new_profile(slot: Slot, profiles: Path) -> None:
    """A new profile is created by one LibreOffice at a time, by a start that converts nothing."""
    if slot.is_new:
        with first_start("libreoffice", profiles):
            if _run_soffice(slot, ["--terminate_after_init"], timeout=180).returncode == 0:
                slot.mark_ready()


def _said(completed: subprocess.CompletedProcess) -> str:
    lines = [line for line in completed.stderr.splitlines() if line.strip() and "javaldx" not in line]
    return f"exit {completed.returncode}: " + " / ".join(lines)[-500:]


class LibreOfficeRestarted(UserWarning):
    """LibreOffice failed before converting anything and converted everything when started again."""


def convert_with_libreoffice(documents: list[Path], outdir: Path, profiles: Path = PROFILES_DIR) -> None:
    """One LibreOffice process converts a batch (its start-up is the slow part), on a profile of its own.

    A LibreOffice that converts nothing (it died starting, or could not read the documents) is started
    once more on a new profile; what is still missing then is a RenderError with LibreOffice's message.
    Profiles are slots of `profiles` (tests/tool_profiles.py).
    """
    if not documents:
        return
    timeout = 120 + 30 * len(documents)
    arguments = ["--convert-to", "pdf", "--outdir", str(outdir)]
    with tool_profile("libreoffice", profiles) as slot:
        _start_new_profile(slot, profiles)
        first = _run_soffice(slot, [*arguments, *map(str, documents)], timeout)
        missing = [d for d in documents if not (outdir / (d.stem + ".pdf")).exists()]
        if missing != documents:
            completed = first
        else:
            slot.reset()
            _start_new_profile(slot, profiles)
            completed = _run_soffice(slot, [*arguments, *map(str, missing)], timeout)
            missing = [d for d in documents if not (outdir / (d.stem + ".pdf")).exists()]
            if not missing:
                warnings.warn(f"LibreOffice was started again: {_said(first)}", LibreOfficeRestarted, 2)
    if missing:
        again = "" if completed is first else f" (started twice; the first time {_said(first)})"
        names = [m.name for m in missing]
        raise RenderError(f"LibreOffice did not convert {names}: {_said(completed)}{again}")


# --- reportlab -----------------------------------------------------------------------------------


def write_reportlab(spec: LayoutSpec, body: Body, destination: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    class ClosedTable(Table):
        def draw(self) -> None:
            super().draw()
            self.canv.setLineWidth(0.5)
            self.canv.line(0, 0, self._width, 0)

    page = _page_size(spec)
    margin = spec.margin_mm * mm
    widths = column_widths(spec, page[0] - 2 * margin)
    bold = {"Times-Roman": "Times-Bold", "Helvetica": "Helvetica-Bold", "Courier": "Courier-Bold"}[spec.font]
    style = ParagraphStyle("b", fontName=spec.font, fontSize=spec.font_size, leading=spec.font_size * 1.2)
    head = ParagraphStyle("h", parent=style, fontName=bold)

    def para(text: str, st: ParagraphStyle = style) -> Paragraph:
        return Paragraph(escape(text), st)

    top, sub = _header_rows(spec)
    n = len(spec.columns)
    two_rows = any(sub)
    data: list[list] = [[para(_case(spec, t), head) if t else "" for t in top]]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
        ("LINEAFTER", (0, 0), (-1, -1), 0.5, colors.black),
    ]
    if two_rows:
        data.append([para(_case(spec, s), head) if s else "" for s in sub])
        commands += [("SPAN", (c, 0), (c, 1)) for c in range(n) if not sub[c]]
        group = [c for c in range(n) if spec.columns[c] in ("target_kinerja", "pagu")]
        commands.append(("SPAN", (group[0], 0), (group[-1], 0)))
    if spec.number_row:
        data.append([para(str(c + 1)) for c in range(n)])
    header_count = len(data)
    commands.append(("INNERGRID", (0, 0), (-1, header_count - 1), 0.5, colors.black))
    commands.append(("LINEBELOW", (0, header_count - 1), (-1, header_count - 1), 0.5, colors.black))
    for i, cells in enumerate(body.rows):
        data.append(["" if not text else para(text) for text in cells])
        below = body.rows[i + 1] if i + 1 < len(body.rows) else ("",) * n
        commands += [
            ("LINEBELOW", (c, header_count + i), (c, header_count + i), 0.5, colors.black)
            for c in range(n)
            if below[c] is not None
        ]
    if spec.total_label:
        r = len(data)
        pagu = spec.columns.index("pagu")
        data.append([para(spec.total_label, head)] + [""] * (pagu - 1) + [para(f"{_total(body):,}", head)])
        data[-1] += [""] * (n - len(data[-1]))
        commands += [("SPAN", (0, r), (pagu - 1, r)), ("LINEABOVE", (0, r), (-1, r), 0.5, colors.black)]
    if spec.header_min_height:  # reportlab's row heights are exact: pad the first header row instead
        commands.append(("BOTTOMPADDING", (0, 0), (-1, 0), spec.header_min_height / 3))
    table = ClosedTable(data, colWidths=widths, repeatRows=header_count)
    table.setStyle(TableStyle(commands))
    story: list = []
    if spec.cover:
        title, small = cover_lines(spec)
        big = ParagraphStyle("c", fontName="Helvetica-Bold", fontSize=18, leading=22, alignment=1)
        little = ParagraphStyle("s", fontName="Helvetica", fontSize=12, leading=15, alignment=1)
        story += [Spacer(1, 40 * mm), *(para(t, big) for t in title), Spacer(1, 15 * mm)]
        story += [*(para(t, little) for t in small), PageBreak()]
    story += [
        para("Tabel 3.1 Matriks Rencana Aksi Tahunan Penanggulangan Kemiskinan"),
        Spacer(1, 3 * mm),
        table,
    ]

    def header(canvas, _doc) -> None:
        if spec.running_header:
            canvas.saveState()
            canvas.setFont("Helvetica", 8)
            canvas.drawString(margin, canvas._pagesize[1] - margin / 2, running_header_text(spec))
            canvas.restoreState()

    document = SimpleDocTemplate(
        str(destination),
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
    )
    document.build(story, onFirstPage=header, onLaterPages=header)
    return destination


# --- the corpus ----------------------------------------------------------------------------------


RENDER_FAILURES: dict[int, str] = {}  # seed -> why its layout could not be typeset (in this process)


def rendered_corpus(specs: list[LayoutSpec], workers: int | None = None) -> dict[int, Path]:
    """The PDF of every spec by seed, rendering only those not in the cache, in parallel.

    A spec that cannot be typeset is left out and its reason kept in RENDER_FAILURES.
    """
    workers = workers or os.cpu_count() or 1
    paths = {spec.seed: cached_pdf(spec) for spec in specs}
    todo = [spec for spec in specs if not paths[spec.seed].exists()]
    if not todo:
        return paths
    with tempfile.TemporaryDirectory(prefix="rat-fuzz-") as scratch:
        work = Path(scratch)
        docx_specs = [s for s in todo if s.renderer == "docx"]
        sources = [write_docx(s, s.body(), work / (Path(s.file_name).stem + ".docx")) for s in docx_specs]
        batches = [sources[i::workers] for i in range(workers) if sources[i::workers]]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            converted = [pool.submit(convert_with_libreoffice, batch, work) for batch in batches]
            for spec in todo:
                if spec.renderer == "reportlab":
                    try:
                        write_reportlab(spec, spec.body(), work / spec.file_name)
                    except Exception as error:  # reportlab's LayoutError: a row taller than a page
                        RENDER_FAILURES[spec.seed] = f"reportlab: {type(error).__name__}: {str(error)[:200]}"
            errors = [future.exception() for future in converted]
        for spec in todo:
            if not (work / spec.file_name).exists():
                RENDER_FAILURES.setdefault(spec.seed, "not rendered")
                del paths[spec.seed]
                continue
            target = paths[spec.seed]
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            shutil.copyfile(work / spec.file_name, partial)
            partial.replace(target)
    for error in errors:  # after what did convert is kept, so a second run renders only the rest
        if error is not None:
            raise error
    return paths


def render_one(spec: LayoutSpec, destination: Path) -> Path:
    """Render `spec` to `destination` without the cache (to debug one layout)."""
    with tempfile.TemporaryDirectory(prefix="rat-fuzz-") as scratch:
        work = Path(scratch)
        if spec.renderer == "docx":
            source = write_docx(spec, spec.body(), work / (Path(spec.file_name).stem + ".docx"))
            shutil.copyfile(source, destination.with_suffix(".docx"))
            convert_with_libreoffice([source], work)
        else:
            write_reportlab(spec, spec.body(), work / spec.file_name)
        shutil.copyfile(work / spec.file_name, destination)
    return destination
