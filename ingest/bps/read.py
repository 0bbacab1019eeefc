"""Read any BPS table download: recognise its layout by structure, then parse it into observations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ingest.bps import (
    area_by_year,
    long_export,
    province_daerah_semester,
    province_semester_columns,
    tabel_dinamis,
)
from ingest.bps.grid import Verdict
from ingest.bps.reading import Grid, read_grid
from store.errors import SourceFileError

TABLE_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".html", ".htm"}
# Below this a file shares too little with any layout to say more than "no BPS table".
NEAR_MISS_SCORE = 1.0


@dataclass(frozen=True)
class GridLayout:
    name: str
    description: str
    recognise: Callable[[Grid], Verdict]
    parse: Callable[[Grid, Path], pd.DataFrame]


GRID_LAYOUTS = [
    GridLayout(
        area_by_year.LAYOUT,
        "areas in rows (provinces, each followed by its kab/kota), one column per year",
        area_by_year.recognise,
        area_by_year.parse,
    ),
    GridLayout(
        province_daerah_semester.LAYOUT,
        "provinces by daerah (urban, rural, total), year and survey round",
        province_daerah_semester.recognise,
        province_daerah_semester.parse,
    ),
    GridLayout(
        province_semester_columns.LAYOUT,
        "provinces, one header row naming indicator and survey month per column",
        province_semester_columns.recognise,
        province_semester_columns.parse,
    ),
    GridLayout(long_export.LAYOUT, "dynamic-table long export", long_export.recognise, long_export.parse),
]
LAYOUTS = {
    **{layout.name: layout.description for layout in GRID_LAYOUTS},
    tabel_dinamis.LAYOUT: "old 'tabel dinamis' export (an .xls that is HTML)",
    "webapi": "BPS WebAPI list/model/data JSON (ingest.bps.webapi.parse_response)",
}


def _head(path: Path, size: int = 4096) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _is_html(head: bytes) -> bool:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t").lower()
    return text.startswith(("<html", "<!doctype html", "<table", "<?xml")) or "<html" in text[:2000]


def looks_like_bps_table(path: Path) -> bool:
    """Whether a file might be a BPS table download (CSV, XLSX, the HTML '.xls'): a cheap sniff to route it.

    False for PDFs, JSON (WebAPI responses), and tables of other sources such as the extreme-poverty
    release figures (`ingest.releases`), which are told apart by their header.
    """
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES or not path.is_file():
        return False
    head = _head(path)
    if head.startswith(b"%PDF") or head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith((b"{", b"[")):
        return False
    if suffix in {".xlsx", ".xlsm"}:
        return head.startswith(b"PK")
    if suffix in {".xls", ".html", ".htm"}:
        return _is_html(head) or head.startswith(b"\xd0\xcf\x11\xe0")
    from ingest.releases.extreme_poverty import looks_like_poverty_release_table

    return not looks_like_poverty_release_table(path)


def read_bps_table(path: Path) -> pd.DataFrame:
    """The observations of a BPS table download (OBSERVATION_COLUMNS), whatever its layout.

    Raises SourceFileError naming the file, the row and the cause when the file is not a BPS table we
    know, is close to a known layout but differs from it, or has a broken row.
    """
    path = Path(path)
    if path.suffix.lower() in {".xls", ".html", ".htm"} and _is_html(_head(path, 2000)):
        return tabel_dinamis.parse(path)
    if path.suffix.lower() == ".json":
        raise SourceFileError(path, "a JSON file: WebAPI responses are read by ingest.bps.webapi")
    grid = read_grid(path)
    verdicts = [(layout, layout.recognise(grid)) for layout in GRID_LAYOUTS]
    matching = [layout for layout, verdict in verdicts if verdict.problem is None]
    if matching:
        return matching[0].parse(grid, path)
    closest, verdict = max(verdicts, key=lambda item: item[1].score)
    if verdict.score >= NEAR_MISS_SCORE:
        raise SourceFileError(path, f"looks like a BPS {closest.name} table but {verdict.problem}")
    raise SourceFileError(
        path,
        f"matches no BPS table layout we know (see data/bps/BPS_FORMATS.md); the closest is {closest.name}: "
        f"{verdict.problem}",
    )
