"""Where BPS downloads are looked for: files that could be tables, in a stable order."""

from __future__ import annotations

from pathlib import Path

from ingest.bps.read import TABLE_SUFFIXES

CANDIDATE_SUFFIXES = TABLE_SUFFIXES


def candidate_files(folder: Path) -> list[Path]:
    """Files under `folder` that could be BPS table downloads (see looks_like_bps_table), sorted."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in CANDIDATE_SUFFIXES)
