"""What a load of one source decides, on plain values: no DuckDB, no files, no clock.

Two steps, each a function of values the loader (`store.loader`) gathers and then writes:

- `plan_reads`: from what the build file holds of the source (`Stored`) and the files present now
  (`Present`), which stored rows can be trusted, what was wrong with the stored state, which file names
  each content's rows, and which contents must be read.
- `plan_load`: from that and what reading gave (a reading or problems per content), every file's ledger
  record and status (loaded, unchanged, quarantined, superseded, duplicate, removed, ignored), the
  quarantine, the held-back rows, the stored rows to keep and the rows to write. A file refused unread (a
  link, over the size budget) is quarantined with its reason; a hidden one is ignored, listed with why.

The rules are the loader's (see `store.loader`); `tests/test_load_plan.py` shows each on plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pandas as pd

from store.contract import Problem, Reading, Source
from store.errors import OverBudgetError
from store.ledger import (
    DUPLICATE,
    IGNORED,
    LOADED,
    QUARANTINED,
    REMOVED,
    SUPERSEDED,
    UNCHANGED,
    FileRecord,
    HeldBackRecord,
    QuarantineRecord,
)
from store.paths import REPO_ROOT, printable

GONE = "the file is no longer there; its rows were removed"
REFUSED = "refused"  # the check name of a file quarantined unread (store.folder_scan, the loader's hashing)
# A file with more rows held back than this share is wrong as a whole (a unit, a shifted column): quarantined.
MOST_HELD_BACK = 0.05


@dataclass(frozen=True)
class Present:
    """A file of the source present now: its name as people see it, where it is, and its content."""

    name: str
    path: Path  # where the loader reads it; the plan never opens it
    origin: str  # BUNDLED or LANDED
    sha256: str | None  # None: never read (refused or ignored)
    size: int | None
    version: tuple[str, str] | None = None  # (identity, version) from `Source.version_of`
    refused: str | None = None  # why it is quarantined unread: a link, over the size budget, unreadable
    ignored: str | None = None  # why it is listed unread, no problem: a hidden name

    @property
    def unread(self) -> bool:
        return self.refused is not None or self.ignored is not None


@dataclass(frozen=True)
class Stored:
    """What the build file holds of one source before a load."""

    ledger: dict[str, FileRecord] = field(default_factory=dict)  # by path
    quarantine: list[QuarantineRecord] = field(default_factory=list)
    held_back: list[HeldBackRecord] = field(default_factory=list)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # raw table -> content -> rows
    doubled: dict[str, set[str]] = field(default_factory=dict)  # raw table -> contents whose keys repeat
    row_names: dict[str, str] = field(default_factory=dict)  # content -> the name its stored rows carry


@dataclass(frozen=True)
class ReadPlan:
    """What a load reads, and what it reuses."""

    trusted: dict[str, int]  # content -> its rows in the primary table, reused as stored
    repaired: list[str]  # what was wrong with the stored state (those contents are read again)
    judged: dict[str, list[QuarantineRecord]]  # contents this reader quarantined before: not read again
    superseded_by: dict[str, str]  # name -> the newer name of the same file identity
    named: dict[str, Present]  # content -> the file its rows are named after
    to_read: list[str]  # contents to read, in the order of their names

    def paths(self) -> list[Path]:
        """The file to read for each content of `to_read`."""
        return [self.named[sha].path for sha in self.to_read]


@dataclass
class LoadResult:
    """What one load did: the ledger rows it wrote, the quarantine, and why anything was re-read."""

    source: str
    primary_table: str | None
    records: list[FileRecord]
    quarantine: list[QuarantineRecord]
    held_back: list[HeldBackRecord] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    rows_read: int = 0
    repaired: list[str] = field(default_factory=list)  # integrity problems found and mended
    removed_now: int = 0  # files gone since the last load
    table_rows: dict[str, int] = field(default_factory=dict)  # filled in once written
    read_by: dict[str, list[str]] = field(default_factory=dict)  # file read -> the workers that read it
    reports: dict[str, str] = field(default_factory=dict)  # file read -> its report (Source.report_of)
    hashed: dict[str, Path] = field(default_factory=dict)  # name -> path of each file whose bytes were hashed

    def count(self, status: str) -> int:
        return sum(1 for r in self.records if r.status == status)

    def present(self) -> list[FileRecord]:
        return [r for r in self.records if r.is_present]

    def quarantine_lines(self) -> list[str]:
        """One line per quarantined file (its reason names it), as the refresh summary prints them."""
        return [str(r.reason) for r in self.records if r.status == QUARANTINED]

    def ignored_lines(self) -> list[str]:
        """One line per file present but not read on purpose (a hidden name), naming it and why."""
        return [str(r.reason) for r in self.records if r.status == IGNORED]

    def held_back_lines(self) -> list[str]:
        """One line per held-back row, naming its file and row."""
        return [held_back_line(r) for r in self.held_back]

    def summary(self) -> dict[str, object]:
        return {
            "files": len(self.present()),
            **{status: self.count(status) for status in (LOADED, UNCHANGED, QUARANTINED, DUPLICATE)},
            "superseded": self.count(SUPERSEDED),
            "removed_now": self.removed_now,
            "rows_in": self.rows_read,
            "rows": self.table_rows.get(self.primary_table, 0),
            "rows_rejected": self.count(QUARANTINED) + len(self.held_back),
            "held_back": len(self.held_back),
            "ignored": self.count(IGNORED),
            "repaired": len(self.repaired),
        }


@dataclass(frozen=True)
class LoadPlan:
    """Everything a load writes, in one transaction."""

    result: LoadResult
    incoming: dict[str, pd.DataFrame]  # raw table -> the new rows, with their provenance columns
    keep: set[str]  # contents whose stored rows stay
    names: dict[str, str]  # content -> the name its rows carry from now on
    notes: list[str]  # what a person should read in the log, in order


def held_back_line(record: HeldBackRecord) -> str:
    return f"{record.source_file} row {record.row}: {record.reason}; held back, the rest of the file loads"


def plan_reads(
    source: Source, stored: Stored, present: list[Present], reader_version: str, rebuild: bool = False
) -> ReadPlan:
    """Which contents to read, which stored rows to trust, and which file names each content's rows."""
    present = sorted(present, key=lambda p: p.name)
    trusted, repaired = _trusted_contents(source, stored, reader_version)
    judged: dict[str, list[QuarantineRecord]] = {}
    for record in stored.quarantine:
        # Over a budget is judged again every time: a budget raised in the settings lets the file through.
        if record.sha256 is not None and record.check_name != OverBudgetError.kind:
            judged.setdefault(record.sha256, []).append(record)
    if rebuild:
        repaired = [f"--rebuild: every {source.name} file is read again"]
        trusted = {}
    if rebuild or any(r.reader_version != reader_version for r in stored.ledger.values()):
        judged = {}  # judged by an earlier reader: judge again
    superseded_by = _superseded(present)
    by_content: dict[str, list[Present]] = {}
    for item in present:
        if item.name not in superseded_by and item.sha256 is not None and not item.unread:
            by_content.setdefault(item.sha256, []).append(item)
    row_names = stored.row_names if trusted else {}
    named = {sha: _named(items, stored.ledger, row_names.get(sha)) for sha, items in by_content.items()}
    to_read = [sha for sha in by_content if sha not in trusted and sha not in judged]
    return ReadPlan(trusted, repaired, judged, superseded_by, named, to_read)


