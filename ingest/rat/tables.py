"""A RAT plan as the loader stores it: a row in raw.rat_documents, its matrix rows in raw.rat_matrix_rows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from ingest.rat.extract import RatDocument, RatRow, extract_rat
from ingest.rat.report import ParsingReport
from store.budgets import DEFAULT_BUDGETS, FileBudgets

DOCUMENTS_TABLE = "rat_documents"
ROWS_TABLE = "rat_matrix_rows"

_INTEGER_COLUMNS = {
    "row",
    "budget_line",
    "year",
    "page_first",
    "page_last",
    "pagu_rupiah",
    "realisasi_rupiah",
}
_FLOAT_COLUMNS = {"target_value", "ocr_confidence"}
_BOOLEAN_COLUMNS = {"ocr"}


def _row_dtype(name: str) -> str:
    if name in _INTEGER_COLUMNS:
        return "Int64"
    if name in _FLOAT_COLUMNS:
        return "Float64"
    return "boolean" if name in _BOOLEAN_COLUMNS else "string"


# The loader names every row after its file (`_source_file`, `_source_sha256`): the extractor's own
# `source_file` would name whichever copy of a duplicated document happened to be read.
_EXTRACTOR_PROVENANCE = {"source_file", "source_sha256"}
ROW_DTYPES = {
    item.name: _row_dtype(item.name)
    for item in dataclasses.fields(RatRow)
    if item.name not in _EXTRACTOR_PROVENANCE
}
DOCUMENT_DTYPES = {
    "title": "string",
    "issuer_bps_code": "Int64",
    "issuer_name": "string",
    "issuer_source": "string",
    "year": "Int64",
    "year_source": "string",
    "revision_marker": "string",
    "printed_date": "datetime64[s]",
    "printed_total": "Int64",
    "page_count": "Int64",
    "matrix_page_first": "Int64",
    "matrix_page_last": "Int64",
    "row_count": "Int64",
    "budget_line_count": "Int64",
    "budget_total": "Int64",
    "columns_found": "string",
    "ocr": "boolean",
    "ocr_confidence": "Float64",
    # The parsing report (ingest.rat.report): its counts, and the line `extract-rat` and `status` print.
    "tables_found": "Int64",
    "cells_read": "Int64",
    "cells_from_merges": "Int64",
    "cells_uncertain": "Int64",
    "rows_joined_across_pages": "Int64",
    "cells_joined_across_pages": "Int64",
    "wrap_repairs": "Int64",
    "ocr_cells": "Int64",
    "ocr_lowest_confidence": "Float64",
    "parsing_report": "string",
}
_REPORT_COLUMNS = [name for name in DOCUMENT_DTYPES if name in ParsingReport.__dataclass_fields__]


def _typed(records: list[dict], dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=list(dtypes)).astype(dtypes)


def document_record(document: RatDocument) -> dict[str, object]:
    report = document.report.record() if document.report else {}
    return {
        "title": document.title,
        "issuer_bps_code": document.issuer_bps_code,
        "issuer_name": document.issuer_name,
        "issuer_source": document.issuer_source,
        "year": document.year,
        "year_source": document.year_source,
        "revision_marker": document.revision_marker,
        "printed_date": pd.Timestamp(document.printed_date) if document.printed_date else None,
        "printed_total": document.printed_total,
        "page_count": document.page_count,
        "matrix_page_first": document.matrix_pages[0],
        "matrix_page_last": document.matrix_pages[-1],
        "row_count": len(document.rows),
        "budget_line_count": len({r.budget_line for r in document.rows if r.budget_line is not None}),
        "budget_total": document.budget_total,
        "columns_found": " ".join(document.columns_found),
        "ocr": document.ocr,
        "ocr_confidence": document.ocr_confidence,
        **{name: report.get(name) for name in _REPORT_COLUMNS},
        "parsing_report": document.report.line() if document.report else None,
    }


def rat_plan_tables(document: RatDocument) -> dict[str, pd.DataFrame]:
    records = [{k: v for k, v in r.items() if k not in _EXTRACTOR_PROVENANCE} for r in document.records()]
    rows = _typed(records, ROW_DTYPES)
    return {
        DOCUMENTS_TABLE: _typed([document_record(document)], DOCUMENT_DTYPES),
        ROWS_TABLE: rows.assign(_source_row=rows["row"]),
    }


def read_rat_plan(path: Path, *, budgets: FileBudgets = DEFAULT_BUDGETS) -> dict[str, pd.DataFrame]:
    """The raw tables of one RAT PDF; raises RatDocumentError (a SourceFileError) when it cannot be read,
    OverBudgetError when it would cost more than `budgets` allow."""
    return rat_plan_tables(extract_rat(path, budgets=budgets))


def parsing_report_of(reading: dict[str, pd.DataFrame]) -> str | None:
    """The parsing report line of one plan's reading (its raw.rat_documents row), for the load log."""
    documents = reading.get(DOCUMENTS_TABLE)
    if documents is None or documents.empty or pd.isna(documents["parsing_report"].iloc[0]):
        return None
    return str(documents["parsing_report"].iloc[0])


def empty_rat_tables() -> dict[str, pd.DataFrame]:
    rows = _typed([], ROW_DTYPES)
    return {DOCUMENTS_TABLE: _typed([], DOCUMENT_DTYPES), ROWS_TABLE: rows.assign(_source_row=rows["row"])}
