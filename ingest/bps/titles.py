"""What a BPS header says, matched loosely: the indicator and unit of a title, years, survey rounds, daerah.

File names are unreliable and header wording drifts between downloads ("Semester 1 (Maret)", "Maret";
"Jumlah", "Perkotaan+Perdesaan"), so everything here matches words, never one exact string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RUPIAH = "rupiah per capita per month"


@dataclass(frozen=True)
class IndicatorTitle:
    indicator: str
    unit: str
    scale: float = 1.0  # multiply printed values by this to get `unit`


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9()%+]+", " ", text.lower()).split())


# Order matters: the more specific title first ("garis kemiskinan bukan makanan" before "garis kemiskinan").
_TITLE_PATTERNS: list[tuple[re.Pattern[str], IndicatorTitle]] = [
    (re.compile(r"(persentase|tingkat) (penduduk )?miskin ekstr[ei]m|extreme poverty rate"),
     IndicatorTitle("P0_EXTREME", "percent")),
    (re.compile(r"(jumlah|banyaknya) (penduduk )?miskin ekstr[ei]m|number of extreme poor"),
     IndicatorTitle("POOR_EXTREME_COUNT", "thousand people")),
    (re.compile(r"garis kemiskinan (bukan|non ?) ?makanan|non ?food poverty line"),
     IndicatorTitle("POVERTY_LINE_NONFOOD", RUPIAH)),
    (re.compile(r"garis kemiskinan makanan|food poverty line"), IndicatorTitle("POVERTY_LINE_FOOD", RUPIAH)),
    (re.compile(r"garis kemiskinan|poverty line"), IndicatorTitle("POVERTY_LINE", RUPIAH)),
    (re.compile(r"persentase penduduk miskin|\(p0\)|percentage of poor|headcount"),
     IndicatorTitle("P0", "percent")),
    (re.compile(r"(jumlah|banyaknya) penduduk miskin|number of poor"),
     IndicatorTitle("POOR_COUNT", "thousand people")),
    (re.compile(r"indeks kedalaman kemiskinan|\(p1\)|poverty gap index"), IndicatorTitle("P1", "index")),
    (re.compile(r"indeks keparahan kemiskinan|\(p2\)|poverty severity index"), IndicatorTitle("P2", "index")),
]  # fmt: skip
_COUNTS = ("POOR_COUNT", "POOR_EXTREME_COUNT")
_PEOPLE_NOT_THOUSANDS = re.compile(r"\(\s*(jiwa|orang)\s*\)|\(\s*people\s*\)")
_THOUSANDS = re.compile(r"\bribu\b|thousand")
_THOUSAND_RUPIAH = re.compile(r"ribu rupiah|ribu rp|thousand rupiah")


def indicator_from_title(title: str) -> IndicatorTitle | None:
    """The indicator and unit a BPS table title announces, or None when it is not a poverty table."""
    text = _words(title)
    for pattern, found in _TITLE_PATTERNS:
        if not pattern.search(text):
            continue
        if found.indicator in _COUNTS and _PEOPLE_NOT_THOUSANDS.search(text) and not _THOUSANDS.search(text):
            return IndicatorTitle(found.indicator, found.unit, scale=0.001)  # "(Jiwa)": people
        if found.unit == RUPIAH and _THOUSAND_RUPIAH.search(text):
            return IndicatorTitle(found.indicator, found.unit, scale=1000.0)
        return found
    return None


YEAR = re.compile(r"^(19|20)\d\d$")


def is_year(text: str) -> bool:
    return bool(YEAR.match(text.strip()))


def semester_of(label: str) -> int | None:
    """1 for the March round, 2 for September, None for an annual figure; ValueError if it is neither."""
    text = _words(label)
    if re.search(r"\bmaret\b|\bmarch\b|semester 1\b|semester i\b", text):
        return 1
    if re.search(r"\bseptember\b|semester 2\b|semester ii\b", text):
        return 2
    if re.search(r"\btahun(an)?\b|\bannual\b|\byearly\b", text):
        return None
    raise ValueError(label)


def is_period_label(label: str) -> bool:
    try:
        semester_of(label)
    except ValueError:
        return False
    return True


def area_type_of(label: str) -> str | None:
    """'urban', 'rural' or 'total' for a daerah label (Perkotaan, Perdesaan, Jumlah...), else None."""
    text = _words(label)
    urban = bool(re.fullmatch(r"(daerah )?(perkotaan|urban)", text))
    rural = bool(re.fullmatch(r"(daerah )?(perdesaan|pedesaan|rural)", text))
    both = re.fullmatch(
        r"(perkotaan|kota) ?(\+|dan)? ?(perdesaan|pedesaan|desa)|urban ?(\+|and)? ?rural",
        text,
    )
    if both or re.fullmatch(r"jumlah|total|jumlah total", text):
        return "total"
    if urban:
        return "urban"
    if rural:
        return "rural"
    return None
