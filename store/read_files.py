"""The read phase: every file to read, read by its source's reader on a read engine, as the files finish.

The seam between the loader and where reading runs. The engine (store.read_engines) gives a
`concurrent.futures.Executor`: the local process pool by default (`EmbeddedPool`), the refresh's own
process for sources cheap to read (`InlineEngine`), or a Dask cluster's
`distributed.Client(address).get_executor()` (store.dask_cluster). One mechanism, on any of them:

- Each call runs `store.read_task.run_task` on a worker: anything a reader raises is its file's problem.
- A long file of a source that reads page ranges (`Source.pages`, RAT plans) is split: its pages in
  ranges of `chunk_pages`, read by any workers, then joined in page order by one call, so the last
  worker does not finish a long document alone. The largest files start first.
- No more calls run than the engine has workers, so each call's time is its own: past its budget
  (`seconds_per_page` a page, or a whole file of other sources) it is stopped, and its file quarantined
  with that reason after `attempts` tries.
- A worker that dies quarantines the file it read after the tries, and the rest goes on. A local pool
  broken by a death is made anew and the calls that were running are tried again one at a time, so the
  file that kills its worker is found and the others are read.
- However the phase ends (done, failed, or the run cancelled), the futures still pending are cancelled.

The single DuckDB writer, the ledger and the one transaction stay with the loader.
"""

from __future__ import annotations

import heapq
import itertools
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path

from store.contract import PagePlan, Problem, Reading, Source
from store.errors import ReadEngineError
from store.paths import display_path
from store.read_engines import KILLED, ReadEngine
from store.read_task import run_task

WHOLE, PLAN, PAGES, JOIN = "whole", "plan", "pages", "join"
_BROKEN_POOL_WAIT = 60.0  # seconds for the other calls of a broken pool to report it
_SLOTS_SECONDS = 5.0  # how often the engine is asked how many workers it has


@dataclass(frozen=True)
class ReadBudget:
    """What one file may cost the read phase (the settings' read_* fields)."""

    seconds_per_page: float = 60.0  # a page of a file read in pages, or a whole file of another source
    chunk_pages: int = 10  # pages a call reads of a long file
    attempts: int = 2  # calls whose worker died or ran out of time, before the file is quarantined
    grace_seconds: float = 30.0  # added to every call's time: a fresh worker imports the readers first
    memory_mb: int | None = None  # resident memory of a local pool process, past which it is stopped


DEFAULT_BUDGET = ReadBudget()


@dataclass
class FileRead:
    """One file's reading (or the problems that stop it), who read it, and what that cost."""

    outcome: Reading | list[Problem] | None = None
    cpu_by_worker: dict[str, float] = field(default_factory=dict)  # CPU seconds of its calls (Tesseract too)
    wall_seconds: float = 0.0  # summed over its calls

    @property
    def workers(self) -> list[str]:
        """Each worker that ran a call of it, in the order they finished one."""
        return list(self.cpu_by_worker)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_by_worker.values())


def read_files(
    engine: ReadEngine, source: Source, paths: Sequence[Path], budget: ReadBudget = DEFAULT_BUDGET
) -> Iterator[tuple[int, FileRead]]:
    """(index in `paths`, its FileRead) for every path, as each file finishes."""
    phase = _ReadPhase(engine, source, list(paths), budget)
    try:
        yield from phase.results()
    finally:
        phase.cancel()


@dataclass(eq=False)
class _Call:
    file: int
    kind: str
    function: Callable
    args: tuple
    pages: int
    first: int = 0
    strikes: int = 0
    alone: bool = False  # run with no other call (a suspect of a broken pool)
    stopping: bool = False  # stopped for running past its deadline
    deadline: float = 0.0
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def what(self) -> str:
        return f"pages {self.first}-{self.first + self.pages - 1} of it" if self.kind == PAGES else "it"


@dataclass
class _File:
    path: Path
    read: FileRead = field(default_factory=FileRead)
    plan: PagePlan | None = None
    parts: dict[int, object] = field(default_factory=dict)
    done: bool = False
    rank: int = 0  # by size, largest first: its calls are started before a smaller file's


