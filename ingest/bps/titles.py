"""What a BPS header says, matched by meaning: the variable and unit of a title, years, periods, breakdowns.

File names are unreliable and header wording drifts between downloads ("Semester 1 (Maret)", "Maret";
"Jumlah", "Perkotaan+Perdesaan"; "(Persen)" or no unit at all), so everything here matches words, never one
exact string. A title names a variable: one of the indicators the warehouse knows (P0, the poverty line,
TPT, ...: their codes, units and bounds are fixed) or any other, which becomes an indicator of its own with a
code derived from its normalised name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

RUPIAH = "rupiah per capita per month"
PERCENT = "percent"
UNSTATED = "unstated"  # a title that names no unit and whose words imply none
TOTAL, URBAN, RURAL = "total", "urban", "rural"


@dataclass(frozen=True)
class Variable:
    """One variable of a BPS table: the indicator code, its name as printed, its unit."""

    code: str  # P0, TPT... for known indicators; else derived from the name (or the WebAPI variable id)
    name: str  # the title's name part as printed: "Tingkat Pengangguran Terbuka"
    unit: str  # canonical unit ("percent", RUPIAH, "thousand people", ...) or the printed one
    scale: float = 1.0  # multiply printed values by this to get `unit`
    known: bool = False  # one of KNOWN_INDICATORS: fixed unit and bounds


# Kept for the readers of extreme-poverty release figures and older callers.
IndicatorTitle = Variable


def words(text: str) -> str:
    """Lower case, letters, digits and ( ) % + only, single-spaced."""
    return " ".join(re.sub(r"[^a-z0-9()%+]+", " ", text.lower()).split())


# The indicators the warehouse knows: their codes keep their names, units and bounds (plausibility.py).
# Order matters: the more specific title first ("garis kemiskinan bukan makanan" before "garis kemiskinan").
KNOWN_INDICATORS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"(persentase|tingkat) (penduduk )?miskin ekstr[ei]m|extreme poverty rate"),
     "P0_EXTREME", PERCENT),
    (re.compile(r"(jumlah|banyaknya) (penduduk )?miskin ekstr[ei]m|number of extreme poor"),
     "POOR_EXTREME_COUNT", "thousand people"),
    (re.compile(r"garis kemiskinan (bukan|non ?) ?makanan|non ?food poverty line"),
     "POVERTY_LINE_NONFOOD", RUPIAH),
    (re.compile(r"garis kemiskinan makanan|food poverty line"), "POVERTY_LINE_FOOD", RUPIAH),
    (re.compile(r"garis kemiskinan|poverty line"), "POVERTY_LINE", RUPIAH),
    (re.compile(r"persentase penduduk miskin|\(p0\)|percentage of poor|headcount"), "P0", PERCENT),
    (re.compile(r"(jumlah|banyaknya) penduduk miskin|number of poor"), "POOR_COUNT", "thousand people"),
    (re.compile(r"indeks kedalaman kemiskinan|\(p1\)|poverty gap index"), "P1", "index"),
    (re.compile(r"indeks keparahan kemiskinan|\(p2\)|poverty severity index"), "P2", "index"),
    (re.compile(r"^tingkat pengangguran terbuka\b|open unemployment rate"), "TPT", PERCENT),
]  # fmt: skip
_COUNTS = ("POOR_COUNT", "POOR_EXTREME_COUNT")
_PEOPLE_NOT_THOUSANDS = re.compile(r"\(\s*(jiwa|orang)\s*\)|\(\s*people\s*\)")
_THOUSANDS = re.compile(r"\bribu\b|thousand")
_THOUSAND_RUPIAH = re.compile(r"ribu rupiah|ribu rp|thousand rupiah")

# A parenthesised part of a title is its unit when it says one; an acronym such as (AHH) or (P0) is a name.
_UNITS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(persen|percent|%)$"), PERCENT),
    (re.compile(r"^(rupiah|rp)( ?/ ?| per )kapita( ?/ ?| per )bulan$"), RUPIAH),
    (re.compile(r"^ribu (jiwa|orang)$"), "thousand people"),
    (re.compile(r"^(jiwa|orang)$"), "people"),
    (re.compile(r"^(rupiah|rp)$"), "rupiah"),
    (re.compile(r"^tahun$"), "years"),
    (re.compile(r"^indeks$"), "index"),
]
_UNIT_WORDS = re.compile(
    r"\b(persen|rupiah|rp|jiwa|orang|ribu|juta|miliar|ton|kg|ha|km|unit|kapita|bulan|hari|rumah tangga)\b|%"
)
# Without a printed unit, the title's first words say what kind of figure it is.
_IMPLIED_UNITS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(persentase|proporsi|tingkat|prevalensi|angka melek huruf|"
                r"angka partisipasi (murni|sekolah))"), PERCENT),
    (re.compile(r"^(rasio|angka partisipasi kasar)"), "ratio"),
    (re.compile(r"^indeks"), "index"),
    (re.compile(r"^(angka harapan hidup|harapan lama sekolah|rata rata lama sekolah)"), "years"),
    (re.compile(r"^(jumlah |banyaknya )?penduduk"), "people"),
]  # fmt: skip
# Units of one kind can stand for each other (BPS titles P2 "(Persen)"); a rupiah P0 cannot.
_UNIT_KINDS = {
    PERCENT: "share",
    "index": "share",
    "ratio": "share",
    RUPIAH: "money",
    "rupiah": "money",
    "thousand people": "people",
    "people": "people",
    "years": "time",
}
_PARENS = re.compile(r"\(([^()]*)\)")
_MENURUT = re.compile(r"\s+(menurut|by)\s+(.*)$", re.IGNORECASE | re.DOTALL)
# Dimensions a title's "Menurut ..." names that every export encodes the same way (the rows' areas; daerah and
# sex as breakdowns with standard labels): they are not part of the variable's name, so P0 "Menurut Provinsi"
# and "Menurut Provinsi dan Daerah" are one variable. Any other dimension is ("Persentase Rumah Tangga menurut
# Sumber Penerangan" is not "... menurut Sumber Air Minum").
_STANDARD_DIMENSION = re.compile(
    r"^(\d+ )?(provinsi|kabupaten|kota|kabupaten kota|kab kota|provinsi kabupaten kota|wilayah|daerah|"
    r"tipe daerah|daerah tempat tinggal|jenis kelamin|nasional|indonesia|province|regency|region|sex|"
    r"urban rural)$"
)
_TRAILING_YEARS = re.compile(r"[\s,]*((19|20)\d\d(\s*[-\u2013]\s*(19|20)\d\d)?)\s*$")
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9/+.\- ]*$")
MAX_CODE_LENGTH = 48


class UnitContradiction(ValueError):
    """A title whose unit cannot be the unit of the known indicator it names (P0 in rupiah)."""


def _unit_of(text: str) -> str | None:
    """The canonical unit a parenthesised text names, the text itself for another unit, None for a name."""
    cleaned = " ".join(text.split())
    lowered = cleaned.lower()
    for pattern, unit in _UNITS:
        if pattern.match(lowered):
            return unit
    if _ACRONYM.match(cleaned) and not _UNIT_WORDS.search(lowered):
        return None  # (AHH), (APK), (P0): part of the name
    return lowered if _UNIT_WORDS.search(lowered) else None


def title_parts(title: str) -> tuple[str, str | None]:
    """(name, printed unit) of a title: the name before "Menurut ...", without years or a unit."""
    text = " ".join(title.replace("\u00a0", " ").split())
    text = _TRAILING_YEARS.sub("", text)
    unit = None
    for match in _PARENS.finditer(text):
        found = _unit_of(match.group(1))
        if found is not None:
            unit = found
    menurut = _MENURUT.search(text)
    name = text[: menurut.start()] if menurut else text
    name = _PARENS.sub(lambda m: "" if _unit_of(m.group(1)) is not None else m.group(0), name)
    name = _TRAILING_YEARS.sub("", " ".join(name.split())).strip(" ,;:-")
    if menurut:
        dimensions = _PARENS.sub("", menurut.group(2))
        other = [
            " ".join(part.split())
            for part in re.split(r",|\s+dan\s+|\s+and\s+", dimensions, flags=re.IGNORECASE)
            if part.strip() and not _STANDARD_DIMENSION.match(words(part))
        ]
        other = [_TRAILING_YEARS.sub("", part).strip(" ,;:-") for part in other]
        if any(other):
            name = f"{name} menurut {' dan '.join(part for part in other if part)}"
    return name, unit


def derived_code(name: str) -> str:
    """A stable indicator code from a variable's name: its words in capitals, shortened with a digest."""
    slug = "_".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split()).upper()
    if len(slug) <= MAX_CODE_LENGTH:
        return slug or "UNNAMED"
    cut = slug[:40].rsplit("_", 1)[0] if "_" in slug[:40] else slug[:40]
    return f"{cut}_{hashlib.md5(slug.encode()).hexdigest()[:6].upper()}"


