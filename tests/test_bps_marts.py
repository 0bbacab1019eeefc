"""The national star: every area, survey rounds, extreme poverty, and NTT among the provinces and kab/kota.

Expected figures come from the bundled files, read by the readers (`ingest.bps.read_bps_table`,
`ingest.releases.extreme_poverty.read_poverty_release_table`) and ranked here in Python, never from SQL.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from ingest.bps import read_bps_table
from ingest.releases.extreme_poverty import read_poverty_release_table
from reporting.data import read_report_data
from store.paths import BUNDLED_DATA_DIR, REPO_ROOT
from tests.bps_files import AKBARALQAHRI, ARDWIND, P0_PROVINCE_2022, published_observations, value
from tests.conftest import Warehouse, query
from tests.documented_examples import example_question

RELEASES = BUNDLED_DATA_DIR / "releases" / "ntt_extreme_poverty_from_releases.csv"
REFERENCE = BUNDLED_DATA_DIR / "reference"
SEEDS = REPO_ROOT / "dbt" / "seeds"
NTT = 5300

FACT = """
    select f.value, f.survey_round, f.source_layout, f.producer, f.notes
    from main.fct_poverty_indicator f
    join main.dim_area a using (area_key) join main.dim_period p using (period_key)
    join main.dim_indicator i using (indicator_key)
    where a.bps_code = ? and p.year = ? and p.period = ? and i.indicator_code = ?
    order by f.survey_round
"""


@pytest.fixture(scope="module")
def warehouse(built_warehouse: Warehouse) -> Path:
    return built_warehouse.published


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def releases() -> pd.DataFrame:
    return read_poverty_release_table(RELEASES).rename(columns={"_source_row": "source_row"})


def one_file(folder: Path, year: int) -> Path:
    [path] = [p for p in folder.glob("*.csv") if p.stem.endswith(f", {year}")]
    return path


@cache
def _round_rules() -> tuple[dict[str, str], list[tuple[str, int, int, str]]]:
    series = {row["layout"]: row["series"] for row in _csv(SEEDS / "bps_layout_priority.csv")}
    rules = [
        (rule["series"], int(rule["first_year"] or 0), int(rule["last_year"] or 9999), rule["survey_round"])
        for rule in _csv(SEEDS / "bps_survey_rounds.csv")
    ]
    return series, rules


@cache
def _surveys() -> dict[str, str]:
    return {row["indicator_code"]: row["survey"] for row in _csv(SEEDS / "bps_indicators.csv")}


def survey_round(layout: str, year: int, period: str, indicator: str) -> str:
    """The round of a value by the seeds' rule, implemented here again in Python."""
    if period != "annual":
        if period.startswith("M"):
            return calendar.month_name[int(period[1:])].lower()
        return {"S1": "march", "S2": "september"}.get(period, period.lower())
    if _surveys().get(indicator) != "susenas":
        return "annual"
    series, rules = _round_rules()
    for rule_series, first, last, round_ in rules:
        if rule_series == series[layout] and first <= year <= last:
            return round_
    raise AssertionError(f"no round for {layout} {year}")


def variant(indicator: str, breakdown: str) -> str:
    """The indicator variant of a breakdown, as int_bps__poverty_values names it (macro breakdown_suffix)."""
    if breakdown == "total":
        return indicator
    if breakdown in ("urban", "rural"):
        return f"{indicator}_{breakdown.upper()}"
    slug = re.sub(r"[^A-Z0-9]+", "_", breakdown.upper()).strip("_")
    if len(slug) > 32:
        slug = f"{slug[:24]}_{hashlib.md5(slug.encode()).hexdigest()[:6].upper()}"
    return f"{indicator}_{slug}"


@cache
def measurements() -> pd.DataFrame:
    """Every bundled BPS value as a measurement: indicator variant (urban, rural, a breakdown) and round."""
    parsed = published_observations()
    return parsed.assign(
        indicator=[variant(i, b) for i, b in zip(parsed.indicator, parsed.breakdown, strict=True)],
        survey_round=[
            survey_round(layout, int(year), period, indicator)
            for layout, year, period, indicator in zip(
                parsed.layout, parsed.year, parsed.period, parsed.indicator, strict=True
            )
        ],
        value=parsed.value.astype(float),
    )


