"""One digest of everything a refresh reads: if it has not changed, neither would the warehouse."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from store.budgets import megabytes
from store.errors import OverBudgetError

_SKIPPED_PARTS = {"__pycache__", "target", "logs", "dbt_packages", ".pytest_cache"}


# A refresh hashes every input more than once (the no-change check, the loader, the publish record): a file
# whose size and change times are the same as when it was hashed in this process is not read again.
_hashed: dict[tuple[str, int, int, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's content, read in blocks (remembered while the file's stat stays the same)."""
    return _digest(os.open(Path(path), os.O_RDONLY), Path(path))


def source_file_sha256(path: Path, max_bytes: int | None = None) -> tuple[str, int]:
    """(SHA-256, size) of a source file, opened without following a symbolic link at its name (OSError
    ELOOP) and only when it is a regular file of at most `max_bytes` (else OverBudgetError, unread)."""
    descriptor = os.open(Path(path), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    if max_bytes is not None and status.st_size > max_bytes:
        os.close(descriptor)
        raise OverBudgetError(
            path,
            f"{megabytes(status.st_size)}, over the {megabytes(max_bytes)} budget for one file: refused "
            "without reading it",
        )
    return _digest(descriptor, Path(path)), status.st_size


def _digest(descriptor: int, path: Path) -> str:
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        key = (os.path.abspath(path), status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        if key in _hashed:
            return _hashed[key]
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    _hashed[key] = digest.hexdigest()
    return _hashed[key]


def files_under(folders: Iterable[Path]) -> list[Path]:
    """Every file under `folders`, build output and caches left out (and never walked into); a symbolic
    link is listed as itself (to a file or a folder), never followed."""
    found: set[Path] = set()
    for folder in folders:
        folder = Path(folder).resolve()
        if folder.is_file():
            found.add(folder)
            continue
        for root, directories, names in os.walk(folder):
            links = [d for d in directories if (Path(root) / d).is_symlink()]
            directories[:] = [d for d in directories if d not in _SKIPPED_PARTS and d not in links]
            found |= {Path(root) / name for name in [*names, *links] if not name.endswith(".pyc")}
    return sorted(found)


def fingerprint(folders: Iterable[Path], max_bytes: int | None = None) -> tuple[str, int]:
    """(digest, number of files) over the path and content of every file under `folders`. A symbolic link
    counts as its target's name, a file over `max_bytes` or not a regular file as its size and times: their
    content is never read."""
    files = files_under(folders)
    return files_fingerprint(files, max_bytes), len(files)


def files_fingerprint(files: Iterable[Path], max_bytes: int | None = None) -> str:
    """The digest `fingerprint` makes, over these files (their paths as given) alone."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(os.fsencode(path))
        digest.update(_content_mark(Path(path), max_bytes))
    return digest.hexdigest()


def _content_mark(path: Path, max_bytes: int | None) -> bytes:
    try:
        status = path.lstat()
        if stat.S_ISLNK(status.st_mode):
            return b"link:" + os.fsencode(os.readlink(path))
        if stat.S_ISREG(status.st_mode) and (max_bytes is None or status.st_size <= max_bytes):
            return source_file_sha256(path)[0].encode()
        return f"{status.st_mode}:{status.st_size}:{status.st_mtime_ns}".encode()
    except OSError as error:  # gone or unreadable since it was listed: the refresh will say which
        return f"unreadable:{error.errno}".encode()
