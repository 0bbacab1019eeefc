"""The raw BPS suites pass on every bundled file and stop real and doctored faults, naming file and row."""

import re
from pathlib import Path

import pandas as pd
import pytest

from expectations.raw_bps import raw_bps_suites, raw_poverty_release_suites
from expectations.runner import validate_dataframe
from ingest.bps import read_bps_table
from ingest.bps.plausibility import implausible_value_reasons
from ingest.releases.extreme_poverty import read_poverty_release_table
from store.paths import BUNDLED_DATA_DIR
from tests.bps_files import (
    GK_102_RUPIAH_2004,
    P0_KABKOTA_2022,
    P0_MULTI_YEAR,
    P0_PROVINCE_2022,
    P1_117_2004,
    POOR_COUNT_MULTI_YEAR,
    SHIFTED_ROW_2018,
    all_observations,
)

RELEASES = BUNDLED_DATA_DIR / "releases" / "ntt_extreme_poverty_from_releases.csv"


@pytest.fixture(scope="module")
def raw_table() -> pd.DataFrame:
    """A raw table small enough to doctor quickly: NTT's multi-year tables, a national one, a province one."""
    files = (P0_MULTI_YEAR, POOR_COUNT_MULTI_YEAR, P0_KABKOTA_2022, P0_PROVINCE_2022)
    return pd.concat([read_bps_table(f) for f in files], ignore_index=True)


def _failures(frame, suites=raw_bps_suites):
    return [
        failure for spec in suites("raw_bps_test")() for failure in validate_dataframe(frame, spec).failures
    ]


def _row(frame, area, year, indicator):
    return frame.index[(frame.area_name == area) & (frame.year == year) & (frame.indicator == indicator)][0]


REAL_IMPOSSIBLE_VALUES = {
    (SHIFTED_ROW_2018.name, 36): "Indonesia 2018 March P0 = 25,674.58 is outside 0 to 100 percent",
    (GK_102_RUPIAH_2004.name, 254): (
        "Jember 2004 POVERTY_LINE = 102 is outside 20,000 to 3,000,000 rupiah per capita per month"
    ),
    (P1_117_2004.name, 518): "Sorong 2004 P1 = 117.7 is outside 0 to 50 index",
}


def test_the_screen_holds_back_exactly_the_real_impossible_values_and_the_rest_passes():
    frame = all_observations()
    reasons = implausible_value_reasons(frame)
    held = frame[reasons.notna()]
    found = {
        (Path(file).name, row): reason
        for file, row, reason in zip(
            held._source_file, held._source_row, reasons[reasons.notna()], strict=True
        )
    }
    assert found == REAL_IMPOSSIBLE_VALUES
    assert _failures(frame[reasons.isna()].reset_index(drop=True)) == []


def test_real_downloads_with_an_impossible_value_are_stopped_by_the_gate_if_not_screened():
    frame = pd.concat([read_bps_table(f) for f in (GK_102_RUPIAH_2004, P1_117_2004, SHIFTED_ROW_2018)])
    failures = {failure.description: failure for failure in _failures(frame.reset_index(drop=True))}
    assert set(failures) == {
        "POVERTY_LINE between 20000 and 3e+06",
        "P1 between 0 and 50",
        "P0 between 0 and 100",
    }
    assert all(failure.unexpected_count == 1 for failure in failures.values())
    where = {
        "POVERTY_LINE between 20000 and 3e+06": "2004.csv row 254 (Jember 2004 POVERTY_LINE = 102.0)",
        "P1 between 0 and 50": "2004.csv row 518 (Sorong 2004 P1 = 117.7)",
        "P0 between 0 and 100": "2018.csv row 36 (Indonesia 2018 P0 = 25674.58)",
    }
    assert all(text in failures[description].message() for description, text in where.items())


def test_values_codes_units_and_labels_are_checked_row_by_row(raw_table):
    frame = raw_table.copy()
    frame.loc[_row(frame, "Sumba Barat", 2004, "P0"), "value"] = 250.0
    frame.loc[_row(frame, "Sumba Barat", 2005, "POOR_COUNT"), "value"] = 250.0  # fine for a number poor
    frame.loc[_row(frame, "Ende", 2020, "P0"), "bps_code"] = 5399
    frame.loc[frame.indicator == "POOR_COUNT", "unit"] = "percent"
    frame.loc[0, "breakdown"] = pd.NA
    frame.loc[1, "period"] = "S3"
    frame.loc[2, "layout"] = "multi_year_table"
    failures = {failure.description: failure for failure in _failures(frame)}
    assert set(failures) == {
        "P0 between 0 and 100",
        "every code is in the BPS area reference",
        "POOR_COUNT is in thousand people",
        "every value names its breakdown (total when none)",
        "period is annual, S1 (March), S2 (September), a month M01-M12 or a quarter Q1-Q4",
        "a known layout",
    }
    p0 = failures["P0 between 0 and 100"]
    assert p0.unexpected_count == 1
    assert "P0_kabkota_NTT_2004-2025.csv row 4 (Sumba Barat 2004 P0 = 250.0)" in p0.message()


