"""Expectations for raw BPS long tables (one row per area x year x period x indicator)."""

from collections.abc import Callable

import pandas as pd

from expectations.runner import SuiteSpec, gx
from ingest.regions import PROVINCE_BPS_CODE, load_regencies

gxe = gx.expectations

# Plausible bounds and the unit each indicator must carry: wide enough for any NTT area since 2004,
# narrow enough to catch a unit mistake (rupiah for thousands, a percent of 250).
INDICATORS: dict[str, tuple[float, float, str]] = {
    "P0": (0, 100, "percent"),
    "POOR_COUNT": (0, 5000, "thousand people"),  # the whole province has about 1,150
    "P1": (0, 30, "index"),
    "P2": (0, 15, "index"),
    "POVERTY_LINE": (50_000, 2_000_000, "rupiah per capita per month"),
}
for _base in ("P0", "POOR_COUNT"):
    for _area in ("URBAN", "RURAL"):
        INDICATORS[f"{_base}_{_area}"] = INDICATORS[_base]

# BPS publishes a new regency's figures a year or two after the law that creates it (Malaka: 2013 -> 2015).
FIRST_DATA_LAG_YEARS = 2


def _row_expectations() -> list:
    expectations = []
    for indicator, (low, high, unit) in INDICATORS.items():
        condition = f'indicator=="{indicator}"'
        expectations += [
            gxe.ExpectColumnValuesToBeBetween(
                column="value",
                min_value=low,
                max_value=high,
                row_condition=condition,
                condition_parser="pandas",
                description=f"{indicator} between {low:g} and {high:g}",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="unit",
                value_set=[unit],
                row_condition=condition,
                condition_parser="pandas",
                description=f"{indicator} is in {unit}",
            ),
        ]
    return [
        *expectations,
        gxe.ExpectColumnValuesToNotBeNull(
            column="bps_code", description="every area name maps to an NTT BPS code (regency reference)"
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="indicator", value_set=sorted(INDICATORS), description="indicator is a known BPS indicator"
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["_source_file", "bps_code", "year", "semester", "indicator"],
            description="no duplicate regency-year per indicator within a file",
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="_source_file", description="every row names its source file"
        ),
    ]


def expected_areas(year: int) -> int:
    return sum(1 for r in load_regencies() if r.formed_year + FIRST_DATA_LAG_YEARS <= year)


def completeness(frame: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and year the source covers regencies for: how many it has, how many existed."""
    regencies = frame[frame["bps_code"] != PROVINCE_BPS_CODE]
    if regencies.empty:
        return pd.DataFrame(columns=["indicator", "year", "areas", "expected", "_source_file", "_source_row"])
    grouped = regencies.groupby(["indicator", "year"], as_index=False).agg(
        areas=("bps_code", "nunique"),
        _source_file=("_source_file", "min"),
        _source_row=("_source_row", "min"),
    )
    return grouped.assign(expected=grouped["year"].map(expected_areas))


def raw_bps_suites(name: str) -> Callable[[], list[SuiteSpec]]:
    def suites() -> list[SuiteSpec]:
        return [
            SuiteSpec(name=name, expectations=_row_expectations()),
            SuiteSpec(
                name=f"{name}_completeness",
                derive=completeness,
                expectations=[
                    gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                        column_A="areas",
                        column_B="expected",
                        or_equal=True,
                        description="every regency that existed that year has a value",
                    )
                ],
            ),
        ]

    return suites
