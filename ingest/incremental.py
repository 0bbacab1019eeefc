"""Load a raw table file by file: unchanged files are reused, bad files quarantined.

A file whose SHA-256 matches what the table already holds is not parsed again. A file that cannot be
parsed is quarantined with its row and reason, and the values an earlier version of it gave are kept,
so one bad download never empties a source. A quarantined file is retried only once its content changes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from ingest.errors import SourceFileError
from ingest.fingerprint import file_sha256
from ingest.paths import REPO_ROOT, display_path

QUARANTINE_COLUMNS = ["source", "source_file", "sha256", "row", "check_name", "reason", "quarantined_at"]


@dataclass
class FileLoad:
    table: pd.DataFrame
    quarantine: pd.DataFrame
    parsed: list[str] = field(default_factory=list)
    rows_in: int = 0
    reused: list[str] = field(default_factory=list)
    kept_previous: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        hashes = sorted(set(self.table["_source_sha256"])) if "_source_sha256" in self.table else []
        return {
            "files_parsed": len(self.parsed),
            "files_unchanged": len(self.reused),
            "files_quarantined": len(self.quarantine),
            "files_kept_from_previous_load": len(self.kept_previous),
            "rows_in": int(self.rows_in),
            "rows": len(self.table),
            "rows_rejected": len(self.quarantine),
            "source_hashes": hashes,
        }


def copy_to_quarantine_folder(records: pd.DataFrame, folder: Path) -> list[Path]:
    """A copy of each quarantined file, and beside it a note with the reason, for a person to inspect."""
    copies = []
    for record in records.to_dict("records"):
        source = Path(record["source_file"])
        source = source if source.is_absolute() else REPO_ROOT / source
        if not source.is_file():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / f"{str(record['sha256'])[:12]}-{source.name}"
        if not copy.exists():
            shutil.copyfile(source, copy)
        note = copy.with_name(copy.name + ".reason.txt")
        note.write_text(
            f"{record['reason']}\nquarantined at {record['quarantined_at']} by {record['source']}\n"
        )
        copies.append(copy)
    return copies


def _rows_of(previous: pd.DataFrame | None, source_file: str) -> pd.DataFrame | None:
    if previous is None or previous.empty:
        return None
    rows = previous[previous["_source_file"] == source_file]
    return rows if not rows.empty else None


def load_files(
    source: str,
    files: list[Path],
    parse: Callable[[Path], pd.DataFrame],
    previous: pd.DataFrame | None,
    previous_quarantine: pd.DataFrame | None,
    loaded_at: datetime,
    log: Callable[[str], None] = lambda message: None,
) -> FileLoad:
    """The raw table for `files`, and the quarantine records of those that could not be read."""
    frames: list[pd.DataFrame] = []
    quarantined: list[dict] = []
    load = FileLoad(table=pd.DataFrame(), quarantine=pd.DataFrame(columns=QUARANTINE_COLUMNS))
    still_bad = set()
    if previous_quarantine is not None and not previous_quarantine.empty:
        still_bad = set(zip(previous_quarantine["source_file"], previous_quarantine["sha256"], strict=True))
    for index, path in enumerate(files, start=1):
        source_file, sha256 = display_path(path), file_sha256(path)
        earlier = _rows_of(previous, source_file)
        if earlier is not None and set(earlier["_source_sha256"]) == {sha256}:
            frames.append(earlier)
            load.reused.append(source_file)
            continue
        if (source_file, sha256) in still_bad:
            old = previous_quarantine[
                (previous_quarantine["source_file"] == source_file)
                & (previous_quarantine["sha256"] == sha256)
            ]
            quarantined.extend(old.to_dict("records"))
        else:
            log(f"[{index}/{len(files)}] reading {source_file}")
            try:
                frames.append(parse(path).assign(_source_sha256=sha256, _loaded_at=loaded_at))
                load.rows_in += len(frames[-1])
                load.parsed.append(source_file)
                continue
            except SourceFileError as error:
                log(f"quarantined {error}")
                quarantined.append(
                    {
                        "source": source,
                        "source_file": source_file,
                        "sha256": sha256,
                        "row": error.row,
                        "check_name": "parse",
                        "reason": str(error),
                        "quarantined_at": loaded_at,
                    }
                )
        if earlier is not None:
            frames.append(earlier)
            load.kept_previous.append(source_file)
    load.table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    load.quarantine = pd.DataFrame.from_records(quarantined, columns=QUARANTINE_COLUMNS)
    return load
