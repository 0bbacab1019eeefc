"""The NTT regency reference: BPS codes for the names documents and tables use.

BPS and Kemendagri number the regencies differently, so names are matched to the
BPS code here and Kemendagri codes are only ever carried alongside, never joined on.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.paths import REGENCY_REFERENCE_CSV

PROVINCE_BPS_CODE = 5300
PROVINCE_NAME = "Nusa Tenggara Timur"
_PROVINCE_SPELLINGS = {
    "nusa tenggara timur",
    "ntt",
    "prov. ntt",
    "provinsi ntt",
    "provinsi nusa tenggara timur",
}
# "Kab."/"Kabupaten" add nothing to a name: plain Kupang is the kabupaten, the city is "Kota Kupang".
_KABUPATEN_PREFIX = re.compile(r"^(kabupaten|kab\.?)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Regency:
    bps_code: int
    kemendagri_code: str
    name: str
    type: str
    aliases: tuple[str, ...]
    formed_year: int


def normalized_area_name(name: str) -> str:
    """Lower-case, single-spaced, without a leading 'Kab.'/'Kabupaten'."""
    collapsed = " ".join(name.replace("\u00a0", " ").split()).lower()
    return _KABUPATEN_PREFIX.sub("", collapsed)


def load_regencies(path: Path = REGENCY_REFERENCE_CSV) -> list[Regency]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Regency(
                bps_code=int(row["bps_code"]),
                kemendagri_code=row["kemendagri_code"],
                name=row["name"],
                type=row["type"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
                formed_year=int(row["formed_year"]),
            )
            for row in csv.DictReader(handle)
        ]


@cache
def _bps_code_by_spelling() -> dict[str, int]:
    codes = {spelling: PROVINCE_BPS_CODE for spelling in _PROVINCE_SPELLINGS}
    for regency in load_regencies():
        for spelling in (regency.name, *regency.aliases):
            codes[normalized_area_name(spelling)] = regency.bps_code
    return codes


def bps_code_for_area(name: str) -> int | None:
    """The BPS code of an NTT area name (province, kabupaten or kota), or None if it is not one."""
    return _bps_code_by_spelling().get(normalized_area_name(name))


def is_ntt_province_name(name: str) -> bool:
    return bps_code_for_area(name) == PROVINCE_BPS_CODE
