"""Which indicator a BPS table holds, read from its title (file names are unreliable)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorTitle:
    indicator: str
    unit: str
    scale: float = 1.0  # multiply printed values by this to get `unit`


_TITLE_PATTERNS: list[tuple[re.Pattern[str], IndicatorTitle]] = [
    (re.compile(r"persentase penduduk miskin|\(p0\)", re.I), IndicatorTitle("P0", "percent")),
    (re.compile(r"jumlah penduduk miskin", re.I), IndicatorTitle("POOR_COUNT", "thousand people")),
    (re.compile(r"indeks kedalaman kemiskinan|\(p1\)", re.I), IndicatorTitle("P1", "index")),
    (re.compile(r"indeks keparahan kemiskinan|\(p2\)", re.I), IndicatorTitle("P2", "index")),
    (re.compile(r"garis kemiskinan", re.I), IndicatorTitle("POVERTY_LINE", "rupiah per capita per month")),
]


_PEOPLE_NOT_THOUSANDS = re.compile(r"\(\s*jiwa\s*\)|\(\s*orang\s*\)", re.I)


def indicator_from_title(title: str) -> IndicatorTitle | None:
    """The indicator and unit a BPS table title announces, or None when it is not a poverty table."""
    for pattern, indicator in _TITLE_PATTERNS:
        if pattern.search(title):
            if indicator.indicator == "POOR_COUNT" and _PEOPLE_NOT_THOUSANDS.search(title):
                return IndicatorTitle("POOR_COUNT", "thousand people", scale=0.001)  # "(Jiwa)": people
            return indicator
    return None