def plan_load(
    source: Source,
    stored: Stored,
    present: list[Present],
    reads: ReadPlan,
    outcomes: dict[str, Reading | list[Problem]],
    reader_version: str,
    now: datetime,
) -> LoadPlan:
    """Every file's record, the quarantine, the held-back rows and the rows to keep and write.

    `outcomes` has, for each content read, its reading or the problems that stop it (the reader's, or a
    failed per-file check's).
    """
    notes: list[str] = []
    readings, problems, held_now = _screened_outcomes(source, reads, outcomes, notes)
    held_of = {sha: [(h.row, h.reason) for h in held] for sha, held in _by_content(stored.held_back).items()}
    held_of = {sha: held for sha, held in held_of.items() if sha in reads.trusted} | held_now
    rows_of = dict(reads.trusted) | {sha: len(r.get(source.primary_table, [])) for sha, r in readings.items()}
    judge = _Judge(source.name, stored.ledger, reads, problems, rows_of, held_of, readings, now)
    judge.refused_since = {(q.source_file, q.reason): q.quarantined_at for q in stored.quarantine}
    records = [judge.record(item, reader_version) for item in sorted(present, key=lambda p: p.name)]
    records += _removed(stored.ledger, judge.names, notes)
    live = {r.rows_sha256 for r in records if r.rows_sha256}
    names = _row_names(reads, records, live)
    earlier = {(h.sha256, h.row, h.reason): h.held_back_at for h in stored.held_back}
    held_back = [
        HeldBackRecord(source.name, names[sha], sha, row, reason, earlier.get((sha, row, reason), now))
        for sha in sorted(live & set(held_of))
        for row, reason in held_of[sha]
    ]
    result = LoadResult(
        source.name,
        source.primary_table,
        records,
        judge.quarantine,
        held_back,
        files_read=[reads.named[sha].name for sha in readings],
        rows_read=sum(rows_of[sha] for sha in readings),
        repaired=reads.repaired,
        removed_now=sum(1 for name, r in stored.ledger.items() if r.is_present and name not in judge.names),
        hashed={item.name: item.path for item in present if not item.unread},
    )
    incoming = {table: _incoming_rows(source, table, readings, names, now) for table in source.tables}
    keep = set(reads.trusted) & live
    return LoadPlan(result, incoming, keep, names, notes)


