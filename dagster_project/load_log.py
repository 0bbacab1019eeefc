"""load_log: one row per run and asset, from the run's outcome (dagster_project.run_outcome).

Rows in (values parsed this run), rows out (rows in the table after the run), rows rejected (files
quarantined, and rows a failed check named), duration, status, the files' contents, the checks with
their Great Expectations summary, and which worker read each file read this run (`read_by`, JSON: file ->
the Dask worker addresses or host/pid of the processes that read it) and what the reader made of each
(`parsing_reports`, JSON: file -> its parsing report line; RAT plans).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd

from dagster_project.run_outcome import RunOutcome, StepRecord

LOAD_LOG_TABLE = "provenance.load_log"
_COLUMNS = [
    "run_id",
    "run_started_at",
    "asset",
    "step",
    "status",
    "started_at",
    "duration_seconds",
    "rows_in",
    "rows_out",
    "rows_rejected",
    "source_hashes",
    "checks_passed",
    "checks_failed",
    "check_summary",
    "read_by",
    "parsing_reports",
    "logged_at",
]


def _time(seconds: float | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def _json_or_none(value: object) -> str | None:
    """A per-file mapping of the asset's metadata as JSON; None when the run has none (nothing read)."""
    return json.dumps(value) if value else None


def load_log_rows(outcome: RunOutcome, row_counts: dict[str, int]) -> pd.DataFrame:
    """The load_log rows of a run so far; `row_counts` gives rows out of tables by schema.name."""
    now = datetime.now(UTC)

    def row(asset: str, step: StepRecord | None, metadata: dict) -> dict:
        checks = [c for c in outcome.checks if c.asset == asset]
        failed = [c for c in checks if not c.passed]
        table = ".".join(asset.split("/")[-2:]) if "/" in asset else asset
        return {
            "run_id": outcome.run_id,
            "run_started_at": _time(outcome.started_at),
            "asset": asset,
            "step": step.key if step else None,
            "status": step.status if step else "not run",
            "started_at": _time(step.started if step else None),
            "duration_seconds": step.seconds if step else None,
            "rows_in": metadata.get("rows_in"),
            "rows_out": row_counts.get(table, metadata.get("rows")),
            "rows_rejected": int(metadata.get("rows_rejected") or 0)
            + sum(int(c.metadata.get("unexpected_rows") or 0) for c in failed),
            "source_hashes": json.dumps(metadata.get("source_hashes") or []),
            "checks_passed": len(checks) - len(failed),
            "checks_failed": len(failed),
            "check_summary": "\n".join(c.text()[:2000] for c in failed) or None,
            "read_by": _json_or_none(metadata.get("read_by")),
            "parsing_reports": _json_or_none(metadata.get("parsing_reports")),
            "logged_at": now,
        }

    rows = [
        row(asset, outcome.steps.get(m.step), m.metadata)
        for asset, m in sorted(outcome.materializations.items())
    ]
    steps_with_assets = {m.step for m in outcome.materializations.values()}
    rows += [
        row(step.key, step, {})
        for step in sorted(outcome.steps.values(), key=lambda s: s.key)
        if step.key not in steps_with_assets and step.status != "succeeded"
    ]
    frame = pd.DataFrame.from_records(rows, columns=_COLUMNS)
    return frame.astype(
        {
            "rows_in": "Int64",
            "rows_out": "Int64",
            "rows_rejected": "Int64",
            "read_by": "string",
            "parsing_reports": "string",
        }
    )
