"""Where a warehouse's files are, and what its last publish was made from.

Plain files and JSON only (no DuckDB, no pandas): a refresh with nothing to do reads this and stops, and
should cost less than a second.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from store.fingerprint import file_sha256
from store.paths import REPO_ROOT

DEFAULT_WAREHOUSE_PATH = REPO_ROOT / "warehouse" / "ntt_poverty.duckdb"


def build_path_for(published_path: Path) -> Path:
    """The file refreshes build into, beside the published one (readers never open it)."""
    return published_path.parent / ".build" / published_path.name


def publish_state_path(published_path: Path) -> Path:
    return build_path_for(published_path).with_name("last_publish.json")


def last_publish_state(published_path: Path) -> dict | None:
    path = publish_state_path(published_path)
    return json.loads(path.read_text()) if path.exists() else None


def write_publish_state(published_path: Path, state: dict) -> None:
    """What the published file was built from, for the next refresh to tell whether anything changed."""
    path = publish_state_path(published_path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps({**state, "published_sha256": file_sha256(published_path)}, indent=2))
    os.replace(partial, path)


def unchanged_since_last_publish(published_path: Path, input_fingerprint: str) -> dict | None:
    """The last publish's state when the inputs and the published file are as it left them, else None."""
    state = last_publish_state(published_path)
    if state is None or not published_path.exists():
        return None
    if state.get("fingerprint") != input_fingerprint:
        return None
    if state.get("published_sha256") != file_sha256(published_path):
        return None
    return state


def published_content_digest(published_path: Path) -> str | None:
    """The content digest of the file readers have now, if it is still the one the last publish wrote."""
    state = last_publish_state(published_path)
    if state is None or not published_path.exists():
        return None
    if file_sha256(published_path) != state.get("published_sha256"):
        return None
    return state.get("content_digest")
