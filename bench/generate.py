"""Many RAT plans, for measuring how the pipeline grows (the national BPS tables are real and bundled).

PDFs of 20 to 60 pages rendered from the real RAT 2023 matrix (repeated), in varied page sizes, fonts,
column widths and years, each under a cover naming its issuer (the province or one of its 22 kab/kota)
and year, as real plans do. Generated files are cached under bench/.cache, keyed by their parameters.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from reportlab.lib.pagesizes import A4, LEGAL
from reportlab.platypus.doctemplate import LayoutError

from ingest.regions import load_regencies
from tests.rat_gold import GOLD_DIR
from tests.rat_render import F4, Layout, load_gold_cells, render_matrix

CACHE = Path(__file__).parent / ".cache"
PAGE_SIZES = [A4, F4, LEGAL]
FONTS = ["Helvetica", "Times-Roman", "Courier"]


def _issuers() -> list[str]:
    """The province and its 22 kab/kota, as their plans' covers name them."""
    names = [
        f"KABUPATEN {r.name.upper()}" if r.type == "Kabupaten" else r.name.upper() for r in load_regencies()
    ]
    return ["PROVINSI NUSA TENGGARA TIMUR", *names]


def rat_documents(count: int, min_pages: int = 20, max_pages: int = 60, seed: int = 11) -> list[Path]:
    """`count` RAT PDFs rendered from the real matrix in varied layouts; returns the files (cached)."""
    folder = CACHE / f"rat_{count}_{min_pages}-{max_pages}_{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    gold = load_gold_cells(GOLD_DIR / "rat_ntt_2023_cells.json")
    issuers = _issuers()
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
        issuer = rng.choice(issuers)
        layout = replace(
            layout,
            cover_title=("RENCANA AKSI TAHUNAN", "PENANGGULANGAN KEMISKINAN", issuer, f"TAHUN {layout.year}"),
            cover_lines=(f"Kupang, Desember {layout.year - 1}",),
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


def scanned_plans() -> list[Path]:
    """Image-only plans read by OCR: the RAT 2023 report scanned four ways (tests/scans.py), 49 pages."""
    from tests.scans import ALL_PAGES, clean_scan, skewed_noisy_scan

    return [clean_scan(300), clean_scan(200), clean_scan(300, ALL_PAGES), skewed_noisy_scan()]


def national_corpus() -> list[Path]:
    """The national-scale corpus: 200 generated plans of 20 to 60 pages and the scanned plans."""
    return [*rat_documents(200), *scanned_plans()]


def quick_corpus() -> list[Path]:
    """A small corpus for quick checks: 8 generated plans of 20 to 24 pages and one 9-page scan."""
    from tests.scans import clean_scan

    return [*rat_documents(8, min_pages=20, max_pages=24, seed=4), clean_scan(300)]
