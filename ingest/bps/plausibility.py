"""The values a BPS indicator can take, and the reason a value outside them is held back.

Real downloads hold a few impossible cells (a poverty line of 102 rupiah, a P1 of 117.7, a number poor in
a P0 column). The loader holds such a value back, with the file, row and reason, and loads the rest of the
file; the raw Great Expectations suite (expectations.raw_bps) checks the same bounds on the whole table, so
a value can only reach the warehouse inside them. One table of bounds serves both.
"""

from __future__ import annotations

import pandas as pd

from ingest.bps.titles import RUPIAH

# indicator -> (low, high, unit). Observed 2004-2025: P1 up to 24.8 and P2 up to 11.6 (Papua kab/kota),
# poverty lines from 76,763 (2005) to 1,377,464 rupiah, Indonesia's number poor up to 28,593 thousand.
PLAUSIBLE_RANGES: dict[str, tuple[float, float, str]] = {
    "P0": (0, 100, "percent"),
    "POOR_COUNT": (0, 50_000, "thousand people"),
    "P1": (0, 50, "index"),
    "P2": (0, 30, "index"),
    "POVERTY_LINE": (50_000, 3_000_000, RUPIAH),
    "POVERTY_LINE_FOOD": (20_000, 3_000_000, RUPIAH),
    "POVERTY_LINE_NONFOOD": (10_000, 3_000_000, RUPIAH),
    "P0_EXTREME": (0, 100, "percent"),
    "POOR_EXTREME_COUNT": (0, 50_000, "thousand people"),
}
_ROUND = {1: "March", 2: "September"}


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _cell(row: pd.Series) -> str:
    period = f"{row['year']} {_ROUND[row['semester']]}" if pd.notna(row["semester"]) else f"{row['year']}"
    area_type = "" if row["area_type"] == "total" else f" {row['area_type']}"
    return f"{row['area_name']}{area_type} {period} {row['indicator']} = {_number(row['value'])}"


def implausible_value_reasons(observations: pd.DataFrame) -> pd.Series:
    """Per observation, why its value cannot be true (outside its indicator's range), or <NA> when it can."""
    reasons = pd.Series(pd.NA, index=observations.index, dtype="string")
    for indicator, (low, high, unit) in PLAUSIBLE_RANGES.items():
        values = observations["value"]
        outside = (observations["indicator"] == indicator) & values.notna() & ~values.between(low, high)
        for index in observations.index[outside.fillna(False)]:
            reasons[index] = (
                f"{_cell(observations.loc[index])} is outside {_number(low)} to {_number(high)} {unit}"
            )
    return reasons
