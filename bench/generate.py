"""National-scale inputs in the real formats, for measuring how the pipeline grows.

- BPS: multi-year statistics-table CSVs for 38 provinces and 514 regencies x 25 years, one per indicator,
  laid out as bps.go.id exports them. NTT's block carries the real bundled figures (so quality gates and
  reconciliation tests see true data); other provinces get plausible random values.
- RAT: PDFs of 20 to 60 pages rendered from the real RAT 2023 matrix (repeated), in varied page sizes,
  fonts, column widths and years.
Generated files are cached under bench/.cache, keyed by their parameters.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from pathlib import Path

from reportlab.lib.pagesizes import A4, LEGAL
from reportlab.platypus.doctemplate import LayoutError

from ingest.bps import read_bps_table
from ingest.bps.formats import candidate_files
from ingest.paths import BUNDLED_DATA_DIR
from ingest.regions import load_regencies
from tests.rat_gold import GOLD_DIR
from tests.rat_render import F4, Layout, load_gold_cells, render_matrix

CACHE = Path(__file__).parent / ".cache"
INDICATOR_TITLES = {
    "P0": "Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Persen)",
    "POOR_COUNT": "Jumlah Penduduk Miskin (Ribu Jiwa) Menurut Kabupaten/Kota",
    "P1": "Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten/Kota",
    "P2": "Indeks Keparahan Kemiskinan (P2) Menurut Kabupaten/Kota",
    "POVERTY_LINE": "Garis Kemiskinan Menurut Kabupaten/Kota (Rupiah/kapita/bulan)",
}
RANGES = {
    "P0": (3, 40),
    "POOR_COUNT": (5, 300),
    "P1": (0.3, 8),
    "P2": (0.05, 3),
    "POVERTY_LINE": (250000, 900000),
}
PAGE_SIZES = [A4, F4, LEGAL]
FONTS = ["Helvetica", "Times-Roman", "Courier"]


def _real_ntt_values() -> dict[tuple[int, int, str], float]:
    values = {}
    for path in candidate_files(BUNDLED_DATA_DIR / "bps"):
        table = read_bps_table(path)
        ntt = table[(table.province_bps_code == 5300) & (table.area_type == "total")]
        for row in ntt[ntt.semester.isna()].itertuples():
            values.setdefault((int(row.bps_code), int(row.year), row.indicator), row.value)
    return values


def national_bps_tables(regencies: int = 514, years: int = 25, seed: int = 7) -> list[Path]:
    """One national multi-year CSV per indicator; returns the files (cached)."""
    folder = CACHE / f"bps_{regencies}x{years}"
    files = [folder / f"national_{indicator}.csv" for indicator in INDICATOR_TITLES]
    if all(f.exists() for f in files):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    ntt = [(r.bps_code, r.name) for r in load_regencies()]
    others = regencies - len(ntt)
    provinces = 37
    per_province = math.ceil(others / provinces)
    real = _real_ntt_values()
    year_list = list(range(2026 - years, 2026))
    for indicator, path in zip(INDICATOR_TITLES, files, strict=True):
        low, high = RANGES[indicator]
        lines = [
            f"Provinsi/Kabupaten/Kota,{INDICATOR_TITLES[indicator]}" + "," * (years - 1),
            "," + ",".join(map(str, year_list)),
        ]

        def cells(code: int | None, indicator: str = indicator, low: float = low, high: float = high) -> str:
            if code is not None:
                return ",".join(str(real.get((code, y, indicator), "-")) for y in year_list)
            return ",".join(f"{rng.uniform(low, high):.2f}" for _ in year_list)

        made = 0
        for p in range(provinces + 1):
            if p == 20:  # NTT sits among the others, as in BPS order
                lines.append(f"NUSA TENGGARA TIMUR,{cells(5300)}")
                lines += [f"{name},{cells(code)}" for code, name in ntt]
                continue
            lines.append(f"PROVINSI SINTETIS {p},{cells(None)}")
            for k in range(min(per_province, others - made)):
                lines.append(f"Kabupaten Sintetis {p}-{k},{cells(None)}")
                made += 1
        path.write_text("\n".join(lines) + "\n")
    return files


def rat_documents(count: int, min_pages: int = 20, max_pages: int = 60, seed: int = 11) -> list[Path]:
    """`count` RAT PDFs rendered from the real matrix in varied layouts; returns the files (cached)."""
    folder = CACHE / f"rat_{count}_{min_pages}-{max_pages}_{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    gold = load_gold_cells(GOLD_DIR / "rat_ntt_2023_cells.json")
    documents = []
    for index in range(count):
        pages = rng.randint(min_pages, max_pages)
        layout = Layout(
            name=f"doc{index}",
            pagesize=rng.choice(PAGE_SIZES),
            font=rng.choice(FONTS),
            font_size=rng.choice([7.0, 7.5, 8.0]),
            column_weights=tuple(rng.uniform(0.7, 1.3) for _ in range(13)),
            number_row=rng.random() < 0.7,
            year=rng.choice([2023, 2024, 2025, 2026]),
        )
        repeats = max(1, round(pages / 8))  # the matrix fills about 8 pages per copy
        path = folder / f"RAT_sintetis_{index:03d}_{layout.year}.pdf"
        if not path.exists():
            try:
                render_matrix(gold * repeats, path, layout)
            except LayoutError:  # a row taller than the page in this layout: fall back to a roomier one
                roomier = replace(layout, pagesize=LEGAL, font_size=7.0, column_weights=(1.0,) * 13)
                render_matrix(gold * repeats, path, roomier)
        documents.append(path)
    return documents
