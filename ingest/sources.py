"""Every kind of file the warehouse reads, and which source a file in the data or landing folder belongs to.

A file is routed by what it is (its name pattern or content sniffed), never by the folder a user dropped it
in: the landing folder holds RAT PDFs, BPS downloads and saved WebAPI responses side by side. A file no
source reads is still recorded (source `unrecognised`), so a user who drops a Word file learns why nothing
happened.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache, partial
from pathlib import Path

import pandas as pd

from ingest.bps import empty_observations, looks_like_bps_table, read_bps_table
from ingest.bps.plausibility import implausible_value_reasons
from ingest.bps.webapi import parse_response
from ingest.rat.pages import joined_reading, plan_reading, read_page_range
from ingest.rat.tables import (
    DOCUMENTS_TABLE,
    ROWS_TABLE,
    empty_rat_tables,
    parsing_report_of,
    read_rat_plan,
)
from ingest.releases.extreme_poverty import (
    RELEASE_COLUMNS,
    RELEASE_DTYPES,
    looks_like_poverty_release_table,
    read_poverty_release_table,
)
from store.budgets import DEFAULT_BUDGETS, FileBudgets
from store.contract import BUNDLED, LANDED, PagedReader, Reading, Source, SourceFile
from store.errors import SourceFileError
from store.fingerprint import fingerprint
from store.folder_scan import entries_under
from store.imports import code_files
from store.paths import REFERENCE_DIR

BPS_DOWNLOADS_TABLE = "bps_downloads"
BPS_WEBAPI_TABLE = "bps_webapi"
POVERTY_RELEASES_TABLE = "poverty_releases"
WEBAPI_FOLDER = "bps-webapi"  # where fetched responses are saved, under the landing folder
_SAVED_RESPONSE = re.compile(r"^bps-webapi_d(?P<domain>\d+)_v(?P<var>\d+)_(?P<stamp>\d{8}T\d{6}Z)\.json$")
_DOCUMENTATION = {".md", ".txt", ".rst"}  # README.md and SOURCE.md beside the data are not data


# Each reader takes the per-file budgets (store.budgets) as an argument: `with_budgets` binds them, so they
# reach a worker process with the function.


def read_bps_download(path: Path, *, budgets: FileBudgets = DEFAULT_BUDGETS) -> Reading:
    return {BPS_DOWNLOADS_TABLE: read_bps_table(path, budgets)}


def read_saved_webapi_response(path: Path, *, budgets: FileBudgets = DEFAULT_BUDGETS) -> Reading:
    return {BPS_WEBAPI_TABLE: parse_response(path)}


def read_poverty_releases(path: Path, *, budgets: FileBudgets = DEFAULT_BUDGETS) -> Reading:
    return {POVERTY_RELEASES_TABLE: read_poverty_release_table(path)}


def _empty_releases() -> Reading:
    return {POVERTY_RELEASES_TABLE: pd.DataFrame(columns=RELEASE_COLUMNS).astype(RELEASE_DTYPES)}


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


# One value per row of a file, area, year, period, breakdown and indicator.
_OBSERVATION_KEY = ("_source_row", "bps_code", "year", "period", "breakdown", "indicator")

BPS_WEBAPI = Source(
    name="bps_webapi",
    tables=(BPS_WEBAPI_TABLE,),
    claims=lambda path: _SAVED_RESPONSE.match(path.name) is not None,
    read=read_saved_webapi_response,
    empty=lambda: {BPS_WEBAPI_TABLE: empty_observations()},
    keys={BPS_WEBAPI_TABLE: _OBSERVATION_KEY},
    version_of=saved_response_version,
    screen=implausible_value_reasons,
)
RAT_PLANS = Source(
    name="rat_plans",
    tables=(ROWS_TABLE, DOCUMENTS_TABLE),
    claims=lambda path: path.suffix.lower() == ".pdf",
    read=read_rat_plan,
    empty=empty_rat_tables,
    keys={DOCUMENTS_TABLE: (), ROWS_TABLE: ("row",)},
    parallel=True,
    pages=PagedReader(plan_reading, read_page_range, joined_reading),
    report_of=parsing_report_of,
)
POVERTY_RELEASES = Source(
    name="poverty_releases",
    tables=(POVERTY_RELEASES_TABLE,),
    claims=looks_like_poverty_release_table,
    read=read_poverty_releases,
    empty=_empty_releases,
    keys={POVERTY_RELEASES_TABLE: ("_source_row", "indicator")},
)
BPS_DOWNLOADS = Source(
    name="bps_downloads",
    tables=(BPS_DOWNLOADS_TABLE,),
    claims=looks_like_bps_table,
    read=read_bps_download,
    empty=lambda: {BPS_DOWNLOADS_TABLE: empty_observations()},
    keys={BPS_DOWNLOADS_TABLE: _OBSERVATION_KEY},
    screen=implausible_value_reasons,
)
UNRECOGNISED = Source(
    name="unrecognised", tables=(), claims=lambda path: True, read=read_unrecognised, empty=dict
)

# Routing order: the most specific claim first; UNRECOGNISED takes whatever is left.
SOURCES: tuple[Source, ...] = (BPS_WEBAPI, RAT_PLANS, POVERTY_RELEASES, BPS_DOWNLOADS, UNRECOGNISED)
# Where the bundled files live under the data folder.
BUNDLED_FOLDERS = ("bps", "rat", "releases")


def with_budgets(source: Source, budgets: FileBudgets) -> Source:
    """`source` with `budgets` bound to its reader (functools.partial: it travels with the function to
    whichever process reads). A source whose reader takes no budgets is returned as it is."""
    if "budgets" not in inspect.signature(source.read).parameters:
        return source
    pages = source.pages and PagedReader(
        partial(source.pages.plan, budgets=budgets),
        partial(source.pages.read_pages, budgets=budgets),
        source.pages.join,
    )
    return replace(source, read=partial(source.read, budgets=budgets), pages=pages)


def reader_version(source: Source, check: Callable | None = None) -> str:
    """A digest of the code a source's files are read (and checked) with, found from what that code
    imports (store.imports.code_files), and of the reference tables readers resolve areas against: a change
    in any of them re-reads every file of the source."""
    parts = (source.read, source.claims, source.empty, source.screen, source.version_of, check)
    if source.pages:
        parts += (source.pages.plan, source.pages.read_pages, source.pages.join)
    return _code_version(tuple(part.func if isinstance(part, partial) else part for part in parts if part))


def readers_version() -> str:
    """A digest of the code every parallel source is read with: a Dask worker must give the same as the
    refresh that uses it (store.dask_cluster checks it on connecting)."""
    return "-".join(reader_version(source) for source in SOURCES if source.parallel)


@cache
def _code_version(functions: tuple[Callable, ...]) -> str:
    return fingerprint([*code_files(*functions), REFERENCE_DIR])[0][:16]


def files_in(folder: Path, origin: str = LANDED) -> list[SourceFile]:
    """The files under `folder` (store.folder_scan): the data files, and the links, hidden names and other
    kinds with why they are not read; documentation beside the data left out."""
    return [
        SourceFile(entry.path, origin, entry.refused, entry.ignored)
        for entry in entries_under(folder)
        if entry.refused or entry.ignored or entry.path.suffix.lower() not in _DOCUMENTATION
    ]


def discover(data_dir: Path, landing_dir: Path) -> dict[str, list[SourceFile]]:
    """Every file present now, by source: the bundled data and whatever is in the landing folder.

    A file not to be opened (a link, a hidden name: `SourceFile.refused`, `.ignored`) goes to
    UNRECOGNISED unread, as does one whose sniff fails (with the cause): no source's claim ever follows a
    link, and one odd file never stops the others."""
    landing = landing_dir.resolve()
    candidates = [
        file
        for folder in BUNDLED_FOLDERS
        for file in files_in(data_dir / folder, BUNDLED)
        if not file.path.is_relative_to(landing)
    ] + files_in(landing_dir, LANDED)
    routed: dict[str, list[SourceFile]] = {source.name: [] for source in SOURCES}
    for candidate in candidates:
        source, candidate = _routed(candidate)
        routed[source.name].append(candidate)
    return routed


def _routed(file: SourceFile) -> tuple[Source, SourceFile]:
    if file.refused is not None or file.ignored is not None:
        return UNRECOGNISED, file
    try:
        return next(s for s in SOURCES if s.claims(file.path)), file
    except Exception as error:  # a sniff that breaks on this file: refused, the rest goes on
        return UNRECOGNISED, replace(file, refused=f"cannot be sniffed ({type(error).__name__}: {error})")