def _trusted_contents(
    source: Source, stored: Stored, reader_version: str
) -> tuple[dict[str, int], list[str]]:
    """Contents whose stored rows can be reused (content -> rows in the primary table), and what was wrong."""
    primary = stored.rows.get(source.primary_table, {})
    expected: dict[str, int] = {}
    for record in stored.ledger.values():
        if record.rows_sha256 and record.is_present:  # a duplicate's rows are its original's
            expected[record.rows_sha256] = max(expected.get(record.rows_sha256, 0), int(record.rows or 0))
    problems: list[str] = []
    untrusted: set[str] = set()
    if {r.reader_version for r in stored.ledger.values() if r.is_present} - {reader_version}:
        problems.append(f"the {source.name} reader changed since the last load: every file is read again")
        untrusted |= set(expected)
    for table in source.tables:
        orphans = set(stored.rows.get(table, {})) - set(expected)
        if orphans:
            problems.append(
                f"raw.{table} held rows of {len(orphans)} file content(s) the ledger does not account for "
                "(files no longer present): removed"
            )
    for sha, rows in expected.items():
        if primary.get(sha, 0) != rows:
            untrusted.add(sha)
            problems.append(
                f"raw.{source.primary_table} held {primary.get(sha, 0)} rows of content {sha[:12]} where "
                f"{rows} were loaded: read again"
            )
    for table, key in source.keys.items():
        doubled = stored.doubled.get(table, set()) & set(expected)
        for sha in sorted(doubled - untrusted):
            problems.append(f"raw.{table} has duplicate keys {key or '(one row per file)'} for {sha[:12]}")
        untrusted |= doubled
    return {sha: rows for sha, rows in expected.items() if sha not in untrusted}, problems


def _superseded(present: list[Present]) -> dict[str, str]:
    """Name -> the newer name that supersedes it (same identity, later version)."""
    newest: dict[str, tuple[str, str]] = {}
    for item in present:
        if item.version is not None:
            identity, version = item.version
            if identity not in newest or newest[identity][0] < version:
                newest[identity] = (version, item.name)
    return {
        item.name: newest[item.version[0]][1]
        for item in present
        if item.version is not None and newest[item.version[0]][1] != item.name
    }


def _named(items: list[Present], ledger: dict[str, FileRecord], stored_name: str | None) -> Present:
    """The file a content's rows are named after: the one they carry already, else the file seen first."""
    for item in items:
        if item.name == stored_name:
            return item

    def seen(item: Present) -> tuple:
        before = ledger.get(item.name)
        if before and before.is_present:
            return (0, before.first_seen, item.name)
        return (1, item.name)

    return min(items, key=seen)


