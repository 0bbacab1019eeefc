"""RAT plans rendered from the gold cells the way a planner's office would issue them: a cover that names the
issuer, the year and (for a revision) the word "Perubahan", then the matrix. Used by the pipeline tests."""

from pathlib import Path

from reportlab.lib.pagesizes import A4

from tests.rat_gold import gold_cells
from tests.rat_render import Layout, render_matrix

PAGU_COLUMN = 11
# The report's proportions (a narrow No, wide Program to Indikator Kegiatan): no word of the gold cells is
# wider than its column, so a test comparing two versions compares documents, not the repair of cut words,
# which the fuzzer covers.
COLUMN_WEIGHTS = (0.4, 1, 1, 1, 1, 1.2, 1.2, 1.3, 1.3, 0.9, 0.8, 0.9, 0.9)


def budget_cells() -> list[str]:
    """The Pagu cells of the gold matrix, in order (merged continuations left out)."""
    return [row[PAGU_COLUMN] for row in gold_cells() if row[PAGU_COLUMN]]


def render_plan(
    destination: Path,
    year: int = 2023,
    issuer: str = "PROVINSI NUSA TENGGARA TIMUR",
    revision: str | None = None,
    signed: str = "Kupang, Desember 2022",
    pagu: dict[str, str] | None = None,
    year_in_header: bool = True,
    texts: dict[str, str] | None = None,
) -> Path:
    """The gold matrix under a cover; `pagu` replaces Pagu cells by their printed text ({old: new}),
    `texts` cells of any other column."""
    cells = [
        [
            ((pagu if column == PAGU_COLUMN else texts) or {}).get(cell, cell) if cell else cell
            for column, cell in enumerate(row)
        ]
        for row in gold_cells()
    ]
    named_year = f"TAHUN {year}" if year_in_header else ""
    layout = Layout(
        destination.stem,
        A4,
        column_weights=COLUMN_WEIGHTS,
        year=year,
        target_header=None if year_in_header else "Target",
        cover_title=tuple(
            line
            for line in ("RENCANA AKSI TAHUNAN (RAT)", "PENANGGULANGAN KEMISKINAN", issuer, named_year)
            if line
        ),
        cover_lines=tuple(line for line in (f"({revision.upper()})" if revision else "", signed) if line),
    )
    return render_matrix(cells, destination, layout)
