"""The values a BPS indicator can take, and the reason a value outside them is held back.

Real downloads hold a few impossible cells (a poverty line of 102 rupiah, a P1 of 117.7, a number poor in
a P0 column, a "% Bekerja / AK" of 101.17). The loader holds such a value back, with the file, row and
reason, and loads the rest of the file; the raw Great Expectations suite (expectations.raw_bps) checks the
same bounds on the whole table, so a value can only reach the warehouse inside them. One table of bounds
serves both.

The indicators the warehouse knows (P0, the poverty lines, TPT...) have bounds of their own. Any other
indicator gets the generic checks: a number (the readers refuse anything else), one value per key (the
readers and the suite), and 0 to 100 when its unit is percent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingest.bps.observations import period_words
from ingest.bps.titles import PERCENT, RUPIAH, TOTAL

# indicator -> (low, high, unit). Observed 1996-2025: P1 up to 24.8 and P2 up to 11.6 (Papua kab/kota),
# poverty lines from 31,366 (Indonesia's rural line of 1996; kab/kota from 76,763 in 2005) to 1,377,464
# rupiah, Indonesia's number poor up to 28,593 thousand; open unemployment (TPT) 0.3 to 17 percent by
# province since 1986.
PLAUSIBLE_RANGES: dict[str, tuple[float, float, str]] = {
    "P0": (0, 100, PERCENT),
    "POOR_COUNT": (0, 50_000, "thousand people"),
    "P1": (0, 50, "index"),
    "P2": (0, 30, "index"),
    "POVERTY_LINE": (20_000, 3_000_000, RUPIAH),
    "POVERTY_LINE_FOOD": (20_000, 3_000_000, RUPIAH),
    "POVERTY_LINE_NONFOOD": (10_000, 3_000_000, RUPIAH),
    "P0_EXTREME": (0, 100, PERCENT),
    "POOR_EXTREME_COUNT": (0, 50_000, "thousand people"),
    "TPT": (0, 50, PERCENT),
}
GENERIC_PERCENT = (0.0, 100.0)


def has_known_bounds(indicator: str) -> bool:
    return indicator in PLAUSIBLE_RANGES


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _cell(row: pd.Series) -> str:
    breakdown = "" if row["breakdown"] == TOTAL else f" {row['breakdown']}"
    period = f"{row['year']}{period_words(row['period'])}"
    return f"{row['area_name']}{breakdown} {period} {row['indicator']} = {_number(row['value'])}"


def implausible_value_reasons(observations: pd.DataFrame) -> pd.Series:
    """Per observation, why its value cannot be true (outside its indicator's range, or a percentage outside
    0 to 100), or <NA> when it can."""
    reasons = pd.Series(pd.NA, index=observations.index, dtype="string")
    if observations.empty:
        return reasons
    values = observations["value"].to_numpy(dtype="float64", na_value=float("nan"))
    indicators = observations["indicator"].to_numpy(dtype=object)
    units = observations["unit"].to_numpy(dtype=object)
    # Only the indicators the table holds (one, mostly): a file is screened as it is loaded.
    for indicator in set(indicators):
        low, high, unit = PLAUSIBLE_RANGES.get(indicator, (*GENERIC_PERCENT, PERCENT))
        rows = indicators == indicator
        if indicator not in PLAUSIBLE_RANGES:
            rows &= units == PERCENT
        outside = rows & ~((values >= low) & (values <= high)) & ~np.isnan(values)
        for position in np.flatnonzero(outside):
            index = observations.index[position]
            cell = _cell(observations.loc[index])
            reasons[index] = (
                f"{cell} is outside {_number(low)} to {_number(high)} {unit}"
                if indicator in PLAUSIBLE_RANGES
                else f"{cell} is a percentage outside 0 to 100"
            )
    return reasons
