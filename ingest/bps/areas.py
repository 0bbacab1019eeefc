"""Which area a table row is: BPS lists Indonesia, each province, and each province's kab/kota after it.

Kab/kota tables print no codes, and kab/kota names repeat across provinces (Kupang, Bogor, Bima), so a
kab/kota row is placed by the province row above it. A name that cannot be placed is an error with the
file and row, never a guess. Provinces are matched in any case, with or without "Provinsi"; a `TOTAL` or
`Jumlah` row under province rows is Indonesia (the XLSX exports write it so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.regions import COUNTRY_BPS_CODE, area_by_code, kabkota_code_for_name, province_code_for_name
from store.errors import SourceFileError

# Tables end with footnote rows whose first cell is not an area.
FOOTNOTE = re.compile(r"^(catatan|sumber|keterangan|note|notes|source)\b|^(\*|\(?\d\)\s)", re.IGNORECASE)
_COUNTRY_TOTAL = re.compile(
    r"^\s*(total|jumlah|indonesia|total indonesia|jumlah indonesia)\s*$", re.IGNORECASE
)
# What the first header cell says about the rows: "38 Provinsi" (provinces only, and how many).
_PROVINCES_ONLY = re.compile(r"^\s*(?:(\d+)\s+)?(provinsi|province)s?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PlacedArea:
    bps_code: int
    name: str  # as printed in the file
    level: str  # country | province | kabkota
    province_bps_code: int | None


def is_footnote(first_cell: str) -> bool:
    return bool(FOOTNOTE.match(first_cell.strip()))


def placed(code: int, printed: str | None = None) -> PlacedArea:
    """The reference area of a BPS code, with the name the file prints (or the reference's)."""
    area = area_by_code()[code]
    return PlacedArea(area.bps_code, printed or area.name, area.level, area.province_bps_code)


def provinces_only(corner: str) -> tuple[bool, int | None]:
    """Whether a row-dimension header ("Provinsi", "38 Provinsi") says the rows are provinces only, and the
    number of provinces it announces."""
    match = _PROVINCES_ONLY.match(corner)
    if not match:
        return False, None
    return True, int(match.group(1)) if match.group(1) else None


def is_area_name(name: str) -> bool:
    """Indonesia or a province by any spelling (kab/kota names need the province row above them)."""
    return province_code_for_name(name) is not None


class AreaPlacer:
    """Walks the rows of one table in file order and names the area of each."""

    def __init__(self, path: Path, kabkota_allowed: bool = True) -> None:
        self.path = path
        self.kabkota_allowed = kabkota_allowed
        self.block: int | None = None  # the province whose kab/kota rows follow
        self.provinces_seen: dict[int, int] = {}  # province or country code -> row
        self.kabkota_seen = False

    def place(self, line: int, printed: str) -> PlacedArea:
        name = printed.strip()
        areas = area_by_code()
        if self.kabkota_allowed and self.block not in (None, 0):
            code = kabkota_code_for_name(name, self.block)
            if code is not None:
                # Gorontalo is both a province and its kabupaten: after the province row, it is the kabupaten.
                self.kabkota_seen = True
                return PlacedArea(code, name, "kabkota", areas[code].province_bps_code)
        code = province_code_for_name(name)
        if code is None and _COUNTRY_TOTAL.match(name) and not self.kabkota_seen:
            code = COUNTRY_BPS_CODE  # the total row of a province table
        if code is not None:
            self.block = code
            self.provinces_seen.setdefault(code, line)
            if code == COUNTRY_BPS_CODE:
                return PlacedArea(COUNTRY_BPS_CODE, name, "country", None)
            return PlacedArea(code, name, "province", code)
        if not self.kabkota_allowed:
            raise SourceFileError(
                self.path, f"{name!r} is neither Indonesia nor a province in the reference", row=line
            )
        if self.block in (None, 0):
            raise SourceFileError(
                self.path,
                f"{name!r} is no province in the reference, and no province row precedes it",
                row=line,
            )
        raise SourceFileError(
            self.path,
            f"{name!r} is no kab/kota of {areas[self.block].name} (the province row above it) "
            "nor a province in the reference",
            row=line,
        )

    def check_every_province_listed(self, year: int, announced: int | None = None) -> None:
        """A national province table lists every province that existed before `year`.

        National: it has an Indonesia row and no kab/kota, and either its header announces how many
        provinces it lists ("38 Provinsi") or it lists most of them (an export of a few provinces the user
        picked, plus INDONESIA, is a selection, not a broken table).
        """
        if COUNTRY_BPS_CODE not in self.provinces_seen or self.kabkota_seen:
            return
        expected = {
            area.bps_code: area.name
            for area in area_by_code().values()
            if area.level == "province" and (area.formed_year or 0) < year
        }
        listed = sum(1 for code in self.provinces_seen if code in expected)
        if announced is None and listed < 0.8 * len(expected):
            return
        missing = [name for code, name in expected.items() if code not in self.provinces_seen]
        if missing:
            raise SourceFileError(
                self.path,
                f"a national table without {', '.join(missing)} (expected every province of {year})",
                row=self.provinces_seen[COUNTRY_BPS_CODE],
            )
