"""What runs on a worker (a process of the local pool, a Dask worker, or the refresh's own process): one
call of a reader, and what the read phase (store.read_files) needs to know about it.

`run_task` never raises for what a file does: any exception of the reader becomes the file's problems in
one line naming the file and the cause. It says which worker read the file (the Dask worker's address, or
host/pid) and the CPU seconds the call took there, its Tesseract children included. Workers import only
this engine and the readers: no Dagster, no dbt.
"""

from __future__ import annotations

import os
import resource
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from store.contract import Problem
from store.errors import SourceFileError
from store.paths import display_path

_RUNNING: set[str] = set()  # the tasks this process is running now (a Dask worker runs them in threads)
_CAUSE_CHARACTERS = 400  # a reader's message beyond this is cut: the line is for people


@dataclass
class TaskDone:
    """A finished call: its value, or the problems that stop its file; who ran it and what it cost."""

    value: object = None
    problems: list[Problem] = field(default_factory=list)
    worker: str = ""
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0


def run_task(task_id: str, path: Path, call: Callable, *args: object) -> TaskDone:
    """`call(*args)` reading `path`: its value, or its problems."""
    _RUNNING.add(task_id)
    started, cpu = time.perf_counter(), _cpu_seconds()
    try:
        done = TaskDone(value=call(*args))
    except Exception as error:  # anything one file makes a reader do is that file's problem
        done = TaskDone(problems=problems_of(error, path))
    finally:
        _RUNNING.discard(task_id)
    done.worker = worker_name()
    done.cpu_seconds = _cpu_seconds() - cpu
    done.wall_seconds = time.perf_counter() - started
    return done


def problems_of(error: Exception, path: Path) -> list[Problem]:
    """A reader's exception as the file's problem: a SourceFileError as the reader said it, anything else
    in one line naming the file and the cause."""
    if isinstance(error, SourceFileError):
        return [Problem(getattr(error, "kind", "parse"), str(error), error.row, getattr(error, "page", None))]
    if isinstance(error, MemoryError):  # an allocation the system refused
        return [Problem("out_of_memory", f"{display_path(path)}: reading it ran out of memory")]
    cause = " ".join(str(error).split())[:_CAUSE_CHARACTERS]
    return [Problem("reader_error", f"{display_path(path)}: {type(error).__name__}: {cause}".rstrip(": "))]


def running_tasks() -> list[str]:
    """The tasks this process is running now (asked of every Dask worker to find one that hangs)."""
    return sorted(_RUNNING)


def worker_name() -> str:
    """The Dask worker's address when run by one, else host/pid."""
    if "distributed" in sys.modules:  # imported by a Dask worker; never imported here otherwise
        from distributed import get_worker

        try:
            return get_worker().address
        except ValueError:  # not in a Dask worker (the refresh's own process, with a client imported)
            pass
    return f"{socket.gethostname()}/{os.getpid()}"


def _cpu_seconds() -> float:
    """CPU seconds of this process (every thread) and of its finished children (Tesseract)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
