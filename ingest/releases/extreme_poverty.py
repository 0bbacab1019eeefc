"""Extreme poverty (kemiskinan ekstrem) figures read off releases and the press, one figure per row.

No BPS table download exists for them: people collect them from pages into a CSV with the columns
`wilayah, tahun, indikator, nilai, satuan, sumber_angka, url, catatan` (data/releases/SOURCE.md). Two
producers publish them (BPS, and Kemenko PMK estimates where BPS would not disseminate kab/kota figures),
units drift between "jiwa" and "ribu jiwa", and the pages contradict each other. So every figure keeps its
producer, its page and its caveats (`notes`), counts are normalised to thousand people, and contradictions
found between rows are flagged in `notes`, never fixed.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd

from ingest.bps.areas import AreaPlacer, PlacedArea
from ingest.bps.reading import read_text
from store.errors import SourceFileError
from store.paths import display_path

RELEASE_DTYPES: dict[str, str] = {
    "bps_code": "Int64",  # null for a group of areas ("5 kabupaten prioritas NTT")
    "area_name": "string",
    "area_level": "string",  # country | province | kabkota | kabkota_group
    "province_bps_code": "Int64",
    "year": "Int64",
    "indicator": "string",  # P0_EXTREME | POOR_EXTREME_COUNT | POOR_EXTREME_HOUSEHOLDS
    "value": "Float64",
    "unit": "string",  # percent | thousand people | households
    "producer": "string",
    "source_url": "string",
    "notes": "string",
    "_source_file": "string",
    "_source_row": "Int64",
}
RELEASE_COLUMNS = list(RELEASE_DTYPES)
REQUIRED = ["wilayah", "tahun", "indikator", "nilai", "satuan", "sumber_angka"]
# Implied populations (count / rate) of one area that differ by more than this across years contradict.
POPULATION_TOLERANCE = 0.25
_GROUP = re.compile(r"^\s*(\d+)\s+(kabupaten|kab\.?|kab/kota|kabupaten/kota)\b", re.I)


def _header(text: str) -> list[str]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return [cell.strip().lower() for cell in next(csv.reader([first]))]


def looks_like_poverty_release_table(path: Path) -> bool:
    """A CSV whose header has the release columns (wilayah, tahun, indikator, nilai, satuan, sumber_angka)."""
    if path.suffix.lower() not in {".csv", ".txt"} or not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(2048).decode("utf-8-sig", errors="replace")
    return all(column in _header(head) for column in REQUIRED)


def _indicator_of(text: str) -> str | None:
    words = text.lower().replace("_", " ")
    if "ekstr" not in words:
        return None
    if "p0" in words or "persentase" in words:
        return "P0_EXTREME"
    if re.search(r"\brt\b|rumah tangga|household", words):
        return "POOR_EXTREME_HOUSEHOLDS"
    if "jumlah" in words or "penduduk" in words:
        return "POOR_EXTREME_COUNT"
    return None


# (unit printed) -> (unit written, divisor); `satuan` says which the page meant (SOURCE.md).
_UNITS = {
    "persen": ("percent", 1.0),
    "%": ("percent", 1.0),
    "ribu jiwa": ("thousand people", 1.0),
    "ribu orang": ("thousand people", 1.0),
    "jiwa": ("thousand people", 1000.0),
    "orang": ("thousand people", 1000.0),
    "rumah tangga": ("households", 1.0),
    "rt": ("households", 1.0),
}
_UNIT_OF_INDICATOR = {
    "P0_EXTREME": "percent",
    "POOR_EXTREME_COUNT": "thousand people",
    "POOR_EXTREME_HOUSEHOLDS": "households",
}


def read_poverty_release_table(path: Path) -> pd.DataFrame:
    """The release figures of `path` (RELEASE_COLUMNS), with producers, caveats and contradiction flags."""
    path = Path(path)
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise SourceFileError(
            path, f"not an extreme-poverty release table: no column {', '.join(missing)}", row=1
        )
    reader.fieldnames = header
    placer = AreaPlacer(path)
    source_file = display_path(path)
    records: list[dict] = []
    start = 2
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any((value or "").strip() for value in row.values()):
            continue
        records.append(_record(path, line, row, placer, source_file))
    if not records:
        raise SourceFileError(path, "the table holds no figures")
    _flag_contradictions(records)
    table = pd.DataFrame.from_records(records, columns=RELEASE_COLUMNS)
    return table.astype(RELEASE_DTYPES)


def _record(path: Path, line: int, row: dict, placer: AreaPlacer, source_file: str) -> dict:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    name = cell("wilayah")
    group = _GROUP.match(name)
    # A group of areas ("5 kabupaten prioritas NTT") has no code; it belongs to the province above it.
    code, level, province = (
        (None, "kabkota_group", placer.block) if group else _placed(placer.place(line, name))
    )
    if not re.fullmatch(r"(19|20)\d\d", cell("tahun")):
        raise SourceFileError(path, f"tahun {cell('tahun')!r} is not a year", row=line)
    indicator = _indicator_of(cell("indikator"))
    if indicator is None:
        raise SourceFileError(
            path, f"indikator {cell('indikator')!r} is no extreme-poverty indicator", row=line
        )
    unit, divisor = _UNITS.get(" ".join(cell("satuan").lower().split()), (None, 1.0))
    if unit != _UNIT_OF_INDICATOR[indicator]:
        raise SourceFileError(path, f"satuan {cell('satuan')!r} is no unit for {indicator}", row=line)
    try:
        printed = float(cell("nilai"))
    except ValueError:
        raise SourceFileError(path, f"nilai {cell('nilai')!r} is not a number", row=line) from None
    notes = [cell("catatan")] if cell("catatan") else []
    if cell("satuan").lower() in ("jiwa", "orang") and printed < 1000 and not printed.is_integer():
        notes.append(f"FLAG: {printed:g} people with decimals reads like thousands")
    return {
        "bps_code": code,
        "area_name": name,
        "area_level": level,
        "province_bps_code": province,
        "year": int(cell("tahun")),
        "indicator": indicator,
        "value": printed / divisor,
        "unit": unit,
        "producer": cell("sumber_angka"),
        "source_url": cell("url") or None,
        "notes": notes,
        "_source_file": source_file,
        "_source_row": line,
        "_group_size": int(group.group(1)) if group else None,
    }


def _placed(area: PlacedArea) -> tuple[int | None, str, int | None]:
    return area.bps_code, area.level, area.province_bps_code


def _flag_contradictions(records: list[dict]) -> None:
    """Append to `notes` what other rows contradict; then join each row's notes into one text."""
    by_cell: dict[tuple, list[dict]] = defaultdict(list)
    for record in records:
        by_cell[(record["area_name"].lower(), record["year"], record["indicator"])].append(record)
    for same in by_cell.values():
        for record in same:
            others = [o for o in same if o is not record and abs(o["value"] - record["value"]) > 1e-9]
            for other in others:
                gives = f"{other['value']:g} {other['unit']}"
                record["notes"].append(
                    f"FLAG: row {other['_source_row']} ({other['producer']}) gives {gives}"
                )
    _flag_group_totals(records)
    _flag_implied_populations(records)
    for record in records:
        record["notes"] = " | ".join(record.pop("notes")) or None
        record.pop("_group_size")


