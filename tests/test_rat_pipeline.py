"""RAT documents through the real job: new files extracted once, bad files quarantined, rest published."""

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import LEGAL

from dagster_project.refresh import run_refresh
from tests.conftest import query
from tests.pdf_fixtures import truncated_copy
from tests.rat_gold import GOLD_DIR
from tests.rat_render import Layout, load_gold_cells, render_matrix

DOCUMENTS = "select year, source_file, loaded_at from staging.stg_rat__documents order by year"


@pytest.fixture
def landing(isolated_env: Path) -> Path:
    return isolated_env


def test_landed_pdfs_are_extracted_once_and_bad_ones_quarantined(landing: Path, tmp_path: Path):
    warehouse = tmp_path / "warehouse" / "ntt_poverty.duckdb"
    cells = load_gold_cells(GOLD_DIR / "rat_ntt_2023_cells.json")
    render_matrix(
        cells, landing / "RAT_2024_legal.pdf", Layout("legal", LEGAL, font="Times-Roman", year=2024)
    )
    truncated_copy(landing / "RAT_2025_damaged.pdf")

    first = run_refresh(warehouse=warehouse, log_level="WARNING")

    assert first.success, first.report()
    documents = query(warehouse, DOCUMENTS)
    assert [(year, Path(source).name) for year, source, _ in documents] == [
        (2023, "RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf"),
        (2024, "RAT_2024_legal.pdf"),
    ]
    [(file, check, reason)] = query(
        warehouse, "select source_file, check_name, reason from raw.quarantine where source = 'rat_documents'"
    )
    assert file.endswith("RAT_2025_damaged.pdf")
    assert check == "not_a_pdf"
    assert "damaged or truncated" in reason
    assert any("RAT_2025_damaged.pdf" in text for text in first.quarantined)
    totals = query(
        warehouse, "select year, budget_total_rupiah from staging.stg_rat__documents order by year"
    )
    assert totals == [(2023, 164_734_762_202), (2024, 164_734_762_202)]

    render_matrix(cells, landing / "RAT_2025_a4.pdf", Layout("a4", (595.3, 841.9), year=2025))
    second = run_refresh(warehouse=warehouse, log_level="WARNING")

    assert second.success, second.report()
    after = {year: loaded_at for year, _, loaded_at in query(warehouse, DOCUMENTS)}
    before = {year: loaded_at for year, _, loaded_at in documents}
    assert sorted(after) == [2023, 2024, 2025]
    # Unchanged documents were not extracted again: their load time is the first run's.
    assert after[2023] == before[2023] and after[2024] == before[2024]
    assert after[2025] > before[2024]
    assert len(query(warehouse, "select * from raw.quarantine where source = 'rat_documents'")) == 1
