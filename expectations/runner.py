"""Validate a pandas DataFrame against a GX suite and describe failures by source file and row.

GX has no DuckDB data source, so callers read the table into pandas first. Rows are expected to
carry `_source_file` and `_source_row`, which is how a failure is traced back to the input.
"""

from __future__ import annotations

import copy
import html
import itertools
import os
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from store.paths import printable

# GX phones home unless told otherwise, which a nightly job on a closed network must not do.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig

MAX_EXAMPLES = 5
DOCS_SITE = "warehouse"
_counter = itertools.count(1)


@dataclass(frozen=True)
class SuiteSpec:
    """A named list of expectations; it becomes a GX ExpectationSuite inside the validating context."""

    name: str
    expectations: list[gx.expectations.Expectation]
    # Validate a frame derived from the table (a summary per year, say) instead of the table itself.
    derive: Callable[[pd.DataFrame], pd.DataFrame] | None = None


@dataclass(frozen=True)
class ExpectationFailure:
    expectation: str
    description: str
    unexpected_count: int
    examples: list[str]
    rows: list[dict] = field(default_factory=list)  # the first unexpected rows of the validated frame
    indexes: list = field(default_factory=list)  # every unexpected row's index in the validated frame
    column: str | None = None

    def message(self) -> str:
        shown = "; ".join(self.examples)
        more = self.unexpected_count - len(self.examples)
        tail = f" (and {more} more)" if more > 0 else ""
        return (
            f"{self.description} [{self.expectation}] failed on {self.unexpected_count} row(s): {shown}{tail}"
        )


@dataclass(frozen=True)
class SuiteResult:
    suite_name: str
    evaluated: int
    failures: list[ExpectationFailure] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures

    def message(self) -> str:
        if self.success:
            return f"{self.suite_name}: all {self.evaluated} expectations passed"
        lines = [f"{self.suite_name}: {len(self.failures)} of {self.evaluated} expectations failed"]
        lines += [f"  - {failure.message()}" for failure in self.failures]
        return "\n".join(lines)


def _row_locator(frame: pd.DataFrame, index: int, column: str | None) -> str:
    row = frame.loc[index]
    line = row.get("_source_row", row.get("row"))
    page = f" (page {row['page_first']})" if "page_first" in frame.columns else ""
    row_text = f" row {line}{page}" if line is not None and not pd.isna(line) else ""
    where = f"{row.get('_source_file', '?')}{row_text}"
    if "expected" in frame.columns and "areas" in frame.columns:
        return f"{row['indicator']} {row['year']}: {row['areas']} areas, {row['expected']} expected ({where})"
    what = [
        str(row[c]) for c in ("area_name", "year", "indicator") if c in frame.columns and pd.notna(row[c])
    ]
    text = " ".join(what)
    if column and column in frame.columns:
        text += f" = {row[column]}" if pd.notna(row[column]) else f"{' ' if text else ''}no {column}"
    return f"{where} ({text})" if text else where


_contexts: dict[str, tuple[str | None, object]] = {}  # docs folder -> (run, its context)


def _context(docs_dir: Path | None, run: str | None = None):
    """One GX context per docs folder and run, so the Data Docs index lists every suite of a run.

    A new run gets a new context: a process that runs refresh after refresh (a test worker, a code server)
    would otherwise keep every earlier run's validations and render them all again each time.
    """
    key = str(docs_dir)
    if key not in _contexts or _contexts[key][0] != run:
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        if docs_dir is not None:
            context.add_data_docs_site(
                site_name=DOCS_SITE,
                site_config={
                    "class_name": "SiteBuilder",
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": key},
                },
            )
        _contexts[key] = (run, context)
    return _contexts[key][1]


def write_data_docs(docs_dir: Path, run: str | None = None) -> None:
    """Render the Data Docs of every validation of `run` for `docs_dir` (once per run: rendering after each
    validation cost more than the validations)."""
    _context(docs_dir, run).build_data_docs(site_names=[DOCS_SITE])


def _validation(context, frame: pd.DataFrame, spec: SuiteSpec, result_format: str):
    """GX's result of `spec` on `frame` in `context` (kept there, where its Data Docs render it)."""
    with suppress(Exception):  # a suite of this name from an earlier validation; GX raises its own not-found
        context.suites.delete(spec.name)
    name = f"{spec.name}_{next(_counter)}"
    batch_definition = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(spec.name)
        .add_batch_definition_whole_dataframe("whole_table")
    )
    # Copies: an expectation belongs to one suite, and a failed suite is validated twice.
    expectations = [copy.copy(expectation) for expectation in spec.expectations]
    suite = context.suites.add(gx.ExpectationSuite(name=spec.name, expectations=expectations))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=name, validation_definitions=[definition], result_format={"result_format": result_format}
        )
    )
    checked = checkpoint.run(batch_parameters={"dataframe": frame_for_gx(frame, spec)})
    [validation] = checked.run_results.values()
    return validation