def ranks_highest_first(values: dict[int, float]) -> dict[int, int]:
    """Competition ranking (ties share a rank), 1 = the highest value."""
    return {code: 1 + sum(other > value for other in values.values()) for code, value in values.items()}


def test_dim_area_holds_indonesia_every_province_and_kabkota(warehouse: Path):
    provinces = _csv(REFERENCE / "bps_provinces.csv")
    kabkota = _csv(REFERENCE / "bps_kabkota.csv")
    levels = dict(query(warehouse, "select level, count(*) from main.dim_area group by 1"))
    assert (
        levels
        == {"country": 1, "province": len(provinces) - 1, "kabkota": len(kabkota)}
        == {
            "country": 1,
            "province": 38,
            "kabkota": 514,
        }
    )
    parents = dict(query(warehouse, "select bps_code, parent_bps_code from main.dim_area"))
    assert parents[0] is None and parents[NTT] == 0 and parents[5316] == NTT
    assert {row["bps_code"]: int(row["province_bps_code"]) for row in kabkota} == {
        str(code): parents[code] for code in parents if code % 100
    }
    # dim_regency is the NTT rows of dim_area, its key the same md5 of the BPS code.
    same = query(
        warehouse,
        """select count(*), count(*) filter (
               where r.regency_key = a.area_key and r.regency_key = md5(cast(r.bps_code as varchar)))
           from main.dim_regency r join main.dim_area a using (bps_code)""",
    )
    assert same == [(23, 23)]
    assert query(warehouse, "select count(*) from main.dim_area where is_ntt") == [(23,)]


def test_fact_holds_every_area_and_every_bundled_measurement_once(warehouse: Path):
    cells = measurements().drop_duplicates(["bps_code", "year", "period", "indicator", "survey_round"])
    expected = cells.groupby("indicator").size().to_dict()
    figures = releases()
    figures = figures[figures.bps_code.notna() & figures.indicator.isin(["P0_EXTREME", "POOR_EXTREME_COUNT"])]
    expected.update(figures.drop_duplicates(["bps_code", "year", "indicator"]).groupby("indicator").size())
    fact = dict(
        query(
            warehouse,
            """select i.indicator_code, count(*) from main.fct_poverty_indicator f
               join main.dim_indicator i using (indicator_key) group by 1""",
        )
    )
    assert fact == expected
    levels = dict(
        query(
            warehouse,
            """select a.level, count(distinct a.bps_code) from main.fct_poverty_indicator f
               join main.dim_area a using (area_key) group by 1""",
        )
    )
    assert levels == {"country": 1, "province": 38, "kabkota": 514}


def test_two_rounds_in_one_period_are_kept_apart_and_are_no_conflict(warehouse: Path):
    parsed = published_observations()
    ntt_2010 = parsed[(parsed.bps_code == NTT) & (parsed.year == 2010) & (parsed.indicator == "P0")]
    by_layout = dict(zip(ntt_2010.layout, ntt_2010.value.astype(float), strict=True))
    assert query(warehouse, FACT, NTT, 2010, "annual", "P0") == [
        (by_layout["area_by_period"], "annual", "area_by_period", "BPS", None),
        (by_layout["area_by_year"], "other", "area_by_year", "BPS", None),
    ]
    # The kab/kota tables' year: September 2012-2014, March from 2015.
    assert query(warehouse, FACT, 5316, 2013, "annual", "P0")[0][1] == "september"
    assert query(warehouse, FACT, 5316, 2023, "annual", "P0")[0][1] == "march"
    # The profile compares the province with its areas in the round they were measured in.
    [(p0, round_)] = query(
        warehouse,
        "select p0, survey_round from main.mart_regency_poverty_profile where bps_code = ? and year = 2010",
        NTT,
    )
    assert (p0, round_) == (by_layout["area_by_year"], "other")
    conflicts = query(warehouse, "select bps_code, year from provenance.bps_value_conflicts")
    assert [(code, year) for code, year in conflicts if code == NTT and 2008 <= year <= 2011] == []


