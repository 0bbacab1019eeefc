"""Where the read phase runs its calls: the local process pool (the embedded default), or the refresh's
own process; a Dask cluster is store.dask_cluster.ClusterEngine. Each gives store.read_files an Executor
and says how many calls to keep running, how to stop one that runs past its time, and what a failed
future means.

The local pool is a forkserver `ProcessPoolExecutor` (the parent holds an open DuckDB connection, which a
forked child must not inherit). A process of it that dies (a crash, the out-of-memory killer, a kill
after a timeout) breaks the whole pool (`BrokenProcessPool`): the pool is then made anew and the read
phase finds the file that did it (store.read_files). It needs no port and nothing running.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import ForkServerContext, ForkServerProcess
from pathlib import Path
from typing import Protocol

BROKEN, KILLED = "broken", "killed"  # a pool broken by a process that died; a cluster's worker that did
_MEMORY_POLL_SECONDS = 0.1  # as often as a Dask nanny looks at its worker's memory
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
# What the forkserver imports before it forks the pool's processes: the readers and what they load on
# demand (PDF budgets, XLSX, OCR). Imported once per refresh process, not once per pool process (0.7 CPU-s
# each: pandas, pdfplumber), nor again for each process that replaces one killed by a hostile file. Not
# '__main__' (the default): the pool runs the readers only, never the command's own module.
READER_MODULES = ("store.read_task", "ingest.sources", "ingest.rat.ocr.document", "openpyxl", "pypdf")


class ReadEngine(Protocol):
    name: str  # for messages: where files are read
    stop_breaks_pool: bool  # stopping a call breaks every call running (the local pool)

    def executor(self) -> Executor: ...
    def slots(self) -> int: ...
    def stop(self, task_ids: list[str]) -> None: ...
    def death(self, error: BaseException) -> tuple[str, str] | None: ...
    def renew(self) -> None: ...
    def close(self) -> None: ...


class _ObservedForkServer(ForkServerContext):
    """The forkserver context, keeping the pool's processes so they can be stopped and their exit codes
    read (a process that died says how: a signal, the out-of-memory killer's SIGKILL)."""

    def __init__(self) -> None:
        super().__init__()
        self.processes: list[ForkServerProcess] = []

    def Process(self, *args: object, **kwargs: object) -> ForkServerProcess:  # the name multiprocessing calls
        process = ForkServerProcess(*args, **kwargs)
        self.processes.append(process)
        return process


class EmbeddedPool:
    """The local process pool: one process per core (or `workers`), each stopped when its resident memory
    passes `memory_mb` (as a Dask worker's nanny does at its --memory-limit)."""

    stop_breaks_pool = True

    def __init__(self, workers: int | None = None, memory_mb: int | None = None) -> None:
        self.workers = max(1, workers or len(os.sched_getaffinity(0)))
        self.memory_mb = memory_mb
        self.name = f"the local pool ({self.workers} processes)"
        self._context = _ObservedForkServer()
        self._context.set_forkserver_preload(list(READER_MODULES))  # before the server starts; then kept
        self._pool = self._new_pool()
        self._over_memory: list[int] = []  # resident MB of the processes stopped for their memory
        self._closed = threading.Event()
        if memory_mb:
            threading.Thread(target=self._watch_memory, name="read-pool-memory", daemon=True).start()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context)

    def _watch_memory(self) -> None:
        """Kill a pool process whose resident memory passes the limit (the pool then breaks, and the read
        phase finds the file that did it)."""
        limit = self.memory_mb * 1024 * 1024
        while not self._closed.wait(_MEMORY_POLL_SECONDS):
            for process in list(self._context.processes):
                resident = _resident_bytes(process.pid)
                if resident > limit:
                    self._over_memory.append(resident // (1024 * 1024))
                    process.kill()

    def executor(self) -> Executor:
        return self._pool

    def slots(self) -> int:
        return self.workers

    def stop(self, task_ids: list[str]) -> None:
        """Kill the pool's processes: one of them runs past its time, and any death breaks the pool."""
        for process in self._context.processes:
            if process.pid is not None:  # started; a process already gone is not signalled again
                process.kill()

    def death(self, error: BaseException) -> tuple[str, str] | None:
        if not isinstance(error, BrokenProcessPool):
            return None
        # The broken pool's manager has reaped its processes once this returns: their exit codes are read
        # then, never while it reads them (reading one twice from two threads loses it).
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._over_memory:
            return BROKEN, (
                f"the process reading it passed the memory limit of {self.memory_mb} MB a process "
                f"(NTT_READ_MEMORY_MB; it held {max(self._over_memory)} MB) and was stopped"
            )
        return BROKEN, f"the process reading it died ({self._exit_causes()})"

    def _exit_causes(self) -> str:
        codes = [p.exitcode for p in self._context.processes if p.exitcode not in (None, 0, -signal.SIGTERM)]
        return ", ".join(sorted({_exit_cause(code) for code in codes})) or "exit cause unknown"

    def renew(self) -> None:
        """A fresh pool after a break (the broken one has stopped its processes)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._context.processes = [p for p in self._context.processes if p.exitcode is None]
        self._over_memory.clear()
        self._pool = self._new_pool()

    def close(self) -> None:
        self._closed.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.stop([])
        for process in self._context.processes:
            if process.pid is not None:  # started
                process.join(timeout=5)


def _resident_bytes(pid: int | None) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_BYTES
    except (OSError, IndexError, ValueError):  # not started, or gone
        return 0


def _exit_cause(code: int) -> str:
    if code >= 0:
        return f"exit status {code}"
    name = signal.Signals(-code).name
    if -code == signal.SIGKILL:
        return f"{name}: killed, as the system's out-of-memory killer does"
    return f"{name}: a crash" if -code in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT) else name


class InlineEngine:
    """The refresh's own process, one call at a time: for sources whose files are cheap to read. A call
    cannot be stopped or isolated here; what a reader raises is still the file's problem."""

    name = "the refresh's own process"
    stop_breaks_pool = False

    def executor(self) -> Executor:
        return InlineExecutor()

    def slots(self) -> int:
        return 1

    def stop(self, task_ids: list[str]) -> None:
        pass

    def death(self, error: BaseException) -> tuple[str, str] | None:
        return None

    def renew(self) -> None:
        pass

    def close(self) -> None:
        pass


class InlineExecutor(Executor):
    """Runs each call in this process as it is submitted."""

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
