"""One digest of everything a refresh reads: if it has not changed, neither would the warehouse."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

_SKIPPED_PARTS = {"__pycache__", "target", "logs", "dbt_packages", ".pytest_cache"}


# A refresh hashes every input more than once (the no-change check, the loader, the publish record): a file
# whose size and change times are the same as when it was hashed in this process is not read again.
_hashed: dict[tuple[str, int, int, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's content, read in blocks (remembered while the file's stat stays the same)."""
    stat = Path(path).stat()
    key = (str(Path(path).resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    if key in _hashed:
        return _hashed[key]
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    _hashed[key] = digest.hexdigest()
    return _hashed[key]


def files_under(folders: Iterable[Path]) -> list[Path]:
    """Every file under `folders`, build output and caches left out (and never walked into)."""
    found: set[Path] = set()
    for folder in folders:
        if folder.is_file():
            found.add(folder.resolve())
            continue
        for root, directories, names in os.walk(folder):
            directories[:] = [d for d in directories if d not in _SKIPPED_PARTS]
            found |= {(Path(root) / name).resolve() for name in names if not name.endswith(".pyc")}
    return sorted(found)


def fingerprint(folders: Iterable[Path]) -> tuple[str, int]:
    """(digest, number of files) over the path and content of every file under `folders`."""
    digest = hashlib.sha256()
    files = files_under(folders)
    for path in files:
        digest.update(str(path).encode())
        digest.update(file_sha256(path).encode())
    return digest.hexdigest(), len(files)
