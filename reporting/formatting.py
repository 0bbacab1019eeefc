"""Numbers as people in Kupang read them (20,05 %, Rp 164,7 miliar) and as English readers do."""

from __future__ import annotations

import math

NO_VALUE = "\N{EN DASH}"

# Plotly's layout.separators: the decimal mark, then the thousands separator.
PLOTLY_SEPARATORS = {"id": ",.", "en": ".,"}

_SCALES = {
    "id": [(1e12, "triliun"), (1e9, "miliar"), (1e6, "juta")],
    "en": [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")],
}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | int | None, decimals: int, lang: str) -> str:
    """`1234567.891` -> `1.234.567,89` (id) or `1,234,567.89` (en); a dash for no value."""
    if _missing(value):
        return NO_VALUE
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(value: float | None, lang: str, decimals: int = 2) -> str:
    """`20.05` -> `20,05 %` (id, with the space Indonesian style guides use) or `20.05%` (en)."""
    if _missing(value):
        return NO_VALUE
    return f"{number(value, decimals, lang)} %" if lang == "id" else f"{number(value, decimals, lang)}%"


def points(value: float | None, lang: str, decimals: int = 2) -> str:
    """A signed change: `-0,73` or `+1,20`."""
    if _missing(value):
        return NO_VALUE
    sign = "+" if value > 0 else ""
    return sign + number(value, decimals, lang)


def rupiah(value: float | int | None, lang: str) -> str:
    """`164734762202` -> `Rp 164,7 miliar` (id) or `Rp 164.7 billion` (en); under a million: `Rp 60.532`."""
    if _missing(value):
        return NO_VALUE
    for scale, word in _SCALES[lang]:
        if abs(value) >= scale:
            return f"Rp {number(value / scale, 1, lang)} {word}"
    return f"Rp {number(value, 0, lang)}"


def thousand_people(value: float | None, lang: str) -> str:
    """BPS counts the poor in thousands: `24.24` -> `24,24 ribu jiwa` / `24.24 thousand people`."""
    if _missing(value):
        return NO_VALUE
    return f"{number(value, 2, lang)} {'ribu jiwa' if lang == 'id' else 'thousand people'}"
