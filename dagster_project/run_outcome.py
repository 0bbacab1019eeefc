"""What a run did, read from its own event log: the one place that reads a run's outcome.

Dagster can call a run successful when steps were skipped, and a failing check does not always fail the step
that ran it, so nobody should judge a run by its status alone. The publish step reads this to refuse a
half-good build, the CLI to tell the person what happened, load_log to record it, and the failure sensor to
record a failed run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

_END_STATUS = {
    dg.DagsterEventType.STEP_SUCCESS: "succeeded",
    dg.DagsterEventType.STEP_FAILURE: "failed",
    dg.DagsterEventType.STEP_SKIPPED: "skipped",
}
_CHECK_FAILED_ERROR = "DagsterAssetCheckFailedError"  # a step failing because its blocking check failed


@dataclass
class StepRecord:
    key: str
    status: str = "running"
    started: float | None = None
    ended: float | None = None
    error: str | None = None  # the first line of the error that matters, for a person

    @property
    def seconds(self) -> float | None:
        return round(self.ended - self.started, 3) if self.started and self.ended else None


@dataclass(frozen=True)
class CheckRecord:
    asset: str
    name: str
    passed: bool
    blocking_severity: bool  # ERROR severity: a failure stops the publish
    description: str
    metadata: dict[str, object]

    def text(self) -> str:
        return f"{self.name} on {self.asset}: {self.description}".rstrip(": ")


@dataclass(frozen=True)
class Materialization:
    asset: str
    step: str
    metadata: dict[str, object]


@dataclass
class RunOutcome:
    run_id: str
    started_at: float | None = None
    steps: dict[str, StepRecord] = field(default_factory=dict)
    materializations: dict[str, Materialization] = field(default_factory=dict)
    checks: list[CheckRecord] = field(default_factory=list)

    def failed_checks(self) -> list[CheckRecord]:
        return [c for c in self.checks if not c.passed and c.blocking_severity]

    def warnings(self) -> list[CheckRecord]:
        return [c for c in self.checks if not c.passed and not c.blocking_severity]

    def failed_steps(self) -> list[StepRecord]:
        """Steps that failed for a reason of their own (a failed blocking check is reported as the check)."""
        return [s for s in self.steps.values() if s.status == "failed" and s.error != _CHECK_FAILED_ERROR]

    def problems(self) -> list[str]:
        """Everything that forbids publishing what this run built."""
        steps = [f"step {s.key} failed" for s in self.steps.values() if s.status == "failed"]
        return steps + [f"check {c.name} on {c.asset} failed" for c in self.failed_checks()]

    def listed(self, key: str) -> list[str]:
        """A list every asset may report in its metadata under `key` (e.g. the files it quarantined)."""
        return [str(item) for m in self.materializations.values() for item in (m.metadata.get(key) or [])]


def _plain(metadata: dict) -> dict[str, object]:
    return {key: getattr(value, "value", value) for key, value in metadata.items()}


def _error_text(error: object) -> str | None:
    if error is None:
        return None
    if getattr(error, "cls_name", None) == _CHECK_FAILED_ERROR:
        return _CHECK_FAILED_ERROR
    while getattr(error, "cause", None) is not None:  # Dagster wraps the error that matters
        error = error.cause
    message = (getattr(error, "message", "") or "").strip()
    return message.splitlines()[0] if message else "unknown error"


def read_run(instance: dg.DagsterInstance, run_id: str) -> RunOutcome:
    """The run's outcome so far, from its event log."""
    outcome = RunOutcome(run_id)
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type
        if kind == dg.DagsterEventType.RUN_START:
            outcome.started_at = entry.timestamp
        elif kind == dg.DagsterEventType.STEP_START:
            outcome.steps.setdefault(event.step_key, StepRecord(event.step_key)).started = entry.timestamp
        elif kind in _END_STATUS:
            step = outcome.steps.setdefault(event.step_key, StepRecord(event.step_key))
            step.status, step.ended = _END_STATUS[kind], entry.timestamp
            if kind == dg.DagsterEventType.STEP_FAILURE:
                step.error = _error_text(event.step_failure_data.error)
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.step_materialization_data.materialization
            asset = materialization.asset_key.to_user_string()
            outcome.materializations[asset] = Materialization(
                asset, event.step_key, _plain(materialization.metadata)
            )
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.asset_check_evaluation_data
            outcome.checks.append(
                CheckRecord(
                    asset=evaluation.asset_key.to_user_string(),
                    name=evaluation.check_name,
                    passed=evaluation.passed,
                    blocking_severity=evaluation.severity == dg.AssetCheckSeverity.ERROR,
                    description=evaluation.description or "",
                    metadata=_plain(evaluation.metadata),
                )
            )
    return outcome
