"""A real Dask cluster on loopback, as an operator starts one: `dask scheduler` and `dask worker` processes.

Used by the tests' `dask_cluster` fixture and by the benchmark's scale-out curve. Each process runs in a
session of its own and is stopped by its pid at the end (SIGTERM to its group, so a worker's nanny takes
its worker process with it; SIGKILL if it lingers).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

DASK = Path(sys.executable).parent / "dask"
_START_SECONDS = 120  # a busy 2-core machine imports distributed slowly


@dataclass
class LocalCluster:
    address: str
    scheduler_file: Path
    folder: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]


# The scheduler's setting (workers ignore it): a file whose reading kills 2 workers is quarantined, as the
# local pool's 2 tries (docs/scaling.md).
_SCHEDULER_ENV = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
# Dask's diagnostics, which nothing here reads: the worker's statistical profiler (a stack sample every
# 10 ms), the event-loop tick check (every 20 ms) and the system monitor (every 0.5 s). An idle cluster of
# a scheduler and two workers burned 2.05 CPU-s every 30 s with them, 0.80 without (docs/scaling.md).
QUIET_ENV = {
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "2s",
}


def _started(args: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, **_SCHEDULER_ENV, **QUIET_ENV}
    with log.open("ab") as sink:
        return subprocess.Popen(
            [str(DASK), *args], stdout=sink, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )


def _scheduler_address(scheduler_file: Path, process: subprocess.Popen, log: Path) -> str:
    stop = time.monotonic() + _START_SECONDS
    while time.monotonic() < stop:
        if process.poll() is not None:
            raise RuntimeError(f"dask scheduler exited {process.returncode}:\n{log.read_text()[-2000:]}")
        if scheduler_file.exists():
            try:
                return json.loads(scheduler_file.read_text())["address"]
            except (ValueError, KeyError):  # being written
                pass
        time.sleep(0.2)
    raise RuntimeError(f"dask scheduler did not start in {_START_SECONDS} s:\n{log.read_text()[-2000:]}")


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=_START_SECONDS)


def stop_processes(processes: list[subprocess.Popen]) -> None:
    """SIGTERM each process's group by its pid, then SIGKILL what is left after 10 s."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    stop = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, stop - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def local_cluster(folder: Path, workers: int = 2, memory_limit: str = "1GiB") -> Iterator[LocalCluster]:
    """A scheduler on 127.0.0.1 (a free port) and `workers` workers of one thread each under
    `memory_limit`, all connected; stopped at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file = folder / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)
    log = folder / "scheduler.log"
    scheduler = _started(
        [
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(scheduler_file),
        ],
        log,
    )
    cluster = LocalCluster("", scheduler_file, folder, [scheduler])
    try:
        cluster.address = _scheduler_address(scheduler_file, scheduler, log)
        for index in range(workers):
            args = ["worker", cluster.address, "--host", "127.0.0.1", "--nthreads", "1"]
            args += ["--memory-limit", memory_limit, "--no-dashboard", "--name", f"worker-{index}"]
            cluster.processes.append(_started(args, folder / f"worker-{index}.log"))
        _wait_for_workers(cluster.address, workers)
        yield cluster
    finally:
        stop_processes(cluster.processes)