def validate_dataframe(
    frame: pd.DataFrame, spec: SuiteSpec, docs_dir: Path | None = None, run: str | None = None
) -> SuiteResult:
    """Run the suite `spec` on `frame`; with `docs_dir`, also render the result as GX Data Docs there
    (beside the other validations of `run`).

    The gate's validation asks GX for its BASIC result (counts and the first unexpected values, which the
    Data Docs show): the COMPLETE one, with every unexpected row's index, took 1.4 times as long on the
    75,000 rows of raw.bps_downloads (1.9 against 1.3 CPU-s), every night, to list rows that are only
    read when the suite fails. A failed suite is validated once more, COMPLETE, outside the Data Docs'
    context (one result per suite there), for the rows its failures name."""
    if spec.derive is not None:
        frame = spec.derive(frame)
    validation = _validation(_context(docs_dir, run), frame, spec, "BASIC")
    if validation.success:
        return SuiteResult(suite_name=spec.name, evaluated=len(validation.results))
    if docs_dir is not None:
        write_data_docs(docs_dir, run)  # a failure is documented at once, whatever happens to the run next
    validation = _validation(_context(None, run), frame, spec, "COMPLETE")

    failures = []
    for result in validation.results:
        if result.success:
            continue
        config = result.expectation_config
        kwargs = config.kwargs
        column = kwargs.get("column")
        indexes = list(result.result.get("unexpected_index_list") or [])
        failure = _failure_on_rows(frame, config.type, config.description or config.type, column, indexes)
        if not failure.examples and result.exception_info.get("raised_exception"):
            failure = ExpectationFailure(
                failure.expectation,
                failure.description,
                1,
                [str(result.exception_info.get("exception_message"))],
                column=column,
            )
        elif not indexes:  # an expectation on the table as a whole (row count, ...)
            count = int(result.result.get("unexpected_count") or 1)
            failure = ExpectationFailure(failure.expectation, failure.description, count, [], column=column)
        failures.append(failure)
    return SuiteResult(suite_name=spec.name, evaluated=len(validation.results), failures=failures)


_MARKUP = re.compile(r"[<>&\x00-\x1f\x7f-\x9f]")


# Below this many rows a validation costs GX's own overhead, whatever the columns hold.
CATEGORIES_FROM_ROWS = 1_000


def frame_for_gx(frame: pd.DataFrame, spec: SuiteSpec) -> pd.DataFrame:
    """`frame` as Great Expectations sees it, one pass over its text columns, each distinct value looked at
    once (a raw table repeats a few names, codes and units over every row):

    - Text holding markup or control characters is escaped (`&lt;script&gt;`, `\\x1b`). Data Docs render an
      unexpected value as it is, so a cell reading `<script>` would run in the browser of whoever opens
      them; no value set or range an expectation checks holds such characters, so what passes and fails is
      the same. Searching the distinct values: 0.24 -> 0.06 CPU-s on raw.bps_downloads (75,000 rows).
    - Text columns repeating a few values over many rows (an indicator, a unit, a source file) become
      pandas categories: each row condition (`indicator=="P0"`, two per indicator) then compares small codes
      instead of every row's string and filters a lighter frame (raw.bps_downloads's two suites, old and
      new code alternated: about 2.1 -> 1.6 CPU-s). Columns compared pairwise stay text (two categories
      with different values cannot be compared).

    Values, nulls and row labels are otherwise as they were: failures, their examples and rows are read
    from `frame` itself."""
    as_categories = len(frame) >= CATEGORIES_FROM_ROWS
    paired = {getattr(e, key, None) for e in spec.expectations for key in ("column_A", "column_B")}
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        try:
            distinct = values.unique()
        except TypeError:  # unhashable cells (a list column): every cell searched, no categories
            marked = values.map(_holds_markup).astype(bool)
            if marked.any():
                changed[column] = values.mask(marked, values[marked].map(_escaped))
            continue
        texts = [value for value in distinct if isinstance(value, str)]
        markup = {value: _escaped(value) for value in texts if _holds_markup(value)}
        seen = values.replace(markup) if markup else values
        only_text = len(texts) == len(distinct) or all(
            pd.isna(value) for value in distinct if not isinstance(value, str)
        )
        if as_categories and column not in paired and only_text and len(texts) * 10 <= len(values):
            seen = seen.astype("category")
        if seen is not values:
            changed[column] = seen
    return frame.assign(**changed) if changed else frame


def _holds_markup(value: object) -> bool:
    return isinstance(value, str) and _MARKUP.search(value) is not None


def _escaped(value: str) -> str:
    return html.escape(printable(value))


def _failure_on_rows(
    frame: pd.DataFrame, expectation: str, description: str, column: str | None, indexes: list
) -> ExpectationFailure:
    return ExpectationFailure(
        expectation=expectation,
        description=description,
        unexpected_count=len(indexes),
        examples=[_row_locator(frame, i, column) for i in indexes[:MAX_EXAMPLES]],
        rows=[frame.loc[i].to_dict() for i in indexes[:MAX_EXAMPLES]],
        indexes=indexes,
        column=column,
    )


def failures_by_file(
    frame: pd.DataFrame,
    spec: SuiteSpec,
    docs_dir: Path | None = None,
    file_column: str = "_source_sha256",
    run: str | None = None,
) -> dict[str, list[ExpectationFailure]]:
    """Validate `frame` (rows of many files) once and split every failure by the file of its rows.

    One validation for a whole batch: Great Expectations costs the better part of a second per run, which a
    refresh of a hundred files cannot pay per file. A failure with no rows to blame is every file's.
    """
    result = validate_dataframe(frame, spec, docs_dir=docs_dir, run=run)
    by_file: dict[str, list[ExpectationFailure]] = {}
    for failure in result.failures:
        if not failure.indexes:
            for file in frame[file_column].dropna().unique():
                by_file.setdefault(str(file), []).append(failure)
            continue
        groups: dict[str, list] = {}
        for index in failure.indexes:
            groups.setdefault(str(frame.loc[index, file_column]), []).append(index)
        for file, indexes in groups.items():
            by_file.setdefault(file, []).append(
                _failure_on_rows(frame, failure.expectation, failure.description, failure.column, indexes)
            )
    return by_file
