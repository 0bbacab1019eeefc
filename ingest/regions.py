"""BPS area codes for the names documents and tables use: Indonesia, its 38 provinces, every kab/kota.

BPS and Kemendagri number areas differently, so names are matched to the BPS code here and Kemendagri
codes are only ever carried alongside (NTT's, in ntt_regencies.csv), never joined on.

Kab/kota names repeat across provinces (Kupang, Bogor, Bima...), so a kab/kota is only ever looked up
within a province: the province block a table row sits in. Areas that moved to a province formed in
2022 (the Papua split) are found under the old province too, because older tables list them there.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from store.paths import BUNDLED_DATA_DIR, REGENCY_REFERENCE_CSV

PROVINCE_BPS_CODE = 5300
PROVINCE_NAME = "Nusa Tenggara Timur"
COUNTRY_BPS_CODE = 0
BPS_PROVINCES_CSV = BUNDLED_DATA_DIR / "reference" / "bps_provinces.csv"
BPS_KABKOTA_CSV = BUNDLED_DATA_DIR / "reference" / "bps_kabkota.csv"
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


@dataclass(frozen=True)
class Area:
    bps_code: int
    name: str
    level: str  # country | province | kabkota
    province_bps_code: int | None  # the province it belongs to today; its own code for a province
    aliases: tuple[str, ...]
    formed_year: int | None
    previous_province_bps_code: int | None = None  # before the 2022 Papua split


def normalized_area_name(name: str) -> str:
    """Lower-case, single-spaced, without a leading 'Kab.'/'Kabupaten'."""
    collapsed = " ".join(name.replace("\u00a0", " ").split()).lower()
    return _KABUPATEN_PREFIX.sub("", collapsed)


@lru_cache(maxsize=8192)
def area_key(name: str) -> str:
    """The letters of a name without 'Kab.'/'Kabupaten': 'S I A K', 'Siak' and 'Kab. Siak' are one key.

    'Kota' stays, so Kupang (the kabupaten) and Kota Kupang differ; footnote marks ('Nduga *') go.
    """
    return re.sub(r"[^a-z]", "", normalized_area_name(name))


def load_regencies(path: Path = REGENCY_REFERENCE_CSV) -> list[Regency]:
    """NTT's 22 kab/kota with their Kemendagri codes (the RAT reader and NTT guarantees use it)."""
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


def _optional_int(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def load_bps_areas() -> tuple[Area, ...]:
    """Indonesia, the 38 provinces and the 514 kab/kota of the BPS references, in code order."""
    areas = []
    with BPS_PROVINCES_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = int(row["bps_code"])
            areas.append(
                Area(
                    bps_code=code,
                    name=row["name"],
                    level=row["level"],
                    province_bps_code=None if row["level"] == "country" else code,
                    aliases=tuple(a for a in row["aliases"].split("|") if a),
                    formed_year=_optional_int(row["formed_year"]),
                )
            )
    with BPS_KABKOTA_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            areas.append(
                Area(
                    bps_code=int(row["bps_code"]),
                    name=row["name"],
                    level="kabkota",
                    province_bps_code=int(row["province_bps_code"]),
                    aliases=tuple(a for a in row["aliases"].split("|") if a),
                    formed_year=_optional_int(row["formed_year"]),
                    previous_province_bps_code=_optional_int(row["previous_province_bps_code"]),
                )
            )
    return tuple(sorted(areas, key=lambda area: area.bps_code))


@cache
def area_by_code() -> dict[int, Area]:
    return {area.bps_code: area for area in load_bps_areas()}


@cache
def _province_codes_by_key() -> dict[str, int]:
    codes: dict[str, int] = {}
    for area in load_bps_areas():
        if area.level == "kabkota":
            continue
        for spelling in (area.name, *area.aliases):
            if codes.setdefault(area_key(spelling), area.bps_code) != area.bps_code:
                raise ValueError(f"the province reference gives {spelling!r} to two provinces")
    return codes


@cache
def _kabkota_codes_by_province_and_key() -> dict[tuple[int, str], int]:
    codes: dict[tuple[int, str], int] = {}
    for area in load_bps_areas():
        if area.level != "kabkota":
            continue
        provinces = {area.province_bps_code, area.previous_province_bps_code} - {None}
        for province in provinces:
            for spelling in (area.name, *area.aliases):
                key = (province, area_key(spelling))
                if codes.setdefault(key, area.bps_code) != area.bps_code:
                    raise ValueError(f"the kab/kota reference gives {spelling!r} to two areas of {province}")
    return codes


# A province is written with or without its title: "Provinsi Nusa Tenggara Timur", "Prov. NTT".
_PROVINCE_PREFIX = re.compile(r"^\s*(provinsi|prov\.?)\s+", re.IGNORECASE)


def province_code_for_name(name: str) -> int | None:
    """The BPS code of Indonesia (0) or of a province, from any spelling BPS uses, in any case, with or
    without "Provinsi"; None if neither."""
    codes = _province_codes_by_key()
    code = codes.get(area_key(name))
    return code if code is not None else codes.get(area_key(_PROVINCE_PREFIX.sub("", name)))


@cache
def _province_spellings() -> tuple[tuple[str, int], ...]:
    """Every spelling of a province as lower-case words, longest first (Papua Barat Daya before Papua)."""
    spellings = {
        (" ".join(re.sub(r"[^a-z]+", " ", spelling.lower()).split()), area.bps_code)
        for area in load_bps_areas()
        if area.level == "province"
        for spelling in (area.name, *area.aliases)
    }
    return tuple(sorted(spellings, key=lambda item: -len(item[0])))


def province_named_in(text: str) -> int | None:
    """The province a text such as a table title names ("... di Provinsi Nusa Tenggara Timur"), or None."""
    padded = " " + " ".join(re.sub(r"[^a-z]+", " ", text.lower()).split()) + " "
    return next((code for spelling, code in _province_spellings() if f" {spelling} " in padded), None)


def kabkota_code_for_name(name: str, province_bps_code: int) -> int | None:
    """The BPS code of the kab/kota called `name` in that province (today or before 2022), or None."""
    return _kabkota_codes_by_province_and_key().get((province_bps_code, area_key(name)))


def bps_code_for_area(name: str, province_bps_code: int | None = None) -> int | None:
    """The BPS code of an area name, or None if it cannot be placed.

    With a province: a kab/kota of that province. Without: Indonesia or a province by any BPS
    spelling, else a kab/kota of NTT (the project's province; names repeat elsewhere).
    """
    if province_bps_code is not None:
        return kabkota_code_for_name(name, province_bps_code)
    code = province_code_for_name(name)
    return code if code is not None else kabkota_code_for_name(name, PROVINCE_BPS_CODE)


def is_ntt_province_name(name: str) -> bool:
    return province_code_for_name(name) == PROVINCE_BPS_CODE