def _known(text: str) -> tuple[str, str] | None:
    for pattern, code, unit in KNOWN_INDICATORS:
        if pattern.search(text):
            return code, unit
    return None


def variable_from_title(title: str, webapi_id: str | None = None) -> Variable | None:
    """The variable a BPS title names, or None when the text names nothing (empty, or only years/units).

    A known indicator keeps its code and unit (a unit of another kind, P0 "(Rupiah)", raises
    UnitContradiction); any other variable gets the code `webapi_id` when the WebAPI gave one, else one
    derived from its normalised name, and the unit the title prints or its first words imply.
    """
    name, printed_unit = title_parts(title)
    if not re.search(r"[A-Za-z]{3}", name):
        return None
    text = words(title)
    known = _known(text)
    if known is not None:
        code, unit = known
        printed_kind = _UNIT_KINDS.get(printed_unit or "")
        if printed_kind is not None and printed_kind != _UNIT_KINDS[unit]:
            raise UnitContradiction(
                f"the title names {code} (in {unit}) but gives its unit as {printed_unit!r}: {title!r}"
            )
        scale = 1.0
        if code in _COUNTS and _PEOPLE_NOT_THOUSANDS.search(text) and not _THOUSANDS.search(text):
            scale = 0.001  # "(Jiwa)": people, stored in thousands
        elif unit == RUPIAH and _THOUSAND_RUPIAH.search(text):
            scale = 1000.0
        return Variable(code, name, unit, scale, known=True)
    unit = printed_unit or implied_unit(name)
    return Variable(webapi_id or derived_code(name), name, unit)


