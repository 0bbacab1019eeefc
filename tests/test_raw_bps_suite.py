import pandas as pd
import pytest

from expectations.raw_bps import raw_bps_suites
from expectations.runner import validate_dataframe
from tests.conftest import P0_FILE, POOR_COUNT_FILE, parse_bundled


@pytest.fixture(scope="module")
def raw_table() -> pd.DataFrame:
    return pd.concat([parse_bundled(f) for f in (P0_FILE, POOR_COUNT_FILE)], ignore_index=True)


def _failures(frame):
    return [
        failure
        for spec in raw_bps_suites("raw_bps_test")()
        for failure in validate_dataframe(frame, spec).failures
    ]


def _row(frame, area, year, indicator):
    return frame.index[(frame.area_name == area) & (frame.year == year) & (frame.indicator == indicator)][0]


def test_bundled_data_passes(raw_table):
    assert _failures(raw_table) == []


def test_p0_out_of_range_is_named_with_file_and_row(raw_table):
    frame = raw_table.copy()
    frame.loc[_row(frame, "Sumba Barat", 2004, "P0"), "value"] = 250.0
    [failure] = _failures(frame)
    assert failure.description == "P0 between 0 and 100"
    assert failure.unexpected_count == 1
    assert "P0_kabkota_NTT_2004-2025.csv row 4 (Sumba Barat 2004 P0 = 250.0)" in failure.message()


def test_a_poor_count_of_250_thousand_is_not_a_p0_failure(raw_table):
    frame = raw_table.copy()
    frame.loc[_row(frame, "Sumba Barat", 2004, "POOR_COUNT"), "value"] = 250.0
    assert _failures(frame) == []


def test_unmapped_area_name_fails(raw_table):
    frame = raw_table.copy()
    frame.loc[_row(frame, "Alor", 2020, "P0"), "bps_code"] = pd.NA
    descriptions = [failure.description for failure in _failures(frame)]
    assert "every area name maps to an NTT BPS code (regency reference)" in descriptions


def test_duplicate_regency_year_fails(raw_table):
    frame = pd.concat([raw_table, raw_table.iloc[[10]]], ignore_index=True)
    [failure] = _failures(frame)
    assert failure.description == "no duplicate regency-year per indicator within a file"
    assert failure.unexpected_count == 2


def test_a_missing_regency_year_fails_completeness(raw_table):
    frame = raw_table.drop(raw_table.index[(raw_table.area_name == "Alor") & (raw_table.year == 2020)])
    [failure] = _failures(frame)
    assert failure.description == "every regency that existed that year has a value"
    assert "2020: 21 areas, 22 expected" in failure.message()


def test_a_unit_mistake_fails(raw_table):
    frame = raw_table.copy()
    frame.loc[frame.indicator == "P0", "unit"] = "index"
    assert [f.description for f in _failures(frame)] == ["P0 is in percent"]
