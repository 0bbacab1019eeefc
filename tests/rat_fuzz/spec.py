"""Seeded layout specifications: everything about how one test plan is typeset, drawn from its seed."""

from __future__ import annotations

import datetime
import random
from dataclasses import asdict, dataclass

from ingest.rat.header import STANDARD_COLUMNS
from tests.rat_fuzz.bodies import Body, body_with_columns, generated_body, gold_body

PAPERS_MM = {"A4": (210, 297), "F4": (215, 330), "Legal": (215.9, 355.6), "Letter": (215.9, 279.4)}
DOCX_FONTS = {
    "serif": ["Liberation Serif", "DejaVu Serif"],
    "sans": ["Liberation Sans", "DejaVu Sans"],
    "mono": ["Liberation Mono", "DejaVu Sans Mono"],
}
REPORTLAB_FONTS = {"serif": ["Times-Roman"], "sans": ["Helvetica"], "mono": ["Courier"]}

LABELS = {
    "no": ["No", "No.", "NO", "Nomor"],
    "sektor": ["Sektor/ Urusan", "Sektor", "Urusan", "Bidang Urusan"],
    "kebijakan": ["Kebijakan", "Arah Kebijakan"],
    "sasaran": ["Sasaran"],
    "indikator_sasaran": ["Indikator Sasaran", "Indikator Kinerja Sasaran"],
    "program": ["Program"],
    "indikator_program": ["Indikator Program", "Indikator Kinerja Program"],
    "kegiatan": ["Kegiatan"],
    "indikator_kegiatan": ["Indikator Kegiatan", "Indikator Kinerja Kegiatan"],
    "sub_kegiatan": ["Sub Kegiatan", "Sub-Kegiatan"],
    "indikator_sub_kegiatan": ["Indikator Sub Kegiatan", "Indikator Kinerja Sub Kegiatan"],
    "perangkat_daerah": ["Perangkat Daerah", "OPD Pelaksana", "Perangkat Daerah Penanggung Jawab"],
    "lokasi": ["Lokasi", "Lokasi Kegiatan"],
    "realisasi": ["Realisasi (Rp)", "Realisasi Anggaran"],
    "sumber_pendanaan": ["Sumber Pendanaan", "Sumber Dana"],
}
# Target and budget: a group header over "Kinerja" and "Pagu", or two headers of their own.
TARGET_HEADERS = [
    ("Target Tahun {year}", "Kinerja", "Pagu"),
    ("Target {year}", "Kinerja", "Pagu (Rp)"),
    ("Target Tahun {year}", "Kinerja", "Pagu Indikatif (Rp)"),
    (None, "Target {year}", "Pagu Indikatif (Rp)"),
    (None, "TARGET KINERJA {year}", "Anggaran (Rp)"),
    (None, "Target Kinerja", "Pagu {year}"),
    ("Target", "Kinerja", "Pagu"),  # no year: the cover, a running header or the file name gives it
]
COLUMN_SETS = {
    "standard": tuple(STANDARD_COLUMNS),
    "no_kebijakan": tuple(c for c in STANDARD_COLUMNS if c != "kebijakan"),
    "no_sektor": tuple(c for c in STANDARD_COLUMNS if c != "sektor"),
    "agency": (*STANDARD_COLUMNS[:9], "perangkat_daerah", *STANDARD_COLUMNS[9:]),
    "sub_kegiatan": (*STANDARD_COLUMNS[:9], "sub_kegiatan", "indikator_sub_kegiatan", *STANDARD_COLUMNS[9:]),
    "realisasi": (*STANDARD_COLUMNS[:12], "realisasi", "sumber_pendanaan"),
    "regency": (
        "no",
        "program",
        "indikator_program",
        "kegiatan",
        "sub_kegiatan",
        "indikator_sub_kegiatan",
        "perangkat_daerah",
        "lokasi",
        "target_kinerja",
        "pagu",
        "realisasi",
        "sumber_pendanaan",
    ),
}
# Relative widths by what a column holds, before the +-40 % draw.
BASE_WEIGHT = {"no": 0.45, "pagu": 1.0, "realisasi": 1.0, "target_kinerja": 0.9, "sumber_pendanaan": 0.9}
ISSUERS = {5300: "PROVINSI NUSA TENGGARA TIMUR", 5302: "KABUPATEN SUMBA TIMUR", 5371: "KOTA KUPANG"}
ISSUER_PLACE = {5300: "Kupang", 5302: "Waingapu", 5371: "Kupang"}
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]  # fmt: skip


def column_widths(spec: LayoutSpec, usable: float) -> list[float]:
    """Widths in points: the drawn weights, but no column narrower than a typesetter would leave it
    (about a dozen characters; the No column three)."""
    widths = [usable * w / sum(spec.weights) for w in spec.weights]
    floors = [spec.font_size * (2.5 if c == "no" else spec.min_column_chars) for c in spec.columns]
    if sum(floors) > usable * 0.9:  # too many columns for the type size: the floors give way
        floors = [f * usable * 0.9 / sum(floors) for f in floors]
    for _ in range(3):
        short = sum(max(f - w, 0) for w, f in zip(widths, floors, strict=True))
        if short <= 0:
            break
        spare = sum(w - f for w, f in zip(widths, floors, strict=True) if w > f)
        widths = [f if w <= f else w - (w - f) * short / spare for w, f in zip(widths, floors, strict=True)]
    return widths


