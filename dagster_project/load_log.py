"""load_log: one row per run and asset, read from the run's own Dagster event log.

Rows in (values parsed this run), rows out (rows in the table after the run), rows rejected (files
quarantined, and rows a failed check named), duration, status, the hashes of the source files, and the
checks with their Great Expectations summary.
"""

import json
from collections import defaultdict
from datetime import UTC, datetime

import dagster as dg
import pandas as pd

LOAD_LOG_TABLE = "main.load_log"
_END_STATUS = {
    dg.DagsterEventType.STEP_SUCCESS: "succeeded",
    dg.DagsterEventType.STEP_FAILURE: "failed",
    dg.DagsterEventType.STEP_SKIPPED: "skipped",
}


def _value(metadata: dict, key: str) -> object:
    entry = metadata.get(key)
    return getattr(entry, "value", entry)


def load_log_rows(instance: dg.DagsterInstance, run_id: str, row_counts: dict[str, int]) -> pd.DataFrame:
    """The load_log rows of a run so far; `row_counts` gives rows out of tables by schema.name."""
    starts: dict[str, float] = {}
    ends: dict[str, tuple[float, str]] = {}
    materialized: dict[str, tuple[str, dict]] = {}
    checks: dict[str, dict] = defaultdict(lambda: {"passed": 0, "failed": 0, "summary": [], "unexpected": 0})
    run_started = None
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type
        if kind == dg.DagsterEventType.RUN_START:
            run_started = entry.timestamp
        elif kind == dg.DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        elif kind in _END_STATUS:
            ends[event.step_key] = (entry.timestamp, _END_STATUS[kind])
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.step_materialization_data.materialization
            materialized[materialization.asset_key.to_user_string()] = (
                event.step_key,
                materialization.metadata,
            )
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.asset_check_evaluation_data
            check = checks[evaluation.asset_key.to_user_string()]
            check["passed" if evaluation.passed else "failed"] += 1
            if not evaluation.passed:
                check["summary"].append(f"{evaluation.check_name}: {evaluation.description or ''}"[:2000])
                check["unexpected"] += int(_value(evaluation.metadata, "unexpected_rows") or 0)

    now = datetime.now(UTC)
    rows = []

    def row(asset: str, step: str | None, metadata: dict) -> dict:
        started = starts.get(step) if step else None
        ended, status = (
            ends.get(step, (None, "running" if started else "not run")) if step else (None, "not run")
        )
        check = checks.get(asset, {"passed": 0, "failed": 0, "summary": [], "unexpected": 0})
        table = ".".join(asset.split("/")[-2:]) if "/" in asset else asset
        return {
            "run_id": run_id,
            "run_started_at": datetime.fromtimestamp(run_started, UTC) if run_started else None,
            "asset": asset,
            "step": step,
            "status": status,
            "started_at": datetime.fromtimestamp(started, UTC) if started else None,
            "duration_seconds": round(ended - started, 3) if started and ended else None,
            "rows_in": _value(metadata, "rows_in"),
            "rows_out": row_counts.get(table, _value(metadata, "rows")),
            "rows_rejected": int(_value(metadata, "rows_rejected") or 0) + check["unexpected"],
            "source_hashes": json.dumps(_value(metadata, "source_hashes") or []),
            "checks_passed": check["passed"],
            "checks_failed": check["failed"],
            "check_summary": "\n".join(check["summary"]) or None,
            "logged_at": now,
        }

    for asset, (step, metadata) in sorted(materialized.items()):
        rows.append(row(asset, step, metadata))
    steps_with_assets = {step for step, _ in materialized.values()}
    for step, (_, status) in sorted(ends.items()):
        if step not in steps_with_assets and status != "succeeded":
            rows.append(row(step, step, {}))
    frame = pd.DataFrame.from_records(rows)
    return (
        frame.astype({"rows_in": "Int64", "rows_out": "Int64", "rows_rejected": "Int64"}) if rows else frame
    )
