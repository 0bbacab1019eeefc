"""Locks between test processes: an `flock` on a file, which the kernel lets go if its holder is killed."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def locked(path: Path, blocking: bool) -> int | None:
    """A descriptor of `path` (created if missing) holding its exclusive lock, until closed; None if another
    process or descriptor holds it and `blocking` is false."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


@contextmanager
def held(path: Path) -> Iterator[None]:
    """The lock of `path`, waited for and held until the block ends."""
    descriptor = locked(path, blocking=True)
    try:
        yield
    finally:
        os.close(descriptor)