def implied_unit(name: str) -> str:
    text = words(name)
    return next((unit for pattern, unit in _IMPLIED_UNITS if pattern.search(text)), UNSTATED)


def indicator_from_title(title: str) -> Variable | None:
    """The known indicator a title names (P0, the poverty line, ...), or None: for the release figures."""
    try:
        variable = variable_from_title(title)
    except UnitContradiction:
        return None
    return variable if variable is not None and variable.known else None


def names_known_indicator(text: str) -> bool:
    return _known(words(text)) is not None


YEAR = re.compile(r"^(19|20)\d\d$")


def is_year(text: str) -> bool:
    return bool(YEAR.match(text.strip()))


# Periods, one encoding: "annual", "S1"/"S2" (the Susenas March and September rounds), "M01".."M12" (a
# month: Sakernas Februari and Agustus, monthly series), "Q1".."Q4" (quarters).
ANNUAL, S1, S2 = "annual", "S1", "S2"
PERIODS = (ANNUAL, S1, S2, *(f"M{m:02d}" for m in range(1, 13)), "Q1", "Q2", "Q3", "Q4")
_MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "pebruari": 2,
    "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_SEMESTER = re.compile(r"^semester (i|ii|1|2)( \(?(maret|march|september)\)?)?$")
_QUARTER = re.compile(r"^(triwulan|kuartal|quarter|tw|q) ?(i|ii|iii|iv|1|2|3|4)$")
_ANNUAL = re.compile(r"^(tahunan|tahun|annual|yearly|setahun)$")
_YEAR_AND_PERIOD = re.compile(r"^(?:((?:19|20)\d\d) (.+)|(.+) ((?:19|20)\d\d))$")
SUSENAS_MONTHS = {3: S1, 9: S2}