def test_conflicts_list_the_real_disagreements_of_the_files(warehouse: Path):
    # Indonesia's P0 March 2017: the daerah table and the "Menurut Provinsi" table of that year.
    daerah = read_bps_table(one_file(ARDWIND / "(P0) Menurut Provinsi", 2017))
    columns = read_bps_table(one_file(AKBARALQAHRI, 2017))

    def march(table: pd.DataFrame, code: int) -> float:
        rows = table[
            (table.bps_code == code)
            & (table.indicator == "P0")
            & (table.period == "S1")
            & (table.breakdown == "total")
        ]
        return float(rows.value.iloc[0])

    assert march(daerah, 0) != march(columns, 0)
    [(lowest, highest, winner, layout)] = query(
        warehouse,
        """select lowest_value, highest_value, winning_value, winning_layout
           from provenance.bps_value_conflicts
           where bps_code = 0 and year = 2017 and survey_round = 'march' and indicator_code = 'P0'""",
    )
    assert (lowest, highest) == tuple(sorted([march(daerah, 0), march(columns, 0)]))
    assert (winner, layout) == (march(daerah, 0), "daerah_by_period")  # Indonesia's own table, 10.64 too

    # P1 2012, September round: the province table against the kab/kota table's province rows.
    province = read_bps_table(one_file(ARDWIND / "(P1) Menurut Provinsi", 2012))
    kabkota = read_bps_table(one_file(ARDWIND / "(P1) Menurut Kabupaten_Kota", 2012))
    september = province[
        (province.period == "S2") & (province.breakdown == "total") & (province.bps_code > 0)
    ]
    september = dict(zip(september.bps_code, september.value.astype(float), strict=True))
    annual = kabkota[kabkota.area_level == "province"]
    annual = dict(zip(annual.bps_code, annual.value.astype(float), strict=True))
    differing = {code for code in september if code in annual and abs(september[code] - annual[code]) > 0.011}
    listed = query(
        warehouse,
        """select bps_code, lowest_value, highest_value from provenance.bps_value_conflicts
           where year = 2012 and survey_round = 'september' and indicator_code = 'P1'""",
    )
    assert len(differing) > 10
    assert {code: (low, high) for code, low, high in listed} == {
        code: tuple(sorted([september[code], annual[code]])) for code in differing
    }
    # Every listed conflict is a measurement of one round, never an NTT 2008-2011 series difference.
    rounds = query(warehouse, "select distinct survey_round from provenance.bps_value_conflicts")
    assert {r for (r,) in rounds} <= {"march", "september", "annual", "other"}


def test_the_conflict_list_is_every_disagreement_within_a_round_and_nothing_else(warehouse: Path):
    """Recomputed in Python from every bundled file: same area, year, survey round and indicator, values
    apart by more than the indicator's rounding tolerance (one-decimal prints allow 0.05)."""
    measured = measurements()
    tolerance = {
        row["indicator_code"]: float(row["rounding_tolerance"]) for row in _csv(SEEDS / "bps_indicators.csv")
    }
    cells = (
        measured.assign(one_decimal=measured.value == measured.value.round(1))
        .groupby(["bps_code", "year", "survey_round", "indicator"])
        .agg(lowest=("value", "min"), highest=("value", "max"), one_decimal=("one_decimal", "any"))
        .reset_index()
    )
    allowed = cells.indicator.map(tolerance)
    allowed = allowed.where(~cells.one_decimal, allowed.clip(lower=0.051))
    apart = cells[cells.highest - cells.lowest > allowed]
    expected = {
        (int(code), int(year), round_, indicator)
        for code, year, round_, indicator in apart[
            ["bps_code", "year", "survey_round", "indicator"]
        ].itertuples(index=False)
    }
    listed = query(
        warehouse, "select bps_code, year, survey_round, indicator_code from provenance.bps_value_conflicts"
    )
    assert set(listed) == expected and len(listed) == len(expected)
    assert len(expected) == 21  # docs/sources.md counts them


