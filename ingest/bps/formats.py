"""Every BPS download layout the warehouse reads, recognised from the file's content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pandas as pd

from ingest.bps import long_export, multi_year, province_semester, single_year, tabel_dinamis
from ingest.bps.reading import csv_rows, read_rows
from ingest.errors import SourceFileError

CANDIDATE_SUFFIXES = {".csv", ".xlsx", ".xls", ".html", ".htm"}


@dataclass(frozen=True)
class BpsFormat:
    name: str  # also the raw table: raw.bps_<name>
    description: str
    priority: int  # when two sources give the same cell, the lower priority wins
    recognises: Callable[[Path], bool]
    parse: Callable[[Path], pd.DataFrame]

    @property
    def table(self) -> str:
        return f"bps_{self.name}"


def _lenient_rows(path: Path) -> list[list[str]]:
    """Rows for recognising a layout only: a file in the wrong encoding is still recognised, then refused."""
    if path.suffix.lower() == ".xlsx":
        try:
            return read_rows(path)
        except SourceFileError:
            return []
    return csv_rows(path.read_bytes()[:200_000].decode("utf-8-sig", errors="replace"))


def _grid_format(module: ModuleType, name: str, description: str, priority: int) -> BpsFormat:
    return BpsFormat(
        name=name,
        description=description,
        priority=priority,
        recognises=lambda path: (
            path.suffix.lower() in {".csv", ".xlsx"} and module.matches(_lenient_rows(path))
        ),
        parse=lambda path: module.parse(read_rows(path), path),
    )


def _is_tabel_dinamis(path: Path) -> bool:
    head = path.read_bytes()[:400_000].decode("utf-8", errors="replace")
    return path.suffix.lower() in {".xls", ".html", ".htm"} and tabel_dinamis.matches_text(
        head + " " + _tail(path)
    )


def _tail(path: Path) -> str:
    data = path.read_bytes()
    return data[-400_000:].decode("utf-8", errors="replace") if len(data) > 400_000 else ""


FORMATS: list[BpsFormat] = [
    _grid_format(multi_year, "multi_year_table", "statistics-table download, one column per year", 2),
    _grid_format(single_year, "single_year_table", "statistics-table download for one year", 2),
    _grid_format(province_semester, "province_semester_table", "province table by area type and semester", 2),
    BpsFormat(
        "tabel_dinamis",
        "old 'tabel dinamis' export (.xls that is HTML)",
        3,
        _is_tabel_dinamis,
        tabel_dinamis.parse,
    ),
    _grid_format(long_export, "long_export", "dynamic-table long CSV export (semicolon separated)", 4),
]
WEBAPI_PRIORITY = 1  # the WebAPI carries BPS's own codes and full precision


def format_of(path: Path) -> BpsFormat | None:
    """The layout `path` is laid out in, or None if it is no BPS table we know."""
    return next((fmt for fmt in FORMATS if fmt.recognises(path)), None)


def candidate_files(folder: Path) -> list[Path]:
    """Files under `folder` that could be BPS downloads, in a stable order."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in CANDIDATE_SUFFIXES)
