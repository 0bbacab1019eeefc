"""The gate every RAT plan passes on its own, before its rows join the raw tables.

A plan that fails is quarantined with the expectation, row and page, its last good version (if any) stays,
and every other plan and source still publishes. Rules that span documents (one current plan per issuer and
year, budget lines counted once) are dbt tests on the whole.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from expectations.runner import ExpectationFailure, SuiteSpec, failures_by_file, gx
from ingest.rat.locations import SCOPE_BOTH, SCOPE_NONE, SCOPE_PROVINCE, SCOPE_REGENCIES, SCOPE_UNSPECIFIED
from ingest.rat.tables import DOCUMENTS_TABLE, ROWS_TABLE
from store.contract import Problem
from store.paths import display_path

gxe = gx.expectations
MAX_PAGU = 10_000_000_000_000  # Rp 10 trillion: a province's whole budget is far below
PAGU_IS_AN_AMOUNT = "every Pagu cell is a whole amount of rupiah"
_SHOWN_CELL = 80  # characters of a cell's text a quarantine line shows


def rat_rows_suite() -> SuiteSpec:
    return SuiteSpec(
        name="rat_plan_rows",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="year",
                description="the plan year was read (matrix header, title page, running header or file name)",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="year", min_value=2000, max_value=2100, description="the plan year is plausible"
            ),
            # The failing column is the parsed amount, never the cell's text: Data Docs render failing
            # values unescaped. The text is named in the quarantine line (problem_of), which is escaped.
            gxe.ExpectColumnValuesToNotBeNull(
                column="pagu_rupiah",
                row_condition='pagu!=""',
                condition_parser="pandas",
                description=PAGU_IS_AN_AMOUNT,
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="pagu_rupiah",
                min_value=0,
                max_value=MAX_PAGU,
                description="pagu between 0 and Rp 10 trillion",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="lokasi_scope",
                value_set=[SCOPE_PROVINCE, SCOPE_REGENCIES, SCOPE_BOTH, SCOPE_UNSPECIFIED, SCOPE_NONE],
                description="location scope is one of the known scopes",
            ),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["_source_sha256", "row"], description="one matrix row per row number"
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="program", description="every row names a program (may be empty text, not missing)"
            ),
        ],
    )


def rat_document_suite() -> SuiteSpec:
    return SuiteSpec(
        name="rat_plan_document",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="issuer_bps_code",
                description="the plan names its issuer (province or kab/kota) on its title page or header",
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="year", description="the plan year was read"),
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="budget_total",
                column_B="printed_total",
                ignore_row_if="either_value_is_missing",
                description="the budget lines add up to the total the plan prints",
            ),
        ],
    )


def _cell_text(text: object) -> str:
    """A cell's text for a message: quoted with control characters escaped (repr), and cut short."""
    shown = str(text)
    return repr(shown if len(shown) <= _SHOWN_CELL else shown[:_SHOWN_CELL] + "...")


def _pagu_cells(failure: ExpectationFailure) -> str:
    """'row 3 (page 2): Pagu '2023: 1.000.000'; ...' for the rows whose Pagu is not an amount."""
    shown = "; ".join(
        f"row {row['row']} (page {row['page_first']}): Pagu {_cell_text(row['pagu'])}" for row in failure.rows
    )
    more = failure.unexpected_count - len(failure.rows)
    return shown + (f" (and {more} more)" if more > 0 else "")


def problem_of(file: str, failure: ExpectationFailure) -> Problem:
    """A failed expectation as the loader quarantines it: the file, its first row and page."""
    first = failure.rows[0] if failure.rows else {}
    row, page = first.get("row"), first.get("page_first")
    message = failure.message()
    if failure.description == PAGU_IS_AN_AMOUNT and failure.rows:
        # Which text is not an amount, where: the line a person acts on.
        message = f"{PAGU_IS_AN_AMOUNT}: not an amount in {_pagu_cells(failure)}"
    return Problem(
        check_name=failure.description,
        reason=f"{file}: {message}",
        row=int(row) if row is not None and not pd.isna(row) else None,
        page=int(page) if page is not None and not pd.isna(page) else None,
    )


def _frame(read: dict[str, tuple[Path, dict[str, pd.DataFrame]]], table: str) -> pd.DataFrame:
    frames = [
        reading[table].assign(_source_file=display_path(path), _source_sha256=sha)
        for sha, (path, reading) in read.items()
    ]
    return pd.concat(frames, ignore_index=True)


def rat_plan_problems(
    read: dict[str, tuple[Path, dict[str, pd.DataFrame]]],
    docs_dir: Path | None = None,
    run: str | None = None,
) -> dict[str, list[Problem]]:
    """The per-document gate over the plans read in a load: each failing plan's problems, rows first."""
    names = {sha: display_path(path) for sha, (path, _) in read.items()}
    problems: dict[str, list[Problem]] = {}
    for table, suite in ((ROWS_TABLE, rat_rows_suite()), (DOCUMENTS_TABLE, rat_document_suite())):
        for sha, failures in failures_by_file(_frame(read, table), suite, docs_dir=docs_dir, run=run).items():
            problems.setdefault(sha, []).extend(problem_of(names[sha], f) for f in failures)
    return problems