def test_unmapped_duplicated_and_missing_areas(raw_table):
    national = raw_table[raw_table._source_file.str.contains("Kabupaten_Kota, 2022")]
    frame = raw_table.drop(national.index[national.area_name == "Malaka"])
    frame.loc[_row(frame, "Alor", 2020, "P0"), "bps_code"] = pd.NA
    frame = pd.concat([frame, frame.iloc[[10]]], ignore_index=True)
    failures = {failure.description: failure for failure in _failures(frame)}
    assert set(failures) == {
        "every area name maps to a BPS code (area reference)",
        "no duplicate area x year x period x breakdown x indicator within a file",
        "every regency that existed that year has a value",
    }
    assert (
        failures["no duplicate area x year x period x breakdown x indicator within a file"].unexpected_count
        == 2
    )
    missing = failures["every regency that existed that year has a value"].message()
    assert (
        "P0 2020: 21 areas, 22 expected (data/bps/bps-kabkota-p0-jumlah-visdati/P0_kabkota_NTT_2004-2025.csv"
        in (missing)
    )
    assert "P0 2022: 21 areas, 22 expected" in missing and "Kabupaten_Kota, 2022.csv" in missing


def test_the_release_figures_pass_and_a_doctored_one_fails():
    table = read_poverty_release_table(RELEASES)
    assert _failures(table, raw_poverty_release_suites) == []
    doctored = table.copy()
    doctored.loc[doctored.indicator.eq("P0_EXTREME").idxmax(), "value"] = 656.0
    [failure] = _failures(doctored, raw_poverty_release_suites)
    assert "ntt_extreme_poverty_from_releases.csv row 2 (Nusa Tenggara Timur 2022 P0_EXTREME = 656.0)" in (
        failure.message()
    )


def test_a_runs_failed_validations_all_reach_its_data_docs(tmp_path: Path):
    """A failure renders the Data Docs at once; the run's later validations still join the same index."""
    from expectations.runner import SuiteSpec, gx, validate_dataframe, write_data_docs

    frame = pd.DataFrame({"value": [1.0, None]})
    for name in ("first_suite", "second_suite"):
        spec = SuiteSpec(name, [gx.expectations.ExpectColumnValuesToNotBeNull(column="value")])
        assert not validate_dataframe(frame, spec, docs_dir=tmp_path, run="run-1").success
    write_data_docs(tmp_path, "run-1")
    index = (tmp_path / "index.html").read_text()
    suites = {link.split("/")[1] for link in re.findall(r'validations/[^"]+\.html', index)}
    assert suites == {"first_suite", "second_suite"}


def test_an_indicator_without_bounds_of_its_own_gets_the_generic_checks(raw_table):
    """A percentage over 100 of an indicator known only by its title is held back by the screen and stopped
    by the suite; a ratio over 100 (female/male enrolment) is not a percentage and passes."""
    from ingest.bps import read_bps_table
    from tests.bps_files import BPS_DIR

    folder = BPS_DIR / "bps-xlsx-exports-kasulampua"
    literacy = read_bps_table(next(folder.glob("Angka Melek Huruf*.xlsx")))
    ratio = read_bps_table(next(folder.glob("Rasio Angka Partisipasi Kasar*.xlsx")))
    assert set(literacy.unit) == {"percent"} and set(ratio.unit) == {"ratio"} and ratio.value.max() > 100
    frame = pd.concat([literacy, ratio], ignore_index=True)
    assert implausible_value_reasons(frame).isna().all() and _failures(frame) == []
    frame.loc[0, "value"] = 199.86
    reasons = implausible_value_reasons(frame)
    assert reasons.notna().sum() == 1 and reasons[0].endswith(
        "ANGKA_MELEK_HURUF_PENDUDUK_UMUR_15_24_TAHUN = 199.86 is a percentage outside 0 to 100"
    )
    [failure] = _failures(frame)
    assert failure.description.startswith("a percentage of an indicator without bounds of its own")


def test_the_known_indicators_have_bounds_and_a_seed_row_each():
    """One catalogue: every code the titles know has bounds (ingest/bps/plausibility.py) and a row in the seed
    bps_indicators (its names, unit, survey); the seed's checks say 'bounds' exactly for those."""
    import csv

    from ingest.bps.plausibility import PLAUSIBLE_RANGES
    from ingest.bps.titles import KNOWN_INDICATORS
    from store.paths import REPO_ROOT

    with (REPO_ROOT / "dbt" / "seeds" / "bps_indicators.csv").open(newline="") as handle:
        seed = {row["indicator_code"]: row for row in csv.DictReader(handle)}
    known = {code: unit for _, code, unit in KNOWN_INDICATORS}
    assert set(known) == set(PLAUSIBLE_RANGES) <= set(seed)
    assert all(PLAUSIBLE_RANGES[code][2] == unit == seed[code]["unit"] for code, unit in known.items())
    variants = set(seed) - set(known)
    assert all(code.rsplit("_", 1)[0] in known for code in variants)
