"""The Dask cluster a refresh reads on, connected before anything else: free of Dagster, so a scheduler that
does not answer stops `ntt-warehouse refresh` in one line before Dagster and the definitions load."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dagster_project.settings import Settings
from store.read_engines import ReadEngine


@contextmanager
def connected_engine(settings: Settings) -> Iterator[ReadEngine | None]:
    """The Dask cluster of `settings`, connected (ClusterError, one line, when it cannot be used), and
    closed at the end; None without a scheduler address."""
    if not settings.dask_scheduler_address:
        yield None
        return
    from ingest.sources import readers_version
    from store.dask_cluster import ClusterEngine

    engine = ClusterEngine(settings.dask_scheduler_address, settings.dask_connect_timeout, readers_version)
    try:
        yield engine
    finally:
        engine.close()