def period_of(label: str, monthly: bool = False) -> str | None:
    """The period code of a header label, None when it names no period.

    Maret and September are the Susenas rounds (S1, S2) unless the table is a monthly series (`monthly`:
    it names other months too); Februari and Agustus (Sakernas) are months, never a semester.
    """
    text = " ".join(re.sub(r"[^a-z0-9()]+", " ", label.lower()).split())
    if not text:
        return None
    if _ANNUAL.match(text):
        return ANNUAL
    semester = _SEMESTER.match(text)
    if semester:
        return S1 if _ROMAN[semester.group(1)] == 1 else S2
    quarter = _QUARTER.match(text)
    if quarter:
        return f"Q{_ROMAN[quarter.group(2)]}"
    month = _MONTHS.get(text.strip("()"))
    if month is None:
        return None
    if not monthly and month in SUSENAS_MONTHS:
        return SUSENAS_MONTHS[month]
    return f"M{month:02d}"


def is_month_other_than_rounds(label: str) -> bool:
    """A month that no Susenas or Sakernas round uses (Januari...): the table is a monthly series."""
    month = _MONTHS.get(" ".join(re.sub(r"[^a-z]+", " ", label.lower()).split()))
    return month is not None and month not in (2, 3, 8, 9)


def year_and_period_of(label: str, monthly: bool = False) -> tuple[int, str] | None:
    """(year, period) of a combined header cell such as "2019 Februari" or "Maret 2022", else None."""
    text = " ".join(label.split())
    match = _YEAR_AND_PERIOD.match(text)
    if not match:
        return None
    year, rest = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    period = period_of(rest, monthly)
    return (int(year), period) if period is not None else None


def semester_of(label: str) -> int | None:
    """1 for the March round, 2 for September, None for an annual figure; ValueError if it is neither."""
    period = period_of(label)
    if period == S1:
        return 1
    if period == S2:
        return 2
    if period == ANNUAL:
        return None
    raise ValueError(label)


# Breakdowns: daerah labels have one encoding (urban, rural, total); a total of any breakdown is "total".
_URBAN = re.compile(r"^(daerah )?(perkotaan|urban|kota)$")
_RURAL = re.compile(r"^(daerah )?(perdesaan|pedesaan|rural|desa)$")
_DAERAH_TOTAL = re.compile(
    r"^((perkotaan|kota) ?(\+|dan)? ?(perdesaan|pedesaan|desa)|urban ?(\+|and)? ?rural)$"
)
_TOTAL = re.compile(
    r"^(jumlah|total|jumlah total|indonesia total|laki laki ?(\+|dan) ?perempuan|l ?\+ ?p|"
    r"male ?(\+|and) ?female)$"
)


def area_type_of(label: str) -> str | None:
    """'urban', 'rural' or 'total' for a daerah label (Perkotaan, Desa, Kota+Desa, Jumlah...), else None."""
    text = words(label).replace("-", " ")
    if _URBAN.match(text):
        return URBAN
    if _RURAL.match(text):
        return RURAL
    if _DAERAH_TOTAL.match(text) or re.fullmatch(r"jumlah|total|jumlah total", text):
        return TOTAL
    return None


def is_daerah_label(label: str) -> bool:
    return area_type_of(label) is not None


def breakdown_of(label: str) -> str:
    """The breakdown a header or row label gives: urban/rural/total for daerah and totals, else the label
    as printed (whitespace collapsed)."""
    daerah = area_type_of(label)
    if daerah is not None:
        return daerah
    if _TOTAL.match(" ".join(re.sub(r"[^a-z0-9+]+", " ", label.lower()).split())):
        return TOTAL
    return " ".join(label.split())


def combined_breakdown(*labels: str) -> str:
    """The breakdown of several nested labels ("Angkatan Kerja (AK)" over "Bekerja"): one label, or
    "outer / inner"; totals add nothing."""
    parts = [label for label in (breakdown_of(label) for label in labels if label) if label != TOTAL]
    unique = list(dict.fromkeys(parts))
    return " / ".join(unique) if unique else TOTAL


def unit_of_breakdown(breakdown: str) -> str | None:
    """A breakdown that is a rate among counts ("% Bekerja / AK", "... (TPAK)") has its own unit."""
    text = words(breakdown)
    if "%" in breakdown or re.search(r"\b(persentase|proporsi|tingkat|tpak|tpt)\b|\(persen\)", text):
        return PERCENT
    return None
