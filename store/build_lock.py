"""One refresh at a time per warehouse: an exclusive lock on a file in the warehouse's build folder.

DuckDB lets one process write a file; two refreshes at once would both die on lock errors. The lock is an
advisory `flock` held for the whole refresh and released by the kernel when the holder exits, even on
SIGKILL, so a killed refresh never leaves a stale lock. The holder writes who it is into the lock file, so a
waiting refresh can say whom it waits for. Taking the lock again in the process that holds it is allowed
(the CLI takes it before the Dagster run, whose warehouse resource takes it too).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from store.errors import WarehouseFolderError

LOCK_NAME = "refresh.lock"
_held: dict[Path, tuple[int, int]] = {}  # lock path -> (file descriptor, times taken) in this process


@dataclass(frozen=True)
class LockHolder:
    pid: int
    started_at: str  # local time, ISO 8601
    command: str

    def describe(self) -> str:
        started = datetime.fromisoformat(self.started_at).strftime("%H:%M:%S")
        return f"the refresh started {started} by pid {self.pid}"


class RefreshBusyError(Exception):
    """Another refresh held the warehouse for longer than this one would wait."""

    def __init__(self, holder: LockHolder | None, waited: float) -> None:
        self.holder = holder
        self.waited = waited
        who = holder.describe() if holder else "another refresh"
        super().__init__(f"{who} still holds the warehouse after {waited:.0f} s of waiting; nothing was done")


def lock_path_for(build_dir: Path) -> Path:
    return build_dir / LOCK_NAME


def current_holder(lock_path: Path) -> LockHolder | None:
    try:
        descriptor = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as handle:
            return LockHolder(**json.loads(handle.read(64 * 1024)))
    except (OSError, ValueError, TypeError):
        return None


def _open_lock_file(path: Path) -> int:
    """The lock file, made if need be; never through a symbolic link planted at its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise WarehouseFolderError.of(error, path) from error


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


@contextmanager
def refresh_lock(
    build_dir: Path,
    wait_seconds: float,
    on_wait: Callable[[LockHolder | None], None] = lambda holder: None,
    command: str = "refresh",
    poll_seconds: float = 0.2,
) -> Iterator[None]:
    """Hold the warehouse's refresh lock; wait up to `wait_seconds` for another holder, else RefreshBusyError.

    `on_wait` is called once, when this refresh has to wait. A folder the lock cannot be made in (read-only,
    full) or a symbolic link at its name is WarehouseFolderError.
    """
    path = lock_path_for(build_dir.resolve())  # the folder resolved, never a link at the lock's own name
    if path in _held:
        descriptor, times = _held[path]
        _held[path] = (descriptor, times + 1)
        try:
            yield
        finally:
            descriptor, times = _held[path]
            _held[path] = (descriptor, times - 1)
        return
    descriptor = _open_lock_file(path)
    try:
        started = time.monotonic()
        if not _try_lock(descriptor):
            if wait_seconds <= 0:
                raise RefreshBusyError(current_holder(path), 0)
            on_wait(current_holder(path))
            while not _try_lock(descriptor):
                waited = time.monotonic() - started
                if waited >= wait_seconds:
                    raise RefreshBusyError(current_holder(path), waited)
                time.sleep(min(poll_seconds, max(wait_seconds - waited, 0.01)))
        me = LockHolder(os.getpid(), datetime.now().astimezone().isoformat(timespec="seconds"), command)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps(me.__dict__).encode(), 0)
        _held[path] = (descriptor, 1)
        try:
            yield
        finally:
            del _held[path]
            os.ftruncate(descriptor, 0)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
