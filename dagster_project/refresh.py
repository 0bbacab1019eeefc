"""`ntt-warehouse refresh`: one refresh at a time, the job run in-process, its outcome judged strictly.

Success means: every asset of the job was materialized, no step failed and every blocking check passed
(dagster_project.run_outcome reads that from the run's event log). The settings (dagster_project.settings)
come from the environment and the command line, and reach the run as its resources, made from them: the run
config holds nothing but the log level.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_project.settings import Settings, refresh_inputs
from store.build_lock import LockHolder, refresh_lock
from store.fingerprint import fingerprint
from store.paths import printable
from store.publish_state import unchanged_since_last_publish

if TYPE_CHECKING:  # Dagster loads only when there is work to do: a no-change refresh stops before
    import dagster as dg

    from dagster_project.run_outcome import RunOutcome
    from store.read_engines import ReadEngine

REFRESH_JOB = "refresh_warehouse"
DEFAULT_WAIT_SECONDS = 1800.0


@dataclass
class RefreshOutcome:
    warehouse: Path
    seconds: float
    materialized: list[str] = field(default_factory=list)
    not_materialized: list[str] = field(default_factory=list)
    checks_passed: int = 0
    quarantined: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    published: bool = False
    replaced: bool = False
    nothing_changed_since: str | None = None
    failed_checks: list[str] = field(default_factory=list)
    step_failures: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.not_materialized and not self.failed_checks and not self.step_failures

    def report(self) -> str:
        if self.nothing_changed_since:
            return (
                f"Nothing changed since the refresh of {self.nothing_changed_since}: same data, same code "
                f"({self.seconds:.1f} s to check). {self.warehouse} is up to date."
            )
        # Text from files (names, cells) is printed with control characters escaped: one line each, inert.
        notes = [f"  quarantined: {printable(reason)}" for reason in self.quarantined]
        notes += [f"  ignored: {printable(reason)}" for reason in self.ignored]
        notes += [f"  held back: {printable(reason)}" for reason in self.held_back]
        notes += [f"  repaired: {printable(text)}" for text in self.repaired]
        notes += [f"  warning: {printable(text)}" for text in self.warnings]
        if self.success:
            return "\n".join(
                [
                    f"Refresh succeeded in {self.seconds:.1f} s: {len(self.materialized)} assets built, "
                    f"{self.checks_passed} checks passed.",
                    *notes,
                    f"Published {self.warehouse}"
                    if self.replaced
                    else f"Content unchanged: {self.warehouse} was left as it was",
                ]
            )
        if self.published:
            kept = f"{self.warehouse} WAS REPLACED despite the failure: check it"
        elif self.warehouse.exists():
            kept = f"nothing was published; {self.warehouse} is unchanged"
        else:
            kept = "nothing was published; no warehouse exists yet"
        lines = [f"Refresh FAILED after {self.seconds:.1f} s: {kept}."]
        lines += [f"  check failed: {printable(text)}" for text in self.failed_checks]
        lines += notes
        lines += [f"  step failed: {printable(text)}" for text in self.step_failures]
        if self.not_materialized:
            shown = ", ".join(self.not_materialized[:8])
            more = f" and {len(self.not_materialized) - 8} more" if len(self.not_materialized) > 8 else ""
            lines.append(f"  not built: {shown}{more}")
        return "\n".join(lines)


def outcome_of(run: RunOutcome, planned: set[str], warehouse: Path, seconds: float) -> RefreshOutcome:
    publish = run.materializations.get("published_warehouse")
    return RefreshOutcome(
        warehouse=warehouse,
        seconds=seconds,
        materialized=sorted(run.materializations),
        not_materialized=sorted(planned - set(run.materializations)),
        checks_passed=sum(1 for c in run.checks if c.passed),
        failed_checks=[c.text() for c in run.failed_checks()],
        warnings=[c.text() for c in run.warnings()],
        published=publish is not None,
        replaced=bool(publish and publish.metadata.get("replaced")),
        quarantined=run.listed("quarantined_files"),
        ignored=run.listed("ignored_files"),
        held_back=run.listed("held_back_rows"),
        repaired=run.listed("repaired"),
        step_failures=[f"{s.key}: {s.error}" for s in run.failed_steps()],
    )


def _unchanged(settings: Settings, started: float) -> RefreshOutcome | None:
    """A finished outcome when nothing the refresh reads changed since the last publish, else None."""
    if settings.fetch_webapi:
        return None  # the WebAPI may have new figures; only fetching tells
    inputs = refresh_inputs(settings.data_dir, settings.landing_dir)
    digest = fingerprint(inputs, settings.budgets.file_bytes)[0]
    state = unchanged_since_last_publish(settings.warehouse_path, digest)
    if state is None:
        return None
    return RefreshOutcome(
        warehouse=settings.warehouse_path,
        seconds=time.monotonic() - started,
        nothing_changed_since=state["published_at"],
    )


def _planned_assets(job: dg.JobDefinition) -> set[str]:
    graph = job.asset_layer.asset_graph
    return {key.to_user_string() for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}


def run_refresh(
    warehouse: Path | None = None,
    landing_dir: Path | None = None,
    data_dir: Path | None = None,
    log_level: str = "INFO",
    force: bool = False,
    rebuild: bool = False,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    on_wait: Callable[[LockHolder | None], None] = lambda holder: None,
) -> RefreshOutcome:
    """`refresh` with these settings; the paths not given come from the environment (NTT_WAREHOUSE,
    LANDING_DIR, NTT_DATA_DIR) or the defaults."""
    settings = Settings.from_environment(
        warehouse_path=warehouse,
        landing_dir=landing_dir,
        data_dir=data_dir,
        rebuild_raw=rebuild,
        lock_wait_seconds=wait_seconds,
    )
    return refresh(settings, log_level=log_level, force=force, on_wait=on_wait)


def refresh(
    settings: Settings,
    log_level: str = "INFO",
    force: bool = False,
    on_wait: Callable[[LockHolder | None], None] = lambda holder: None,
) -> RefreshOutcome:
    """Build every asset into the build file, gate it, and publish it if everything passed.

    Waits up to `settings.lock_wait_seconds` for another refresh of the same warehouse (RefreshBusyError
    after that). When nothing the refresh reads has changed since the last publish, it says so and stops
    (unless forced, or rebuilding).
    """
    started = time.monotonic()
    lock_folder = settings.build_path.parent
    with refresh_lock(
        lock_folder, settings.lock_wait_seconds, on_wait=on_wait, command="ntt-warehouse refresh"
    ):
        if not (force or settings.rebuild_raw) and (unchanged := _unchanged(settings, started)):
            return unchanged
        return _run_job(settings, log_level, started)


@contextmanager
def sigterm_kept() -> Iterator[None]:
    """SIGTERM's handling as it was before, once a Dagster run in this process is over.

    Dagster points SIGTERM at SIGINT's handler while it runs, and after the run at whatever SIGINT's handler
    is then: the Python handler that raises KeyboardInterrupt, or SIG_IGN in a process a shell started in
    the background (`make test &`, a nohup'd script: the shell ignores SIGINT there). An ignored SIGTERM is
    inherited by every process started afterwards that sets no handler of its own: a `dbt parse` stopped
    with SIGTERM ran to its end (9-17 s).
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread; Dagster leaves them alone too
        return
    before = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        if before is not None:  # None: set outside Python, which cannot be restored from here
            signal.signal(signal.SIGTERM, before)


def _run_job(settings: Settings, log_level: str, started: float) -> RefreshOutcome:
    """The refresh job, in this process, with the resources made from `settings`."""
    from dagster_project.cluster_connection import connected_engine

    # A Dask cluster is connected to first: one that does not answer stops the refresh here, in one line
    # (ReadEngineError), before anything is read or written and before Dagster loads (seconds of imports).
    with connected_engine(settings) as engine:
        return _run_job_on(settings, engine, log_level, started)


def _run_job_on(
    settings: Settings, engine: ReadEngine | None, log_level: str, started: float
) -> RefreshOutcome:
    import dagster as dg

    from dagster_project.dbt_project import prepare_manifest

    prepare_manifest()  # the dbt assets load from it
    from dagster_project.definitions import defs
    from dagster_project.load_log import LOAD_LOG_TABLE, load_log_rows
    from dagster_project.resources import run_resources
    from dagster_project.run_outcome import read_run
    from store.duckdb_warehouse import append_rows, connect

    job = defs().resolve_job_def(REFRESH_JOB)
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    instance = (
        dg.DagsterInstance.from_config(str(settings.dagster_home))
        if settings.dagster_home
        else dg.DagsterInstance.ephemeral()
    )
    with instance:
        resources = run_resources(settings, engine)
        with sigterm_kept():
            result = job.execute_in_process(
                instance=instance, raise_on_error=False, run_config=run_config, resources=resources
            )
        run = read_run(instance, result.run_id)
        planned = _planned_assets(job)
        outcome = outcome_of(run, planned, settings.warehouse_path, time.monotonic() - started)
        if not outcome.success and settings.build_path.exists():
            # A failed run never reaches the publish step, which writes load_log: record it here.
            with connect(settings.build_path) as connection:
                append_rows(connection, LOAD_LOG_TABLE, load_log_rows(run, {}))
        return outcome
