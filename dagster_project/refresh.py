"""Run the refresh job in-process and judge it strictly.

Dagster can report a run as successful when steps were skipped, and a failing check does not
always fail the step that ran it, so success here means: the run succeeded, every asset of the
job was materialized, and every check evaluation passed.
"""

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from dagster_project.load_log import LOAD_LOG_TABLE, load_log_rows
from dagster_project.settings import WAREHOUSE_ENV, refresh_inputs, warehouse_path
from ingest import duckdb_warehouse
from ingest.fingerprint import fingerprint

REFRESH_JOB = "refresh_warehouse"


@dataclass
class RefreshOutcome:
    warehouse: Path
    seconds: float
    run_success: bool
    materialized: list[str] = field(default_factory=list)
    not_materialized: list[str] = field(default_factory=list)
    checks_passed: int = 0
    quarantined: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    published: bool = False
    replaced: bool = False
    nothing_changed_since: str | None = None
    failed_checks: list[str] = field(default_factory=list)
    step_failures: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return (
            self.run_success
            and not self.not_materialized
            and not self.failed_checks
            and not self.step_failures
        )

    def report(self) -> str:
        if self.nothing_changed_since:
            return (
                f"Nothing changed since the refresh of {self.nothing_changed_since}: same data, same code "
                f"({self.seconds:.1f} s to check). {self.warehouse} is up to date."
            )
        quarantine = [f"  quarantined: {reason}" for reason in self.quarantined]
        quarantine += [f"  warning: {text}" for text in self.warnings]
        if self.success:
            return "\n".join(
                [
                    f"Refresh succeeded in {self.seconds:.1f} s: {len(self.materialized)} assets built, "
                    f"{self.checks_passed} checks passed.",
                    *quarantine,
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
        lines += [f"  check failed: {text}" for text in self.failed_checks]
        lines += quarantine
        lines += [f"  step failed: {text}" for text in self.step_failures]
        if self.not_materialized:
            shown = ", ".join(self.not_materialized[:8])
            more = f" and {len(self.not_materialized) - 8} more" if len(self.not_materialized) > 8 else ""
            lines.append(f"  not built: {shown}{more}")
        return "\n".join(lines)


def _key_text(key: dg.AssetKey) -> str:
    return "/".join(key.path)


def _check_failure_text(evaluation: dg.AssetCheckEvaluation) -> str:
    description = evaluation.description or ""
    return f"{evaluation.check_name} on {_key_text(evaluation.asset_key)}: {description}".rstrip(": ")


def _quarantined_reasons(result: dg.ExecuteInProcessResult) -> list[str]:
    """Files the run set aside, as its quarantine assets reported them."""
    reasons: list[str] = []
    for event in result.get_asset_materialization_events():
        metadata = event.materialization.metadata
        if "reasons" in metadata:
            reasons.extend(metadata["reasons"].value)
    return reasons


def _published_replaced(result: dg.ExecuteInProcessResult) -> bool:
    for event in result.get_asset_materialization_events():
        if event.asset_key == dg.AssetKey("published_warehouse"):
            return bool(getattr(event.materialization.metadata.get("replaced"), "value", False))
    return False


def _is_error(evaluation: dg.AssetCheckEvaluation) -> bool:
    return evaluation.severity == dg.AssetCheckSeverity.ERROR


def outcome_of(result: dg.ExecuteInProcessResult, job: dg.JobDefinition, seconds: float) -> RefreshOutcome:
    planned = {
        key
        for key in job.asset_layer.asset_graph.get_all_asset_keys()
        if job.asset_layer.asset_graph.get(key).is_materializable
    }
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    evaluations = result.get_asset_check_evaluations()
    failures = []
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        if error and error.cls_name == "DagsterAssetCheckFailedError":
            continue  # the failed check itself is reported, with its reasons
        while error is not None and error.cause is not None:  # Dagster wraps the error that matters
            error = error.cause
        message = error.message.strip() if error else ""
        failures.append(f"{event.step_key}: {message.splitlines()[0] if message else 'unknown error'}")
    return RefreshOutcome(
        warehouse=warehouse_path(),
        seconds=seconds,
        run_success=result.success,
        materialized=sorted(_key_text(k) for k in materialized),
        not_materialized=sorted(_key_text(k) for k in planned - materialized),
        checks_passed=sum(1 for e in evaluations if e.passed),
        failed_checks=[_check_failure_text(e) for e in evaluations if not e.passed and _is_error(e)],
        warnings=[_check_failure_text(e) for e in evaluations if not e.passed and not _is_error(e)],
        published=dg.AssetKey("published_warehouse") in materialized,
        replaced=_published_replaced(result),
        quarantined=_quarantined_reasons(result),
        step_failures=failures,
    )


def _unchanged(started: float) -> RefreshOutcome | None:
    """A finished outcome when nothing the refresh reads changed since the last publish, else None."""
    if os.environ.get("BPS_API_KEY"):
        return None  # the WebAPI may have new figures; only fetching tells
    state = duckdb_warehouse.unchanged_since_last_publish(warehouse_path(), fingerprint(refresh_inputs())[0])
    if state is None:
        return None
    return RefreshOutcome(
        warehouse=warehouse_path(),
        seconds=time.monotonic() - started,
        run_success=True,
        nothing_changed_since=state["published_at"],
    )


def _record_failed_run(instance: dg.DagsterInstance, run_id: str) -> None:
    """A failed run never reaches the publish step, which writes load_log; write it to the build file."""
    build = duckdb_warehouse.build_path_for(warehouse_path())
    rows = load_log_rows(instance, run_id, {})
    if build.exists() and not rows.empty:
        duckdb_warehouse.append_rows(build, LOAD_LOG_TABLE, rows)


def run_refresh(
    warehouse: Path | None = None, log_level: str = "INFO", force: bool = False
) -> RefreshOutcome:
    """Build every asset into the build file, gate it, and publish it if everything passed.

    When nothing the refresh reads has changed since the last publish, it says so and stops (unless forced).
    """
    if warehouse is not None:
        os.environ[WAREHOUSE_ENV] = str(Path(warehouse).resolve())
    started = time.monotonic()
    if not force and (unchanged := _unchanged(started)):
        return unchanged
    from dagster_project.definitions import defs  # imported late: resources read the environment

    job = defs().resolve_job_def(REFRESH_JOB)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    with instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
        outcome = outcome_of(result, job, time.monotonic() - started)
        if not outcome.success:
            _record_failed_run(instance, result.run_id)
        return outcome
