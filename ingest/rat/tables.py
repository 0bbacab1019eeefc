"""RAT extraction results as raw tables, merged with what an earlier refresh already loaded."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pandas as pd

from ingest.incremental import QUARANTINE_COLUMNS
from ingest.paths import display_path
from ingest.rat.batch import BatchResult
from ingest.rat.extract import RatDocument, RatRow

DOCUMENTS_TABLE = "rat_documents"
ROWS_TABLE = "rat_matrix_rows"
QUARANTINE_SOURCE = "rat_documents"  # its entries in the shared raw.quarantine table

_INTEGER_COLUMNS = {"row", "budget_line", "year", "page_first", "page_last", "pagu_rupiah"}
_FLOAT_COLUMNS = {"target_value", "ocr_confidence"}
ROW_DTYPES = {
    item.name: "Int64"
    if item.name in _INTEGER_COLUMNS
    else "Float64"
    if item.name in _FLOAT_COLUMNS
    else "boolean"
    if item.name == "ocr"
    else "string"
    for item in dataclasses.fields(RatRow)
}
DOCUMENT_DTYPES = {
    "sha256": "string",
    "source_file": "string",
    "year": "Int64",
    "page_count": "Int64",
    "matrix_page_first": "Int64",
    "matrix_page_last": "Int64",
    "row_count": "Int64",
    "budget_line_count": "Int64",
    "budget_total": "Int64",
    "ocr": "boolean",
    "ocr_confidence": "Float64",
}


def _typed(records: list[dict], dtypes: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(dtypes))
    return frame.astype(dtypes)


def documents_frame(documents: list[RatDocument], loaded_at: datetime) -> pd.DataFrame:
    records = [
        {
            "sha256": d.sha256,
            "source_file": display_path(d.path),
            "year": d.year,
            "page_count": d.page_count,
            "matrix_page_first": d.matrix_pages[0],
            "matrix_page_last": d.matrix_pages[-1],
            "row_count": len(d.rows),
            "budget_line_count": len({r.budget_line for r in d.rows if r.budget_line is not None}),
            "budget_total": d.budget_total,
            "ocr": d.ocr,
            "ocr_confidence": d.ocr_confidence,
        }
        for d in documents
    ]
    return _typed(records, DOCUMENT_DTYPES).assign(
        _source_file=lambda f: f["source_file"], _loaded_at=loaded_at
    )


def rows_frame(documents: list[RatDocument], loaded_at: datetime) -> pd.DataFrame:
    records = [record for d in documents for record in d.records()]
    return _typed(records, ROW_DTYPES).assign(_source_file=lambda f: f["source_file"], _loaded_at=loaded_at)


def quarantine_frame(result: BatchResult, quarantined_at: datetime) -> pd.DataFrame:
    records = [
        {
            "source": QUARANTINE_SOURCE,
            "source_file": display_path(r.path),
            "sha256": r.sha256,
            "row": None,
            "check_name": r.kind,
            "reason": r.reason,
            "quarantined_at": quarantined_at,
        }
        for r in result.rejected
    ]
    return pd.DataFrame.from_records(records, columns=QUARANTINE_COLUMNS)


def kept(previous: pd.DataFrame | None, present_hashes: set[str], hash_column: str) -> pd.DataFrame | None:
    """Rows of an earlier load whose document is still present, unchanged."""
    if previous is None or previous.empty:
        return None
    return previous[previous[hash_column].isin(present_hashes)]


def merged(previous: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    if previous is None or previous.empty:
        return new
    if new.empty:
        return previous.reset_index(drop=True)
    return pd.concat([previous, new.astype(previous.dtypes.to_dict(), errors="ignore")], ignore_index=True)
