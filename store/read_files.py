"""The read phase: every file to read, read by the source's reader on an executor, in order.

The seam between the loader and where reading runs. `read_files` takes any `concurrent.futures.Executor`:
the loader's embedded default is a local process pool (`embedded_pool`), or inline for a source read in
the refresh's own process; a Dask cluster's `distributed.Client(address).get_executor()` fits the same
place. A reader's `SourceFileError` comes back as the file's problems; the single DuckDB writer, the ledger
and the one transaction stay with the loader.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path

from store.contract import Problem, Reading
from store.errors import SourceFileError


def read_files(
    executor: Executor, read: Callable[[Path], Reading], paths: Sequence[Path]
) -> Iterator[Reading | list[Problem]]:
    """Each path's reading, or the problems that stop it, in the order of `paths`, as they come."""
    return executor.map(read_one, [read] * len(paths), paths)


def read_one(read: Callable[[Path], Reading], path: Path) -> Reading | list[Problem]:
    """One file's reading, or its problems (run where the executor runs it)."""
    try:
        return read(path)
    except SourceFileError as error:
        return [Problem(getattr(error, "kind", "parse"), str(error), error.row, getattr(error, "page", None))]


def embedded_pool(workers: int | None, files: int) -> ProcessPoolExecutor:
    """The local process pool: one worker per core (or `workers`), never more than there are files."""
    count = max(1, min(workers or multiprocessing.cpu_count(), files))
    # forkserver: the parent holds an open DuckDB connection, which a forked child must not inherit.
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("forkserver"))


class InlineExecutor(Executor):
    """Runs each call in this process when its result is asked for: for sources whose files are cheap to
    read, or a single file (a pool's start costs more than it saves)."""

    def map(
        self, fn: Callable, *iterables: Iterable, timeout: float | None = None, chunksize: int = 1
    ) -> Iterator:
        return (fn(*args) for args in zip(*iterables, strict=True))

    def submit(self, fn: Callable, /, *args: object, **kwargs: object) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future
