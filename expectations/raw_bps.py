"""Expectations for raw BPS long tables (one row per area x year x semester x indicator)."""

from __future__ import annotations

from expectations.runner import SuiteSpec, gx

gxe = gx.expectations

# Plausible bounds, wide enough for any NTT regency since 2004 and narrow enough to catch unit mistakes.
INDICATOR_BOUNDS: dict[str, tuple[float, float]] = {
    "P0": (0, 100),
    "POOR_COUNT": (0, 5000),  # thousand people; the whole province has about 1,150
    "P1": (0, 30),
    "P2": (0, 15),
    "POVERTY_LINE": (50_000, 2_000_000),  # rupiah per capita per month
}


def raw_bps_suite(name: str) -> SuiteSpec:
    suite = SuiteSpec(name=name, expectations=[])
    for indicator, (low, high) in INDICATOR_BOUNDS.items():
        suite.expectations.append(
            gxe.ExpectColumnValuesToBeBetween(
                column="value",
                min_value=low,
                max_value=high,
                row_condition=f'indicator=="{indicator}"',
                condition_parser="pandas",
                description=f"{indicator} between {low:g} and {high:g}",
            )
        )
    suite.expectations.append(
        gxe.ExpectColumnValuesToNotBeNull(
            column="bps_code", description="every area name maps to an NTT BPS code (regency reference)"
        )
    )
    suite.expectations.append(
        gxe.ExpectColumnValuesToBeInSet(
            column="indicator",
            value_set=sorted(INDICATOR_BOUNDS),
            description="indicator is a known BPS indicator",
        )
    )
    suite.expectations.append(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["area_name", "year", "semester", "indicator"],
            description="no duplicate regency-year per indicator",
        )
    )
    suite.expectations.append(
        gxe.ExpectColumnValuesToNotBeNull(
            column="_source_file", description="every row names its source file"
        )
    )
    return suite
