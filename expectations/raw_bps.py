"""Expectations for the raw BPS observation table (ingest.bps.OBSERVATION_COLUMNS) and the release figures.

One row is one value: an area (Indonesia, a province, a kab/kota) x year x period x breakdown x indicator,
traced to its file and row. The known indicators' bounds hold for every area of Indonesia since 2004 and are
narrow enough to catch a unit mistake or a broken cell (a P0 of 250, a poverty line of 102 rupiah); any other
indicator gets the generic checks: a number, one value per key, 0 to 100 when its unit is percent.
"""

from collections.abc import Callable

import pandas as pd

from expectations.runner import SuiteSpec, gx
from ingest.bps import LAYOUTS
from ingest.bps.plausibility import GENERIC_PERCENT, PLAUSIBLE_RANGES
from ingest.bps.titles import PERCENT, PERIODS
from ingest.regions import PROVINCE_BPS_CODE, load_bps_areas, load_regencies

gxe = gx.expectations

# The bounds the loader screens values with (ingest.bps.plausibility): checked again on the whole table, so
# a value outside them can only reach the warehouse through a broken screen, which this gate stops.
INDICATORS = PLAUSIBLE_RANGES
RELEASE_INDICATORS: dict[str, tuple[float, float, str]] = {
    "P0_EXTREME": INDICATORS["P0_EXTREME"],
    "POOR_EXTREME_COUNT": INDICATORS["POOR_EXTREME_COUNT"],
    "POOR_EXTREME_HOUSEHOLDS": (0, 20_000_000, "households"),
}

# BPS publishes a new regency's figures a year or two after the law that creates it (Malaka: 2013 -> 2015).
FIRST_DATA_LAG_YEARS = 2
_CELL = ["bps_code", "year", "period", "breakdown", "indicator"]


def _per_indicator(indicators: dict[str, tuple[float, float, str]], open_codes: bool = False) -> list:
    expectations = []
    for indicator, (low, high, unit) in indicators.items():
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
    if open_codes:
        low, high = GENERIC_PERCENT
        codes = [
            gxe.ExpectColumnValuesToNotBeNull(
                column="indicator", description="every value names its indicator"
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="value",
                min_value=low,
                max_value=high,
                row_condition=f'unit=="{PERCENT}" and indicator not in {sorted(indicators)!r}',
                condition_parser="pandas",
                description="a percentage of an indicator without bounds of its own is between 0 and 100",
            ),
        ]
    else:
        codes = [
            gxe.ExpectColumnValuesToBeInSet(
                column="indicator", value_set=sorted(indicators), description="indicator is a known indicator"
            )
        ]
    return [
        *expectations,
        *codes,
        gxe.ExpectColumnValuesToNotBeNull(column="value", description="every row holds a value"),
        gxe.ExpectColumnValuesToBeBetween(
            column="year", min_value=1960, max_value=2100, description="year is a year"
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="_source_file", description="every row names its source file"
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="_source_row", description="every row names its source row"),
    ]


def _row_expectations() -> list:
    codes = sorted(area.bps_code for area in load_bps_areas())
    return [
        *_per_indicator(INDICATORS, open_codes=True),
        gxe.ExpectColumnValuesToNotBeNull(
            column="bps_code", description="every area name maps to a BPS code (area reference)"
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="bps_code", value_set=codes, description="every code is in the BPS area reference"
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="area_level",
            value_set=["country", "province", "kabkota"],
            description="area level is country, province or kab/kota",
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="province_bps_code",
            row_condition='area_level!="country"',
            condition_parser="pandas",
            description="every province and kab/kota names its province",
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="breakdown", description="every value names its breakdown (total when none)"
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="period",
            value_set=list(PERIODS),
            description="period is annual, S1 (March), S2 (September), a month M01-M12 or a quarter Q1-Q4",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="layout", value_set=sorted(LAYOUTS), description="a known layout"
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["_source_file", *_CELL],
            description="no duplicate area x year x period x breakdown x indicator within a file",
        ),
    ]


def expected_areas(year: int) -> int:
    """How many NTT kab/kota BPS gives figures for in `year` (those formed at least two years before)."""
    return sum(1 for r in load_regencies() if r.formed_year + FIRST_DATA_LAG_YEARS <= year)


def completeness(frame: pd.DataFrame) -> pd.DataFrame:
    """Per file, indicator and period giving NTT kab/kota figures: how many it has, how many existed."""
    columns = [
        "_source_file",
        "indicator",
        "year",
        "period",
        "breakdown",
        "areas",
        "expected",
        "_source_row",
    ]
    ntt = frame[(frame["area_level"] == "kabkota") & (frame["province_bps_code"] == PROVINCE_BPS_CODE)]
    if ntt.empty:
        return pd.DataFrame(columns=columns)
    grouped = ntt.groupby(
        ["_source_file", "indicator", "year", "period", "breakdown"], as_index=False, dropna=False
    ).agg(areas=("bps_code", "nunique"), _source_row=("_source_row", "min"))
    grouped = grouped.assign(expected=grouped["year"].map(lambda year: expected_areas(int(year))))
    return grouped[columns].reset_index(drop=True)


def raw_bps_suites(name: str) -> Callable[[], list[SuiteSpec]]:
    """The suites of a raw table of BPS observations: every row, then NTT's completeness per file."""

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


def raw_poverty_release_suites(name: str) -> Callable[[], list[SuiteSpec]]:
    """The suite of the extreme-poverty release figures (ingest.releases.extreme_poverty.RELEASE_COLUMNS)."""

    def suites() -> list[SuiteSpec]:
        return [
            SuiteSpec(
                name=name,
                expectations=[
                    *_per_indicator(RELEASE_INDICATORS),
                    gxe.ExpectColumnValuesToNotBeNull(
                        column="bps_code",
                        row_condition='area_level!="kabkota_group"',
                        condition_parser="pandas",
                        description="every area but a group of areas has a BPS code",
                    ),
                    gxe.ExpectColumnValuesToNotBeNull(
                        column="producer", description="every figure names who produced it"
                    ),
                    gxe.ExpectCompoundColumnsToBeUnique(
                        column_list=["_source_file", "_source_row", "indicator"],
                        description="one figure per row of the file",
                    ),
                ],
            )
        ]

    return suites
