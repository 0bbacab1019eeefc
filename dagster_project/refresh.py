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

from dagster_project.settings import WAREHOUSE_ENV, warehouse_path

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
        quarantine = [f"  quarantined: {reason}" for reason in self.quarantined]
        quarantine += [f"  warning: {text}" for text in self.warnings]
        if self.success:
            return "\n".join(
                [
                    f"Refresh succeeded in {self.seconds:.1f} s: {len(self.materialized)} assets built, "
                    f"{self.checks_passed} checks passed.",
                    *quarantine,
                    f"Published {self.warehouse}",
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
        quarantined=_quarantined_reasons(result),
        step_failures=failures,
    )


def run_refresh(warehouse: Path | None = None, log_level: str = "INFO") -> RefreshOutcome:
    """Build every asset into the build file, gate it, and publish it if everything passed."""
    if warehouse is not None:
        os.environ[WAREHOUSE_ENV] = str(Path(warehouse).resolve())
    from dagster_project.definitions import defs  # imported late: resources read the environment

    job = defs().resolve_job_def(REFRESH_JOB)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    started = time.monotonic()
    with instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
        return outcome_of(result, job, time.monotonic() - started)
