"""The marts analysts query, checked against figures computed independently from the extractors."""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from ingest.bps import read_bps_table
from ingest.rat.funding import FUNDING_SOURCES
from store.paths import BUNDLED_DATA_DIR
from tests.conftest import POOR_COUNT_FILE, Warehouse, query
from tests.pdf_fixtures import RAT_2023_PDF
from tests.scans import cached_extraction

README_QUERY = """
    select regency_name, p0, p0_rank, rupiah_per_poor_person
    from main.mart_budget_vs_poverty
    where year = 2023
    order by p0_rank
    limit 5
"""


@pytest.fixture
def warehouse(built_warehouse: Warehouse) -> Path:
    return built_warehouse.published


def independent_rupiah_per_poor_person() -> dict[int, float]:
    """Budget per poor person for 2023, from the extractor's rows and the BPS table, without any SQL."""
    document = cached_extraction(RAT_2023_PDF).document  # read_rat, kept for the next run (tests/scans.py)
    lines: dict[int, dict] = {}
    for row in document.rows:
        if row.budget_line is None:
            continue
        line = lines.setdefault(row.budget_line, {"pagu": row.pagu_rupiah, "codes": set()})
        line["codes"] |= {int(code) for code in row.lokasi_bps_codes.split()}
    allocated: dict[int, float] = defaultdict(float)
    for line in lines.values():
        for code in line["codes"]:
            allocated[code] += line["pagu"] / len(line["codes"])
    poor = read_bps_table(BUNDLED_DATA_DIR / POOR_COUNT_FILE)
    poor_2023 = {int(r.bps_code): r.value for r in poor[poor.year == 2023].itertuples()}
    return {code: allocated[code] / (poor_2023[code] * 1000) for code in poor_2023 if code != 5300}


def test_readme_query_answers_the_question(warehouse: Path):
    rows = query(warehouse, README_QUERY)
    assert [(name, p0, rank) for name, p0, rank, _ in rows] == [
        ("Sumba Tengah", 31.78, 1),
        ("Sabu Raijua", 28.37, 2),
        ("Sumba Timur", 28.08, 3),
        ("Sumba Barat Daya", 27.48, 4),
        ("Sumba Barat", 27.17, 5),
    ]
    expected = independent_rupiah_per_poor_person()
    codes = {
        "Sumba Tengah": 5316,
        "Sabu Raijua": 5320,
        "Sumba Timur": 5302,
        "Sumba Barat Daya": 5317,
        "Sumba Barat": 5301,
    }
    for name, _, _, rupiah in rows:
        assert rupiah == pytest.approx(expected[codes[name]], rel=1e-9), name


def test_every_rupiah_is_either_allocated_or_province_wide(warehouse: Path):
    [(allocated, province_wide, total)] = query(
        warehouse,
        """select sum(allocated_pagu), any_value(province_wide_pagu), any_value(total_pagu)
           from main.mart_budget_vs_poverty where year = 2023""",
    )
    assert total == 164_734_762_202
    assert allocated + province_wide == pytest.approx(total, abs=0.01)
    [(budget_total, lines)] = query(warehouse, "select sum(pagu), count(*) from main.fct_program_budget")
    assert (budget_total, lines) == (164_734_762_202, 25)
    [(fine_grained,)] = query(warehouse, "select sum(allocated_pagu) from main.fct_regency_program")
    assert fine_grained == pytest.approx(164_734_762_202, abs=0.01)


def test_province_wide_lines_are_never_spread(warehouse: Path):
    rows = query(
        warehouse,
        """select b.location_scope, count(*), min(r.bps_code), sum(allocation_share)
           from main.bridge_budget_regency r join main.fct_program_budget b using (budget_line_key)
           where b.regency_count = 0 group by 1 order by 1""",
    )
    assert rows == [("none", 1, 5300, 1.0), ("province", 1, 5300, 1.0), ("unspecified", 1, 5300, 1.0)]


def test_convergence_names_poor_regencies_without_a_specific_program(warehouse: Path):
    rows = query(
        warehouse,
        """select regency_name from main.mart_program_convergence
           where year = 2023 and is_top5_p0_without_specific_program""",
    )
    assert rows == [("Sumba Timur",)]


def test_profile_change_gap_and_rank(warehouse: Path):
    [(p0, change, gap, rank)] = query(
        warehouse,
        """select p0, p0_change, p0_gap_to_province, p0_rank from main.mart_regency_poverty_profile
           where bps_code = 5316 and year = 2023""",
    )
    assert (p0, rank) == (31.78, 1)
    assert change == pytest.approx(31.78 - 32.51)
    assert gap == pytest.approx(31.78 - 19.96)


def test_funding_source_seed_lists_every_code_the_extractor_produces():
    seed = Path(__file__).parents[1] / "dbt" / "seeds" / "funding_sources.csv"
    with seed.open(newline="") as handle:
        codes = {row["funding_source_code"] for row in csv.DictReader(handle)}
    assert codes == {code for code, _, _ in FUNDING_SOURCES} | {"OTHER", "NONE"}


def test_every_column_in_the_warehouse_is_described(warehouse: Path):
    """The data dictionary (dbt docs) covers every column analysts can see, not only the listed ones."""
    import json

    import duckdb

    from dagster_project.dbt_project import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text())
    undocumented = []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for node in manifest["nodes"].values():
            if node["resource_type"] != "model":
                continue
            columns = connection.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?"
                " order by ordinal_position",
                [node["schema"], node["alias"]],
            ).fetchall()
            documented = {name for name, column in node["columns"].items() if column["description"].strip()}
            undocumented += [f"{node['name']}.{name}" for (name,) in columns if name not in documented]
    assert undocumented == []
