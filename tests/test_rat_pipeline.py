"""RAT documents through the real job: new files extracted once, bad files quarantined, the rest published."""

from pathlib import Path

from reportlab.lib.pagesizes import LEGAL

from tests.conftest import RAT_2023_TOTAL, Warehouse
from tests.pdf_fixtures import truncated_copy
from tests.plans import render_plan
from tests.rat_gold import GOLD_DIR
from tests.rat_render import Layout, load_gold_cells, render_matrix

DOCUMENTS = "select year, source_file, loaded_at from main.dim_document order by year"


def test_landed_pdfs_are_extracted_once_and_bad_ones_quarantined(warehouse: Warehouse):
    cells = load_gold_cells(GOLD_DIR / "rat_ntt_2023_cells.json")
    cover = ("RENCANA AKSI TAHUNAN", "PENANGGULANGAN KEMISKINAN", "PROVINSI NUSA TENGGARA TIMUR")
    render_matrix(
        cells,
        warehouse.landing / "RAT_2024_legal.pdf",
        Layout("legal", LEGAL, font="Times-Roman", year=2024, cover_title=(*cover, "TAHUN 2024")),
    )
    truncated_copy(warehouse.landing / "RAT_2025_damaged.pdf")

    first = warehouse.refresh()

    assert first.success, first.report()
    documents = warehouse.query(DOCUMENTS)
    assert [(year, Path(source).name) for year, source, _ in documents] == [
        (2023, "RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf"),
        (2024, "RAT_2024_legal.pdf"),
    ]
    [(file, check, reason)] = warehouse.query(
        "select source_file, check_name, reason from provenance.quarantine where source = 'rat_plans'"
    )
    assert file.endswith("RAT_2025_damaged.pdf")
    assert check == "not_a_pdf"
    assert "damaged or truncated" in reason
    assert any("RAT_2025_damaged.pdf" in text for text in first.quarantined)
    totals = warehouse.query("select year, budget_total_rupiah from main.dim_document order by year")
    assert totals == [(2023, RAT_2023_TOTAL), (2024, RAT_2023_TOTAL)]

    render_plan(warehouse.landing / "RAT_2025_a4.pdf", year=2025, signed="Kupang, Desember 2024")
    second = warehouse.refresh()

    assert second.success, second.report()
    after = {year: loaded_at for year, _, loaded_at in warehouse.query(DOCUMENTS)}
    before = {year: loaded_at for year, _, loaded_at in documents}
    assert sorted(after) == [2023, 2024, 2025]
    # Unchanged documents were not extracted again: their load time is the first run's.
    assert after[2023] == before[2023] and after[2024] == before[2024]
    assert after[2025] > before[2024]
    assert warehouse.query("select count(*) from provenance.quarantine where source = 'rat_plans'") == [(1,)]
