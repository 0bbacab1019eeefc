"""What a Lokasi cell means: its scope and the BPS codes of the regencies it names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.regions import load_regencies

SCOPE_PROVINCE = "province"
SCOPE_REGENCIES = "regencies"
SCOPE_BOTH = "province+regencies"
SCOPE_UNSPECIFIED = "unspecified"
SCOPE_NONE = "none"

# "22 kab/kota", "Semua Kab/Kota", "seluruh kabupaten/kota", "21 Kabupaten dan Kota Kupang".
_ALL_AREAS = re.compile(
    r"\b(22|semua|seluruh)\s+(kab(upaten)?\.?\s*/?\s*(kota)?)|\b21\s+kab(upaten)?\.?\s+dan\s+kota\s+kupang",
    re.I,
)
_PROVINCE = re.compile(r"\bprov(insi)?\b\.?|\bntt\b|nusa\s+tenggara\s+timur", re.I)


@dataclass(frozen=True)
class Location:
    scope: str
    bps_codes: tuple[int, ...]


@cache
def _regency_pattern() -> tuple[re.Pattern[str], dict[str, int]]:
    code_by_spelling: dict[str, int] = {}
    for regency in load_regencies():
        for spelling in (regency.name, *regency.aliases):
            key = " ".join(re.sub(r"^(kabupaten|kab\.?)\s*", "", spelling, flags=re.I).lower().split())
            code_by_spelling.setdefault(key, regency.bps_code)
    # Longest first, so "kota kupang" wins over "kupang" and "sumba barat daya" over "sumba barat".
    spellings = sorted(code_by_spelling, key=len, reverse=True)
    alternation = "|".join(r"\s+".join(map(re.escape, s.split())) for s in spellings)
    return re.compile(rf"(?<![\w/])({alternation})(?![\w/])", re.I), code_by_spelling


def all_regency_codes() -> tuple[int, ...]:
    return tuple(sorted(r.bps_code for r in load_regencies()))


def resolve_location(text: str) -> Location:
    cleaned = " ".join(text.split())
    if not cleaned:
        return Location(SCOPE_NONE, ())
    pattern, code_by_spelling = _regency_pattern()
    if _ALL_AREAS.search(cleaned):
        codes = set(all_regency_codes())
    else:
        codes = {code_by_spelling[" ".join(m.group(1).lower().split())] for m in pattern.finditer(cleaned)}
    province = bool(_PROVINCE.search(cleaned))
    if codes:
        return Location(SCOPE_BOTH if province else SCOPE_REGENCIES, tuple(sorted(codes)))
    return Location(SCOPE_PROVINCE if province else SCOPE_UNSPECIFIED, ())
