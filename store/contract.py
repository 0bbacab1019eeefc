"""The contract between the engine and the readers: what a source is, a file of it, what reading one gives,
and why a file cannot be published.

Readers implement `Source.read` (a module-level function of a path, so it can run in another process) and
raise `store.errors.SourceFileError` for anything they cannot read; the loader does the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

Reading = dict[str, pd.DataFrame]  # raw table name -> the rows one file gives it
BUNDLED, LANDED = "bundled", "landed"  # where a file came from: the data folder or the landing folder


@dataclass(frozen=True)
class Problem:
    """Why a file cannot be published: a reader's error or a failed per-file expectation."""

    check_name: str
    reason: str
    row: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class SourceFile:
    path: Path
    origin: str  # BUNDLED or LANDED
    # Why the file is not opened at all (store.folder_scan): `refused` is a problem (a symbolic link, not a
    # regular file; quarantined under its name), `ignored` is none (a hidden name; listed as ignored).
    refused: str | None = None
    ignored: str | None = None


@dataclass(frozen=True)
class PagePlan:
    """A file long enough to be read in page ranges: its pages, what its reader noted about it (a PDF's
    text layer or scan) for reading a range, and the pages a range should have when the reader knows its
    pages cost more than most (a scan's, read by OCR); None: the read phase's `chunk_pages`."""

    pages: int
    kind: str = ""
    range_pages: int | None = None


@dataclass(frozen=True)
class PagedReader:
    """How a source reads a long file in page ranges, so the pages of one document are spread over several
    workers and the last worker does not finish a long document alone.

    `plan(path, chunk_pages)` reads a file of at most `chunk_pages` pages whole (its Reading), else gives
    its PagePlan; `read_pages(path, plan, first, last)` reads pages first..last (1-based) into a part;
    `join(path, plan, parts)` makes the file's Reading of every part in page order, exactly as reading it
    whole would. All three are module-level functions (they run in worker processes) and raise
    SourceFileError for anything they cannot read.
    """

    plan: Callable[[Path, int], Reading | PagePlan]
    read_pages: Callable[[Path, PagePlan, int, int], object]
    join: Callable[[Path, PagePlan, list[object]], Reading]


@dataclass(frozen=True)
class Source:
    """A kind of input file and how to read it.

    `read` must be a module-level function (it may run in a worker process) and raise SourceFileError for
    anything it cannot read. `keys` names, per table, the columns unique among one file's rows (an empty
    tuple: one row per file). `version_of` gives a file's identity and version from its name, for sources
    whose files supersede each other. `screen`, given the primary table's rows of one file, returns per row
    why it cannot be published (null: it can); those rows are held back and the rest of the file loads.
    `parallel` sources are read in worker processes (the local pool or a Dask cluster), the others in the
    refresh's own; `pages` reads a long file of a parallel source in page ranges. `report_of` gives, from
    one file's reading, the line that says what its reader made of it (a RAT plan's parsing report), which
    the load log keeps per file read.
    """

    name: str
    tables: tuple[str, ...]
    claims: Callable[[Path], bool]
    read: Callable[[Path], Reading]
    empty: Callable[[], Reading]
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    version_of: Callable[[Path], tuple[str, str] | None] | None = None
    screen: Callable[[pd.DataFrame], pd.Series] | None = None
    parallel: bool = False
    pages: PagedReader | None = None
    report_of: Callable[[Reading], str | None] | None = None

    @property
    def primary_table(self) -> str | None:
        """The table a file gives one or more rows to; None for a source that records files only."""
        return self.tables[0] if self.tables else None


# The per-file gate, run once over the files read in a load: content SHA-256 -> (file, reading) in, and for
# each content that fails, its problems out. Those files are quarantined; the rest are loaded.
FileCheck = Callable[[dict[str, tuple[Path, Reading]]], dict[str, list[Problem]]]
