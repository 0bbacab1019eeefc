"""Every kind of file the warehouse reads, and which source a file in the data or landing folder belongs to.

A file is routed by what it is (its name pattern or content sniffed), never by the folder a user dropped it
in: the landing folder holds RAT PDFs, BPS downloads and saved WebAPI responses side by side. A file no
source reads is still recorded (source `unrecognised`), so a user who drops a Word file learns why nothing
happened.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

from ingest.bps import empty_long_table
from ingest.bps.formats import CANDIDATE_SUFFIXES, format_of
from ingest.bps.webapi import parse_response
from ingest.errors import SourceFileError
from ingest.fingerprint import fingerprint
from ingest.loader import BUNDLED, LANDED, Reading, Source, SourceFile
from ingest.paths import REPO_ROOT
from ingest.rat.tables import DOCUMENTS_TABLE, ROWS_TABLE, empty_rat_tables, read_rat_plan

BPS_DOWNLOADS_TABLE = "bps_downloads"
BPS_WEBAPI_TABLE = "bps_webapi"
WEBAPI_FOLDER = "bps-webapi"  # where fetched responses are saved, under the landing folder
_SAVED_RESPONSE = re.compile(r"^bps-webapi_d(?P<domain>\d+)_v(?P<var>\d+)_(?P<stamp>\d{8}T\d{6}Z)\.json$")
_DOCUMENTATION = {".md", ".txt", ".rst"}  # README.md and SOURCE.md beside the data are not data


def read_bps_download(path: Path) -> Reading:
    fmt = format_of(path)
    if fmt is None:
        raise SourceFileError(path, "matches no BPS table layout we know (see data/bps/BPS_FORMATS.md)")
    return {BPS_DOWNLOADS_TABLE: fmt.parse(path).assign(layout=fmt.name)}


def _empty_bps(table: str) -> Reading:
    empty = empty_long_table().drop(columns=["_origin", "_source_sha256", "_loaded_at"])
    return {table: empty.assign(layout=pd.Series(dtype="string"))}


def read_saved_webapi_response(path: Path) -> Reading:
    return {BPS_WEBAPI_TABLE: parse_response(path).assign(layout="webapi")}


def saved_response_version(path: Path) -> tuple[str, str] | None:
    """(domain and variable, timestamp) of a saved WebAPI response: a later response supersedes an earlier."""
    match = _SAVED_RESPONSE.match(path.name)
    return (f"domain {match['domain']} variable {match['var']}", match["stamp"]) if match else None


def read_unrecognised(path: Path) -> Reading:
    raise SourceFileError(
        path,
        "not a file the warehouse reads (RAT plans as PDF; BPS tables as CSV, XLSX or the .xls/.html "
        "'tabel dinamis' export; saved WebAPI responses bps-webapi_*.json)",
    )


BPS_WEBAPI = Source(
    name="bps_webapi",
    tables=(BPS_WEBAPI_TABLE,),
    claims=lambda path: _SAVED_RESPONSE.match(path.name) is not None,
    read=read_saved_webapi_response,
    empty=lambda: _empty_bps(BPS_WEBAPI_TABLE),
    keys={BPS_WEBAPI_TABLE: ("_source_row", "year", "semester", "indicator")},
    version_of=saved_response_version,
)
RAT_PLANS = Source(
    name="rat_plans",
    tables=(ROWS_TABLE, DOCUMENTS_TABLE),
    claims=lambda path: path.suffix.lower() == ".pdf",
    read=read_rat_plan,
    empty=empty_rat_tables,
    keys={DOCUMENTS_TABLE: (), ROWS_TABLE: ("row",)},
    parallel=True,
)
BPS_DOWNLOADS = Source(
    name="bps_downloads",
    tables=(BPS_DOWNLOADS_TABLE,),
    claims=lambda path: path.suffix.lower() in CANDIDATE_SUFFIXES,
    read=read_bps_download,
    empty=lambda: _empty_bps(BPS_DOWNLOADS_TABLE),
    keys={BPS_DOWNLOADS_TABLE: ("_source_row", "year", "semester", "indicator")},
)
UNRECOGNISED = Source(
    name="unrecognised", tables=(), claims=lambda path: True, read=read_unrecognised, empty=dict
)

# Routing order: the most specific claim first; UNRECOGNISED takes whatever is left.
SOURCES: tuple[Source, ...] = (BPS_WEBAPI, RAT_PLANS, BPS_DOWNLOADS, UNRECOGNISED)
# Where each source's bundled files live under the data folder.
BUNDLED_FOLDERS = ("bps", "rat")

# What a source's readings depend on besides the file: a change here re-reads every file of the source.
_READER_CODE = {
    "bps_webapi": ("ingest/bps", "ingest/regions.py", "ingest/sources.py", "data/reference"),
    "bps_downloads": ("ingest/bps", "ingest/regions.py", "ingest/sources.py", "data/reference"),
    "rat_plans": (
        "ingest/rat",
        "ingest/regions.py",
        "ingest/sources.py",
        "data/reference",
        "expectations/raw_rat.py",
        "expectations/runner.py",
    ),
    "unrecognised": ("ingest/sources.py",),
}


@cache
def reader_version(source_name: str) -> str:
    """A digest of the code and references the source's readings depend on."""
    return fingerprint(REPO_ROOT / part for part in _READER_CODE[source_name])[0][:16]


def files_in(folder: Path) -> list[Path]:
    """The data files under `folder`: documentation beside the data and hidden files left out."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() not in _DOCUMENTATION
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def discover(data_dir: Path, landing_dir: Path) -> dict[str, list[SourceFile]]:
    """Every file present now, by source: the bundled data and whatever is in the landing folder."""
    landing = landing_dir.resolve()
    candidates = [
        SourceFile(path, BUNDLED)
        for folder in BUNDLED_FOLDERS
        for path in files_in(data_dir / folder)
        if not path.resolve().is_relative_to(landing)
    ] + [SourceFile(path, LANDED) for path in files_in(landing_dir)]
    routed: dict[str, list[SourceFile]] = {source.name: [] for source in SOURCES}
    for candidate in candidates:
        source = next(s for s in SOURCES if s.claims(candidate.path))
        routed[source.name].append(candidate)
    return routed


def source_named(name: str) -> Source:
    return next(s for s in SOURCES if s.name == name)