def _screened_outcomes(
    source: Source, reads: ReadPlan, outcomes: dict[str, Reading | list[Problem]], notes: list[str]
) -> tuple[dict[str, Reading], dict[str, list[Problem]], dict[str, list[tuple[int | None, str]]]]:
    """(readings without their held-back rows, problems, held-back rows) per content read.

    A file with more than MOST_HELD_BACK of its rows held back is quarantined as a whole instead.
    """
    readings: dict[str, Reading] = {}
    problems: dict[str, list[Problem]] = {}
    held_now: dict[str, list[tuple[int | None, str]]] = {}
    for sha, outcome in outcomes.items():
        if isinstance(outcome, list):  # text from the file may be in it: printed on one line, inert
            problems[sha] = [replace(p, reason=printable(p.reason)) for p in outcome]
            continue
        name = reads.named[sha].name
        screened, held = _screened(source, outcome)
        rows = len(outcome.get(source.primary_table, []))
        if len(held) > MOST_HELD_BACK * rows:
            row, reason = held[0]
            problems[sha] = [
                Problem(
                    "implausible values",
                    f"{name}: {len(held)} of {rows} values cannot be true, a unit or layout mistake rather "
                    f"than a broken cell (row {row}: {reason})",
                    row,
                )
            ]
            notes.append(f"{name}: quarantined: {problems[sha][0].reason}")
            continue
        readings[sha], held_now[sha] = screened, held
        notes += [
            f"{name} row {row}: {reason}: held back, the rest of the file loads" for row, reason in held
        ]
    return readings, problems, held_now


def _screened(source: Source, reading: Reading) -> tuple[Reading, list[tuple[int | None, str]]]:
    """The reading without the rows `source.screen` holds back, and those rows' (row, reason)."""
    table = source.primary_table
    if source.screen is None or table not in reading or reading[table].empty:
        return reading, []
    frame = reading[table]
    reasons = source.screen(frame)
    held = reasons.notna()
    if not held.any():
        return reading, []
    rows = frame["_source_row"] if "_source_row" in frame else pd.Series(pd.NA, index=frame.index)
    found = [
        (None if pd.isna(row) else int(row), str(reason))
        for row, reason in zip(rows[held], reasons[held], strict=True)
    ]
    return {**reading, table: frame[~held].reset_index(drop=True)}, found