def _flag_group_totals(records: list[dict]) -> None:
    """A group's figure ('5 kabupaten prioritas') against the sum of its areas on the same page and year."""
    for group in (r for r in records if r["area_level"] == "kabkota_group" and r["unit"] != "percent"):
        parts = [
            r
            for r in records
            if r["area_level"] == "kabkota"
            and (r["year"], r["indicator"], r["source_url"])
            == (group["year"], group["indicator"], group["source_url"])
        ]
        total = sum(r["value"] for r in parts)
        if parts and abs(total - group["value"]) > 1e-6 * max(1.0, total):
            summed = f"{total:g} {group['unit']}, not {group['value']:g}"
            group["notes"].append(f"FLAG: the {len(parts)} areas of the same page sum to {summed}")
        if group["_group_size"] and parts and len(parts) != group["_group_size"]:
            group["notes"].append(f"FLAG: {group['_group_size']} areas named, {len(parts)} found on the page")


def _flag_implied_populations(records: list[dict]) -> None:
    """Count / rate is the area's population: across years it cannot jump, so one of the two is wrong."""
    figures: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for record in records:
        if record["bps_code"] is not None and record["indicator"] in ("P0_EXTREME", "POOR_EXTREME_COUNT"):
            figures[(record["bps_code"], record["year"])][record["indicator"]] = record
    population: dict[int, dict[int, float]] = defaultdict(dict)
    for (code, year), pair in figures.items():
        rate, count = pair.get("P0_EXTREME"), pair.get("POOR_EXTREME_COUNT")
        if rate and count and rate["value"] > 0:
            population[code][year] = count["value"] / (rate["value"] / 100)
    for code, by_year in population.items():
        for year, people in by_year.items():
            for other_year, other in by_year.items():
                if other_year != year and abs(people - other) > POPULATION_TOLERANCE * max(people, other):
                    for record in figures[(code, year)].values():
                        record["notes"].append(
                            f"FLAG: count and rate imply {people:,.0f} thousand people in {year}, "
                            f"{other:,.0f} thousand in {other_year}: one of them is wrong"
                        )
