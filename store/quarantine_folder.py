"""A copy of every quarantined file, with a note saying why, where a person looks for them.

Both are written afresh under a temporary name (created exclusively, never through a symbolic link) and
renamed into place: whatever was planted at their names (a link to another file, say) is replaced, never
written through. A copy is made only of a file the loader hashed (never of a link, a hidden file or one
over the size budget), read without following a link at its name, at most `max_bytes` of it, and kept
only if its bytes are still the content quarantined. Its name is the content's digest and the file's
name, printable and short enough for any file system. The folder holds the copies of what is quarantined
now: `prune_quarantine_folder` removes those of earlier versions and of files no longer quarantined.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import BinaryIO

from store.ledger import QuarantineRecord

_NAME_BYTES = (
    120  # of the file's own name in a copy's name: with the digest and '.reason.txt', well under 255
)
_COPY = re.compile(r"^[0-9a-f]{12}-")


def copy_name(sha256: str, name: str) -> str:
    """The copy's name: the content's first 12 hex digits and the file's (printable) name, shortened in the
    middle to _NAME_BYTES bytes, so a long name never makes one too long to create."""
    base = name.rsplit("/", 1)[-1]
    if len(base.encode()) > _NAME_BYTES:
        stem, dot, suffix = base.rpartition(".")
        suffix = f".{suffix}" if dot and len(suffix.encode()) <= 16 else ""
        stem = base[: len(base) - len(suffix)] if suffix else base
        room = _NAME_BYTES - len(suffix.encode()) - 3
        base = stem.encode()[:room].decode(errors="ignore") + "..." + suffix
    return f"{sha256[:12]}-{base}"


def copy_to_quarantine_folder(
    records: list[QuarantineRecord],
    folder: Path,
    files: Mapping[str, Path],
    max_bytes: int | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> list[Path]:
    """Copy each quarantined file (once per content) into `folder`, with a `.reason.txt` note beside it.

    `files` maps a file's name (as in the records) to where it is, for the files whose bytes the loader
    hashed; the others (refused unread) get no copy. A copy that cannot be made is said in one line."""
    by_file: dict[tuple[str, str], list[QuarantineRecord]] = {}
    for record in records:
        if record.sha256 is not None and record.source_file in files:
            by_file.setdefault((record.source_file, record.sha256), []).append(record)
    copies = []
    for (name, sha256), problems in sorted(by_file.items()):
        copy = folder / copy_name(sha256, name)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not _is_plain_file(copy):  # a copy of these bytes is there already, else (re)made
                _write_afresh(copy, partial(_copy_bytes, files[name], sha256=sha256, max_bytes=max_bytes))
            reasons = "\n".join(p.reason for p in problems)
            first = min(p.quarantined_at for p in problems)
            note = f"{reasons}\nquarantined at {first} by source {problems[0].source}\n".encode()
            _write_afresh(copy.with_name(copy.name + ".reason.txt"), lambda out, note=note: out.write(note))
        except (OSError, ValueError) as error:
            log(f"{name}: no copy in the quarantine folder ({getattr(error, 'strerror', None) or error})")
            continue
        copies.append(copy)
    return copies


def prune_quarantine_folder(folder: Path, keep: Iterable[str]) -> list[str]:
    """Remove the copies (and notes) in `folder` not named in `keep` (copy names of what is quarantined
    now): earlier versions of a file, files fixed or gone. Returns the names removed."""
    kept = set(keep) | {f"{name}.reason.txt" for name in keep}
    removed = []
    for entry in os.scandir(folder) if folder.is_dir() else []:
        stale_partial = entry.name.startswith(".") and entry.name.endswith(".partial")
        if (_COPY.match(entry.name) and entry.name not in kept) or stale_partial:
            Path(entry.path).unlink(missing_ok=True)
            removed.append(entry.name)
    return sorted(removed)


def _is_plain_file(path: Path) -> bool:
    """A regular file at `path` itself (a symbolic link there is not)."""
    return path.is_file() and not path.is_symlink()


def _copy_bytes(source: Path, out: BinaryIO, *, sha256: str, max_bytes: int | None) -> None:
    """Copy `source` (never through a link at its name) if it is a regular file of at most `max_bytes`
    whose bytes are still `sha256`; else ValueError saying why."""
    descriptor = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ValueError("not a regular file")
        if max_bytes is not None and status.st_size > max_bytes:
            raise ValueError(f"{status.st_size:,} bytes, over the {max_bytes:,}-byte budget")
        digest, left = hashlib.sha256(), max_bytes if max_bytes is not None else status.st_size
        while block := handle.read(min(1 << 20, left + 1)):
            digest.update(block)
            out.write(block)
            left -= len(block)
            if left < 0:
                raise ValueError("it grew while being copied")
    if digest.hexdigest() != sha256:
        raise ValueError("it changed since it was read")


def _write_afresh(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write `path` under a new temporary name (O_EXCL, O_NOFOLLOW, mode 600), then rename it into place."""
    prefix = "." + path.name.encode()[:150].decode(errors="ignore") + "."
    descriptor, written = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".partial")
    try:
        with os.fdopen(descriptor, "wb") as out:
            write(out)
        os.replace(written, path)
    except BaseException:
        Path(written).unlink(missing_ok=True)
        raise