def _by_content(records: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for record in records:
        grouped.setdefault(record.sha256, []).append(record)
    return grouped


@dataclass
class _Judge:
    """Gives each file present its ledger record, and collects the quarantine on the way."""

    source: str
    ledger: dict[str, FileRecord]
    reads: ReadPlan
    problems: dict[str, list[Problem]]
    rows_of: dict[str, int]
    held_of: dict[str, list[tuple[int | None, str]]]
    readings: dict[str, Reading]
    now: datetime
    quarantine: list[QuarantineRecord] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # of the files judged
    refused_since: dict[tuple[str, str], datetime] = field(default_factory=dict)  # (file, reason) -> when

    def record(self, item: Present, reader_version: str) -> FileRecord:
        self.names.add(item.name)
        before = self.ledger.get(item.name)
        known = before is not None and before.is_present
        record = FileRecord(
            source=self.source,
            path=item.name,
            origin=item.origin,
            sha256=item.sha256,
            size_bytes=item.size,
            first_seen=before.first_seen if known else self.now,
            content_since=before.content_since if known and before.sha256 == item.sha256 else self.now,
            last_seen=self.now,
            status=UNCHANGED,
            reason=None,
            rows=None,
            rows_sha256=None,
            duplicate_of=None,
            reader_version=reader_version,
        )
        if item.ignored is not None:
            return replace(record, status=IGNORED, reason=f"{item.name}: {item.ignored}", rows=0)
        if item.refused is not None:
            return self._refused(record, item, before)
        if item.name in self.reads.superseded_by:
            newer = self.reads.superseded_by[item.name]
            return replace(
                record, status=SUPERSEDED, reason=f"a newer version of the same file is present: {newer}"
            )
        if item.sha256 in self.problems or item.sha256 in self.reads.judged:
            return self._quarantined(record, item, before)
        return self._loaded(record, item)

    def _quarantined(self, record: FileRecord, item: Present, before: FileRecord | None) -> FileRecord:
        sha = item.sha256
        judged = self.reads.judged.get(sha, [])
        found = self.problems.get(sha) or [Problem(q.check_name, q.reason, q.row, q.page) for q in judged]
        found_in = {self.reads.named[sha].name} if sha in self.reads.named else set()
        # Told of this file, the problems judged in each file with these bytes are the same ones: once each.
        found = list(
            dict.fromkeys(
                _said_of(problem, found_in | {q.source_file for q in judged}, item.name) for problem in found
            )
        )
        kept = before.rows_sha256 if before and before.rows_sha256 in self.rows_of else None
        earlier = {(q.check_name, q.reason): q.quarantined_at for q in judged}
        self.quarantine += [
            QuarantineRecord(
                self.source,
                item.name,
                sha,
                p.row,
                p.page,
                p.check_name,
                p.reason,
                earlier.get((p.check_name, p.reason), self.now),
            )
            for p in found
        ]
        return replace(
            record,
            status=QUARANTINED,
            reason=found[0].reason
            + (f"; the rows of its previous content ({kept[:12]}) stay published" if kept else ""),
            rows_sha256=kept,
            rows=self.rows_of[kept] if kept else 0,
        )

    def _refused(self, record: FileRecord, item: Present, before: FileRecord | None) -> FileRecord:
        """A file quarantined without being read: the rows of its last good content stay."""
        reason = f"{item.name}: {item.refused}"
        since = self.refused_since.get((item.name, reason), self.now)
        self.quarantine.append(
            QuarantineRecord(self.source, item.name, None, None, None, REFUSED, reason, since)
        )
        kept = before.rows_sha256 if before and before.rows_sha256 in self.rows_of else None
        return replace(
            record,
            status=QUARANTINED,
            reason=reason
            + (f"; the rows of its previous content ({kept[:12]}) stay published" if kept else ""),
            rows_sha256=kept,
            rows=self.rows_of[kept] if kept else 0,
        )

    def _loaded(self, record: FileRecord, item: Present) -> FileRecord:
        sha = item.sha256
        original = self.reads.named[sha].name
        if original != item.name:
            return replace(
                record,
                status=DUPLICATE,
                rows_sha256=sha,
                rows=0,  # counted once, under its original
                duplicate_of=original,
                reason=f"same content as {original}: read once, counted once",
            )
        reason = None
        if self.held_of.get(sha):
            row, why = self.held_of[sha][0]
            reason = f"{len(self.held_of[sha])} row(s) held back, the rest loaded; row {row}: {why}"
        status = LOADED if sha in self.readings else UNCHANGED
        return replace(record, status=status, rows_sha256=sha, rows=self.rows_of[sha], reason=reason)


def _said_of(problem: Problem, found_in: set[str], name: str) -> Problem:
    """A problem found in some file's bytes, told of `name`, another file with the same bytes: a reader's
    message names the file it read, and a user looking at `name` must not be sent to the other one."""
    reason = problem.reason
    for other in found_in - {name}:
        for spelling in {other, (REPO_ROOT / other).as_posix()}:
            reason = reason.replace(spelling, name)
    return Problem(problem.check_name, reason, problem.row, problem.page)


def _removed(ledger: dict[str, FileRecord], present: set[str], notes: list[str]) -> list[FileRecord]:
    """The records of the files no longer there: removed now (their rows go), or removed before."""
    records = []
    for name, before in ledger.items():
        if name in present:
            continue
        reason = GONE if before.is_present else before.reason
        records.append(
            replace(before, status=REMOVED, reason=reason, rows=0, rows_sha256=None, duplicate_of=None)
        )
        if before.is_present:
            notes.append(f"{name}: no longer there, its rows are removed")
    return records


def _row_names(reads: ReadPlan, records: list[FileRecord], live: set[str]) -> dict[str, str]:
    """Content -> the name its rows carry: its file's, or for a kept previous content, the file it came
    from."""
    names = {sha: item.name for sha, item in reads.named.items() if sha in live}
    for record in records:
        if record.rows_sha256 and record.rows_sha256 not in names:
            names[record.rows_sha256] = record.path
    return names


def _incoming_rows(
    source: Source, table: str, readings: dict[str, Reading], names: dict[str, str], now: datetime
) -> pd.DataFrame:
    """The new rows of `table` from this load's readings, with the loader's provenance columns."""
    frames = [
        reading[table].assign(_source_file=names[sha], _source_sha256=sha)
        for sha, reading in readings.items()
        if table in reading and not reading[table].empty
    ]
    if frames:
        return pd.concat(frames, ignore_index=True).assign(_loaded_at=now)
    return (
        source.empty()[table]
        .iloc[0:0]
        .assign(
            _source_file=pd.Series(dtype="string"),
            _source_sha256=pd.Series(dtype="string"),
            _loaded_at=pd.Series(dtype="datetime64[us, UTC]"),
        )
    )