@dataclass(frozen=True)
class LayoutSpec:
    seed: int
    renderer: str  # "docx" (python-docx exported by LibreOffice) or "reportlab"
    paper: str
    landscape: bool
    font_family: str  # serif, sans, mono
    font: str
    font_size: float
    margin_mm: float
    columns: tuple[str, ...]
    column_set: str
    weights: tuple[float, ...]
    labels: tuple[str, ...]  # header text per column (sub-heading under the group for target and pagu)
    group_label: str | None  # spans Target and Pagu in a first header row
    header_case: str  # title or upper
    number_row: bool
    header_min_height: float  # points; repeated header rows of other heights
    body_kind: str  # gold or generated
    year: int
    year_in_header: bool
    cover: bool
    issuer: int
    revision: str | None
    printed_date: str | None  # ISO date the signature line prints
    running_header: bool
    total_label: str | None
    min_column_chars: float = 7.0  # narrowest column, in font sizes (about 1.7 characters each)

    @property
    def file_name(self) -> str:
        return f"rat_fuzz_{self.seed}_{self.year}.pdf"

    def body(self) -> Body:
        rng = random.Random(f"body-{self.seed}")
        # reportlab cannot break a row across pages: no row taller than a page for it.
        tall_rows = self.renderer == "docx"
        if self.body_kind == "gold":
            return body_with_columns(gold_body(), self.columns, rng, tall_rows)
        return generated_body(rng, self.columns, tall_rows)

    def as_dict(self) -> dict:
        return asdict(self)


def layout_spec(seed: int) -> LayoutSpec:
    rng = random.Random(seed)
    renderer = "docx" if rng.random() < 0.75 else "reportlab"
    family = rng.choice(["serif", "sans", "mono"])
    font = rng.choice((DOCX_FONTS if renderer == "docx" else REPORTLAB_FONTS)[family])
    landscape = rng.random() < 0.8
    sets = list(COLUMN_SETS)[1:] if landscape else [k for k, v in COLUMN_SETS.items() if len(v) <= 13][1:]
    column_set = rng.choice(["standard"] * 4 + sets)
    columns = COLUMN_SETS[column_set]
    year = rng.choice([2023, 2024, 2025, 2026])
    group, target_label, pagu_label = rng.choice(TARGET_HEADERS)
    year_in_header = "{year}" in f"{group}{target_label}{pagu_label}"
    case = rng.choice(["title", "title", "upper"])
    labels = []
    for column in columns:
        label = {"target_kinerja": target_label, "pagu": pagu_label}.get(column) or rng.choice(LABELS[column])
        labels.append(label.format(year=year))
    weights = tuple(round(BASE_WEIGHT.get(c, 1.0) * rng.uniform(0.6, 1.4), 3) for c in columns)
    font_size = rng.choice([6, 6.5, 7, 7.5, 8, 9, 10])
    if not landscape and font_size > 7:
        font_size = rng.choice([6, 6.5, 7])  # 13+ columns on a portrait page need small type
    if renderer == "reportlab":
        # reportlab cannot break a row across pages: keep rows shorter than a page (Courier is wide).
        font_size = min(font_size, 7 if family == "mono" else 8)
    cover = rng.random() < 0.5 or not year_in_header
    issuer = rng.choice([5300, 5300, 5302, 5371])
    day = rng.choice([None, rng.randint(1, 28)])
    month = rng.randint(1, 12)
    printed = datetime.date(year - 1 if month > 6 else year, month, day or 1) if cover else None
    return LayoutSpec(
        seed=seed,
        renderer=renderer,
        paper=rng.choice(list(PAPERS_MM)),
        landscape=landscape,
        font_family=family,
        font=font,
        font_size=font_size,
        margin_mm=rng.choice([12.7, 15, 20, 25.4]),
        columns=columns,
        column_set=column_set,
        weights=weights,
        labels=tuple(labels),
        group_label=group.format(year=year) if group else None,
        header_case=case,
        number_row=rng.random() < 0.6,
        header_min_height=rng.choice([0, 0, 18, 30, 45]),
        body_kind="gold" if rng.random() < 0.5 else "generated",
        year=year,
        year_in_header=year_in_header,
        cover=cover,
        issuer=issuer,
        revision=rng.choice([None, None, "Perubahan", "Perubahan Kedua", "Revisi"]) if cover else None,
        printed_date=printed.isoformat() + ("" if day else "/month") if printed else None,
        running_header=rng.random() < 0.3,
        total_label=rng.choice([None, None, "Jumlah", "TOTAL", "Jumlah Total", "TOTAL PAGU"]),
    )


def layout_specs(count: int, first_seed: int = 0) -> list[LayoutSpec]:
    return [layout_spec(seed) for seed in range(first_seed, first_seed + count)]


def cover_lines(spec: LayoutSpec) -> tuple[list[str], list[str]]:
    """(title lines in large type, smaller lines under them) of the plan's cover."""
    title = ["RENCANA AKSI TAHUNAN", "PENANGGULANGAN KEMISKINAN", ISSUERS[spec.issuer], f"TAHUN {spec.year}"]
    small = []
    if spec.revision:
        small.append(f"({spec.revision.upper()})")
    small.append("TIM KOORDINASI PENANGGULANGAN KEMISKINAN DAERAH")
    if spec.printed_date:
        date = datetime.date.fromisoformat(spec.printed_date.split("/")[0])
        day = "" if spec.printed_date.endswith("/month") else f"{date.day} "
        small.append(f"{ISSUER_PLACE[spec.issuer]}, {day}{MONTHS[date.month - 1]} {date.year}")
    return title, small


def running_header_text(spec: LayoutSpec) -> str:
    return f"RAT Penanggulangan Kemiskinan {ISSUERS[spec.issuer].title()} {spec.year}"
