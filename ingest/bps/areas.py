"""Which area a table row is: BPS lists Indonesia, each province, and each province's kab/kota after it.

Kab/kota tables print no codes, and kab/kota names repeat across provinces (Kupang, Bogor, Bima), so a
kab/kota row is placed by the province row above it. A name that cannot be placed is an error with the
file and row, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.regions import area_by_code, kabkota_code_for_name, province_code_for_name
from store.errors import SourceFileError

# Tables end with footnote rows whose first cell is not an area.
FOOTNOTE = re.compile(r"^(catatan|sumber|keterangan|note|notes|source)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PlacedArea:
    bps_code: int
    name: str  # as printed in the file
    level: str  # country | province | kabkota
    province_bps_code: int | None


def is_footnote(first_cell: str) -> bool:
    return bool(FOOTNOTE.match(first_cell.strip()))


class AreaPlacer:
    """Walks the rows of one table in file order and names the area of each."""

    def __init__(self, path: Path, kabkota_allowed: bool = True) -> None:
        self.path = path
        self.kabkota_allowed = kabkota_allowed
        self.block: int | None = None  # the province whose kab/kota rows follow
        self.provinces_seen: dict[int, int] = {}  # province or country code -> row
        self.country_row: int | None = None

    def place(self, line: int, printed: str) -> PlacedArea:
        name = printed.strip()
        areas = area_by_code()
        if self.kabkota_allowed and self.block not in (None, 0):
            code = kabkota_code_for_name(name, self.block)
            if code is not None:
                # Gorontalo is both a province and its kabupaten: after the province row, it is the kabupaten.
                return PlacedArea(code, name, "kabkota", areas[code].province_bps_code)
        code = province_code_for_name(name)
        if code is not None:
            self.block = code
            self.provinces_seen.setdefault(code, line)
            if code == 0:
                return PlacedArea(0, name, "country", None)
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

    def check_every_province_listed(self, year: int) -> None:
        """A national table (one with an Indonesia row) lists every province that existed before `year`."""
        if 0 not in self.provinces_seen:
            return
        expected = {
            area.bps_code: area.name
            for area in area_by_code().values()
            if area.level == "province" and (area.formed_year or 0) < year
        }
        missing = [name for code, name in expected.items() if code not in self.provinces_seen]
        if missing:
            raise SourceFileError(
                self.path,
                f"a national table without {', '.join(missing)} (expected every province of {year})",
                row=self.provinces_seen[0],
            )
