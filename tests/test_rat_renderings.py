"""The matrix set in other page sizes, fonts, widths and years must read back cell for cell."""

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, LEGAL

from ingest.rat.extract import extract_rat
from tests.rat_gold import GOLD_DIR, differences
from tests.rat_render import F4, Layout, load_gold_cells, render_matrix

LAYOUTS = [
    Layout("a4_helvetica", A4),
    Layout("legal_times_2024_no_number_row", LEGAL, font="Times-Roman", year=2024, number_row=False),
    Layout(
        "f4_uneven_widths",
        F4,
        font_size=8,
        column_weights=(0.5, 1, 1.2, 1, 1, 1, 1.3, 1, 1.3, 1, 0.9, 1.1, 0.9),
    ),
    Layout("a4_courier_upper_header_2025", A4, font="Courier", font_size=6.5, header_case="upper", year=2025),
]


@pytest.fixture(scope="module")
def gold_cells():
    return load_gold_cells(GOLD_DIR / "rat_ntt_2023_cells.json")


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_rendering_reads_back_every_cell(layout: Layout, gold_cells, tmp_path: Path):
    pdf = render_matrix(gold_cells, tmp_path / f"{layout.name}.pdf", layout)

    document = extract_rat(pdf)

    assert document.year == layout.year
    assert differences(document.rows, skip_uncertain=True) == []
    # Uncertain readings are few: a blank cell that starts a page under text (a merge cut by the page
    # break, or really empty), a line break the lexicon and the document cannot settle.
    flagged = sum(len(row.uncertain_columns.split()) for row in document.rows)
    assert flagged <= 12, [(row.row, row.uncertain_columns) for row in document.rows if row.uncertain_columns]
    assert document.budget_total == 164_734_762_202


def test_renderings_break_pages_differently(gold_cells, tmp_path: Path):
    pages = {
        layout.name: len(
            extract_rat(render_matrix(gold_cells, tmp_path / f"{layout.name}.pdf", layout)).matrix_pages
        )
        for layout in LAYOUTS[:3]
    }
    assert len(set(pages.values())) == 3, pages
