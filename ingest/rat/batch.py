"""Extract many RAT documents: only those not seen before (by content hash), several at a time.

Documents already extracted or already quarantined with the same SHA-256 are not read again, so a new
PDF in the landing folder costs one extraction, and a rejected file is retried only once it changes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.fingerprint import file_sha256
from ingest.rat.errors import RatDocumentError
from ingest.rat.extract import RatDocument, extract_rat


@dataclass(frozen=True)
class Rejected:
    path: Path
    sha256: str
    kind: str
    reason: str


@dataclass
class BatchResult:
    extracted: list[RatDocument] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    unchanged: list[tuple[Path, str]] = field(default_factory=list)  # (path, sha256) already known


def _extract_one(path: Path) -> RatDocument | Rejected:
    try:
        return extract_rat(path)
    except RatDocumentError as error:
        sha256 = file_sha256(path) if path.is_file() else ""
        return Rejected(path, sha256, error.kind, str(error))


def extract_new_documents(
    paths: Iterable[Path],
    known_hashes: set[str],
    sha256_by_path: dict[Path, str] | None = None,
    workers: int | None = None,
    on_done: Callable[[Path, str], None] | None = None,
) -> BatchResult:
    """Extract the documents whose content hash is not in `known_hashes`, in parallel processes.

    `sha256_by_path` saves hashing again files the caller has already hashed.
    """
    result = BatchResult()
    todo: list[Path] = []
    for path in paths:
        sha256 = (sha256_by_path or {}).get(path) or file_sha256(path)
        if sha256 in known_hashes:
            result.unchanged.append((path, sha256))
        else:
            todo.append(path)
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        outcomes = map(_extract_one, todo)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        outcomes = pool.map(_extract_one, todo)
    try:
        for outcome in outcomes:
            if isinstance(outcome, Rejected):
                result.rejected.append(outcome)
                status = f"rejected: {outcome.reason}"
            else:
                result.extracted.append(outcome)
                status = f"{len(outcome.rows)} rows"
            if on_done:
                on_done(outcome.path, status)
    finally:
        if pool is not None:
            pool.shutdown()
    return result