def test_ntt_among_the_provinces_p0_march_2022(warehouse: Path):
    table = read_bps_table(P0_PROVINCE_2022)
    march = table[(table.period == "S1") & (table.breakdown == "total") & (table.indicator == "P0")]
    values = dict(zip(march.bps_code.astype(int), march.value.astype(float), strict=True))
    national = values.pop(0)
    ranks = ranks_highest_first(values)
    assert (values[NTT], national) == (20.05, 9.54)  # the RAT 2023 quotes both
    rows = query(
        warehouse,
        """select bps_code, value, rank_among_provinces, provinces_ranked, national_value, gap_to_national,
                  national_period_label
           from main.mart_province_comparison
           where indicator_code = 'P0' and year = 2022 and period = 'S1'""",
    )
    assert {code: (value, rank, count) for code, value, rank, count, *_ in rows} == {
        code: (values[code], ranks[code], len(values)) for code in values
    }
    ntt = next(row for row in rows if row[0] == NTT)
    assert ntt[4:] == (national, pytest.approx(values[NTT] - national), "2022 S1 (Maret)")


def test_ntt_kabkota_ranked_among_all_kabkota_of_indonesia(warehouse: Path):
    parsed = published_observations()
    p0 = parsed[(parsed.year == 2024) & (parsed.indicator == "P0") & (parsed.breakdown == "total")]
    kabkota = p0[p0.area_level == "kabkota"].drop_duplicates("bps_code")
    values = dict(zip(kabkota.bps_code.astype(int), kabkota.value.astype(float), strict=True))
    ranks = ranks_highest_first(values)
    [ntt_province] = set(p0[(p0.bps_code == NTT) & (p0.layout == "area_by_year")].value.astype(float))
    [national] = set(p0[(p0.bps_code == 0) & (p0.period == "S1")].value.astype(float))  # March 2024
    assert len(values) == 514
    rows = query(
        warehouse,
        """select bps_code, value, national_rank, kabkota_ranked, rank_in_ntt, ntt_value, national_value
           from main.mart_kabkota_national_rank where indicator_code = 'P0' and year = 2024""",
    )
    ntt_codes = {code for code in values if code // 100 == 53}
    in_ntt = ranks_highest_first({code: values[code] for code in ntt_codes})
    assert {row[0]: row[1:] for row in rows} == {
        code: (values[code], ranks[code], 514, in_ntt[code], ntt_province, national) for code in ntt_codes
    }
    # A year only NTT's extract gives is no national ranking.
    only_ntt = query(
        warehouse,
        """select count(*), count(national_rank), max(provinces_covered) from main.mart_kabkota_national_rank
           where indicator_code = 'P0' and year = 2023""",
    )
    assert only_ntt == [(22, 0, 1)]


def test_extreme_poverty_is_in_the_star_with_its_producer_and_notes(warehouse: Path):
    figures = releases()
    figures = figures[figures.bps_code.notna() & figures.indicator.isin(["P0_EXTREME", "POOR_EXTREME_COUNT"])]
    fact = query(
        warehouse,
        """select a.bps_code, p.year, i.indicator_code, f.value, f.producer, f.notes, f.survey_round,
                  f.source_layout, f.source_row
           from main.fct_poverty_indicator f join main.dim_area a using (area_key)
           join main.dim_period p using (period_key) join main.dim_indicator i using (indicator_key)
           where f.source_layout = 'release'""",
    )
    assert {(c, y, i): (v, prod, notes, row) for c, y, i, v, prod, notes, _, _, row in fact} == {
        (int(r.bps_code), int(r.year), r.indicator): (
            float(r.value),
            r.producer,
            None if pd.isna(r.notes) else r.notes,
            int(r.source_row),
        )
        for r in figures.itertuples()
    }
    assert {(rnd, layout) for *_, rnd, layout, _ in fact} == {("unstated", "release")}
    assert {producer for *_, producer, _, _, _, _ in fact} > {"Kemenko PMK estimasi"}

    # Beside P0 in the profile mart, with the producer and the caveats.
    profile = query(
        warehouse,
        """select bps_code, year, p0_extreme, poor_extreme_count_thousand, extreme_poverty_producer,
                  extreme_poverty_notes
           from main.mart_regency_poverty_profile where p0_extreme is not null""",
    )
    rates = figures[figures.indicator == "P0_EXTREME"]
    assert {(c, y): (rate, producer) for c, y, rate, _, producer, _ in profile} == {
        (int(r.bps_code), int(r.year)): (float(r.value), r.producer) for r in rates.itertuples()
    }
    ttu = next(row for row in profile if row[:2] == (5305, 2022))
    assert "FLAG:" in ttu[5] and ttu[3] == 6.44

    # Contradictions are listed one per flag, never fixed.
    flags = query(warehouse, "select source_row, flag from provenance.poverty_release_flags")
    expected = {
        (int(r.source_row), part.strip())
        for r in releases().itertuples()
        if not pd.isna(r.notes)
        for part in r.notes.split(" | ")
        if part.strip().startswith("FLAG:")
    }
    assert set(flags) == expected and len(expected) >= 5


def test_the_report_maps_extreme_poverty_with_who_produced_it(warehouse: Path):
    figures = releases()
    rates = figures[(figures.indicator == "P0_EXTREME") & (figures.area_level == "kabkota")]
    extreme = read_report_data(warehouse).extreme
    columns = ["bps_code", "year", "p0_extreme", "extreme_poverty_producer"]
    assert {(int(c), int(y)): (v, p) for c, y, v, p in extreme[columns].itertuples(index=False)} == {
        (int(r.bps_code), int(r.year)): (float(r.value), r.producer) for r in rates.itertuples()
    }


def test_rat_target_kemiskinan_extrim_finds_the_release_figures(warehouse: Path):
    figures = releases()
    rate = {
        (int(r.bps_code), int(r.year)): (float(r.value), r.producer)
        for r in figures[(figures.indicator == "P0_EXTREME") & figures.bps_code.notna()].itertuples()
    }
    rows = query(
        warehouse,
        """select bps_code, outcome_value, outcome_producer, baseline_value, latest_year, latest_value,
                  indicator_in_warehouse, target_text
           from main.mart_rat_targets_vs_outcomes
           where year = 2023 and indicator_code = 'P0_EXTREME'""",
    )
    by_area = {row[0]: row[1:] for row in rows}
    latest = max(year for code, year in rate if code == 5301)
    assert by_area[5301] == (
        rate[(5301, 2023)][0],
        rate[(5301, 2023)][1],
        rate[(5301, 2022)][0],
        latest,
        rate[(5301, latest)][0],
        True,
        "2 Kab",
    )
    # Manggarai has no release figure: shown, not invented.
    assert (5313, 2023) not in rate and by_area[5313][:2] == (None, None)


def test_readme_ntt_among_the_provinces_is_what_the_files_say(warehouse: Path):
    sql, printed = example_question(9)
    table = read_bps_table(P0_PROVINCE_2022)
    march = table[(table.period == "S1") & (table.breakdown == "total") & (table.indicator == "P0")]
    values = dict(zip(march.bps_code.astype(int), march.value.astype(float), strict=True))
    national = values.pop(0)
    ranks = ranks_highest_first(values)
    names = dict(query(warehouse, "select bps_code, name from main.dim_area where level = 'province'"))
    top = sorted(values, key=lambda code: (ranks[code], names[code]))[:5]
    expected = [
        [
            names[code],
            str(values[code]),
            str(ranks[code]),
            str(len(values)),
            str(national),
            str(round(values[code] - national, 2)),
        ]
        for code in top
    ]
    assert printed[1:] == expected
    assert [[str(v) for v in row] for row in query(warehouse, sql)] == expected
    assert printed[3][:3] == ["Nusa Tenggara Timur", "20.05", "3"]


def test_readme_ntt_kabkota_among_all_kabkota_is_what_the_files_say(warehouse: Path):
    sql, printed = example_question(10)
    parsed = published_observations()
    p0 = parsed[(parsed.year == 2024) & (parsed.indicator == "P0") & (parsed.breakdown == "total")]
    kabkota = p0[p0.area_level == "kabkota"].drop_duplicates("bps_code")
    values = dict(zip(kabkota.bps_code.astype(int), kabkota.value.astype(float), strict=True))
    ranks = ranks_highest_first(values)
    ntt = {code: value for code, value in values.items() if code // 100 == 53}
    in_ntt = ranks_highest_first(ntt)
    [province] = set(p0[(p0.bps_code == NTT) & (p0.layout == "area_by_year")].value.astype(float))
    [national] = set(p0[(p0.bps_code == 0) & (p0.period == "S1")].value.astype(float))
    names = dict(query(warehouse, "select bps_code, name from main.dim_area where is_ntt"))
    top = sorted(ntt, key=lambda code: (ranks[code], names[code]))[:5]
    expected = [
        [
            names[code],
            str(ntt[code]),
            str(ranks[code]),
            str(len(values)),
            str(in_ntt[code]),
            str(round(ntt[code] - province, 2)),
            str(national),
        ]
        for code in top
    ]
    assert printed[1:] == expected
    assert [[str(v) for v in row] for row in query(warehouse, sql)] == expected


def test_three_real_impossible_values_are_held_back_and_the_rest_of_their_files_published(warehouse: Path):
    held = query(
        warehouse, "select source_file, source_row, reason from provenance.held_back_rows order by all"
    )
    assert [(Path(file).name, row) for file, row, _ in held] == [
        ("Jumlah dan Persentase Penduduk Miskin Menurut Provinsi, 2018.csv", 36),
        ("Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten_Kota, 2004.csv", 518),
        ("Garis Kemiskinan Menurut Kabupaten_Kota, 2004.csv", 254),
    ]
    statuses = query(
        warehouse,
        "select status, reason from provenance.source_files where source_file in (select source_file from"
        " provenance.held_back_rows)",
    )
    assert len(statuses) == 3 and all(
        status == "loaded" and "1 row(s) held back" in r for status, r in statuses
    )
    jember, sorong, indonesia = 3509, 9107, 0
    assert query(warehouse, FACT, jember, 2004, "annual", "POVERTY_LINE") == []  # 102 rupiah: held back
    assert [row[0] for row in query(warehouse, FACT, jember, 2005, "annual", "POVERTY_LINE")] == [110798.0]
    assert [row[0] for row in query(warehouse, FACT, sorong, 2004, "annual", "P0")] == [53.7]
    assert [row[0] for row in query(warehouse, FACT, sorong, 2004, "annual", "P1")] == []  # 117.7: held back
    # Indonesia's March 2018 P0 comes from the national table by daerah instead of the broken row.
    assert [(row[0], row[2]) for row in query(warehouse, FACT, indonesia, 2018, "S1", "P0")] == [
        (9.82, "daerah_by_period")
    ]
    assert [row[0] for row in query(warehouse, FACT, indonesia, 2018, "S1", "POOR_COUNT")] == [25949.8]


def test_readme_ntt_open_unemployment_among_the_provinces_is_what_the_files_say(warehouse: Path):
    sql, printed = example_question(11)
    folder = ARDWIND / "Tingkat Pengangguran Terbuka"
    latest = max(int(p.stem[-4:]) for p in folder.glob("*.csv"))
    table = read_bps_table(one_file(folder, latest))
    august = table[table.period.eq("M08")]
    values = dict(zip(august.bps_code.astype(int), august.value.astype(float), strict=True))
    national = values.pop(0)
    ranks = ranks_highest_first(values)
    expected = [
        [
            "Nusa Tenggara Timur",
            f"{latest} Agustus",
            str(values[NTT]),
            str(ranks[NTT]),
            str(len(values)),
            str(national),
            str(round(values[NTT] - national, 2)),
        ]
    ]
    assert printed[1:] == expected
    assert [[str(v) for v in row] for row in query(warehouse, sql)] == expected
    assert printed[1][:4] == ["Nusa Tenggara Timur", "2024 Agustus", "3.02", "32"]


def test_readme_ntt_poverty_line_against_indonesias_is_what_the_files_say(warehouse: Path):
    sql, printed = example_question(12)
    year = 2024
    province = read_bps_table(
        one_file(ARDWIND / "Garis Kemiskinan (Rupiah_Kapita_Bulan) Menurut Provinsi dan Daerah", year)
    )
    national = read_bps_table(
        one_file(ARDWIND / "Garis Kemiskinan (Rupiah_Kapita_Bulan) Menurut Daerah", year)
    )
    expected = []
    for period, label in (("S1", f"{year} S1 (Maret)"), ("S2", f"{year} S2 (September)")):
        for daerah in ("urban", "rural"):
            ntt = value(province, NTT, year, "POVERTY_LINE", period=period, area_type=daerah)
            indonesia = value(national, 0, year, "POVERTY_LINE", period=period, area_type=daerah)
            expected.append([label, daerah, str(ntt), str(indonesia), str(round(100 * ntt / indonesia, 1))])
    assert printed[1:] == expected
    assert [[str(v) for v in row] for row in query(warehouse, sql)] == expected