class _ReadPhase:
    def __init__(self, engine: ReadEngine, source: Source, paths: list[Path], budget: ReadBudget) -> None:
        self.engine, self.source, self.budget = engine, source, budget
        self.files = [_File(path.absolute()) for path in paths]  # a worker elsewhere has another cwd
        self.queue: list[tuple[tuple, int, _Call]] = []
        self.order = itertools.count()
        self.in_flight: dict[Future, _Call] = {}
        self.finished: list[int] = []
        self.slots, self.slots_at = 0, 0.0
        largest_first = sorted(range(len(paths)), key=lambda i: -_size(paths[i]))
        for rank, index in enumerate(largest_first):
            self.files[index].rank = rank
            self._queue(self._first_call(index), (2, rank, 0))

    def _first_call(self, index: int) -> _Call:
        path = self.files[index].path
        if self.source.pages is None:
            return _Call(index, WHOLE, self.source.read, (path,), pages=1)
        plan = self.source.pages.plan
        return _Call(index, PLAN, plan, (path, self.budget.chunk_pages), pages=self.budget.chunk_pages)

    def _queue(self, call: _Call, rank: tuple) -> None:
        heapq.heappush(self.queue, ((-1, 0, 0) if call.alone else rank, next(self.order), call))

    def results(self) -> Iterator[tuple[int, FileRead]]:
        while True:
            while self.finished:
                index = self.finished.pop()
                yield index, self.files[index].read
            if all(file.done for file in self.files):
                return
            self._dispatch()
            if not self.in_flight:
                raise ReadEngineError(f"{self.engine.name}: files left to read but no call to run")
            self._collect(self._wait())
            self._stop_overdue()

    def _wait(self) -> set[Future]:
        """The calls done by the next deadline (or a while, to ask the engine for its workers again)."""
        deadline = min(call.deadline for call in self.in_flight.values())
        timeout = min(max(0.05, deadline - time.monotonic()), _SLOTS_SECONDS)
        done, _ = wait(list(self.in_flight), timeout=timeout, return_when=FIRST_COMPLETED)
        return done

    def _dispatch(self) -> None:
        while self.queue and len(self.in_flight) < self._slots():
            call = self.queue[0][2]
            if any(c.alone for c in self.in_flight.values()) or (call.alone and self.in_flight):
                return
            heapq.heappop(self.queue)
            if self.files[call.file].done:
                continue
            try:
                future = self.engine.executor().submit(
                    run_task, call.id, self.files[call.file].path, call.function, *call.args
                )
            except Exception as error:  # a pool that broke since its last call: a fresh one, then again
                if self.engine.death(error) is None:
                    raise ReadEngineError(f"{self.engine.name} cannot take calls: {error}") from error
                self._queue(call, (-1, 0, 0))
                if not self.in_flight:
                    self.engine.renew()
                return
            call.deadline = time.monotonic() + self.budget.grace_seconds
            call.deadline += call.pages * self.budget.seconds_per_page
            self.in_flight[future] = call

    def _slots(self) -> int:
        if time.monotonic() - self.slots_at > _SLOTS_SECONDS:
            self.slots, self.slots_at = self.engine.slots(), time.monotonic()
        return self.slots

    def _collect(self, done: set[Future]) -> None:
        broken: list[_Call] = []
        reason = ""
        for future in done:
            call = self.in_flight.pop(future)
            name = display_path(self.files[call.file].path)
            if future.cancelled():  # not by the read phase, which forgets a call it cancels
                raise ReadEngineError(
                    f"{self.engine.name} dropped the call reading {name} (its scheduler went away)"
                )
            error = future.exception()
            if error is None:
                self._accept(call, future.result())
                continue
            death = self.engine.death(error)
            if death is None:
                raise ReadEngineError(f"{self.engine.name} failed reading {name}: {error}") from error
            kind, reason = death
            if kind == KILLED:
                self._fail(call, "worker_died", reason)
            else:
                broken.append(call)
        if broken:
            self._broken(broken, reason)

    def _accept(self, call: _Call, done: object) -> None:
        file = self.files[call.file]
        if file.done:
            return
        read = file.read
        read.cpu_by_worker[done.worker] = read.cpu_by_worker.get(done.worker, 0.0) + done.cpu_seconds
        read.wall_seconds += done.wall_seconds
        if done.problems:
            self._finish(call.file, done.problems)
        elif call.kind == PLAN and isinstance(done.value, PagePlan):
            self._split(call.file, done.value)
        elif call.kind == PAGES:
            file.parts[call.first] = done.value
            if len(file.parts) == len(self._ranges(file.plan)):
                parts = [file.parts[first] for first in sorted(file.parts)]
                args = (file.path, file.plan, parts)
                self._queue(_Call(call.file, JOIN, self.source.pages.join, args, file.plan.pages), (0, 0, 0))
        else:
            self._finish(call.file, done.value)

    def _split(self, index: int, plan: PagePlan) -> None:
        """A long file's pages in ranges, each a call of its own."""
        file = self.files[index]
        file.plan = plan
        for first, last in self._ranges(plan):
            args = (file.path, plan, first, last)
            call = _Call(index, PAGES, self.source.pages.read_pages, args, last - first + 1, first)
            self._queue(call, (1, file.rank, first))

    def _ranges(self, plan: PagePlan) -> list[tuple[int, int]]:
        """The page ranges a long file is read in: (first, last), 1-based."""
        size = plan.range_pages or self.budget.chunk_pages
        return [(first, min(first + size - 1, plan.pages)) for first in range(1, plan.pages + 1, size)]

    def _finish(self, index: int, outcome: Reading | list[Problem]) -> None:
        self.files[index].read.outcome = outcome
        self.files[index].done = True
        self.finished.append(index)

    def _broken(self, broken: list[_Call], reason: str) -> None:
        """The local pool broke: every call running failed with it. Find out whose fault it was."""
        rest, _ = wait(list(self.in_flight), timeout=_BROKEN_POOL_WAIT)
        for future in rest:
            call = self.in_flight.pop(future)
            if not future.cancelled() and future.exception() is None:
                self._accept(call, future.result())
            else:
                broken.append(call)
        stopped = [call for call in broken if call.stopping]
        for call in broken:
            if stopped and call.stopping:  # killed by the read phase for running past its time
                self._timed_out(call)
            elif stopped:  # it only shared the pool of a call killed for its time
                self._queue(call, (1, self.files[call.file].rank, call.first))
            elif len(broken) == 1:
                self._strike(call, "worker_died", reason)
            else:  # one of them did it: each is tried again alone
                call.alone = True
                self._queue(call, (-1, 0, 0))
        self.engine.renew()

    def _stop_overdue(self) -> None:
        now = time.monotonic()
        overdue = [c for c in self.in_flight.values() if c.deadline < now and not c.stopping]
        if not overdue:
            return
        for call in overdue:
            call.stopping = True
        if self.engine.stop_breaks_pool:
            self.engine.stop([call.id for call in overdue])
            return  # the pool's break reports them (_broken)
        # Cancelled first, so the scheduler does not give the call to another worker as its worker restarts.
        cancelled = [(f, c) for f, c in self.in_flight.items() if c.stopping and f.cancel()]
        self.engine.stop([call.id for _, call in cancelled])
        for future, call in cancelled:
            del self.in_flight[future]
            self._timed_out(call)

    def _timed_out(self, call: _Call) -> None:
        allowed = self.budget.grace_seconds + call.pages * self.budget.seconds_per_page
        per = "a page" if self.source.pages else "a file"
        cause = f"reading {call.what()} took longer than {allowed:.0f} s "
        cause += f"({self.budget.seconds_per_page:g} s {per}, NTT_READ_SECONDS_PER_PAGE)"
        call.stopping = False
        self._strike(call, "timed_out", cause)

    def _strike(self, call: _Call, kind: str, cause: str) -> None:
        """One more failed try of a call: tried again (alone, where a death breaks the pool) or, after
        `attempts` tries, its file quarantined."""
        call.strikes += 1
        if call.strikes < self.budget.attempts:
            call.alone = self.engine.stop_breaks_pool
            self._queue(call, (-1,) if call.alone else (1, self.files[call.file].rank, call.first))
            return
        self._fail(call, kind, f"{cause}; {call.strikes} tries")

    def _fail(self, call: _Call, kind: str, cause: str) -> None:
        path = self.files[call.file].path
        self._finish(call.file, [Problem(kind, f"{display_path(path)}: {cause}")])

    def cancel(self) -> None:
        """Cancel every call still pending (a finished, failed or cancelled phase)."""
        for future in self.in_flight:
            future.cancel()
        self.in_flight.clear()
        self.queue.clear()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
