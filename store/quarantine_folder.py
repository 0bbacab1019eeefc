"""A copy of every quarantined file, with a note saying why, where a person looks for them.

Both are written afresh under a temporary name (created exclusively, never through a symbolic link) and
renamed into place: whatever was planted at their names (a link to another file, say) is replaced, never
written through.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from store.ledger import QuarantineRecord
from store.paths import REPO_ROOT


def copy_to_quarantine_folder(records: list[QuarantineRecord], folder: Path) -> list[Path]:
    """Copy each quarantined file (once per content) into `folder`, with a `.reason.txt` note beside it."""
    by_file: dict[tuple[str, str], list[QuarantineRecord]] = {}
    for record in records:
        by_file.setdefault((record.source_file, record.sha256), []).append(record)
    copies = []
    for (source_file, sha256), problems in sorted(by_file.items()):
        source = Path(source_file)
        source = source if source.is_absolute() else REPO_ROOT / source
        if not source.is_file():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / f"{sha256[:12]}-{source.name}"
        if not _is_plain_file(copy):  # a copy of these bytes is there already, else (re)made
            _write_afresh(copy, lambda out, source=source: _copy_bytes(source, out))
        reasons = "\n".join(p.reason for p in problems)
        first = min(p.quarantined_at for p in problems)
        note = f"{reasons}\nquarantined at {first} by source {problems[0].source}\n".encode()
        _write_afresh(copy.with_name(copy.name + ".reason.txt"), lambda out, note=note: out.write(note))
        copies.append(copy)
    return copies


def _is_plain_file(path: Path) -> bool:
    """A regular file at `path` itself (a symbolic link there is not)."""
    return path.is_file() and not path.is_symlink()


def _copy_bytes(source: Path, out: BinaryIO) -> None:
    with source.open("rb") as handle:
        shutil.copyfileobj(handle, out)


def _write_afresh(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write `path` under a new temporary name (O_EXCL, O_NOFOLLOW, mode 600), then rename it into place."""
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:200]}.", suffix=".partial")
    try:
        with os.fdopen(descriptor, "wb") as out:
            write(out)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
