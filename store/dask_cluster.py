"""The read phase on a Dask cluster: `distributed.Client(address).get_executor()` in the place of the local
pool (store.read_engines), when a scheduler address is set (DASK_SCHEDULER_ADDRESS).

- Connecting waits `connect_timeout` seconds at most: a scheduler that does not answer is one line
  naming the address (ClusterError), before anything is read or written.
- On connecting, the versions that must agree are compared (Python, dask, distributed and the
  serialisers on the scheduler and every worker, and the digest of the readers' code on every worker):
  a mismatch is one line naming the worker, what differs and both versions.
- A worker that dies reading a file (its memory limit, a crash, a kill) is restarted by its nanny and
  the call given to another worker; after the scheduler's retries (`distributed.scheduler.
  allowed-failures`) the future fails with KilledWorker, which quarantines the file. A call that runs
  past its time is cancelled and the worker running it restarted (a running thread cannot be stopped).

Workers need the data and landing folders at the same paths (a shared mount) and this project installed:
they import only the engine and the readers. Nothing here is imported unless an address is set.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from concurrent.futures import Executor

from store.errors import ReadEngineError
from store.read_engines import KILLED
from store.read_task import running_tasks

# What client, scheduler and workers must agree on: they exchange pickled calls and results.
_SAME_VERSIONS = ("python", "dask", "distributed", "cloudpickle", "msgpack")
_RESTART_SECONDS = 120


class ClusterError(ReadEngineError):
    """The cluster cannot be used (it does not answer, or runs other versions); one line."""


class ClusterEngine:
    """A Dask cluster's workers, through a client connected to its scheduler."""

    stop_breaks_pool = False

    def __init__(
        self, address: str, connect_timeout: float, code_version: Callable[[], str] | None = None
    ) -> None:
        from distributed import Client

        self.address = address
        self.name = f"the Dask cluster at {address}"
        logging.getLogger("distributed").setLevel(logging.ERROR)  # its own retries are not ours to print
        try:
            with warnings.catch_warnings():  # a version mismatch is said below, in one line
                warnings.simplefilter("ignore")
                self.client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            cause = " ".join(str(error).split()) or type(error).__name__
            raise ClusterError(f"the Dask scheduler at {address} cannot be reached: {cause}") from None
        try:
            check_versions(self.client, address, code_version)
        except BaseException:
            self.client.close()
            raise
        self._executor = self.client.get_executor(pure=False)

    def executor(self) -> Executor:
        return self._executor

    def slots(self) -> int:
        """Calls to keep running: the cluster's threads now."""
        threads = sum(self.client.nthreads().values())
        if not threads:
            raise ClusterError(f"{self.name} has no workers: start some with `dask worker {self.address}`")
        return threads

    def stop(self, task_ids: list[str]) -> None:
        """Restart the workers running these calls (their futures are cancelled by the read phase)."""
        wanted = set(task_ids)
        running = self.client.run(running_tasks, on_error="ignore")
        workers = [address for address, ids in running.items() if wanted & set(ids or ())]
        if workers:
            self.client.restart_workers(workers, timeout=_RESTART_SECONDS, raise_for_error=False)

    def death(self, error: BaseException) -> tuple[str, str] | None:
        from distributed.scheduler import KilledWorker

        if not isinstance(error, KilledWorker):
            return None
        return KILLED, (
            "every Dask worker that read it died (the worker's memory limit, a crash, or a kill), "
            "as many times as the scheduler allows (distributed.scheduler.allowed-failures)"
        )

    def renew(self) -> None:
        pass

    def close(self) -> None:
        self.client.close()


def check_versions(client: object, address: str, code_version: Callable[[], str] | None) -> None:
    """Raise ClusterError naming the first difference between this process and the cluster."""
    versions = client.get_versions()
    ours = _comparable(versions["client"]["packages"])
    others = {"the scheduler": versions["scheduler"], **versions["workers"]}
    for who, found in others.items():
        theirs = _comparable(found["packages"])
        for package in _SAME_VERSIONS:
            if theirs.get(package) != ours.get(package):
                raise ClusterError(
                    f"the Dask cluster at {address}: {_who(who)} runs {package} {theirs.get(package)}, "
                    f"this refresh {ours.get(package)}: install the same versions (requirements.lock)"
                )
    if code_version is None:
        return
    here = code_version()
    for worker, there in client.run(code_version).items():
        if there != here:
            raise ClusterError(
                f"the Dask cluster at {address}: the worker {worker} reads with other code than this "
                f"refresh (readers {there}, here {here}): install the same commit on every worker"
            )


def _comparable(packages: dict[str, str | None]) -> dict[str, str | None]:
    """Versions as they must agree: Python to the minor version, the rest exactly."""
    found = dict(packages)
    if found.get("python"):
        found["python"] = ".".join(str(found["python"]).split(".")[:2])
    return found


def _who(name: str) -> str:
    return name if name == "the scheduler" else f"the worker {name}"
